# -*- coding: utf-8 -*-
"""The roles in a user's own playbook (docs/examples/existing_playbook.yml), and
`--tags <role>` on site.yml, against two lab containers of their own (a ufw server
and an iptables client on 198.18.50.0/24). Asserts on the containers' rulesets."""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import shutil
import subprocess

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
NETWORK, SUBNET = "webroot-example", "198.18.50.0/24"
HOSTS = [("wre-server1", "198.18.50.21", "ufw", "webroot_servers"),
         ("wre-client1", "198.18.50.31", "iptables", "webroot_clients")]
ENV = dict(os.environ,
           CONTAINERS_CONF=os.path.join(ROOT, "lab", "containers.conf"),
           ANSIBLE_COLLECTIONS_PATH=os.path.join(ROOT, ".cache", "collections"),
           ANSIBLE_FORCE_COLOR="0")

pytestmark = [
    pytest.mark.lab,
    pytest.mark.skipif(os.geteuid() != 0 or not shutil.which("podman"), reason="needs root and podman"),
]


def run(cmd, check=True, **kw):
    proc = subprocess.run(cmd, cwd=ROOT, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          universal_newlines=True, timeout=600, check=False, **kw)
    if check and proc.returncode != 0:
        raise AssertionError("%s failed (%s):\n%s" % (" ".join(cmd), proc.returncode, proc.stdout[-4000:]))
    return proc


@pytest.fixture()
def lab(tmp_path):
    tsv = tmp_path / "hosts.tsv"
    tsv.write_text("".join("\t".join(h) + "\n" for h in HOSTS))
    run(["bash", "scripts/lab.sh", "up", str(tsv), NETWORK, SUBNET])
    inv = tmp_path / "hosts.yml"
    lines = ["all:", "  vars:", "    ansible_connection: containers.podman.podman",
             "    ansible_python_interpreter: /usr/bin/python3", "  children:"]
    for name, addr, _fw, group in HOSTS:
        lines += ["    %s:" % group, "      hosts:", "        %s:" % name,
                  "          webroot_address: %s" % addr]
    inv.write_text("\n".join(lines) + "\n")
    yield str(inv)
    run(["bash", "scripts/lab.sh", "down", str(tsv), NETWORK, SUBNET], check=False)


def ruleset(name, fw):
    cmd = ["iptables", "-S"] if fw == "iptables" else ["ufw", "show", "added"]
    return run(["podman", "exec", name] + cmd).stdout


def test_tags_apply_one_component_then_the_example_playbook(lab):
    run(["ansible-playbook", "-i", lab, "playbooks/site.yml", "--tags", "poll_now",
         "-e", "webroot_gather_facts=false"])
    client = ruleset("wre-client1", "iptables")
    assert ('-A INPUT -s 198.18.50.21/32 -p tcp -m tcp --dport 50002 -m comment '
            '--comment "webroot.enterprise poll_now 50002/tcp in" -j ACCEPT') in client
    assert "--dport 50000" not in client and "--dport 50001" not in client

    run(["ansible-playbook", "-i", lab, "docs/examples/existing_playbook.yml"])
    client = ruleset("wre-client1", "iptables")
    assert ('-A INPUT -s 198.18.50.0/24 -p tcp -m tcp --dport 50001 -m comment '
            '--comment "webroot.enterprise sweep_now 50001/tcp in" -j ACCEPT') in client
    assert ('-A INPUT -s 198.18.50.21/32 -p tcp -m tcp --dport 50000 -m comment '
            '--comment "webroot.enterprise client_service 50000/tcp in" -j ACCEPT') in client
    server = ruleset("wre-server1", "ufw")
    assert ("ufw allow from 198.18.50.21 to any port 50002 proto tcp "
            "comment 'webroot.enterprise poll_now 50002/tcp in'") in server
    assert "50000" not in server  # client_service was not applied to the server here

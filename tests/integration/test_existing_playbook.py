# -*- coding: utf-8 -*-
"""The roles in a user's own playbook (docs/examples/existing_playbook.yml), and
`--tags <role>` on site.yml, against two lab containers of their own: lab/hosts.tsv's
server1 (ufw) and client1 (iptables), renamed wre-* on 198.18.50.0/24.

What each firewall must hold after each step is written out below by hand (the ipset
with its entries and the one rule naming it on iptables, one rule per peer on ufw),
read with the firewalls' own tools through pytest-ansible (``ansible_adhoc``), and
checked with real connections (webroot.enterprise.port_check, run the same way)."""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import shutil
import subprocess

import pytest

from conftest import holdings, topology, READ_SCRIPT

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
NETWORK, SUBNET = "webroot-example", "198.18.50.0/24"
HOSTS = topology("wre-", SUBNET, only=("server1", "client1"))
ENV = dict(os.environ,
           CONTAINERS_CONF=os.path.join(ROOT, "lab", "containers.conf"),
           ANSIBLE_COLLECTIONS_PATH=os.path.join(ROOT, ".cache", "collections"),
           ANSIBLE_FORCE_COLOR="0")

pytestmark = [
    pytest.mark.lab,
    pytest.mark.skipif(os.geteuid() != 0 or not shutil.which("podman"), reason="needs root and podman"),
]

POLL_NOW_SET = ('-A INPUT -p tcp -m tcp --dport 50002 -m set --match-set webroot-poll-now-v4 src -m comment '
                '--comment "webroot.enterprise poll_now 50002/tcp in" -j ACCEPT')
CLIENT_SERVICE_SET = ('-A INPUT -p tcp -m tcp --dport 50000 -m set --match-set webroot-client-service-v4 src '
                      '-m comment --comment "webroot.enterprise client_service 50000/tcp in" -j ACCEPT')
SWEEP_NOW_SET = ('-A INPUT -p tcp -m tcp --dport 50001 -m set --match-set webroot-sweep-now-v4 src -m comment '
                 '--comment "webroot.enterprise sweep_now 50001/tcp in" -j ACCEPT')
SERVER_POLL_NOW = ("ufw allow from 198.18.50.21 to any port 50002 proto tcp "
                   "comment 'webroot.enterprise poll_now 50002/tcp in'")


def hash_net(*entries):
    return {"type": "hash:net", "family": "inet", "entries": sorted(entries)}


# After `site.yml --tags poll_now`: Poll Now only, admitting the server.
AFTER_TAGS = {
    "wre-client1": {"ipv4": [POLL_NOW_SET], "ipv6": [],
                    "sets": {"webroot-poll-now-v4": hash_net("198.18.50.21")}},
    "wre-server1": {"rules": [SERVER_POLL_NOW]},
}
# Then the example playbook: the client adds Client Service (from the server, the
# inventory scope) and Sweep Now (sources given as a role parameter: the /24); the
# server gets nothing new (Poll Now was there), and no Client Service.
AFTER_EXAMPLE = {
    "wre-client1": {"ipv4": sorted([POLL_NOW_SET, CLIENT_SERVICE_SET, SWEEP_NOW_SET]), "ipv6": [],
                    "sets": {"webroot-poll-now-v4": hash_net("198.18.50.21"),
                             "webroot-client-service-v4": hash_net("198.18.50.21"),
                             "webroot-sweep-now-v4": hash_net("198.18.50.0/24")}},
    "wre-server1": {"rules": [SERVER_POLL_NOW]},
}


def run(cmd, check=True, **kw):
    proc = subprocess.run(cmd, cwd=ROOT, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          universal_newlines=True, timeout=600, check=False, **kw)
    if check and proc.returncode != 0:
        raise AssertionError("%s failed (%s):\n%s" % (" ".join(cmd), proc.returncode, proc.stdout[-4000:]))
    return proc


@pytest.fixture()
def lab(tmp_path):
    tsv = tmp_path / "hosts.tsv"
    tsv.write_text("".join("%s\t%s\t%s\t%s\n" % (h.name, h.address, h.kind, h.group) for h in HOSTS))
    run(["bash", "scripts/lab.sh", "up", str(tsv), NETWORK, SUBNET])
    inv = tmp_path / "hosts.yml"
    lines = ["all:", "  vars:", "    ansible_connection: containers.podman.podman",
             "    ansible_python_interpreter: /usr/bin/python3", "  children:"]
    for h in HOSTS:
        lines += ["    %s:" % h.group, "      hosts:", "        %s:" % h.name,
                  "          webroot_address: %s" % h.address]
    inv.write_text("\n".join(lines) + "\n")
    yield str(inv)
    run(["bash", "scripts/lab.sh", "down", str(tsv), NETWORK, SUBNET], check=False)


def held(hosts):
    """What of ours each host's firewall holds (iptables-save + ipset save, ufw show added)."""
    out = {}
    for h in HOSTS:
        result = hosts[h.name].shell(READ_SCRIPT[h.kind])[h.name]
        assert result["rc"] == 0, dict(result)
        got = holdings(h.kind, result["stdout"])
        assert got.pop("ours_first"), "%s: a rule of ours is not ahead of the others" % h.name
        if h.kind == "iptables":
            saved = {"ipv4": got.pop("saved_ipv4"), "ipv6": got.pop("saved_ipv6"), "sets": got.pop("saved_sets")}
            assert saved == got, "%s: saved files differ from the running firewall: %s" % (h.name, saved)
        out[h.name] = got
    return out


def port_check(hosts, source, targets):
    """webroot.enterprise.port_check from ``source``, through pytest-ansible."""
    result = getattr(hosts[source], "webroot.enterprise.port_check")(timeout=2, targets=targets)[source]
    assert not result.get("failed"), dict(result)
    return dict(((r["host"], r["port"]), r["state"]) for r in result["results"])


def test_tags_apply_one_component_then_the_example_playbook(lab, ansible_adhoc):
    hosts = ansible_adhoc(inventory=lab, become=False)
    run(["ansible-playbook", "-i", lab, "playbooks/site.yml", "--tags", "poll_now",
         "-e", "webroot_gather_facts=false"])
    assert held(hosts) == AFTER_TAGS

    run(["ansible-playbook", "-i", lab, "docs/examples/existing_playbook.yml"])
    assert held(hosts) == AFTER_EXAMPLE

    # Real connections. Nothing listens: an admitted port answers with a reset
    # (refused), a port the firewall drops stays silent (filtered).
    from_server = port_check(hosts, "wre-server1", [
        {"host": "198.18.50.31", "port": 50000, "expect": "refused"},
        {"host": "198.18.50.31", "port": 50001, "expect": "refused"},
        {"host": "198.18.50.31", "port": 50002, "expect": "refused"},
        {"host": "198.18.50.31", "port": 50003, "expect": "filtered"},
    ])
    assert from_server == {("198.18.50.31", 50000): "refused", ("198.18.50.31", 50001): "refused",
                           ("198.18.50.31", 50002): "refused", ("198.18.50.31", 50003): "filtered"}
    from_client = port_check(hosts, "wre-client1", [
        {"host": "198.18.50.21", "port": 50000, "expect": "filtered"},
        {"host": "198.18.50.21", "port": 50002, "expect": "filtered"},
    ])
    assert from_client == {("198.18.50.21", 50000): "filtered", ("198.18.50.21", 50002): "filtered"}

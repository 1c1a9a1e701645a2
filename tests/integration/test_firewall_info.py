# -*- coding: utf-8 -*-
# Copyright: (c) 2026, webroot.enterprise contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""webroot.enterprise.firewall_info run by Ansible for real, in lab containers.

Four throwaway containers of the lab image, with no network (``--network none``):
an iptables, a ufw and a firewalld host set up by lab/files/init.sh, plus a host
where firewalld is configured (a zone file) but not running. Rules of ours and
foreign rules are added with the firewalls' own tools, then ONE ad-hoc
``ansible -m webroot.enterprise.firewall_info`` (podman connection, the host's
/usr/bin/python3) reads them all; inventory aliases run it with a given backend
too. Expectations written by hand. The containers are removed at the end.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import subprocess
import time
import uuid

import pytest
import yaml

from conftest import ROOT, env, podman_available

pytestmark = pytest.mark.lab

IMAGE = "localhost/webroot-lab:latest"
CS = "webroot.enterprise client_service 50000/tcp in"
SN = "webroot.enterprise sweep_now 50001/tcp in"
US = "webroot.enterprise update_service 443/tcp out"

IPT_SETUP = r"""
set -e
ipset create webroot-client-service-v4 hash:net family inet
ipset add webroot-client-service-v4 198.18.10.21
ipset add webroot-client-service-v4 198.18.10.0/28
ipset create webroot-client-service-v6 hash:net family inet6
ipset add webroot-client-service-v6 2001:db8::5
ipset create fail2ban-sshd hash:ip
ipset add fail2ban-sshd 203.0.113.9
iptables -I INPUT 1 -p tcp -m set --match-set webroot-client-service-v4 src -m tcp --dport 50000 \
  -m comment --comment "webroot.enterprise client_service 50000/tcp in" -j ACCEPT
iptables -A INPUT -s 198.18.10.31/32 -p tcp --dport 50001 -m comment --comment "webroot.enterprise sweep_now 50001/tcp in" -j ACCEPT
iptables -A OUTPUT -d 198.18.10.5/32 -p tcp --dport 443 -m comment --comment "webroot.enterprise update_service 443/tcp out" -j ACCEPT
iptables -A INPUT -p udp --dport 53 -m comment --comment "dns, not webroot" -j ACCEPT
iptables -A INPUT -m set --match-set fail2ban-sshd src -j DROP
ip6tables -A INPUT -p tcp -m set --match-set webroot-client-service-v6 src -m tcp --dport 50000 \
  -m comment --comment "webroot.enterprise client_service 50000/tcp in" -j ACCEPT
ip6tables -A INPUT -p tcp --dport 22 -m comment --comment "lab: management" -j ACCEPT
"""

UFW_SETUP = r"""
set -e
ufw allow from 198.18.10.21 to any port 50000 proto tcp comment 'webroot.enterprise client_service 50000/tcp in'
ufw allow from 2001:db8::5 to any port 50000 proto tcp comment 'webroot.enterprise client_service 50000/tcp in'
ufw allow 50001/tcp comment 'webroot.enterprise sweep_now 50001/tcp in'
ufw allow out to 198.18.10.5 port 443 proto tcp comment 'webroot.enterprise update_service 443/tcp out'
ufw allow 8080/tcp comment 'app, not ours'
ufw deny from 203.0.113.9
"""

FWD_SETUP = r"""
set -e
c="firewall-cmd --permanent -q"
$c --new-service=webroot-client-service
$c --service=webroot-client-service --add-port=50000/tcp
$c --new-ipset=webroot-client-service-v4 --type=hash:net
$c --ipset=webroot-client-service-v4 --add-entry=198.18.10.21
$c --new-ipset=webroot-client-service-v6 --type=hash:net --option=family=inet6
$c --ipset=webroot-client-service-v6 --add-entry=2001:db8::5
$c --new-ipset=blocklist --type=hash:ip
$c --zone=public --add-rich-rule='rule family="ipv4" source ipset="webroot-client-service-v4" service name="webroot-client-service" accept'
$c --zone=public --add-rich-rule='rule family="ipv6" source ipset="webroot-client-service-v6" service name="webroot-client-service" accept'
$c --zone=public --add-rich-rule='rule family="ipv4" source ipset="blocklist" drop'
$c --zone=public --add-rich-rule='rule family="ipv4" source address="198.18.10.40" port port="8080" protocol="tcp" accept'
firewall-cmd -q --reload
firewall-cmd -q --zone=work --add-service=webroot-client-service
firewall-cmd -q --ipset=webroot-client-service-v4 --add-entry=198.18.10.99
"""

# firewalld installed and configured (a zone file of the host's own), not running.
STOPPED_CMD = ("mkdir -p /etc/firewalld/zones && cp /usr/lib/firewalld/zones/public.xml /etc/firewalld/zones/ "
               "&& touch /run/lab-ready && exec sleep infinity")

RICH_V4 = 'rule family="ipv4" source ipset="webroot-client-service-v4" service name="webroot-client-service" accept'
RICH_V6 = 'rule family="ipv6" source ipset="webroot-client-service-v6" service name="webroot-client-service" accept'


def podman(*args, **kw):
    return subprocess.run(["podman"] + list(args), env=env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          universal_newlines=True, timeout=kw.get("timeout", 60), check=kw.get("check", True)).stdout


@pytest.fixture(scope="module")
def hosts(tmp_path_factory):
    """{kind: container name}, set up and read once; removed at the end."""
    if not podman_available():
        pytest.skip("needs root and podman (scripts/lab-image.sh builds the lab image)")
    if subprocess.run(["podman", "image", "exists", IMAGE], env=env(), check=False).returncode != 0:
        pytest.skip("no lab image %s (make image)" % IMAGE)
    prefix = "wr-fwi-%s-" % uuid.uuid4().hex[:6]
    names = dict((k, prefix + k) for k in ("iptables", "ufw", "firewalld", "stopped"))
    try:
        for kind, name in names.items():
            cmd = ["/lab/init.sh", kind] if kind != "stopped" else ["sh", "-c", STOPPED_CMD]
            podman("run", "-d", "--name", name, "--network", "none", "--cap-add", "NET_ADMIN",
                   "--cap-add", "NET_RAW", "-v", "%s:/lab:ro,z" % os.path.join(ROOT, "lab", "files"), IMAGE, *cmd)
        deadline = time.time() + 60
        for name in names.values():
            while subprocess.run(["podman", "exec", name, "test", "-e", "/run/lab-ready"], env=env(),
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False).returncode:
                if time.time() > deadline:
                    raise AssertionError("%s not ready:\n%s" % (name, podman("logs", name, check=False)))
                time.sleep(0.3)
        for kind, script in (("iptables", IPT_SETUP), ("ufw", UFW_SETUP), ("firewalld", FWD_SETUP)):
            podman("exec", names[kind], "bash", "-c", script)
        yield names
    finally:
        for name in names.values():
            podman("rm", "-f", "-t", "0", name, check=False)


@pytest.fixture(scope="module")
def results(hosts, tmp_path_factory):
    """{inventory host: module result} of one ad-hoc run over every host."""
    inventory_hosts = {
        "ipt": {"ansible_host": hosts["iptables"]},
        "ufw": {"ansible_host": hosts["ufw"]},
        "fwd": {"ansible_host": hosts["firewalld"]},
        "stopped": {"ansible_host": hosts["stopped"]},
        # The same containers with a backend given.
        "ipt_as_firewalld": {"ansible_host": hosts["iptables"], "fwi_backend": "firewalld"},
        "ufw_as_iptables": {"ansible_host": hosts["ufw"], "fwi_backend": "iptables"},
        "stopped_as_firewalld": {"ansible_host": hosts["stopped"], "fwi_backend": "firewalld"},
    }
    inv = {"all": {"vars": {"ansible_connection": "containers.podman.podman",
                            "ansible_python_interpreter": "/usr/bin/python3"},
                   "hosts": inventory_hosts}}
    path = str(tmp_path_factory.mktemp("fwi") / "inventory.yml")
    with open(path, "w") as f:
        yaml.safe_dump(inv, f)
    e = env()
    e.update(ANSIBLE_COLLECTIONS_PATH=os.path.join(ROOT, ".cache", "collections"),
             ANSIBLE_STDOUT_CALLBACK="ansible.builtin.json", ANSIBLE_LOAD_CALLBACK_PLUGINS="1")
    proc = subprocess.run(["ansible", "-i", path, "all", "-m", "webroot.enterprise.firewall_info",
                           "-a", "backend={{ fwi_backend | default('auto') }}"],
                          cwd=ROOT, env=e, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          universal_newlines=True, timeout=120, check=False)
    try:
        return json.loads(proc.stdout)["plays"][0]["tasks"][0]["hosts"]
    except (ValueError, KeyError, IndexError):
        raise AssertionError("ansible rc %s:\n%s\n%s" % (proc.returncode, proc.stdout, proc.stderr))


def strip(rules):
    return [dict((k, v) for k, v in r.items() if k != "line") for r in rules]


def test_iptables(results, hosts):
    r = results["ipt"]
    assert not r.get("failed") and r["changed"] is False and r["backend"] == "iptables", r
    none = {"source": None, "destination": None, "match_set": None, "match_set_flags": None, "extra": []}
    # index: the place in its chain (INPUT: ours inserted first, then the lab's lo,
    # established and 22, then the rules appended above).
    assert strip(r["iptables"]["ipv4"]) == [
        dict(none, chain="INPUT", protocol="tcp", dport=50000, match_set="webroot-client-service-v4",
             match_set_flags="src", jump="ACCEPT", comment=CS, index=1),
        dict(none, chain="INPUT", protocol="tcp", dport=50001, source="198.18.10.31/32", jump="ACCEPT", comment=SN,
             index=5),
        dict(none, chain="OUTPUT", protocol="tcp", dport=443, destination="198.18.10.5/32", jump="ACCEPT", comment=US,
             index=1),
    ]
    assert strip(r["iptables"]["ipv6"]) == [
        dict(none, chain="INPUT", protocol="tcp", dport=50000, match_set="webroot-client-service-v6",
             match_set_flags="src", jump="ACCEPT", comment=CS, index=1)]
    # The rules that may drop one peer: the fail2ban set's DROP, 7th in INPUT.
    assert r["iptables"]["denies"] == {
        "ipv4": {"INPUT": [{"index": 7, "protocol": None, "ports": None,
                            "line": "-A INPUT -m set --match-set fail2ban-sshd src -j DROP"}], "OUTPUT": []},
        "ipv6": {"INPUT": [], "OUTPUT": []}}
    assert r["boot"] == {"plugins": [], "save_pending": False}
    # Each rule's line is the one iptables -S prints.
    printed = podman("exec", hosts["iptables"], "iptables", "-S").splitlines()
    assert all(rule["line"] in printed for rule in r["iptables"]["ipv4"])
    assert r["ipsets"] == {
        "webroot-client-service-v4": {"type": "hash:net", "family": "ipv4",
                                      "entries": ["198.18.10.0/28", "198.18.10.21"]},
        "webroot-client-service-v6": {"type": "hash:net", "family": "ipv6", "entries": ["2001:db8::5"]},
    }


def test_ufw(results):
    r = results["ufw"]
    assert not r.get("failed") and r["changed"] is False and r["backend"] == "ufw", r
    base = {"action": "allow", "direction": "in", "interface": None, "protocol": "tcp", "port": 50000,
            "from": "any", "from_port": None, "to": "any", "comment": CS}
    assert strip(r["ufw"]) == [
        dict(base, **{"from": "198.18.10.21"}),
        dict(base, port=50001, comment=SN),
        dict(base, direction="out", port=443, to="198.18.10.5", comment=US),
        dict(base, **{"from": "2001:db8::5"}),  # ufw lists IPv6 rules last
    ]
    assert r["ufw"][0]["line"] == ("ufw allow from 198.18.10.21 to any port 50000 proto tcp "
                                   "comment 'webroot.enterprise client_service 50000/tcp in'")


def test_firewalld(results):
    r = results["fwd"]
    assert not r.get("failed") and r["changed"] is False and r["backend"] == "firewalld", r
    fwd = r["firewalld"]
    assert fwd["default_zone"] == "public"
    none = {"services": [], "rich_rules": []}
    assert fwd["zones"]["public"] == {"permanent": {"services": [], "rich_rules": [RICH_V4, RICH_V6]},
                                      "runtime": {"services": [], "rich_rules": [RICH_V4, RICH_V6]}}
    assert fwd["zones"]["work"] == {"permanent": none,
                                    "runtime": {"services": ["webroot-client-service"], "rich_rules": []}}
    # Every zone is there, with nothing of ours in the others.
    assert {"block", "dmz", "drop", "external", "home", "internal", "public", "trusted", "work"} <= set(fwd["zones"])
    assert all(z == {"permanent": none, "runtime": none}
               for name, z in fwd["zones"].items() if name not in ("public", "work"))
    assert fwd["services"] == {"webroot-client-service": {"ports": ["50000/tcp"]}}
    assert fwd["ipsets"] == {
        "webroot-client-service-v4": {"type": "hash:net", "family": "ipv4", "entries": ["198.18.10.21"]},
        "webroot-client-service-v6": {"type": "hash:net", "family": "ipv6", "entries": ["2001:db8::5"]},
    }
    assert fwd["runtime_ipsets"] == {
        "webroot-client-service-v4": {"entries": ["198.18.10.21", "198.18.10.99"]},
        "webroot-client-service-v6": {"entries": ["2001:db8::5"]},
    }


def test_backend_given(results):
    r = results["ufw_as_iptables"]
    # ufw's own chains carry no comment of ours; its ipsets: none.
    assert not r.get("failed") and r["backend"] == "iptables", r
    assert r["iptables"]["ipv4"] == [] and r["iptables"]["ipv6"] == [], r
    assert r["ipsets"] == {}


@pytest.mark.parametrize("host,error,words", [
    # The action names the host (its inventory name) where the module says "this host".
    ("stopped", "auto-firewalld-stopped", "firewalld is installed and configured on stopped but is not running"),
    ("stopped_as_firewalld", "firewalld-stopped", "The backend is firewalld, but firewalld is not running"),
    # No system bus at all on an iptables host.
    ("ipt_as_firewalld", "firewalld-stopped", "The backend is firewalld, but firewalld is not running"),
])
def test_cannot_read(results, host, error, words):
    r = results[host]
    assert r.get("failed") and r["error"] == error and words in r["msg"], r

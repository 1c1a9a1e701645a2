# -*- coding: utf-8 -*-
# Copyright: (c) 2026, webroot.enterprise contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The action's apply path per backend, in the style of the network resource modules'
tests: given a read of the host and the role's plan, the module calls the action makes
(written here by hand, in order), and the idempotent twin: given the read of the host
after those calls (also written by hand, as the firewall shows it), no call at all.

The host is a recorder (FakeHost): it takes the module calls instead of sending them.
What the calls do to a real firewall is proven on the lab (tests/integration); here the
commands themselves are the specification (issue 26, item 2)."""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.webroot.enterprise.plugins.action import component_rules
from ansible_collections.webroot.enterprise.plugins.plugin_utils import backends
from ansible_collections.webroot.enterprise.plugins.plugin_utils import fw_iptables
from ansible_collections.webroot.enterprise.plugins.module_utils import fwread
from ansible_collections.webroot.enterprise.plugins.plugin_utils import rules as rules_lib

GROUPS = {"webroot_distributors": ["d1"], "webroot_servers": ["s1"], "webroot_clients": ["c1", "c2"],
          "webroot_update_endpoints": ["u1"]}
HOSTVARS = {"d1": {"ansible_host": "10.0.1.1"}, "s1": {"ansible_host": "10.0.2.1"},
            "c1": {"ansible_host": "10.0.0.1"}, "c2": {"ansible_host": "10.0.0.2"},
            "u1": {"ansible_host": "10.0.3.1"}}
CS = "webroot.enterprise client_service 50000/tcp in"
SAVE = {"ipv4": "/etc/iptables/rules.v4", "ipv6": None, "ipset": "/etc/iptables/ipsets"}
WITH_IPSET = {"plugins": ["10-ipset", "15-ip4tables", "25-ip6tables", "40-ipset"], "save_pending": False}


class FakeHost(object):
    """Records what the action sends; answers every module with an empty result."""
    name = "c1"

    def __init__(self):
        self.sent = []
        self.calls = []

    def module(self, name, args, what=None, check=False):
        self.sent.append((name, args))
        self.calls.append(what)
        return {}

    def put_file(self, content, dest):
        self.sent.append(("put_file", dest))

    @staticmethod
    def firewall_rule_module():
        return "community.windows.win_firewall_rule"


def plan(comp="client_service", host="c1", **settings):
    s = {"state": "present", "port": None, "peers": [], "any_peer": False}
    s.update(settings)
    return rules_lib.host_plan(comp, host, GROUPS, HOSTVARS, s)


def linux(backend, read, p=None, check=False, zone=None):
    host = FakeHost()
    found = backends.ours(backend, read)
    ops, _after = component_rules.apply_linux(host, backend, p or plan(), found, zone, check, SAVE)
    return host.sent, ops


# --- iptables -----------------------------------------------------------------

IPT_FRESH = {"iptables": {"ipv4": fwread.parse_iptables_rules("-P INPUT DROP\n-A INPUT -p tcp -m tcp --dport 22 -j ACCEPT\n"),
                          "ipv6": []}, "ipsets": {}, "boot": WITH_IPSET}
IPT_DONE_TEXT = ("-P INPUT DROP\n"
                 '-A INPUT -p tcp -m tcp --dport 50000 -m set --match-set webroot-client-service-v4 src '
                 '-m comment --comment "webroot.enterprise client_service 50000/tcp in" -j ACCEPT\n'
                 "-A INPUT -p tcp -m tcp --dport 22 -j ACCEPT\n")
IPT_DONE = {"iptables": {"ipv4": fwread.parse_iptables_rules(IPT_DONE_TEXT), "ipv6": []},
            "ipsets": {"webroot-client-service-v4": {"type": "hash:net", "family": "ipv4", "entries": ["10.0.2.1"]}},
            "boot": WITH_IPSET}


def test_iptables_first_run_commands():
    sent, _ops = linux("iptables", IPT_FRESH)
    names = [n for n, _a in sent]
    assert names == ["ansible.builtin.command", "webroot.enterprise.address_set", "ansible.builtin.iptables",
                     "ansible.builtin.command"]
    assert sent[0][1]["argv"][:3] == ["sh", "-c", fw_iptables.MARK_PENDING]
    assert sent[1][1] == {"name": "webroot-client-service-v4", "family": "ipv4", "entries": ["10.0.2.1/32"],
                          "provider": "ipset"}
    assert sent[2][1] == {"chain": "INPUT", "protocol": "tcp", "destination_port": "50000", "jump": "ACCEPT",
                          "comment": CS, "ip_version": "ipv4", "state": "present",
                          "match_set": "webroot-client-service-v4", "match_set_flags": "src", "action": "insert"}
    # The save for boot: sets first, then rules.v4, no rules.v6.
    assert sent[3][1]["argv"][3:] == ["sh", "/etc/iptables/ipsets", "/etc/iptables/rules.v4", "",
                                      "/var/lib/webroot-enterprise/iptables-save-pending"]


def test_iptables_idempotent_twin():
    sent, ops = linux("iptables", IPT_DONE)
    assert sent == [] and not ops["changed"]


def test_iptables_check_mode_sends_nothing_but_says_changed():
    sent, ops = linux("iptables", IPT_FRESH, check=True)
    assert sent == [] and ops["changed"]


def test_iptables_absent_removes_rule_then_set():
    sent, _ops = linux("iptables", IPT_DONE, p=plan(state="absent"))
    assert [(n, a.get("state")) for n, a in sent] == [
        ("ansible.builtin.command", None), ("ansible.builtin.iptables", "absent"),
        ("webroot.enterprise.address_set", "absent"), ("ansible.builtin.command", None)]
    assert sent[2][1] == {"name": "webroot-client-service-v4", "family": "ipv4", "provider": "ipset",
                          "state": "absent"}


# --- ufw ----------------------------------------------------------------------

UFW_DONE = {"ufw": fwread.parse_ufw_added("ufw allow from 10.0.2.1 to any port 50000 proto tcp comment '%s'\n" % CS)}


def test_ufw_first_run_commands():
    sent, _ops = linux("ufw", {"ufw": []})
    assert sent == [("community.general.ufw", {
        "rule": "allow", "direction": "in", "proto": "tcp", "from_ip": "10.0.2.1/32", "to_ip": "any",
        "to_port": "50000", "comment": CS, "insert": 0, "insert_relative_to": "first-ipv4"})]


def test_ufw_idempotent_twin():
    sent, ops = linux("ufw", UFW_DONE)
    assert sent == [] and not ops["changed"]


def test_ufw_a_peer_that_left_is_deleted():
    stale = fwread.parse_ufw_added("ufw allow from 10.0.2.1 to any port 50000 proto tcp comment '%s'\n"
                                   "ufw allow from 10.0.9.9 to any port 50000 proto tcp comment '%s'\n" % (CS, CS))
    sent, _ops = linux("ufw", {"ufw": stale})
    assert sent == [("community.general.ufw", {
        "rule": "allow", "direction": "in", "proto": "tcp", "from_ip": "10.0.9.9/32", "to_ip": "any",
        "to_port": "50000", "comment": CS, "delete": True})]


# --- firewalld ----------------------------------------------------------------

RICH = 'rule family="ipv4" source ipset="webroot-client-service-v4" service name="webroot-client-service" accept'


def fwd(rich=(), services=None, ipsets=None, runtime_ipsets=None, runtime_services=None):
    zone = {"services": ["ssh"], "rich_rules": list(rich)}
    read = {"default_zone": "public", "zones": {"public": {"permanent": zone, "runtime": zone}},
            "services": services or {}, "ipsets": ipsets or {}, "runtime_ipsets": runtime_ipsets or {}}
    if runtime_services is not None:
        read["runtime_services"] = runtime_services
    return {"firewalld": read}


def test_firewalld_first_run_commands():
    sent, _ops = linux("firewalld", fwd(runtime_services={}))
    assert sent == [
        ("put_file", "/etc/firewalld/services/webroot-client-service.xml"),
        ("webroot.enterprise.address_set", {"name": "webroot-client-service-v4", "family": "ipv4",
                                            "entries": ["10.0.2.1/32"], "provider": "firewalld"}),
        ("webroot.enterprise.firewalld_reload", {}),
        ("ansible.posix.firewalld", {"zone": "public", "permanent": True, "immediate": True, "state": "enabled",
                                     "rich_rule": RICH}),
    ]


def test_firewalld_idempotent_twin():
    sets = {"webroot-client-service-v4": {"entries": ["10.0.2.1"]}}
    svc = {"webroot-client-service": {"ports": ["50000/tcp"]}}
    sent, ops = linux("firewalld", fwd(rich=[RICH], services=svc, ipsets=sets, runtime_ipsets=sets,
                                       runtime_services=svc))
    assert sent == [] and not ops["changed"]


# --- Windows ------------------------------------------------------------------

NAME = "Webroot Enterprise - Client Service (TCP 50000 in)"


def windows(read, p=None, check=False):
    host = FakeHost()
    ops, _after = component_rules.apply_windows(host, p or plan(), read, ["domain", "private"], "", check)
    return host.sent, ops


def our_com_rule(name=NAME, remote="10.0.2.1/255.255.255.255"):
    """The rule as Windows holds it after win_firewall_rule created it (COM properties)."""
    return {"Name": name, "Description": rules_lib.component("client_service")["vendor"], "ApplicationName": None,
            "ServiceName": None, "Protocol": 6, "LocalPorts": "50000", "RemotePorts": "*", "LocalAddresses": "*",
            "RemoteAddresses": remote, "IcmpTypesAndCodes": None, "Direction": 1, "Enabled": True,
            "Profiles": 3, "Grouping": "Webroot Enterprise", "InterfaceTypes": "All", "Action": 1,
            "EdgeTraversal": False, "EdgeTraversalOptions": 0, "SecureFlags": 0}


WANTED = {"name": NAME, "group": "Webroot Enterprise", "description": rules_lib.component("client_service")["vendor"],
          "direction": "in", "action": "allow", "protocol": "tcp", "localport": "50000", "remoteport": "any",
          "localip": "any", "remoteip": "10.0.2.1/32", "program": "any", "service": "any",
          "profiles": ["domain", "private"], "interfacetypes": "any", "edge": "no", "enabled": True,
          "state": "present"}


def test_windows_first_run_commands():
    sent, _ops = windows({"Rules": []})
    assert sent == [("community.windows.win_firewall_rule", WANTED)]


def test_windows_idempotent_twin():
    sent, ops = windows({"Rules": [our_com_rule()]})
    assert sent == [] and not ops["changed"]


def test_windows_a_chunk_left_with_departed_addresses_only_is_removed():
    read = {"Rules": [our_com_rule(), our_com_rule(name=NAME + " #2", remote="10.0.9.9/255.255.255.255")]}
    sent, _ops = windows(read)
    assert sent == [("community.windows.win_firewall_rule", {"name": NAME + " #2", "state": "absent"})]


def test_windows_an_address_stays_in_the_rule_that_holds_it():
    # Stable chunks: "#2" keeps 10.0.2.1 (no rewrite, no moment without it); the first
    # rule, holding only a departed address, goes.
    read = {"Rules": [our_com_rule(remote="10.0.9.9/255.255.255.255"), our_com_rule(name=NAME + " #2")]}
    sent, _ops = windows(read)
    assert sent == [("community.windows.win_firewall_rule", {"name": NAME, "state": "absent"})]


def test_windows_duplicates_of_ours_removed_then_created():
    sent, _ops = windows({"Rules": [our_com_rule(), our_com_rule()]})
    assert sent == [("community.windows.win_firewall_rule", {"name": NAME, "state": "absent"}),
                    ("community.windows.win_firewall_rule", WANTED)]

# -*- coding: utf-8 -*-
# Copyright: (c) 2026, webroot.enterprise contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""An address a run cannot learn never removes what the firewall admits (issue 24,
item 1): a DNS lookup that timed out or failed on the server's side, or facts that
could not be gathered, make a host *unknown*: nothing is removed from the scopes it
belongs to this run, the known hosts are added. A definitive answer (no address
anywhere, NXDOMAIN) leaves it out, and removal goes on. Expectations by hand; the
resolver is a stand-in (no name is sent to a real resolver)."""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import socket

from ansible_collections.webroot.enterprise.plugins.plugin_utils import backends
from ansible_collections.webroot.enterprise.plugins.plugin_utils import fw_firewalld
from ansible_collections.webroot.enterprise.plugins.plugin_utils import fw_iptables
from ansible_collections.webroot.enterprise.plugins.plugin_utils import fw_ufw
from ansible_collections.webroot.enterprise.plugins.plugin_utils import fw_windows
from ansible_collections.webroot.enterprise.plugins.plugin_utils import estate as estate_lib
from ansible_collections.webroot.enterprise.plugins.plugin_utils import rules as rules_lib
from ansible_collections.webroot.enterprise.plugins.plugin_utils.hostvars import HostvarsCache
from ansible_collections.webroot.enterprise.plugins.plugin_utils import resolve as resolve_lib

GROUPS = {"webroot_distributors": ["d1"], "webroot_servers": ["s1"],
          "webroot_clients": ["c1", "c2", "c3", "c4"], "webroot_update_endpoints": ["u1"]}
# c1, c2 by IP; c3, c4 by name (an AD inventory).
HV = {"d1": {"webroot_address": "198.18.120.11"}, "s1": {"webroot_address": "198.18.120.21"},
      "c1": {"ansible_host": "198.18.120.31"}, "c2": {"ansible_host": "198.18.120.32"},
      "c3": {"ansible_host": "c3.corp.example"}, "c4": {"ansible_host": "c4.corp.example"},
      "u1": {"webroot_address": "198.18.120.41"}}


def stand_in(answers):
    """getaddrinfo's stand-in: an address, or the gaierror to raise for a name."""
    def resolver(name, port, family, kind):
        answer = answers[name]
        if isinstance(answer, Exception):
            raise answer
        return [(socket.AF_INET, kind, 6, "", (answer, 0))]
    return resolver


AGAIN = socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")
NONAME = socket.gaierror(socket.EAI_NONAME, "Name or service not known")


def test_a_server_failure_is_unknown_and_nxdomain_is_left_out():
    out = resolve_lib.resolve(["a", "b", "c"], resolver=stand_in({"a": "198.18.120.5", "b": AGAIN, "c": NONAME}))
    assert out["a"] == ("198.18.120.5/32", None)
    assert isinstance(out["b"][1], rules_lib.Transient) and out["b"][0] is None
    assert not isinstance(out["c"][1], rules_lib.Transient) and out["c"][0] is None


def validate_with(answers, **kw):
    def resolver(names):
        return resolve_lib.resolve(names, resolver=stand_in(answers))
    return estate_lib.validate(GROUPS, HV, resolver=resolver, **kw)


def test_the_estate_tells_unknown_from_left_out():
    out = validate_with({"c3.corp.example": AGAIN, "c4.corp.example": NONAME})
    assert out["errors"] == []
    assert sorted(out["unknown"]) == ["c3"] and "Temporary failure" in out["unknown"]["c3"]
    assert sorted(out["left_out"]) == ["c4"]


def test_facts_that_could_not_be_gathered_are_unknown_and_a_host_outside_the_limit_too():
    hv = dict(HV, c3={"ansible_host": "c3.corp.example", "webroot_facts": {"unreachable": True, "msg": "timed out"}},
              c4={"ansible_host": "c4.corp.example"})
    groups = GROUPS
    out = estate_lib.validate(groups, hv, resolver=None, not_in_run=["c4"])
    assert sorted(out["unknown"]) == ["c3", "c4"] and out["left_out"] == {}
    assert "could not be gathered this run (unreachable: timed out)" in out["unknown"]["c3"]
    assert "not in this run" in out["unknown"]["c4"]
    # Without facts wanted nor a resolver, nothing gives c4 an address: left out.
    assert sorted(estate_lib.validate(groups, hv, resolver=None)["left_out"]) == ["c4"]


def plan_of(comp, host, estate):
    cache = HostvarsCache(HV, addresses=estate["addresses"])
    cache.why.update(estate["left_out"])
    cache.unknown.update(estate["unknown"])
    return rules_lib.host_plan(comp, host, GROUPS, cache, {"state": "present", "port": None, "peers": [],
                                                           "any_peer": False, "strict": False})


def test_the_plan_names_unknown_and_left_out_hosts_per_rule():
    estate = validate_with({"c3.corp.example": AGAIN, "c4.corp.example": NONAME})
    (rule,) = plan_of("client_service", "s1", estate)["rules"]
    assert rule["peers"] == ["198.18.120.31/32", "198.18.120.32/32"]
    assert rule["unknown"] == ["c3"] and rule["left_out"] == ["c4"]


def ipt(chain, dport, comment, match_set=None, flags=None):
    return {"chain": chain, "protocol": "tcp", "dport": dport, "source": None, "destination": None,
            "match_set": match_set, "match_set_flags": flags, "jump": "ACCEPT", "comment": comment, "line": "-A"}


MARK = "webroot.enterprise client_service 50000/tcp in"
SET = "webroot-client-service-v4"
# Last night every workstation was known: .31 .32 .33 .34 (and .40, retired since).
HELD = ["198.18.120.31", "198.18.120.33", "198.18.120.34", "198.18.120.40"]
IPT = {"iptables": {"ipv4": [ipt("INPUT", 50000, MARK, match_set=SET, flags="src")]},
       "ipsets": {SET: {"type": "hash:net", "family": "ipv4", "entries": HELD}}}


def test_iptables_keeps_every_peer_of_a_scope_with_an_unknown_host_and_adds_the_known():
    estate = validate_with({"c3.corp.example": AGAIN, "c4.corp.example": AGAIN})
    plan = plan_of("client_service", "s1", estate)
    ops = fw_iptables.ops(plan, backends.ours("iptables", IPT))
    # .32 is added; .33, .34 (c3, c4 unknown) and even .40 stay: nothing removed.
    assert ops["sets"] == [{"name": SET, "family": "ipv4", "entries": [
        "198.18.120.31/32", "198.18.120.32/31", "198.18.120.34/32", "198.18.120.40/32"]}]
    assert ops["remove"] == [] and ops["sets_absent"] == [] and ops["add"] == []
    assert ops["kept"] == {"in": ["198.18.120.33/32", "198.18.120.34/32", "198.18.120.40/32"]}
    # The next night knows everyone: .40 (no host claims it) goes.
    estate = validate_with({"c3.corp.example": "198.18.120.33", "c4.corp.example": "198.18.120.34"})
    ops = fw_iptables.ops(plan_of("client_service", "s1", estate), backends.ours("iptables", IPT))
    assert ops["sets"] == [{"name": SET, "family": "ipv4",
                            "entries": ["198.18.120.31/32", "198.18.120.32/31", "198.18.120.34/32"]}]
    assert ops["kept"] == {}


def test_a_left_out_host_does_not_hold_back_removals():
    estate = validate_with({"c3.corp.example": NONAME, "c4.corp.example": "198.18.120.34"})
    ops = fw_iptables.ops(plan_of("client_service", "s1", estate), backends.ours("iptables", IPT))
    assert ops["sets"] == [{"name": SET, "family": "ipv4", "entries": [
        "198.18.120.31/32", "198.18.120.32/32", "198.18.120.34/32"]}]


def test_every_peer_unknown_keeps_the_rule_and_its_set():
    # Sweep Now on a workstation: its only peer, the server, does not resolve this time.
    hv = dict(HV, s1={"ansible_host": "s1.corp.example"})
    cache = HostvarsCache(hv, resolved={"s1": (None, rules_lib.Transient("s1.corp.example did not resolve within 10 s"))})
    plan = rules_lib.host_plan("sweep_now", "c1", GROUPS, cache, {"state": "present", "peers": [], "any_peer": False,
                                                                  "strict": False})
    assert plan["rules"][0]["peers"] == [] and plan["rules"][0]["unknown"] == ["s1"]
    mark = "webroot.enterprise sweep_now 50001/tcp in"
    read = {"iptables": {"ipv4": [ipt("INPUT", 50001, mark, match_set="webroot-sweep-now-v4", flags="src")]},
            "ipsets": {"webroot-sweep-now-v4": {"type": "hash:net", "family": "ipv4", "entries": ["198.18.120.21"]}}}
    ops = fw_iptables.ops(plan, backends.ours("iptables", read))
    assert not ops["changed"] and ops["remove"] == [] and ops["sets_absent"] == []
    # The same with the definitive answer: the rule goes (a host with no address).
    cache = HostvarsCache(hv, resolved={"s1": (None, "s1.corp.example does not resolve")})
    plan = rules_lib.host_plan("sweep_now", "c1", GROUPS, cache, {"state": "present", "peers": [], "any_peer": False,
                                                                  "strict": False})
    ops = fw_iptables.ops(plan, backends.ours("iptables", read))
    assert len(ops["remove"]) == 1 and [s["name"] for s in ops["sets_absent"]] == ["webroot-sweep-now-v4"]


def test_firewalld_keeps_the_set_entries():
    rich = 'rule family="ipv4" source ipset="%s" service name="webroot-client-service" accept' % SET
    both = {"services": [], "rich_rules": [rich]}
    read = {"firewalld": {"default_zone": "public", "zones": {"public": {"permanent": both, "runtime": both}},
                          "services": {"webroot-client-service": {"ports": ["50000/tcp"]}},
                          "ipsets": {SET: {"entries": HELD}}, "runtime_ipsets": {SET: {"entries": HELD}}}}
    estate = validate_with({"c3.corp.example": AGAIN, "c4.corp.example": AGAIN})
    ops = fw_firewalld.ops(plan_of("client_service", "s1", estate), backends.ours("firewalld", read), zone="public")
    assert ops["remove"] == [] and ops["sets_absent"] == []
    assert ops["sets"] == [{"name": SET, "family": "ipv4", "entries": [
        "198.18.120.31/32", "198.18.120.32/31", "198.18.120.34/32", "198.18.120.40/32"]}]


def test_ufw_removes_no_peer_rule():
    def rule(peer):
        return {"action": "allow", "direction": "in", "protocol": "tcp", "port": 50000, "from": peer, "to": "any",
                "comment": MARK, "line": "ufw"}
    read = {"ufw": [rule(a) for a in HELD]}
    estate = validate_with({"c3.corp.example": AGAIN, "c4.corp.example": NONAME})
    ops = fw_ufw.ops(plan_of("client_service", "s1", estate), backends.ours("ufw", read))
    assert [r["peer"] for r in ops["add"]] == ["198.18.120.32/32"]
    assert ops["remove"] == []
    # All known again (c3 answers, c4 has no address): .34 and .40 go, .32 and .33
    # become one rule (.32/31, added before .33's own rule goes).
    estate = validate_with({"c3.corp.example": "198.18.120.33", "c4.corp.example": NONAME})
    ops = fw_ufw.ops(plan_of("client_service", "s1", estate), backends.ours("ufw", read))
    assert [r["peer"] for r in ops["add"]] == ["198.18.120.32/31"]
    assert sorted(r["peer"] for r in ops["remove"]) == ["198.18.120.33/32", "198.18.120.34/32", "198.18.120.40/32"]


def com(name, remote):
    return {"Name": name, "Grouping": "Webroot Enterprise", "Action": 1, "RemoteAddresses": remote, "Direction": 1}


def test_windows_rewrites_no_rule_to_fewer_addresses():
    name = "Webroot Enterprise - Client Service (TCP 50000 in)"
    read = {"Rules": [com(name, ",".join(a + "/255.255.255.255" for a in HELD[:2])),
                      com(name + " #2", ",".join(a + "/255.255.255.255" for a in HELD[2:]))]}
    estate = validate_with({"c3.corp.example": AGAIN, "c4.corp.example": AGAIN})

    def args_of(chunk):
        return {"remoteip": chunk["remoteip"]}

    def differences(args, rule):
        return [] if sorted(args["remoteip"].split(",")) == sorted(fw_windows.remote_networks(rule["RemoteAddresses"])) \
            else ["remoteip"]
    ops = fw_windows.windows_ops(plan_of("client_service", "s1", estate), read, "client_service", args_of, differences,
                                 max_addresses=2)
    assert ops["stale"] == []
    # Each rule keeps what it holds; the new .32 gets a third rule.
    assert [(c["windows_name"], c["remoteip"]) for c in ops["chunks"]] == [
        (name, "198.18.120.31/32,198.18.120.33/32"), (name + " #2", "198.18.120.34/32,198.18.120.40/32"),
        (name + " #3", "198.18.120.32/32")]
    assert [c["windows_name"] for c, _a in ops["write"]] == [name + " #3"]
    assert ops["kept"] == {"in": ["198.18.120.33/32", "198.18.120.34/32", "198.18.120.40/32"]}

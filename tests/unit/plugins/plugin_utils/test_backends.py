# -*- coding: utf-8 -*-
# Copyright: (c) 2026, webroot.enterprise contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The plan (aggregation, validation) and the backend changes, with expectations
written by hand."""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.webroot.enterprise.plugins.plugin_utils import backends
from ansible_collections.webroot.enterprise.plugins.plugin_utils import fw_common
from ansible_collections.webroot.enterprise.plugins.plugin_utils import fw_firewalld
from ansible_collections.webroot.enterprise.plugins.plugin_utils import fw_iptables
from ansible_collections.webroot.enterprise.plugins.plugin_utils import fw_ufw
from ansible_collections.webroot.enterprise.plugins.plugin_utils import fw_windows
from ansible_collections.webroot.enterprise.plugins.plugin_utils import rules as rules_lib

GROUPS = {
    "webroot_distributors": ["d1"],
    "webroot_servers": ["s1"],
    "webroot_clients": ["c1", "c2", "c3", "c4", "c9"],
    "webroot_update_endpoints": ["u1"],
}
HOSTVARS = {
    "d1": {"ansible_host": "10.0.1.1"}, "s1": {"ansible_host": "10.0.2.1"},
    "c1": {"ansible_host": "10.0.0.1"}, "c2": {"ansible_host": "10.0.0.2"},
    "c3": {"ansible_host": "10.0.0.3"}, "c4": {"ansible_host": "10.0.0.4"},
    "c9": {"ansible_host": "10.0.0.9"}, "u1": {"ansible_host": "10.0.3.1"},
}


def plan(comp, host, **settings):
    s = {"state": "present", "port": None, "peers": [], "any_peer": False}
    s.update(settings)
    return rules_lib.host_plan(comp, host, GROUPS, HOSTVARS, s)


def test_aggregate_is_exact():
    assert rules_lib.aggregate(["10.0.0.1/32", "10.0.0.2/32", "10.0.0.3/32", "10.0.0.4/32", "10.0.0.9/32"]) == [
        "10.0.0.1/32", "10.0.0.2/31", "10.0.0.4/32", "10.0.0.9/32"]
    assert rules_lib.aggregate(["10.0.0.0/32", "10.0.0.1/32", "10.0.0.2/32", "10.0.0.3/32"]) == ["10.0.0.0/30"]
    assert rules_lib.aggregate(["2001:db8::1/128", "10.0.0.0/24", "10.0.0.7/32"]) == ["10.0.0.0/24", "2001:db8::1/128"]


def test_plan_of_a_distributor_aggregates_the_workstations():
    p = plan("update_distributor", "d1")
    assert p["component"] == "update_distributor" and p["port"] == 50003 and p["state"] == "present"
    (rule,) = p["rules"]
    assert rule["direction"] == "in"
    assert rule["peers"] == ["10.0.0.1/32", "10.0.0.2/31", "10.0.0.4/32", "10.0.0.9/32"]


def test_absent_needs_no_peer_address():
    hv = dict(HOSTVARS, c1={})   # c1's address is unknown
    p = rules_lib.host_plan("update_distributor", "d1", GROUPS, hv,
                            {"state": "absent", "port": None, "peers": [], "any_peer": False})
    assert p["rules"] == [] and p["state"] == "absent"
    with pytest.raises(rules_lib.RuleError, match="cannot tell the address of c1"):
        rules_lib.host_plan("update_distributor", "d1", GROUPS, hv,
                            {"state": "present", "port": None, "peers": [], "any_peer": False})


def test_plan_refuses_misspelt_variables_and_management_ports():
    with pytest.raises(rules_lib.RuleError, match="Unknown variable.*sweep_now_source"):
        rules_lib.host_plan("sweep_now", "c1", GROUPS, HOSTVARS, {"state": "present"},
                            given_vars=["sweep_now_source"], known_vars=["sweep_now_sources", "sweep_now_state"])
    with pytest.raises(rules_lib.RuleError, match="sweep_now_port 2222 is a management port"):
        rules_lib.host_plan("sweep_now", "c1", GROUPS, HOSTVARS, {"state": "present", "port": "2222"},
                            management_port=2222)
    with pytest.raises(rules_lib.RuleError, match="sweep_now_port 5986 is a management port"):
        rules_lib.host_plan("sweep_now", "c1", GROUPS, HOSTVARS, {"state": "present", "port": 5986})
    # Outbound only (443 from the distributors): the management port is not at stake.
    assert rules_lib.host_plan("update_service", "d1", GROUPS, HOSTVARS, {"state": "present", "port": 22})["port"] == 22


def ipt(chain, dport, comment, jump="ACCEPT", match_set=None, flags=None, source=None, destination=None):
    """One rule as webroot.enterprise.firewall_info returns it (written by hand)."""
    return {"chain": chain, "protocol": "tcp", "dport": dport, "source": source, "destination": destination,
            "match_set": match_set, "match_set_flags": flags, "jump": jump, "comment": comment, "line": "-A ..."}


MARK = "webroot.enterprise update_distributor 50003/tcp in"
IPT_READ = {"backend": "iptables", "iptables": {"ipv4": [
    # 0.1.0's per-peer rule: ours, stale.
    ipt("INPUT", 50003, MARK, source="10.0.0.1/32"),
    ipt("INPUT", 50003, MARK, match_set="webroot-update-distributor-v4", flags="src"),
    # Not ours: a DROP with our comment, and an ACCEPT whose comment merely starts like ours.
    ipt("INPUT", 50003, MARK, jump="DROP"),
    ipt("INPUT", 22, "webroot.enterprise sweep_now jump"),
    ipt("INPUT", 22, "webroot.enterprise sweep_now 22/tcp in"),
], "ipv6": []}, "ipsets": {
    "webroot-update-distributor-v4": {"type": "hash:net", "family": "ipv4", "entries": ["10.0.0.1", "10.0.0.8/31"]},
    "theirs": {"type": "hash:net", "family": "ipv4", "entries": ["10.0.0.1"]},
}}


def test_iptables_ops_from_one_read():
    found = backends.ours("iptables", IPT_READ)
    ops = fw_iptables.ops(plan("update_distributor", "d1"), found)
    # The set is brought to the plan's entries; the set rule stays; the 0.1.0
    # per-peer rule goes; nothing of anyone else's is named.
    assert ops["sets"] == [{"name": "webroot-update-distributor-v4", "family": "ipv4",
                            "entries": ["10.0.0.1/32", "10.0.0.2/31", "10.0.0.4/32", "10.0.0.9/32"]}]
    assert ops["add"] == []
    assert [(r["peer"], r["match_set"]) for r in ops["remove"]] == [("10.0.0.1/32", None)]
    assert ops["sets_absent"] == [] and ops["changed"]
    assert ops["diff"] == {
        "before": ["ipv4 INPUT 50003/tcp from 10.0.0.1/32",
                   "ipv4 INPUT 50003/tcp from set webroot-update-distributor-v4",
                   "webroot-update-distributor-v4: 10.0.0.1/32",
                   "webroot-update-distributor-v4: 10.0.0.8/31"],
        "after": ["ipv4 INPUT 50003/tcp from set webroot-update-distributor-v4",
                  "webroot-update-distributor-v4: 10.0.0.1/32",
                  "webroot-update-distributor-v4: 10.0.0.2/31",
                  "webroot-update-distributor-v4: 10.0.0.4/32",
                  "webroot-update-distributor-v4: 10.0.0.9/32"]}


def test_iptables_ours_is_the_exact_marker_on_its_chain_and_port_never_a_management_port():
    found = backends.ours("iptables", IPT_READ)
    # Only the two ACCEPT rules on 50003 with the exact marker; the SSH rules stay foreign,
    # so state absent of sweep_now can never remove them.
    assert [(r["port"], r["peer"], r["match_set"]) for r in found["update_distributor"]["rules"]] == [
        (50003, "10.0.0.1/32", None), (50003, None, "webroot-update-distributor-v4")]
    assert found["sweep_now"]["rules"] == []
    ops = fw_iptables.ops(plan("sweep_now", "c1", state="absent"), found)
    assert ops["remove"] == [] and not ops["changed"]
    # The exact marker on the wrong chain or port is not ours either.
    other = {"iptables": {"ipv4": [ipt("OUTPUT", 50003, MARK), ipt("INPUT", 50004, MARK)]}}
    assert backends.ours("iptables", other)["update_distributor"]["rules"] == []


def test_iptables_a_foreign_rule_using_our_set_blocks_its_removal():
    read = {"iptables": {"ipv4": [
        ipt("INPUT", 50003, MARK, match_set="webroot-update-distributor-v4", flags="src"),
        ipt("INPUT", 50003, "admin: log them", jump="LOG", match_set="webroot-update-distributor-v4", flags="src"),
    ]}, "ipsets": {"webroot-update-distributor-v4": {"type": "hash:net", "family": "ipv4", "entries": ["10.0.0.1"]}}}
    found = backends.ours("iptables", read)
    with pytest.raises(fw_common.ForeignConflict, match="webroot-update-distributor-v4"):
        fw_iptables.ops(plan("update_distributor", "d1", state="absent"), found)


def test_iptables_nothing_to_do_when_the_read_matches():
    read = {"iptables": {"ipv4": [ipt("INPUT", 50003, MARK, match_set="webroot-update-distributor-v4", flags="src")]},
            "ipsets": {"webroot-update-distributor-v4": {"type": "hash:net", "family": "ipv4", "entries": [
                "10.0.0.1", "10.0.0.2/31", "10.0.0.4", "10.0.0.9"]}}}
    ops = fw_iptables.ops(plan("update_distributor", "d1"), backends.ours("iptables", read))
    assert not ops["changed"] and ops["add"] == [] and ops["remove"] == [] and ops["sets"] == []


def test_iptables_absent_removes_rule_and_set():
    ops = fw_iptables.ops(plan("update_distributor", "d1", state="absent"), backends.ours("iptables", IPT_READ))
    assert len(ops["remove"]) == 2 and ops["add"] == []
    assert [s["name"] for s in ops["sets_absent"]] == ["webroot-update-distributor-v4"]


RICH = 'rule family="ipv4" source ipset="webroot-update-distributor-v4" service name="webroot-update-distributor" accept'


def fwd_read(zones, default="public", services=None, ipsets=None, runtime=None):
    return {"firewalld": {"default_zone": default, "zones": dict(
        (z, {"permanent": p, "runtime": p}) for z, p in zones.items()),
        "services": services or {}, "ipsets": ipsets or {}, "runtime_ipsets": runtime or {}}}


def test_firewalld_ops():
    read = fwd_read({"public": {"services": ["ssh"], "rich_rules": [
        'rule family="ipv4" source address="10.0.0.1" service name="webroot-update-distributor" accept',
        'rule family="ipv4" source address="10.9.9.9" port port="50003" protocol="tcp" accept']}},
        services={"webroot-update-distributor": {"ports": ["50003/tcp"]}})
    found = backends.ours("firewalld", read)
    assert found["_default_zone"] == "public"
    ops = fw_firewalld.ops(plan("update_distributor", "d1"), found, zone="public")
    assert [r["rich_rule"] for r in ops["add"]] == [RICH]
    # The per-address rule naming our service is not the exact rule we write: foreign,
    # never removed (an admin's rule), and it keeps our service from being removed.
    assert ops["remove"] == []
    assert found["_foreign_refs"] == ["webroot-update-distributor"]
    assert [s["name"] for s in ops["sets"]] == ["webroot-update-distributor-v4"]
    assert not ops["service_define"] and not ops["service_remove"]


def test_firewalld_a_deny_rule_naming_our_service_is_kept_and_blocks_removal():
    deny = 'rule family="ipv4" source address="198.51.100.66" service name="webroot-update-distributor" reject'
    read = fwd_read({"public": {"services": [], "rich_rules": [RICH, deny]}},
                    services={"webroot-update-distributor": {"ports": ["50003/tcp"]}},
                    ipsets={"webroot-update-distributor-v4": {"entries": ["10.0.0.1"]}},
                    runtime={"webroot-update-distributor-v4": {"entries": ["10.0.0.1"]}})
    found = backends.ours("firewalld", read)
    assert [r["rich_rule"] for r in found["update_distributor"]["rules"]] == [RICH]
    with pytest.raises(fw_common.ForeignConflict, match="webroot-update-distributor"):
        fw_firewalld.ops(plan("update_distributor", "d1", state="absent"), found, zone="public")


def test_firewalld_our_rule_in_another_zone_is_stale():
    read = fwd_read({"public": {"services": [], "rich_rules": []},
                     "internal": {"services": [], "rich_rules": [RICH]}},
                    services={"webroot-update-distributor": {"ports": ["50003/tcp"]}})
    ops = fw_firewalld.ops(plan("update_distributor", "d1"), backends.ours("firewalld", read), zone="public")
    assert [(r["zone"], r["rich_rule"]) for r in ops["add"]] == [("public", RICH)]
    assert [(r["zone"], r["rich_rule"]) for r in ops["remove"]] == [("internal", RICH)]


def test_ufw_ops_per_aggregated_peer():
    def rule(peer, comment=MARK, action="allow", port=50003):
        return {"action": action, "direction": "in", "protocol": "tcp", "port": port, "from": peer, "to": "any",
                "comment": comment, "line": "ufw ..."}
    read = {"ufw": [rule("any", "lab: management", port=22), rule("10.0.0.1"), rule("10.0.0.3"),
                    rule("10.0.0.5", action="deny"), rule("any", "webroot.enterprise sweep_now 22/tcp in", port=22)]}
    found = backends.ours("ufw", read)
    ops = fw_ufw.ops(plan("update_distributor", "d1"), found)
    assert sorted(r["peer"] for r in ops["add"]) == ["10.0.0.2/31", "10.0.0.4/32", "10.0.0.9/32"]
    assert [r["peer"] for r in ops["remove"]] == ["10.0.0.3/32"]
    assert found["sweep_now"]["rules"] == []


def test_windows_chunks_at_1000_with_stable_names():
    peers = ["10.%d.%d.%d/32" % (i // 65536, (i // 256) % 256, i % 256) for i in range(0, 5000, 2)]  # 2,500, none adjacent
    p = {"component": "client_service", "rules": [dict(
        plan("client_service", "s1")["rules"][0], peers=peers)]}
    chunks = fw_windows.windows_chunks(p)
    assert [c["windows_name"] for c in chunks] == [
        "Webroot Enterprise - Client Service (TCP 50000 in)",
        "Webroot Enterprise - Client Service (TCP 50000 in) #2",
        "Webroot Enterprise - Client Service (TCP 50000 in) #3"]
    assert [len(c["remoteip"].split(",")) for c in chunks] == [1000, 1000, 500]


def test_windows_chunks_are_sticky_so_no_address_moves():
    name = "Webroot Enterprise - Client Service (TCP 50000 in)"
    p = {"component": "client_service", "rules": [dict(
        plan("client_service", "s1")["rules"][0], peers=["10.0.0.1/32", "10.0.0.3/32", "10.0.0.5/32", "10.0.0.7/32"])]}
    # On the host: .3 and .5 in the first rule, .7 in the second; .9 is gone; .1 is new.
    current = {name.lower(): ["10.0.0.3/32", "10.0.0.5/32", "10.0.0.9/32"], (name + " #2").lower(): ["10.0.0.7/32"]}
    chunks = fw_windows.windows_chunks(p, current, max_addresses=3)
    assert [(c["windows_name"], c["remoteip"]) for c in chunks] == [
        (name, "10.0.0.1/32,10.0.0.3/32,10.0.0.5/32"), (name + " #2", "10.0.0.7/32")]


def com(name, group="Webroot Enterprise", action=1, remote="10.0.2.1/255.255.255.255"):
    return {"Name": name, "Grouping": group, "Action": action, "RemoteAddresses": remote, "Direction": 1}


def test_windows_ops_case_insensitive_stale_and_foreign():
    p = plan("client_service", "s1")
    read = {"Rules": [
        com("Webroot Enterprise - Client Service (TCP 50000 in)"),
        com("Webroot Enterprise - Client Service (TCP 50000 in) #2"),
        com("webroot enterprise - client service (tcp 50000 in) #2", group="Theirs"),
        com("Webroot Enterprise - Sweep Now (TCP 50001 in)"),
    ]}
    ops = fw_windows.windows_ops(p, read, "client_service", lambda c: {"remoteip": c["remoteip"]}, lambda a, r: [])
    assert ops["stale"] == ["Webroot Enterprise - Client Service (TCP 50000 in) #2"]
    # the foreign rule carries the stale name in another case: the module would remove it too
    assert ops["foreign"] == ["has a rule named 'webroot enterprise - client service (tcp 50000 in) #2' in group 'Theirs'"]
    assert ops["heal"] == []


CS = "Webroot Enterprise - Client Service (TCP 50000 in)"


def test_windows_duplicates_of_ours_are_removed_then_created_once():
    # Two runs at once both created the rule (issue 25): every rule of the name goes
    # (the module's state=absent removes all it selects), then one is created.
    p = plan("client_service", "c1")
    read = {"Rules": [com(CS), com(CS.lower())]}
    ops = fw_windows.windows_ops(p, read, "client_service", lambda c: {"name": c["windows_name"], "remoteip": c["remoteip"]},
                                 lambda a, r: [])
    assert ops["foreign"] == []
    assert ops["heal"] == [CS]
    assert ops["write"] == [
        (ops["chunks"][0], {"name": CS, "state": "absent"}),
        (ops["chunks"][0], {"name": CS, "remoteip": "10.0.2.1/32"}),
    ]
    assert ops["stale"] == [] and ops["changed"] is True
    assert ops["diff"]["before"] == ["%s: 10.0.2.1/32" % CS, "%s: 10.0.2.1/32" % CS.lower()]
    assert ops["diff"]["after"] == ["%s: 10.0.2.1/32" % CS]


def test_windows_duplicates_healed_once_give_no_call():
    # The idempotent twin: the read after those two calls.
    p = plan("client_service", "c1")
    ops = fw_windows.windows_ops(p, {"Rules": [com(CS)]}, "client_service", lambda c: {"remoteip": c["remoteip"]},
                                 lambda a, r: [])
    assert (ops["write"], ops["stale"], ops["heal"], ops["changed"]) == ([], [], [], False)


def test_windows_duplicate_name_with_a_rule_of_someone_else_is_refused_not_healed():
    p = plan("client_service", "c1")
    read = {"Rules": [com(CS), com(CS, group="Contoso Tools")]}
    ops = fw_windows.windows_ops(p, read, "client_service", lambda c: {"remoteip": c["remoteip"]}, lambda a, r: [])
    assert ops["heal"] == []
    assert ops["foreign"] == ["has a rule named '%s' in group 'Contoso Tools'" % CS]


def test_windows_duplicates_keep_every_address_either_admits_while_a_peer_is_unknown():
    # A server's address could not be learnt this run: what either duplicate admits is kept.
    p = plan("client_service", "c1")
    p["rules"][0]["unknown"] = ["s9"]
    read = {"Rules": [com(CS, remote="10.0.9.1/255.255.255.255"), com(CS, remote="10.0.9.2/255.255.255.255")]}
    ops = fw_windows.windows_ops(p, read, "client_service", lambda c: {"remoteip": c["remoteip"]}, lambda a, r: [])
    assert [args for _c, args in ops["write"]] == [
        {"name": CS, "state": "absent"}, {"remoteip": "10.0.2.1/32,10.0.9.1/32,10.0.9.2/32"}]


def test_windows_a_block_rule_in_our_group_is_not_ours():
    p = plan("client_service", "s1")
    read = {"Rules": [com("Webroot Enterprise - Client Service (TCP 50000 in)", action=0)]}
    ops = fw_windows.windows_ops(p, read, "client_service", lambda c: {}, lambda a, r: [])
    assert ops["stale"] == []
    assert ops["foreign"] == ["has a rule named 'Webroot Enterprise - Client Service (TCP 50000 in)' in group "
                              "'Webroot Enterprise' that blocks (not an allow rule of ours)"]


def test_ipv6_peers_get_their_own_set_and_rule():
    p = plan("sweep_now", "c1", peers=["2001:db8::/64", "198.18.1.0/24"])
    want = fw_iptables.want(p)
    assert want["sets"] == {
        "webroot-sweep-now-v4": {"family": "ipv4", "entries": ["198.18.1.0/24"]},
        "webroot-sweep-now-v6": {"family": "ipv6", "entries": ["2001:db8::/64"]},
    }
    assert [(r["family"], r["match_set"]) for r in want["rules"]] == [
        ("ipv4", "webroot-sweep-now-v4"), ("ipv6", "webroot-sweep-now-v6")]
    fwd = fw_firewalld.want(p)
    assert [r["rich_rule"] for r in fwd["rules"]] == [
        'rule family="ipv4" source ipset="webroot-sweep-now-v4" service name="webroot-sweep-now" accept',
        'rule family="ipv6" source ipset="webroot-sweep-now-v6" service name="webroot-sweep-now" accept']


def test_firewalld_reloads_beside_runtime_only_settings_and_refuses_only_pending_zones():
    # issue 25: runtime-only settings (a fail2ban ban, a port opened by hand) no longer
    # refuse the reload: firewalld_reload puts them back. Only a zone or a policy that
    # the reload would load and nothing can unload again refuses, and the advice never
    # says --runtime-to-permanent.
    drift = ["zone public: port 2222/tcp is in the runtime configuration only"]
    fresh = fwd_read({"public": {"services": [], "rich_rules": []}})
    fresh["firewalld"]["drift"] = drift
    ops = fw_firewalld.ops(plan("update_distributor", "d1"), backends.ours("firewalld", fresh), zone="public")
    assert ops["reload"] and ops["changed"]
    fresh["firewalld"]["pending"] = ["zone lab is in the permanent configuration only (not loaded yet)"]
    with pytest.raises(fw_common.ForeignConflict, match="zone lab is in the permanent configuration only") as exc:
        fw_firewalld.ops(plan("update_distributor", "d1"), backends.ours("firewalld", fresh), zone="public")
    assert "runtime-to-permanent" not in str(exc.value)
    # Converged already: nothing new to load, so no reload and no refusal (a scope change
    # only changes set entries, which needs no reload either).
    done = fwd_read({"public": {"services": [], "rich_rules": [RICH]}},
                    services={"webroot-update-distributor": {"ports": ["50003/tcp"]}},
                    ipsets={"webroot-update-distributor-v4": {"entries": ["10.0.0.1"]}},
                    runtime={"webroot-update-distributor-v4": {"entries": ["10.0.0.1"]}})
    done["firewalld"]["drift"] = drift
    done["firewalld"]["pending"] = ["zone lab is in the permanent configuration only (not loaded yet)"]
    ops = fw_firewalld.ops(plan("update_distributor", "d1"), backends.ours("firewalld", done), zone="public")
    assert ops["changed"] and not ops["reload"]


def test_firewalld_a_run_stopped_before_its_reload_is_reloaded_by_the_next():
    # The permanent ipset and service exist (an earlier run wrote them) but the running
    # firewalld has not loaded them: the next run reloads, or its rich rule would fail.
    entries = ["10.0.0.1/32", "10.0.0.2/31", "10.0.0.4/32", "10.0.0.9/32"]
    read = fwd_read({"public": {"services": [], "rich_rules": []}},
                    services={"webroot-update-distributor": {"ports": ["50003/tcp"]}},
                    ipsets={"webroot-update-distributor-v4": {"entries": entries}})
    read["firewalld"]["runtime_services"] = {}
    ops = fw_firewalld.ops(plan("update_distributor", "d1"), backends.ours("firewalld", read), zone="public")
    assert ops["reload"] and ops["service_reload"] and not ops["service_define"] and ops["sets"] == []
    # Loaded: nothing to reload.
    read["firewalld"]["runtime_services"] = {"webroot-update-distributor": {"ports": ["50003/tcp"]}}
    read["firewalld"]["runtime_ipsets"] = {"webroot-update-distributor-v4": {"entries": entries}}
    ops = fw_firewalld.ops(plan("update_distributor", "d1"), backends.ours("firewalld", read), zone="public")
    assert not ops["reload"] and not ops["service_reload"]


def test_firewalld_our_service_used_by_the_admin_elsewhere_is_kept():
    # Our service in another zone, or in a policy, is the admin's: never removed, and it
    # keeps the service defined (removing the component is refused, naming it).
    read = fwd_read({"public": {"services": [], "rich_rules": [RICH]},
                     "internal": {"services": ["webroot-update-distributor"], "rich_rules": []}},
                    services={"webroot-update-distributor": {"ports": ["50003/tcp"]}},
                    ipsets={"webroot-update-distributor-v4": {"entries": ["10.0.0.1"]}},
                    runtime={"webroot-update-distributor-v4": {"entries": ["10.0.0.1"]}})
    ops = fw_firewalld.ops(plan("update_distributor", "d1"), backends.ours("firewalld", read), zone="public")
    assert ops["remove"] == []
    with pytest.raises(fw_common.ForeignConflict, match="webroot-update-distributor"):
        fw_firewalld.ops(plan("update_distributor", "d1", state="absent"), backends.ours("firewalld", read), zone="public")
    read = fwd_read({"public": {"services": [], "rich_rules": [RICH]}},
                    services={"webroot-update-distributor": {"ports": ["50003/tcp"]}},
                    ipsets={"webroot-update-distributor-v4": {"entries": ["10.0.0.1"]}})
    read["firewalld"]["policies"] = {"lab-out": {"services": ["webroot-update-distributor"], "rich_rules": []}}
    found = backends.ours("firewalld", read)
    assert found["_foreign_refs"] == ["webroot-update-distributor"]
    with pytest.raises(fw_common.ForeignConflict, match="webroot-update-distributor"):
        fw_firewalld.ops(plan("update_distributor", "d1", state="absent"), found, zone="public")


# --- Windows rules as Windows may hold them (issue 23, item 5) ---------------------------

@pytest.mark.parametrize("held, nets, wider", [
    ("*", [], ["*"]),
    (None, [], ["*"]),
    ("LocalSubnet", [], ["LocalSubnet"]),
    ("10.0.2.1/255.255.255.255,LocalSubnet,Intranet", ["10.0.2.1/32"], ["Intranet", "LocalSubnet"]),
    ("10.0.0.1-10.0.0.5", ["10.0.0.1/32", "10.0.0.2/31", "10.0.0.4/31"], []),
    ("2001:db8::5-2001:db8::5", ["2001:db8::5/128"], []),
    ("2001:DB8::5", ["2001:db8::5/128"], []),
    ("2001:db8::/64,10.0.0.0/255.255.255.0", ["2001:db8::/64", "10.0.0.0/24"], []),
    ("10.0.0.9-10.0.0.1,10.0.0.0/255.0.255.0,nonsense", [], ["10.0.0.0/255.0.255.0", "10.0.0.9-10.0.0.1", "nonsense"]),
])
def test_windows_remote_addresses_in_every_form_never_raise(held, nets, wider):
    assert fw_windows._remote_scope(held) == (nets, wider)  # pylint: disable=protected-access
    assert fw_windows.remote_networks(held) == nets


def _winfw_ops(read, comp="client_service", host="s1"):
    from ansible_collections.webroot.enterprise.plugins.plugin_utils import winfw
    return fw_windows.windows_ops(plan(comp, host), read, comp, lambda c: winfw.module_args(c, ["domain"], ""),
                                  winfw.differences, com_values=winfw.new_values, com_options=winfw.COMPARED)


NAME_CS = "Webroot Enterprise - Client Service (TCP 50000 in)"


def held_rule(**props):
    """Our Client Service rule on s1 as win_firewall_rule writes it (by hand), then ``props``."""
    rule = {"Name": NAME_CS, "Description": plan("client_service", "s1")["rules"][0]["description"],
            "Grouping": "Webroot Enterprise",
            "Action": 1, "Direction": 1, "Protocol": 6, "LocalPorts": "50000", "RemotePorts": "*",
            "LocalAddresses": "*", "RemoteAddresses": "10.0.0.1/255.255.255.255,10.0.0.2/255.255.255.254,"
            "10.0.0.4/255.255.255.255,10.0.0.9/255.255.255.255", "ApplicationName": None, "ServiceName": None,
            "Enabled": True, "Profiles": 1, "InterfaceTypes": "All", "EdgeTraversal": False}
    rule.update(props)
    return rule


def test_windows_ops_repairs_keywords_and_ranges_to_our_scope():
    ops = _winfw_ops({"Rules": [held_rule(RemoteAddresses="LocalSubnet")]})
    assert [args["remoteip"] for _c, args in ops["write"]] == ["10.0.0.1/32,10.0.0.2/31,10.0.0.4/32,10.0.0.9/32"]
    assert ops["diff"]["before"] == [NAME_CS + ": LocalSubnet"]
    assert ops["stale"] == [] and ops["changed"]
    ops = _winfw_ops({"Rules": [held_rule(RemoteAddresses="*")]})
    assert len(ops["write"]) == 1 and ops["diff"]["before"] == [NAME_CS + ": any"]
    # The same addresses as a range and a bare IPv4 list: nothing to write.
    ops = _winfw_ops({"Rules": [held_rule(RemoteAddresses="10.0.0.1-10.0.0.4,10.0.0.9")]})
    assert ops["write"] == [] and not ops["changed"]


def test_windows_ops_sets_the_protocol_before_the_ports_of_a_protocol_any_rule():
    ops = _winfw_ops({"Rules": [held_rule(Protocol=256, LocalPorts=None, RemotePorts=None)]})
    assert [args for _c, args in ops["write"]][0] == {"name": NAME_CS, "protocol": "tcp"}
    assert [args["localport"] for _c, args in ops["write"][1:]] == ["50000"]
    assert len(ops["write"]) == 2


def test_found_plan_shows_a_keyword_rule_as_wider_than_a_list_of_peers():
    read = {"Rules": [
        held_rule(RemoteAddresses="10.0.2.1/255.255.255.255,LocalSubnet"),
        held_rule(Name="Webroot Enterprise - Sweep Now (TCP 50001 in)", LocalPorts="50001",
                  RemoteAddresses="2001:db8::5-2001:db8::5,10.0.0.1-10.0.0.2"),
    ]}
    found = backends.found_plan("windows", backends.ours("windows", read))
    assert found["client_service"]["rules"] == [
        {"direction": "in", "port": 50000, "protocol": "tcp", "any_peer": True, "peers": ["10.0.2.1/32"],
         "wider": ["LocalSubnet"]}]
    assert found["sweep_now"]["rules"] == [
        {"direction": "in", "port": 50001, "protocol": "tcp", "any_peer": False,
         "peers": ["10.0.0.1/32", "10.0.0.2/32", "2001:db8::5/128"]}]

# -*- coding: utf-8 -*-
# Copyright: (c) 2026, webroot.enterprise contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The plan (aggregation, validation) and the backend changes, with expectations
written by hand."""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.webroot.enterprise.plugins.module_utils import backends as B
from ansible_collections.webroot.enterprise.plugins.module_utils import rules as R

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
    return R.host_plan(comp, host, GROUPS, HOSTVARS, s)


def test_aggregate_is_exact():
    assert R.aggregate(["10.0.0.1/32", "10.0.0.2/32", "10.0.0.3/32", "10.0.0.4/32", "10.0.0.9/32"]) == [
        "10.0.0.1/32", "10.0.0.2/31", "10.0.0.4/32", "10.0.0.9/32"]
    assert R.aggregate(["10.0.0.0/32", "10.0.0.1/32", "10.0.0.2/32", "10.0.0.3/32"]) == ["10.0.0.0/30"]
    assert R.aggregate(["2001:db8::1/128", "10.0.0.0/24", "10.0.0.7/32"]) == ["10.0.0.0/24", "2001:db8::1/128"]


def test_plan_of_a_distributor_aggregates_the_workstations():
    p = plan("update_distributor", "d1")
    assert p["component"] == "update_distributor" and p["port"] == 50003 and p["state"] == "present"
    (rule,) = p["rules"]
    assert rule["direction"] == "in"
    assert rule["peers"] == ["10.0.0.1/32", "10.0.0.2/31", "10.0.0.4/32", "10.0.0.9/32"]


def test_absent_needs_no_peer_address():
    hv = dict(HOSTVARS, c1={})   # c1's address is unknown
    p = R.host_plan("update_distributor", "d1", GROUPS, hv,
                    {"state": "absent", "port": None, "peers": [], "any_peer": False})
    assert p["rules"] == [] and p["state"] == "absent"
    with pytest.raises(R.RuleError, match="cannot tell the address of c1"):
        R.host_plan("update_distributor", "d1", GROUPS, hv,
                    {"state": "present", "port": None, "peers": [], "any_peer": False})


def test_plan_refuses_misspelt_variables_and_management_ports():
    with pytest.raises(R.RuleError, match="Unknown variable.*sweep_now_source"):
        R.host_plan("sweep_now", "c1", GROUPS, HOSTVARS, {"state": "present"},
                    given_vars=["sweep_now_source"], known_vars=["sweep_now_sources", "sweep_now_state"])
    with pytest.raises(R.RuleError, match="sweep_now_port 2222 is a management port"):
        R.host_plan("sweep_now", "c1", GROUPS, HOSTVARS, {"state": "present", "port": "2222"},
                    management_port=2222)
    with pytest.raises(R.RuleError, match="sweep_now_port 5986 is a management port"):
        R.host_plan("sweep_now", "c1", GROUPS, HOSTVARS, {"state": "present", "port": 5986})
    # Outbound only (443 from the distributors): the management port is not at stake.
    assert R.host_plan("update_service", "d1", GROUPS, HOSTVARS, {"state": "present", "port": 22})["port"] == 22


# The one rule a set of ours is matched by, as iptables -S prints it.
SET_RULE = ("-A INPUT -p tcp -m tcp --dport 50003 -m set --match-set webroot-update-distributor-v4 src "
            '-m comment --comment "webroot.enterprise update_distributor 50003/tcp in" -j ACCEPT')
IPT_READ = """== ipv4
-P INPUT DROP
-A INPUT -p tcp -m tcp --dport 50003 -s 10.0.0.1/32 -m comment --comment "webroot.enterprise update_distributor 50003/tcp in" -j ACCEPT
{set_rule}
-A INPUT -p tcp -m tcp --dport 22 -m comment --comment "lab: management" -j ACCEPT
-A INPUT -p tcp -m tcp --dport 50003 -m comment --comment "someone else" -j DROP
== ipv6
-P INPUT ACCEPT
== ipset
create webroot-update-distributor-v4 hash:net family inet hashsize 1024 maxelem 65536
add webroot-update-distributor-v4 10.0.0.1
add webroot-update-distributor-v4 10.0.0.8/31
create theirs hash:net family inet hashsize 1024 maxelem 65536
add theirs 10.0.0.1
""".format(set_rule=SET_RULE)


def test_iptables_ops_from_one_read():
    found = B.read_iptables(IPT_READ)
    ops = B.ops("iptables", plan("update_distributor", "d1"), found["update_distributor"])
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


def test_iptables_nothing_to_do_when_the_read_matches():
    text = """== ipv4
{set_rule}
== ipset
create webroot-update-distributor-v4 hash:net family inet
add webroot-update-distributor-v4 10.0.0.1
add webroot-update-distributor-v4 10.0.0.2/31
add webroot-update-distributor-v4 10.0.0.4
add webroot-update-distributor-v4 10.0.0.9
""".format(set_rule=SET_RULE)
    ops = B.ops("iptables", plan("update_distributor", "d1"), B.read_iptables(text)["update_distributor"])
    assert not ops["changed"] and ops["add"] == [] and ops["remove"] == [] and ops["sets"] == []


def test_iptables_absent_removes_rule_and_set():
    found = B.read_iptables(IPT_READ)["update_distributor"]
    ops = B.ops("iptables", plan("update_distributor", "d1", state="absent"), found)
    assert len(ops["remove"]) == 2 and ops["add"] == []
    assert [s["name"] for s in ops["sets_absent"]] == ["webroot-update-distributor-v4"]


def test_firewalld_ops():
    text = """== zone public
== rich
rule family="ipv4" source address="10.0.0.1" service name="webroot-update-distributor" accept
rule family="ipv4" source address="10.9.9.9" port port="50003" protocol="tcp" accept
== services
ssh
== service webroot-update-distributor
50003/tcp
"""
    found = B.read_firewalld(text)
    assert found["_zone"] == "public"
    ops = B.ops("firewalld", plan("update_distributor", "d1"), found["update_distributor"])
    assert [r["rich_rule"] for r in ops["add"]] == [
        'rule family="ipv4" source ipset="webroot-update-distributor-v4" service name="webroot-update-distributor" accept']
    assert [r["rich_rule"] for r in ops["remove"]] == [
        'rule family="ipv4" source address="10.0.0.1" service name="webroot-update-distributor" accept']
    assert [s["name"] for s in ops["sets"]] == ["webroot-update-distributor-v4"]
    assert not ops["service_define"] and not ops["service_remove"]


def test_ufw_ops_per_aggregated_peer():
    text = """ufw allow 22/tcp comment 'lab: management'
ufw allow from 10.0.0.1 to any port 50003 proto tcp comment 'webroot.enterprise update_distributor 50003/tcp in'
ufw allow from 10.0.0.3 to any port 50003 proto tcp comment 'webroot.enterprise update_distributor 50003/tcp in'
"""
    ops = B.ops("ufw", plan("update_distributor", "d1"), B.read_ufw(text)["update_distributor"])
    assert sorted(r["peer"] for r in ops["add"]) == ["10.0.0.2/31", "10.0.0.4/32", "10.0.0.9/32"]
    assert [r["peer"] for r in ops["remove"]] == ["10.0.0.3/32"]


def test_windows_chunks_at_1000_with_stable_names():
    peers = ["10.%d.%d.%d/32" % (i // 65536, (i // 256) % 256, i % 256) for i in range(0, 5000, 2)]  # 2,500, none adjacent
    p = {"component": "client_service", "rules": [dict(
        plan("client_service", "s1")["rules"][0], peers=peers)]}
    chunks = B.windows_chunks(p)
    assert [c["windows_name"] for c in chunks] == [
        "Webroot Enterprise - Client Service (TCP 50000 in)",
        "Webroot Enterprise - Client Service (TCP 50000 in) #2",
        "Webroot Enterprise - Client Service (TCP 50000 in) #3"]
    assert [len(c["remoteip"].split(",")) for c in chunks] == [1000, 1000, 500]


def test_windows_ops_case_insensitive_stale_and_foreign():
    p = plan("client_service", "s1")
    listing = [
        {"Name": "a", "DisplayName": "Webroot Enterprise - Client Service (TCP 50000 in)", "Group": "Webroot Enterprise"},
        {"Name": "b", "DisplayName": "Webroot Enterprise - Client Service (TCP 50000 in) #2", "Group": "Webroot Enterprise"},
        {"Name": "c", "DisplayName": "webroot enterprise - client service (tcp 50000 in) #2", "Group": "Theirs"},
        {"Name": "d", "DisplayName": "Webroot Enterprise - Sweep Now (TCP 50001 in)", "Group": "Webroot Enterprise"},
    ]
    ops = B.windows_ops(p, listing, "client_service")
    assert ops["stale"] == ["Webroot Enterprise - Client Service (TCP 50000 in) #2"]
    # the foreign rule carries the stale name in another case: the module would remove it too
    assert ops["foreign"] == ["has a rule named 'webroot enterprise - client service (tcp 50000 in) #2' in group 'Theirs'"]
    assert ops["duplicates"] == []


def test_ipv6_peers_get_their_own_set_and_rule():
    p = plan("sweep_now", "c1", peers=["2001:db8::/64", "198.18.1.0/24"])
    want = B.want_iptables(p)
    assert want["sets"] == {
        "webroot-sweep-now-v4": {"family": "ipv4", "entries": ["198.18.1.0/24"]},
        "webroot-sweep-now-v6": {"family": "ipv6", "entries": ["2001:db8::/64"]},
    }
    assert [(r["family"], r["match_set"]) for r in want["rules"]] == [
        ("ipv4", "webroot-sweep-now-v4"), ("ipv6", "webroot-sweep-now-v6")]
    fwd = B.want_firewalld(p)
    assert [r["rich_rule"] for r in fwd["rules"]] == [
        'rule family="ipv4" source ipset="webroot-sweep-now-v4" service name="webroot-sweep-now" accept',
        'rule family="ipv6" source ipset="webroot-sweep-now-v6" service name="webroot-sweep-now" accept']

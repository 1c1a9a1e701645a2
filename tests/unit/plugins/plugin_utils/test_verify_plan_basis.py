# -*- coding: utf-8 -*-
# Copyright: (c) 2026, webroot.enterprise contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Expectations from the published plan, the firewall fallback and the denied sample.

The plans are written by hand in the shape the component roles publish
(``webroot_plan``) and ``webroot.enterprise.firewall_info`` reads back
(``webroot_plan_found``).
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy

import pytest

from ansible_collections.webroot.enterprise.plugins.plugin_utils import verify_common
from ansible_collections.webroot.enterprise.plugins.plugin_utils import verify_plan
from ansible_collections.webroot.enterprise.plugins.plugin_utils.catalog import TABLE_11

GROUPS = {
    "webroot_distributors": ["dist1"],
    "webroot_servers": ["srv1"],
    "webroot_clients": ["cli1", "cli2"],
    "webroot_update_endpoints": ["upd1"],
}
HOSTVARS = {
    "dist1": {"webroot_address": "10.0.0.11"},
    "srv1": {"webroot_address": "10.0.0.21"},
    "cli1": {"webroot_address": "10.0.0.31"},
    "cli2": {"webroot_address": "10.0.0.32"},
    "upd1": {"ansible_host": "10.0.0.41"},
}
MANAGED = ["dist1", "srv1", "cli1", "cli2"]


def entry(component, port, *rules, **kw):
    return {"component": component, "state": kw.get("state", "present"), "port": port, "protocol": "tcp",
            "rules": [dict({"port": port, "protocol": "tcp", "any_peer": False, "peer_groups": []}, **r)
                      for r in rules]}


def plan(hostvars=None, **kwargs):
    kwargs.setdefault("listening", MANAGED)
    return verify_plan.plan_checks(TABLE_11, GROUPS, hostvars or HOSTVARS, **kwargs)


def found(result):
    return dict(((c["source"], c["destination"], c["port"]), c) for c in result["checks"])


def with_plan(var, host, component, value):
    hv = copy.deepcopy(HOSTVARS)
    hv[host].setdefault(var, {})[component] = value
    return hv


def test_plan_scope_from_role_parameters_is_verified_as_applied():
    # sweep_now_sources: [10.0.5.0/24] given as a role parameter on cli1: the server is
    # left out, so its Sweep Now to cli1 must be blocked; nothing in the inventory says so.
    hv = with_plan("webroot_plan", "cli1", "sweep_now",
                   entry("sweep_now", 50001, {"direction": "in", "peers": ["10.0.5.0/24"]}))
    checks = found(plan(hv))
    c = checks[("srv1", "cli1", 50001)]
    assert (c["kind"], c["expect"], c["basis"]) == ("denied", "filtered", "plan")
    assert "webroot_plan.sweep_now of cli1 (10.0.5.0/24) leaves srv1 out" == c["why"]
    # cli2 is not in the plan's scope either: a sampled denied check from the plan
    assert checks[("cli2", "cli1", 50001)]["basis"] == "plan"
    # elsewhere the inventory still decides
    assert checks[("srv1", "cli2", 50001)]["kind"] == "allowed"
    assert checks[("srv1", "cli2", 50001)]["basis"] == "inventory"


def test_plan_port_and_absent_state():
    hv = with_plan("webroot_plan", "cli1", "poll_now",
                   entry("poll_now", 51002, {"direction": "in", "peers": ["10.0.0.21/32"]}))
    hv["cli2"]["webroot_plan"] = {"poll_now": entry("poll_now", 50002, state="absent")}
    checks = found(plan(hv))
    assert checks[("srv1", "cli1", 51002)]["kind"] == "allowed"
    assert ("srv1", "cli1", 50002) not in checks
    assert not [k for k in checks if k[1] == "cli2" and k[2] == 50002]


def test_plan_any_peer_has_no_denied_checks():
    hv = with_plan("webroot_plan", "dist1", "update_distributor",
                   entry("update_distributor", 50003, {"direction": "in", "any_peer": True, "peers": []}))
    checks = found(plan(hv))
    assert checks[("cli1", "dist1", 50003)]["kind"] == "allowed"
    assert [k for k, c in checks.items() if k[1] == "dist1" and c["kind"] == "denied"] == []


def test_plan_outbound_scope():
    hv = with_plan("webroot_plan", "dist1", "update_service",
                   entry("update_service", 8443, {"direction": "out", "peers": ["10.9.0.0/16"]}))
    c = found(plan(hv))[("dist1", "upd1", 8443)]
    assert (c["kind"], c["expect"], c["tls"]) == ("denied", "filtered", True)
    hv["dist1"]["webroot_plan"]["update_service"]["rules"][0]["peers"] = ["10.0.0.41/32"]
    c = found(plan(hv))[("dist1", "upd1", 8443)]
    assert (c["kind"], c["expect"], c["tls"]) == ("allowed", "open", True)


def test_firewall_plan_is_used_only_where_it_holds_a_rule():
    # Read back from the firewall: cli1's Sweep Now rule admits 10.0.5.0/24 -> as applied.
    hv = with_plan("webroot_plan_found", "cli1", "sweep_now",
                   entry("sweep_now", 50001, {"direction": "in", "peers": ["10.0.5.0/24"]}))
    c = found(plan(hv))[("srv1", "cli1", 50001)]
    assert (c["kind"], c["basis"]) == ("denied", "firewall")
    # A deleted rule (nothing of ours on the firewall) is not taken as the intent: the
    # inventory still expects the flow, so verify fails on it.
    hv = with_plan("webroot_plan_found", "cli1", "sweep_now", entry("sweep_now", 50001, state="absent"))
    c = found(plan(hv))[("srv1", "cli1", 50001)]
    assert (c["kind"], c["expect"], c["basis"]) == ("allowed", "open", "inventory")
    # This run's plan wins over what the firewall held before.
    hv["cli1"]["webroot_plan"] = {"sweep_now": entry("sweep_now", 50001,
                                                     {"direction": "in", "peers": ["10.0.0.21/32"]})}
    assert found(plan(hv))[("srv1", "cli1", 50001)]["basis"] == "plan"


def test_bad_plan_names_host_and_variable():
    hv = with_plan("webroot_plan", "cli1", "sweep_now",
                   entry("sweep_now", 50001, {"direction": "in", "peers": ["10.0.5.0/33"]}))
    with pytest.raises(verify_common.FlowError) as err:
        plan(hv)
    assert "cli1" in str(err.value) and "webroot_plan.sweep_now" in str(err.value)


# --------------------------------------------------------------------------- #
# The denied sample, over a bigger generated estate
# --------------------------------------------------------------------------- #
def big(clients=60, distributors=5):
    groups = {
        "webroot_distributors": ["d%02d" % i for i in range(distributors)],
        "webroot_servers": ["s0"],
        "webroot_clients": ["c%03d" % i for i in range(clients)],
        "webroot_update_endpoints": [],
    }
    hostvars = {"s0": {"webroot_address": "10.1.0.1"}}
    for i, h in enumerate(groups["webroot_distributors"]):
        hostvars[h] = {"webroot_address": "10.2.0.%d" % (i + 1)}
    for i, h in enumerate(groups["webroot_clients"]):
        hostvars[h] = {"webroot_address": "10.3.%d.%d" % (i // 200, i % 200 + 1)}
    return groups, hostvars


def denied_by_rule(checks):
    out = {}
    for c in checks:
        if c["kind"] == "denied":
            out.setdefault((c["destination"], c["port"]), []).append(c["source"])
    return out


def test_sample_is_bounded_covers_every_group_and_counts():
    groups, hostvars = big()
    result = verify_plan.plan_checks(TABLE_11, groups, hostvars, denied_sample=2)
    rules = denied_by_rule(result["checks"])
    group_of = dict((h, g) for g, hs in groups.items() for h in hs)
    for (dest, port), sources in rules.items():
        per_group = {}
        for src in sources:
            per_group.setdefault(group_of[src], []).append(src)
        assert all(len(v) <= 2 for v in per_group.values()), (dest, port, per_group)
    # a client's 50001 (Sweep Now: the server only) leaves distributors and other clients out
    assert set(group_of[s] for s in rules[("c007", 50001)]) == {"webroot_distributors", "webroot_clients"}
    # the server's 50000 admits the clients: only distributors are left out (no server checks itself)
    assert set(group_of[s] for s in rules[("s0", 50000)]) == {"webroot_distributors"}
    sampling = result["sampling"]
    assert sampling["denied_checked"] == sum(len(v) for v in rules.values())
    # possible: every managed host a rule leaves out, counted without listing them
    full = verify_plan.plan_checks(TABLE_11, groups, hostvars, denied_sample=0)
    assert sampling["denied_possible"] == full["sampling"]["denied_possible"] == full["sampling"]["denied_checked"]
    assert sampling["denied_checked"] < sampling["denied_possible"] / 5
    # all allowed flows are still there
    allowed = set(c["id"] for c in result["checks"] if c["kind"] == "allowed")
    assert allowed == set(c["id"] for c in full["checks"] if c["kind"] == "allowed")
    # connections per source bounded: a client makes a few, not one per other client
    per_source = {}
    for c in result["checks"]:
        per_source[c["source"]] = per_source.get(c["source"], 0) + 1
    assert max(per_source[h] for h in groups["webroot_clients"]) < 40


def test_sample_is_deterministic_and_spread():
    groups, hostvars = big()
    a = verify_plan.plan_checks(TABLE_11, groups, hostvars, denied_sample=1)
    b = verify_plan.plan_checks(TABLE_11, groups, copy.deepcopy(hostvars), denied_sample=1)
    assert a == b
    picked = set(s for v in denied_by_rule(a["checks"]).values() for s in v)
    assert len([h for h in picked if h.startswith("c")]) > 20  # different rules pick different clients


def test_denied_hosts_are_always_checked():
    groups, hostvars = big()
    result = verify_plan.plan_checks(TABLE_11, groups, hostvars, denied_sample=1, denied_hosts=["c042", "nope"])
    rules = denied_by_rule(result["checks"])
    for dest in ("c001", "c017", "s0"):
        assert "c042" in rules[(dest, 50001)]
    assert "c042" not in rules[("d01", 50003)]  # admitted there (clients reach distributors)
    assert result["sampling"]["denied_hosts"] == ["c042"]


@pytest.mark.parametrize("value", [-1, "many"])
def test_bad_sample_is_an_error(value):
    with pytest.raises(verify_common.FlowError) as err:
        plan(denied_sample=value)
    assert "verify_denied_sample" in str(err.value)


def test_sample_denied_helper():
    members = ["a", "b", "c", "d", "e"]
    picked, possible = verify_plan.sample_denied(members, {"b", "x"}, 2, "rule")
    assert possible == 4 and len(picked) == 2 and "b" not in picked
    assert verify_plan.sample_denied(members, {"b"}, 2, "rule") == (picked, 4)
    assert verify_plan.sample_denied(members, set(members), 2, "rule") == ([], 0)
    assert verify_plan.sample_denied(members, set(), 0, "rule") == (members, 5)

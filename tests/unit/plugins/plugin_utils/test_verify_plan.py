# -*- coding: utf-8 -*-
# Copyright: (c) 2026, webroot.enterprise contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The flow derivation of the verify role, over a hand-written inventory.

The expected checks are written out by hand from Table 11, not computed.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy

import pytest

from ansible_collections.webroot.enterprise.plugins.plugin_utils import verify_common
from ansible_collections.webroot.enterprise.plugins.plugin_utils import verify_judge
from ansible_collections.webroot.enterprise.plugins.plugin_utils import verify_plan
from ansible_collections.webroot.enterprise.plugins.plugin_utils.catalog import TABLE_11

GROUPS = {
    "webroot_distributors": ["dist1"],
    "webroot_servers": ["srv1"],
    "webroot_clients": ["cli1", "cli2"],
    "webroot_update_endpoints": ["upd1"],
    "ungrouped": [],
}
HOSTVARS = {
    "dist1": {"webroot_address": "10.0.0.11"},
    "srv1": {"ansible_host": "10.0.0.21"},
    "cli1": {"ansible_facts": {"default_ipv4": {"address": "10.0.0.31"}}},
    "cli2": {"webroot_address": "10.0.0.32/32"},
    "upd1": {"ansible_host": "updates.example.com"},
}
MANAGED = ["dist1", "srv1", "cli1", "cli2"]

ALLOWED = {
    ("cli1", "dist1", 50003), ("cli2", "dist1", 50003),
    ("cli1", "srv1", 50000), ("cli2", "srv1", 50000),
    ("srv1", "cli1", 50000), ("srv1", "cli2", 50000),
    ("srv1", "cli1", 50001), ("srv1", "cli2", 50001), ("srv1", "srv1", 50001),
    ("srv1", "cli1", 50002), ("srv1", "cli2", 50002), ("srv1", "srv1", 50002),
    ("dist1", "upd1", 443),
}
DENIED = {
    # 50003 on the distributor admits the clients only
    ("srv1", "dist1", 50003),
    # 50000 on the server admits the clients, on the clients the server
    ("dist1", "srv1", 50000),
    ("dist1", "cli1", 50000), ("cli2", "cli1", 50000),
    ("dist1", "cli2", 50000), ("cli1", "cli2", 50000),
    # 50001 / 50002 admit the server only (on itself too)
    ("dist1", "srv1", 50001), ("cli1", "srv1", 50001), ("cli2", "srv1", 50001),
    ("dist1", "cli1", 50001), ("cli2", "cli1", 50001),
    ("dist1", "cli2", 50001), ("cli1", "cli2", 50001),
    ("dist1", "srv1", 50002), ("cli1", "srv1", 50002), ("cli2", "srv1", 50002),
    ("dist1", "cli1", 50002), ("cli2", "cli1", 50002),
    ("dist1", "cli2", 50002), ("cli1", "cli2", 50002),
}


def keys(checks, kind=None):
    return set((c["source"], c["destination"], c["port"]) for c in checks if kind in (None, c["kind"]))


def by_key(checks):
    return dict(((c["source"], c["destination"], c["port"]), c) for c in checks)


def derive(hostvars=None, **kwargs):
    kwargs.setdefault("listening", MANAGED)
    return verify_plan.plan_checks(TABLE_11, GROUPS, hostvars or HOSTVARS, **kwargs)["checks"]


def with_vars(host, **values):
    hv = copy.deepcopy(HOSTVARS)
    hv[host].update(values)
    return hv


def test_allowed_and_denied_checks():
    checks = derive()
    assert keys(checks, "allowed") == ALLOWED
    assert keys(checks, "denied") == DENIED
    assert len(checks) == len(ALLOWED) + len(DENIED)
    found = by_key(checks)
    assert all(found[k]["expect"] == "open" for k in ALLOWED)
    assert all(found[k]["expect"] == "filtered" for k in DENIED)


def test_addresses_and_what_is_connected_to():
    found = by_key(derive())
    assert found[("cli1", "dist1", 50003)]["host"] == "10.0.0.11"
    assert found[("cli1", "dist1", 50003)]["source_address"] == "10.0.0.31"
    assert found[("dist1", "cli2", 50000)]["host"] == "10.0.0.32"
    # not an IP: connected to by name, the source resolves it
    upd = found[("dist1", "upd1", 443)]
    assert upd["host"] == "updates.example.com" and upd["destination_address"] is None


def test_update_endpoint_is_only_a_destination_with_tls_and_no_listener():
    checks = derive()
    assert not [c for c in checks if c["source"] == "upd1"]
    upd = by_key(checks)[("dist1", "upd1", 443)]
    assert upd["tls"] is True and upd["listener"] is False and upd["expect"] == "open"
    assert verify_plan.listen_ports(checks, "upd1") == []
    assert all(c["tls"] is False for c in checks if c["port"] != 443)


def test_listen_ports_and_targets():
    checks = derive()
    assert verify_plan.listen_ports(checks, "srv1") == [50000, 50001, 50002]
    assert verify_plan.listen_ports(checks, "dist1") == [50003]
    assert verify_plan.listen_ports(checks, "cli1") == [50000, 50001, 50002]
    targets = verify_plan.targets(checks, "dist1")
    assert {"host": "10.0.0.11", "port": 50003} not in targets
    assert sorted((t["host"], t["port"], t["expect"], t["tls"]) for t in targets) == [
        ("10.0.0.21", 50000, "filtered", False), ("10.0.0.21", 50001, "filtered", False),
        ("10.0.0.21", 50002, "filtered", False), ("10.0.0.31", 50000, "filtered", False),
        ("10.0.0.31", 50001, "filtered", False), ("10.0.0.31", 50002, "filtered", False),
        ("10.0.0.32", 50000, "filtered", False), ("10.0.0.32", 50001, "filtered", False),
        ("10.0.0.32", 50002, "filtered", False), ("updates.example.com", 443, "open", True),
    ]
    assert all(t["name"] for t in targets) and len(set(t["name"] for t in targets)) == len(targets)


def test_without_listeners_allowed_flows_to_managed_hosts_only_need_to_be_reachable():
    found = by_key(derive(listening=[]))
    assert found[("cli1", "dist1", 50003)]["expect"] == "reachable"
    assert found[("srv1", "srv1", 50001)]["expect"] == "reachable"
    assert found[("dist1", "upd1", 443)]["expect"] == "open"  # a real service
    assert found[("dist1", "srv1", 50000)]["expect"] == "filtered"
    assert verify_plan.listen_ports(list(found.values()), "srv1") == []


def test_port_override_on_the_destination():
    checks = derive(with_vars("cli1", sweep_now_port="51001"))
    found = by_key(checks)
    assert ("srv1", "cli1", 51001) in found and ("srv1", "cli1", 50001) not in found
    assert ("cli2", "cli1", 51001) in found  # the denied check uses it too
    assert ("srv1", "cli2", 50001) in found  # other hosts keep the catalog's port
    assert verify_plan.listen_ports(checks, "cli1") == [50000, 50002, 51001]


def test_update_service_port_comes_from_the_distributor():
    found = by_key(derive(with_vars("dist1", update_service_port=8443)))
    assert ("dist1", "upd1", 8443) in found


def test_any_source_skips_the_denied_checks_there():
    found = by_key(derive(with_vars("srv1", poll_now_any_source=True)))
    assert not [k for k in found if k[1] == "srv1" and k[2] == 50002 and found[k]["kind"] == "denied"]
    assert ("srv1", "srv1", 50002) in found
    assert found[("cli1", "srv1", 50001)]["kind"] == "denied"  # other ports still scoped
    assert found[("cli1", "cli2", 50002)]["kind"] == "denied"  # other hosts still scoped


def test_explicit_sources_decide_who_is_admitted():
    found = by_key(derive(with_vars("dist1", update_distributor_sources=["10.0.0.31/32", "10.0.0.21"])))
    assert found[("cli1", "dist1", 50003)]["kind"] == "allowed"
    # a catalog flow the user scoped away must be blocked
    assert found[("cli2", "dist1", 50003)]["kind"] == "denied"
    assert found[("cli2", "dist1", 50003)]["expect"] == "filtered"
    assert "update_distributor_sources" in found[("cli2", "dist1", 50003)]["why"]
    # the server is admitted by the explicit list: no check either way
    assert ("srv1", "dist1", 50003) not in found


def test_absent_component_is_not_checked_there():
    found = by_key(derive(with_vars("cli2", client_service_state="absent")))
    assert not [k for k in found if k[1] == "cli2" and k[2] == 50000]
    assert ("srv1", "cli1", 50000) in found


def test_only_hosts_in_the_play_are_sources():
    checks = derive(sources=["cli1", "upd1"])
    assert set(c["source"] for c in checks) == {"cli1"}
    assert ("cli1", "dist1", 50003) in keys(checks)


def test_negative_checks_can_be_off_or_limited():
    assert keys(derive(negative=False)) == ALLOWED
    limited = derive(negative_limit=1)
    per_port = {}
    for c in limited:
        if c["kind"] == "denied":
            per_port.setdefault((c["destination"], c["port"]), []).append(c["source"])
    assert all(len(v) == 1 for v in per_port.values())
    assert set(per_port) == set((k[1], k[2]) for k in DENIED)
    # spread over the groups: with two per port on srv1 50001, a distributor and a client
    two = derive(negative_limit=2)
    assert sorted(c["source"] for c in two if c["destination"] == "srv1" and c["port"] == 50001
                  and c["kind"] == "denied")[0] == "cli1"
    assert len([c for c in two if c["destination"] == "srv1" and c["port"] == 50001 and c["kind"] == "denied"]) == 2


def test_order_is_deterministic():
    a = derive()
    assert a == derive()
    assert [(c["source"], c["destination"], c["port"]) for c in a] == sorted(
        (c["source"], c["destination"], c["port"]) for c in a)


@pytest.mark.parametrize("var,value,message", [
    ("sweep_now_port", 70000, "sweep_now_port must be a port number"),
    ("sweep_now_any_source", "maybe", "sweep_now_any_source must be true or false"),
    ("sweep_now_sources", "10.0.0.0/8", "sweep_now_sources must be a list"),
    ("webroot_address", "not-an-ip", "webroot_address of host cli1"),
])
def test_bad_input_names_host_and_variable(var, value, message):
    with pytest.raises(verify_common.FlowError) as err:
        derive(with_vars("cli1", **{var: value}))
    assert message in str(err.value)


def test_unknown_source_address_with_explicit_sources_is_an_error():
    hv = copy.deepcopy(HOSTVARS)
    hv["cli2"] = {"ansible_host": "cli2.example.com"}
    hv["dist1"]["update_distributor_sources"] = ["10.0.0.31"]
    with pytest.raises(verify_common.FlowError) as err:
        derive(hv)
    assert "cli2" in str(err.value) and "webroot_address" in str(err.value)


def _portcheck(checks, source, states):
    results = []
    for t in verify_plan.targets(checks, source):
        state = states.get(t["name"], t["expect"] if t["expect"] != "reachable" else "open")
        tls_ok = (state == "open") if t["tls"] else None
        results.append({"name": t["name"], "state": state, "ok": state == t["expect"] and tls_ok is not False,
                        "error": None if state == "open" else "no answer within 2s", "address": t["host"],
                        "tls_ok": tls_ok, "tls_error": None, "tls_version": "TLSv1.3" if tls_ok else None})
    return {"results": results}


def test_merge_results_and_report():
    checks = derive()
    broken = "sweep_now:srv1:cli1:50001"
    hv = copy.deepcopy(HOSTVARS)
    for host in MANAGED:
        hv[host]["__verify_portcheck"] = _portcheck(checks, host, {broken: "filtered"})
        hv[host]["__verify_listener"] = {"pid": 1, "bound": verify_plan.listen_ports(checks, host), "busy": []}
    hv["cli2"]["__verify_portcheck"] = {}  # cli2 failed before its checks
    hv["cli1"]["__verify_listener"] = {"pid": 1, "bound": [50000, 50002], "busy": [50001]}
    results = verify_judge.merge_results(checks, hv)
    found = by_key(results)
    assert found[("srv1", "cli1", 50001)]["display"] == "filtered"
    assert found[("srv1", "cli1", 50001)]["ok"] is False
    assert found[("srv1", "cli1", 50001)]["listener_state"] == "in use"
    assert found[("srv1", "cli1", 50000)]["listener_state"] == "ours"
    assert found[("dist1", "upd1", 443)]["listener_state"] is None
    assert found[("cli2", "dist1", 50003)]["display"] == "not-run"
    assert found[("cli2", "dist1", 50003)]["ok"] is False

    rep = verify_judge.report(results)
    cli2_checks = len([c for c in checks if c["source"] == "cli2"])
    assert rep["summary"]["total"] == len(checks)
    assert rep["summary"]["failed"] == 1 + cli2_checks
    assert rep["summary"]["states"]["not-run"] == cli2_checks
    assert rep["sources"] == ["cli1", "cli2", "dist1", "srv1"]
    assert rep["destinations"] == ["cli1", "cli2", "dist1", "srv1", "upd1"]
    assert [r["port"] for r in rep["matrix"]["srv1"]["cli1"]] == [50000, 50001, 50002]
    assert "srv1 -> cli1 50001/tcp (sweep_now, allowed): expected open, got filtered (no answer within 2s)" \
        in rep["mismatches"]
    assert [c["port"] for c in rep["components"]] == [443, 50000, 50001, 50002, 50003]


def test_tls_failure_is_its_own_state():
    result = {"state": "open", "tls": True, "tls_ok": False}
    assert verify_judge.display_state(result) == "tls-fail"
    assert verify_judge.display_state({"state": "open", "tls": True, "tls_ok": True}) == "open"
    assert verify_judge.display_state({"state": None}) == "not-run"

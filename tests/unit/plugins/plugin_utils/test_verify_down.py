# -*- coding: utf-8 -*-
# Copyright: (c) 2026, webroot.enterprise contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Hosts that are down: their checks are "not run: host down", neither passed nor failed.

A host is down when Ansible took it out of the play (ansible_play_hosts_all minus
ansible_play_hosts: unreachable, or failed before its checks). The inventory is the
one of test_verify_plan.py; every expectation below is written out by hand from Table 11.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy
import json
import xml.etree.ElementTree as ET

from ansible_collections.webroot.enterprise.plugins.plugin_utils import verify_judge
from ansible_collections.webroot.enterprise.plugins.plugin_utils import verify_plan
from ansible_collections.webroot.enterprise.plugins.plugin_utils import verify_render
from ansible_collections.webroot.enterprise.plugins.plugin_utils.catalog import TABLE_11
from verify_fixture import register

GROUPS = {
    "webroot_distributors": ["dist1"],
    "webroot_servers": ["srv1"],
    "webroot_clients": ["cli1", "cli2"],
    "webroot_update_endpoints": ["upd1"],
    "ungrouped": [],
}
HOSTVARS = {
    "dist1": {"webroot_address": "10.0.0.11"},
    "srv1": {"webroot_address": "10.0.0.21"},
    "cli1": {"webroot_address": "10.0.0.31"},
    "cli2": {"webroot_address": "10.0.0.32"},
    "upd1": {"ansible_host": "updates.example.com"},
}
MANAGED = ["dist1", "srv1", "cli1", "cli2"]
UP = ["dist1", "srv1", "cli1"]

# cli2 is down from the start. Checked (the sources and destinations are up):
RUN_ALLOWED = {
    ("cli1", "dist1", 50003), ("cli1", "srv1", 50000),
    ("srv1", "cli1", 50000), ("srv1", "cli1", 50001), ("srv1", "cli1", 50002),
    ("srv1", "srv1", 50001), ("srv1", "srv1", 50002),
    ("dist1", "upd1", 443),
}
RUN_DENIED = {
    ("srv1", "dist1", 50003),
    ("dist1", "srv1", 50000), ("dist1", "srv1", 50001), ("dist1", "srv1", 50002),
    ("cli1", "srv1", 50001), ("cli1", "srv1", 50002),
    ("dist1", "cli1", 50000), ("dist1", "cli1", 50001), ("dist1", "cli1", 50002),
}
# Not run, host down: the Table 11 flows from cli2, and every check to cli2.
DOWN_ALLOWED = {
    ("cli2", "dist1", 50003), ("cli2", "srv1", 50000),
    ("srv1", "cli2", 50000), ("srv1", "cli2", 50001), ("srv1", "cli2", 50002),
}
DOWN_DENIED = {
    ("dist1", "cli2", 50000), ("dist1", "cli2", 50001), ("dist1", "cli2", 50002),
    ("cli1", "cli2", 50000), ("cli1", "cli2", 50001), ("cli1", "cli2", 50002),
}
# Gone: the denied checks cli2 would have made are sampled from hosts that are up
# (cli1 makes them: ("cli1", "srv1", 50001) above); none from cli2 is planned.


def keys(checks, kind=None):
    return set((c["source"], c["destination"], c["port"]) for c in checks if kind in (None, c["kind"]))


def by_key(rows):
    return dict(((r["source"], r["destination"], r["port"]), r) for r in rows)


def plan(down=("cli2",), sources=tuple(UP)):
    return verify_plan.plan_checks(TABLE_11, GROUPS, HOSTVARS, sources=list(sources), listening=MANAGED, down=list(down))


def answers(checks, hostvars, states=None):
    """What port_check would register on every source that runs: each target as expected."""
    states = states or {}
    found = {}
    for source, targets in verify_plan.targets_by_source(checks).items():
        rows = found[source] = []
        for t in targets:
            state = states.get(t["name"], "open" if t["expect"] in ("open", "reachable") else t["expect"])
            rows.append({"name": t["name"], "state": state, "ok": state == t["expect"] or (
                t["expect"] == "reachable" and state in ("open", "refused")),
                "error": None, "address": t["host"], "tls_ok": True if t["tls"] else None,
                "tls_error": None, "tls_version": None})
    return register(hostvars, found, checks)


def test_the_plan_keeps_the_checks_of_a_down_host_apart():
    p = plan()
    checks = p["checks"]
    assert p["down"] == ["cli2"]
    assert keys(checks, "allowed") == RUN_ALLOWED | DOWN_ALLOWED
    assert keys(checks, "denied") == RUN_DENIED | DOWN_DENIED
    found = by_key(checks)
    assert all(found[k]["down"] == ["cli2"] for k in DOWN_ALLOWED | DOWN_DENIED)
    assert not [k for k in RUN_ALLOWED | RUN_DENIED if found[k].get("down")]
    # Expected as if cli2 were up: its listener would have served the port.
    assert found[("srv1", "cli2", 50001)]["expect"] == "open"
    assert found[("cli1", "cli2", 50001)]["expect"] == "filtered"


def test_nobody_connects_to_a_down_host_and_it_gets_no_listener():
    checks = plan()["checks"]
    by_source = verify_plan.targets_by_source(checks)
    assert "cli2" not in by_source
    assert sorted((t["host"], t["port"]) for t in by_source["srv1"]) == [
        ("10.0.0.11", 50003),
        ("10.0.0.21", 50001), ("10.0.0.21", 50002),
        ("10.0.0.31", 50000), ("10.0.0.31", 50001), ("10.0.0.31", 50002),
    ]
    assert not [t for t in verify_plan.targets(checks, "cli1") if t["host"] == "10.0.0.32"]
    assert verify_plan.targets(checks, "cli2") == []
    assert verify_plan.listen_ports_by_host(checks) == {"dist1": [50003], "srv1": [50000, 50001, 50002],
                                                        "cli1": [50000, 50001, 50002]}


def test_checks_of_a_host_down_from_the_start_are_not_run_and_counted_apart():
    p = plan()
    hv = answers(p["checks"], copy.deepcopy(HOSTVARS))
    results = verify_judge.merge_results(p["checks"], hv, down=["cli2"])
    found = by_key(results)
    for key in DOWN_ALLOWED | DOWN_DENIED:
        r = found[key]
        assert (r["state"], r["display"], r["ok"], r["reason"]) == ("not-run", "not-run", None, "host down"), r
        assert "cli2" in r["error"]
    assert found[("srv1", "cli2", 50001)]["line"] == \
        "srv1 -> cli2 50001/tcp (sweep_now, allowed): expected open, not run (host down: cli2)"
    for key in RUN_ALLOWED | RUN_DENIED:
        assert found[key]["ok"] is True and found[key]["reason"] is None

    rep = verify_judge.report(results, sampling=p["sampling"], groups=GROUPS)
    s = rep["summary"]
    assert (s["total"], s["ok"], s["failed"], s["not_run"], s["down_hosts"]) == (28, 17, 0, 11, ["cli2"])
    assert (s["allowed"], s["denied"], s["verdict"]) == (13, 15, "pass")
    assert s["states"]["not-run"] == 11
    assert rep["mismatches"] == [] and rep["failures"] == []
    assert verify_judge.summary_line(rep) == (
        "17 of 28 Webroot flows met their expectation, 0 failed, 11 not run (host down: cli2); "
        "13 allowed, 15 denied; denied checks: 15 sampled of 15 possible.")


def test_a_host_that_goes_down_during_the_run():
    """Planned with everybody up; cli2 then drops out (its listener or its checks)."""
    p = verify_plan.plan_checks(TABLE_11, GROUPS, HOSTVARS, sources=MANAGED, listening=MANAGED)
    hv = copy.deepcopy(HOSTVARS)
    # The others connected to cli2 and found nothing; cli2 registered nothing.
    states = dict((c["id"], "filtered") for c in p["checks"] if c["destination"] == "cli2")
    answers(p["checks"], hv, states)
    hv["cli2"].pop("__verify_portcheck")
    results = verify_judge.merge_results(p["checks"], hv, down=["cli2"])
    found = by_key(results)
    involved = set(k for k in found if "cli2" in k[:2])
    # Written out: the 5 allowed flows above, cli2's own sampled denied checks, and those to it.
    assert involved == DOWN_ALLOWED | DOWN_DENIED | {
        ("cli2", "cli1", 50000), ("cli2", "cli1", 50001), ("cli2", "cli1", 50002),
        ("cli2", "srv1", 50001), ("cli2", "srv1", 50002)}
    assert all(found[k]["ok"] is None and found[k]["display"] == "not-run" for k in involved)
    rep = verify_judge.report(results)
    assert (rep["summary"]["failed"], rep["summary"]["not_run"]) == (0, 16)
    assert rep["summary"]["ok"] == rep["summary"]["total"] - 16


def test_a_source_in_the_play_without_results_is_still_a_failure():
    p = plan(down=(), sources=MANAGED)
    hv = answers(p["checks"], copy.deepcopy(HOSTVARS))
    hv["cli2"]["__verify_portcheck"] = {}  # in the play, but registered nothing
    rep = verify_judge.report(verify_judge.merge_results(p["checks"], hv))
    cli2 = len([c for c in p["checks"] if c["source"] == "cli2"])
    assert rep["summary"]["failed"] == cli2 and rep["summary"]["not_run"] == 0
    assert rep["summary"]["verdict"] == "fail"


def test_fail_on_down_makes_the_verdict_fail():
    p = plan()
    results = verify_judge.merge_results(p["checks"], answers(p["checks"], copy.deepcopy(HOSTVARS)), down=["cli2"])
    assert verify_judge.report(results, fail_on_down=True)["summary"]["verdict"] == "fail"
    assert verify_judge.report(results)["summary"]["verdict"] == "pass"


def test_the_reports_show_not_run_apart():
    p = plan()
    results = verify_judge.merge_results(p["checks"], answers(p["checks"], copy.deepcopy(HOSTVARS)), down=["cli2"])
    rep = verify_judge.report(results, sampling=p["sampling"], groups=GROUPS)
    files = verify_render.render_reports(rep, groups=GROUPS)

    root = ET.fromstring(files["webroot-verify.junit.xml"].encode("utf-8"))
    assert root.findall(".//failure") == []
    skipped = [c for c in root.findall(".//testcase") if c.find("skipped") is not None]
    assert sorted(c.get("name") for c in skipped) == sorted(
        "%s -> %s %d/tcp %s" % (k[0], k[1], k[2], kind)
        for kind, group in (("allowed", DOWN_ALLOWED), ("denied", DOWN_DENIED)) for k in group)
    assert skipped[0].find("skipped").get("message") == "not run: host down (cli2)"
    assert sum(int(s.get("skipped")) for s in root.findall("testsuite")) == 11
    assert root.get("skipped") == "11" and root.get("failures") == "0" and root.get("tests") == "28"

    html = files["webroot-verify.html"]
    assert "PASS: all 17 checked flows as expected" in html
    assert "11 not run: host down (cli2)" in html
    assert "Not as expected" not in html
    assert "s-not-run down" in html and "s-not-run down bad" not in html

    data = json.loads(files["webroot-verify.json"])
    assert data["summary"]["not_run"] == 11 and data["summary"]["down_hosts"] == ["cli2"]
    assert len([r for r in verify_render.read_json_report(data) if r["reason"] == "host down" and r["ok"] is None]) == 11

    cell = rep["groups"]["cells"]["webroot_servers"]["webroot_clients"]
    assert {"port": 50001, "component": "sweep_now", "kind": "allowed", "ok": 1, "total": 2,
            "not_run": 1} in cell

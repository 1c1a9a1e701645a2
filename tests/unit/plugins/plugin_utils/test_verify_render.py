# -*- coding: utf-8 -*-
# Copyright: (c) 2026, webroot.enterprise contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The verify reports over generated results: content, layout, and growth with the estate.

The HTML page must stay linear in the number of hosts (no host x host matrix past
a few dozen hosts) and small per check; these tests fail when it grows with N^2.
Names, addresses and states a host could make up are in test_verify_render_hostile.py
(with the page opened in Chromium).
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import re
import xml.etree.ElementTree as ET

from ansible_collections.webroot.enterprise.plugins.plugin_utils import verify_judge
from ansible_collections.webroot.enterprise.plugins.plugin_utils import verify_plan
from ansible_collections.webroot.enterprise.plugins.plugin_utils import verify_render
from ansible_collections.webroot.enterprise.plugins.plugin_utils.catalog import TABLE_11
from verify_fixture import as_expected, register


def estate(clients, servers=2, distributors=4):
    groups = {
        "webroot_distributors": ["dist%02d" % i for i in range(distributors)],
        "webroot_servers": ["srv%d" % i for i in range(servers)],
        "webroot_clients": ["ws%04d" % i for i in range(clients)],
        "webroot_update_endpoints": ["upd1"],
    }
    hostvars = {"upd1": {"ansible_host": "198.18.62.1"}}
    for i, h in enumerate(groups["webroot_distributors"]):
        hostvars[h] = {"webroot_address": "198.18.61.%d" % (i + 1)}
    for i, h in enumerate(groups["webroot_servers"]):
        hostvars[h] = {"webroot_address": "198.18.60.%d" % (i + 1)}
    for i, h in enumerate(groups["webroot_clients"]):
        hostvars[h] = {"webroot_address": "198.18.%d.%d" % (64 + i // 250, i % 250 + 1)}
    return groups, hostvars


def registered(clients, broken=()):
    """``(groups, hostvars, plan)``: every check as expected but those in ``broken``, registered."""
    groups, hostvars = estate(clients)
    managed = groups["webroot_distributors"] + groups["webroot_servers"] + groups["webroot_clients"]
    plan = verify_plan.plan_checks(TABLE_11, groups, hostvars, listening=managed)
    by_source = {}
    for c in plan["checks"]:
        want = "open" if c["expect"] in ("open", "reachable") else c["expect"]
        state = ("filtered" if want == "open" else "open") if c["id"] in broken else want
        by_source.setdefault(c["source"], []).append({
            "name": c["id"], "state": state, "ok": state == want, "address": c["host"],
            "error": None if state == "open" else "no answer within 2s",
            "tls_ok": (state == "open") if c["tls"] else None, "tls_error": None,
            "tls_version": "TLSv1.3" if c["tls"] and state == "open" else None})
    register(hostvars, by_source, plan["checks"])
    return groups, hostvars, plan


def rendered(clients, broken=()):
    groups, hostvars, plan = registered(clients, broken)
    results = verify_judge.merge_results(plan["checks"], hostvars)
    rep = verify_judge.report(results, sampling=plan["sampling"], groups=groups)
    return rep, verify_render.render_reports(rep, groups=groups), plan


def test_small_estate_has_the_matrix_and_failures_first():
    rep, files, plan = rendered(2, broken={"sweep_now:srv0:ws0001:50001"})
    html = files["webroot-verify.html"]
    assert "FAIL: 1 of %d flows not as expected" % len(plan["checks"]) in html
    assert '<table class="matrix">' in html and "s-filtered bad" in html
    assert html.index("FAIL:") < html.index("Not as expected (1)") < html.index("All checks by group") \
        < html.index('<table class="matrix">') < html.index('<table id="host-table">')
    failure_row = html[html.index('<table class="fail">'):html.index("</table>", html.index('<table class="fail">'))]
    for cell in ("<td>srv0</td>", "ws0001", "50001/tcp", "<td>sweep_now</td>", "<td>allowed</td>", "<td>open</td>",
                 u"filtered \u2717", "no answer within 2s", "Table 11: webroot_servers connect to ws0001 on Sweep Now"):
        assert cell in failure_row, cell
    # Self-contained: no external asset, one script of ours (its hash in the CSP) and its data.
    assert "<link" not in html and "src=" not in html and not re.search("https?:", html)
    assert html.count("<script") == 2 and '<script type="application/json" id="verify-data">' in html
    csp = html.replace("&#39;", "'")
    assert "script-src 'sha256-" in csp and "default-src 'none'" in csp
    assert "Denied checks: <b>" in html


def test_the_passes_are_counted_per_group_component_and_outcome():
    """2 servers x 2 workstations on Sweep Now: 4 allowed checks, one broken, by hand."""
    rep, files, plan = rendered(2, broken={"sweep_now:srv0:ws0001:50001"})
    html = files["webroot-verify.html"]
    body = html[html.index('<tbody id="agg-body">'):html.index("</tbody>", html.index('<tbody id="agg-body">'))]
    rows = [re.sub(r"(<[^>]+>)+", "|", row).strip("|")
            for row in re.findall(r"<tr[^>]*>.*?</tr>", body)]
    assert u"webroot_servers|webroot_clients|50001|sweep_now|allowed|open|open \u2713|as expected|3" in rows
    assert u"webroot_servers|webroot_clients|50001|sweep_now|allowed|open|filtered \u2717|not as expected|1" in rows
    # Every check is in exactly one line.
    assert sum(int(row.rsplit("|", 1)[1]) for row in rows) == len(plan["checks"])
    data = json.loads(html[html.index('id="verify-data">') + len('id="verify-data">'):html.index("</script>")])
    assert len(data["checks"]) == data["width"] * len(plan["checks"])


def test_junit_one_testcase_per_checked_flow():
    rep, files, plan = rendered(30, broken={"sweep_now:srv0:ws0001:50001"})
    root = ET.fromstring(files["webroot-verify.junit.xml"].encode("utf-8"))
    cases = root.findall(".//testcase")
    assert len(cases) == len(plan["checks"]) == rep["summary"]["total"]
    failed = [c for c in cases if c.find("failure") is not None]
    assert [c.get("name") for c in failed] == ["srv0 -> ws0001 50001/tcp allowed"]
    assert failed[0].find("failure").get("message") == "expected open, got filtered"
    assert "Table 11: webroot_servers connect to ws0001 on Sweep Now" in failed[0].find("system-out").text
    # A check as expected is its testcase only.
    assert all(len(c) == 0 for c in cases if c.find("failure") is None)
    data = json.loads(files["webroot-verify.json"])
    assert data["summary"]["failed"] == 1 and len(data["checks"]["rows"]) == len(cases)
    assert data["sampling"]["denied_checked"] == data["summary"]["denied"]


def test_big_estate_has_no_matrix_but_every_host_listed():
    rep, files, _plan = rendered(120)
    html = files["webroot-verify.html"]
    assert '<table class="matrix">' not in html
    hosts = sorted(set(rep["sources"]) | set(rep["destinations"]))
    rows = re.findall(r'<tr data-h="(\d+)"[^>]*><td><a href="#host=([^"]+)">([^<]+)</a>', html)
    assert sorted(r[2] for r in rows) == hosts and all(r[1] == r[2] for r in rows)
    assert "PASS: all" in html


def test_html_grows_linearly_not_with_n_squared():
    small = rendered(150)[1]["webroot-verify.html"]
    large = rendered(600)[1]["webroot-verify.html"]
    size_ratio = len(large) / float(len(small))
    tags_ratio = len(re.findall("<t[dr]", large)) / float(len(re.findall("<t[dr]", small)))
    # 4x the hosts: linear is about 4x, N^2 would be about 16x.
    assert size_ratio < 6, size_ratio
    assert tags_ratio < 6, tags_ratio


def test_reports_stay_small_per_check():
    """The budget of 3,000 workstations (HTML 5 MB, JSON 10 MB for 117,000 checks), per check."""
    rep, files, plan = rendered(600)
    checks = len(plan["checks"])
    html, data = len(files["webroot-verify.html"].encode("utf-8")), len(files["webroot-verify.json"].encode("utf-8"))
    assert html / float(checks) < 40, html / float(checks)
    assert data / float(checks) < 80, data / float(checks)


# --- the JSON layout, by hand ------------------------------------------------

SMALL_GROUPS = {
    "webroot_distributors": ["dist1"],
    "webroot_servers": ["srv1"],
    "webroot_clients": ["cli1"],
    "webroot_update_endpoints": ["upd1"],
    "ungrouped": [],
}
SMALL_HOSTVARS = {
    "dist1": {"webroot_address": "10.0.0.11"},
    "srv1": {"webroot_address": "10.0.0.21"},
    "cli1": {"webroot_address": "10.0.0.31"},
    "upd1": {"ansible_host": "updates.example.com"},
}


def small_reports(state_of=None):
    hostvars = json.loads(json.dumps(SMALL_HOSTVARS))
    plan = verify_plan.plan_checks(TABLE_11, SMALL_GROUPS, hostvars, listening=["dist1", "srv1", "cli1"])
    rows = {}
    for c in plan["checks"]:
        state = (state_of or {}).get(c["id"], c["expect"])
        rows.setdefault(c["source"], []).append({
            "name": c["id"], "state": state, "ok": state == c["expect"], "address": c["host"],
            "error": None if state == "open" else "no answer within 2s",
            "tls_ok": True if c["tls"] else None, "tls_error": None, "tls_version": "TLSv1.3" if c["tls"] else None})
    register(hostvars, rows, plan["checks"])
    results = verify_judge.merge_results(plan["checks"], hostvars)
    rep = verify_judge.report(results, sampling=plan["sampling"], groups=SMALL_GROUPS)
    return results, verify_render.render_reports(rep, groups=SMALL_GROUPS)


def test_json_is_a_table_of_every_check_written_out_by_hand():
    _results, files = small_reports({"sweep_now:srv1:cli1:50001": "filtered"})
    data = json.loads(files["webroot-verify.json"])
    assert data["format"] == 2 and data["collection"] == "webroot.enterprise" and data["role"] == "verify"
    assert data["summary"]["total"] == 17 and data["summary"]["failed"] == 1
    assert data["mismatches"] == [
        "srv1 -> cli1 50001/tcp (sweep_now, allowed): expected open, got filtered (no answer within 2s)"]
    assert data["hosts"] == {"columns": ["name", "group", "address", "connect"], "rows": [
        ["cli1", "webroot_clients", "10.0.0.31", "10.0.0.31"],
        ["dist1", "webroot_distributors", "10.0.0.11", "10.0.0.11"],
        ["srv1", "webroot_servers", "10.0.0.21", "10.0.0.21"],
        ["upd1", "webroot_update_endpoints", None, "updates.example.com"]]}
    assert data["flows"]["columns"] == ["port", "component", "kind", "expect", "basis", "listener", "tls", "title",
                                        "protocol"]
    assert data["flows"]["rows"][0] == [443, "update_service", "allowed", "open", "inventory", False, True,
                                        "Update Service", "tcp"]
    assert data["checks"]["columns"] == ["source", "destination", "flow", "state", "ok", "error", "why",
                                         "listener_state", "more"]
    assert data["errors"] == ["no answer within 2s"]
    hosts = [h[0] for h in data["hosts"]["rows"]]
    flows = [tuple(f[:4]) for f in data["flows"]["rows"]]
    found = {}
    for row in data["checks"]["rows"]:
        flow = flows[row[2]]
        found[(hosts[row[0]], hosts[row[1]], flow[0])] = (flow[1], flow[2], flow[3]) + tuple(row[3:8]) + (row[8],)
    why = data["whys"]
    assert len(found) == 17
    sweep = found[("srv1", "cli1", 50001)]
    assert sweep[:8] == ("sweep_now", "allowed", "open", "filtered", False, 0, sweep[6], "ours")
    assert why[sweep[6]].format(source="srv1", destination="cli1") == \
        "Table 11: webroot_servers connect to cli1 on Sweep Now"
    cli1_dist1 = found[("cli1", "dist1", 50003)]
    assert cli1_dist1[:8] == ("update_distributor", "allowed", "open", "open", True, None, cli1_dist1[6], "ours")
    denied = found[("dist1", "cli1", 50001)]
    assert denied[:6] == ("sweep_now", "denied", "filtered", "filtered", True, 0)
    assert why[denied[6]].format(source="dist1", destination="cli1") == \
        "dist1 is not in webroot_servers, the only sources of Sweep Now on cli1"
    # The TLS check: what port_check said of the handshake is in "more"; no listener on a real service.
    tls = found[("dist1", "upd1", 443)]
    assert tls[3:] == ("open", True, None, tls[6], None, {"tls_ok": True, "tls_version": "TLSv1.3"})


def test_read_json_report_gives_back_every_result():
    results, files = small_reports({"sweep_now:srv1:cli1:50001": "filtered", "update_service:dist1:upd1:443": "refused"})
    back = verify_render.read_json_report(json.loads(files["webroot-verify.json"]))
    keep = ("source", "destination", "port", "component", "kind", "expect", "basis", "listener", "tls", "title",
            "protocol", "source_address", "destination_address", "host", "ok", "error", "why", "listener_state",
            "address", "tls_ok", "tls_error", "tls_version", "reason", "down")
    assert [dict((k, r.get(k)) for k in keep) for r in back] == \
        [dict((k, r.get(k)) for k in keep) for r in results]
    assert [r["state"] for r in back] == [r["display"] for r in results]


def test_json_reasons_of_a_plan_scope_come_back_exactly():
    """A rule scoped by the plan (webroot_plan on cli1: Sweep Now from 10.0.5.0/24 only):
    the reasons of its denied checks are one text with {source} and {destination}."""
    hostvars = json.loads(json.dumps(SMALL_HOSTVARS))
    hostvars["cli1"]["webroot_plan"] = {"sweep_now": {
        "component": "sweep_now", "state": "present", "port": 50001, "protocol": "tcp",
        "rules": [{"direction": "in", "port": 50001, "protocol": "tcp", "any_peer": False,
                   "peers": ["10.0.5.0/24"], "peer_groups": []}]}}
    plan = verify_plan.plan_checks(TABLE_11, SMALL_GROUPS, hostvars, listening=["dist1", "srv1", "cli1"])
    results = verify_judge.merge_results(plan["checks"], hostvars)  # no results: every check not run
    rep = verify_judge.report(results, sampling=plan["sampling"], groups=SMALL_GROUPS)
    data = json.loads(verify_render.render_reports(rep, groups=SMALL_GROUPS)["webroot-verify.json"])
    assert "webroot_plan.sweep_now of {destination} (10.0.5.0/24) leaves {source} out" in data["whys"]
    back = verify_render.read_json_report(data)
    assert [r["why"] for r in back] == [r["why"] for r in results]
    mine = [r for r in back if (r["source"], r["destination"], r["port"]) == ("srv1", "cli1", 50001)][0]
    assert mine["why"] == "webroot_plan.sweep_now of cli1 (10.0.5.0/24) leaves srv1 out"
    assert mine["kind"] == "denied" and mine["basis"] == "plan"


# --- hostile results: a source host's answer is data, never code ---------------

HOSTILE_STATE = "weird<script>alert(1)</script>"
# Every C0 control character, and a few characters XML 1.0 does not allow either.
CONTROL = "".join(chr(c) for c in range(0x20)) + "\x7f\ud800\ufffe"
ERROR = "bad <img src=x onerror=alert(1)> " + CONTROL + " end"


def hostile(reg_for_srv0=None):
    """A small estate whose srv0 answers with an unknown state and control characters."""
    groups, hostvars = estate(2, servers=1, distributors=1)
    managed = groups["webroot_distributors"] + groups["webroot_servers"] + groups["webroot_clients"]
    plan = verify_plan.plan_checks(TABLE_11, groups, hostvars, listening=managed)
    by_source = {}
    for c in plan["checks"]:
        by_source.setdefault(c["source"], []).append(as_expected(c))
    weird = by_source["srv0"][0]
    weird.update({"state": HOSTILE_STATE, "ok": True, "error": ERROR, "address": "<b>" + CONTROL})
    register(hostvars, by_source, plan["checks"])
    if reg_for_srv0 is not None:
        hostvars["srv0"]["__verify_portcheck"] = reg_for_srv0
    results = verify_judge.merge_results(plan["checks"], hostvars)
    rep = verify_judge.report(results, sampling=plan["sampling"], groups=groups)
    return rep, verify_render.render_reports(rep, groups=groups, matrix_max=40), plan, weird["name"]


def test_an_unknown_state_and_control_characters_still_give_three_valid_reports():
    rep, files, plan, weird_id = hostile()
    assert sorted(files) == ["webroot-verify.html", "webroot-verify.json", "webroot-verify.junit.xml"]
    # The unknown state is shown as it is, and it is not what was expected.
    weird = [r for r in rep["results"] if r["id"] == weird_id][0]
    assert weird["display"] == HOSTILE_STATE and weird["ok"] is False
    assert rep["summary"]["failed"] == 1 and rep["summary"]["states"][HOSTILE_STATE] == 1

    # JUnit: parses strictly, one failure, the value readable in it, no control character.
    root = ET.fromstring(files["webroot-verify.junit.xml"].encode("utf-8"))
    failures = root.findall(".//failure")
    assert len(root.findall(".//testcase")) == len(plan["checks"]) and len(failures) == 1
    assert HOSTILE_STATE in failures[0].get("message")
    assert "bad <img src=x onerror=alert(1)>" in failures[0].text and failures[0].text.endswith("end)")
    junit = files["webroot-verify.junit.xml"]
    assert not [ch for ch in junit if (ord(ch) < 0x20 and ch not in "\n") or 0x7f <= ord(ch) <= 0x9f
                or 0xd800 <= ord(ch) <= 0xdfff or ch in u"\ufffe\uffff"]

    # JSON: the raw values, valid JSON (a lone surrogate cannot be written as UTF-8: U+FFFD).
    data = json.loads(files["webroot-verify.json"])

    def check_id(r):
        return "%s:%s:%s:%s" % (r["component"], r["source"], r["destination"], r["port"])

    raw = [r for r in verify_render.read_json_report(data) if check_id(r) == weird_id][0]
    assert raw["state"] == HOSTILE_STATE and raw["error"] == ERROR.replace(u"\ud800", u"\ufffd")
    assert raw["address"] == ("<b>" + CONTROL).replace(u"\ud800", u"\ufffd")

    # HTML: escaped everywhere (text and attributes), no control character left.
    html = files["webroot-verify.html"]
    assert "<script>alert" not in html and "<img" not in html and "<b>\x00" not in html
    assert "weird&lt;script&gt;alert(1)&lt;/script&gt;" in html and "bad &lt;img src=x" in html
    assert not [ch for ch in html if (ord(ch) < 0x20 and ch not in "\t\n\r") or 0xd800 <= ord(ch) <= 0xdfff]
    assert 's-weird' not in html  # no class made from host data


def test_results_of_the_wrong_shape_are_not_fatal():
    cases = [
        {"results_json": "{not json"},
        {"results_json": json.dumps([1, "x", None, {"name": ["a"], "state": {"x": 1}}])},
        {"results": [{"name": {"a": 1}}, "text"]},
        {"results": "not a list"},
        "not a dict",
    ]
    for reg in cases:
        rep, files, plan, _weird = hostile(reg)
        srv0 = [r for r in rep["results"] if r["source"] == "srv0"]
        assert srv0 and all(r["display"] == "not-run" and r["ok"] is False for r in srv0), reg
        ET.fromstring(files["webroot-verify.junit.xml"].encode("utf-8"))
        json.loads(files["webroot-verify.json"])


def test_a_state_of_the_wrong_type_is_shown_not_fatal():
    groups, hostvars = estate(1, servers=1, distributors=1)
    plan = verify_plan.plan_checks(TABLE_11, groups, hostvars, listening=[])
    check = plan["checks"][0]
    hostvars[check["source"]]["__verify_portcheck"] = {"results": [
        {"name": check["id"], "state": ["open"], "ok": True, "error": 12, "tls_error": {"a": "<x>"}}]}
    results = verify_judge.merge_results([check], hostvars)
    assert results[0]["ok"] is False and results[0]["display"] == "['open']"
    rep = verify_judge.report(results, groups=groups)
    files = verify_render.render_reports(rep, groups=groups)
    ET.fromstring(files["webroot-verify.junit.xml"].encode("utf-8"))
    assert "[&#39;open&#39;]" in files["webroot-verify.html"]
    assert verify_render.read_json_report(json.loads(files["webroot-verify.json"]))[0]["state"] == "['open']"


def test_a_source_cannot_claim_ok_for_a_state_that_is_not_expected():
    groups, hostvars = estate(1, servers=1, distributors=1)
    plan = verify_plan.plan_checks(TABLE_11, groups, hostvars, listening=[])
    check = [c for c in plan["checks"] if c["kind"] == "denied"][0]
    hostvars[check["source"]]["__verify_portcheck"] = {"results": [
        {"name": check["id"], "state": "open", "ok": True, "error": None}]}
    result = verify_judge.merge_results([check], hostvars)[0]
    assert result["expect"] == "filtered" and result["ok"] is False


def test_the_roles_lean_judging_writes_the_same_reports():
    """verify_reports asks merge_results for no sentence on a pass and report for no matrix
    (lines=False, matrix=False): the three files must be the same, matrix included."""
    groups, hostvars, plan = registered(2, broken={"sweep_now:srv0:ws0001:50001"})
    rep = verify_judge.report(verify_judge.merge_results(plan["checks"], hostvars), sampling=plan["sampling"], groups=groups)
    files = verify_render.render_reports(rep, groups=groups)
    lean_results = verify_judge.merge_results(plan["checks"], hostvars, lines=False)
    lean = verify_judge.report(lean_results, sampling=plan["sampling"], groups=groups, matrix=False)
    assert lean["matrix"] == {} and rep["matrix"] != {}
    assert lean["sources"] == rep["sources"] and lean["destinations"] == rep["destinations"]
    assert lean["summary"] == rep["summary"] and lean["mismatches"] == rep["mismatches"]
    assert [r["line"] for r in lean_results if not r["ok"]] == [
        "srv0 -> ws0001 50001/tcp (sweep_now, allowed): expected open, got filtered (no answer within 2s)"]
    assert all(r["line"] is None for r in lean_results if r["ok"])
    assert verify_render.render_reports(lean, groups=groups) == files
    root = ET.fromstring(files["webroot-verify.junit.xml"].encode("utf-8"))
    failure = root.find(".//failure")
    assert failure.text == \
        "srv0 -> ws0001 50001/tcp (sweep_now, allowed): expected open, got filtered (no answer within 2s)"

# -*- coding: utf-8 -*-
# Copyright: (c) 2026, webroot.enterprise contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The verify reports over generated results: content, and growth with the estate.

The HTML page must stay linear in the number of hosts (no host x host matrix past
a few dozen hosts); these tests fail when it grows with N^2.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import re
import xml.etree.ElementTree as ET

from ansible_collections.webroot.enterprise.plugins.module_utils import flows as F
from ansible_collections.webroot.enterprise.plugins.module_utils.catalog import TABLE_11


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


def rendered(clients, broken=()):
    groups, hostvars = estate(clients)
    managed = groups["webroot_distributors"] + groups["webroot_servers"] + groups["webroot_clients"]
    plan = F.plan_checks(TABLE_11, groups, hostvars, listening=managed)
    by_source = {}
    for c in plan["checks"]:
        want = "open" if c["expect"] in ("open", "reachable") else c["expect"]
        state = ("filtered" if want == "open" else "open") if c["id"] in broken else want
        by_source.setdefault(c["source"], []).append({
            "name": c["id"], "state": state, "ok": state == want, "address": c["host"],
            "error": None if state == "open" else "no answer within 2s",
            "tls_ok": (state == "open") if c["tls"] else None, "tls_error": None,
            "tls_version": "TLSv1.3" if c["tls"] and state == "open" else None})
    for src, rows in by_source.items():
        hostvars[src]["__verify_portcheck"] = {"results": [], "results_json": json.dumps(rows)}
    for host, ports in F.listen_ports_by_host(plan["checks"]).items():
        hostvars[host]["__verify_listener"] = {"pid": 1, "bound": ports, "busy": []}
    results = F.merge_results(plan["checks"], hostvars)
    rep = F.report(results, sampling=plan["sampling"], groups=groups)
    return rep, F.render_reports(rep, groups=groups), plan


def test_small_estate_has_the_matrix_and_failures_first():
    rep, files, plan = rendered(2, broken={"sweep_now:srv0:ws0001:50001"})
    html = files["webroot-verify.html"]
    assert "FAIL: 1 of %d flows not as expected" % len(plan["checks"]) in html
    assert '<table class="matrix">' in html and "s-filtered bad" in html
    assert html.index("FAIL:") < html.index("Not as expected") < html.index("Group &times; group") \
        < html.index('<table class="matrix">') < html.index("<details")
    failure_row = html[html.index('<table class="fail">'):html.index("</table>", html.index('<table class="fail">'))]
    for cell in ("<td>srv0</td>", "ws0001", "50001/tcp", "<td>open</td>", "filtered &#10007;"):
        assert cell in failure_row
    assert "<script" not in html and "<link" not in html and "src=" not in html and "http" not in html
    assert "Denied checks: <b>" in html


def test_junit_one_testcase_per_checked_flow():
    rep, files, plan = rendered(30, broken={"sweep_now:srv0:ws0001:50001"})
    root = ET.fromstring(files["webroot-verify.junit.xml"].encode("utf-8"))
    cases = root.findall(".//testcase")
    assert len(cases) == len(plan["checks"]) == rep["summary"]["total"]
    assert [c.get("name") for c in cases if c.find("failure") is not None] == ["srv0 -> ws0001 50001/tcp allowed"]
    data = json.loads(files["webroot-verify.json"])
    assert data["summary"]["failed"] == 1 and len(data["results"]) == len(cases)
    assert data["sampling"]["denied_checked"] == data["summary"]["denied"]


def test_big_estate_has_no_matrix_but_every_host_on_demand():
    rep, files, _plan = rendered(120)
    html = files["webroot-verify.html"]
    assert '<table class="matrix">' not in html
    assert html.count("<details") == len(set(rep["sources"]) | set(rep["destinations"]))
    assert "PASS: all" in html


def test_html_grows_linearly_not_with_n_squared():
    small = rendered(150)[1]["webroot-verify.html"]
    large = rendered(600)[1]["webroot-verify.html"]
    size_ratio = len(large) / float(len(small))
    tags_ratio = len(re.findall("<t[dr]", large)) / float(len(re.findall("<t[dr]", small)))
    # 4x the hosts: linear is about 4x, N^2 would be about 16x.
    assert size_ratio < 6, size_ratio
    assert tags_ratio < 6, tags_ratio


# --- hostile results: a source host's answer is data, never code ---------------

HOSTILE_STATE = "weird<script>alert(1)</script>"
# Every C0 control character, and a few characters XML 1.0 does not allow either.
CONTROL = "".join(chr(c) for c in range(0x20)) + "\x7f\ud800\ufffe"
ERROR = "bad <img src=x onerror=alert(1)> " + CONTROL + " end"


def hostile(reg_for_srv0=None):
    """A small estate whose srv0 answers with an unknown state and control characters."""
    groups, hostvars = estate(2, servers=1, distributors=1)
    managed = groups["webroot_distributors"] + groups["webroot_servers"] + groups["webroot_clients"]
    plan = F.plan_checks(TABLE_11, groups, hostvars, listening=managed)
    by_source = {}
    for c in plan["checks"]:
        want = "open" if c["expect"] in ("open", "reachable") else c["expect"]
        by_source.setdefault(c["source"], []).append({
            "name": c["id"], "state": want, "ok": True, "address": c["host"], "error": None,
            "tls_ok": True if c["tls"] else None, "tls_error": None, "tls_version": None})
    weird = by_source["srv0"][0]
    weird.update({"state": HOSTILE_STATE, "ok": True, "error": ERROR, "address": "<b>" + CONTROL})
    for src, rows in by_source.items():
        hostvars[src]["__verify_portcheck"] = {"results_json": json.dumps(rows)}
    if reg_for_srv0 is not None:
        hostvars["srv0"]["__verify_portcheck"] = reg_for_srv0
    for host, ports in F.listen_ports_by_host(plan["checks"]).items():
        hostvars[host]["__verify_listener"] = {"pid": 1, "bound": ports, "busy": []}
    results = F.merge_results(plan["checks"], hostvars)
    rep = F.report(results, sampling=plan["sampling"], groups=groups)
    return rep, F.render_reports(rep, groups=groups, matrix_max=40), plan, weird["name"]


def test_an_unknown_state_and_control_characters_still_give_three_valid_reports():
    rep, files, plan, weird_id = hostile()
    assert sorted(files) == ["webroot-verify.html", "webroot-verify.json", "webroot-verify.junit.xml"]
    # The unknown state is shown as it is, and it is not what was expected.
    weird = [r for r in rep["results"] if r["id"] == weird_id][0]
    assert weird["display"] == HOSTILE_STATE and weird["ok"] is False
    assert rep["summary"]["failed"] == 1 and rep["summary"]["states"][HOSTILE_STATE] == 1

    # JUnit: parses strictly, one failure, the value readable in it.
    root = ET.fromstring(files["webroot-verify.junit.xml"].encode("utf-8"))
    failures = root.findall(".//failure")
    assert len(root.findall(".//testcase")) == len(plan["checks"]) and len(failures) == 1
    assert HOSTILE_STATE in failures[0].get("message")
    assert "\\x00" in failures[0].text and "\\x1f" in failures[0].text and "\\x1b" in failures[0].text

    # JSON: the raw values, valid JSON.
    data = json.loads(files["webroot-verify.json"])
    raw = [r for r in data["results"] if r["id"] == weird_id][0]
    assert raw["state"] == HOSTILE_STATE and raw["error"] == ERROR

    # HTML: escaped everywhere (text and attributes), no control character left.
    html = files["webroot-verify.html"]
    assert "<script" not in html and "<img" not in html
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
    plan = F.plan_checks(TABLE_11, groups, hostvars, listening=[])
    check = plan["checks"][0]
    hostvars[check["source"]]["__verify_portcheck"] = {"results": [
        {"name": check["id"], "state": ["open"], "ok": True, "error": 12, "tls_error": {"a": "<x>"}}]}
    results = F.merge_results([check], hostvars)
    assert results[0]["ok"] is False and results[0]["display"] == "['open']"
    rep = F.report(results, groups=groups)
    files = F.render_reports(rep, groups=groups)
    ET.fromstring(files["webroot-verify.junit.xml"].encode("utf-8"))
    assert "[&#39;open&#39;]" in files["webroot-verify.html"]


def test_a_source_cannot_claim_ok_for_a_state_that_is_not_expected():
    groups, hostvars = estate(1, servers=1, distributors=1)
    plan = F.plan_checks(TABLE_11, groups, hostvars, listening=[])
    check = [c for c in plan["checks"] if c["kind"] == "denied"][0]
    hostvars[check["source"]]["__verify_portcheck"] = {"results": [
        {"name": check["id"], "state": "open", "ok": True, "error": None}]}
    result = F.merge_results([check], hostvars)[0]
    assert result["expect"] == "filtered" and result["ok"] is False

# -*- coding: utf-8 -*-
# Copyright: (c) 2026, webroot.enterprise contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Issue 23 item 4: what a Windows source can tell, and how verify judges it.

Windows resends a SYN that got a reset and reports ``refused`` only after its retries,
so a socket without SIO_TCP_INITIAL_RTO (Windows before 10 1709 / Server 2019, or the
call failed) reads a closed port ``filtered`` within the timeout; port_check.ps1 says so
per result (``rst_detectable: false``). For such a ``filtered`` verify's judgement is:
a denied check (expects ``filtered``) still passes, since the connection was not
accepted; an allowed one (``open``, ``reachable``) and a ``refused`` expectation do not,
and the error says that the port may be closed rather than filtered. Every check and
every expected outcome below is written out by hand.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

import pytest

from ansible_collections.webroot.enterprise.plugins.plugin_utils import verify_judge
from ansible_collections.webroot.enterprise.plugins.plugin_utils import verify_render

PS1_NOTE = ("no answer within 2s; this Windows host cannot tell a reset from no answer (Windows build 14393 "
            "has no TCP_INITIAL_RTO_NO_SYN_RETRANSMISSIONS (build 16299, Windows 10 1709 / Server 2019, and "
            "later)), so the port may be closed rather than filtered")


def check(source, destination, port, kind, expect, listener=True):
    """A check in the shape verify_plan.plan_checks gives (``_check``), every field by hand."""
    return {"id": "sweep_now:%s:%s:%d" % (source, destination, port), "component": "sweep_now",
            "title": "Sweep Now", "port": port, "protocol": "tcp", "tls": False, "kind": kind,
            "source": source, "source_address": "10.0.0.5", "destination": destination,
            "destination_address": "10.0.0.9", "host": "10.0.0.9", "expect": expect, "listener": listener,
            "basis": "plan", "why": "test"}


def found(c, state, ok, error=None, **extra):
    row = {"name": c["id"], "state": state, "ok": ok, "address": c["host"], "error": error,
           "tls_ok": None, "tls_error": None, "tls_version": None}
    row.update(extra)
    return row


def merge(checks, rows, windows=None, listening=True):
    """Every check from ``win1``; ``windows`` is its ``__verify_windows`` (None: not set)."""
    hostvars = {"win1": {"__verify_portcheck": {"results_json": json.dumps(rows)}}, "dst1": {}}
    if windows is not None:
        hostvars["win1"]["__verify_windows"] = windows
    if listening:
        hostvars["dst1"]["__verify_listener"] = {"pid": 1, "bound": [50001], "busy": []}
    return verify_judge.merge_results(checks, hostvars)


def test_a_windows_source_that_sees_resets_fails_a_denied_check_on_a_reset():
    """rst_detectable true: refused is a reset, the packet reached the host: a hole."""
    denied = check("win1", "dst1", 50001, "denied", "filtered")
    [r] = merge([denied], [found(denied, "refused", False, "connection refused (RST)", rst_detectable=True)], True)
    assert (r["state"], r["ok"], r["error"]) == ("refused", False, "connection refused (RST)")
    assert "rst_detectable" not in r
    assert r["line"] == ("win1 -> dst1 50001/tcp (sweep_now, denied): expected filtered, got refused "
                         "(connection refused (RST))")


def test_filtered_from_a_blind_source_still_passes_a_denied_check():
    denied = check("win1", "dst1", 50001, "denied", "filtered")
    [r] = merge([denied], [found(denied, "filtered", True, PS1_NOTE, rst_detectable=False)], True)
    assert (r["state"], r["ok"], r["rst_detectable"]) == ("filtered", True, False)
    assert r["error"] == PS1_NOTE  # port_check.ps1 said it already: not said twice
    assert r["listener_state"] == "ours"


@pytest.mark.parametrize("expect", ["open", "reachable", "refused"])
def test_filtered_from_a_blind_source_never_meets_open_reachable_or_refused(expect):
    allowed = check("win1", "dst1", 50001, "allowed", expect)
    [r] = merge([allowed], [found(allowed, "filtered", False, PS1_NOTE, rst_detectable=False)], True)
    assert (r["state"], r["ok"], r["rst_detectable"]) == ("filtered", False, False)
    assert r["line"] == "win1 -> dst1 50001/tcp (sweep_now, allowed): expected %s, got filtered (%s)" % (
        expect, PS1_NOTE)


def test_open_and_refused_from_a_blind_source_are_certain():
    allowed = check("win1", "dst1", 50001, "allowed", "reachable")
    denied = check("win1", "dst1", 50002, "denied", "filtered", listener=False)
    rows = [found(allowed, "refused", True, "connection refused (RST)", rst_detectable=False),
            found(denied, "open", False, rst_detectable=False)]
    a, d = merge([allowed, denied], rows, True)
    assert (a["state"], a["ok"], a["error"]) == ("refused", True, "connection refused (RST)")
    assert (d["state"], d["ok"], d["error"]) == ("open", False, None)
    assert "rst_detectable" not in a and "rst_detectable" not in d


@pytest.mark.parametrize("windows", [True, "True", "true"])
def test_a_windows_source_that_did_not_say_is_taken_as_blind(windows):
    """__verify_windows is a bool (ansible-core 2.19) or the text 'True' (set_fact before)."""
    denied = check("win1", "dst1", 50001, "denied", "filtered", listener=False)
    [r] = merge([denied], [found(denied, "filtered", True, "no answer within 2s")], windows, listening=False)
    assert (r["state"], r["ok"], r["rst_detectable"]) == ("filtered", True, False)
    assert r["error"] == ("no answer within 2s; win1 cannot tell a reset from no answer (a Windows source "
                          "without SIO_TCP_INITIAL_RTO), so the port may be closed rather than filtered")
    assert r["listener_state"] is None


@pytest.mark.parametrize("windows", [None, False, "False"])
def test_a_posix_source_sees_resets(windows):
    denied = check("win1", "dst1", 50001, "denied", "filtered")
    [r] = merge([denied], [found(denied, "filtered", True, "no answer within 2s")], windows)
    assert (r["state"], r["ok"], r["error"]) == ("filtered", True, "no answer within 2s")
    assert "rst_detectable" not in r


def test_no_direct_connection_claims_nothing():
    """rst_detectable null (proxied or unresolved target) is not blind, even from Windows."""
    allowed = check("win1", "dst1", 443, "allowed", "open", listener=False)
    [r] = merge([allowed], [found(allowed, "filtered", False, "proxy px:3128 unreachable: no answer",
                                  rst_detectable=None)], True, listening=False)
    assert (r["state"], r["ok"], r["error"]) == ("filtered", False, "proxy px:3128 unreachable: no answer")
    assert "rst_detectable" not in r


def test_rst_blind():
    assert verify_judge.rst_blind({"rst_detectable": False}, False) is True
    assert verify_judge.rst_blind({"rst_detectable": True}, True) is False
    assert verify_judge.rst_blind({"rst_detectable": None}, True) is False
    assert verify_judge.rst_blind({}, True) is True
    assert verify_judge.rst_blind({}, False) is False


def test_the_reports_carry_the_explanation():
    """The three reports render such results; the JSON keeps the error with its reason
    for the check that passed, and the failed check's line says it."""
    denied = check("win1", "dst1", 50001, "denied", "filtered")
    allowed = check("win1", "dst1", 50002, "allowed", "reachable", listener=False)
    rows = [found(denied, "filtered", True, PS1_NOTE, rst_detectable=False),
            found(allowed, "filtered", False, PS1_NOTE, rst_detectable=False)]
    rep = verify_judge.report(merge([denied, allowed], rows, True))
    assert (rep["summary"]["ok"], rep["summary"]["failed"]) == (1, 1)
    files = verify_render.render_reports(rep, groups={"webroot_clients": ["win1"], "webroot_servers": ["dst1"]})
    data = json.loads(files["webroot-verify.json"])
    assert data["errors"] == [PS1_NOTE]
    assert data["mismatches"] == ["win1 -> dst1 50002/tcp (sweep_now, allowed): expected reachable, got filtered (%s)"
                                  % PS1_NOTE]
    checks = verify_render.read_json_report(data)
    assert [(c["kind"], c["state"], c["ok"], c["error"]) for c in checks] == [
        ("denied", "filtered", True, PS1_NOTE), ("allowed", "filtered", False, PS1_NOTE)]
    assert "may be closed rather than filtered" in files["webroot-verify.junit.xml"]
    assert "may be closed rather than filtered" in files["webroot-verify.html"]

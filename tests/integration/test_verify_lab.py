# -*- coding: utf-8 -*-
# Copyright: (c) 2026, webroot.enterprise contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The verify role against the built-in lab, on real connections.

Brings the lab up (scripts/lab.sh up), runs site.yml once, then
playbooks/verify.yml with its reports in a temporary directory, and asserts on
what really happened: the JSON report holds every flow of the hand-written list
below (written from Table 11 for this lab, NOT computed from the catalog) with the
state it must have, the JUnit XML parses with the right counts, the HTML has the
matrix, and no temporary listener is left in any container. Then one of our
iptables rules is deleted in wr-client1 for real: verify must fail naming that
flow, and the reports must show it filtered. The lab is brought down at the end.

Traffic stays on the lab network (198.18.10.0/24) and loopback.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import shutil
import subprocess
import xml.etree.ElementTree as ET

import pytest

pytestmark = pytest.mark.lab

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
VENV_BIN = os.path.join(ROOT, ".venv", "bin")
CONTAINERS = ("wr-dist1", "wr-dist2", "wr-server1", "wr-client1", "wr-client2")
WEBROOT_PORTS = (50000, 50001, 50002, 50003)

# Every flow the lab must show, by hand from Table 11 and inventories/lab/hosts.yml:
# (source, destination, port, state). Allowed flows are open (the role's temporary
# listeners stand in for Webroot; 443 is the update endpoint's real HTTPS service);
# a managed host outside a rule's sources must be filtered.
D1, D2, S1, C1, C2, U1 = "wr-dist1", "wr-dist2", "wr-server1", "wr-client1", "wr-client2", "wr-update1"
EXPECTED = [
    # clients -> distributors: Update Distributor
    (C1, D1, 50003, "open"), (C1, D2, 50003, "open"),
    (C2, D1, 50003, "open"), (C2, D2, 50003, "open"),
    # clients -> server: Client Service
    (C1, S1, 50000, "open"), (C2, S1, 50000, "open"),
    # server -> clients: Client Service, Sweep Now, Poll Now
    (S1, C1, 50000, "open"), (S1, C1, 50001, "open"), (S1, C1, 50002, "open"),
    (S1, C2, 50000, "open"), (S1, C2, 50001, "open"), (S1, C2, 50002, "open"),
    # server -> server: Sweep Now, Poll Now
    (S1, S1, 50001, "open"), (S1, S1, 50002, "open"),
    # distributors -> update endpoint: Update Service, with TLS
    (D1, U1, 443, "open"), (D2, U1, 443, "open"),
    # client -> other client: only the server may connect
    (C1, C2, 50000, "filtered"), (C1, C2, 50001, "filtered"), (C1, C2, 50002, "filtered"),
    (C2, C1, 50000, "filtered"), (C2, C1, 50001, "filtered"), (C2, C1, 50002, "filtered"),
    # client -> server on Sweep Now / Poll Now: only the server calls them
    (C1, S1, 50001, "filtered"), (C1, S1, 50002, "filtered"),
    (C2, S1, 50001, "filtered"), (C2, S1, 50002, "filtered"),
    # server -> distributors: only clients fetch updates
    (S1, D1, 50003, "filtered"), (S1, D2, 50003, "filtered"),
    # distributor -> distributor
    (D1, D2, 50003, "filtered"), (D2, D1, 50003, "filtered"),
    # distributors -> server and clients on 50000-50002
    (D1, S1, 50000, "filtered"), (D1, S1, 50001, "filtered"), (D1, S1, 50002, "filtered"),
    (D2, S1, 50000, "filtered"), (D2, S1, 50001, "filtered"), (D2, S1, 50002, "filtered"),
    (D1, C1, 50000, "filtered"), (D1, C1, 50001, "filtered"), (D1, C1, 50002, "filtered"),
    (D1, C2, 50000, "filtered"), (D1, C2, 50001, "filtered"), (D1, C2, 50002, "filtered"),
    (D2, C1, 50000, "filtered"), (D2, C1, 50001, "filtered"), (D2, C1, 50002, "filtered"),
    (D2, C2, 50000, "filtered"), (D2, C2, 50001, "filtered"), (D2, C2, 50002, "filtered"),
]
BROKEN = (S1, C1, 50001)
# The one rule that admits the Sweep Now set on wr-client1 (the set holds the server).
BROKEN_RULE = [
    "iptables", "-D", "INPUT", "-p", "tcp", "-m", "tcp", "--dport", "50001",
    "-m", "set", "--match-set", "webroot-sweep-now-v4", "src",
    "-m", "comment", "--comment", "webroot.enterprise sweep_now 50001/tcp in", "-j", "ACCEPT",
]


def _env():
    env = dict(os.environ)
    env["PATH"] = VENV_BIN + os.pathsep + env.get("PATH", "")
    env["CONTAINERS_CONF"] = os.path.join(ROOT, "lab", "containers.conf")
    env["ANSIBLE_NOCOLOR"] = "1"
    env.pop("ANSIBLE_CONFIG", None)
    return env


def _run(args, timeout=300, check=False):
    proc = subprocess.run(args, cwd=ROOT, env=_env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          universal_newlines=True, timeout=timeout, check=False)
    if check and proc.returncode != 0:
        pytest.fail("%s failed (rc %d):\n%s" % (" ".join(args), proc.returncode, proc.stdout[-6000:]))
    return proc


def _playbook(playbook, report_dir, check=False):
    # The lab's inventory sets webroot_address for every host: no facts needed.
    return _run([os.path.join(VENV_BIN, "ansible-playbook"), playbook,
                 "-e", "webroot_gather_facts=false", "-e", "verify_report_dir=%s" % report_dir],
                timeout=300, check=check)


def _podman(*args):
    return _run(["podman"] + list(args), timeout=60)


def _load(report_dir):
    """The JSON report, its checks back in the long form (read here from the layout
    docs/verify.md documents: tables of hosts, flows and checks, indices into them),
    as ``data["results"]`` and ``{(source, destination, port): result}``."""
    with open(os.path.join(report_dir, "webroot-verify.json")) as handle:
        data = json.load(handle)

    def rows(name):
        return [dict(zip(data[name]["columns"], row)) for row in data[name]["rows"]]

    hosts, flows, results = rows("hosts"), rows("flows"), []
    for check in rows("checks"):
        r = dict(flows[check["flow"]])
        r.update(check.get("more") or {})
        r.update(source=hosts[check["source"]]["name"], destination=hosts[check["destination"]]["name"],
                 state=check["state"], ok=check["ok"], listener_state=check["listener_state"],
                 error=None if check["error"] is None else data["errors"][check["error"]])
        # What the reports show (docs/verify.md): tls-fail for an open TLS port whose
        # handshake failed, not-run for a check that never ran.
        if r["state"] is None:
            r["display"] = "not-run"
        elif r["state"] == "open" and r.get("tls") and r.get("tls_ok") is False:
            r["display"] = "tls-fail"
        else:
            r["display"] = r["state"]
        results.append(r)
    data["results"] = results
    return data, dict(((r["source"], r["destination"], r["port"]), r) for r in results)


@pytest.fixture(scope="module")
def lab():
    if os.geteuid() != 0 or not shutil.which("podman"):
        pytest.skip("needs root and podman")
    up = _run(["bash", "scripts/lab.sh", "up"], timeout=600)
    if up.returncode != 0:
        _run(["bash", "scripts/lab.sh", "down"], timeout=120)
        pytest.fail("scripts/lab.sh up failed:\n" + up.stdout[-4000:])
    try:
        yield
    finally:
        _run(["bash", "scripts/lab.sh", "down"], timeout=120)


@pytest.fixture(scope="module")
def verified(lab, tmp_path_factory):
    """site.yml once, then playbooks/verify.yml with the reports in a temporary directory."""
    site_reports = str(tmp_path_factory.mktemp("site-reports"))
    _playbook("site.yml", site_reports, check=True)
    reports = str(tmp_path_factory.mktemp("verify-reports"))
    proc = _playbook("playbooks/verify.yml", reports)
    return proc, reports


def test_verify_passes_on_the_converged_lab(verified):
    proc = verified[0]
    assert proc.returncode == 0, proc.stdout[-6000:]
    assert "48 of 48 Webroot flows met their expectation" in proc.stdout


def test_json_report_has_every_expected_flow(verified):
    reports = verified[1]
    data, found = _load(reports)
    missing = [e for e in EXPECTED if e[:3] not in found]
    assert not missing, "flows missing from the report: %s" % missing
    wrong = [(e, found[e[:3]]["display"]) for e in EXPECTED if found[e[:3]]["display"] != e[3]]
    assert not wrong, "flows in the wrong state: %s" % wrong
    extra = sorted(set(found) - set(e[:3] for e in EXPECTED))
    assert not extra, "flows nobody expected: %s" % extra
    assert all(r["ok"] for r in data["results"])
    assert data["summary"]["total"] == len(EXPECTED) and data["summary"]["failed"] == 0
    for dist in (D1, D2):
        tls = found[(dist, U1, 443)]
        assert tls["tls"] and tls["tls_ok"] and tls["tls_version"], tls
    for key, result in found.items():
        if result["destination"] != U1:
            assert result["listener_state"] == "ours", result


def test_junit_report(verified):
    reports = verified[1]
    root = ET.parse(os.path.join(reports, "webroot-verify.junit.xml")).getroot()
    cases = root.findall(".//testcase")
    assert len(cases) == len(EXPECTED)
    assert root.findall(".//failure") == []
    assert root.get("tests") == str(len(EXPECTED)) and root.get("failures") == "0"
    names = set(c.get("name") for c in cases)
    assert "wr-client1 -> wr-dist1 50003/tcp allowed" in names
    assert "wr-client1 -> wr-client2 50001/tcp denied" in names


def test_html_report_has_the_matrix(verified):
    reports = verified[1]
    with open(os.path.join(reports, "webroot-verify.html")) as handle:
        html = handle.read()
    assert '<table class="matrix">' in html
    for host in (D1, D2, S1, C1, C2, U1):
        assert "<th>%s</th>" % host in html
    assert "PASS: all %d flows as expected" % len(EXPECTED) in html
    # One file, nothing loaded from elsewhere: its style and its filter script are inline.
    assert "<style>" in html and "<link" not in html and "src=" not in html


def _listening(container):
    out = _podman("exec", container, "ss", "-Hltn")
    assert out.returncode == 0, out.stdout
    ports = set()
    for line in out.stdout.splitlines():
        fields = line.split()
        if len(fields) >= 4:
            ports.add(int(fields[3].rsplit(":", 1)[1]))
    return ports


def test_no_temporary_listener_remains(verified):
    for container in CONTAINERS:
        left = _listening(container) & set(WEBROOT_PORTS)
        assert not left, "%s still listens on %s" % (container, sorted(left))
        procs = _podman("exec", container, "ps", "-eo", "args")
        assert "webroot_verify_listen" not in procs.stdout, procs.stdout


def test_a_broken_flow_fails_and_is_reported(verified, tmp_path):
    """Runs last: deletes the rule that admits the server to Sweep Now on wr-client1."""
    deleted = _podman("exec", C1, *BROKEN_RULE)
    assert deleted.returncode == 0, deleted.stdout
    reports = str(tmp_path)
    proc = _playbook("playbooks/verify.yml", reports)
    assert proc.returncode != 0, proc.stdout[-6000:]
    assert "wr-server1 -> wr-client1 50001/tcp (sweep_now, allowed): expected open, got filtered" in proc.stdout
    assert "47 of 48 Webroot flows met their expectation" in proc.stdout

    data, found = _load(reports)
    broken = found[BROKEN]
    assert broken["display"] == "filtered" and broken["ok"] is False
    assert [r for r in data["results"] if not r["ok"]] == [broken]
    assert data["summary"]["failed"] == 1

    root = ET.parse(os.path.join(reports, "webroot-verify.junit.xml")).getroot()
    failures = [c for c in root.findall(".//testcase") if c.find("failure") is not None]
    assert [c.get("name") for c in failures] == ["wr-server1 -> wr-client1 50001/tcp allowed"]
    with open(os.path.join(reports, "webroot-verify.html")) as handle:
        html = handle.read()
    assert "FAIL: 1 of 48 flows not as expected" in html
    assert "s-filtered bad" in html

    # The listeners are stopped on a failing run too.
    for container in CONTAINERS:
        assert not _listening(container) & set(WEBROOT_PORTS), container

# -*- coding: utf-8 -*-
# Copyright: (c) 2026, webroot.enterprise contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The verify role's controller-side tasks, run for real with ansible-playbook on localhost.

No container and no managed host: localhost is in no webroot group, so the role plans
no check, starts no listener and connects nowhere; it validates its settings and
writes its (empty) reports on the controller, which is what these tests look at.
The expectations (modes, messages) are written here by hand.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import stat
import subprocess

import pytest
import yaml

from ansible_collections.webroot.enterprise.plugins.plugin_utils import verify_render

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))))
PLAYBOOK_BIN = os.path.join(ROOT, ".venv", "bin", "ansible-playbook")
COLLECTIONS = os.path.join(ROOT, ".cache", "collections")
REPORTS = ("webroot-verify.json", "webroot-verify.junit.xml", "webroot-verify.html")

pytestmark = pytest.mark.skipif(
    not os.access(PLAYBOOK_BIN, os.X_OK) or not os.path.isdir(os.path.join(COLLECTIONS, "ansible_collections")),
    reason="needs .venv/bin/ansible-playbook and .cache/collections (scripts/setup.sh)")


def run_role(tmp_path, home=None, inventory=None, hosts="localhost", **variables):
    """Run webroot.enterprise.verify on ``hosts`` (localhost); returns the CompletedProcess."""
    home = home or tmp_path / "home"
    if not home.exists():
        home.mkdir(mode=0o700)
    play = [{"hosts": hosts, "gather_facts": False,
             "roles": [{"role": "webroot.enterprise.verify"}]}]
    (tmp_path / "play.yml").write_text(yaml.safe_dump(play))
    settings = {"verify_read_firewall": False}
    settings.update(variables)
    (tmp_path / "vars.json").write_text(json.dumps(settings))
    env = dict(os.environ)
    env.pop("ANSIBLE_CONFIG", None)
    env.update(HOME=str(home), ANSIBLE_COLLECTIONS_PATH=COLLECTIONS, ANSIBLE_NOCOLOR="1",
               ANSIBLE_LOCAL_TEMP=str(tmp_path / "ansible-tmp"), ANSIBLE_REMOTE_TEMP=str(tmp_path / "ansible-tmp"),
               ANSIBLE_RETRY_FILES_ENABLED="0")
    if inventory is None:
        inv = ["-i", "localhost,", "-c", "local"]
    else:
        (tmp_path / "inventory.yml").write_text(yaml.safe_dump(inventory))
        inv = ["-i", str(tmp_path / "inventory.yml")]
    cmd = [PLAYBOOK_BIN] + inv + [
        "-e", "ansible_python_interpreter=" + os.path.join(ROOT, ".venv", "bin", "python"),
        "-e", "@" + str(tmp_path / "vars.json"), str(tmp_path / "play.yml")]
    return subprocess.run(cmd, env=env, cwd=str(tmp_path), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          universal_newlines=True, timeout=180, check=False)


def mode(path):
    return stat.S_IMODE(os.stat(str(path)).st_mode)


# --- 1. the report directory and files ---------------------------------------


def test_an_existing_report_directory_keeps_its_mode(tmp_path):
    reports = tmp_path / "existing"
    reports.mkdir()
    os.chmod(str(reports), 0o711)
    proc = run_role(tmp_path, verify_report_dir=str(reports))
    assert proc.returncode == 0, proc.stdout[-4000:]
    assert mode(reports) == 0o711
    assert [mode(reports / name) for name in REPORTS] == [0o640, 0o640, 0o640]


def test_the_home_directory_as_report_directory_stays_private(tmp_path):
    home = tmp_path / "home"
    home.mkdir(mode=0o700)
    os.chmod(str(home), 0o700)
    proc = run_role(tmp_path, home=home, verify_report_dir="~")
    assert proc.returncode == 0, proc.stdout[-4000:]
    assert mode(home) == 0o700
    assert [mode(home / name) for name in REPORTS] == [0o640, 0o640, 0o640]


def test_a_missing_report_directory_is_created_0750_and_reports_are_0640(tmp_path):
    reports = tmp_path / "new" / "reports"
    proc = run_role(tmp_path, verify_report_dir=str(reports))
    assert proc.returncode == 0, proc.stdout[-4000:]
    assert mode(reports) == 0o750 and mode(tmp_path / "new") == 0o750
    assert [mode(reports / name) for name in REPORTS] == [0o640, 0o640, 0o640]
    # The reports say what they hold: no check on a host outside the webroot groups.
    assert json.loads((reports / "webroot-verify.json").read_text())["summary"]["total"] == 0


def test_reports_written_before_with_0644_become_0640(tmp_path):
    reports = tmp_path / "reports"
    reports.mkdir(mode=0o750)
    for name in REPORTS:
        (reports / name).write_text("old")
        os.chmod(str(reports / name), 0o644)
    proc = run_role(tmp_path, verify_report_dir="reports")  # relative: to the directory of the run
    assert proc.returncode == 0, proc.stdout[-4000:]
    assert [mode(reports / name) for name in REPORTS] == [0o640, 0o640, 0o640]
    assert (reports / "webroot-verify.json").read_text() != "old"


def test_a_report_path_that_is_a_file_is_a_clear_error(tmp_path):
    (tmp_path / "afile").write_text("x")
    os.chmod(str(tmp_path / "afile"), 0o600)
    proc = run_role(tmp_path, verify_report_dir=str(tmp_path / "afile"))
    assert proc.returncode != 0
    assert "verify_report_dir" in proc.stdout and "not a directory" in proc.stdout, proc.stdout[-4000:]
    assert mode(tmp_path / "afile") == 0o600 and (tmp_path / "afile").read_text() == "x"


# --- 3. the listeners' lifetime is capped before anything starts -------------


@pytest.mark.parametrize("seconds", [3601, 0])
def test_a_listener_lifetime_outside_one_hour_stops_the_role_before_anything(tmp_path, seconds):
    reports = tmp_path / "reports"
    proc = run_role(tmp_path, verify_report_dir=str(reports), verify_listener_seconds=seconds)
    assert proc.returncode != 0
    assert "verify_listener_seconds must be from 1 to 3600" in proc.stdout, proc.stdout[-4000:]
    assert "got %d" % seconds in proc.stdout
    assert not reports.exists()  # nothing ran: no plan, no listener, no report


def test_a_listener_lifetime_of_one_hour_is_accepted(tmp_path):
    proc = run_role(tmp_path, verify_report_dir=str(tmp_path / "reports"), verify_listener_seconds=3600)
    assert proc.returncode == 0, proc.stdout[-4000:]


# --- 4. a host that is down: its checks are not run, neither failed nor passed --

# srv1 is this machine (connection local, address 127.0.0.1); cli2 answers no SSH
# (port 1 of loopback refuses), so Ansible marks it unreachable at its first
# connection, its port_check. No listener (verify_listeners: false), so the only
# connections are srv1's own port_check attempts to 127.0.0.1 and 127.0.0.2.
DOWN_INVENTORY = {"all": {"children": {
    "webroot_servers": {"hosts": {"srv1": {"ansible_connection": "local", "webroot_address": "127.0.0.1"}}},
    "webroot_clients": {"hosts": {"cli2": {
        "ansible_connection": "ssh", "ansible_host": "127.0.0.1", "ansible_port": 1,
        "ansible_ssh_common_args": "-o ConnectTimeout=5 -o StrictHostKeyChecking=no -o BatchMode=yes",
        "webroot_address": "127.0.0.2"}}},
}}}
# By hand, Table 11 for one server and one client: srv1 -> srv1 on 50001 and 50002 are
# checked (allowed, reachable); not run because cli2 is down: srv1 -> cli2 on 50000,
# 50001, 50002 (allowed), cli2 -> srv1 on 50000 (allowed), cli2 -> srv1 on 50001 and
# 50002 (denied: the sample picked cli2 while it was still in the play).
NOT_RUN = {("srv1", "cli2", 50000), ("srv1", "cli2", 50001), ("srv1", "cli2", 50002),
           ("cli2", "srv1", 50000), ("cli2", "srv1", 50001), ("cli2", "srv1", 50002)}
CHECKED = {("srv1", "srv1", 50001), ("srv1", "srv1", 50002)}


def recap(out):
    found = {}
    for line in out.splitlines():
        words = line.split()
        if len(words) > 2 and words[1] == ":" and "=" in words[2]:
            found[words[0]] = dict(w.split("=") for w in words[2:])
    return found


def run_down(tmp_path, **variables):
    reports = tmp_path / "reports"
    proc = run_role(tmp_path, inventory=DOWN_INVENTORY, hosts="webroot_servers:webroot_clients",
                    verify_report_dir=str(reports), verify_listeners=False, **variables)
    with open(str(reports / "webroot-verify.json")) as handle:
        data = json.load(handle)
    return proc, data


def test_an_unreachable_host_is_not_run_and_does_not_fail_verify(tmp_path):
    proc, data = run_down(tmp_path)
    found = dict(((r["source"], r["destination"], r["port"]), r) for r in verify_render.read_json_report(data))
    assert set(found) == NOT_RUN | CHECKED
    assert all(found[k]["state"] == "not-run" and found[k]["ok"] is None and found[k]["reason"] == "host down"
               for k in NOT_RUN)
    assert all(found[k]["ok"] is True for k in CHECKED)
    s = data["summary"]
    assert (s["total"], s["ok"], s["failed"], s["not_run"], s["down_hosts"], s["verdict"]) == \
        (8, 2, 0, 6, ["cli2"], "pass")
    assert "2 of 8 Webroot flows met their expectation, 0 failed, 6 not run (host down: cli2)" in proc.stdout
    # Verify does not fail; Ansible itself still reports the unreachable host (rc 4).
    r = recap(proc.stdout)
    assert r["cli2"]["unreachable"] == "1" and r["srv1"]["failed"] == "0", proc.stdout[-4000:]
    assert proc.returncode == 4


def test_verify_fail_on_down_fails_the_run_naming_the_host(tmp_path):
    proc, data = run_down(tmp_path, verify_fail_on_down=True)
    assert data["summary"]["verdict"] == "fail" and data["summary"]["failed"] == 0
    assert "6 Webroot check(s) not run (host down: cli2), and verify_fail_on_down is true" in proc.stdout, \
        proc.stdout[-4000:]
    assert "did not meet their expectation:" not in proc.stdout
    assert recap(proc.stdout)["srv1"]["failed"] == "1"

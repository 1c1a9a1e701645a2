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

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))))
PLAYBOOK_BIN = os.path.join(ROOT, ".venv", "bin", "ansible-playbook")
COLLECTIONS = os.path.join(ROOT, ".cache", "collections")
REPORTS = ("webroot-verify.json", "webroot-verify.junit.xml", "webroot-verify.html")

pytestmark = pytest.mark.skipif(
    not os.access(PLAYBOOK_BIN, os.X_OK) or not os.path.isdir(os.path.join(COLLECTIONS, "ansible_collections")),
    reason="needs .venv/bin/ansible-playbook and .cache/collections (scripts/setup.sh)")


def run_role(tmp_path, home=None, **variables):
    """Run webroot.enterprise.verify on localhost; returns the CompletedProcess."""
    home = home or tmp_path / "home"
    if not home.exists():
        home.mkdir(mode=0o700)
    play = [{"hosts": "localhost", "gather_facts": False,
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
    cmd = [PLAYBOOK_BIN, "-i", "localhost,", "-c", "local",
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

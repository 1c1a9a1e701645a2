# -*- coding: utf-8 -*-
# Copyright: (c) 2026, webroot.enterprise contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""playbooks/report.yml writes its rows to a directory the user sets, on the controller.

Against the Windows Firewall SIMULATOR (the per-host interpreter harness of
test_site_serial.py): a company server, a workstation, and a workstation that is off.
site_serial.yml converges them once (verify skipped: it needs real hosts), then
report.yml runs on its own with each way of naming the directory. Expectations are
written by hand: the rows, the files' modes (0640), the directory's (0750 when the
report creates it, untouched when it exists), and the refusals.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import re
import stat

import pytest

from test_site_serial import SERVER, SimEstate, closed_port, _skip_without_venv
from test_windows_simulated import ROOT

REPORT = os.path.join(ROOT, "playbooks", "report.yml")
FILES = ["webroot-rules.json", "webroot-rules.txt"]

# By hand: what each host holds after the run (the workstation that is off holds
# nothing and is not read).
ROWS = [
    {"host": "srv1", "backend": "windows", "component": "client_service", "port": 50000, "protocol": "tcp",
     "direction": "in", "any_peer": False, "peers": ["198.18.91.31/32", "198.18.91.32/32"]},
    {"host": "srv1", "backend": "windows", "component": "sweep_now", "port": 50001, "protocol": "tcp",
     "direction": "in", "any_peer": False, "peers": ["198.18.90.21/32"]},
    {"host": "srv1", "backend": "windows", "component": "poll_now", "port": 50002, "protocol": "tcp",
     "direction": "in", "any_peer": False, "peers": ["198.18.90.21/32"]},
    {"host": "cli1", "backend": "windows", "component": "client_service", "port": 50000, "protocol": "tcp",
     "direction": "in", "any_peer": False, "peers": ["198.18.90.21/32"]},
    {"host": "cli1", "backend": "windows", "component": "sweep_now", "port": 50001, "protocol": "tcp",
     "direction": "in", "any_peer": False, "peers": ["198.18.90.21/32"]},
    {"host": "cli1", "backend": "windows", "component": "poll_now", "port": 50002, "protocol": "tcp",
     "direction": "in", "any_peer": False, "peers": ["198.18.90.21/32"]},
]
TEXT = [
    "srv1         windows   50000/tcp in  from 198.18.91.31/32,198.18.91.32/32 [client_service]",
    "srv1         windows   50001/tcp in  from 198.18.90.21/32 [sweep_now]",
    "srv1         windows   50002/tcp in  from 198.18.90.21/32 [poll_now]",
    "cli1         windows   50000/tcp in  from 198.18.90.21/32 [client_service]",
    "cli1         windows   50001/tcp in  from 198.18.90.21/32 [sweep_now]",
    "cli1         windows   50002/tcp in  from 198.18.90.21/32 [poll_now]",
    "(firewall not read: off1)",
]


def mode(path):
    return stat.S_IMODE(os.stat(path).st_mode)


GENERATED = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")


def assert_report(directory, rows=None, text=None, hosts=("cli1", "off1", "srv1"), not_read=("off1",)):
    assert sorted(os.listdir(directory)) == FILES
    for name in FILES:
        assert mode(os.path.join(directory, name)) == 0o640, name
    with open(os.path.join(directory, "webroot-rules.json")) as handle:
        doc = json.load(handle)
    assert GENERATED.match(doc.pop("generated")), doc
    assert doc == {"rows": ROWS if rows is None else rows, "hosts": list(hosts), "not_read": list(not_read)}
    with open(os.path.join(directory, "webroot-rules.txt")) as handle:
        lines = handle.read().split("\n")
    # A header with the time of the read, the rows as printed, the hosts not read.
    assert re.match(r"^# Webroot rules read from the firewalls, \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", lines[0])
    assert lines[1:] == (TEXT if text is None else text) + [""]


@pytest.fixture(scope="module")
def estate(tmp_path_factory):
    _skip_without_venv()
    estate = SimEstate(str(tmp_path_factory.mktemp("reportdir")), {
        "webroot_servers": [("srv1", {"webroot_address": SERVER})],
        "webroot_clients": [
            ("cli1", {"webroot_address": "198.18.91.31"}),
            ("off1", {"webroot_address": "198.18.91.32", "ansible_connection": "ssh",
                      "ansible_host": "127.0.0.1", "ansible_port": closed_port()}),
        ],
    })
    # One batch: with the default 10 % (batches of one host here) the batch of off1
    # alone would end the run (docs/scale.md).
    rc, out = estate.play("-e", "webroot_serial=3", "-e", "webroot_max_left_out=1", "--skip-tags", "verify")
    assert rc == 0, out[-4000:]
    estate.site_output = out
    return estate


def report(estate, *args):
    return estate.play("-e", "webroot_max_left_out=1", *args, playbook=REPORT)


def test_site_writes_the_report_to_reports_by_default(estate):
    """No directory given: reports/ in the directory ansible-playbook runs in,
    created 0750, and the printed lines are kept."""
    directory = os.path.join(estate.dir, "reports")
    assert mode(directory) == 0o750
    assert_report(directory)
    flat = " ".join(estate.site_output.split())
    for line in TEXT[:-1]:
        assert '"%s"' % " ".join(line.split()) in flat
    assert "Report: %s/webroot-rules.{json,txt}" % directory in flat


def test_webroot_report_dir_is_created_0750_only_when_missing(estate, tmp_path):
    directory = str(tmp_path / "new" / "webroot")
    rc, out = report(estate, "-e", "webroot_report_dir=" + directory)
    assert rc == 4, out[-3000:]   # off1 is unreachable: report.yml has no summary to accept it
    assert mode(directory) == 0o750
    assert_report(directory)
    # An existing directory is used as it is: its mode is its owner's choice.
    existing = str(tmp_path / "shared")
    os.mkdir(existing)
    os.chmod(existing, 0o755)
    rc, out = report(estate, "-e", "webroot_report_dir=" + existing)
    assert mode(existing) == 0o755
    assert_report(existing)


def test_verify_report_dir_is_the_fallback_and_webroot_report_dir_wins(estate, tmp_path):
    verify_dir, own_dir = str(tmp_path / "verify"), str(tmp_path / "own")
    report(estate, "-e", "verify_report_dir=" + verify_dir)
    assert_report(verify_dir)
    report(estate, "-e", "verify_report_dir=" + verify_dir + "-not", "-e", "webroot_report_dir=" + own_dir)
    assert_report(own_dir)
    assert not os.path.exists(verify_dir + "-not")


def test_a_file_in_place_of_the_directory_is_refused(estate, tmp_path):
    path = str(tmp_path / "a-file")
    with open(path, "w") as handle:
        handle.write("mine\n")
    rc, out = report(estate, "-e", "webroot_report_dir=" + path)
    assert rc != 0
    flat = " ".join(out.split())
    assert "The report directory %s (%s, from webroot_report_dir, else verify_report_dir, else reports) " \
           "exists but is not a directory; nothing was written." % (path, path) in flat, flat[-3000:]
    with open(path) as handle:
        assert handle.read() == "mine\n"


def test_with_a_limit_the_report_is_of_the_limit(estate, tmp_path):
    """An AWX provisioning callback's job runs with --limit <the host>: its report
    holds that host only, and says nothing of the hosts outside the limit."""
    directory = str(tmp_path / "callback")
    rc, out = report(estate, "--limit", "cli1", "-e", "webroot_report_dir=" + directory)
    assert rc == 0, out[-3000:]
    assert_report(directory, rows=[r for r in ROWS if r["host"] == "cli1"],
                  text=[t for t in TEXT if t.startswith("cli1 ")], hosts=["cli1"], not_read=[])


def test_an_empty_directory_setting_prints_only(estate, tmp_path):
    rc, out = estate.play("-e", "webroot_max_left_out=1", "-e", "webroot_report_dir=", playbook=REPORT)
    flat = " ".join(out.split())
    assert '"cli1 windows 50002/tcp in from 198.18.90.21/32 [poll_now]"' in flat
    assert "Report: " not in flat

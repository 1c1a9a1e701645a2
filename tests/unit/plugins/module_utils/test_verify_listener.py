# -*- coding: utf-8 -*-
# Copyright: (c) 2026, webroot.enterprise contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The temporary listeners of the verify role have an upper bound on their lifetime.

The POSIX helper is run for real on this machine (on a free high port of loopback's
host, stopped at the end of each test). There is no PowerShell here, so the Windows
scripts are checked for the declared bound, and test_powershell_parse.py checks that
they parse.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import re
import socket
import subprocess
import sys

import pytest
import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))))
FILES = os.path.join(ROOT, "roles", "verify", "files")
HELPER = os.path.join(FILES, "webroot_verify_listen.py")
CAP = 3600  # one hour: written here by hand


def free_port():
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    return port


def helper(*args):
    return subprocess.run([sys.executable, HELPER] + [str(a) for a in args], stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, universal_newlines=True, timeout=60, check=False)


@pytest.fixture
def started():
    """Whatever a test starts with the helper is stopped (by its pid and token) afterwards."""
    runs = []
    yield runs
    for token, port, proc in runs:
        lines = [line for line in proc.stdout.splitlines() if line.startswith("{")]
        pid = json.loads(lines[-1]).get("pid") if lines else None
        if pid:
            helper("stop", token, pid, port)


def start(started, seconds):
    token, port = "webroot-verify-unittest%d" % os.getpid(), free_port()
    proc = helper("start", seconds, token, port)
    started.append((token, port, proc))
    return proc, token, port


@pytest.mark.parametrize("seconds", [CAP + 1, 86400, 0, -5])
def test_posix_helper_refuses_a_lifetime_outside_one_hour(started, seconds):
    proc, _token, _port = start(started, seconds)
    assert proc.returncode == 2, (proc.stdout, proc.stderr)
    assert "SECONDS" in proc.stderr and "3600" in proc.stderr
    assert not [line for line in proc.stdout.splitlines() if '"pid": ' in line and '"pid": null' not in line]


def test_posix_helper_listens_for_at_most_one_hour_and_stops(started):
    proc, token, port = start(started, CAP)
    assert proc.returncode == 0, proc.stderr
    info = json.loads([line for line in proc.stdout.splitlines() if line.startswith("{")][-1])
    assert info["bound"] == [port] and info["pid"]
    stop = helper("stop", token, info["pid"], port)
    gone = json.loads(stop.stdout.strip().splitlines()[-1])
    assert gone["stopped"] and not gone["alive"] and gone["remaining"] == []


def test_posix_helper_caps_its_lifetime_in_code():
    with open(HELPER) as handle:
        text = handle.read()
    assert re.search(r"^MAX_SECONDS = %d\b" % CAP, text, re.M)


@pytest.mark.parametrize("name", ["webroot_verify_listen.ps1", "webroot_verify_start.ps1"])
def test_windows_scripts_declare_the_one_hour_bound(name):
    """PowerShell refuses the value at parameter binding ([ValidateRange]), before anything listens."""
    with open(os.path.join(FILES, name)) as handle:
        text = handle.read()
    assert re.search(r"\[ValidateRange\(1,\s*%d\)\]\[int\]\$Seconds" % CAP, text), name


def test_the_role_uses_the_same_cap():
    with open(os.path.join(ROOT, "roles", "verify", "vars", "main.yml")) as handle:
        assert yaml.safe_load(handle)["__verify_listener_max_seconds"] == CAP

# -*- coding: utf-8 -*-
# Copyright: (c) 2026, webroot.enterprise contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Module-level tests of webroot.enterprise.port_check.

main() runs the standard way (module args set, exit_json/fail_json patched to
raise); the sockets are real and only go to loopback. One test runs the module
through ``ansible localhost -m``.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import shutil
import socket
import subprocess
import sys

import pytest
import yaml

from ansible.module_utils import basic
from module_args import patch_module_args

from ansible_collections.webroot.enterprise.plugins.modules import port_check

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", "..", ".."))


class ExitJson(Exception):
    pass


class FailJson(Exception):
    pass


def _exit_json(self, **kwargs):
    kwargs.setdefault("changed", False)
    raise ExitJson(kwargs)


def _fail_json(self, msg, **kwargs):
    kwargs["failed"] = True
    kwargs["msg"] = msg
    raise FailJson(kwargs)


@pytest.fixture(autouse=True)
def patched_exits(monkeypatch):
    monkeypatch.setattr(basic.AnsibleModule, "exit_json", _exit_json)
    monkeypatch.setattr(basic.AnsibleModule, "fail_json", _fail_json)


def run_module(args, expect=ExitJson):
    with patch_module_args(args):
        with pytest.raises(expect) as info:
            port_check.main()
    result = info.value.args[0]
    json.dumps(result)  # what the module returns must serialize
    return result


@pytest.fixture
def listener():
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(64)
    yield sock.getsockname()[1]
    sock.close()


def free_port():
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    return port


def test_success(listener):
    closed = free_port()
    result = run_module({
        "targets": [
            {"host": "127.0.0.1", "port": listener, "name": "web"},
            {"host": "127.0.0.1", "port": closed, "expect": "refused"},
            {"host": "nothing.invalid", "port": 80, "expect": "unresolved"},
        ],
        "timeout": 1,
    })
    assert result["changed"] is False
    assert result["msg"] == "3 of 3 targets met their expectation"
    assert [r["state"] for r in result["results"]] == ["open", "refused", "unresolved"]
    assert result["results"][0]["name"] == "web" and result["results"][1]["name"] is None
    assert result["summary"]["ok"] == 3 and result["summary"]["mismatches"] == []


def test_check_mode_still_checks(listener):
    result = run_module({
        "targets": [{"host": "127.0.0.1", "port": listener}, {"host": "127.0.0.1", "port": free_port()}],
        "expect": "reachable",
        "_ansible_check_mode": True,
    })
    assert result["changed"] is False
    assert [r["state"] for r in result["results"]] == ["open", "refused"]


def test_mismatch_fails_naming_the_target(listener):
    closed = free_port()
    result = run_module({
        "targets": [
            {"host": "127.0.0.1", "port": listener},
            {"host": "127.0.0.1", "port": closed, "name": "agent port"},
        ],
        "timeout": 1,
    }, expect=FailJson)
    assert result["failed"] is True and result["changed"] is False
    assert result["msg"].startswith("1 of 2 targets did not meet their expectation: ")
    assert "targets[1] (agent port, 127.0.0.1:%d): expected open, got refused" % closed in result["msg"]
    assert len(result["results"]) == 2 and result["summary"]["failed"] == 1
    assert result["summary"]["mismatches"][0]["name"] == "agent port"


def test_mismatch_without_failing(listener):
    result = run_module({
        "targets": [{"host": "127.0.0.1", "port": listener, "expect": "filtered"}],
        "fail_on_mismatch": False,
    })
    assert result["msg"] == "0 of 1 targets met their expectation"
    assert result["summary"]["mismatches"][0]["state"] == "open"


@pytest.mark.parametrize(
    "target, needle",
    [
        ({"host": "127.0.0.1", "port": 70000}, "targets[1].port: 70000 is outside 1-65535"),
        ({"host": "", "port": 22}, "targets[1].host: must not be empty"),
        ({"host": "127.0.0.1", "port": 22, "expect": "up"}, "targets[1].expect: 'up' is not one of"),
    ],
)
def test_validation(listener, target, needle):
    result = run_module({"targets": [{"host": "127.0.0.1", "port": listener}, target]}, expect=FailJson)
    assert needle in result["msg"]
    assert result["results"] == [] and result["summary"]["total"] == 0


def test_expect_is_case_sensitive_like_the_windows_side(listener):
    """``expect`` values are lowercase and matched case-sensitively on POSIX, as
    port_check.ps1 now does on Windows too (Ansible.Basic alone would accept 'Open');
    the lowercase value passes over a real loopback connection."""
    result = run_module({"targets": [{"host": "127.0.0.1", "port": listener}], "expect": "Open"},
                        expect=FailJson)
    assert "value of expect must be one of: open, refused, filtered, unresolved, reachable, got: Open" in result["msg"]
    result = run_module({"targets": [{"host": "127.0.0.1", "port": listener, "expect": "OPEN"}]},
                        expect=FailJson)
    assert "targets[0].expect: 'OPEN' is not one of open, refused, filtered, unresolved, reachable" in result["msg"]
    assert result["results"] == []
    result = run_module({"targets": [{"host": "127.0.0.1", "port": listener, "expect": "open"}], "expect": "open"})
    assert result["results"][0]["state"] == "open" and result["results"][0]["ok"] is True


def test_argument_spec_rejects_missing_port():
    result = run_module({"targets": [{"host": "127.0.0.1"}]}, expect=FailJson)
    assert "port" in result["msg"]


def test_tls_failure_fails_the_module(listener):
    result = run_module({"targets": [{"host": "127.0.0.1", "port": listener, "tls": True}], "timeout": 0.3},
                        expect=FailJson)
    res = result["results"][0]
    assert res["state"] == "open" and res["tls_ok"] is False and res["ok"] is False
    assert "port open but TLS failed" in result["msg"]


def test_documentation_matches_argument_spec():
    doc = yaml.safe_load(port_check.DOCUMENTATION)
    spec = port_check.argument_spec()

    def compare(doc_options, spec_options, where):
        assert set(doc_options) == set(spec_options), where
        for name, opt in spec_options.items():
            documented = doc_options[name]
            assert documented.get("type", "str") == opt.get("type", "str"), (where, name)
            assert documented.get("default") == opt.get("default"), (where, name)
            assert bool(documented.get("required", False)) == bool(opt.get("required", False)), (where, name)
            assert documented.get("choices") == opt.get("choices"), (where, name)
            assert documented.get("elements") == opt.get("elements"), (where, name)
            if "options" in opt:
                compare(documented["suboptions"], opt["options"], name)

    compare(doc["options"], spec, "options")
    yaml.safe_load(port_check.EXAMPLES)
    returned = yaml.safe_load(port_check.RETURN)
    assert {"results", "summary"} <= set(returned)


@pytest.mark.skipif(shutil.which("ansible") is None and not os.path.exists(os.path.join(REPO, ".venv", "bin", "ansible")),
                    reason="ansible CLI not installed")
def test_through_ansible_cli(listener):
    """The real entry point: ansible localhost -m webroot.enterprise.port_check."""
    # port_check.ps1 lies beside port_check.py: plugins/action/port_check.py makes
    # POSIX hosts resolve the .py (ansible-core would otherwise take the .ps1).
    ansible = os.path.join(os.path.dirname(sys.executable), "ansible")
    if not os.path.exists(ansible):
        ansible = shutil.which("ansible")
    targets = [{"host": "127.0.0.1", "port": listener}, {"host": "127.0.0.1", "port": free_port(), "expect": "refused"}]
    args = {"targets": targets, "timeout": 1}
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=os.path.join(REPO, ".cache", "collections"),
               ANSIBLE_STDOUT_CALLBACK="json", ANSIBLE_LOAD_CALLBACK_PLUGINS="1", ANSIBLE_PYTHON_INTERPRETER=sys.executable)
    proc = subprocess.run([ansible, "localhost", "-c", "local", "-m", "webroot.enterprise.port_check", "-a", json.dumps(args)],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, timeout=120, cwd=REPO, check=False)
    assert proc.returncode == 0, proc.stdout.decode() + proc.stderr.decode()
    out = json.loads(proc.stdout.decode())
    result = out["plays"][0]["tasks"][0]["hosts"]["localhost"]
    assert result["changed"] is False
    assert [r["state"] for r in result["results"]] == ["open", "refused"]

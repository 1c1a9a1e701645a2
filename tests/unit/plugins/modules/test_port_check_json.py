# -*- coding: utf-8 -*-
# Copyright: (c) 2026, webroot.enterprise contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""port_check's fast paths for many targets: targets_json in, results_as=json out.

Sockets are real and only go to loopback.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import socket

import pytest

from ansible.module_utils import basic
from module_args import patch_module_args

from ansible_collections.webroot.enterprise.plugins.module_utils.portcheck import (
    PortCheckError,
    targets_from_json,
)
from ansible_collections.webroot.enterprise.plugins.modules import port_check


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
    json.dumps(result)
    return result


@pytest.fixture
def ports():
    listening = socket.socket()
    listening.bind(("127.0.0.1", 0))
    listening.listen(16)
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    closed_port = closed.getsockname()[1]
    closed.close()
    yield listening.getsockname()[1], closed_port
    listening.close()


def test_targets_json_and_results_json_carry_the_same_information(ports):
    open_port, closed_port = ports
    targets = [{"host": "127.0.0.1", "port": open_port, "name": "a"},
               {"host": "127.0.0.1", "port": closed_port, "expect": "refused", "name": "b"}]
    as_list = run_module({"targets": targets, "timeout": 1})
    as_json = run_module({"targets_json": json.dumps(targets), "results_as": "json", "timeout": 1})
    assert as_json["results"] == []
    decoded = json.loads(as_json["results_json"])
    drop = ("elapsed_ms",)
    assert [dict((k, v) for k, v in r.items() if k not in drop) for r in decoded] == \
        [dict((k, v) for k, v in r.items() if k not in drop) for r in as_list["results"]]
    assert as_list["results_json"] is None
    assert as_json["summary"]["ok"] == 2


def test_targets_json_is_validated_per_target():
    result = run_module({"targets_json": json.dumps([{"host": "127.0.0.1", "port": 70000}])}, expect=FailJson)
    assert "targets[0].port" in result["msg"]
    with pytest.raises(PortCheckError) as err:
        targets_from_json('{"host": "x"}')
    assert "JSON list" in str(err.value)
    with pytest.raises(PortCheckError):
        targets_from_json("[not json")


def test_targets_and_targets_json_are_exclusive(ports):
    result = run_module({"targets": [{"host": "127.0.0.1", "port": ports[0]}], "targets_json": "[]"},
                        expect=FailJson)
    assert "mutually exclusive" in result["msg"]
    result = run_module({}, expect=FailJson)
    assert "targets" in result["msg"]


def test_mismatch_with_results_as_json_still_fails_with_the_results(ports):
    result = run_module({"targets_json": json.dumps([{"host": "127.0.0.1", "port": ports[1]}]),
                         "results_as": "json", "timeout": 1}, expect=FailJson)
    assert json.loads(result["results_json"])[0]["state"] == "refused"
    assert result["summary"]["failed"] == 1

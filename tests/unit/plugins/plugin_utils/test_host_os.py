# -*- coding: utf-8 -*-
# Copyright: (c) 2026, webroot.enterprise contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""One answer to "is this host Windows" (issue 26, item 3), asked by the component
roles' action, port_check's action and the verify role; expectations by hand."""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os

import pytest

from ansible_collections.webroot.enterprise.plugins.filter.webroot import FilterModule
from ansible_collections.webroot.enterprise.plugins.plugin_utils.host_os import is_windows

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))))


@pytest.mark.parametrize("known, windows", [
    ({"connection": "winrm"}, True),
    ({"connection": "psrp"}, True),
    ({"connection": "ansible.builtin.winrm"}, True),
    ({"connection": "ansible.builtin.psrp"}, True),
    ({"connection": "ansible.windows.psrp"}, True),
    ({"connection": "ansible.windows.winrm"}, True),
    ({"connection": "ssh", "shell": "powershell"}, True),
    ({"connection": "ssh", "shell": "cmd"}, True),
    ({"connection": "ssh", "os_family": "Windows"}, True),
    ({"connection": "ssh", "shell": "sh"}, False),
    ({"connection": "containers.podman.podman"}, False),
    ({"connection": "local", "shell": "sh", "os_family": "Debian"}, False),
    ({}, False),
    ({"connection": None, "shell": None, "os_family": None}, False),
])
def test_one_answer_everywhere(known, windows):
    assert is_windows(**known) is windows
    assert FilterModule().filters()["windows_host"](known) is windows


def test_nothing_else_decides_it():
    """The verify role, the engine and port_check's action ask host_os; none keeps a
    list of Windows connections or shells of its own."""
    places = [os.path.join(ROOT, p) for p in (
        "roles/verify/tasks/checks.yml", "plugins/plugin_utils/engine.py", "plugins/action/port_check.py",
        "plugins/action/component_rules.py")]
    for path in places:
        with open(path) as handle:
            text = handle.read()
        assert "'winrm'" not in text and '"winrm"' not in text, path
        assert '== "powershell"' not in text and "'powershell'" not in text, path
    with open(places[0]) as handle:
        assert "webroot.enterprise.windows_host" in handle.read()

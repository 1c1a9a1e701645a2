# -*- coding: utf-8 -*-
# Copyright: (c) 2026, webroot.enterprise contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Picks the implementation of webroot.enterprise.port_check for the target.

The module has two implementations under one name and one documentation:
port_check.py (POSIX) and port_check.ps1 (Windows). Ansible looks a module up with
an empty suffix on non-PowerShell connections, so it could pick the .ps1 there;
this action plugin pins the lookup to .py for them. PowerShell connections keep
their own preference (.ps1 first).
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.plugins.action import ActionBase


class ActionModule(ActionBase):
    _VALID_ARGS = frozenset()  # the module validates its own arguments

    def run(self, tmp=None, task_vars=None):
        result = super(ActionModule, self).run(tmp, task_vars)
        if getattr(self._connection._shell, "SHELL_FAMILY", "") != "powershell":
            self._connection.module_implementation_preferences = (".py",)
        result.update(self._execute_module(
            module_name="webroot.enterprise.port_check",
            module_args=self._task.args,
            task_vars=task_vars,
        ))
        return result

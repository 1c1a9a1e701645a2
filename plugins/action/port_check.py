# -*- coding: utf-8 -*-
# Copyright: (c) 2026, webroot.enterprise contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Picks the implementation of webroot.enterprise.port_check for the target.

The module has two implementations under one name and one documentation:
port_check.py (POSIX) and port_check.ps1 (Windows). Ansible looks a module up with
an empty suffix on non-PowerShell connections, so it could pick the .ps1 there;
this action plugin pins the lookup to .py for them. PowerShell connections keep
their own preference (.ps1 first).

The options ``targets_json`` and ``results_as=json`` (fast paths for thousands of
targets) are handled by the Python module itself; for the PowerShell one this
plugin decodes ``targets_json`` into ``targets`` before the call and encodes
``results`` into ``results_json`` after it, so both behave the same.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

from ansible.plugins.action import ActionBase

from ansible_collections.webroot.enterprise.plugins.plugin_utils.host_os import is_windows


class ActionModule(ActionBase):
    _VALID_ARGS = frozenset()  # the module validates its own arguments

    def run(self, tmp=None, task_vars=None):
        result = super(ActionModule, self).run(tmp, task_vars)
        args = dict(self._task.args)
        if isinstance(args.get("targets_json"), (list, tuple)):
            # ansible-core before 2.19 turns a templated string that looks like JSON back
            # into data: encode it again, so that the module gets the string it documents.
            args["targets_json"] = json.dumps(list(args["targets_json"]), separators=(",", ":"))
        # The implementation follows the shell: PowerShell (or cmd) runs port_check.ps1.
        powershell = is_windows(shell=getattr(self._connection._shell, "SHELL_FAMILY", ""))
        as_json = False
        if powershell:
            as_json = args.pop("results_as", "list") == "json"
            if args.get("targets_json") is not None and args.get("targets") is None:
                try:
                    args["targets"] = json.loads(args.pop("targets_json"))
                except (TypeError, ValueError) as exc:
                    result.update(failed=True, msg="targets_json: not valid JSON: %s" % exc,
                                  results=[], results_json=None)
                    return result
        else:
            self._connection.module_implementation_preferences = (".py",)
        result.update(self._execute_module(
            module_name="webroot.enterprise.port_check",
            module_args=args,
            task_vars=task_vars,
        ))
        if powershell:
            if as_json:
                result["results_json"] = json.dumps(result.get("results") or [], separators=(",", ":"))
                result["results"] = []
            else:
                result.setdefault("results_json", None)
        return result

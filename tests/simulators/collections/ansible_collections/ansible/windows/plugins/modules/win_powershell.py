# -*- coding: utf-8 -*-
# Copyright: (c) 2026, webroot.enterprise contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Windows Firewall SIMULATOR stand-in for ansible.windows.win_powershell.

Used only by the webroot.enterprise tests (tests/simulators/README.md). There is
no PowerShell here: this stand-in runs exactly one script, the collection's read
of a host's Windows Firewall (plugins/plugin_utils/webroot_read.ps1, passed inline;
parameters Group and Prefix), recognised by what it names
(``sim.read_script_problems``), and answers from the simulated store what that
script outputs on Windows: one object {Rules (COM properties), Profiles,
CurrentProfiles} (``sim.read_firewall``). Any other script fails, so a role change
that needs more than that is noticed instead of being simulated wrongly.

What it copies from the real module (ansible.windows ``plugins/modules/win_powershell.ps1``
at tag 3.3.0, 1ceaff6aefc72c4dea09fa53d7c6d79f2a944a98, the version the ``ansible`` 12
package bundles):
- the option spec, lines 15-52; ``error_action`` choices are checked by Ansible.Basic,
  case-insensitively (Ansible.Basic.cs lines 960-983 at ansible/ansible c9ac477e,
  ``values.Except(choices, StringComparer.OrdinalIgnoreCase)``);
- check mode skips the script unless its CmdletBinding has SupportsShouldProcess,
  lines 568-593 (the read has it, so it runs in check mode, with -WhatIf: lines 832-836);
- script parameters are bound by PowerShell: names without case, an unknown name fails
  ("A parameter cannot be found that matches parameter name");
- ``changed`` is ``$Ansible.Changed`` (default true), lines 661-670 and 894;
- the output is the list of objects the script wrote, converted by
  ``Convert-OutputObject`` at the ``depth`` option (default 2), lines 286-418 and 907:
  ported in ``plugins/module_utils/powershell_output.py`` beside this module, so a
  rule deeper than ``depth`` arrives as its ``[string]`` exactly as on Windows;
- errors (lines 672-677, 843-855, 909-935): a terminating error (``throw``, or any
  error under ``error_action: stop``) fails the task with one error record and the
  output written before it; the records carry ``exception.message``, ``type`` and
  ``fully_qualified_error_id``.

The host states the store can switch on (``HOST_DEFAULTS`` in the simulator) are
answered as Windows answers the read in them:
- ``mpssvc`` not Running: the read's first statement (``Get-Service -Name MpsSvc``
  and its ``throw``) fails the task, whatever ``error_action``;
- ``language_mode: ConstrainedLanguage`` (WDAC/AppLocker, lines 595 and 761-781):
  ``New-Object -ComObject HNetCfg.FwPolicy2`` is refused ("COM objects are blocked"
  in ConstrainedLanguage except a short allow-list: Microsoft, about_Language_Modes,
  https://learn.microsoft.com/en-us/powershell/module/microsoft.powershell.core/about/about_language_modes)
  with PowerShell's error "Cannot create type. Only core types are supported in this
  language mode." (NewObjectCommand, error id CannotCreateComTypeConstrained). Under
  ``error_action: stop`` that fails the task; under another error_action the script
  would go on without its COM object, which the simulator does not model: it fails
  saying so.

Every invocation is logged when WEBROOT_WINFW_SIMULATOR_LOG is set (``sim.log_call``).
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: win_powershell
short_description: Windows Firewall SIMULATOR (tests only) standing in for ansible.windows.win_powershell
description:
  - Answers the read-only Windows Firewall read of webroot.enterprise
    (plugins/plugin_utils/webroot_read.ps1) from the JSON store named by
    C(WEBROOT_WINFW_SIMULATOR_STORE). Never used on real hosts.
options:
  arguments: {type: list, elements: str, description: Ignored.}
  chdir: {type: str, description: Ignored.}
  creates: {type: str, description: Not supported by the simulator.}
  depth: {type: int, default: 2, description: Depth of the output conversion (Convert-OutputObject).}
  error_action: {type: str, choices: [silently_continue, continue, stop], default: continue, description: ErrorActionPreference of the script.}
  executable: {type: str, description: Ignored.}
  parameters: {type: dict, description: Script parameters (Group, Prefix).}
  path: {type: str, description: Not supported by the simulator.}
  remote_src: {type: bool, default: false, description: Not supported by the simulator.}
  removes: {type: str, description: Not supported by the simulator.}
  script: {type: str, description: The script; only the collection's read is simulated.}
  sensitive_parameters: {type: list, elements: dict, description: Not supported by the simulator.}
author: webroot.enterprise contributors
"""

import re

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.ansible.windows.plugins.module_utils import powershell_output as pso
from ansible_collections.community.windows.plugins.module_utils import windows_firewall_simulator as sim

ERROR_ACTIONS = ("silently_continue", "continue", "stop")
# SupportsShouldProcess named in the script's CmdletBinding with no value or with
# $true (lines 568-577: ExpressionOmitted or the argument's text '$true').
SHOULD_PROCESS = re.compile(r"\[CmdletBinding\([^)]*\bSupportsShouldProcess\b(\s*=\s*\$true\b|\s*[,)])",
                            re.IGNORECASE)
# The result keys the module sets before anything runs (lines 55-60): a skipped or
# failed run still returns them.
EMPTY_RESULT = dict(result={}, host_out="", host_err="", output=[], error=[], warning=[])
MODULE = "win_powershell"


def _exit(module, **result):
    sim.log_call(MODULE, result.get("changed"))
    module.exit_json(**result)


def _fail(module, msg):
    sim.log_call(MODULE, False, failed=True)
    module.fail_json(msg=msg)


def _module():
    return AnsibleModule(
        argument_spec=dict(
            arguments=dict(type="list", elements="str"),
            chdir=dict(type="str"),
            creates=dict(type="str"),
            depth=dict(type="int", default=2),
            # No ``choices``: Ansible.Basic matches them case-insensitively (checked below).
            error_action=dict(type="str", default="continue"),
            executable=dict(type="str"),
            parameters=dict(type="dict"),
            path=dict(type="str"),
            remote_src=dict(type="bool", default=False),
            removes=dict(type="str"),
            script=dict(type="str"),
            sensitive_parameters=dict(type="list", elements="dict", no_log=False),
        ),
        mutually_exclusive=[["path", "script"]],
        required_one_of=[["path", "script"]],
        supports_check_mode=True,
    )


def main():
    try:
        module = _module()
    except SystemExit:  # options refused by AnsibleModule: still a call
        sim.log_call(MODULE, False, failed=True)
        raise
    if module.params["error_action"].lower() not in ERROR_ACTIONS:
        _fail(module, "value of error_action must be one of: %s. Got no match for: %s"
              % (", ".join(ERROR_ACTIONS), module.params["error_action"]))
    script = module.params["script"] or ""
    unsupported = [o for o in ("path", "creates", "removes", "sensitive_parameters") if module.params[o]]
    problems = sim.read_script_problems(script)
    if unsupported or problems:
        _fail(module, (
            "Windows Firewall simulator: only the read of plugins/plugin_utils/webroot_read.ps1 "
            "is simulated (inline script, parameters Group and Prefix); this task needs a real "
            "Windows host (%s)" % "; ".join(problems or ["options %s" % ", ".join(unsupported)])))
    # The real module skips the script in check mode unless it supports ShouldProcess.
    if module.check_mode and not SHOULD_PROCESS.search(script):
        _exit(module, changed=True, msg="skipped, running in check mode", **EMPTY_RESULT)
    bound = {}
    for name, value in (module.params["parameters"] or {}).items():
        known = [p for p in sim.READ_PARAMETERS if p.lower() == str(name).lower()]
        if not known:
            _fail(module, "A parameter cannot be found that matches parameter name '%s'." % name)
        bound[known[0]] = "" if value is None else str(value)  # [String] parameters
    try:
        store = sim.load_store(sim.store_path())
    except sim.SimulatorError as exc:
        _fail(module, str(exc))
    changed = not re.search(r"\$Ansible\.Changed\s*=\s*\$false", script, re.IGNORECASE)
    error_action = module.params["error_action"].lower()
    failure = host_state_error(store, error_action)
    if failure == "unmodelled":
        _fail(module, "Windows Firewall simulator: in ConstrainedLanguage the read goes on without its COM "
                      "object under error_action %s, which the simulator does not model (use stop)" % error_action)
    if failure:
        # The real module sets Result.failed and exits through ExitJson (lines 852,
        # 895 and the end of the file): a failed result with no msg.
        sim.log_call(MODULE, changed, failed=True)
        module.exit_json(changed=changed, failed=True, output=[], result={}, host_out="", host_err="",
                         error=[failure], warning=[], verbose=[], debug=[], information=[])
    read = sim.read_firewall(store, bound.get("Group", ""), bound.get("Prefix", ""))
    output = pso.convert_output([as_written(read)], module.params["depth"])
    _exit(module, changed=changed, output=output, result={}, host_out="", host_err="",
          error=[], warning=[], verbose=[], debug=[], information=[])


def error_record(message, type_name, error_id, category="NotSpecified"):
    """An error record as win_powershell returns it (lines 909-935), the fields the
    simulator knows."""
    return {"output": message, "error_details": None, "target_object": None,
            "exception": {"message": message, "type": type_name, "help_link": None, "source": None,
                          "hresult": -2146233087, "inner_exception": None},
            "category_info": {"category": category, "category_id": 0, "activity": "", "reason": "",
                              "target_name": "", "target_type": ""},
            "fully_qualified_error_id": error_id, "script_stack_trace": "", "pipeline_iteration_info": []}


def host_state_error(store, error_action):
    """The error record ending the read in the store's host state, None when the read
    runs through; 'unmodelled' for a state the simulator does not answer."""
    status = store.get("mpssvc") or "Running"
    if status != "Running":
        # throw "<text>": a RuntimeException whose error id is the text (terminating
        # whatever error_action: lines 846-855).
        text = ("webroot.enterprise: the Windows Defender Firewall service (MpsSvc) is %s, not Running"
                % status)
        return error_record(text, "System.Management.Automation.RuntimeException", text, "OperationStopped")
    if (store.get("language_mode") or "FullLanguage") != "FullLanguage":
        if error_action != "stop":
            return "unmodelled"
        return error_record("Cannot create type. Only core types are supported in this language mode.",
                            "System.Management.Automation.PSNotSupportedException",
                            "CannotCreateComTypeConstrained,Microsoft.PowerShell.Commands.NewObjectCommand",
                            "PermissionDenied")
    return None


def as_written(read):
    """The read's object as the script writes it: a PSCustomObject whose lists hold
    PSCustomObjects (rules, Group Policy rules, profiles) and strings."""
    def objects(items):
        return pso.PSList(pso.PSCustomObject(item) for item in items)
    return pso.PSCustomObject([
        ("Rules", objects(read["Rules"])),
        ("PolicyRules", objects(read["PolicyRules"])),
        ("Profiles", objects(read["Profiles"])),
        ("CurrentProfiles", pso.PSList(read["CurrentProfiles"])),
        ("MpsSvc", read["MpsSvc"]),
    ])


if __name__ == "__main__":
    main()

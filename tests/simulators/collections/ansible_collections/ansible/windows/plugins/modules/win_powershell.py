# -*- coding: utf-8 -*-
# Copyright: (c) 2026, webroot.enterprise contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Windows Firewall SIMULATOR stand-in for ansible.windows.win_powershell.

Used only by the webroot.enterprise tests (tests/simulators/README.md). There is
no PowerShell here: this stand-in runs exactly one kind of script, the read-only
Get-NetFirewallRule query of roles/_common/tasks/windows.yml (parameters Group and
DisplayName, DisplayName entries being wildcard patterns), answering from the
simulated rule store with the properties that script's ``[PSCustomObject]@{...}``
outputs (any of Name, DisplayName, Group, Direction, Enabled, RemoteAddress). Any
other script, or a property the simulator cannot produce, fails, so a role change
that needs more than that is noticed instead of being simulated wrongly.

What it copies from the real module (ansible.windows ``plugins/modules/win_powershell.ps1``
at tag 3.3.0, 1ceaff6aefc72c4dea09fa53d7c6d79f2a944a98, the version the ``ansible`` 12
package bundles):
- the option spec, lines 15-52; ``error_action`` choices are checked by Ansible.Basic,
  case-insensitively (Ansible.Basic.cs lines 960-983 at ansible/ansible c9ac477e,
  ``values.Except(choices, StringComparer.OrdinalIgnoreCase)``);
- check mode skips the script unless its CmdletBinding has SupportsShouldProcess,
  lines 568-593;
- ``changed`` is ``$Ansible.Changed`` (default true), lines 661-670 and 894.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: win_powershell
short_description: Windows Firewall SIMULATOR (tests only) standing in for ansible.windows.win_powershell
description:
  - Answers the read-only Get-NetFirewallRule query of the webroot.enterprise role from the
    JSON rule store named by C(WEBROOT_WINFW_SIMULATOR_STORE). Never used on real hosts.
options:
  arguments: {type: list, elements: str, description: Ignored.}
  chdir: {type: str, description: Ignored.}
  creates: {type: str, description: Not supported by the simulator.}
  depth: {type: int, default: 2, description: Ignored.}
  error_action: {type: str, choices: [silently_continue, continue, stop], default: continue, description: Ignored.}
  executable: {type: str, description: Ignored.}
  parameters: {type: dict, description: Script parameters (Group, DisplayName).}
  path: {type: str, description: Not supported by the simulator.}
  remote_src: {type: bool, default: false, description: Not supported by the simulator.}
  removes: {type: str, description: Not supported by the simulator.}
  script: {type: str, description: The script; only the role's read query is simulated.}
  sensitive_parameters: {type: list, elements: dict, description: Not supported by the simulator.}
author: webroot.enterprise contributors
"""

import re

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.community.windows.plugins.module_utils import windows_firewall_simulator as sim

# Cmdlets and COM calls that would change the firewall: a script using any of them
# is not the read query.
WRITERS = re.compile(
    r"(New|Set|Remove|Enable|Disable|Rename|Copy)-NetFirewall|HNetCfg|netsh|Invoke-Expression",
    re.IGNORECASE)
# Queries whose output the simulator does not produce (the address filter it does:
# RemoteAddress).
OTHER_QUERIES = re.compile(r"Get-NetFirewall(?!AddressFilter)\w*Filter|Get-NetFirewallProfile", re.IGNORECASE)
ERROR_ACTIONS = ("silently_continue", "continue", "stop")
SHOULD_PROCESS = re.compile(r"\[CmdletBinding\([^)]*SupportsShouldProcess", re.IGNORECASE)


def main():
    module = AnsibleModule(
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
    if module.params["error_action"].lower() not in ERROR_ACTIONS:
        module.fail_json(msg="value of error_action must be one of: %s. Got no match for: %s"
                         % (", ".join(ERROR_ACTIONS), module.params["error_action"]))
    script = module.params["script"] or ""
    unsupported = [o for o in ("path", "creates", "removes", "sensitive_parameters") if module.params[o]]
    is_read_query = ("Get-NetFirewallRule" in script and re.search(r"\$DisplayName\b", script)
                     and not OTHER_QUERIES.search(script))
    if unsupported or not is_read_query or WRITERS.search(script):
        module.fail_json(msg=(
            "Windows Firewall simulator: only the read-only Get-NetFirewallRule script of "
            "roles/_common/tasks/windows.yml is simulated (inline script, parameters Group "
            "and DisplayName); this task needs a real Windows host"))
    fields = sim.script_output_fields(script)
    known = sim.net_firewall_rule(dict(sim.new_com_rule(), Name="x")).keys()
    unknown = [f for f in fields if f not in known]
    if not fields or unknown:
        module.fail_json(msg=(
            "Windows Firewall simulator: the read script must output [PSCustomObject]@{...} "
            "with properties among %s; it does not produce %s"
            % (", ".join(known), ", ".join(unknown) or "an empty object")))
    # The real module skips the script in check mode unless it supports ShouldProcess.
    if module.check_mode and not SHOULD_PROCESS.search(script):
        module.exit_json(changed=True, msg="skipped, running in check mode")
    params = module.params["parameters"] or {}
    names = params.get("DisplayName") or []
    if isinstance(names, str):
        names = [names]
    try:
        rules = sim.load(sim.store_path())
    except sim.SimulatorError as exc:
        module.fail_json(msg=str(exc))
    try:
        output = sim.get_net_firewall_rule(rules, params.get("Group"), names, fields)
    except sim.SimulatorError as exc:
        module.fail_json(msg=str(exc))
    changed = not re.search(r"\$Ansible\.Changed\s*=\s*\$false", script, re.IGNORECASE)
    module.exit_json(changed=changed, output=output, result={}, host_out="", host_err="",
                     error=[], warning=[], verbose=[], debug=[], information=[])


if __name__ == "__main__":
    main()

# -*- coding: utf-8 -*-
# Copyright: (c) 2026, webroot.enterprise contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Windows Firewall SIMULATOR stand-in for ansible.windows.win_powershell.

Used only by the webroot.enterprise tests (tests/simulators/README.md). There is
no PowerShell here: this stand-in runs exactly one kind of script, the read-only
Get-NetFirewallRule query of roles/_common/tasks/windows.yml, answering from the
simulated rule store with the objects that script outputs (Name, DisplayName,
Group, Direction, Enabled). Any other script fails, so a role change that needs
more than that is noticed instead of being simulated wrongly.
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
# Queries whose output the simulator does not produce.
OTHER_QUERIES = re.compile(r"Get-NetFirewall\w*Filter|Get-NetFirewallProfile", re.IGNORECASE)
SHOULD_PROCESS = re.compile(r"\[CmdletBinding\([^)]*SupportsShouldProcess", re.IGNORECASE)


def main():
    module = AnsibleModule(
        argument_spec=dict(
            arguments=dict(type="list", elements="str"),
            chdir=dict(type="str"),
            creates=dict(type="str"),
            depth=dict(type="int", default=2),
            error_action=dict(type="str", choices=["silently_continue", "continue", "stop"], default="continue"),
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
    script = module.params["script"] or ""
    unsupported = [o for o in ("path", "creates", "removes", "sensitive_parameters") if module.params[o]]
    is_read_query = ("Get-NetFirewallRule" in script and re.search(r"\$DisplayName\b", script)
                     and not OTHER_QUERIES.search(script))
    if unsupported or not is_read_query or WRITERS.search(script):
        module.fail_json(msg=(
            "Windows Firewall simulator: only the read-only Get-NetFirewallRule script of "
            "roles/_common/tasks/windows.yml is simulated (inline script, parameters Group "
            "and DisplayName); this task needs a real Windows host"))
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
    output = sim.get_net_firewall_rule(rules, params.get("Group"), names)
    changed = not re.search(r"\$Ansible\.Changed\s*=\s*\$false", script, re.IGNORECASE)
    module.exit_json(changed=changed, output=output, result={}, host_out="", host_err="",
                     error=[], warning=[], verbose=[], debug=[], information=[])


if __name__ == "__main__":
    main()

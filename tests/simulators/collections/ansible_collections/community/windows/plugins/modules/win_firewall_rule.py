# -*- coding: utf-8 -*-
# Copyright: (c) 2026, webroot.enterprise contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Windows Firewall SIMULATOR stand-in for community.windows.win_firewall_rule.

Used only by the webroot.enterprise tests (tests/simulators/README.md): it takes
the real module's documented options, validated the same way (types, choices,
aliases), and applies them to a JSON rule store instead of Windows Firewall.
The logic is in module_utils/windows_firewall_simulator.py. Every invocation is
logged when WEBROOT_WINFW_SIMULATOR_LOG is set (``sim.log_call``).
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: win_firewall_rule
short_description: Windows Firewall SIMULATOR (tests only) standing in for community.windows.win_firewall_rule
description:
  - Keeps Windows Firewall rules in the JSON file named by the environment variable
    C(WEBROOT_WINFW_SIMULATOR_STORE) and behaves like community.windows.win_firewall_rule
    (same options, check mode, diff). Never used on real hosts.
options:
  enabled: {type: bool, aliases: [enable], description: Whether the rule is enabled (true for new rules).}
  state: {type: str, choices: [absent, present], default: present, description: Add or remove.}
  name: {type: str, description: Display name; required unless I(group) is given.}
  group: {type: str, description: Rule group.}
  direction: {type: str, choices: [in, out], description: Direction.}
  action: {type: str, choices: [allow, block], description: Action.}
  description: {type: str, description: Description.}
  localip: {type: str, description: Local addresses or C(any).}
  remoteip: {type: str, description: Remote addresses or C(any).}
  localport: {type: str, description: Local ports or C(any).}
  remoteport: {type: str, description: Remote ports or C(any).}
  program: {type: str, description: Program path or C(any).}
  service: {type: str, description: Service name or C(any).}
  protocol: {type: str, description: Protocol or C(any).}
  profiles: {type: list, elements: str, aliases: [profile], description: Profiles.}
  icmp_type_code: {type: list, elements: str, description: ICMP type:code list.}
  interfacetypes:
    type: list
    elements: str
    description: Interface types (wireless, lan, ras) or C(any); read by the real module (CW line 126) though not in its documentation.
  edge: {type: str, description: 'Edge traversal: no, yes, deferapp, deferuser (CW line 127, undocumented there too).'}
  security: {type: str, description: 'Security: notrequired, authnoencap, authenticate, authdynenc, authenc (CW lines 128-129).'}
author: webroot.enterprise contributors
"""

import json

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.community.windows.plugins.module_utils import windows_firewall_simulator as sim


def argument_spec():
    # state, direction, action, edge and security have no ``choices`` here: the real module checks
    # them with Legacy's case-insensitive -ValidateSet (sim.check_choice), which
    # AnsibleModule's case-sensitive choices would not reproduce.
    return dict(
        enabled=dict(type="bool", aliases=["enable"]),
        state=dict(type="str", default="present"),
        name=dict(type="str"),
        group=dict(type="str"),
        direction=dict(type="str"),
        action=dict(type="str"),
        description=dict(type="str"),
        localip=dict(type="str"),
        remoteip=dict(type="str"),
        localport=dict(type="str"),
        remoteport=dict(type="str"),
        program=dict(type="str"),
        service=dict(type="str"),
        protocol=dict(type="str"),
        profiles=dict(type="list", elements="str", aliases=["profile"]),
        icmp_type_code=dict(type="list", elements="str"),
        interfacetypes=dict(type="list", elements="str"),
        edge=dict(type="str"),
        security=dict(type="str"),
    )


MODULE = "win_firewall_rule"


def main():
    try:
        module = AnsibleModule(argument_spec=argument_spec(), supports_check_mode=True)
    except SystemExit:  # options refused by AnsibleModule: still a call
        sim.log_call(MODULE, False, failed=True)
        raise
    rules = path = before = None
    try:
        for option in ("state", "direction", "action", "edge", "security"):
            sim.check_choice(option, module.params[option])
        path = sim.store_path()
        rules = sim.load(path)
        before = json.dumps(rules, sort_keys=True)
        result = sim.run(rules, module.params, check_mode=module.check_mode)
        if result["changed"] and not module.check_mode:
            sim.save(path, rules)
    except sim.SimulatorError as exc:
        # The update loop writes each property on the live COM rule (CW lines
        # 307-319): what it set before the error stays set on Windows.
        if rules is not None and not module.check_mode and json.dumps(rules, sort_keys=True) != before:
            sim.save(path, rules)
        sim.log_call(MODULE, False, failed=True)
        module.fail_json(msg=str(exc))
    prepared = result.pop("prepared")
    if module._diff:
        result["diff"] = {"prepared": prepared}
    sim.log_call(MODULE, result["changed"])
    module.exit_json(**result)


if __name__ == "__main__":
    main()

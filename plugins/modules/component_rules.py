# -*- coding: utf-8 -*-
# Copyright: (c) 2026, webroot.enterprise contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# The work is done by the action plugin plugins/action/component_rules.py; this file
# holds its documentation only.
from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: component_rules
short_description: Open one Webroot component's Table 11 ports on a host, changing only what differs
version_added: "0.3.0"
description:
  - The one task of each component role (V(update_service), V(update_distributor), V(client_service),
    V(sweep_now), V(poll_now)). Use the roles; call this directly only to build your own role.
  - "First the plan, on the controller: every input is checked (state, port, the management-port
    guard, CIDRs, misspelt C(<component>_*) variables, the scope from the inventory groups) before
    anything is read or changed on the host."
  - Then one read of the host's firewall per run (webroot.enterprise.firewall_info on Linux, one
    read-only PowerShell script through ansible.windows.win_powershell on Windows), kept in the
    registered result (RV(firewall)) for the next component role on the same host, updated with what
    this one changed. Register the result as C(webroot_plan), as the roles do, for that.
  - Then the difference, in Python, and the standard modules only for what differs
    (community.windows.win_firewall_rule or ansible.windows.win_firewall_rule, ansible.posix.firewalld,
    community.general.ufw, ansible.builtin.iptables, webroot.enterprise.address_set). A run where
    nothing differs calls no module that changes the firewall.
  - New and grown rules are written before stale ones are removed, so no address that stays admitted
    is ever in no rule. The first failing module stops the task, and its message lists what had
    already been changed.
  - Rules that are not ours (see docs/safety.md) are never changed or removed; a change that would
    remove a set or service a foreign rule uses, or a Windows name a foreign rule carries, is refused.
author:
  - webroot.enterprise contributors (@webroot-enterprise)
options:
  component:
    description: The Table 11 component.
    type: str
    required: true
    choices: [update_service, update_distributor, client_service, sweep_now, poll_now]
  state:
    description: V(present) opens the component's port; V(absent) removes our rules of the component.
    type: str
    choices: [present, absent]
    default: present
  port:
    description: Port number (1-65535); empty for the catalog's.
    type: raw
    default: ""
  peers:
    description: Explicit CIDRs of the other side of the flow; empty to take them from the inventory groups.
    type: list
    elements: str
    default: []
  any_peer:
    description: Admit any address (explicit opt-in).
    type: bool
    default: false
  backend:
    description: Firewall. V(auto) finds it (Windows from the connection; then firewalld running, ufw active, iptables).
    type: str
    choices: [auto, firewalld, ufw, iptables, windows]
    default: auto
  firewalld_zone:
    description: firewalld zone; empty for the default zone. Our rules in any other zone are removed.
    type: str
    default: ""
  windows_profiles:
    description: Windows Firewall profiles of the rules.
    type: list
    elements: str
    choices: [domain, private, public]
    default: [domain, private]
  windows_program:
    description: Windows only; program path the rules apply to, empty for any program.
    type: str
    default: ""
attributes:
  action:
    support: full
    description: Indicates this has a corresponding action plugin so some parts of the options can be executed on the controller.
  check_mode:
    support: full
    description: Reads the firewall and reports the difference; no module is called for a change.
  diff_mode:
    support: full
    description: Our rules and set entries before and after, one per line, from the same difference.
  platform:
    platforms: [posix, windows]
    support: full
    description: Target OS/families that can be operated against.
notes:
  - Each call of a module for a change is one remote round trip; a host where nothing differs costs
    one read per run, whatever the number of component roles.
seealso:
  - module: webroot.enterprise.firewall_info
  - module: webroot.enterprise.address_set
"""

EXAMPLES = r"""
- name: Open Sweep Now (50001/tcp) on this host, from the company servers of the inventory
  webroot.enterprise.component_rules:
    component: sweep_now
  register: webroot_plan
"""

RETURN = r"""
backend:
  description: The firewall found (or given).
  returned: success
  type: str
  sample: iptables
changes:
  description: The module calls made for a change, in order (also on failure).
  returned: always
  type: list
  elements: str
  sample: ["set webroot-sweep-now-v4 to 2 entries", "insert ipv4 INPUT 50001/tcp from set webroot-sweep-now-v4"]
firewall:
  description: The one read of this run (ours, per backend), updated with this task's changes, for the next component role.
  returned: success
  type: dict
update_service:
  description: The plan of a component on this host (this task's, and those of earlier component roles of the run).
  returned: when planned in this run
  type: dict
  sample: {"component": "sweep_now", "state": "present", "port": 50001, "protocol": "tcp",
           "rules": [{"direction": "in", "port": 50001, "peers": ["198.18.10.21/32"], "any_peer": false}]}
update_distributor:
  description: As RV(update_service).
  returned: when planned in this run
  type: dict
client_service:
  description: As RV(update_service).
  returned: when planned in this run
  type: dict
sweep_now:
  description: As RV(update_service).
  returned: when planned in this run
  type: dict
poll_now:
  description: As RV(update_service).
  returned: when planned in this run
  type: dict
"""

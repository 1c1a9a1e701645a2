# -*- coding: utf-8 -*-
# Copyright: (c) 2026, webroot.enterprise contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# The work is done by the action plugin plugins/action/validate_estate.py; this file
# holds its documentation only.
from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: validate_estate
short_description: Check every host's Webroot settings from the inventory, once, on the controller
version_added: "0.3.0"
description:
  - Computes the plan of every component on every host of the groups C(webroot_distributors),
    C(webroot_servers) and C(webroot_clients) from the inventory (host and group variables, gathered
    facts), as the component roles would, and fails naming the host and the variable on the first
    bad values (up to O(max_errors) of them), before any firewall changes anywhere.
  - No host is contacted. Run it once per run, with C(run_once) in a play of its own (no C(serial)),
    as C(playbooks/validate.yml) does; C(site.yml) starts with it.
  - The component roles still check their own inputs (role parameters and play variables, which the
    inventory does not show) before they change anything on their host.
author:
  - webroot.enterprise contributors (@webroot-enterprise)
options:
  max_errors:
    description: How many bad values the failure message lists (all are returned in RV(errors)).
    type: int
    default: 20
attributes:
  action:
    support: full
    description: Indicates this has a corresponding action plugin so some parts of the options can be executed on the controller.
  check_mode:
    support: full
    description: Reads the inventory only; the same in check mode.
  diff_mode:
    support: none
    description: Nothing to show.
  platform:
    platforms: all
    support: full
    description: Runs on the controller.
seealso:
  - module: webroot.enterprise.component_rules
"""

EXAMPLES = r"""
- name: Validate the Webroot settings of the whole estate
  hosts: webroot_distributors:webroot_servers:webroot_clients
  gather_facts: false
  any_errors_fatal: true
  tasks:
    - name: Plan every host from the inventory
      webroot.enterprise.validate_estate:
      run_once: true
"""

RETURN = r"""
hosts:
  description: Hosts planned.
  returned: always
  type: int
  sample: 3012
plans:
  description: Component plans computed.
  returned: always
  type: int
  sample: 9030
errors:
  description: Every bad value, each as C(host NAME) followed by a message naming the variable.
  returned: always
  type: list
  elements: str
"""

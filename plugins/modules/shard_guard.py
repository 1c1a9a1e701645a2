# -*- coding: utf-8 -*-
# Copyright: (c) 2026, webroot.enterprise contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# The work is done by the action plugin plugins/action/shard_guard.py; this file
# holds its documentation only.
from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: shard_guard
short_description: Refuse AWX job slicing, and a node of the sharded night that would touch hosts not its own
version_added: "0.4.0"
description:
  - Run once, first, before any host is contacted. C(playbooks/validate.yml) runs it with O(node=any)
    (so C(site.yml), C(site_serial.yml) and every entry playbook do); C(playbooks/site_estate.yml) and
    C(playbooks/site_workstations.yml) run it with O(node=estate) and O(node=workstations).
  - B(Job slicing is refused.) AWX writes each slice's inventory with the slice's hosts only (every
    group lists only them), so the company servers' and distributors' rules would shrink to one
    slice's workstations. AWX sets no variable that names a slice. Two signals are read. First,
    AWX's meta variables - a sliced job template launches a workflow named as the job template, and
    each slice is a job of that workflow, so C(awx_workflow_job_name) equals C(awx_job_template_name)
    (a workflow of yours named exactly as one of its job templates is taken for a slice - rename
    it). Second, C(webroot_estate_min_hosts), an inventory variable (C(group_vars/all)) - AWX keeps the
    variables of C(all) and of every group in each slice, so a slice holds fewer managed hosts than
    that floor (a partial inventory sync is refused the same way).
  - With O(node=workstations), refuses when a distributor or company server is among the play hosts,
    or a host outside the shard group O(shard) (the node's limit must be C(<shard group>:localhost)).
    With O(node=estate), refuses when a workstation that is neither distributor nor company server
    is among them (the limit must be C(webroot_distributors:webroot_servers:localhost)).
author:
  - webroot.enterprise contributors (@webroot-enterprise)
options:
  node:
    description: Which job this is - any run, the estate node, or a workstation shard.
    type: str
    choices: [any, estate, workstations]
    default: any
  shard:
    description: The shard group of a workstation shard (required with O(node=workstations)).
    type: str
attributes:
  action:
    support: full
    description: Indicates this has a corresponding action plugin so some parts of the options can be executed on the controller.
  check_mode:
    support: full
    description: Reads the inventory and the job's variables only.
  diff_mode:
    support: none
    description: Nothing to show.
  platform:
    platforms: all
    support: full
    description: Runs on the controller.
seealso:
  - module: webroot.enterprise.shard_merge
"""

EXAMPLES = r"""
- name: A workstation shard of the sharded night
  hosts: webroot_distributors:webroot_servers:webroot_clients
  gather_facts: false
  any_errors_fatal: true
  tasks:
    - name: Only this shard's workstations, and not a slice
      webroot.enterprise.shard_guard:
        node: workstations
        shard: "{{ webroot_shard }}"
      run_once: true
"""

RETURN = r"""
sliced:
  description: True when the job was refused as a slice of a sliced job template.
  returned: when refused as a slice
  type: bool
intruders:
  description: The play hosts that are not the node's own, each with the reason.
  returned: when refused for them
  type: dict
hosts:
  description: How many play hosts the job has.
  returned: success
  type: int
"""

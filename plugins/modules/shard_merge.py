# -*- coding: utf-8 -*-
# Copyright: (c) 2026, webroot.enterprise contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# The work is done by the action plugin plugins/action/shard_merge.py; this file
# holds its documentation only.
from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: shard_merge
short_description: One verdict over the estate from the sharded night's summaries
version_added: "0.4.0"
description:
  - The merge node of the sharded night (C(playbooks/merge.yml)). Reads the summaries the estate node
    (C(webroot_enterprise_estate)) and each workstation shard (C(webroot_enterprise_<shard group>))
    handed over with C(set_stats); AWX passes them to the next node of a workflow as extra variables.
  - Counts every host once, against the whole inventory - the estate node should have run on the
    distributors and company servers, each shard on its group's workstations. A node whose summary is
    missing (its job stopped early), a node that ran on other hosts than its group holds, a managed
    host in no node's group or in two are named and fail the night.
  - C(webroot_max_left_out) applies to the total of hosts left out; any failed host fails the night.
    The merged summary is handed over under one key (O(stats_key)), with capped host lists.
author:
  - webroot.enterprise contributors (@webroot-enterprise)
options:
  shards:
    description: The shard groups of the workflow's workstation nodes (C(webroot_shard_1), ...).
    type: list
    elements: str
    required: true
  max_left_out:
    description: How many hosts of the whole estate may be left out before the night counts as failed.
    type: int
    default: 0
  max_names:
    description: How many host names the merged lists keep (the counts are always complete).
    type: int
    default: 20
  stats_key:
    description: The C(set_stats) key of the merged summary.
    type: str
    default: webroot_enterprise
  fail:
    description: Fail when the night counts as failed; V(false) only reports.
    type: bool
    default: true
attributes:
  action:
    support: full
    description: Indicates this has a corresponding action plugin so some parts of the options can be executed on the controller.
  check_mode:
    support: full
    description: Reads variables only.
  diff_mode:
    support: none
    description: Nothing to show.
  platform:
    platforms: all
    support: full
    description: Runs on the controller.
seealso:
  - module: webroot.enterprise.shard_guard
  - module: webroot.enterprise.summary
"""

EXAMPLES = r"""
- name: The night's verdict
  hosts: localhost
  gather_facts: false
  tasks:
    - name: Merge the summaries of the estate node and the shards
      webroot.enterprise.shard_merge:
        shards: [webroot_shard_1, webroot_shard_2]
        max_left_out: 300
"""

RETURN = r"""
summary:
  description:
    - C(estate) (managed hosts), C(hosts), C(converged), C(left_out_count), C(failed_count), C(changed_count),
      C(left_out) and C(failed) (the first names, host to reason), C(nodes) (per node), C(missing),
      C(mismatched), C(unassigned), C(twice), C(verdict) (C(passed), C(text)).
  returned: always
  type: dict
"""

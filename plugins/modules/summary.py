# -*- coding: utf-8 -*-
# Copyright: (c) 2026, webroot.enterprise contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# The work is done by the action plugin plugins/action/summary.py; this file holds
# its documentation only.
from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: summary
short_description: Summarise a Webroot run - hosts converged, left out and failed - as job artifacts
version_added: "0.3.0"
description:
  - Run once at the end of a play over the managed groups (C(playbooks/summary.yml), which C(site.yml)
    ends with). Every host of C(webroot_distributors), C(webroot_servers) and C(webroot_clients) is
    converged, left out or failed, each with its reason. A host is left out when it is off (unreachable
    in this run, such as a workstation asleep, off-site or retired, in C(off)), when its address
    is unknown this run (a DNS lookup that timed out or failed, facts not gathered; its peers' rules
    were kept, nothing removed, in C(unknown)), or when it has no address at all (in none of its
    peers' rules, in C(no_address)); each is named apart.
  - The summary (counts per component and outcome, the hosts left out, the failing hosts) is handed
    over with C(set_stats) under one key (O(stats_key)), so AWX and Automation Platform show it as
    job artifacts and a workflow's variables are not overwritten.
  - Fails when a host failed for a reason other than being unreachable, or when more than
    O(max_left_out) hosts were left out.
author:
  - webroot.enterprise contributors (@webroot-enterprise)
options:
  progress:
    description:
      - Only one line for the end of a play (its hosts done, changed, left out, failed), for long runs;
        never fails and hands nothing over. C(site.yml) ends each apply play with it.
    type: bool
    default: false
  fail:
    description:
      - Fail when the run counts as failed. V(false) only reports; C(playbooks/summary.yml) fails
        in a play of its own on C(localhost), so that no managed host is counted as failed for it.
    type: bool
    default: true
  max_left_out:
    description:
      - How many hosts may be left out before the run counts as failed. Counts the hosts of
        C(left_out), each once, whether off, address unknown (rules kept) or with no address.
    type: int
    default: 0
  stats_key:
    description: The C(set_stats) key the summary is handed over under.
    type: str
    default: webroot_enterprise
  max_names:
    description:
      - Keep only the first this many names in C(left_out), C(failed) and C(changed_hosts), and add their
        full counts (C(left_out_count), C(failed_count), C(changed_count)), so that the artifacts of a
        large job stay small (the nodes of the sharded night, C(playbooks/site_workstations.yml)).
        V(0) keeps every name.
    type: int
    default: 0
    version_added: "0.4.0"
attributes:
  action:
    support: full
    description: Indicates this has a corresponding action plugin so some parts of the options can be executed on the controller.
  check_mode:
    support: full
    description: Reads the run's results only.
  diff_mode:
    support: none
    description: Nothing to show.
  platform:
    platforms: all
    support: full
    description: Runs on the controller.
seealso:
  - module: webroot.enterprise.validate_estate
"""

EXAMPLES = r"""
- name: Summary of the run
  hosts: webroot_distributors:webroot_servers:webroot_clients
  gather_facts: false
  tasks:
    - name: Hosts converged, left out and failed
      webroot.enterprise.summary:
        max_left_out: 25
      run_once: true

    - name: Accept the hosts left out within max_left_out
      ansible.builtin.meta: clear_host_errors
"""

RETURN = r"""
summary:
  description:
    - C(hosts), C(converged), C(left_out) (host to reason), C(failed) (host to reason), C(components)
      (component to counts of C(changed) and C(ok)), C(verdict) (C(passed), C(text)).
    - The hosts left out, apart (host to reason), C(off) (unreachable), C(unknown) (address unknown this
      run, its peers' rules kept) and C(no_address) (in no rule).
  returned: always
  type: dict
"""

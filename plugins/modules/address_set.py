#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, webroot.enterprise contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: address_set
short_description: Keep one set of addresses (ipset or firewalld ipset) at a given list, in one call
version_added: "0.2.0"
description:
  - Brings one C(hash:net) address set to exactly the given entries, adding and removing only
    the difference, in one call whatever the number of entries. The component roles keep the
    peers of a Webroot rule in such a set, so that a firewall rule matches thousands of
    workstations without one rule per workstation.
  - With O(provider=ipset) the set is a kernel ipset (C(ipset restore)), used by iptables rules
    (C(-m set --match-set)). Saving it for the next boot is the caller's job (the roles save
    it next to the iptables rules).
  - With O(provider=firewalld) the set is a firewalld ipset, changed in the permanent and the
    running configuration at once (C(firewall-cmd --add-entries-from-file)). firewalld creates
    and deletes ipsets only in the permanent configuration; when the running firewalld must
    learn of a new or deleted set, RV(reload_required) is true and the caller reloads once.
  - A set of the same name that is not a C(hash:net) set of the requested family is not ours
    and is never changed; the module fails and says so.
author:
  - webroot.enterprise contributors (@webroot-enterprise)
options:
  name:
    description: Name of the set (at most 31 characters for ipset).
    type: str
    required: true
  family:
    description: Address family of the set.
    type: str
    choices: [ipv4, ipv6]
    default: ipv4
  entries:
    description:
      - Addresses and CIDRs the set must hold, and nothing else. Written in any form
        (C(198.18.10.31), C(198.18.10.31/32)); compared in canonical form.
    type: list
    elements: str
    default: []
  state:
    description: V(present) keeps the set with O(entries); V(absent) removes the set.
    type: str
    choices: [present, absent]
    default: present
  provider:
    description: Which tool keeps the set.
    type: str
    choices: [ipset, firewalld]
    default: ipset
attributes:
  check_mode:
    description: Can run in check_mode and return changed status prediction without modifying target.
    support: full
    details: Reads the set and reports what would change, including the diff.
  diff_mode:
    description: Will return details on what has changed (or possibly needs changing in check_mode), when in diff mode.
    support: full
    details: The entries before and after, one per line.
  platform:
    description: Target OS/families that can be operated against.
    support: full
    platforms: posix
notes:
  - An iptables rule that names the set must be removed before the set can be (the kernel
    refuses to destroy a set in use).
seealso:
  - module: ansible.builtin.iptables
    description: C(match_set) matches a rule against a set.
  - module: ansible.posix.firewalld
    description: A rich rule with C(source ipset=...) matches a zone rule against a firewalld ipset.
"""

EXAMPLES = r"""
- name: Keep the workstations that may reach 50000 in one set
  webroot.enterprise.address_set:
    name: webroot-client-service-v4
    entries: [198.18.10.31/32, 198.18.10.32/32]

- name: Admit the set in one iptables rule
  ansible.builtin.iptables:
    chain: INPUT
    protocol: tcp
    destination_port: "50000"
    match_set: webroot-client-service-v4
    match_set_flags: src
    jump: ACCEPT
    comment: webroot.enterprise client_service 50000/tcp in

- name: The same as a firewalld ipset
  webroot.enterprise.address_set:
    name: webroot-client-service-v4
    provider: firewalld
    entries: [198.18.10.0/24]
  register: __set

- name: Load a new firewalld ipset into the running firewalld
  ansible.builtin.command: firewall-cmd --reload
  when: __set.reload_required
  changed_when: true
"""

RETURN = r"""
name:
  description: The set's name.
  returned: always
  type: str
  sample: webroot-client-service-v4
entries:
  description: The entries the set holds now (canonical CIDRs); empty for V(absent).
  returned: always
  type: list
  elements: str
  sample: [198.18.10.31/32]
added:
  description: Entries added (or that would be, in check mode).
  returned: always
  type: list
  elements: str
  sample: [198.18.10.32/32]
removed:
  description: Entries removed (or that would be, in check mode).
  returned: always
  type: list
  elements: str
  sample: []
reload_required:
  description:
    - firewalld only. True when a set was created or deleted in the permanent configuration and
      the running firewalld learns of it only through C(firewall-cmd --reload).
  returned: always
  type: bool
  sample: false
"""

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.webroot.enterprise.plugins.module_utils import addrset


def main():
    module = AnsibleModule(
        argument_spec=dict(
            name=dict(type="str", required=True),
            family=dict(type="str", choices=["ipv4", "ipv6"], default="ipv4"),
            entries=dict(type="list", elements="str", default=[]),
            state=dict(type="str", choices=["present", "absent"], default="present"),
            provider=dict(type="str", choices=["ipset", "firewalld"], default="ipset"),
        ),
        supports_check_mode=True,
    )
    p = module.params
    tool = "ipset" if p["provider"] == "ipset" else "firewall-cmd"
    module.get_bin_path(tool, required=True)

    def runner(args, data=None):
        return module.run_command(args, data=data, binary_data=False)

    try:
        result = addrset.run(runner, p["provider"], p["name"], p["family"], p["entries"],
                             p["state"], module.check_mode)
    except addrset.SetError as exc:
        module.fail_json(msg=str(exc))
    if not module._diff:  # pylint: disable=protected-access
        result.pop("diff")
    module.exit_json(**result)


if __name__ == "__main__":
    main()

#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, webroot.enterprise contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: firewalld_reload
short_description: Reload firewalld to load new services or ipsets, keeping what the runtime holds
version_added: "0.4.0"
description:
  - firewalld creates services and ipsets only in its permanent configuration; the running
    firewalld loads them only through a reload, and a plain reload (C(firewall-cmd --reload))
    drops every runtime-only setting (a fail2ban ban, a port opened by hand, an interface bound
    by podman or by hand, direct rules and passthroughs, ipset entries added at runtime).
  - This module reads the runtime configuration afresh, reloads, and sets the runtime back to
    what it read (zones and policies with firewalld's runtime C(setZoneSettings2) /
    C(setPolicySettings), ipset entries with C(setEntries), the direct configuration item by
    item), all through one D-Bus connection, so the runtime-only settings are in force again a
    fraction of a second after the reload. The services and ipsets named C(webroot-*) are
    taken from the permanent configuration, which the reload loaded.
  - "It refuses, without reloading, when the permanent configuration holds a zone or a policy
    that the running firewalld has not loaded yet: a reload would bring it in, and it cannot be
    taken out of the runtime again without another reload."
author:
  - webroot.enterprise contributors (@webroot-enterprise)
options: {}
attributes:
  check_mode:
    description: Can run in check_mode and return changed status prediction without modifying target.
    support: full
    details: In check mode the configuration is read and the refusal checked; nothing is reloaded.
  diff_mode:
    description: Will return details on what has changed (or possibly needs changing in check_mode), when in diff mode.
    support: none
  platform:
    description: Target OS/families that can be operated against.
    support: full
    platforms: posix
notes:
  - Needs firewalld's Python client (C(firewall.client), package C(python3-firewall)), so run the
    module with the host's C(/usr/bin/python3).
  - A setting added at runtime with a timeout (C(firewall-cmd --timeout)) is put back without it.
  - A change made by another program between the read and the reload (a fail2ban ban in that
    fraction of a second) is not put back.
seealso:
  - module: webroot.enterprise.address_set
    description: Creates the firewalld ipsets that this reload loads.
"""

EXAMPLES = r"""
- name: Load a new service or ipset of ours, keeping fail2ban's bans
  webroot.enterprise.firewalld_reload:
"""

RETURN = r"""
restored:
  description: What the reload changed in the runtime configuration and was set back, per zone,
    policy, ipset or direct item (their names).
  returned: success
  type: list
  elements: str
  sample: [zone public]
problems:
  description: What could not be set back after the reload (the module then fails).
  returned: always
  type: list
  elements: str
  sample: []
"""

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.webroot.enterprise.plugins.module_utils import fwdreload


def main():
    module = AnsibleModule(argument_spec=dict(), supports_check_mode=True)
    try:
        from firewall.client import FirewallClient  # pylint: disable=import-outside-toplevel
    except ImportError:
        module.fail_json(msg="firewalld's Python client (python3-firewall: firewall.client) cannot be "
                             "imported; run the module with the host's /usr/bin/python3", problems=[])
    fw = FirewallClient()
    if not fw.connected:
        module.fail_json(msg="firewalld is not running on this host", problems=[])
    try:
        result = fwdreload.reload_keeping_runtime(fw, module.check_mode)
    except fwdreload.ReloadRefused as exc:
        module.fail_json(msg="firewalld was not reloaded: the reload would bring in what is not ours and "
                             "could not be taken out again without another reload: %s" % "; ".join(exc.args[0]),
                         problems=exc.args[0], refused=True)
    if result["problems"]:
        module.fail_json(msg="firewalld was reloaded, but not all of its runtime configuration could be put "
                             "back: %s" % "; ".join(result["problems"]), problems=result["problems"],
                         restored=result["restored"])
    module.exit_json(changed=not module.check_mode, restored=result["restored"], problems=[])


if __name__ == "__main__":
    main()

# -*- coding: utf-8 -*-
# Copyright: (c) 2026, webroot.enterprise contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Filters that expose the catalog and the rule computation to the roles.

The logic lives in plugins/module_utils/rules.py; these are thin wrappers that turn
its RuleError into an AnsibleFilterError (a clear task failure): plugin_utils/filters.py.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.webroot.enterprise.plugins.module_utils import rules as R
from ansible_collections.webroot.enterprise.plugins.module_utils.catalog import TABLE_11, WINDOWS_GROUP
from ansible_collections.webroot.enterprise.plugins.plugin_utils.filters import wrap


def _wrap(func):
    return wrap(func, R.RuleError)


def host_rules(component, host, groups, hostvars, state="present", port=None,
               peers=None, any_peer=False):
    return R.host_rules(component, host, groups, hostvars, {
        "state": state, "port": port, "peers": peers or [], "any_peer": any_peer,
    })


def catalog(_unused=None):
    """Table 11 as a list of plain dicts (tuples turned into lists)."""
    def plain(value):
        if isinstance(value, dict):
            return dict((k, plain(v)) for k, v in value.items())
        if isinstance(value, (list, tuple)):
            return [plain(v) for v in value]
        return value
    return plain(TABLE_11)


def current_rules(output, backend, component, port=None, ip_version="ipv4", services=None):
    """Our rules for ``component`` found in a backend's listing.

    iptables: ``iptables -S`` lines; ufw: ``ufw show added`` lines; firewalld:
    ``--list-rich-rules`` lines with ``services`` the zone's services.
    """
    lines = output if isinstance(output, list) else str(output).splitlines()
    if backend == "iptables":
        return R.parse_iptables(lines, component, ip_version)
    if backend == "ufw":
        return R.parse_ufw(lines, component)
    if backend == "firewalld":
        row = R.component(component)
        return R.parse_firewalld(lines, services or [], component, port or row["port"], row["protocol"])
    raise R.RuleError("unknown backend %r" % backend)


def windows_naming(component):
    """Our Windows Firewall rule group and the name prefix of a component's rules."""
    row = R.component(component)
    return {"group": WINDOWS_GROUP, "prefix": "%s - %s (" % (WINDOWS_GROUP, row["title"])}


class FilterModule(object):
    def filters(self):
        return {
            "host_rules": _wrap(host_rules),
            "catalog": _wrap(catalog),
            "current_rules": _wrap(current_rules),
            "expand_rules": _wrap(R.expand),
            "stale_rules": _wrap(R.stale),
            "rich_rule": _wrap(R.firewalld_rich_rule),
            "windows_naming": _wrap(windows_naming),
        }

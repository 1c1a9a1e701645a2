# -*- coding: utf-8 -*-
# Copyright: (c) 2026, webroot.enterprise contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The public filters: the catalog, the naming of our Windows rules, and whether a
host is Windows (plugin_utils/host_os.py, the answer the component roles use too).

The plan of a host is published by the component roles as ``webroot_plan`` (the
result their one task, webroot.enterprise.component_rules, registers).

The logic lives in plugins/plugin_utils/rules.py; these are thin wrappers that turn
its RuleError into an AnsibleFilterError (a clear task failure): plugin_utils/filters.py.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.webroot.enterprise.plugins.plugin_utils import rules as rules_lib
from ansible_collections.webroot.enterprise.plugins.plugin_utils.catalog import TABLE_11, WINDOWS_GROUP
from ansible_collections.webroot.enterprise.plugins.plugin_utils.filters import wrap
from ansible_collections.webroot.enterprise.plugins.plugin_utils.host_os import is_windows


def _wrap(func):
    return wrap(func, rules_lib.RuleError)


def catalog(_unused=None):
    """Table 11 as a list of plain dicts (tuples turned into lists)."""
    def plain(value):
        if isinstance(value, dict):
            return dict((k, plain(v)) for k, v in value.items())
        if isinstance(value, (list, tuple)):
            return [plain(v) for v in value]
        return value
    return plain(TABLE_11)


def windows_naming(component):
    """Our Windows Firewall rule group and the name prefix of a component's rules."""
    row = rules_lib.component(component)
    return {"group": WINDOWS_GROUP, "prefix": "%s - %s (" % (WINDOWS_GROUP, row["title"])}


def windows_host(host):
    """``{connection, shell, os_family} | windows_host``: whether the host is Windows."""
    host = host or {}
    return is_windows(connection=host.get("connection"), shell=host.get("shell"), os_family=host.get("os_family"))


class FilterModule(object):
    def filters(self):
        return {
            "catalog": _wrap(catalog),
            "windows_naming": _wrap(windows_naming),
            "windows_host": windows_host,
        }

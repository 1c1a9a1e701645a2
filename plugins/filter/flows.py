# -*- coding: utf-8 -*-
# Copyright: (c) 2026, webroot.enterprise contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Filters of the verify role: the checks the catalog implies, and their reports.

The logic lives in plugins/module_utils/flows.py; these are thin wrappers that turn
its errors into an AnsibleFilterError (a clear task failure).
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.module_utils.parsing.convert_bool import boolean

from ansible_collections.webroot.enterprise.plugins.module_utils import flows as F
from ansible_collections.webroot.enterprise.plugins.module_utils import rules as R
from ansible_collections.webroot.enterprise.plugins.plugin_utils.filters import wrap


def _wrap(func):
    return wrap(func, (F.FlowError, R.RuleError))


def verify_checks(catalog, groups, hostvars, sources=None, listening=None, negative=True,
                  negative_limit=0):
    """``catalog | verify_checks(groups, hostvars, ...)``: every check, see flows.derive_checks."""
    return F.derive_checks(catalog, groups, hostvars, sources=sources, listening=listening or [],
                           negative=boolean(negative, strict=False),
                           negative_limit=int(negative_limit or 0))


def verify_targets(checks, source):
    """``checks | verify_targets(inventory_hostname)``: the port_check targets of one host."""
    return F.targets(checks, source)


def verify_listen_ports(checks, host):
    """``checks | verify_listen_ports(inventory_hostname)``: ports a temporary listener serves."""
    return F.listen_ports(checks, host)


def verify_results(checks, hostvars, result_var="__verify_portcheck", listener_var="__verify_listener"):
    """``checks | verify_results(hostvars)``: each check with the state its source found."""
    return F.merge_results(checks, hostvars, result_var, listener_var)


def verify_report(results):
    """``results | verify_report``: summary, matrix and mismatch lines for the reports."""
    return F.report(results)


class FilterModule(object):
    def filters(self):
        return {
            "verify_checks": _wrap(verify_checks),
            "verify_targets": _wrap(verify_targets),
            "verify_listen_ports": _wrap(verify_listen_ports),
            "verify_results": _wrap(verify_results),
            "verify_report": _wrap(verify_report),
        }

# -*- coding: utf-8 -*-
# Copyright: (c) 2026, webroot.enterprise contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Plumbing filters of the internal role (internal_*): not a public interface.

Ansible loads no plugins from roles inside a collection, so they live here, named
internal_* and documented as internal: users read the published host facts
(webroot_plan, webroot_plan_found) instead. The logic is in plugins/module_utils
(rules.py, backends.py), unit-tested there; these only turn its errors into task
failures.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.webroot.enterprise.plugins.module_utils import backends as B
from ansible_collections.webroot.enterprise.plugins.module_utils import rules as R
from ansible_collections.webroot.enterprise.plugins.plugin_utils.filters import wrap


def plan(component, host, groups, hostvars, published=None, state="present", port=None, peers=None,
         any_peer=False, given=None, known=None, management_port=None):
    """``published`` (the host's webroot_plan) with this component's plan in it."""
    out = dict(published or {})
    out[component] = R.host_plan(component, host, groups, hostvars, {
        "state": state, "port": port, "peers": peers or [], "any_peer": any_peer,
    }, given_vars=given, known_vars=known, management_port=management_port)
    return out


def ops(component_plan, parsed, backend):
    if backend == "windows":
        return B.windows_ops(component_plan, parsed, component_plan["component"])
    return B.ops(backend, component_plan, (parsed or {}).get(component_plan["component"]) or {})


def found_zones(fw_found, backend, zones):
    """webroot_plan_found: each component as its zone's read shows it."""
    out = {}
    for comp in B.COMPONENTS:
        key = "%s:%s" % (backend, zones.get(comp, "") if backend == "firewalld" else "")
        out[comp] = B.found_plan(backend, fw_found[key])[comp]
    return out


class FilterModule(object):
    def filters(self):
        return dict((name, wrap(func, R.RuleError)) for name, func in {
            "internal_plan": plan,
            "internal_parse": B.parse,
            "internal_ops": ops,
            "internal_remember": B.remember,
            "internal_found_zones": found_zones,
            "internal_set_name": B.set_name,
        }.items())

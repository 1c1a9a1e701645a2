# -*- coding: utf-8 -*-
# Copyright: (c) 2026, webroot.enterprise contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A component role's settings on a host, read in one place, and one yes/no.

The apply (plugins/action/component_rules.py, from its options, which the role's one
task fills with the role's variables), the estate validation (estate.py, from the
inventory) and the verify role's inventory basis (verify_plan.py, from the inventory) all
read a component's settings through :func:`component_settings`: the variable names
come from the catalog (``catalog.ROLE_VARIABLES``), the defaults are the role's
(``roles/<component>/defaults/main.yml``), and a yes/no is read by :func:`boolean`
only, as Ansible reads a ``type: bool`` option (the role's argument spec checks it so
before the apply): ``true``/``yes``/``on``/``1`` (and ``t``, ``y``, any case) and
their false twins; anything else is refused, naming the variable.

Controller side only: no module imports this.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.module_utils.parsing.convert_bool import boolean as _ansible_boolean

from ansible_collections.webroot.enterprise.plugins.plugin_utils.catalog import ROLE_VARIABLES
from ansible_collections.webroot.enterprise.plugins.plugin_utils.rules import RuleError

# The role's defaults (roles/<component>/defaults/main.yml); backend, firewalld zone and
# Windows profiles default to the collection-wide variable, as the role's do.
DEFAULT_BACKEND = "auto"
DEFAULT_WINDOWS_PROFILES = ("domain", "private")
WORDS = "true, yes, on, 1 / false, no, off, 0"


class SettingError(RuleError):
    """A setting that cannot be read; the message names the variable (a RuleError:
    bad input, refused where any other bad input is)."""


def boolean(value, var):
    """``value`` of the variable ``var`` as True or False, as Ansible reads a
    ``type: bool`` option; anything else raises SettingError naming ``var``."""
    if value.__class__ is bool:
        return value
    try:
        return _ansible_boolean(value, strict=True)
    except TypeError:
        raise SettingError("%s must be true or false (%s), got %r" % (var, WORDS, value))


def role_variables(component):
    """The variables of ``component``'s role, by meaning (catalog.ROLE_VARIABLES)."""
    return ROLE_VARIABLES[component]


def component_settings(component, hv):
    """The settings of ``component``'s role from ``hv`` (a host's variables, or the
    apply's options under the same names: anything with ``get(name, default)``),
    the role's defaults where ``hv`` says nothing::

        {"state", "port", "peers", "any_peer", "backend", "firewalld_zone",
         "windows_profiles", "windows_program"}

    ``any_peer`` is read by :func:`boolean` (SettingError on a non-boolean); the other
    values are returned as given, for rules.host_plan and the callers to check.
    """
    names = ROLE_VARIABLES[component]
    return {
        "state": hv.get(names["state"], "present"),
        "port": hv.get(names["port"], ""),
        "peers": hv.get(names["peers"], []) or [],
        "any_peer": boolean(hv.get(names["any_peer"], False), names["any_peer"]),
        "backend": hv.get(names["backend"], hv.get("webroot_firewall_backend") or DEFAULT_BACKEND),
        "firewalld_zone": hv.get(names["firewalld_zone"], hv.get("webroot_firewalld_zone") or ""),
        "windows_profiles": hv.get(names["windows_profiles"],
                                   hv.get("webroot_windows_profiles", list(DEFAULT_WINDOWS_PROFILES))),
        "windows_program": hv.get(names["windows_program"], ""),
    }

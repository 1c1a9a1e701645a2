# -*- coding: utf-8 -*-
# Copyright: (c) 2026, webroot.enterprise contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The estate validation: every host's plan, from the inventory, once.

Pure Python over ``groups`` and ``hostvars`` (plugins/action/validate_estate.py
passes Ansible's); each host's variables are read once (hostvars.HostvarsCache) and
each address computed once, so an estate of thousands of hosts is checked in a
few seconds, before any firewall changes anywhere.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.webroot.enterprise.plugins.plugin_utils import rules as rules_lib
from ansible_collections.webroot.enterprise.plugins.plugin_utils.hostvars import HostvarsCache
from ansible_collections.webroot.enterprise.plugins.plugin_utils.settings import component_settings, role_variables
from ansible_collections.webroot.enterprise.plugins.plugin_utils.catalog import (
    GROUP_CLIENTS,
    GROUP_DISTRIBUTORS,
    GROUP_SERVERS,
    GROUP_UPDATE_ENDPOINTS,
    TABLE_11,
)

MANAGED = (GROUP_DISTRIBUTORS, GROUP_SERVERS, GROUP_CLIENTS)


def components_of(host, groups):
    """The components whose role puts a rule on ``host`` (by its groups)."""
    out = []
    for row in TABLE_11:
        for flow in row["flows"]:
            here = flow["listeners"] if flow["direction"] == "inbound" else flow["connectors"]
            if any(host in (groups.get(g) or []) for g in here):
                out.append(row["component"])
                break
    return out


def peers_of(component, host, groups):
    """The inventory hosts on the other side of ``component``'s flows on ``host``."""
    out = set()
    for flow in rules_lib.component(component)["flows"]:
        inbound = flow["direction"] == "inbound"
        here, there = (flow["listeners"], flow["connectors"]) if inbound else (flow["connectors"], flow["listeners"])
        if any(host in (groups.get(g) or []) for g in here):
            for g in there:
                out.update(groups.get(g) or [])
    return sorted(out)


def names_to_resolve(groups, cache):
    """{host: name} of the hosts (managed, and update endpoints) whose address only
    DNS can give."""
    hosts = sorted(set(h for g in MANAGED + (GROUP_UPDATE_ENDPOINTS,) for h in (groups.get(g) or [])))
    out = {}
    for host in hosts:
        try:
            name = rules_lib.name_to_resolve(host, cache)
        except rules_lib.RuleError:
            continue   # reported by the validation itself
        if name:
            out[host] = name
    return out


def validate(groups, hostvars, resolver=None, strict=False, client_networks=None, not_in_run=(),
             allowed_networks=None):
    """{"hosts": N, "plans": N, "errors": [...], "addresses": {host: CIDR or None},
    "left_out": {host: why}, "unknown": {host: why}}.

    ``resolver`` ({name: (CIDR or None, why)} from a list of names) resolves the
    hosts whose address only DNS gives, all at once; None resolves nothing.
    ``left_out``: hosts with no address anywhere; ``unknown``: hosts whose address
    could not be learnt this run (rules.Transient), which keep what their peers'
    firewalls admit. ``not_in_run``: hosts whose facts were wanted and that are not
    in this run (--limit). ``allowed_networks`` (``webroot_allowed_networks``): a
    derived address outside them is left out, named. ``duplicates``: {address:
    [hosts]} claimed by more than one host.
    """
    cache = HostvarsCache(hostvars)
    cache.not_in_run = set(not_in_run or ())
    try:
        cache.allowed = rules_lib.allowed_networks(allowed_networks)
    except rules_lib.RuleError as exc:
        return {"hosts": 0, "plans": 0, "errors": [str(exc)], "addresses": {}, "left_out": {}, "unknown": {},
                "duplicates": {}}
    if resolver is not None:
        names = names_to_resolve(groups, cache)
        answers = resolver(sorted(set(names.values())))
        cache.resolved = dict((h, answers.get(n, (None, "%s was not resolved" % n))) for h, n in names.items())
    hosts = sorted(set(h for g in MANAGED for h in (groups.get(g) or [])))
    errors, plans = [], 0
    for host in hosts:
        hv = cache.get(host) or {}
        keys = list(hv.keys()) if hasattr(hv, "keys") else []
        for comp in components_of(host, groups):
            try:
                s = component_settings(comp, hv)
                s.update(strict=strict, client_networks=client_networks,
                         max_removed_share=hv.get("webroot_max_removed_share", rules_lib.DEFAULT_MAX_REMOVED_SHARE))
                if s["backend"] not in rules_lib.BACKEND_CHOICES:
                    raise rules_lib.RuleError("%s must be one of: %s, got: %s" % (
                        role_variables(comp)["backend"], ", ".join(rules_lib.BACKEND_CHOICES), s["backend"]))
                profiles = s["windows_profiles"]
                if isinstance(profiles, str) or not isinstance(profiles, (list, tuple)) or not profiles or \
                        any(str(p).lower() not in rules_lib.WINDOWS_PROFILES for p in profiles):
                    raise rules_lib.RuleError("%s must be one or more of: %s, got: %r" % (
                        role_variables(comp)["windows_profiles"], ", ".join(rules_lib.WINDOWS_PROFILES), profiles))
                rules_lib.host_plan(comp, host, groups, cache, s,
                                    given_vars=[k for k in keys if k.startswith(comp + "_")],
                                    known_vars=role_variables(comp).values(),
                                    management_port=[hv.get(v) for v in rules_lib.MANAGEMENT_PORT_VARS])
                plans += 1
            except rules_lib.RuleError as exc:
                errors.append("host %s: %s" % (host, exc))
    for host in hosts:
        if host not in cache.addresses:
            try:
                rules_lib.host_address(host, cache)
            except rules_lib.RuleError as exc:
                errors.append("host %s: %s" % (host, exc))
    unknown = dict((h, str(cache.unknown[h])) for h in hosts
                   if cache.addresses.get(h) is None and h in cache.unknown)
    left_out = dict((h, cache.why.get(h) or "no known address") for h in hosts
                    if cache.addresses.get(h) is None and h not in unknown)
    claims = {}
    for host in hosts:
        if cache.addresses.get(host):
            claims.setdefault(cache.addresses[host], []).append(host)
    duplicates = dict((a, sorted(h)) for a, h in claims.items() if len(h) > 1)
    return {"hosts": len(hosts), "plans": plans, "errors": errors, "addresses": cache.addresses,
            "left_out": left_out, "unknown": unknown, "duplicates": duplicates}

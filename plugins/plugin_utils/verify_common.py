# -*- coding: utf-8 -*-
# Copyright: (c) 2026, webroot.enterprise contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the verify code shares: the managed groups, the report states, the error it
raises, a host's variables, one check's sentence and the group of a host.

The bottom of the verify code: verify_plan.py (the checks), verify_judge.py (the
results judged) and verify_render.py (the reports) import this file and nothing
else of each other. Pure functions over plain data; nothing here talks to a host.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import functools
import gc

from ansible_collections.webroot.enterprise.plugins.plugin_utils.catalog import (
    GROUP_CLIENTS,
    GROUP_DISTRIBUTORS,
    GROUP_SERVERS,
)

# The groups whose hosts the roles configure; only they run checks (are sources).
MANAGED_GROUPS = (GROUP_DISTRIBUTORS, GROUP_SERVERS, GROUP_CLIENTS)
# What a report cell can show: the four port_check states, a TLS failure on an open
# port, and a check that never ran (its source failed before).
DISPLAY_STATES = ("open", "refused", "filtered", "unresolved", "tls-fail", "not-run")


def _gc_paused(func):
    """Run ``func`` with the cyclic garbage collector paused (and restored after).

    Planning, judging and rendering make hundreds of thousands of dicts, lists and
    XML elements, none of them in a cycle; with the results of an estate in memory,
    each collection the allocations trigger walks all of it again (about a tenth of
    the time at 3,000 workstations). Reference counting still frees everything.
    """
    @functools.wraps(func)
    def paused(*args, **kwargs):
        if not gc.isenabled():
            return func(*args, **kwargs)
        gc.disable()
        try:
            return func(*args, **kwargs)
        finally:
            gc.enable()
    return paused


class FlowError(ValueError):
    """Bad input: the message names the host, the variable and what was expected."""


def _hv(hostvars, host):
    try:
        hv = hostvars.get(host) if hasattr(hostvars, "get") else hostvars[host]
    except KeyError:
        hv = None
    return hv or {}


HOST_DOWN = "host down"


def describe(result):
    """One line for a check, e.g. 'wr-server1 -> wr-client1 50001/tcp (sweep_now, allowed): expected open, got filtered'."""
    head = "%s -> %s %s/%s (%s, %s): expected %s" % (
        result["source"], result["destination"], result["port"], result["protocol"],
        result["component"], result["kind"], result["expect"])
    if result.get("reason") == HOST_DOWN:
        return "%s, not run (%s: %s)" % (head, HOST_DOWN, ", ".join(result.get("down") or []))
    line = "%s, got %s" % (head, result["display"])
    detail = result.get("tls_error") if result["display"] == "tls-fail" else result.get("error")
    if detail and not result.get("ok"):
        line += " (%s)" % detail
    return line


def _group_map(groups):
    """``{host: group}`` for every host in ``groups``: its first managed group, else its first
    other group in name order (not ``all`` or ``ungrouped``); a host in none is ``ungrouped``."""
    out = {}
    for group in MANAGED_GROUPS:
        for host in groups.get(group) or []:
            out.setdefault(host, group)
    for group in sorted(groups):
        if group not in ("all", "ungrouped") and group not in MANAGED_GROUPS:
            for host in groups.get(group) or []:
                out.setdefault(host, group)
    return out


def _host_list(hosts, limit=10):
    hosts = list(hosts)
    if len(hosts) <= limit:
        return ", ".join(hosts)
    return "%s and %d more" % (", ".join(hosts[:limit]), len(hosts) - limit)

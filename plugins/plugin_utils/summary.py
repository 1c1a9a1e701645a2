# -*- coding: utf-8 -*-
# Copyright: (c) 2026, webroot.enterprise contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The end-of-run summary: every managed host converged, left out or failed, and
the counts per component and outcome.

A host is left out for one of three reasons, each named apart (``off``,
``unknown``, ``no_address``) and all three in ``left_out`` with their reasons:

- off: unreachable in this run (a workstation asleep); its own rules were not changed;
- address unknown, rules kept: its address could not be learnt this run (DNS timed
  out or failed, facts not gathered); nothing was removed from its peers' rules;
- no address: nothing gives it an address (no webroot_address, no facts source, a
  name DNS says does not exist); it is in none of its peers' rules.

``max_left_out`` (``webroot_max_left_out``) counts the hosts of ``left_out``, each
once whatever its reasons, before the run counts as failed (a workstation asleep is
not a fault). A host that failed for any other reason always fails the run.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.webroot.enterprise.plugins.plugin_utils.catalog import (
    GROUP_CLIENTS,
    GROUP_DISTRIBUTORS,
    GROUP_SERVERS,
    TABLE_11,
)

MANAGED = (GROUP_DISTRIBUTORS, GROUP_SERVERS, GROUP_CLIENTS)
COMPONENTS = tuple(row["component"] for row in TABLE_11)
# The registered results of the collection's plays that contact a host: the first
# one a host could not be reached in says so.
REGISTERED = ("webroot_facts", "webroot_plan", "webroot_plan_found")


def _get(hv, name):
    try:
        value = hv.get(name) if hasattr(hv, "get") else None
    except Exception:  # pylint: disable=broad-except
        value = None
    return value if isinstance(value, dict) else None


def summarize(groups, hostvars, play_hosts_all, play_hosts, estate=None):
    """{"hosts", "converged", "left_out": {host: why}, "failed": {host: why},
    "components": {component: {"changed": n, "ok": n}}}"""
    managed = sorted(set(h for g in MANAGED for h in (groups.get(g) or [])))
    if play_hosts_all:
        # The hosts of this run (within --limit, as in an AWX provisioning callback's job).
        in_run = set(play_hosts_all)
        managed = [h for h in managed if h in in_run]
    live = set(play_hosts)
    down = [h for h in managed if h in set(play_hosts_all) and h not in live]
    estate = estate if isinstance(estate, dict) else {}
    no_address = dict((h, w) for h, w in (estate.get("left_out") or {}).items() if h in managed)
    unknown = dict((h, "address unknown, rules kept: %s" % w)
                   for h, w in (estate.get("unknown") or {}).items() if h in managed)
    off = {}
    left_out = dict(no_address)
    left_out.update(unknown)
    failed = {}
    changed_hosts = []
    components = dict((c, {"changed": 0, "ok": 0}) for c in COMPONENTS)
    for host in managed:
        hv = hostvars.get(host) if hasattr(hostvars, "get") else None
        hv = hv or {}
        if host in down:
            why = None
            for name in REGISTERED:
                reg = _get(hv, name)
                if reg and reg.get("unreachable"):
                    why = "unreachable: %s" % (reg.get("msg") or "no answer")
                    break
                if reg and reg.get("failed"):
                    why = "failed: %s" % (reg.get("msg") or "a task failed")
            if why and why.startswith("unreachable"):
                off[host] = why
                left_out[host] = why if host not in left_out else "%s; %s" % (why, left_out[host])
            else:
                failed[host] = why or "failed or unreachable in a play (see the task output)"
            continue
        plan = _get(hv, "webroot_plan") or {}
        if "changed" in (plan.get("outcomes") or {}).values():
            changed_hosts.append(host)
        for comp, outcome in (plan.get("outcomes") or {}).items():
            if comp in components and outcome in components[comp]:
                components[comp][outcome] += 1
    return {"hosts": len(managed), "converged": len([h for h in managed if h not in left_out and h not in failed]),
            "left_out": dict(sorted(left_out.items())), "failed": dict(sorted(failed.items())),
            "off": dict(sorted(off.items())), "unknown": dict(sorted(unknown.items())),
            "no_address": dict(sorted(no_address.items())),
            "components": components, "changed_hosts": sorted(changed_hosts)}


def verdict(summary, max_left_out):
    """{"passed": bool, "text": one line}: failed hosts always fail the run; hosts
    left out fail it only above ``max_left_out``."""
    left, failed = summary["left_out"], summary["failed"]
    parts = ["%d of %d hosts converged" % (summary["converged"], summary["hosts"])]
    if left:
        parts.append("%d left out (%s)" % (len(left), "; ".join(
            "%s: %s" % (h, w) for h, w in sorted(left.items())[:20]) + (" ..." if len(left) > 20 else "")))
        kinds = [(summary.get("off") or {}, "off (unreachable)"),
                 (summary.get("unknown") or {}, "address unknown, rules kept"),
                 (summary.get("no_address") or {}, "with no address, in no rule")]
        if any(k for k, _t in kinds):
            parts.append("of which %s" % ", ".join(
                "%d %s%s" % (len(k), text, " (%s)" % ", ".join(sorted(k)[:20]) + (" ..." if len(k) > 20 else "")
                             if k else "") for k, text in kinds))
    if failed:
        parts.append("%d failed (%s)" % (len(failed), "; ".join(
            "%s: %s" % (h, w) for h, w in sorted(failed.items())[:20]) + (" ..." if len(failed) > 20 else "")))
    passed = not failed and len(left) <= max_left_out
    if len(left) > max_left_out:
        parts.append("more than webroot_max_left_out=%d hosts were left out (off, address unknown or with "
                     "no address, each host counted once), so the run counts as failed (raise "
                     "webroot_max_left_out to accept hosts that are off)" % max_left_out)
    return {"passed": passed, "text": ", ".join(parts)}


def progress(summary, play_hosts_all, play_name):
    """One line for the end of a play: its hosts done, changed, left out, failed."""
    hosts = set(play_hosts_all)
    left = [h for h in summary["left_out"] if h in hosts]
    failed = [h for h in summary["failed"] if h in hosts]
    changed = [h for h in summary.get("changed_hosts", []) if h in hosts]
    done = len(hosts) - len(left) - len(failed)
    return "%s: %d of %d hosts done, %d changed, %d left out%s, %d failed%s" % (
        play_name, done, len(hosts), len(changed), len(left),
        " (%s)" % ", ".join(sorted(left)[:10]) + (" ..." if len(left) > 10 else "") if left else "",
        len(failed), " (%s)" % ", ".join(sorted(failed)[:10]) if failed else "")

# -*- coding: utf-8 -*-
# Copyright: (c) 2026, webroot.enterprise contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The sharded night (docs/awx.md, "The sharded night"), on the controller.

An AWX workflow runs one estate node (the distributors and company servers), K
workstation nodes at once (each ``limit: <shard group>:localhost`` on the whole
inventory) and a merge node. Here, as pure functions:

- :func:`sliced`: whether this job is a slice of an AWX sliced job template, which
  the collection refuses (each slice's inventory lists only its share of the hosts:
  the peers' rules would shrink to it);
- :func:`intruders`: the hosts of a node that do not belong to it (a company server
  or distributor in a workstation shard, a plain workstation in the estate node);
- :func:`capped`: a run's summary with its host lists cut to their first names and
  their full counts, so that K artifacts stay small;
- :func:`merge`: one verdict over the estate from the nodes' summaries.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.webroot.enterprise.plugins.plugin_utils.catalog import (
    GROUP_CLIENTS,
    GROUP_DISTRIBUTORS,
    GROUP_SERVERS,
)

# The set_stats keys of the nodes: the estate node's, and one per shard group.
ESTATE_KEY = "webroot_enterprise_estate"
SHARD_KEY_PREFIX = "webroot_enterprise_"
MERGED_KEY = "webroot_enterprise"
# AWX passes its job's meta variables with both prefixes (JOB_VARIABLE_PREFIXES).
AWX_PREFIXES = ("awx", "tower")
WORKFLOW_DOC = "docs/awx.md, \"The sharded night\""


def _names(groups, name):
    return set((groups or {}).get(name) or [])


def shard_key(shard):
    """The set_stats key of a shard's summary: webroot_enterprise_<shard group>."""
    return SHARD_KEY_PREFIX + shard


def sliced(task_vars):
    """A sentence saying why this job is a slice of an AWX sliced job template, or None.

    AWX tells a slice nothing (no variable; awx/main/models/inventory.py
    ``get_script_data`` writes the slice's hosts and no others, every group listing
    only them), and a slice's inventory looks like any smaller inventory. Two signals
    are read:

    1. AWX's meta variables: a sliced job template launches a workflow job of its
       own, named as the job template (``JobTemplate.create_unified_job``), and each
       slice is a job of that workflow (launch type ``workflow``); so
       ``awx_workflow_job_name == awx_job_template_name``. A workflow of your own
       named exactly as one of its job templates is taken for a slice: rename it.
    2. ``webroot_estate_min_hosts`` (inventory variable, e.g. group_vars/all): AWX
       keeps every group's and ``all``'s variables in each slice, so a slice holds
       fewer managed hosts than that floor. It also catches a partial inventory sync.
    """
    for prefix in AWX_PREFIXES:
        workflow = task_vars.get("%s_workflow_job_name" % prefix)
        template = task_vars.get("%s_job_template_name" % prefix)
        launch = task_vars.get("%s_job_launch_type" % prefix)
        if workflow and template and workflow == template and launch in (None, "workflow"):
            return ("this job is a slice of the sliced job template %r (AWX names the workflow of a sliced "
                    "job after its job template, and this job's workflow is %r)" % (template, workflow))
    floor = task_vars.get("webroot_estate_min_hosts")
    if floor not in (None, ""):
        groups = task_vars.get("groups") or {}
        managed = _names(groups, GROUP_DISTRIBUTORS) | _names(groups, GROUP_SERVERS) | _names(groups, GROUP_CLIENTS)
        if len(managed) < int(floor):
            return ("the inventory holds %d managed hosts, fewer than webroot_estate_min_hosts=%d: a slice of a "
                    "sliced job template, or a partial inventory" % (len(managed), int(floor)))
    return None


def slicing_refusal(why):
    return ("Refused: %s. Job slicing cuts the inventory itself: each slice sees only its share of the "
            "workstations in groups, so the company servers' and distributors' rules would shrink to that "
            "share. Set the job template's Job Slicing to 1 and run the sharded workflow instead "
            "(playbooks/site_estate.yml, playbooks/site_workstations.yml with limit <shard group>:localhost, "
            "playbooks/merge.yml; %s): every job there loads the whole inventory." % (why, WORKFLOW_DOC))


def intruders(node, play_hosts, groups, shard=None):
    """The play hosts that do not belong to ``node`` ("estate" or "workstations")
    as {host: why}; for a shard, also those outside its group ``shard``."""
    dist, srv, cli = _names(groups, GROUP_DISTRIBUTORS), _names(groups, GROUP_SERVERS), _names(groups, GROUP_CLIENTS)
    out = {}
    for host in play_hosts:
        if node == "workstations":
            if host in dist or host in srv:
                out[host] = "a %s: the estate node applies it" % (
                    "distributor" if host in dist else "company server")
            elif shard is not None and host not in _names(groups, shard):
                out[host] = "not in the shard group %s" % shard
        elif node == "estate":
            if host in cli and host not in dist and host not in srv:
                out[host] = "a workstation: a shard applies it"
    return dict(sorted(out.items()))


def limit_without_localhost(node, limit):
    """A refusal when a node's ``--limit`` leaves localhost out, else None.

    ``--limit`` restricts every play, the ``hosts: localhost`` plays included (the
    implicit localhost too): without it the summary's verdict play matches no host and
    is skipped, and a job whose verdict failed would end green."""
    if node == "any" or not limit:
        return None
    patterns = limit if isinstance(limit, list) else str(limit).replace(",", ":").split(":")
    if any(p.strip() in ("localhost", "127.0.0.1", "all") for p in patterns):
        return None
    return ("Refused: the limit %r leaves out localhost. --limit restricts every play, those on localhost too: "
            "the summary's verdict would be skipped and a failed night would end green. Use %s (%s)." % (
                limit, "<shard group>:localhost" if node == "workstations"
                else "webroot_distributors:webroot_servers:localhost", WORKFLOW_DOC))


def node_hosts(node, groups, shard=None):
    """The hosts a node should run on, from the whole inventory: the estate node the
    distributors and company servers; a shard its group's workstations."""
    dist, srv, cli = _names(groups, GROUP_DISTRIBUTORS), _names(groups, GROUP_SERVERS), _names(groups, GROUP_CLIENTS)
    if node == "estate":
        return sorted(dist | srv)
    return sorted((_names(groups, shard) & cli) - dist - srv)


def _first(mapping_or_list, limit):
    if isinstance(mapping_or_list, dict):
        return dict(sorted(mapping_or_list.items())[:limit])
    return sorted(mapping_or_list)[:limit]


# The host lists of a summary (plugin_utils/summary.py) and the counts kept beside them.
CAPPED = (("left_out", "left_out_count"), ("failed", "failed_count"), ("changed_hosts", "changed_count"),
          ("off", "off_count"), ("unknown", "unknown_count"), ("no_address", "no_address_count"))


def capped(summary, limit):
    """The summary with its host lists (:data:`CAPPED`: ``left_out``, ``failed``,
    ``changed_hosts``, and the kinds of hosts left out, ``off``, ``unknown``,
    ``no_address``) cut to their first ``limit`` names (sorted), and their full counts
    beside them (``left_out_count``, ...). 0: unchanged."""
    if not limit:
        return summary
    out = dict(summary)
    for name, count in CAPPED:
        if name not in summary:
            continue
        values = summary.get(name) or ({} if name != "changed_hosts" else [])
        out[count] = len(values)
        out[name] = _first(values, limit)
    return out


def _count(part, name, count):
    value = part.get(count)
    return int(value) if value is not None else len(part.get(name) or [])


def merge(parts, expected, max_left_out, limit=20, unassigned=(), twice=()):
    """One verdict over the estate.

    ``parts``: {key: summary or None}, the estate node's and every shard's summary
    as their jobs handed them over (None: missing, the job did not get that far);
    ``expected``: {key: hosts the node should have run on, from the inventory}.
    Every host is counted once: a node that ran on other hosts than expected is
    named (a shard limited to part of its group, a host in two shards), and so are
    ``unassigned``: managed hosts of the inventory in no node (a workstation in no
    shard group), and ``twice``: hosts in more than one node's group."""
    total = {"hosts": 0, "converged": 0, "left_out_count": 0, "failed_count": 0, "changed_count": 0,
             "left_out": {}, "failed": {}, "nodes": {}, "missing": [], "mismatched": {}}
    seen = 0
    for key in sorted(expected):
        part = parts.get(key)
        want = len(expected[key])
        seen += want
        if not isinstance(part, dict):
            total["missing"].append(key)
            total["nodes"][key] = {"expected": want, "summary": False}
            continue
        left, failed = _count(part, "left_out", "left_out_count"), _count(part, "failed", "failed_count")
        total["hosts"] += int(part.get("hosts") or 0)
        total["converged"] += int(part.get("converged") or 0)
        total["left_out_count"] += left
        total["failed_count"] += failed
        total["changed_count"] += _count(part, "changed_hosts", "changed_count")
        for name in ("off", "unknown", "no_address"):
            total[name + "_count"] = total.get(name + "_count", 0) + _count(part, name, name + "_count")
        for name in ("left_out", "failed"):
            for host, why in sorted((part.get(name) or {}).items()):
                if len(total[name]) < limit:
                    total[name][host] = why
        total["nodes"][key] = {"expected": want, "hosts": int(part.get("hosts") or 0), "converged":
                               int(part.get("converged") or 0), "left_out": left, "failed": failed}
        if int(part.get("hosts") or 0) != want:
            total["mismatched"][key] = "ran on %d hosts, the inventory gives it %d" % (int(part.get("hosts") or 0), want)
    total["unassigned"] = sorted(unassigned)
    total["twice"] = sorted(twice)
    total["estate"] = seen + len(total["unassigned"]) - len(total["twice"])
    passed = (not total["missing"] and not total["mismatched"] and not total["unassigned"] and not total["twice"]
              and total["failed_count"] == 0
              and total["left_out_count"] <= max_left_out)
    text = ["%d of %d hosts converged" % (total["converged"], total["estate"])]
    if total["left_out_count"]:
        text.append("%d left out (%s%s)" % (total["left_out_count"], "; ".join(
            "%s: %s" % hw for hw in sorted(total["left_out"].items())),
            " ..." if total["left_out_count"] > len(total["left_out"]) else ""))
    if total["failed_count"]:
        text.append("%d failed (%s%s)" % (total["failed_count"], "; ".join(
            "%s: %s" % hw for hw in sorted(total["failed"].items())),
            " ..." if total["failed_count"] > len(total["failed"]) else ""))
    if total["missing"]:
        text.append("no summary from %s (the job stopped before its end: its hosts are not converged)"
                    % ", ".join(total["missing"]))
    if total["mismatched"]:
        text.append("; ".join("%s %s" % kv for kv in sorted(total["mismatched"].items())))
    if total["unassigned"]:
        text.append("%d in no node: in no shard group, so no job ran on them (%s%s)" % (
            len(total["unassigned"]), ", ".join(total["unassigned"][:limit]),
            " ..." if len(total["unassigned"]) > limit else ""))
    if total["twice"]:
        text.append("%d in more than one node (%s): two jobs ran on them at once" % (
            len(total["twice"]), ", ".join(total["twice"][:limit])))
    if total["left_out_count"] > max_left_out:
        text.append("more than webroot_max_left_out=%d hosts were left out over the estate, so the night counts "
                    "as failed" % max_left_out)
    total["verdict"] = {"passed": passed, "text": ", ".join(text)}
    return total

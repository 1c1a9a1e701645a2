# -*- coding: utf-8 -*-
# Copyright: (c) 2026, webroot.enterprise contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Refuse a job that is a slice of an AWX sliced job template, or a node of the
sharded night that would touch hosts not its own (see the module's doc)."""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.webroot.enterprise.plugins.plugin_utils import engine
from ansible_collections.webroot.enterprise.plugins.plugin_utils import shard as shard_lib

ARGUMENT_SPEC = dict(
    node=dict(type="str", default="any", choices=["any", "estate", "workstations"]),
    shard=dict(type="str"),
)


class ActionModule(engine.Action):
    ARGUMENT_SPEC = ARGUMENT_SPEC
    _VALID_ARGS = frozenset(ARGUMENT_SPEC)

    def act(self, result, args, task_vars):
        result["changed"] = False
        why = shard_lib.sliced(task_vars)
        if why:
            result.update(failed=True, sliced=True, msg=shard_lib.slicing_refusal(why))
            return result
        node, shard = args["node"], args["shard"]
        groups = task_vars.get("groups") or {}
        hosts = task_vars.get("ansible_play_hosts_all") or []
        if node == "workstations":
            if not shard:
                result.update(failed=True, msg="Refused: a workstation shard needs webroot_shard, the name of its "
                                               "shard group (the node's limit is <that group>:localhost; %s)" % shard_lib.WORKFLOW_DOC)
                return result
            if shard not in groups:
                result.update(failed=True, msg="Refused: webroot_shard=%s is not a group of the inventory" % shard)
                return result
        refused = shard_lib.limit_without_localhost(node, task_vars.get("ansible_limit"))
        if refused:
            result.update(failed=True, msg=refused)
            return result
        bad = shard_lib.intruders(node, hosts, groups, shard if node == "workstations" else None)
        if bad:
            result.update(failed=True, intruders=bad, msg=(
                "Refused before touching any host: this %s job would run on %d host(s) that are not its own (%s). %s" % (
                    "workstation shard" if node == "workstations" else "estate", len(bad),
                    "; ".join("%s: %s" % hw for hw in list(bad.items())[:20]) + (" ..." if len(bad) > 20 else ""),
                    "Its limit must be %s (%s)." % (
                        "<its shard group>:localhost" if node == "workstations"
                        else "webroot_distributors:webroot_servers:localhost", shard_lib.WORKFLOW_DOC))))
            return result
        result["hosts"] = len(hosts)
        result["msg"] = "%s: %d host(s), all its own; not a sliced job" % (
            {"any": "this run", "estate": "the estate node", "workstations": "shard %s" % shard}[node], len(hosts))
        return result

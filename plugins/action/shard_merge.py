# -*- coding: utf-8 -*-
# Copyright: (c) 2026, webroot.enterprise contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""One verdict over the estate from the sharded night's summaries (see the module's doc)."""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.webroot.enterprise.plugins.plugin_utils.catalog import (
    GROUP_CLIENTS,
    GROUP_DISTRIBUTORS,
    GROUP_SERVERS,
)
from ansible_collections.webroot.enterprise.plugins.plugin_utils import engine
from ansible_collections.webroot.enterprise.plugins.plugin_utils import shard as shard_lib

ARGUMENT_SPEC = dict(
    shards=dict(type="list", elements="str", required=True),
    max_left_out=dict(type="int", default=0),
    max_names=dict(type="int", default=20),
    stats_key=dict(type="str", default=shard_lib.MERGED_KEY),
    fail=dict(type="bool", default=True),
)


class ActionModule(engine.Action):
    ARGUMENT_SPEC = ARGUMENT_SPEC
    _VALID_ARGS = frozenset(ARGUMENT_SPEC)

    def act(self, result, args, task_vars):
        groups = task_vars.get("groups") or {}
        expected = {shard_lib.ESTATE_KEY: shard_lib.node_hosts("estate", groups)}
        for shard in args["shards"]:
            expected[shard_lib.shard_key(shard)] = shard_lib.node_hosts("workstations", groups, shard)
        # The summaries came as extra variables (AWX: the parents' set_stats artifacts).
        parts = dict((key, task_vars.get(key)) for key in expected)
        managed = set()
        for name in (GROUP_DISTRIBUTORS, GROUP_SERVERS, GROUP_CLIENTS):
            managed.update(groups.get(name) or [])
        counted = {}
        for hosts in expected.values():
            for host in hosts:
                counted[host] = counted.get(host, 0) + 1
        merged = shard_lib.merge(parts, expected, args["max_left_out"], limit=args["max_names"],
                                 unassigned=sorted(managed - set(counted)),
                                 twice=sorted(h for h, n in counted.items() if n > 1))
        result.update(changed=False, summary=merged, msg=merged["verdict"]["text"],
                      ansible_stats={"data": {args["stats_key"]: merged}, "per_host": False, "aggregate": False})
        if not merged["verdict"]["passed"] and args["fail"]:
            result["failed"] = True
        return result

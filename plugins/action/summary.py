# -*- coding: utf-8 -*-
# Copyright: (c) 2026, webroot.enterprise contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The end of a run: which hosts were converged, which were left out and why,
handed over as job artifacts (see the module's doc)."""
from __future__ import absolute_import, division, print_function

__metaclass__ = type


from ansible_collections.webroot.enterprise.plugins.plugin_utils import summary as summary_lib
from ansible_collections.webroot.enterprise.plugins.plugin_utils import engine
from ansible_collections.webroot.enterprise.plugins.plugin_utils import shard as shard_lib

ARGUMENT_SPEC = dict(
    progress=dict(type="bool", default=False),
    fail=dict(type="bool", default=True),
    max_left_out=dict(type="int", default=0),
    stats_key=dict(type="str", default="webroot_enterprise"),
    max_names=dict(type="int", default=0),
)


class ActionModule(engine.Action):
    ARGUMENT_SPEC = ARGUMENT_SPEC
    _VALID_ARGS = frozenset(ARGUMENT_SPEC)

    def act(self, result, args, task_vars):
        summary = summary_lib.summarize(task_vars.get("groups") or {}, task_vars.get("hostvars") or {},
                                        task_vars.get("ansible_play_hosts_all") or [], task_vars.get("ansible_play_hosts") or [],
                                        task_vars.get("webroot_estate"))
        if args["progress"]:
            # The hosts of this play only, as one line; never fails, hands nothing over.
            result.update(changed=False, msg=summary_lib.progress(summary, task_vars.get("ansible_play_hosts_all") or [],
                                                                  task_vars.get("ansible_play_name") or "this play"))
            return result
        verdict = summary_lib.verdict(summary, args["max_left_out"])
        summary["verdict"] = verdict
        # A shard's artifact: the first names and the full counts (the merge node adds them up).
        summary = shard_lib.capped(summary, args["max_names"])
        result.update(changed=False, summary=summary, msg=verdict["text"],
                      ansible_stats={"data": {args["stats_key"]: summary}, "per_host": False, "aggregate": False})
        if not verdict["passed"] and args["fail"]:
            result["failed"] = True
        return result

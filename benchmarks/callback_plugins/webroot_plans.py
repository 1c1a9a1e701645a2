# -*- coding: utf-8 -*-
# Copyright: (c) 2026, webroot.enterprise contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Benchmark helper (not part of the collection): every component plan of a run."""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: webroot_plans
type: aggregate
short_description: Write each host's component plans as the roles computed them (benchmarks/sharded_plans.py)
description:
  - Appends one JSON line per webroot.enterprise.component_rules result to the file named by
    the environment variable C(WEBROOT_PLANS_FILE) - C(host), C(component), C(plan) (the
    result's entry for the component, what the role registers as C(webroot_plan[component]))
    and C(failed) - and one line per failed task of any other kind.
  - Used by benchmarks/sharded_plans.py only; not shipped in the collection.
requirements:
  - enabled with C(ANSIBLE_CALLBACKS_ENABLED=webroot_plans)
"""

import json
import os

from ansible.plugins.callback import CallbackBase


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "aggregate"
    CALLBACK_NAME = "webroot_plans"
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self):
        super(CallbackModule, self).__init__()
        path = os.environ.get("WEBROOT_PLANS_FILE")
        self._out = open(path, "a") if path else None

    def _write(self, result, failed):
        if self._out is None:
            return
        task = result._task
        action = task.action or ""
        host = result._host.get_name()
        if action.split(".")[-1] == "component_rules":
            comp = task.args.get("component")
            plan = result._result.get(comp)
            self._out.write(json.dumps({"host": host, "component": comp, "plan": plan, "failed": failed,
                                        "msg": result._result.get("msg") if failed else None},
                                       sort_keys=True, default=str) + "\n")
        elif failed:
            self._out.write(json.dumps({"host": host, "task": task.get_name(), "failed": True,
                                        "msg": str(result._result.get("msg"))[:2000]}) + "\n")

    def v2_runner_on_ok(self, result):
        self._write(result, False)

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._write(result, True)

    def v2_playbook_on_stats(self, stats):
        if self._out is not None:
            self._out.close()
            self._out = None

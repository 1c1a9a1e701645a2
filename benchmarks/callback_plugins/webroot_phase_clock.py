# -*- coding: utf-8 -*-
# Copyright: (c) 2026, webroot.enterprise contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Benchmark helper (not part of the collection): the clock at each play start."""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: webroot_phase_clock
type: aggregate
short_description: Write the wall and CPU clocks at each play start (benchmarks/site_estate.py)
description:
  - Appends one JSON line per play start, and one at the end of the run, to the file
    named by the environment variable C(WEBROOT_PHASE_CLOCK).
  - Fields are C(play) (its name, or C(__end__)), C(wall) (time.time()), C(cpu_main)
    (user + system seconds of the ansible-playbook process) and C(cpu_all) (the same
    plus its reaped children, the forks and what they ran).
  - Used by benchmarks/site_estate.py only; not shipped in the collection.
requirements:
  - enabled with C(ANSIBLE_CALLBACKS_ENABLED=webroot_phase_clock)
"""

import json
import os
import time

from ansible.plugins.callback import CallbackBase


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "aggregate"
    CALLBACK_NAME = "webroot_phase_clock"
    CALLBACK_NEEDS_ENABLED = True

    def _mark(self, name):
        path = os.environ.get("WEBROOT_PHASE_CLOCK")
        if not path:
            return
        t = os.times()
        with open(path, "a") as handle:
            handle.write(json.dumps({"play": name, "wall": time.time(), "cpu_main": t.user + t.system,
                                     "cpu_all": t.user + t.system + t.children_user + t.children_system}) + "\n")

    def v2_playbook_on_play_start(self, play):
        self._mark(play.get_name())

    def v2_playbook_on_stats(self, stats):
        self._mark("__end__")

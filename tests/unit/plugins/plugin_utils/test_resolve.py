# -*- coding: utf-8 -*-
# Copyright: (c) 2026, webroot.enterprise contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""DNS that fails politely (issue 24, item 3): a time budget per name, a bounded
budget for the estate that grows with its size, one retry for a name that timed out
or whose server failed, ``webroot_resolve_timeout`` of zero or less refused. The
resolver is a stand-in that fails or hangs for chosen names: no name is sent to a
real resolver."""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import socket
import threading
import time

import pytest

from ansible_collections.webroot.enterprise.plugins.plugin_utils import rules as rules_lib
from ansible_collections.webroot.enterprise.plugins.plugin_utils import resolve as resolve_lib


class StandIn(object):
    """getaddrinfo's stand-in: per name, a list of behaviours, one per call (the last
    repeats): an address, "again" (EAI_AGAIN), "noname" (NXDOMAIN) or a float (hang
    that many seconds, then answer with the name's next behaviour's address or
    EAI_AGAIN)."""

    def __init__(self, plan):
        self.plan = plan
        self.calls = {}
        self.lock = threading.Lock()

    def __call__(self, name, port, family, kind):
        with self.lock:
            n = self.calls.get(name, 0)
            self.calls[name] = n + 1
        steps = self.plan[name]
        step = steps[min(n, len(steps) - 1)]
        if isinstance(step, float):
            time.sleep(step)
            step = "again"
        if step == "again":
            raise socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")
        if step == "noname":
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return [(socket.AF_INET, kind, 6, "", (step, 0))]


def test_a_hanging_name_costs_its_own_budget_only():
    standin = StandIn({"slow": [5.0], "ok": ["198.18.120.5"], "gone": ["noname"]})
    start = time.time()
    out = resolve_lib.resolve(["slow", "ok", "gone"], timeout=0.3, resolver=standin)
    took = time.time() - start
    assert took < 1.5, took           # two tries of 0.3 s, not the 5 s the lookup hangs
    assert out["ok"] == ("198.18.120.5/32", None)
    assert out["slow"] == (None, "slow did not resolve within 0.3 s (2 tries)")
    assert isinstance(out["slow"][1], rules_lib.Transient)
    assert out["gone"] == (None, "gone does not resolve ([Errno -2] Name or service not known)")
    assert not isinstance(out["gone"][1], rules_lib.Transient)
    assert standin.calls == {"slow": 2, "ok": 1, "gone": 1}   # NXDOMAIN is not tried again


def test_a_name_that_timed_out_or_failed_once_is_tried_again():
    standin = StandIn({"late": [2.0, "198.18.120.6"], "flaky": ["again", "198.18.120.7"],
                       "down": ["again"]})
    out = resolve_lib.resolve(["late", "flaky", "down"], timeout=0.3, resolver=standin)
    assert out["late"] == ("198.18.120.6/32", None)
    assert out["flaky"] == ("198.18.120.7/32", None)
    assert out["down"][0] is None and isinstance(out["down"][1], rules_lib.Transient)
    assert "Temporary failure in name resolution" in out["down"][1]
    assert standin.calls == {"late": 2, "flaky": 2, "down": 2}


def test_the_estate_budget_grows_with_its_size_and_is_bounded():
    assert resolve_lib.estate_budget(1, 5) == 15          # one name: its two tries, and 5 s to spare
    assert resolve_lib.estate_budget(64, 5) == 15
    assert resolve_lib.estate_budget(65, 5) == 25         # a second round of 64
    assert resolve_lib.estate_budget(640, 5) == 105
    assert resolve_lib.estate_budget(100000, 5) == resolve_lib.MAX_BUDGET == 300


def test_names_left_when_the_estate_budget_ends_are_unknown_not_absent():
    names = ["h%d" % i for i in range(6)]
    standin = StandIn(dict((n, [3.0]) for n in names))
    start = time.time()
    out = resolve_lib.resolve(names, timeout=1, resolver=standin, workers=2, budget=0.5)
    assert time.time() - start < 1.5
    assert sorted(out) == names
    for name in names:
        assert out[name][0] is None and isinstance(out[name][1], rules_lib.Transient), out[name]
        assert "within the estate's budget of 0.5 s" in out[name][1]


@pytest.mark.parametrize("value", [0, -1, "0", "-2.5", "soon", None, True, float("inf")])
def test_a_resolve_timeout_of_zero_or_less_is_refused(value):
    with pytest.raises(rules_lib.RuleError, match="webroot_resolve_timeout must be a number of seconds above 0"):
        resolve_lib.check_timeout(value)
    with pytest.raises(rules_lib.RuleError):
        resolve_lib.resolve(["a"], timeout=value, resolver=StandIn({"a": ["198.18.120.5"]}))


def test_an_empty_list_resolves_nothing():
    assert resolve_lib.resolve([], timeout=1, resolver=StandIn({})) == {}

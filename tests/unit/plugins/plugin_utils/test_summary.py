# -*- coding: utf-8 -*-
# Copyright: (c) 2026, webroot.enterprise contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The summary tells them apart (issue 24, item 4): a host off (unreachable), a host
whose address is unknown this run (its peers' rules kept) and a host with no address
(in no rule), each named; webroot_max_left_out counts the hosts left out for any of
the three, each once. Expectations by hand."""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.webroot.enterprise.plugins.plugin_utils import summary as summary_lib

GROUPS = {"webroot_distributors": ["d1"], "webroot_servers": ["s1"],
          "webroot_clients": ["asleep", "ws5", "noaddr", "ok1", "both"]}
ESTATE = {"addresses": {}, "left_out": {"noaddr": "noaddr.corp.example does not resolve"},
          "unknown": {"ws5": "ws5.corp.example did not resolve within 10 s (2 tries)",
                      "both": "its facts could not be gathered this run (unreachable: timed out)"}}
DOWN = {"webroot_plan": {"unreachable": True, "msg": "Failed to connect"}}
HOSTVARS = {"asleep": DOWN, "both": DOWN}
ALL = ["d1", "s1", "asleep", "ws5", "noaddr", "ok1", "both"]
LIVE = ["d1", "s1", "ws5", "noaddr", "ok1"]


def test_off_unknown_and_no_address_are_told_apart_and_named():
    s = summary_lib.summarize(GROUPS, HOSTVARS, ALL, LIVE, ESTATE)
    assert s["off"] == {"asleep": "unreachable: Failed to connect", "both": "unreachable: Failed to connect"}
    assert s["unknown"] == {
        "both": "address unknown, rules kept: its facts could not be gathered this run (unreachable: timed out)",
        "ws5": "address unknown, rules kept: ws5.corp.example did not resolve within 10 s (2 tries)"}
    assert s["no_address"] == {"noaddr": "noaddr.corp.example does not resolve"}
    assert sorted(s["left_out"]) == ["asleep", "both", "noaddr", "ws5"]
    assert s["left_out"]["both"] == ("unreachable: Failed to connect; address unknown, rules kept: its facts could "
                                     "not be gathered this run (unreachable: timed out)")
    assert (s["hosts"], s["converged"], s["failed"]) == (7, 3, {})


def test_max_left_out_counts_each_host_left_out_once():
    s = summary_lib.summarize(GROUPS, HOSTVARS, ALL, LIVE, ESTATE)
    assert summary_lib.verdict(s, 4)["passed"]
    v = summary_lib.verdict(s, 3)
    assert not v["passed"]
    assert v["text"] == (
        "3 of 7 hosts converged, 4 left out (asleep: unreachable: Failed to connect; both: unreachable: Failed to "
        "connect; address unknown, rules kept: its facts could not be gathered this run (unreachable: timed out); "
        "noaddr: noaddr.corp.example does not resolve; ws5: address unknown, rules kept: ws5.corp.example did not "
        "resolve within 10 s (2 tries)), of which 2 off (unreachable) (asleep, both), 2 address unknown, rules kept "
        "(both, ws5), 1 with no address, in no rule (noaddr), more than webroot_max_left_out=3 hosts were left out "
        "(off, address unknown or with no address, each host counted once), so the run counts as failed (raise "
        "webroot_max_left_out to accept hosts that are off)")


def test_a_clean_night_says_nothing_more():
    s = summary_lib.summarize(GROUPS, {}, ALL, ALL, {"addresses": {}, "left_out": {}, "unknown": {}})
    assert summary_lib.verdict(s, 0) == {"passed": True, "text": "7 of 7 hosts converged"}
    assert (s["off"], s["unknown"], s["no_address"]) == ({}, {}, {})

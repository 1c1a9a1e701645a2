# -*- coding: utf-8 -*-
# Copyright: (c) 2026, webroot.enterprise contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""plugin_utils/shard.py: the sharded night's pure functions; expectations by hand."""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.webroot.enterprise.plugins.plugin_utils import shard as shard_lib

GROUPS = {
    "webroot_distributors": ["dist1", "ws-lyo"],
    "webroot_servers": ["srv1"],
    "webroot_clients": ["ws1", "ws2", "ws3", "ws-lyo"],
    "webroot_shard_1": ["ws1", "ws2"],
    "webroot_shard_2": ["ws3"],
}


@pytest.mark.parametrize("task_vars, refused", [
    # A slice: AWX's workflow of a sliced job template is named as the job template.
    ({"awx_job_template_name": "nightly", "awx_workflow_job_name": "nightly", "awx_job_launch_type": "workflow"}, True),
    ({"tower_job_template_name": "nightly", "tower_workflow_job_name": "nightly"}, True),
    # A node of a workflow of yours (other name), a job launched by hand, a callback job.
    ({"awx_job_template_name": "shard", "awx_workflow_job_name": "nightly (sharded)",
      "awx_job_launch_type": "workflow"}, False),
    ({"awx_job_template_name": "nightly", "awx_job_launch_type": "manual"}, False),
    ({"awx_job_template_name": "catch-up", "awx_job_launch_type": "callback"}, False),
    ({}, False),
    # The inventory floor: 6 managed hosts here (ws-lyo once).
    ({"webroot_estate_min_hosts": 6, "groups": GROUPS}, False),
    ({"webroot_estate_min_hosts": 7, "groups": GROUPS}, True),
])
def test_sliced(task_vars, refused):
    assert (shard_lib.sliced(task_vars) is not None) == refused


def test_the_floor_says_how_many():
    assert shard_lib.sliced({"webroot_estate_min_hosts": "10", "groups": GROUPS}) == (
        "the inventory holds 6 managed hosts, fewer than webroot_estate_min_hosts=10: a slice of a sliced job "
        "template, or a partial inventory")


def test_intruders():
    assert shard_lib.intruders("workstations", ["ws1", "ws2"], GROUPS, "webroot_shard_1") == {}
    assert shard_lib.intruders("workstations", ["ws1", "srv1", "ws-lyo", "ws3"], GROUPS, "webroot_shard_1") == {
        "srv1": "a company server: the estate node applies it",
        "ws-lyo": "a distributor: the estate node applies it",
        "ws3": "not in the shard group webroot_shard_1"}
    assert shard_lib.intruders("estate", ["dist1", "srv1", "ws-lyo"], GROUPS) == {}
    assert shard_lib.intruders("estate", ["dist1", "ws2"], GROUPS) == {"ws2": "a workstation: a shard applies it"}


@pytest.mark.parametrize("limit, refused", [
    ("webroot_shard_1:localhost", False), ("webroot_shard_1,localhost", False), ("webroot_shard_1", True),
    (None, False),
])
def test_limit_without_localhost(limit, refused):
    assert (shard_lib.limit_without_localhost("workstations", limit) is not None) == refused
    assert shard_lib.limit_without_localhost("any", "webroot_shard_1") is None


def test_node_hosts():
    assert shard_lib.node_hosts("estate", GROUPS) == ["dist1", "srv1", "ws-lyo"]
    assert shard_lib.node_hosts("workstations", GROUPS, "webroot_shard_1") == ["ws1", "ws2"]


def test_capped():
    summary = {"hosts": 5, "converged": 2, "left_out": {"e": "x", "a": "y", "c": "z"}, "failed": {},
               "changed_hosts": ["b", "a"], "off": {"e": "x", "a": "y", "c": "z"}}
    # The lists the summary has are capped and counted; those it has not stay absent.
    assert shard_lib.capped(summary, 2) == {"hosts": 5, "converged": 2, "left_out": {"a": "y", "c": "z"}, "left_out_count": 3,
                                            "failed": {}, "failed_count": 0, "changed_hosts": ["a", "b"], "changed_count": 2,
                                            "off": {"a": "y", "c": "z"}, "off_count": 3}
    assert shard_lib.capped(summary, 0) is summary


def _part(hosts, converged, left=None, failed=None, left_count=None):
    left = left or {}
    part = {"hosts": hosts, "converged": converged, "left_out": left, "failed": failed or {}, "changed_hosts": []}
    if left_count is not None:
        part["left_out_count"] = left_count
    return part


EXPECTED = {"webroot_enterprise_estate": ["dist1", "srv1", "ws-lyo"],
            "webroot_enterprise_webroot_shard_1": ["ws1", "ws2"], "webroot_enterprise_webroot_shard_2": ["ws3"]}


def test_merge_counts_every_host_once_and_applies_max_left_out_to_the_total():
    parts = {"webroot_enterprise_estate": _part(3, 3),
             "webroot_enterprise_webroot_shard_1": _part(2, 1, {"ws2": "unreachable: off"}),
             "webroot_enterprise_webroot_shard_2": _part(1, 0, {"ws3": "unreachable: off"})}
    merged = shard_lib.merge(parts, EXPECTED, max_left_out=2)
    assert (merged["estate"], merged["hosts"], merged["converged"], merged["left_out_count"]) == (6, 6, 4, 2)
    assert merged["verdict"] == {"passed": True, "text": "4 of 6 hosts converged, 2 left out (ws2: unreachable: off; "
                                                         "ws3: unreachable: off)"}
    # Each shard alone is within 1; the total is not.
    assert shard_lib.merge(parts, EXPECTED, max_left_out=1)["verdict"]["passed"] is False


def test_merge_uses_the_full_counts_of_capped_lists():
    parts = {"webroot_enterprise_estate": _part(3, 3),
             "webroot_enterprise_webroot_shard_1": _part(2, 0, {"ws1": "unreachable: off"}, left_count=2),
             "webroot_enterprise_webroot_shard_2": _part(1, 1)}
    merged = shard_lib.merge(parts, EXPECTED, max_left_out=5)
    assert merged["left_out_count"] == 2
    assert merged["verdict"]["text"] == "4 of 6 hosts converged, 2 left out (ws1: unreachable: off ...)"


def test_merge_names_a_missing_node_a_partial_shard_and_unassigned_hosts():
    parts = {"webroot_enterprise_estate": _part(3, 3), "webroot_enterprise_webroot_shard_1": _part(1, 1)}
    merged = shard_lib.merge(parts, EXPECTED, max_left_out=0, unassigned=["ws9"])
    assert merged["missing"] == ["webroot_enterprise_webroot_shard_2"]
    assert merged["mismatched"] == {"webroot_enterprise_webroot_shard_1": "ran on 1 hosts, the inventory gives it 2"}
    assert merged["unassigned"] == ["ws9"] and merged["estate"] == 7
    assert merged["verdict"]["passed"] is False
    assert "no summary from webroot_enterprise_webroot_shard_2" in merged["verdict"]["text"]
    assert "1 in no node" in merged["verdict"]["text"]


def test_merge_fails_on_a_failed_host_and_on_a_host_in_two_shards():
    parts = dict((k, _part(len(v), len(v))) for k, v in EXPECTED.items())
    assert shard_lib.merge(parts, EXPECTED, 0)["verdict"] == {"passed": True, "text": "6 of 6 hosts converged"}
    parts["webroot_enterprise_webroot_shard_2"] = _part(1, 0, failed={"ws3": "failed: GPO"})
    assert shard_lib.merge(parts, EXPECTED, 10)["verdict"]["passed"] is False
    parts["webroot_enterprise_webroot_shard_2"] = _part(1, 1)
    merged = shard_lib.merge(parts, EXPECTED, 0, twice=["ws3"])
    assert merged["verdict"]["passed"] is False and merged["estate"] == 5

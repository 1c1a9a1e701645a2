# -*- coding: utf-8 -*-
# Copyright: (c) 2026, webroot.enterprise contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The sharded night, run as AWX runs it, against the Windows Firewall SIMULATOR.

What AWX does for each node of a workflow, reproduced on one machine (tests/integration/awxsim.py; the AWX code it
follows is named in each helper):

- the inventory as AWX writes it: an executable script printing the JSON of
  ``Inventory.get_script_data(hostvars=True, towervars=True, slice_number, slice_count)``
  (awx/main/tasks/jobs.py ``write_inventory_file``; :func:`script_data` is a port, the
  slicing included: enabled hosts ordered by name, ``[offset::count]``, every group
  listing only the slice's hosts, hostvars only for them);
- the job run by ``ansible-runner`` (the library AWX drives), in a private data dir
  with ``env/extravars``, the node's ``limit`` and ``skip_tags``;
- the extra variables in AWX's order (``WorkflowJobNode.get_job_kwargs`` and
  ``RunJob.build_extra_vars_file``): the job template's, then the node's extra data,
  then the ancestors' artifacts, then the workflow job's, then AWX's meta variables;
- the artifacts as AWX takes them (the ``artifact_data`` of the ``playbook_on_stats``
  event, awx/main/tasks/callback.py) and passes them on: a node's ancestor artifacts
  are its parents' ancestor artifacts and their jobs' artifacts, ``dict.update``d in
  parent order;
- the workflow: estate node; on its success, the K shard nodes at once; after all of
  them, whatever their outcome, the merge node.

12 workstations in K = 3 shard groups (chosen by hand here; inventories/ad makes them
by a hash, tests/unit/test_ad_inventory.py), one distributor, one company server.
Invariants, with expectations written by hand: every host's rules after the sharded
night equal those of one unsharded site.yml run (and the hand-written rules); no shard
touches the company server or the distributor (the simulator's call log); a bad value
stops the estate node before any firewall changes, so no shard runs; the merge's one
verdict counts every host once; a sliced job is refused, slice by slice. Verify is
skipped as in test_site_serial.py (it needs real hosts).
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import time

import pytest

from winsim import calls_by_host, sim, skip_without_venv

pytest.importorskip("ansible_runner", reason="ansible-runner (requirements.txt) runs the nodes as AWX does")

from awxsim import AwxLike, script_data  # noqa: E402  (needs ansible_runner)

CS = "Webroot Enterprise - Client Service (TCP 50000 in)"
SWEEP = "Webroot Enterprise - Sweep Now (TCP 50001 in)"
POLL = "Webroot Enterprise - Poll Now (TCP 50002 in)"
DIST = "Webroot Enterprise - Update Distributor (TCP 50003 in)"
UPDATE = "Webroot Enterprise - Update Service (TCP 443 out)"

WORKSTATIONS = ["ws%02d" % i for i in range(1, 13)]           # 198.18.94.31 ... .42
SHARDS = {"webroot_shard_1": WORKSTATIONS[0:4], "webroot_shard_2": WORKSTATIONS[4:8],
          "webroot_shard_3": WORKSTATIONS[8:12]}
# The job templates' extra variables (docs/awx.md); the shard count is the workflow's.
JT_EXTRA = {"webroot_max_left_out": 0, "webroot_shard_max_names": 3}
WF_EXTRA = {"webroot_shards": sorted(SHARDS)}


def estate_hosts():
    """{name: hostvars} and {group: [names]}, as the AWX inventory holds them."""
    hosts = {"upd1": {"webroot_address": "198.18.94.5"},
             "dist1": {"webroot_address": "198.18.94.11"},
             "srv1": {"webroot_address": "198.18.94.21"}}
    for i, name in enumerate(WORKSTATIONS):
        hosts[name] = {"webroot_address": "198.18.94.%d" % (31 + i)}
    groups = {"webroot_update_endpoints": ["upd1"], "webroot_distributors": ["dist1"], "webroot_servers": ["srv1"],
              "webroot_clients": list(WORKSTATIONS)}
    groups.update((g, list(m)) for g, m in SHARDS.items())
    return hosts, groups


SERVER = ["198.18.94.21/32"]
DISTRIBUTOR = ["198.18.94.11/32"]
# By hand: .31-.42 aggregated exactly: .31/32, .32-.39 (/29), .40-.41 (/31), .42/32.
WORKSTATION_NETS = ["198.18.94.31/32", "198.18.94.32/29", "198.18.94.40/31", "198.18.94.42/32"]


def expected_rules(awx):
    """Every host's rules, written by hand: workstations admit the company server on
    50000-50002; the company server admits the workstations on 50000 and itself on
    50001-50002 (test_site_serial.py); the distributor's two rules."""
    out = {}
    for host in WORKSTATIONS:
        out[host] = {CS: SERVER, SWEEP: SERVER, POLL: SERVER}
    out["srv1"] = {CS: WORKSTATION_NETS, SWEEP: SERVER, POLL: SERVER}
    return out


def snapshot(awx, hosts):
    return dict((h, dict((name, sim.remote_networks(rule["RemoteAddresses"]))
                         for name, rule in awx.rules(h).items())) for h in hosts)


@pytest.fixture(scope="module")
def nights(tmp_path_factory):
    """The sharded night, and the same estate in one site.yml job (no workflow, no
    limit) started beside it: separate stores, run at once to save time."""
    skip_without_venv()
    hosts, groups = estate_hosts()
    one = AwxLike(str(tmp_path_factory.mktemp("unsharded")), hosts, groups, SHARDS, JT_EXTRA, WF_EXTRA)
    unsharded_job = one.start("site", "playbooks/site.yml", template="Webroot Enterprise - nightly", workflow=None)
    awx = AwxLike(str(tmp_path_factory.mktemp("sharded")), hosts, groups, SHARDS, JT_EXTRA, WF_EXTRA)
    started = time.time()
    results = awx.night()
    took = time.time() - started
    return (awx, results, took), (one, awx.finish(unsharded_job))


@pytest.fixture(scope="module")
def sharded(nights):
    return nights[0]


@pytest.fixture(scope="module")
def unsharded(nights):
    return nights[1]


def test_every_node_succeeds_and_the_merge_is_last(sharded):
    awx, results = sharded[0], sharded[1]
    assert sorted(results) == ["estate", "merge"] + sorted(SHARDS)
    for node, (status, rc, artifacts, out) in results.items():
        assert (status, rc) == ("successful", 0), (node, out[-3000:])


def test_every_workstation_equals_an_unsharded_run_and_the_hand_written_rules(sharded, unsharded):
    awx, results = sharded[0], sharded[1]
    one, result = unsharded
    assert result[:2] == ("successful", 0), result[3][-3000:]
    names = ["dist1", "srv1"] + WORKSTATIONS
    assert snapshot(awx, names) == snapshot(one, names)
    got = snapshot(awx, names)
    for host, rules in expected_rules(awx).items():
        assert got[host] == rules, host
    assert sorted(got["dist1"]) == sorted([DIST, UPDATE])


def test_no_shard_touches_the_company_server_or_the_distributor(sharded):
    awx, results = sharded[0], sharded[1]
    # The call log holds every simulator call of the night, in order; the shards ran
    # after the estate node, so the calls of srv1 and dist1 are the estate node's.
    calls = calls_by_host(awx.log)
    assert set(calls) == set(["dist1", "srv1"] + WORKSTATIONS)
    for shard in SHARDS:
        out = results[shard][3]
        # No task line names the server or the distributor in a shard's output.
        assert "[srv1]" not in out and "[dist1]" not in out, shard
        for host in SHARDS[shard]:
            assert "[%s]" % host in out
        # The limit <shard>:localhost keeps summary.yml's verdict play on localhost.
        assert "PLAY [Summary - the verdict]" in out and "ok: [localhost]" in out, shard
        for other in set(WORKSTATIONS) - set(SHARDS[shard]):
            assert "[%s]" % other not in out, (shard, other)
    est = results["estate"][3]
    assert "[srv1]" in est and "[dist1]" in est
    assert not any("[%s]" % w in est for w in WORKSTATIONS)


def test_the_artifacts_are_per_node_and_capped(sharded):
    awx, results = sharded[0], sharded[1]
    assert list(results["estate"][2]) == ["webroot_enterprise_estate"]
    est = results["estate"][2]["webroot_enterprise_estate"]
    assert (est["hosts"], est["converged"], est["left_out_count"], est["failed_count"]) == (2, 2, 0, 0)
    for shard in SHARDS:
        art = results[shard][2]
        assert list(art) == ["webroot_enterprise_" + shard]
        summary = art["webroot_enterprise_" + shard]
        # First run: every workstation of the shard changed; 3 names kept (JT_EXTRA), 4 counted.
        assert (summary["hosts"], summary["converged"], summary["changed_count"]) == (4, 4, 4)
        assert summary["changed_hosts"] == SHARDS[shard][:3]
    assert sorted(os.listdir(os.path.join(awx.dir, "reports"))) == sorted(
        ["webroot-rules-estate.json", "webroot-rules-estate.txt"]
        + ["webroot-rules-%s.%s" % (s, e) for s in SHARDS for e in ("json", "txt")])


def test_one_verdict_counts_every_host_once(sharded):
    awx, results = sharded[0], sharded[1]
    merged = results["merge"][2]["webroot_enterprise"]
    assert list(results["merge"][2]) == ["webroot_enterprise"]
    # By hand: 2 (distributor, company server) + 3 x 4 workstations = 14 managed hosts.
    assert (merged["estate"], merged["hosts"], merged["converged"]) == (14, 14, 14)
    assert (merged["left_out_count"], merged["failed_count"], merged["changed_count"]) == (0, 0, 14)
    assert merged["missing"] == [] and merged["unassigned"] == [] and merged["twice"] == []
    assert merged["verdict"] == {"passed": True, "text": "14 of 14 hosts converged"}


def test_a_bad_value_stops_the_estate_node_before_any_shard(tmp_path):
    skip_without_venv()
    hosts, groups = estate_hosts()
    hosts["ws07"]["webroot_address"] = "198.18.94.999"
    awx = AwxLike(str(tmp_path), hosts, groups, SHARDS, JT_EXTRA, WF_EXTRA)
    results = awx.night()
    assert list(results) == ["estate"]
    status, rc, artifacts, out = results["estate"]
    assert status == "failed" and rc != 0
    assert "webroot_address of host ws07: '198.18.94.999' is not an IPv4/IPv6" in " ".join(out.split())
    # Nothing was changed anywhere (no shard ran; the estate node stopped at its validation).
    for host in ["dist1", "srv1"] + WORKSTATIONS:
        assert awx.rules(host) == {}, host
    assert calls_by_host(awx.log) == {}


def test_a_shard_refuses_a_limit_with_the_company_server(tmp_path):
    skip_without_venv()
    hosts, groups = estate_hosts()
    awx = AwxLike(str(tmp_path), hosts, groups, SHARDS, JT_EXTRA, WF_EXTRA)
    status, rc, artifacts, out = awx.finish(awx.start("bad-limit", "playbooks/site_workstations.yml",
                                                      "webroot_shard_1:srv1:localhost",
                                                      node_extra={"webroot_shard": "webroot_shard_1"}))
    assert status == "failed"
    flat = " ".join(out.split())
    assert "Refused before touching any host" in flat and "srv1: a company server" in flat, flat[-2000:]
    assert calls_by_host(awx.log) == {}


@pytest.mark.parametrize("slice_number", [1, 2])
def test_a_sliced_job_is_refused_slice_by_slice(tmp_path, slice_number):
    """site.yml as a sliced job template (2 slices): AWX launches a workflow named as the
    job template; each slice's inventory is the port of get_script_data. By hand, hosts
    by name: dist1, srv1, upd1, ws01 ... ws12; slice 1 holds dist1, upd1, ws02, ws04, ...;
    slice 2 holds srv1, ws01, ws03, ... (the company server)."""
    skip_without_venv()
    hosts, groups = estate_hosts()
    awx = AwxLike(str(tmp_path), hosts, groups, SHARDS, JT_EXTRA, WF_EXTRA)
    data = script_data(awx.hosts, groups, {}, slice_number, 2)
    assert ("srv1" in data["_meta"]["hostvars"]) == (slice_number == 2)
    assert len(data["webroot_clients"]["hosts"]) == 6
    name = "Webroot Enterprise - nightly"
    status, rc, artifacts, out = awx.finish(awx.start("slice%d" % slice_number, "playbooks/site.yml", template=name,
                                                      workflow=name, slice_number=slice_number, slice_count=2))
    assert status == "failed"
    flat = " ".join(out.split())
    assert "this job is a slice of the sliced job template 'Webroot Enterprise - nightly'" in flat, flat[-3000:]
    assert "run the sharded workflow instead" in flat
    assert calls_by_host(awx.log) == {}
    for host in ["dist1", "srv1"] + WORKSTATIONS:
        assert awx.rules(host) == {}


def test_a_slice_is_refused_by_the_inventory_floor_without_awx_variables(tmp_path):
    """webroot_estate_min_hosts in the inventory's all vars, which AWX keeps in each
    slice: the slice holding the company server holds 7 of the 14 managed hosts."""
    skip_without_venv()
    hosts, groups = estate_hosts()
    awx = AwxLike(str(tmp_path), hosts, groups, SHARDS, JT_EXTRA, WF_EXTRA)
    status, rc, artifacts, out = awx.finish(awx.start("floor", "playbooks/site.yml", template="T", workflow=None,
                                                      slice_number=2, slice_count=2, all_vars={"webroot_estate_min_hosts": 14}))
    assert status == "failed"
    flat = " ".join(out.split())
    assert "the inventory holds 7 managed hosts, fewer than webroot_estate_min_hosts=14" in flat, flat[-3000:]
    assert calls_by_host(awx.log) == {}


def test_it_took_under_three_minutes(sharded):
    assert sharded[2] < 180, sharded[2]

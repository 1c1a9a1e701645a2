# -*- coding: utf-8 -*-
# Copyright: (c) 2026, webroot.enterprise contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""verify proves a DNS-addressed estate (issue 24, item 6): its plan takes every
address as the apply took it (this run's webroot_estate, else the same controller
resolution, here a stand-in), a sleeping workstation's checks are "not run: host
down" instead of "cannot tell the address of ws1", and a workstation whose address
is unknown this run is expected admitted (the apply kept what the firewall admits).
Expectations by hand; no name is sent to a real resolver."""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

import pytest

from ansible_collections.webroot.enterprise.plugins.filter import verify as verify_filters
from ansible_collections.webroot.enterprise.plugins.plugin_utils import verify_common
from ansible_collections.webroot.enterprise.plugins.plugin_utils import verify_plan
from ansible_collections.webroot.enterprise.plugins.plugin_utils.catalog import TABLE_11
from ansible_collections.webroot.enterprise.plugins.plugin_utils import resolve as resolve_lib

GROUPS = {"webroot_distributors": ["dist1"], "webroot_servers": ["srv1"], "webroot_clients": ["ws1", "ws2"],
          "webroot_update_endpoints": ["upd1"]}
# An Active Directory inventory: names only.
HOSTVARS = dict((h, {"ansible_host": "%s.corp.example" % h}) for h in ("dist1", "srv1", "ws1", "ws2"))
HOSTVARS["upd1"] = {"webroot_address": "198.18.120.41"}
# What the apply published (webroot_plan): ws2's address was unknown, so only ws1 is in
# the plan's peers (its firewall kept what it admitted).
HOSTVARS["srv1"]["webroot_plan"] = {"client_service": {"component": "client_service", "state": "present", "rules": [
    {"direction": "in", "port": 50000, "protocol": "tcp", "any_peer": False, "peers": ["198.18.120.31/32"],
     "peer_groups": ["webroot_clients"], "unknown": ["ws2"]}]}}
HOSTVARS["dist1"]["webroot_plan"] = {"update_distributor": {
    "component": "update_distributor", "state": "present", "rules": [
        {"direction": "in", "port": 50003, "protocol": "tcp", "any_peer": False, "peers": ["198.18.120.31/32"],
         "peer_groups": ["webroot_clients"], "unknown": ["ws2"]}]}}
ESTATE = {"addresses": {"dist1": "198.18.120.11/32", "srv1": "198.18.120.21/32", "ws1": "198.18.120.31/32",
                        "ws2": None, "upd1": "198.18.120.41/32"},
          "left_out": {}, "unknown": {"ws2": "ws2.corp.example did not resolve within 10 s (2 tries)"}}


def by_pair(checks):
    return dict(((c["source"], c["destination"], c["port"]), c) for c in checks)


def planned_checks(*args, **kwargs):
    """Every check of the verify_plan filter (its ``checks_json``), as dicts."""
    return json.loads(verify_filters.verify_plan(*args, **kwargs)["checks_json"])


def test_without_the_estate_a_dns_addressed_estate_cannot_be_planned():
    with pytest.raises(verify_common.FlowError, match="cannot tell the address of"):
        verify_plan.plan_checks(TABLE_11, GROUPS, HOSTVARS)


def test_the_estate_gives_the_addresses_and_an_unknown_workstation_is_expected_admitted():
    checks = by_pair(planned_checks(TABLE_11, GROUPS, HOSTVARS, estate=ESTATE))
    c = checks[("ws1", "srv1", 50000)]
    assert (c["kind"], c["source_address"], c["destination_address"]) == ("allowed", "198.18.120.31", "198.18.120.21")
    c = checks[("ws2", "srv1", 50000)]
    assert c["kind"] == "allowed" and c["source_address"] is None
    assert c["why"] == ("ws2: its address is unknown this run (ws2.corp.example did not resolve within 10 s "
                        "(2 tries)), so webroot_plan.client_service of srv1 kept what it admits")
    assert checks[("srv1", "ws1", 50001)]["destination_address"] == "198.18.120.31"


def test_a_sleeping_workstation_without_an_address_is_not_run_host_down():
    estate = dict(ESTATE, unknown={}, left_out={"ws2": "no address"})
    plan = verify_filters.verify_plan(TABLE_11, GROUPS, HOSTVARS, estate=estate, sources=["dist1", "srv1", "ws1"],
                                      down=["ws2"])
    checks = [c for c in json.loads(plan["checks_json"]) if "ws2" in (c["source"], c["destination"])]
    assert checks and all(c["down"] == ["ws2"] for c in checks)
    assert ("ws2", "srv1", 50000) in by_pair(checks) and ("ws2", "dist1", 50003) in by_pair(checks)
    assert "ws2" not in plan["counts"]


def test_without_the_estate_verify_resolves_as_the_apply_does(monkeypatch):
    asked = []

    def standin(names, timeout=10.0, **_kw):
        asked.extend(names)
        return dict((n, ("198.18.120.%d/32" % {"dist1": 11, "srv1": 21, "ws1": 31, "ws2": 32}[n.split(".")[0]], None))
                    for n in names)
    monkeypatch.setattr(resolve_lib, "resolve", standin)
    checks = by_pair(planned_checks(TABLE_11, GROUPS, HOSTVARS, resolve=True, resolve_timeout=3))
    assert sorted(asked) == ["dist1.corp.example", "srv1.corp.example", "ws1.corp.example", "ws2.corp.example"]
    assert checks[("ws2", "dist1", 50003)]["source_address"] == "198.18.120.32"


def test_a_webroot_estate_from_outside_is_checked():
    with pytest.raises(Exception, match=r"webroot_estate.addresses\[ws1\]"):
        planned_checks(TABLE_11, GROUPS, HOSTVARS, estate=dict(ESTATE, addresses={"ws1": "0.0.0.0/0"}))

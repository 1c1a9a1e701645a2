# -*- coding: utf-8 -*-
"""Rule computation: the rules one host needs (the parsers live in the fw_*.py backend units)."""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.webroot.enterprise.plugins.plugin_utils import rules as rules_lib

GROUPS = {
    "webroot_distributors": ["dist1"],
    "webroot_servers": ["server1"],
    "webroot_clients": ["client1", "client2"],
    "webroot_update_endpoints": ["update1"],
}
HOSTVARS = {
    "dist1": {"webroot_address": "198.18.10.11"},
    "server1": {"ansible_facts": {"default_ipv4": {"address": "198.18.10.21"}}},
    "client1": {"ansible_host": "198.18.10.31"},
    "client2": {"webroot_address": "198.18.10.32"},
    "update1": {"webroot_address": "198.18.10.41"},
}


def rules(component, host, **settings):
    return rules_lib.host_rules(component, host, GROUPS, HOSTVARS, settings)


def test_client_admits_only_the_server_on_sweep_now():
    (rule,) = rules("sweep_now", "client1")
    assert (rule["port"], rule["direction"], rule["peers"]) == (50001, "in", ["198.18.10.21/32"])
    assert rule["comment"] == "webroot.enterprise sweep_now 50001/tcp in"


def test_distributor_admits_the_clients_on_50003():
    (rule,) = rules("update_distributor", "dist1")
    assert rule["peers"] == ["198.18.10.31/32", "198.18.10.32/32"]


def test_update_service_is_outbound_to_the_endpoint():
    (rule,) = rules("update_service", "dist1")
    assert (rule["direction"], rule["port"], rule["peers"]) == ("out", 443, ["198.18.10.41/32"])


def test_client_service_on_server_and_on_clients():
    (srv,) = rules("client_service", "server1")
    (cli,) = rules("client_service", "client2")
    assert srv["peers"] == ["198.18.10.31/32", "198.18.10.32/32"]
    assert cli["peers"] == ["198.18.10.21/32"]


def test_host_outside_the_flow_gets_nothing():
    assert rules("update_distributor", "client1") == []
    assert rules("sweep_now", "dist1") == []


def test_absent_wants_nothing_but_still_validates():
    assert rules("sweep_now", "client1", state="absent") == []
    with pytest.raises(rules_lib.RuleError, match="sweep_now_port"):
        rules("sweep_now", "client1", state="absent", port=70000)


def test_explicit_cidrs_and_any_source():
    (rule,) = rules("sweep_now", "client1", peers=["198.18.0.0/15", "198.18.10.21"])
    # 198.18.10.21 is inside 198.18.0.0/15: aggregated away, the set is the same
    assert rule["peers"] == ["198.18.0.0/15"]
    (rule,) = rules("sweep_now", "client1", any_peer=True)
    assert rule["any_peer"] and rule["peers"] == []


@pytest.mark.parametrize("settings, var", [
    ({"port": 0}, "sweep_now_port"),
    ({"port": 65536}, "sweep_now_port"),
    ({"port": "http"}, "sweep_now_port"),
    ({"port": True}, "sweep_now_port"),
    ({"state": "open"}, "sweep_now_state"),
    ({"peers": ["198.18.10.300"]}, "sweep_now_sources"),
    ({"peers": "198.18.10.0/24"}, "sweep_now_sources"),
    ({"peers": ["0.0.0.0/0"]}, "sweep_now_sources"),
    ({"any_peer": "yes"}, "sweep_now_any_source"),
    ({"any_peer": True, "peers": ["198.18.10.0/24"]}, "sweep_now_sources"),
])
def test_bad_input_names_the_variable(settings, var):
    with pytest.raises(rules_lib.RuleError) as err:
        rules("sweep_now", "client1", **settings)
    assert var in str(err.value)


def test_empty_group_is_an_error_with_a_way_out():
    groups = dict(GROUPS, webroot_clients=[])
    with pytest.raises(rules_lib.RuleError, match="update_distributor_sources"):
        rules_lib.host_rules("update_distributor", "dist1", groups, HOSTVARS, {})


def test_unknown_address_is_an_error():
    hostvars = dict(HOSTVARS, client1={"ansible_host": "client1.example.invalid"})
    with pytest.raises(rules_lib.RuleError, match="client1"):
        rules_lib.host_rules("update_distributor", "dist1", GROUPS, hostvars, {})

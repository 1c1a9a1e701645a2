# -*- coding: utf-8 -*-
# Copyright: (c) 2026, webroot.enterprise contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The estate validation's shortcuts (issue 27, item 5) change no answer: group
membership from sets, the checked estate's fast path for plain IPv4 addresses, and
the memoized checks give what the plain code gives, refusals included."""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.webroot.enterprise.plugins.plugin_utils import estate as estate_lib
from ansible_collections.webroot.enterprise.plugins.plugin_utils import rules as rules_lib


def test_group_members_is_the_same_list_with_set_membership():
    members = rules_lib.GroupMembers(["ws2", "ws1", "ws2"])
    assert members == ["ws2", "ws1", "ws2"]
    assert list(members) == ["ws2", "ws1", "ws2"] and len(members) == 3
    assert "ws1" in members and "ws3" not in members
    assert ["ws1"] not in members          # unhashable: in no group, no TypeError
    groups = rules_lib.indexed_groups({"webroot_clients": ["ws1"], "empty": None})
    assert groups == {"webroot_clients": ["ws1"], "empty": []}
    assert isinstance(groups["webroot_clients"], rules_lib.GroupMembers)


@pytest.mark.parametrize("value", ["198.18.0.1/32", "0.0.0.0/32", "255.255.255.255/32", "10.9.99.100/32"])
def test_check_estate_keeps_a_plain_ipv4_address(value):
    assert rules_lib.check_estate({"addresses": {"h": value}}) == ({"h": value}, {}, {})


@pytest.mark.parametrize("value", ["010.0.0.1/32", "10.0.0.0/31", "10.0.0.1", "256.0.0.1/32", "10.0.0.1/32\n",
                                   "10.0.0.1/032", "::ffff:10.0.0.1/128"])
def test_check_estate_still_refuses_what_is_not_one_address_as_written(value):
    with pytest.raises(rules_lib.RuleError, match=r"webroot_estate.addresses\[h\]"):
        rules_lib.check_estate({"addresses": {"h": value}})


def test_check_estate_fast_path_does_not_skip_allowed_networks():
    allowed = rules_lib.allowed_networks(["198.18.0.0/24"])
    assert rules_lib.check_estate({"addresses": {"h": "198.18.0.9/32"}}, allowed)[0] == {"h": "198.18.0.9/32"}
    with pytest.raises(rules_lib.RuleError, match="outside webroot_allowed_networks"):
        rules_lib.check_estate({"addresses": {"h": "198.18.1.9/32"}}, allowed)


def _estate(n):
    groups = {"webroot_update_endpoints": ["upd"], "webroot_distributors": ["dist"], "webroot_servers": ["srv"],
              "webroot_clients": ["ws%d" % i for i in range(n)]}
    hostvars = {"upd": {"webroot_address": "198.18.0.5"}, "dist": {"webroot_address": "198.18.0.11"},
                "srv": {"webroot_address": "198.18.0.21"}}
    for i in range(n):
        hostvars["ws%d" % i] = {"webroot_address": "198.18.1.%d" % (i + 1)}
    return groups, hostvars


def test_validation_with_indexed_groups_is_the_validation_with_lists():
    groups, hostvars = _estate(6)
    hostvars["ws3"]["sweep_now_port"] = 70000
    plain = estate_lib.validate(groups, hostvars)
    indexed = estate_lib.validate(rules_lib.indexed_groups(groups), hostvars)
    assert indexed == plain
    assert plain["hosts"] == 8 and plain["plans"] == 2 + 3 + 3 * 6 - 1
    assert plain["errors"] == ["host ws3: sweep_now_port must be a port number from 1 to 65535, got 70000"]


def test_memoized_any_check_still_refuses_every_address_for_each_host():
    # Two workstations whose explicit sources, aggregated, admit every address: both
    # refused, the second too although the first's peers were the same.
    groups, hostvars = _estate(2)
    for host in ("ws0", "ws1"):
        hostvars[host]["sweep_now_sources"] = ["0.0.0.0/1", "128.0.0.0/1"]
    errors = estate_lib.validate(rules_lib.indexed_groups(groups), hostvars)["errors"]
    assert len(errors) == 2
    assert errors[0].startswith("host ws0: sweep_now_sources") and errors[1].startswith("host ws1: sweep_now_sources")
    assert "admit every address" in errors[0]

# -*- coding: utf-8 -*-
# Copyright: (c) 2026, webroot.enterprise contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Addresses are what they say (issue 24, item 5): an ansible_host that looks like an
IP is parsed strictly and never sent to DNS; the any-source guard holds after
aggregation; webroot_allowed_networks; two hosts claiming one address named; a
webroot_estate from outside checked like the inventory; the management-port guard
reads every variable Ansible takes the port from. Expectations by hand; the resolver
is a stand-in that records what it is asked."""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.webroot.enterprise.plugins.plugin_utils import backends
from ansible_collections.webroot.enterprise.plugins.plugin_utils import fw_ufw
from ansible_collections.webroot.enterprise.plugins.plugin_utils import estate as estate_lib
from ansible_collections.webroot.enterprise.plugins.plugin_utils import rules as rules_lib
from ansible_collections.webroot.enterprise.plugins.plugin_utils.hostvars import HostvarsCache

GROUPS = {"webroot_distributors": ["d1"], "webroot_servers": ["s1"], "webroot_clients": ["c1", "c2"],
          "webroot_update_endpoints": ["u1"]}


def hostvars(**clients):
    hv = {"d1": {"webroot_address": "198.18.120.11"}, "s1": {"webroot_address": "198.18.120.21"},
          "c1": {"webroot_address": "198.18.120.31"}, "c2": {"webroot_address": "198.18.120.32"},
          "u1": {"webroot_address": "198.18.120.41"}}
    hv.update(clients)
    return hv


class Recorder(object):
    def __init__(self, answers):
        self.answers, self.asked = answers, []

    def __call__(self, names):
        self.asked.extend(names)
        return dict((n, (self.answers.get(n), None if self.answers.get(n) else "%s does not resolve" % n))
                    for n in names)


@pytest.mark.parametrize("value", ["192.168.001.010", "010.010.010.010", "10.1", "0x0a.0.0.1", "3232235777",
                                   "198.18.120.032", "fe80::zz"])
def test_an_ansible_host_that_looks_like_an_ip_is_strict_and_never_sent_to_dns(value):
    resolver = Recorder({})
    out = estate_lib.validate(GROUPS, hostvars(c2={"ansible_host": value}), resolver=resolver)
    assert resolver.asked == []
    assert out["errors"] and all(e.startswith("host ") for e in out["errors"])
    assert any("ansible_host of host c2: %r looks like an IP address but is not one written strictly" % value in e
               for e in out["errors"]), out["errors"]


def test_a_strict_ip_and_a_name_are_taken():
    resolver = Recorder({"c2.corp.example": "198.18.120.32/32"})
    out = estate_lib.validate(GROUPS, hostvars(c1={"ansible_host": "198.18.120.31"}, c2={"ansible_host": "c2.corp.example"}),
                              resolver=resolver)
    assert out["errors"] == [] and resolver.asked == ["c2.corp.example"]
    assert out["addresses"]["c1"] == "198.18.120.31/32" and out["addresses"]["c2"] == "198.18.120.32/32"


def settings(**kw):
    s = {"state": "present", "port": None, "peers": [], "any_peer": False, "strict": False}
    s.update(kw)
    return s


@pytest.mark.parametrize("kw", [
    {"peers": ["0.0.0.0/1", "128.0.0.0/1"]},
    {"client_networks": ["0.0.0.0/1", "128.0.0.0/1"]},
    {"peers": ["::/1", "8000::/1"]},
    {"peers": ["0.0.0.0/2", "64.0.0.0/2", "128.0.0.0/1"]},
])
def test_the_any_source_guard_holds_after_aggregation(kw):
    with pytest.raises(rules_lib.RuleError, match=r"together admit every address \((0\.0\.0\.0/0|::/0) once aggregated\)"):
        rules_lib.host_plan("client_service", "s1", GROUPS, hostvars(), settings(**kw))
    # The explicit opt-in still admits any address.
    (rule,) = rules_lib.host_plan("client_service", "s1", GROUPS, hostvars(), settings(any_peer=True))["rules"]
    assert rule["any_peer"] and rule["peers"] == []


def test_the_any_source_guard_holds_for_what_a_host_keeps():
    cache = HostvarsCache(hostvars(c2={"ansible_host": "c2.corp.example"}),
                          resolved={"c2": (None, rules_lib.Transient("c2.corp.example did not resolve within 10 s"))})
    plan = rules_lib.host_plan("client_service", "s1", GROUPS, cache, settings())
    mark = "webroot.enterprise client_service 50000/tcp in"
    read = {"ufw": [{"action": "allow", "direction": "in", "protocol": "tcp", "port": 50000, "from": peer,
                     "to": "any", "comment": mark} for peer in ("0.0.0.0/1", "128.0.0.0/1")]}
    with pytest.raises(rules_lib.RuleError, match="together admit every address"):
        fw_ufw.ops(plan, backends.ours("ufw", read))


def test_a_derived_address_outside_the_allowed_networks_is_left_out_and_named():
    resolver = Recorder({"c2.corp.example": "203.0.113.9/32"})
    hv = hostvars(c1={"ansible_host": "198.51.100.7"}, c2={"ansible_host": "c2.corp.example"})
    out = estate_lib.validate(GROUPS, hv, resolver=resolver, allowed_networks=["198.18.120.0/24"])
    assert out["errors"] == []
    assert out["left_out"] == {
        "c1": "its address 198.51.100.7/32 (from ansible_host) is outside webroot_allowed_networks (198.18.120.0/24)",
        "c2": "its address 203.0.113.9/32 (from DNS) is outside webroot_allowed_networks (198.18.120.0/24)"}
    assert estate_lib.validate(GROUPS, hv, resolver=resolver, allowed_networks=["198.18.120.1/24"])["errors"] == [
        "webroot_allowed_networks: '198.18.120.1/24' has host bits set, so it would admit all of "
        "198.18.120.0/24; write 198.18.120.1/32 for the one address or 198.18.120.0/24 for the whole network"]


def test_two_hosts_claiming_one_address_are_named():
    resolver = Recorder({"c2.corp.example": "198.18.120.21/32"})
    out = estate_lib.validate(GROUPS, hostvars(c2={"ansible_host": "c2.corp.example"}), resolver=resolver)
    assert out["duplicates"] == {"198.18.120.21/32": ["c2", "s1"]}


@pytest.mark.parametrize("value", ["0.0.0.0/0", "198.18.120.0/24", "198.18.120.5", "::ffff:198.18.120.5/128",
                                   "garbage", 5])
def test_a_webroot_estate_from_outside_is_checked_like_the_inventory(value):
    with pytest.raises(rules_lib.RuleError, match=r"webroot_estate.addresses\[c1\]"):
        rules_lib.check_estate({"addresses": {"c1": value}})


def test_a_webroot_estate_is_read_when_it_holds_single_addresses():
    estate = {"addresses": {"c1": "198.18.120.31/32", "c2": None}, "left_out": {"c2": "no address"}, "unknown": {}}
    assert rules_lib.check_estate(estate) == ({"c1": "198.18.120.31/32", "c2": None}, {"c2": "no address"}, {})
    with pytest.raises(rules_lib.RuleError, match="outside webroot_allowed_networks"):
        rules_lib.check_estate(estate, rules_lib.allowed_networks(["198.18.121.0/24"]))


@pytest.mark.parametrize("var", ["ansible_port", "ansible_ssh_port", "ansible_winrm_port", "remote_port"])
def test_the_management_port_guard_reads_every_port_variable(var):
    hv = hostvars()
    hv["c1"] = dict(hv["c1"], **{var: 2222, "sweep_now_port": 2222})
    out = estate_lib.validate(GROUPS, hv)
    assert any("sweep_now_port 2222 is a management port of c1" in e for e in out["errors"]), out["errors"]

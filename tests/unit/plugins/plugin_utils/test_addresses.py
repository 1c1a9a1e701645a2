# -*- coding: utf-8 -*-
# Copyright: (c) 2026, webroot.enterprise contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Where a host's address comes from, in the documented order, and the controller's
DNS resolution (bounded in time, names that do not resolve included). No name is
sent to a real resolver: the resolver is a stand-in given here."""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import socket
import time

import pytest

from ansible_collections.webroot.enterprise.plugins.plugin_utils import estate as estate_lib
from ansible_collections.webroot.enterprise.plugins.plugin_utils import rules as rules_lib
from ansible_collections.webroot.enterprise.plugins.plugin_utils.hostvars import HostvarsCache
from ansible_collections.webroot.enterprise.plugins.plugin_utils import resolve as resolve_lib

# ansible.windows.setup's interfaces of a laptop on LAN and VPN (shape of setup.ps1's
# ansible_interfaces: one dict per adapter, ipv4 a dict or a list of dicts).
WIN_INTERFACES = [
    {"interface_index": 17, "default_gateway": "10.8.0.1", "connection_name": "VPN",
     "ipv4": {"address": "10.8.0.55", "prefix": "24"}},
    {"interface_index": 4, "default_gateway": "198.18.90.1", "connection_name": "Ethernet",
     "ipv4": [{"address": "169.254.10.10", "prefix": "16"}, {"address": "198.18.90.23", "prefix": "24"}],
     "ipv6": [{"address": "fe80::1", "prefix": "64"}]},
    {"interface_index": 2, "default_gateway": None, "connection_name": "Hyper-V",
     "ipv4": {"address": "172.20.0.1", "prefix": "20"}},
    {"interface_index": 1, "default_gateway": "fe80::1", "connection_name": "v6 only",
     "ipv6": {"address": "2001:db8::9", "prefix": "64"}},
]


def test_windows_facts_give_the_adapter_with_an_ipv4_gateway_lowest_index_never_link_local():
    assert rules_lib.windows_fact_address(WIN_INTERFACES) == "198.18.90.23/32"
    assert rules_lib.windows_fact_address([WIN_INTERFACES[2]]) is None
    assert rules_lib.windows_fact_address([]) is None


def test_the_documented_order():
    hv = {
        "a": {"webroot_address": "198.18.90.1", "ansible_facts": {"interfaces": WIN_INTERFACES}, "ansible_host": "10.0.0.1"},
        "b": {"ansible_facts": {"interfaces": WIN_INTERFACES}, "ansible_host": "10.0.0.1"},
        "c": {"ansible_facts": {"default_ipv4": {"address": "198.18.90.3"}}, "ansible_host": "10.0.0.1"},
        "d": {"ansible_host": "10.0.0.4"},
        "e": {"ansible_host": "e.corp.example"},
        "f": {"ansible_host": "f.corp.example"},
        "g": {"ansible_host": "198.51.100.0/24"},
    }
    cache = HostvarsCache(hv, resolved={"e": ("198.18.90.5/32", None), "f": (None, "f.corp.example does not resolve")})
    assert [rules_lib.host_address(h, cache) for h in "abcdefg"] == [
        "198.18.90.1/32", "198.18.90.23/32", "198.18.90.3/32", "10.0.0.4/32", "198.18.90.5/32", None, None]
    assert cache.why["f"] == "f.corp.example does not resolve"
    # Only the hosts whose address nothing else gives are resolved; a network is a name
    # to nobody and never one address.
    assert [rules_lib.name_to_resolve(h, HostvarsCache(hv)) for h in "abcdefg"] == [
        None, None, None, None, "e.corp.example", "f.corp.example", "198.51.100.0/24"]


def test_webroot_address_as_a_network_is_refused():
    with pytest.raises(rules_lib.RuleError, match="is a network, not one address"):
        rules_lib.host_address("a", {"a": {"webroot_address": "198.18.90.0/24"}})


def fake_resolver(answers, delay=None):
    def resolver(name, port, family, kind):
        if delay and name in delay:
            time.sleep(delay[name])
        if answers.get(name) is None:
            raise socket.gaierror(-2, "Name or service not known")
        return [(socket.AF_INET6 if ":" in a else socket.AF_INET, kind, 6, "", (a, 0)) for a in answers[name]]
    return resolver


def test_resolution_picks_ipv4_then_ipv6_never_loopback_or_link_local():
    resolver = fake_resolver({"a": ["2001:db8::5", "198.18.90.5"], "b": ["fe80::1", "2001:db8::6"],
                              "c": ["127.0.1.1"], "d": None})
    assert resolve_lib.resolve(["a", "b", "c", "d"], resolver=resolver) == {
        "a": ("198.18.90.5/32", None),
        "b": ("2001:db8::6/128", None),
        "c": (None, "c resolves to no usable address"),
        "d": (None, "d does not resolve ([Errno -2] Name or service not known)"),
    }


def test_resolution_of_many_names_is_concurrent_and_bounded_in_time():
    names = ["ws%04d" % i for i in range(300)]
    answers = dict((n, ["198.18.%d.%d" % (90 + i // 250, i % 250 + 1)]) for i, n in enumerate(names))
    delay = dict((n, 0.2) for n in names)
    delay["ws0007"] = 30   # a name whose DNS server never answers
    start = time.time()
    out = resolve_lib.resolve(names, timeout=3, resolver=fake_resolver(answers, delay))
    took = time.time() - start
    # 300 lookups of 0.2 s each: about 1 s with 64 at a time, never 60 s in a row,
    # and the hanging one costs its own two tries of 3 s, nobody else's time.
    assert took < 8, took
    assert out["ws0007"] == (None, "ws0007 did not resolve within 3 s (2 tries)")
    assert out["ws0000"] == ("198.18.90.1/32", None)
    assert sum(1 for a, _w in out.values() if a) == 299


GROUPS = {"webroot_distributors": ["d1"], "webroot_servers": ["s1"], "webroot_clients": ["c1", "c2", "c3"],
          "webroot_update_endpoints": ["u1"]}
HV = {"d1": {"webroot_address": "198.18.90.11"}, "s1": {"webroot_address": "198.18.90.21"},
      "c1": {"webroot_address": "198.18.90.31"}, "c2": {"ansible_host": "c2.corp.example"},
      "c3": {"ansible_host": "c3.corp.example"}, "u1": {"webroot_address": "198.18.90.41"}}


def test_estate_validation_leaves_out_and_names_hosts_without_an_address():
    def resolver(names):
        assert names == ["c2.corp.example", "c3.corp.example"]
        return {"c2.corp.example": ("198.18.90.32/32", None), "c3.corp.example": (None, "c3.corp.example does not resolve")}
    out = estate_lib.validate(GROUPS, HV, resolver=resolver)
    assert out["errors"] == []
    assert out["left_out"] == {"c3": "c3.corp.example does not resolve"}
    assert out["addresses"]["c2"] == "198.18.90.32/32"
    strict = estate_lib.validate(GROUPS, HV, resolver=resolver, strict=True)
    assert strict["errors"] and all("cannot tell the address of c3" in e for e in strict["errors"])


def test_client_networks_take_the_place_of_the_workstations_and_sources_win():
    settings = {"state": "present", "client_networks": ["198.18.90.0/24"]}
    (rule,) = rules_lib.host_plan("client_service", "s1", GROUPS, HV, settings)["rules"]
    assert rule["peers"] == ["198.18.90.0/24"]
    (rule,) = rules_lib.host_plan("update_distributor", "d1", GROUPS, HV, settings)["rules"]
    assert rule["peers"] == ["198.18.90.0/24"]
    # Sweep Now on a workstation comes from the company servers: their addresses.
    (rule,) = rules_lib.host_plan("sweep_now", "c1", GROUPS, HV, settings)["rules"]
    assert rule["peers"] == ["198.18.90.21/32"]
    (rule,) = rules_lib.host_plan("client_service", "s1", GROUPS, HV, dict(settings, peers=["198.18.91.0/24"]))["rules"]
    assert rule["peers"] == ["198.18.91.0/24"]
    with pytest.raises(rules_lib.RuleError, match="webroot_client_networks"):
        rules_lib.host_plan("client_service", "s1", GROUPS, HV, dict(settings, client_networks=["198.18.90.1/24"]))

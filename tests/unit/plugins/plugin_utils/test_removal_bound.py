# -*- coding: utf-8 -*-
# Copyright: (c) 2026, webroot.enterprise contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""No mass removal by surprise (issue 24, item 2): an inventory that loses half its
workstations between two runs removes nothing without the user's say
(webroot_max_removed_share, default 20 %, at least 2 entries), on every backend;
beyond the bound the host's change refuses, naming the scope, the count and the
setting. Expectations by hand."""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.webroot.enterprise.plugins.plugin_utils import backends
from ansible_collections.webroot.enterprise.plugins.plugin_utils import fw_firewalld
from ansible_collections.webroot.enterprise.plugins.plugin_utils import fw_windows
from ansible_collections.webroot.enterprise.plugins.plugin_utils import rules as rules_lib

WS = ["ws%02d" % i for i in range(1, 11)]
# Ten workstations at .31, .33, ... .49 (never adjacent: one entry each).
ADDR = dict((w, "198.18.120.%d" % (29 + 2 * i)) for i, w in enumerate(WS, 1))
HV = dict((w, {"webroot_address": a}) for w, a in ADDR.items())
HV.update({"d1": {"webroot_address": "198.18.120.11"}, "s1": {"webroot_address": "198.18.120.21"},
           "u1": {"webroot_address": "198.18.120.41"}})


def groups(clients):
    return {"webroot_distributors": ["d1"], "webroot_servers": ["s1"], "webroot_clients": list(clients),
            "webroot_update_endpoints": ["u1"]}


def plan(clients, **kw):
    s = {"state": "present", "port": None, "peers": [], "any_peer": False, "strict": False}
    s.update(kw)
    return rules_lib.host_plan("client_service", "s1", groups(clients), HV, s)


MARK = "webroot.enterprise client_service 50000/tcp in"
SET = "webroot-client-service-v4"
NAME = "Webroot Enterprise - Client Service (TCP 50000 in)"
ALL = [ADDR[w] for w in WS]


def reads():
    """Each backend's read of the company server after the first run (all ten admitted)."""
    both = {"services": [], "rich_rules": [
        'rule family="ipv4" source ipset="%s" service name="webroot-client-service" accept' % SET]}
    return {
        "iptables": {"iptables": {"ipv4": [{"chain": "INPUT", "protocol": "tcp", "dport": 50000, "jump": "ACCEPT",
                                            "match_set": SET, "match_set_flags": "src", "comment": MARK}]},
                     "ipsets": {SET: {"type": "hash:net", "family": "ipv4", "entries": ALL}}},
        "firewalld": {"firewalld": {"default_zone": "public", "zones": {"public": {"permanent": both, "runtime": both}},
                                    "services": {"webroot-client-service": {"ports": ["50000/tcp"]}},
                                    "ipsets": {SET: {"entries": ALL}}, "runtime_ipsets": {SET: {"entries": ALL}}}},
        "ufw": {"ufw": [{"action": "allow", "direction": "in", "protocol": "tcp", "port": 50000, "from": a,
                         "to": "any", "comment": MARK} for a in ALL]},
    }


def ops(backend, p):
    if backend == "windows":
        read = {"Rules": [{"Name": NAME, "Grouping": "Webroot Enterprise", "Action": 1, "Direction": 1,
                           "RemoteAddresses": ",".join(a + "/255.255.255.255" for a in ALL)}]}
        return fw_windows.windows_ops(p, read, "client_service", lambda c: {"remoteip": c["remoteip"]},
                                      lambda a, r: ["remoteip"])
    found = backends.ours(backend, reads()[backend])
    if backend == "firewalld":
        return fw_firewalld.ops(p, found, zone="public")
    return backends.UNITS[backend].ops(p, found)


BACKENDS = ("iptables", "firewalld", "ufw", "windows")


@pytest.mark.parametrize("backend", BACKENDS)
def test_an_inventory_that_lost_half_its_workstations_refuses(backend):
    assert not ops(backend, plan(WS))["changed"] or backend == "windows"   # the first run's state
    with pytest.raises(rules_lib.RuleError) as err:
        ops(backend, plan(WS[:5]))
    assert str(err.value) == (
        "client_service in 50000/tcp: this run would remove 5 of the 10 addresses or networks the rule admits "
        "from its scope (webroot_clients: 198.18.120.41/32, 198.18.120.43/32, 198.18.120.45/32, "
        "198.18.120.47/32, 198.18.120.49/32), more than webroot_max_removed_share=20% allows at once (2). An "
        "inventory can shrink by accident (an Active Directory sync cut short, an AWX job slice, one site's "
        "inventory), so nothing was changed on this host. If the removal is planned, run again with a higher "
        "webroot_max_removed_share (e.g. -e webroot_max_removed_share=100).")


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_planned_clean_up_goes_through_with_the_share_raised(backend):
    result = ops(backend, plan(WS[:5], max_removed_share=50))
    assert result["changed"]
    if backend == "iptables" or backend == "firewalld":
        assert result["sets"][0]["entries"] == ["198.18.120.31/32", "198.18.120.33/32", "198.18.120.35/32",
                                                "198.18.120.37/32", "198.18.120.39/32"]
    elif backend == "ufw":
        assert sorted(r["peer"] for r in result["remove"]) == [
            "198.18.120.41/32", "198.18.120.43/32", "198.18.120.45/32", "198.18.120.47/32", "198.18.120.49/32"]
    else:
        assert [c["remoteip"] for c in result["chunks"]] == [
            "198.18.120.31/32,198.18.120.33/32,198.18.120.35/32,198.18.120.37/32,198.18.120.39/32"]


@pytest.mark.parametrize("backend", BACKENDS)
def test_two_workstations_retired_at_once_go_by_default(backend):
    assert ops(backend, plan(WS[:8]))["changed"]


def test_explicit_sources_and_client_networks_are_the_users_say():
    # The scope is no longer derived from the inventory: no bound.
    assert ops("iptables", plan(WS, peers=["198.18.121.0/24"]))["changed"]
    assert ops("iptables", plan(WS, client_networks=["198.18.121.0/24"]))["changed"]


@pytest.mark.parametrize("value", [-1, 101, "many", None, True])
def test_the_share_is_a_percentage(value):
    with pytest.raises(rules_lib.RuleError, match="webroot_max_removed_share must be a percentage from 0 to 100"):
        plan(WS, max_removed_share=value)

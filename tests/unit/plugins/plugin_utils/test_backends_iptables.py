# -*- coding: utf-8 -*-
# Copyright: (c) 2026, webroot.enterprise contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""iptables hosts and the boot: what the read says about netfilter-persistent and a
pending save (fwread.read_boot), and what saving for boot means there
(fw_iptables.iptables_boot). Expectations written by hand; the lab proof is
tests/integration/test_boot_restore.py."""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import fnmatch

import pytest

from ansible_collections.webroot.enterprise.plugins.plugin_utils import backends
from ansible_collections.webroot.enterprise.plugins.plugin_utils import fw_iptables
from ansible_collections.webroot.enterprise.plugins.plugin_utils import fw_ufw
from ansible_collections.webroot.enterprise.plugins.module_utils import fwread

DEFAULT_PATHS = {"ipv4": "/etc/iptables/rules.v4", "ipv6": "/etc/iptables/rules.v6", "ipset": "/etc/iptables/ipsets"}
PLUGINS = "/usr/share/netfilter-persistent/plugins.d/"
# As Debian's packages install them: netfilter-persistent alone has none,
# iptables-persistent adds 15-ip4tables and 25-ip6tables, ipset-persistent 10-ipset
# (restore) and 40-ipset (destroy on flush).
IPTABLES_PERSISTENT = ["15-ip4tables", "25-ip6tables"]
WITH_IPSET = ["10-ipset", "15-ip4tables", "25-ip6tables", "40-ipset"]


class Host(object):
    def __init__(self, files=()):
        self.files = list(files)

    def glob(self, pattern):
        return [f for f in self.files if fnmatch.fnmatch(f, pattern)]


def test_read_boot_lists_the_plugins_in_run_order_and_the_pending_note():
    host = Host([PLUGINS + "40-ipset", PLUGINS + "15-ip4tables", PLUGINS + "10-ipset", PLUGINS + "25-ip6tables",
                 "/var/lib/webroot-enterprise/iptables-save-pending"])
    assert fwread.read_boot(host) == {"plugins": WITH_IPSET, "save_pending": True}
    assert fwread.read_boot(Host()) == {"plugins": [], "save_pending": False}


def test_ours_keeps_the_boot_read():
    found = backends.ours("iptables", {"iptables": {"ipv4": [], "ipv6": []}, "ipsets": {},
                                       "boot": {"plugins": ["10-ipset"], "save_pending": True}})
    assert found["_boot"] == {"plugins": ["10-ipset"], "save_pending": True}
    assert backends.ours("iptables", {})["_boot"] == {}


def test_boot_with_ipset_persistent_is_fine():
    assert fw_iptables.iptables_boot({"plugins": WITH_IPSET}, DEFAULT_PATHS) == {"refuse": None, "warn": None}


def test_boot_with_iptables_persistent_alone_is_refused_naming_the_package():
    got = fw_iptables.iptables_boot({"plugins": IPTABLES_PERSISTENT}, DEFAULT_PATHS)
    assert got["warn"] is None
    assert got["refuse"].startswith(
        "this host restores its firewall at boot with netfilter-persistent (15-ip4tables, 25-ip6tables from "
        "/etc/iptables/rules.v4 and /etc/iptables/rules.v6), but nothing restores the ipsets of "
        "webroot.enterprise before it: ipset-persistent is not installed (no ipset plugin runs before "
        "15-ip4tables).")
    assert "Nothing was changed on this host. Install ipset-persistent" in got["refuse"]
    # An ipset plugin that runs after the rules does not count.
    assert fw_iptables.iptables_boot({"plugins": ["15-ip4tables", "50-ipset"]}, DEFAULT_PATHS)["refuse"]


def test_boot_ipset_plugin_reads_another_file_than_ours():
    paths = dict(DEFAULT_PATHS, ipset="/srv/ipsets")
    got = fw_iptables.iptables_boot({"plugins": WITH_IPSET}, paths)
    assert "webroot_ipset_save_path is /srv/ipsets, but the ipset plugin (ipset-persistent) restores " \
           "/etc/iptables/ipsets" in got["refuse"]


@pytest.mark.parametrize("paths", [
    {"ipv4": None, "ipv6": None, "ipset": None},                      # nothing saved
    {"ipv4": "/srv/rules.v4", "ipv6": "/srv/rules.v6", "ipset": "/srv/ipsets"},  # not what the boot reads
    {"ipv4": None, "ipv6": None, "ipset": "/etc/iptables/ipsets"},   # the sets only
])
def test_boot_not_refused_when_the_boot_does_not_read_our_rules(paths):
    assert fw_iptables.iptables_boot({"plugins": IPTABLES_PERSISTENT}, paths)["refuse"] is None


def test_boot_without_netfilter_persistent_warns_when_saving():
    got = fw_iptables.iptables_boot({"plugins": []}, DEFAULT_PATHS)
    assert got["refuse"] is None
    assert got["warn"].startswith(
        "nothing restores the firewall at boot through netfilter-persistent (iptables-persistent and "
        "ipset-persistent are not installed): the rules were saved to /etc/iptables/rules.v4 and "
        "/etc/iptables/rules.v6 and the ipsets to /etc/iptables/ipsets")
    assert fw_iptables.iptables_boot({"plugins": []}, {"ipv4": None, "ipv6": None, "ipset": None}) == {
        "refuse": None, "warn": None}
    # ipset-persistent alone restores the sets, not the rules: still nothing of the rules at boot.
    assert fw_iptables.iptables_boot({"plugins": ["10-ipset", "40-ipset"]}, DEFAULT_PATHS)["warn"]


# --- a rule with our marker and a match we never write is foreign -----------------

CS = "webroot.enterprise client_service 50000/tcp in"


@pytest.mark.parametrize("line", [
    # ours: exactly what ansible.builtin.iptables writes for us
    '-A INPUT -p tcp -m tcp --dport 50000 -m set --match-set webroot-client-service-v4 src '
    '-m comment --comment "%s" -j ACCEPT' % CS,
    '-A INPUT -s 198.18.10.21/32 -p tcp -m tcp --dport 50000 -m comment --comment "%s" -j ACCEPT' % CS,
])
def test_iptables_our_exact_rules_are_ours(line):
    found = backends.ours("iptables", {"iptables": {"ipv4": fwread.parse_iptables_rules(line)}})
    assert len(found["client_service"]["rules"]) == 1


@pytest.mark.parametrize("line", [
    '-A INPUT -i eth1 -p tcp -m tcp --dport 50000 -m comment --comment "%s" -j ACCEPT' % CS,
    '-A INPUT -p tcp -m tcp --dport 50000 -m conntrack --ctstate NEW -m comment --comment "%s" -j ACCEPT' % CS,
    '-A INPUT -p tcp -m tcp --sport 1024 --dport 50000 -m comment --comment "%s" -j ACCEPT' % CS,
    '-A INPUT -p tcp -m tcp --dport 50000 -m limit --limit 5/min -m comment --comment "%s" -j ACCEPT' % CS,
    '-A INPUT -d 198.18.10.31/32 -p tcp -m tcp --dport 50000 -m comment --comment "%s" -j ACCEPT' % CS,
    '-A INPUT -s 198.18.10.21/32 -p tcp -m tcp --dport 50000 -m set --match-set webroot-client-service-v4 src '
    '-m comment --comment "%s" -j ACCEPT' % CS,
])
def test_iptables_extra_match_rules_are_foreign(line):
    rules = fwread.parse_iptables_rules(line)
    assert len(rules) == 1                      # read (it carries our marker)...
    found = backends.ours("iptables", {"iptables": {"ipv4": rules}})
    assert found["client_service"]["rules"] == []   # ...but not ours: never reported, changed or removed
    p = {"component": "client_service", "port": 50000, "protocol": "tcp", "rules": [{
        "direction": "in", "port": 50000, "protocol": "tcp", "any_peer": False, "peers": ["198.18.10.21/32"],
        "comment": CS}]}
    ops = fw_iptables.ops(p, found)
    assert ops["remove"] == [] and len(ops["add"]) == 1
    assert backends.found_plan("iptables", found)["client_service"]["rules"] == []


UFW_CS = "'webroot.enterprise client_service 50000/tcp in'"


@pytest.mark.parametrize("line,ours", [
    ("ufw allow from 198.18.10.21 to any port 50000 proto tcp comment %s" % UFW_CS, True),
    ("ufw allow in on eth1 from 198.18.10.21 to any port 50000 proto tcp comment %s" % UFW_CS, False),
    ("ufw allow from 198.18.10.21 port 1024 to any port 50000 proto tcp comment %s" % UFW_CS, False),
    ("ufw allow from 198.18.10.21 to 198.18.10.31 port 50000 proto tcp comment %s" % UFW_CS, False),
])
def test_ufw_extra_match_rules_are_foreign(line, ours):
    found = backends.ours("ufw", {"ufw": fwread.parse_ufw_added(line)})
    assert len(found["client_service"]["rules"]) == (1 if ours else 0)


# --- nomatch entries: the admin's exceptions in our sets ---------------------------

def test_nomatch_entries_are_read_apart_and_kept():
    text = ("create webroot-client-service-v4 hash:net family inet hashsize 1024 maxelem 65536\n"
            "add webroot-client-service-v4 198.18.10.0/24\n"
            "add webroot-client-service-v4 198.18.10.5 nomatch\n")
    sets = fwread.parse_ipset_save(text)
    assert sets == {"webroot-client-service-v4": {"type": "hash:net", "family": "ipv4",
                                                  "entries": ["198.18.10.0/24"], "nomatch": ["198.18.10.5"]}}
    line = ('-A INPUT -p tcp -m tcp --dport 50000 -m set --match-set webroot-client-service-v4 src '
            '-m comment --comment "%s" -j ACCEPT' % CS)
    found = backends.ours("iptables", {"iptables": {"ipv4": fwread.parse_iptables_rules(line)}, "ipsets": sets})
    p = {"component": "client_service", "port": 50000, "protocol": "tcp", "rules": [{
        "direction": "in", "port": 50000, "protocol": "tcp", "any_peer": False, "peers": ["198.18.10.0/24"],
        "comment": CS}]}
    assert not fw_iptables.ops(p, found)["changed"]      # the exception is not a stale entry
    # Wanting the excepted address itself: the exception stays (nothing to do).
    p["rules"][0]["peers"] = ["198.18.10.0/24", "198.18.10.5/32"]
    assert not fw_iptables.ops(p, found)["changed"]


# --- a peer's DROP further down the chain applies to our port too ------------------

ORDER_S = """\
-P INPUT DROP
-P FORWARD ACCEPT
-P OUTPUT ACCEPT
-N f2b-sshd
-N ADMIN-LOG
-A INPUT -i lo -j ACCEPT
-A INPUT -p tcp -m tcp --dport 22 -j ACCEPT
-A INPUT -s 198.18.10.97/32 -p tcp -m tcp --dport 50003 -j DROP
-A INPUT -p tcp -m multiport --dports 22,50000:50002 -j f2b-sshd
-A INPUT -s 198.18.10.96/32 -p udp -m udp --dport 50000 -j REJECT --reject-with icmp-port-unreachable
-A INPUT -m set --match-set acme-blocklist src -j DROP
-A INPUT -p tcp -m tcp --dport 50001 -j DROP
-A INPUT -j ADMIN-LOG
-A INPUT -j REJECT --reject-with icmp-host-prohibited
-A OUTPUT -d 198.18.10.95/32 -j REJECT --reject-with icmp-port-unreachable
-A f2b-sshd -s 203.0.113.9/32 -j REJECT --reject-with icmp-port-unreachable
-A f2b-sshd -j RETURN
-A ADMIN-LOG -j LOG
"""


def test_iptables_order_finds_the_rules_that_may_drop_one_peer():
    order = fwread.iptables_order(ORDER_S)
    lines = ORDER_S.splitlines()
    assert order["INPUT"] == [
        {"index": 3, "protocol": "tcp", "ports": [[50003, 50003]], "line": lines[7]},
        # a jump to a chain that rejects an address (fail2ban), for its own ports
        {"index": 4, "protocol": "tcp", "ports": [[22, 22], [50000, 50002]], "line": lines[8]},
        {"index": 5, "protocol": "udp", "ports": [[50000, 50000]], "line": lines[9]},
        {"index": 6, "protocol": None, "ports": None, "line": lines[10]},
        # not: the port closed for everyone (index 7), the LOG chain (8), the catch-all REJECT (9)
    ]
    assert order["OUTPUT"] == [{"index": 1, "protocol": None, "ports": None, "line": lines[14]}]
    assert order["index"][lines[12]] == 8


def ours(port, chain="INPUT", family="ipv4", direction="in"):
    return {"component": "x", "family": family, "chain": chain, "direction": direction, "protocol": "tcp",
            "port": port, "match_set": "webroot-x-v4", "peer": None, "comment": "c"}


def test_insert_position_is_after_the_last_rule_that_may_drop_a_peer_of_ours():
    order = fwread.iptables_order(ORDER_S)
    order.pop("index")
    found = {"_denies": {"ipv4": order}}
    assert fw_iptables.insert_position(found, ours(50000)) == 7   # after the blocklist set (6), before the rest
    assert fw_iptables.insert_position(found, ours(50003)) == 7
    assert fw_iptables.insert_position(found, ours(443, "OUTPUT", direction="out")) == 2
    assert fw_iptables.insert_position({"_denies": {"ipv4": {"INPUT": [
        {"index": 3, "protocol": "udp", "ports": None, "line": "-A INPUT -s 1.2.3.4 -p udp -j DROP"}]}}},
        ours(50000)) == 1                                 # another protocol: the top
    assert fw_iptables.insert_position({}, ours(50000)) == 1
    assert fw_iptables.insert_position(found, ours(50000, family="ipv6")) == 1


def test_our_rule_ahead_of_a_peers_drop_is_moved_after_it():
    line = ('-A INPUT -p tcp -m tcp --dport 50000 -m set --match-set webroot-client-service-v4 src '
            '-m comment --comment "%s" -j ACCEPT' % CS)
    text = "-P INPUT DROP\n%s\n-A INPUT -s 198.18.10.21/32 -p tcp -m tcp --dport 50000 -j DROP\n" % line
    read = {"iptables": {"ipv4": fwread.parse_iptables_rules(text), "denies": {"ipv4": fwread.iptables_order(text)}},
            "ipsets": {"webroot-client-service-v4": {"type": "hash:net", "family": "ipv4",
                                                     "entries": ["198.18.10.21"]}}}
    read["iptables"]["ipv4"][0]["index"] = 1
    found = backends.ours("iptables", read)
    p = {"component": "client_service", "port": 50000, "protocol": "tcp", "rules": [{
        "direction": "in", "port": 50000, "protocol": "tcp", "any_peer": False, "peers": ["198.18.10.21/32"],
        "comment": CS}]}
    ops = fw_iptables.ops(p, found)
    assert ops["changed"] and ops["add"] == [] and ops["remove"] == []
    assert [r["index"] for r in ops["move"]] == [1]
    assert ops["diff"]["after"][-1] == (
        "ipv4 INPUT 50000/tcp from set webroot-client-service-v4: after "
        "'-A INPUT -s 198.18.10.21/32 -p tcp -m tcp --dport 50000 -j DROP'")
    # Once after it: nothing to do.
    read["iptables"]["ipv4"][0]["index"] = 2
    read["iptables"]["denies"]["ipv4"]["INPUT"][0]["index"] = 1
    assert not fw_iptables.ops(p, backends.ours("iptables", read))["changed"]


UFW_NUMBERED = """\
Status: active

     To                         Action      From
     --                         ------      ----
[ 1] 22/tcp                     ALLOW IN    Anywhere
[ 2] 50002/tcp                  DENY IN     198.18.100.97              # x
[ 3] Anywhere on eth1           ALLOW FWD   Anywhere on eth0
[ 4] 50000/tcp                  ALLOW IN    198.18.100.21              # y
[ 5] 198.18.100.95 443/tcp      DENY OUT    Anywhere                   (out)
[ 6] Anywhere                   DENY IN     198.18.100.7
[ 7] 50001/tcp                  DENY IN     Anywhere
[ 8] 22/tcp (v6)                ALLOW IN    Anywhere (v6)
[ 9] 50000/tcp                  REJECT IN   2001:2::5
"""


def test_ufw_denies_of_one_peer_and_where_ours_go():
    denies = fwread.parse_ufw_denies(UFW_NUMBERED)
    lines = UFW_NUMBERED.splitlines()
    assert denies == [
        {"index": 2, "family": "ipv4", "direction": "in", "protocol": "tcp", "ports": [[50002, 50002]],
         "line": lines[5].strip()},
        {"index": 5, "family": "ipv4", "direction": "out", "protocol": "tcp", "ports": [[443, 443]],
         "line": lines[8].strip()},
        {"index": 6, "family": "ipv4", "direction": "in", "protocol": None, "ports": None, "line": lines[9].strip()},
        {"index": 9, "family": "ipv6", "direction": "in", "protocol": "tcp", "ports": [[50000, 50000]],
         "line": lines[12].strip()},
    ]   # not the port closed for everyone (7)
    found = backends.ours("ufw", {"ufw": [], "denies": denies})

    def rule(port, family="ipv4", direction="in"):
        return {"family": family, "direction": direction, "protocol": "tcp", "port": port}
    assert fw_ufw.insert_position(found, rule(50002)) == 7
    assert fw_ufw.insert_position(found, rule(443, direction="out")) == 6
    assert fw_ufw.insert_position(found, rule(50000, "ipv6")) == 10
    assert fw_ufw.insert_position(backends.ours("ufw", {"ufw": []}), rule(50002)) is None
    assert fwread.ufw_last_numbers(UFW_NUMBERED) == {"ipv4": 7, "ipv6": 9}


UFW_ADDED = "ufw allow from 198.18.10.21 to any port 50000 proto tcp comment '%s'\n" % CS
UFW_OURS_AHEAD = """\
Status: active

     To                         Action      From
     --                         ------      ----
[ 1] 22/tcp                     ALLOW IN    Anywhere
[ 2] 50000/tcp                  ALLOW IN    198.18.10.21               # %s
[ 3] 50000/tcp                  DENY IN     198.18.10.20/31            # acme: later
""" % CS
UFW_OURS_AFTER = """\
Status: active

     To                         Action      From
     --                         ------      ----
[ 1] 22/tcp                     ALLOW IN    Anywhere
[ 2] 50000/tcp                  DENY IN     198.18.10.20/31            # acme: later
[ 3] 50000/tcp                  ALLOW IN    198.18.10.21               # %s
""" % CS


def test_ufw_allow_of_ours_ahead_of_a_later_deny_is_moved_after_it():
    p = {"component": "client_service", "port": 50000, "protocol": "tcp", "rules": [{
        "direction": "in", "port": 50000, "protocol": "tcp", "any_peer": False, "peers": ["198.18.10.21/32"],
        "comment": CS}]}

    def read(numbered):
        return {"ufw": fwread.parse_ufw_added(UFW_ADDED), "denies": fwread.parse_ufw_denies(numbered),
                "allows": fwread.parse_ufw_allows(numbered)}
    assert fwread.parse_ufw_allows(UFW_OURS_AHEAD) == [
        {"index": 2, "direction": "in", "peer": "198.18.10.21", "comment": CS}]
    ops = fw_ufw.ops(p, backends.ours("ufw", read(UFW_OURS_AHEAD)))
    assert ops["changed"] and ops["add"] == [] and ops["remove"] == []
    assert [(r["peer"], r["index"]) for r in ops["move"]] == [("198.18.10.21/32", 2)]
    assert ops["diff"]["after"][-1] == (
        "allow in 50000/tcp from 198.18.10.21/32: after "
        "'[ 3] 50000/tcp                  DENY IN     198.18.10.20/31            # acme: later'")
    # Once after it (the idempotent twin): nothing to do.
    again = fw_ufw.ops(p, backends.ours("ufw", read(UFW_OURS_AFTER)))
    assert not again["changed"] and again["move"] == []

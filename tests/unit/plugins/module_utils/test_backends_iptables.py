# -*- coding: utf-8 -*-
# Copyright: (c) 2026, webroot.enterprise contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""iptables hosts and the boot: what the read says about netfilter-persistent and a
pending save (fwread.read_boot), and what saving for boot means there
(backends.iptables_boot). Expectations written by hand; the lab proof is
tests/integration/test_boot_restore.py."""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import fnmatch

import pytest

from ansible_collections.webroot.enterprise.plugins.module_utils import backends as B
from ansible_collections.webroot.enterprise.plugins.module_utils import fwread as F

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
    assert F.read_boot(host) == {"plugins": WITH_IPSET, "save_pending": True}
    assert F.read_boot(Host()) == {"plugins": [], "save_pending": False}


def test_ours_keeps_the_boot_read():
    found = B.ours("iptables", {"iptables": {"ipv4": [], "ipv6": []}, "ipsets": {},
                                "boot": {"plugins": ["10-ipset"], "save_pending": True}})
    assert found["_boot"] == {"plugins": ["10-ipset"], "save_pending": True}
    assert B.ours("iptables", {})["_boot"] == {}


def test_boot_with_ipset_persistent_is_fine():
    assert B.iptables_boot({"plugins": WITH_IPSET}, DEFAULT_PATHS) == {"refuse": None, "warn": None}


def test_boot_with_iptables_persistent_alone_is_refused_naming_the_package():
    got = B.iptables_boot({"plugins": IPTABLES_PERSISTENT}, DEFAULT_PATHS)
    assert got["warn"] is None
    assert got["refuse"].startswith(
        "this host restores its firewall at boot with netfilter-persistent (15-ip4tables, 25-ip6tables from "
        "/etc/iptables/rules.v4 and /etc/iptables/rules.v6), but nothing restores the ipsets of "
        "webroot.enterprise before it: ipset-persistent is not installed (no ipset plugin runs before "
        "15-ip4tables).")
    assert "Nothing was changed on this host. Install ipset-persistent" in got["refuse"]
    # An ipset plugin that runs after the rules does not count.
    assert B.iptables_boot({"plugins": ["15-ip4tables", "50-ipset"]}, DEFAULT_PATHS)["refuse"]


def test_boot_ipset_plugin_reads_another_file_than_ours():
    paths = dict(DEFAULT_PATHS, ipset="/srv/ipsets")
    got = B.iptables_boot({"plugins": WITH_IPSET}, paths)
    assert "webroot_ipset_save_path is /srv/ipsets, but the ipset plugin (ipset-persistent) restores " \
           "/etc/iptables/ipsets" in got["refuse"]


@pytest.mark.parametrize("paths", [
    {"ipv4": None, "ipv6": None, "ipset": None},                      # nothing saved
    {"ipv4": "/srv/rules.v4", "ipv6": "/srv/rules.v6", "ipset": "/srv/ipsets"},  # not what the boot reads
    {"ipv4": None, "ipv6": None, "ipset": "/etc/iptables/ipsets"},   # the sets only
])
def test_boot_not_refused_when_the_boot_does_not_read_our_rules(paths):
    assert B.iptables_boot({"plugins": IPTABLES_PERSISTENT}, paths)["refuse"] is None


def test_boot_without_netfilter_persistent_warns_when_saving():
    got = B.iptables_boot({"plugins": []}, DEFAULT_PATHS)
    assert got["refuse"] is None
    assert got["warn"].startswith(
        "nothing restores the firewall at boot through netfilter-persistent (iptables-persistent and "
        "ipset-persistent are not installed): the rules were saved to /etc/iptables/rules.v4 and "
        "/etc/iptables/rules.v6 and the ipsets to /etc/iptables/ipsets")
    assert B.iptables_boot({"plugins": []}, {"ipv4": None, "ipv6": None, "ipset": None}) == {
        "refuse": None, "warn": None}
    # ipset-persistent alone restores the sets, not the rules: still nothing of the rules at boot.
    assert B.iptables_boot({"plugins": ["10-ipset", "40-ipset"]}, DEFAULT_PATHS)["warn"]


# --- a rule with our marker and a match we never write is foreign -----------------

CS = "webroot.enterprise client_service 50000/tcp in"


@pytest.mark.parametrize("line", [
    # ours: exactly what ansible.builtin.iptables writes for us
    '-A INPUT -p tcp -m tcp --dport 50000 -m set --match-set webroot-client-service-v4 src '
    '-m comment --comment "%s" -j ACCEPT' % CS,
    '-A INPUT -s 198.18.10.21/32 -p tcp -m tcp --dport 50000 -m comment --comment "%s" -j ACCEPT' % CS,
])
def test_iptables_our_exact_rules_are_ours(line):
    found = B.ours("iptables", {"iptables": {"ipv4": F.parse_iptables_rules(line)}})
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
    rules = F.parse_iptables_rules(line)
    assert len(rules) == 1                      # read (it carries our marker)...
    found = B.ours("iptables", {"iptables": {"ipv4": rules}})
    assert found["client_service"]["rules"] == []   # ...but not ours: never reported, changed or removed
    p = {"component": "client_service", "port": 50000, "protocol": "tcp", "rules": [{
        "direction": "in", "port": 50000, "protocol": "tcp", "any_peer": False, "peers": ["198.18.10.21/32"],
        "comment": CS}]}
    ops = B.ops("iptables", p, found)
    assert ops["remove"] == [] and len(ops["add"]) == 1
    assert B.found_plan("iptables", found)["client_service"]["rules"] == []


UFW_CS = "'webroot.enterprise client_service 50000/tcp in'"


@pytest.mark.parametrize("line,ours", [
    ("ufw allow from 198.18.10.21 to any port 50000 proto tcp comment %s" % UFW_CS, True),
    ("ufw allow in on eth1 from 198.18.10.21 to any port 50000 proto tcp comment %s" % UFW_CS, False),
    ("ufw allow from 198.18.10.21 port 1024 to any port 50000 proto tcp comment %s" % UFW_CS, False),
    ("ufw allow from 198.18.10.21 to 198.18.10.31 port 50000 proto tcp comment %s" % UFW_CS, False),
])
def test_ufw_extra_match_rules_are_foreign(line, ours):
    found = B.ours("ufw", {"ufw": F.parse_ufw_added(line)})
    assert len(found["client_service"]["rules"]) == (1 if ours else 0)


# --- nomatch entries: the admin's exceptions in our sets ---------------------------

def test_nomatch_entries_are_read_apart_and_kept():
    text = ("create webroot-client-service-v4 hash:net family inet hashsize 1024 maxelem 65536\n"
            "add webroot-client-service-v4 198.18.10.0/24\n"
            "add webroot-client-service-v4 198.18.10.5 nomatch\n")
    sets = F.parse_ipset_save(text)
    assert sets == {"webroot-client-service-v4": {"type": "hash:net", "family": "ipv4",
                                                  "entries": ["198.18.10.0/24"], "nomatch": ["198.18.10.5"]}}
    line = ('-A INPUT -p tcp -m tcp --dport 50000 -m set --match-set webroot-client-service-v4 src '
            '-m comment --comment "%s" -j ACCEPT' % CS)
    found = B.ours("iptables", {"iptables": {"ipv4": F.parse_iptables_rules(line)}, "ipsets": sets})
    p = {"component": "client_service", "port": 50000, "protocol": "tcp", "rules": [{
        "direction": "in", "port": 50000, "protocol": "tcp", "any_peer": False, "peers": ["198.18.10.0/24"],
        "comment": CS}]}
    assert not B.ops("iptables", p, found)["changed"]      # the exception is not a stale entry
    # Wanting the excepted address itself: the exception stays (nothing to do).
    p["rules"][0]["peers"] = ["198.18.10.0/24", "198.18.10.5/32"]
    assert not B.ops("iptables", p, found)["changed"]

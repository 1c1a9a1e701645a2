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

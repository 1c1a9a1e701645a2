# -*- coding: utf-8 -*-
# Copyright: (c) 2026, webroot.enterprise contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""firewalld_reload: reload, then the runtime set back as it was (issue 25).

A fake firewalld whose reload does what firewalld's does (the runtime rebuilt from
the permanent configuration: runtime-only settings dropped, pending permanent ones
brought in); the expectations are written by hand. The real firewalld:
tests/integration/test_firewalld_fail2ban.py.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy

import pytest

from ansible_collections.webroot.enterprise.plugins.module_utils import fwdreload

BAN = 'rule family="ipv4" source address="198.18.110.99" port port="ssh" protocol="tcp" reject'
OURS = 'rule family="ipv4" source ipset="webroot-sweep-now-v4" service name="webroot-sweep-now" accept'


class Settings(object):
    def __init__(self, settings):
        self.settings = dict(settings)

    def getSettingsDict(self):
        return dict(self.settings)


class Config(object):
    def __init__(self, fw):
        self.fw = fw

    def getZoneNames(self):
        return sorted(self.fw.permanent)

    def getPolicyNames(self):
        return sorted(self.fw.permanent_policies)


class FakeFirewalld(object):
    def __init__(self):
        zone = {"services": ["ssh"], "ports": [("22", "tcp")], "rules_str": [], "interfaces": [],
                "sources": [], "masquerade": False}
        self.permanent = {"public": dict(zone), "trusted": dict(zone, services=[], ports=[])}
        self.permanent_policies = {}
        self.permanent_sets = {"blocklist": ["203.0.113.9"], "webroot-sweep-now-v4": ["198.18.110.21/32"]}
        self.reloads = 0
        self.reload()
        self.reloads = 0

    def reload(self):
        self.runtime = copy.deepcopy(self.permanent)
        self.runtime_sets = copy.deepcopy(self.permanent_sets)
        self.passthroughs = []
        self.reloads += 1

    def config(self):
        return Config(self)

    def getZones(self):
        return sorted(self.runtime)

    def getZoneSettings(self, zone):
        return Settings(self.runtime[zone])

    def setZoneSettings(self, zone, settings):
        self.runtime[zone] = dict(settings.settings)

    def getPolicies(self):
        return []

    def getIPSets(self):
        return sorted(self.runtime_sets)

    def getEntries(self, name):
        return list(self.runtime_sets[name])

    def setEntries(self, name, entries):
        self.runtime_sets[name] = list(entries)

    def getDefaultZone(self):
        return "public"

    def getAllChains(self):
        return []

    def getAllRules(self):
        return []

    def getAllPassthroughs(self):
        return list(self.passthroughs)

    def addPassthrough(self, ipv, args):
        self.passthroughs.append((ipv, list(args)))


def reload_and_restore(fw):
    snap = fwdreload.snapshot(fw)
    fw.reload()
    return fwdreload.restore(fw, snap, settings_of=lambda kind: Settings)


def test_runtime_only_settings_are_in_force_again_after_the_reload():
    fw = FakeFirewalld()
    # fail2ban's ban, a port opened by hand, podman's bridge, a runtime ipset entry, a passthrough.
    fw.runtime["public"]["rules_str"] = [BAN]
    fw.runtime["public"]["ports"] = [("22", "tcp"), ("2222", "tcp")]
    fw.runtime["trusted"]["interfaces"] = ["cni-podman0"]
    fw.runtime_sets["blocklist"] = ["203.0.113.9", "198.51.100.7"]
    fw.passthroughs = [("ipv4", ["-I", "FORWARD", "-j", "NETAVARK_FORWARD"])]
    # A pending permanent port, and our new ipset (the reason for the reload).
    fw.permanent["public"]["ports"] = [("22", "tcp"), ("8080", "tcp")]
    fw.permanent["public"]["rules_str"] = [OURS]
    fw.permanent_sets["webroot-sweep-now-v4"] = ["198.18.110.21/32", "198.18.110.22/32"]
    restored, problems = reload_and_restore(fw)
    assert problems == []
    assert fw.reloads == 1
    assert sorted(restored) == ["direct passthrough ipv4 ('-I', 'FORWARD', '-j', 'NETAVARK_FORWARD')",
                                "ipset blocklist", "zone public", "zone trusted"]
    # Ours as the permanent configuration has it (loaded by the reload), never from the snapshot.
    assert sorted(fw.runtime["public"]["rules_str"]) == sorted([BAN, OURS])
    assert sorted(fw.runtime["public"]["ports"]) == [("22", "tcp"), ("2222", "tcp")]   # 8080 stays pending
    assert fw.runtime["trusted"]["interfaces"] == ["cni-podman0"]
    assert sorted(fw.runtime_sets["blocklist"]) == ["198.51.100.7", "203.0.113.9"]
    # Ours from the permanent configuration, never from the snapshot.
    assert fw.runtime_sets["webroot-sweep-now-v4"] == ["198.18.110.21/32", "198.18.110.22/32"]
    assert fw.passthroughs == [("ipv4", ["-I", "FORWARD", "-j", "NETAVARK_FORWARD"])]


def test_a_zone_not_loaded_yet_refuses_before_the_reload():
    fw = FakeFirewalld()
    fw.permanent["lab"] = dict(fw.permanent["trusted"])
    with pytest.raises(fwdreload.ReloadRefused) as exc:
        fwdreload.reload_keeping_runtime(fw)
    assert exc.value.args[0] == ["zone lab is in the permanent configuration only (not loaded yet)"]
    assert fw.reloads == 0


def test_check_mode_reads_and_never_reloads():
    fw = FakeFirewalld()
    assert fwdreload.reload_keeping_runtime(fw, check_mode=True) == {"restored": [], "problems": []}
    assert fw.reloads == 0

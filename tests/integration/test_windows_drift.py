# -*- coding: utf-8 -*-
# Copyright: (c) 2026, webroot.enterprise contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Drift on each rule property, against the Windows Firewall SIMULATOR.

One workstation per property: after a first run, the property of that host's Sweep
Now rule is changed by hand in its rule store (as someone would in wf.msc). Then,
for all hosts at once:
  1. check mode with --diff: nothing is written, and each drifted host shows a diff;
  2. the real run with --diff: the diff of every host is the same as in check mode,
     and the property is back to what the module sets (written here by hand);
  3. a rerun: nothing changes, and the one remote call per host is the read.
The remote calls are counted from the simulator's call log, not from what the
tasks said.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import re

import pytest

from winsim import calls_by_host, read_store, run_playbook, sim, skip_without_venv, store_path, write_inventory

NAME = "Webroot Enterprise - Sweep Now (TCP 50001 in)"
SWEEP = ("Function initiated from the Admin Console that initiates a Spy Sweeper sweep of the "
         "selected client workstations.")
# property: (drifted value, the value the module sets back), written by hand from
# win_firewall_rule's options as the role passes them (group Webroot Enterprise,
# allow, tcp, localport 50001, remoteport any, localip any, remoteip the company
# server, program any, service any, profiles domain+private, enabled).
DRIFT = {
    "Description": ("changed by hand", SWEEP),
    "Direction": (2, 1),
    "LocalPorts": ("50009", "50001"),
    "RemoteAddresses": ("198.18.10.99/255.255.255.255", "198.18.10.21/255.255.255.255"),
    "Profiles": (4, 3),
    "Enabled": (False, True),
    "ApplicationName": (r"C:\Tools\other.exe", None),
    "LocalAddresses": ("10.0.0.1/255.255.255.255", "*"),
    "RemotePorts": ("80", "*"),
    "ServiceName": ("spooler", None),
    "Protocol": (17, 6),
}
HOSTS = dict(("cli%d" % (i + 1), prop) for i, prop in enumerate(sorted(DRIFT)))

# all: children: of the inventory (winsim.write_inventory writes all: vars:).
CHILDREN = """
    webroot_servers:
      hosts:
        srv1: {{webroot_address: 198.18.10.21}}
    webroot_clients:
      hosts:
{clients}
"""

PLAYBOOK = """
- name: Webroot rules on simulated Windows workstations
  hosts: webroot_clients
  gather_facts: false
  environment:
    WEBROOT_WINFW_SIMULATOR_STORE: "{{ win_store_dir }}/{{ inventory_hostname }}.json"
  roles:
    - webroot.enterprise.client_service
    - webroot.enterprise.sweep_now
    - webroot.enterprise.poll_now
"""


class Lab(object):
    def __init__(self, directory):
        self.dir = directory
        self.stores = os.path.join(directory, "stores")
        self.log = os.path.join(directory, "calls.jsonl")
        os.makedirs(self.stores)
        clients = "\n".join("        %s: {webroot_address: 198.18.10.%d}" % (h, 40 + i)
                            for i, h in enumerate(sorted(HOSTS)))
        write_inventory(os.path.join(directory, "hosts.yml"), CHILDREN.format(clients=clients))
        with open(os.path.join(directory, "play.yml"), "w") as handle:
            handle.write(PLAYBOOK)

    def store(self, host):
        return store_path(self.stores, host)

    def rule(self, host):
        (rule,) = [r for r in read_store(self.stores, host) if r["Name"] == NAME]
        return rule

    def drift(self, host, prop, value):
        rules = sim.load(self.store(host))
        for rule in rules:
            if rule["Name"] == NAME:
                rule[prop] = value
        sim.save(self.store(host), rules)

    def play(self, *args):
        proc = run_playbook(self.dir, ["-i", "hosts.yml", "play.yml", "-e", "win_store_dir=" + self.stores] + list(args),
                            log=self.log)
        return {"rc": proc.returncode, "out": proc.stdout, "diffs": diffs(proc.stdout),
                "calls": calls_by_host(self.log)}


def diffs(output):
    """{host: diff text} of the Sweep Now task, from the default callback's --diff output."""
    out = {}
    for match in re.finditer(r"^--- before: sweep_now: ours on (\S+) \(windows\)\n(.*?)(?=^(?:changed|ok): \[)",
                             output, re.M | re.S):
        out[match.group(1)] = match.group(0)
    return out


@pytest.fixture(scope="module")
def drift_runs(tmp_path_factory):
    skip_without_venv()
    lab = Lab(str(tmp_path_factory.mktemp("windrift")))
    first = lab.play()
    assert first["rc"] == 0, first["out"][-3000:]
    for host, prop in HOSTS.items():
        lab.drift(host, prop, DRIFT[prop][0])
    drifted = dict((h, lab.rule(h)) for h in HOSTS)
    check = lab.play("--check", "--diff")
    after_check = dict((h, lab.rule(h)) for h in HOSTS)
    real = lab.play("--diff")
    after_real = dict((h, lab.rule(h)) for h in HOSTS)
    rerun = lab.play()
    return {"first": first, "drifted": drifted, "check": check, "after_check": after_check,
            "real": real, "after_real": after_real, "rerun": rerun}


def test_check_mode_writes_nothing_and_shows_every_drift(drift_runs):
    check = drift_runs["check"]
    assert check["rc"] == 0, check["out"][-3000:]
    assert drift_runs["after_check"] == drift_runs["drifted"]
    for host, prop in HOSTS.items():
        assert host in check["diffs"], (host, prop, check["out"][-3000:])
    # Check mode calls nothing but the read: one call per host.
    assert dict((h, c) for h, c in check["calls"].items()) == dict((h, ["win_powershell"]) for h in HOSTS)


@pytest.mark.parametrize("prop", sorted(DRIFT))
def test_the_real_run_shows_the_same_diff_and_restores_the_property(drift_runs, prop):
    host = [h for h, p in HOSTS.items() if p == prop][0]
    real = drift_runs["real"]
    assert real["rc"] == 0, real["out"][-3000:]
    assert real["diffs"][host] == drift_runs["check"]["diffs"][host]
    if prop != "RemoteAddresses":
        assert "%s = %r" % (prop, DRIFT[prop][0]) in real["diffs"][host], real["diffs"][host]
    assert drift_runs["after_real"][host][prop] == DRIFT[prop][1]
    # The read, then one win_firewall_rule for the one rule that drifted.
    assert real["calls"][host] == ["win_powershell", "win_firewall_rule"]


def test_rerun_changes_nothing_and_only_reads(drift_runs):
    rerun = drift_runs["rerun"]
    assert rerun["rc"] == 0, rerun["out"][-3000:]
    assert re.findall(r"changed=(\d+)", rerun["out"]) and set(re.findall(r"changed=(\d+)", rerun["out"])) == {"0"}
    assert rerun["calls"] == dict((h, ["win_powershell"]) for h in HOSTS)

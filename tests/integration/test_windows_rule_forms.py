# -*- coding: utf-8 -*-
# Copyright: (c) 2026, webroot.enterprise contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Rules of ours as a real Windows host may hold them (issue 23, item 5), against the
Windows Firewall SIMULATOR.

After a first run, the Sweep Now rule of each workstation is put, in its rule store,
into one form Windows Firewall may hold (written by hand: a keyword, '*', a range, a
protocol-any rule, a narrowed interface type, edge traversal on, a null unused port
side). Then:
  1. firewall_info reads every host without an error, and reports a keyword rule as
     wider than a list of peers;
  2. the roles run: the rules that admit something else are written back to our
     scope, the ones that admit exactly our peers are left alone (no call);
  3. a rerun changes nothing and only reads.
A second estate runs with the simulator answering null for the unused port side of
a TCP rule (WEBROOT_WINFW_SIMULATOR_UNUSED_PORTS=null): its rerun changes nothing.
The remote calls are counted from the simulator's call log.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import re

import pytest

from winsim import calls_by_host, read_store, run_playbook, sim, skip_without_venv, store_path, write_inventory

NAME = "Webroot Enterprise - Sweep Now (TCP 50001 in)"
SERVER = "198.18.10.21/255.255.255.255"
# host: (properties set by hand, calls of the repair run after the read, the rule's
# properties after it), all written by hand.
FORMS = {
    "cli1": ({"RemoteAddresses": "LocalSubnet"}, ["win_firewall_rule"], {"RemoteAddresses": SERVER}),
    "cli2": ({"RemoteAddresses": "198.18.10.21-198.18.10.21"}, [],
             {"RemoteAddresses": "198.18.10.21-198.18.10.21"}),
    "cli3": ({"RemoteAddresses": "*"}, ["win_firewall_rule"], {"RemoteAddresses": SERVER}),
    "cli4": ({"Protocol": 256, "LocalPorts": None, "RemotePorts": None},
             ["win_firewall_rule", "win_firewall_rule"],
             {"Protocol": 6, "LocalPorts": "50001", "RemotePorts": "*"}),
    "cli5": ({"InterfaceTypes": "Lan"}, ["win_firewall_rule"], {"InterfaceTypes": "All"}),
    "cli6": ({"EdgeTraversal": True, "EdgeTraversalOptions": 1}, ["win_firewall_rule"],
             {"EdgeTraversal": False, "EdgeTraversalOptions": 0}),
    "cli7": ({"RemotePorts": None}, [], {"RemotePorts": None}),
    "cli8": ({"RemoteAddresses": "198.18.0.0-198.19.255.255"}, ["win_firewall_rule"],
             {"RemoteAddresses": SERVER}),
}

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

INFO = """
- name: What each workstation holds of ours
  hosts: webroot_clients
  gather_facts: false
  environment:
    WEBROOT_WINFW_SIMULATOR_STORE: "{{ win_store_dir }}/{{ inventory_hostname }}.json"
  tasks:
    - name: Read
      webroot.enterprise.firewall_info:
        backend: windows
      register: found
    - name: Keep it
      ansible.builtin.copy:
        content: "{{ found.sweep_now | to_json }}"
        dest: "{{ win_store_dir }}/{{ inventory_hostname }}.found.json"
        mode: "0600"
      delegate_to: localhost
"""


class Lab(object):
    def __init__(self, directory, hosts, extra=None):
        self.dir = directory
        self.stores = os.path.join(directory, "stores")
        self.log = os.path.join(directory, "calls.jsonl")
        self.extra = extra
        os.makedirs(self.stores)
        clients = "\n".join("        %s: {webroot_address: 198.18.10.%d}" % (h, 40 + i)
                            for i, h in enumerate(sorted(hosts)))
        write_inventory(os.path.join(directory, "hosts.yml"), CHILDREN.format(clients=clients))
        for name, text in (("play.yml", PLAYBOOK), ("info.yml", INFO)):
            with open(os.path.join(directory, name), "w") as handle:
                handle.write(text)

    def rule(self, host):
        (rule,) = [r for r in read_store(self.stores, host) if r["Name"] == NAME]
        return rule

    def hold(self, host, props):
        rules = sim.load(store_path(self.stores, host))
        for rule in rules:
            if rule["Name"] == NAME:
                rule.update(props)
        sim.save(store_path(self.stores, host), rules)

    def play(self, name="play.yml", *args):
        proc = run_playbook(self.dir, ["-i", "hosts.yml", name, "-e", "win_store_dir=" + self.stores] + list(args),
                            log=self.log, extra=self.extra)
        return {"rc": proc.returncode, "out": proc.stdout, "calls": calls_by_host(self.log),
                "changed": set(re.findall(r"changed=(\d+)", proc.stdout))}

    def found(self, host):
        with open(os.path.join(self.stores, host + ".found.json")) as handle:
            return json.load(handle)


@pytest.fixture(scope="module")
def forms(tmp_path_factory):
    skip_without_venv()
    lab = Lab(str(tmp_path_factory.mktemp("winforms")), FORMS)
    first = lab.play()
    assert first["rc"] == 0, first["out"][-3000:]
    for host, (props, _calls, _after) in FORMS.items():
        lab.hold(host, props)
    info = lab.play("info.yml")
    found = dict((h, lab.found(h)) for h in FORMS) if info["rc"] == 0 else {}
    repair = lab.play("play.yml", "--diff")
    after = dict((h, lab.rule(h)) for h in FORMS)
    rerun = lab.play()
    return {"info": info, "found": found, "repair": repair, "after": after, "rerun": rerun}


def test_every_form_is_read_without_an_error(forms):
    assert forms["info"]["rc"] == 0, forms["info"]["out"][-3000:]


def test_a_keyword_rule_is_reported_wider_than_a_list_of_peers(forms):
    assert forms["found"]["cli1"]["rules"] == [
        {"direction": "in", "port": 50001, "protocol": "tcp", "any_peer": True, "peers": [],
         "wider": ["LocalSubnet"]}]
    assert forms["found"]["cli3"]["rules"][0]["any_peer"] is True
    # The range a-a is the one address it holds.
    assert forms["found"]["cli2"]["rules"] == [
        {"direction": "in", "port": 50001, "protocol": "tcp", "any_peer": False, "peers": ["198.18.10.21/32"]}]


@pytest.mark.parametrize("host", sorted(FORMS))
def test_each_form_is_repaired_or_left_alone(forms, host):
    repair = forms["repair"]
    assert repair["rc"] == 0, repair["out"][-3000:]
    _props, calls, after = FORMS[host]
    assert repair["calls"][host] == ["win_powershell"] + calls
    for prop, value in after.items():
        assert forms["after"][host][prop] == value, (host, prop)


def test_a_keyword_shows_in_the_diff(forms):
    out = forms["repair"]["out"]
    assert "-%s: LocalSubnet" % NAME in out
    assert "+%s: 198.18.10.21/32" % NAME in out


def test_the_rerun_changes_nothing_and_only_reads(forms):
    rerun = forms["rerun"]
    assert rerun["rc"] == 0, rerun["out"][-3000:]
    assert rerun["changed"] == {"0"}
    assert rerun["calls"] == dict((h, ["win_powershell"]) for h in FORMS)


def test_rules_converge_when_windows_answers_null_for_the_unused_port_side(tmp_path):
    skip_without_venv()
    lab = Lab(str(tmp_path), ["cli1", "cli2"], extra={sim.UNUSED_PORTS_ENV: "null"})
    first = lab.play()
    assert first["rc"] == 0, first["out"][-3000:]
    assert (lab.rule("cli1")["LocalPorts"], lab.rule("cli1")["RemotePorts"]) == ("50001", None)
    rerun = lab.play()
    assert rerun["rc"] == 0 and rerun["changed"] == {"0"}, rerun["out"][-3000:]
    assert rerun["calls"] == {"cli1": ["win_powershell"], "cli2": ["win_powershell"]}

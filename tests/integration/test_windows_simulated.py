# -*- coding: utf-8 -*-
# Copyright: (c) 2026, webroot.enterprise contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The Windows side of the roles, run against the Windows Firewall SIMULATOR.

No Windows host is available where these tests run. The real component roles (their
one task, the action plugin component_rules) run with ansible-playbook; the two modules the
Windows backend calls, community.windows.win_firewall_rule and
ansible.windows.win_powershell, are replaced by the simulator in
tests/simulators/collections (first in ANSIBLE_COLLECTIONS_PATH), which keeps one
JSON rule store per inventory host (see tests/simulators/README.md).

One playbook run per step, all hosts at once; the assertions read the stores,
never what the tasks said (the play recap is only used for "no change" on rerun).

Steps, in order (each test reads the snapshot taken after its step):
  1. present, first run (a stale rule of ours and foreign rules seeded);
  2. the same again: nothing changes;
  3. check mode with a port change and two components absent: nothing is written;
  4. the same for real: old name gone, new name there, absent components gone;
  5. every component absent: only the foreign rules are left, untouched.
A host seeded with two rules of ours of one name (what two runs at once can leave) is
healed in step 1; one seeded with a foreign rule carrying our name fails in step 1.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy
import json
import os

import pytest

from ansible_collections.webroot.enterprise.plugins.plugin_utils.catalog import TABLE_11, WINDOWS_GROUP
from winsim import ROOT, STORE_ENV, read_store, recap, run_playbook, sim, skip_without_venv, write_inventory

VENDOR = dict((row["component"], row["vendor"]) for row in TABLE_11)

UPD, DIST, SRV = "198.18.10.5/32", "198.18.10.11/32", "198.18.10.21/32"
CLI1, CLI2, DUP1, FOR1, LIN1 = ("198.18.10.31/32", "198.18.10.32/32", "198.18.10.33/32",
                                "198.18.10.34/32", "198.18.10.41/32")
# The five workstations .31 .32 .33 .34 .41, aggregated exactly as the roles do:
# .32 and .33 make one /31; nothing wider is ever admitted.
ALL_CLIENTS = ["198.18.10.31/32", "198.18.10.32/31", "198.18.10.34/32", "198.18.10.41/32"]
PROGRAM = r"C:\Program Files\Webroot\WebrootClientService.exe"

# all: children: of the inventory (winsim.write_inventory writes all: vars:).
CHILDREN = """
    webroot_update_endpoints:
      hosts:
        upd1: {{ansible_host: 198.18.10.5}}
    webroot_distributors:
      hosts:
        dist1: {{ansible_host: 198.18.10.11}}
    webroot_servers:
      hosts:
        srv1: {{ansible_host: 198.18.10.21}}
    webroot_clients:
      hosts:
        cli1: {{ansible_host: 198.18.10.31}}
        cli2:
          ansible_host: 198.18.10.32
          webroot_windows_profiles: [domain, private, public]
          client_service_windows_program: '{program}'
          sweep_now_any_source: true
        dup1: {{ansible_host: 198.18.10.33}}
        for1: {{ansible_host: 198.18.10.34}}
        # A Linux client in the same run: validated only (its firewall is not this
        # machine's to change), and its address is a peer of the Windows rules.
        lin1:
          ansible_host: 198.18.10.41
          webroot_firewall_backend: iptables
          webroot_validate_only: true
"""

PLAYBOOK = """
- name: Webroot rules on simulated Windows hosts
  hosts: webroot_distributors:webroot_servers:webroot_clients
  gather_facts: false
  environment:
    WEBROOT_WINFW_SIMULATOR_STORE: "{{ win_store_dir }}/{{ inventory_hostname }}.json"
  roles:
    - webroot.enterprise.update_service
    - webroot.enterprise.update_distributor
    - webroot.enterprise.client_service
    - webroot.enterprise.sweep_now
    - webroot.enterprise.poll_now
"""

GOOD_HOSTS = ["dist1", "srv1", "cli1", "cli2", "lin1"]
WINDOWS_HOSTS = ["dist1", "srv1", "cli1", "cli2", "dup1", "for1"]

CHANGE_VARS = ["-e", "sweep_now_port=50011", "-e", "poll_now_state=absent",
               "-e", "update_distributor_state=absent"]
ALL_ABSENT = ["-e", "update_service_state=absent", "-e", "update_distributor_state=absent",
              "-e", "client_service_state=absent", "-e", "sweep_now_state=absent",
              "-e", "poll_now_state=absent"]


def com_rule(**props):
    rule = sim.new_com_rule()
    rule.update(props)
    return rule


def seeds():
    """Rules on the hosts before the first run."""
    rdp = com_rule(Name="Remote Desktop - User Mode (TCP-In)", Grouping="@FirewallAPI.dll,-28752",
                   Description="Inbound rule for the Remote Desktop service.", Protocol=6,
                   LocalPorts="3389", RemotePorts="*", Enabled=True, Profiles=sim.ALL_PROFILES)
    # Named like ours but in no group: not ours, never touched.
    lookalike = com_rule(Name="Webroot Enterprise - Poll Now (TCP 50099 in)", Grouping=None,
                         Description="made by hand", Protocol=6, LocalPorts="50099",
                         RemotePorts="*", Enabled=True, Profiles=1)
    # In another group, on one of the ports we use.
    contoso = com_rule(Name="Contoso console (TCP 50001 in)", Grouping="Contoso Tools",
                       Description="Contoso", Protocol=6, LocalPorts="50001", RemotePorts="*",
                       RemoteAddresses="198.18.10.99/255.255.255.255", Enabled=True, Profiles=2)
    # Ours, left from when cli1 was a distributor: stale now.
    stale = com_rule(Name="Webroot Enterprise - Update Service (TCP 443 out)", Grouping=WINDOWS_GROUP,
                     Description=VENDOR["update_service"], Protocol=6, LocalPorts="*",
                     RemotePorts="443", Direction=2, Enabled=True, Profiles=3,
                     RemoteAddresses="198.18.10.5/255.255.255.255")
    cs_name = "Webroot Enterprise - Client Service (TCP 50000 in)"
    dup = [com_rule(Name=cs_name, Grouping=WINDOWS_GROUP, Description=VENDOR["client_service"],
                    Protocol=6, LocalPorts="50000", RemotePorts="*", Enabled=True, Profiles=3)
           for _dup in range(2)]
    foreign_ours = com_rule(Name="Webroot Enterprise - Sweep Now (TCP 50001 in)", Grouping="Contoso Tools",
                            Description="Contoso's own", Protocol=6, LocalPorts="50001",
                            RemotePorts="*", Enabled=True, Profiles=4)
    return {
        "dist1": [rdp],
        "srv1": [copy.deepcopy(rdp), contoso],
        "cli1": [copy.deepcopy(rdp), lookalike, copy.deepcopy(contoso), stale],
        "cli2": [],
        "dup1": [copy.deepcopy(rdp)] + dup,
        "for1": [foreign_ours],
    }


def snapshot(directory):
    return dict((host, read_store(directory, host)) for host in WINDOWS_HOSTS)


class Lab(object):
    def __init__(self, directory):
        self.dir = directory
        self.inventory = os.path.join(directory, "hosts.yml")
        self.playbook = os.path.join(directory, "play.yml")
        self.stores = os.path.join(directory, "stores")
        os.makedirs(self.stores)
        write_inventory(self.inventory, CHILDREN.format(program=PROGRAM))
        with open(self.playbook, "w") as handle:
            handle.write(PLAYBOOK)
        for host, rules in seeds().items():
            sim.save(os.path.join(self.stores, host + ".json"), rules)
        self.seeded = snapshot(self.stores)

    def play(self, *args):
        proc = run_playbook(self.dir, ["-i", self.inventory, self.playbook,
                                       "-e", "win_store_dir=" + self.stores] + list(args))
        return {"rc": proc.returncode, "output": proc.stdout, "recap": recap(proc.stdout),
                "stores": snapshot(self.stores)}


@pytest.fixture(scope="module")
def win_steps(tmp_path_factory):
    """Runs the five steps once; each test inspects the step it is about."""
    skip_without_venv()
    lab = Lab(str(tmp_path_factory.mktemp("winfw")))
    limit = ["--limit", ",".join(GOOD_HOSTS)]
    steps = {"seeded": lab.seeded}
    steps["first"] = lab.play()
    steps["rerun"] = lab.play(*limit)
    steps["check"] = lab.play("--check", "--diff", *(limit + CHANGE_VARS))
    steps["change"] = lab.play(*(limit + CHANGE_VARS))
    steps["absent"] = lab.play(*(limit + ALL_ABSENT))
    return steps


def ours(rules):
    return dict((r["Name"], r) for r in rules if r.get("Grouping") == WINDOWS_GROUP)


def others(rules):
    return [r for r in rules if r.get("Grouping") != WINDOWS_GROUP]


def names(rules):
    return [r["Name"] for r in rules]


def assert_rule(rule, component, direction, port, remote, profiles=3, program=None):
    assert rule["Grouping"] == WINDOWS_GROUP
    assert rule["Description"] == VENDOR[component]
    assert rule["Direction"] == (1 if direction == "in" else 2)
    assert rule["Action"] == 1  # allow
    assert rule["Enabled"] is True
    assert rule["Protocol"] == 6  # TCP
    if direction == "in":
        assert (rule["LocalPorts"], rule["RemotePorts"]) == (str(port), "*")
    else:
        # 443 is the port of the update servers: the REMOTE port of an outbound rule.
        assert (rule["LocalPorts"], rule["RemotePorts"]) == ("*", str(port))
    assert rule["LocalAddresses"] == "*"
    assert sim.remote_networks(rule["RemoteAddresses"]) == remote
    assert rule["Profiles"] == profiles
    assert rule["ApplicationName"] == program
    assert rule["ServiceName"] is None


def by_name(rules, name):
    matches = [r for r in rules if r["Name"] == name]
    assert len(matches) == 1, "%d rules named %r in %s" % (len(matches), name, names(rules))
    return matches[0]


def assert_workstation_rules(rules):
    """A workstation's three inbound rules with the defaults: the company server only."""
    for component, port, title in (("client_service", 50000, "Client Service"),
                                   ("sweep_now", 50001, "Sweep Now"), ("poll_now", 50002, "Poll Now")):
        assert_rule(by_name(rules, "Webroot Enterprise - %s (TCP %d in)" % (title, port)),
                    component, "in", port, [SRV])


# --- step 1: first run ------------------------------------------------------

def test_first_run_succeeds_on_good_hosts(win_steps):
    first = win_steps["first"]
    for host in GOOD_HOSTS:
        assert first["recap"][host]["failed"] == 0, first["output"][-4000:]
        assert first["recap"][host]["unreachable"] == 0


def test_distributor_rules(win_steps):
    rules = win_steps["first"]["stores"]["dist1"]
    assert sorted(ours(rules)) == [
        "Webroot Enterprise - Update Distributor (TCP 50003 in)",
        "Webroot Enterprise - Update Service (TCP 443 out)",
    ]
    assert_rule(by_name(rules, "Webroot Enterprise - Update Service (TCP 443 out)"),
                "update_service", "out", 443, [UPD])
    assert_rule(by_name(rules, "Webroot Enterprise - Update Distributor (TCP 50003 in)"),
                "update_distributor", "in", 50003, ALL_CLIENTS)


def test_server_rules(win_steps):
    rules = win_steps["first"]["stores"]["srv1"]
    assert sorted(ours(rules)) == [
        "Webroot Enterprise - Client Service (TCP 50000 in)",
        "Webroot Enterprise - Poll Now (TCP 50002 in)",
        "Webroot Enterprise - Sweep Now (TCP 50001 in)",
    ]
    assert_rule(by_name(rules, "Webroot Enterprise - Client Service (TCP 50000 in)"),
                "client_service", "in", 50000, ALL_CLIENTS)
    assert_rule(by_name(rules, "Webroot Enterprise - Sweep Now (TCP 50001 in)"),
                "sweep_now", "in", 50001, [SRV])
    assert_rule(by_name(rules, "Webroot Enterprise - Poll Now (TCP 50002 in)"),
                "poll_now", "in", 50002, [SRV])


def test_client_rules_and_stale_rule_removed(win_steps):
    rules = win_steps["first"]["stores"]["cli1"]
    assert sorted(ours(rules)) == [
        "Webroot Enterprise - Client Service (TCP 50000 in)",
        "Webroot Enterprise - Poll Now (TCP 50002 in)",
        "Webroot Enterprise - Sweep Now (TCP 50001 in)",
    ]
    assert_workstation_rules(rules)
    # The seeded 443 out rule of ours is gone (cli1 is no distributor); the rest is foreign.
    assert others(rules) == others(win_steps["seeded"]["cli1"])


def test_client_settings_profiles_program_any_source(win_steps):
    rules = win_steps["first"]["stores"]["cli2"]
    every = sim.ALL_PROFILES
    assert_rule(by_name(rules, "Webroot Enterprise - Client Service (TCP 50000 in)"),
                "client_service", "in", 50000, [SRV], profiles=every, program=PROGRAM)
    assert_rule(by_name(rules, "Webroot Enterprise - Sweep Now (TCP 50001 in)"),
                "sweep_now", "in", 50001, ["*"], profiles=every)
    assert_rule(by_name(rules, "Webroot Enterprise - Poll Now (TCP 50002 in)"),
                "poll_now", "in", 50002, [SRV], profiles=every)
    assert len(rules) == 3


def test_foreign_rules_untouched(win_steps):
    for host in ("dist1", "srv1", "cli1"):
        assert win_steps["first"]["recap"][host]["failed"] == 0
        assert ours(win_steps["first"]["stores"][host])
        assert others(win_steps["first"]["stores"][host]) == others(win_steps["seeded"][host])


def test_duplicates_of_ours_are_healed_with_no_hand(win_steps):
    # Two runs at once can both create one rule (Windows allows duplicate names); 0.4.0
    # refused such a host until someone removed them by hand (issue 25). Now the run
    # removes every rule of the name (win_firewall_rule state=absent) and creates one.
    first = win_steps["first"]
    assert first["recap"]["dup1"]["failed"] == 0, first["output"][-4000:]
    rules = first["stores"]["dup1"]
    assert sorted(names(rules)) == [
        "Remote Desktop - User Mode (TCP-In)",
        "Webroot Enterprise - Client Service (TCP 50000 in)",
        "Webroot Enterprise - Poll Now (TCP 50002 in)",
        "Webroot Enterprise - Sweep Now (TCP 50001 in)",
    ]
    assert_workstation_rules(rules)
    assert others(rules) == others(win_steps["seeded"]["dup1"])


def test_foreign_rule_with_our_name_fails_and_survives(win_steps):
    first = win_steps["first"]
    assert first["recap"]["for1"]["failed"] == 1
    flat = " ".join(first["output"].split())
    assert ("rule named 'Webroot Enterprise - Sweep Now (TCP 50001 in)' in group 'Contoso Tools'" in flat)
    seeded = win_steps["seeded"]["for1"][0]
    assert by_name(win_steps["first"]["stores"]["for1"], seeded["Name"]) == seeded
    assert len([r for r in win_steps["first"]["stores"]["for1"] if r["Name"] == seeded["Name"]]) == 1


# --- step 2: rerun ------------------------------------------------------------

def test_rerun_changes_nothing(win_steps):
    rerun = win_steps["rerun"]
    assert rerun["rc"] == 0, rerun["output"][-4000:]
    assert rerun["stores"] == win_steps["first"]["stores"]
    for host in GOOD_HOSTS:
        assert rerun["recap"][host]["changed"] == 0, host


# --- step 3: check mode ---------------------------------------------------------

def test_check_mode_writes_nothing(win_steps):
    check = win_steps["check"]
    assert check["rc"] == 0, check["output"][-4000:]
    assert check["stores"] == win_steps["rerun"]["stores"]
    # There was something to do (the real run of step 4 does it).
    assert check["recap"]["cli1"]["changed"] > 0
    # The difference the real run acts on, shown by --diff without a module call:
    # cli1's Sweep Now rule (from the company server srv1) moves to the new port.
    assert "+Webroot Enterprise - Sweep Now (TCP 50011 in): 198.18.10.21/32" in check["output"]
    assert "-Webroot Enterprise - Sweep Now (TCP 50001 in): 198.18.10.21/32" in check["output"]


# --- step 4: port change, components absent ------------------------------------

def test_port_change_and_absent_components(win_steps):
    change = win_steps["change"]
    assert change["rc"] == 0, change["output"][-4000:]
    for host in ("srv1", "cli1", "cli2"):
        rules = change["stores"][host]
        assert sorted(ours(rules)) == [
            "Webroot Enterprise - Client Service (TCP 50000 in)",
            "Webroot Enterprise - Sweep Now (TCP 50011 in)",
        ], host
        remote = ["*"] if host == "cli2" else [SRV]
        assert_rule(by_name(rules, "Webroot Enterprise - Sweep Now (TCP 50011 in)"), "sweep_now", "in",
                    50011, remote, profiles=sim.ALL_PROFILES if host == "cli2" else 3)
        assert others(rules) == others(win_steps["seeded"][host])
    dist = change["stores"]["dist1"]
    assert sorted(ours(dist)) == ["Webroot Enterprise - Update Service (TCP 443 out)"]
    # Unchanged rules keep their identity (not removed and re-created).
    before = ours(win_steps["check"]["stores"]["cli1"])
    after = ours(change["stores"]["cli1"])
    name = "Webroot Enterprise - Client Service (TCP 50000 in)"
    assert after[name] == before[name]


# --- step 5: everything absent -------------------------------------------------

def test_absent_removes_only_ours(win_steps):
    absent = win_steps["absent"]
    assert absent["rc"] == 0, absent["output"][-4000:]
    for host in ("dist1", "srv1", "cli1", "cli2"):
        rules = absent["stores"][host]
        assert ours(rules) == {}, host
        assert rules == others(win_steps["seeded"][host]), host
    # Including the look-alike in no group and the rule of another group on 50001.
    assert "Webroot Enterprise - Poll Now (TCP 50099 in)" in names(absent["stores"]["cli1"])
    assert "Contoso console (TCP 50001 in)" in names(absent["stores"]["cli1"])


BIG_CHILDREN = """
    webroot_servers:
      hosts:
        srvbig: {ansible_host: 198.18.10.21}
    webroot_clients:
      hosts:
        cli1: {ansible_host: 198.18.10.31}
"""


def _every_other(count):
    """``count`` addresses of 198.18.0.0/15 that no CIDR can merge (every second one)."""
    return ["198.18.%d.%d/32" % (i // 128, (i % 128) * 2) for i in range(count)]


def test_rules_are_chunked_at_1000_remote_addresses(tmp_path):
    """1,200 sources: two rules (1,000 + 200) with stable names; back to 900: the
    second chunk is removed. The simulator refuses more than 1,000 per rule, as
    Windows 10 / Server 2016-2019 do."""
    lab = Lab(str(tmp_path))
    write_inventory(lab.inventory, BIG_CHILDREN)
    for name in os.listdir(lab.stores):
        os.remove(os.path.join(lab.stores, name))
    sim.save(os.path.join(lab.stores, "srvbig.json"), [])
    name = "Webroot Enterprise - Client Service (TCP 50000 in)"
    sources = _every_other(1200)
    step = lab.play("--limit", "srvbig", "--tags", "client_service",
                    "-e", '{"client_service_sources": %s}' % json.dumps(sources))
    assert step["rc"] == 0, step["output"][-3000:]
    rules = ours(read_store(lab.stores, "srvbig"))
    assert sorted(rules) == [name, name + " #2"]
    assert sim.remote_networks(rules[name]["RemoteAddresses"]) == sorted(sources[:1000])
    assert sim.remote_networks(rules[name + " #2"]["RemoteAddresses"]) == sorted(sources[1000:])
    step = lab.play("--limit", "srvbig", "--tags", "client_service",
                    "-e", '{"client_service_sources": %s}' % json.dumps(sources[:900]))
    assert step["rc"] == 0, step["output"][-3000:]
    rules = ours(read_store(lab.stores, "srvbig"))
    assert sorted(rules) == [name]
    assert sim.remote_networks(rules[name]["RemoteAddresses"]) == sorted(sources[:900])


def _only_srvbig(lab, rules):
    write_inventory(lab.inventory, BIG_CHILDREN)
    for name in os.listdir(lab.stores):
        os.remove(os.path.join(lab.stores, name))
    sim.save(os.path.join(lab.stores, "srvbig.json"), rules)


def test_a_foreign_rule_with_a_stale_name_in_another_case_stops_the_removal(tmp_path):
    """Our stale rule 'X #2' and, in another group, 'x #2' in lower case: the real
    module removes every rule whose name matches without case, so the run must stop
    before removing anything, and both rules stay."""
    lab = Lab(str(tmp_path))
    name = "Webroot Enterprise - Client Service (TCP 50000 in)"
    ours_stale = com_rule(Name=name + " #2", Grouping=WINDOWS_GROUP, Description=VENDOR["client_service"],
                          Protocol=6, LocalPorts="50000", RemotePorts="*", Enabled=True, Profiles=3,
                          RemoteAddresses="198.18.20.1/255.255.255.255")
    theirs = com_rule(Name=(name + " #2").lower(), Grouping="Contoso Tools", Description="Contoso",
                      Protocol=6, LocalPorts="50000", RemotePorts="*", Enabled=True, Profiles=4)
    _only_srvbig(lab, [ours_stale, theirs])
    step = lab.play("--limit", "srvbig", "--tags", "client_service")
    assert step["rc"] != 0
    flat = " ".join(step["output"].split())
    assert "has a rule named '%s' in group 'Contoso Tools'" % (name + " #2").lower() in flat
    assert read_store(lab.stores, "srvbig") == [ours_stale, theirs]


def test_the_report_has_windows_rows(tmp_path):
    """playbooks/report.yml reads Windows hosts too (it said nothing of them before)."""
    lab = Lab(str(tmp_path))
    _only_srvbig(lab, [])
    step = lab.play("--limit", "srvbig", "-e", '{"client_service_sources": ["198.18.20.0/24"]}')
    assert step["rc"] == 0, step["output"][-3000:]
    env_store = os.path.join(lab.stores, "srvbig.json")
    # The project's ansible.cfg (ANSIBLE_CONFIG, set by conftest) is kept: its YAML
    # result format gives the "- ..." lines below.
    report = run_playbook(
        lab.dir, ["-i", lab.inventory, os.path.join(ROOT, "playbooks", "report.yml"), "--limit", "srvbig,localhost"],
        keep_config=True, extra={STORE_ENV: env_store})
    assert report.returncode == 0, report.stdout[-3000:]
    lines = [" ".join(l.split()) for l in report.stdout.splitlines()]
    # Written by hand: what the server holds (its client_service scope is the /24 given).
    assert "- srvbig windows 50000/tcp in from 198.18.20.0/24 [client_service]" in lines
    assert "- srvbig windows 50001/tcp in from 198.18.10.21/32 [sweep_now]" in lines
    assert "- srvbig windows 50002/tcp in from 198.18.10.21/32 [poll_now]" in lines

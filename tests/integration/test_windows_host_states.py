# -*- coding: utf-8 -*-
# Copyright: (c) 2026, webroot.enterprise contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Windows hosts in the states a real estate has, against the Windows Firewall
SIMULATOR (its win_powershell converts the read's output at the requested depth,
as the real module does: tests/unit/test_upstream_win_powershell.py).

One workstation per state, each run on its own (``--limit``); every expectation is
written by hand and read from the host's rule store, never from what the tasks said:
- ok: an ordinary workstation: converges, then a rerun changes nothing;
- blockall: "Block all incoming connections" in the domain profile (AllowInboundRules
  False in the ActiveStore): refused, nothing written;
- gporule / gporule_listed: Group Policy supplies a rule named like our Sweep Now rule,
  with FwPolicy2.Rules not listing it / listing it: refused naming it, nothing written;
- stopped: the firewall service MpsSvc is stopped: the read fails, named, nothing written;
- clm: WDAC/AppLocker puts the read in ConstrainedLanguage: the read fails, named;
- once: the roles then playbooks/report.yml, as site.yml runs them: the report reuses
  the roles' read, so a no-op rerun reads the host once; report.yml on its own reads.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os

import pytest

from winsim import (ROOT, STORE_ENV, calls_by_host, recap, rules_by_name, run_playbook, skip_without_venv,
                    store_path, write_inventory)

SWEEP = "Webroot Enterprise - Sweep Now (TCP 50001 in)"
CHILDREN = """
    webroot_servers:
      hosts:
        srv1: {webroot_address: 198.18.81.21}
    webroot_clients:
      hosts:
        ok: {webroot_address: 198.18.81.31}
        blockall: {webroot_address: 198.18.81.32}
        gporule: {webroot_address: 198.18.81.33}
        gporule_listed: {webroot_address: 198.18.81.34}
        stopped: {webroot_address: 198.18.81.35}
        clm: {webroot_address: 198.18.81.36}
        once: {webroot_address: 198.18.81.37}
"""
PLAYBOOK = """
- name: Workstations
  hosts: webroot_clients
  gather_facts: false
  environment:
    WEBROOT_WINFW_SIMULATOR_STORE: "{{ win_store_dir }}/{{ inventory_hostname }}.json"
  roles: [webroot.enterprise.client_service, webroot.enterprise.sweep_now, webroot.enterprise.poll_now]
"""
GPO_RULE = {"Name": SWEEP, "Grouping": "Webroot Enterprise", "Action": 1, "Direction": 1}
STATES = {
    "ok": {},
    "blockall": {"profiles": {"domain": {"allow_inbound_rules": False}}},
    "gporule": {"policy_rules": [GPO_RULE]},
    "gporule_listed": {"policy_rules": [GPO_RULE], "policy_rules_listed": True},
    "stopped": {"mpssvc": "Stopped"},
    "clm": {"language_mode": "ConstrainedLanguage"},
    "once": {},
}


@pytest.fixture(scope="module")
def estate(tmp_path_factory):
    skip_without_venv()
    directory = str(tmp_path_factory.mktemp("winstates"))
    stores = os.path.join(directory, "stores")
    os.makedirs(stores)
    write_inventory(os.path.join(directory, "hosts.yml"), CHILDREN, webroot_gather_facts=False,
                    webroot_resolve_names=False)
    with open(os.path.join(directory, "play.yml"), "w") as handle:
        handle.write(PLAYBOOK)
    for host, state in STATES.items():
        with open(store_path(stores, host), "w") as handle:
            json.dump(dict(state, rules=[]), handle)

    with open(os.path.join(directory, "site.yml"), "w") as handle:
        handle.write(PLAYBOOK + "- ansible.builtin.import_playbook: %s/playbooks/report.yml\n" % ROOT)

    def play(host, playbook="play.yml", log=None):
        # The report play has no environment keyword: the host's store comes from the run's.
        proc = run_playbook(directory, ["-i", "hosts.yml", playbook, "-e", "win_store_dir=" + stores,
                                        "-e", "webroot_report_dir=" + os.path.join(directory, "reports"),
                                        "--limit", host], log=log, extra={STORE_ENV: store_path(stores, host)})
        return proc.returncode, proc.stdout, " ".join(proc.stdout.split())
    play.dir = directory
    return stores, play


def test_an_ordinary_workstation_converges_and_a_rerun_changes_nothing(estate):
    stores, play = estate
    rc, raw, out = play("ok")
    assert rc == 0, out[-3000:]
    assert rules_by_name(stores, "ok")[SWEEP]["RemoteAddresses"] == "198.18.81.21/255.255.255.255"
    rc, raw, out = play("ok")
    assert rc == 0 and recap(raw)["ok"]["changed"] == 0, out[-3000:]


def test_block_all_incoming_is_refused_and_nothing_is_written(estate):
    stores, play = estate
    rc, raw, out = play("blockall")
    assert rc != 0
    assert "blocks all incoming connections in the domain profile(s)" in out, out[-3000:]
    assert "AllowInboundRules False" in out
    assert rules_by_name(stores, "blockall") == {}


@pytest.mark.parametrize("host", ["gporule", "gporule_listed"])
def test_a_group_policy_rule_named_like_ours_is_never_taken_for_ours(estate, host):
    stores, play = estate
    rc, raw, out = play(host)
    assert rc != 0
    assert "has a rule named '%s' in group 'Webroot Enterprise' that Group Policy supplies" % SWEEP in out, out[-3000:]
    # The component whose rule Group Policy supplies wrote nothing; the Client Service
    # role before it (another name) was applied.
    assert sorted(rules_by_name(stores, host)) == ["Webroot Enterprise - Client Service (TCP 50000 in)"]


def test_a_stopped_firewall_service_is_named(estate):
    stores, play = estate
    rc, raw, out = play("stopped")
    assert rc != 0
    assert "the Windows Defender Firewall service (MpsSvc) is not running on stopped" in out, out[-3000:]
    assert "Start-Service -Name MpsSvc" in out
    assert rules_by_name(stores, "stopped") == {}


def test_constrained_language_is_named_with_the_way_out(estate):
    stores, play = estate
    rc, raw, out = play("clm")
    assert rc != 0
    assert "the Windows Firewall read on clm ran in PowerShell's ConstrainedLanguage mode" in out, out[-3000:]
    assert "WDAC or AppLocker script rule" in out
    assert rules_by_name(stores, "clm") == {}


def test_site_reads_a_windows_host_once_and_the_report_says_what_it_holds(estate):
    stores, play = estate
    log = os.path.join(play.dir, "calls.jsonl")
    rc, raw, out = play("once", "site.yml", log=log)
    assert rc == 0, out[-3000:]
    rc, raw, out = play("once", "site.yml", log=log)
    assert rc == 0 and recap(raw)["once"]["changed"] == 0, out[-3000:]
    # The no-op rerun: one remote call on the host, the read (the roles' and the report's).
    assert calls_by_host(log) == {"once": ["win_powershell"]}
    with open(os.path.join(play.dir, "reports", "webroot-rules.json")) as handle:
        rows = json.load(handle)["rows"]
    assert sorted((r["component"], r["port"], r["direction"], tuple(r["peers"])) for r in rows) == [
        ("client_service", 50000, "in", ("198.18.81.21/32",)),
        ("poll_now", 50002, "in", ("198.18.81.21/32",)),
        ("sweep_now", 50001, "in", ("198.18.81.21/32",))]
    # report.yml on its own reads the host.
    rc, raw, out = play("once", os.path.join(ROOT, "playbooks", "report.yml"), log=log)
    assert rc == 0, out[-3000:]
    assert calls_by_host(log) == {"once": ["win_powershell"]}

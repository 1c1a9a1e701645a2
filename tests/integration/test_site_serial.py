# -*- coding: utf-8 -*-
# Copyright: (c) 2026, webroot.enterprise contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""playbooks/site_serial.yml, run as it ships, against the Windows Firewall SIMULATOR.

One distributor, one company server and nine workstations, all simulated Windows
hosts (tests/simulators/README.md), with ``-e webroot_serial=4``: the estate
validation runs once, unbatched; the apply play of the company server and the
workstations runs in three batches (4, 4 and 2 hosts: a ``PLAY [...]`` line each);
report and summary run once at the end. The rule stores are read afterwards and
compared with expectations written by hand.

How the real playbook runs unchanged here: the simulated modules find their host's
rule store in the environment variable WEBROOT_WINFW_SIMULATOR_STORE, which the other
simulator tests set with a play's ``environment:`` keyword. site_serial.yml (and the
report, verify and summary playbooks it imports) has no such keyword, so each host
gets its own Python interpreter instead: ``ansible_python_interpreter`` is a small
wrapper that sets the variable to that host's store and runs the venv's Python.

What is skipped, and why: ``--skip-tags verify`` leaves out the verify role, which
needs real hosts (it starts temporary listeners through PowerShell and opens TCP
connections between the hosts; the simulator answers only the collection's firewall
read and win_firewall_rule, and every host here is this machine). The report runs:
its read is the same one the roles make, which the simulator answers.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import re

import pytest

from winsim import (PYTHON, ROOT, closed_port, inventory_vars, recap_lines, rules_by_name, run_playbook,
                    set_profiles, sim, skip_without_venv, store_path)

SITE_SERIAL = os.path.join(ROOT, "playbooks", "site_serial.yml")
CS = "Webroot Enterprise - Client Service (TCP 50000 in)"
SWEEP = "Webroot Enterprise - Sweep Now (TCP 50001 in)"
POLL = "Webroot Enterprise - Poll Now (TCP 50002 in)"
DIST = "Webroot Enterprise - Update Distributor (TCP 50003 in)"
UPDATE = "Webroot Enterprise - Update Service (TCP 443 out)"

VALIDATE_PLAY = "PLAY [Validate the Webroot settings of the whole estate, once, before any firewall changes]"
VALIDATE_TASK = "TASK [Plan every host from the inventory]"
DIST_PLAY = "PLAY [Distributors - Update Service (443 out) and Update Distributor (50003 in)]"
APPLY_PLAY = "PLAY [Company server and workstations - Client Service, Sweep Now, Poll Now]"
REPORT_PLAY = "PLAY [Read the Webroot rules from each host's firewall"   # report.yml
SUMMARY_PLAY = "PLAY [Summary"   # summary.yml's plays


class SimEstate(object):
    """Simulated Windows hosts with one rule store each, reached through a per-host
    interpreter (see the module's docstring). ``hosts``: {group: [(name, vars)]}."""

    def __init__(self, directory, hosts):
        self.dir = directory
        self.stores = os.path.join(directory, "stores")
        self.bin = os.path.join(directory, "bin")
        os.makedirs(self.stores)
        os.makedirs(self.bin)
        children = {}
        self.names = []
        for group, members in hosts.items():
            children[group] = {"hosts": {}}
            for name, hostvars in members:
                hostvars = dict(hostvars)
                if group != "webroot_update_endpoints" and hostvars.get("ansible_connection") != "ssh":
                    hostvars["ansible_python_interpreter"] = self.interpreter(name)
                    self.names.append(name)
                    sim.save(self.store(name), [])
                children[group]["hosts"][name] = hostvars
        # No DNS query leaves this machine (webroot_resolve_names).
        inventory = {"all": {"vars": inventory_vars(webroot_gather_facts=False, webroot_resolve_names=False),
                             "children": children}}
        with open(os.path.join(directory, "hosts.yml"), "w") as handle:
            json.dump(inventory, handle, indent=1)   # JSON is YAML

    def store(self, host):
        return store_path(self.stores, host)

    def interpreter(self, host):
        path = os.path.join(self.bin, "python-" + host)
        with open(path, "w") as handle:
            handle.write("#!/bin/sh\nWEBROOT_WINFW_SIMULATOR_STORE='%s' exec '%s' \"$@\"\n"
                         % (self.store(host), PYTHON))
        os.chmod(path, 0o755)
        return path

    def profiles(self, host, profiles, current):
        set_profiles(self.stores, host, profiles, current)

    def rules(self, host):
        return rules_by_name(self.stores, host)

    def remote(self, host, name):
        return sim.remote_networks(self.rules(host)[name]["RemoteAddresses"])

    def play(self, *args, **kwargs):
        # No WEBROOT_WINFW_SIMULATOR_STORE from the caller: the interpreters set it.
        proc = run_playbook(self.dir, ["-i", "hosts.yml", kwargs.get("playbook", SITE_SERIAL)] + list(args),
                            timeout=600)
        return proc.returncode, proc.stdout


def headers(output):
    """The PLAY [...] lines, in order."""
    return [re.sub(r"\s*\**$", "", line) for line in output.splitlines() if line.startswith("PLAY [")]


def batches(output, task):
    """The hosts that ran ``task`` (a TASK [...] line), one sorted list per occurrence."""
    out, current = [], None
    for line in output.splitlines():
        if line.startswith("TASK [") or line.startswith("PLAY ") or line.startswith("RUNNING HANDLER"):
            current = [] if line.startswith(task) else None
            if current is not None:
                out.append(current)
            continue
        match = re.match(r"^(ok|changed|fatal|failed|skipping): \[([^\]]+)\]", line)
        if current is not None and match:
            current.append(match.group(2))
    return [sorted(hosts) for hosts in out]


# test_report_dir.py imports it from here.
_skip_without_venv = skip_without_venv


SERVER, DISTRIBUTOR, ENDPOINT = "198.18.90.21", "198.18.90.11", "198.18.90.5"
WORKSTATIONS = ["cli%d" % i for i in range(1, 10)]   # 198.18.90.31 ... .39


@pytest.fixture(scope="module")
def estate(tmp_path_factory):
    skip_without_venv()
    return SimEstate(str(tmp_path_factory.mktemp("siteserial")), {
        "webroot_update_endpoints": [("upd1", {"webroot_address": ENDPOINT})],
        "webroot_distributors": [("dist1", {"webroot_address": DISTRIBUTOR})],
        "webroot_servers": [("srv1", {"webroot_address": SERVER})],
        "webroot_clients": [("cli%d" % i, {"webroot_address": "198.18.90.%d" % (30 + i)}) for i in range(1, 10)],
    })


@pytest.fixture(scope="module")
def first_run(estate):
    return estate.play("-e", "webroot_serial=4", "--skip-tags", "verify")


def test_the_validation_runs_once_and_the_apply_play_in_batches(first_run):
    rc, out = first_run
    assert rc == 0, out[-4000:]
    h = headers(out)
    # Written by hand: the validation play once, before anything else of ours; the
    # distributors' play once (one host); the company server + workstations play three
    # times in a row (10 hosts, 4 per batch); then the report's play once and the
    # summary's, last. (Other plays, such as facts.yml's, are the imported playbooks'.)
    assert h.count(VALIDATE_PLAY) == 1
    assert h.count(DIST_PLAY) == 1
    first = h.index(APPLY_PLAY)
    assert h[first:first + 3] == [APPLY_PLAY] * 3 and h.count(APPLY_PLAY) == 3
    assert h.index(VALIDATE_PLAY) < h.index(DIST_PLAY) < first
    report = [i for i, line in enumerate(h) if line.startswith(REPORT_PLAY)]
    assert len(report) == 1 and report[0] > first + 2
    summary = [i for i, line in enumerate(h) if line.startswith(SUMMARY_PLAY)]
    assert summary and summary[0] > report[0] and summary[-1] == len(h) - 1
    assert len(set(h[i] for i in summary)) == len(summary)   # each of summary.yml's plays once
    assert out.count(VALIDATE_TASK) == 1
    # The one validation task ran once, for the whole estate (run_once: one host line).
    assert batches(out, VALIDATE_TASK) == [["dist1"]]
    # The batches, in inventory order: the server first, then the workstations.
    assert batches(out, "TASK [webroot.enterprise.client_service : Webroot Client Service (50000/tcp)]") == [
        ["cli1", "cli2", "cli3", "srv1"], ["cli4", "cli5", "cli6", "cli7"], ["cli8", "cli9"]]
    assert batches(out, "TASK [webroot.enterprise.update_distributor : Webroot Update Distributor (50003/tcp)]") == [
        ["dist1"]]
    flat = " ".join(out.split())
    assert "a batch is done, 4 of its hosts up (srv1, cli1, cli2, cli3); 0 of this play's 10 hosts down so far" in flat
    assert "a batch is done, 4 of its hosts up (cli4, cli5, cli6, cli7)" in flat
    assert "a batch is done, 2 of its hosts up (cli8, cli9)" in flat
    # The summary, once, over all the hosts.
    assert "11 of 11 hosts converged" in flat, flat[-3000:]
    assert flat.count("TASK [Hosts converged, left out and failed]") == 1


def test_the_rule_stores_hold_what_the_roles_write(estate, first_run):
    rc, out = first_run
    assert rc == 0, out[-4000:]
    # By hand: the nine workstations .31-.39, aggregated exactly: .31/32 and .32/29 (.32-.39).
    workstations = ["198.18.90.31/32", "198.18.90.32/29"]
    server = ["198.18.90.21/32"]
    assert sorted(estate.rules("srv1")) == sorted([CS, SWEEP, POLL])
    assert estate.remote("srv1", CS) == workstations
    assert estate.remote("srv1", SWEEP) == server
    assert estate.remote("srv1", POLL) == server
    for host in ("cli1", "cli5", "cli9"):   # one of each batch
        assert sorted(estate.rules(host)) == sorted([CS, SWEEP, POLL]), host
        for name in (CS, SWEEP, POLL):
            assert estate.remote(host, name) == server, (host, name)
        assert estate.rules(host)[CS]["LocalPorts"] == "50000"
        assert estate.rules(host)[CS]["Direction"] == 1   # NET_FW_RULE_DIR_IN
        assert estate.rules(host)[CS]["Profiles"] == 3    # domain + private
    assert sorted(estate.rules("dist1")) == sorted([UPDATE, DIST])
    assert estate.remote("dist1", DIST) == workstations
    assert estate.remote("dist1", UPDATE) == ["198.18.90.5/32"]
    assert estate.rules("dist1")[UPDATE]["Direction"] == 2   # NET_FW_RULE_DIR_OUT
    assert estate.rules("dist1")[UPDATE]["RemotePorts"] == "443"


def test_the_report_reads_every_batch(estate, first_run):
    rc, out = first_run
    assert rc == 0
    flat = " ".join(out.split())
    assert '"srv1 windows 50000/tcp in from 198.18.90.31/32,198.18.90.32/29 [client_service]"' in flat
    assert '"cli9 windows 50001/tcp in from 198.18.90.21/32 [sweep_now]"' in flat
    assert '"dist1 windows 443/tcp out to 198.18.90.5/32 [update_service]"' in flat


def test_a_rerun_in_other_batches_changes_nothing(estate, first_run):
    assert first_run[0] == 0
    rc, out = estate.play("-e", "webroot_serial=3", "--skip-tags", "verify")
    assert rc == 0, out[-4000:]
    assert headers(out).count(APPLY_PLAY) == 4   # 10 hosts, 3 per batch
    recap = recap_lines(out)
    managed = [line for line in recap if line.split()[0] != "localhost"]
    assert len(managed) == 11, recap
    assert all("changed=0" in line and "failed=0" in line for line in recap), recap


def test_the_batch_size_from_the_inventory_is_not_seen(estate, first_run):
    """Play keywords are templated before any host is looked at: webroot_serial in the
    inventory is ignored (the default 10% applies: 10 hosts, one per batch), as the
    playbook and docs/scale.md say. Give it with -e."""
    assert first_run[0] == 0
    with open(os.path.join(estate.dir, "hosts.yml")) as handle:
        inventory = json.load(handle)
    inventory["all"]["vars"]["webroot_serial"] = 5
    with open(os.path.join(estate.dir, "hosts-serial.yml"), "w") as handle:
        json.dump(inventory, handle)
    rc, out = estate.play("-i", "hosts-serial.yml", "--skip-tags", "verify,webroot_firewall")
    assert rc == 0, out[-4000:]
    assert headers(out).count(APPLY_PLAY) == 10


# --- what ends a batched run early (docs/scale.md) ---------------------------------

def small_estate(directory, clients, **server_vars):
    return SimEstate(directory, {
        "webroot_servers": [("srv1", dict({"webroot_address": SERVER}, **server_vars))],
        "webroot_clients": clients,
    })


def test_a_batch_of_hosts_that_are_all_off_ends_the_run(tmp_path):
    """Ansible ends a run when every host of a batch failed or was unreachable,
    whatever max_fail_percentage says: two workstations that are off, alone in the last
    batch, stop the run before the report and the summary. In larger batches the same
    hosts are left out and named, and the run goes on."""
    skip_without_venv()
    port = closed_port()
    off = {"ansible_connection": "ssh", "ansible_host": "127.0.0.1", "ansible_port": port}
    estate = small_estate(str(tmp_path), [
        ("cli1", {"webroot_address": "198.18.90.31"}),
        ("off1", dict(off, webroot_address="198.18.90.32")),
        ("cli2", {"webroot_address": "198.18.90.33"}),
        ("off2", dict(off, webroot_address="198.18.90.34")),
    ])
    # Batches of 2: [srv1, cli1], [off1, cli2], [off2]: the last is all off.
    rc, out = estate.play("-e", "webroot_serial=2", "-e", "webroot_max_left_out=2", "--skip-tags", "verify")
    assert rc == 4, out[-4000:]
    assert headers(out)[-1] == APPLY_PLAY
    assert sorted(estate.rules("cli2")) == sorted([CS, SWEEP, POLL])   # earlier batches were done
    # Batches of 3: [srv1, cli1, off1], [cli2, off2]: the run goes on, and the summary
    # names the two hosts left out (within webroot_max_left_out: green).
    rc, out = estate.play("-e", "webroot_serial=3", "-e", "webroot_max_left_out=2", "--skip-tags", "verify")
    assert rc == 0, out[-4000:]
    flat = " ".join(out.split())
    assert "3 of 5 hosts converged, 2 left out (off1: unreachable:" in flat, flat[-3000:]
    assert "off2: unreachable:" in flat
    # The company server admits both, off or not (their addresses are known).
    assert estate.remote("srv1", CS) == ["198.18.90.31/32", "198.18.90.32/31", "198.18.90.34/32"]


def test_max_fail_percentage_counts_failed_hosts_and_ends_the_run(tmp_path):
    """webroot_max_fail_percentage (unset by default): a host that failed (Group Policy
    ignores local rules) is half of the first batch; above 40 % the run ends there, and
    the next batch's workstations are not touched. Unset, the run goes on and the summary
    names the failed host."""
    skip_without_venv()
    estate = small_estate(str(tmp_path), [
        ("gpo1", {"webroot_address": "198.18.90.31"}),
        ("cli1", {"webroot_address": "198.18.90.32"}),
        ("cli2", {"webroot_address": "198.18.90.33"}),
    ])
    estate.profiles("gpo1", {"domain": {"enabled": True, "allow_local_rules": False}}, ["domain"])
    rc, out = estate.play("-e", "webroot_serial=2", "-e", "webroot_max_fail_percentage=40", "--skip-tags", "verify")
    assert rc == 2, out[-4000:]
    assert headers(out).count(APPLY_PLAY) == 1 and headers(out)[-1] == APPLY_PLAY
    assert estate.rules("cli1") == {} and estate.rules("cli2") == {}
    rc, out = estate.play("-e", "webroot_serial=2", "--skip-tags", "verify")
    assert rc == 2, out[-4000:]
    assert headers(out).count(APPLY_PLAY) == 2
    assert "1 failed (gpo1: failed:" in " ".join(out.split())
    assert sorted(estate.rules("cli2")) == sorted([CS, SWEEP, POLL])

# -*- coding: utf-8 -*-
# Copyright: (c) 2026, webroot.enterprise contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The upgrade from 0.2.0: no moment where allowed traffic is denied.

0.2.0 (taken from this repository's history, commit RELEASE_0_2_0) converges a lab;
then this version runs over it. Its objects have the same shape (sets, rules,
services, Windows rule names), so the upgrade must change nothing: no task reports
a change, and every firewall holds exactly what it held, read with its own tools
(iptables-save, ipset save, ufw, firewall-cmd) before and after. Nothing removed and
re-added means no gap. The same on the Windows Firewall SIMULATOR: 0.2.0's roles with
0.2.0's simulator, then this version's roles with this version's simulator over the
same rule stores: no change, and one remote call per host (the read).
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import subprocess
import io
import tarfile

import pytest

from conftest import ROOT, env, topology
from winsim import COLLECTIONS, SIMULATOR_COLLECTIONS, read_calls, run_playbook, store_data, write_inventory

RELEASE_0_2_0 = "415bcee"   # "README: the measured suite time" on main, as 0.2.0 shipped
HOSTS = topology("wru-", "198.18.65.0/24", kinds={"client2": "firewalld"})
NETWORK, SUBNET = "webroot-upgrade", "198.18.65.0/24"


def old_collection(tmp_path_factory):
    """0.2.0 as a collection tree: (collections path, its root)."""
    if not os.path.isdir(os.path.join(ROOT, ".git")):
        pytest.skip("no git history here: the 0.2.0 release cannot be read")
    try:
        blob = subprocess.run(["git", "-C", ROOT, "archive", "--format=tar", RELEASE_0_2_0],
                              stdout=subprocess.PIPE, check=True).stdout
    except subprocess.CalledProcessError:
        pytest.skip("commit %s (0.2.0) is not in this clone's history" % RELEASE_0_2_0)
    base = str(tmp_path_factory.mktemp("webroot-0.2.0"))
    root = os.path.join(base, "ansible_collections", "webroot", "enterprise")
    os.makedirs(root)
    with tarfile.open(fileobj=io.BytesIO(blob)) as tar:
        tar.extractall(root)
    return base, root


def run_old(lab, base, root, inventory):
    """0.2.0's site.yml (verify skipped) against the lab, with 0.2.0 first on the path."""
    e = env()
    e["ANSIBLE_COLLECTIONS_PATH"] = os.pathsep.join([base, os.path.join(ROOT, ".cache", "collections")])
    cmd = ["ansible-playbook", "-i", inventory, os.path.join(root, "playbooks", "site.yml"),
           "-e", "webroot_gather_facts=false", "--skip-tags", "verify"]
    return subprocess.run(cmd, cwd=root, env=e, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          universal_newlines=True, timeout=900, check=False)


@pytest.mark.lab
def test_upgrade_from_0_2_0_changes_nothing_on_the_lab(lab_factory, tmp_path_factory):
    base, root = old_collection(tmp_path_factory)
    lab = lab_factory(HOSTS, NETWORK, SUBNET)
    inv = lab.inventory("upgrade")
    old = run_old(lab, base, root, inv)
    assert old.returncode == 0, old.stdout[-6000:]
    before = lab.rulesets()
    # Something of ours is there to upgrade (by hand: 0.2.0's set rule on client1).
    assert "webroot-client-service-v4" in before["wru-client1"], before["wru-client1"]
    run = lab.playbook(inv)
    assert run.rc == 0, run
    assert all(r["changed"] == 0 for r in run.recap().values()), run
    after = lab.rulesets()
    for name in before:
        assert after[name] == before[name], name
    lab.down()


# all: children: of the inventory (winsim.write_inventory writes all: vars:).
WIN_CHILDREN = """
    webroot_update_endpoints:
      hosts:
        upd1: {webroot_address: 198.18.60.5}
    webroot_distributors:
      hosts:
        dist1: {webroot_address: 198.18.60.11}
    webroot_servers:
      hosts:
        srv1: {webroot_address: 198.18.60.21}
    webroot_clients:
      hosts:
        cli1: {webroot_address: 198.18.60.31}
        cli2: {webroot_address: 198.18.60.32, webroot_windows_profiles: [domain, private, public]}
"""
WIN_PLAY = """
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


def test_upgrade_from_0_2_0_changes_nothing_on_windows(tmp_path_factory):
    base, root = old_collection(tmp_path_factory)
    work = str(tmp_path_factory.mktemp("winupgrade"))
    stores = os.path.join(work, "stores")
    os.makedirs(stores)
    write_inventory(os.path.join(work, "hosts.yml"), WIN_CHILDREN)
    with open(os.path.join(work, "play.yml"), "w") as handle:
        handle.write(WIN_PLAY)
    log = os.path.join(work, "calls.jsonl")

    def play(simulators, collections):
        # The given simulator and collection first (0.2.0's, or this version's).
        return run_playbook(work, ["-i", "hosts.yml", "play.yml", "-e", "win_store_dir=" + stores], log=log,
                            collections_path=[simulators, collections, COLLECTIONS], timeout=600)

    old = play(os.path.join(root, "tests", "simulators", "collections"), base)
    assert old.returncode == 0, old.stdout[-6000:]
    before = dict((h, store_data(stores, h)) for h in ("dist1", "srv1", "cli1", "cli2"))
    # 0.2.0 wrote the rules (by hand: the workstation's three inbound rules).
    assert sorted(r["Name"] for r in before["cli1"]["rules"]) == [
        "Webroot Enterprise - Client Service (TCP 50000 in)", "Webroot Enterprise - Poll Now (TCP 50002 in)",
        "Webroot Enterprise - Sweep Now (TCP 50001 in)"]
    new = play(SIMULATOR_COLLECTIONS, COLLECTIONS)   # run_playbook removes the old run's call log
    assert new.returncode == 0, new.stdout[-6000:]
    assert "changed=0" in new.stdout and "changed=1" not in new.stdout and "changed=2" not in new.stdout, \
        new.stdout[-3000:]
    after = dict((h, store_data(stores, h)) for h in before)
    assert [after[h]["rules"] for h in before] == [before[h]["rules"] for h in before]
    calls = [call["module"] for call in read_calls(log)]
    assert calls == ["win_powershell"] * 4

# -*- coding: utf-8 -*-
# Copyright: (c) 2026, webroot.enterprise contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A night on which names do not resolve removes nothing (issue 24, item 1), on the
lab's iptables, firewalld and ufw (read with ipset, firewall-cmd and ufw) and on the
Windows Firewall simulator (its rule store).

Names are answered by a stand-in resolver (tests/integration/standin_resolver: a
sitecustomize that replaces socket.getaddrinfo in the ansible-playbook process);
no name is sent to a real resolver. The lab is this module's own: containers
``wu-*`` on 198.18.120.0/24. Four workstations exist only in the inventory (ws-a..d,
left out of the run with --limit): the servers and distributors admit them by the
addresses their names resolve to. Every expectation is written by hand.

Night 1: every name resolves. Night 2: ws-a's and the company server's DNS answers
fail on the server's side (EAI_AGAIN), ws-b's does not come within the time budget,
ws-c's name no longer exists (NXDOMAIN), ws-d moved: nothing is removed anywhere, the
new address is added, the run names the unknown hosts. Night 3: every name answers
again (ws-c still gone): each firewall holds exactly the new scope.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import ipaddress
import json
import os
import re
import subprocess

import pytest
import yaml

from conftest import ROOT, env, topology
from winsim import rules_by_name, run_playbook, sim, skip_without_venv, store_path, write_inventory

PREFIX = "wu-"
SUBNET = "198.18.120.0/24"
STANDIN = os.path.join(os.path.dirname(os.path.abspath(__file__)), "standin_resolver")
PAPER = ("ws-a", "ws-b", "ws-c", "ws-d")

NIGHT1 = {"ws-a.corp.example": "198.18.120.51", "ws-b.corp.example": "198.18.120.52",
          "ws-c.corp.example": "198.18.120.53", "ws-d.corp.example": "198.18.120.54",
          "wu-server1": "198.18.120.21"}
NIGHT2 = {"ws-a.corp.example": "again", "ws-b.corp.example": {"hang": 4},
          "ws-c.corp.example": "noname", "ws-d.corp.example": "198.18.120.64",
          "wu-server1": "again"}
NIGHT3 = {"ws-a.corp.example": "198.18.120.51", "ws-b.corp.example": "198.18.120.52",
          "ws-c.corp.example": "noname", "ws-d.corp.example": "198.18.120.64",
          "wu-server1": "198.18.120.21"}


def nets(entries):
    return sorted((str(ipaddress.ip_network(e)) for e in entries), key=ipaddress.ip_network)


@pytest.fixture(scope="module")
def lab(lab_factory):
    hosts = topology(PREFIX, SUBNET, only=("dist1", "server1", "client1", "update1", "dist2"))
    return lab_factory(hosts, "webroot-unknown", SUBNET)


@pytest.fixture(scope="module")
def inventory(lab):
    # The company server's address comes from DNS (its name), the rest of the lab's
    # from webroot_address; the paper workstations have names only (an AD inventory).
    path = lab.inventory("unknown", hostvars={PREFIX + "server1": {"webroot_address": ""}},
                         allvars={"webroot_resolve_names": True, "webroot_resolve_timeout": 2})
    with open(path) as f:
        inv = yaml.safe_load(f)
    for name in PAPER:
        inv["all"]["children"]["webroot_clients"]["hosts"][name] = {"ansible_host": name + ".corp.example"}
    with open(path, "w") as f:
        yaml.safe_dump(inv, f, default_flow_style=False)
    return path


def night(lab, inventory, answers, *args, **kw):
    answers_path = os.path.join(lab.tmpdir, "answers.json")
    with open(answers_path, "w") as f:
        json.dump(answers, f)
    e = env()
    e["PYTHONPATH"] = STANDIN + os.pathsep + e.get("PYTHONPATH", "")
    e["WEBROOT_TEST_RESOLVER"] = answers_path
    cmd = lab.playbook_cmd(inventory, "--limit", "all:!ws-*", *args, skip=kw.get("skip", True))
    res = subprocess.run(cmd, cwd=ROOT, env=e, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                         universal_newlines=True, timeout=900, check=False)
    return res.returncode, res.stdout


def scopes(lab):
    """What each firewall admits, per rule of interest, read with its own tools."""
    h = lab.holdings()
    ufw = h[PREFIX + "server1"]["rules"]
    out = {
        "server1 client_service (ufw)": nets(
            re.search(r"from (\S+)", line).group(1) for line in ufw if "client_service 50000/tcp in" in line),
        "dist1 update_distributor (firewalld, permanent)":
            nets(h[PREFIX + "dist1"]["permanent"]["ipsets"]["webroot-update-distributor-v4"]["entries"]),
        "dist1 update_distributor (firewalld, runtime)":
            nets(h[PREFIX + "dist1"]["runtime"]["ipsets"]["webroot-update-distributor-v4"]["entries"]),
        "dist2 update_distributor (iptables)":
            nets(h[PREFIX + "dist2"]["sets"]["webroot-update-distributor-v4"]["entries"]),
        "client1 sweep_now (iptables)": nets(h[PREFIX + "client1"]["sets"]["webroot-sweep-now-v4"]["entries"]),
        "client1 sweep_now rule": [line for line in h[PREFIX + "client1"]["ipv4"] if "sweep_now" in line],
    }
    return out


SWEEP_RULE = ["-A INPUT -p tcp -m tcp --dport 50001 -m set --match-set webroot-sweep-now-v4 src "
              "-m comment --comment \"webroot.enterprise sweep_now 50001/tcp in\" -j ACCEPT"]


def expected(clients):
    return {
        "server1 client_service (ufw)": clients,
        "dist1 update_distributor (firewalld, permanent)": clients,
        "dist1 update_distributor (firewalld, runtime)": clients,
        "dist2 update_distributor (iptables)": clients,
        "client1 sweep_now (iptables)": ["198.18.120.21/32"],
        "client1 sweep_now rule": SWEEP_RULE,
    }


def test_a_night_of_failing_names_removes_nothing_and_the_next_converges(lab, inventory):
    rc, out = night(lab, inventory, NIGHT1)
    assert rc == 0, out[-4000:]
    assert scopes(lab) == expected(["198.18.120.31/32", "198.18.120.51/32", "198.18.120.52/31",
                                    "198.18.120.54/32"])

    rc, out = night(lab, inventory, NIGHT2)
    assert rc == 0, out[-4000:]
    # Nothing removed: ws-a, ws-b and the server are unknown; ws-d's new address added.
    assert scopes(lab) == expected(["198.18.120.31/32", "198.18.120.51/32", "198.18.120.52/31",
                                    "198.18.120.54/32", "198.18.120.64/32"])
    flat = " ".join(out.split())
    assert "the address of ws-a, ws-b is unknown this run" in flat, out[-6000:]
    assert "ws-b.corp.example did not resolve within 2 s" in flat
    assert "Temporary failure in name resolution" in flat
    assert "the address of wu-server1 is unknown this run" in flat
    assert "what the firewall admits was kept" in flat

    rc, out = night(lab, inventory, NIGHT3)
    assert rc == 0, out[-4000:]
    assert scopes(lab) == expected(["198.18.120.31/32", "198.18.120.51/32", "198.18.120.52/32",
                                    "198.18.120.64/32"])
    assert "is unknown this run" not in " ".join(out.split())


def test_an_inventory_that_lost_half_its_workstations_removes_nothing_without_a_say(lab, inventory):
    """Issue 24, item 2: after night 3 (.31, .51, .52, .64 admitted), an inventory that lost
    ws-a, ws-b and ws-d (an AD sync cut short) refuses the change on every host whose
    scope would shrink that much; raised on purpose, the same inventory goes through."""
    rc, out = night(lab, inventory, NIGHT3)
    assert rc == 0, out[-4000:]
    with open(inventory) as f:
        inv = yaml.safe_load(f)
    for name in ("ws-a", "ws-b", "ws-d"):
        del inv["all"]["children"]["webroot_clients"]["hosts"][name]
    shrunk = os.path.join(lab.tmpdir, "shrunk.yml")
    with open(shrunk, "w") as f:
        yaml.safe_dump(inv, f, default_flow_style=False)
    before = scopes(lab)
    rc, out = night(lab, shrunk, NIGHT3)
    assert rc != 0
    assert scopes(lab) == before
    flat = " ".join(out.split())
    # Both distributors refuse (and the run stops there: no host of the play is left).
    for host in ("wu-dist1", "wu-dist2"):
        assert ("update_distributor on %s: update_distributor in 50003/tcp: this run would remove 3 of the 4 "
                "addresses or networks the rule admits from its scope (webroot_clients: 198.18.120.51/32, "
                "198.18.120.52/32, 198.18.120.64/32), more than webroot_max_removed_share=20%% allows at once (2)"
                % host) in flat, flat[-6000:]
    rc, out = night(lab, shrunk, NIGHT3, "-e", "webroot_max_removed_share=100")
    assert rc == 0, out[-4000:]
    assert scopes(lab) == expected(["198.18.120.31/32"])


def test_site_on_a_dns_addressed_estate_ends_with_its_reachability_proof(lab, inventory):
    """Issue 24, item 6: the company server's address comes from DNS (the stand-in), and
    site.yml, verify included, proves every flow with real connections between the lab's
    containers. The paper workstations leave the inventory first (verify would connect to
    them: nothing answers there), a clean-up on purpose (webroot_max_removed_share=100)."""
    with open(inventory) as f:
        inv = yaml.safe_load(f)
    for name in PAPER:
        del inv["all"]["children"]["webroot_clients"]["hosts"][name]
    lab_only = os.path.join(lab.tmpdir, "lab-only.yml")
    with open(lab_only, "w") as f:
        yaml.safe_dump(inv, f, default_flow_style=False)
    reports = os.path.join(lab.tmpdir, "reports")
    rc, out = night(lab, lab_only, NIGHT1, "-e", "verify_report_dir=%s" % reports,
                    "-e", "webroot_max_removed_share=100", skip=False)
    flat = " ".join(out.split())
    assert rc == 0, out[-6000:]
    assert "cannot tell the address" not in flat
    assert re.search(r"(\d+) of \1 Webroot flows met their expectation, 0 failed, 0 not run", flat), flat[-6000:]
    with open(os.path.join(reports, "webroot-verify.json")) as f:
        data = json.load(f)
    hosts = dict((row[0], row) for row in data["hosts"]["rows"])
    assert PREFIX + "server1" in hosts


# --- Windows, on the simulator ----------------------------------------------------------

WIN_CHILDREN = """
    webroot_distributors:
      hosts:
        dist1: {webroot_address: 198.18.120.11, update_service_any_destination: true}
    webroot_servers:
      hosts:
        srv1: {webroot_address: 198.18.120.21}
    webroot_clients:
      hosts:
%s
""" % "\n".join("        ws%d: {ansible_host: ws%d.corp.example}" % (i, i) for i in range(1, 9))
WIN_PLAYBOOK = """
- ansible.builtin.import_playbook: {root}/playbooks/validate.yml
- name: Distributors
  hosts: webroot_distributors
  gather_facts: false
  environment:
    WEBROOT_WINFW_SIMULATOR_STORE: "{{{{ win_store_dir }}}}/{{{{ inventory_hostname }}}}.json"
  roles: [webroot.enterprise.update_service, webroot.enterprise.update_distributor]
- name: Company server
  hosts: webroot_servers
  gather_facts: false
  environment:
    WEBROOT_WINFW_SIMULATOR_STORE: "{{{{ win_store_dir }}}}/{{{{ inventory_hostname }}}}.json"
  roles: [webroot.enterprise.client_service]
"""
CS = "Webroot Enterprise - Client Service (TCP 50000 in)"
UD = "Webroot Enterprise - Update Distributor (TCP 50003 in)"


def win_night(directory, answers, *args):
    path = os.path.join(directory, "answers.json")
    with open(path, "w") as f:
        json.dump(answers, f)
    proc = run_playbook(directory, ["-i", "hosts.yml", "play.yml", "-e", "win_store_dir=" + directory] + list(args),
                        extra={"PYTHONPATH": STANDIN, "WEBROOT_TEST_RESOLVER": path})
    return proc.returncode, " ".join(proc.stdout.split())


def remote(directory, host, name):
    return rules_by_name(directory, host)[name]["RemoteAddresses"]


def masks(last_octets):
    return ",".join("198.18.120.%d/255.255.255.255" % i for i in last_octets)


def test_windows_half_the_workstations_unresolved_removes_nothing(tmp_path):
    skip_without_venv()
    directory = str(tmp_path)
    write_inventory(os.path.join(directory, "hosts.yml"), WIN_CHILDREN, webroot_gather_facts=False,
                    webroot_resolve_names=True, webroot_resolve_timeout=2)
    with open(os.path.join(directory, "play.yml"), "w") as f:
        f.write(WIN_PLAYBOOK.format(root=ROOT))
    for host in ("dist1", "srv1"):
        sim.save(store_path(directory, host), [])
    # Every workstation at .3N apart from one another (no aggregation).
    night1 = dict(("ws%d.corp.example" % i, "198.18.120.%d" % (30 + 2 * i)) for i in range(1, 9))
    rc, out = win_night(directory, night1)
    assert rc == 0, out[-4000:]
    all8 = masks([32, 34, 36, 38, 40, 42, 44, 46])
    assert remote(directory, "srv1", CS) == all8
    assert remote(directory, "dist1", UD) == all8

    # The second night: 4 of 8 names do not resolve (the server did not answer).
    night2 = dict(night1, **dict(("ws%d.corp.example" % i, "again") for i in range(5, 9)))
    rc, out = win_night(directory, night2)
    assert rc == 0, out[-4000:]
    assert remote(directory, "srv1", CS) == all8
    assert remote(directory, "dist1", UD) == all8
    assert "the address of ws5, ws6, ws7, ws8 is unknown this run" in out, out[-4000:]

    # Every name answers again, ws8 has moved: exactly the new scope.
    night3 = dict(night1, **{"ws8.corp.example": "198.18.120.48"})
    rc, out = win_night(directory, night3)
    assert rc == 0, out[-4000:]
    assert remote(directory, "srv1", CS) == masks([32, 34, 36, 38, 40, 42, 44, 48])
    assert remote(directory, "dist1", UD) == masks([32, 34, 36, 38, 40, 42, 44, 48])

    # Issue 24, item 2: the inventory loses half its workstations (an AWX job slice):
    # refused on both hosts, nothing changed; raised on purpose, it goes through.
    with open(os.path.join(directory, "hosts.yml")) as f:
        text = f.read()
    with open(os.path.join(directory, "hosts.yml"), "w") as f:
        f.write("\n".join(line for line in text.splitlines()
                          if not any(line.strip().startswith("ws%d:" % i) for i in range(5, 9))) + "\n")
    rc, out = win_night(directory, night3)
    assert rc != 0
    assert "this run would remove 4 of the 8 addresses or networks the rule admits from its scope" in out, out[-4000:]
    assert "webroot_max_removed_share=20% allows at once (2)" in out
    assert remote(directory, "srv1", CS) == masks([32, 34, 36, 38, 40, 42, 44, 48])
    assert remote(directory, "dist1", UD) == masks([32, 34, 36, 38, 40, 42, 44, 48])
    rc, out = win_night(directory, night3, "-e", "webroot_max_removed_share=50")
    assert rc == 0, out[-4000:]
    assert remote(directory, "srv1", CS) == masks([32, 34, 36, 38])
    assert remote(directory, "dist1", UD) == masks([32, 34, 36, 38])

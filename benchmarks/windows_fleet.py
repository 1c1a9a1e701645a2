#!/usr/bin/env python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, webroot.enterprise contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What do the component roles cost on a Windows fleet, against a hand-written playbook? In one run.

An estate on the Windows Firewall simulator (tests/simulators, see its README): N
workstations (default 200), 2 company servers, 1 distributor, 1 update endpoint
(``webroot_update_endpoints``, a peer only: never run on). Every host is
``ansible_connection: local`` with its own rule store (play keyword
``environment: WEBROOT_WINFW_SIMULATOR_STORE``), ``webroot_firewall_backend: windows``,
``webroot_address`` in 198.18.0.0/15 (workstations every second address of
198.19.0.0/16, so none merge into a CIDR), ``gather_facts: false`` on both sides.

* side A, "roles": a play per group as playbooks/site.yml has them (distributors:
  update_service + update_distributor; servers and workstations: client_service,
  sweep_now, poll_now), without the facts, validate, report and verify plays. Each
  role is one task (webroot.enterprise.component_rules): one read of the host's
  firewall per run (win_powershell), then win_firewall_rule only for rules that differ.
* side B, "hand-written": one task per host, a loop of
  ``community.windows.win_firewall_rule`` items giving the same rules, with the
  names, group and description the roles use (plugins/plugin_utils/winfw.py
  module_args, fw_windows.windows_chunks: 1,000 remote addresses per rule at most,
  the next ones in '<name> #2', ...). The remote addresses come from the inventory
  groups in Jinja, as a user would write it.

Each side gets a fresh store directory, a first run (empty stores) and a no-op
rerun, interleaved (A first, B first, A rerun, B rerun; the next round starts with
B) so that machine noise hits both. Figures: wall time of each ansible-playbook,
the ratio roles / hand-written, remote module calls per host (from the simulator's
call log, WEBROOT_WINFW_SIMULATOR_LOG: one line per stand-in call, the store path
names the host) and tasks per host (PLAY RECAP of the rerun). Both sides must end
with equivalent rules on every host, and the roles' rerun must change nothing: the
script fails loudly otherwise.

Run: .venv/bin/python benchmarks/windows_fleet.py [--workstations 200] [--forks 8]
[--rounds 1] [--json FILE]
"""
from __future__ import absolute_import, division, print_function

import argparse
import importlib.util
import json
import math
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

from bench_common import recap  # benchmarks/bench_common.py

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
VENV = os.path.join(REPO, ".venv")
SIM_COLLECTIONS = os.path.join(REPO, "tests", "simulators", "collections")
SIM_UTILS = os.path.join(SIM_COLLECTIONS, "ansible_collections", "community", "windows", "plugins",
                         "module_utils", "windows_firewall_simulator.py")
CATALOG = os.path.join(REPO, "plugins", "plugin_utils", "catalog.py")
MAX_ADDRESSES = 1000   # fw_windows.WINDOWS_MAX_ADDRESSES: Windows 10 / Server 2016-2019


def _load(name, path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


SIM = _load("windows_firewall_simulator", SIM_UTILS)
CAT = _load("webroot_catalog", CATALOG)
ROWS = dict((row["component"], row) for row in CAT.TABLE_11)

DISTRIBUTOR = ("dist1", "198.18.0.11")
SERVERS = (("srv1", "198.18.0.21"), ("srv2", "198.18.0.23"))
UPDATE_ENDPOINT = ("upd1", "198.18.0.5")

ROLES_PLAYBOOK = """
- name: Distributors - Update Service (443 out) and Update Distributor (50003 in)
  hosts: webroot_distributors
  gather_facts: false
  environment:
    WEBROOT_WINFW_SIMULATOR_STORE: "{{ store_dir }}/{{ inventory_hostname }}.json"
  roles:
    - webroot.enterprise.update_service
    - webroot.enterprise.update_distributor

- name: Company server and workstations - Client Service, Sweep Now, Poll Now
  hosts: webroot_servers:webroot_clients
  gather_facts: false
  environment:
    WEBROOT_WINFW_SIMULATOR_STORE: "{{ store_dir }}/{{ inventory_hostname }}.json"
  roles:
    - webroot.enterprise.client_service
    - webroot.enterprise.sweep_now
    - webroot.enterprise.poll_now
"""

# What a user would write without the collection: one task, the rules of the host
# (group vars webroot_hand_rules) as loop items.
HAND_PLAYBOOK = """
- name: Webroot rules, hand-written
  hosts: webroot_distributors:webroot_servers:webroot_clients
  gather_facts: false
  environment:
    WEBROOT_WINFW_SIMULATOR_STORE: "{{ store_dir }}/{{ inventory_hostname }}.json"
  tasks:
    - name: Webroot firewall rules
      community.windows.win_firewall_rule:
        name: "{{ item.name }}"
        group: Webroot Enterprise
        description: "{{ item.description }}"
        direction: "{{ item.direction }}"
        action: allow
        protocol: tcp
        localport: "{{ item.port if item.direction == 'in' else 'any' }}"
        remoteport: "{{ 'any' if item.direction == 'in' else item.port }}"
        localip: any
        remoteip: "{{ (groups[item.peers] | map('extract', hostvars, 'webroot_address')
                      | batch(1000) | list)[item.chunk] | join(',') }}"
        program: any
        service: any
        profiles: [domain, private]
        enabled: true
        state: present
      loop: "{{ webroot_hand_rules }}"
      loop_control:
        label: "{{ item.name }}"
"""


def windows_name(component, port, direction, index=1):
    """rules.windows_name, plus the ' #N' of fw_windows.windows_chunks."""
    base = "%s - %s (TCP %s %s)" % (CAT.WINDOWS_GROUP, ROWS[component]["title"], port, direction)
    return base if index == 1 else "%s #%d" % (base, index)


def hand_rules(specs, peer_counts):
    """Loop items: (component, direction, peers group) -> one item per chunk."""
    out = []
    for component, direction, peers in specs:
        port = ROWS[component]["port"]
        for chunk in range(max(1, int(math.ceil(peer_counts[peers] / float(MAX_ADDRESSES))))):
            out.append({"name": windows_name(component, port, direction, chunk + 1),
                        "description": ROWS[component]["vendor"], "direction": direction,
                        "port": str(port), "peers": peers, "chunk": chunk})
    return out


def workstations(n):
    # Odd addresses only: no two are in one /31, so none merge into a CIDR.
    return [("ws%05d" % i, "198.19.%d.%d" % ((2 * i + 1) // 256, (2 * i + 1) % 256)) for i in range(n)]


def inventory(path, n):
    counts = {"webroot_clients": n, "webroot_servers": len(SERVERS), "webroot_update_endpoints": 1}
    group_rules = {
        "webroot_distributors": hand_rules((("update_service", "out", "webroot_update_endpoints"),
                                            ("update_distributor", "in", "webroot_clients")), counts),
        "webroot_servers": hand_rules((("client_service", "in", "webroot_clients"),
                                       ("sweep_now", "in", "webroot_servers"),
                                       ("poll_now", "in", "webroot_servers")), counts),
        "webroot_clients": hand_rules((("client_service", "in", "webroot_servers"),
                                       ("sweep_now", "in", "webroot_servers"),
                                       ("poll_now", "in", "webroot_servers")), counts),
    }
    hosts = {
        "webroot_update_endpoints": [UPDATE_ENDPOINT],
        "webroot_distributors": [DISTRIBUTOR],
        "webroot_servers": list(SERVERS),
        "webroot_clients": workstations(n),
    }
    children = {}
    for group, members in hosts.items():
        children[group] = {"hosts": dict((name, {"webroot_address": addr}) for name, addr in members)}
        if group in group_rules:
            children[group]["vars"] = {"webroot_hand_rules": group_rules[group]}
    data = {"all": {"vars": {
        "ansible_connection": "local",
        "ansible_shell_type": "sh",
        "ansible_python_interpreter": os.path.join(VENV, "bin", "python"),
        "webroot_firewall_backend": "windows",
    }, "children": children}}
    with open(path, "w") as handle:
        json.dump(data, handle, indent=1)


def run(tmp, side, playbook, inv, store_dir, log, forks):
    env = dict(os.environ)
    env.update({
        "PATH": os.path.join(VENV, "bin") + os.pathsep + env.get("PATH", ""),
        "ANSIBLE_CONFIG": os.path.join(REPO, "ansible.cfg"),
        "ANSIBLE_COLLECTIONS_PATH": os.pathsep.join([SIM_COLLECTIONS, os.path.join(REPO, ".cache", "collections")]),
        "ANSIBLE_STDOUT_CALLBACK": "ansible.builtin.default",
        "ANSIBLE_NOCOLOR": "1",
        "ANSIBLE_RETRY_FILES_ENABLED": "0",
        "ANSIBLE_LOCAL_TEMP": os.path.join(tmp, "ansible-tmp"),
        "WEBROOT_WINFW_SIMULATOR_LOG": log,
    })
    cmd = [os.path.join(VENV, "bin", "ansible-playbook"), "-i", inv, playbook, "--forks", str(forks),
           "-e", "store_dir=" + store_dir]
    start = time.monotonic()
    proc = subprocess.run(cmd, cwd=tmp, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          universal_newlines=True, timeout=7200, check=False)
    took = time.monotonic() - start
    if proc.returncode != 0:
        sys.exit("side %s: ansible-playbook failed (rc %d):\n%s" % (side, proc.returncode, proc.stdout[-6000:]))
    return took, proc.stdout


def calls_per_host(log):
    """{host: {"win_powershell": n, "win_firewall_rule": n, "total": n, "changed": n}} from the call log."""
    out = {}
    with open(log) as handle:
        for line in handle:
            entry = json.loads(line)
            host = os.path.splitext(os.path.basename(entry["store"] or "?"))[0]
            counts = out.setdefault(host, {"win_powershell": 0, "win_firewall_rule": 0, "total": 0, "changed": 0})
            counts[entry["module"]] = counts.get(entry["module"], 0) + 1
            counts["total"] += 1
            counts["changed"] += 1 if entry.get("changed") else 0
            if entry.get("failed"):
                sys.exit("a module call failed: %s" % line)
    return out


def comparable(rules):
    """{lower-case name: properties} of our rules, Id left out, addresses as networks."""
    out = {}
    for rule in rules:
        if rule.get("Grouping") != CAT.WINDOWS_GROUP:
            continue
        props = dict((k, v) for k, v in rule.items() if k != "Id")
        for key in ("RemoteAddresses", "LocalAddresses"):
            props[key] = SIM.remote_networks(props.get(key))
        out[rule["Name"].lower()] = props
    return out


def compare_stores(dir_a, dir_b, hosts):
    problems = []
    for host in hosts:
        a = comparable(SIM.load(os.path.join(dir_a, host + ".json")))
        b = comparable(SIM.load(os.path.join(dir_b, host + ".json")))
        if not a:
            problems.append("%s: no rule of ours after the roles" % host)
        if sorted(a) != sorted(b):
            problems.append("%s: rules %s (roles) != %s (hand-written)" % (host, sorted(a), sorted(b)))
            continue
        for name in a:
            diff = sorted(k for k in set(a[name]) | set(b[name]) if a[name].get(k) != b[name].get(k))
            if diff:
                problems.append("%s: %s differs in %s" % (host, name, ", ".join(diff)))
    return problems


def median(values):
    return statistics.median(values) if values else float("nan")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("--workstations", type=int, default=200)
    ap.add_argument("--forks", type=int, default=8)
    ap.add_argument("--rounds", type=int, default=1,
                    help="rounds of (first run, rerun) per side, each on fresh stores; times are medians")
    ap.add_argument("--json", metavar="FILE", help="write the figures to FILE as JSON")
    ap.add_argument("--keep", action="store_true", help="keep the temporary directory")
    args = ap.parse_args()

    tmp = tempfile.mkdtemp(prefix="webroot-winfleet-")
    os.makedirs(os.path.join(tmp, "ansible-tmp"))
    inv = os.path.join(tmp, "hosts.json")
    inventory(inv, args.workstations)
    books = {"roles": os.path.join(tmp, "roles.yml"), "hand": os.path.join(tmp, "hand.yml")}
    for side, text in (("roles", ROLES_PLAYBOOK), ("hand", HAND_PLAYBOOK)):
        with open(books[side], "w") as handle:
            handle.write(text)
    ws_names = [name for name, _addr in workstations(args.workstations)]
    managed = [DISTRIBUTOR[0]] + [s for s, _a in SERVERS] + ws_names
    sample = {"workstation": ws_names[0], "server": SERVERS[0][0], "distributor": DISTRIBUTOR[0]}
    print("Windows fleet on the simulator: %d workstations, %d servers, 1 distributor, 1 update endpoint; "
          "forks %d; %d round(s); %s" % (args.workstations, len(SERVERS), args.forks, args.rounds, tmp), flush=True)

    load_before = os.getloadavg()
    times = {"roles": {"first": [], "rerun": []}, "hand": {"first": [], "rerun": []}}
    calls = {}     # (side, run) -> per host, from round 1
    recaps = {}    # (side, run) -> recap, from round 1
    problems = []
    for rnd in range(args.rounds):
        order = ("roles", "hand") if rnd % 2 == 0 else ("hand", "roles")
        stores = {}
        for side in order:
            stores[side] = os.path.join(tmp, "stores-%s-%d" % (side, rnd))
            os.makedirs(stores[side])
        for kind in ("first", "rerun"):
            for side in order:
                log = os.path.join(tmp, "calls-%s-%s-%d.jsonl" % (side, kind, rnd))
                open(log, "w").close()
                took, out = run(tmp, side, books[side], inv, stores[side], log, args.forks)
                rc = recap(out)
                times[side][kind].append(took)
                changed = sum(r["changed"] for r in rc.values())
                print("round %d  %-5s %-5s %7.1f s  (changed in the recap: %d)" % (rnd + 1, side, kind, took, changed),
                      flush=True)
                if kind == "rerun" and side == "roles" and changed:
                    sys.exit("FAILED: the roles' rerun changed something: %s"
                             % ", ".join("%s changed=%d" % (h, r["changed"]) for h, r in sorted(rc.items())
                                         if r["changed"]))
                if rnd == 0:
                    calls[(side, kind)] = calls_per_host(log)
                    recaps[(side, kind)] = rc
        problems += ["round %d: %s" % (rnd + 1, p) for p in compare_stores(stores["roles"], stores["hand"], managed)]

    def mod_calls(side, kind, host):
        return calls[(side, kind)].get(host, {}).get("total", 0)

    def tasks(side, host):
        r = recaps[(side, "rerun")][host]
        return r["ok"] + r["failed"]   # ok already counts the changed tasks

    t = dict((side, dict((k, median(v)) for k, v in runs.items())) for side, runs in times.items())
    ratio = dict((k, t["roles"][k] / t["hand"][k]) for k in ("first", "rerun"))
    ws = sample["workstation"]
    rerun_changed = dict((side, sum(r["changed"] for r in recaps[(side, "rerun")].values())) for side in times)
    per_host_rerun_calls_roles = set(calls[("roles", "rerun")].get(h, {}).get("total", 0) for h in managed)
    goals = [
        ("first run, roles / hand-written", "%.2fx" % ratio["first"], "<= 1.5x", ratio["first"] <= 1.5),
        ("no-op rerun, roles / hand-written", "%.2fx" % ratio["rerun"], "<= 1.5x", ratio["rerun"] <= 1.5),
        ("rerun module calls per host, roles (every host)",
         "/".join(str(c) for c in sorted(per_host_rerun_calls_roles)), "1",
         per_host_rerun_calls_roles == {1}),
        ("rerun module calls, hand-written workstation", str(mod_calls("hand", "rerun", ws)), "3 (reference)",
         mod_calls("hand", "rerun", ws) == 3),
        ("rerun tasks, roles workstation (3 components)", str(tasks("roles", ws)), "<= 6 (2 per component)",
         tasks("roles", ws) <= 6),
        ("rerun changed, roles (all hosts)", str(rerun_changed["roles"]), "0", rerun_changed["roles"] == 0),
    ]

    load_after = os.getloadavg()
    machine = (platform.release(), os.cpu_count() or 0, platform.python_version(), load_before[0], load_after[0],
               args.workstations, args.forks, args.rounds, " (median times)" if args.rounds > 1 else "")
    print("\nmachine: Linux %s, %d CPUs, Python %s, load average before %.2f / after %.2f (1 min); %d workstations, "
          "forks %d, %d round(s)%s" % machine)
    print("\n| run | roles (s) | hand-written (s) | roles / hand | goal | met |")
    print("|---|---|---|---|---|---|")
    for kind, label in (("first", "first run (empty stores)"), ("rerun", "no-op rerun")):
        met = "yes" if ratio[kind] <= 1.5 else "NO"
        print("| %s | %.1f | %.1f | %.2fx | <= 1.5x | %s |" % (label, t["roles"][kind], t["hand"][kind], ratio[kind], met))
    print("\n| remote module calls per host | roles first | roles rerun | hand first | hand rerun |")
    print("|---|---|---|---|---|")
    for label, host in (("workstation (%s)" % ws, ws), ("server (%s)" % sample["server"], sample["server"]),
                        ("distributor (%s)" % sample["distributor"], sample["distributor"])):
        print("| %s | %d | %d | %d | %d |" % (label, mod_calls("roles", "first", host), mod_calls("roles", "rerun", host),
                                              mod_calls("hand", "first", host), mod_calls("hand", "rerun", host)))
    totals = dict(("%s_%s" % key, sum(c["total"] for c in v.values())) for key, v in calls.items())
    print("| all hosts (sum) | %d | %d | %d | %d |" % (totals["roles_first"], totals["roles_rerun"],
                                                       totals["hand_first"], totals["hand_rerun"]))
    print("\n| tasks per host, rerun (ok+failed; ok counts changed; skipped apart) | roles | hand-written |")
    print("|---|---|---|")
    for label, host in (("workstation", ws), ("server", sample["server"]), ("distributor", sample["distributor"])):
        rr, rh = recaps[("roles", "rerun")][host], recaps[("hand", "rerun")][host]
        print("| %s | %d (changed %d, skipped %d) | %d (changed %d, skipped %d) |"
              % (label, tasks("roles", host), rr["changed"], rr["skipped"], tasks("hand", host), rh["changed"],
                 rh["skipped"]))
    print("\n| goal | measured | target | met |")
    print("|---|---|---|---|")
    for name, value, target, met in goals:
        print("| %s | %s | %s | %s |" % (name, value, target, "yes" if met else "NO"))
    same = "equivalent on all %d hosts" % len(managed) if not problems else "DIFFERENT"
    print("\nrules, roles versus hand-written: %s" % same)
    for p in problems[:20]:
        print("  " + p)

    if args.json:
        with open(args.json, "w") as handle:
            json.dump({
                "date": time.strftime("%Y-%m-%d"), "kernel": platform.release(), "cpus": os.cpu_count(),
                "python": platform.python_version(), "workstations": args.workstations, "forks": args.forks,
                "rounds": args.rounds, "load_before": load_before, "load_after": load_after, "times": times, "median": t, "ratio": ratio,
                "module_calls": dict(("%s_%s" % k, dict((h, v[h]) for h in sample.values() if h in v))
                                     for k, v in calls.items()),
                "module_calls_total": totals,
                "rerun_recap": dict((side, dict((h, recaps[(side, "rerun")][h]) for h in sample.values()))
                                    for side in times),
                "goals": [{"goal": g[0], "measured": g[1], "target": g[2], "met": g[3]} for g in goals],
                "equivalent": not problems, "problems": problems,
            }, handle, indent=1)
    if not args.keep:
        shutil.rmtree(tmp, ignore_errors=True)
    if problems:
        sys.exit("FAILED: the two sides do not end with equivalent rules")


if __name__ == "__main__":
    main()

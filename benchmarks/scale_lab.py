#!/usr/bin/env python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, webroot.enterprise contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""How the whole job (playbooks/site.yml) grows with the number of workstations.

For each N in --clients (default 2 4 8), one after the other, it brings up a lab
of its own with scripts/lab.sh on the podman network ``webroot-scale``
(198.18.40.0/24, containers ``wrx-*``):

* ``wrx-dist1``   distributor, iptables         198.18.40.11
* ``wrx-server1`` company server, ufw           198.18.40.21
* ``wrx-update1`` update endpoint (HTTPS 443)   198.18.40.41
* ``wrx-client1..N`` workstations, iptables     198.18.40.101..

writes a TSV and an inventory for it in a temporary directory, and times

* the converge run: ``ansible-playbook playbooks/site.yml -i INVENTORY``,
* a second run of the same (idempotence: it must report no change),
* ``playbooks/verify.yml`` if the collection has it,

each with ``-e webroot_gather_facts=false`` (every host has webroot_address) and
the JSON callback, from which it also takes the time of the "Admit each peer"
tasks on the distributor and the server: those two hosts get one rule per
workstation, one loop item each, so their share grows with N whatever the forks.
The lab is torn down before the next N.

It prints a markdown table and an extrapolation to --target workstations (default
5000) with --forks and --serial, labelled as such, with its assumptions.

Traffic goes only to the lab containers. Needs root and podman (CONTAINERS_CONF
defaults to lab/containers.conf) and the lab image (scripts/lab-image.sh, cached).
Every wait is bounded (--timeout per ansible-playbook run, lab.sh's own 60 s per
container); the lab is removed at the end, also on failure or SIGTERM/SIGINT.
"""
from __future__ import absolute_import, division, print_function

import argparse
import datetime
import json
import math
import os
import platform
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
NETWORK = "webroot-scale"
SUBNET = "198.18.40.0/24"
PREFIX = "198.18.40."
FIXED = (
    # name, address, lab role, inventory group
    ("wrx-dist1", PREFIX + "11", "iptables", "webroot_distributors"),
    ("wrx-server1", PREFIX + "21", "ufw", "webroot_servers"),
    ("wrx-update1", PREFIX + "41", "endpoint", "webroot_update_endpoints"),
)
LAB_UP_TIMEOUT = 600
LAB_DOWN_TIMEOUT = 180


class BenchError(RuntimeError):
    pass


def lab_hosts(clients):
    hosts = list(FIXED)
    for i in range(1, clients + 1):
        hosts.append(("wrx-client%d" % i, PREFIX + str(100 + i), "iptables", "webroot_clients"))
    return hosts


def write_tsv(path, hosts):
    with open(path, "w") as f:
        f.write("# scale benchmark lab (benchmarks/scale_lab.py)\n")
        for row in hosts:
            f.write("\t".join(row) + "\n")


def write_inventory(path, hosts):
    """YAML is a superset of JSON: the inventory is written as JSON."""
    children = {}
    for name, addr, role, group in hosts:
        hv = {"webroot_address": addr}
        if role != "endpoint":
            hv["lab_firewall"] = role
        children.setdefault(group, {"hosts": {}})["hosts"][name] = hv
    inv = {"all": {
        "vars": {
            "ansible_connection": "containers.podman.podman",
            "ansible_python_interpreter": "/usr/bin/python3",
        },
        "children": children,
    }}
    with open(path, "w") as f:
        json.dump(inv, f, indent=2)


def lab(action, tsv, timeout):
    cmd = ["bash", os.path.join(REPO, "scripts", "lab.sh"), action, tsv, NETWORK, SUBNET]
    try:
        proc = subprocess.run(cmd, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              universal_newlines=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        raise BenchError("lab.sh %s did not finish within %d s" % (action, timeout))
    if proc.returncode != 0:
        raise BenchError("lab.sh %s failed (rc %d):\n%s" % (action, proc.returncode, proc.stdout[-3000:]))


def ansible_env(forks):
    env = dict(os.environ)
    env["ANSIBLE_STDOUT_CALLBACK"] = "ansible.posix.json"
    env["ANSIBLE_FORKS"] = str(forks)
    env["ANSIBLE_CONFIG"] = os.path.join(REPO, "ansible.cfg")
    env.pop("ANSIBLE_CALLBACKS_ENABLED", None)
    venv_bin = os.path.join(REPO, ".venv", "bin")
    if os.path.isdir(venv_bin):
        env["PATH"] = venv_bin + os.pathsep + env.get("PATH", "")
    return env


def run_playbook(playbook, inventory, forks, timeout, logdir, label):
    # The verify role's reports go to the temporary directory, not to reports/.
    cmd = ["ansible-playbook", playbook, "-i", inventory, "-e", "webroot_gather_facts=false",
           "-e", "verify_report_dir=" + os.path.join(logdir, "reports-" + label)]
    start = time.monotonic()
    try:
        proc = subprocess.run(cmd, cwd=REPO, env=ansible_env(forks), stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, universal_newlines=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        raise BenchError("%s: ansible-playbook did not finish within %d s" % (label, timeout))
    wall = time.monotonic() - start
    with open(os.path.join(logdir, label + ".json"), "w") as f:
        f.write(proc.stdout)
    try:
        data = json.loads(proc.stdout[proc.stdout.index("{"):])
    except ValueError:
        data = {}
    if proc.returncode != 0:
        raise BenchError("%s: ansible-playbook failed (rc %d); output in %s\n%s"
                         % (label, proc.returncode, logdir, proc.stderr[-2000:]))
    return wall, data


def _seconds(stamp):
    return datetime.datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%S.%fZ")


def summarize(data, hosts_of_interest):
    """changed count, and the 'Admit each ... peer' loops on the given hosts."""
    stats = data.get("stats", {})
    changed = sum(s.get("changed", 0) for s in stats.values())
    loops = []  # (task seconds, items on the busiest host of interest)
    for play in data.get("plays", []):
        for task in play.get("tasks", []):
            name = task.get("task", {}).get("name", "")
            # "Admit each peer | <component>" (older: "Admit each <component> peer")
            if not re.search(r"\bAdmit each\b", name):
                continue
            dur = task["task"].get("duration", {})
            if not dur.get("start") or not dur.get("end"):
                continue
            secs = (_seconds(dur["end"]) - _seconds(dur["start"])).total_seconds()
            items = 0
            for host in hosts_of_interest:
                res = task.get("hosts", {}).get(host, {})
                items = max(items, len(res.get("results", []) or []))
            if items:
                loops.append((secs, items))
    return changed, loops


def fit(points):
    """Least squares y = a + b x."""
    n = float(len(points))
    sx = sum(p[0] for p in points)
    sy = sum(p[1] for p in points)
    sxx = sum(p[0] * p[0] for p in points)
    sxy = sum(p[0] * p[1] for p in points)
    den = n * sxx - sx * sx
    if den == 0:
        return sy / n, 0.0
    b = (n * sxy - sx * sy) / den
    return (sy - b * sx) / n, b


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("--clients", type=int, nargs="+", default=[2, 4, 8])
    ap.add_argument("--forks", type=int, default=10, help="forks of the measured runs (ansible.cfg: 10)")
    ap.add_argument("--timeout", type=int, default=900, help="bound of each ansible-playbook run, s")
    ap.add_argument("--target", type=int, default=5000, help="workstations to extrapolate to")
    ap.add_argument("--target-forks", type=int, default=50)
    ap.add_argument("--serial", type=int, default=500, help="serial batch size of the extrapolation")
    ap.add_argument("--keep-logs", action="store_true", help="keep the JSON output of each run")
    args = ap.parse_args()
    if max(args.clients) > 150:
        ap.error("at most 150 clients fit the lab's address plan")

    os.environ.setdefault("CONTAINERS_CONF", os.path.join(REPO, "lab", "containers.conf"))
    tmp = tempfile.mkdtemp(prefix="wrx-scale.")
    tsv = os.path.join(tmp, "hosts.tsv")
    verify = os.path.join(REPO, "playbooks", "verify.yml")
    state = {"up": False}

    def teardown():
        if state["up"]:
            try:
                lab("down", tsv, LAB_DOWN_TIMEOUT)
            except BenchError as exc:
                print("scale: teardown: %s" % exc, file=sys.stderr)
            state["up"] = False

    def on_signal(signum, _frame):
        teardown()
        sys.exit(128 + signum)

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)

    rows = []
    try:
        for n in args.clients:
            hosts = lab_hosts(n)
            write_tsv(tsv, hosts)
            inventory = os.path.join(tmp, "inventory-%d.yml" % n)
            write_inventory(inventory, hosts)
            print("scale: %d clients: lab up" % n, file=sys.stderr)
            state["up"] = True
            t0 = time.monotonic()
            lab("up", tsv, LAB_UP_TIMEOUT)
            lab_s = time.monotonic() - t0
            managed = len([h for h in hosts if h[2] != "endpoint"])
            busy = ["wrx-dist1", "wrx-server1"]
            print("scale: %d clients: converge" % n, file=sys.stderr)
            conv, data = run_playbook("playbooks/site.yml", inventory, args.forks, args.timeout, tmp, "converge-%d" % n)
            conv_changed, conv_loops = summarize(data, busy)
            print("scale: %d clients: rerun" % n, file=sys.stderr)
            rerun, data = run_playbook("playbooks/site.yml", inventory, args.forks, args.timeout, tmp, "rerun-%d" % n)
            rerun_changed, rerun_loops = summarize(data, busy)
            ver = None
            if os.path.exists(verify):
                print("scale: %d clients: verify" % n, file=sys.stderr)
                ver = run_playbook("playbooks/verify.yml", inventory, args.forks, args.timeout, tmp, "verify-%d" % n)[0]
            rows.append({
                "clients": n, "hosts": managed, "lab_s": lab_s,
                "converge": conv, "converge_changed": conv_changed, "rerun": rerun,
                "rerun_changed": rerun_changed, "verify": ver,
                "loop_items": sum(i for _s, i in conv_loops),
                "loop_s": sum(s for s, _i in conv_loops),
                "rerun_loop_s": sum(s for s, _i in rerun_loops),
            })
            teardown()
    except BenchError as exc:
        print("scale: %s" % exc, file=sys.stderr)
        return 1
    finally:
        teardown()
        if not args.keep_logs:
            shutil.rmtree(tmp, ignore_errors=True)
        else:
            print("scale: logs in %s" % tmp, file=sys.stderr)

    report(rows, args)
    return 0 if all(r["rerun_changed"] == 0 for r in rows) else 1


def report(rows, args):
    cpus = os.cpu_count()
    print("Measured by `benchmarks/scale_lab.py` on %s (Linux %s, %s CPUs, Python %s), "
          "podman connection, forks %d, facts not gathered."
          % (datetime.date.today().isoformat(), platform.release(), cpus,
             platform.python_version(), args.forks))
    print()
    print("| clients | hosts | converge s | rerun s | per-host s (converge) | per-host s (rerun) "
          "| verify s | rule loop items on dist+server | their loop s (converge / rerun) | changed on rerun |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        print("| %d | %d | %.1f | %.1f | %.2f | %.2f | %s | %d | %.1f / %.1f | %d |" % (
            r["clients"], r["hosts"], r["converge"], r["rerun"], r["converge"] / r["hosts"],
            r["rerun"] / r["hosts"], "%.1f" % r["verify"] if r["verify"] is not None else "n/a",
            r["loop_items"], r["loop_s"], r["rerun_loop_s"], r["rerun_changed"]))
    print()
    if len(rows) < 2:
        return
    # Marginal cost of one more workstation at these forks (all hosts of a run
    # fit in the forks here), and the cost of one rule item on the busy hosts.
    a_c, b_c = fit([(r["clients"], r["converge"]) for r in rows])
    a_r, b_r = fit([(r["clients"], r["rerun"]) for r in rows])
    item_s = max(r["loop_s"] for r in rows) / max(r["loop_items"] for r in rows)
    item_rerun_s = max(r["rerun_loop_s"] for r in rows) / max(r["loop_items"] for r in rows)
    n, f, s = args.target, args.target_forks, args.serial
    batches = int(math.ceil(float(n) / s))
    # Fork-bound: a batch of s hosts runs in ceil(s/f) waves, each as long as a
    # small run (the intercept a: every host's own task chain, done in parallel).
    wave_c = a_c
    fork_bound_c = batches * int(math.ceil(float(s) / f)) * wave_c
    fork_bound_r = batches * int(math.ceil(float(s) / f)) * a_r
    # Controller-bound: the measured marginal seconds per workstation, times n
    # (the controller of the runs was the limit).
    ctrl_c = batches * a_c + n * b_c
    ctrl_r = batches * a_r + n * b_r
    # Busy hosts: one rule per workstation on every distributor and server,
    # sequential loop items in the one batch that holds them.
    busy_c = 2 * n * item_s
    busy_r = 2 * n * item_rerun_s
    print("Fit over the measured runs: converge = %.1f s + %.2f s x clients; rerun = %.1f s + %.2f s x clients; "
          "one rule item on the distributor/server: %.2f s (converge), %.2f s (rerun)."
          % (a_c, b_c, a_r, b_r, item_s, item_rerun_s))
    print()
    print("**Extrapolation** (not measured) to %d workstations, forks %d, `serial: %d` (%d batches):"
          % (n, f, s, batches))
    print()
    print("| model | converge | rerun |")
    print("|---|---|---|")
    print("| fork-bound: %d batches x ceil(%d/%d) waves x one small run | %s | %s |"
          % (batches, s, f, _hm(fork_bound_c), _hm(fork_bound_r)))
    print("| controller-bound: measured s per workstation x %d (+ per-batch start-up) | %s | %s |"
          % (n, _hm(ctrl_c), _hm(ctrl_r)))
    print("| distributor + server alone, host-derived sources: 2 x %d rule items x measured s per item | %s | %s |"
          % (n, _hm(busy_c), _hm(busy_r)))
    print()
    print("Assumptions: the per-host work of a workstation does not change with N (its rules name only "
          "the servers and distributors); controller CPU per host stays what it was here (%s CPUs, "
          "podman exec instead of SSH); the distributor and server rows are sequential loop items on one "
          "host, which neither forks nor serial shortens, and disappear when their sources are set to "
          "subnets (update_distributor_sources, client_service_sources)." % cpus)


def _hm(seconds):
    if seconds < 120:
        return "%.0f s" % seconds
    if seconds < 7200:
        return "%.0f min" % (seconds / 60.0)
    return "%.1f h" % (seconds / 3600.0)


if __name__ == "__main__":
    sys.exit(main())

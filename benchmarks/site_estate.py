#!/usr/bin/env python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, webroot.enterprise contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What does the whole site.yml cost over a Windows estate, phase by phase? And how does it grow?

``playbooks/site.yml`` as it is (validate, apply, report, verify, summary), run by
``ansible-playbook`` over a generated estate of simulated Windows hosts, at each size
given (default 1,000 and 3,000 workstations), a first run on empty rule stores and
then the no-op rerun a nightly job makes. Per size: 1 company server and 3
distributors per 1,000 workstations (the issue's estate: 3 and 9 at 3,000).

The hosts. Every host is a simulated Windows host (tests/simulators: the stand-ins
for ``community.windows.win_firewall_rule`` and ``ansible.windows.win_powershell``
first in ``ANSIBLE_COLLECTIONS_PATH``), ``webroot_firewall_backend: windows``,
``ansible_connection: local``. site.yml has no ``environment`` keyword for the
simulator's per-host store, so each host gets it from its interpreter:
``ansible_python_interpreter`` is ``<dir>/py/<host>``, a link to one shell script that
sets ``WEBROOT_WINFW_SIMULATOR_STORE=<dir>/stores/<host>.json`` from the link's name
and runs the venv's Python. Addresses (``webroot_address``) are loopback
(127.64.0.0/12 for workstations, every second address so none merge into a CIDR;
127.60.0.0/24 servers, 127.61.0.0/24 distributors): the verify phase really connects,
and only to loopback. The distributors have ``update_service_any_destination: true``
(no update endpoint host, so no check leaves loopback).

What differs from a real Windows estate, and so what the figures mean:

* on real Windows each task is a WinRM/PSRP round trip (0.2 s to several seconds);
  here a module is a local Python process (tens of milliseconds). The figures are
  the controller's side: Ansible's strategy, templating and results, the action
  plugins (planning, reading, diffing), the run-once steps (estate validation,
  verify's planning, judging and rendering, the summary), plus the simulated
  hosts' module processes on the same 2 CPUs (``CPU, all``). ``CPU, main`` is the
  ansible-playbook process alone: the serial part, which forks cannot spread.
* verify: a host on ``ansible_connection: local`` is not Windows to the verify role,
  so its temporary listener is the POSIX one (``ansible.builtin.script``) and
  port_check runs as Python, where real Windows runs ``win_powershell`` and
  port_check.ps1: one task each per host either way. All listeners share the
  loopback ports: the first binds them, the others report them busy, and every
  allowed check connects (to that one listener). ``verify_negative: false``: on
  loopback no firewall denies anything, so the denied checks would all fail; their
  controller cost at 3,000 workstations is measured by benchmarks/verify_scale.py.

Per phase (plays grouped as site.yml imports them; the facts plays of verify.yml
count in verify): wall time, CPU of everything (the ansible-playbook process and the
forks and module processes it reaped) and of the main process alone, from a callback
(benchmarks/callback_plugins/webroot_phase_clock.py) that notes the clocks at each
play start. Also the tasks per workstation (PLAY RECAP) and the simulator's remote
calls (its call log). The run must pass (rc 0, every host converged, verify PASS,
no win_firewall_rule call in the rerun) and every address in the verify report must be loopback: the
script fails loudly otherwise.

Run: .venv/bin/python benchmarks/site_estate.py [--workstations 1000 3000] [--forks 8]
[--json FILE] [--write-docs] [--keep]; ``--from-json FILE [--write-docs]`` prints (and
writes) the table of an earlier run. With the largest size under 3,000, the growth
table goes on to 3,000 workstations along the measured slope (marked "linear").
"""
from __future__ import absolute_import, division, print_function

import argparse
import datetime
import ipaddress
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time

from bench_common import recap, write_docs  # benchmarks/bench_common.py

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
VENV = os.path.join(REPO, ".venv")
SIM_COLLECTIONS = os.path.join(REPO, "tests", "simulators", "collections")
CALLBACKS = os.path.join(REPO, "benchmarks", "callback_plugins")
SITE = os.path.join(REPO, "playbooks", "site.yml")
SECTION = "## The whole site.yml over a Windows estate: phases and growth"
PHASES = ("validate", "apply", "report", "verify", "summary")
LOOPBACK = ipaddress.ip_network("127.0.0.0/8")
TARGET, TARGET_LABEL = 3000, "3,000"  # the estate the issue names: the growth table goes to it

WRAPPER = """#!/bin/sh
# A simulated Windows host per link name: its rule store is named after the link.
WEBROOT_WINFW_SIMULATOR_STORE="{stores}/${{0##*/}}.json"
export WEBROOT_WINFW_SIMULATOR_STORE
exec {python} "$@"
"""


def hosts(workstations):
    """``{group: [(name, address)]}``: 1 server and 3 distributors per 1,000 workstations."""
    per = max(1, workstations // 1000)
    ws_net = ipaddress.ip_address("127.64.0.0")
    return {
        "webroot_servers": [("srv%02d" % (i + 1), "127.60.0.%d" % (i + 1)) for i in range(per)],
        "webroot_distributors": [("dist%02d" % (i + 1), "127.61.0.%d" % (i + 1)) for i in range(3 * per)],
        # every second address: no two workstations merge into one CIDR (one entry each)
        "webroot_clients": [("ws%05d" % (i + 1), str(ws_net + 2 * i + 1)) for i in range(workstations)],
    }


def write_estate(directory, workstations):
    stores = os.path.join(directory, "stores")
    links = os.path.join(directory, "py")
    for d in (stores, links, os.path.join(directory, "tmp"), os.path.join(directory, "reports")):
        os.makedirs(d)
    wrapper = os.path.join(directory, "python-for-host")
    with open(wrapper, "w") as handle:
        handle.write(WRAPPER.format(stores=stores, python=os.path.join(VENV, "bin", "python")))
    os.chmod(wrapper, 0o755)
    groups = hosts(workstations)
    for members in groups.values():
        for name, _addr in members:
            os.symlink(wrapper, os.path.join(links, name))
    children = {}
    for group, members in groups.items():
        children[group] = {"hosts": dict((name, {"webroot_address": addr}) for name, addr in members)}
    children["webroot_distributors"]["vars"] = {"update_service_any_destination": True}
    inventory = {"all": {"vars": {
        "ansible_connection": "local",
        "ansible_shell_type": "sh",
        "ansible_python_interpreter": links + "/{{ inventory_hostname }}",
        "webroot_firewall_backend": "windows",
        "webroot_resolve_names": False,
        "verify_negative": False,
        "verify_listener_seconds": 3600,
        "verify_report_dir": os.path.join(directory, "reports"),
    }, "children": children}}
    path = os.path.join(directory, "hosts.json")
    with open(path, "w") as handle:
        json.dump(inventory, handle, indent=1)
    return path, groups


def phases(clock_lines):
    """``{phase: {"wall", "cpu_all", "cpu_main"}}`` from the play-start clocks."""
    marks = [json.loads(line) for line in clock_lines if line.strip()]
    out = dict((p, {"wall": 0.0, "cpu_all": 0.0, "cpu_main": 0.0, "plays": 0}) for p in PHASES)
    applied = False
    for mark, nxt in zip(marks, marks[1:]):
        name = mark["play"]
        if name.startswith(("Distributors", "Company server")):
            phase, applied = "apply", True
        elif name.startswith("Read the Webroot rules"):
            phase = "report"
        elif name.startswith("Verify") or (name.startswith("Validate the estate -") and applied):
            phase = "verify"  # verify.yml imports facts.yml (its plays say "Validate the estate")
        elif name.startswith("Validate"):
            phase = "validate"
        elif name.startswith("Summary"):
            phase = "summary"
        else:
            sys.exit("a play this benchmark does not know: %r" % name)
        for key in ("wall", "cpu_all", "cpu_main"):
            out[phase][key] += nxt[key] - mark[key]
        out[phase]["plays"] += 1
    return out


def simulator_calls(log):
    counts = {"win_powershell": 0, "win_firewall_rule": 0}
    with open(log) as handle:
        for line in handle:
            entry = json.loads(line)
            if entry.get("failed"):
                sys.exit("a simulated module call failed: %s" % line)
            counts[entry["module"]] = counts.get(entry["module"], 0) + 1
    return counts


def loopback_only(report_path):
    """Every host address in the verify JSON report is loopback: ``(hosts, checks)``."""
    with open(report_path) as handle:
        data = json.load(handle)
    cols = data["hosts"]["columns"]
    addresses = [dict(zip(cols, row)) for row in data["hosts"]["rows"]]
    for host in addresses:
        for key in ("address", "connect"):
            if host.get(key) and ipaddress.ip_address(host[key]) not in LOOPBACK:
                sys.exit("verify planned a connection outside loopback: %s" % host)
    return len(addresses), data["summary"]


def run_site(directory, inventory, forks, label):
    clock = os.path.join(directory, "clock-%s.jsonl" % label)
    log = os.path.join(directory, "calls-%s.jsonl" % label)
    open(log, "w").close()
    env = dict(os.environ)
    env.update({
        "PATH": os.path.join(VENV, "bin") + os.pathsep + env.get("PATH", ""),
        "ANSIBLE_CONFIG": os.path.join(REPO, "ansible.cfg"),
        "ANSIBLE_COLLECTIONS_PATH": os.pathsep.join([SIM_COLLECTIONS, os.path.join(REPO, ".cache", "collections")]),
        "ANSIBLE_CALLBACK_PLUGINS": CALLBACKS,
        "ANSIBLE_CALLBACKS_ENABLED": "webroot_phase_clock",
        "ANSIBLE_STDOUT_CALLBACK": "ansible.builtin.default",
        "ANSIBLE_NOCOLOR": "1",
        "ANSIBLE_RETRY_FILES_ENABLED": "0",
        "ANSIBLE_LOCAL_TEMP": os.path.join(directory, "tmp"),
        "WEBROOT_PHASE_CLOCK": clock,
        "WEBROOT_WINFW_SIMULATOR_LOG": log,
    })
    cmd = [os.path.join(VENV, "bin", "ansible-playbook"), "-i", inventory, SITE, "--forks", str(forks)]
    start = time.monotonic()
    proc = subprocess.run(cmd, cwd=directory, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          universal_newlines=True, timeout=4 * 3600, check=False)
    took = time.monotonic() - start
    with open(os.path.join(directory, "output-%s.txt" % label), "w") as handle:
        handle.write(proc.stdout)
    if proc.returncode != 0:
        sys.exit("%s: ansible-playbook failed (rc %d), output in %s:\n%s" % (
            label, proc.returncode, directory, proc.stdout[-5000:]))
    with open(clock) as handle:
        per_phase = phases(handle.readlines())
    return {"wall": took, "phases": per_phase, "recap": recap(proc.stdout), "calls": simulator_calls(log)}


def measure(workstations, forks, keep, progress=None):
    directory = tempfile.mkdtemp(prefix="webroot-site-estate-")
    inventory, groups = write_estate(directory, workstations)
    managed = [name for members in groups.values() for name, _a in members]
    out = {"workstations": workstations, "servers": len(groups["webroot_servers"]),
           "distributors": len(groups["webroot_distributors"]), "hosts": len(managed)}
    for label in ("first", "rerun"):
        load = os.getloadavg()[0]
        run = run_site(directory, inventory, forks, label)
        run["load"] = load
        missing = sorted(set(managed) - set(run["recap"]))
        bad = sorted(h for h, r in run["recap"].items() if r["failed"] or r["unreachable"])
        if missing or bad:
            sys.exit("%s, %d workstations: hosts not in the recap %s, failed %s" % (
                label, workstations, missing[:5], bad[:5]))
        changed = sum(r["changed"] for r in run["recap"].values())
        # (the verify reports are rewritten each run: their times and token differ)
        if label == "rerun" and run["calls"]["win_firewall_rule"]:
            sys.exit("the rerun changed a firewall: %d win_firewall_rule calls" % run["calls"]["win_firewall_rule"])
        count, summary = loopback_only(os.path.join(directory, "reports", "webroot-verify.json"))
        if summary["verdict"] != "pass" or summary["failed"]:
            sys.exit("verify did not pass: %s" % summary)
        ws = groups["webroot_clients"][0][0]
        run.update({"changed": changed, "verify_hosts": count, "verify_checks": summary["total"],
                    "tasks_per_workstation": run["recap"][ws]["ok"] + run["recap"][ws]["failed"],
                    "skipped_per_workstation": run["recap"][ws]["skipped"]})
        del run["recap"]
        out[label] = run
        if progress:
            progress(out)
        print("%5d workstations, %-5s %7.1f s  %s  (load %.1f at the start)" % (
            workstations, label, run["wall"],
            ", ".join("%s %.1f" % (p, run["phases"][p]["wall"]) for p in PHASES), load), flush=True)
    if keep:
        print("kept: %s" % directory)
    else:
        shutil.rmtree(directory, ignore_errors=True)
    return out


def table(m):
    sizes = m["sizes"]
    small, large = sizes[0], sizes[-1]
    lines = [
        "Measured by `benchmarks/site_estate.py` on %s (Linux %s, %d CPUs, Python %s, %s), `--forks %d`: "
        "`playbooks/site.yml` over simulated Windows hosts (see the script: loopback addresses, the "
        "simulator's stores, `verify_negative: false`), a first run on empty rule stores, then the no-op "
        "rerun. Load average (1 min) at the start of each run: %s."
        % (m["date"], m["kernel"], m["cpus"], m["python"], m["ansible"], m["forks"],
           ", ".join("%.1f" % s[k]["load"] for s in sizes for k in ("first", "rerun"))),
        "",
    ]
    head = "| phase | " + " | ".join("%d ws, %s" % (s["workstations"], k) for s in sizes for k in ("first", "rerun"))
    lines += [head + " |", "|---" * (1 + 2 * len(sizes)) + "|"]
    for p in PHASES:
        cells = ["%.1f s (CPU %.1f / main %.1f)" % (s[k]["phases"][p]["wall"], s[k]["phases"][p]["cpu_all"],
                                                    s[k]["phases"][p]["cpu_main"]) for s in sizes for k in ("first", "rerun")]
        lines.append("| %s | %s |" % (p, " | ".join(cells)))
    lines.append("| **whole run** (ansible-playbook wall) | %s |" % " | ".join(
        "**%.1f s**" % s[k]["wall"] for s in sizes for k in ("first", "rerun")))
    lines.append("| hosts (servers, distributors, workstations) | %s |" % " | ".join(
        "%d (%d, %d, %d)" % (s["hosts"], s["servers"], s["distributors"], s["workstations"])
        for s in sizes for _k in ("first", "rerun")))
    lines.append("| tasks of the first workstation, ws00001 (ok; skipped apart) | %s |" % " | ".join(
        "%d (skipped %d)" % (s[k]["tasks_per_workstation"], s[k]["skipped_per_workstation"])
        for s in sizes for k in ("first", "rerun")))
    lines.append("| simulated remote calls (win_powershell + win_firewall_rule) | %s |" % " | ".join(
        "%d + %d" % (s[k]["calls"]["win_powershell"], s[k]["calls"]["win_firewall_rule"])
        for s in sizes for k in ("first", "rerun")))
    lines.append("| verify: checks, all passed | %s |" % " | ".join(
        "%d" % s[k]["verify_checks"] for s in sizes for k in ("first", "rerun")))
    if len(sizes) > 1:
        dn = (large["workstations"] - small["workstations"]) / 1000.0
        lines += ["", "Growth from %d to %d workstations (%.1fx the hosts): the slope is the added time per "
                  "1,000 workstations; a ratio near %.1f is linear."
                  % (small["workstations"], large["workstations"], large["hosts"] / float(small["hosts"]),
                     large["hosts"] / float(small["hosts"])), "",
                  "| phase | first run: slope per 1,000 ws | ratio | at %s ws | rerun: slope per 1,000 ws | ratio "
                  "| at %s ws |" % (TARGET_LABEL, TARGET_LABEL),
                  "|---|---|---|---|---|---|---|"]
        for p in PHASES + ("whole run",):
            cells = []
            for k in ("first", "rerun"):
                a = small[k]["wall"] if p == "whole run" else small[k]["phases"][p]["wall"]
                b = large[k]["wall"] if p == "whole run" else large[k]["phases"][p]["wall"]
                slope = (b - a) / dn
                at = b + slope * (TARGET - large["workstations"]) / 1000.0
                cells += ["%+.1f s" % slope, "%.2f" % (b / a if a else float("nan")),
                          "%.0f s%s" % (at, "" if large["workstations"] == TARGET else " (linear)")]
            lines.append("| %s | %s |" % (p, " | ".join(cells)))
    return "\n".join(lines) + "\n\n" + NOTES.strip() + "\n"


NOTES = """
How to read it. Each cell is the wall time of the phase, then the CPU seconds of
everything (`CPU`: the ansible-playbook process, its forks and the module processes they
ran, which here stand in for the Windows hosts) and of the ansible-playbook process alone
(`main`: Ansible's strategy, templating, results and callbacks; one process, so forks do
not spread it). The phases are the plays of `site.yml` in order: validate (the facts
plays, which gather nothing with `webroot_gather_facts` false, and the estate validation,
run once), apply (the two component plays with their progress lines), report (one read per
host, then the rows, once), verify (its facts plays, listeners, one port_check per host,
judging and the three reports, once) and summary.

What grows with the estate: the per-host tasks (every phase but validate and summary);
there is no host x host step (the verify reports grow with the checks, which grow with
the workstations). The run-once steps, measured alone at 3,000 workstations by the
other two benchmarks of this page: the estate validation (a few seconds, "Estate
validation") and verify's planning, judging and rendering (about 3 s, "verify: planning,
rendering and report sizes"). The rest of each phase is one or a few tasks per host;
on real Windows each of those is a WinRM/PSRP round trip instead of a local process, so
the wall time there is set by the round trips and the forks, not by this machine's CPUs.
"""


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("--workstations", type=int, nargs="+", default=[1000, 3000])
    ap.add_argument("--forks", type=int, default=8)
    ap.add_argument("--json", metavar="FILE", help="write the figures to FILE as JSON")
    ap.add_argument("--write-docs", action="store_true", help="put the table in docs/benchmarks.md")
    ap.add_argument("--keep", action="store_true", help="keep the temporary directories")
    ap.add_argument("--from-json", metavar="FILE", help="no run: the table of the figures in FILE (from --json)")
    args = ap.parse_args()
    if args.from_json:
        with open(args.from_json) as handle:
            text = table(json.load(handle))
        print(text)
        if args.write_docs:
            write_docs(text, os.path.join(REPO, "docs", "benchmarks.md"), SECTION)
        return
    ansible = subprocess.check_output([os.path.join(VENV, "bin", "ansible"), "--version"],
                                      universal_newlines=True).splitlines()[0]
    m = {"date": datetime.date.today().isoformat(), "kernel": platform.release(), "cpus": os.cpu_count() or 0,
         "python": platform.python_version(), "ansible": ansible.replace("[", "").replace("]", "").strip(),
         "forks": args.forks, "sizes": []}

    def save(partial):  # after each run: a long measurement keeps what it has
        if args.json:
            with open(args.json, "w") as handle:
                json.dump(dict(m, sizes=m["sizes"] + [partial]), handle, indent=1)

    for n in sorted(args.workstations):
        m["sizes"].append(measure(n, args.forks, args.keep, save))
    text = table(m)
    print("\n" + text)
    if args.json:
        with open(args.json, "w") as handle:
            json.dump(m, handle, indent=1)
    if args.write_docs:
        write_docs(text, os.path.join(REPO, "docs", "benchmarks.md"), SECTION)


if __name__ == "__main__":
    main()

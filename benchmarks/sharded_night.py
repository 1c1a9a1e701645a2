#!/usr/bin/env python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, webroot.enterprise contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The sharded night (docs/awx.md section 8) over simulated Windows workstations, K = 1, 2, 4.

Each night is run as AWX runs it (tests/integration/awxsim.py: the inventory as AWX writes
it, each node through ansible-runner, extra variables and artifacts as AWX passes them;
estate, then the K shards at once, then the merge), a first run on empty rule stores
and the no-op rerun; and one unsharded site.yml job over the same estate for reference.
The shard groups are made as inventories/ad makes them (SHA-1 of the lowercased name,
first 32 bits, modulo K). For each job: its wall time and the CPU of its main process
(user + system of the ansible-playbook process from its first play to its end, from the
webroot_phase_clock callback; the inventory's parsing before the first play is not in
it). Afterwards every host's rules are compared with the unsharded run's: they must be
identical for every K. Verify is skipped (it needs real hosts).

How long it takes on 2 CPUs (docs/benchmarks.md): about a minute per night at 24
workstations, 77 minutes for the unsharded run and K = 4, 2, 1 at 1,000, 3 hours 34
minutes at 3,000 (99 for the unsharded run and K = 4), so run it unattended (``--json`` keeps the
figures; each run's line is printed as it ends). The K shards share
this machine's CPUs, so the night's wall time here says little; the main process CPU of
each job is the figure that carries to an AWX cluster, where each shard runs on an
execution node of its own.

    .venv/bin/python benchmarks/sharded_night.py [--workstations 24] [--shards 1 2 4] [--json FILE] [--write-docs]
        [--state DIR]

A night longer than the machine is up can go on: with ``--state DIR --json FILE`` the rule
stores stay in DIR and FILE is written after every run; started again with the same two,
it runs only what FILE does not hold (a run cut off is run again from its start).
"""
from __future__ import absolute_import, division, print_function

import argparse
import datetime
import hashlib
import ipaddress
import json
import os
import platform
import shutil
import sys
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(REPO, "tests", "integration"))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from awxsim import AwxLike  # noqa: E402
from bench_common import write_docs  # noqa: E402
from winsim import sim  # noqa: E402

CALLBACKS = os.path.join(REPO, "benchmarks", "callback_plugins")
SECTION = "## The sharded night (issue 27), `benchmarks/sharded_night.py`"
NETWORK = ipaddress.ip_network("198.18.96.0/22")


def shard_of(name, k):
    """inventories/ad's shard: 1 + the first 32 bits of sha1(lowercased name) modulo K."""
    return int(hashlib.sha1(name.lower().encode()).hexdigest()[:8], 16) % k + 1


def estate(workstations, k):
    hosts = {"upd1": {"webroot_address": "198.18.96.5"}, "dist1": {"webroot_address": "198.18.96.11"},
             "srv1": {"webroot_address": "198.18.96.21"}}
    names = ["ws%04d" % (i + 1) for i in range(workstations)]
    for i, name in enumerate(names):
        hosts[name] = {"webroot_address": str(NETWORK.network_address + 32 + i)}
    groups = {"webroot_update_endpoints": ["upd1"], "webroot_distributors": ["dist1"], "webroot_servers": ["srv1"],
              "webroot_clients": names}
    shards = {}
    for name in names:
        shards.setdefault("webroot_shard_%d" % shard_of(name, k), []).append(name)
    groups.update(shards)
    return hosts, groups, sorted(shards)


def job_figures(job_dir):
    with open(os.path.join(job_dir, "clock.jsonl")) as handle:
        marks = [json.loads(line) for line in handle if line.strip()]
    return {"wall": round(marks[-1]["wall"] - marks[0]["wall"], 1),
            "cpu_main": round(marks[-1]["cpu_main"] - marks[0]["cpu_main"], 2)}


def snapshot(awx, names):
    return dict((h, dict((n, sorted(sim.remote_networks(r["RemoteAddresses"]))) for n, r in awx.rules(h).items()))
                for h in names)


def night(awx, label):
    started = time.time()
    results = awx.night()
    took = time.time() - started
    for node, result in results.items():
        if result[0] != "successful":
            sys.exit("%s: node %s ended %s:\n%s" % (label, node, result[0], result[3][-3000:]))
    jobs = dict((node, job_figures(os.path.join(awx.dir, "jobs", node))) for node in results)
    return {"wall": round(took, 1), "jobs": jobs, "verdict": results["merge"][2]["webroot_enterprise"]["verdict"]}


def env_for_clock():
    return {"ANSIBLE_CALLBACK_PLUGINS": CALLBACKS, "ANSIBLE_CALLBACKS_ENABLED": "webroot_phase_clock",
            "WEBROOT_PHASE_CLOCK": "{job}/clock.jsonl"}


def phases(ks):
    """The order of the runs: the unsharded first run (the reference rules), then the first
    K's night and the unsharded rerun (the two goals of issue 27 once these four have run),
    then the other K's. A run that is cut off is run again by the next invocation."""
    out = [("unsharded", "first")]
    for i, k in enumerate(ks):
        out += [(k, "first"), (k, "rerun")] + ([("unsharded", "rerun")] if i == 0 else [])
    return out


def unsharded_job(udir, run, workstations):
    """The one site.yml job over the whole estate; its figures like a night's node's."""
    hosts, groups, _shards = estate(workstations, 1)
    if run == "first":
        shutil.rmtree(udir, ignore_errors=True)
    shutil.rmtree(os.path.join(udir, "jobs", "site-" + run), ignore_errors=True)
    one = AwxLike(udir, hosts, groups, env=env_for_clock(), reopen=run == "rerun", job_timeout=None)
    started = time.time()
    result = one.finish(one.start("site-" + run, "playbooks/site.yml", workflow=None))
    if result[0] != "successful":
        sys.exit("unsharded %s: %s\n%s" % (run, result[0], result[3][-3000:]))
    return one, dict(job_figures(os.path.join(one.dir, "jobs", "site-" + run)), took=round(time.time() - started, 1))


def sharded_night(kdir, k, run, workstations):
    """K's night (estate, the K shards at once, the merge); a new job directory per night."""
    hosts, groups, shards = estate(workstations, k)
    if run == "first":
        shutil.rmtree(kdir, ignore_errors=True)
    elif os.path.isdir(os.path.join(kdir, "jobs-first")):   # a rerun cut off before
        shutil.rmtree(os.path.join(kdir, "jobs"), ignore_errors=True)
    else:
        os.rename(os.path.join(kdir, "jobs"), os.path.join(kdir, "jobs-first"))
    awx = AwxLike(kdir, hosts, groups, shards, {"webroot_max_left_out": 0}, {"webroot_shards": shards},
                  env=env_for_clock(), reopen=run == "rerun", job_timeout=None)
    return awx, night(awx, "K=%d %s" % (k, run))


def measure(workstations, ks, state, figures, save):
    """Runs the phases not yet in ``figures`` (an earlier invocation's, with the same
    ``state`` directory: the rule stores and the reference rules are kept there), calling
    ``save()`` after each, so that a night longer than the machine's session can go on.
    After every run each host's rules are compared with the unsharded first run's (kept in
    ``state``/reference.json): a K's nights must give the same, the unsharded rerun too."""
    names = ["dist1", "srv1"] + sorted(estate(workstations, 1)[1]["webroot_clients"])
    reference_file = os.path.join(state, "reference.json")
    reference = None
    if os.path.exists(reference_file) and "first" in figures["unsharded"]:
        with open(reference_file) as handle:
            reference = json.load(handle)
    for who, run in phases(ks):
        if who == "unsharded":
            entry, label = figures["unsharded"], "unsharded %s" % run
        else:
            entry = next((e for e in figures["sharded"] if e["k"] == who), None)
            if entry is None:
                _h, groups, shards = estate(workstations, who)
                entry = {"k": who, "shard_sizes": [len(groups[s]) for s in shards]}
                figures["sharded"].append(entry)
            label = "K=%d %s" % (who, run)
        if run in entry:
            continue
        if who == "unsharded":
            awx, entry[run] = unsharded_job(os.path.join(state, "unsharded"), run, workstations)
        else:
            awx, entry[run] = sharded_night(os.path.join(state, "k%d" % who), who, run, workstations)
        print("%s: %s" % (label, entry[run]), flush=True)
        rules = snapshot(awx, names)
        if (who, run) == ("unsharded", "first"):      # the reference
            reference = rules
            with open(reference_file, "w") as handle:
                json.dump(rules, handle)
        elif reference is None:
            sys.exit("%s lost: run again with an empty --json FILE" % reference_file)
        elif rules != reference:
            sys.exit("%s: the rules differ from the unsharded first run's" % label)
        else:
            print("%s: every host's rules identical to the unsharded first run's (%d hosts)" % (label, len(names)),
                  flush=True)
        if who != "unsharded":
            entry["rules_identical"] = True
        save()
    return figures


def table(m):
    lines = [
        "Measured by `benchmarks/sharded_night.py` on %s (Linux %s, %d CPUs, Python %s, %s): %d simulated Windows "
        "workstations, one company server, one distributor; each node run through ansible-runner as AWX runs it "
        "(tests/integration/awxsim.py), the K shards at once on this one machine. `main`: CPU seconds of the job's "
        "ansible-playbook process from its first play to its end; `wall`: the same span. Verify skipped."
        % (m["date"], m["kernel"], m["cpus"], m["python"], m["ansible"], m["workstations"]),
        "",
        "| job | first run: wall / main | no-op rerun: wall / main |",
        "|---|---|---|",
    ]
    u = m["figures"]["unsharded"]
    sharded = m["figures"]["sharded"]

    def cell(fig):
        return "%.1f s / %.2f s" % (fig["wall"], fig["cpu_main"]) if fig else "not run"

    def whole(e, run):
        return "%.1f s" % e[run]["wall"] if run in e else "not run"

    lines.append("| unsharded site.yml (one job) | %s | %s |" % (cell(u.get("first")), cell(u.get("rerun"))))
    for e in sharded:
        nodes = set(e.get("first", {}).get("jobs", {})) | set(e.get("rerun", {}).get("jobs", {}))
        for node in sorted(nodes, key=lambda n: (n != "estate", n == "merge", n)):
            first, rerun = (e.get(run, {}).get("jobs", {}).get(node) for run in ("first", "rerun"))
            lines.append("| K = %d, %s | %s | %s |" % (e["k"], node, cell(first), cell(rerun)))
        lines.append("| K = %d, the whole night (shards %s) | %s | %s |" % (
            e["k"], "+".join(str(s) for s in e["shard_sizes"]), whole(e, "first"), whole(e, "rerun")))
    lines.append("")
    shares = []
    for run, what in (("rerun", "in the rerun"), ("first", "in the first run")):
        biggest = dict((e["k"], max(j["cpu_main"] for n, j in e[run]["jobs"].items() if n.startswith("webroot_shard_")))
                       for e in sharded if run in e)
        if biggest and run in u:
            shares.append("%s: %s" % (what, ", ".join("K = %d: %.2f" % (k, biggest[k] / u[run]["cpu_main"])
                                                      for k in sorted(biggest))))
    lines.append("Rules identical to the unsharded run's on every host, for every K run: %s. The largest shard's "
                 "main-process CPU as a share of the unsharded job's: %s." % (
                     "yes" if all(e.get("rules_identical") for e in sharded) else "NO", "; ".join(shares) or "not run"))
    if "rerun" not in u or not any("rerun" in e for e in sharded):
        return "\n".join(lines) + "\n"
    rerun_ks = sorted(e["k"] for e in sharded if "rerun" in e)
    # What carries to a large estate: each job's fixed main-process cost (about the estate
    # node's, which plans the whole estate and applies two hosts) and the cost per workstation.
    fixed = min(e["rerun"]["jobs"]["estate"]["cpu_main"] for e in sharded if "rerun" in e)
    per_ws = (u["rerun"]["cpu_main"] - fixed) / m["workstations"]
    lines.append("")
    lines.append(
        "What it says. At this size each job's fixed main-process cost (starting, validating the whole estate, "
        "the summary: about %.2f s, the estate node's rerun with its two hosts) is a large part of a shard's, and "
        "a hash over %d names makes uneven shards, so the shares above are far from 1/K. The rerun's cost per "
        "workstation here is about %.3f s of main-process CPU (unsharded rerun minus that fixed part, over %d "
        "workstations; verify skipped). Derived from these two figures, not measured: at 10,000 workstations "
        "(shards even within a few per cent: a binomial spread), a shard's rerun would cost about %s of the unsharded "
        "job's main-process CPU. Not counted in the fixed part: each job validates the whole estate, whose cost "
        "grows with the estate (measure it at 10,000 before relying on the shares)." % (
            fixed, m["workstations"], per_ws, m["workstations"],
            ", ".join("%.2f at K = %d" % ((fixed + per_ws * 10000.0 / k) / (fixed + per_ws * 10000.0), k)
                      for k in rerun_ks)))
    return "\n".join(lines) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("--workstations", type=int, default=24)
    ap.add_argument("--shards", type=int, nargs="+", default=[1, 2, 4])
    ap.add_argument("--json", metavar="FILE")
    ap.add_argument("--write-docs", action="store_true")
    ap.add_argument("--from-json", metavar="FILE", help="no run: the table of the figures in FILE")
    ap.add_argument("--state", metavar="DIR",
                    help="keep the rule stores here and go on where an earlier invocation with the same DIR and "
                         "--json FILE stopped (the runs in FILE are not run again)")
    args = ap.parse_args()
    if args.from_json:
        with open(args.from_json) as handle:
            m = json.load(handle)
    else:
        if args.state and not args.json:
            ap.error("--state needs --json (the figures of the runs so far)")
        m = None
        if args.state and os.path.exists(args.json):
            with open(args.json) as handle:
                m = json.load(handle)
            if m["workstations"] != args.workstations:
                ap.error("%s holds a night of %d workstations" % (args.json, m["workstations"]))
        if m is None:
            from ansible import __version__ as ansible_version
            m = {"date": datetime.date.today().isoformat(), "kernel": platform.release(), "cpus": os.cpu_count() or 0,
                 "python": platform.python_version(), "ansible": "ansible-core " + ansible_version,
                 "workstations": args.workstations, "figures": {"unsharded": {}, "sharded": []}}

        def save():
            if args.json:
                with open(args.json, "w") as handle:
                    json.dump(m, handle, indent=1)

        state = args.state or tempfile.mkdtemp(prefix="webroot-sharded-")
        os.makedirs(state, exist_ok=True)
        measure(args.workstations, args.shards, state, m["figures"], save)
    text = table(m)
    print("\n" + text)
    if args.write_docs:
        write_docs(text, os.path.join(REPO, "docs", "benchmarks.md"), SECTION)


if __name__ == "__main__":
    main()

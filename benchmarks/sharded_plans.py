#!/usr/bin/env python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, webroot.enterprise contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Sharded and unsharded nights plan the same rules on every host: plan-only, no host contacted.

Generates the estate of benchmarks/estate_validation.py (10,000 workstations by default,
3 company servers, 9 distributors, 1 update endpoint; WinRM and SSH settings in
group_vars, nothing reachable) with the shard groups inventories/ad makes
(webroot_shard_1 ... webroot_shard_K: 1 + the first 32 bits of sha1(lowercased name)
modulo K, workstations only). Then runs ``ansible-playbook benchmarks/plan_only.yml``
(the node's shard_guard, playbooks/validate.yml, the apply plays of site.yml with
``webroot_validate_only: true``: the roles plan, nothing is read or changed):

- once unsharded, on the whole inventory, no limit;
- once per node of the sharded night, on the same whole inventory: the estate node
  (``--limit webroot_distributors:webroot_servers:localhost``) and each shard
  (``--limit webroot_shard_i:localhost``), one after the other.

The callback benchmarks/callback_plugins/webroot_plans.py writes every component plan
each run computed (what the role registers as ``webroot_plan[component]``). Then, per
host and component, the sharded plan is compared with the unsharded one by equality of
their canonical JSON; and every managed host must be planned by exactly one node.
Reported: counts (hosts, plans, equal, different, missing, planned twice), and each
run's wall time and CPU (ansible-playbook and its workers, user + system), with the
load average.

    .venv/bin/python benchmarks/sharded_plans.py [--workstations 10000] [--shards 4] [--forks 10] [--json FILE]
"""
from __future__ import absolute_import, division, print_function

import argparse
import datetime
import hashlib
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from estate_validation import env_for, generate, version  # noqa: E402

PLAYBOOK = os.path.join(REPO, "benchmarks", "plan_only.yml")
CALLBACKS = os.path.join(REPO, "benchmarks", "callback_plugins")
MANAGED = ("webroot_distributors", "webroot_servers", "webroot_clients")
# Where each component role has a rule (README, "Table 11, and which role opens what").
COMPONENT_GROUPS = {"update_service": ("webroot_distributors",), "update_distributor": ("webroot_distributors",),
                    "client_service": ("webroot_servers", "webroot_clients"),
                    "sweep_now": ("webroot_servers", "webroot_clients"),
                    "poll_now": ("webroot_servers", "webroot_clients")}


def shard_of(name, k):
    """inventories/ad's shard: 1 + the first 32 bits of sha1(lowercased name) modulo K."""
    return int(hashlib.sha1(name.lower().encode()).hexdigest()[:8], 16) % k + 1


def add_shards(directory, clients, k):
    """Appends the shard groups (children of webroot_shards) to hosts.yml; returns {group: [hosts]}."""
    shards = {}
    for name in clients:
        shards.setdefault("webroot_shard_%d" % shard_of(name, k), []).append(name)
    with open(os.path.join(directory, "hosts.yml"), "a") as handle:
        handle.write("    webroot_shards:\n      children:\n")
        for group in sorted(shards):
            handle.write("        %s:\n          hosts:\n" % group)
            handle.writelines("            %s:\n" % h for h in shards[group])
    return shards


def run(venv, inv, label, out_dir, forks, limit=None, extra=None, tags=None):
    plans = os.path.join(out_dir, label + ".jsonl")
    cmd = [os.path.join(venv, "bin", "ansible-playbook"), "-i", inv, PLAYBOOK, "--forks", str(forks)]
    if tags:
        cmd += ["--tags", tags]
    if limit:
        cmd += ["--limit", limit]
    for key, value in sorted((extra or {}).items()):
        cmd += ["-e", "%s=%s" % (key, value)]
    env = env_for(venv)
    env.update({"ANSIBLE_CALLBACK_PLUGINS": CALLBACKS, "ANSIBLE_CALLBACKS_ENABLED": "webroot_plans",
                "WEBROOT_PLANS_FILE": plans})
    load = os.getloadavg()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.monotonic()
    with open(os.path.join(out_dir, label + ".log"), "w") as log:
        proc = subprocess.run(cmd, cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT, check=False)
    wall = time.monotonic() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    found, failed = {}, []
    with open(plans) as handle:
        for line in handle:
            entry = json.loads(line)
            if entry.get("failed"):
                failed.append(entry)
                continue
            found.setdefault(entry["host"], {})[entry["component"]] = json.dumps(entry["plan"], sort_keys=True)
    figures = {"label": label, "limit": limit, "rc": proc.returncode, "wall": round(wall, 1), "cpu": round(cpu, 1),
               "load_before": load, "load_after": os.getloadavg(), "hosts": len(found),
               "plans": sum(len(p) for p in found.values()), "failed": len(failed)}
    print("%s: rc %d, %d hosts, %d plans, %d failed, wall %.1f s, CPU %.1f s, load %.2f -> %.2f" % (
        label, proc.returncode, figures["hosts"], figures["plans"], len(failed), wall, cpu, load[0],
        figures["load_after"][0]), flush=True)
    if proc.returncode != 0 or failed:
        sys.exit("%s failed (rc %d): %s; see %s" % (label, proc.returncode, failed[:3],
                                                    os.path.join(out_dir, label + ".log")))
    return found, figures


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("--workstations", type=int, default=10000)
    ap.add_argument("--shards", type=int, default=4)
    ap.add_argument("--forks", type=int, default=10)
    ap.add_argument("--venv", default=os.path.join(REPO, ".venv"))
    ap.add_argument("--tags", help="plan only these components (ansible-playbook --tags, e.g. client_service)")
    ap.add_argument("--json", metavar="FILE")
    ap.add_argument("--dir", help="work directory (default: a new temporary one, kept)")
    args = ap.parse_args()

    tmp = args.dir or tempfile.mkdtemp(prefix="webroot-plans-")
    inv = os.path.join(tmp, "inventory")
    members = generate(inv, args.workstations)
    shards = add_shards(inv, members["webroot_clients"], args.shards)
    core, py = version(args.venv)
    groups = MANAGED if not args.tags else sorted(set(
        g for c in args.tags.split(",") for g in COMPONENT_GROUPS[c.strip()]))
    managed = sorted(set(h for g in groups for h in members[g]))
    print("%d managed hosts (%d workstations in %d shards: %s), ansible-core %s, Python %s, forks %d, in %s" % (
        len(managed), len(members["webroot_clients"]), len(shards),
        " + ".join("%d" % len(shards[s]) for s in sorted(shards)), core, py, args.forks, tmp), flush=True)

    unsharded, fig_unsharded = run(args.venv, inv, "unsharded", tmp, args.forks, tags=args.tags)
    nodes = [("estate", "webroot_distributors:webroot_servers:localhost", {"webroot_plan_node": "estate"})]
    nodes += [(s, "%s:localhost" % s, {"webroot_plan_node": "workstations", "webroot_shard": s})
              for s in sorted(shards)]
    sharded, figs = {}, []
    planned_by = {}
    for label, limit, extra in nodes:
        found, fig = run(args.venv, inv, label, tmp, args.forks, limit, extra, args.tags)
        figs.append(fig)
        for host, plans in found.items():
            planned_by.setdefault(host, []).append(label)
            sharded[host] = plans

    twice = sorted(h for h, labels in planned_by.items() if len(labels) > 1)
    missing = sorted(set(managed) - set(sharded))
    missing_unsharded = sorted(set(managed) - set(unsharded))
    equal = different = 0
    examples = []
    for host in managed:
        a, b = unsharded.get(host, {}), sharded.get(host, {})
        for comp in sorted(set(a) | set(b)):
            if a.get(comp) is not None and a.get(comp) == b.get(comp):
                equal += 1
            else:
                different += 1
                if len(examples) < 5:
                    examples.append((host, comp, a.get(comp), b.get(comp)))
    hosts_equal = sum(1 for h in managed if h in unsharded and h in sharded and unsharded[h] == sharded[h])
    result = {
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "kernel": platform.release(), "cpus": os.cpu_count(), "ansible_core": core, "python": py,
        "workstations": len(members["webroot_clients"]), "managed": len(managed), "forks": args.forks,
        "tags": args.tags,
        "shards": dict((s, len(shards[s])) for s in sorted(shards)),
        "unsharded": fig_unsharded, "nodes": figs,
        "plans_unsharded": sum(len(p) for p in unsharded.values()),
        "plans_sharded": sum(len(p) for p in sharded.values()),
        "equal": equal, "different": different, "hosts_equal": hosts_equal,
        "missing_sharded": missing[:20], "missing_sharded_count": len(missing),
        "missing_unsharded_count": len(missing_unsharded), "twice": twice[:20], "twice_count": len(twice),
    }
    print("\nplans: unsharded %d, sharded %d; per host and component: %d equal, %d different; hosts identical: %d "
          "of %d; not planned by any node: %d; planned by two nodes: %d; not planned unsharded: %d" % (
              result["plans_unsharded"], result["plans_sharded"], equal, different, hosts_equal, len(managed),
              len(missing), len(twice), len(missing_unsharded)))
    for host, comp, a, b in examples:
        print("  DIFFERENT %s %s:\n    unsharded %s\n    sharded   %s" % (host, comp, a, b))
    print("\n| run | limit | hosts planned | plans | wall (s) | CPU (s) | load before / after |")
    print("|---|---|---|---|---|---|---|")
    for f in [fig_unsharded] + figs:
        print("| %s | %s | %d | %d | %.1f | %.1f | %.2f / %.2f |" % (
            f["label"], "`%s`" % f["limit"] if f["limit"] else "none", f["hosts"], f["plans"], f["wall"], f["cpu"],
            f["load_before"][0], f["load_after"][0]))
    if args.json:
        with open(args.json, "w") as handle:
            json.dump(result, handle, indent=1)
    ok = different == 0 and not missing and not twice and not missing_unsharded
    print("\nidentical on every host: %s" % ("yes" if ok else "NO"))
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()

#!/usr/bin/env python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, webroot.enterprise contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Does the firewall work grow with the estate? 10 versus 1,000 workstations, in one run.

Four real hosts (podman containers from the lab image, network ``webroot-bench``,
198.18.60.0/24), each a Webroot host whose rules admit every workstation:

* ``wrb-dist-fwd``  distributor, firewalld   (update_service, update_distributor)
* ``wrb-dist-ipt``  distributor, iptables    (update_service, update_distributor)
* ``wrb-srv-ufw``   company server, ufw      (client_service, sweep_now, poll_now)
* ``wrb-srv-ipt``   company server, iptables (client_service, sweep_now, poll_now)

The workstations are inventory entries only (``webroot_address``, never contacted:
the runs use ``--limit`` to the four hosts), in 198.19.0.0/16. Their addresses are
"sparse" by default, every second address, so that no two merge into a CIDR and
1,000 workstations really are 1,000 entries (the worst case); with --adjacent they
are consecutive, as a DHCP range is.

For N in (--small, --large) it runs the roles (a playbook of our own, as a user
would) on a fresh firewall: a first run, then a no-op rerun, times each per host
(one ansible-playbook per host, so one host's time is its own), and prints the
ratios large/small. ufw has no sets and gets one rule per aggregated peer: its
large run uses --ufw-large (default 100 sparse workstations) unless --ufw-full.

Windows cannot run here: on the Windows Firewall simulator (tests/simulators) it
counts the Windows module calls of a company server with --small and --large
workstations, first run and rerun.

It also measures the built-in lab (lab/hosts.tsv, 198.18.10.0/24): a no-op rerun of
``site.yml`` (apply + report + verify) and the tasks per host of the five component
roles. Pass --no-lab to skip it.

Traffic goes only to the project's containers. Needs root, podman and the lab image.
"""
from __future__ import absolute_import, division, print_function

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
NETWORK, SUBNET = "webroot-bench", "198.18.60.0/24"
HOSTS = (
    ("wrb-dist-fwd", "198.18.60.11", "firewalld", "webroot_distributors"),
    ("wrb-dist-ipt", "198.18.60.12", "iptables", "webroot_distributors"),
    ("wrb-srv-ufw", "198.18.60.21", "ufw", "webroot_servers"),
    ("wrb-srv-ipt", "198.18.60.22", "iptables", "webroot_servers"),
    ("wrb-update1", "198.18.60.41", "endpoint", "webroot_update_endpoints"),
)
PLAYBOOK = """
- name: Distributors
  hosts: webroot_distributors
  gather_facts: false
  roles:
    - webroot.enterprise.update_service
    - webroot.enterprise.update_distributor
- name: Company servers
  hosts: webroot_servers
  gather_facts: false
  roles:
    - webroot.enterprise.client_service
    - webroot.enterprise.sweep_now
    - webroot.enterprise.poll_now
"""


def env(extra=None):
    e = dict(os.environ)
    e["PATH"] = os.path.join(REPO, ".venv", "bin") + os.pathsep + e.get("PATH", "")
    e.setdefault("CONTAINERS_CONF", os.path.join(REPO, "lab", "containers.conf"))
    e["ANSIBLE_CONFIG"] = os.path.join(REPO, "ansible.cfg")
    e["ANSIBLE_NOCOLOR"] = "1"
    e.update(extra or {})
    return e


def workstations(n, adjacent):
    step = 1 if adjacent else 2
    return ["198.19.%d.%d" % ((i * step) // 256, (i * step) % 256) for i in range(n)]


def inventory(path, n, adjacent):
    clients = dict(("ws%04d" % i, {"webroot_address": a}) for i, a in enumerate(workstations(n, adjacent)))
    children = {"webroot_clients": {"hosts": clients}}
    for name, addr, role, group in HOSTS:
        hv = {"webroot_address": addr}
        if role != "endpoint":
            hv.update({"ansible_connection": "containers.podman.podman",
                       "ansible_python_interpreter": "/usr/bin/python3"})
        children.setdefault(group, {"hosts": {}})["hosts"][name] = hv
    with open(path, "w") as f:
        json.dump({"all": {"children": children}}, f)


def play(playbook, inv, limit, extra_env=None, args=()):
    cmd = ["ansible-playbook", "-i", inv, playbook, "--limit", limit] + list(args)
    start = time.monotonic()
    p = subprocess.run(cmd, cwd=REPO, env=env(extra_env), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       universal_newlines=True, timeout=3600, check=False)
    took = time.monotonic() - start
    if p.returncode != 0:
        sys.exit("ansible-playbook failed on %s:\n%s" % (limit, p.stdout[-4000:]))
    return took, p.stdout


def lab(action, tsv, network, subnet):
    subprocess.run(["bash", os.path.join(REPO, "scripts", "lab.sh"), action, tsv, network, subnet],
                   cwd=REPO, env=env(), check=True, stdout=subprocess.DEVNULL, timeout=900)


def recap(output):
    """{host: (ok, changed)} from the PLAY RECAP."""
    out = {}
    for line in output.splitlines():
        words = line.replace(":", " ").split()
        if len(words) > 3 and words[1].startswith("ok="):
            out[words[0]] = (int(words[1][3:]), int(words[2][8:]))
    return out


def linux(args, tmp):
    tsv = os.path.join(tmp, "bench.tsv")
    with open(tsv, "w") as f:
        f.write("".join("\t".join(h) + "\n" for h in HOSTS))
    pb = os.path.join(tmp, "play.yml")
    with open(pb, "w") as f:
        f.write(PLAYBOOK)
    rows = []
    for name, _addr, fw, _group in HOSTS[:4]:
        times = {}
        sizes = (args.small, args.large if (fw != "ufw" or args.ufw_full) else args.ufw_large)
        for n in sizes:
            lab("up", tsv, NETWORK, SUBNET)   # fresh firewalls
            inv = os.path.join(tmp, "inv-%d.json" % n)
            inventory(inv, n, args.adjacent)
            first, _out = play(pb, inv, name)
            rerun, out = play(pb, inv, name)
            if recap(out).get(name, (0, 1))[1] != 0:
                sys.exit("%s: the rerun with %d workstations changed something" % (name, n))
            times[n] = (first, rerun)
            print("%-13s %-9s N=%-5d first %6.1f s  rerun %6.1f s" % (name, fw, n, first, rerun), flush=True)
        small, large = sizes
        rows.append((name, fw, small, large, times[small], times[large]))
    lab("down", tsv, NETWORK, SUBNET)
    return rows


WIN_INV = """
all:
  vars:
    ansible_connection: local
    ansible_python_interpreter: {python}
    webroot_firewall_backend: windows
  children:
    webroot_servers:
      hosts:
        srv1: {{webroot_address: 198.18.60.21}}
    webroot_clients:
      hosts:
{clients}
"""
WIN_PLAY = """
- name: Company server on the Windows Firewall simulator
  hosts: webroot_servers
  gather_facts: false
  environment:
    WEBROOT_WINFW_SIMULATOR_STORE: "{{ store }}"
  roles:
    - webroot.enterprise.client_service
    - webroot.enterprise.sweep_now
    - webroot.enterprise.poll_now
"""


def windows(args, tmp):
    """Windows module calls (win_firewall_rule items + win_powershell) per run."""
    out = []
    pb = os.path.join(tmp, "win.yml")
    with open(pb, "w") as f:
        f.write(WIN_PLAY)
    sim = os.path.join(REPO, "tests", "simulators", "collections")
    for n in (args.small, args.large):
        inv = os.path.join(tmp, "win-%d.yml" % n)
        clients = "".join("        ws%04d: {webroot_address: %s}\n" % (i, a)
                          for i, a in enumerate(workstations(n, args.adjacent)))
        with open(inv, "w") as f:
            f.write(WIN_INV.format(python=os.path.join(REPO, ".venv", "bin", "python"), clients=clients))
        store = os.path.join(tmp, "store-%d.json" % n)
        with open(store, "w") as f:
            json.dump({"rules": []}, f)
        log = os.path.join(tmp, "calls-%d.jsonl" % n)
        extra = {"ANSIBLE_COLLECTIONS_PATH": os.pathsep.join([sim, os.path.join(REPO, ".cache", "collections")]),
                 "WEBROOT_WINFW_SIMULATOR_LOG": log}
        counts = []
        for _run in ("first", "rerun"):
            if os.path.exists(log):
                os.remove(log)
            play(pb, inv, "srv1", extra, ["-e", "store=" + store])
            # Module invocations on the host, as the simulator logged them (the action
            # calls win_powershell and win_firewall_rule itself, one line each).
            with open(log) as handle:
                counts.append(sum(1 for _line in handle))
        out.append((n, counts))
        print("windows (simulator) N=%-5d module calls: first %d, rerun %d" % (n, counts[0], counts[1]), flush=True)
    return out


def builtin_lab():
    tsv = os.path.join(REPO, "lab", "hosts.tsv")
    lab("up", tsv, "webroot-lab", "198.18.10.0/24")
    try:
        play("site.yml", os.path.join(REPO, "inventories", "lab"), "all")
        took, out = play("site.yml", os.path.join(REPO, "inventories", "lab"), "all")
        _t, apply_out = play("playbooks/site.yml", os.path.join(REPO, "inventories", "lab"),
                             "all", {"ANSIBLE_STDOUT_CALLBACK": "ansible.posix.json"},
                             ["--skip-tags", "verify"])
    finally:
        lab("down", tsv, "webroot-lab", "198.18.10.0/24")
    data = json.loads(apply_out[apply_out.index("{"):])
    per_host = {}
    for p in data["plays"]:
        if not p["play"]["name"].startswith(("Distributors", "Company server")):
            continue
        for t in p["tasks"]:
            for host, res in t["hosts"].items():
                if not res.get("skipped"):
                    per_host[host] = per_host.get(host, 0) + 1
    return took, per_host


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("--small", type=int, default=10)
    ap.add_argument("--large", type=int, default=1000)
    ap.add_argument("--ufw-large", type=int, default=100)
    ap.add_argument("--ufw-full", action="store_true", help="ufw with --large too (one module call per peer)")
    ap.add_argument("--adjacent", action="store_true", help="consecutive workstation addresses")
    ap.add_argument("--no-lab", action="store_true")
    ap.add_argument("--no-linux", action="store_true")
    args = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="webroot-bench-")
    if not args.no_linux:
        rows = linux(args, tmp)
        print("\n| host | firewall | N small / large | first run small / large (s) | ratio | rerun small / large (s) | ratio |")
        print("|---|---|---|---|---|---|---|")
        for name, fw, small, large, ts, tl in rows:
            print("| %s | %s | %d / %d | %.1f / %.1f | %.2f | %.1f / %.1f | %.2f |"
                  % (name, fw, small, large, ts[0], tl[0], tl[0] / ts[0], ts[1], tl[1], tl[1] / ts[1]))
    win = windows(args, tmp)
    print("\n| Windows (simulator) company server | N | module calls, first run | rerun |")
    print("|---|---|---|---|")
    for n, (first, rerun) in win:
        print("| srv1 | %d | %d | %d |" % (n, first, rerun))
    if not args.no_lab:
        took, per_host = builtin_lab()
        print("\nbuilt-in lab: site.yml no-op rerun (apply + report + verify) %.1f s" % took)
        print("tasks run per host by the five component roles (rerun, not skipped): %s"
              % ", ".join("%s %d" % kv for kv in sorted(per_host.items())))


if __name__ == "__main__":
    main()

#!/usr/bin/env python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, webroot.enterprise contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""How long does the estate validation take on 3,000 workstations? Per ansible-core.

Generates an inventory directory as an enterprise would keep it: hosts.yml (3,000
workstations, 3 company servers, 9 distributors, 1 update endpoint, each with
``ansible_host`` and ``webroot_address`` inline; groups by Webroot role and by
operating system, 90 % Windows and 10 % Linux workstations, a branch office group)
and group_vars (all.yml, windows.yml, linux.yml, webroot_clients.yml,
webroot_servers.yml, webroot_distributors.yml, branch_lyon.yml) with a few
realistic variables. Addresses are in 198.18.0.0/15.

Then it times ``ansible-playbook -i INV playbooks/validate.yml`` (wall time of the
whole command: start-up, inventory, every play of validate.yml as it stands), once per
ansible-core given with --venv (default: .venv and the venvs scripts/matrix.sh
creates, .venv-core-2.16 and .venv-core-2.20, when they exist), and a variant with
one bad value (a workstation with ``sweep_now_port: 70000`` in host_vars), which
must fail naming the host and the variable. No host is contacted. When
validate.yml has plays besides the validation (the fact-gathering play for hosts
without webroot_address), the validation play alone is timed too (a copy of
validate.yml without them), so the two costs are told apart; --profile adds a run
with ansible.posix.profile_tasks (first venv only). The load average is printed
before and after: the figures are wall times and the machine's load shows in them.

With --awx the same estate is also timed as AWX hands it to a job (an executable
inventory script printing the JSON of ``Inventory.get_script_data``, group variables on
the groups): what the sharded night's estate node loads. The CPU seconds of each run
(ansible-playbook and its workers, user + system) are printed beside its wall time.

Run: .venv/bin/python benchmarks/estate_validation.py [--workstations 3000]
[--venv PATH ...] [--repeat 1] [--awx] [--profile] [--json FILE]
"""
from __future__ import absolute_import, division, print_function

import argparse
import json
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
# scripts/matrix.sh: .venv-core-CORE for CORE in 2.16 2.20 (its default ends of the range).
MATRIX_VENVS = (os.path.join(REPO, ".venv-core-2.16"), os.path.join(REPO, ".venv-core-2.20"))
# The goals: 10 s at 3,000 workstations (issue 16), 20 s at 10,000 (issue 27).
GOALS = ((3000, 10.0), (10000, 20.0))


def goal_for(workstations):
    for size, goal in GOALS:
        if workstations <= size:
            return goal
    return GOALS[-1][1]


BAD_HOST_INDEX = 1234
BAD_VAR, BAD_VALUE = "sweep_now_port", 70000

GROUP_VARS = {
    "all.yml": """---
# Addresses come from the inventory (webroot_address): no fact gathering for peers.
webroot_gather_facts: false
webroot_windows_profiles: [domain, private]
ansible_python_interpreter: auto_silent
""",
    "windows.yml": """---
ansible_connection: winrm
ansible_port: 5986
ansible_winrm_scheme: https
ansible_winrm_transport: kerberos
ansible_winrm_server_cert_validation: validate
ansible_user: ansible@CORP.EXAMPLE.TEST
webroot_firewall_backend: windows
""",
    "linux.yml": """---
ansible_connection: ssh
ansible_user: ansible
ansible_become: true
webroot_firewall_backend: auto
webroot_firewalld_zone: internal
""",
    "webroot_clients.yml": """---
client_service_windows_program: 'C:\\Program Files\\Webroot\\WebrootClientService.exe'
sweep_now_state: present
poll_now_state: present
""",
    "webroot_servers.yml": """---
# The console only sits on the domain network.
webroot_windows_profiles: [domain]
client_service_windows_program: 'C:\\Program Files\\Webroot\\WebrootClientService.exe'
""",
    "webroot_distributors.yml": """---
update_service_windows_program: 'C:\\Program Files\\Webroot\\WebrootUpdateService.exe'
update_distributor_windows_program: 'C:\\Program Files\\Webroot\\WebrootUpdateDistributor.exe'
""",
    "branch_lyon.yml": """---
# Laptops that roam onto public networks.
webroot_windows_profiles: [domain, private, public]
""",
}


def generate(directory, n):
    """Writes the inventory; returns {group: [host names]}."""
    os.makedirs(os.path.join(directory, "group_vars"))
    os.makedirs(os.path.join(directory, "host_vars"))
    for name, text in GROUP_VARS.items():
        with open(os.path.join(directory, "group_vars", name), "w") as handle:
            handle.write(text)
    members = {"webroot_update_endpoints": [], "webroot_distributors": [], "webroot_servers": [],
               "webroot_clients": [], "windows": [], "linux": [], "branch_lyon": []}
    lines = {}
    hostvars = members["_hostvars"] = {}

    def host(group, name, ip, fqdn=True):
        members[group].append(name)
        hostvars[name] = {"ansible_host": name + ".corp.example.test" if fqdn else ip, "webroot_address": ip}
        lines.setdefault(group, []).append(
            "        %s: {ansible_host: %s, webroot_address: %s}\n" % (
                name, name + ".corp.example.test" if fqdn else ip, ip))

    host("webroot_update_endpoints", "wr-proxy-01", "198.18.0.5")
    for i in range(9):
        host("webroot_distributors", "wr-dist-%02d" % (i + 1), "198.18.1.%d" % (11 + i))
        members["windows"].append("wr-dist-%02d" % (i + 1))
    for i in range(3):
        host("webroot_servers", "wr-console-%02d" % (i + 1), "198.18.2.%d" % (21 + i))
        members["windows"].append("wr-console-%02d" % (i + 1))
    for i in range(n):
        linux = i % 10 == 9
        name = ("lx-%05d" if linux else "ws-%05d") % (i + 1)
        # DHCP scopes of 198.19.0.0/16, from .10 of each /24 (a few gaps).
        ip = "198.19.%d.%d" % (i // 240, 10 + i % 240)
        host("webroot_clients", name, ip, fqdn=not linux)
        members["linux" if linux else "windows"].append(name)
        if i % 30 == 0:
            members["branch_lyon"].append(name)
    with open(os.path.join(directory, "hosts.yml"), "w") as handle:
        handle.write("---\n# Generated by benchmarks/estate_validation.py\nall:\n  children:\n")
        for group in ("webroot_update_endpoints", "webroot_distributors", "webroot_servers", "webroot_clients"):
            handle.write("    %s:\n      hosts:\n" % group)
            handle.writelines(lines[group])
        for group in ("windows", "linux", "branch_lyon"):
            handle.write("    %s:\n      hosts:\n" % group)
            handle.writelines("        %s:\n" % h for h in members[group])
    return members


def write_awx(directory, members, bad_host=None):
    """The same estate as AWX hands it to a job (awx/main/tasks/jobs.py ``build_inventory``):
    an executable ``hosts`` script printing ``Inventory.get_script_data(hostvars=True,
    towervars=True)``: each group with its hosts and its variables, every host's own
    variables in ``_meta.hostvars`` (with AWX's remote_tower_* ones); returns the path."""
    import yaml  # PyYAML, a dependency of ansible-core
    group_vars = dict((name[:-4], yaml.safe_load(text) or {}) for name, text in GROUP_VARS.items())
    groups = [g for g in members if not g.startswith("_")]
    data = {"all": {"vars": group_vars.pop("all"), "hosts": [], "children": sorted(groups)}}
    for group in sorted(groups):
        data[group] = {"hosts": list(members[group])}
        if group in group_vars:
            data[group]["vars"] = group_vars[group]
    data["_meta"] = {"hostvars": {}}
    for i, name in enumerate(sorted(members["_hostvars"])):
        hv = dict(members["_hostvars"][name])
        if name == bad_host:
            hv[BAD_VAR] = BAD_VALUE
        hv.update({"remote_tower_enabled": "true", "remote_tower_id": i + 1})
        data["_meta"]["hostvars"][name] = hv
    os.makedirs(directory)
    path = os.path.join(directory, "hosts")
    with open(path, "w") as handle:
        handle.write("#! %s\n# -*- coding: utf-8 -*-\nprint(%r)\n" % (sys.executable, json.dumps(data)))
    os.chmod(path, 0o700)
    return path


def env_for(venv):
    env = dict(os.environ)
    env.update({
        "PATH": os.path.join(venv, "bin") + os.pathsep + env.get("PATH", ""),
        "ANSIBLE_CONFIG": os.path.join(REPO, "ansible.cfg"),
        "ANSIBLE_NOCOLOR": "1",
        "ANSIBLE_RETRY_FILES_ENABLED": "0",
    })
    env.pop("ANSIBLE_COLLECTIONS_PATH", None)   # ansible.cfg: .cache/collections (this repository)
    return env


def version(venv):
    try:
        out = subprocess.run([os.path.join(venv, "bin", "ansible-playbook"), "--version"], env=env_for(venv),
                             cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                             universal_newlines=True, timeout=120, check=False).stdout
    except OSError as exc:
        return None, str(exc)
    m = re.search(r"core ([0-9][^\]\s]*)", out)
    py = re.search(r"python version = (\S+)", out)
    return (m.group(1) if m else None), (py.group(1) if py else "")


def validation_only(path):
    """A copy of playbooks/validate.yml with only the plays that run validate_estate
    (the fact-gathering play, if there is one, left out); None if there is nothing to leave out."""
    import yaml  # PyYAML, a dependency of ansible-core
    with open(os.path.join(REPO, "playbooks", "validate.yml")) as handle:
        plays = yaml.safe_load(handle)
    keep = [p for p in plays if any(any(k.split(".")[-1] == "validate_estate" for k in t)
                                    for t in p.get("tasks") or [])]
    if not keep or len(keep) == len(plays):
        return None
    with open(path, "w") as handle:
        yaml.safe_dump(keep, handle, sort_keys=False)
    return path


def validate(venv, inv, profile=False, playbook=os.path.join("playbooks", "validate.yml")):
    cmd = [os.path.join(venv, "bin", "ansible-playbook"), "-i", inv, playbook]
    env = env_for(venv)
    if profile:
        env["ANSIBLE_CALLBACKS_ENABLED"] = "ansible.posix.profile_tasks"
        env["PROFILE_TASKS_TASK_OUTPUT_LIMIT"] = "20"
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.monotonic()
    proc = subprocess.run(cmd, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          universal_newlines=True, timeout=1800, check=False)
    took = time.monotonic() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    # CPU of ansible-playbook and its workers (user + system), less sensitive than the
    # wall time to the other jobs sharing the machine.
    CPU.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return took, proc.returncode, proc.stdout


CPU = []   # the CPU seconds of each validate() call, in order


def task_times(output):
    """[(task name, seconds)] from the profile_tasks summary at the end of a run."""
    out = []
    for line in output.splitlines()[-40:]:
        m = re.match(r"^(\S.*?) -{3,} (\d+\.\d+)s\s*$", line)
        if m:
            out.append((m.group(1).strip(), float(m.group(2))))
    return out


def error_message(output):
    """The validation's msg, as the task printed it (YAML result format, folded lines joined)."""
    flat = " ".join(output.split())
    m = re.search(r"msg: '((?:[^']|'')*)'", flat)
    if m and "The estate has" in m.group(1):
        return m.group(1).replace("''", "'")
    m = re.search(r"The estate has \d+ bad value\(s\).{0,300}", flat)
    return m.group(0) if m else flat[-600:]


def names_bad_value(rc, message, bad_host):
    """The bad run failed and its message names the host and the variable."""
    return rc != 0 and ("host %s:" % bad_host) in message and BAD_VAR in message


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("--workstations", type=int, default=3000)
    ap.add_argument("--venv", action="append", metavar="PATH",
                    help="a venv with ansible-core (repeatable); default: .venv and the matrix venvs that exist")
    ap.add_argument("--repeat", type=int, default=1, help="timed runs of the good inventory per venv (median)")
    ap.add_argument("--profile", action="store_true",
                    help="one more run with ansible.posix.profile_tasks (per-task times, first venv only)")
    ap.add_argument("--goal", type=float, help="seconds (default: 10 up to 3,000 workstations, else 20)")
    ap.add_argument("--json", metavar="FILE")
    ap.add_argument("--keep", action="store_true")
    ap.add_argument("--awx", action="store_true",
                    help="also time the same estate as AWX hands it to a job (an inventory script printing JSON)")
    args = ap.parse_args()
    goal = args.goal or goal_for(args.workstations)

    venvs = args.venv or [os.path.join(REPO, ".venv")] + list(MATRIX_VENVS)
    tmp = tempfile.mkdtemp(prefix="webroot-estate-")
    good = os.path.join(tmp, "good")
    members = generate(good, args.workstations)
    bad = os.path.join(tmp, "bad")
    shutil.copytree(good, bad)
    clients = members["webroot_clients"]
    bad_host = clients[min(BAD_HOST_INDEX, len(clients) - 1)]
    with open(os.path.join(bad, "host_vars", bad_host + ".yml"), "w") as handle:
        handle.write("---\n%s: %d\n" % (BAD_VAR, BAD_VALUE))
    awx_good = write_awx(os.path.join(tmp, "awx-good"), members) if args.awx else None
    awx_bad = write_awx(os.path.join(tmp, "awx-bad"), members, bad_host) if args.awx else None
    total = sum(len(members[g]) for g in ("webroot_update_endpoints", "webroot_distributors", "webroot_servers",
                                          "webroot_clients"))
    print("inventory: %d workstations (%d Windows, %d Linux), 3 servers, 9 distributors, 1 update endpoint: "
          "%d hosts (%s)" % (len(clients), len([h for h in clients if h.startswith("ws-")]),
                             len([h for h in clients if h.startswith("lx-")]), total, tmp), flush=True)

    rows, skipped, profiled = [], [], []
    only_book = validation_only(os.path.join(tmp, "validation_only.yml"))
    load_before = os.getloadavg()
    print("load average before: %.2f %.2f %.2f" % load_before, flush=True)
    for venv in venvs:
        if not os.access(os.path.join(venv, "bin", "ansible-playbook"), os.X_OK):
            skipped.append(venv)
            print("%s: not there (scripts/matrix.sh creates it), not measured" % os.path.relpath(venv, REPO),
                  flush=True)
            continue
        core, py = version(venv)
        times, cpus = [], []
        for _i in range(args.repeat):
            took, rc, out = validate(venv, good)
            if rc != 0:
                sys.exit("%s: validate.yml failed on the good inventory (rc %d):\n%s" % (venv, rc, out[-4000:]))
            times.append(took)
            cpus.append(CPU[-1])
        took_only = cpu_only = None
        if only_book:
            took_only, rc_only, out_only = validate(venv, good, playbook=only_book)
            cpu_only = CPU[-1]
            if rc_only != 0:
                sys.exit("%s: the validation play alone failed on the good inventory (rc %d):\n%s"
                         % (venv, rc_only, out_only[-4000:]))
        took_bad, rc_bad, out_bad = validate(venv, bad)
        cpu_bad = CPU[-1]
        message = error_message(out_bad)
        named = names_bad_value(rc_bad, message, bad_host)
        counts = re.search(r"^\s*hosts: (\d+)\s*$.*?^\s*plans: (\d+)\s*$", out_bad, re.MULTILINE | re.DOTALL)
        good_t = statistics.median(times)
        row = {"venv": os.path.relpath(venv, REPO), "ansible_core": core, "python": py, "times": times,
               "cpus": cpus, "good_cpu": statistics.median(cpus), "validation_only_cpu": cpu_only,
               "bad_cpu": cpu_bad, "load": os.getloadavg(),
               "good": good_t, "validation_only": took_only, "bad": took_bad, "bad_rc": rc_bad, "bad_named": named, "bad_message": message,
               "validated_hosts": int(counts.group(1)) if counts else None,
               "plans": int(counts.group(2)) if counts else None}
        print("%s (ansible-core %s, Python %s): valid estate %.1f s (CPU %.1f s)%s; one bad value %.1f s "
              "(CPU %.1f s), rc %d, names host and variable: %s; load average now %.2f %.2f %.2f"
              % ((row["venv"], core, py, good_t, row["good_cpu"],
                  " (validation play alone %.1f s, CPU %.1f s)" % (took_only, cpu_only) if took_only is not None
                  else "", took_bad, cpu_bad, rc_bad, "yes" if named else "NO") + row["load"]), flush=True)
        print("  message: %s" % message, flush=True)
        if awx_good:
            took_a, rc_a, out_a = validate(venv, awx_good)
            cpu_a = CPU[-1]
            if rc_a != 0:
                sys.exit("%s: validate.yml failed on the AWX form of the good inventory (rc %d):\n%s"
                         % (venv, rc_a, out_a[-4000:]))
            took_ab, rc_ab, out_ab = validate(venv, awx_bad)
            cpu_ab = CPU[-1]
            msg_ab = error_message(out_ab)
            row.update(awx=took_a, awx_cpu=cpu_a, awx_bad=took_ab, awx_bad_cpu=cpu_ab, awx_bad_rc=rc_ab,
                       awx_bad_named=names_bad_value(rc_ab, msg_ab, bad_host),
                       awx_load=os.getloadavg())
            print("  the AWX form (inventory script): valid estate %.1f s (CPU %.1f s); one bad value %.1f s "
                  "(CPU %.1f s), rc %d, names host and variable: %s; load average now %.2f %.2f %.2f"
                  % ((took_a, cpu_a, took_ab, cpu_ab, rc_ab, "yes" if row["awx_bad_named"] else "NO")
                     + row["awx_load"]), flush=True)
        if args.profile and not profiled:
            took_p, rc_p, out_p = validate(venv, good, profile=True)
            row["profile"] = {"wall": took_p, "tasks": task_times(out_p)}
            profiled.append(row)
            print("  profiled run (ansible.posix.profile_tasks) %.1f s: %s" % (took_p, "; ".join(
                "%s %.2f s" % kv for kv in row["profile"]["tasks"]) or "no task times found"), flush=True)
        rows.append(row)

    load_after = os.getloadavg()
    machine = (platform.release(), os.cpu_count() or 0, load_before[0], load_after[0], total)
    print("\nmachine: Linux %s, %d CPUs, load average before %.2f / after %.2f (1 min); %d hosts; wall time of "
          "ansible-playbook -i INV playbooks/validate.yml" % machine)
    print("\n| ansible-core | Python | valid estate, validate.yml: wall (CPU) s | goal | met | validation play "
          "alone: wall (CPU) s | goal | met | one bad value: wall (CPU) s | fails naming host and variable |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        only = r["validation_only"]
        print("| %s | %s | %.1f (%.1f) | <= %.0f s | %s | %s | <= %.0f s | %s | %.1f (%.1f) | %s |" % (
            r["ansible_core"], r["python"], r["good"], r["good_cpu"], goal, "yes" if r["good"] <= goal else "NO",
            "%.1f (%.1f)" % (only, r["validation_only_cpu"]) if only is not None else "-", goal,
            ("yes" if only <= goal else "NO") if only is not None else "-", r["bad"], r["bad_cpu"],
            "yes" if r["bad_named"] else "NO"))
    if any("awx" in r for r in rows):
        print("\nThe same estate as AWX hands it to a job (inventory script):\n")
        print("| ansible-core | validate.yml, valid estate: wall (CPU) s | goal | met | one bad value: wall (CPU) s "
              "| fails naming host and variable |")
        print("|---|---|---|---|---|---|")
        for r in rows:
            if "awx" in r:
                print("| %s | %.1f (%.1f) | <= %.0f s | %s | %.1f (%.1f) | %s |" % (
                    r["ansible_core"], r["awx"], r["awx_cpu"], goal, "yes" if r["awx"] <= goal else "NO",
                    r["awx_bad"], r["awx_bad_cpu"], "yes" if r["awx_bad_named"] else "NO"))
    for venv in skipped:
        print("| (%s) | - | not measured: the venv does not exist (scripts/matrix.sh creates it) | | | | | | | |"
              % os.path.relpath(venv, REPO))
    for r in profiled:
        tasks = r["profile"]["tasks"]
        print("\nwhere the time goes (ansible-core %s, one more run with ansible.posix.profile_tasks: %.1f s wall):"
              % (r["ansible_core"], r["profile"]["wall"]))
        for name, secs in tasks:
            print("  %6.2f s  %s" % (secs, name))
        print("  %6.2f s  the rest: start-up, inventory, plays, recap" % (r["profile"]["wall"] - sum(t for _n, t in tasks)))
    if args.json:
        with open(args.json, "w") as handle:
            json.dump({"date": time.strftime("%Y-%m-%d"), "kernel": platform.release(), "cpus": os.cpu_count(),
                       "hosts": total, "workstations": len(clients), "goal_s": goal, "bad_host": bad_host,
                       "load_before": load_before, "load_after": load_after,
                       "rows": rows, "not_measured": [os.path.relpath(v, REPO) for v in skipped]}, handle, indent=1)
    if not args.keep:
        shutil.rmtree(tmp, ignore_errors=True)
    sys.stdout.flush()
    if any(not r["bad_named"] or r.get("awx_bad_named") is False for r in rows):
        sys.exit("FAILED: the bad value did not fail naming the host and the variable")


if __name__ == "__main__":
    main()

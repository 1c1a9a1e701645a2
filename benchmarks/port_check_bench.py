#!/usr/bin/env python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, webroot.enterprise contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Benchmark of webroot.enterprise.port_check against wait_for and nmap.

Builds a network namespace ``wrpc-bench`` (veth pair, 198.19.250.1/30 here <->
198.19.250.2/30 inside; another free 198.19.x.0/30 if that one is taken) where
the state of every port is known:

* 500 ports with a listener (open),
* 500 ports with nothing listening (refused: RST),
* 500 ports dropped by an iptables/nft rule inside the namespace (filtered),

i.e. 1,500 targets, interleaved, checked with a 1 s timeout. It then times:

* the engine (``run_checks`` in this process),
* the module entry point (``python plugins/modules/port_check.py ARGS.json``, the
  way AnsiballZ runs it, in a subprocess), and its start-up with no target,
* ``ansible localhost -m webroot.enterprise.port_check`` (reported as failed if
  ansible picks another implementation),
* a loop of ``ansible.builtin.wait_for`` over 30 of the targets (10 per state),
  extrapolated to 1,500,
* ``nmap -sT`` over the same 1,500 ports, if nmap is installed,

checks port_check's classification of every target (exit status 1 otherwise),
prints a markdown table and, with ``--write-docs``, puts it in the
``## port_check`` section of docs/benchmarks.md.

Traffic goes only to the namespace address. Needs root. Everything it creates is
removed at the end, also on failure or SIGTERM/SIGINT; the listener process
inside the namespace exits by itself after ``--max-lifetime`` seconds anyway.
"""
from __future__ import absolute_import, division, print_function

import argparse
import datetime
import json
import os
import platform
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
COLLECTIONS = os.path.join(REPO, ".cache", "collections")
sys.path.insert(0, COLLECTIONS)

from ansible_collections.webroot.enterprise.plugins.module_utils.portcheck import run_checks  # noqa: E402

NS = "wrpc-bench"
HOST_IF, NS_IF = "wrpcb0", "wrpcb1"
OPEN_BASE, REFUSED_BASE, FILTERED_BASE = 20000, 21000, 22000

LISTENER = r"""
import selectors, socket, sys, time
ports = [int(p) for p in sys.argv[2].split(",")]
deadline = time.monotonic() + float(sys.argv[3])
sel = selectors.DefaultSelector()
socks = []
for port in ports:
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((sys.argv[1], port))
    s.listen(256)
    s.setblocking(False)
    sel.register(s, selectors.EVENT_READ)
    socks.append(s)
sel.register(sys.stdin, selectors.EVENT_READ)
print("READY", flush=True)
while time.monotonic() < deadline:
    for key, _ in sel.select(1.0):
        if key.fileobj is sys.stdin:
            if not sys.stdin.readline():
                sys.exit(0)
            continue
        try:
            conn, _ = key.fileobj.accept()
            conn.close()
        except OSError:
            pass
"""


def log(msg):
    sys.stderr.write("[bench] %s\n" % msg)
    sys.stderr.flush()


def run(cmd, check=True, timeout=60, **kwargs):
    return subprocess.run(cmd, check=check, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=timeout, **kwargs)


class Lab(object):
    """The namespace, its veth pair, firewall rules and listener process."""

    def __init__(self, count, max_lifetime):
        self.per_state = count // 3
        self.max_lifetime = max_lifetime
        self.listener = None
        self.local = self.remote = None

    def _subnet(self):
        used = run(["ip", "-o", "-4", "addr"]).stdout.decode()
        for third in range(250, 200, -1):
            prefix = "198.19.%d." % third
            if prefix not in used:
                return prefix
        raise RuntimeError("no free 198.19.x.0/30 subnet")

    def up(self):
        self.down(quiet=True)  # leftovers of an interrupted run (our names only)
        prefix = self._subnet()
        self.local, self.remote = prefix + "1", prefix + "2"
        nsx = ["ip", "netns", "exec", NS]
        run(["ip", "netns", "add", NS])
        run(["ip", "link", "add", HOST_IF, "type", "veth", "peer", "name", NS_IF])
        run(["ip", "link", "set", NS_IF, "netns", NS])
        run(["ip", "addr", "add", self.local + "/30", "dev", HOST_IF])
        run(["ip", "link", "set", HOST_IF, "up"])
        run(nsx + ["ip", "addr", "add", self.remote + "/30", "dev", NS_IF])
        run(nsx + ["ip", "link", "set", NS_IF, "up"])
        run(nsx + ["ip", "link", "set", "lo", "up"])
        first, last = FILTERED_BASE, FILTERED_BASE + self.per_state - 1
        if shutil.which("iptables"):
            run(nsx + ["iptables", "-A", "INPUT", "-p", "tcp", "--dport", "%d:%d" % (first, last), "-j", "DROP"])
        else:
            run(nsx + ["nft", "add table inet wrpc; add chain inet wrpc in { type filter hook input priority 0; }; "
                              "add rule inet wrpc in tcp dport %d-%d drop" % (first, last)])
        ports = ",".join(str(OPEN_BASE + i) for i in range(self.per_state))
        self.listener = subprocess.Popen(
            nsx + [sys.executable, "-c", LISTENER, self.remote, ports, str(self.max_lifetime)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, universal_newlines=True)
        line = self.listener.stdout.readline().strip()
        if line != "READY":
            raise RuntimeError("listener in %s did not start: %r" % (NS, line))
        # Bounded wait until the link passes traffic (first packets over a fresh veth
        # and the ARP resolution must not be what is measured).
        for _attempt in range(100):
            probe = socket.socket()
            probe.settimeout(0.2)
            try:
                if probe.connect_ex((self.remote, REFUSED_BASE)) == 111:
                    break
            finally:
                probe.close()
            time.sleep(0.05)
        else:
            raise RuntimeError("namespace %s does not answer" % NS)

    def targets(self):
        known = []
        for i in range(self.per_state):
            known.append(({"host": self.remote, "port": OPEN_BASE + i}, "open"))
            known.append(({"host": self.remote, "port": REFUSED_BASE + i}, "refused"))
            known.append(({"host": self.remote, "port": FILTERED_BASE + i}, "filtered"))
        random.Random(42).shuffle(known)
        return [t for t, _s in known], [s for _t, s in known]

    def down(self, quiet=False):
        if self.listener is not None:
            try:
                self.listener.stdin.close()
                self.listener.wait(5)
            except (OSError, subprocess.TimeoutExpired):
                self.listener.kill()
                self.listener.wait(5)
            self.listener = None
        run(["ip", "netns", "del", NS], check=False)
        run(["ip", "link", "del", HOST_IF], check=False)
        if not quiet:
            log("namespace %s removed" % NS)


def check_states(label, states, expected):
    wrong = [(i, s, e) for i, (s, e) in enumerate(zip(states, expected)) if s != e]
    if len(states) != len(expected):
        wrong.append(("count", len(states), len(expected)))
    if wrong:
        log("%s: %d target(s) misclassified, first: %s" % (label, len(wrong), wrong[:5]))
    return not wrong


def time_engine(targets, timeout):
    started = time.monotonic()
    results, summary = run_checks(targets, timeout=timeout, expect="reachable", concurrency=2048)
    return time.monotonic() - started, [r["state"] for r in results], summary


def time_module(targets, timeout, tmp):
    path = os.path.join(tmp, "args.json")
    with open(path, "w") as handle:
        json.dump({"ANSIBLE_MODULE_ARGS": {"targets": targets, "timeout": timeout, "fail_on_mismatch": False}}, handle)
    env = dict(os.environ, PYTHONPATH=COLLECTIONS)
    module = os.path.join(REPO, "plugins", "modules", "port_check.py")
    started = time.monotonic()
    proc = run([sys.executable, module, path], env=env, timeout=120)
    took = time.monotonic() - started
    out = json.loads(proc.stdout.decode())
    return took, [r["state"] for r in out["results"]], out["summary"]


def time_ansible_cli(targets, timeout):
    ansible = os.path.join(os.path.dirname(sys.executable), "ansible")
    if not os.path.exists(ansible):
        ansible = shutil.which("ansible")
    if not ansible:
        return None, None, "ansible not installed"
    compact = json.dumps({"targets": targets, "timeout": timeout, "fail_on_mismatch": False}, separators=(",", ":"))
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=COLLECTIONS, ANSIBLE_STDOUT_CALLBACK="json",
               ANSIBLE_LOAD_CALLBACK_PLUGINS="1", ANSIBLE_PYTHON_INTERPRETER=sys.executable)
    started = time.monotonic()
    proc = run([ansible, "localhost", "-c", "local", "-m", "webroot.enterprise.port_check", "-a", compact],
               check=False, env=env, timeout=300, cwd=tempfile.gettempdir())
    took = time.monotonic() - started
    try:
        result = json.loads(proc.stdout.decode())["plays"][0]["tasks"][0]["hosts"]["localhost"]
    except (ValueError, KeyError, IndexError):
        return took, None, "no JSON result (rc=%d)" % proc.returncode
    if "results" not in result:
        return took, None, (result.get("msg") or "failed")[:120]
    return took, [r["state"] for r in result["results"]], None


WAIT_FOR_PLAY = """
- hosts: localhost
  connection: local
  gather_facts: false
  tasks:
    - name: wait_for, one target at a time
      ansible.builtin.wait_for:
        host: "{{ item.host }}"
        port: "{{ item.port }}"
        timeout: %(timeout)s
        state: started
      loop: "{{ targets }}"
      failed_when: false
"""


def time_wait_for(sample, timeout, tmp):
    playbook = os.path.join(tmp, "wait_for.yml")
    with open(playbook, "w") as handle:
        handle.write(WAIT_FOR_PLAY % {"timeout": int(max(1, round(timeout)))})
    ansible_playbook = os.path.join(os.path.dirname(sys.executable), "ansible-playbook")
    env = dict(os.environ, ANSIBLE_PYTHON_INTERPRETER=sys.executable, ANSIBLE_COLLECTIONS_PATH=COLLECTIONS)
    timings = {}
    for label, items in (("empty", []), ("sample", sample)):
        extra = os.path.join(tmp, "targets-%s.json" % label)
        with open(extra, "w") as handle:
            json.dump({"targets": items}, handle)
        started = time.monotonic()
        run([ansible_playbook, "-i", "localhost,", playbook, "-e", "@" + extra], env=env, timeout=600,
            cwd=tempfile.gettempdir())
        timings[label] = time.monotonic() - started
    return timings["empty"], timings["sample"]


def time_nmap(remote, targets, expected, timeout):
    nmap = shutil.which("nmap")
    if not nmap:
        return None, None
    ports = ",".join(str(t["port"]) for t in targets)
    cmd = [nmap, "-sT", "-Pn", "-n", "--max-retries", "0", "--max-rtt-timeout", "%dms" % int(timeout * 1000),
           "-p", ports, "-oX", "-", remote]
    started = time.monotonic()
    proc = run(cmd, timeout=600)
    took = time.monotonic() - started
    xml = proc.stdout.decode()
    rename = {"closed": "refused"}
    found = {}
    for port, state in re.findall(r'<port protocol="tcp" portid="(\d+)"><state state="(\w+)"', xml):
        found[int(port)] = rename.get(state, state)
    # Ports of a common state are collapsed into <extraports>, their list in <extrareasons ports=...>.
    for block_state, body in re.findall(r'<extraports state="(\w+)"[^>]*>(.*?)</extraports>', xml, re.S):
        for spec in re.findall(r'ports="([^"]+)"', body):
            for part in spec.split(","):
                first, _sep, last = part.partition("-")
                for port in range(int(first), int(last or first) + 1):
                    found[port] = rename.get(block_state, block_state)
    states = [found.get(t["port"]) for t in targets]
    agree = sum(1 for s, e in zip(states, expected) if s == e)
    return took, agree


def fmt(seconds):
    return "%.2f s" % seconds if seconds < 100 else "%.0f s" % seconds


def write_docs(table, path):
    section = "## port_check\n\n" + table.rstrip() + "\n"
    text = ""
    if os.path.exists(path):
        with open(path) as handle:
            text = handle.read()
    if not text.strip():
        text = "# Benchmarks\n\nMeasured figures of the collection's benchmarks (benchmarks/).\n\n"
    pattern = re.compile(r"^## port_check\n.*?(?=^## |\Z)", re.M | re.S)
    if pattern.search(text):
        text = pattern.sub(lambda _m: section + "\n", text).rstrip() + "\n"
    else:
        text = text.rstrip() + "\n\n" + section
    if not os.path.isdir(os.path.dirname(path)):
        os.makedirs(os.path.dirname(path))
    with open(path, "w") as handle:
        handle.write(text)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", maxsplit=1)[0])
    parser.add_argument("--targets", type=int, default=1500, help="number of targets (a third per state)")
    parser.add_argument("--timeout", type=float, default=1.0)
    parser.add_argument("--wait-for-sample", type=int, default=30, help="targets in the timed wait_for loop")
    parser.add_argument("--max-lifetime", type=float, default=900, help="seconds before the listener gives up")
    parser.add_argument("--write-docs", action="store_true", help="update the port_check section of docs/benchmarks.md")
    args = parser.parse_args()
    if os.geteuid() != 0 or shutil.which("ip") is None:
        log("needs root and iproute2")
        return 2

    def on_signal(signum, _frame):
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)

    lab = Lab(args.targets, args.max_lifetime)
    tmp = tempfile.mkdtemp(prefix="wrpc-bench-")
    rows = []
    ok = True
    try:
        lab.up()
        targets, expected = lab.targets()
        n = len(targets)
        log("%d targets on %s (%d open, %d refused, %d filtered), timeout %gs"
            % (n, lab.remote, lab.per_state, lab.per_state, lab.per_state, args.timeout))

        t_engine, states, summary = time_engine(targets, args.timeout)
        ok &= check_states("engine", states, expected)
        log("engine: %.2fs %s" % (t_engine, {k: summary[k] for k in ("open", "refused", "filtered")}))

        t_startup, _s, _sum = time_module([], args.timeout, tmp)
        t_module, states, _sum = time_module(targets, args.timeout, tmp)
        ok &= check_states("module", states, expected)
        log("module: %.2fs (start-up %.2fs)" % (t_module, t_startup))

        t_cli, cli_states, cli_error = time_ansible_cli(targets, args.timeout)
        if cli_states is not None:
            ok &= check_states("ansible CLI", cli_states, expected)
        log("ansible CLI: %.2fs %s" % (t_cli or 0, cli_error or "ok"))

        sample = []
        for state in ("open", "refused", "filtered"):
            sample += [t for t, e in zip(targets, expected) if e == state][: args.wait_for_sample // 3]
        t_wf_empty, t_wf_sample = time_wait_for(sample, args.timeout, tmp)
        per_target = (t_wf_sample - t_wf_empty) / len(sample)
        t_wait_for = t_wf_empty + per_target * n
        log("wait_for: %d targets %.2fs (empty play %.2fs) -> %.1fs for %d"
            % (len(sample), t_wf_sample, t_wf_empty, t_wait_for, n))

        t_nmap, nmap_agree = time_nmap(lab.remote, targets, expected, args.timeout)
        if t_nmap is not None:
            log("nmap: %.2fs, agrees on %d/%d" % (t_nmap, nmap_agree, n))

        budget = 1.5 * args.timeout + t_startup
        rows = [
            ("port_check engine (`run_checks`, in process)", fmt(t_engine), "measured"),
            ("port_check module (`python port_check.py args.json`)", fmt(t_module), "measured"),
            ("port_check module start-up, no target", fmt(t_startup), "measured"),
        ]
        if cli_states is not None:
            rows.append(("`ansible localhost -m webroot.enterprise.port_check`", fmt(t_cli), "measured"))
        else:
            rows.append(("`ansible localhost -m webroot.enterprise.port_check`", "n/a",
                         "did not run the Python module: %s" % cli_error))
        rows.append(("`ansible.builtin.wait_for` loop, %d targets" % len(sample), fmt(t_wf_sample),
                     "measured (empty play: %s)" % fmt(t_wf_empty)))
        rows.append(("`ansible.builtin.wait_for` loop, %d targets" % n, fmt(t_wait_for),
                     "**extrapolated**: empty play + %d x %.3f s per target" % (n, per_target)))
        if t_nmap is not None:
            rows.append(("`nmap -sT -Pn -n --max-retries 0`", fmt(t_nmap),
                         "measured, agrees with the known state on %d/%d ports" % (nmap_agree, n)))
        else:
            rows.append(("`nmap -sT`", "n/a", "nmap not installed"))

        ratios = [
            ("wait_for loop / port_check module", "%.0fx" % (t_wait_for / t_module), ">= 50x",
             t_wait_for / t_module >= 50),
            ("port_check module / (1.5 x timeout + start-up = %s)" % fmt(budget), "%.2f" % (t_module / budget),
             "<= 1", t_module <= budget),
        ]
        if t_nmap is not None:
            ratios.append(("port_check module / nmap", "%.2f" % (t_module / t_nmap), "<= 2", t_module <= 2 * t_nmap))
            ratios.append(("port_check engine / nmap", "%.2f" % (t_engine / t_nmap), "<= 2", t_engine <= 2 * t_nmap))

        table = []
        table.append("Measured by `benchmarks/port_check_bench.py` on %s (%s, %d CPUs, Python %s), %s."
                     % (datetime.date.today().isoformat(), platform.system() + " " + platform.release(),
                        os.cpu_count() or 0, platform.python_version(),
                        "all %d targets classified correctly" % n if ok else "CLASSIFICATION ERRORS"))
        table.append("")
        table.append("%d targets in a network namespace (`%s`, %s): %d open (listener), %d refused (nothing "
                     "listening), %d filtered (iptables DROP); timeout %g s; targets interleaved."
                     % (n, NS, lab.remote, lab.per_state, lab.per_state, lab.per_state, args.timeout))
        table.append("")
        table.append("| run | time | note |")
        table.append("|---|---|---|")
        for row in rows:
            table.append("| %s | %s | %s |" % row)
        table.append("")
        table.append("| ratio | value | goal | met |")
        table.append("|---|---|---|---|")
        for name, value, goal, met in ratios:
            table.append("| %s | %s | %s | %s |" % (name, value, goal, "yes" if met else "**no**"))
        table.append("")
        table.append("The wait_for figure for %d targets is extrapolated from the timed loop over %d of them "
                     "(%d per state); running it for real would take about %.0f minutes."
                     % (n, len(sample), len(sample) // 3, t_wait_for / 60))
        text = "\n".join(table) + "\n"
        print(text)
        if args.write_docs:
            write_docs(text, os.path.join(REPO, "docs", "benchmarks.md"))
            log("wrote docs/benchmarks.md")
    finally:
        lab.down()
        shutil.rmtree(tmp, ignore_errors=True)
    if not ok:
        log("FAILED: port_check misclassified targets")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, webroot.enterprise contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Controller-side cost of webroot.enterprise.verify for a large estate, against 0.2.0.

Generates an inventory (1,000 workstations, 2 company servers, 10 distributors and
one update endpoint by default, addresses in 198.18.0.0/15), the ``webroot_plan``
each component role would publish on each host, and port_check results for every
check (a few of them failing). Then it times, in this process, what the verify role
does on the controller, step by step as its two filters do it:

* planning (``verify_plan``): the checks (``verify_plan.plan_checks``), the plan as JSON, the
  per-source targets as JSON and the listener ports;
* judging (``verify_reports``): the checks read back, each joined with its result
  (``verify_judge.merge_results``), the report data (``verify_judge.report``) and the summary line;
* rendering the three reports (``verify_render.render_reports``);

for today's ``verify_*.py`` and for the one of a baseline commit (``--baseline``, default
415bcee: 0.2.0), loaded from git, on the same generated estate, alternating between the
two for ``--rounds`` rounds. It prints the median times of both and their ratio, and the
sizes of the three reports beside their goals (HTML at most 5 MB, JSON at most 10 MB
with every check, JUnit valid XML). No connection is ever made: the results are
generated.

With ``--write-docs`` it puts the figures in the ``## verify: planning, rendering and
report sizes against 0.2.0`` section of docs/benchmarks.md. With ``--html DIR`` it also
writes today's reports there (for a look in a browser).
"""
from __future__ import absolute_import, division, print_function

import argparse
import datetime
import gc
import inspect
import ipaddress
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import time
import types
import xml.etree.ElementTree as ET

from bench_common import write_docs  # benchmarks/bench_common.py

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
sys.path.insert(0, os.path.join(REPO, ".cache", "collections"))

from ansible_collections.webroot.enterprise.plugins.plugin_utils import verify_common  # noqa: E402
from ansible_collections.webroot.enterprise.plugins.plugin_utils import verify_judge  # noqa: E402
from ansible_collections.webroot.enterprise.plugins.plugin_utils import verify_plan  # noqa: E402
from ansible_collections.webroot.enterprise.plugins.plugin_utils import verify_render  # noqa: E402
from ansible_collections.webroot.enterprise.plugins.plugin_utils.catalog import TABLE_11  # noqa: E402

SECTION = "## verify: planning, rendering and report sizes against 0.2.0"
BASELINE = "415bcee"  # 0.2.0
GOAL_RATIO = 0.5
GOAL_BYTES = {"webroot-verify.html": 5e6, "webroot-verify.json": 10e6}
REPORTS = ("webroot-verify.html", "webroot-verify.json", "webroot-verify.junit.xml")


def estate(clients=1000, servers=2, distributors=10, endpoints=1, plans=True):
    """``(groups, hostvars)`` of a generated estate; with ``plans`` every managed host
    carries the ``webroot_plan`` its component roles would publish (inventory scope)."""
    def hosts(prefix, count, base):
        net = ipaddress.ip_address(base)
        return [("%s%04d" % (prefix, i + 1), str(net + i + 1)) for i in range(count)]

    cli = hosts("ws", clients, "198.18.64.0")
    srv = hosts("srv", servers, "198.18.60.0")
    dist = hosts("dist", distributors, "198.18.61.0")
    upd = hosts("upd", endpoints, "198.18.62.0")
    groups = {
        "webroot_clients": [h for h, _a in cli],
        "webroot_servers": [h for h, _a in srv],
        "webroot_distributors": [h for h, _a in dist],
        "webroot_update_endpoints": [h for h, _a in upd],
        "ungrouped": [],
    }
    hostvars = {}
    for name, addr in cli + srv + dist + upd:
        hostvars[name] = {"webroot_address": addr, "ansible_host": addr}
    if not plans:
        return groups, hostvars
    cidrs = {}
    for group, members in (("webroot_clients", cli), ("webroot_servers", srv), ("webroot_distributors", dist),
                           ("webroot_update_endpoints", upd)):
        cidrs[group] = [str(n) for n in ipaddress.collapse_addresses(
            ipaddress.ip_network(a + "/32") for _h, a in members)]
    for row in TABLE_11:
        for flow in row["flows"]:
            inbound = flow["direction"] == "inbound"
            holders = flow["listeners"] if inbound else flow["connectors"]
            peer_groups = list(flow["connectors"] if inbound else flow["listeners"])
            peers = sorted(set(c for g in peer_groups for c in cidrs[g]))
            for group in holders:
                for host in groups[group]:
                    plan = hostvars[host].setdefault("webroot_plan", {})
                    entry = plan.setdefault(row["component"], {
                        "component": row["component"], "state": "present", "port": row["port"],
                        "protocol": row["protocol"], "rules": []})
                    entry["rules"].append({"direction": "in" if inbound else "out", "port": row["port"],
                                           "protocol": row["protocol"], "any_peer": False, "peers": peers,
                                           "peer_groups": peer_groups})
    return groups, hostvars


def fake_results(plan, fail_every=997):
    """A registered port_check result per source (``results_json``), as the module returns
    it with ``results_as: json``; one check in ``fail_every`` finds the wrong state."""
    by_source = {}
    for i, check in enumerate(plan["checks"]):
        want = "open" if check["expect"] in ("open", "reachable") else check["expect"]
        state = want
        if fail_every and i % fail_every == fail_every - 1:
            state = "filtered" if want == "open" else "open"
        ok = state == want
        by_source.setdefault(check["source"], []).append({
            "index": len(by_source.get(check["source"], [])), "name": check["id"], "host": check["host"],
            "address": check["host"], "port": check["port"], "state": state, "expected": check["expect"],
            "ok": ok, "elapsed_ms": 0.4, "error": None if state == "open" else "no answer within 2s",
            "tls": check["tls"], "proxy": None,
            "tls_ok": (state == "open") if check["tls"] else None,
            "tls_version": "TLSv1.3" if check["tls"] and state == "open" else None,
            "tls_cipher": None, "tls_error": None, "tls_cert_sha256": None, "tls_elapsed_ms": None})
    return dict((src, {"results": [], "results_json": json.dumps(rows, separators=(",", ":"))})
                for src, rows in by_source.items())


def combined(modules, name):
    """One module with every name of ``modules``: the verify code of one tree, as one
    ``flows.py`` held it before it was split by job."""
    module = types.ModuleType(name)
    for part in modules:
        module.__dict__.update((k, v) for k, v in vars(part).items() if not k.startswith("__"))
    return module


# The verify code of this tree, split by job (plugins/plugin_utils/verify_*.py).
F = combined((verify_common, verify_plan, verify_judge, verify_render), "verify")
VERIFY_PARTS = ("verify_common", "verify_plan", "verify_judge", "verify_render")
PACKAGE = "ansible_collections.webroot.enterprise.plugins.plugin_utils"
# What moved from plugins/module_utils to plugins/plugin_utils in 0.5.0 (controller code).
MOVED_TO_PLUGIN_UTILS = ("backends", "catalog", "estate", "rules", "settings", "summary", "winfw")


def git_show(ref, path):
    """The text of ``path`` in git commit ``ref``, or None when it has no such file."""
    try:
        return subprocess.check_output(["git", "-C", REPO, "show", "%s:%s" % (ref, path)],
                                       stderr=subprocess.DEVNULL).decode("utf-8")
    except subprocess.CalledProcessError:
        return None


def load_verify_parts(ref):
    """The verify code of git commit ``ref`` split by job (``verify_*.py``), as one
    module, or None when ``ref`` has no ``verify_common.py``. Each part imports the
    ones below it under their package names: while the parts of ``ref`` load, those
    names are theirs (and this tree's again after)."""
    sources = [(part, git_show(ref, "plugins/plugin_utils/%s.py" % part)) for part in VERIFY_PARTS]
    if sources[0][1] is None:
        return None
    saved = dict((part, sys.modules.get("%s.%s" % (PACKAGE, part))) for part in VERIFY_PARTS)
    loaded = []
    try:
        for part, source in sources:
            path = os.path.join(REPO, "plugins", "plugin_utils", "%s.py" % part)
            module = types.ModuleType("%s.%s" % (PACKAGE, part))
            module.__file__ = path  # where its report templates would be
            sys.modules[module.__name__] = module
            exec(compile(source, "%s:%s" % (ref, path), "exec"), module.__dict__)  # pylint: disable=exec-used
            loaded.append(module)
    finally:
        for part, module in saved.items():
            if module is None:
                sys.modules.pop("%s.%s" % (PACKAGE, part), None)
            else:
                sys.modules["%s.%s" % (PACKAGE, part)] = module
    return combined(loaded, "verify_%s" % re.sub(r"\W", "_", ref))


def load_flows(ref):
    """The verify code as it is in git commit ``ref``, as a module: split by job
    (``plugins/plugin_utils/verify_*.py``) since issue 26, one ``flows.py`` before (in
    ``plugins/plugin_utils`` since 0.5.0, in ``plugins/module_utils`` before that)."""
    parts = load_verify_parts(ref)
    if parts is not None:
        return parts
    for path in ("plugins/plugin_utils/flows.py", "plugins/module_utils/flows.py"):
        source = git_show(ref, path)
        if source is not None:
            break
    else:
        raise SystemExit("no flows.py in git commit %s" % ref)
    # Before 0.5.0 the controller code it imports (rules, settings, catalog...) was in
    # plugins/module_utils; this tree has it in plugins/plugin_utils.
    source = re.sub(r"\bplugins\.module_utils(\.| import )(%s)\b" % "|".join(MOVED_TO_PLUGIN_UTILS),
                    r"plugins.plugin_utils\1\2", source)
    module = types.ModuleType("flows_%s" % re.sub(r"\W", "_", ref))
    module.__file__ = os.path.join(REPO, path)  # where its report templates would be, if it had any
    exec(compile(source, "%s:%s" % (ref, path), "exec"), module.__dict__)  # pylint: disable=exec-used
    return module


def controller_run(flows, groups, hostvars, managed, sample):
    """What the verify role computes on the controller, with ``flows``' functions.

    Four steps, as the role's two filters run them: planning (``verify_plan``: the
    checks, the targets as JSON, the listener ports), the hand-over (``verify_plan``
    puts the checks in one JSON string, ``verify_reports`` reads them back: the
    filters' code, the same for both versions), judging and rendering
    (``verify_reports``). Returns the wall and CPU seconds of each step, the plan, the
    report data and the three reports.
    """
    clocks = [(time.perf_counter(), time.process_time())]
    plan = flows.plan_checks(TABLE_11, groups, hostvars, sources=managed, listening=managed, denied_sample=sample)
    by_source = flows.targets_by_source(plan["checks"])
    fact = {  # what the verify_plan filter returns, but checks_json
        "targets_json": dict((src, json.dumps(t, separators=(",", ":"))) for src, t in by_source.items()),
        "counts": dict((src, len(t)) for src, t in by_source.items()),
        "listen": flows.listen_ports_by_host(plan["checks"]),
        "sampling": plan["sampling"],
    }
    clocks.append((time.perf_counter(), time.process_time()))
    checks = json.loads(json.dumps(plan["checks"], separators=(",", ":")))
    clocks.append((time.perf_counter(), time.process_time()))
    # (the port_check results are registered in hostvars beforehand: generated, not timed)
    # As the verify_reports filter calls them: this tree's asks for a sentence only for
    # the failed checks and no matrix of results (the reports read neither).
    lean = "lines" in inspect.signature(flows.merge_results).parameters
    results = flows.merge_results(checks, hostvars, **({"lines": False} if lean else {}))
    rep = flows.report(results, sampling=fact["sampling"], groups=groups, **({"matrix": False} if lean else {}))
    # (0.2.0's filter had no summary line)
    line = flows.summary_line(rep) if hasattr(flows, "summary_line") else None
    clocks.append((time.perf_counter(), time.process_time()))
    files = flows.render_reports(rep, groups=groups)
    clocks.append((time.perf_counter(), time.process_time()))
    steps = [(b[0] - a[0], b[1] - a[1]) for a, b in zip(clocks, clocks[1:])]
    timed = [steps[i] for i in MEASURED]
    return {"steps": steps, "wall": sum(s[0] for s in timed), "cpu": sum(s[1] for s in timed),
            "wall_all": clocks[-1][0] - clocks[0][0], "cpu_all": clocks[-1][1] - clocks[0][1],
            "plan": plan, "fact": fact, "rep": rep, "line": line, "files": files}


STEPS = ("plan the checks, targets and listener ports (`verify_plan`)",
         "hand the checks over as one JSON string (filter code, not timed in the total)",
         "judge: results joined to the checks, report data (`verify_reports`)",
         "render JSON, JUnit and HTML (`verify_reports`)")
# The total: the steps the issue measured ("planning and rendering", verify_scale.py of 0.2.0).
MEASURED = (0, 2, 3)


def junit_valid(text):
    """Whether ``text`` parses as XML (expat, strict) with one testcase per check: ``(ok, testcases)``."""
    try:
        root = ET.fromstring(text.encode("utf-8"))
    except ET.ParseError:
        return False, 0
    return True, len(root.findall(".//testcase"))


def json_checks(text, flows=None, results=None):
    """How many checks the JSON report holds (either layout); with this tree's ``flows``
    and the ``results`` it was made from, None unless every check comes back as it was."""
    data = json.loads(text)
    if "checks" not in data:
        return len(data["results"])
    if flows is not None:
        keys = ("source", "destination", "port", "component", "kind", "expect", "ok", "error", "why",
                "listener_state", "address", "tls_ok", "tls_error", "tls_version", "reason")
        back = flows.read_json_report(data)
        if [[r.get(k) for k in keys] + [r["state"]] for r in back] != \
                [[r.get(k) for k in keys] + [r["display"]] for r in results]:
            return None
    return len(data["checks"]["rows"])


def measure(clients, servers, distributors, sample, html_dir=None, fail_every=997, baseline=BASELINE, rounds=3):
    groups, hostvars = estate(clients, servers, distributors)
    managed = groups["webroot_clients"] + groups["webroot_servers"] + groups["webroot_distributors"]
    sides = [("this tree", F)]
    if baseline:
        sides.insert(0, ("%s (0.2.0)" % baseline if baseline == BASELINE else baseline, load_flows(baseline)))

    # The port_check results and listener reports every run judges, generated once.
    plan = F.plan_checks(TABLE_11, groups, hostvars, sources=managed, listening=managed, denied_sample=sample)
    registered = fake_results(plan, fail_every)
    for src, reg in registered.items():
        hostvars[src]["__verify_portcheck"] = reg
    for host, ports in F.listen_ports_by_host(plan["checks"]).items():
        hostvars[host]["__verify_listener"] = {"pid": 1, "bound": ports, "busy": []}

    runs = dict((name, []) for name, _f in sides)
    last = {}
    for i in range(rounds):
        for name, flows in (sides if i % 2 == 0 else list(reversed(sides))):
            gc.collect()
            if runs[name]:  # only the last run of each side keeps its data
                for key in ("plan", "fact", "rep", "files"):
                    runs[name][-1].pop(key, None)
            run = controller_run(flows, groups, hostvars, managed, sample)
            runs[name].append(run)
            last[name] = run
            print("round %d, %s: %.2f s (CPU %.2f s); steps %s" % (
                i + 1, name, run["wall"], run["cpu"], ", ".join("%.2f/%.2f" % st for st in run["steps"])),
                file=sys.stderr)
    now = last["this tree"]
    same = None
    if baseline:
        base = last[sides[0][0]]
        same = (json.dumps(base["plan"]["checks"], sort_keys=True) == json.dumps(now["plan"]["checks"], sort_keys=True)
                and all(base["rep"]["summary"][k] == now["rep"]["summary"].get(k) for k in base["rep"]["summary"])
                and base["rep"]["mismatches"] == now["rep"]["mismatches"])

    if html_dir:
        if not os.path.isdir(html_dir):
            os.makedirs(html_dir)
        for name, text in now["files"].items():
            with open(os.path.join(html_dir, name), "w") as handle:
                handle.write(text)

    def median(name, key, index=None):
        values = [r[key] if index is None else r["steps"][index[0]][index[1]] for r in runs[name]]
        return statistics.median(values)

    sides_out = []
    for name, _f in sides:
        files = last[name]["files"]
        valid, cases = junit_valid(files["webroot-verify.junit.xml"])
        sides_out.append({
            "name": name, "wall": median(name, "wall"), "cpu": median(name, "cpu"),
            "wall_all": median(name, "wall_all"), "cpu_all": median(name, "cpu_all"),
            "steps": [(median(name, None, (i, 0)), median(name, None, (i, 1))) for i in range(len(STEPS))],
            "sizes": dict((n, len(t.encode("utf-8"))) for n, t in files.items()),
            "junit_valid": valid, "junit_cases": cases,
            "json_checks": json_checks(files["webroot-verify.json"], *(
                (F, last[name]["rep"]["results"]) if name == "this tree" else ())),
            "all_wall": [r["wall"] for r in runs[name]]})

    rep = now["rep"]
    per_source = {}
    for check in now["plan"]["checks"]:
        per_source[check["source"]] = per_source.get(check["source"], 0) + 1
    client_max = max(per_source.get(h, 0) for h in groups["webroot_clients"])
    return {
        "hosts": len(managed), "clients": clients, "servers": servers, "distributors": distributors,
        "sample": sample, "rounds": rounds, "sides": sides_out, "same": same, "checks": len(now["plan"]["checks"]),
        "allowed": rep["summary"]["allowed"], "denied": rep["summary"]["denied"], "failed": rep["summary"]["failed"],
        "sampling": now["plan"]["sampling"], "per_source_max": max(per_source.values()),
        "per_source_max_host": max(sorted(per_source), key=lambda h: per_source[h]), "client_max": client_max,
        "targets_bytes": sum(len(t) for t in now["fact"]["targets_json"].values()),
    }


def table(m):
    s = m["sampling"]
    sides = m["sides"]
    now = sides[-1]
    base = sides[0] if len(sides) > 1 else None
    lines = [
        "Measured by `benchmarks/verify_scale.py` on %s (%s, %d CPUs, Python %s): %d workstations, "
        "%d company servers, %d distributors, 1 update endpoint (generated inventory, the `webroot_plan` "
        "each role would publish, generated port_check results, one in 997 wrong: no connection); "
        "`verify_denied_sample: %d`. %s"
        % (datetime.date.today().isoformat(), platform.system() + " " + platform.release(), os.cpu_count() or 0,
           platform.python_version(), m["clients"], m["servers"], m["distributors"], m["sample"],
           ("Both versions of the verify code (`flows.py` before the split) in one process on the same "
            "estate, alternating, %d rounds each; medians. They plan the same checks and come to the same summary and failures: %s."
            % (m["rounds"], "yes" if m["same"] else "**no**")) if base else "%d rounds; medians." % m["rounds"]),
        "",
    ]
    if base:
        ratio = now["wall"] / base["wall"]
        lines += ["| step (controller, in process) | %s | %s | ratio |" % (base["name"], now["name"]), "|---|---|---|---|"]
        for i, label in enumerate(STEPS):
            b, n = base["steps"][i][0], now["steps"][i][0]
            lines.append("| %s | %.2f s | %.2f s | %.2f |" % (label, b, n, n / b))
        lines.append("| **total** (goal: at most %.1f of 0.2.0's) | **%.2f s** | **%.2f s** | **%.2f** (%s) |" % (
            GOAL_RATIO, base["wall"], now["wall"], ratio, "met" if ratio <= GOAL_RATIO else "**not met**"))
        lines.append("| total CPU time | %.2f s | %.2f s | %.2f |" % (base["cpu"], now["cpu"], now["cpu"] / base["cpu"]))
        lines.append("| with the hand-over (all four steps) | %.2f s | %.2f s | %.2f |" % (
            base["wall_all"], now["wall_all"], now["wall_all"] / base["wall_all"]))
        lines += ["", "| report | %s | %s | goal |" % (base["name"], now["name"]), "|---|---|---|---|"]
    else:
        lines += ["| step (controller, in process) | time |", "|---|---|"]
        for i, label in enumerate(STEPS):
            lines.append("| %s | %.2f s |" % (label, now["steps"][i][0]))
        lines.append("| **total** (but the hand-over) | **%.2f s** (CPU %.2f s) |" % (now["wall"], now["cpu"]))
        lines += ["", "| report | size | goal |", "|---|---|---|"]
    for name in REPORTS:
        if name in GOAL_BYTES:
            met = "met" if now["sizes"][name] <= GOAL_BYTES[name] else "**not met**"
            goal = "at most %.0f MB: %s" % (GOAL_BYTES[name] / 1e6, met)
            if name.endswith(".json"):
                goal += "; every check, read back as it was: %s" % (
                    "yes" if now["json_checks"] == m["checks"] else "**no**")
        else:
            goal = "valid XML, one testcase per check: %s" % (
                "yes" if now["junit_valid"] and now["junit_cases"] == m["checks"] else "**no**")
        cells = ["%.1f MB" % (side["sizes"][name] / 1e6) for side in sides]
        lines.append("| `%s` | %s | %s |" % (name, " | ".join(cells), goal))
    lines += [
        "",
        "| figure | value |",
        "|---|---|",
        "| checks | %d (%d allowed, all of them; %d denied) |" % (m["checks"], m["allowed"], m["denied"]),
        "| denied checks sampled | %d checked of %d possible, over %d rules |"
        % (s["denied_checked"], s["denied_possible"], s["rules"]),
        "| connections per source, most | %d (`%s`) |" % (m["per_source_max"], m["per_source_max_host"]),
        "| connections per source, most for a workstation | %d |" % m["client_max"],
        "| targets passed to port_check (JSON, all sources) | %.1f MB |" % (m["targets_bytes"] / 1e6),
    ]
    if base:
        lines += ["", NOTES.strip()]
    return "\n".join(lines) + "\n"


NOTES = """
The total is what the issue measured as planning and rendering (0.2.0's `verify_scale.py`
timed the same three steps): planning, judging (each check joined to its port_check
result, the summary and the group summary of `flows.report`) and rendering. Each
version is called as its role calls it: this tree as the `verify_reports` filter does
(`merge_results(..., lines=False)`, `report(..., matrix=False)`), 0.2.0 as its filters
did. The hand-over between the two filters (`json.dumps` of the checks in
`verify_plan`, `json.loads` in `verify_reports`) is the filters' code, the same for both
versions, and is shown apart. Inside the steps, some work is the same for both versions
too: decoding the port_check results (about 0.25 s) and the targets' JSON (about 0.15 s).

Where the time went in 0.2.0 and what changed: planning sampled the denied checks with a
scan of every group per rule and parsed the same scopes for each of the 3,000 hosts; it
now looks the hosts without an address up once, parses and words each scope once, builds
the checks of a rule from what they share, and sorts per source. Judging and rendering
read each result a few times in C (`itemgetter`, `Counter`, `groupby`) instead of many
times in Python, and pause the cyclic garbage collector while they build objects that
hold no cycle. The role's judging words a sentence only for the checks that failed and
builds no host x host matrix of results (no report reads it; the HTML draws its own
matrix for small estates); `merge_results` and `report` still return both when asked.
The JUnit file is written as text from names escaped once per host and flow (the
standard library's `xml.sax.saxutils.escape`, control characters removed),
not through an element tree, which cost about 0.35 s for 117,000 testcases; the tests
parse it with a strict parser, hostile names included. The reports are smaller by
design: the JSON writes each host, flow, error and reason once; the HTML embeds the
checks as six numbers each and aggregates the passes; the JUnit carries `system-out`
only for failures and checks not run.
"""


def goals_met(m):
    now = m["sides"][-1]
    met = all(now["sizes"][n] <= b for n, b in GOAL_BYTES.items()) and now["junit_valid"] \
        and now["junit_cases"] == m["checks"] and now["json_checks"] == m["checks"]
    if len(m["sides"]) > 1:
        met = met and m["same"] and now["wall"] <= GOAL_RATIO * m["sides"][0]["wall"]
    return met


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", maxsplit=1)[0])
    parser.add_argument("--clients", type=int, default=1000)
    parser.add_argument("--servers", type=int, default=2)
    parser.add_argument("--distributors", type=int, default=10)
    parser.add_argument("--sample", type=int, default=F.DEFAULT_DENIED_SAMPLE, help="verify_denied_sample")
    parser.add_argument("--fail-every", type=int, default=997, help="one generated result in N is wrong (0: none)")
    parser.add_argument("--baseline", default=BASELINE,
                        help="git commit whose verify code (flows.py before the split) is timed beside today's "
                             "(default %(default)s: 0.2.0; "
                             "empty: none)")
    parser.add_argument("--rounds", type=int, default=3, help="runs of each version, alternating (median)")
    parser.add_argument("--html", metavar="DIR", help="also write today's three reports to DIR")
    parser.add_argument("--write-docs", action="store_true", help="update docs/benchmarks.md")
    args = parser.parse_args()
    m = measure(args.clients, args.servers, args.distributors, args.sample, html_dir=args.html,
                fail_every=args.fail_every, baseline=args.baseline, rounds=max(1, args.rounds))
    text = table(m)
    print(text)
    if args.write_docs:
        write_docs(text, os.path.join(REPO, "docs", "benchmarks.md"), SECTION)
    return 0 if goals_met(m) else 1


if __name__ == "__main__":
    sys.exit(main())

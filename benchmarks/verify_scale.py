#!/usr/bin/env python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, webroot.enterprise contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Controller-side cost of webroot.enterprise.verify for a large estate.

Generates an inventory (1,000 workstations, 2 company servers, 10 distributors and
one update endpoint by default, addresses in 198.18.0.0/15), the ``webroot_plan``
each component role would publish on each host, and port_check results for every
check (a few of them failing). Then it times, in this process, what the verify role
does on the controller:

* planning the checks (``flows.plan_checks``) and the per-source targets as JSON;
* aggregating the results (``flows.merge_results`` and ``flows.report``);
* rendering the three reports (``flows.render_reports``);

and reports the number of checks, the denied sample, the connections per source and
the report sizes. No connection is ever made: the results are generated.

With ``--write-docs`` it puts the table in the ``## verify at scale`` section of
docs/benchmarks.md. With ``--html DIR`` it also writes the reports there (for a look in
a browser).
"""
from __future__ import absolute_import, division, print_function

import argparse
import datetime
import ipaddress
import json
import os
import platform
import re
import sys
import time

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
sys.path.insert(0, os.path.join(REPO, ".cache", "collections"))

from ansible_collections.webroot.enterprise.plugins.module_utils import flows as F  # noqa: E402
from ansible_collections.webroot.enterprise.plugins.module_utils.catalog import TABLE_11  # noqa: E402

BUDGET_S = 10.0


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


def measure(clients, servers, distributors, sample, html_dir=None, fail_every=997):
    groups, hostvars = estate(clients, servers, distributors)
    managed = groups["webroot_clients"] + groups["webroot_servers"] + groups["webroot_distributors"]
    timings = []

    started = time.monotonic()
    plan = F.plan_checks(TABLE_11, groups, hostvars, sources=managed, listening=managed, denied_sample=sample)
    targets = dict((src, json.dumps(t, separators=(",", ":")))
                   for src, t in F.targets_by_source(plan["checks"]).items())
    listen = F.listen_ports_by_host(plan["checks"])
    timings.append(("plan the checks, targets and listener ports", time.monotonic() - started))

    registered = fake_results(plan, fail_every)
    for src, reg in registered.items():
        hostvars[src]["__verify_portcheck"] = reg
    for host, ports in listen.items():
        hostvars[host]["__verify_listener"] = {"pid": 1, "bound": ports, "busy": []}

    started = time.monotonic()
    results = F.merge_results(plan["checks"], hostvars)
    rep = F.report(results, sampling=plan["sampling"], groups=groups)
    timings.append(("aggregate the results", time.monotonic() - started))

    started = time.monotonic()
    files = F.render_reports(rep, groups=groups)
    timings.append(("render JSON, JUnit and HTML", time.monotonic() - started))
    total = sum(t for _l, t in timings)

    if html_dir:
        if not os.path.isdir(html_dir):
            os.makedirs(html_dir)
        for name, text in files.items():
            with open(os.path.join(html_dir, name), "w") as handle:
                handle.write(text)

    per_source = {}
    for check in plan["checks"]:
        per_source[check["source"]] = per_source.get(check["source"], 0) + 1
    client_max = max(per_source.get(h, 0) for h in groups["webroot_clients"])
    sizes = dict((name, len(text.encode("utf-8"))) for name, text in files.items())
    return {
        "hosts": len(managed), "clients": clients, "servers": servers, "distributors": distributors,
        "sample": sample, "timings": timings, "total": total, "checks": len(plan["checks"]),
        "allowed": rep["summary"]["allowed"], "denied": rep["summary"]["denied"],
        "failed": rep["summary"]["failed"], "sampling": plan["sampling"], "per_source_max": max(per_source.values()),
        "per_source_max_host": max(sorted(per_source), key=lambda h: per_source[h]), "client_max": client_max,
        "sizes": sizes, "targets_bytes": sum(len(t) for t in targets.values()),
    }


def table(m):
    s = m["sampling"]
    lines = [
        "Measured by `benchmarks/verify_scale.py` on %s (%s, %d CPUs, Python %s): %d workstations, "
        "%d company servers, %d distributors, 1 update endpoint (generated inventory, the `webroot_plan` "
        "each role would publish, generated port_check results: no connection); `verify_denied_sample: %d`."
        % (datetime.date.today().isoformat(), platform.system() + " " + platform.release(), os.cpu_count() or 0,
           platform.python_version(), m["clients"], m["servers"], m["distributors"], m["sample"]),
        "",
        "| step (controller, in process) | time |",
        "|---|---|",
    ]
    for label, seconds in m["timings"]:
        lines.append("| %s | %.2f s |" % (label, seconds))
    lines.append("| **total** (budget %.0f s) | **%.2f s** (%s) |"
                 % (BUDGET_S, m["total"], "met" if m["total"] <= BUDGET_S else "**not met**"))
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
    for name in ("webroot-verify.html", "webroot-verify.junit.xml", "webroot-verify.json"):
        lines.append("| `%s` | %.1f MB |" % (name, m["sizes"][name] / 1e6))
    return "\n".join(lines) + "\n"


def write_docs(text, path, title="## verify at scale"):
    section = title + "\n\n" + text.rstrip() + "\n"
    with open(path) as handle:
        current = handle.read()
    pattern = re.compile(r"^%s\n.*?(?=^## |\Z)" % re.escape(title), re.M | re.S)
    if pattern.search(current):
        current = pattern.sub(lambda _m: section + "\n", current).rstrip() + "\n"
    else:
        current = current.rstrip() + "\n\n" + section
    with open(path, "w") as handle:
        handle.write(current)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", maxsplit=1)[0])
    parser.add_argument("--clients", type=int, default=1000)
    parser.add_argument("--servers", type=int, default=2)
    parser.add_argument("--distributors", type=int, default=10)
    parser.add_argument("--sample", type=int, default=F.DEFAULT_DENIED_SAMPLE, help="verify_denied_sample")
    parser.add_argument("--fail-every", type=int, default=997, help="one generated result in N is wrong (0: none)")
    parser.add_argument("--html", metavar="DIR", help="also write the three reports to DIR")
    parser.add_argument("--write-docs", action="store_true", help="update docs/benchmarks.md")
    args = parser.parse_args()
    m = measure(args.clients, args.servers, args.distributors, args.sample, html_dir=args.html,
                fail_every=args.fail_every)
    text = table(m)
    print(text)
    if args.write_docs:
        write_docs(text, os.path.join(REPO, "docs", "benchmarks.md"))
    return 0 if m["total"] <= BUDGET_S else 1


if __name__ == "__main__":
    sys.exit(main())

# -*- coding: utf-8 -*-
# Copyright: (c) 2026, webroot.enterprise contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Turns the catalog into the reachability checks of the verify role, and its results
into reports.

Pure functions over plain data, used by the filter plugins in plugins/filter/flows.py
and by the tests. Nothing here talks to a host.

A *check* is one TCP connection attempt from a managed host (the source) to a host
and port, with the state it must end in::

    {"id": "update_distributor:wr-client1:wr-dist1:50003",
     "component": "update_distributor", "port": 50003, "protocol": "tcp", "tls": False,
     "kind": "allowed",            # a Table 11 flow; "denied": must not get through
     "source": "wr-client1", "destination": "wr-dist1",
     "host": "198.18.10.11",       # what the source connects to
     "expect": "open", "listener": True, "why": "..."}

*allowed* checks come from the catalog's flows (every connector host to every
listener host). *denied* checks are the scoping proof: for each inbound rule a host
carries, the managed hosts outside the rule's sources connect to it and must not
get through (``filtered``). A refused connection would mean the packet reached the
host (nothing listened), so denied checks expect ``filtered``, not "not open".
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import ipaddress

from ansible.module_utils.six import string_types

from ansible_collections.webroot.enterprise.plugins.module_utils import rules as R
from ansible_collections.webroot.enterprise.plugins.module_utils.catalog import (
    GROUP_CLIENTS,
    GROUP_DISTRIBUTORS,
    GROUP_SERVERS,
)

# The groups whose hosts the roles configure; only they run checks (are sources).
MANAGED_GROUPS = (GROUP_DISTRIBUTORS, GROUP_SERVERS, GROUP_CLIENTS)
KINDS = ("allowed", "denied")
# What a report cell can show: the four port_check states, a TLS failure on an open
# port, and a check that never ran (its source failed before).
DISPLAY_STATES = ("open", "refused", "filtered", "unresolved", "tls-fail", "not-run")


class FlowError(ValueError):
    """Bad input: the message names the host, the variable and what was expected."""


def _members(groups, names):
    out = set()
    for name in names:
        out.update(groups.get(name) or [])
    return sorted(out)


def _hv(hostvars, host):
    hv = hostvars.get(host) if hasattr(hostvars, "get") else hostvars[host]
    return hv or {}


def _var(hostvars, host, name, default=None):
    value = _hv(hostvars, host).get(name)
    return default if value is None else value


def rule_settings(role, host, hostvars):
    """The settings of ``role``'s rule on ``host`` as the inventory sets them.

    Only inventory (host and group) variables are seen: ``<role>_state``,
    ``<role>_port``, ``<role>_sources`` / ``update_service_destinations`` and
    ``<role>_any_source`` / ``update_service_any_destination``.
    """
    peers_var, any_var = R._peers_var(role), R._any_var(role)  # pylint: disable=protected-access
    state = _var(hostvars, host, role + "_state", "present")
    port = _var(hostvars, host, role + "_port", "")
    any_peer = _var(hostvars, host, any_var, False)
    peers = _var(hostvars, host, peers_var, [])
    try:
        port = R.component(role)["port"] if port in ("", None) else R.check_port(port, role + "_port")
        peers = R.check_cidrs(peers, peers_var)
    except R.RuleError as exc:
        raise FlowError("host %s: %s" % (host, exc))
    if isinstance(any_peer, string_types) and any_peer.lower() in ("true", "yes", "false", "no"):
        any_peer = any_peer.lower() in ("true", "yes")
    if not isinstance(any_peer, bool):
        raise FlowError("host %s: %s must be true or false, got %r" % (host, any_var, any_peer))
    return {"state": state, "port": port, "peers": peers, "any_peer": any_peer,
            "peers_var": peers_var, "any_var": any_var}


def address(host, hostvars):
    """``(address, connect_to)`` of ``host``: its IP (None if unknown) and what to connect to."""
    try:
        cidr = R.host_address(host, hostvars)
    except R.RuleError as exc:
        raise FlowError(str(exc))
    if cidr:
        net = ipaddress.ip_network(cidr)
        if net.num_addresses == 1:
            return str(net.network_address), str(net.network_address)
    return None, str(_var(hostvars, host, "ansible_host", host))


def _in_cidrs(addr, cidrs):
    if addr is None:
        return False
    ip = ipaddress.ip_address(addr)
    return any(ip in ipaddress.ip_network(c) for c in cidrs)


def _check(row, source, dest, port, kind, expect, listener, why, addrs):
    return {
        "id": "%s:%s:%s:%d" % (row["component"], source, dest, port),
        "component": row["component"],
        "title": row["title"],
        "port": port,
        "protocol": row["protocol"],
        "tls": bool(row.get("tls")),
        "kind": kind,
        "source": source,
        "source_address": addrs[source][0],
        "destination": dest,
        "destination_address": addrs[dest][0],
        "host": addrs[dest][1],
        "expect": expect,
        "listener": listener,
        "why": why,
    }


def _sample(candidates, groups, limit):
    """At most ``limit`` candidates, spread over their inventory groups (deterministic)."""
    if not limit or len(candidates) <= limit:
        return candidates
    rank = {}
    for group in MANAGED_GROUPS:
        for i, host in enumerate(h for h in sorted(groups.get(group) or []) if h in candidates):
            rank.setdefault(host, (i, MANAGED_GROUPS.index(group), host))
    return sorted(sorted(candidates, key=lambda h: rank.get(h, (0, 0, h)))[:limit])


def derive_checks(table, groups, hostvars, sources=None, listening=(), negative=True,
                  negative_limit=0):
    """Every check the inventory implies, sorted by source, destination, port.

    ``table`` is the catalog (Table 11). ``sources``: the hosts that will run their
    checks (None: every managed host); checks from other hosts are left out.
    ``listening``: the hosts that get temporary listeners on their flow ports, where
    an allowed check expects ``open``; elsewhere it expects ``reachable`` (open or
    refused: the packet got through, whatever listens). Flows to hosts outside the
    managed groups (webroot_update_endpoints: real services) and flows with
    ``tls`` always expect ``open``. ``negative``: add the denied checks;
    ``negative_limit``: at most that many denied sources per destination port
    (0: all of them).
    """
    managed = _members(groups, MANAGED_GROUPS)
    runners = set(managed if sources is None else [h for h in managed if h in set(sources)])
    listening = set(listening or ())
    addrs = {}

    def addr(host):
        if host not in addrs:
            addrs[host] = address(host, hostvars)
        return addrs[host]

    checks = {}
    for row in table:
        role = row["component"]
        for flow in row["flows"]:
            inbound = flow["direction"] == "inbound"
            for dest in _members(groups, flow["listeners"]):
                for src in _members(groups, flow["connectors"]):
                    if src not in runners:
                        continue
                    rule_host = dest if inbound else src
                    if rule_host not in managed:
                        continue
                    cfg = rule_settings(role, rule_host, hostvars)
                    if cfg["state"] == "absent":
                        continue
                    addr(src)
                    addr(dest)
                    kind, expect = "allowed", "open"
                    why = "Table 11: %s connect to %s on %s" % (
                        " / ".join(flow["connectors"]), " / ".join(flow["listeners"]), row["title"])
                    if inbound and cfg["peers"] and not cfg["any_peer"]:
                        if addrs[src][0] is None:
                            raise FlowError(
                                "cannot tell the address of %s to compare it with %s of %s; "
                                "set webroot_address for it or gather its facts"
                                % (src, cfg["peers_var"], dest))
                        if not _in_cidrs(addrs[src][0], cfg["peers"]):
                            kind, expect = "denied", "filtered"
                            why = "%s of %s (%s) leaves %s out" % (
                                cfg["peers_var"], dest, ", ".join(cfg["peers"]), src)
                    managed_dest = dest in managed
                    listener = managed_dest and dest in listening
                    if kind == "allowed" and managed_dest and not listener and not flow.get("tls"):
                        expect = "reachable"
                    check = _check(dict(row, tls=flow.get("tls")), src, dest, cfg["port"],
                                   kind, expect, listener, why, addrs)
                    checks.setdefault(check["id"], check)
        if not negative:
            continue
        # Denied checks: per host carrying an inbound rule of this row.
        admitted = {}
        for flow in row["flows"]:
            if flow["direction"] != "inbound":
                continue
            for dest in _members(groups, flow["listeners"]):
                admitted.setdefault(dest, set()).update(_members(groups, flow["connectors"]))
        for dest in sorted(admitted):
            if dest not in managed:
                continue
            cfg = rule_settings(role, dest, hostvars)
            if cfg["state"] == "absent" or cfg["any_peer"]:
                continue
            addr(dest)
            candidates = []
            for src in sorted(runners):
                if src == dest:
                    continue  # a host reaches itself over loopback, whatever the rules
                addr(src)
                if cfg["peers"]:
                    if addrs[src][0] is None or _in_cidrs(addrs[src][0], cfg["peers"]):
                        continue
                    why = "%s of %s (%s) leaves %s out" % (
                        cfg["peers_var"], dest, ", ".join(cfg["peers"]), src)
                elif src in admitted[dest]:
                    continue
                else:
                    why = "%s is not in %s, the only sources of %s on %s" % (
                        src, " / ".join(_groups_of_sources(row, dest, groups)), row["title"], dest)
                candidates.append((src, why))
            keep = set(_sample([c[0] for c in candidates], groups, negative_limit))
            for src, why in candidates:
                if src not in keep:
                    continue
                check = _check(dict(row, tls=False), src, dest, cfg["port"], "denied", "filtered",
                               dest in listening, why, addrs)
                checks.setdefault(check["id"], check)
    return sorted(checks.values(), key=lambda c: (c["source"], c["destination"], c["port"], c["component"]))


def _groups_of_sources(row, dest, groups):
    out = []
    for flow in row["flows"]:
        if flow["direction"] == "inbound" and dest in _members(groups, flow["listeners"]):
            out.extend(g for g in flow["connectors"] if g not in out)
    return out


def targets(checks, source):
    """The port_check targets of one source host (one call with all of them)."""
    return [
        {"host": c["host"], "port": c["port"], "expect": c["expect"], "tls": c["tls"], "name": c["id"]}
        for c in checks if c["source"] == source
    ]


def listen_ports(checks, host):
    """The ports a temporary listener on ``host`` serves (the checks that expect one)."""
    return sorted(set(c["port"] for c in checks if c["destination"] == host and c["listener"]))


def display_state(result):
    if result.get("state") is None:
        return "not-run"
    if result.get("tls") and result["state"] == "open" and not result.get("tls_ok"):
        return "tls-fail"
    return result["state"]


def merge_results(checks, hostvars, result_var="__verify_portcheck", listener_var="__verify_listener"):
    """Each check with what its source found.

    ``hostvars[source][result_var]`` is the registered port_check result of each
    source, ``hostvars[dest][listener_var]`` the listener helper's report
    (``bound`` / ``busy`` port lists). A check whose source has no result is
    ``not-run`` and does not meet its expectation.
    """
    by_source = {}
    out = []
    for check in checks:
        src = check["source"]
        if src not in by_source:
            reg = _hv(hostvars, src).get(result_var) or {}
            by_source[src] = dict((r.get("name"), r) for r in (reg.get("results") or []))
        found = by_source[src].get(check["id"])
        result = dict(check)
        listener = None
        if check["listener"]:
            info = _hv(hostvars, check["destination"]).get(listener_var) or {}
            if check["port"] in (info.get("bound") or []):
                listener = "ours"
            elif check["port"] in (info.get("busy") or []):
                listener = "in use"
            else:
                listener = "none"
        result["listener_state"] = listener
        if found is None:
            result.update({"state": None, "ok": False, "error": "the source did not run its checks (unreachable or failed before)",
                           "tls_ok": None, "tls_error": None, "tls_version": None, "address": None})
        else:
            result.update({
                "state": found.get("state"),
                "ok": bool(found.get("ok")),
                "error": found.get("error"),
                "address": found.get("address"),
                "tls_ok": found.get("tls_ok"),
                "tls_error": found.get("tls_error"),
                "tls_version": found.get("tls_version"),
            })
        result["display"] = display_state(result)
        result["line"] = describe(result)
        out.append(result)
    return out


def describe(result):
    """One line for a check, e.g. 'wr-server1 -> wr-client1 50001/tcp (sweep_now, allowed): expected open, got filtered'."""
    line = "%s -> %s %s/%s (%s, %s): expected %s, got %s" % (
        result["source"], result["destination"], result["port"], result["protocol"],
        result["component"], result["kind"], result["expect"], result["display"])
    detail = result.get("tls_error") if result["display"] == "tls-fail" else result.get("error")
    if detail and not result.get("ok"):
        line += " (%s)" % detail
    return line


def report(results):
    """The data the report templates render: summary, matrix, mismatches."""
    sources = sorted(set(r["source"] for r in results))
    destinations = sorted(set(r["destination"] for r in results))
    # Managed hosts first in both axes, in the same order, so the diagonal lines up.
    destinations = [h for h in sources if h in destinations] + [h for h in destinations if h not in sources]
    matrix = {}
    for r in results:
        matrix.setdefault(r["source"], {}).setdefault(r["destination"], []).append(r)
    for row in matrix.values():
        for cell in row.values():
            cell.sort(key=lambda r: (r["port"], r["component"]))
    states = dict((s, 0) for s in DISPLAY_STATES)
    for r in results:
        states[r["display"]] = states.get(r["display"], 0) + 1
    mismatches = [r for r in results if not r["ok"]]
    components = []
    for r in sorted(results, key=lambda r: (r["port"], r["component"])):
        key = (r["component"], r["port"], r["title"])
        if key not in components:
            components.append(key)
    return {
        "summary": {
            "total": len(results),
            "ok": len(results) - len(mismatches),
            "failed": len(mismatches),
            "allowed": len([r for r in results if r["kind"] == "allowed"]),
            "denied": len([r for r in results if r["kind"] == "denied"]),
            "states": states,
        },
        "sources": sources,
        "destinations": destinations,
        "matrix": matrix,
        "components": [{"component": c[0], "port": c[1], "title": c[2]} for c in components],
        "mismatches": [describe(r) for r in mismatches],
        "results": results,
    }

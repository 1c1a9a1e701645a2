# -*- coding: utf-8 -*-
# Copyright: (c) 2026, webroot.enterprise contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Turns the catalog and the plan the roles published into the reachability checks of
the verify role, and its results into reports.

Pure functions over plain data, used by the filter plugins in plugins/filter/flows.py,
by benchmarks/verify_scale.py and by the tests. Nothing here talks to a host.

A *check* is one TCP connection attempt from a managed host (the source) to a host
and port, with the state it must end in::

    {"id": "update_distributor:wr-client1:wr-dist1:50003",
     "component": "update_distributor", "port": 50003, "protocol": "tcp", "tls": False,
     "kind": "allowed",            # a Table 11 flow; "denied": must not get through
     "source": "wr-client1", "destination": "wr-dist1",
     "host": "198.18.10.11",       # what the source connects to
     "expect": "open", "listener": True, "basis": "plan", "why": "..."}

Where the expectations come from, per host and component (``basis``):

1. ``plan``: the host fact ``webroot_plan`` the component roles published in this run
   (the rules as applied, role parameters included);
2. ``firewall``: the host fact ``webroot_plan_found`` (the same shape, read back from
   the host's firewall by ``webroot.enterprise.firewall_info``), used
   when the firewall holds a rule of ours for that component and direction;
3. ``inventory``: the catalog and the inventory variables, as the roles derive them.

*allowed* checks are the Table 11 flows that the rule admits (every connector host to
every listener host), all of them. A Table 11 flow that the rule leaves out (explicit
sources) is a *denied* check. The other *denied* checks prove the scoping: for each
inbound rule, managed hosts the rule does not admit connect to it and must end
``filtered`` (a refused connection means the packet reached the host). There are
about N^2 of these, so they are **sampled**: per rule and per managed group, ``sample``
hosts picked deterministically (a hash of the rule picks where to start in the sorted
group), at least one of every group the rule leaves out, plus the hosts the user names
(``denied_hosts``). The plan says how many were checked out of how many possible.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import bisect
import hashlib
import ipaddress
import re


from ansible_collections.webroot.enterprise.plugins.module_utils import rules as R
from ansible_collections.webroot.enterprise.plugins.module_utils.catalog import (
    GROUP_CLIENTS,
    GROUP_DISTRIBUTORS,
    GROUP_SERVERS,
)

# The groups whose hosts the roles configure; only they run checks (are sources).
MANAGED_GROUPS = (GROUP_DISTRIBUTORS, GROUP_SERVERS, GROUP_CLIENTS)
# What a report cell can show: the four port_check states, a TLS failure on an open
# port, and a check that never ran (its source failed before).
DISPLAY_STATES = ("open", "refused", "filtered", "unresolved", "tls-fail", "not-run")
PLAN_VARS = ("webroot_plan", "webroot_plan_found")
BASIS = {"webroot_plan": "plan", "webroot_plan_found": "firewall"}
DEFAULT_DENIED_SAMPLE = 3


class FlowError(ValueError):
    """Bad input: the message names the host, the variable and what was expected."""


def _members(groups, names):
    out = set()
    for name in names:
        out.update(groups.get(name) or [])
    return sorted(out)


def _hv(hostvars, host):
    try:
        hv = hostvars.get(host) if hasattr(hostvars, "get") else hostvars[host]
    except KeyError:
        hv = None
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
    any_peer = _bool(any_peer, "host %s: %s" % (host, any_var))
    return {"state": state, "port": port, "peers": peers, "any_peer": any_peer,
            "peers_var": peers_var, "any_var": any_var}


def _bool(value, where):
    if isinstance(value, str) and value.lower() in ("true", "yes", "false", "no"):
        value = value.lower() in ("true", "yes")
    if not isinstance(value, bool):
        raise FlowError("%s must be true or false, got %r" % (where, value))
    return value


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


# --------------------------------------------------------------------------- #
# Scopes: who a rule admits
# --------------------------------------------------------------------------- #
class _Addresses(object):
    """The addresses of the hosts, sorted per IP version, for range look-ups."""

    def __init__(self, addrs, hosts):
        self.by_version = {4: ([], []), 6: ([], [])}
        rows = []
        for host in hosts:
            ip = addrs[host][0]
            if ip is not None:
                ip = ipaddress.ip_address(ip)
                rows.append((ip.version, int(ip), host))
        rows.sort()
        for version, value, host in rows:
            self.by_version[version][0].append(value)
            self.by_version[version][1].append(host)

    def within(self, nets):
        out = set()
        for net in nets:
            values, hosts = self.by_version[net.version]
            lo = bisect.bisect_left(values, int(net.network_address))
            hi = bisect.bisect_right(values, int(net.broadcast_address))
            out.update(hosts[lo:hi])
        return out


class _Scope(object):
    """Who one rule (or, without one, the catalog) admits, and how to say it."""

    def __init__(self, any_peer=False, nets=None, hosts=None, text="", var=None):
        self.any_peer = any_peer
        self.nets = nets          # list of ip_network, or None (then ``hosts``)
        self.hosts = hosts        # set of inventory names
        self.text = text
        self.var = var
        self._admitted = None

    def admitted(self, index):
        """The managed hosts admitted (a set); ``None`` means any address."""
        if self.any_peer:
            return None
        if self._admitted is None:
            self._admitted = index.within(self.nets) if self.nets is not None else set(self.hosts)
        return self._admitted

    def admits(self, host, index):
        """Whether ``host`` (a source that runs checks) is admitted."""
        if self.any_peer:
            return True
        return host in self.admitted(index)


def _nets(cidrs, where):
    out = []
    for cidr in cidrs or []:
        try:
            out.append(ipaddress.ip_network(str(cidr).strip(), strict=False))
        except ValueError:
            raise FlowError("%s: %r is not an address or CIDR" % (where, cidr))
    return out


def _plan_entry(hostvars, host, component, plan_vars):
    """``(var, entry)`` of the first plan fact that describes ``component`` on ``host``."""
    hv = _hv(hostvars, host)
    for var in plan_vars:
        plan = hv.get(var)
        if not plan:
            continue
        if not isinstance(plan, dict):
            raise FlowError("host %s: %s must be a dict keyed by component, got %s" % (host, var, type(plan).__name__))
        entry = plan.get(component)
        if entry is None:
            continue
        if not isinstance(entry, dict):
            raise FlowError("host %s: %s.%s must be a dict" % (host, var, component))
        yield var, entry


def _plan_scope(host, component, direction, plan_vars, hostvars):
    """From the plan facts: ``("skip", None)``, ``(basis, (port, scope))`` or ``(None, None)``.

    ``webroot_plan`` is this run's intent: ``state: absent`` means no checks, rules of
    the direction give the scope. ``webroot_plan_found`` (the firewall) gives the scope
    only where the firewall holds a rule of ours, so that a deleted rule is still
    expected by the inventory (and fails) instead of being taken as the intent.
    """
    short = "in" if direction == "inbound" else "out"
    for var, entry in _plan_entry(hostvars, host, component, plan_vars):
        where = "host %s: %s.%s" % (host, var, component)
        state = entry.get("state", "present")
        if state not in ("present", "absent"):
            raise FlowError("%s.state must be present or absent, got %r" % (where, state))
        rules = [r for r in (entry.get("rules") or []) if (r or {}).get("direction") == short]
        if state == "absent" and var == "webroot_plan":
            return "skip", None
        if not rules:
            continue
        port = rules[0].get("port") or entry.get("port")
        try:
            port = R.check_port(port, where + ".rules[].port")
        except R.RuleError as exc:
            raise FlowError(str(exc))
        any_peer = any(_bool(r.get("any_peer", False), where + ".rules[].any_peer") for r in rules)
        cidrs = []
        groups = []
        for r in rules:
            cidrs.extend(r.get("peers") or [])
            groups.extend(g for g in (r.get("peer_groups") or []) if g not in groups)
        nets = _nets(cidrs, where + ".rules[].peers")
        text = "any address" if any_peer else ", ".join(str(n) for n in nets) or "no address"
        scope = _Scope(any_peer=any_peer, nets=nets, text=text, var="%s.%s" % (var, component))
        scope.groups = groups
        return BASIS.get(var, var), (port, scope)
    return None, None


def _inventory_scope(role, host, direction, hostvars, scope_hosts):
    cfg = rule_settings(role, host, hostvars)
    if cfg["state"] == "absent":
        return None, None
    if cfg["any_peer"]:
        scope = _Scope(any_peer=True, text="any address", var=cfg["any_var"])
    elif cfg["peers"]:
        scope = _Scope(nets=_nets(cfg["peers"], cfg["peers_var"]), text=", ".join(cfg["peers"]),
                       var=cfg["peers_var"])
    else:
        scope = _Scope(hosts=set(scope_hosts), text="", var=None)
    return cfg["port"], scope


# --------------------------------------------------------------------------- #
# Sampling of the denied checks
# --------------------------------------------------------------------------- #
def _start(key, size):
    digest = hashlib.sha1(key.encode("utf-8")).hexdigest()
    return int(digest[:12], 16) % size


def sample_denied(members, excluded, count, key, member_set=None):
    """Up to ``count`` of ``members`` (a sorted list) not in ``excluded``, deterministic.

    Where to start in the list is a hash of ``key`` (the rule), so reruns pick the same
    hosts and different rules pick different ones; a few consecutive hosts of a rule
    are picked. Returns ``(picked, possible)``. ``count`` 0 means all of them.
    """
    size = len(members)
    if not size:
        return [], 0
    member_set = set(members) if member_set is None else member_set
    possible = size - len(member_set & excluded)
    if possible <= 0:
        return [], 0
    if not count or count >= possible:
        return [h for h in members if h not in excluded], possible
    picked = []
    start = _start(key, size)
    for i in range(size):
        host = members[(start + i) % size]
        if host in excluded:
            continue
        picked.append(host)
        if len(picked) >= count:
            break
    return picked, possible


# --------------------------------------------------------------------------- #
# The plan of checks
# --------------------------------------------------------------------------- #
def _check(row, source, dest, port, kind, expect, listener, why, addrs, tls, basis):
    return {
        "id": "%s:%s:%s:%d" % (row["component"], source, dest, port),
        "component": row["component"],
        "title": row["title"],
        "port": port,
        "protocol": row["protocol"],
        "tls": bool(tls),
        "kind": kind,
        "source": source,
        "source_address": addrs[source][0],
        "destination": dest,
        "destination_address": addrs[dest][0],
        "host": addrs[dest][1],
        "expect": expect,
        "listener": listener,
        "basis": basis,
        "why": why,
    }


def _group_of(groups, managed):
    first = {}
    for group in MANAGED_GROUPS:
        for host in groups.get(group) or []:
            first.setdefault(host, group)
    return dict((h, first[h]) for h in managed)


def _round_robin(picked):
    """``[(host, group)]`` reordered one per group at a time (the first of each group first)."""
    lanes = {}
    order = []
    for host, group in picked:
        if group not in lanes:
            order.append(group)
        lanes.setdefault(group, []).append((host, group))
    out = []
    depth = 0
    while len(out) < len(picked):
        for group in order:
            if depth < len(lanes[group]):
                out.append(lanes[group][depth])
        depth += 1
    return out


def plan_checks(table, groups, hostvars, sources=None, listening=(), negative=True,
                denied_sample=DEFAULT_DENIED_SAMPLE, denied_hosts=(), plan_vars=PLAN_VARS, negative_limit=0,
                down=()):
    """Every check of the estate, with the sampling figures.

    ``table`` is the catalog (Table 11). ``sources``: the hosts that will run their
    checks (None: every managed host); checks from other hosts are left out.
    ``listening``: the hosts that get temporary listeners on their flow ports, where
    an allowed check expects ``open``; elsewhere it expects ``reachable`` (open or
    refused). Flows to hosts outside the managed groups (webroot_update_endpoints:
    real services) and flows with ``tls`` always expect ``open``. ``negative``: add
    the denied checks; ``denied_sample``: per rule and managed group, how many of the
    hosts the rule leaves out connect to it (0: all); ``denied_hosts``: hosts that
    always do. ``plan_vars``: the host facts holding published plans, in order.
    ``negative_limit`` (older option): at most that many sampled denied sources per
    rule, one group at a time (0: no cap); the ``denied_hosts`` come on top.
    ``down``: managed hosts that are down in this run (Ansible took them out of the
    play). They run nothing and nobody connects to them, but their checks are planned
    so that the reports show what was not proven: the Table 11 flows from them and
    every check to them carry ``"down": [host, ...]`` and are left out of the targets
    and the listener ports. The denied samples are taken from hosts that are up.

    Returns ``{"checks": [...sorted by source, destination, port], "sampling": {...},
    "down": [...]}``.
    """
    try:
        denied_sample = int(denied_sample or 0)
    except (TypeError, ValueError):
        raise FlowError("verify_denied_sample must be a whole number, got %r" % (denied_sample,))
    if denied_sample < 0:
        raise FlowError("verify_denied_sample must be 0 (all) or more, got %d" % denied_sample)
    try:
        negative_limit = int(negative_limit or 0)
    except (TypeError, ValueError):
        raise FlowError("verify_negative_limit must be a whole number, got %r" % (negative_limit,))
    managed = _members(groups, MANAGED_GROUPS)
    managed_set = set(managed)
    down_set = set(down or ()) & managed_set
    runners = [h for h in (managed if sources is None else [h for h in managed if h in set(sources)])
               if h not in down_set]
    runner_set = set(runners)
    # Who a check may start from: the hosts that run, and those that would have.
    planned_set = runner_set | down_set
    listening = set(listening or ())
    denied_hosts = [h for h in (denied_hosts or []) if h in runner_set]
    group_of = _group_of(groups, managed)
    by_group = dict((g, [h for h in runners if group_of[h] == g]) for g in MANAGED_GROUPS)
    group_sets = dict((g, set(hosts)) for g, hosts in by_group.items())
    addrs = {}

    def addr(host):
        if host not in addrs:
            addrs[host] = address(host, hostvars)
        return addrs[host]

    for host in managed:
        addr(host)
    index = _Addresses(addrs, sorted(planned_set))

    checks = {}
    stats = {"sample": denied_sample, "denied_hosts": denied_hosts, "rules": 0,
             "denied_possible": 0, "denied_checked": 0, "basis": {}}

    def add(check):
        hosts = set((check["source"], check["destination"])) & down_set
        if hosts:
            check["down"] = sorted(hosts)
        checks.setdefault(check["id"], check)

    for row in table:
        role = row["component"]
        title = row["title"]
        # Per host carrying a rule of this row: the catalog peers, per direction.
        carriers = {}
        for flow in row["flows"]:
            inbound = flow["direction"] == "inbound"
            holders = flow["listeners"] if inbound else flow["connectors"]
            peers = flow["connectors"] if inbound else flow["listeners"]
            for host in _members(groups, holders):
                if host not in managed_set:
                    continue
                entry = carriers.setdefault((host, flow["direction"]), {"peers": set(), "groups": [], "tls": False})
                entry["peers"].update(_members(groups, peers))
                entry["groups"].extend(g for g in peers if g not in entry["groups"])
                entry["tls"] = entry["tls"] or bool(flow.get("tls"))
        # Hosts whose published plan carries this component without the catalog saying so.
        for host in managed:
            for _var_name, entry in _plan_entry(hostvars, host, role, plan_vars):
                for rule in entry.get("rules") or []:
                    direction = "inbound" if (rule or {}).get("direction") == "in" else "outbound"
                    carriers.setdefault((host, direction), {"peers": set(), "groups": [], "tls": False})
        for (holder, direction) in sorted(carriers):
            info = carriers[(holder, direction)]
            basis, found = _plan_scope(holder, role, direction, plan_vars, hostvars)
            if basis == "skip":
                continue
            if found is None:
                basis = "inventory"
                port, scope = _inventory_scope(role, holder, direction, hostvars, info["peers"])
                if scope is None:
                    continue
            else:
                port, scope = found
            stats["basis"][basis] = stats["basis"].get(basis, 0) + 1
            catalog_why = "Table 11: %s connect to %s on %s" % (
                " / ".join(info["groups"]) if direction == "inbound" else holder,
                holder if direction == "inbound" else " / ".join(info["groups"]), title)
            if direction == "outbound":
                if holder not in planned_set:
                    continue
                for dest in sorted(info["peers"]):
                    addr(dest)
                    if scope.nets is not None and addrs[dest][0] is not None and not scope.any_peer \
                            and not _in_cidrs(addrs[dest][0], [str(n) for n in scope.nets]):
                        add(_check(row, holder, dest, port, "denied", "filtered", False,
                                   "%s of %s (%s) leaves %s out" % (scope.var, holder, scope.text, dest),
                                   addrs, info["tls"], basis))
                        continue
                    listener = dest in managed_set and dest in listening
                    expect = "open" if (listener or info["tls"] or dest not in managed_set) else "reachable"
                    add(_check(row, holder, dest, port, "allowed", expect, listener, catalog_why, addrs,
                               info["tls"], basis))
                continue
            # Inbound: the Table 11 connectors, then the sampled others.
            dest = holder
            listener = dest in listening
            for src in sorted(info["peers"]):
                if src not in planned_set:
                    continue
                if scope.nets is not None and not scope.any_peer and addrs[src][0] is None:
                    raise FlowError(
                        "cannot tell the address of %s to compare it with %s of %s; "
                        "set webroot_address for it or gather its facts" % (src, scope.var, dest))
                if scope.admits(src, index):
                    add(_check(row, src, dest, port, "allowed", "open" if listener else "reachable",
                               listener, catalog_why, addrs, False, basis))
                else:
                    add(_check(row, src, dest, port, "denied", "filtered", listener,
                               "%s of %s (%s) leaves %s out" % (scope.var, dest, scope.text, src),
                               addrs, False, basis))
            if not negative or scope.any_peer:
                continue
            admitted = scope.admitted(index)
            excluded = set(admitted)
            excluded.update(info["peers"])
            excluded.add(dest)
            stats["rules"] += 1
            picked = []
            for group in MANAGED_GROUPS:
                members = by_group[group]
                if scope.nets is not None:
                    no_ip = [h for h in members if addrs[h][0] is None]
                    group_excluded = excluded.union(no_ip) if no_ip else excluded
                else:
                    group_excluded = excluded
                chosen, possible = sample_denied(
                    members, group_excluded, denied_sample, "%s|%s|%d|%s" % (role, dest, port, group),
                    member_set=group_sets[group])
                stats["denied_possible"] += possible
                picked.extend((h, group) for h in chosen)
            if negative_limit and len(picked) > negative_limit:
                picked = _round_robin(picked)[:negative_limit]
            chosen_set = set(h for h, _g in picked)
            for host in denied_hosts:
                if host in chosen_set or host in excluded or (scope.nets is not None and addrs[host][0] is None):
                    continue
                picked.append((host, group_of[host]))
                chosen_set.add(host)
            for src, group in picked:
                if scope.nets is not None:
                    why = "%s of %s (%s) leaves %s out" % (scope.var, dest, scope.text, src)
                elif info["groups"]:
                    why = "%s is not in %s, the only sources of %s on %s" % (
                        src, " / ".join(info["groups"]), title, dest)
                else:
                    why = "the rule of %s on %s admits no managed host" % (title, dest)
                check = _check(row, src, dest, port, "denied", "filtered", listener, why, addrs, False, basis)
                if check["id"] not in checks:
                    stats["denied_checked"] += 1
                add(check)
    ordered = sorted(checks.values(), key=lambda c: (c["source"], c["destination"], c["port"], c["component"]))
    per_source = {}
    for check in ordered:
        per_source[check["source"]] = per_source.get(check["source"], 0) + 1
    stats["max_per_source"] = max(per_source.values()) if per_source else 0
    stats["max_per_source_host"] = max(sorted(per_source), key=lambda h: per_source[h]) if per_source else None
    return {"checks": ordered, "sampling": stats, "down": sorted(down_set)}


def _target(check):
    return {"host": check["host"], "port": check["port"], "expect": check["expect"], "tls": check["tls"],
            "name": check["id"]}


def targets(checks, source):
    """The port_check targets of one source host (one call with all of them).

    Checks from or to a host that is down (``down``) are not tried.
    """
    return [_target(c) for c in checks if c["source"] == source and not c.get("down")]


def targets_by_source(checks):
    """``{source: [targets]}`` for every source, in one pass (none from or to a down host)."""
    out = {}
    for check in checks:
        if not check.get("down"):
            out.setdefault(check["source"], []).append(_target(check))
    return out


def listen_ports(checks, host):
    """The ports a temporary listener on ``host`` serves (the checks that expect one)."""
    return sorted(set(c["port"] for c in checks
                      if c["destination"] == host and c["listener"] and not c.get("down")))


def listen_ports_by_host(checks):
    out = {}
    for check in checks:
        if check["listener"] and not check.get("down"):
            out.setdefault(check["destination"], set()).add(check["port"])
    return dict((h, sorted(p)) for h, p in out.items())


def display_state(result):
    """What a report shows for a result: its state, ``tls-fail`` or ``not-run``.

    A state that is not one of port_check's (a source host can answer anything) is
    shown as it is, as text; the renderers escape it.
    """
    state = result.get("state")
    if state is None:
        return "not-run"
    state = _text(state)
    if result.get("tls") and state == "open" and not result.get("tls_ok"):
        return "tls-fail"
    return state


def _text(value):
    """``value`` as text (None stays None): a source host's answer may have any type."""
    if value is None or isinstance(value, str):
        return value
    return str(value)


def _meets(state, expect):
    """Whether ``state`` is what ``expect`` asks for (as port_check judges it)."""
    if expect == "reachable":
        return state in ("open", "refused")
    return state == expect


def _registered_results(reg):
    """The port_check results a host registered (``results``, or ``results_json``).

    Only dicts with a text ``name`` are kept: whatever else a source host sends
    (no JSON, another shape) leaves its checks without a result (``not-run``)
    instead of breaking the reports.
    """
    if not isinstance(reg, dict):
        return []
    found = reg.get("results") or []
    if not found and reg.get("results_json"):
        import json  # pylint: disable=import-outside-toplevel
        try:
            found = json.loads(reg["results_json"])
        except (TypeError, ValueError):
            found = []
    if not isinstance(found, list):
        return []
    return [r for r in found if isinstance(r, dict) and isinstance(r.get("name"), str)]


HOST_DOWN = "host down"


def merge_results(checks, hostvars, result_var="__verify_portcheck", listener_var="__verify_listener", down=()):
    """Each check with what its source found.

    ``hostvars[source][result_var]`` is the registered port_check result of each
    source (``results``, or ``results_json`` with ``results_as: json``),
    ``hostvars[dest][listener_var]`` the listener helper's report (``bound`` /
    ``busy`` port lists). A check whose source has no result is ``not-run`` and does
    not meet its expectation.

    ``down``: hosts that are down at the end of the run (Ansible took them out of the
    play), on top of those the plan already knew (``check["down"]``). A check from or
    to one of them proves nothing, whatever its source found: its state is
    ``not-run``, ``reason`` is ``host down`` and ``ok`` is None (neither met nor failed).
    """
    down_set = set(down or ())
    by_source = {}
    listeners = {}
    out = []
    for check in checks:
        src = check["source"]
        if src not in by_source:
            reg = _hv(hostvars, src).get(result_var)
            by_source[src] = dict((r.get("name"), r) for r in _registered_results(reg))
        found = by_source[src].get(check["id"])
        result = dict(check)
        listener = None
        if check["listener"]:
            dest = check["destination"]
            if dest not in listeners:
                info = _hv(hostvars, dest).get(listener_var) or {}
                listeners[dest] = (set(info.get("bound") or []), set(info.get("busy") or []))
            bound, busy = listeners[dest]
            if check["port"] in bound:
                listener = "ours"
            elif check["port"] in busy:
                listener = "in use"
            else:
                listener = "none"
        result["listener_state"] = listener
        result["reason"] = None
        down_hosts = sorted(set(check.get("down") or ()) | (set((src, check["destination"])) & down_set))
        if down_hosts:
            result.update({"state": "not-run", "ok": None, "reason": HOST_DOWN, "down": down_hosts,
                           "error": "%s: %s (out of the play: unreachable, or failed before the checks); "
                                    "nothing was proven" % (HOST_DOWN, ", ".join(down_hosts)),
                           "tls_ok": None, "tls_error": None, "tls_version": None, "address": None})
        elif found is None:
            result.update({"state": None, "ok": False,
                           "error": "no result from the source for this check (its port_check did not run or did not "
                                    "return it)",
                           "tls_ok": None, "tls_error": None, "tls_version": None, "address": None})
        else:
            state = _text(found.get("state"))
            result.update({
                "state": state,
                # The source's own verdict, and only for a state that is the one expected:
                # an unknown state, or an "ok" the state contradicts, is not a pass.
                "ok": found.get("ok") is True and _meets(state, check["expect"]),
                "error": _text(found.get("error")),
                "address": _text(found.get("address")),
                "tls_ok": found.get("tls_ok") if isinstance(found.get("tls_ok"), bool) else None,
                "tls_error": _text(found.get("tls_error")),
                "tls_version": _text(found.get("tls_version")),
            })
        result["display"] = display_state(result)
        result["line"] = describe(result)
        out.append(result)
    return out


def describe(result):
    """One line for a check, e.g. 'wr-server1 -> wr-client1 50001/tcp (sweep_now, allowed): expected open, got filtered'."""
    head = "%s -> %s %s/%s (%s, %s): expected %s" % (
        result["source"], result["destination"], result["port"], result["protocol"],
        result["component"], result["kind"], result["expect"])
    if result.get("reason") == HOST_DOWN:
        return "%s, not run (%s: %s)" % (head, HOST_DOWN, ", ".join(result.get("down") or []))
    line = "%s, got %s" % (head, result["display"])
    detail = result.get("tls_error") if result["display"] == "tls-fail" else result.get("error")
    if detail and not result.get("ok"):
        line += " (%s)" % detail
    return line


def _group_name(groups, host):
    for group in MANAGED_GROUPS:
        if host in (groups.get(group) or []):
            return group
    for group in sorted(groups):
        if group not in ("all", "ungrouped") and host in (groups.get(group) or []):
            return group
    return "ungrouped"


def group_summary(results, groups):
    """Source group x destination group: per component and kind, ok and total counts."""
    cache = {}

    def group(host):
        if host not in cache:
            cache[host] = _group_name(groups, host)
        return cache[host]

    cells = {}
    for r in results:
        key = (group(r["source"]), group(r["destination"]))
        cell = cells.setdefault(key, {})
        entry = cell.setdefault((r["port"], r["component"], r["kind"]), [0, 0, 0])
        entry[1] += 1
        if r["ok"]:
            entry[0] += 1
        elif r["ok"] is None:
            entry[2] += 1
    order = list(MANAGED_GROUPS) + sorted(set(k[1] for k in cells) - set(MANAGED_GROUPS))
    rows = [g for g in order if any(k[0] == g for k in cells)]
    cols = [g for g in order if any(k[1] == g for k in cells)]
    out = {}
    for (src, dst), cell in cells.items():
        out.setdefault(src, {})[dst] = [
            {"port": p, "component": c, "kind": k, "ok": v[0], "total": v[1], "not_run": v[2]}
            for (p, c, k), v in sorted(cell.items())]
    return {"rows": rows, "columns": cols, "cells": out}


def _failed(r):
    """A check that did not meet its expectation (``ok`` False; None is not run: host down)."""
    return r["ok"] is not None and not r["ok"]


def _not_run(r):
    return r["ok"] is None


def report(results, sampling=None, groups=None, fail_on_down=False):
    """The data the reports render: summary, matrix, mismatches, group summary.

    ``summary``: ``total``; ``ok`` (met their expectation), ``failed`` and ``not_run``
    (a host was down: neither met nor failed) add up to it; ``down_hosts``;
    ``allowed``, ``denied``, ``states``; ``verdict`` (``fail`` when a check failed, or,
    with ``fail_on_down``, when one was not run).
    """
    sources = sorted(set(r["source"] for r in results))
    destinations = sorted(set(r["destination"] for r in results))
    # Managed hosts first in both axes, in the same order, so the diagonal lines up.
    dest_set = set(destinations)
    source_set = set(sources)
    destinations = [h for h in sources if h in dest_set] + [h for h in destinations if h not in source_set]
    matrix = {}
    for r in results:
        matrix.setdefault(r["source"], {}).setdefault(r["destination"], []).append(r)
    for row in matrix.values():
        for cell in row.values():
            cell.sort(key=lambda r: (r["port"], r["component"]))
    states = dict((s, 0) for s in DISPLAY_STATES)
    allowed = 0
    for r in results:
        states[r["display"]] = states.get(r["display"], 0) + 1
        if r["kind"] == "allowed":
            allowed += 1
    mismatches = [r for r in results if _failed(r)]
    not_run = [r for r in results if _not_run(r)]
    down_hosts = sorted(set(h for r in not_run for h in r.get("down") or ()))
    components = []
    seen = set()
    for r in results:
        key = (r["port"], r["component"], r["title"])
        if key not in seen:
            seen.add(key)
            components.append(key)
    components.sort()
    out = {
        "summary": {
            "total": len(results),
            "ok": len(results) - len(mismatches) - len(not_run),
            "failed": len(mismatches),
            "not_run": len(not_run),
            "down_hosts": down_hosts,
            "allowed": allowed,
            "denied": len(results) - allowed,
            "states": states,
            "verdict": "fail" if mismatches or (fail_on_down and not_run) else "pass",
        },
        "sources": sources,
        "destinations": destinations,
        "matrix": matrix,
        "components": [{"component": c[1], "port": c[0], "title": c[2]} for c in components],
        "mismatches": [describe(r) for r in mismatches],
        "failures": mismatches,
        "results": results,
        "sampling": sampling,
    }
    if groups is not None:
        out["groups"] = group_summary(results, groups)
    return out


def _host_list(hosts, limit=10):
    hosts = list(hosts)
    if len(hosts) <= limit:
        return ", ".join(hosts)
    return "%s and %d more" % (", ".join(hosts[:limit]), len(hosts) - limit)


def summary_line(rep):
    """The one-line verdict of the Summary task, e.g. '17 of 28 Webroot flows met their
    expectation, 0 failed, 11 not run (host down: cli2); 13 allowed, 15 denied; ...'."""
    s = rep["summary"]
    line = "%d of %d Webroot flows met their expectation, %d failed, %d not run" % (
        s["ok"], s["total"], s["failed"], s["not_run"])
    if s["not_run"]:
        line += " (%s: %s)" % (HOST_DOWN, _host_list(s["down_hosts"]))
    line += "; %d allowed, %d denied" % (s["allowed"], s["denied"])
    sampling = rep.get("sampling")
    if sampling:
        line += "; denied checks: %d sampled of %d possible" % (
            sampling.get("denied_checked", 0), sampling.get("denied_possible", 0))
    return line + "."


# --------------------------------------------------------------------------- #
# Rendering: JSON, JUnit XML and HTML (deterministic, no timestamps)
# --------------------------------------------------------------------------- #
STATE_TEXT = (
    ("open", "open", "connection accepted"),
    ("refused", "refused", "the host answered with a reset: the firewall let it through, nothing listened"),
    ("filtered", "filtered", "no answer, or an ICMP reject: the firewall blocked it"),
    ("unresolved", "unresolved", "the name did not resolve on the source"),
    ("tls-fail", "TLS failed", "the port is open but the TLS handshake failed"),
    ("not-run", "not run", "host down: a host was out of the play, nothing was proven (neither met nor failed); "
                           "or the source, still in the play, reported no result (a failure)"),
)
STATE_LABEL = dict((k, label) for k, label, _t in STATE_TEXT)
# Above this many hosts the report shows no host x host matrix (it grows with N^2).
MATRIX_MAX_HOSTS = 40


def render_json(rep):
    import json  # pylint: disable=import-outside-toplevel
    data = {"collection": "webroot.enterprise", "role": "verify", "summary": rep["summary"],
            "mismatches": rep["mismatches"], "results": "@RESULTS@"}
    if rep.get("sampling") is not None:
        data["sampling"] = rep["sampling"]
    head = json.dumps(data, indent=4, sort_keys=True)
    # One result per line: readable, and a third of the size of an indented dump.
    rows = ",\n        ".join(json.dumps(r, sort_keys=True) for r in rep["results"])
    return head.replace('"@RESULTS@"', "[\n        %s\n    ]" % rows if rows else "[]") + "\n"


# Characters that XML 1.0 does not allow (C0 controls but tab, newline and carriage
# return; lone surrogates; U+FFFE, U+FFFF), and DEL: shown as \xNN / \uNNNN.
_UNPRINTABLE = re.compile(u"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


def _visible(match):
    code = ord(match.group(0))
    return "\\x%02x" % code if code < 0x100 else "\\u%04x" % code


def _x(text):
    """Escape for XML/HTML text and attributes.

    Anything a source host sent goes through here: markup is escaped, and characters
    that would make the XML invalid are written out as ``\\xNN`` / ``\\uNNNN``.
    """
    text = "" if text is None else str(text)
    text = _UNPRINTABLE.sub(_visible, text)
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;").replace("'", "&#39;"))


def _detail(r):
    return r.get("tls_error") if r["display"] == "tls-fail" else r.get("error")


def render_junit(rep):
    """One testsuite per component, one testcase per checked flow."""
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           '<testsuites name="webroot.enterprise.verify" tests="%d" failures="%d" errors="0" skipped="%d">'
           % (rep["summary"]["total"], rep["summary"]["failed"], rep["summary"].get("not_run", 0))]
    by_component = {}
    for r in rep["results"]:
        by_component.setdefault(r["component"], []).append(r)
    for component in sorted(by_component):
        cases = by_component[component]
        out.append('  <testsuite name="webroot.enterprise.verify.%s" tests="%d" failures="%d" errors="0" skipped="%d">'
                   % (_x(component), len(cases), len([r for r in cases if _failed(r)]),
                      len([r for r in cases if _not_run(r)])))
        for r in cases:
            label = "%s -> %s %s/%s %s" % (r["source"], r["destination"], r["port"], r["protocol"], r["kind"])
            out.append('    <testcase classname="webroot.enterprise.verify.%s" name="%s" time="0">' % (
                _x(component), _x(label)))
            if _not_run(r):
                out.append('      <skipped message="%s"/>' % _x("not run: %s (%s)" % (
                    r.get("reason") or "", ", ".join(r.get("down") or []))))
            elif not r["ok"]:
                out.append('      <failure type="mismatch" message="%s">%s</failure>' % (
                    _x("expected %s, got %s" % (r["expect"], r["display"])), _x(r["line"])))
            detail = _detail(r)
            out.append("      <system-out>%s</system-out>" % _x("%s. Expected %s, found %s%s." % (
                r["why"], r["expect"], r["display"], (" (%s)" % detail) if detail else "")))
            out.append("    </testcase>")
        out.append("  </testsuite>")
    out.append("</testsuites>")
    return "\n".join(out) + "\n"


HTML_STYLE = """
body { font-family: -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; margin: 1.5em; color: #212121; }
h1 { font-size: 1.4em; margin-bottom: .2em; }
h2 { font-size: 1.15em; margin-top: 1.6em; }
.verdict { display: inline-block; padding: .3em .8em; border-radius: 4px; font-weight: bold; color: #fff; font-size: 1.2em; }
.verdict.pass { background: #2e7d32; }
.verdict.fail { background: #c62828; }
.verdict.down { background: #757575; }
table { border-collapse: collapse; margin-top: .6em; }
th, td { border: 1px solid #bdbdbd; padding: .25em .5em; vertical-align: top; text-align: left; font-size: .92em; }
th { background: #f5f5f5; }
table.matrix th.src { text-align: right; white-space: nowrap; }
table.matrix td { min-width: 9em; }
table.matrix td.self { background: #fafafa; }
.corner { font-size: .8em; color: #616161; }
.b { display: block; margin: .15em 0; padding: .15em .4em; border-radius: 3px; border: 2px solid transparent; white-space: nowrap; font-size: .9em; }
.b.denied { border-style: dashed; border-color: #757575; }
.b.bad { border: 3px solid #d50000; font-weight: bold; }
.s-open { background: #c8e6c9; color: #1b5e20; }
.s-refused { background: #ffe0b2; color: #e65100; }
.s-filtered { background: #cfd8dc; color: #263238; }
.s-unresolved { background: #e1bee7; color: #4a148c; }
.s-tls-fail { background: #ffcdd2; color: #b71c1c; }
.s-not-run { background: #eeeeee; color: #616161; }
.s-unknown { background: #fff; color: #b71c1c; border-style: dotted; border-color: #b71c1c; }
.g-ok { background: #e8f5e9; }
.g-bad { background: #ffebee; font-weight: bold; }
table.fail td { background: #fff8f8; }
details { margin: .1em 0; }
details > summary { cursor: pointer; padding: .1em 0; }
details.bad > summary { color: #b71c1c; font-weight: bold; }
details.down > summary { color: #616161; font-style: italic; }
table.d td { font-size: .85em; padding: .1em .4em; }
td.k { color: #616161; }
.none { color: #bdbdbd; }
.small { font-size: .85em; color: #616161; }
"""


def _state_class(display):
    """The CSS class of a state: only ours; a state a source made up is ``unknown``."""
    return display if display in STATE_LABEL else "unknown"


def _label(display):
    """The label of a state, escaped (an unknown state is shown as it is)."""
    return _x(STATE_LABEL.get(display, display))


def _mark(r):
    """&#10003; met, &#10007; not met, &ndash; not run (host down)."""
    if _not_run(r):
        return "&ndash;"
    return "&#10003;" if r["ok"] else "&#10007;"


def _badge(r, text=None):
    cls = "b s-%s%s%s" % (_state_class(r["display"]), " denied" if r["kind"] == "denied" else "",
                          " down" if _not_run(r) else ("" if r["ok"] else " bad"))
    if text is None:
        text = "%s %s" % (_label(r["display"]), _mark(r))
    return '<span class="%s">%s</span>' % (cls, text)


def _host_label(host, rep_hosts):
    info = rep_hosts.get(host) or {}
    return "%s <span class=\"small\">%s %s</span>" % (
        _x(host), _x(info.get("group") or ""), _x(info.get("address") or ""))


def _group_count(e):
    """'2/2 &#10003;', '1/2 &#10007;', '1/1 &#10003; (1 not run)' or '1 not run &ndash;'."""
    not_run = e.get("not_run", 0)
    checked = e["total"] - not_run
    if not checked:
        return "%d not run &ndash;" % not_run
    return "%d/%d %s%s" % (e["ok"], checked, "&#10003;" if e["ok"] == checked else "&#10007;",
                           " (%d not run)" % not_run if not_run else "")


def render_html(rep, groups=None, matrix_max=MATRIX_MAX_HOSTS):
    """One self-contained page: inline CSS, no scripts, no external assets.

    Verdict first, then the failures (source, destination, port, expected, found), a
    group x group summary, the host x host matrix only for small estates, and every
    host's checks in a closed ``<details>``. The size grows with the number of checks,
    which the sampling keeps linear in the number of hosts.
    """
    s = rep["summary"]
    out = []
    w = out.append
    w("<!DOCTYPE html>")
    w('<html lang="en">\n<head>\n<meta charset="utf-8">')
    w("<title>Webroot Enterprise flows: %d/%d as expected</title>" % (s["ok"], s["total"]))
    w("<style>%s</style>\n</head>\n<body>" % HTML_STYLE)
    w("<h1>Webroot Enterprise flows (Table 11)</h1>")
    not_run = s.get("not_run", 0)
    checked = s["total"] - not_run
    flows = "checked flows" if not_run else "flows"
    if s["failed"]:
        verdict = '<span class="verdict fail">FAIL: %d of %d %s not as expected</span>' % (s["failed"], checked, flows)
    elif s.get("verdict") == "fail":  # verify_fail_on_down
        verdict = '<span class="verdict fail">FAIL: %d flows not run</span>' % not_run
    else:
        verdict = '<span class="verdict pass">PASS: all %d %s as expected</span>' % (checked, flows)
    if not_run:
        verdict += ' <span class="verdict down">%d not run: %s (%s)</span>' % (
            not_run, HOST_DOWN, _x(_host_list(s.get("down_hosts") or [])))
    w("<p>%s</p>" % verdict)
    hosts = sorted(set(rep["sources"]) | set(rep["destinations"]))
    w("<p>{:,} allowed flows (must connect), {:,} denied flows (must be blocked), between {:,} hosts.</p>".format(
        s["allowed"], s["denied"], len(hosts)))
    sampling = rep.get("sampling")
    if sampling:
        basis = ", ".join("%s %d" % (k, v) for k, v in sorted((sampling.get("basis") or {}).items()))
        if sampling.get("sample"):
            how = ("per rule and per managed group it leaves out, %d host(s) picked deterministically"
                   % sampling["sample"])
        else:
            how = "all of them (verify_denied_sample: 0)"
        w('<p class="small">Denied checks: <b>{:,} checked of {:,} possible</b> '.format(
            sampling.get("denied_checked", 0), sampling.get("denied_possible", 0))
          + "(%s%s). Every allowed flow is checked. Expectations per rule from: %s. Most checks from one "
          "host: %d (%s).</p>" % (
              how,
              "; always: %s" % _x(", ".join(sampling["denied_hosts"])) if sampling.get("denied_hosts") else "",
              _x(basis or "none"), sampling.get("max_per_source", 0),
              _x(sampling.get("max_per_source_host") or "-")))

    rep_hosts = {}
    for r in rep["results"]:
        rep_hosts.setdefault(r["source"], {"address": r.get("source_address")})
        rep_hosts.setdefault(r["destination"], {"address": r.get("destination_address") or r.get("host")})
    if groups is not None:
        for host, info in rep_hosts.items():
            info["group"] = _group_name(groups, host)

    failures = rep.get("failures")
    if failures is None:
        failures = [r for r in rep["results"] if _failed(r)]
    if failures:
        w("<h2>Not as expected (%d)</h2>" % len(failures))
        w('<table class="fail">\n<tr><th>source</th><th>destination</th><th>port</th><th>component</th>'
          "<th>flow</th><th>expected</th><th>found</th><th>detail</th><th>why</th></tr>")
        for r in failures:
            w("<tr><td>%s</td><td>%s <span class=\"small\">%s</span></td><td>%s/%s</td><td>%s</td><td>%s</td>"
              "<td>%s</td><td>%s</td><td class=\"small\">%s</td><td class=\"small\">%s</td></tr>"
              % (_x(r["source"]), _x(r["destination"]), _x(r["host"]), _x(r["port"]), _x(r["protocol"]),
                 _x(r["component"]), _x(r["kind"]), _x(r["expect"]), _badge(r), _x(_detail(r) or ""),
                 _x(r["why"])))
        w("</table>")
        w('<ul class="small">')
        for line in rep["mismatches"][:20]:
            w("<li>%s</li>" % _x(line))
        if len(rep["mismatches"]) > 20:
            w("<li>... and %d more (table above)</li>" % (len(rep["mismatches"]) - 20))
        w("</ul>")

    down_hosts = s.get("down_hosts") or []
    if down_hosts:
        per_host = dict((h, [0, 0]) for h in down_hosts)
        for r in rep["results"]:
            if _not_run(r):
                for h in r.get("down") or ():
                    if h in per_host:
                        per_host[h][0 if r["source"] == h else 1] += 1
        w("<h2>Not run: %s (%d)</h2>" % (HOST_DOWN, len(down_hosts)))
        w('<p class="small">Ansible took these hosts out of the play (unreachable, or failed before the checks), '
          "so nothing was proven from or to them: %d checks were not run. They are neither passed nor failed "
          "(verify_fail_on_down decides whether the run fails).</p>" % not_run)
        w("<table>\n<tr><th>host</th><th>checks from it</th><th>checks to it</th></tr>")
        for h in down_hosts:
            w("<tr><td>%s</td><td>%d</td><td>%d</td></tr>" % (_host_label(h, rep_hosts), per_host[h][0],
                                                             per_host[h][1]))
        w("</table>")

    summary = rep.get("groups")
    if summary is None and groups is not None:
        summary = group_summary(rep["results"], groups)
    if summary:
        w("<h2>Group &times; group</h2>")
        w('<p class="small">Rows connect to columns. Each line: port, component, kind, checks as expected / '
          "checks made, and how many were not run because a host was down.</p>")
        w('<table class="groups">\n<tr><th class="corner">from &darr; &nbsp; to &rarr;</th>%s</tr>'
          % "".join("<th>%s</th>" % _x(c) for c in summary["columns"]))
        for row in summary["rows"]:
            cells = []
            for col in summary["columns"]:
                lines = summary["cells"].get(row, {}).get(col) or []
                if not lines:
                    cells.append('<td><span class="none">&middot;</span></td>')
                    continue
                bad = any(e["ok"] < e["total"] - e.get("not_run", 0) for e in lines)
                cells.append('<td class="%s">%s</td>' % ("g-bad" if bad else "g-ok", "<br>".join(
                    "%s %s %s: %s" % (_x(e["port"]), _x(e["component"]), _x(e["kind"]), _group_count(e))
                    for e in lines)))
            w("<tr><th>%s</th>%s</tr>" % (_x(row), "".join(cells)))
        w("</table>")

    if len(hosts) <= matrix_max:
        w("<h2>Source &times; destination</h2>")
        w('<p class="small">Each row is a host that connected, each column a host it connected to. A cell lists '
          "the ports tried: the colour is what was found, &#10003; means it is what was expected, &#10007; that "
          "it is not, &ndash; that it was not run (host down). A dashed border marks a denied flow (it must be "
          "<b>filtered</b>).</p>")
        w('<table class="matrix">')
        w('<tr><th class="corner">from &darr; &nbsp; to &rarr;</th>%s</tr>'
          % "".join("<th>%s</th>" % _x(d) for d in rep["destinations"]))
        for src in rep["sources"]:
            row = rep["matrix"].get(src, {})
            cells = []
            for d in rep["destinations"]:
                cell = row.get(d) or []
                badges = "".join(
                    _badge(r, "%s %s: %s %s" % (
                        _x(r["port"]), _x(r["component"]), _label(r["display"]),
                        "&ndash; %s" % HOST_DOWN if _not_run(r) else
                        "&#10003;" if r["ok"] else "&#10007; expected %s" % _x(r["expect"])))
                    .replace("<span ", '<span title="%s" ' % _x(r["line"]), 1)
                    for r in cell) or '<span class="none">&middot;</span>'
                cells.append("<td%s>%s</td>" % (' class="self"' if src == d else "", badges))
            w('<tr><th class="src">%s</th>%s</tr>' % (_x(src), "".join(cells)))
        w("</table>")
    else:
        w('<p class="small">No host &times; host matrix above %d hosts: see the group summary, and each '
          "host below.</p>" % matrix_max)

    w("<h2>Legend</h2>")
    w('<table class="legend">\n<tr><th>colour</th><th>found</th><th>meaning</th><th>count</th></tr>')
    for key, label, text in STATE_TEXT:
        w('<tr><td><span class="b s-%s">%s</span></td><td>%s</td><td>%s</td><td>%d</td></tr>'
          % (key, label, key, _x(text), s["states"].get(key, 0)))
    for key in sorted(k for k in s["states"] if k not in STATE_LABEL):
        w('<tr><td><span class="b s-unknown">%s</span></td><td>%s</td><td>a state port_check does not report, '
          "shown as the source host sent it (never as expected)</td><td>%d</td></tr>"
          % (_x(key), _x(key), s["states"][key]))
    w('<tr><td><span class="b s-filtered denied">denied</span></td><td colspan="3">dashed border: a denied flow, '
      "expected filtered</td></tr>")
    w('<tr><td><span class="b s-filtered bad">&#10007;</span></td><td colspan="3">red border: not what was '
      "expected</td></tr>\n</table>")
    w('<p class="small">Expectations: <b>open</b> for allowed flows (temporary listeners stand in for the Webroot '
      "services while the checks run), <b>reachable</b> (open or refused) for allowed flows to hosts without a "
      "listener, <b>filtered</b> for denied flows.</p>")
    w("<h2>Ports</h2>\n<table>\n<tr><th>port</th><th>component</th><th>Table 11</th></tr>")
    for c in rep["components"]:
        w("<tr><td>%s/tcp</td><td>%s</td><td>%s</td></tr>" % (c["port"], _x(c["component"]), _x(c["title"])))
    w("</table>")

    # Per host, on demand: the checks from it and to it.
    outgoing, incoming = {}, {}
    for r in rep["results"]:
        outgoing.setdefault(r["source"], []).append(r)
        incoming.setdefault(r["destination"], []).append(r)
    bad_hosts = set()
    for r in failures:
        bad_hosts.add(r["source"])
        bad_hosts.add(r["destination"])
    down_set = set(down_hosts)
    order = sorted(hosts, key=lambda h: (h not in bad_hosts, h not in down_set, h))
    w("<h2>Every host (%d)</h2>" % len(hosts))
    w('<p class="small">Hosts with a flow not as expected first. Open a host to see the checks from it '
      "(&rarr;) and to it (&larr;): peer, port, component, kind, expected, found.</p>")
    for host in order:
        mine_out = outgoing.get(host) or []
        mine_in = incoming.get(host) or []
        failed = len([r for r in mine_out if _failed(r)]) + len([r for r in mine_in if _failed(r)
                                                                 and r["source"] != host])
        skipped = len([r for r in mine_out if _not_run(r)]) + len([r for r in mine_in if _not_run(r)
                                                                  and r["source"] != host])
        w('<details%s><summary>%s: %d from here, %d to here%s%s%s</summary>' % (
            ' class="bad"' if host in bad_hosts else ' class="down"' if host in down_set else "",
            _host_label(host, rep_hosts), len(mine_out), len(mine_in),
            ", %d not as expected" % failed if failed else "", ", %d not run" % skipped if skipped else "",
            " &mdash; %s" % HOST_DOWN if host in down_set else ""))
        w('<table class="d">')
        for arrow, rows, peer in (("&rarr;", mine_out, "destination"), ("&larr;", mine_in, "source")):
            for r in rows:
                w("<tr><td>%s %s</td><td>%s</td><td>%s</td><td class=\"k\">%s</td><td>%s</td><td>%s</td></tr>"
                  % (arrow, _x(r[peer]), _x(r["port"]), _x(r["component"]), _x(r["kind"]), _x(r["expect"]),
                     _badge(r)))
        w("</table></details>")
    w('<p class="small">Generated by the webroot.enterprise.verify role from the catalog (Table 11) and the plan '
      "the roles published.</p>\n</body>\n</html>")
    return "\n".join(out) + "\n"


def render_reports(rep, groups=None, matrix_max=MATRIX_MAX_HOSTS):
    """``{file name: text}`` of the three reports."""
    return {
        "webroot-verify.json": render_json(rep),
        "webroot-verify.junit.xml": render_junit(rep),
        "webroot-verify.html": render_html(rep, groups=groups, matrix_max=matrix_max),
    }

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
import collections
import functools
import gc
import hashlib
import ipaddress
import itertools
import operator
import os
import re
from xml.sax.saxutils import escape as _escape


from ansible_collections.webroot.enterprise.plugins.plugin_utils import rules as R
from ansible_collections.webroot.enterprise.plugins.plugin_utils.settings import (
    SettingError,
    boolean,
    component_settings,
    role_variables,
)
from ansible_collections.webroot.enterprise.plugins.plugin_utils.catalog import (
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


def _gc_paused(func):
    """Run ``func`` with the cyclic garbage collector paused (and restored after).

    Planning, judging and rendering make hundreds of thousands of dicts, lists and
    XML elements, none of them in a cycle; with the results of an estate in memory,
    each collection the allocations trigger walks all of it again (about a tenth of
    the time at 3,000 workstations). Reference counting still frees everything.
    """
    @functools.wraps(func)
    def paused(*args, **kwargs):
        if not gc.isenabled():
            return func(*args, **kwargs)
        gc.disable()
        try:
            return func(*args, **kwargs)
        finally:
            gc.enable()
    return paused


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
    """The settings of ``role``'s rule on ``host`` as the inventory sets them
    (settings.component_settings: the role's variables and defaults, one boolean),
    with the port and the explicit peers checked, and the two scope variables'
    names (``peers_var``, ``any_var``: ``update_service`` says destinations)."""
    names = role_variables(role)
    try:
        cfg = component_settings(role, _hv(hostvars, host))
        port = R.component(role)["port"] if cfg["port"] in ("", None) else R.check_port(cfg["port"], names["port"])
        peers = R.check_cidrs(cfg["peers"], names["peers"])
    except R.RuleError as exc:
        raise FlowError("host %s: %s" % (host, exc))
    return {"state": cfg["state"], "port": port, "peers": peers, "any_peer": cfg["any_peer"],
            "peers_var": names["peers"], "any_var": names["any_peer"]}


def _bool(value, where):
    """A yes/no of a plan (settings.boolean: the one reading), FlowError naming ``where``."""
    try:
        return boolean(value, where)
    except SettingError as exc:
        raise FlowError(str(exc))


def address(host, hostvars):
    """``(address, connect_to)`` of ``host``: its IP (None if unknown) and what to connect to."""
    try:
        cidr = R.host_address(host, hostvars)
    except R.RuleError as exc:
        raise FlowError(str(exc))
    if cidr:
        # host_address gives one address as a /32 or /128 (or None): no need to parse it again.
        ip, _sep, prefix = str(cidr).partition("/")
        if prefix == ("128" if ":" in ip else "32"):
            return ip, ip
        net = ipaddress.ip_network(cidr)
        if net.num_addresses == 1:
            return str(net.network_address), str(net.network_address)
    return None, str(_var(hostvars, host, "ansible_host", host))


def _in_cidrs(addr, cidrs):
    if addr is None:
        return False
    ip = ipaddress.ip_address(addr)
    return any(ip in (c if isinstance(c, (ipaddress.IPv4Network, ipaddress.IPv6Network)) else ipaddress.ip_network(c))
               for c in cidrs)


# --------------------------------------------------------------------------- #
# Scopes: who a rule admits
# --------------------------------------------------------------------------- #
class _Addresses(object):
    """The addresses of the hosts, sorted per IP version, for range look-ups."""

    def __init__(self, addrs, hosts):
        self.by_version = {4: ([], []), 6: ([], [])}
        self._within = {}
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
        """The hosts whose address is in one of ``nets`` (a set shared by equal scopes: read only)."""
        key = tuple(nets)
        if key in self._within:
            return self._within[key]
        out = set()
        for net in nets:
            values, hosts = self.by_version[net.version]
            lo = bisect.bisect_left(values, int(net.network_address))
            hi = bisect.bisect_right(values, int(net.broadcast_address))
            out.update(hosts[lo:hi])
        self._within[key] = out
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


def _plan_scope(host, component, direction, plan_vars, hostvars, cache=None):
    """From the plan facts: ``("skip", None)``, ``(basis, (port, scope))`` or ``(None, None)``.

    ``webroot_plan`` is this run's intent: ``state: absent`` means no checks, rules of
    the direction give the scope. ``webroot_plan_found`` (the firewall) gives the scope
    only where the firewall holds a rule of ours, so that a deleted rule is still
    expected by the inventory (and fails) instead of being taken as the intent.
    """
    short = "in" if direction == "inbound" else "out"
    for var, entry in _plan_entry(hostvars, host, component, plan_vars):
        where = "host %s: %s.%s" % (host, var, component)  # (for the messages)
        state = entry.get("state", "present")
        if state not in ("present", "absent"):
            raise FlowError("%s.state must be present or absent, got %r" % (where, state))
        rules = [r for r in (entry.get("rules") or []) if (r or {}).get("direction") == short]
        if state == "absent" and var == "webroot_plan":
            return "skip", None
        if not rules:
            continue
        port = rules[0].get("port") or entry.get("port")
        if not (port.__class__ is int and 1 <= port <= 65535):  # (a plan holds a number: checked once)
            try:
                port = R.check_port(port, where + ".rules[].port")
            except R.RuleError as exc:
                raise FlowError(str(exc))
        any_peer = False
        cidrs = []
        groups = []
        for r in rules:
            if not any_peer:  # (as any(): the rules after one that admits any address are not read)
                value = r.get("any_peer", False)
                any_peer = value if value.__class__ is bool else _bool(value, where + ".rules[].any_peer")
            cidrs.extend(r.get("peers") or [])
            groups.extend(g for g in (r.get("peer_groups") or []) if g not in groups)
        # Thousands of hosts carry the same scope: parse and word it once (shared, read only).
        key = tuple(map(str, cidrs))
        if cache is None or key not in cache:
            nets = _nets(cidrs, where + ".rules[].peers")
            found = (nets, ", ".join(str(n) for n in nets))
            if cache is None:
                cache = {}
            cache[key] = found
        nets, nets_text = cache[key]
        text = "any address" if any_peer else nets_text or "no address"
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
    component = row["component"]
    to = addrs[dest]
    return {
        "id": "%s:%s:%s:%d" % (component, source, dest, port),
        "component": component,
        "title": row["title"],
        "port": port,
        "protocol": row["protocol"],
        "tls": tls is True or bool(tls),
        "kind": kind,
        "source": source,
        "source_address": addrs[source][0],
        "destination": dest,
        "destination_address": to[0],
        "host": to[1],
        "expect": expect,
        "listener": listener,
        "basis": basis,
        "why": why,
    }


def _inbound(row, dest, port, kind, expect, listener, addrs, basis, why=None):
    """What every check of one inbound rule and kind has in common (``_check`` less the source)."""
    to = addrs[dest]
    return {"component": row["component"], "title": row["title"], "port": port, "protocol": row["protocol"],
            "tls": False, "kind": kind, "destination": dest, "destination_address": to[0], "host": to[1],
            "expect": expect, "listener": listener, "basis": basis, "why": why}


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


@_gc_paused
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
    source_set = None if sources is None else set(sources)
    runners = [h for h in managed if (source_set is None or h in source_set) and h not in down_set]
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

    def add_down(check):
        if check["source"] in down_set or check["destination"] in down_set:
            check["down"] = sorted(set((check["source"], check["destination"])) & down_set)
        checks.setdefault(check["id"], check)

    # Without hosts down, a check is only kept (the first one of its id).
    add = add_down if down_set else (lambda check: checks.setdefault(check["id"], check))

    # Per group, the hosts without an address (never admitted by a scope of addresses).
    no_ip_by_group = dict((g, set(h for h in hosts if addrs[h][0] is None)) for g, hosts in by_group.items())
    nets_cache = {}

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
            basis, found = _plan_scope(holder, role, direction, plan_vars, hostvars, nets_cache)
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
                            and not _in_cidrs(addrs[dest][0], scope.nets):
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
            allowed_expect = "open" if listener else "reachable"
            by_address = scope.nets is not None and not scope.any_peer
            admitted = None if scope.any_peer else scope.admitted(index)
            # A check is what the rule's checks share, and its source (thousands per rule).
            allowed_base = _inbound(row, dest, port, "allowed", allowed_expect, listener, addrs, basis, catalog_why)
            denied_base = _inbound(row, dest, port, "denied", "filtered", listener, addrs, basis)
            id_format = "%s:%%s:%s:%d" % (role.replace("%", "%%"), dest.replace("%", "%%"), port)
            for src in sorted(info["peers"]):
                if src not in planned_set:
                    continue
                if by_address and addrs[src][0] is None:
                    # The apply's rule for a source whose address is not known: a host down
                    # is checked by nobody ("not run: host down"); an address unknown this run
                    # kept what the firewall admits (allowed, as before).
                    unknown = getattr(hostvars, "unknown", None) or {}
                    if src not in down_set and src not in unknown:
                        raise FlowError(
                            "cannot tell the address of %s to compare it with %s of %s; "
                            "set webroot_address for it or gather its facts" % (src, scope.var, dest))
                    add(dict(allowed_base, id=id_format % src, source=src, source_address=None,
                             why=catalog_why if src in down_set else
                             "%s: its address is unknown this run (%s), so %s of %s kept what it "
                             "admits" % (src, unknown[src], scope.var, dest)))
                    continue
                if admitted is None or src in admitted:
                    add(dict(allowed_base, id=id_format % src, source=src, source_address=addrs[src][0]))
                else:
                    add(dict(denied_base, id=id_format % src, source=src, source_address=addrs[src][0],
                             why="%s of %s (%s) leaves %s out" % (scope.var, dest, scope.text, src)))
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
                    no_ip = no_ip_by_group[group]
                    group_excluded = excluded.union(no_ip) if no_ip else excluded
                else:
                    group_excluded = excluded
                chosen, possible = sample_denied(
                    members, group_excluded, denied_sample, "%s|%s|%d|%s" % (role, dest, port, group),
                    member_set=group_sets[group])
                stats["denied_possible"] += possible
                picked.extend([(h, group) for h in chosen])
            if negative_limit and len(picked) > negative_limit:
                picked = _round_robin(picked)[:negative_limit]
            chosen_set = set(h for h, _g in picked) if denied_hosts else ()
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
                cid = id_format % src
                if cid not in checks:
                    stats["denied_checked"] += 1
                    add(dict(denied_base, id=cid, source=src, source_address=addrs[src][0], why=why))
    # Sorted by source, destination, port and component: per source (small sorts).
    by_source = {}
    for check in checks.values():
        mine = by_source.get(check["source"])
        if mine is None:
            mine = by_source[check["source"]] = []
        mine.append(check)
    ordered = []
    key = operator.itemgetter("destination", "port", "component")
    per_source = {}
    for source in sorted(by_source):
        mine = by_source[source]
        mine.sort(key=key)
        ordered.extend(mine)
        per_source[source] = len(mine)
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


@_gc_paused
def targets_by_source(checks):
    """``{source: [targets]}`` for every source, in one pass (none from or to a down host)."""
    out = {}
    fields = operator.itemgetter("source", "host", "port", "expect", "tls", "id")
    for check, (source, host, port, expect, tls, name) in zip(checks, map(fields, checks)):
        if "down" in check and check["down"]:
            continue
        mine = out.get(source)
        if mine is None:
            mine = out[source] = []
        mine.append({"host": host, "port": port, "expect": expect, "tls": tls, "name": name})
    return out


def listen_ports(checks, host):
    """The ports a temporary listener on ``host`` serves (the checks that expect one)."""
    return sorted(set(c["port"] for c in checks
                      if c["destination"] == host and c["listener"] and not c.get("down")))


@_gc_paused
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


def _results_by_name(reg):
    """``{name: result}`` of what a host registered (see :func:`_registered_results`)."""
    if isinstance(reg, dict) and not reg.get("results") and isinstance(reg.get("results_json"), str):
        import json  # pylint: disable=import-outside-toplevel
        try:
            found = json.loads(reg["results_json"])
            names = list(map(operator.itemgetter("name"), found))  # port_check's shape: checked in C
        except (TypeError, ValueError, KeyError, IndexError, AttributeError):
            pass
        else:
            if isinstance(found, list) and set(map(type, found)) <= set([dict]) \
                    and set(map(type, names)) <= set([str]):
                return dict(zip(names, found))
    return dict((r["name"], r) for r in _registered_results(reg))


HOST_DOWN = "host down"

# What a source that cannot see a reset in time adds to a "filtered" it found, when its
# port_check did not say it (port_check.ps1 words its own; docs/verify.md, "What a
# Windows source can tell").
RST_BLIND_NOTE = ("%s cannot tell a reset from no answer (a Windows source without "
                  "SIO_TCP_INITIAL_RTO), so the port may be closed rather than filtered")
_UNSAID = object()


def _windows_source(hostvars, host, windows_var):
    """Whether the verify role took ``host`` for a Windows host (its ``windows_var``)."""
    value = _hv(hostvars, host).get(windows_var)
    if isinstance(value, str):
        return value.strip().lower() in ("true", "yes", "1")
    return value is True


def rst_blind(found, windows):
    """Whether a port_check result came from a socket that cannot report a reset in time.

    Windows resends a SYN that got a reset and reports ``refused`` only after its
    retries, so without ``SIO_TCP_INITIAL_RTO`` a closed port reads ``filtered``
    (port_check.ps1). port_check.ps1 says so per result (``rst_detectable``: true,
    false, or null when it made no direct connection); POSIX results have no such key
    and always see resets. A result of a Windows source (``windows``) without the key
    is taken as blind: nothing says it could see them.
    """
    said = found.get("rst_detectable", _UNSAID)
    return said is False or (said is _UNSAID and windows)


@_gc_paused
def merge_results(checks, hostvars, result_var="__verify_portcheck", listener_var="__verify_listener", down=(),
                  lines=True, windows_var="__verify_windows"):
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

    ``lines``: each result carries its sentence (``line``, :func:`describe`). With
    ``lines=False`` only the checks that did not meet their expectation carry one: what
    the verify role's reports print (a hundred thousand sentences nobody reads cost a
    tenth of a second at 3,000 workstations; :func:`describe` words any other one).

    A ``filtered`` found by a source that cannot report a reset in time (:func:`rst_blind`:
    a Windows source without ``SIO_TCP_INITIAL_RTO``; ``hostvars[source][windows_var]``
    tells a Windows source) means "no answer, or a closed port": it still meets a denied
    check's ``filtered`` (the connection was not accepted), and never ``open``,
    ``reachable`` or ``refused``. Such a result carries ``rst_detectable: False``, and its
    error says why a closed port is not excluded.
    """
    down_set = set(down or ())
    windows_by_source = {}
    by_source = {}
    listeners = {}
    out = []
    append = out.append
    no_result = "no result from the source for this check (its port_check did not run or did not return it)"
    # A hundred thousand checks: their fields, and those of what was found, in one call each.
    check_fields = operator.itemgetter("source", "destination", "id", "listener", "port", "expect", "protocol",
                                       "component", "kind")
    found_fields = operator.itemgetter("state", "ok", "error", "address", "tls_ok", "tls_error", "tls_version")
    middles = {}  # of the line: per port, protocol, component, kind and expectation
    for check in checks:
        src, dest, cid, has_listener, port, expect, protocol, component, kind = check_fields(check)
        found_by_name = by_source.get(src)
        if found_by_name is None:
            reg = _hv(hostvars, src).get(result_var)
            found_by_name = by_source[src] = _results_by_name(reg)
        found = found_by_name.get(cid)
        listener = None
        if has_listener:
            ports = listeners.get(dest)
            if ports is None:
                info = _hv(hostvars, dest).get(listener_var) or {}
                ports = listeners[dest] = (set(info.get("bound") or []), set(info.get("busy") or []))
            if port in ports[0]:
                listener = "ours"
            elif port in ports[1]:
                listener = "in use"
            else:
                listener = "none"
        planned_down = check.get("down")
        if planned_down or (down_set and (src in down_set or dest in down_set)):
            down_hosts = sorted(set(planned_down or ()) | (set((src, dest)) & down_set))
        else:
            down_hosts = None
        if down_hosts or found is None:
            result = dict(check)
            result["listener_state"] = listener
            result["reason"] = None
        if down_hosts:
            result.update({"state": "not-run", "ok": None, "reason": HOST_DOWN, "down": down_hosts,
                           "error": "%s: %s (out of the play: unreachable, or failed before the checks); "
                                    "nothing was proven" % (HOST_DOWN, ", ".join(down_hosts)),
                           "tls_ok": None, "tls_error": None, "tls_version": None, "address": None})
        elif found is None:
            result.update({"state": None, "ok": False, "error": no_result,
                           "tls_ok": None, "tls_error": None, "tls_version": None, "address": None})
        else:
            try:
                state, source_ok, error, address, tls_ok, tls_error, tls_version = found_fields(found)
            except KeyError:  # a result without some of port_check's keys
                get = found.get
                state, source_ok, error, address, tls_ok, tls_error, tls_version = (
                    get("state"), get("ok"), get("error"), get("address"), get("tls_ok"), get("tls_error"),
                    get("tls_version"))
            if state is not None and state.__class__ is not str:
                state = str(state)
            if tls_ok.__class__ is not bool:
                tls_ok = None
            if not (error is None or error.__class__ is str):
                error = str(error)
            if not (address is None or address.__class__ is str):
                address = str(address)
            if not (tls_error is None or tls_error.__class__ is str):
                tls_error = str(tls_error)
            if not (tls_version is None or tls_version.__class__ is str):
                tls_version = str(tls_version)
            blind = False
            if state == "filtered":
                windows = windows_by_source.get(src)
                if windows is None:
                    windows = windows_by_source[src] = _windows_source(hostvars, src, windows_var)
                blind = rst_blind(found, windows)
                if blind and (error is None or "cannot tell a reset" not in error):
                    note = RST_BLIND_NOTE % src
                    error = "%s; %s" % (error, note) if error else note
            ok = source_ok is True and (state in ("open", "refused") if expect == "reachable" else state == expect)
            # (ok: the source's own verdict, and only for a state that is the one expected:
            # an unknown state, or an "ok" the state contradicts, is not a pass.)
            # display_state and describe, inline (a hundred thousand checks).
            if state is None:
                display = "not-run"
            elif state == "open" and check.get("tls") and not tls_ok:
                display = "tls-fail"
            else:
                display = state
            if ok and not lines:
                line = None
            else:
                flow = (port, protocol, component, kind, expect)
                middle = middles.get(flow)
                if middle is None:
                    middle = middles[flow] = " %s/%s (%s, %s): expected %s, got " % flow
                line = "%s -> %s%s%s" % (src, dest, middle, display)
                detail = tls_error if display == "tls-fail" else error
                if detail and not ok:
                    line += " (%s)" % detail
            merged = dict(check, listener_state=listener, reason=None, state=state, ok=ok, error=error, address=address,
                          tls_ok=tls_ok, tls_error=tls_error, tls_version=tls_version, display=display, line=line)
            if blind:
                merged["rst_detectable"] = False
            append(merged)
            continue
        result["display"] = display_state(result)
        result["line"] = describe(result)
        append(result)
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


def _group_map(groups):
    """``{host: group}`` for every host in ``groups``: its first managed group, else its first
    other group in name order (not ``all`` or ``ungrouped``); a host in none is ``ungrouped``."""
    out = {}
    for group in MANAGED_GROUPS:
        for host in groups.get(group) or []:
            out.setdefault(host, group)
    for group in sorted(groups):
        if group not in ("all", "ungrouped") and group not in MANAGED_GROUPS:
            for host in groups.get(group) or []:
                out.setdefault(host, group)
    return out


def group_summary(results, groups):
    """Source group x destination group: per component and kind, ok and total counts."""
    group_of = _group_map(groups)
    get = group_of.get
    # Counted in C (Counter over tuples), then folded: a hundred thousand results.
    counts = collections.Counter(
        (get(r["source"], "ungrouped"), get(r["destination"], "ungrouped"), r["port"], r["component"], r["kind"],
         r["ok"]) for r in results)
    cells = {}
    for (src, dst, port, component, kind, ok), n in counts.items():
        entry = cells.setdefault((src, dst), {}).setdefault((port, component, kind), [0, 0, 0])
        entry[1] += n
        if ok:
            entry[0] += n
        elif ok is None:
            entry[2] += n
    order = list(MANAGED_GROUPS) + sorted(set(k[1] for k in cells) - set(MANAGED_GROUPS))
    rows = [g for g in order if any(k[0] == g for k in cells)]
    cols = [g for g in order if any(k[1] == g for k in cells)]
    out = {}
    for (src, dst), cell in cells.items():
        out.setdefault(src, {})[dst] = [
            {"port": p, "component": c, "kind": k, "ok": v[0], "total": v[1], "not_run": v[2]}
            for (p, c, k), v in sorted(cell.items())]
    return {"rows": rows, "columns": cols, "cells": out}


@_gc_paused
def report(results, sampling=None, groups=None, fail_on_down=False, matrix=True):
    """The data the reports render: summary, matrix, mismatches, group summary.

    ``summary``: ``total``; ``ok`` (met their expectation), ``failed`` and ``not_run``
    (a host was down: neither met nor failed) add up to it; ``down_hosts``;
    ``allowed``, ``denied``, ``states``; ``verdict`` (``fail`` when a check failed, or,
    with ``fail_on_down``, when one was not run).

    ``matrix``: ``{source: {destination: [results]}}``. The reports do not read it
    (:func:`render_html` draws its own, for small estates only): the verify role asks
    for it with ``matrix=False`` and gets ``{}``.
    """
    field = operator.itemgetter
    several = []  # the cells of more than one check, to sort
    if matrix:
        matrix = {}
        destinations = set()
        sources = matrix  # its keys
        # The results come sorted by source and destination: grouped in C (any order works).
        for src, same_source in itertools.groupby(results, field("source")):
            row = matrix.get(src)
            if row is None:
                row = matrix[src] = {}
            for dest, cell in itertools.groupby(same_source, field("destination")):
                if dest in row:
                    row[dest].extend(cell)
                    several.append(row[dest])
                else:
                    cell = row[dest] = list(cell)
                    destinations.add(dest)
                    if len(cell) > 1:
                        several.append(cell)
    else:
        matrix = {}
        sources = set(map(field("source"), results))
        destinations = set(map(field("destination"), results))
    # The rest from one pass (in C): the results of an estate are a hundred thousand, and
    # their states, kinds, outcomes and components make a few dozen combinations.
    rows = list(map(field("display", "kind", "ok", "port", "component", "title"), results))
    states = dict((s, 0) for s in DISPLAY_STATES)
    allowed = failed = skipped = 0
    seen = set()
    for (display, kind, ok, port, component, title), n in collections.Counter(rows).items():
        states[display] = states.get(display, 0) + n
        if kind == "allowed":
            allowed += n
        if ok is None:
            skipped += n
        elif not ok:
            failed += n
        seen.add((port, component, title))
    not_run = [r for r, row in zip(results, rows) if row[2] is None] if skipped else []
    mismatches = [r for r, row in zip(results, rows) if row[2] is not None and not row[2]] if failed else []
    sources = sorted(sources)
    # Managed hosts first in both axes, in the same order, so the diagonal lines up.
    source_set = set(sources)
    destinations = [h for h in sources if h in destinations] + sorted(destinations - source_set)
    for cell in several:
        cell.sort(key=field("port", "component"))
    down_hosts = sorted(set(h for r in not_run for h in r.get("down") or ()))
    components = sorted(seen)
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
# The HTML page lists at most this many failures one by one; its filter (outcome: not
# as expected) lists every one of them.
HTML_FAILURES_MAX = 2000
# The layout of webroot-verify.json (docs/verify.md, "webroot-verify.json").
JSON_FORMAT = 2
# The report templates, script and style: the verify role's templates directory.
TEMPLATES = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "roles",
                                          "verify", "templates"))
OUTCOMES = (("ok", "as expected"), ("failed", "not as expected"), ("not-run", "not run"))

# Control characters (C0 and C1, DEL), lone surrogates and the two non-characters
# that XML 1.0 does not allow. The HTML and JUnit reports drop them (a tab, newline or
# carriage return becomes a space); the JSON report keeps the value (JSON-escaped).
_CONTROL = re.compile(u"[\x00-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_SURROGATE = re.compile(u"[\ud800-\udfff]")
# (xml.etree's attribute escaping: ElementTree._escape_attrib)
_XML_ATTRIBUTE = {'"': "&quot;", "\n": "&#10;", "\r": "&#13;", "\t": "&#09;"}


def _drop_control(match):
    return " " if match.group(0) in ("\t", "\n", "\r") else ""


def clean_text(value):
    """``value`` as text for the HTML and JUnit reports: no control character.

    Anything a source host sent, and every host name and description, goes through
    here before it reaches a template or the XML tree (which escape it).
    """
    if value is None:
        return ""
    text = value if isinstance(value, str) else str(value)
    return _CONTROL.sub(_drop_control, text)


def _detail(r):
    return r.get("tls_error") if r["display"] == "tls-fail" else r.get("error")


def _state_order(states):
    """port_check's states in their order, then the others a source sent, sorted."""
    known = [s for s in DISPLAY_STATES if s in states]
    return known + sorted(s for s in states if s not in DISPLAY_STATES)


class _Tables(object):
    """Each host, flow, state and text once, and the checks as columns of indices.

    What the JSON and the HTML reports are made of, computed once for both. A *flow*
    is what checks share: port, component, kind, expectation, basis, listener, TLS,
    title, protocol. The columns (``source``, ``destination``, ``flow``, ``state``,
    ``outcome``) are lists in the order of ``rep["results"]``; list comprehensions
    over a hundred thousand checks are what keeps this fast.
    """

    def __init__(self, rep, groups=None):
        results = self.results = rep["results"]
        group_of = _group_map(groups) if groups else {}
        field = operator.itemgetter
        sources = list(map(field("source"), results))
        destinations = list(map(field("destination"), results))
        names = self.names = sorted(set(rep["sources"]) | set(rep["destinations"])) if "sources" in rep \
            else sorted(set(sources) | set(destinations))
        index = self.index = dict((h, i) for i, h in enumerate(names))
        self.source = list(map(index.__getitem__, sources))
        self.destination = list(map(index.__getitem__, destinations))
        # A host's address and what sources connect to: from one of its checks.
        one = dict(zip(destinations, results))
        address = dict((h, r["destination_address"]) for h, r in one.items())
        connect = dict((h, r["host"]) for h, r in one.items())
        only_sources = set(sources) - set(one)
        if only_sources:
            one = dict((h, r) for h, r in zip(sources, results) if h in only_sources)
            address.update((h, r["source_address"]) for h, r in one.items())
        # (basis, listener and TLS as the plan made them: a string, two booleans)
        keys = list(map(field("port", "component", "kind", "expect", "basis", "listener", "tls", "title", "protocol"),
                        results))
        self.flows = sorted(set(keys), key=lambda k: tuple("" if v is None else v for v in k))
        flow_index = dict((k, i) for i, k in enumerate(self.flows))
        self.flow = list(map(flow_index.__getitem__, keys))
        displays = list(map(field("display"), results))
        self.states = _state_order(set(displays))
        state_index = dict((s, i) for i, s in enumerate(self.states))
        self.state = list(map(state_index.__getitem__, displays))
        # 0 met, 1 not met, 2 not run (ok is True, False or None: merge_results makes it so)
        self.outcome = list(map({True: 0, None: 2}.get, map(field("ok"), results), itertools.repeat(1)))
        present = set(group_of.get(h, "ungrouped") for h in names)
        self.groups = [g for g in list(MANAGED_GROUPS) + sorted(present - set(MANAGED_GROUPS) - set(["ungrouped"]))
                       if g in present] + (["ungrouped"] if "ungrouped" in present else [])
        self.hosts = [(h, group_of.get(h, "ungrouped") if groups else None, address.get(h), connect.get(h))
                      for h in names]


# --- JSON --------------------------------------------------------------------

def _why_template(why, source, destination):
    """``why`` as a ``str.format`` text with ``{source}`` and ``{destination}``.

    Thousands of checks share a reason but for the hosts they name; the JSON keeps
    each reason once. Braces of the text are doubled, and the template is kept only
    when formatting it gives ``why`` back exactly (else ``why`` itself, escaped).
    """
    text = why.replace("{", "{{").replace("}", "}}")
    template = text
    for name, field in sorted(((source, "{source}"), (destination, "{destination}")), key=lambda n: -len(n[0] or "")):
        if name and "{" not in name and "}" not in name:
            template = template.replace(name, field)
    try:
        if template.format(source=source or "", destination=destination or "") == why:
            return template
    except (IndexError, KeyError, ValueError):
        pass
    return text


def _json_text(value):
    """The JSON of ``value``, in one line (the C encoder)."""
    import json  # pylint: disable=import-outside-toplevel
    return json.dumps(value, separators=(",", ":"), sort_keys=True, ensure_ascii=False)


JSON_CHECK_COLUMNS = ("source", "destination", "flow", "state", "ok", "error", "why", "listener_state", "more")
JSON_FLOW_COLUMNS = ("port", "component", "kind", "expect", "basis", "listener", "tls", "title", "protocol")
JSON_HOST_COLUMNS = ("name", "group", "address", "connect")
_MORE = ("tls_ok", "tls_error", "tls_version", "reason", "down")


@_gc_paused
def render_json(rep, groups=None, tables=None):
    """The JSON report: summary, sampling and failures first, then every check as a table.

    ``hosts``, ``flows`` and ``checks`` are ``{"columns": [...], "rows": [[...]]}``;
    a check's ``source``, ``destination`` and ``flow`` are indices in ``hosts`` and
    ``flows``, its ``error`` an index in ``errors`` and its ``why`` one in ``whys``
    (``whys[i].format(source=..., destination=...)``). One check per line. See
    :func:`read_json_report` for the long form.
    """
    import json  # pylint: disable=import-outside-toplevel
    t = tables or _Tables(rep, groups)
    results = t.results
    encode = json.encoder.encode_basestring  # pylint: disable=no-member
    encoded = {None: "null", True: "true", False: "false"}

    def text(value):
        found = encoded.get(value)
        if found is None:
            found = encoded[value] = encode(value if isinstance(value, str) else str(value))
        return found

    errors = {None: "null"}

    def error_index(value):
        found = errors.get(value)
        if found is None:
            found = errors[value] = str(len(errors) - 1)
        return found

    whys, why_of = {}, {}

    def number(template):
        found = whys.get(template)
        if found is None:
            found = whys[template] = str(len(whys))
        return found

    leaves = dict((h, " leaves %s out" % h) for h in t.names if "{" not in h and "}" not in h)

    def why_index(why, src, dst):
        if why is None:
            return "null"
        # Most reasons of a denied check end with the source they leave out: the
        # rest of the text is shared by every source the rule leaves out.
        suffix = leaves.get(src)
        if suffix is not None and why.endswith(suffix):
            key = (why[:-len(suffix)], None, dst, " leaves {source} out")
        else:
            key = (why, src if src and src in why else None, dst if dst and dst in why else None, "")
        found = why_of.get(key)
        if found is None:
            if key[1] or key[2]:
                template = _why_template(key[0], key[1], key[2])
            else:
                template = key[0].replace("{", "{{").replace("}", "}}")
            found = why_of[key] = number(template + key[3])
        return found

    connect = [h[3] for h in t.hosts]
    state_text = [text(st) for st in t.states]
    ok_text = ["true", "false", "null"]

    def more(r, d):
        extra = dict((k, r[k]) for k in _MORE if r.get(k) is not None)
        if r["address"] != connect[d]:
            extra["address"] = r["address"]
        return _json_text(extra) if extra else "null"

    # One pass over the results (each is read once), the rest from the tables' columns.
    error_of, text_of = errors.get, encoded.get
    fields = operator.itemgetter("error", "why", "source", "destination", "listener_state", "tls_ok", "tls_error",
                                 "tls_version", "reason", "address")
    lines = []
    columns = zip(results, map(fields, results), t.source, t.destination, t.flow, t.state, t.outcome)
    for r, (e, w, src, dst, ls, tls_ok, tls_error, tls_version, reason, address), s, d, f, st, o in columns:
        plain = (tls_ok is None and tls_error is None and tls_version is None and reason is None
                 and address == connect[d])
        lines.append("[%d,%d,%d,%s,%s,%s,%s,%s,%s]" % (
            s, d, f, state_text[st], ok_text[o], error_of(e) or error_index(e), why_index(w, src, dst),
            text_of(ls) or text(ls), "null" if plain else more(r, d)))

    def table(columns, rows, indent="    "):
        body = (",\n" + indent + "    ").join(rows)
        return '{"columns": %s, "rows": [%s]}' % (
            _json_text(list(columns)), ("\n" + indent + "    " + body + "\n" + indent) if rows else "")

    def listing(values, indent="    "):
        if not values:
            return "[]"
        return "[\n%s    %s\n%s]" % (indent, (",\n" + indent + "    ").join(_json_text(v) for v in values), indent)

    def block(value):
        return json.dumps(value, indent=4, sort_keys=True, ensure_ascii=False).replace("\n", "\n    ")

    parts = [
        ("collection", '"webroot.enterprise"'),
        ("role", '"verify"'),
        ("format", str(JSON_FORMAT)),
        ("summary", block(rep["summary"])),
    ]
    if rep.get("sampling") is not None:
        parts.append(("sampling", block(rep["sampling"])))
    parts += [
        ("mismatches", listing(rep["mismatches"])),
        ("hosts", table(JSON_HOST_COLUMNS, [_json_text(list(h)) for h in t.hosts])),
        ("flows", table(JSON_FLOW_COLUMNS, [_json_text(list(f)) for f in t.flows])),
        ("errors", listing(sorted((e for e in errors if e is not None), key=lambda k: int(errors[k])))),
        ("whys", listing(sorted(whys, key=lambda k: int(whys[k])))),
        ("checks", table(JSON_CHECK_COLUMNS, lines)),
    ]
    out = "{\n%s\n}\n" % ",\n".join("    %s: %s" % (_json_text(k), v) for k, v in parts)
    # A lone surrogate (from a source host's JSON) cannot be written as UTF-8.
    return _SURROGATE.sub(u"\ufffd", out)


def read_json_report(data):
    """The checks of a parsed ``webroot-verify.json``, one dict each (the long form).

    Keys: ``source``, ``destination``, ``source_address``, ``destination_address``,
    ``host`` (what the source connected to), the flow's ``port``, ``component``,
    ``kind``, ``expect``, ``basis``, ``listener``, ``tls``, ``title``, ``protocol``, and
    the check's ``state`` (also as ``display``: what the reports show), ``ok``, ``error``,
    ``why``, ``listener_state``, ``address``, ``tls_ok``, ``tls_error``, ``tls_version``,
    ``reason`` and ``down``.
    """
    hosts = [dict(zip(data["hosts"]["columns"], row)) for row in data["hosts"]["rows"]]
    flows = [dict(zip(data["flows"]["columns"], row)) for row in data["flows"]["rows"]]
    errors, whys = data["errors"], data["whys"]
    out = []
    for row in data["checks"]["rows"]:
        c = dict(zip(data["checks"]["columns"], row))
        src, dst = hosts[c["source"]], hosts[c["destination"]]
        check = dict(flows[c["flow"]])
        more = c.get("more") or {}
        check.update({
            "source": src["name"], "destination": dst["name"], "source_address": src["address"],
            "destination_address": dst["address"], "host": dst["connect"], "state": c["state"], "ok": c["ok"],
            "error": None if c["error"] is None else errors[c["error"]],
            "why": None if c["why"] is None else whys[c["why"]].format(source=src["name"], destination=dst["name"]),
            "listener_state": c["listener_state"], "address": more.get("address", dst["connect"]),
            "display": c["state"],
        })
        for key in _MORE:
            check[key] = more.get(key)
        out.append(check)
    return out


# --- JUnit -------------------------------------------------------------------

@_gc_paused
def _xml(text):
    """``text`` (cleaned) escaped for XML 1.0 text and double-quoted attributes.

    The standard library's XML escaping (``xml.sax.saxutils.escape``: ``&``, ``<``,
    ``>``) plus ``"`` and the three white-space characters, as ``xml.etree`` writes an
    attribute. Escaping is per character, so escaped parts can be joined.
    """
    return _escape(clean_text(text), _XML_ATTRIBUTE)


def render_junit(rep, tables=None):
    """One testsuite per component, one testcase per checked flow (valid XML 1.0).

    A failure carries ``<failure>`` and a check not run ``<skipped>``, each with a
    ``<system-out>`` saying why the check exists; a check as expected is only its
    testcase. Every text has its control characters removed (:func:`clean_text`) and
    is escaped by :func:`_xml`. Written as text, not through ``xml.etree``: a
    hundred thousand testcases are a few names joined, and the element tree cost a
    third of a second at 3,000 workstations to build and serialise
    (docs/benchmarks.md). The tests parse the file with a strict parser, hostile names
    included (tests/unit/plugins/plugin_utils/test_flows_report_hostile.py).
    """
    t = tables or _Tables(rep)
    s = rep["summary"]
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           '<testsuites name="webroot.enterprise.verify" tests="%d" failures="%d" errors="0" skipped="%d">' % (
               s["total"], s["failed"], s.get("not_run", 0))]
    # From the tables' columns: a passing check is its names and its flow, escaped once.
    names = [_xml(h) for h in t.names]
    suffix = [_xml(" %s/%s %s" % (f[0], f[8], f[2])) for f in t.flows]  # port/protocol kind
    component_of = [f[1] for f in t.flows]
    by_component = {}
    for i, f in enumerate(t.flow):
        mine = by_component.get(component_of[f])
        if mine is None:
            mine = by_component[component_of[f]] = []
        mine.append(i)
    results, outcome, source, destination, flow = t.results, t.outcome, t.source, t.destination, t.flow
    for component in sorted(by_component):
        cases = by_component[component]
        name = "webroot.enterprise.verify.%s" % _xml(component)
        outcomes = [outcome[i] for i in cases]
        out.append('  <testsuite name="%s" tests="%d" failures="%d" errors="0" skipped="%d">' % (
            name, len(cases), outcomes.count(1), outcomes.count(2)))
        head = '    <testcase classname="%s" name="' % name
        for i in cases:
            case = '%s%s -> %s%s" time="0"' % (head, names[source[i]], names[destination[i]], suffix[flow[i]])
            if not outcome[i]:
                out.append(case + " />")
                continue
            r = results[i]
            if outcome[i] == 2:
                inner = '<skipped message="%s" />' % _xml("not run: %s (%s)" % (
                    r.get("reason") or "", ", ".join(r.get("down") or [])))
            else:
                inner = '<failure type="mismatch" message="%s">%s</failure>' % (
                    _xml("expected %s, got %s" % (r["expect"], r["display"])), _xml(r.get("line") or describe(r)))
            detail = _detail(r)
            out.append('%s>\n      %s\n      <system-out>%s</system-out>\n    </testcase>' % (
                case, inner, _xml("%s. Expected %s, found %s%s." % (
                    r["why"], r["expect"], r["display"], (" (%s)" % detail) if detail else ""))))
        out.append("  </testsuite>")
    out.append("</testsuites>")
    return "\n".join(out) + "\n"


# --- HTML --------------------------------------------------------------------

_JINJA = {}


def _asset(name):
    if name not in _JINJA:
        with open(os.path.join(TEMPLATES, name), "rb") as handle:
            _JINJA[name] = handle.read().decode("utf-8")
    return _JINJA[name]


def _environment():
    """Jinja2 with autoescaping: every value is escaped, data for the script goes through ``tojson``."""
    if "env" not in _JINJA:
        import jinja2  # pylint: disable=import-outside-toplevel
        env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True,
                                 undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                                 keep_trailing_newline=True)
        env.policies["json.dumps_kwargs"] = {"sort_keys": True, "separators": (",", ":")}
        _JINJA["env"] = env
    return _JINJA["env"]


def _csp_hash(text):
    import base64  # pylint: disable=import-outside-toplevel
    return "'sha256-%s'" % base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")


MARK = {0: u"\u2713", 1: u"\u2717", 2: u"\u2013"}  # met, not met, not run


def _state_class(display):
    """The CSS class of a state: only ours; a state a source made up is ``unknown``."""
    return display if display in STATE_LABEL else "unknown"


def _label(display):
    return clean_text(STATE_LABEL.get(display, display))


def _badge(r, outcome, text=None):
    cls = "b s-%s%s%s" % (_state_class(r["display"]), " denied" if r["kind"] == "denied" else "",
                          " down" if outcome == 2 else ("" if outcome == 0 else " bad"))
    return {"cls": cls, "text": text if text is not None else "%s %s" % (_label(r["display"]), MARK[outcome])}


@_gc_paused
def render_html(rep, groups=None, matrix_max=MATRIX_MAX_HOSTS, tables=None):
    """One self-contained page (templates/webroot-verify.html.j2, Jinja2 with autoescaping).

    The verdict and every failure first; then the checks aggregated per source and
    destination group, component, found state and outcome, with a filter by host,
    group, component and outcome (a script over the checks embedded as JSON, which
    works from the file alone); the host x host matrix for small estates only; every
    host with its counts. Its size is linear in the number of checks, a few bytes each.
    """
    from markupsafe import Markup  # pylint: disable=import-outside-toplevel
    t = tables or _Tables(rep, groups)
    s = rep["summary"]
    not_run = s.get("not_run", 0)
    checked = s["total"] - not_run
    flows_word = "checked flows" if not_run else "flows"
    if s["failed"]:
        verdict = ("fail", "FAIL: %d of %d %s not as expected" % (s["failed"], checked, flows_word))
    elif s.get("verdict") == "fail":  # verify_fail_on_down
        verdict = ("fail", "FAIL: %d flows not run" % not_run)
    else:
        verdict = ("pass", "PASS: all %d %s as expected" % (checked, flows_word))
    down_hosts = [clean_text(h) for h in s.get("down_hosts") or []]
    down_badge = "%d not run: %s (%s)" % (not_run, HOST_DOWN, _host_list(down_hosts)) if not_run else None

    sampling = rep.get("sampling")
    sampling_ctx = None
    if sampling:
        basis = ", ".join("%s %d" % (k, v) for k, v in sorted((sampling.get("basis") or {}).items()))
        if sampling.get("sample"):
            how = ("per rule and per managed group it leaves out, %d host(s) picked deterministically"
                   % sampling["sample"])
        else:
            how = "all of them (verify_denied_sample: 0)"
        if sampling.get("denied_hosts"):
            how += "; always: %s" % ", ".join(sampling["denied_hosts"])
        sampling_ctx = {
            "checked": "{:,} checked of {:,} possible".format(sampling.get("denied_checked", 0),
                                                              sampling.get("denied_possible", 0)),
            "how": clean_text(how), "basis": clean_text(basis or "none"),
            "max": sampling.get("max_per_source", 0),
            "max_host": clean_text(sampling.get("max_per_source_host") or "-")}

    names = t.names
    hosts = t.hosts
    group_index = dict((g, i) for i, g in enumerate(t.groups))
    host_group = [group_index.get(h[1] if h[1] is not None else "ungrouped", 0) if t.groups else 0 for h in hosts]
    # What the page shows of a flow: component, port, kind, expected (several flows of
    # the JSON may differ only by basis, listener or TLS).
    view = sorted(set((f[0], f[1], f[2], f[3]) for f in t.flows))
    view_index = dict((v, i) for i, v in enumerate(view))
    flow_view = [view_index[(f[0], f[1], f[2], f[3])] for f in t.flows]

    # Column by column (a hundred thousand checks): the page's data, per host counts,
    # the aggregate, the failures.
    results = t.results
    column_view = [flow_view[f] for f in t.flow]
    outcome_of = t.outcome
    not_ok = [i for i, o in enumerate(outcome_of) if o]
    errors = {}
    column_error = [-1] * len(results)
    for i in not_ok:
        detail = _detail(results[i])
        if detail is not None:
            e = errors.get(detail)
            if e is None:
                e = errors[detail] = len(errors)
            column_error[i] = e
    data_checks = list(itertools.chain.from_iterable(zip(
        t.source, t.destination, column_view, t.state, outcome_of, column_error)))
    count_from = collections.Counter(t.source)
    count_to = collections.Counter(t.destination)
    per_host = [[count_from.get(i, 0), count_to.get(i, 0), 0, 0] for i in range(len(names))]
    for i in not_ok:
        s_i, d_i, outcome = t.source[i], t.destination[i], outcome_of[i]
        per_host[s_i][1 + outcome] += 1
        if d_i != s_i:
            per_host[d_i][1 + outcome] += 1
    aggregate = collections.Counter(zip([host_group[h] for h in t.source], [host_group[h] for h in t.destination],
                                        column_view, t.state, outcome_of))
    failures = [results[i] for i in not_ok if outcome_of[i] == 1]

    state_labels = [(_state_class(st), _label(st)) for st in t.states]
    agg_rows = []
    for key in sorted(aggregate):
        sg, dg, v, st, outcome = key
        component, port, kind, expect = view[v][1], view[v][0], view[v][2], view[v][3]
        agg_rows.append({
            "from": clean_text(t.groups[sg]) if t.groups else "", "to": clean_text(t.groups[dg]) if t.groups else "",
            "port": port, "component": clean_text(component), "kind": clean_text(kind),
            "expect": clean_text(expect),
            "badge": {"cls": "b s-%s%s%s" % (state_labels[st][0], " denied" if kind == "denied" else "",
                                             " down" if outcome == 2 else ("" if outcome == 0 else " bad")),
                      "text": "%s %s" % (state_labels[st][1], MARK[outcome])},
            "outcome": OUTCOMES[outcome][1], "bad": outcome == 1, "count": aggregate[key]})

    fail_rows = []
    for r in failures[:HTML_FAILURES_MAX]:
        fail_rows.append({
            "source": clean_text(r["source"]), "destination": clean_text(r["destination"]),
            "host": clean_text(r.get("host")), "port": "%s/%s" % (r["port"], clean_text(r.get("protocol"))),
            "component": clean_text(r["component"]), "kind": clean_text(r["kind"]),
            "expect": clean_text(r["expect"]), "badge": _badge(r, 1), "detail": clean_text(_detail(r)),
            "why": clean_text(r.get("why"))})

    down_set = set(s.get("down_hosts") or [])
    down_rows = []
    for h in s.get("down_hosts") or []:
        i = t.index.get(h)
        down_rows.append({"name": clean_text(h), "group": clean_text(hosts[i][1]) if i is not None else "",
                          "address": clean_text(hosts[i][2]) if i is not None else "",
                          "from": 0 if i is None else per_host[i][0], "to": 0 if i is None else per_host[i][1]})

    host_rows = []
    for i in sorted(range(len(names)), key=lambda i: (not per_host[i][2], names[i] not in down_set, names[i])):
        host_rows.append({
            "i": i, "name": clean_text(names[i]), "href": "#host=" + _quote(clean_text(names[i])),
            "group": clean_text(hosts[i][1]), "address": clean_text(hosts[i][2]),
            "from": per_host[i][0], "to": per_host[i][1], "failed": per_host[i][2], "not_run": per_host[i][3],
            "cls": "bad" if per_host[i][2] else ("down" if names[i] in down_set else "")})

    matrix = None
    if len(names) <= matrix_max:
        order = list(rep.get("destinations") or names)
        cells = {}
        for r, outcome in zip(t.results, t.outcome):
            cells.setdefault((r["source"], r["destination"]), []).append((r, outcome))
        matrix = {"columns": [clean_text(h) for h in order], "rows": []}
        for src in rep.get("sources") or sorted(set(r["source"] for r in rep["results"])):
            row = []
            for dst in order:
                badges = []
                for r, outcome in sorted(cells.get((src, dst), []), key=lambda x: (x[0]["port"], x[0]["component"])):
                    text = "%s %s: %s %s" % (r["port"], clean_text(r["component"]), _label(r["display"]),
                                             u"\u2013 %s" % HOST_DOWN if outcome == 2 else
                                             MARK[0] if outcome == 0 else u"%s expected %s" % (
                                                 MARK[1], clean_text(r["expect"])))
                    badge = _badge(r, outcome, text)
                    badge["title"] = clean_text(r.get("line") or describe(r))
                    badges.append(badge)
                row.append({"self": src == dst, "badges": badges})
            matrix["rows"].append({"name": clean_text(src), "cells": row})

    legend = [{"key": key, "label": label, "text": text, "count": s["states"].get(key, 0)}
              for key, label, text in STATE_TEXT]
    unknown = [{"key": clean_text(k), "count": s["states"][k]} for k in sorted(s["states"]) if k not in STATE_LABEL]

    data = {
        "hosts": [[clean_text(h[0]), host_group[i], clean_text(h[2])] for i, h in enumerate(hosts)],
        "groups": [clean_text(g) for g in t.groups],
        "flows": [[clean_text(v[1]), v[0], clean_text(v[2]), clean_text(v[3])] for v in view],
        "states": [[cls, label] for cls, label in state_labels],
        "outcomes": [label for _k, label in OUTCOMES],
        "marks": [MARK[0], MARK[1], MARK[2]],
        "errors": [clean_text(e) for e in sorted(errors, key=errors.get)],
        "width": 6,
        "checks": data_checks,
    }
    # In a CDATA section for XML parsers; HTML reads the two marker lines as comments.
    script = u"//<![CDATA[\n%s//]]>" % _asset("webroot-verify.js")
    style = _asset("webroot-verify.css")
    if "]]>" in script[:-5] or "</" in script or "</" in style:
        raise FlowError("the report script or style may not contain ]]> or </")
    csp = ("default-src 'none'; script-src %s; style-src %s; img-src 'none'; base-uri 'none'; form-action 'none'"
           % (_csp_hash(script), _csp_hash(style)))
    ports_of = {}
    for v in view:
        ports_of.setdefault(clean_text(v[1]), set()).add(v[0])
    components = [(c, "%s %s" % (", ".join(str(p) for p in sorted(ports_of[c])), c))
                  for c in sorted(ports_of, key=lambda c: (min(ports_of[c]), c))]
    return _environment().get_template("webroot-verify.html.j2").render(
        title="Webroot Enterprise flows: %d/%d as expected" % (s["ok"], s["total"]),
        csp=csp, style=Markup(style), script=Markup(script), verdict=verdict, down_badge=down_badge,
        counts="{:,} allowed flows (must connect), {:,} denied flows (must be blocked), between {:,} hosts.".format(
            s["allowed"], s["denied"], len(names)),
        sampling=sampling_ctx, failures=fail_rows, failures_total=len(failures), not_run=not_run,
        down_rows=down_rows, groups=[clean_text(g) for g in t.groups], components=components,
        outcomes=[label for _k, label in OUTCOMES], aggregate=agg_rows, total=s["total"],
        matrix=matrix, matrix_max=matrix_max, hosts=host_rows, legend=legend, unknown_states=unknown,
        ports=[{"port": c["port"], "component": clean_text(c["component"]), "title": clean_text(c["title"])}
               for c in rep["components"]],
        data=data)


def _quote(text):
    try:
        from urllib.parse import quote  # pylint: disable=import-outside-toplevel
    except ImportError:  # pragma: no cover
        from urllib import quote  # pylint: disable=import-outside-toplevel
    return quote(text.encode("utf-8"), safe="")


@_gc_paused
def render_reports(rep, groups=None, matrix_max=MATRIX_MAX_HOSTS):
    """``{file name: text}`` of the three reports."""
    tables = _Tables(rep, groups)
    return {
        "webroot-verify.json": render_json(rep, groups=groups, tables=tables),
        "webroot-verify.junit.xml": render_junit(rep, tables=tables),
        "webroot-verify.html": render_html(rep, groups=groups, matrix_max=matrix_max, tables=tables),
    }

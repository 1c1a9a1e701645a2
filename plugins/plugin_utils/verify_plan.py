# -*- coding: utf-8 -*-
# Copyright: (c) 2026, webroot.enterprise contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Turns the catalog and the plan the roles published into the reachability checks of
the verify role.

Pure functions over plain data, used by the filter plugins in plugins/filter/verify.py,
by benchmarks/verify_scale.py and by the tests. Nothing here talks to a host. The
results are judged in verify_judge.py, the reports rendered in verify_render.py;
what they share is in verify_common.py.

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
import operator

from ansible_collections.webroot.enterprise.plugins.plugin_utils import rules as rules_lib
from ansible_collections.webroot.enterprise.plugins.plugin_utils.settings import (
    SettingError,
    boolean,
    component_settings,
    role_variables,
)
from ansible_collections.webroot.enterprise.plugins.plugin_utils.verify_common import (
    MANAGED_GROUPS,
    FlowError,
    _gc_paused,
    _hv,
)

PLAN_VARS = ("webroot_plan", "webroot_plan_found")
BASIS = {"webroot_plan": "plan", "webroot_plan_found": "firewall"}
DEFAULT_DENIED_SAMPLE = 3


def _members(groups, names):
    out = set()
    for name in names:
        out.update(groups.get(name) or [])
    return sorted(out)


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
        port = rules_lib.component(role)["port"] if cfg["port"] in ("", None) else rules_lib.check_port(cfg["port"], names["port"])
        peers = rules_lib.check_cidrs(cfg["peers"], names["peers"])
    except rules_lib.RuleError as exc:
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
        cidr = rules_lib.host_address(host, hostvars)
    except rules_lib.RuleError as exc:
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
                port = rules_lib.check_port(port, where + ".rules[].port")
            except rules_lib.RuleError as exc:
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

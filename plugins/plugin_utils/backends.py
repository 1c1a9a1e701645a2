# -*- coding: utf-8 -*-
# Copyright: (c) 2026, webroot.enterprise contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What every backend shares: what of one read is ours (have), what a plan needs
(want), and what differs between them.

Pure functions over plain data, used by the backend units (plugins/plugin_utils/
fw_iptables.py, fw_ufw.py, fw_firewalld.py, fw_windows.py: each turns one
component's want and have into the ready list of module calls, its commands), the
action plugins (controller side) and the unit tests. Nothing here talks to a host.

How a plan rule becomes native objects, so that the work per host does not grow
with the number of peers:

- iptables: one ipset of ours per component and IP family (``webroot-<component>-v4``
  / ``-v6``, type hash:net) holding the peers, matched by one ACCEPT rule
  (``-m set --match-set``) that carries our comment; ``any_peer`` is one rule
  without a set.
- firewalld: the same ipsets as firewalld ipsets, each named by one rich rule
  ``rule family=... source ipset=... service name="webroot-<component>" accept``;
  ``any_peer`` is our service in the zone.
- ufw has no sets: one rule per (aggregated) peer, inserted ahead of the others.
- Windows: one rule per 1,000 remote addresses (Windows 10 / Server 2016-2019
  refuse more in one rule), named ``<name>``, ``<name> #2``, ``<name> #3``...

What is ours (docs/safety.md): an object is ours only when it has exactly the
shape the collection writes: on iptables and ufw an ACCEPT / allow rule whose
comment is the exact marker of its component, port, protocol and direction, on
the chain of that direction and that port (never a management port); on firewalld
the exact accept rich rule or our service in a zone; on Windows an Allow rule of
group "Webroot Enterprise" whose name starts with the component's prefix.
Anything else, a deny rule that names our service included, is foreign: kept,
and a change that would break it (removing a service or set it names, a name
Windows would match) is refused.

``ours`` turns the one structured read (module firewall_info; Windows: the read
script's object) into the objects of ours, keyed by component (have); ``want_*``
give the objects a plan needs (want); ``ops`` compares one component's want with
its have on a Linux firewall and returns what to add and remove, ``remember`` the
have once that is done (after). Windows compares through fw_windows.py and
winfw.py; ``hold_peers`` (nothing removed for hosts unknown this run) and
``found_plan`` (a read in the shape of a plan, for reports and verify) serve all four.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import ipaddress
import re

from ansible_collections.webroot.enterprise.plugins.plugin_utils import rules as rules_lib
from ansible_collections.webroot.enterprise.plugins.plugin_utils.catalog import (
    TABLE_11,
    WINDOWS_GROUP,
)

COMPONENTS = tuple(row["component"] for row in TABLE_11)
FAMILIES = (("ipv4", 4), ("ipv6", 6))
# Windows Firewall refuses a rule with more than 1,000 remote addresses on Windows 10
# and Server 2016-2019 (newer builds allow more); see docs/windows.md.
WINDOWS_MAX_ADDRESSES = 1000
CHAINS = {"in": "INPUT", "out": "OUTPUT"}


class ForeignConflict(rules_lib.RuleError):
    """A change of ours would touch or break an object that is not ours."""


def set_name(component, family):
    """Our ipset for one component and family, e.g. 'webroot-client-service-v4' (<= 31 chars)."""
    return "webroot-%s-v%s" % (component.replace("_", "-"), "6" if family == "ipv6" else "4")


def _family(cidr):
    return "ipv6" if ":" in cidr else "ipv4"


def _net(text):
    """A CIDR in canonical form ('198.18.10.31' -> '198.18.10.31/32'); None for 'any'."""
    text = (text or "").strip()
    if text.lower() in ("", "any", "0.0.0.0/0", "::/0", "*", "anywhere"):
        return None
    if "/" in text:
        addr, mask = text.split("/", 1)
        if "." in mask:  # Windows writes 198.18.10.0/255.255.255.0
            return str(ipaddress.ip_network(u"%s/%s" % (addr, mask), strict=False))
    return str(ipaddress.ip_network(u"%s" % text, strict=False))


def _marker_of(component, port, protocol, direction):
    return rules_lib.marker(component, port, protocol, direction)


def _exact_component(comment, port, protocol, direction):
    """The component whose exact marker ``comment`` is for this port, protocol and
    direction; None when it is not exactly ours."""
    for comp in COMPONENTS:
        if comment == _marker_of(comp, port, protocol, direction):
            return comp
    return None


def _empty():
    return dict((c, {"rules": [], "sets": {}}) for c in COMPONENTS)


def ours(backend, read, management_ports=(22,)):
    """The objects of ours in one structured read, keyed by component.

    Also ``_foreign_refs``: the names of our services and sets that a foreign
    object uses (never removed), and for firewalld ``_default_zone``.
    """
    return _OURS[backend](read or {}, tuple(int(p) for p in management_ports))


# --- iptables -------------------------------------------------------------

def _ours_iptables(read, mgmt):
    found = _empty()
    tables = read.get("iptables") or {}
    refs = set()
    for fam in ("ipv4", "ipv6"):
        for r in tables.get(fam) or []:
            rule = _ipt_rule(r, fam, mgmt)
            if rule:
                found[rule["component"]]["rules"].append(rule)
            elif r.get("match_set"):
                refs.add(r["match_set"])
    for name, s in sorted((read.get("ipsets") or {}).items()):
        comp = _set_component(name)
        if comp is None or (s.get("type") or "hash:net") != "hash:net":
            continue
        found[comp]["sets"][name] = {"family": s.get("family") or "ipv4",
                                     "entries": rules_lib.aggregate([_net(e) for e in s.get("entries") or [] if _net(e)])}
        if s.get("nomatch"):
            found[comp].setdefault("nomatch", {})[name] = sorted(set(_net(e) for e in s["nomatch"] if _net(e)))
    found["_foreign_refs"] = sorted(n for n in refs if _set_component(n))
    found["_boot"] = dict(read.get("boot") or {})
    found["_denies"] = dict(tables.get("denies") or {})
    return found


def _ipt_rule(r, family, mgmt):
    """One iptables rule of ours, or None (foreign)."""
    direction = {"INPUT": "in", "OUTPUT": "out"}.get(r.get("chain"))
    port, proto = r.get("dport"), r.get("protocol") or ""
    if direction is None or r.get("jump") != "ACCEPT" or port is None:
        return None
    if r.get("extra") or r.get("destination" if direction == "in" else "source"):
        return None   # a match we never write (an interface, a state...): it admits less, or other traffic
    comp = _exact_component(r.get("comment"), port, proto, direction)
    if comp is None or (direction == "in" and int(port) in mgmt):
        return None
    peer = r.get("source") if direction == "in" else r.get("destination")
    if peer and str(peer).startswith("!"):
        return None   # a negated address: we never write one
    flag = "src" if direction == "in" else "dst"
    if r.get("match_set") and (peer or r.get("match_set_flags") != flag or _set_component(r["match_set"]) != comp):
        return None
    return {"component": comp, "family": family, "chain": r["chain"], "direction": direction,
            "protocol": proto, "port": int(port), "match_set": r.get("match_set"),
            "peer": _net(peer), "comment": r["comment"], "index": r.get("index")}


def _deny_applies(deny, rule):
    """True when an admin's rule that may drop a peer (fwread.iptables_order) could
    match a packet of ``rule`` (ours): same protocol or any, our port among its."""
    if deny.get("protocol") not in (None, rule["protocol"]):
        return False
    ports = deny.get("ports")
    return ports is None or any(low <= int(rule["port"]) <= high for low, high in ports)


def peer_denies(found, rule):
    """The admin's rules in the chain of ``rule`` (ours) that may drop one peer's
    packet of it, from the read (``found["_denies"]``), in chain order."""
    chain = ((found.get("_denies") or {}).get(rule["family"]) or {}).get(rule["chain"]) or []
    return [d for d in chain if _deny_applies(d, rule)]


def insert_position(found, rule):
    """Where ``rule`` (ours) goes in its chain, as iptables -I counts (1 is the top):
    right after the last rule of the admin's that may drop a peer's packet of it (a
    DROP/REJECT naming an address or a set, a jump to a chain holding one such as
    fail2ban's), else the top. ``found`` must be read after the last change."""
    denies = peer_denies(found, rule)
    return max(d["index"] for d in denies) + 1 if denies else 1


def _moves(out, backend, part, want_keys, denies_of):
    """Our rules that sit ahead of an admin's rule that may deny one of their peers
    (an older version put them at the top, or the admin's rule came later): moved
    after it (``out["move"]``), so that the admin's deny applies to our port. Rules
    carry their position (``index``: iptables' chain order, ufw's rule number);
    ``denies_of(rule)`` gives the admin's rules that may deny its peers, in order
    (``peer_denies`` on iptables, ``ufw_peer_denies`` on ufw)."""
    key = _KEY[backend]
    moves = []
    for r in part.get("rules", []):
        later = [d for d in denies_of(r) if r.get("index") and d["index"] > r["index"]]
        if later and key(r) in want_keys:
            moves.append(r)
            out["diff"]["before"].append("%s: ahead of '%s'" % (describe(backend, r), later[-1]["line"]))
            out["diff"]["after"].append("%s: after '%s'" % (describe(backend, r), later[-1]["line"]))
    out["move"] = moves
    if moves:
        out["changed"] = True


def _ipt_keep_nomatch(want, part):
    """``want`` without the set entries the admin made exceptions of (``nomatch``
    entries of our set: the address_set module never adds over them, which would
    clear the flag and admit what the admin excluded)."""
    holes = part.get("nomatch") or {}
    if not holes:
        return want
    sets = dict((n, dict(s, entries=[e for e in s["entries"] if e not in holes.get(n, [])]))
                for n, s in want["sets"].items())
    return dict(want, sets=sets)


def _set_component(name):
    for comp in COMPONENTS:
        if name in (set_name(comp, "ipv4"), set_name(comp, "ipv6")):
            return comp
    return None


def want_iptables(plan):
    """The ipsets and rules ``plan`` (one component's) needs on an iptables host."""
    rules, sets = [], {}
    for rule in plan.get("rules", []):
        base = {"component": plan["component"], "chain": CHAINS[rule["direction"]],
                "direction": rule["direction"], "protocol": rule["protocol"], "port": int(rule["port"]),
                "peer": None, "comment": rule["comment"]}
        if rule["any_peer"]:
            rules.append(dict(base, family="ipv4", match_set=None))
            continue
        for fam, name, entries in _family_sets(plan["component"], rule["peers"]):
            sets[name] = {"family": fam, "entries": entries}
            rules.append(dict(base, family=fam, match_set=name))
    return {"rules": rules, "sets": sets}


def _family_sets(component, peers):
    """(family, set name, entries) for each IP family that has peers."""
    for fam, _v in FAMILIES:
        entries = [p for p in peers if _family(p) == fam]
        if entries:
            yield fam, set_name(component, fam), entries


def _rule_key(rule):
    return (rule["family"], rule["chain"], rule["protocol"], int(rule["port"]),
            rule.get("match_set"), rule.get("peer"), rule["comment"])


def _set_ops(want_sets, have_sets):
    present = [dict(name=n, **s) for n, s in sorted(want_sets.items())
               if have_sets.get(n) != s]
    absent = [dict(name=n, **s) for n, s in sorted(have_sets.items()) if n not in want_sets]
    return present, absent


def ops(backend, plan, found, zone=None):
    """What to change for one component: {add, remove, sets, sets_absent, changed, want, diff}.

    ``found`` is the component's part of ``ours(...)`` (firewalld: with the other
    components' parts, for the default zone and foreign references). ``want`` is
    what the component's part looks like once the changes are made, so a later
    role in the same run can trust the one read without reading again. Raises
    ForeignConflict when a change would remove a set or service a foreign rule uses.
    """
    part = found.get(plan["component"]) if "rules" not in found else found
    part = part or {"rules": [], "sets": {}}
    if backend == "firewalld":
        part, found = _fwd_elsewhere(plan, part, found, zone)
    plan, kept = hold_peers(backend, plan, {plan["component"]: part})
    want = _WANT[backend](plan, zone) if backend == "firewalld" else _WANT[backend](plan)
    if backend == "iptables":
        want = _ipt_keep_nomatch(want, part)
    key = _KEY[backend]
    have_keys = set(key(r) for r in part.get("rules", []))
    want_keys = set(key(r) for r in want["rules"])
    add = [r for r in want["rules"] if key(r) not in have_keys]
    remove = [r for r in part.get("rules", []) if key(r) not in want_keys]
    sets, sets_absent = _set_ops(want.get("sets", {}), part.get("sets", {}))
    out = {"add": add, "remove": remove, "sets": sets, "sets_absent": sets_absent, "want": want,
           "service_ports": ["%s/%s" % (plan["port"], plan["protocol"])], "kept": kept}
    if backend == "firewalld":
        out.update(_fwd_extra(plan, part, want))
    refs = set(found.get("_foreign_refs") or [])
    blocked = sorted(refs & (set(s["name"] for s in sets_absent)
                             | (set([rules_lib.service_name(plan["component"])]) if out.get("service_remove") else set())))
    if blocked:
        raise ForeignConflict(
            "%s: a rule that is not ours (not the exact accept rule webroot.enterprise writes: a deny, "
            "a log or an edited rule) uses %s, which removing this component would delete. It was "
            "kept, and nothing was changed on this host. Remove or change that rule first, or keep "
            "the component present." % (plan["component"], ", ".join(blocked)))
    if backend == "firewalld":
        # A new service or ipset reaches the running firewalld only through a reload
        # (module firewalld_reload: it puts back what the runtime held, a fail2ban ban,
        # a port opened by hand, an interface bound by podman). Also when an earlier run
        # created one and stopped before its reload: the runtime does not have it yet.
        runtime = part.get("runtime_sets") or {}
        out["reload"] = bool(out.get("service_define") or out.get("service_reload")
                             or [s for s in want.get("sets", {}) if s not in runtime])
        pending = found.get("_pending") or []
        if out["reload"] and pending:
            raise ForeignConflict(
                "%s: firewalld must be reloaded to load a new service or ipset of ours, and the reload "
                "would also load what firewalld holds in its permanent configuration only and cannot be "
                "taken out of the runtime again: %s. Nothing was changed on this host. Load it yourself "
                "when it is ready (firewall-cmd --reload) or delete it from the permanent configuration, "
                "then run again." % (plan["component"], "; ".join(pending)))
    out["changed"] = bool(add or remove or sets or sets_absent or out.get("service_define")
                          or out.get("service_remove") or out.get("sets_runtime") or out.get("reload"))
    out["diff"] = {"before": _describe_all(backend, part), "after": _describe_all(backend, want)}
    if backend == "iptables":
        _moves(out, "iptables", part, want_keys, lambda r: peer_denies(found, r))
    if backend == "ufw":
        _moves(out, "ufw", part, want_keys, lambda r: ufw_peer_denies(found, r))
    if backend == "firewalld":
        service = rules_lib.service_name(plan["component"])
        if part.get("service_ports") is not None:
            out["diff"]["before"] = sorted(out["diff"]["before"] + ["service %s: %s" % (
                service, " ".join(part["service_ports"]))])
        if want["rules"]:
            out["diff"]["after"] = sorted(out["diff"]["after"] + ["service %s: %s" % (
                service, " ".join(out["service_ports"]))])
    return out


def describe(backend, rule):
    """One of our native rules as one line, for --diff."""
    if backend == "firewalld":
        text = rule["rich_rule"] or "service %s in the zone (any source)" % rule["service"]
        return "zone %s: %s" % (rule.get("zone"), text) if rule.get("zone") else text
    peer = rule.get("match_set") and "set " + rule["match_set"] or rule.get("peer") or "any"
    where = "from" if rule["direction"] == "in" else "to"
    if backend == "iptables":
        return "%s %s %s/%s %s %s" % (rule["family"], rule["chain"], rule["port"], rule["protocol"], where, peer)
    return "allow %s %s/%s %s %s" % (rule["direction"], rule["port"], rule["protocol"], where, peer)


def _describe_all(backend, part):
    lines = [describe(backend, r) for r in part.get("rules", [])]
    for name, s in sorted(part.get("sets", {}).items()):
        lines += ["%s: %s" % (name, e) for e in s["entries"]]
    return sorted(lines)


# --- firewalld ------------------------------------------------------------

def rich_rule(family, ipset, service):
    return 'rule family="%s" source ipset="%s" service name="%s" accept' % (family, ipset, service)


_RICH_NAMES = re.compile(r'(?:ipset|service name)="([^"]*)"')


def _ours_firewalld(read, mgmt):
    fwd = read.get("firewalld") or {}
    found = _empty()
    exact = {}
    for comp in COMPONENTS:
        for fam, _v in FAMILIES:
            exact[rich_rule(fam, set_name(comp, fam), rules_lib.service_name(comp))] = (comp, fam)
    refs = set()
    for zone, both in sorted((fwd.get("zones") or {}).items()):
        perm = (both or {}).get("permanent") or {}
        for text in perm.get("rich_rules") or []:
            hit = exact.get(text.strip())
            if hit is None:
                refs.update(n for n in _RICH_NAMES.findall(text) if n.startswith("webroot-"))
                continue
            comp, fam = hit
            found[comp]["rules"].append({"component": comp, "zone": zone, "family": fam,
                                         "ipset": set_name(comp, fam), "service": rules_lib.service_name(comp),
                                         "rich_rule": text.strip()})
        for service in perm.get("services") or []:
            comp = _service_component(service)
            if comp:
                found[comp]["rules"].append({"component": comp, "zone": zone, "family": None, "ipset": None,
                                             "service": service, "rich_rule": None})
    for where in ("policies", "runtime_policies"):
        # A policy that uses our service or sets is the admin's: kept, and it keeps them.
        for _name, pol in sorted((fwd.get(where) or {}).items()):
            refs.update(n for n in pol.get("services") or [] if _service_component(n))
            for text in pol.get("rich_rules") or []:
                refs.update(n for n in _RICH_NAMES.findall(text) if n.startswith("webroot-"))
    for comp in COMPONENTS:
        found[comp]["service_ports"] = None
        found[comp]["runtime_sets"] = {}
        if "runtime_services" in fwd:
            found[comp]["runtime_service_ports"] = None
    for key, where in (("services", "service_ports"), ("runtime_services", "runtime_service_ports")):
        for name, svc in (fwd.get(key) or {}).items():
            comp = _service_component(name)
            if comp:
                found[comp][where] = sorted(svc.get("ports") or [])
    for where, key in (("sets", "ipsets"), ("runtime_sets", "runtime_ipsets")):
        for name, s in (fwd.get(key) or {}).items():
            comp = _set_component(name)
            if comp is None:
                continue
            found[comp][where][name] = {"family": "ipv6" if name.endswith("-v6") else "ipv4",
                                        "entries": rules_lib.aggregate([_net(e) for e in s.get("entries") or [] if _net(e)])}
    found["_foreign_refs"] = sorted(refs)
    found["_default_zone"] = fwd.get("default_zone")
    found["_drift"] = list(fwd.get("drift") or [])
    found["_pending"] = list(fwd.get("pending") or [])
    return found


def _service_component(name):
    for comp in COMPONENTS:
        if name == rules_lib.service_name(comp):
            return comp
    return None


def want_firewalld(plan, zone=None):
    rules, sets = [], {}
    service = rules_lib.service_name(plan["component"])
    for rule in plan.get("rules", []):
        if rule["direction"] != "in":
            continue  # zones do not filter outbound traffic
        if rule["any_peer"]:
            rules.append({"component": plan["component"], "zone": zone, "family": None, "ipset": None,
                          "service": service, "rich_rule": None})
            continue
        for fam, name, entries in _family_sets(plan["component"], rule["peers"]):
            sets[name] = {"family": fam, "entries": entries}
            rules.append({"component": plan["component"], "zone": zone, "family": fam, "ipset": name,
                          "service": service, "rich_rule": rich_rule(fam, name, service)})
    return {"rules": rules, "sets": sets}


def _fwd_elsewhere(plan, part, found, zone):
    """Our service in a zone other than the component's is the admin's (we put the
    service in the component's zone only): it is kept, and it keeps the service
    defined, as a policy that uses it does. Returns (part, found) without it."""
    if not zone:
        return part, found
    elsewhere = [r for r in part.get("rules", []) if r.get("rich_rule") is None and r.get("zone") != zone]
    if not elsewhere:
        return part, found
    part = dict(part, rules=[r for r in part["rules"] if r not in elsewhere])
    refs = set(found.get("_foreign_refs") or []) | set(r["service"] for r in elsewhere)
    return part, dict(found, _foreign_refs=sorted(refs))


def _fwd_key(rule):
    return (rule.get("zone"), rule["family"], rule["ipset"], rule["service"])


def _fwd_extra(plan, found, want):
    inbound = [r for r in plan.get("rules", []) if r["direction"] == "in"]
    ports = ["%s/%s" % (plan["port"], plan["protocol"])]
    # A set is up to date only when its runtime entries match as well.
    runtime = found.get("runtime_sets", {})
    stale_runtime = [dict(name=n, **s) for n, s in sorted(want["sets"].items())
                     if runtime.get(n) != s and found.get("sets", {}).get(n) == s]
    # A service file of ours that the running firewalld has not loaded (a run stopped
    # between writing it and its reload, read without "runtime_services": unknown).
    runtime_ports = found.get("runtime_service_ports", ports)
    return {
        "service_define": bool(inbound) and found.get("service_ports") != ports,
        "service_reload": bool(inbound) and runtime_ports != ports,
        "service_remove": not inbound and found.get("service_ports") is not None,
        "sets_runtime": stale_runtime,
    }


# --- ufw ------------------------------------------------------------------

def _ours_ufw(read, mgmt):
    found = _empty()
    for r in read.get("ufw") or []:
        direction = r.get("direction") or "in"
        port, proto = r.get("port"), r.get("protocol") or ""
        if r.get("action") != "allow" or port is None:
            continue
        comp = _exact_component(r.get("comment"), port, proto, direction)
        if comp is None or (direction == "in" and int(port) in mgmt):
            continue
        if r.get("interface") or r.get("from_port") is not None or _net(r.get("to" if direction == "in" else "from")):
            continue   # a match we never write (an interface, a source port, a local address): not ours
        peer = _net(r.get("from") if direction == "in" else r.get("to"))
        found[comp]["rules"].append({"component": comp, "direction": direction, "protocol": proto,
                                     "port": int(port), "peer": peer,
                                     "family": _family(peer) if peer else "ipv4", "comment": r["comment"]})
    # Where ours stand in ``ufw status numbered`` (read only when the admin has a deny).
    index = dict(((a["direction"], a["comment"], _net(a["peer"])), a["index"]) for a in read.get("allows") or [])
    for comp in COMPONENTS:
        for r in found[comp]["rules"]:
            if (r["direction"], r["comment"], r["peer"]) in index:
                r["index"] = index[(r["direction"], r["comment"], r["peer"])]
    found["_foreign_refs"] = []
    found["_denies"] = list(read.get("denies") or [])
    return found


def ufw_peer_denies(found, rule):
    """The admin's ufw rules that deny one peer and could match a packet of ``rule``
    (ours): same family and direction, same protocol or any, our port among theirs."""
    return [d for d in found.get("_denies") or []
            if d.get("family") == rule["family"] and d.get("direction") == rule["direction"]
            and _deny_applies(d, rule)]


def ufw_insert_position(found, rule):
    """The ufw rule number to insert ``rule`` (ours) at, after the last rule that
    denies one of its peers (``found`` read after the last change), or None: first
    of its family."""
    denies = ufw_peer_denies(found, rule)
    return max(d["index"] for d in denies) + 1 if denies else None


def want_ufw(plan):
    rules = []
    for rule in plan.get("rules", []):
        base = {"component": plan["component"], "direction": rule["direction"],
                "protocol": rule["protocol"], "port": int(rule["port"]), "comment": rule["comment"]}
        if rule["any_peer"]:
            rules.append(dict(base, peer=None, family="ipv4"))
        for peer in ([] if rule["any_peer"] else rule["peers"]):
            rules.append(dict(base, peer=peer, family=_family(peer)))
    return {"rules": rules, "sets": {}}


def _ufw_key(rule):
    return (rule["direction"], rule["protocol"], int(rule["port"]), rule["peer"], rule["comment"])


# --- Windows --------------------------------------------------------------

def _prefix(component):
    return ("%s - %s (" % (WINDOWS_GROUP, rules_lib.component(component)["title"])).lower()


def is_ours_windows(rule, component):
    """An Allow rule (COM Action 1) of our group whose name has the component's prefix,
    in the local store: a rule Group Policy supplies (marked by plugin_utils/winread.py)
    is never ours."""
    return (not rule.get("PolicyStore")
            and (rule.get("Grouping") or "").lower() == WINDOWS_GROUP.lower()
            and action_allow(rule.get("Action"))
            and (rule.get("Name") or "").lower().startswith(_prefix(component)))


def action_allow(value):
    return str(value).lower() in ("1", "allow")


def windows_rules(read):
    if isinstance(read, dict):
        return read.get("Rules") or read.get("rules") or []
    return read or []


def _remote_scope(value):
    """COM RemoteAddresses as Windows may hold them, never an error:
    (canonical CIDRs, what is not a list of addresses).

    ``'*'`` or empty: ([], ['*']) (any). An address in any notation (``a``, ``a/32``,
    ``a/255.255.255.0``, IPv6 with or without prefix) is its CIDR; a range ``a-b``
    (how COM may hold a bare IPv6 address, ``a-a``) is the CIDRs that cover exactly
    that range. A keyword (``LocalSubnet``, ``DNS``, ``Intranet``...) or anything
    that does not parse is kept as written in the second list: it admits addresses
    that are not a list of peers (wider than one, for a report).
    """
    if isinstance(value, (list, tuple)):
        value = ",".join(value)
    nets, wider = [], []
    items = [i.strip() for i in (value or "").split(",") if i.strip()]
    for item in items or ["*"]:
        if item.lower() in ("*", "any"):
            wider.append("*")
            continue
        if "/" not in item and "-" in item:
            first, last = item.split("-", 1)
            try:
                first, last = ipaddress.ip_address(u"%s" % first.strip()), ipaddress.ip_address(u"%s" % last.strip())
                nets.extend(str(n) for n in ipaddress.summarize_address_range(first, last))
            except (ValueError, TypeError):
                wider.append(item)
            continue
        try:
            net = _net(item)
        except ValueError:
            wider.append(item)
            continue
        if net:
            nets.append(net)
        else:
            wider.append("*")
    return nets, sorted(set(wider), key=lambda w: (w != "*", w.lower()))


def remote_networks(value):
    """COM RemoteAddresses as canonical CIDRs (the addresses it lists; keywords
    and '*' left out: :func:`_remote_scope`)."""
    return _remote_scope(value)[0]


def remote_text(value):
    """RemoteAddresses for a diff line: the CIDRs, then what is wider ('any' for '*')."""
    nets, wider = _remote_scope(value)
    if "*" in wider:
        return "any"
    return ",".join(nets + wider)


def _ours_windows(read, mgmt):
    found = _empty()
    for r in windows_rules(read):
        for comp in COMPONENTS:
            if is_ours_windows(r, comp):
                found[comp]["rules"].append(r)
    found["_foreign_refs"] = []
    return found


_OURS = {"iptables": _ours_iptables, "firewalld": _ours_firewalld, "ufw": _ours_ufw, "windows": _ours_windows}
_WANT = {"iptables": want_iptables, "firewalld": want_firewalld, "ufw": want_ufw}
_KEY = {"iptables": _rule_key, "firewalld": _fwd_key, "ufw": _ufw_key}


def remember(found, backend, component, result):
    """``found`` (from ``ours``) once ``result`` (``ops``) has been applied."""
    out = dict(found)
    after = dict(result["want"])
    if backend == "firewalld":
        inbound = bool(result["want"]["rules"])
        after["runtime_sets"] = dict(after["sets"])
        after["service_ports"] = result.get("service_ports") if inbound else None
        after["runtime_service_ports"] = after["service_ports"]
    out[component] = after
    return out


# --- hosts whose address is unknown this run: nothing removed -----------------

def hold_peers(backend, plan, found):
    """``plan`` with nothing removed from a scope whose hosts are not all known this
    run, and {direction: [CIDRs kept that the plan alone would remove]}.

    A rule whose ``unknown`` names hosts (rules.Transient: a DNS lookup that timed
    out, facts not gathered this run) keeps every peer the host's firewall admits now
    for that component and direction, beside the known ones it adds: an address that
    could not be learnt never removes the rule that admits it (docs/safety.md). On
    iptables and firewalld (sets, read back aggregated) the peers are aggregated
    together; on ufw and Windows (one rule or entry per peer) the kept peers stay
    exactly as they are, so nothing is rewritten. ``found`` is ``ours(...)`` (or
    ``{component: part}``)."""
    held = [r for r in plan.get("rules", []) if r.get("unknown") and not r.get("any_peer")]
    bounded = [r for r in plan.get("rules", []) if r.get("derived") and not r.get("unknown")
               and plan.get("max_removed_share") is not None]
    if not held and not bounded:
        return plan, {}
    have = {}
    if backend in ("windows", "ufw"):
        for r in (found.get(plan["component"]) or {}).get("rules", []):
            if backend == "windows":
                m = re.search(r"\(TCP \d+ (in|out)\)", r.get("Name") or "")
                have.setdefault(m.group(1) if m else "in", []).extend(remote_networks(r.get("RemoteAddresses")))
            elif r.get("peer"):
                have.setdefault(r["direction"], []).append(r["peer"])
    else:
        for r in (found_plan(backend, found).get(plan["component"]) or {}).get("rules", []):
            have.setdefault(r["direction"], []).extend(r["peers"])
    rules, kept = [], {}
    for rule in bounded:
        _bound_removals(plan, rule, have.get(rule["direction"], []))
    for rule in plan["rules"]:
        if rule.get("unknown") and not rule.get("any_peer"):
            wanted = [ipaddress.ip_network(p) for p in rule["peers"]]
            extra = [p for p in sorted(set(have.get(rule["direction"], [])), key=rules_lib._cidr_key)  # pylint: disable=protected-access
                     if not any(ipaddress.ip_network(p).version == w.version and ipaddress.ip_network(p).subnet_of(w)
                                for w in wanted)]
            if extra:
                kept[rule["direction"]] = extra
                if backend in ("iptables", "firewalld"):
                    peers = rules_lib.aggregate(rule["peers"] + extra)
                else:
                    peers = sorted(rule["peers"] + extra, key=rules_lib._cidr_key)  # pylint: disable=protected-access
                # What is kept never adds up to every address (the any-source opt-in only does).
                rules_lib.check_not_any(peers, "%s on this host (the addresses kept for hosts unknown this run)"
                                % plan["component"], "the role's any-source variable")
                rule = dict(rule, peers=peers)
        rules.append(rule)
    return dict(plan, rules=rules), kept


def _uncovered(have, peers):
    wanted = [ipaddress.ip_network(p) for p in peers]
    return [p for p in sorted(set(have), key=rules_lib._cidr_key)  # pylint: disable=protected-access
            if not any(ipaddress.ip_network(p).version == w.version and ipaddress.ip_network(p).subnet_of(w)
                       for w in wanted)]


def _bound_removals(plan, rule, have):
    """Refuse a run that would remove more of a scope derived from the inventory than
    ``webroot_max_removed_share`` allows (an inventory cut short by accident: an AD sync
    that stopped half-way, an AWX job slice, one site's inventory file)."""
    admitted = sorted(set(have))
    gone = [] if rule.get("any_peer") else _uncovered(admitted, rule["peers"])
    share = plan["max_removed_share"]
    allowed = rules_lib.removals_allowed(len(admitted), share)
    if len(gone) > allowed:
        raise rules_lib.RuleError(
            "%s %s %s/%s: this run would remove %d of the %d addresses or networks the rule admits from its "
            "scope (%s: %s%s), more than webroot_max_removed_share=%g%% allows at once (%d). An inventory can "
            "shrink by accident (an Active Directory sync cut short, an AWX job slice, one site's inventory), "
            "so nothing was changed on this host. If the removal is planned, run again with a higher "
            "webroot_max_removed_share (e.g. -e webroot_max_removed_share=100)." % (
                plan["component"], rule["direction"], rule["port"], rule["protocol"], len(gone), len(admitted),
                " / ".join(rule.get("peer_groups") or []), ", ".join(gone[:10]),
                " and %d more" % (len(gone) - 10) if len(gone) > 10 else "", share, allowed))


# --- what a host holds, in the shape of a plan (reports, verify) -------------

def found_plan(backend, found, zones=None):
    """{component: {component, state, port, protocol, rules: [{direction, port,
    protocol, any_peer, peers}]}} from ``ours(...)``: the shape of ``webroot_plan``.

    ``zones`` ({component: zone}) keeps, on firewalld, only the rules in the zone
    each component uses (empty: the default zone).
    """
    out = {}
    for row in TABLE_11:
        comp = row["component"]
        part = found.get(comp) or {"rules": [], "sets": {}}
        merged = {}
        for rule in part["rules"]:
            if backend == "windows":
                m = re.search(r"\(TCP (\d+) (in|out)\)", rule.get("Name") or "")
                direction = m.group(2) if m else "in"
                port = int(m.group(1)) if m else row["port"]
                peers, wider = _remote_scope(rule.get("RemoteAddresses"))
            else:
                wider = []
                if backend == "firewalld" and zones is not None:
                    zone = zones.get(comp) or found.get("_default_zone")
                    if rule.get("zone") != zone:
                        continue
                direction = rule.get("direction") or "in"
                port = int(rule.get("port") or row["port"])
                peers = []
                name = rule.get("match_set") or rule.get("ipset")
                if name:
                    peers = part["sets"].get(name, {}).get("entries", [])
                elif rule.get("peer"):
                    peers = [rule["peer"]]
            m = merged.setdefault((direction, port), {"direction": direction, "port": port,
                                                      "protocol": row["protocol"], "any_peer": False,
                                                      "peers": []})
            if not peers and not (rule.get("match_set") or rule.get("ipset")):
                m["any_peer"] = True
            if wider:
                # Windows: '*' or a keyword (LocalSubnet, Intranet...) admits more than a
                # list of peers: reported as any peer (so verify plans no denied check
                # through it), and a keyword is named in "wider".
                m["any_peer"] = True
                keywords = [w for w in wider if w != "*"]
                if keywords:
                    m["wider"] = sorted(set(m.get("wider", []) + keywords), key=lambda w: w.lower())
            m["peers"] = rules_lib.aggregate(m["peers"] + peers)
        if backend == "firewalld":
            for key in merged:
                merged[key]["port"] = int((part.get("service_ports") or ["%s/tcp" % key[1]])[0].split("/")[0])
        rules = [merged[k] for k in sorted(merged)]
        out[comp] = {"component": comp, "state": "present" if rules else "absent",
                     "port": rules[0]["port"] if rules else row["port"],
                     "protocol": row["protocol"], "rules": rules}
    return out

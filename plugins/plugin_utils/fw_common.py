# -*- coding: utf-8 -*-
# Copyright: (c) 2026, webroot.enterprise contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the firewall backends share: the bottom of fw_iptables.py, fw_ufw.py,
fw_firewalld.py and fw_windows.py (each imports this file, this file imports none of
them; backends.py, above them all, picks one by its name).

Pure functions over plain data. Nothing here talks to a host.

What is ours (docs/safety.md): an object is ours only when it has exactly the shape
the collection writes (each unit's docstring says which shape on its firewall).
Anything else, a deny rule that names our service included, is foreign: kept, and a
change that would break it (removing a service or set it names, a name Windows would
match) is refused (:class:`ForeignConflict`).

Here: the names of our sets, the canonical form of an address, the parts of a read
(have) keyed by component (:func:`empty`), the difference of one component's want
and have on a Linux firewall (:func:`part_of`, :func:`difference`, :func:`settle`,
:func:`moves`; each unit's ``ops`` puts them together with its own want, key and
describe), the have once that is done (:func:`remember`), ``hold_peers`` (nothing
removed for hosts unknown this run, every backend) and a rule of ours in the shape
of a plan's rule (:func:`scope`, :func:`plan_rules`, for hold_peers and
``backends.found_plan``).
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import ipaddress

from ansible_collections.webroot.enterprise.plugins.plugin_utils import rules as rules_lib
from ansible_collections.webroot.enterprise.plugins.plugin_utils.catalog import TABLE_11

COMPONENTS = tuple(row["component"] for row in TABLE_11)
FAMILIES = (("ipv4", 4), ("ipv6", 6))


class ForeignConflict(rules_lib.RuleError):
    """A change of ours would touch or break an object that is not ours."""


def set_name(component, family):
    """Our ipset for one component and family, e.g. 'webroot-client-service-v4' (<= 31 chars)."""
    return "webroot-%s-v%s" % (component.replace("_", "-"), "6" if family == "ipv6" else "4")


def set_component(name):
    """The component whose set (either family) ``name`` is; None when it is none of ours."""
    for comp in COMPONENTS:
        if name in (set_name(comp, "ipv4"), set_name(comp, "ipv6")):
            return comp
    return None


def family_sets(component, peers):
    """(family, set name, entries) for each IP family that has peers."""
    for fam, _v in FAMILIES:
        entries = [p for p in peers if family_of(p) == fam]
        if entries:
            yield fam, set_name(component, fam), entries


def family_of(cidr):
    return "ipv6" if ":" in cidr else "ipv4"


def canonical_net(text):
    """A CIDR in canonical form ('198.18.10.31' -> '198.18.10.31/32'); None for 'any'."""
    text = (text or "").strip()
    if text.lower() in ("", "any", "0.0.0.0/0", "::/0", "*", "anywhere"):
        return None
    if "/" in text:
        addr, mask = text.split("/", 1)
        if "." in mask:  # Windows writes 198.18.10.0/255.255.255.0
            return str(ipaddress.ip_network(u"%s/%s" % (addr, mask), strict=False))
    return str(ipaddress.ip_network(u"%s" % text, strict=False))


def exact_component(comment, port, protocol, direction):
    """The component whose exact marker ``comment`` is for this port, protocol and
    direction (iptables, ufw); None when it is not exactly ours."""
    for comp in COMPONENTS:
        if comment == rules_lib.marker(comp, port, protocol, direction):
            return comp
    return None


def deny_applies(deny, rule):
    """True when an admin's rule that may drop a peer (fwread.iptables_order, or a
    ufw deny) could match a packet of ``rule`` (ours): same protocol or any, our port
    among its."""
    if deny.get("protocol") not in (None, rule["protocol"]):
        return False
    ports = deny.get("ports")
    return ports is None or any(low <= int(rule["port"]) <= high for low, high in ports)


def empty():
    """A read's parts with nothing of ours: {component: {rules, sets}}."""
    return dict((c, {"rules": [], "sets": {}}) for c in COMPONENTS)


# --- one component's want against its have (Linux firewalls) -----------------

def part_of(plan, found):
    """The component's part of ``found`` (``ours(...)``, or already one part)."""
    part = found.get(plan["component"]) if "rules" not in found else found
    return part or {"rules": [], "sets": {}}


def set_ops(want_sets, have_sets):
    present = [dict(name=n, **s) for n, s in sorted(want_sets.items())
               if have_sets.get(n) != s]
    absent = [dict(name=n, **s) for n, s in sorted(have_sets.items()) if n not in want_sets]
    return present, absent


def difference(plan, part, found, want, key, kept, extra=None):
    """The rules and sets to add and remove for one component: {add, remove, sets,
    sets_absent, want, service_ports, kept} and ``extra`` (the unit's own), rules
    compared by ``key`` (the unit's). Raises ForeignConflict when a change would
    remove a set or service a foreign rule uses (``found["_foreign_refs"]``)."""
    have_keys = set(key(r) for r in part.get("rules", []))
    want_keys = set(key(r) for r in want["rules"])
    add = [r for r in want["rules"] if key(r) not in have_keys]
    remove = [r for r in part.get("rules", []) if key(r) not in want_keys]
    sets, sets_absent = set_ops(want.get("sets", {}), part.get("sets", {}))
    out = {"add": add, "remove": remove, "sets": sets, "sets_absent": sets_absent, "want": want,
           "service_ports": ["%s/%s" % (plan["port"], plan["protocol"])], "kept": kept}
    out.update(extra or {})
    refs = set(found.get("_foreign_refs") or [])
    blocked = sorted(refs & (set(s["name"] for s in sets_absent)
                             | (set([rules_lib.service_name(plan["component"])]) if out.get("service_remove") else set())))
    if blocked:
        raise ForeignConflict(
            "%s: a rule that is not ours (not the exact accept rule webroot.enterprise writes: a deny, "
            "a log or an edited rule) uses %s, which removing this component would delete. It was "
            "kept, and nothing was changed on this host. Remove or change that rule first, or keep "
            "the component present." % (plan["component"], ", ".join(blocked)))
    return out


def settle(out, part, want, describe):
    """``out`` (:func:`difference`) with ``changed`` and ``diff`` (each rule as
    ``describe``, the unit's, gives it; each set entry)."""
    out["changed"] = bool(out["add"] or out["remove"] or out["sets"] or out["sets_absent"] or out.get("service_define")
                          or out.get("service_remove") or out.get("sets_runtime") or out.get("reload"))
    out["diff"] = {"before": _describe_all(describe, part), "after": _describe_all(describe, want)}
    return out


def _describe_all(describe, part):
    lines = [describe(r) for r in part.get("rules", [])]
    for name, s in sorted(part.get("sets", {}).items()):
        lines += ["%s: %s" % (name, e) for e in s["entries"]]
    return sorted(lines)


def moves(out, part, want, key, describe, denies_of):
    """Our rules that sit ahead of an admin's rule that may deny one of their peers
    (an older version put them at the top, or the admin's rule came later): moved
    after it (``out["move"]``), so that the admin's deny applies to our port. Rules
    carry their position (``index``: iptables' chain order, ufw's rule number);
    ``denies_of(rule)`` gives the admin's rules that may deny its peers, in order
    (fw_iptables.peer_denies, fw_ufw.peer_denies)."""
    want_keys = set(key(r) for r in want["rules"])
    moved = []
    for r in part.get("rules", []):
        later = [d for d in denies_of(r) if r.get("index") and d["index"] > r["index"]]
        if later and key(r) in want_keys:
            moved.append(r)
            out["diff"]["before"].append("%s: ahead of '%s'" % (describe(r), later[-1]["line"]))
            out["diff"]["after"].append("%s: after '%s'" % (describe(r), later[-1]["line"]))
    out["move"] = moved
    if moved:
        out["changed"] = True
    return out


def remember(found, component, result):
    """``found`` (from ``ours``) once ``result`` (the unit's ``ops``) has been applied."""
    out = dict(found)
    out[component] = dict(result["want"])
    return out


# --- hosts whose address is unknown this run: nothing removed -----------------

def hold_peers(plan, admitted, in_sets=False):
    """``plan`` with nothing removed from a scope whose hosts are not all known this
    run, and {direction: [CIDRs kept that the plan alone would remove]}.

    A rule whose ``unknown`` names hosts (rules.Transient: a DNS lookup that timed
    out, facts not gathered this run) keeps every peer the host's firewall admits now
    for that component and direction, beside the known ones it adds: an address that
    could not be learnt never removes the rule that admits it (docs/safety.md).
    ``admitted()`` (the unit's, called only when needed) gives {direction: [CIDRs]}
    that the component's rules of ours admit now. ``in_sets`` (iptables and firewalld:
    sets, read back aggregated): the peers are aggregated together; otherwise (ufw and
    Windows: one rule or entry per peer) the kept peers stay exactly as they are, so
    nothing is rewritten."""
    held = [r for r in plan.get("rules", []) if r.get("unknown") and not r.get("any_peer")]
    bounded = [r for r in plan.get("rules", []) if r.get("derived") and not r.get("unknown")
               and plan.get("max_removed_share") is not None]
    if not held and not bounded:
        return plan, {}
    have = admitted()
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
                if in_sets:
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


# --- what a host holds, in the shape of a plan --------------------------------

def scope(part, rule, default_port):
    """One Linux rule of ours (iptables, ufw, firewalld) as (direction, port, peers,
    any_peer, keywords): its peers are its set's entries or its one peer."""
    direction = rule.get("direction") or "in"
    port = int(rule.get("port") or default_port)
    name = rule.get("match_set") or rule.get("ipset")
    peers = []
    if name:
        peers = part["sets"].get(name, {}).get("entries", [])
    elif rule.get("peer"):
        peers = [rule["peer"]]
    return direction, port, peers, not peers and not name, []


def plan_rules(scopes, protocol):
    """Rules of ours merged by direction and port, in the shape of a plan's rules:
    [{direction, port, protocol, any_peer, peers (aggregated), wider (keywords, when
    any)}], sorted. ``scopes``: (direction, port, peers, any_peer, keywords) per rule
    (:func:`scope`, fw_windows.scope)."""
    merged = {}
    for direction, port, peers, any_peer, keywords in scopes:
        m = merged.setdefault((direction, port), {"direction": direction, "port": port,
                                                  "protocol": protocol, "any_peer": False,
                                                  "peers": []})
        if any_peer:
            m["any_peer"] = True
        if keywords:
            m["wider"] = sorted(set(m.get("wider", []) + keywords), key=lambda w: w.lower())
        m["peers"] = rules_lib.aggregate(m["peers"] + peers)
    return [merged[k] for k in sorted(merged)]


def peers_now(component, part):
    """{direction: [CIDRs]} that the rules and sets of ours in ``part`` (one
    component's, iptables or firewalld) admit now, aggregated as a plan's rules."""
    row = rules_lib.component(component)
    have = {}
    for rule in plan_rules([scope(part, r, row["port"]) for r in part["rules"]], row["protocol"]):
        have.setdefault(rule["direction"], []).extend(rule["peers"])
    return have

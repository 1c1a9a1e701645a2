# -*- coding: utf-8 -*-
# Copyright: (c) 2026, webroot.enterprise contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""ufw, one unit: what of the host's read is ours (have: :func:`ours`), what one
component's plan needs (want: :func:`want`), what differs (:func:`ops`), and from them
the ready list of ``community.general.ufw`` calls (commands), and the read once they
are made (after).

Pure functions over plain data, used by the action plugin component_rules (which
executes the commands; it reads through ``backends.ours``) and the unit tests. Nothing
here talks to a host. What the backends share comes from fw_common.py.

ufw has no sets: a plan rule becomes one rule per (aggregated) peer, inserted ahead of
the others. What is ours (docs/safety.md): an allow rule whose comment is the exact
marker of its component, port, protocol and direction, for that port (never a
management port), with no match we never write (an interface, a source port, a local
address). Anything else is foreign and kept.

A command is a dict: ``module``, ``args``, ``label``; where an admin's rule denies
one of the rule's peers, also ``reread`` {module, args}: ufw's rule numbers move with
each insert, so ``ufw status numbered`` is read again right before the insert and
``args`` is a callable that, given that read's ``stdout``, returns the arguments
(right after the last such deny, or appended after the last rule of its family).
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.webroot.enterprise.plugins.module_utils import fwread
from ansible_collections.webroot.enterprise.plugins.plugin_utils import fw_common

UFW = "community.general.ufw"


# --- have: what of the read is ours -------------------------------------------

def ours(read, mgmt):
    """The rules of ours in one read (module firewall_info), keyed by component, with
    their ``index`` in ``ufw status numbered`` where it was read, and ``_denies`` (the
    admin's rules that deny a peer)."""
    found = fw_common.empty()
    for r in read.get("ufw") or []:
        direction = r.get("direction") or "in"
        port, proto = r.get("port"), r.get("protocol") or ""
        if r.get("action") != "allow" or port is None:
            continue
        comp = fw_common.exact_component(r.get("comment"), port, proto, direction)
        if comp is None or (direction == "in" and int(port) in mgmt):
            continue
        if r.get("interface") or r.get("from_port") is not None or fw_common.canonical_net(r.get("to" if direction == "in" else "from")):
            continue   # a match we never write (an interface, a source port, a local address): not ours
        peer = fw_common.canonical_net(r.get("from") if direction == "in" else r.get("to"))
        found[comp]["rules"].append({"component": comp, "direction": direction, "protocol": proto,
                                     "port": int(port), "peer": peer,
                                     "family": fw_common.family_of(peer) if peer else "ipv4", "comment": r["comment"]})
    # Where ours stand in ``ufw status numbered`` (read only when the admin has a deny).
    index = dict(((a["direction"], a["comment"], fw_common.canonical_net(a["peer"])), a["index"]) for a in read.get("allows") or [])
    for comp in fw_common.COMPONENTS:
        for r in found[comp]["rules"]:
            if (r["direction"], r["comment"], r["peer"]) in index:
                r["index"] = index[(r["direction"], r["comment"], r["peer"])]
    found["_foreign_refs"] = []
    found["_denies"] = list(read.get("denies") or [])
    return found


def peer_denies(found, rule):
    """The admin's ufw rules that deny one peer and could match a packet of ``rule``
    (ours): same family and direction, same protocol or any, our port among theirs."""
    return [d for d in found.get("_denies") or []
            if d.get("family") == rule["family"] and d.get("direction") == rule["direction"]
            and fw_common.deny_applies(d, rule)]


def insert_position(found, rule):
    """The ufw rule number to insert ``rule`` (ours) at, after the last rule that
    denies one of its peers (``found`` read after the last change), or None: first
    of its family."""
    denies = peer_denies(found, rule)
    return max(d["index"] for d in denies) + 1 if denies else None


# --- want, and what differs ----------------------------------------------------

def want(plan):
    """The rules ``plan`` (one component's) needs on a ufw host: one per peer."""
    rules = []
    for rule in plan.get("rules", []):
        base = {"component": plan["component"], "direction": rule["direction"],
                "protocol": rule["protocol"], "port": int(rule["port"]), "comment": rule["comment"]}
        if rule["any_peer"]:
            rules.append(dict(base, peer=None, family="ipv4"))
        for peer in ([] if rule["any_peer"] else rule["peers"]):
            rules.append(dict(base, peer=peer, family=fw_common.family_of(peer)))
    return {"rules": rules, "sets": {}}


def key(rule):
    return (rule["direction"], rule["protocol"], int(rule["port"]), rule["peer"], rule["comment"])


def describe(rule):
    """One of our rules as one line, for --diff."""
    where = "from" if rule["direction"] == "in" else "to"
    return "allow %s %s/%s %s %s" % (rule["direction"], rule["port"], rule["protocol"], where, rule.get("peer") or "any")


def _admitted(part):
    """{direction: [CIDRs]}: the peers of our rules, one per rule, as they are."""
    have = {}
    for r in part.get("rules", []):
        if r.get("peer"):
            have.setdefault(r["direction"], []).append(r["peer"])
    return have


def ops(plan, found):
    """What to change for one component: {add, remove, sets, sets_absent, want,
    service_ports, kept, changed, diff, move} (``backends.ops``)."""
    part = fw_common.part_of(plan, found)
    plan, kept = fw_common.hold_peers(plan, lambda: _admitted(part))
    wanted = want(plan)
    out = fw_common.settle(fw_common.difference(plan, part, found, wanted, key, kept), part, wanted, describe)
    return fw_common.moves(out, part, wanted, key, describe, lambda r: peer_denies(found, r))


# --- commands ------------------------------------------------------------------

def commands(plan, have):
    """The module calls that bring one component to its ``plan`` (want) on ufw, from
    ``have``: :func:`ops`'s result (add, remove, move, changed, diff, kept) with
    ``commands`` (the moves and the new rules first, each inserted where it belongs,
    then the stale rules deleted) and ``after`` (``have`` once they are made)."""
    change = ops(plan, have)
    if not change["changed"]:
        return dict(change, commands=[], after=have)
    out = []
    for r in change.get("move", []):
        # An allow of ours ahead of an admin's later deny of a peer: out, then in
        # again right after it (that peer's port is closed in between).
        out.append({"module": UFW, "args": dict(rule_args(r), delete=True),
                    "label": "move (remove) %s" % describe(r)})
        out.append(_insert(have, r))
    for r in change["add"]:
        out.append(_insert(have, r))
    for r in change["remove"]:
        out.append({"module": UFW, "args": dict(rule_args(r), delete=True),
                    "label": "remove %s" % describe(r)})
    return dict(change, commands=out, after=fw_common.remember(have, plan["component"], change))


def _insert(have, r):
    """The insert of ``r`` (ours): first of its family, unless the read has a rule of
    the admin's that denies one of its peers; then ufw's numbers are read again right
    before it (each insert moves them: ``reread``) and ours goes right after the last
    such rule (``args`` is a callable of that read's stdout)."""
    label = "insert %s" % describe(r)
    if not peer_denies(have, r):
        return {"module": UFW, "args": dict(rule_args(r), **_first_of_family(r)), "label": label}

    def args(text):
        position = insert_position({"_denies": fwread.parse_ufw_denies(text)}, r)
        if position is None:
            where = _first_of_family(r)
        elif position > fwread.ufw_last_numbers(text)[r["family"]]:
            where = {}   # after the last rule of its family: ufw cannot insert there, so appended
        else:
            where = dict(insert=position, insert_relative_to="zero")
        return dict(rule_args(r), **where)

    return {"module": UFW, "args": args, "label": label,
            "reread": {"module": "ansible.builtin.command", "args": {"argv": ["ufw", "status", "numbered"]}}}


def _first_of_family(r):
    return dict(insert=0, insert_relative_to="first-ipv6" if r["family"] == "ipv6" else "first-ipv4")


def rule_args(r):
    """The ``community.general.ufw`` options for one rule of ours."""
    peer = r.get("peer") or "any"
    return {"rule": "allow", "direction": r["direction"], "proto": r["protocol"],
            "from_ip": peer if r["direction"] == "in" else "any",
            "to_ip": peer if r["direction"] == "out" else "any",
            "to_port": str(r["port"]), "comment": r["comment"]}

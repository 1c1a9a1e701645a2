# -*- coding: utf-8 -*-
# Copyright: (c) 2026, webroot.enterprise contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""ufw, one unit: from one component's plan (want) and the host's read (have:
``backends.ours("ufw", read)``) to the ready list of ``community.general.ufw`` calls
(commands), and the read once they are made (after).

Pure functions over plain data, used by the action plugin component_rules (which
executes the commands) and the unit tests. Nothing here talks to a host. What is ours
and what differs come from backends.py (``ours``, ``ops``). ufw has no sets: one rule
per (aggregated) peer, inserted ahead of the others.

A command is a dict: ``module``, ``args``, ``label``; where an admin's rule denies
one of the rule's peers, also ``reread`` {module, args}: ufw's rule numbers move with
each insert, so ``ufw status numbered`` is read again right before the insert and
``args`` is a callable that, given that read's ``stdout``, returns the arguments
(right after the last such deny, or appended after the last rule of its family).
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.webroot.enterprise.plugins.module_utils import fwread
from ansible_collections.webroot.enterprise.plugins.plugin_utils import backends

UFW = "community.general.ufw"


def commands(plan, have):
    """The module calls that bring one component to its ``plan`` (want) on ufw, from
    ``have``: ``backends.ops``'s result (add, remove, move, changed, diff, kept) with
    ``commands`` (the moves and the new rules first, each inserted where it belongs,
    then the stale rules deleted) and ``after`` (``have`` once they are made)."""
    ops = backends.ops("ufw", plan, have)
    if not ops["changed"]:
        return dict(ops, commands=[], after=have)
    out = []
    for r in ops.get("move", []):
        # An allow of ours ahead of an admin's later deny of a peer: out, then in
        # again right after it (that peer's port is closed in between).
        out.append({"module": UFW, "args": dict(rule_args(r), delete=True),
                    "label": "move (remove) %s" % backends.describe("ufw", r)})
        out.append(_insert(have, r))
    for r in ops["add"]:
        out.append(_insert(have, r))
    for r in ops["remove"]:
        out.append({"module": UFW, "args": dict(rule_args(r), delete=True),
                    "label": "remove %s" % backends.describe("ufw", r)})
    return dict(ops, commands=out, after=backends.remember(have, "ufw", plan["component"], ops))


def _insert(have, r):
    """The insert of ``r`` (ours): first of its family, unless the read has a rule of
    the admin's that denies one of its peers; then ufw's numbers are read again right
    before it (each insert moves them: ``reread``) and ours goes right after the last
    such rule (``args`` is a callable of that read's stdout)."""
    label = "insert %s" % backends.describe("ufw", r)
    if not backends.ufw_peer_denies(have, r):
        return {"module": UFW, "args": dict(rule_args(r), **_first_of_family(r)), "label": label}

    def args(text):
        position = backends.ufw_insert_position({"_denies": fwread.parse_ufw_denies(text)}, r)
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

# -*- coding: utf-8 -*-
# Copyright: (c) 2026, webroot.enterprise contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Windows Firewall, one unit: what of the host's read is ours (have: :func:`ours`,
:func:`is_ours`; the read is the read script's object, plugins/plugin_utils/
webroot_read.ps1), what differs (:func:`windows_ops`), and from them the ready list
of ``win_firewall_rule`` calls (commands), and the read once they are made (after).

Pure functions over plain data, used by the action plugin component_rules (which
executes the commands) and the unit tests. Nothing here talks to a host. The rule
options with the module's own comparison (plugins/plugin_utils/winfw.py) are
imported, never passed in; what the backends share comes from fw_common.py.

How a plan rule becomes native objects: one rule per 1,000 remote addresses
(Windows 10 / Server 2016-2019 refuse more in one rule), named ``<name>``,
``<name> #2``, ``<name> #3``... and sticky (an address stays in the rule that holds
it).

What is ours (docs/safety.md): an Allow rule of group "Webroot Enterprise" whose name
starts with the component's prefix, in the local store (a rule Group Policy supplies
is never ours). Anything else is foreign: kept, and writing or removing a name that
Windows would match on it is refused.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import ipaddress
import re

from ansible_collections.webroot.enterprise.plugins.plugin_utils import fw_common
from ansible_collections.webroot.enterprise.plugins.plugin_utils import rules as rules_lib
from ansible_collections.webroot.enterprise.plugins.plugin_utils import winfw
from ansible_collections.webroot.enterprise.plugins.plugin_utils.catalog import WINDOWS_GROUP

MODULE = "community.windows.win_firewall_rule"
# Windows Firewall refuses a rule with more than 1,000 remote addresses on Windows 10
# and Server 2016-2019 (newer builds allow more); see docs/windows.md.
WINDOWS_MAX_ADDRESSES = 1000


# --- have: what of the read is ours -------------------------------------------

def _prefix(component):
    return ("%s - %s (" % (WINDOWS_GROUP, rules_lib.component(component)["title"])).lower()


def is_ours(rule, component):
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


def ours(read, mgmt):
    """The rules of ours in one read, keyed by component (``mgmt`` is not used)."""
    found = fw_common.empty()
    for r in windows_rules(read):
        for comp in fw_common.COMPONENTS:
            if is_ours(r, comp):
                found[comp]["rules"].append(r)
    found["_foreign_refs"] = []
    return found


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
            net = fw_common.canonical_net(item)
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


def scope(rule, default_port):
    """One rule of ours as (direction, port, peers, any_peer, keywords), for
    fw_common.plan_rules: direction and port from its name; '*' or a keyword
    (LocalSubnet, Intranet...) admits more than a list of peers: any peer (so verify
    plans no denied check through it), and a keyword is named."""
    m = re.search(r"\(TCP (\d+) (in|out)\)", rule.get("Name") or "")
    direction = m.group(2) if m else "in"
    port = int(m.group(1)) if m else default_port
    peers, wider = _remote_scope(rule.get("RemoteAddresses"))
    return direction, port, peers, not peers or bool(wider), [w for w in wider if w != "*"]


def _admitted(rules):
    """{direction: [CIDRs]}: the addresses our rules list, as they are."""
    have = {}
    for r in rules:
        m = re.search(r"\(TCP \d+ (in|out)\)", r.get("Name") or "")
        have.setdefault(m.group(1) if m else "in", []).extend(remote_networks(r.get("RemoteAddresses")))
    return have


# --- commands ------------------------------------------------------------------

def commands(plan, have, profiles, program, module=MODULE, host_name="this host"):
    """The module calls that bring one component to its ``plan`` (want) on Windows,
    from ``have`` (the host's read): ``windows_ops``'s result (changed, diff, kept,
    chunks, write, stale, heal...) with ``commands``: [{module, args, label}] in the
    order they must run (new and grown rules first, stale ones last: no moment where
    an address that stays admitted is in no rule), and ``after``: the read once they
    are made (the read itself when nothing changes). ``module`` is the
    win_firewall_rule the controller has (engine.Host.firewall_rule_module).

    Raises RuleError, naming ``host_name``, when a name we would write or remove is
    carried by a rule that is not ours (``foreign``): nothing is changed then. No
    argument depends on a read during execution.
    """
    comp = plan["component"]

    def args_of(chunk):
        return winfw.module_args(chunk, profiles, program)

    ops = windows_ops(plan, have, comp, args_of, winfw.differences, com_values=winfw.new_values, com_options=winfw.COMPARED)
    if ops["foreign"]:
        raise rules_lib.RuleError(_refusal(host_name, ops))
    out = []
    for chunk, args in ops["write"]:
        out.append({"module": module, "args": args, "label": "%s rule '%s'" % (
            "remove the duplicates of" if args.get("state") == "absent" else "write", chunk["windows_name"])})
    for name in ops["stale"]:
        out.append({"module": module, "args": {"name": name, "state": "absent"}, "label": "remove rule '%s'" % name})
    after = windows_remember(have, comp, ops, lambda c: winfw.com_rule(args_of(c))) if ops["changed"] else have
    return dict(ops, commands=out, after=after)


def _refusal(name, ops):
    return (
        "Windows Firewall on %s %s, with a name webroot.enterprise manages (names compared "
        "without case), that is not an allow rule of group 'Webroot Enterprise': it was not "
        "created by webroot.enterprise, so it is neither changed nor removed. Rename or remove "
        "it, e.g. in PowerShell: Get-NetFirewallRule -DisplayName '<name>' | Format-List "
        "DisplayName, Group, Action, Description. Nothing was changed on this host."
        % (name, "; ".join(ops["foreign"])))


def windows_chunks(plan, current=None, max_addresses=WINDOWS_MAX_ADDRESSES):
    """One Windows rule per ``max_addresses`` remote addresses: the first keeps the
    rule's name, the next ones add ' #2', ' #3'...

    Sticky: with ``current`` ({lower-case name: [CIDRs]}, our rules on the host), an
    address stays in the rule that holds it, new addresses fill the rules with room,
    then new rules. So adding or removing one workstation changes one rule, and an
    address never moves from one rule to another (no moment where it is in none).
    """
    current = current or {}
    out = []
    for rule in plan.get("rules", []):
        base_name = rule["windows_name"]
        if rule["any_peer"]:
            out.append(dict(rule, windows_name=base_name, remoteip="any", addresses=[]))
            continue
        wanted = list(rule["peers"])
        wanted_set = set(wanted)

        def name_of(index):
            return base_name + ("" if index == 1 else " #%d" % index)

        slots = {}
        taken = set()
        index = 1
        while name_of(index).lower() in current:
            keep = [a for a in current[name_of(index).lower()] if a in wanted_set and a not in taken]
            taken.update(keep)
            slots[index] = keep
            index += 1
        rest = [a for a in wanted if a not in taken]
        for i in sorted(slots):
            room = max_addresses - len(slots[i])
            if room > 0 and rest:
                slots[i].extend(rest[:room])
                rest = rest[room:]
        index = max(slots) + 1 if slots else 1
        while rest or not slots:
            slots[index] = rest[:max_addresses]
            rest = rest[max_addresses:]
            index += 1
        for i in sorted(slots):
            if not slots[i]:
                continue  # emptied: removed as stale
            addrs = sorted(slots[i], key=rules_lib._cidr_key)  # pylint: disable=protected-access
            out.append(dict(rule, windows_name=name_of(i), remoteip=",".join(addrs), addresses=addrs))
    return out


def windows_ops(plan, read, component, module_args, differences, max_addresses=WINDOWS_MAX_ADDRESSES,
                com_values=None, com_options=()):
    """What to do on Windows for one component, from the one read of the host.

    ``read``: the read's rules (COM properties): every rule of our group and every
    rule, of any group, whose name starts with our prefix. Names are compared
    case-insensitively, as Windows and the module do (the module changes or
    removes every rule whose name matches, whatever its group). ``module_args``
    (chunk -> win_firewall_rule options) and ``differences`` (options, COM rule ->
    the options that differ), ``com_values`` (options -> the COM values the module
    sets) and ``com_options`` ((property, option) pairs) are plugin_utils/winfw.py's
    (:func:`commands` passes them; the unit tests pass simpler ones to look at the
    comparison alone). Returns {chunks,
    write, stale, heal, foreign, changed, diff}: ``write`` are the module calls
    (chunk, options) for the chunks whose rule is missing or differs, in an order
    that never leaves an address unadmitted (rules that only gain first); foreign
    must be empty before anything changes.

    ``heal``: the names that two or more rules of ours carry. Two runs at once on
    one host (an AWX schedule beside a manual run) can both find a rule missing and
    both create it: Windows allows duplicate names. The module selects every rule of
    the name, so its ``state: absent`` removes them all (community.windows
    win_firewall_rule.ps1 lines 177-185 and 243-257: ``$fw.Rules.Remove`` per
    selected rule); ``write`` then holds that removal right before the chunk's
    creation, and the next run converges with no hand on the host. The addresses of
    that one rule are out of force between the two calls. A name that a rule of
    someone else's also carries is ``foreign`` and refused, never removed.
    """
    rules = windows_rules(read)
    by_name = {}
    for r in rules:
        by_name.setdefault((r.get("Name") or "").lower(), []).append(r)
    mine = [r for r in rules if is_ours(r, component)]
    current = {}
    for r in mine:  # duplicates of ours: the union of what they admit (held, see hold_peers)
        have_now = current.setdefault((r.get("Name") or "").lower(), [])
        have_now.extend(n for n in remote_networks(r.get("RemoteAddresses")) if n not in have_now)
    plan, kept = fw_common.hold_peers(plan, lambda: _admitted(mine))
    chunks = windows_chunks(plan, current, max_addresses)
    wanted = set(c["windows_name"].lower() for c in chunks)
    stale = sorted(set(r["Name"] for r in mine if r["Name"].lower() not in wanted), key=lambda n: n.lower())
    names = wanted | set(n.lower() for n in stale)
    foreign = sorted(set(
        "has a rule named '%s' in group '%s'%s" % (
            r["Name"], r.get("Grouping") or "",
            " that Group Policy supplies" if r.get("PolicyStore") else
            "" if action_allow(r.get("Action")) else " that blocks (not an allow rule of ours)")
        for n in names for r in by_name.get(n, []) if not is_ours(r, component)))
    heal = sorted(set(by_name[n][0]["Name"] for n in wanted if len(by_name.get(n, [])) > 1
                      and all(is_ours(r, component) for r in by_name[n])), key=lambda n: n.lower())
    write, drift_before, drift_after = [], [], []
    for c in chunks:
        have = by_name.get(c["windows_name"].lower()) or []
        args = module_args(c)
        differ = differences(args, have[0]) if len(have) == 1 else ["name"]
        if not differ:
            continue
        lost = set(current.get(c["windows_name"].lower(), [])) - set(c["addresses"])
        if len(have) > 1:
            # Duplicates of ours (``heal``): every rule of the name removed, then one created.
            write.append((1 if lost else 0, c, {"name": c["windows_name"], "state": "absent"}))
        first = winfw.protocol_first(args, have[0]) if len(have) == 1 else None
        if first:
            # Protocol before ports: the module's update loop sets them the other way
            # round, which COM refuses on a protocol-any rule (winfw.protocol_first).
            write.append((1 if lost else 0, c, first))
        write.append((1 if lost else 0, c, args))
        if have and com_values is not None:
            # Each drifting property but the addresses (their own line), as COM holds it
            # now and as win_firewall_rule will set it.
            new = com_values(args)
            for option in differ:
                prop = dict((o, p) for p, o in com_options).get(option)
                if prop and prop != "RemoteAddresses":
                    drift_before.append("%s: %s = %r" % (have[0]["Name"], prop, have[0].get(prop)))
                    drift_after.append("%s: %s = %r" % (c["windows_name"], prop, new.get(prop)))
    write = [(c, args) for _order, c, args in sorted(write, key=lambda w: w[0])]
    before = sorted(r["Name"] for r in mine)
    return {"chunks": chunks, "write": write, "stale": stale, "heal": heal, "foreign": foreign,
            "changed": bool(stale or write), "kept": kept,
            "diff": {"before": sorted(["%s: %s" % (r["Name"], remote_text(r.get("RemoteAddresses")))
                                       for r in mine] + drift_before),
                     "after": sorted(["%s: %s" % (c["windows_name"], c["remoteip"]) for c in chunks] + drift_after)},
            "before": before}


def windows_remember(read, component, result, com_of):
    """The read once ``result`` (``windows_ops``) has been applied: the
    component's rules replaced by the chunks (``com_of``: chunk -> COM rule)."""
    keep = [r for r in windows_rules(read) if not is_ours(r, component)]
    out = dict(read) if isinstance(read, dict) else {}
    out["Rules"] = keep + [com_of(c) for c in result["chunks"]]
    return out

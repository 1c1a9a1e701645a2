# -*- coding: utf-8 -*-
# Copyright: (c) 2026, webroot.enterprise contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""iptables, one unit: what of the host's read is ours (have: :func:`ours`), what one
component's plan needs (want: :func:`want`), what differs (:func:`ops`), and from
them the ready list of module calls (commands): ``webroot.enterprise.address_set``
for our ipsets, ``ansible.builtin.iptables`` for our rules, ``ansible.builtin.command``
for the save for boot; and the read once they are made (after).

Pure functions over plain data, used by the action plugin component_rules (which
executes the commands, ``execute`` there; it reads through ``backends.ours``), and the
unit tests. Nothing here talks to a host. What the backends share comes from
fw_common.py.

How a plan rule becomes native objects, so that the work per host does not grow with
the number of peers: one ipset of ours per component and IP family
(``webroot-<component>-v4`` / ``-v6``, type hash:net) holding the peers, matched by one
ACCEPT rule (``-m set --match-set``) that carries our comment; ``any_peer`` is one
rule without a set.

What is ours (docs/safety.md): an ACCEPT rule whose comment is the exact marker of its
component, port, protocol and direction, on the chain of that direction and that port
(never a management port), with no match we never write; and the sets of our names.
Anything else is foreign: kept, and removing a set it names is refused.

A command is a dict: ``module``, ``args``, ``label`` (the change as the run shows
it), and where it applies:

- ``reread`` {module, args}: the insert position of a rule of ours depends on the
  chain as it is when the rule goes in (an admin's rule that may drop one of its
  peers, which earlier changes moved). ``args`` is then a callable: given the
  ``stdout`` of that one read (``iptables -S`` / ``ip6tables -S``, made right before
  the call), it returns the arguments. Without an admin's such rule in the read the
  arguments are plain (the top of the chain) and nothing is read again.
- ``live``: a change of the running firewall, which the save for boot must keep.
- ``rescue``: the save for boot: also run when a later command fails, once a
  ``live`` command succeeded (what was changed before the failure is saved too, so
  that a reboot restores what runs); its own failure is then ignored.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.webroot.enterprise.plugins.module_utils import fwread
from ansible_collections.webroot.enterprise.plugins.plugin_utils import fw_common
from ansible_collections.webroot.enterprise.plugins.plugin_utils import rules as rules_lib

IPTABLES = "ansible.builtin.iptables"
ADDRESS_SET = "webroot.enterprise.address_set"
COMMAND = "ansible.builtin.command"
CHAINS = {"in": "INPUT", "out": "OUTPUT"}


# --- have: what of the read is ours -------------------------------------------

def ours(read, mgmt):
    """The rules and sets of ours in one read (module firewall_info), keyed by
    component, with ``_foreign_refs`` (our set names a foreign rule uses), ``_boot``
    and ``_denies`` (the admin's rules that may drop a peer, per family and chain)."""
    found = fw_common.empty()
    tables = read.get("iptables") or {}
    refs = set()
    for fam in ("ipv4", "ipv6"):
        for r in tables.get(fam) or []:
            rule = _rule(r, fam, mgmt)
            if rule:
                found[rule["component"]]["rules"].append(rule)
            elif r.get("match_set"):
                refs.add(r["match_set"])
    for name, s in sorted((read.get("ipsets") or {}).items()):
        comp = fw_common.set_component(name)
        if comp is None or (s.get("type") or "hash:net") != "hash:net":
            continue
        found[comp]["sets"][name] = {"family": s.get("family") or "ipv4",
                                     "entries": rules_lib.aggregate([fw_common.canonical_net(e) for e in s.get("entries") or []
                                                                     if fw_common.canonical_net(e)])}
        if s.get("nomatch"):
            found[comp].setdefault("nomatch", {})[name] = sorted(set(fw_common.canonical_net(e) for e in s["nomatch"]
                                                                     if fw_common.canonical_net(e)))
    found["_foreign_refs"] = sorted(n for n in refs if fw_common.set_component(n))
    found["_boot"] = dict(read.get("boot") or {})
    found["_denies"] = dict(tables.get("denies") or {})
    return found


def _rule(r, family, mgmt):
    """One iptables rule of ours, or None (foreign)."""
    direction = {"INPUT": "in", "OUTPUT": "out"}.get(r.get("chain"))
    port, proto = r.get("dport"), r.get("protocol") or ""
    if direction is None or r.get("jump") != "ACCEPT" or port is None:
        return None
    if r.get("extra") or r.get("destination" if direction == "in" else "source"):
        return None   # a match we never write (an interface, a state...): it admits less, or other traffic
    comp = fw_common.exact_component(r.get("comment"), port, proto, direction)
    if comp is None or (direction == "in" and int(port) in mgmt):
        return None
    peer = r.get("source") if direction == "in" else r.get("destination")
    if peer and str(peer).startswith("!"):
        return None   # a negated address: we never write one
    flag = "src" if direction == "in" else "dst"
    if r.get("match_set") and (peer or r.get("match_set_flags") != flag or fw_common.set_component(r["match_set"]) != comp):
        return None
    return {"component": comp, "family": family, "chain": r["chain"], "direction": direction,
            "protocol": proto, "port": int(port), "match_set": r.get("match_set"),
            "peer": fw_common.canonical_net(peer), "comment": r["comment"], "index": r.get("index")}


def peer_denies(found, rule):
    """The admin's rules in the chain of ``rule`` (ours) that may drop one peer's
    packet of it, from the read (``found["_denies"]``), in chain order."""
    chain = ((found.get("_denies") or {}).get(rule["family"]) or {}).get(rule["chain"]) or []
    return [d for d in chain if fw_common.deny_applies(d, rule)]


def insert_position(found, rule):
    """Where ``rule`` (ours) goes in its chain, as iptables -I counts (1 is the top):
    right after the last rule of the admin's that may drop a peer's packet of it (a
    DROP/REJECT naming an address or a set, a jump to a chain holding one such as
    fail2ban's), else the top. ``found`` must be read after the last change."""
    denies = peer_denies(found, rule)
    return max(d["index"] for d in denies) + 1 if denies else 1


# --- want, and what differs ----------------------------------------------------

def want(plan):
    """The ipsets and rules ``plan`` (one component's) needs on an iptables host."""
    rules, sets = [], {}
    for rule in plan.get("rules", []):
        base = {"component": plan["component"], "chain": CHAINS[rule["direction"]],
                "direction": rule["direction"], "protocol": rule["protocol"], "port": int(rule["port"]),
                "peer": None, "comment": rule["comment"]}
        if rule["any_peer"]:
            rules.append(dict(base, family="ipv4", match_set=None))
            continue
        for fam, name, entries in fw_common.family_sets(plan["component"], rule["peers"]):
            sets[name] = {"family": fam, "entries": entries}
            rules.append(dict(base, family=fam, match_set=name))
    return {"rules": rules, "sets": sets}


def key(rule):
    return (rule["family"], rule["chain"], rule["protocol"], int(rule["port"]),
            rule.get("match_set"), rule.get("peer"), rule["comment"])


def describe(rule):
    """One of our rules as one line, for --diff."""
    peer = rule.get("match_set") and "set " + rule["match_set"] or rule.get("peer") or "any"
    where = "from" if rule["direction"] == "in" else "to"
    return "%s %s %s/%s %s %s" % (rule["family"], rule["chain"], rule["port"], rule["protocol"], where, peer)


def _keep_nomatch(wanted, part):
    """``wanted`` without the set entries the admin made exceptions of (``nomatch``
    entries of our set: the address_set module never adds over them, which would
    clear the flag and admit what the admin excluded)."""
    holes = part.get("nomatch") or {}
    if not holes:
        return wanted
    sets = dict((n, dict(s, entries=[e for e in s["entries"] if e not in holes.get(n, [])]))
                for n, s in wanted["sets"].items())
    return dict(wanted, sets=sets)


def ops(plan, found):
    """What to change for one component: {add, remove, sets, sets_absent, want,
    service_ports, kept, changed, diff, move} (``backends.ops``)."""
    part = fw_common.part_of(plan, found)
    plan, kept = fw_common.hold_peers(plan, lambda: fw_common.peers_now(plan["component"], part), in_sets=True)
    wanted = _keep_nomatch(want(plan), part)
    out = fw_common.settle(fw_common.difference(plan, part, found, wanted, key, kept), part, wanted, describe)
    return fw_common.moves(out, part, wanted, key, describe, lambda r: peer_denies(found, r))


# --- commands ------------------------------------------------------------------

def commands(plan, have, save_paths, check=False):
    """The module calls that bring one component to its ``plan`` (want) on iptables,
    from ``have``: :func:`ops`'s result (add, remove, sets, sets_absent, move,
    changed, diff, kept) with ``warnings``, ``commands`` (in the order they run: the
    pending-save note, the sets, the new rules, the moves, the stale rules, the sets no
    longer used, the save for boot) and ``after`` (``have`` once they are made;
    ``check``: as a check run leaves it, the save still pending).

    Refused up front (RuleError) where a boot would not restore what is saved
    (:func:`iptables_boot`). A save pending from an earlier run (its save failed, or
    it was stopped before it) is done even when nothing else changes.
    """
    change = ops(plan, have)
    boot = iptables_boot(have.get("_boot"), save_paths)
    if boot["refuse"]:
        raise rules_lib.RuleError(boot["refuse"])
    saving = any(save_paths.get(k) for k in ("ipv4", "ipv6", "ipset"))
    pending = saving and bool((have.get("_boot") or {}).get("save_pending"))
    if pending and not change["changed"]:
        change = dict(change, changed=True, diff={
            "before": change["diff"]["before"] + ["saved for boot: not since an earlier run changed the firewall"],
            "after": change["diff"]["after"] + ["saved for boot: what runs now"]})
    change["warnings"] = [boot["warn"]] if boot["warn"] and change["changed"] else []
    if not change["changed"]:
        return dict(change, commands=[], after=have)
    out = []
    if saving and not pending and (change["sets"] or change["add"] or change["remove"] or change["sets_absent"]
                                   or change.get("move")):
        out.append({"module": COMMAND, "args": {"argv": ["sh", "-c", MARK_PENDING, "sh", fwread.SAVE_PENDING]},
                    "label": "note a save for boot pending (%s)" % fwread.SAVE_PENDING})
    for s in change["sets"]:
        out.append({"module": ADDRESS_SET, "live": True, "args": {
            "name": s["name"], "family": s["family"], "entries": s["entries"], "provider": "ipset"},
            "label": "set %s to %d entries" % (s["name"], len(s["entries"]))})
    for r in change["add"]:
        out.append(_insert(have, r, "insert %s" % describe(r)))
    for r in change.get("move") or []:
        # Out and back in after the admin's rule that may drop one of its peers
        # (the module inserts nothing while the same rule is in the chain).
        out.append({"module": IPTABLES, "args": rule_args(r, "absent"), "live": True,
                    "label": "remove %s (ahead of a rule that may drop a peer)" % describe(r)})
        out.append(_insert(have, r, "insert %s after it" % describe(r)))
    for r in change["remove"]:
        out.append({"module": IPTABLES, "args": rule_args(r, "absent"), "live": True,
                    "label": "remove %s" % describe(r)})
    for s in change["sets_absent"]:
        out.append({"module": ADDRESS_SET, "live": True, "args": {
            "name": s["name"], "family": s["family"], "provider": "ipset", "state": "absent"},
            "label": "remove set %s" % s["name"]})
    if saving:
        out.append(save_command(save_paths))
    after = fw_common.remember(have, plan["component"], change)
    if not check:
        after["_boot"] = dict(after.get("_boot") or {}, save_pending=False)
    return dict(change, commands=out, after=after)


def _insert(have, r, label):
    """The insert of ``r`` (ours): at the top, unless the read has an admin's rule in
    its chain that may drop one of its peers; then the chain is read again right
    before the insert (earlier changes moved it: ``reread``) and ours goes right after
    the last such rule (``args`` is a callable of that read's stdout)."""
    if not peer_denies(have, r):
        return {"module": IPTABLES, "args": rule_args(r, "present"), "label": label, "live": True}

    def args(text):
        return rule_args(r, "present", insert_position({"_denies": {r["family"]: fwread.iptables_order(text)}}, r))

    return {"module": IPTABLES, "args": args, "label": label, "live": True,
            "reread": {"module": COMMAND, "args": {"argv": ["ip6tables" if r["family"] == "ipv6" else "iptables", "-S"]}}}


def rule_args(r, state, position=1):
    """The ``ansible.builtin.iptables`` options for one rule of ours."""
    args = {"chain": r["chain"], "protocol": r["protocol"], "destination_port": str(r["port"]),
            "jump": "ACCEPT", "comment": r["comment"], "ip_version": r["family"], "state": state}
    if r.get("match_set"):
        args.update(match_set=r["match_set"], match_set_flags="src" if r["direction"] == "in" else "dst")
    if r.get("peer"):
        args["source" if r["direction"] == "in" else "destination"] = r["peer"]
    if state == "present":
        args["action"] = "insert"
        if position > 1:
            args["rule_num"] = str(position)
    return args


def save_command(save_paths):
    """Save what runs for boot, in one call: the ipsets first (all of them, as
    ipset-persistent does), then the IPv4 rules, then the IPv6 rules (where the
    host has IPv6 and an ip6tables table, or a saved file), each written to a
    temporary file that mktemp makes in the target's directory and renamed over
    it (a boot never reads half a file, nor rules saved ahead of the sets they
    name); then the pending-save note is removed. A path that is None is not
    saved. Marked ``rescue`` (see the module's doc)."""
    return {"module": COMMAND, "rescue": True, "args": {"argv": [
        "sh", "-c", SAVE_FOR_BOOT, "sh", save_paths.get("ipset") or "", save_paths.get("ipv4") or "",
        save_paths.get("ipv6") or "", fwread.SAVE_PENDING]},
        "label": "save for boot: ipsets to %s, rules to %s" % (
            save_paths.get("ipset") or "(not saved)",
            " and ".join(p for p in (save_paths.get("ipv4"), save_paths.get("ipv6")) if p) or "(not saved)")}


# What netfilter-persistent's plugins restore at boot (fixed paths in the plugins).
NETFILTER_PERSISTENT_FILES = {"ipv4": "/etc/iptables/rules.v4", "ipv6": "/etc/iptables/rules.v6",
                              "ipset": "/etc/iptables/ipsets"}


def iptables_boot(boot, save_paths):
    """What saving for boot means on an iptables host: {"refuse": message or None,
    "warn": message or None}.

    ``boot`` is the read's (``plugins``: netfilter-persistent's plugins by name;
    ``save_pending``), ``save_paths`` {ipv4, ipv6, ipset: path or None}. Refused
    when netfilter-persistent restores at boot a rules file we save (plugin
    ``*ip4tables`` / ``*ip6tables`` and our path is the one it reads) and nothing
    restores our ipsets before it (ipset-persistent's ``*ipset`` plugin earlier in
    name order, reading the file we save the sets to): iptables-restore refuses the
    whole file when a set it names is missing, so the host would boot with no
    firewall at all. A warning when we save and nothing of netfilter-persistent
    restores the rules at boot.
    """
    plugins = list((boot or {}).get("plugins") or [])
    paths = dict((k, (save_paths or {}).get(k)) for k in ("ipv4", "ipv6", "ipset"))
    out = {"refuse": None, "warn": None}
    if not any(paths.values()):
        return out
    rules_plugins = {"ipv4": [p for p in plugins if "ip4tables" in p],
                     "ipv6": [p for p in plugins if "ip6tables" in p]}
    restored = [fam for fam in ("ipv4", "ipv6")
                if rules_plugins[fam] and paths[fam] == NETFILTER_PERSISTENT_FILES[fam]]
    if not restored:
        if paths["ipv4"] and not rules_plugins["ipv4"]:
            out["warn"] = (
                "nothing restores the firewall at boot through netfilter-persistent (iptables-persistent "
                "and ipset-persistent are not installed): the rules were saved to %s%s and the ipsets to %s, "
                "which a boot restores only if something of yours does, the sets first (ipset restore < "
                "ipsets, then iptables-restore < rules.v4): a rules file restored without its sets fails "
                "whole. Until then a reboot leaves this host without the rules of ours (docs/safety.md, "
                "'What survives a reboot')." % (
                    paths["ipv4"], " and %s" % paths["ipv6"] if paths["ipv6"] else "", paths["ipset"] or "(nowhere)"))
        return out
    first = min(p for fam in restored for p in rules_plugins[fam])
    earlier = [p for p in plugins if "ipset" in p and p < first]
    files = " and ".join(NETFILTER_PERSISTENT_FILES[fam] for fam in restored)
    if not earlier:
        why = "ipset-persistent is not installed (no ipset plugin runs before %s)" % first
    elif paths["ipset"] != NETFILTER_PERSISTENT_FILES["ipset"]:
        why = ("webroot_ipset_save_path is %s, but the ipset plugin (ipset-persistent) restores %s"
               % (paths["ipset"] or '""', NETFILTER_PERSISTENT_FILES["ipset"]))
    else:
        return out
    out["refuse"] = (
        "this host restores its firewall at boot with netfilter-persistent (%s from %s), but nothing "
        "restores the ipsets of webroot.enterprise before it: %s. The saved rules match those sets "
        "(-m set --match-set webroot-...), and iptables-restore refuses a whole rules file that names "
        "a set that does not exist, so after a reboot this host would have no firewall at all (policy "
        "ACCEPT, your own rules gone too). Nothing was changed on this host. Install ipset-persistent "
        "(apt-get install ipset-persistent: netfilter-persistent's ipset plugin restores %s before the "
        "rules) and run again; or set webroot_iptables_save_path and webroot_ip6tables_save_path to "
        "\"\" to keep those files your own (the rules of ours are then not restored at boot)." % (
            ", ".join(sorted(p for fam in restored for p in rules_plugins[fam])), files, why,
            NETFILTER_PERSISTENT_FILES["ipset"]))
    return out


MARK_PENDING = (
    'set -eu; mkdir -p -- "$(dirname -- "$1")"; '
    'echo "webroot.enterprise changed the firewall and has not saved it for boot yet: the next run saves it" > "$1"')

# $1 ipsets, $2 rules.v4, $3 rules.v6 (each may be empty: not saved), $4 the
# pending-save note. Each file is replaced whole through a temporary file in its
# own directory (mktemp: never a predictable name), mode 0640 as
# netfilter-persistent writes them. Every step inside "if" so that set -e applies.
SAVE_FOR_BOOT = r"""set -eu
t=
trap '[ -z "$t" ] || rm -f -- "$t"' EXIT
save() {
  p=$1; shift
  if [ -d "$p" ]; then echo "$p is a directory, not a file" >&2; exit 1; fi
  d=$(dirname -- "$p"); mkdir -p -- "$d"
  t=$(mktemp -- "$d/.$(basename -- "$p").XXXXXXXX")
  "$@" > "$t"
  chmod 0640 -- "$t"
  sync -- "$t" 2>/dev/null || sync
  mv -f -- "$t" "$p"
  t=
}
if [ -n "$1" ]; then save "$1" ipset save; fi
if [ -n "$2" ]; then save "$2" iptables-save; fi
if [ -n "$3" ] && [ -e /proc/sys/net/ipv6 ] && command -v ip6tables-save >/dev/null 2>&1; then
  # Not where IPv6 has no table at all and no file was saved: nothing to restore.
  if [ -e "$3" ] || ip6tables-save | grep -q '^[*]'; then save "$3" ip6tables-save; fi
fi
rm -f -- "$4"
"""

# -*- coding: utf-8 -*-
# Copyright: (c) 2026, webroot.enterprise contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""iptables, one unit: from one component's plan (want) and the host's read (have:
``backends.ours("iptables", read)``) to the ready list of module calls (commands):
``webroot.enterprise.address_set`` for our ipsets, ``ansible.builtin.iptables`` for
our rules, ``ansible.builtin.command`` for the save for boot; and the read once they
are made (after).

Pure functions over plain data, used by the action plugin component_rules (which
executes the commands, ``execute`` there) and the unit tests. Nothing here talks to a
host. What is ours and what differs come from backends.py (``ours``, ``ops``).

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
from ansible_collections.webroot.enterprise.plugins.plugin_utils import backends
from ansible_collections.webroot.enterprise.plugins.plugin_utils import rules as rules_lib

IPTABLES = "ansible.builtin.iptables"
ADDRESS_SET = "webroot.enterprise.address_set"
COMMAND = "ansible.builtin.command"


def commands(plan, have, save_paths, check=False):
    """The module calls that bring one component to its ``plan`` (want) on iptables,
    from ``have``: ``backends.ops``'s result (add, remove, sets, sets_absent, move,
    changed, diff, kept) with ``warnings``, ``commands`` (in the order they run: the
    pending-save note, the sets, the new rules, the moves, the stale rules, the sets no
    longer used, the save for boot) and ``after`` (``have`` once they are made;
    ``check``: as a check run leaves it, the save still pending).

    Refused up front (RuleError) where a boot would not restore what is saved
    (:func:`iptables_boot`). A save pending from an earlier run (its save failed, or
    it was stopped before it) is done even when nothing else changes.
    """
    ops = backends.ops("iptables", plan, have)
    boot = iptables_boot(have.get("_boot"), save_paths)
    if boot["refuse"]:
        raise rules_lib.RuleError(boot["refuse"])
    saving = any(save_paths.get(k) for k in ("ipv4", "ipv6", "ipset"))
    pending = saving and bool((have.get("_boot") or {}).get("save_pending"))
    if pending and not ops["changed"]:
        ops = dict(ops, changed=True, diff={
            "before": ops["diff"]["before"] + ["saved for boot: not since an earlier run changed the firewall"],
            "after": ops["diff"]["after"] + ["saved for boot: what runs now"]})
    ops["warnings"] = [boot["warn"]] if boot["warn"] and ops["changed"] else []
    if not ops["changed"]:
        return dict(ops, commands=[], after=have)
    out = []
    if saving and not pending and (ops["sets"] or ops["add"] or ops["remove"] or ops["sets_absent"]
                                   or ops.get("move")):
        out.append({"module": COMMAND, "args": {"argv": ["sh", "-c", MARK_PENDING, "sh", fwread.SAVE_PENDING]},
                    "label": "note a save for boot pending (%s)" % fwread.SAVE_PENDING})
    for s in ops["sets"]:
        out.append({"module": ADDRESS_SET, "live": True, "args": {
            "name": s["name"], "family": s["family"], "entries": s["entries"], "provider": "ipset"},
            "label": "set %s to %d entries" % (s["name"], len(s["entries"]))})
    for r in ops["add"]:
        out.append(_insert(have, r, "insert %s" % backends.describe("iptables", r)))
    for r in ops.get("move") or []:
        # Out and back in after the admin's rule that may drop one of its peers
        # (the module inserts nothing while the same rule is in the chain).
        out.append({"module": IPTABLES, "args": rule_args(r, "absent"), "live": True,
                    "label": "remove %s (ahead of a rule that may drop a peer)" % backends.describe("iptables", r)})
        out.append(_insert(have, r, "insert %s after it" % backends.describe("iptables", r)))
    for r in ops["remove"]:
        out.append({"module": IPTABLES, "args": rule_args(r, "absent"), "live": True,
                    "label": "remove %s" % backends.describe("iptables", r)})
    for s in ops["sets_absent"]:
        out.append({"module": ADDRESS_SET, "live": True, "args": {
            "name": s["name"], "family": s["family"], "provider": "ipset", "state": "absent"},
            "label": "remove set %s" % s["name"]})
    if saving:
        out.append(save_command(save_paths))
    after = backends.remember(have, "iptables", plan["component"], ops)
    if not check:
        after["_boot"] = dict(after.get("_boot") or {}, save_pending=False)
    return dict(ops, commands=out, after=after)


def _insert(have, r, label):
    """The insert of ``r`` (ours): at the top, unless the read has an admin's rule in
    its chain that may drop one of its peers; then the chain is read again right
    before the insert (earlier changes moved it: ``reread``) and ours goes right after
    the last such rule (``args`` is a callable of that read's stdout)."""
    if not backends.peer_denies(have, r):
        return {"module": IPTABLES, "args": rule_args(r, "present"), "label": label, "live": True}

    def args(text):
        return rule_args(r, "present", backends.insert_position({"_denies": {r["family"]: fwread.iptables_order(text)}}, r))

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

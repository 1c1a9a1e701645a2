# -*- coding: utf-8 -*-
# Copyright: (c) 2026, webroot.enterprise contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""One component's Table 11 rules on one host, in one task (see the module's doc).

1. Plan (controller, Python, rules.host_plan): every input is checked before
   anything is read or changed on the host.
2. Read the host's firewall once per run: the read is kept in the result the role
   registers (``webroot_plan.firewall``) and reused by the next component role on
   the same host, updated with what this one changed.
3. Diff (backends.ops / windows_ops) and call the standard modules for what differs
   only; nothing at all when nothing differs. Check mode and --diff come from the
   same difference, with no module called for a change.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

from xml.sax.saxutils import escape


from ansible_collections.webroot.enterprise.plugins.plugin_utils import backends as B
from ansible_collections.webroot.enterprise.plugins.module_utils import fwread as FW
from ansible_collections.webroot.enterprise.plugins.plugin_utils import rules as R
from ansible_collections.webroot.enterprise.plugins.plugin_utils import winfw as W
from ansible_collections.webroot.enterprise.plugins.plugin_utils.estate import peers_of
from ansible_collections.webroot.enterprise.plugins.plugin_utils.settings import component_settings, role_variables
from ansible_collections.webroot.enterprise.plugins.plugin_utils import engine as E
from ansible_collections.webroot.enterprise.plugins.plugin_utils import resolve as N

ARGUMENT_SPEC = dict(
    component=dict(type="str", required=True, choices=list(B.COMPONENTS)),
    state=dict(type="str", default="present", choices=list(R.STATES)),
    port=dict(type="raw", default=""),
    peers=dict(type="list", elements="str", default=[]),
    any_peer=dict(type="raw", default=False),   # a yes/no, read by settings.boolean as everywhere
    backend=dict(type="str", default="auto", choices=list(R.BACKEND_CHOICES)),
    firewalld_zone=dict(type="str", default=""),
    windows_profiles=dict(type="list", elements="str", default=["domain", "private"],
                          choices=list(R.WINDOWS_PROFILES)),
    windows_program=dict(type="str", default=""),
)


class ActionModule(E.Action):
    ARGUMENT_SPEC = ARGUMENT_SPEC
    _VALID_ARGS = frozenset(ARGUMENT_SPEC)

    def act(self, result, args, task_vars):
        comp = args["component"]
        host = E.Host(self, task_vars)
        previous = task_vars.get("webroot_plan")
        previous = previous if isinstance(previous, dict) else {}
        try:
            plan = self._plan(comp, args, task_vars)
            if host.var_bool("webroot_validate_only", False):
                # Plan only (the documented webroot_validate_only): nothing is read or changed.
                result.update(_earlier_plans(previous))
                result.update({comp: plan, "changed": False, "changes": []})
                return result
            if args["backend"] == "windows" or host.is_windows(args["backend"]):
                if not args["windows_profiles"]:
                    raise R.RuleError("%s_windows_profiles is empty: a Windows Firewall rule must apply to "
                                      "at least one of domain, private, public." % comp)
            backend, found, reads = self._found(host, args["backend"], previous)
            check = bool(self._task.check_mode)
            if backend == "windows":
                policy = W.profile_policy(found, args["windows_profiles"])
                if plan["rules"] and policy["ignored"] and not host.var_bool("webroot_windows_accept_gpo", False):
                    raise R.RuleError(_gpo_refusal(host.name, policy))
                inbound = any(r.get("direction") == "in" for r in plan["rules"])
                if inbound and policy["blocked"] and not host.var_bool("webroot_windows_accept_gpo", False):
                    raise R.RuleError(_blocked_refusal(host.name, policy))
                result["windows_profiles"] = policy
                result["warnings"] = policy["warnings"] if plan["rules"] else []
                ops, after = apply_windows(host, plan, found, args["windows_profiles"],
                                           args["windows_program"], check)
            else:
                ops, after = apply_linux(host, backend, plan, found, args["firewalld_zone"], check,
                                         _save_paths(self._templar, task_vars))
        except R.RuleError as exc:
            result.update(failed=True, msg="%s on %s: %s" % (comp, host.name, exc), changes=host.calls)
            return result
        except E.ModuleFailed as exc:
            result.update(failed=True, changes=host.calls, module_result=exc.result, msg="%s%s" % (
                exc, "; already changed before the failure: %s" % "; ".join(host.calls) if host.calls
                else "; nothing was changed before the failure"))
            return result
        kept = _kept_warnings(host.name, plan, ops.get("kept") or {})
        if kept:
            result["warnings"] = list(result.get("warnings") or []) + kept
        result.update(_earlier_plans(previous))
        result[comp] = plan
        reads[backend] = after
        result["firewall"] = {"auto": backend if args["backend"] == "auto" else previous.get(
            "firewall", {}).get("auto"), "reads": reads}
        result["backend"] = backend
        result["changed"] = bool(ops["changed"])
        outcomes = dict(previous.get("outcomes") or {}) if isinstance(previous.get("outcomes"), dict) else {}
        outcomes[comp] = "changed" if ops["changed"] else "ok"
        result["outcomes"] = outcomes
        result["changes"] = host.calls
        if ops.get("warnings"):
            result["warnings"] = list(result.get("warnings") or []) + [
                "%s on %s: %s" % (comp, host.name, w) for w in ops["warnings"]]
        if ops["changed"]:
            result["diff"] = {
                "before_header": "%s: ours on %s (%s)" % (comp, host.name, backend),
                "after_header": "%s: ours on %s (%s)" % (comp, host.name, backend),
                "before": "".join(line + "\n" for line in ops["diff"]["before"]),
                "after": "".join(line + "\n" for line in ops["diff"]["after"]),
            }
        return result

    def _plan(self, comp, args, task_vars):
        names = role_variables(comp)
        # The options are the role's variables (its one task passes each), read as the
        # validation and verify read them (settings.component_settings).
        args = component_settings(comp, dict((names[k], v) for k, v in args.items() if k in names))
        known = names.values()
        given = [k for k in task_vars if k.startswith(comp + "_")]
        settings = E.collection_settings(self._templar, task_vars)
        groups = task_vars.get("groups") or {}
        host = task_vars.get("inventory_hostname")
        estate = task_vars.get("webroot_estate")
        allowed = R.allowed_networks(self._templar.template(task_vars.get("webroot_allowed_networks", [])))
        if isinstance(estate, dict) and isinstance(estate.get("addresses"), dict) and not estate.get("failed"):
            # This run's estate validation knows every address already.
            # Checked like the inventory: a webroot_estate can also come from outside (-e).
            addresses, left_out, unknown = R.check_estate(estate, allowed)
            cache = R.HostvarsCache(task_vars.get("hostvars") or {}, addresses=addresses)
            cache.why.update(left_out)
            cache.unknown.update(unknown)
        else:
            cache = R.HostvarsCache(task_vars.get("hostvars") or {})
            cache.allowed = allowed
            if settings["resolve"] and args["state"] == "present" and not args["peers"] and not args["any_peer"]:
                names = {}
                for peer in peers_of(comp, host, groups):
                    name = R.name_to_resolve(peer, cache)
                    if name:
                        names[peer] = name
                answers = N.resolve(sorted(set(names.values())), timeout=settings["resolve_timeout"])
                cache.resolved = dict((h, answers.get(n, (None, None))) for h, n in names.items())
        plan = R.host_plan(comp, host, groups, cache, {
            "state": args["state"], "port": args["port"], "peers": args["peers"], "any_peer": args["any_peer"],
            "strict": settings["strict"], "client_networks": settings["client_networks"],
            "max_removed_share": self._templar.template(
                task_vars.get("webroot_max_removed_share", R.DEFAULT_MAX_REMOVED_SHARE)),
        }, given_vars=given, known_vars=known, management_port=[
            self._templar.template(task_vars.get(v)) for v in R.MANAGEMENT_PORT_VARS])
        left = sorted(set(h for r in plan["rules"] for h in r.get("left_out", [])))
        if left:
            plan["left_out"] = dict((h, cache.why.get(h) or "no known address") for h in left)
        unknown = sorted(set(h for r in plan["rules"] for h in r.get("unknown", [])))
        if unknown:
            plan["unknown"] = dict((h, str(cache.unknown.get(h) or "address unknown this run")) for h in unknown)
        return plan

    @staticmethod
    def _found(host, backend, previous):
        """(backend, ours found, every read kept) from this run's earlier read, else one read."""
        cached = previous.get("firewall") if isinstance(previous.get("firewall"), dict) else {}
        reads = dict(cached.get("reads") or {})
        key = cached.get("auto") if backend == "auto" else backend
        if key and key in reads:
            return key, reads[key], reads
        found_backend, raw = host.read(backend)
        if found_backend == "windows":
            return found_backend, raw, reads
        return found_backend, B.ours(found_backend, raw, E.management_ports(host.var("ansible_port"))), reads


def _kept_warnings(name, plan, kept):
    """One line per rule whose scope has hosts unknown this run: who, and that what
    the firewall admits was kept (the plan's rules say it too: ``unknown``, ``kept``)."""
    lines = []
    for rule in plan["rules"]:
        if not rule.get("unknown"):
            continue
        rule["kept"] = list(kept.get(rule["direction"]) or [])
        lines.append(
            "%s %s %s/%s on %s: the address of %s is unknown this run (%s); nothing was removed from this "
            "rule, the known addresses were added and what the firewall admits was kept%s. The first run "
            "that knows every host of the scope removes what is stale (docs/safety.md)." % (
                plan["component"], rule["direction"], rule["port"], rule["protocol"], name,
                ", ".join(rule["unknown"]), "; ".join("%s: %s" % (h, (plan.get("unknown") or {}).get(h, "unknown"))
                                                      for h in rule["unknown"][:10]),
                " (%d address(es) no known host claims: %s)" % (len(rule["kept"]), ", ".join(rule["kept"][:20]))
                if rule["kept"] else ""))
    return lines


def _earlier_plans(previous):
    """The plans the earlier component roles of this run registered on the host."""
    return dict((name, previous[name]) for name in B.COMPONENTS if isinstance(previous.get(name), dict))


def _save_paths(templar, task_vars):
    def path(var, default):
        value = templar.template(task_vars.get(var, default))
        return value if value else None
    return {"ipv4": path("webroot_iptables_save_path", "/etc/iptables/rules.v4"),
            "ipv6": path("webroot_ip6tables_save_path", "/etc/iptables/rules.v6"),
            "ipset": path("webroot_ipset_save_path", "/etc/iptables/ipsets")}


def service_xml(rule):
    """Our firewalld service definition (one port), as firewalld writes its own."""
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        "<!-- Managed by Ansible (webroot.enterprise): do not edit. -->\n"
        "<service>\n"
        "  <short>Webroot %s</short>\n"
        "  <description>webroot.enterprise: %s</description>\n"
        '  <port protocol="%s" port="%s"/>\n'
        "</service>\n" % (escape(rule["title"]), escape(rule["description"]), rule["protocol"], rule["port"]))


def apply_linux(host, backend, plan, found, zone, check, save_paths):
    """Bring one component to its plan on a Linux firewall; returns (ops, found after)."""
    if backend == "firewalld":
        zone = zone or found.get("_default_zone")
    ops = B.ops(backend, plan, found, zone=zone)
    if backend == "iptables":
        return apply_iptables(host, plan, found, ops, check, save_paths)
    if not ops["changed"] or check:
        return ops, (B.remember(found, backend, plan["component"], ops) if ops["changed"] else found)
    comp = plan["component"]
    if backend == "ufw":
        moving = ops.get("move", [])
        for r in moving + ops["add"]:
            if r in moving:
                # An allow of ours ahead of an admin's later deny of a peer: out, then
                # in again right after it (that peer's port is closed in between).
                host.module("community.general.ufw", dict(_ufw_args(r), delete=True),
                            what="move (remove) %s" % B.describe("ufw", r))
            position = _ufw_position(host, found, r)
            if position is None:
                where = dict(insert=0, insert_relative_to="first-ipv6" if r["family"] == "ipv6" else "first-ipv4")
            else:
                where = {} if position == "append" else dict(insert=position, insert_relative_to="zero")
            host.module("community.general.ufw", dict(_ufw_args(r), **where),
                        what="insert %s" % B.describe("ufw", r))
        for r in ops["remove"]:
            host.module("community.general.ufw", dict(_ufw_args(r), delete=True),
                        what="remove %s" % B.describe("ufw", r))
    else:
        _apply_firewalld(host, plan, ops)
    return ops, B.remember(found, backend, comp, ops)


def apply_iptables(host, plan, found, ops, check, save_paths):
    """iptables: refused up front where a boot would not restore what is saved
    (B.iptables_boot); else the changes, then the save for boot (sets first, then
    the rules). A save pending from an earlier run (its save failed, or it was
    stopped before it) is done even when nothing else changes."""
    boot = B.iptables_boot(found.get("_boot"), save_paths)
    if boot["refuse"]:
        raise R.RuleError(boot["refuse"])
    saving = any(save_paths.get(k) for k in ("ipv4", "ipv6", "ipset"))
    pending = saving and bool((found.get("_boot") or {}).get("save_pending"))
    if pending and not ops["changed"]:
        ops = dict(ops, changed=True, diff={
            "before": ops["diff"]["before"] + ["saved for boot: not since an earlier run changed the firewall"],
            "after": ops["diff"]["after"] + ["saved for boot: what runs now"]})
    ops["warnings"] = [boot["warn"]] if boot["warn"] and ops["changed"] else []
    if not ops["changed"] or check:
        return ops, (B.remember(found, "iptables", plan["component"], ops) if ops["changed"] else found)
    if saving and not pending and (ops["sets"] or ops["add"] or ops["remove"] or ops["sets_absent"]
                                   or ops.get("move")):
        host.module("ansible.builtin.command", {"argv": ["sh", "-c", MARK_PENDING, "sh", FW.SAVE_PENDING]},
                    what="note a save for boot pending (%s)" % FW.SAVE_PENDING)
    changes = len(host.calls)
    try:
        for s in ops["sets"]:
            host.module("webroot.enterprise.address_set", {
                "name": s["name"], "family": s["family"], "entries": s["entries"], "provider": "ipset"},
                what="set %s to %d entries" % (s["name"], len(s["entries"])))
        for r in ops["add"]:
            host.module("ansible.builtin.iptables", _iptables_args(r, "present", _position(host, found, r)),
                        what="insert %s" % B.describe("iptables", r))
        for r in ops.get("move") or []:
            # Out and back in after the admin's rule that may drop one of its peers
            # (the module inserts nothing while the same rule is in the chain).
            host.module("ansible.builtin.iptables", _iptables_args(r, "absent"),
                        what="remove %s (ahead of a rule that may drop a peer)" % B.describe("iptables", r))
            host.module("ansible.builtin.iptables", _iptables_args(r, "present", _position(host, found, r)),
                        what="insert %s after it" % B.describe("iptables", r))
        for r in ops["remove"]:
            host.module("ansible.builtin.iptables", _iptables_args(r, "absent"),
                        what="remove %s" % B.describe("iptables", r))
        for s in ops["sets_absent"]:
            host.module("webroot.enterprise.address_set", {
                "name": s["name"], "family": s["family"], "provider": "ipset", "state": "absent"},
                what="remove set %s" % s["name"])
    except E.ModuleFailed:
        # What was changed before the failure is live: save it too, so that a
        # reboot restores what runs (the next run completes the rest).
        if saving and len(host.calls) > changes:
            try:
                _save_iptables(host, save_paths)
            except E.ModuleFailed:
                pass
        raise
    if saving:
        _save_iptables(host, save_paths)
    after = B.remember(found, "iptables", plan["component"], ops)
    after["_boot"] = dict(after.get("_boot") or {}, save_pending=False)
    return ops, after


def _position(host, found, r):
    """Where to insert ``r`` (ours): the top, unless the read has an admin's rule in
    its chain that may drop one of its peers; then the chain is read again (earlier
    changes moved it) and ours goes right after the last such rule."""
    if not B.peer_denies(found, r):
        return 1
    text = host.module("ansible.builtin.command", {
        "argv": ["ip6tables" if r["family"] == "ipv6" else "iptables", "-S"]})["stdout"]
    return B.insert_position({"_denies": {r["family"]: FW.iptables_order(text)}}, r)


def _ufw_position(host, found, r):
    """ufw: None (first of its family) unless the read has a rule of the admin's that
    denies one of its peers; then ufw's numbers are read again (each insert moves
    them) and ours goes right after the last such rule."""
    if not B.ufw_peer_denies(found, r):
        return None
    text = host.module("ansible.builtin.command", {"argv": ["ufw", "status", "numbered"]})["stdout"]
    position = B.ufw_insert_position({"_denies": FW.parse_ufw_denies(text)}, r)
    if position is not None and position > FW.ufw_last_numbers(text)[r["family"]]:
        return "append"   # after the last rule of its family: ufw cannot insert there
    return position


def _iptables_args(r, state, position=1):
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


def _ufw_args(r):
    peer = r.get("peer") or "any"
    return {"rule": "allow", "direction": r["direction"], "proto": r["protocol"],
            "from_ip": peer if r["direction"] == "in" else "any",
            "to_ip": peer if r["direction"] == "out" else "any",
            "to_port": str(r["port"]), "comment": r["comment"]}


def _save_iptables(host, save_paths):
    """Save what runs for boot, in one call: the ipsets first (all of them, as
    ipset-persistent does), then the IPv4 rules, then the IPv6 rules (where the
    host has IPv6 and an ip6tables table, or a saved file), each written to a
    temporary file that mktemp makes in the target's directory and renamed over
    it (a boot never reads half a file, nor rules saved ahead of the sets they
    name); then the pending-save note is removed. A path that is None is not
    saved."""
    host.module("ansible.builtin.command", {"argv": [
        "sh", "-c", SAVE_FOR_BOOT, "sh", save_paths.get("ipset") or "", save_paths.get("ipv4") or "",
        save_paths.get("ipv6") or "", FW.SAVE_PENDING]},
        what="save for boot: ipsets to %s, rules to %s" % (
            save_paths.get("ipset") or "(not saved)",
            " and ".join(p for p in (save_paths.get("ipv4"), save_paths.get("ipv6")) if p) or "(not saved)"))


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


def _apply_firewalld(host, plan, ops):
    comp = plan["component"]
    service = R.service_name(comp)
    # ops["reload"]: also a service or ipset that an earlier run created and did not
    # get to reload (stopped in between): the runtime does not have it yet.
    reload_needed = bool(ops.get("reload"))
    if ops.get("service_define"):
        rule = [r for r in plan["rules"] if r["direction"] == "in"][0]
        host.put_file(service_xml(rule), "/etc/firewalld/services/%s.xml" % service)
        reload_needed = True
    for s in ops["sets"] + ops.get("sets_runtime", []):
        result = host.module("webroot.enterprise.address_set", {
            "name": s["name"], "family": s["family"], "entries": s["entries"], "provider": "firewalld"},
            what="set %s to %d entries" % (s["name"], len(s["entries"])))
        reload_needed = reload_needed or bool(result.get("reload_required"))
    if reload_needed:
        # A new service or ipset reaches the running firewalld only through a reload
        # (a first run, a port change); the rich rules below name them. The module
        # reads the runtime afresh, reloads and puts back what is not ours (a fail2ban
        # ban, a port opened by hand, an interface podman bound): docs/safety.md.
        host.module("webroot.enterprise.firewalld_reload", {},
                    what="reload firewalld to load the new definitions, keeping its runtime configuration")
    for r in ops["add"]:
        host.module("ansible.posix.firewalld", _fwd_args(r, "enabled"), what="add %s" % B.describe("firewalld", r))
    for r in ops["remove"]:
        host.module("ansible.posix.firewalld", _fwd_args(r, "disabled"),
                    what="remove %s" % B.describe("firewalld", r))
    for s in ops["sets_absent"]:
        host.module("webroot.enterprise.address_set", {
            "name": s["name"], "family": s["family"], "provider": "firewalld", "state": "absent"},
            what="remove set %s" % s["name"])
    if ops.get("service_remove"):
        host.module("ansible.builtin.file", {"path": "/etc/firewalld/services/%s.xml" % service, "state": "absent"},
                    what="remove the service %s" % service)


def _fwd_args(r, state):
    args = {"zone": r["zone"], "permanent": True, "immediate": True, "state": state}
    if r.get("rich_rule"):
        args["rich_rule"] = r["rich_rule"]
    else:
        args["service"] = r["service"]
    return args


def apply_windows(host, plan, read, profiles, program, check):
    """Bring one component to its plan on Windows Firewall; returns (ops, read after)."""
    comp = plan["component"]

    def args_of(chunk):
        return W.module_args(chunk, profiles, program)

    ops = B.windows_ops(plan, read, comp, args_of, W.differences, com_values=W.new_values,
                        com_options=W.COMPARED)
    if ops["foreign"]:
        raise R.RuleError(_windows_refusal(host.name, ops))
    if not ops["changed"] or check:
        after = B.windows_remember(read, comp, ops, lambda c: W.com_rule(args_of(c))) if ops["changed"] else read
        return ops, after
    module = host.firewall_rule_module()
    # New and grown rules first, stale ones last: no moment where an address that
    # stays admitted is in no rule.
    for chunk, args in ops["write"]:
        host.module(module, args, what="%s rule '%s'" % (
            "remove the duplicates of" if args.get("state") == "absent" else "write", chunk["windows_name"]))
    for name in ops["stale"]:
        host.module(module, {"name": name, "state": "absent"}, what="remove rule '%s'" % name)
    return ops, B.windows_remember(read, comp, ops, lambda c: W.com_rule(args_of(c)))


def _gpo_refusal(name, policy):
    return (
        "Windows Firewall on %s does not apply local rules in the %s profile(s) that the rules target: "
        "Group Policy sets 'Apply local firewall rules' to No (AllowLocalPolicyMerge = 0; "
        "Get-NetFirewallProfile -PolicyStore ActiveStore shows AllowLocalFirewallRules False). Rules "
        "created here would be kept but not enforced, so the ports would stay closed; nothing was "
        "changed on this host. Either put the Webroot rules into the GPO that manages this firewall "
        "(the rules webroot.enterprise would write are in docs/windows.md), or allow local rule merge "
        "in that GPO (Windows Defender Firewall Properties > <profile> > Settings > Customize > Apply "
        "local firewall rules: Yes). To create the local rules anyway, set "
        "webroot_windows_accept_gpo: true." % (name, ", ".join(policy["ignored"])))


def _blocked_refusal(name, policy):
    return (
        "Windows Firewall on %s blocks all incoming connections in the %s profile(s) that the rules "
        "target, including those its allow rules admit (\"Block all incoming connections\", or Group "
        "Policy's \"Do not allow exceptions\": Get-NetFirewallProfile -PolicyStore ActiveStore shows "
        "AllowInboundRules False). Inbound rules created here would not take effect, so the Webroot ports "
        "would stay closed; nothing was changed on this host. Clear that setting (locally: "
        "Set-NetFirewallProfile -Name <profile> -AllowInboundRules True; or in the GPO that sets it), or "
        "to create the rules anyway, set webroot_windows_accept_gpo: true." % (name, ", ".join(policy["blocked"])))


def _windows_refusal(name, ops):
    return (
        "Windows Firewall on %s %s, with a name webroot.enterprise manages (names compared "
        "without case), that is not an allow rule of group 'Webroot Enterprise': it was not "
        "created by webroot.enterprise, so it is neither changed nor removed. Rename or remove "
        "it, e.g. in PowerShell: Get-NetFirewallRule -DisplayName '<name>' | Format-List "
        "DisplayName, Group, Action, Description. Nothing was changed on this host."
        % (name, "; ".join(ops["foreign"])))

# -*- coding: utf-8 -*-
# Copyright: (c) 2026, webroot.enterprise contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""One component's Table 11 rules on one host, in one task (see the module's doc).

1. Plan (controller, Python, rules.host_plan): every input is checked before
   anything is read or changed on the host.
2. Read the host's firewall once per run: the read is kept in the result the role
   registers (``webroot_plan.firewall``) and reused by the next component role on
   the same host, updated with what this one changed.
3. Commands: the backend's unit (plugin_utils/fw_iptables.py, fw_ufw.py,
   fw_firewalld.py, fw_windows.py) turns the plan (want) and the read (have) into the
   ready list of module calls, only for what differs; nothing at all when nothing
   differs. Check mode and --diff come from the same difference, with no command run.
4. Execute the commands (``execute``), then register the plan and the read after them.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.webroot.enterprise.plugins.plugin_utils import backends
from ansible_collections.webroot.enterprise.plugins.plugin_utils import fw_common
from ansible_collections.webroot.enterprise.plugins.plugin_utils import fw_firewalld
from ansible_collections.webroot.enterprise.plugins.plugin_utils import fw_iptables
from ansible_collections.webroot.enterprise.plugins.plugin_utils import fw_ufw
from ansible_collections.webroot.enterprise.plugins.plugin_utils import fw_windows
from ansible_collections.webroot.enterprise.plugins.plugin_utils import rules as rules_lib
from ansible_collections.webroot.enterprise.plugins.plugin_utils import winfw
from ansible_collections.webroot.enterprise.plugins.plugin_utils.estate import peers_of
from ansible_collections.webroot.enterprise.plugins.plugin_utils.hostvars import HostvarsCache
from ansible_collections.webroot.enterprise.plugins.plugin_utils.settings import component_settings, role_variables
from ansible_collections.webroot.enterprise.plugins.plugin_utils import engine
from ansible_collections.webroot.enterprise.plugins.plugin_utils import resolve as resolve_lib

ARGUMENT_SPEC = dict(
    component=dict(type="str", required=True, choices=list(fw_common.COMPONENTS)),
    state=dict(type="str", default="present", choices=list(rules_lib.STATES)),
    port=dict(type="raw", default=""),
    peers=dict(type="list", elements="str", default=[]),
    any_peer=dict(type="raw", default=False),   # a yes/no, read by settings.boolean as everywhere
    backend=dict(type="str", default="auto", choices=list(rules_lib.BACKEND_CHOICES)),
    firewalld_zone=dict(type="str", default=""),
    windows_profiles=dict(type="list", elements="str", default=["domain", "private"],
                          choices=list(rules_lib.WINDOWS_PROFILES)),
    windows_program=dict(type="str", default=""),
)


class ActionModule(engine.Action):
    ARGUMENT_SPEC = ARGUMENT_SPEC
    _VALID_ARGS = frozenset(ARGUMENT_SPEC)

    def act(self, result, args, task_vars):
        comp = args["component"]
        host = engine.Host(self, task_vars)
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
                    raise rules_lib.RuleError("%s_windows_profiles is empty: a Windows Firewall rule must apply to "
                                              "at least one of domain, private, public." % comp)
            backend, found, reads = self._found(host, args["backend"], previous)
            check = bool(self._task.check_mode)
            if backend == "windows":
                policy = winfw.profile_policy(found, args["windows_profiles"])
                if plan["rules"] and policy["ignored"] and not host.var_bool("webroot_windows_accept_gpo", False):
                    raise rules_lib.RuleError(_gpo_refusal(host.name, policy))
                inbound = any(r.get("direction") == "in" for r in plan["rules"])
                if inbound and policy["blocked"] and not host.var_bool("webroot_windows_accept_gpo", False):
                    raise rules_lib.RuleError(_blocked_refusal(host.name, policy))
                result["windows_profiles"] = policy
                result["warnings"] = policy["warnings"] if plan["rules"] else []
                ops, after = apply_windows(host, plan, found, args["windows_profiles"],
                                           args["windows_program"], check)
            else:
                ops, after = apply_linux(host, backend, plan, found, args["firewalld_zone"], check,
                                         _save_paths(self._templar, task_vars))
        except rules_lib.RuleError as exc:
            result.update(failed=True, msg="%s on %s: %s" % (comp, host.name, exc), changes=host.calls)
            return result
        except engine.ModuleFailed as exc:
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
        settings = engine.collection_settings(self._templar, task_vars)
        groups = task_vars.get("groups") or {}
        host = task_vars.get("inventory_hostname")
        estate = task_vars.get("webroot_estate")
        allowed = rules_lib.allowed_networks(self._templar.template(task_vars.get("webroot_allowed_networks", [])))
        if isinstance(estate, dict) and isinstance(estate.get("addresses"), dict) and not estate.get("failed"):
            # This run's estate validation knows every address already.
            # Checked like the inventory: a webroot_estate can also come from outside (-e).
            addresses, left_out, unknown = rules_lib.check_estate(estate, allowed)
            cache = HostvarsCache(task_vars.get("hostvars") or {}, addresses=addresses)
            cache.why.update(left_out)
            cache.unknown.update(unknown)
        else:
            cache = HostvarsCache(task_vars.get("hostvars") or {})
            cache.allowed = allowed
            if settings["resolve"] and args["state"] == "present" and not args["peers"] and not args["any_peer"]:
                names = {}
                for peer in peers_of(comp, host, groups):
                    name = rules_lib.name_to_resolve(peer, cache)
                    if name:
                        names[peer] = name
                answers = resolve_lib.resolve(sorted(set(names.values())), timeout=settings["resolve_timeout"])
                cache.resolved = dict((h, answers.get(n, (None, None))) for h, n in names.items())
        plan = rules_lib.host_plan(comp, host, groups, cache, {
            "state": args["state"], "port": args["port"], "peers": args["peers"], "any_peer": args["any_peer"],
            "strict": settings["strict"], "client_networks": settings["client_networks"],
            "max_removed_share": self._templar.template(
                task_vars.get("webroot_max_removed_share", rules_lib.DEFAULT_MAX_REMOVED_SHARE)),
        }, given_vars=given, known_vars=known, management_port=[
            self._templar.template(task_vars.get(v)) for v in rules_lib.MANAGEMENT_PORT_VARS])
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
        return found_backend, backends.ours(found_backend, raw, engine.management_ports(host.var("ansible_port"))), reads


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
    return dict((name, previous[name]) for name in fw_common.COMPONENTS if isinstance(previous.get(name), dict))


def _save_paths(templar, task_vars):
    def path(var, default):
        value = templar.template(task_vars.get(var, default))
        return value if value else None
    return {"ipv4": path("webroot_iptables_save_path", "/etc/iptables/rules.v4"),
            "ipv6": path("webroot_ip6tables_save_path", "/etc/iptables/rules.v6"),
            "ipset": path("webroot_ipset_save_path", "/etc/iptables/ipsets")}


def apply_linux(host, backend, plan, found, zone, check, save_paths):
    """Bring one component to its plan on a Linux firewall: the backend's unit gives
    the commands (want: ``plan``, have: ``found``), ``execute`` runs them (none in check
    mode). Returns (the unit's result: changed, diff, kept, warnings..., found after)."""
    if backend == "iptables":
        diff = fw_iptables.commands(plan, found, save_paths, check=check)
    elif backend == "ufw":
        diff = fw_ufw.commands(plan, found)
    else:
        diff = fw_firewalld.commands(plan, found, zone)
    if diff["changed"] and not check:
        execute(host, diff["commands"])
    return diff, diff["after"]


def apply_windows(host, plan, read, profiles, program, check):
    """Bring one component to its plan on Windows Firewall; returns (the unit's
    result, read after)."""
    diff = fw_windows.commands(plan, read, profiles, program, module=host.firewall_rule_module(), host_name=host.name)
    if diff["changed"] and not check:
        execute(host, diff["commands"])
    return diff, diff["after"]


def execute(host, commands):
    """Run a backend unit's commands on the host, in order (plugin_utils/fw_*.py say
    what a command holds): ``file`` is written (Host.put_file); ``reread`` is made
    first and ``args`` called with its stdout; a ``when`` flag is raised by an earlier
    command's result (``reload_required``); when a command fails after a ``live`` one
    succeeded, the ``rescue`` commands after it run (their failure ignored) before the
    failure is raised."""
    flags = set()
    live = False
    for index, command in enumerate(commands):
        if command.get("when") and command["when"] not in flags:
            continue
        try:
            result = _run(host, command)
        except engine.ModuleFailed:
            if live:
                for later in commands[index + 1:]:
                    if later.get("rescue"):
                        try:
                            _run(host, later)
                        except engine.ModuleFailed:
                            pass
            raise
        live = live or bool(command.get("live"))
        if (result or {}).get("reload_required"):
            flags.add("reload_required")


def _run(host, command):
    if "file" in command:
        host.put_file(command["file"]["content"], command["file"]["dest"])
        return {}
    args = command["args"]
    if command.get("reread"):
        args = args(host.module(command["reread"]["module"], command["reread"]["args"])["stdout"])
    return host.module(command["module"], args, what=command.get("label"))


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

# -*- coding: utf-8 -*-
# Copyright: (c) 2026, webroot.enterprise contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""firewalld, one unit: what of the host's read is ours (have: :func:`ours`), what one
component's plan needs (want: :func:`want`), what differs (:func:`ops`), and from them
the ready list of module calls (commands): our service file,
``webroot.enterprise.address_set`` for our ipsets, ``webroot.enterprise.firewalld_reload``,
``ansible.posix.firewalld`` for our rich rules or service in the zone; and the read once
they are made (after).

Pure functions over plain data, used by the action plugin component_rules (which
executes the commands; it reads through ``backends.ours``) and the unit tests. Nothing
here talks to a host. What the backends share comes from fw_common.py.

How a plan rule becomes native objects: the ipsets of iptables (``webroot-<component>-v4``
/ ``-v6``) as firewalld ipsets, each named by one rich rule ``rule family=... source
ipset=... service name="webroot-<component>" accept`` in the component's zone;
``any_peer`` is our service in the zone. Zones do not filter outbound traffic: only
inbound rules are written.

What is ours (docs/safety.md): the exact accept rich rule above or our service in a
zone (our service in a zone other than the component's is the admin's), our service
definition and our ipsets. Anything else, a deny rule or a policy that names our
service or sets included, is foreign: kept, and it keeps what it names.

A command is a dict: ``module``, ``args``, ``label``; or ``file`` {content, dest}: a
file written on the host (our service definition, through ansible.builtin.copy). The
reload may depend on what the set calls answer: a set that firewalld did not have
yet answers ``reload_required``. When nothing known before the calls needs a reload
(a new service, a set the runtime lacks, an earlier run stopped before its reload),
the reload command carries ``when: "reload_required"``: it runs only when a command
before it answered ``reload_required``.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re
from xml.sax.saxutils import escape

from ansible_collections.webroot.enterprise.plugins.plugin_utils import fw_common
from ansible_collections.webroot.enterprise.plugins.plugin_utils import rules as rules_lib

FIREWALLD = "ansible.posix.firewalld"
ADDRESS_SET = "webroot.enterprise.address_set"
RELOAD = "webroot.enterprise.firewalld_reload"

_RICH_NAMES = re.compile(r'(?:ipset|service name)="([^"]*)"')


def rich_rule(family, ipset, service):
    return 'rule family="%s" source ipset="%s" service name="%s" accept' % (family, ipset, service)


# --- have: what of the read is ours -------------------------------------------

def ours(read, mgmt):
    """The rich rules, services in a zone, service ports and ipsets (permanent and
    runtime) of ours in one read (module firewall_info), keyed by component, with
    ``_foreign_refs`` (our names a foreign rule or policy uses), ``_default_zone``,
    ``_drift`` and ``_pending``. ``mgmt`` is not used: no rule of ours names a port."""
    fwd = read.get("firewalld") or {}
    found = fw_common.empty()
    exact = {}
    for comp in fw_common.COMPONENTS:
        for fam, _v in fw_common.FAMILIES:
            exact[rich_rule(fam, fw_common.set_name(comp, fam), rules_lib.service_name(comp))] = (comp, fam)
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
                                         "ipset": fw_common.set_name(comp, fam), "service": rules_lib.service_name(comp),
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
    for comp in fw_common.COMPONENTS:
        found[comp]["service_ports"] = None
        found[comp]["runtime_sets"] = {}
        if "runtime_services" in fwd:
            found[comp]["runtime_service_ports"] = None
    for field, where in (("services", "service_ports"), ("runtime_services", "runtime_service_ports")):
        for name, svc in (fwd.get(field) or {}).items():
            comp = _service_component(name)
            if comp:
                found[comp][where] = sorted(svc.get("ports") or [])
    for where, field in (("sets", "ipsets"), ("runtime_sets", "runtime_ipsets")):
        for name, s in (fwd.get(field) or {}).items():
            comp = fw_common.set_component(name)
            if comp is None:
                continue
            found[comp][where][name] = {"family": "ipv6" if name.endswith("-v6") else "ipv4",
                                        "entries": rules_lib.aggregate([fw_common.canonical_net(e) for e in s.get("entries") or []
                                                                        if fw_common.canonical_net(e)])}
    found["_foreign_refs"] = sorted(refs)
    found["_default_zone"] = fwd.get("default_zone")
    found["_drift"] = list(fwd.get("drift") or [])
    found["_pending"] = list(fwd.get("pending") or [])
    return found


def _service_component(name):
    for comp in fw_common.COMPONENTS:
        if name == rules_lib.service_name(comp):
            return comp
    return None


# --- want, and what differs ----------------------------------------------------

def want(plan, zone=None):
    """The ipsets and rich rules (or our service, any peer) ``plan`` (one
    component's) needs in ``zone``: inbound rules only."""
    rules, sets = [], {}
    service = rules_lib.service_name(plan["component"])
    for rule in plan.get("rules", []):
        if rule["direction"] != "in":
            continue  # zones do not filter outbound traffic
        if rule["any_peer"]:
            rules.append({"component": plan["component"], "zone": zone, "family": None, "ipset": None,
                          "service": service, "rich_rule": None})
            continue
        for fam, name, entries in fw_common.family_sets(plan["component"], rule["peers"]):
            sets[name] = {"family": fam, "entries": entries}
            rules.append({"component": plan["component"], "zone": zone, "family": fam, "ipset": name,
                          "service": service, "rich_rule": rich_rule(fam, name, service)})
    return {"rules": rules, "sets": sets}


def key(rule):
    return (rule.get("zone"), rule["family"], rule["ipset"], rule["service"])


def describe(rule):
    """One of our rules as one line, for --diff."""
    text = rule["rich_rule"] or "service %s in the zone (any source)" % rule["service"]
    return "zone %s: %s" % (rule.get("zone"), text) if rule.get("zone") else text


def _elsewhere(plan, part, found, zone):
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


def _service_ops(plan, part, wanted):
    inbound = [r for r in plan.get("rules", []) if r["direction"] == "in"]
    ports = ["%s/%s" % (plan["port"], plan["protocol"])]
    # A set is up to date only when its runtime entries match as well.
    runtime = part.get("runtime_sets", {})
    stale_runtime = [dict(name=n, **s) for n, s in sorted(wanted["sets"].items())
                     if runtime.get(n) != s and part.get("sets", {}).get(n) == s]
    # A service file of ours that the running firewalld has not loaded (a run stopped
    # between writing it and its reload, read without "runtime_services": unknown).
    runtime_ports = part.get("runtime_service_ports", ports)
    return {
        "service_define": bool(inbound) and part.get("service_ports") != ports,
        "service_reload": bool(inbound) and runtime_ports != ports,
        "service_remove": not inbound and part.get("service_ports") is not None,
        "sets_runtime": stale_runtime,
    }


def ops(plan, found, zone=None):
    """What to change for one component in ``zone``: {add, remove, sets, sets_absent,
    want, service_ports, kept, service_define, service_reload, service_remove,
    sets_runtime, reload, changed, diff} (``backends.ops``). Raises ForeignConflict
    also when a reload is needed and would load what firewalld holds in its
    permanent configuration only (``found["_pending"]``)."""
    part = fw_common.part_of(plan, found)
    part, found = _elsewhere(plan, part, found, zone)
    plan, kept = fw_common.hold_peers(plan, lambda: fw_common.peers_now(plan["component"], part), in_sets=True)
    wanted = want(plan, zone)
    out = fw_common.difference(plan, part, found, wanted, key, kept, _service_ops(plan, part, wanted))
    # A new service or ipset reaches the running firewalld only through a reload
    # (module firewalld_reload: it puts back what the runtime held, a fail2ban ban,
    # a port opened by hand, an interface bound by podman). Also when an earlier run
    # created one and stopped before its reload: the runtime does not have it yet.
    runtime = part.get("runtime_sets") or {}
    out["reload"] = bool(out.get("service_define") or out.get("service_reload")
                         or [s for s in wanted.get("sets", {}) if s not in runtime])
    pending = found.get("_pending") or []
    if out["reload"] and pending:
        raise fw_common.ForeignConflict(
            "%s: firewalld must be reloaded to load a new service or ipset of ours, and the reload "
            "would also load what firewalld holds in its permanent configuration only and cannot be "
            "taken out of the runtime again: %s. Nothing was changed on this host. Load it yourself "
            "when it is ready (firewall-cmd --reload) or delete it from the permanent configuration, "
            "then run again." % (plan["component"], "; ".join(pending)))
    fw_common.settle(out, part, wanted, describe)
    service = rules_lib.service_name(plan["component"])
    if part.get("service_ports") is not None:
        out["diff"]["before"] = sorted(out["diff"]["before"] + ["service %s: %s" % (
            service, " ".join(part["service_ports"]))])
    if wanted["rules"]:
        out["diff"]["after"] = sorted(out["diff"]["after"] + ["service %s: %s" % (
            service, " ".join(out["service_ports"]))])
    return out


def remember(found, component, result):
    """``found`` (from :func:`ours`) once ``result`` (:func:`ops`) has been applied:
    also the runtime as the reload leaves it."""
    out = fw_common.remember(found, component, result)
    after = out[component]
    inbound = bool(result["want"]["rules"])
    after["runtime_sets"] = dict(after["sets"])
    after["service_ports"] = result.get("service_ports") if inbound else None
    after["runtime_service_ports"] = after["service_ports"]
    return out


# --- commands ------------------------------------------------------------------

def commands(plan, have, zone=None):
    """The module calls that bring one component to its ``plan`` (want) on firewalld,
    in ``zone`` (empty: the read's default zone), from ``have``: :func:`ops`'s
    result (add, remove, sets, sets_runtime, sets_absent, service_define,
    service_remove, reload, changed, diff, kept) with ``commands`` (the service file
    and the sets first, then the reload that loads them, then the rich rules added,
    those removed, the sets and the service no longer used) and ``after`` (``have``
    once they are made)."""
    zone = zone or have.get("_default_zone")
    change = ops(plan, have, zone=zone)
    if not change["changed"]:
        return dict(change, commands=[], after=have)
    comp = plan["component"]
    service = rules_lib.service_name(comp)
    out = []
    # change["reload"]: also a service or ipset that an earlier run created and did not
    # get to reload (stopped in between): the runtime does not have it yet.
    reload_needed = bool(change.get("reload"))
    if change.get("service_define"):
        rule = [r for r in plan["rules"] if r["direction"] == "in"][0]
        dest = "/etc/firewalld/services/%s.xml" % service
        out.append({"file": {"content": service_xml(rule), "dest": dest}, "label": "write %s" % dest})
        reload_needed = True
    sets = change["sets"] + change.get("sets_runtime", [])
    for s in sets:
        out.append({"module": ADDRESS_SET, "args": {
            "name": s["name"], "family": s["family"], "entries": s["entries"], "provider": "firewalld"},
            "label": "set %s to %d entries" % (s["name"], len(s["entries"]))})
    if reload_needed or sets:
        # A new service or ipset reaches the running firewalld only through a reload
        # (a first run, a port change); the rich rules below name them. The module
        # reads the runtime afresh, reloads and puts back what is not ours (a fail2ban
        # ban, a port opened by hand, an interface podman bound): docs/safety.md.
        reload = {"module": RELOAD, "args": {},
                  "label": "reload firewalld to load the new definitions, keeping its runtime configuration"}
        if not reload_needed:
            reload["when"] = "reload_required"
        out.append(reload)
    for r in change["add"]:
        out.append({"module": FIREWALLD, "args": rule_args(r, "enabled"), "label": "add %s" % describe(r)})
    for r in change["remove"]:
        out.append({"module": FIREWALLD, "args": rule_args(r, "disabled"),
                    "label": "remove %s" % describe(r)})
    for s in change["sets_absent"]:
        out.append({"module": ADDRESS_SET, "args": {
            "name": s["name"], "family": s["family"], "provider": "firewalld", "state": "absent"},
            "label": "remove set %s" % s["name"]})
    if change.get("service_remove"):
        out.append({"module": "ansible.builtin.file",
                    "args": {"path": "/etc/firewalld/services/%s.xml" % service, "state": "absent"},
                    "label": "remove the service %s" % service})
    return dict(change, commands=out, after=remember(have, comp, change))


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


def rule_args(r, state):
    """The ``ansible.posix.firewalld`` options for one rich rule (or service) of ours."""
    args = {"zone": r["zone"], "permanent": True, "immediate": True, "state": state}
    if r.get("rich_rule"):
        args["rich_rule"] = r["rich_rule"]
    else:
        args["service"] = r["service"]
    return args

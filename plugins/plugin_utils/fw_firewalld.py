# -*- coding: utf-8 -*-
# Copyright: (c) 2026, webroot.enterprise contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""firewalld, one unit: from one component's plan (want) and the host's read (have:
``backends.ours("firewalld", read)``) to the ready list of module calls (commands):
our service file, ``webroot.enterprise.address_set`` for our ipsets,
``webroot.enterprise.firewalld_reload``, ``ansible.posix.firewalld`` for our rich rules
or service in the zone; and the read once they are made (after).

Pure functions over plain data, used by the action plugin component_rules (which
executes the commands) and the unit tests. Nothing here talks to a host. What is ours
and what differs come from backends.py (``ours``, ``ops``).

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

from xml.sax.saxutils import escape

from ansible_collections.webroot.enterprise.plugins.plugin_utils import backends
from ansible_collections.webroot.enterprise.plugins.plugin_utils import rules as rules_lib

FIREWALLD = "ansible.posix.firewalld"
ADDRESS_SET = "webroot.enterprise.address_set"
RELOAD = "webroot.enterprise.firewalld_reload"


def commands(plan, have, zone=None):
    """The module calls that bring one component to its ``plan`` (want) on firewalld,
    in ``zone`` (empty: the read's default zone), from ``have``: ``backends.ops``'s
    result (add, remove, sets, sets_runtime, sets_absent, service_define,
    service_remove, reload, changed, diff, kept) with ``commands`` (the service file
    and the sets first, then the reload that loads them, then the rich rules added,
    those removed, the sets and the service no longer used) and ``after`` (``have``
    once they are made)."""
    zone = zone or have.get("_default_zone")
    ops = backends.ops("firewalld", plan, have, zone=zone)
    if not ops["changed"]:
        return dict(ops, commands=[], after=have)
    comp = plan["component"]
    service = rules_lib.service_name(comp)
    out = []
    # ops["reload"]: also a service or ipset that an earlier run created and did not
    # get to reload (stopped in between): the runtime does not have it yet.
    reload_needed = bool(ops.get("reload"))
    if ops.get("service_define"):
        rule = [r for r in plan["rules"] if r["direction"] == "in"][0]
        dest = "/etc/firewalld/services/%s.xml" % service
        out.append({"file": {"content": service_xml(rule), "dest": dest}, "label": "write %s" % dest})
        reload_needed = True
    sets = ops["sets"] + ops.get("sets_runtime", [])
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
    for r in ops["add"]:
        out.append({"module": FIREWALLD, "args": rule_args(r, "enabled"), "label": "add %s" % backends.describe("firewalld", r)})
    for r in ops["remove"]:
        out.append({"module": FIREWALLD, "args": rule_args(r, "disabled"),
                    "label": "remove %s" % backends.describe("firewalld", r)})
    for s in ops["sets_absent"]:
        out.append({"module": ADDRESS_SET, "args": {
            "name": s["name"], "family": s["family"], "provider": "firewalld", "state": "absent"},
            "label": "remove set %s" % s["name"]})
    if ops.get("service_remove"):
        out.append({"module": "ansible.builtin.file",
                    "args": {"path": "/etc/firewalld/services/%s.xml" % service, "state": "absent"},
                    "label": "remove the service %s" % service})
    return dict(ops, commands=out, after=backends.remember(have, "firewalld", comp, ops))


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

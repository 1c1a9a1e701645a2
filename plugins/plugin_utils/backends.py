# -*- coding: utf-8 -*-
# Copyright: (c) 2026, webroot.enterprise contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The firewall backends by name, for callers that do not know which one a host has
(the action plugins component_rules and firewall_info, the unit tests).

Each backend is one unit (plugins/plugin_utils/fw_iptables.py, fw_ufw.py,
fw_firewalld.py, fw_windows.py): what of one read is ours (have), what a plan needs
(want), what differs (``ops``; Windows: fw_windows.windows_ops), and the ready list of
module calls (commands); callers that know the backend call its unit. What they share is
fw_common.py, below them. This file is above them all and only picks one by name:

- ``ours`` turns the one structured read (module firewall_info; Windows: the read
  script's object) into the objects of ours, keyed by component (have);
- ``found_plan`` gives a read in the shape of a plan, for reports and verify.

Pure functions over plain data. Nothing here talks to a host.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.webroot.enterprise.plugins.plugin_utils import fw_common
from ansible_collections.webroot.enterprise.plugins.plugin_utils import fw_firewalld
from ansible_collections.webroot.enterprise.plugins.plugin_utils import fw_iptables
from ansible_collections.webroot.enterprise.plugins.plugin_utils import fw_ufw
from ansible_collections.webroot.enterprise.plugins.plugin_utils import fw_windows
from ansible_collections.webroot.enterprise.plugins.plugin_utils.catalog import TABLE_11

UNITS = {"iptables": fw_iptables, "firewalld": fw_firewalld, "ufw": fw_ufw, "windows": fw_windows}


def ours(backend, read, management_ports=(22,)):
    """The objects of ours in one structured read, keyed by component.

    Also ``_foreign_refs``: the names of our services and sets that a foreign
    object uses (never removed), and for firewalld ``_default_zone``.
    """
    return UNITS[backend].ours(read or {}, tuple(int(p) for p in management_ports))


def found_plan(backend, found, zones=None):
    """{component: {component, state, port, protocol, rules: [{direction, port,
    protocol, any_peer, peers}]}} from ``ours(...)``: the shape of ``webroot_plan``.

    ``zones`` ({component: zone}) keeps, on firewalld, only the rules in the zone
    each component uses (empty: the default zone).
    """
    out = {}
    for row in TABLE_11:
        comp = row["component"]
        part = found.get(comp) or {"rules": [], "sets": {}}
        held = part["rules"]
        if backend == "firewalld" and zones is not None:
            zone = zones.get(comp) or found.get("_default_zone")
            held = [r for r in held if r.get("zone") == zone]
        if backend == "windows":
            scopes = [fw_windows.scope(r, row["port"]) for r in held]
        else:
            scopes = [fw_common.scope(part, r, row["port"]) for r in held]
        rules = fw_common.plan_rules(scopes, row["protocol"])
        if backend == "firewalld":
            for rule in rules:
                rule["port"] = int((part.get("service_ports") or ["%s/tcp" % rule["port"]])[0].split("/")[0])
        out[comp] = {"component": comp, "state": "present" if rules else "absent",
                     "port": rules[0]["port"] if rules else row["port"],
                     "protocol": row["protocol"], "rules": rules}
    return out

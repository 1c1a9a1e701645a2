# -*- coding: utf-8 -*-
# Copyright: (c) 2026, webroot.enterprise contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Windows Firewall SIMULATOR for the webroot.enterprise tests. Not for real hosts.

There is no Windows host where the tests run. This module keeps a Windows
Firewall rule table in a JSON file (the *store*) and reproduces what
community.windows.win_firewall_rule (win_firewall_rule.ps1, community.windows
3.x) does to the rule table through the HNetCfg.FwPolicy2 COM object:

- rules are selected by name (several rules may share one), or by group when no
  name is given;
- a new rule starts from the COM defaults, then the module sets the options it
  was given; ``enabled`` defaults to true;
- an existing rule is compared on the properties the task passed, and only
  those that differ are changed (the *Addresses lists compare as sets, strings
  compare case-insensitively as PowerShell's ``-ne`` does);
- ``state: absent`` removes every rule with the name (or in the group);
- check mode computes the same result and writes nothing; with diff the result
  carries ``diff.prepared`` in the module's format.

Stored values are those of the COM rule object (INetFwRule): Direction 1 (in) /
2 (out), Action 0 (block) / 1 (allow), Protocol number (6 = TCP, 256 = any),
Profiles bitmask (1 domain, 2 private, 4 public, 0x7fffffff all), ports and
addresses as comma-separated strings, "*" for any. Address strings follow the
COM form (an IPv4 host or network in address/mask notation) as far as the
simulator knows it; the tests decode them with :func:`remote_networks`.

The store path comes from the environment variable WEBROOT_WINFW_SIMULATOR_STORE
of the module process: the test playbooks set it per host with the play's
``environment:`` keyword, so each inventory host has its own rule table while
every host runs with ``ansible_connection: local``.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import ipaddress
import json
import os
import re
import tempfile
import uuid

STORE_ENV = "WEBROOT_WINFW_SIMULATOR_STORE"

DIRECTIONS = {"in": 1, "out": 2}
ACTIONS = {"block": 0, "allow": 1}
PROFILE_BITS = {"domain": 1, "private": 2, "public": 4}
ALL_PROFILES = 0x7FFFFFFF
PROTOCOL_ANY = 256
PROTOCOLS_WITH_PORTS = (6, 17)
E_INVALIDARG = "The parameter is incorrect. (Exception from HRESULT: 0x80070057 (E_INVALIDARG))"

# Properties the module compares, in its order ($fwPropertiesToCompare).
COMPARED = (
    "Description", "Direction", "Action", "ApplicationName", "Grouping", "ServiceName",
    "Enabled", "Profiles", "LocalAddresses", "RemoteAddresses", "LocalPorts", "RemotePorts",
    "Protocol", "InterfaceTypes", "EdgeTraversalOptions", "SecureFlags", "IcmpTypesAndCodes",
)
# Module option behind each compared property (None: not settable through the
# documented options, so never compared).
OPTION_OF = {
    "Description": "description", "Direction": "direction", "Action": "action",
    "ApplicationName": "program", "Grouping": "group", "ServiceName": "service",
    "Enabled": "enabled", "Profiles": "profiles", "LocalAddresses": "localip",
    "RemoteAddresses": "remoteip", "LocalPorts": "localport", "RemotePorts": "remoteport",
    "Protocol": "protocol", "InterfaceTypes": None, "EdgeTraversalOptions": None,
    "SecureFlags": None, "IcmpTypesAndCodes": "icmp_type_code",
}
ADDRESS_KEYWORDS = ("localsubnet", "dns", "dhcp", "wins", "defaultgateway", "intranet",
                    "intranetremoteaccess", "internet", "ply2renders", "*")
PORT_KEYWORDS = ("rpc", "rpc-epmap", "iphttps", "iphttpsin", "iphttpsout", "teredo",
                 "ply2disc", "mdns", "*")


class SimulatorError(Exception):
    """What the COM object or the module would throw; becomes fail_json."""


# --- the store -------------------------------------------------------------

def store_path(environ=None):
    environ = os.environ if environ is None else environ
    path = environ.get(STORE_ENV)
    if not path:
        raise SimulatorError(
            "Windows Firewall simulator: set %s to the JSON rule store of this host "
            "(the test playbooks do it with the play's environment: keyword)" % STORE_ENV)
    return path


def load(path):
    if not os.path.exists(path):
        return []
    with open(path) as handle:
        data = json.load(handle)
    return list(data.get("rules", []))


def save(path, rules):
    directory = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix=".winfw-", dir=directory)
    with os.fdopen(fd, "w") as handle:
        json.dump({"simulator": "Windows Firewall simulator (webroot.enterprise tests)",
                   "rules": rules}, handle, indent=2, sort_keys=True)
        handle.write("\n")
    os.rename(tmp, path)


def new_com_rule():
    """A fresh HNetCfg.FWRule as COM creates it."""
    return {
        "Id": "{%s}" % str(uuid.uuid4()).upper(),
        "Name": None,
        "Description": None,
        "ApplicationName": None,
        "ServiceName": None,
        "Protocol": PROTOCOL_ANY,
        "LocalPorts": None,
        "RemotePorts": None,
        "LocalAddresses": "*",
        "RemoteAddresses": "*",
        "IcmpTypesAndCodes": None,
        "Direction": 1,
        "Interfaces": None,
        "InterfaceTypes": "All",
        "Enabled": False,
        "Grouping": None,
        "Profiles": ALL_PROFILES,
        "EdgeTraversal": False,
        "Action": 1,
        "EdgeTraversalOptions": 0,
        "SecureFlags": 0,
    }


# --- what the COM setters accept and how they normalise ---------------------

def protocol_number(value):
    """ConvertTo-ProtocolType of the module."""
    text = str(value).strip()
    if re.match(r"^-?\d+$", text):
        return int(text)
    low = text.lower()
    if low == "tcp":
        return 6
    if low == "udp":
        return 17
    if low.startswith("icmpv4"):
        return 1
    if low.startswith("icmpv6"):
        return 58
    raise SimulatorError("Unknown protocol '%s'." % value)


def ports(value):
    """LocalPorts/RemotePorts setter: numbers, ranges and keywords, comma-separated."""
    items = [item.strip() for item in str(value).split(",")]
    for item in items:
        if item.lower() in PORT_KEYWORDS:
            continue
        match = re.match(r"^(\d+)(?:-(\d+))?$", item)
        if not match:
            raise SimulatorError(E_INVALIDARG)
        low = int(match.group(1))
        high = int(match.group(2) or low)
        if not (0 <= low <= 65535 and 0 <= high <= 65535 and low <= high):
            raise SimulatorError(E_INVALIDARG)
    return ",".join(items)


def _address(item):
    low = item.lower()
    if low in ADDRESS_KEYWORDS:
        return item
    if "-" in item:
        first, last = item.split("-", 1)
        ipaddress.ip_address(first.strip())
        ipaddress.ip_address(last.strip())
        return "%s-%s" % (first.strip(), last.strip())
    if "/" in item:
        addr, mask = item.split("/", 1)
        if "." in mask:  # address/mask form
            net = ipaddress.ip_network("%s/%s" % (addr, mask), strict=False)
            prefix = net.prefixlen
            host = ipaddress.ip_address(addr)
        else:
            prefix = int(mask)
            host = ipaddress.ip_address(addr)
            ipaddress.ip_network("%s/%d" % (addr, prefix), strict=False)
    else:
        host = ipaddress.ip_address(item)
        prefix = host.max_prefixlen
    if host.version == 4:
        mask = str(ipaddress.ip_network("0.0.0.0/%d" % prefix).netmask)
        return "%s/%s" % (host, mask)
    return "%s/%d" % (host, prefix)


def addresses(value):
    """LocalAddresses/RemoteAddresses setter: COM keeps the address/mask form."""
    out = []
    for item in str(value).split(","):
        item = item.strip()
        try:
            out.append(_address(item))
        except ValueError:
            raise SimulatorError(E_INVALIDARG)
    return ",".join(out)


def profile_mask(names):
    """ConvertTo-Profile of the module."""
    total = 0
    seen = []
    for name in names:
        if name in seen:
            continue
        seen.append(name)
        if name not in PROFILE_BITS:
            raise SimulatorError("Unknown profile '%s'." % name)
        total += PROFILE_BITS[name]
    if total == 7:
        return ALL_PROFILES
    return total


# --- decoding, for the tests -----------------------------------------------

def profile_names(mask):
    if mask == ALL_PROFILES:
        return ["domain", "private", "public"]
    return [name for name, bit in sorted(PROFILE_BITS.items(), key=lambda kv: kv[1]) if mask & bit]


def remote_networks(value):
    """RemoteAddresses as a sorted list of CIDR strings (['*'] for any)."""
    if value in (None, "", "*"):
        return ["*"]
    out = []
    for item in value.split(","):
        addr, _sep, mask = item.partition("/")
        out.append(str(ipaddress.ip_network("%s/%s" % (addr, mask) if mask else addr, strict=False)))
    return sorted(out)


# --- the module's logic ----------------------------------------------------

def build_new_rule(params):
    """$new_rule of the module, in the order it sets the properties."""
    rule = new_com_rule()
    if params.get("name"):
        rule["Name"] = params["name"]
    rule["Enabled"] = params["enabled"] if params.get("enabled") is not None else True
    if params.get("description") is not None:
        rule["Description"] = params["description"]
    if params.get("group") is not None:
        rule["Grouping"] = params["group"]
    program = params.get("program")
    if program is not None and program != "any":
        rule["ApplicationName"] = program
    service = params.get("service")
    if service is not None and service != "any":
        rule["ServiceName"] = service
    protocol = params.get("protocol")
    if protocol is not None and protocol != "any":
        rule["Protocol"] = protocol_number(protocol)
        if rule["Protocol"] in PROTOCOLS_WITH_PORTS:
            rule["LocalPorts"] = "*"
            rule["RemotePorts"] = "*"
    for option, prop in (("localport", "LocalPorts"), ("remoteport", "RemotePorts")):
        value = params.get(option)
        if value is not None and value != "any":
            if rule["Protocol"] not in PROTOCOLS_WITH_PORTS:
                raise SimulatorError(E_INVALIDARG)
            rule[prop] = ports(value)
    for option, prop in (("localip", "LocalAddresses"), ("remoteip", "RemoteAddresses")):
        value = params.get(option)
        if value is not None and value != "any":
            rule[prop] = addresses(value)
    icmp = params.get("icmp_type_code")
    if icmp is not None:
        icmp = ",".join(icmp)
        if icmp != "any":
            if rule["Protocol"] not in (1, 58):
                raise SimulatorError(E_INVALIDARG)
            rule["IcmpTypesAndCodes"] = icmp
    if params.get("direction") is not None:
        rule["Direction"] = DIRECTIONS[params["direction"]]
    if params.get("action") is not None:
        rule["Action"] = ACTIONS[params["action"]]
    if params.get("profiles") is not None:
        rule["Profiles"] = profile_mask(params["profiles"])
    return rule


def _same(prop, old, new):
    if prop.endswith("Addresses"):
        return sorted((old or "").lower().split(",")) == sorted((new or "").lower().split(","))
    if isinstance(old, str) and isinstance(new, str):
        return old.lower() == new.lower()
    return old == new


def _fmt(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "True" if value else "False"
    return str(value)


def _selected(rules, params):
    if params.get("name"):
        return [r for r in rules if (r.get("Name") or "").lower() == params["name"].lower()]
    group = (params.get("group") or "").lower()
    return [r for r in rules if (r.get("Grouping") or "").lower() == group]


def run(rules, params, check_mode=False):
    """Apply the module to ``rules`` (list of dicts, changed in place unless check_mode).

    Returns the module result (without diff, see ``prepared`` in it).
    """
    if not params.get("name") and not params.get("group"):
        raise SimulatorError("Either name or group must be specified")
    new_rule = build_new_rule(params)
    existing = _selected(rules, params)
    result = {"changed": False}
    prepared = ""
    if params["state"] == "absent":
        if not existing:
            if params.get("name"):
                result["msg"] = "Firewall rule '%s' does not exist." % params["name"]
            else:
                result["msg"] = "No firewall rules in group '%s' exist." % params["group"]
        else:
            for rule in existing:
                prepared += "-[%s]\n" % rule["Name"]
                for prop in COMPARED:
                    prepared += "-%s='%s'\n" % (prop, _fmt(rule.get(prop)))
                if not check_mode:
                    rules.remove(rule)
                result["changed"] = True
            result["msg"] = "Firewall rule(s) '%s' removed." % "', '".join(r["Name"] for r in existing)
    elif not existing and params.get("name"):
        prepared += "+[%s]\n" % new_rule["Name"]
        for prop in COMPARED:
            prepared += "+%s='%s'\n" % (prop, _fmt(new_rule.get(prop)))
        if not check_mode:
            rules.append(new_rule)
        result["changed"] = True
        result["msg"] = "Firewall rule '%s' created." % params["name"]
    elif existing:
        changed_rules, unchanged_rules = [], []
        for rule in existing:
            prepared += "[%s]\n" % rule["Name"]
            changed = False
            for prop in COMPARED:
                option = OPTION_OF[prop]
                if option is None or params.get(option) is None:
                    continue
                if _same(prop, rule.get(prop), new_rule.get(prop)):
                    continue
                prepared += "-%s='%s'\n" % (prop, _fmt(rule.get(prop)))
                prepared += "+%s='%s'\n" % (prop, _fmt(new_rule.get(prop)))
                if not check_mode:
                    rule[prop] = new_rule.get(prop)
                changed = True
            if changed:
                result["changed"] = True
                changed_rules.append(rule["Name"])
            else:
                unchanged_rules.append(rule["Name"])
        result["msg"] = "Firewall rule(s) changed '%s' - unchanged '%s'" % (
            "', '".join(changed_rules), "', '".join(unchanged_rules))
    result["prepared"] = prepared
    return result


# --- the read step: Get-NetFirewallRule ------------------------------------

def net_firewall_rule(rule):
    """The object the role's read script outputs for one rule."""
    return {
        "Name": rule["Id"],
        "DisplayName": rule.get("Name") or "",
        "Group": rule.get("Grouping") or "",
        "Direction": "Inbound" if rule.get("Direction") == 1 else "Outbound",
        "Enabled": bool(rule.get("Enabled")),
    }


def get_net_firewall_rule(rules, group=None, display_names=()):
    """Get-NetFirewallRule -Group G, plus -DisplayName N..., unique by Name (sorted)."""
    found = {}
    wanted = set(n.lower() for n in display_names or ())
    for rule in rules:
        in_group = group is not None and (rule.get("Grouping") or "").lower() == group.lower()
        named = (rule.get("Name") or "").lower() in wanted
        if in_group or named:
            found[rule["Id"]] = net_firewall_rule(rule)
    return [found[key] for key in sorted(found)]

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

Where each behaviour comes from (the real sources it copies; line numbers are those
of the cited commit, which is the version the ``ansible`` 12 package bundles):

- CW: community.windows ``plugins/modules/win_firewall_rule.ps1`` at
  3b606203a2dc71ea8278a0581a51b3cacfd0677f (identical to the bundled 3.1.0).
- LEGACY: ansible/ansible ``lib/ansible/module_utils/powershell/Ansible.ModuleUtils.Legacy.psm1``
  at c9ac477e53a99e95781f333eec3329a935c1bf95 (line 187 unchanged in ansible-core 2.19).
- BASIC: ansible/ansible ``lib/ansible/module_utils/csharp/Ansible.Basic.cs`` at
  c9ac477e53a99e95781f333eec3329a935c1bf95, lines 960-983 (line 981 in ansible-core 2.19.14).
- MSDOC-ADDR: Microsoft, INetFwRule::put_RemoteAddresses (netfw.h),
  https://learn.microsoft.com/en-us/windows/win32/api/netfw/nf-netfw-inetfwrule-put_remoteaddresses
- WILDCARD: PowerShell/PowerShell
  ``src/Microsoft.PowerShell.Commands.Management/cimSupport/cmdletization/cim/clientSideQuery.cs``
  (``WildcardEqual``: ``WildcardPattern.Get(expected, WildcardOptions.IgnoreCase).IsMatch(actual)``;
  ``NonWildcardEqual``: ``StringComparison.OrdinalIgnoreCase``), and
  ``src/System.Management.Automation/engine/regex.cs`` (``WildcardPattern``: special
  characters ``*?[]`` and the escape character a backtick); Get-NetFirewallRule is a
  CDXML (cmdletization) cmdlet whose -DisplayName "Wildcard characters are accepted"
  (MicrosoftDocs/windows-powershell-docs
  ``docset/winserver2022-ps/netsecurity/Get-NetFirewallRule.md``, -DisplayName).
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

# Remote addresses per rule. Windows Firewall refuses a rule with more than 1,000
# remote address entries on Windows 10 and Windows Server 2016-2019 (newer builds
# accept more, Windows 11 up to 10,000); the simulator enforces the lower figure,
# which is what a mixed estate must fit. The figure is not documented by Microsoft;
# it comes from users who hit it:
#   MichaelApproved/powershell-block-windows-attack#1 ("a maximum of 1,000 IPs which
#     can be added to the scope of a firewall rule"),
#   henrypp/simplewall#1250 ("The limit is 1,000. (Windows 10) Windows 11 can
#     register up to 10,000."),
#   devnulli/EvlWatcher#112 (rules slow to load well before that).
# Windows counts entries, not addresses: each comma-separated token is one entry,
# a range (a-b) or a subnet (a/m) is one entry however many addresses it covers.
MAX_REMOTE_ADDRESSES = 1000

# Option values checked against a list of choices. The real win_firewall_rule reads
# its options with Ansible.ModuleUtils.Legacy, whose -ValidateSet test is
# "$ValidateSet -contains ($obj.$name)" (LEGACY line 187): PowerShell's -contains is
# case-insensitive and the value is kept as given. The module then compares it with
# -eq / switch, also case-insensitive (CW lines 28-47, 232, 261).
CHOICES = {"state": ("present", "absent"), "direction": ("in", "out"), "action": ("allow", "block")}


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


def address_entries(value):
    """How many entries Windows counts in an address list: one per comma-separated token."""
    if value in (None, "", "*"):
        return 0
    return len([item for item in str(value).split(",") if item.strip()])


def addresses(value, prop="RemoteAddresses"):
    """LocalAddresses/RemoteAddresses setter: COM keeps the address/mask form.

    MSDOC-ADDR: "A subnet can be specified using either the subnet mask or network
    prefix notation. If neither a subnet mask nor a network prefix is specified, the
    subnet mask defaults to 255.255.255.255", so 198.18.10.21, 198.18.10.21/32 and
    198.18.10.21/255.255.255.255 are one and the same entry, read back in the
    address/mask form; the community.windows integration tests rely on it
    (tests/integration/targets/win_firewall_rule/tasks/main.yml lines 222-332 at the
    CW commit: /24 then /255.255.255.0, and a bare IPv4 address, rerun without change).
    """
    out = []
    for item in str(value).split(","):
        item = item.strip()
        try:
            out.append(_address(item))
        except ValueError:
            raise SimulatorError(E_INVALIDARG)
    if prop == "RemoteAddresses" and len(out) > MAX_REMOTE_ADDRESSES:
        raise SimulatorError(
            'Exception setting "RemoteAddresses": "%s" (Windows Firewall simulator: %d remote '
            "address entries; Windows Firewall accepts at most %d per rule on Windows 10 / "
            "Server 2016-2019, a range or subnet counting as one entry)"
            % (E_INVALIDARG, len(out), MAX_REMOTE_ADDRESSES))
    return ",".join(out)


def profile_mask(names):
    """ConvertTo-Profile of the module (CW lines 50-64).

    ``$profilesList | Select-Object -Unique`` is case-sensitive in Windows
    PowerShell 5.1 (PowerShell/PowerShell#12059; -CaseInsensitive only came with
    PowerShell 7.4), while ``switch`` matches case-insensitively: so ``Domain`` is
    accepted, and ``[domain, Domain]`` counts the domain bit twice (2, i.e.
    "private") exactly as the real module does. A sum of 7 becomes 0x7fffffff.
    """
    total = 0
    seen = []
    for name in names:
        if name in seen:  # Select-Object -Unique: case-sensitive
            continue
        seen.append(name)
        bit = PROFILE_BITS.get(str(name).lower())  # switch: case-insensitive
        if bit is None:
            raise SimulatorError("Unknown profile '%s'." % name)
        total += bit
    if total == 7:
        return ALL_PROFILES
    return total


def check_choice(option, value):
    """Legacy -ValidateSet (LEGACY line 187): case-insensitive, the value kept as given."""
    if value is None or option not in CHOICES:
        return value
    if str(value).lower() not in CHOICES[option]:
        raise SimulatorError("Get-AnsibleParam: Argument %s needs to be one of %s but was %s."
                             % (option, ",".join(CHOICES[option]), value))
    return value


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
            rule[prop] = addresses(value, prop)
    icmp = params.get("icmp_type_code")
    if icmp is not None:
        icmp = ",".join(icmp)
        if icmp != "any":
            if rule["Protocol"] not in (1, 58):
                raise SimulatorError(E_INVALIDARG)
            rule["IcmpTypesAndCodes"] = icmp
    if params.get("direction") is not None:
        rule["Direction"] = DIRECTIONS[check_choice("direction", params["direction"]).lower()]
    if params.get("action") is not None:
        rule["Action"] = ACTIONS[check_choice("action", params["action"]).lower()]
    if params.get("profiles") is not None:
        rule["Profiles"] = profile_mask(params["profiles"])
    return rule


def _same(prop, old, new):
    """``$existingRule.$prop -ne $new_rule.$prop`` (CW line 292), and for *Addresses
    ``-split ','`` then ``Compare-Object`` (CW lines 294-300): a set comparison, both
    case-insensitive. Both sides went through the COM setter, so /32 and
    /255.255.255.255 are already the same string."""
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
    """``$fw.Rules | Where-Object { $_.Name -eq $name }`` else ``$_.Grouping -eq $group``
    (CW lines 177-185). PowerShell's -eq compares strings case-insensitively, and the
    group plays no part when a name is given: every rule whose name matches in any
    case is selected, whatever its group, and with ``state: absent`` every one of them
    is removed (``$fw.Rules.Remove($rule.Name)`` per selected rule, CW lines 243-257)."""
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
    state = check_choice("state", params.get("state") or "present").lower()
    new_rule = build_new_rule(params)
    existing = _selected(rules, params)
    result = {"changed": False}
    prepared = ""
    if state == "absent":
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

def wildcard_regex(pattern):
    """A PowerShell WildcardPattern as a Python regex (WILDCARD: regex.cs).

    ``*`` any run of characters, ``?`` exactly one, ``[abc]`` / ``[a-c]`` one of a set
    or range, a backtick escapes the next character; the whole string must match.
    Matching is case-insensitive (WildcardOptions.IgnoreCase in clientSideQuery.cs).
    An unclosed ``[`` is an invalid pattern, as in PowerShell.
    """
    out = []
    i = 0
    while i < len(pattern):
        char = pattern[i]
        if char == "`" and i + 1 < len(pattern):
            out.append(re.escape(pattern[i + 1]))
            i += 2
            continue
        if char == "*":
            out.append(".*")
        elif char == "?":
            out.append(".")
        elif char == "[":
            end = pattern.find("]", i + 1)
            if end < 0:
                raise SimulatorError("The specified wildcard character pattern is not valid: %s" % pattern)
            body = pattern[i + 1:end]
            parts = []
            j = 0
            while j < len(body):
                if j + 2 < len(body) and body[j + 1] == "-":
                    parts.append("%s-%s" % (re.escape(body[j]), re.escape(body[j + 2])))
                    j += 3
                else:
                    parts.append(re.escape(body[j]))
                    j += 1
            out.append("[%s]" % "".join(parts))
            i = end
        else:
            out.append(re.escape(char))
        i += 1
    return re.compile(r"\A(?:%s)\Z" % "".join(out), re.IGNORECASE | re.DOTALL)


def wildcard_match(pattern, text):
    """Get-NetFirewallRule's filter on one property value (WILDCARD: clientSideQuery.cs)."""
    return bool(wildcard_regex(pattern).match(text or ""))


def remote_address_filter(value):
    """RemoteAddress as Get-NetFirewallAddressFilter lists it (a list of strings).

    ``Any`` for every address; a single host without its mask (``/255.255.255.255``
    for IPv4, ``/128`` for IPv6); subnets and ranges as stored. The exact strings a
    real host returns may differ (e.g. IPv4 subnets in address/mask or prefix form):
    compare them as networks, never as text.
    """
    if value in (None, "", "*"):
        return ["Any"]
    out = []
    for item in value.split(","):
        if item.endswith("/255.255.255.255") or (":" in item and item.endswith("/128")):
            item = item.rsplit("/", 1)[0]
        out.append(item)
    return out


def net_firewall_rule(rule):
    """The object the role's read script outputs for one rule (every field the
    simulator can produce; the stand-in returns those the script asks for)."""
    return {
        "Name": rule["Id"],
        "DisplayName": rule.get("Name") or "",
        "Group": rule.get("Grouping") or "",
        "Direction": "Inbound" if rule.get("Direction") == 1 else "Outbound",
        "Enabled": bool(rule.get("Enabled")),
        "RemoteAddress": remote_address_filter(rule.get("RemoteAddresses")),
    }


def get_net_firewall_rule(rules, group=None, display_names=(), fields=None):
    """``Get-NetFirewallRule -Group G`` plus ``Get-NetFirewallRule -DisplayName N...``,
    then ``Sort-Object -Property Name -Unique``.

    Both filters are the cmdletization client-side filter: a WildcardPattern,
    case-insensitive (WILDCARD). A display-name pattern selects rules of any group.
    ``fields``: the properties the script outputs (default all that are known).
    """
    found = {}
    patterns = [wildcard_regex(n) for n in (display_names or ()) if n is not None]
    group_pattern = wildcard_regex(group) if group else None
    for rule in rules:
        in_group = group_pattern is not None and bool(group_pattern.match(rule.get("Grouping") or ""))
        named = any(p.match(rule.get("Name") or "") for p in patterns)
        if in_group or named:
            found[rule["Id"]] = net_firewall_rule(rule)
    out = [found[key] for key in sorted(found, key=lambda k: k.lower())]
    if fields is not None:
        out = [dict((f, item[f]) for f in fields) for item in out]
    return out


def script_output_fields(script):
    """The property names of the first ``[PSCustomObject]@{ ... }`` in ``script``, in order.

    Keys are read at the hashtable's own nesting level only, so values such as
    ``@($x | ForEach-Object { [String]$_ })`` do not add keys.
    """
    match = re.search(r"\[PSCustomObject\]\s*@\{", script, re.IGNORECASE)
    if not match:
        return []
    depth = 1
    i = match.end()
    fields = []
    at_start = True
    while i < len(script) and depth > 0:
        char = script[i]
        if char in "{(":
            depth += 1
        elif char in "})":
            depth -= 1
        elif depth == 1 and at_start:
            key = re.match(r"\s*([A-Za-z_]\w*)\s*=(?!=)", script[i:])
            if key:
                fields.append(key.group(1))
                i += key.end()
                at_start = False
                continue
        if char in "\n;":
            at_start = True
        elif not char.isspace():
            at_start = False
        i += 1
    return fields

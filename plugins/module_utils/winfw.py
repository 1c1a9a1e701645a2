# -*- coding: utf-8 -*-
# Copyright: (c) 2026, webroot.enterprise contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Windows Firewall rules on the controller: the options we send to
``win_firewall_rule`` and whether a rule on the host already has them.

Pure functions over plain data, used by the action plugins (controller side) and
the tests. Nothing here talks to a host.

The host is read once (plugins/plugin_utils/webroot_read.ps1): every rule of our
group or with our name prefix, as the properties of the HNetCfg.FwPolicy2 COM rule
objects (the *COM form*: Direction 1/2, Action 0/1, Protocol number, Profiles
bitmask, addresses as comma-joined strings in address/mask form, ``None`` for an
unset string). :func:`differences` then says, per wanted rule, which options
``win_firewall_rule`` would change, following the module's own comparison line by
line, so that a rule that needs nothing is never sent: an empty list means the
module would report ``changed: false``.

Sources (line numbers are those of the cited commits):

- CW: community.windows ``plugins/modules/win_firewall_rule.ps1`` at
  3b606203a2dc71ea8278a0581a51b3cacfd0677f, identical to 3.1.0 (the version the
  ``ansible`` 12 package bundles) and to 3.2.0. ansible.windows has no
  win_firewall_rule (up to 3.7.0); it only took over ``win_firewall`` (2.6.0).
- LEGACY: ansible-core 2.19 ``lib/ansible/module_utils/powershell/Ansible.ModuleUtils.Legacy.psm1``
  (the module reads its options with it: CW lines 108-132).
- MSDOC-ADDR: Microsoft, INetFwRule::put_RemoteAddresses,
  https://learn.microsoft.com/en-us/windows/win32/api/netfw/nf-netfw-inetfwrule-put_remoteaddresses
  ('The default value is "*"'; "If neither a subnet mask nor a network prefix is
  specified, the subnet mask defaults to 255.255.255.255"), with community.windows
  ``tests/integration/targets/win_firewall_rule/tasks/main.yml`` lines 222-332 at
  the CW commit (/24, /255.255.255.0 and a bare IPv4 address rerun without change).
- MSDOC-PROTO: Microsoft, NET_FW_IP_PROTOCOL (icftypes.h),
  https://learn.microsoft.com/en-us/windows/win32/api/icftypes/ne-icftypes-net_fw_ip_protocol
  (NET_FW_IP_PROTOCOL_ANY = 256, the Protocol of a new rule).
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import ipaddress

from ansible_collections.webroot.enterprise.plugins.module_utils.catalog import WINDOWS_GROUP

# $fwPropertiesToCompare and $userPassedArguments, pairwise and in the module's
# order (CW lines 226-230): the COM property compared when the option is passed.
COMPARED = (
    ("Description", "description"), ("Direction", "direction"), ("Action", "action"),
    ("ApplicationName", "program"), ("Grouping", "group"), ("ServiceName", "service"),
    ("Enabled", "enabled"), ("Profiles", "profiles"), ("LocalAddresses", "localip"),
    ("RemoteAddresses", "remoteip"), ("LocalPorts", "localport"), ("RemotePorts", "remoteport"),
    ("Protocol", "protocol"), ("InterfaceTypes", "interfacetypes"), ("EdgeTraversalOptions", "edge"),
    ("SecureFlags", "security"), ("IcmpTypesAndCodes", "icmp_type_code"),
)
# Compared by the module, but not reproduced here (the read does not return
# EdgeTraversalOptions, SecureFlags, IcmpTypesAndCodes; the roles never send them).
NOT_SUPPORTED = ("interfacetypes", "edge", "security", "icmp_type_code")

DIRECTIONS = {"in": 1, "out": 2}           # ConvertTo-Direction, CW lines 28-36
ACTIONS = {"block": 0, "allow": 1}         # ConvertTo-Action, CW lines 39-47
PROFILE_BITS = {"domain": 1, "private": 2, "public": 4}   # ConvertTo-Profile, CW lines 50-64
ALL_PROFILES = 0x7FFFFFFF                  # CW line 62
PROTOCOL_ANY = 256                         # MSDOC-PROTO
PROTOCOLS_WITH_PORTS = (6, 17)
# ConvertTo-Bool (LEGACY, Get-AnsibleParam -type bool, CW line 119).
TRUE_STRINGS = ("yes", "on", "1", "true")

# The properties the read returns for each rule (webroot_read.ps1).
READ_PROPERTIES = (
    "Name", "Description", "ApplicationName", "ServiceName", "Protocol", "LocalPorts", "RemotePorts",
    "LocalAddresses", "RemoteAddresses", "Direction", "Action", "Enabled", "Grouping", "Profiles",
    "InterfaceTypes", "EdgeTraversal",
)


def module_args(chunk, profiles, program):
    """The ``win_firewall_rule`` options for one wanted rule: one entry of
    ``backends.windows_chunks(plan)`` (windows_name, description, direction 'in' or
    'out', protocol, port, remoteip: comma-joined CIDRs or 'any'), the profiles
    (list of domain/private/public) and the program path ('' or None: any).

    Inbound, our port is the local one; outbound (443 to the update servers), the
    remote one.
    """
    port = str(chunk["port"])
    inbound = chunk["direction"] == "in"
    return {
        "name": chunk["windows_name"],
        "group": WINDOWS_GROUP,
        "description": chunk["description"],
        "direction": chunk["direction"],
        "action": "allow",
        "protocol": chunk["protocol"],
        "localport": port if inbound else "any",
        "remoteport": "any" if inbound else port,
        "localip": "any",
        "remoteip": chunk["remoteip"],
        "program": program if program else "any",
        "service": "any",
        "profiles": list(profiles),
        "enabled": True,
        "state": "present",
    }


# --- how the module turns options into COM values ($new_rule, CW lines 188-207) ---

def _is_any(value):
    # ``$x -ne "any"`` (CW lines 196-203): PowerShell compares strings without case.
    return _text(value).lower() == "any"


def to_bool(value):
    """ConvertTo-Bool (LEGACY): true for $true and for yes/on/1/true in any case."""
    if isinstance(value, bool):
        return value
    return _text(value).lower() in TRUE_STRINGS


def to_list(value):
    """Get-AnsibleParam -type list (LEGACY): a string is split on ',' and trimmed."""
    if isinstance(value, (list, tuple)):
        return list(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return [value]
    return [item.strip() for item in str(value).split(",")]


def protocol_number(value):
    """ConvertTo-ProtocolType (CW lines 10-25): a number as is; tcp 6, udp 17,
    icmpv4* 1, icmpv6* 58 (``switch -wildcard``: without case)."""
    text = _text(value).strip()
    try:
        return int(text)
    except ValueError:
        pass
    low = text.lower()
    if low == "tcp":
        return 6
    if low == "udp":
        return 17
    if low.startswith("icmpv4"):
        return 1
    if low.startswith("icmpv6"):
        return 58
    raise ValueError("Unknown protocol '%s'." % value)


def profile_mask(names):
    """ConvertTo-Profile (CW lines 50-64) and the [int] cast (line 207).

    ``Select-Object -Unique`` compares case-sensitively (PowerShell 5.1, and 7
    without -CaseInsensitive), ``switch`` without case: ['domain', 'Domain'] counts
    the domain bit twice, exactly as the module does. A sum of 7 is 0x7fffffff.
    """
    total = 0
    seen = []
    for name in to_list(names):
        if name in seen:
            continue
        seen.append(name)
        bit = PROFILE_BITS.get(str(name).lower())
        if bit is None:
            raise ValueError("Unknown profile '%s'." % name)
        total += bit
    return ALL_PROFILES if total == 7 else total


def com_address(item):
    """One address token in the form COM keeps (MSDOC-ADDR): an IPv4 host or
    network as address/mask (no mask = /255.255.255.255), IPv6 as address/prefix
    (no prefix = /128), ranges and keywords as given."""
    item = item.strip()
    if "/" not in item and "-" in item:
        first, last = item.split("-", 1)
        return "%s-%s" % (first.strip(), last.strip())
    try:
        iface = ipaddress.ip_interface(u"%s" % item)
    except ValueError:
        return item  # a keyword: LocalSubnet, DNS, ... (compared without case)
    if iface.version == 4:
        return "%s/%s" % (iface.ip, iface.netmask)
    return "%s/%d" % (iface.ip, iface.network.prefixlen)


def com_addresses(value):
    """LocalAddresses/RemoteAddresses of ``$new_rule`` for an option value: 'any'
    leaves the COM default '*' (CW lines 201-202, MSDOC-ADDR)."""
    if value is None or _is_any(value):
        return "*"
    return ",".join(com_address(item) for item in str(value).split(","))


def _program(value):
    """ApplicationName of ``$new_rule`` (CW line 196): unset (None) for any, else
    ``[Environment]::ExpandEnvironmentVariables(program)``, which only the host can
    do: a path with % cannot be predicted here (see :func:`differences`)."""
    if _is_any(value):
        return None
    return str(value)


def new_values(args):
    """{COM property: value} of the ``$new_rule`` the module builds from ``args``
    (CW lines 188-207), for the properties :func:`differences` compares."""
    new = {}
    if args.get("description") is not None:
        new["Description"] = args["description"]                                 # line 194
    if args.get("group") is not None:
        new["Grouping"] = args["group"]                                          # line 195
    new["ApplicationName"] = None if args.get("program") is None else _program(args["program"])  # 196
    service = args.get("service")
    new["ServiceName"] = None if service is None or _is_any(service) else str(service)      # 197
    protocol = args.get("protocol")
    new["Protocol"] = PROTOCOL_ANY if protocol is None or _is_any(protocol) else protocol_number(protocol)  # 198
    # A fresh COM rule reads LocalPorts/RemotePorts '*' once Protocol is TCP or UDP
    # and None otherwise (as the tests' simulator models it); a port is kept as given
    # (lines 199-200, options read as str: LEGACY -type str, value.ToString()).
    any_ports = "*" if new["Protocol"] in PROTOCOLS_WITH_PORTS else None
    for option, prop in (("localport", "LocalPorts"), ("remoteport", "RemotePorts")):
        value = args.get(option)
        new[prop] = any_ports if value is None or _is_any(value) else str(value)
    new["LocalAddresses"] = com_addresses(args.get("localip"))                    # line 201
    new["RemoteAddresses"] = com_addresses(args.get("remoteip"))                  # line 202
    new["Enabled"] = True if args.get("enabled") is None else to_bool(args["enabled"])       # line 193
    if args.get("direction") is not None:
        direction = str(args["direction"]).lower()
        if direction not in DIRECTIONS:
            raise ValueError("Unknown direction '%s'." % args["direction"])
        new["Direction"] = DIRECTIONS[direction]                                  # line 204
    if args.get("action") is not None:
        action = str(args["action"]).lower()
        if action not in ACTIONS:
            raise ValueError("Unknown action '%s'." % args["action"])
        new["Action"] = ACTIONS[action]                                           # line 205
    if args.get("profiles") is not None:
        new["Profiles"] = profile_mask(args["profiles"])                          # line 207
    return new


def com_rule(args):
    """The rule as the read would return it once ``win_firewall_rule`` created it
    from ``args`` (COM defaults for what is not passed: Direction 1, Action 1,
    Profiles all, InterfaceTypes 'All', EdgeTraversal false)."""
    new = new_values(args)
    rule = {
        "Name": args.get("name"), "Description": None, "Grouping": None,
        "Direction": 1, "Action": 1, "Profiles": ALL_PROFILES,
        "InterfaceTypes": "All", "EdgeTraversal": False,
    }
    rule.update(new)
    return dict((prop, rule.get(prop)) for prop in READ_PROPERTIES)


# --- the comparison ($existingRule.$prop -ne $new_rule.$prop, CW lines 288-323) ---

def _text(value):
    if isinstance(value, bool):
        return "True" if value else "False"
    return u"%s" % (value,)


def ps_equal(old, new):
    """PowerShell's ``-eq`` as the module applies it (its ``-ne``, CW line 292),
    the host's value on the left: $null equals only $null; a string compares
    without case with the right side as a string; a bool or number converts the
    right side to its own type."""
    if old is None or new is None:
        return old is None and new is None
    if isinstance(old, bool):
        return old == to_bool(new)
    if isinstance(old, (int, float)):
        try:
            return float(old) == float(new)
        except (TypeError, ValueError):
            return False
    return _text(old).lower() == _text(new).lower()


def _address_key(item):
    """One address token, as a value independent of its notation (what COM makes
    of it, MSDOC-ADDR): prefix and mask notation, and a missing mask, are one."""
    item = item.strip()
    try:
        iface = ipaddress.ip_interface(u"%s" % item)
        return (iface.version, int(iface.ip), iface.network.prefixlen)
    except ValueError:
        pass
    if "-" in item:
        first, last = item.split("-", 1)
        try:
            return ("range", int(ipaddress.ip_address(u"%s" % first.strip())),
                    int(ipaddress.ip_address(u"%s" % last.strip())))
        except ValueError:
            pass
    return ("text", item.lower())


def _same_addresses(old, new):
    """``-split ','`` on both sides, then ``Compare-Object`` (CW lines 294-300):
    the same tokens in any order (Compare-Object matches strings without case and
    pairs each token once). ``$null -split ','`` is one empty token."""
    old_items = sorted(_address_key(i) for i in (old if old is not None else "").split(","))
    new_items = sorted(_address_key(i) for i in (new if new is not None else "").split(","))
    return old_items == new_items


def differences(args, com_rule):
    """Sorted option names whose value ``win_firewall_rule`` would change on
    ``com_rule`` (a rule as the read returns it, COM form) given the options
    ``args``; ``[]`` means the module would report ``changed: false``.

    ``com_rule`` None: no rule with that name (``$_.Name -eq $name`` without case,
    CW lines 178-185): the module creates it (lines 262-275), returned as ['name'].
    ``state: absent``: ['state'] if the rule exists (lines 232-259), else [].

    The module's rules (CW lines 288-323), followed here:
    - only the options passed (not None) are compared (line 290), property by
      property in $fwPropertiesToCompare (226-230);
    - ``-ne`` (line 292): strings without case (so a description or group that
      differs only in case is no change), numbers and booleans by value, $null
      differs from everything but $null;
    - *Addresses (294-300): split on ',' and compared as a set of tokens, after the
      COM setter put the wanted value in its form (:func:`com_addresses`);
    - the wanted value is that of ``$new_rule`` (lines 188-207): 'any' for
      program/service leaves the COM default (None), for localip/remoteip '*', for
      ports '*' under TCP/UDP; protocol by ConvertTo-ProtocolType, direction and
      action by number, profiles by bitmask (7 = 0x7fffffff), enabled as a bool.

    A program path with '%' is always reported: the module expands it on the host
    (line 196) and compares the expansion, which the controller cannot know.
    interfacetypes, edge, security and icmp_type_code raise ValueError.
    """
    state = str(args.get("state") or "present").lower()
    if state == "absent":
        return [] if com_rule is None else ["state"]
    if com_rule is None:
        return ["name"]
    unsupported = [o for o in NOT_SUPPORTED if args.get(o) is not None]
    if unsupported:
        raise ValueError("differences() does not compare %s" % ", ".join(unsupported))
    new = new_values(args)
    out = []
    for prop, option in COMPARED:
        if args.get(option) is None:
            continue
        old = com_rule.get(prop)
        if option == "program" and new[prop] is not None and "%" in new[prop]:
            out.append(option)
            continue
        if ps_equal(old, new[prop]):
            continue
        if prop.endswith("Addresses") and _same_addresses(old, new[prop]):
            continue
        out.append(option)
    return sorted(out)


def rules_named(rules, name):
    """The rules ``win_firewall_rule`` selects for ``name``: ``$_.Name -eq $name``,
    without case, whatever their group (CW lines 178-185)."""
    low = (name or "").lower()
    return [r for r in rules or [] if (r.get("Name") or "").lower() == low]


def profile_policy(read, targeted):
    """What the read says of the profiles the rules target (webroot_read.ps1's
    ``Profiles`` and ``CurrentProfiles``, the state in force: the ActiveStore, Group
    Policy over local): {"ignored": profiles whose Group Policy does not apply local
    rules, "blocked": profiles that block all inbound connections (allow rules not
    applied: "Block all incoming connections", Group Policy's DoNotAllowExceptions),
    "off": profiles whose firewall is off, "active": the profiles in force now,
    "warnings": [...]}. A read without profile data reports nothing (the read is
    checked for it first: plugin_utils/winread.py)."""
    read = read if isinstance(read, dict) else {}
    wanted = [str(p).lower() for p in targeted or []]
    by_name = dict((str(p.get("Profile") or "").lower(), p) for p in read.get("Profiles") or [] if isinstance(p, dict))
    active = [str(p).lower() for p in read.get("CurrentProfiles") or []]
    ignored = [p for p in wanted if p in by_name and by_name[p].get("AllowLocalRules") is False]
    blocked = [p for p in wanted if p in by_name and by_name[p].get("AllowInboundRules") is False]
    off = [p for p in wanted if p in by_name and by_name[p].get("Enabled") is False]
    warnings = []
    if off:
        warnings.append("Windows Firewall is off in the %s profile(s): the rules are in place but nothing is "
                        "filtered there" % ", ".join(off))
    if active and not set(active) & set(wanted):
        warnings.append("the active profile is %s, which the rules do not target (%s): the ports stay closed "
                        "until the host is on a targeted network (e.g. a laptop off-site on Public)"
                        % (", ".join(active), ", ".join(wanted)))
    return {"ignored": ignored, "blocked": blocked, "off": off, "active": active, "warnings": warnings}

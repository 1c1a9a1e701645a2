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
  (NET_FW_IP_PROTOCOL_ANY = 256, the Protocol of a new rule); INetFwRule::put_LocalPorts,
  https://learn.microsoft.com/en-us/windows/win32/api/netfw/nf-netfw-inetfwrule-put_localports
  ("The Protocol property must be set before the LocalPorts property or an error
  will be returned"; put_RemotePorts says the same).
- MSDOC-IFTYPES: Microsoft, INetFwRule::put_InterfaceTypes,
  https://learn.microsoft.com/en-us/windows/win32/api/netfw/nf-netfw-inetfwrule-put_interfacetypes
  ("RemoteAccess", "Wireless", "Lan", "All", comma-separated).
- MSDOC-EDGE: Microsoft, NET_FW_EDGE_TRAVERSAL_TYPE (icftypes.h),
  https://learn.microsoft.com/en-us/windows/win32/api/icftypes/ne-icftypes-net_fw_edge_traversal_type
  (DENY 0 "is the same as setting the EdgeTraversal property using INetFwRule to
  VARIANT_FALSE", ALLOW 1 the same as VARIANT_TRUE, DEFER_TO_APP 2, DEFER_TO_USER 3);
  INetFwRule::put_EdgeTraversal ("New rules have the EdgeTraversal property disabled
  by default").

What the host may answer that the module's own comparison never meets (it compares
two COM objects of one host), and how :func:`differences` takes it:

- the unused port side of a TCP rule (RemotePorts of our inbound rules, LocalPorts
  of the outbound one) may read ``"*"`` or ``None`` on a real host (never checked
  on Windows, issue 23): both mean every port, and either answer is no difference
  when we pass ``any``, so a rule converges whichever Windows gives;
- addresses in a form other than the one predicted (a bare IPv6 stored as the
  range ``a-a``, a range that is exactly one network, other notations, another
  order): compared as the addresses they admit, so a rule that admits exactly our
  peers is never rewritten; a keyword (``LocalSubnet``, ``*``...) or a range wider
  than our peers is a difference, and the module writes our list over it.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import ipaddress

from ansible_collections.webroot.enterprise.plugins.plugin_utils.catalog import WINDOWS_GROUP

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
# SecureFlags or IcmpTypesAndCodes; the roles never send them).
NOT_SUPPORTED = ("security", "icmp_type_code")

DIRECTIONS = {"in": 1, "out": 2}           # ConvertTo-Direction, CW lines 28-36
ACTIONS = {"block": 0, "allow": 1}         # ConvertTo-Action, CW lines 39-47
PROFILE_BITS = {"domain": 1, "private": 2, "public": 4}   # ConvertTo-Profile, CW lines 50-64
ALL_PROFILES = 0x7FFFFFFF                  # CW line 62
PROTOCOL_ANY = 256                         # MSDOC-PROTO
PROTOCOLS_WITH_PORTS = (6, 17)
# ConvertTo-InterfaceType (CW lines 66-77) and the COM default of a new rule, 'All'
# (MSDOC-IFTYPES). ConvertTo-EdgeTraversalOption (CW lines 79-88); 'no' leaves the
# COM default 0 (line 211; NET_FW_EDGE_TRAVERSAL_TYPE_DENY, MSDOC-EDGE).
INTERFACE_TYPES = {"wireless": "Wireless", "lan": "Lan", "ras": "RemoteAccess"}
ALL_INTERFACE_TYPES = "All"
EDGE_OPTIONS = {"yes": 1, "deferapp": 2, "deferuser": 3}
EDGE_DENY = 0
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
    ``fw_windows.windows_chunks(plan)`` (windows_name, description, direction 'in' or
    'out', protocol, port, remoteip: comma-joined CIDRs or 'any'), the profiles
    (list of domain/private/public) and the program path ('' or None: any).

    Inbound, our port is the local one; outbound (443 to the update servers), the
    remote one.

    ``interfacetypes: any`` and ``edge: no`` are passed so that the module compares
    them (CW line 290 compares only what is passed): a rule of ours narrowed to
    'Lan' by hand would otherwise stay narrowed (no Webroot traffic over Wi-Fi or
    VPN), and one opened to edge traversal (Teredo) would stay open. Both keep the
    COM defaults of a new rule ('All', 0), so a rule the module creates is the same
    as before. The module reads them although its documentation does not list them
    (CW lines 126-127); community.windows' own integration tests pass them
    (tests/integration/targets/win_firewall_rule/tasks/main.yml lines 350-421).
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
        "interfacetypes": "any",
        "edge": "no",
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


def _unique(items):
    """``Select-Object -Unique``: each item once, in order, compared with case."""
    seen = []
    for item in items:
        if item not in seen:
            seen.append(item)
    return seen


def profile_mask(names):
    """ConvertTo-Profile (CW lines 50-64) and the [int] cast (line 207).

    ``Select-Object -Unique`` compares case-sensitively (PowerShell 5.1, and 7
    without -CaseInsensitive), ``switch`` without case: ['domain', 'Domain'] counts
    the domain bit twice, exactly as the module does. A sum of 7 is 0x7fffffff.
    """
    total = 0
    for name in _unique(to_list(names)):
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
    if args.get("interfacetypes") is not None:
        new["InterfaceTypes"] = interface_types(args["interfacetypes"])          # lines 208-210
    if args.get("edge") is not None:
        new["EdgeTraversalOptions"] = edge_option(args["edge"])                  # lines 211-217
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


def interface_types(value):
    """InterfaceTypes of ``$new_rule`` (CW lines 208-210): left at the COM default
    'All' when the list is exactly 'any' (``Compare-Object`` of the list with
    ``@("any")`` finds no difference: without case, each item paired once), else
    ConvertTo-InterfaceType (lines 66-77): ``Select-Object -Unique`` (with case),
    ``switch`` (without case), joined with ','."""
    items = to_list(value)
    if len(items) == 1 and _is_any(items[0]):
        return ALL_INTERFACE_TYPES
    out = []
    for item in _unique(items):
        kind = INTERFACE_TYPES.get(_text(item).lower())
        if kind is None:
            raise ValueError("Unknown interface type '%s'." % item)
        out.append(kind)
    return ",".join(out)


def edge_option(value):
    """EdgeTraversalOptions of ``$new_rule`` (CW lines 211-217): 'no' leaves the COM
    default 0 (``-ne "no"``, without case), else ConvertTo-EdgeTraversalOption
    (lines 79-88)."""
    low = _text(value).lower()
    if low == "no":
        return EDGE_DENY
    if low not in EDGE_OPTIONS:
        raise ValueError("Unknown edge traversal options '%s'." % value)
    return EDGE_OPTIONS[low]


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
    if "EdgeTraversalOptions" in new:
        rule["EdgeTraversal"] = new["EdgeTraversalOptions"] == 1   # MSDOC-EDGE
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


def address_interval(item):
    """One address token as the addresses it admits: (version, first, last) as
    integers, whatever its notation (MSDOC-ADDR): ``a``, ``a/32``,
    ``a/255.255.255.255`` and the range ``a-a`` are one and the same; ``a/24`` and
    ``a/255.255.255.0`` too. None for what is not an address: a keyword
    (``LocalSubnet``, ``DNS``, ``*``...) or a token that does not parse."""
    item = (item or "").strip()
    if "/" not in item and "-" in item:
        first, last = item.split("-", 1)
        try:
            first, last = ipaddress.ip_address(u"%s" % first.strip()), ipaddress.ip_address(u"%s" % last.strip())
        except ValueError:
            return None
        if first.version != last.version or int(first) > int(last):
            return None
        return (first.version, int(first), int(last))
    try:
        net = ipaddress.ip_interface(u"%s" % item).network
    except ValueError:
        return None
    return (net.version, int(net.network_address), int(net.broadcast_address))


def _address_key(item):
    """A token as ``Compare-Object`` would match it once both sides are in one COM
    form: the addresses it admits, or a keyword without case."""
    interval = address_interval(item)
    return ("text", item.strip().lower()) if interval is None else ("address",) + interval


def _merged(intervals):
    out = []
    for _kind, version, first, last in sorted(intervals):
        if out and out[-1][0] == version and first <= out[-1][2] + 1:
            out[-1] = (version, out[-1][1], max(out[-1][2], last))
        else:
            out.append((version, first, last))
    return out


def _same_addresses(old, new):
    """``-split ','`` on both sides, then ``Compare-Object`` (CW lines 294-300): the
    same tokens in any order (Compare-Object matches strings without case and
    pairs each token once). ``$null -split ','`` is one empty token.

    The module compares two values of one host's COM setter; here the host's value
    meets a prediction of that setter, so a token is taken as the addresses it
    admits (:func:`address_interval`): a bare IPv6 stored as ``a-a`` is ``a/128``.
    When the tokens still differ but every token on both sides is an address and
    both admit exactly the same addresses, it is no difference either: the rule
    admits what we want, and rewriting it every run would never converge. A
    keyword is never the same as a list of addresses."""
    old_items = (old if old is not None else "").split(",")
    new_items = (new if new is not None else "").split(",")
    old_keys = sorted(_address_key(i) for i in old_items)
    new_keys = sorted(_address_key(i) for i in new_items)
    if old_keys == new_keys:
        return True
    if any(k[0] == "text" for k in old_keys + new_keys):
        return False
    return _merged(old_keys) == _merged(new_keys)


def _unused_port(value):
    """An unused port side: ``"*"`` (what a fresh TCP rule reads, as the simulator
    assumes) or ``None`` (what a host may answer instead; issue 23)."""
    return value is None or _text(value).strip() == "*"


def current_edge(com_rule):
    """EdgeTraversalOptions of a rule as read: the read returns INetFwRule's
    EdgeTraversal (a bool) and, where it gives it, INetFwRule2's
    EdgeTraversalOptions. From the bool alone: False is DENY 0, True is ALLOW 1
    (MSDOC-EDGE); a DEFER option then reads as 0 or 1 (which one Microsoft does
    not document), so only EdgeTraversalOptions in the read tells it."""
    if com_rule.get("EdgeTraversalOptions") is not None:
        return com_rule["EdgeTraversalOptions"]
    if com_rule.get("EdgeTraversal") is None:
        return None
    return 1 if to_bool(com_rule["EdgeTraversal"]) else EDGE_DENY


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
      COM setter put the wanted value in its form (:func:`com_addresses`), each
      token taken as the addresses it admits (:func:`_same_addresses`);
    - the wanted value is that of ``$new_rule`` (lines 188-207): 'any' for
      program/service leaves the COM default (None), for localip/remoteip '*', for
      ports '*' under TCP/UDP; protocol by ConvertTo-ProtocolType, direction and
      action by number, profiles by bitmask (7 = 0x7fffffff), enabled as a bool;
      interfacetypes 'any' leaves 'All' (208-210), edge 'no' leaves 0 (211-217),
      compared with EdgeTraversalOptions (or the read's EdgeTraversal:
      :func:`current_edge`).

    An unused port side (we pass ``any``) that reads ``"*"`` or ``None`` is no
    difference (:func:`_unused_port`). A program path with '%' is always reported:
    the module expands it on the host (line 196) and compares the expansion, which
    the controller cannot know. security and icmp_type_code raise ValueError.
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
        old = current_edge(com_rule) if prop == "EdgeTraversalOptions" else com_rule.get(prop)
        if option == "program" and new[prop] is not None and "%" in new[prop]:
            out.append(option)
            continue
        if ps_equal(old, new[prop]):
            continue
        if prop.endswith("Addresses") and _same_addresses(old, new[prop]):
            continue
        if prop.endswith("Ports") and _unused_port(new[prop]) and _unused_port(old):
            continue
        out.append(option)
    return sorted(out)


def protocol_first(args, com_rule):
    """The call that must come before ``args`` on ``com_rule``, or None.

    The module's update loop sets the properties in $fwPropertiesToCompare's order
    (CW lines 226-230, 288-319): LocalPorts and RemotePorts before Protocol. On a
    rule whose Protocol has no ports (256 any, ICMP...), setting a port fails ("The
    Protocol property must be set before the LocalPorts property or an error will be
    returned", MSDOC-PROTO): one call with only ``name`` and ``protocol`` first sets
    Protocol alone (only passed options are compared, line 290), then ``args`` sets
    the ports. A new rule needs none: ``$new_rule`` sets Protocol (line 198) before
    the ports (199-200)."""
    if com_rule is None or args.get("protocol") is None:
        return None
    if str(args.get("state") or "present").lower() == "absent":
        return None
    if not any(args.get(o) is not None for o in ("localport", "remoteport")):
        return None
    want = new_values({"protocol": args["protocol"]})["Protocol"]
    have = com_rule.get("Protocol")
    if want not in PROTOCOLS_WITH_PORTS or have in PROTOCOLS_WITH_PORTS or ps_equal(have, want):
        return None
    return {"name": args["name"], "protocol": args["protocol"]}


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

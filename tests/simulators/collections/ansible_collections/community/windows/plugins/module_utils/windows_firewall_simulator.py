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

It also answers the collection's one read of a host (plugins/plugin_utils/
webroot_read.ps1, run by win_powershell): :func:`read_firewall` gives the rules of
a group or name prefix with their COM properties, and the firewall state per
profile from the store's optional profile model (:data:`PROFILE_DEFAULTS`).

The store path comes from the environment variable WEBROOT_WINFW_SIMULATOR_STORE
of the module process: the test playbooks set it per host with the play's
``environment:`` keyword, so each inventory host has its own rule table while
every host runs with ``ansible_connection: local``. With WEBROOT_WINFW_SIMULATOR_LOG
set, every stand-in call appends a line to that file (:func:`log_call`).

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
- WINPS: ansible.windows ``plugins/modules/win_powershell.ps1`` at tag 3.3.0
  (1ceaff6aefc72c4dea09fa53d7c6d79f2a944a98, bundled by ``ansible`` 12).
- MSDOC-PROFILES (the profile model of the store, see :data:`PROFILE_DEFAULTS`):
  INetFwPolicy2::get_FirewallEnabled / get_CurrentProfileTypes / get_LocalPolicyModifyState,
  https://learn.microsoft.com/en-us/windows/win32/api/netfw/nf-netfw-inetfwpolicy2-get_firewallenabled
  https://learn.microsoft.com/en-us/windows/win32/api/netfw/nf-netfw-inetfwpolicy2-get_currentprofiletypes
  https://learn.microsoft.com/en-us/windows/win32/api/netfw/nf-netfw-inetfwpolicy2-get_localpolicymodifystate;
  [MS-GPFAS] 2.2.3.13 Allow Local Firewall Rule Policy Merge (AllowLocalPolicyMerge),
  https://learn.microsoft.com/en-us/openspecs/windows_protocols/ms-gpfas/2c979624-900a-4b6e-b4ef-09b387cd62ab;
  Firewall CSP, MdmStore/<Profile>/AllowLocalPolicyMerge (default true) and EnableFirewall,
  https://learn.microsoft.com/en-us/windows/client-management/mdm/firewall-csp;
  Networking-MPSSVC-Svc <Profile>_EnableFirewall ("true ... This is the default value"),
  https://learn.microsoft.com/en-us/windows-hardware/customize/desktop/unattend/networking-mpssvc-svc-domainprofile-enablefirewall
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
LOG_ENV = "WEBROOT_WINFW_SIMULATOR_LOG"

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
    "Protocol": "protocol", "InterfaceTypes": "interfacetypes", "EdgeTraversalOptions": "edge",
    "SecureFlags": "security", "IcmpTypesAndCodes": "icmp_type_code",
}
# ConvertTo-InterfaceType, ConvertTo-EdgeTraversalOption, ConvertTo-SecureFlag
# (CW lines 66-100); 'any' / 'no' / 'notrequired' leave the COM default of a new
# rule (lines 208-224): InterfaceTypes 'All', EdgeTraversalOptions 0, SecureFlags 0.
INTERFACE_TYPES = {"wireless": "Wireless", "lan": "Lan", "ras": "RemoteAccess"}
EDGE_OPTIONS = {"yes": 1, "deferapp": 2, "deferuser": 3}
SECURE_FLAGS = {"authnoencap": 1, "authenticate": 2, "authdynenc": 3, "authenc": 4}
# What LocalPorts/RemotePorts of a TCP or UDP rule read when no port was set. The
# simulator answers "*"; whether Windows answers "*" or $null was never checked on
# a real host (issue 23), so the answer can be switched to null with this variable
# ("null"), to hold the collection to both.
UNUSED_PORTS_ENV = "WEBROOT_WINFW_SIMULATOR_UNUSED_PORTS"
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
CHOICES = {"state": ("present", "absent"), "direction": ("in", "out"), "action": ("allow", "block"),
           "edge": ("no", "yes", "deferapp", "deferuser"),                              # CW line 127
           "security": ("notrequired", "authnoencap", "authenticate", "authdynenc", "authenc")}  # 128-129


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


# The firewall state per profile, when the store does not give it (MSDOC-PROFILES):
# every profile on (the Windows default: <Profile>_EnableFirewall "true ... This is
# the default value"; Firewall CSP EnableFirewall default true) and local rules
# applied (no AllowLocalPolicyMerge policy: merge allowed, Firewall CSP default
# true). The current profile defaults to Domain: not a Windows default but the
# simulator's choice, since the collection's Windows hosts are domain members
# (inventory from microsoft.ad.ldap, ../shared/LAB.md) and a member that reaches its
# domain controller is in the Domain profile.
#
# The read reports each profile as the ActiveStore holds it (Get-NetFirewallProfile
# -PolicyStore ActiveStore: Group Policy over local), so the store's profile model
# is the state in force: ``enabled`` (Enabled), ``allow_local_rules``
# (AllowLocalFirewallRules; Group Policy "Apply local firewall rules: No" is false),
# ``allow_inbound_rules`` (AllowInboundRules; "Block all incoming connections" /
# Group Policy DoNotAllowExceptions is false; default true: Windows' default
# DefaultInboundAction Block with allow rules applied).
PROFILE_DEFAULTS = {"enabled": True, "allow_local_rules": True, "allow_inbound_rules": True}
CURRENT_PROFILES_DEFAULT = ["domain"]
PROFILE_NAMES = ("Domain", "Private", "Public")   # as the read script names them
# The host's state beyond the rule table, as the store may set it (defaults: a
# healthy host):
# - ``policy_rules``: rules Group Policy supplies (the RSOP store), each
#   {"Name", "Grouping", "Action" (COM 0/1), "Direction" (1/2)}; ``policy_rules_listed``
#   true makes FwPolicy2.Rules list them as well (Windows' answer is not documented:
#   the simulator can answer either way, docs/windows.md);
# - ``mpssvc``: the firewall service's status (Get-Service), default "Running";
# - ``language_mode``: PowerShell's language mode for win_powershell's script,
#   default "FullLanguage"; "ConstrainedLanguage" is what WDAC/AppLocker script
#   enforcement gives an inline script (ansible.windows win_powershell.ps1 @ 3.3.0,
#   lines 595 and 761-781).
HOST_DEFAULTS = {"policy_rules": [], "policy_rules_listed": False, "mpssvc": "Running",
                 "language_mode": "FullLanguage"}


def load_store(path):
    """The whole store, profile model filled with its defaults::

        {"rules": [...],
         "profiles": {"domain": {"enabled": True, "allow_local_rules": True}, ...},
         "current_profiles": ["domain"]}
    """
    data = {}
    if os.path.exists(path):
        with open(path) as handle:
            data = json.load(handle)
    given = data.get("profiles") or {}
    profiles = {}
    for name in PROFILE_BITS:
        profiles[name] = dict(PROFILE_DEFAULTS, **(given.get(name) or {}))
    current = data.get("current_profiles")
    store = {"rules": list(data.get("rules", [])), "profiles": profiles,
             "current_profiles": list(CURRENT_PROFILES_DEFAULT if current is None else current)}
    for key, default in HOST_DEFAULTS.items():
        store[key] = data.get(key, default)
    return store


def load(path):
    """The rules of the store."""
    return load_store(path)["rules"]


def save(path, rules, profiles=None, current_profiles=None):
    """Write ``rules``; the profile model already in the file is kept unless given."""
    kept = {}
    if os.path.exists(path):
        with open(path) as handle:
            kept = dict((k, v) for k, v in json.load(handle).items()
                        if k in ("profiles", "current_profiles") + tuple(HOST_DEFAULTS))
    if profiles is not None:
        kept["profiles"] = profiles
    if current_profiles is not None:
        kept["current_profiles"] = current_profiles
    directory = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix=".winfw-", dir=directory)
    with os.fdopen(fd, "w") as handle:
        json.dump(dict(kept, simulator="Windows Firewall simulator (webroot.enterprise tests)",
                       rules=rules), handle, indent=2, sort_keys=True)
        handle.write("\n")
    os.rename(tmp, path)


def log_call(module, changed, failed=False, environ=None):
    """Append one JSON line per stand-in invocation to the file named by
    WEBROOT_WINFW_SIMULATOR_LOG (if set): {"module", "store", "changed"} (and
    "failed": true for a failed call), so that a test can count the remote module
    calls per host. One short write in append mode: lines of parallel hosts do not
    mix."""
    environ = os.environ if environ is None else environ
    target = environ.get(LOG_ENV)
    if not target:
        return
    entry = {"module": module, "store": environ.get(STORE_ENV), "changed": bool(changed)}
    if failed:
        entry["failed"] = True
    with open(target, "a") as handle:
        handle.write(json.dumps(entry, sort_keys=True) + "\n")


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

def _is_any(value):
    return str(value).lower() == "any"


def unused_ports(environ=None):
    """What a port side of a TCP/UDP rule reads when never set: "*", or None when
    WEBROOT_WINFW_SIMULATOR_UNUSED_PORTS is "null" (:data:`UNUSED_PORTS_ENV`)."""
    environ = os.environ if environ is None else environ
    return None if (environ.get(UNUSED_PORTS_ENV) or "").lower() == "null" else "*"


def interface_types(values):
    """InterfaceTypes of $new_rule (CW lines 208-210, 66-77): exactly 'any'
    (Compare-Object with @("any"): without case, each item paired once) leaves the
    COM default; else Select-Object -Unique (with case), switch (without case),
    joined with ','. None when the COM default stays. A string is a list split on
    ',' (Get-AnsibleParam -type list, as AnsibleModule does)."""
    if isinstance(values, str):
        values = [v.strip() for v in values.split(",")]
    if len(values) == 1 and str(values[0]).lower() == "any":
        return None
    out, seen = [], []
    for item in values:
        if item in seen:
            continue
        seen.append(item)
        kind = INTERFACE_TYPES.get(str(item).lower())
        if kind is None:
            raise SimulatorError("Unknown interface type '%s'." % item)
        out.append(kind)
    return ",".join(out)


def put_protocol(rule, number):
    """INetFwRule::put_Protocol on a rule: a protocol with ports makes the unset
    port sides read as :func:`unused_ports`; one without ports leaves no ports."""
    rule["Protocol"] = number
    for prop in ("LocalPorts", "RemotePorts"):
        if number in PROTOCOLS_WITH_PORTS:
            if rule.get(prop) in (None, "*"):
                rule[prop] = unused_ports()
        else:
            rule[prop] = None


def put_property(rule, prop, value):
    """``$existingRule.$prop = $new_rule.$prop`` in the update loop (CW lines
    307-319). Setting a port on a rule whose Protocol has no ports fails: "The
    Protocol property must be set before the LocalPorts property or an error will be
    returned" (Microsoft, INetFwRule::put_LocalPorts / put_RemotePorts); the loop
    sets LocalPorts and RemotePorts before Protocol ($fwPropertiesToCompare, lines
    226-228), so a protocol-any rule cannot be turned into a TCP rule with a port in
    one call. EdgeTraversal follows EdgeTraversalOptions (NET_FW_EDGE_TRAVERSAL_TYPE:
    DENY is EdgeTraversal false, ALLOW true; the DEFER options are taken as false,
    an assumption)."""
    if prop in ("LocalPorts", "RemotePorts") and value is not None \
            and rule.get("Protocol") not in PROTOCOLS_WITH_PORTS:
        raise SimulatorError('Exception setting "%s": "%s"' % (prop, E_INVALIDARG))
    if prop == "Protocol":
        put_protocol(rule, value)
        return
    rule[prop] = value
    if prop == "EdgeTraversalOptions":
        rule["EdgeTraversal"] = value == 1


def build_new_rule(params):
    """$new_rule of the module, in the order it sets the properties (CW lines 188-207).

    ``$x -ne "any"`` (lines 196-203) compares without case: 'ANY' is any too."""
    rule = new_com_rule()
    if params.get("name"):
        rule["Name"] = params["name"]
    rule["Enabled"] = params["enabled"] if params.get("enabled") is not None else True
    if params.get("description") is not None:
        rule["Description"] = params["description"]
    if params.get("group") is not None:
        rule["Grouping"] = params["group"]
    program = params.get("program")
    if program is not None and not _is_any(program):
        rule["ApplicationName"] = program
    service = params.get("service")
    if service is not None and not _is_any(service):
        rule["ServiceName"] = service
    protocol = params.get("protocol")
    if protocol is not None and not _is_any(protocol):
        put_protocol(rule, protocol_number(protocol))
    for option, prop in (("localport", "LocalPorts"), ("remoteport", "RemotePorts")):
        value = params.get(option)
        if value is not None and not _is_any(value):
            if rule["Protocol"] not in PROTOCOLS_WITH_PORTS:
                raise SimulatorError(E_INVALIDARG)
            rule[prop] = ports(value)
    for option, prop in (("localip", "LocalAddresses"), ("remoteip", "RemoteAddresses")):
        value = params.get(option)
        if value is not None and not _is_any(value):
            rule[prop] = addresses(value, prop)
    icmp = params.get("icmp_type_code")
    if icmp is not None:
        icmp = ",".join(icmp)
        if not _is_any(icmp):
            if rule["Protocol"] not in (1, 58):
                raise SimulatorError(E_INVALIDARG)
            rule["IcmpTypesAndCodes"] = icmp
    if params.get("direction") is not None:
        rule["Direction"] = DIRECTIONS[check_choice("direction", params["direction"]).lower()]
    if params.get("action") is not None:
        rule["Action"] = ACTIONS[check_choice("action", params["action"]).lower()]
    if params.get("profiles") is not None:
        rule["Profiles"] = profile_mask(params["profiles"])
    if params.get("interfacetypes") is not None:                                 # lines 208-210
        kinds = interface_types(params["interfacetypes"])
        if kinds is not None:
            rule["InterfaceTypes"] = kinds
    edge = params.get("edge")
    if edge is not None and check_choice("edge", edge).lower() != "no":          # lines 211-217
        rule["EdgeTraversalOptions"] = EDGE_OPTIONS[edge.lower()]
        rule["EdgeTraversal"] = rule["EdgeTraversalOptions"] == 1
    security = params.get("security")
    if security is not None and check_choice("security", security).lower() != "notrequired":  # 218-224
        rule["SecureFlags"] = SECURE_FLAGS[security.lower()]
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
                    put_property(rule, prop, new_rule.get(prop))
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


# --- the read step: plugins/plugin_utils/webroot_read.ps1 -----------------------

# The COM properties the read returns for each rule, in its order.
READ_PROPERTIES = (
    "Name", "Description", "ApplicationName", "ServiceName", "Protocol", "LocalPorts", "RemotePorts",
    "LocalAddresses", "RemoteAddresses", "Direction", "Action", "Enabled", "Grouping", "Profiles",
    "InterfaceTypes", "EdgeTraversal",
)
READ_PARAMETERS = ("Group", "Prefix")
# What the read script must name to be recognised: the COM object and the
# properties it reads (the simulator answers all of them), the registry value of
# the profile model, and the three output keys.
READ_SCRIPT_NEEDS = (
    "Get-Service -Name MpsSvc", "New-Object -ComObject HNetCfg.FwPolicy2", ".Rules", "CurrentProfileTypes",
    "Get-NetFirewallRule -PolicyStore RSOP", "Get-NetFirewallProfile -PolicyStore ActiveStore",
    "AllowLocalFirewallRules", "AllowInboundRules", "OrdinalIgnoreCase", "StartsWith",
    "Rules", "PolicyRules", "Profiles", "CurrentProfiles", "MpsSvc",
) + READ_PROPERTIES
# Anything that would change the firewall or the registry, or an earlier read (the
# local-only profile state of 0.3: FirewallEnabled, LocalPolicyModifyState).
READ_SCRIPT_FORBIDS = re.compile(
    r"\.Rules\.(Add|Remove)\b|HNetCfg\.FWRule\b|(New|Set|Remove|Enable|Disable|Rename|Copy)-NetFirewall"
    r"|netsh|Invoke-Expression|\biex\b|(Set|New|Remove)-Item|SetValue|DeleteValue|Start-Service|Set-Service"
    r"|FirewallEnabled|LocalPolicyModifyState|\$rule\.\w+\s*=(?!=)",
    re.IGNORECASE)


def read_script_problems(script):
    """Why ``script`` is not the read (empty list: it is).

    There is no PowerShell here: the script is recognised, not run. It must be a
    CmdletBinding script with exactly the parameters Group and Prefix, read the
    HNetCfg.FwPolicy2 COM object and name every property the simulator answers, and
    change nothing.
    """
    problems = []
    script = script or ""
    param = re.search(r"\[CmdletBinding\([^)]*\)\]\s*param\s*\(", script, re.IGNORECASE)
    if not param:
        problems.append("no [CmdletBinding(...)] param (...) block")
    else:
        depth, i = 1, param.end()
        while i < len(script) and depth:
            depth += {"(": 1, ")": -1}.get(script[i], 0)
            i += 1
        names = re.findall(r"\$(\w+)", re.sub(r"=[^,\n]*", "", script[param.end():i - 1]))
        if sorted(n.lower() for n in names) != sorted(p.lower() for p in READ_PARAMETERS):
            problems.append("parameters %s, not Group and Prefix" % ", ".join(names))
    missing = [n for n in READ_SCRIPT_NEEDS if n.lower() not in script.lower()]
    if missing:
        problems.append("does not name %s" % ", ".join(missing))
    forbidden = READ_SCRIPT_FORBIDS.search(script)
    if forbidden:
        problems.append("uses %s" % forbidden.group(0))
    return problems


def _ordinal_ignore_case(text):
    # StringComparison.OrdinalIgnoreCase compares the upper-case (invariant) forms.
    return (text or "").upper()


def read_rule(rule):
    """One rule as the read outputs it: the COM properties, values as COM has them."""
    return dict((prop, rule.get(prop)) for prop in READ_PROPERTIES)


def read_firewall(store, group="", prefix=""):
    """The one object the read script outputs, from a store (:func:`load_store`).

    Rules: in the order COM enumerates them (the store's), every rule whose
    Grouping equals ``group`` or whose Name starts with ``prefix``, both
    OrdinalIgnoreCase; an empty ``group``/``prefix`` selects nothing (the script's
    ``$Group -and ...`` guards). Profiles: Domain, Private, Public with Enabled and
    AllowLocalRules (the store's profile model); CurrentProfiles: their names.
    """
    group_key = _ordinal_ignore_case(group)
    prefix_key = _ordinal_ignore_case(prefix)
    rules = []
    for rule in store["rules"]:
        in_group = bool(group) and _ordinal_ignore_case(rule.get("Grouping")) == group_key
        named = bool(prefix) and _ordinal_ignore_case(rule.get("Name")).startswith(prefix_key)
        if in_group or named:
            rules.append(read_rule(rule))
    policy = []
    for rule in store.get("policy_rules") or []:
        in_group = bool(group) and _ordinal_ignore_case(rule.get("Grouping")) == group_key
        named = bool(prefix) and _ordinal_ignore_case(rule.get("Name")).startswith(prefix_key)
        if in_group or named:
            policy.append({"Name": rule.get("Name") or "", "Grouping": rule.get("Grouping") or "",
                           "Action": int(rule.get("Action", 1)), "Direction": int(rule.get("Direction", 1))})
            if store.get("policy_rules_listed"):
                rules.append(read_rule(dict(rule, Action=int(rule.get("Action", 1)),
                                            Direction=int(rule.get("Direction", 1)))))
    current = [name.lower() for name in store["current_profiles"]]
    profiles = []
    for name in PROFILE_NAMES:
        state = store["profiles"][name.lower()]
        profiles.append({"Profile": name, "Enabled": bool(state["enabled"]),
                         "AllowLocalRules": bool(state["allow_local_rules"]),
                         "AllowInboundRules": bool(state["allow_inbound_rules"])})
    return {"Rules": rules, "PolicyRules": policy, "Profiles": profiles,
            "CurrentProfiles": [name for name in PROFILE_NAMES if name.lower() in current],
            "MpsSvc": store.get("mpssvc") or "Running"}

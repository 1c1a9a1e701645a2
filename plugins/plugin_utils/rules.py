# -*- coding: utf-8 -*-
# Copyright: (c) 2026, webroot.enterprise contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Turns the catalog into the firewall rules one host needs.

Pure functions over plain data, used by the filter plugins (controller side) and
the tests. Nothing here talks to a host, nor reads Ansible's objects: the adapter to
Ansible's ``hostvars`` is hostvars.py.

A *rule* is one (component, direction) on one host::

    {"component": "sweep_now", "port": 50001, "protocol": "tcp",
     "direction": "in", "peers": ["198.18.10.21/32"], "any_peer": False,
     "comment": "webroot.enterprise sweep_now 50001/tcp in", ...}

``peers`` are the addresses on the other side of the flow (sources of an inbound
rule, destinations of an outbound one), aggregated exactly. The backend units (fw_iptables.py, fw_ufw.py,
fw_firewalld.py, fw_windows.py) turn a rule into native objects (ipsets and one rule,
one rule per peer on ufw, Windows rules of 1,000 addresses), each carrying the marker so that ours can be told apart from everyone else's.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import ipaddress
import re


from ansible_collections.webroot.enterprise.plugins.plugin_utils.catalog import GROUP_CLIENTS, MARKER, ROLE_VARIABLES, TABLE_11, WINDOWS_GROUP

STATES = ("present", "absent")
DIRECTIONS = {"inbound": "in", "outbound": "out"}
WINDOWS_PROFILES = ("domain", "private", "public")
BACKEND_CHOICES = ("auto", "firewalld", "ufw", "iptables", "windows")


class RuleError(ValueError):
    """Bad input: the message names the variable and what was expected."""


class Transient(str):
    """Why a host's address is unknown *this run* (a DNS lookup that timed out or
    failed on the server's side, facts that could not be gathered): a host whose
    address is unknown holds back every removal from its peers' scopes in this run
    (docs/safety.md, "Addresses a run cannot learn"), unlike a host left out (no
    address anywhere: no webroot_address, no facts source, a name DNS says does not
    exist)."""


def component(name):
    for row in TABLE_11:
        if row["component"] == name:
            return row
    raise RuleError(
        "unknown Webroot component %r; expected one of: %s"
        % (name, ", ".join(r["component"] for r in TABLE_11))
    )


def marker(component_name, port, protocol, direction):
    """The comment/label our rule carries, e.g. 'webroot.enterprise poll_now 50002/tcp in'."""
    return "%s %s %s/%s %s" % (MARKER, component_name, port, protocol, direction)


def service_name(component_name):
    """firewalld service that carries our port, e.g. 'webroot-poll-now'."""
    return "webroot-" + component_name.replace("_", "-")


def windows_name(row, port, direction):
    """Windows rule name; starts with the prefix filter windows_naming gives."""
    return "%s - %s (TCP %s %s)" % (WINDOWS_GROUP, row["title"], port, direction)


def check_port(value, var):
    if isinstance(value, bool) or value is None:
        raise RuleError("%s must be a port number from 1 to 65535, got %r" % (var, value))
    try:
        port = int(str(value).strip())
    except ValueError:
        raise RuleError("%s must be a port number from 1 to 65535, got %r" % (var, value))
    if not 1 <= port <= 65535:
        raise RuleError("%s must be a port number from 1 to 65535, got %r" % (var, value))
    return port


def check_cidrs(values, var):
    if isinstance(values, str) or not isinstance(values, (list, tuple)):
        raise RuleError("%s must be a list of addresses or CIDRs, got %r" % (var, values))
    out = []
    for value in values:
        out.append(normalize_cidr(value, var))
    return sorted(set(out), key=_cidr_key)


def normalize_cidr(value, var):
    if not isinstance(value, str) or not value.strip():
        raise RuleError("%s: %r is not an IPv4/IPv6 address or CIDR" % (var, value))
    try:
        net = ipaddress.ip_network(value.strip(), strict=False)
    except ValueError:
        raise RuleError("%s: %r is not an IPv4/IPv6 address or CIDR (e.g. 198.18.10.0/24)" % (var, value))
    if net.prefixlen == 0:
        raise RuleError(
            "%s: %r admits every address; use the any-source variable to opt in to that explicitly"
            % (var, value)
        )
    check_family(net, value, var)
    if ipaddress.ip_interface(value.strip()).ip != net.network_address:
        raise RuleError(
            "%s: %r has host bits set, so it would admit all of %s; write %s/%d for the one "
            "address or %s for the whole network"
            % (var, value, net, ipaddress.ip_interface(value.strip()).ip,
               net.max_prefixlen, net)
        )
    return str(net)


def check_family(net, value, var):
    """Refuse an IPv4 address written as IPv6 (::ffff:a.b.c.d): an IPv6 rule for it
    (ip6tables, an ipv6 rich rule) never matches the IPv4 traffic it was meant for."""
    if net.version == 6 and net.network_address.ipv4_mapped is not None:
        raise RuleError(
            "%s: %r is an IPv4 address in IPv6 form (IPv4-mapped); a rule for it would be an "
            "IPv6 rule that never matches IPv4 traffic. Write the IPv4 address %s instead"
            % (var, value, net.network_address.ipv4_mapped)
        )


def _cidr_key(cidr):
    """The order of CIDRs (IPv4 first, then by address and prefix length). Memoized:
    an estate sorts the same few thousand addresses once per host that admits them."""
    key = _CIDR_KEYS.get(cidr)
    if key is None:
        net = ipaddress.ip_network(cidr)
        key = (net.version, int(net.network_address), net.prefixlen)
        if len(_CIDR_KEYS) >= _CIDR_KEYS_MAX:
            _CIDR_KEYS.clear()
        _CIDR_KEYS[cidr] = key
    return key


# _cidr_key's memo: {cidr: key}, emptied when it reaches _CIDR_KEYS_MAX entries.
_CIDR_KEYS = {}
_CIDR_KEYS_MAX = 1 << 17


class GroupMembers(list):
    """An inventory group's host list (``groups[name]``) that answers ``host in``
    from a set: the same list, in the same order, for every other use. An estate of
    thousands of hosts asks each host's membership of a few groups once per
    component (``indexed_groups``)."""

    def __init__(self, hosts=()):
        super(GroupMembers, self).__init__(hosts)
        self._members = frozenset(self)

    def __contains__(self, host):
        try:
            return host in self._members
        except TypeError:   # an unhashable value is in no group
            return False


def indexed_groups(groups):
    """``groups`` ({name: [hosts]}) with each list a :class:`GroupMembers`; read only."""
    return dict((name, hosts if isinstance(hosts, GroupMembers) else GroupMembers(hosts or []))
                for name, hosts in (groups or {}).items())


def _one_address(value):
    """``value`` as one address (a /32 or /128 CIDR), or None (a name, a network)."""
    text = u"%s" % str(value).strip()
    try:
        if "/" in text:
            net = ipaddress.ip_network(text)
            if net.num_addresses != 1:
                return None
            text = str(net.network_address)
        addr = ipaddress.ip_address(text)
    except ValueError:
        return None
    if addr.version == 6 and addr.ipv4_mapped is not None:
        addr = addr.ipv4_mapped
    return str(ipaddress.ip_network(addr))


def windows_fact_address(interfaces):
    """The address of a Windows host from ``ansible.windows.setup``'s interfaces: the
    IPv4 address of the adapter that carries an IPv4 default gateway; with several,
    the one with the lowest interface index (a VPN adapter that also has a gateway
    is usually added later, with a higher index). IPv6 (temporary addresses) and
    link-local (169.254.0.0/16) addresses never."""
    best = None
    for iface in interfaces or []:
        if not isinstance(iface, dict) or not _one_address(iface.get("default_gateway") or ""):
            continue
        if ":" in str(iface.get("default_gateway")):
            continue
        ipv4 = iface.get("ipv4") or []
        for entry in (ipv4 if isinstance(ipv4, list) else [ipv4]):
            cidr = _one_address((entry or {}).get("address") or "")
            if cidr is None or ipaddress.ip_network(cidr).network_address.is_link_local:
                continue
            key = (int(iface.get("interface_index") or 0), cidr)
            if best is None or key < best:
                best = key
            break
    return best[1] if best else None


# What a resolver reads as an IPv4 address, in any of inet_aton's forms (octal 010,
# hex 0x0a, short 10.1, a bare number): never a DNS name (no TLD is all digits).
_IP_LIKE = re.compile(r"^(0x[0-9a-f]*|[0-9]+)(\.(0x[0-9a-f]*|[0-9]*))*\.?$", re.I)
# The variables Ansible takes a host's management port from (connection plugins'
# options: ssh, paramiko, winrm, psrp), all read by the management-port guard.
MANAGEMENT_PORT_VARS = ("ansible_port", "ansible_ssh_port", "ansible_winrm_port", "ansible_psrp_port",
                        "ansible_paramiko_port", "remote_port")


def check_ip_text(value, var):
    """Refuse ``value`` (an ``ansible_host``, a host name) when it looks like an IP
    address without being one written strictly: ``192.168.001.010`` (a resolver reads
    010 as octal: 192.168.1.8), ``10.1`` (10.0.0.1), ``0x0a.1.2.3``, ``::ffff:1.2.3.4``
    forms that do not parse. It would go to DNS, whose library reads it its own way."""
    text = str(value).strip()
    if not text or "/" in text or _one_address(text):
        return
    if _IP_LIKE.match(text) or ":" in text:
        raise RuleError(
            "%s: %r looks like an IP address but is not one written strictly (leading zeros, a short "
            "form or a number are read differently by resolvers: 010 is octal 8, 10.1 is 10.0.0.1), so it "
            "is neither used nor sent to DNS. Write the address in full, without leading zeros "
            "(e.g. 192.168.1.10), or set webroot_address." % (var, value))


def allowed_networks(values):
    """``webroot_allowed_networks`` as networks ([] when unset: every address allowed)."""
    return [ipaddress.ip_network(c) for c in check_cidrs(values or [], "webroot_allowed_networks")]


def _outside(cidr, allowed):
    net = ipaddress.ip_network(cidr)
    return bool(allowed) and not any(net.version == a.version and net.subnet_of(a) for a in allowed)


# One IPv4 address as a /32 CIDR, written as ipaddress writes it (no leading zeros).
_OCTET = r"(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])"
_IPV4_HOST = re.compile(r"^%s(?:\.%s){3}/32\Z" % (_OCTET, _OCTET))


def check_estate(estate, allowed=()):
    """``webroot_estate`` (the validation play's registered result, or one given from
    outside with -e) checked like the inventory: every address one address, inside
    ``webroot_allowed_networks``; returns (addresses, left_out, unknown)."""
    addresses = estate.get("addresses")
    if not isinstance(addresses, dict):
        raise RuleError("webroot_estate.addresses must be a mapping of host to address, got %r" % (addresses,))
    out = {}
    for host, value in addresses.items():
        if value in (None, ""):
            out[host] = None
            continue
        if not allowed and isinstance(value, str) and _IPV4_HOST.match(value):
            # Already one IPv4 address as the validation writes it (what ip_network and
            # str() below would accept unchanged): every component task checks the
            # whole estate, so the common case skips the parse.
            out[host] = value
            continue
        try:
            net = ipaddress.ip_network(value) if isinstance(value, str) else None
        except ValueError:
            net = None
        if net is None or net.num_addresses != 1 or str(net) != value or (
                net.version == 6 and net.network_address.ipv4_mapped is not None):
            raise RuleError(
                "webroot_estate.addresses[%s]: %r is not one address as the estate validation writes it "
                "(a /32 or /128 CIDR); a webroot_estate given from outside is checked like the inventory, "
                "and a network never widens a scope." % (host, value))
        if _outside(value, allowed):
            raise RuleError("webroot_estate.addresses[%s]: %s is outside webroot_allowed_networks" % (host, value))
        out[host] = value
    left_out, unknown = estate.get("left_out") or {}, estate.get("unknown") or {}
    if not isinstance(left_out, dict) or not isinstance(unknown, dict):
        raise RuleError("webroot_estate.left_out and .unknown must be mappings of host to reason")
    return out, dict(left_out), dict(unknown)


def host_address(name, hostvars):
    """The address other hosts see for inventory host ``name``: one address, as a
    /32 or /128 CIDR, or None when none is known.

    In order (README, "Addresses"): ``webroot_address``; the gathered facts (Linux:
    the default IPv4 address; Windows: the adapter with a default gateway, see
    :func:`windows_fact_address`); ``ansible_host`` when it is an IP address; the
    controller's DNS answer for ``ansible_host`` or the inventory name
    (``hostvars.resolved``, filled by plugin_utils/resolve.py). Whatever its origin,
    a host's address is one address: a network (``ansible_host: 198.51.100.0/24``,
    a gathered ``0.0.0.0/1``) never widens a scope; ``webroot_address`` written as
    a network is refused.
    """
    memo = getattr(hostvars, "addresses", None)
    if memo is not None and name in memo:
        return memo[name]
    hv = hostvars.get(name) if hasattr(hostvars, "get") else hostvars[name]
    hv = hv or {}
    found = None
    value = hv.get("webroot_address")
    if value:
        var = "webroot_address of host %s" % name
        cidr = normalize_cidr(str(value), var)
        if ipaddress.ip_network(cidr).num_addresses != 1:
            raise RuleError(
                "%s: %r is a network, not one address; a host is admitted by its own address only "
                "(%s/%d for one address). Give the workstation networks with webroot_client_networks, "
                "or a role's networks with its <role>_sources variable." % (
                    var, value, cidr.partition("/")[0], 32 if ":" not in cidr else 128))
        found = cidr
    else:
        facts = hv.get("ansible_facts") or {}
        if hv.get("ansible_host"):
            check_ip_text(hv.get("ansible_host"), "ansible_host of host %s" % name)
        candidates = [((facts.get("default_ipv4") or {}).get("address"), "its gathered facts"),
                      (windows_fact_address(facts.get("interfaces")), "its gathered facts"),
                      (hv.get("ansible_host"), "ansible_host")]
        source = None
        for value, source in candidates:
            found = _one_address(value) if value else None
            if found:
                break
        if found is None:
            found, why = (getattr(hostvars, "resolved", None) or {}).get(name, (None, None))
            source = "DNS"
        allowed = getattr(hostvars, "allowed", None)
        if found is not None and _outside(found, allowed):
            # A derived address is what the host (or its DNS record) says: never trusted
            # outside the networks the user allows.
            if hasattr(hostvars, "why"):
                hostvars.why[name] = "its address %s (from %s) is outside webroot_allowed_networks (%s)" % (
                    found, source, ", ".join(str(a) for a in allowed))
            found = None
        elif found is None:
            transient = _transient(name, hv, hostvars, why)
            if transient and hasattr(hostvars, "unknown"):
                hostvars.unknown[name] = transient
            elif hasattr(hostvars, "why"):
                hostvars.why[name] = why or (
                    "no address: no webroot_address, no gathered facts, and %s is not an IP address "
                    "(names are resolved when webroot_resolve_names is true)" % (hv.get("ansible_host") or name))
    if memo is not None:
        memo[name] = found
    return found


def _transient(name, hv, hostvars, why):
    """Why ``name``'s address is unknown this run only, or None when it has none at
    all (left out): DNS did not answer in time or failed on the server's side, the
    facts could not be gathered (the host was unreachable or failed in facts.yml),
    or the facts were wanted and the host is not in this run (--limit)."""
    if isinstance(why, Transient):
        return why
    reg = hv.get("webroot_facts")
    if isinstance(reg, dict) and (reg.get("unreachable") or reg.get("failed")):
        return Transient("its facts could not be gathered this run (%s: %s)%s" % (
            "unreachable" if reg.get("unreachable") else "failed", reg.get("msg") or "no answer",
            "; %s" % why if why else ""))
    if name in (getattr(hostvars, "not_in_run", None) or ()):
        return Transient("its facts are the only source of its address and it is not in this run (--limit)%s"
                         % ("; %s" % why if why else ""))
    return None


def name_to_resolve(name, hostvars):
    """The name the controller resolves for ``name`` (its ``ansible_host``, else the
    inventory name), or None when the inventory or the facts give its address."""
    hv = hostvars.get(name) if hasattr(hostvars, "get") else hostvars[name]
    hv = hv or {}
    if hv.get("webroot_address") or str(hv.get("webroot_resolve_names", True)).lower() in ("false", "no", "0", "off"):
        return None
    facts = hv.get("ansible_facts") or {}
    if (facts.get("default_ipv4") or {}).get("address") or windows_fact_address(facts.get("interfaces")):
        return None
    target = str(hv.get("ansible_host") or name)
    check_ip_text(target, "ansible_host of host %s" % name if hv.get("ansible_host") else "host name %s" % name)
    return None if _one_address(target) else target


def _group_addresses(groups_wanted, groups, hostvars, role, var, strict=True):
    """(addresses, left out, unknown) of the members of ``groups_wanted``. A member
    with no address is left out (named), one whose address is unknown this run
    (``hostvars.unknown``, :class:`Transient`) is unknown; with ``strict`` either fails."""
    members = []
    for group in groups_wanted:
        members.extend(groups.get(group) or [])
    if not members:
        raise RuleError(
            "%s: the scope of this rule comes from the inventory group(s) %s, which "
            "have no hosts. Add hosts to %s, or set %s to explicit CIDRs, or set %s "
            "to true to admit any address."
            % (role, " / ".join(groups_wanted), " / ".join(groups_wanted),
               var, _any_var(role))
        )
    memo = getattr(hostvars, "scopes", None)
    key = (tuple(groups_wanted), strict)
    if memo is not None and key in memo:
        return memo[key]
    addresses, left_out, unknown = [], [], []
    for host in sorted(set(members)):
        addr = host_address(host, hostvars)
        if addr is None:
            (unknown if host in (getattr(hostvars, "unknown", None) or ()) else left_out).append(host)
        else:
            addresses.append(addr)
    if (left_out or unknown) and strict:
        raise RuleError(
            "%s: cannot tell the address of %s (no webroot_address, no gathered "
            "facts, ansible_host is not an IP, the name does not resolve). Set webroot_address "
            "for them, gather their facts, or set %s (webroot_strict is true, so no host is "
            "left out)." % (role, ", ".join(sorted(left_out + unknown)), var)
        )
    if memo is not None:
        memo[key] = (addresses, left_out, unknown)
    return addresses, left_out, unknown


def _peers_var(role):
    """The name of ``role``'s peers variable (catalog.ROLE_VARIABLES), for the messages."""
    return ROLE_VARIABLES[role]["peers"]


def _any_var(role):
    """The name of ``role``'s any-peer variable (catalog.ROLE_VARIABLES), for the messages."""
    return ROLE_VARIABLES[role]["any_peer"]


def host_rules(role, host, groups, hostvars, settings):
    """The rules ``host`` needs for component ``role``.

    ``settings`` are the role's variables without the role prefix: ``state``,
    ``port`` (None: the catalog's), ``peers`` (explicit CIDRs, [] to derive them
    from the inventory), ``any_peer`` (bool). Raises RuleError on bad input; with
    ``state: absent`` it still validates, and returns [] (nothing is wanted).
    """
    row = component(role)
    state = settings.get("state", "present")
    if state not in STATES:
        raise RuleError("%s_state must be one of %s, got %r" % (role, ", ".join(STATES), state))
    port = row["port"] if settings.get("port") in (None, "") else check_port(settings["port"], role + "_port")
    peers_var, any_var = _peers_var(role), _any_var(role)
    explicit = check_cidrs(settings.get("peers") or [], peers_var)
    any_peer = settings.get("any_peer", False)
    if not isinstance(any_peer, bool):
        raise RuleError("%s must be true or false, got %r" % (any_var, any_peer))
    if any_peer and explicit:
        raise RuleError("%s and %s are mutually exclusive" % (peers_var, any_var))
    networks = check_cidrs(settings.get("client_networks") or [], "webroot_client_networks")

    wanted = {}
    for flow in row["flows"]:
        direction = DIRECTIONS[flow["direction"]]
        here = flow["listeners"] if direction == "in" else flow["connectors"]
        there = flow["connectors"] if direction == "in" else flow["listeners"]
        if not any(host in (groups.get(g) or []) for g in here):
            continue
        rule = wanted.setdefault(direction, {
            "component": role,
            "title": row["title"],
            "executable": row["executable"],
            "description": row["vendor"],
            "port": port,
            "protocol": row["protocol"],
            "direction": direction,
            "peer_groups": [],
            "peers": [],
            "any_peer": any_peer,
            "comment": marker(role, port, row["protocol"], direction),
            "service": service_name(role),
            "windows_name": windows_name(row, port, direction),
        })
        rule["peer_groups"] = sorted(set(rule["peer_groups"]) | set(there))
        if explicit:
            rule["peers"] = explicit
        elif not any_peer and state == "present":
            # With state absent nothing is admitted, so the peers' addresses are
            # not needed (and may not be known: no facts gathered, a host gone).
            if networks and tuple(there) == (GROUP_CLIENTS,):
                # DHCP estates: the workstation networks instead of each lease.
                rule["peers"] = sorted(set(rule["peers"]) | set(networks), key=_cidr_key)
                rule["peer_networks"] = True
                continue
            rule["derived"] = True   # from the inventory: its removals are bounded (fw_common.hold_peers)
            found, left_out, unknown = _group_addresses(there, groups, hostvars, role, peers_var,
                                                        strict=settings.get("strict", True))
            rule["peers"] = sorted(set(rule["peers"]) | set(found), key=_cidr_key)
            rule["left_out"] = sorted(set(rule.get("left_out", [])) | set(left_out))
            if unknown:
                # Nothing is removed from this scope this run (fw_common.hold_peers).
                rule["unknown"] = sorted(set(rule.get("unknown", [])) | set(unknown))
    if state == "absent":
        return []
    aggregates = getattr(hostvars, "aggregates", None)
    for rule in wanted.values():
        key = tuple(rule["peers"])
        if aggregates is not None and key in aggregates:
            rule["peers"] = list(aggregates[key])
            continue
        rule["peers"] = aggregate(rule["peers"])
        if aggregates is not None:
            aggregates[key] = tuple(rule["peers"])
    checked = getattr(hostvars, "any_checked", None)
    for rule in wanted.values():
        if not rule["any_peer"]:
            key = tuple(rule["peers"])
            if checked is not None and key in checked:
                continue
            check_not_any(rule["peers"], "%s (or webroot_client_networks, or the inventory's addresses)"
                          % peers_var, any_var)
            if checked is not None:
                checked.add(key)
    return [wanted[d] for d in sorted(wanted)]


def check_not_any(peers, var, any_var):
    """Refuse peers that, aggregated, admit every address (0.0.0.0/1 and 128.0.0.0/1
    are 0.0.0.0/0): only ``any_var`` opts in to that."""
    every = [p for p in aggregate(peers) if ipaddress.ip_network(p).prefixlen == 0]
    if every:
        raise RuleError(
            "%s: these addresses together admit every address (%s once aggregated); use %s to opt in "
            "to that explicitly" % (var, ", ".join(every), any_var))


def aggregate(cidrs):
    """The same addresses in as few CIDRs as possible, and never one more address.

    Adjacent or overlapping networks merge only when their union is exactly a CIDR
    (``ipaddress.collapse_addresses``): 10.0.0.1, .2, .3, .4 and .9 become
    10.0.0.1/32, 10.0.0.2/31, 10.0.0.4/32, 10.0.0.9/32. IPv4 first, then IPv6.
    """
    nets = [ipaddress.ip_network(c) for c in cidrs]
    out = []
    for version in (4, 6):
        out.extend(str(n) for n in ipaddress.collapse_addresses(n for n in nets if n.version == version))
    return out


# webroot_max_removed_share: the share (percent) of a scope's admitted entries one run
# may remove, and how many may always go (a small scope must be able to change).
DEFAULT_MAX_REMOVED_SHARE = 20
MIN_REMOVALS = 2


def check_share(value, var="webroot_max_removed_share"):
    """``value`` as a percentage from 0 to 100; a RuleError naming ``var`` otherwise."""
    try:
        share = float(str(value).strip().rstrip("%"))
    except (TypeError, ValueError):
        share = None
    if share is None or isinstance(value, bool) or not 0 <= share <= 100:
        raise RuleError("%s must be a percentage from 0 to 100 (the share of a rule's admitted addresses one "
                        "run may remove), got %r" % (var, value))
    return share


def removals_allowed(admitted, share):
    """How many of ``admitted`` entries one run may remove: ``share`` percent of
    them, and at least :data:`MIN_REMOVALS`."""
    return max(MIN_REMOVALS, int(admitted * share // 100))


# Ports Ansible reaches hosts through: a rule of ours there would put management
# under the role's control (state absent or a scope change removes it).
MANAGEMENT_PORTS = (22, 5985, 5986)


def host_plan(role, host, groups, hostvars, settings, given_vars=None, known_vars=None,
              management_port=None):
    """The one plan of ``role`` on ``host``: validation and rules, computed once.

    ``settings`` as for :func:`host_rules`. ``given_vars`` (the ``<role>_*``
    variable names set for the host) must all be in ``known_vars`` (the role's
    argument spec), so a misspelt variable fails instead of being ignored.
    ``management_port`` (a port, or the values of every variable of
    :data:`MANAGEMENT_PORT_VARS`: ``ansible_port``, ``ansible_ssh_port``,
    ``ansible_winrm_port``, ``remote_port``...) joins SSH 22 and WinRM 5985/5986 as
    ports an inbound rule of ours may not use. Returns the plan that the role
    applies and publishes as ``webroot_plan[role]``::

        {"component": role, "state": "present", "port": 50001, "protocol": "tcp",
         "rules": [<host_rules() entries, peers aggregated>]}
    """
    if known_vars is not None:
        unknown = sorted(set(given_vars or []) - set(known_vars))
        if unknown:
            raise RuleError(
                "Unknown variable(s) %s for role webroot.enterprise.%s; known variables: %s."
                % (", ".join(unknown), role, ", ".join(sorted(known_vars))))
    row = component(role)
    rules = host_rules(role, host, groups, hostvars, settings)
    port = row["port"] if settings.get("port") in (None, "") else check_port(settings["port"], role + "_port")
    given = management_port if isinstance(management_port, (list, tuple)) else [management_port]
    mgmt = []
    for value in given:
        try:
            mgmt.append(int(str(value).strip()))
        except (TypeError, ValueError):
            continue
    mgmt = sorted(set(mgmt) | set(MANAGEMENT_PORTS))
    inbound = any(f["direction"] == "inbound" for f in row["flows"])
    if inbound and port in mgmt:
        raise RuleError(
            "%s_port %s is a management port of %s (expected a port outside %s: ansible_port, "
            "ansible_ssh_port, ansible_winrm_port, remote_port, SSH 22, WinRM 5985/5986). A rule of ours there would put management under this "
            "role's control (%s_state=absent or a scope change removes it, possibly the only "
            "rule admitting the connection), so nothing was changed. Use another port."
            % (role, port, host, ", ".join(str(p) for p in mgmt), role))
    return {
        "component": role,
        "state": settings.get("state", "present"),
        "port": port,
        "protocol": row["protocol"],
        "rules": rules,
        "max_removed_share": check_share(settings.get("max_removed_share", DEFAULT_MAX_REMOVED_SHARE)),
    }

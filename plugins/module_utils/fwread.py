# -*- coding: utf-8 -*-
# Copyright: (c) 2026, webroot.enterprise contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The logic of the firewall_info module: find a Linux host's firewall and read
what of ours it holds, as plain data.

Read-only. What is "ours" is decided on the controller; here the data is only
kept small: iptables/ufw rules whose comment carries our marker, sets, services
and rich rules named ``webroot-*``.

Pure parse functions (``parse_*``, ``is_webroot_rich_rule``) work on the text of
the firewall's own tools and are tested on recorded outputs. The rest goes
through a ``host`` object (see :class:`ModuleHost`): ``which(name)``,
``run(args) -> (rc, out, err)``, ``glob(pattern)``, ``isdir(path)`` and
``firewalld()`` (a connected firewalld client, or None), so detection can be
tested with a fake host.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import glob
import os
import re
import shlex

from ansible_collections.webroot.enterprise.plugins.module_utils import fwdreload

MARKER = "webroot.enterprise"
PREFIX = "webroot-"

# Why a host's firewall cannot be read (or managed) as it is: what the component
# roles and firewall_info fail with.
MESSAGES = {
    "auto-firewalld-stopped": (
        "firewalld is installed and configured on this host but is not running, so no rule "
        "was changed on this host. Start it (systemctl start firewalld) and run again; if "
        "firewalld is no longer this host's firewall, set webroot_firewall_backend (or "
        "<component>_backend) to ufw or iptables."),
    "firewalld-stopped": (
        "The backend is firewalld, but firewalld is not running on this host, so no rule "
        "was changed on this host. Start it (systemctl start firewalld) and run again."),
    "no-firewall": (
        "No firewall found on this host: firewalld is not running, ufw is not active and "
        "iptables is not installed. Install one, or set webroot_firewall_backend (or "
        "<component>_backend)."),
    "no-ipset": (
        "ipset is not installed on this host: on iptables hosts webroot.enterprise keeps the "
        "peers of each rule in an ipset, matched by one rule, so no rule was changed on this "
        "host. Install the ipset package (and ipset-persistent, so that the sets are restored "
        "at boot before the rules) and run again."),
    "no-iptables": "The backend is iptables, but iptables is not installed on this host.",
    "no-ufw": "The backend is ufw, but ufw is not installed on this host.",
    "no-firewalld-client": (
        "firewalld is running on this host, but its Python client (python3-firewall: "
        "firewall.client) cannot be imported by the module's interpreter %s; run the module "
        "with the host's /usr/bin/python3 (ansible_python_interpreter)."),
    "command-failed": "Reading the firewall of this host failed: %s",
    "unknown-backend": "Unknown firewall backend %s.",
}


class ReadError(Exception):
    """The firewall cannot be read as it is: ``code`` is a key of MESSAGES."""

    def __init__(self, code, detail=None):
        self.code = code
        msg = MESSAGES.get(code, code)
        if "%s" in msg:
            msg = msg % (detail or "")
        elif detail:
            msg = "%s (%s)" % (msg, detail)
        super(ReadError, self).__init__(msg)


# --- pure parsers ---------------------------------------------------------

def is_ours_comment(comment):
    return bool(comment) and MARKER in comment


def _split(line):
    try:
        return shlex.split(line)
    except ValueError:
        return None


def _int_or_none(text):
    return int(text) if text is not None and text.isdigit() else None


def _options(words):
    """{option: [args...]} of an iptables -S rule (first occurrence of each option);
    a negated option ('! -s x') gets its first argument prefixed with '!'."""
    opts = {}
    i, negate = 0, False
    while i < len(words):
        word = words[i]
        if word == "!":
            negate = True
            i += 1
            continue
        if word.startswith("-"):
            args = []
            i += 1
            while i < len(words) and words[i] != "!" and not words[i].startswith("-"):
                args.append(words[i])
                i += 1
            if negate and args:
                args[0] = "!" + args[0]
            opts.setdefault(word, args)
            negate = False
            continue
        i += 1
    return opts


def parse_iptables_rule(line):
    """One ``iptables -S`` / ``ip6tables -S`` line as a dict, or None when it is not
    an ``-A`` (append) line. Any rule, ours or not."""
    line = (line or "").strip()
    words = _split(line)
    if not words or len(words) < 2 or words[0] != "-A":
        return None
    opts = _options(words[2:])

    def one(*names):
        for name in names:
            if opts.get(name):
                return opts[name][0]
        return None

    match_set = opts.get("--match-set") or []
    dport = one("--dport", "--destination-port")
    rule_extra = _extra(words[2:])
    return {
        "chain": words[1],
        "protocol": one("-p", "--protocol"),
        "dport": _int_or_none(dport),
        "source": one("-s", "--source"),
        "destination": one("-d", "--destination"),
        "match_set": match_set[0] if match_set else None,
        "match_set_flags": match_set[1] if len(match_set) > 1 else None,
        "jump": one("-j", "--jump"),
        "comment": one("--comment"),
        "extra": rule_extra,
        "line": line,
    }


# The options and match modules of the rules webroot.enterprise writes; a rule with
# any other (an interface, a state, a source port, a rate limit...) is not ours.
_WRITTEN_OPTIONS = frozenset(("-p", "--protocol", "--dport", "--destination-port", "--match-set", "--comment",
                              "-j", "--jump", "-s", "--source", "-d", "--destination"))
_WRITTEN_MODULES = frozenset(("tcp", "udp", "set", "comment"))


def _extra(words):
    """The options and modules of a rule (its words after ``-A CHAIN``) that the
    rules of webroot.enterprise never have, sorted ('-i', '-m conntrack', ...)."""
    extra = set()
    i = 0
    while i < len(words):
        word = words[i]
        if word in ("-m", "--match"):
            if i + 1 < len(words) and words[i + 1] not in _WRITTEN_MODULES:
                extra.add("-m " + words[i + 1])
            i += 2
            continue
        if word.startswith("-") and word not in _WRITTEN_OPTIONS:
            extra.add(word)
        i += 1
    return sorted(extra)


def parse_iptables_rules(text):
    """Our rules in ``iptables -S`` text: ``-A`` lines of any chain whose comment
    contains our marker, or that match one of our sets (a foreign rule using a set
    of ours keeps it from being removed), in their order."""
    out = []
    for line in (text or "").splitlines():
        rule = parse_iptables_rule(line)
        if rule and (is_ours_comment(rule["comment"]) or (rule.get("match_set") or "").startswith(PREFIX)):
            out.append(rule)
    return out


def ipset_family(word):
    """ipset's and firewalld's family word ('inet', 'inet6') as 'ipv4' / 'ipv6'."""
    return "ipv6" if word == "inet6" else "ipv4"


def parse_ipset_save(text):
    """Our sets (``webroot-*``) in ``ipset save`` text:
    {name: {"type", "family", "entries"}}, entries as ipset writes them."""
    sets = {}
    for line in (text or "").splitlines():
        words = line.split()
        if len(words) < 3 or not words[1].startswith(PREFIX):
            continue
        if words[0] == "create":
            family = words[words.index("family") + 1] if "family" in words[3:-1] else "inet"
            entry = sets.setdefault(words[1], {"type": None, "family": None, "entries": []})
            entry.update(type=words[2], family=ipset_family(family))
        elif words[0] == "add":
            # 'nomatch' makes an entry an exception (a hole in a wider entry): the
            # admin's, kept apart from the entries that admit.
            key = "nomatch" if "nomatch" in words[3:] else "entries"
            sets.setdefault(words[1], {"type": None, "family": None, "entries": []}).setdefault(
                key, []).append(words[2])
    for entry in sets.values():
        for key in ("entries", "nomatch"):
            if key in entry:
                entry[key].sort()  # a set has no order; ipset lists it in hash order
    return sets


_UFW_ACTIONS = ("allow", "deny", "reject", "limit")


def parse_ufw_rule(line):
    """One line of ``ufw show added`` as a dict, or None when it is not a filter rule
    (headers, '(None)', ``ufw route ...``). Any rule, ours or not."""
    line = (line or "").strip()
    words = _split(line)
    if not words or len(words) < 3 or words[0] != "ufw" or words[1] not in _UFW_ACTIONS:
        return None
    comment = None
    if "comment" in words:
        at = words.index("comment")
        comment = words[at + 1] if at + 1 < len(words) else ""
        words = words[:at]
    body = words[2:]
    rule = {"action": words[1], "direction": "in", "interface": None, "protocol": "any",
            "port": None, "from": "any", "from_port": None, "to": "any",
            "comment": comment, "line": line}
    if body and body[0] in ("in", "out"):
        rule["direction"] = body.pop(0)
        if len(body) >= 2 and body[0] == "on":
            rule["interface"] = body[1]
            body = body[2:]
    if body and body[0] in ("log", "log-all"):
        body = body[1:]
    if body and body[0] not in ("from", "to", "proto", "port", "app"):
        # Short form: 'ufw allow 50000/tcp', 'ufw allow 50000', 'ufw allow 80,443/tcp'.
        port, _sep, proto = body.pop(0).partition("/")
        rule["port"] = _int_or_none(port)
        if proto:
            rule["protocol"] = proto
    where = "to"
    i = 0
    while i < len(body):
        word = body[i]
        arg = body[i + 1] if i + 1 < len(body) else None
        if word in ("from", "to"):
            where = word
            rule[word] = arg
        elif word == "port":
            if where == "from":
                rule["from_port"] = _int_or_none(arg)
            else:
                rule["port"] = _int_or_none(arg)
        elif word == "proto":
            rule["protocol"] = arg
        i += 2 if word in ("from", "to", "port", "proto", "app") else 1
    return rule


def parse_ufw_added(text):
    """Our rules in ``ufw show added``: those whose comment contains our marker."""
    out = []
    for line in (text or "").splitlines():
        rule = parse_ufw_rule(line)
        if rule and is_ours_comment(rule["comment"]):
            out.append(rule)
    return out


def is_webroot_rich_rule(text):
    """True when a firewalld rich rule names a service or an ipset of ours."""
    return 'service name="%s' % PREFIX in (text or "") or 'ipset="%s' % PREFIX in (text or "")


def _ports(pairs):
    """firewalld's [(port, protocol)] as ['50000/tcp', ...]."""
    return ["%s/%s" % (str(port), str(proto)) for port, proto in pairs]


def _zone_part(services, rich_rules):
    return {"services": sorted(str(s) for s in services if str(s).startswith(PREFIX)),
            "rich_rules": sorted(str(r) for r in rich_rules if is_webroot_rich_rule(str(r)))}


# --- readers (talk to the host) ---------------------------------------------

def read_firewalld_client(fw):
    """What of ours firewalld holds, read through one connected FirewallClient."""
    config = fw.config()
    zones = {}
    for name in config.getZoneNames():
        settings = config.getZoneByName(name).getSettings()
        zones[str(name)] = {"permanent": _zone_part(settings.getServices(), settings.getRichRules())}
    for name in fw.getZones():
        settings = fw.getZoneSettings(name)
        zones.setdefault(str(name), {})["runtime"] = _zone_part(settings.getServices(), settings.getRichRules())
    for part in zones.values():
        part.setdefault("permanent", {"services": [], "rich_rules": []})
        part.setdefault("runtime", {"services": [], "rich_rules": []})
    services = {}
    for name in config.getServiceNames():
        if str(name).startswith(PREFIX):
            services[str(name)] = {"ports": _ports(config.getServiceByName(name).getPorts())}
    ipsets = {}
    for name in config.getIPSetNames():
        if str(name).startswith(PREFIX):
            settings = config.getIPSetByName(name).getSettings()
            ipsets[str(name)] = {"type": str(settings.getType()),
                                 "family": ipset_family(str(settings.getOptions().get("family", "inet"))),
                                 "entries": sorted(str(e) for e in settings.getEntries())}
    runtime_ipsets = {}
    for name in fw.getIPSets():
        if str(name).startswith(PREFIX):
            runtime_ipsets[str(name)] = {"entries": sorted(str(e) for e in fw.getEntries(name))}
    # What the running firewalld has loaded: a service file of ours written by a run
    # that stopped before its reload is in the permanent configuration only.
    runtime_services = {}
    for name in fw.listServices():
        if str(name).startswith(PREFIX):
            runtime_services[str(name)] = {"ports": _ports(fw.getServiceSettings(name).getPorts())}
    policies, runtime_policies = {}, {}
    try:
        for name in config.getPolicyNames():
            settings = config.getPolicyByName(name).getSettings()
            policies[str(name)] = _zone_part(settings.getServices(), settings.getRichRules())
        for name in fw.getPolicies():
            settings = fw.getPolicySettings(name)
            runtime_policies[str(name)] = _zone_part(settings.getServices(), settings.getRichRules())
    except AttributeError:
        pass  # firewalld before 0.9: no policies
    return {"default_zone": str(fw.getDefaultZone()), "zones": zones, "services": services,
            "runtime_services": runtime_services, "ipsets": ipsets, "runtime_ipsets": runtime_ipsets,
            "policies": policies, "runtime_policies": runtime_policies,
            "drift": firewalld_drift(fw), "pending": fwdreload.pending(fw)}


# What a zone or a policy holds that a reload would lose (runtime only) or bring in
# (permanent only). firewalld_reload puts the runtime back after its reload (zones
# with their interfaces and sources, policies, ipset entries, direct chains, rules and
# passthroughs); what it cannot take out again is ``fwdreload.pending``.
ZONE_PARTS = (("getServices", "service"), ("getPorts", "port"), ("getProtocols", "protocol"),
              ("getSourcePorts", "source port"), ("getSources", "source"), ("getForwardPorts", "forward port"),
              ("getIcmpBlocks", "icmp block"), ("getRichRules", "rich rule"), ("getMasquerade", "masquerade"),
              ("getInterfaces", "interface"))
POLICY_PARTS = tuple(p for p in ZONE_PARTS if p[0] not in ("getSources", "getInterfaces")) + (
    ("getIngressZones", "ingress zone"), ("getEgressZones", "egress zone"))


def _items(settings, getter):
    value = getattr(settings, getter)()
    if isinstance(value, bool):
        return set(["on"]) if value else set()
    out = set()
    for item in value or []:
        out.add("/".join(str(v) for v in item) if isinstance(item, (list, tuple)) else str(item))
    return out


def _ours_item(text):
    return PREFIX in text and (is_webroot_rich_rule(text) or text.startswith(PREFIX))


def _compare(out, label, runtime, permanent, parts):
    for getter, what in parts:
        try:
            have, keep = _items(runtime, getter), _items(permanent, getter)
        except AttributeError:
            continue
        for item in sorted(have - keep):
            if not _ours_item(item):
                out.append("%s: %s %s is in the runtime configuration only" % (label, what, item))
        for item in sorted(keep - have):
            if not _ours_item(item):
                out.append("%s: %s %s is in the permanent configuration only" % (label, what, item))


def firewalld_drift(fw):
    """Every difference between firewalld's runtime and permanent configuration
    outside our own objects, as sentences: what ``firewall-cmd --reload`` would
    drop (runtime only: a fail2ban ban, a port opened by hand, an interface bound by
    podman) or bring in (permanent only). Zones (interfaces included), policies,
    ipset entries, direct chains, rules and passthroughs."""
    config = fw.config()
    out = []
    permanent = dict((str(n), config.getZoneByName(n).getSettings()) for n in config.getZoneNames())
    for zone in sorted(set(str(z) for z in fw.getZones()) & set(permanent)):
        _compare(out, "zone %s" % zone, fw.getZoneSettings(zone), permanent[zone], ZONE_PARTS)
    try:
        perm_policies = dict((str(n), config.getPolicyByName(n).getSettings()) for n in config.getPolicyNames())
        run_policies = [str(n) for n in fw.getPolicies()]
    except AttributeError:
        perm_policies, run_policies = {}, []
    for policy in sorted(set(run_policies) & set(perm_policies)):
        _compare(out, "policy %s" % policy, fw.getPolicySettings(policy), perm_policies[policy], POLICY_PARTS)
    perm_sets = set(str(n) for n in config.getIPSetNames())
    for name in sorted(set(str(n) for n in fw.getIPSets())):
        if name.startswith(PREFIX):
            continue
        have = set(str(e) for e in fw.getEntries(name))
        keep = (set(str(e) for e in config.getIPSetByName(name).getSettings().getEntries())
                if name in perm_sets else set())
        if have - keep:
            out.append("ipset %s: %d entries in the runtime configuration only (e.g. %s)"
                       % (name, len(have - keep), sorted(have - keep)[0]))
    for what, runtime, permanent in (("direct chains", "getAllChains", "getAllChains"),
                                     ("direct rules", "getAllRules", "getAllRules"),
                                     ("passthroughs", "getAllPassthroughs", "getAllPassthroughs")):
        try:
            have = set(repr(r) for r in getattr(fw, runtime)())
            keep = set(repr(r) for r in getattr(config.direct(), permanent)())
        except Exception:  # pylint: disable=broad-except
            have = keep = set()
        if have != keep:
            out.append("%s: %d in the runtime configuration only, %d in the permanent only"
                       % (what, len(have - keep), len(keep - have)))
    return out + fwdreload.pending(fw)


def firewalld_configured(host):
    """firewalld is configured or enabled at boot (what makes a stopped firewalld an error)."""
    if host.glob("/etc/firewalld/zones/*.xml") or host.glob("/etc/firewalld/services/webroot-*.xml"):
        return True
    if host.isdir("/run/systemd/system") and host.which("systemctl"):
        rc = host.run([host.which("systemctl"), "is-enabled", "--quiet", "firewalld"])[0]
        return rc == 0
    return False


def ufw_active(host):
    rc, out, _err = host.run([host.which("ufw"), "status"])
    return rc == 0 and any(line.startswith("Status: active") for line in out.splitlines())


def detect(host):
    """The backend that backend auto picks: firewalld, then ufw, then iptables,
    with the firewalld client when it is firewalld. Raises ReadError."""
    if host.which("firewall-cmd"):
        fw = host.firewalld()
        if fw is not None:
            return "firewalld", fw
        if firewalld_configured(host):
            raise ReadError("auto-firewalld-stopped")
    if host.which("ufw") and ufw_active(host):
        return "ufw", None
    if host.which("iptables"):
        return "iptables", None
    raise ReadError("no-firewall")


def _run(host, args, what):
    rc, out, err = host.run(args)
    if rc != 0:
        raise ReadError("command-failed", "%s (rc %s): %s" % (what, rc, (err or out or "").strip()))
    return out


# netfilter-persistent (Debian, Ubuntu) restores the firewall at boot by running
# its plugins in this directory in name order (run-parts): ipset-persistent's
# 10-ipset, then iptables-persistent's 15-ip4tables and 25-ip6tables.
NETFILTER_PERSISTENT_PLUGINS = "/usr/share/netfilter-persistent/plugins.d"
# Written before an iptables host is changed, removed once what runs is saved for
# boot: while it is there, the next run saves (a save that failed or never ran).
SAVE_PENDING = "/var/lib/webroot-enterprise/iptables-save-pending"


def read_boot(host):
    """How an iptables host restores its firewall at boot: the netfilter-persistent
    plugins installed (names, in the order they run) and whether a save of ours is
    pending."""
    plugins = sorted(os.path.basename(p) for p in host.glob(NETFILTER_PERSISTENT_PLUGINS + "/*"))
    return {"plugins": plugins, "save_pending": bool(host.glob(SAVE_PENDING))}


def read_iptables(host):
    iptables = host.which("iptables")
    if not iptables:
        raise ReadError("no-iptables")
    ipset = host.which("ipset")
    if not ipset:
        raise ReadError("no-ipset")
    text = _run(host, [iptables, "-S"], "iptables -S")
    ipv4, denies = parse_iptables_rules(text), {"ipv4": iptables_order(text)}
    ipv6 = []
    ip6tables = host.which("ip6tables")
    if ip6tables:
        rc, out, _err = host.run([ip6tables, "-S"])
        if rc == 0:
            ipv6, denies["ipv6"] = parse_iptables_rules(out), iptables_order(out)
    for fam, rules in (("ipv4", ipv4), ("ipv6", ipv6)):
        for rule in rules:
            rule["index"] = denies.get(fam, {}).get("index", {}).get(rule["line"])
    for order in denies.values():
        order.pop("index", None)
    sets = parse_ipset_save(_run(host, [ipset, "save"], "ipset save"))
    return {"backend": "iptables", "iptables": {"ipv4": ipv4, "ipv6": ipv6, "denies": denies}, "ipsets": sets,
            "boot": read_boot(host)}


_DENY = ("DROP", "REJECT")
_PEER_KEYS = {"INPUT": ("-s", "--source", "--src-range"), "OUTPUT": ("-d", "--destination", "--dst-range")}


def _port_ranges(opts):
    """The destination ports a rule matches as [[low, high], ...], or None (any)."""
    words = opts.get("--dport") or opts.get("--destination-port") or opts.get("--dports") \
        or opts.get("--destination-ports")
    if not words or words[0].startswith("!"):
        return None
    out = []
    for part in words[0].split(","):
        low, _sep, high = part.partition(":")
        if not low.isdigit() or (high and not high.isdigit()):
            return None
        out.append([int(low), int(high or low)])
    return out


def _names_peer(opts, chain):
    """True when a rule narrows who it matches by the peer's address (a source for
    INPUT, a destination for OUTPUT; also a negated one)."""
    if any(opts.get(k) for k in _PEER_KEYS[chain]):
        return True
    match_set = opts.get("--match-set") or []
    flag = "src" if chain == "INPUT" else "dst"
    return len(match_set) > 1 and match_set[1].split(",")[0] == flag


def iptables_order(text):
    """Where the rules that may drop one peer's packet sit in INPUT and OUTPUT, from
    ``iptables -S`` text: {"INPUT": [...], "OUTPUT": [...], "index": {line: position}}.

    Each is {index (1-based position in its chain), protocol, ports ([[low, high]] or
    None: any), line}: a DROP or REJECT that names a peer's address, or a jump to a
    chain of the admin's (fail2ban's f2b-*, ...) that holds such a rule. Our ACCEPT
    goes after the last of them that could match its packets, so that the admin's
    deny for one peer keeps applying to our port. ``index`` gives the position of
    every rule of those two chains by its line."""
    chains, rules = set(), []
    for line in (text or "").splitlines():
        words = _split(line.strip())
        if not words or len(words) < 2:
            continue
        if words[0] == "-N":
            chains.add(words[1])
        elif words[0] == "-A":
            rules.append((words[1], line.strip(), _options(words[2:])))
    denying = set(chain for chain, _line, opts in rules if chain in chains and (opts.get("-j") or [None])[0] in _DENY
                  and (_names_peer(opts, "INPUT") or _names_peer(opts, "OUTPUT")))
    out = {"INPUT": [], "OUTPUT": [], "index": {}}
    count = {"INPUT": 0, "OUTPUT": 0}
    for chain, line, opts in rules:
        if chain not in count:
            continue
        count[chain] += 1
        out["index"].setdefault(line, count[chain])
        jump = (opts.get("-j") or opts.get("--jump") or [None])[0]
        if (jump in _DENY and _names_peer(opts, chain)) or jump in denying:
            proto = (opts.get("-p") or opts.get("--protocol") or [None])[0]
            out[chain].append({"index": count[chain], "protocol": None if proto in (None, "all") else proto,
                               "ports": _port_ranges(opts), "line": line})
    return out


def read_ufw(host):
    ufw = host.which("ufw")
    if not ufw:
        raise ReadError("no-ufw")
    out = {"backend": "ufw", "ufw": parse_ufw_added(_run(host, [ufw, "show", "added"], "ufw show added"))}
    rc, text, _err = host.run([ufw, "status", "numbered"])
    denies = parse_ufw_denies(text) if rc == 0 else []
    if denies:
        out["denies"] = denies
        # Where ours stand, to move one that an admin's later deny should precede.
        out["allows"] = parse_ufw_allows(text)
    return out


_UFW_NUMBERED = re.compile(r"^\[\s*(\d+)\]\s+(.+?)\s{2,}(ALLOW|DENY|REJECT|LIMIT)\s+(IN|OUT|FWD)\s+(.+?)\s*$")
_UFW_PORTS = re.compile(r"^(\d+(?::\d+)?(?:,\d+(?::\d+)?)*)(?:/(tcp|udp))?$")


def ufw_last_numbers(text):
    """The number of the last IPv4 and IPv6 rule in ``ufw status numbered`` (ufw
    lists IPv4 rules first): {"ipv4": n, "ipv6": n}, 0 when none."""
    out = {"ipv4": 0, "ipv6": 0}
    for line in (text or "").splitlines():
        m = _UFW_NUMBERED.match(line.strip())
        if m:
            fam = "ipv6" if "(v6)" in line or ":" in m.group(5).split()[0] or ":" in m.group(2).split()[0] else "ipv4"
            out[fam] = max(out[fam], int(m.group(1)))
    return out


def parse_ufw_allows(text):
    """The ALLOW rules of ``ufw status numbered`` with our marker in their comment:
    [{index, direction, peer (the address, None for Anywhere), comment}]."""
    out = []
    for line in (text or "").splitlines():
        m = _UFW_NUMBERED.match(line.strip())
        if not m or m.group(3) != "ALLOW" or "#" not in m.group(5):
            continue
        frm, comment = m.group(5).split("#", 1)
        comment = comment.strip()
        if not is_ours_comment(comment):
            continue
        direction = m.group(4).lower()
        words = (frm.replace("(out)", "") if direction == "in" else m.group(2)).replace("(v6)", "").split()
        peer = words[0] if words and words[0] != "Anywhere" and not _UFW_PORTS.match(words[0]) else None
        out.append({"index": int(m.group(1)), "direction": direction, "peer": peer, "comment": comment})
    return out


def parse_ufw_denies(text):
    """The rules of ``ufw status numbered`` that deny one peer (a DENY or REJECT
    from a given address inbound, to one outbound), with the number ufw gives them:
    [{index, family, direction, protocol, ports ([[low, high]] or None: any), line}].
    Our allow goes after the last of them that could match its packets."""
    out = []
    for line in (text or "").splitlines():
        m = _UFW_NUMBERED.match(line.strip())
        if not m or m.group(3) not in ("DENY", "REJECT"):
            continue
        to, frm = m.group(2), m.group(5).split("#", 1)[0].replace("(out)", "").strip()
        direction = m.group(4).lower()
        peer = frm if direction == "in" else to
        if peer.split()[0] == "Anywhere":
            continue
        # The port is the destination's, in the To column ("50002/tcp", "198.18.10.5 443/tcp").
        word = to.replace("(v6)", "").split()[-1]
        ports, proto = None, None
        pm = _UFW_PORTS.match(word)
        if pm:
            proto = pm.group(2)
            ports = [[int(p.split(":")[0]), int(p.split(":")[-1])] for p in pm.group(1).split(",")]
        out.append({"index": int(m.group(1)), "family": "ipv6" if ":" in peer.split()[0] else "ipv4",
                    "direction": direction, "protocol": proto, "ports": ports, "line": line.strip()})
    return out


def read(host, backend="auto"):
    """{"backend": ..., <backend's data>} for ``backend`` (auto finds it). Raises ReadError."""
    fw = None
    if backend == "auto":
        backend, fw = detect(host)
    if backend == "iptables":
        return read_iptables(host)
    if backend == "ufw":
        return read_ufw(host)
    if backend == "firewalld":
        fw = fw or host.firewalld()
        if fw is None:
            raise ReadError("firewalld-stopped")
        try:
            data = read_firewalld_client(fw)
        except Exception as exc:  # pylint: disable=broad-except
            # dbus.exceptions.DBusException, firewall.errors.FirewallError
            raise ReadError("command-failed", "firewalld: %s" % exc)
        return {"backend": "firewalld", "firewalld": data}
    raise ReadError("unknown-backend", repr(backend))


class ModuleHost(object):
    """The host as seen from an AnsibleModule."""

    def __init__(self, module):
        self.module = module
        self._bins = {}

    def which(self, name):
        if name not in self._bins:
            self._bins[name] = self.module.get_bin_path(name)
        return self._bins[name]

    def run(self, args):
        return self.module.run_command(args, environ_update={"LC_ALL": "C"})

    @staticmethod
    def glob(pattern):
        return glob.glob(pattern)

    @staticmethod
    def isdir(path):
        return os.path.isdir(path)

    def firewalld(self):
        """A FirewallClient connected to the running firewalld, or None when firewalld
        (or the system bus) is not running. ReadError when firewalld runs but its
        client cannot be imported by this interpreter."""
        try:
            from firewall.client import FirewallClient  # pylint: disable=import-outside-toplevel
        except ImportError:
            cmd = self.which("firewall-cmd")
            if cmd and self.run([cmd, "--state"])[0] == 0:
                import sys  # pylint: disable=import-outside-toplevel
                raise ReadError("no-firewalld-client", sys.executable)
            return None
        try:
            fw = FirewallClient()
        except Exception:  # pylint: disable=broad-except
            return None  # no system bus
        return fw if fw.connected else None

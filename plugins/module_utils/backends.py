# -*- coding: utf-8 -*-
# Copyright: (c) 2026, webroot.enterprise contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""From a host's plan and one read of its firewall to the few changes it needs.

Pure functions over plain data, used by the internal role's filters
(roles/_common/filter_plugins) and the unit tests. Nothing here talks to a host.

How a plan rule becomes native objects, so that the work per host does not grow
with the number of peers:

- iptables: one ipset of ours per component and IP family (``webroot-<component>-v4``
  / ``-v6``, type hash:net) holding the peers, matched by one ACCEPT rule
  (``-m set --match-set``) that carries our comment; ``any_peer`` is one rule
  without a set.
- firewalld: the same ipsets as firewalld ipsets, each named by one rich rule
  ``rule family=... source ipset=... service name="webroot-<component>" accept``;
  ``any_peer`` is our service in the zone.
- ufw has no sets: one rule per (aggregated) peer, inserted ahead of the others.
- Windows: one rule per 1,000 remote addresses (Windows 10 / Server 2016-2019
  refuse more in one rule), named ``<name>``, ``<name> #2``, ``<name> #3``...

``read_*`` parse the one read of the firewall (roles/_common/tasks/read_*.yml) into
the objects of ours found there, keyed by component; ``ops`` compares one
component's wanted objects with them and returns what to add and what to remove.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import ipaddress
import re
import shlex

from ansible_collections.webroot.enterprise.plugins.module_utils import rules as R
from ansible_collections.webroot.enterprise.plugins.module_utils.catalog import (
    MARKER,
    TABLE_11,
    WINDOWS_GROUP,
)

COMPONENTS = tuple(row["component"] for row in TABLE_11)
FAMILIES = (("ipv4", 4), ("ipv6", 6))
# Windows Firewall refuses a rule with more than 1,000 remote addresses on Windows 10
# and Server 2016-2019 (newer builds allow more); see docs/windows.md.
WINDOWS_MAX_ADDRESSES = 1000


def set_name(component, family):
    """Our ipset for one component and family, e.g. 'webroot-client-service-v4' (<= 31 chars)."""
    return "webroot-%s-v%s" % (component.replace("_", "-"), "6" if family == "ipv6" else "4")


def _family(cidr):
    return "ipv6" if ":" in cidr else "ipv4"


def _net(text):
    """A CIDR in canonical form ('198.18.10.31' -> '198.18.10.31/32'); None for 'any'."""
    text = (text or "").strip()
    if text in ("", "any", "Any", "0.0.0.0/0", "::/0", "*"):
        return None
    if "/" in text:
        addr, mask = text.split("/", 1)
        if "." in mask:  # Windows writes 198.18.10.0/255.255.255.0
            return str(ipaddress.ip_network(u"%s/%s" % (addr, mask), strict=False))
    return str(ipaddress.ip_network(text, strict=False))


def _entries(cidrs):
    return R.aggregate([_net(c) for c in cidrs if _net(c)])


def _component_of(comment):
    """'webroot.enterprise sweep_now 50001/tcp in' -> 'sweep_now' (None if not ours)."""
    words = (comment or "").split()
    if len(words) >= 2 and words[0] == MARKER and words[1] in COMPONENTS:
        return words[1]
    return None


def _empty():
    return dict((c, {"rules": [], "sets": {}}) for c in COMPONENTS)


# --- iptables -------------------------------------------------------------

def read_iptables(text):
    """Ours in the read of roles/_common/tasks/read_iptables.yml.

    ``text`` has sections '== ipv4' (iptables -S), '== ipv6' (ip6tables -S) and
    '== ipset' (ipset save). Returns {component: {"rules": [...], "sets": {...}}}.
    """
    found = _empty()
    section = None
    for line in (text or "").splitlines():
        if line.startswith("== "):
            section = line[3:].strip()
            continue
        if section in ("ipv4", "ipv6"):
            rule = _parse_ipt_line(line, section)
            if rule:
                found[rule["component"]]["rules"].append(rule)
        elif section == "ipset":
            words = line.split()
            if len(words) < 3 or not words[1].startswith("webroot-"):
                continue
            comp = _set_component(words[1])
            if comp is None:
                continue
            sets = found[comp]["sets"]
            if words[0] == "create":
                fam = "ipv6" if "inet6" in words else "ipv4"
                sets.setdefault(words[1], {"family": fam, "entries": []})["family"] = fam
            elif words[0] == "add":
                sets.setdefault(words[1], {"family": _family(words[2]), "entries": []})["entries"].append(_net(words[2]))
    for comp in found.values():
        for s in comp["sets"].values():
            s["entries"] = sorted(s["entries"], key=R._cidr_key)  # pylint: disable=protected-access
    return found


def _set_component(name):
    for comp in COMPONENTS:
        if name in (set_name(comp, "ipv4"), set_name(comp, "ipv6")):
            return comp
    return None


def _parse_ipt_line(line, family):
    try:
        words = shlex.split(line)
    except ValueError:
        return None
    if len(words) < 2 or words[0] != "-A" or words[1] not in ("INPUT", "OUTPUT"):
        return None
    opts = {}
    i = 2
    while i < len(words):
        if words[i].startswith("-") and i + 1 < len(words) and not words[i + 1].startswith("-"):
            opts[words[i]] = words[i + 1]
            i += 2
        else:
            i += 1
    comp = _component_of(opts.get("--comment"))
    if comp is None or opts.get("-j") != "ACCEPT":
        return None
    inbound = words[1] == "INPUT"
    return {
        "component": comp,
        "family": family,
        "chain": words[1],
        "direction": "in" if inbound else "out",
        "protocol": opts.get("-p", "tcp"),
        "port": int(opts.get("--dport", 0)),
        "match_set": opts.get("--match-set"),
        "peer": _net(opts.get("-s") if inbound else opts.get("-d")),
        "comment": opts["--comment"],
    }


def want_iptables(plan):
    """The ipsets and rules ``plan`` (one component's) needs on an iptables host."""
    rules, sets = [], {}
    for rule in plan.get("rules", []):
        chain = "INPUT" if rule["direction"] == "in" else "OUTPUT"
        base = {"component": plan["component"], "chain": chain, "direction": rule["direction"],
                "protocol": rule["protocol"], "port": int(rule["port"]), "peer": None,
                "comment": rule["comment"]}
        if rule["any_peer"]:
            rules.append(dict(base, family="ipv4", match_set=None))
            continue
        for fam, name, entries in _family_sets(plan["component"], rule["peers"]):
            sets[name] = {"family": fam, "entries": entries}
            rules.append(dict(base, family=fam, match_set=name))
    return {"rules": rules, "sets": sets}


def _family_sets(component, peers):
    """(family, set name, entries) for each IP family that has peers."""
    for fam, _v in FAMILIES:
        entries = [p for p in peers if _family(p) == fam]
        if entries:
            yield fam, set_name(component, fam), entries


def _rule_key(rule):
    return (rule["family"], rule["chain"], rule["protocol"], int(rule["port"]),
            rule.get("match_set"), rule.get("peer"), rule["comment"])


def _set_ops(want_sets, have_sets):
    present = [dict(name=n, **s) for n, s in sorted(want_sets.items())
               if have_sets.get(n) != s]
    absent = [dict(name=n, **s) for n, s in sorted(have_sets.items()) if n not in want_sets]
    return present, absent


def ops(backend, plan, found):
    """What to change for one component: {add, remove, sets, sets_absent, changed, want}.

    ``found`` is the component's part of a ``read_<backend>`` result. ``want`` is
    what the component's part looks like once the changes are made, so a later
    role in the same run can trust the one read without reading again.
    """
    want = WANT[backend](plan)
    have_keys = set(_KEY[backend](r) for r in found.get("rules", []))
    want_keys = set(_KEY[backend](r) for r in want["rules"])
    add = [r for r in want["rules"] if _KEY[backend](r) not in have_keys]
    remove = [r for r in found.get("rules", []) if _KEY[backend](r) not in want_keys]
    sets, sets_absent = _set_ops(want.get("sets", {}), found.get("sets", {}))
    out = {"add": add, "remove": remove, "sets": sets, "sets_absent": sets_absent, "want": want,
           "plan_rules": plan.get("rules", []),
           "service_ports": ["%s/%s" % (plan["port"], plan["protocol"])]}
    out.update(_EXTRA.get(backend, lambda p, f, w: {})(plan, found, want))
    out["changed"] = bool(add or remove or sets or sets_absent or out.get("service_define")
                          or out.get("service_remove"))
    out["diff"] = {"before": _describe_all(backend, found), "after": _describe_all(backend, want)}
    return out


def describe(backend, rule):
    """One of our native rules as one line, for --diff."""
    if backend == "firewalld":
        return rule["rich_rule"] or "service %s in the zone (any source)" % rule["service"]
    peer = rule.get("match_set") and "set " + rule["match_set"] or rule.get("peer") or "any"
    where = "from" if rule["direction"] == "in" else "to"
    if backend == "iptables":
        return "%s %s %s/%s %s %s" % (rule["family"], rule["chain"], rule["port"], rule["protocol"], where, peer)
    return "allow %s %s/%s %s %s" % (rule["direction"], rule["port"], rule["protocol"], where, peer)


def _describe_all(backend, part):
    lines = [describe(backend, r) for r in part.get("rules", [])]
    for name, s in sorted(part.get("sets", {}).items()):
        lines += ["%s: %s" % (name, e) for e in s["entries"]]
    return sorted(lines)


# --- firewalld ------------------------------------------------------------

_RICH_ATTR = re.compile(r'(\w+(?: \w+)?)="([^"]*)"')


def read_firewalld(text):
    """Ours in the read of one zone (roles/_common/tasks/read.yml, firewalld).

    Sections: '== zone NAME', '== rich' (--list-rich-rules), '== services'
    (--list-services), '== service NAME' (--get-ports of a webroot-* service),
    '== pset NAME' / '== rset NAME' (permanent / runtime entries of a webroot-* ipset).
    Returns {component: {"rules", "sets", "service_ports"}} plus "_zone".
    """
    found = _empty()
    for comp in found.values():
        comp["service_ports"] = None
        comp["runtime_sets"] = {}
    zone, section, arg = None, None, None
    services = []
    for line in (text or "").splitlines():
        if line.startswith("== "):
            words = line[3:].split()
            section, arg = words[0], (words[1] if len(words) > 1 else None)
            if section == "zone":
                zone = arg
            elif section in ("pset", "rset"):
                comp = _set_component(arg)
                if comp:
                    where = "sets" if section == "pset" else "runtime_sets"
                    found[comp][where][arg] = {"family": "ipv6" if arg.endswith("-v6") else "ipv4",
                                               "entries": []}
            continue
        line = line.strip()
        if not line:
            continue
        if section == "rich":
            rule = _parse_rich(line)
            if rule:
                found[rule["component"]]["rules"].append(rule)
        elif section == "services":
            services.extend(line.split())
        elif section == "service":
            comp = _service_component(arg)
            if comp:
                found[comp]["service_ports"] = line.split()
        elif section in ("pset", "rset"):
            comp = _set_component(arg)
            if comp:
                where = "sets" if section == "pset" else "runtime_sets"
                found[comp][where][arg]["entries"].extend(_net(w) for w in line.split())
    for comp_name, comp in found.items():
        for where in ("sets", "runtime_sets"):
            for s in comp[where].values():
                s["entries"] = sorted(s["entries"], key=R._cidr_key)  # pylint: disable=protected-access
        if R.service_name(comp_name) in services:
            comp["rules"].append({"component": comp_name, "family": None, "ipset": None, "peer": None,
                                  "service": R.service_name(comp_name), "rich_rule": None})
    found["_zone"] = zone
    return found


def _service_component(name):
    for comp in COMPONENTS:
        if name == R.service_name(comp):
            return comp
    return None


def _parse_rich(line):
    attrs = dict(_RICH_ATTR.findall(line))
    comp = _service_component(attrs.get("service name"))
    if comp is None:
        return None
    return {"component": comp, "family": attrs.get("rule family", "ipv4"),
            "ipset": attrs.get("source ipset"), "peer": _net(attrs.get("source address")),
            "service": attrs["service name"], "rich_rule": line}


def rich_rule(family, ipset, service):
    return 'rule family="%s" source ipset="%s" service name="%s" accept' % (family, ipset, service)


def want_firewalld(plan):
    rules, sets = [], {}
    service = R.service_name(plan["component"])
    for rule in plan.get("rules", []):
        if rule["direction"] != "in":
            continue  # zones do not filter outbound traffic
        if rule["any_peer"]:
            rules.append({"component": plan["component"], "family": None, "ipset": None, "peer": None,
                          "service": service, "rich_rule": None})
            continue
        for fam, name, entries in _family_sets(plan["component"], rule["peers"]):
            sets[name] = {"family": fam, "entries": entries}
            rules.append({"component": plan["component"], "family": fam, "ipset": name, "peer": None,
                          "service": service, "rich_rule": rich_rule(fam, name, service)})
    return {"rules": rules, "sets": sets}


def _fwd_key(rule):
    return (rule["family"], rule["ipset"], rule["peer"], rule["service"])


def _fwd_extra(plan, found, want):
    inbound = [r for r in plan.get("rules", []) if r["direction"] == "in"]
    ports = ["%s/%s" % (plan["port"], plan["protocol"])]
    # A set is up to date only when its runtime entries match as well.
    runtime = found.get("runtime_sets", {})
    stale_runtime = [dict(name=n, **s) for n, s in sorted(want["sets"].items())
                     if runtime.get(n) != s and found.get("sets", {}).get(n) == s]
    return {
        "service_define": bool(inbound) and found.get("service_ports") != ports,
        "service_remove": not inbound and found.get("service_ports") is not None,
        "sets_runtime": stale_runtime,
    }


# --- ufw ------------------------------------------------------------------

def read_ufw(text):
    """Ours in ``ufw show added``: one rule per peer."""
    found = _empty()
    for line in (text or "").splitlines():
        rule = _parse_ufw_line(line.strip())
        if rule:
            found[rule["component"]]["rules"].append(rule)
    return found


def _parse_ufw_line(line):
    if not line.startswith("ufw "):
        return None
    try:
        words = shlex.split(line)
    except ValueError:
        return None
    if "comment" not in words or len(words) < 3 or words[1] != "allow":
        return None
    comment = words[words.index("comment") + 1]
    comp = _component_of(comment)
    if comp is None:
        return None
    body = words[2:words.index("comment")]
    direction = body.pop(0) if body and body[0] in ("in", "out") else "in"
    values = {}
    port, proto = None, "tcp"
    i = 0
    while i < len(body):
        word = body[i]
        if word in ("from", "to", "port", "proto") and i + 1 < len(body):
            values[word] = body[i + 1]
            i += 2
            continue
        if "/" in word and word.split("/")[0].isdigit():
            port, proto = word.split("/", 1)
        elif word.isdigit():
            port = word
        i += 1
    port = values.get("port", port)
    proto = values.get("proto", proto)
    if port is None:
        return None
    peer = _net(values.get("from") if direction == "in" else values.get("to"))
    return {"component": comp, "direction": direction, "protocol": proto, "port": int(port),
            "peer": peer, "family": _family(peer) if peer else "ipv4", "comment": comment}


def want_ufw(plan):
    rules = []
    for rule in plan.get("rules", []):
        base = {"component": plan["component"], "direction": rule["direction"],
                "protocol": rule["protocol"], "port": int(rule["port"]), "comment": rule["comment"]}
        if rule["any_peer"]:
            rules.append(dict(base, peer=None, family="ipv4"))
        for peer in ([] if rule["any_peer"] else rule["peers"]):
            rules.append(dict(base, peer=peer, family=_family(peer)))
    return {"rules": rules, "sets": {}}


def _ufw_key(rule):
    return (rule["direction"], rule["protocol"], int(rule["port"]), rule["peer"], rule["comment"])


# --- Windows --------------------------------------------------------------

def windows_chunks(plan, max_addresses=WINDOWS_MAX_ADDRESSES):
    """One Windows rule per ``max_addresses`` remote addresses: the first keeps the
    rule's name, the next ones add ' #2', ' #3'... (stable while the count grows)."""
    out = []
    for rule in plan.get("rules", []):
        peers = [None] if rule["any_peer"] else rule["peers"]
        for n in range(0, len(peers), max_addresses):
            name = rule["windows_name"] + ("" if n == 0 else " #%d" % (n // max_addresses + 1))
            out.append(dict(rule, windows_name=name,
                            remoteip="any" if rule["any_peer"] else ",".join(peers[n:n + max_addresses])))
    return out


def windows_ops(plan, listing, component, max_addresses=WINDOWS_MAX_ADDRESSES):
    """What to do on Windows for one component, from the one read of the host.

    ``listing``: the read's objects (Name, DisplayName, Group, ...): every rule of our
    group and every rule, of any group, whose name starts with our prefix. Names are
    compared case-insensitively, as Windows and the module do (the module removes
    every rule whose name matches, whatever its group). Returns {chunks, stale,
    duplicates, foreign}: the last two must be empty before anything changes.
    """
    row = R.component(component)
    prefix = ("%s - %s (" % (WINDOWS_GROUP, row["title"])).lower()
    chunks = windows_chunks(plan, max_addresses)
    wanted = set(c["windows_name"].lower() for c in chunks)
    listing = listing or []
    ours = [r for r in listing if (r.get("Group") or "") == WINDOWS_GROUP
            and (r.get("DisplayName") or "").lower().startswith(prefix)]
    stale = sorted(set(r["DisplayName"] for r in ours if r["DisplayName"].lower() not in wanted),
                   key=lambda n: n.lower())
    names = wanted | set(n.lower() for n in stale)
    by_name = {}
    for r in listing:
        by_name.setdefault((r.get("DisplayName") or "").lower(), []).append(r)
    duplicates = ["has %d rules named '%s'" % (len(by_name[n]), by_name[n][0]["DisplayName"])
                  for n in sorted(wanted) if len(by_name.get(n, [])) > 1]
    foreign = sorted(set("has a rule named '%s' in group '%s'" % (r["DisplayName"], r.get("Group") or "")
                         for n in names for r in by_name.get(n, [])
                         if (r.get("Group") or "") != WINDOWS_GROUP))
    before = sorted(r["DisplayName"] for r in ours)
    return {"chunks": chunks, "stale": stale, "duplicates": duplicates, "foreign": foreign,
            "changed": bool(stale), "diff": {"before": before,
                                             "after": sorted(c["windows_name"] for c in chunks)}}


def read_windows(listing):
    """Ours in the Windows read, as rules with peers (for the report)."""
    found = _empty()
    for r in listing or []:
        if (r.get("Group") or "") != WINDOWS_GROUP:
            continue
        for row in TABLE_11:
            prefix = "%s - %s (" % (WINDOWS_GROUP, row["title"])
            name = r.get("DisplayName") or ""
            if not name.lower().startswith(prefix.lower()):
                continue
            m = re.search(r"\(TCP (\d+) (in|out)\)", name)
            addrs = r.get("RemoteAddress") or []
            if isinstance(addrs, str):
                addrs = [addrs]
            peers = [_net(a) for a in addrs if _net(a)]
            found[row["component"]]["rules"].append({
                "component": row["component"], "direction": m.group(2) if m else "in",
                "protocol": "tcp", "port": int(m.group(1)) if m else row["port"],
                "peer": None, "peers": peers, "any_peer": not peers, "name": name,
            })
    return found


WANT = {"iptables": want_iptables, "firewalld": want_firewalld, "ufw": want_ufw}
_KEY = {"iptables": _rule_key, "firewalld": _fwd_key, "ufw": _ufw_key}
_EXTRA = {"firewalld": _fwd_extra}
READ = {"iptables": read_iptables, "firewalld": read_firewalld, "ufw": read_ufw}


# --- what a host holds, in the shape of a plan (reports, verify) -------------

def parse(text, backend):
    """The one read of a host (text; Windows: the read's list of rules) parsed for
    ``ops``; Windows keeps the list as it is (``windows_ops`` works on it)."""
    return text if backend == "windows" else READ[backend](text)


def remember(parsed, backend, component, result):
    """The parsed read once ``result`` (``ops`` / ``windows_ops``) has been applied."""
    if backend == "windows":
        row = R.component(component)
        prefix = ("%s - %s (" % (WINDOWS_GROUP, row["title"])).lower()
        keep = [r for r in parsed or [] if not ((r.get("Group") or "") == WINDOWS_GROUP
                                                and (r.get("DisplayName") or "").lower().startswith(prefix))]
        return keep + [{"Name": c["windows_name"], "DisplayName": c["windows_name"], "Group": WINDOWS_GROUP,
                        "Direction": "Inbound" if c["direction"] == "in" else "Outbound", "Enabled": True,
                        "RemoteAddress": c["remoteip"].split(",")} for c in result["chunks"]]
    out = dict(parsed)
    after = dict(result["want"])
    if backend == "firewalld":
        inbound = any(r["direction"] == "in" for r in parsed_plan_rules(result))
        after["runtime_sets"] = dict(after["sets"])
        after["service_ports"] = result.get("service_ports") if inbound else None
    out[component] = after
    return out


def parsed_plan_rules(result):
    return result.get("plan_rules", [])


def found_plan(backend, parsed):
    """{component: {component, state, port, protocol, rules: [{direction, port,
    protocol, any_peer, peers}]}} from one parsed read: the shape of ``webroot_plan``."""
    if backend == "windows":
        parsed = read_windows(parsed)
    out = {}
    for row in TABLE_11:
        comp = row["component"]
        part = parsed.get(comp) or {"rules": [], "sets": {}}
        merged = {}
        for rule in part["rules"]:
            direction = rule.get("direction") or "in"
            port = int(rule.get("port") or row["port"])
            key = (direction, port)
            m = merged.setdefault(key, {"direction": direction, "port": port, "protocol": row["protocol"],
                                        "any_peer": False, "peers": []})
            peers = list(rule.get("peers") or [])
            if rule.get("match_set") or rule.get("ipset"):
                peers = part["sets"].get(rule.get("match_set") or rule.get("ipset"), {}).get("entries", [])
            elif rule.get("peer"):
                peers = [rule["peer"]]
            elif not peers:
                m["any_peer"] = True
            m["peers"] = R.aggregate(m["peers"] + peers)
        if backend == "firewalld":
            for key in merged:
                merged[key]["port"] = int((part.get("service_ports") or ["%s/tcp" % key[1]])[0].split("/")[0])
        rules = [merged[k] for k in sorted(merged)]
        out[comp] = {"component": comp, "state": "present" if rules else "absent",
                     "port": rules[0]["port"] if rules else row["port"],
                     "protocol": row["protocol"], "rules": rules}
    return out

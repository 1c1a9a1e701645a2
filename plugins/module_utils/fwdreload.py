# -*- coding: utf-8 -*-
# Copyright: (c) 2026, webroot.enterprise contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The logic of the firewalld_reload module: reload firewalld to load a new service
or ipset of ours, and put back everything the reload would drop.

firewalld creates services and ipsets only in its permanent configuration (there is
no D-Bus call that creates either at runtime), and the running firewalld loads them
only through a reload. A reload rebuilds the runtime from the permanent
configuration: it drops every runtime-only setting (a fail2ban ban, a port opened by
hand, an interface bound by podman or by hand under ``FlushAllOnReload=yes``, direct
rules and passthroughs, ipset entries added at runtime) and brings in every pending
permanent one.

So, in one call on the host and through one D-Bus connection:

1. read the runtime configuration afresh (``snapshot``): every zone's and policy's
   runtime settings (services, ports, rich rules, interfaces, sources...), the
   entries of every ipset but ours, the direct chains, rules and passthroughs;
2. refuse (nothing reloaded) when the reload would bring in what the step 4 cannot
   take out again: a zone or a policy that exists only in the permanent
   configuration (``pending``);
3. reload;
4. set the runtime back to the snapshot (``restore``): zone and policy settings
   with firewalld's own runtime ``setZoneSettings2`` / ``setPolicySettings`` (they
   add and remove the difference), ipset entries with ``setEntries``, the direct
   configuration item by item. Our own objects are not restored from the snapshot:
   the permanent configuration is their truth, and the reload loaded it.

Every function takes a connected ``firewall.client.FirewallClient`` (or a fake with
the same methods, in the unit tests).
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

PREFIX = "webroot-"


class ReloadRefused(Exception):
    """The reload would bring in what cannot be taken out again; nothing was reloaded."""


def _ours_ipset(name):
    return str(name).startswith(PREFIX)


def snapshot(fw):
    """The runtime configuration that a reload may change, as plain data."""
    zones = {}
    for name in fw.getZones():
        zones[str(name)] = _runtime(fw.getZoneSettings(name))
    policies = {}
    for name in _policies(fw):
        policies[str(name)] = _runtime(fw.getPolicySettings(name))
    ipsets = {}
    for name in fw.getIPSets():
        if not _ours_ipset(name):
            ipsets[str(name)] = sorted(str(e) for e in fw.getEntries(name))
    return {"zones": zones, "policies": policies, "ipsets": ipsets,
            "direct": _direct(fw), "default_zone": str(fw.getDefaultZone())}


def _runtime(settings):
    """The runtime part of a zone's or policy's settings, lists sorted (comparable)."""
    out = {}
    for key, value in settings.getSettingsDict().items():
        if key in ("version", "short", "description", "target", "UNUSED"):
            continue
        if isinstance(value, (list, tuple)):
            value = sorted(tuple(v) if isinstance(v, (list, tuple)) else v for v in value)
        out[key] = value
    return out


def _ours_value(value):
    text = "/".join(str(v) for v in value) if isinstance(value, (list, tuple)) else str(value)
    return text.startswith(PREFIX) or 'ipset="%s' % PREFIX in text or 'service name="%s' % PREFIX in text


def _ours_from(current, snap):
    """The snapshot's settings, with our services and rich rules as ``current`` has
    them (the reload loaded them from the permanent configuration, their truth)."""
    out = dict(snap)
    for key, value in snap.items():
        if isinstance(value, list):
            out[key] = sorted([v for v in value if not _ours_value(v)]
                              + [v for v in current.get(key) or [] if _ours_value(v)])
    return out


def _policies(fw):
    try:
        return [str(p) for p in fw.getPolicies()]
    except Exception:  # pylint: disable=broad-except
        return []  # firewalld before 0.9: no policies


def _direct(fw):
    """The runtime direct configuration: chains, rules, passthroughs (hashable tuples)."""
    try:
        chains = [tuple(str(x) for x in c) for c in fw.getAllChains()]
        rules = [(str(r[0]), str(r[1]), str(r[2]), int(r[3]), tuple(str(a) for a in r[4]))
                 for r in fw.getAllRules()]
        passthroughs = [(str(p[0]), tuple(str(a) for a in p[1])) for p in fw.getAllPassthroughs()]
    except Exception:  # pylint: disable=broad-except
        return None
    return {"chains": sorted(chains), "rules": sorted(rules), "passthroughs": sorted(passthroughs)}


def pending(fw):
    """What a reload would bring in that the restore cannot take out again, as sentences:
    zones and policies that exist only in the permanent configuration (not ours)."""
    config = fw.config()
    out = []
    runtime_zones = set(str(z) for z in fw.getZones())
    for name in sorted(set(str(z) for z in config.getZoneNames()) - runtime_zones):
        out.append("zone %s is in the permanent configuration only (not loaded yet)" % name)
    try:
        runtime_policies = set(_policies(fw))
        permanent_policies = set(str(p) for p in config.getPolicyNames())
    except Exception:  # pylint: disable=broad-except
        runtime_policies = permanent_policies = set()
    for name in sorted(permanent_policies - runtime_policies):
        out.append("policy %s is in the permanent configuration only (not loaded yet)" % name)
    return out


def _settings_class(fw, kind):
    from firewall import client  # pylint: disable=import-outside-toplevel
    return client.FirewallClientZoneSettings if kind == "zone" else client.FirewallClientPolicySettings


def restore(fw, snap, settings_of=None):
    """Set the runtime back to ``snap`` (from ``snapshot``); returns (what was set
    back, what could not be), as sentences."""
    problems, restored = [], []
    setters = (("zone", snap["zones"], fw.getZones, fw.getZoneSettings, fw.setZoneSettings),
               ("policy", snap["policies"], lambda: _policies(fw), getattr(fw, "getPolicySettings", None),
                getattr(fw, "setPolicySettings", None)))
    for kind, wanted, names, getter, setter in setters:
        if not wanted:
            continue  # no policies (firewalld before 0.9)
        make = settings_of(kind) if settings_of else _settings_class(fw, kind)
        now = set(str(n) for n in names())
        todo = [n for n in sorted(wanted) if n in now]
        for name in sorted(set(wanted) - now):
            problems.append("%s %s is gone after the reload" % (kind, name))
        # An interface or source moves between zones: a zone that takes it may come
        # before the zone that gives it up, so retry what failed once the others ran.
        for _round in range(3):
            failed = []
            for name in todo:
                try:
                    current = _runtime(getter(name))
                    target = _ours_from(current, wanted[name])
                    if current != target:
                        setter(name, make(target))
                        restored.append("%s %s" % (kind, name))
                except Exception as exc:  # pylint: disable=broad-except
                    failed.append((name, exc))
            todo = [n for n, _e in failed]
            if not todo:
                break
        problems += ["%s %s: %s" % (kind, n, e) for n, e in failed] if todo else []
    now_sets = set(str(s) for s in fw.getIPSets())
    for name, entries in sorted(snap["ipsets"].items()):
        if name not in now_sets:
            problems.append("ipset %s is gone after the reload" % name)
            continue
        try:
            if sorted(str(e) for e in fw.getEntries(name)) != entries:
                fw.setEntries(name, entries)
                restored.append("ipset %s" % name)
        except Exception as exc:  # pylint: disable=broad-except
            problems.append("ipset %s: %s" % (name, exc))
    if snap.get("direct") is not None:
        done, failed = _restore_direct(fw, snap["direct"])
        restored += done
        problems += failed
    return restored, problems


def _restore_direct(fw, want):
    have = _direct(fw)
    if have is None:
        return [], ["the direct configuration cannot be read after the reload"]
    problems, done = [], []
    steps = []
    for p in sorted(set(have["passthroughs"]) - set(want["passthroughs"])):
        steps.append(("passthrough", p, lambda p=p: fw.removePassthrough(p[0], list(p[1]))))
    for r in sorted(set(have["rules"]) - set(want["rules"])):
        steps.append(("rule", r, lambda r=r: fw.removeRule(r[0], r[1], r[2], r[3], list(r[4]))))
    for c in sorted(set(have["chains"]) - set(want["chains"])):
        steps.append(("chain", c, lambda c=c: fw.removeChain(c[0], c[1], c[2])))
    for c in want["chains"]:
        if c not in have["chains"]:
            steps.append(("chain", c, lambda c=c: fw.addChain(c[0], c[1], c[2])))
    for r in want["rules"]:
        if r not in have["rules"]:
            steps.append(("rule", r, lambda r=r: fw.addRule(r[0], r[1], r[2], r[3], list(r[4]))))
    for p in want["passthroughs"]:
        if p not in have["passthroughs"]:
            steps.append(("passthrough", p, lambda p=p: fw.addPassthrough(p[0], list(p[1]))))
    for what, item, step in steps:
        try:
            step()
            done.append("direct %s %s" % (what, " ".join(str(i) for i in item)))
        except Exception as exc:  # pylint: disable=broad-except
            problems.append("direct %s %s: %s" % (what, item, exc))
    return done, problems


def reload_keeping_runtime(fw, check_mode=False):
    """Reload firewalld and put the runtime back; returns {restored, problems}
    (sentences, see ``restore``). Raises ReloadRefused before reloading when ``pending``.
    """
    waiting = pending(fw)
    if waiting:
        raise ReloadRefused(waiting)
    snap = snapshot(fw)
    if check_mode:
        return {"restored": [], "problems": []}
    fw.reload()
    restored, problems = restore(fw, snap)
    return {"restored": restored, "problems": problems}

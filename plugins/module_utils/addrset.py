# -*- coding: utf-8 -*-
# Copyright: (c) 2026, webroot.enterprise contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The logic of the address_set module: one address set (an ipset, or a firewalld
ipset, permanent and runtime) brought to a list of entries in one call.

``run`` is given a ``runner(args, data=None) -> (rc, out, err)`` (the module's
``run_command``), so the tests can drive it against a real ipset in a network
namespace.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import ipaddress


class SetError(Exception):
    pass


def canonical(entries):
    out = set()
    for e in entries:
        e = (e or "").strip()
        if not e:
            continue
        try:
            out.add(str(ipaddress.ip_network(e, strict=False)))
        except ValueError:
            raise SetError("%r is not an IPv4/IPv6 address or CIDR" % e)
    return sorted(out, key=lambda c: (ipaddress.ip_network(c).version,
                                      int(ipaddress.ip_network(c).network_address),
                                      ipaddress.ip_network(c).prefixlen))


def _check(rc, out, err, what):
    if rc != 0:
        raise SetError("%s failed (rc %s): %s" % (what, rc, (err or out or "").strip()))
    return out


class Ipset(object):
    """A kernel ipset (iptables backend), read and changed with the ipset tool."""

    def __init__(self, run, name, family):
        self.run, self.name, self.family = run, name, family
        self.nomatch = set()

    def read(self):
        rc, out, _err = self.run(["ipset", "list", self.name, "-o", "save"])
        if rc != 0:
            return None
        entries = []
        for line in out.splitlines():
            words = line.split()
            if words[:2] == ["create", self.name]:
                if words[2] != "hash:net" or ("inet6" in words) != (self.family == "ipv6"):
                    raise SetError(
                        "ipset %s exists as %s %s, not hash:net %s as webroot.enterprise creates "
                        "it: it is not ours, so it is left alone. Rename or remove it."
                        % (self.name, words[2], "inet6" if "inet6" in words else "inet",
                           "inet6" if self.family == "ipv6" else "inet"))
            elif words[:2] == ["add", self.name] and len(words) > 2:
                if "nomatch" in words[3:]:
                    # An exception the admin made (a hole in a wider entry): kept,
                    # never deleted, never added over (that would clear the flag).
                    self.nomatch.update(canonical([words[2]]))
                else:
                    entries.append(words[2])
        return canonical(entries)

    def apply(self, exists, add, remove, state):
        if state == "absent":
            if exists:
                _check(*self.run(["ipset", "destroy", self.name]), what="ipset destroy %s" % self.name)
            return False
        lines = []
        if not exists:
            lines.append("create %s hash:net family %s" % (self.name, "inet6" if self.family == "ipv6" else "inet"))
        lines += ["del %s %s" % (self.name, e) for e in remove]
        lines += ["add %s %s" % (self.name, e) for e in add]
        if lines:
            _check(*self.run(["ipset", "restore", "-exist"], data="\n".join(lines) + "\n"),
                   what="ipset restore")
        return False


class FirewalldSet(object):
    """A firewalld ipset, permanent and runtime, changed with firewall-cmd.

    firewalld creates (and deletes) ipsets only in the permanent configuration;
    the running firewalld sees a new one after a reload, which the caller does
    once (``reload_required``). Entries change in both at once, without a reload.
    """

    def __init__(self, run, name, family):
        self.run, self.name, self.family = run, name, family

    def _sets(self, permanent):
        args = ["firewall-cmd"] + (["--permanent"] if permanent else []) + ["--get-ipsets"]
        return _check(*self.run(args), what="firewall-cmd --get-ipsets").split()

    def _entries(self, permanent):
        args = ["firewall-cmd"] + (["--permanent"] if permanent else []) + ["--ipset=" + self.name, "--get-entries"]
        return canonical(_check(*self.run(args), what="firewall-cmd --get-entries").split())

    def read(self):
        self.runtime = self.name in self._sets(False)
        if self.name not in self._sets(True):
            return None
        rc, out, err = self.run(["firewall-cmd", "--permanent", "--info-ipset=" + self.name])
        info = _check(rc, out, err, "firewall-cmd --info-ipset")
        family = "ipv6" if "family=inet6" in info else "ipv4"
        if "type: hash:net" not in info or family != self.family:
            raise SetError(
                "firewalld ipset %s exists but is not a hash:net %s set as webroot.enterprise "
                "creates it: it is not ours, so it is left alone. Rename or remove it."
                % (self.name, "inet6" if self.family == "ipv6" else "inet"))
        entries = set(self._entries(True))
        if self.runtime:
            # The runtime set may differ (edited by hand, or a failed run): both must match.
            runtime = set(self._entries(False))
            self.runtime_add = sorted(entries - runtime)
            self.runtime_remove = sorted(runtime - entries)
        return canonical(entries)

    def _change(self, permanent, option, entries):
        if not entries:
            return
        args = ["firewall-cmd"] + (["--permanent"] if permanent else []) + [
            "--ipset=" + self.name, "--%s-entries-from-file=/dev/stdin" % option]
        _check(*self.run(args, data="\n".join(entries) + "\n"), what="firewall-cmd " + option)

    def apply(self, exists, add, remove, state):
        if state == "absent":
            if exists:
                _check(*self.run(["firewall-cmd", "--permanent", "--delete-ipset=" + self.name]),
                       what="firewall-cmd --delete-ipset")
            return exists and self.runtime
        if not exists:
            _check(*self.run(["firewall-cmd", "--permanent", "--new-ipset=" + self.name, "--type=hash:net",
                              "--option=family=" + ("inet6" if self.family == "ipv6" else "inet")]),
                   what="firewall-cmd --new-ipset")
        self._change(True, "remove", remove)
        self._change(True, "add", add)
        if self.runtime:
            self._change(False, "remove", sorted(set(remove) | set(getattr(self, "runtime_remove", []))))
            self._change(False, "add", sorted(set(add) | set(getattr(self, "runtime_add", []))))
            return False
        return True


PROVIDERS = {"ipset": Ipset, "firewalld": FirewalldSet}


def run(runner, provider, name, family, entries, state, check_mode):
    """Bring one set to ``entries`` (or remove it). Returns the module result."""
    want = canonical(entries) if state == "present" else []
    for e in want:
        if ("ipv6" if ":" in e else "ipv4") != family:
            raise SetError("%s is not an %s address; set %s is %s" % (e, family, name, family))
    backend = PROVIDERS[provider](runner, name, family)
    have = backend.read()
    exists = have is not None
    have = have or []
    add = [e for e in want if e not in have and e not in getattr(backend, "nomatch", ())]
    remove = [e for e in have if e not in want]
    runtime_drift = bool(getattr(backend, "runtime_add", []) or getattr(backend, "runtime_remove", []))
    changed = bool(add or remove or runtime_drift or (exists != (state == "present")))
    reload_required = False
    if changed and not check_mode:
        reload_required = backend.apply(exists, add, remove, state)
    elif changed and provider == "firewalld":
        reload_required = (not exists and state == "present") or (exists and state == "absent" and backend.runtime)
    return {
        "changed": changed,
        "name": name,
        "added": add,
        "removed": remove,
        "entries": want,
        "reload_required": bool(reload_required),
        "diff": {
            "before_header": "%s %s" % (provider, name),
            "after_header": "%s %s" % (provider, name),
            "before": "" if not exists else "\n".join(have) + "\n",
            "after": "" if state == "absent" else "\n".join(want) + "\n",
        },
    }

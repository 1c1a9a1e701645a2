# -*- coding: utf-8 -*-
# Copyright: (c) 2026, webroot.enterprise contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""An adapter to Ansible's ``hostvars``: each host's variables read once, its raw
values taken without templating where they hold no template.

Why it exists: Ansible's ``hostvars[name]`` merges every variable source of the host
on each access, and the ``HostVarsVars`` it returns templates every value on each
read. The planning (rules.py, the verify code) reads a few variables of every host
of the estate once per component; at thousands of hosts that templating is most of
the run. :class:`HostvarsCache` looks each host up once; :class:`_FastVars` reads
``HostVarsVars._vars``, a private attribute of ansible-core (2.16 to 2.20), and
templates only the values that hold a template. That is the one place the collection
touches Ansible's internals: when ``_vars`` is missing or not a dict (another
ansible-core), it falls back to the public, templating access, slower but the same
answers. Plain mappings (the tests') are used as they are.

The planning itself stays pure functions over plain data (rules.py); this file is
the adapter between it and Ansible. Controller side only: no module imports this.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type


class HostvarsCache(object):
    """``hostvars`` looked up once per host, and each host's address computed once.

    Ansible's ``hostvars[name]`` merges every variable source of the host on each
    access; an estate of thousands of hosts reads each one once through this.
    ``resolved`` ({host: (CIDR or None, why)}) holds the controller's DNS answers
    (plugin_utils/resolve.py), ``addresses`` the addresses known so far.
    """

    def __init__(self, hostvars, resolved=None, addresses=None):
        self._hostvars = hostvars
        self._vars = {}
        self.resolved = dict(resolved or {})
        self.addresses = dict(addresses or {})
        self.why = {}
        # {host: why}: addresses unknown this run (transient); they keep what the
        # firewalls admit instead of being left out.
        self.unknown = {}
        # Hosts whose facts were wanted (webroot_gather_facts) but are not in this run
        # (--limit): their address is unknown, not absent.
        self.not_in_run = set()
        # webroot_allowed_networks: a derived address outside them is left out.
        self.allowed = []
        self.scopes = {}       # (groups, strict): (addresses, left out), the same for every host
        self.aggregates = {}   # peers: aggregated peers
        self.any_checked = set()   # aggregated peers that check_not_any found not to admit every address

    def get(self, name, default=None):
        if name not in self._vars:
            try:
                self._vars[name] = _FastVars(self._hostvars[name])
            except KeyError:
                self._vars[name] = None
        found = self._vars[name]
        return default if found is None else found

    def __getitem__(self, name):
        found = self.get(name)
        if found is None:
            raise KeyError(name)
        return found


def _has_template(value):
    if isinstance(value, str):
        return "{{" in value or "{%" in value or "{#" in value
    if isinstance(value, dict):
        return any(_has_template(k) or _has_template(v) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return any(_has_template(v) for v in value)
    return False


class _FastVars(object):
    """One host's variables (Ansible's HostVarsVars, which templates every value on
    each access): a value with no template in it is taken as it is, only the others
    are templated. Plain mappings (the tests') are used as they are."""

    def __init__(self, hostvarsvars):
        self._hv = hostvarsvars
        # HostVarsVars keeps the host's raw variables in ``_vars`` (ansible-core 2.16
        # to 2.20); anything else is read through its own templating access.
        raw = getattr(hostvarsvars, "_vars", None)
        self._raw = raw if isinstance(raw, dict) else None

    def get(self, name, default=None):
        if self._raw is None:
            return self._hv.get(name, default) if hasattr(self._hv, "get") else default
        if name not in self._raw:
            return default
        value = self._raw[name]
        return self._hv[name] if _has_template(value) else value

    def __getitem__(self, name):
        marker = object()
        value = self.get(name, marker)
        if value is marker:
            raise KeyError(name)
        return value

    def __contains__(self, name):
        return name in (self._raw if self._raw is not None else self._hv)

    def keys(self):
        return (self._raw if self._raw is not None else self._hv).keys()

    def __iter__(self):
        return iter(self.keys())

# -*- coding: utf-8 -*-
# Copyright: (c) 2026, webroot.enterprise contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""One host as the action plugins see it: its one read, and module calls.

Used by the action plugins ``component_rules`` (one task per component role and
host) and ``firewall_info`` (the report and verify), so both read a firewall the
same way.

The one read of a host is kept in the result the role registers as
``webroot_plan`` (``webroot_plan.firewall``), updated with what was changed, so
the next component role on the same host reads nothing. Registered variables
live for one ansible-playbook run and are never written to a fact cache, so a
read from an earlier run (AWX keeps facts between jobs) is never used.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os

from ansible.errors import AnsibleError
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible.plugins.action import ActionBase

from ansible_collections.webroot.enterprise.plugins.plugin_utils import resolve as resolve_lib
from ansible_collections.webroot.enterprise.plugins.plugin_utils import rules as rules_lib
from ansible_collections.webroot.enterprise.plugins.plugin_utils.settings import boolean
from ansible_collections.webroot.enterprise.plugins.plugin_utils import winread
from ansible_collections.webroot.enterprise.plugins.plugin_utils.host_os import is_windows
from ansible_collections.webroot.enterprise.plugins.plugin_utils.catalog import WINDOWS_GROUP

DEFAULT_RESOLVE_TIMEOUT = 10.0
WINDOWS_READ_SCRIPT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "webroot_read.ps1")
WINDOWS_PREFIX = WINDOWS_GROUP + " - "
# The output depth the read's shape needs (webroot_read.ps1): its rules and profiles
# are objects three levels down (the output list, the read, its lists).
WINDOWS_READ_DEPTH = 3
# community.windows first: its win_firewall_rule is the module the comparison in
# plugin_utils/winfw.py follows line by line, and the one users asked for. ansible.windows
# has none up to 3.7.0 (only win_firewall); should it ever ship one, it is used only
# where community.windows is not installed (its comparison is then not the cited one).
FIREWALL_RULE_MODULES = ("community.windows.win_firewall_rule", "ansible.windows.win_firewall_rule")


class Action(ActionBase):
    """The collection's action plugins: the task's options are checked against the
    plugin's ARGUMENT_SPEC (a clear failure before anything else), then act()."""
    TRANSFERS_FILES = False
    ARGUMENT_SPEC = {}

    def run(self, tmp=None, task_vars=None):
        result = super(Action, self).run(tmp, task_vars)
        validation = ArgumentSpecValidator(self.ARGUMENT_SPEC).validate(self._task.args)
        if validation.error_messages:
            result.update(failed=True, msg="; ".join(validation.error_messages))
            return result
        return self.act(result, validation.validated_parameters, task_vars or {})

    def act(self, result, args, task_vars):
        raise NotImplementedError


class ModuleFailed(AnsibleError):
    """A module called for a change failed; ``result`` is its result."""

    def __init__(self, message, result):
        super(ModuleFailed, self).__init__(message)
        self.result = result


class Host(object):
    """One host as an action plugin sees it: read its firewall, call modules."""

    def __init__(self, action, task_vars):
        self.action = action
        self.task_vars = task_vars
        self.calls = []      # modules called for a change, in order ("what" of each)

    def var(self, name, default=None):
        """A host variable, templated."""
        return self.action._templar.template(self.task_vars.get(name, default))

    def var_bool(self, name, default=False):
        """A yes/no host variable, read as everywhere (settings.boolean): a value that is
        not a boolean raises SettingError (a RuleError) naming ``name``."""
        value = self.var(name, default)
        return default if value is None else boolean(value, name)

    @property
    def name(self):
        return self.task_vars.get("inventory_hostname", "this host")

    def is_windows(self, backend):
        """Windows Firewall for ``backend``: ``windows``, or ``auto`` on a Windows host
        (host_os.is_windows, the collection's one answer)."""
        if backend != "auto":
            return backend == "windows"
        return is_windows(
            connection=self.var("ansible_connection") or "",
            shell=getattr(getattr(self.action._connection, "_shell", None), "SHELL_FAMILY", ""),
            os_family=(self.task_vars.get("ansible_facts") or {}).get("os_family"))

    def module(self, name, args, what=None, check=False):
        """Run one module on the host. ``what``: a change, recorded and shown; a
        failure raises ModuleFailed naming it."""
        result = self.action._execute_module(module_name=name, module_args=args, task_vars=self.task_vars)
        if result.get("failed") or result.get("unreachable"):
            raise ModuleFailed("%s failed on %s%s: %s" % (
                name, self.name, " (%s)" % what if what else "",
                result.get("msg") or result.get("stderr") or result), result)
        if what is not None:
            self.calls.append(what)
        return result

    def read(self, backend):
        """(backend found, structured read) in one remote call, read-only (also in check mode)."""
        if self.is_windows(backend):
            with open(WINDOWS_READ_SCRIPT) as handle:
                script = handle.read()
            # depth 3: the read's rules and profiles sit three levels down in the output
            # (webroot_read.ps1 says why); error_action stop: any error fails the read.
            # Its result is checked before use (winread.checked): a failure, an empty
            # answer or a rule that is not an object fails here, naming the host.
            result = self.action._execute_module(
                module_name="ansible.windows.win_powershell", task_vars=self.task_vars, module_args={
                    "script": script, "parameters": {"Group": WINDOWS_GROUP, "Prefix": WINDOWS_PREFIX},
                    "depth": WINDOWS_READ_DEPTH, "error_action": "stop"})
            if result.get("unreachable"):
                raise ModuleFailed("ansible.windows.win_powershell failed on %s: %s" % (
                    self.name, result.get("msg") or result), result)
            try:
                return "windows", winread.checked(result, self.name)
            except winread.ReadError as exc:
                raise ModuleFailed(str(exc), result)
        # firewall_info is a Python module: pin the implementation for POSIX hosts.
        self.action._connection.module_implementation_preferences = (".py",)
        try:
            result = self.module("webroot.enterprise.firewall_info", {"backend": backend})
        except ModuleFailed as exc:
            # The module speaks of "this host"; the run's output names it.
            raise ModuleFailed(str(exc).replace("this host", self.name), exc.result)
        return result["backend"], result

    def firewall_rule_module(self):
        loader = self.action._shared_loader_obj.module_loader
        for name in FIREWALL_RULE_MODULES:
            try:
                found = loader.find_plugin_with_context(name, mod_type=".ps1")
            except Exception:  # pylint: disable=broad-except
                continue
            if found.resolved:
                return name
        return FIREWALL_RULE_MODULES[0]

    def put_file(self, content, dest, mode="0644"):
        """Write ``content`` to ``dest`` on the host through ansible.builtin.copy
        (the file is transferred first, as the copy action does)."""
        tmp = self.action._make_tmp_path()
        try:
            src = self.action._connection._shell.join_path(tmp, "source")
            self.action._transfer_data(src, content)
            self.action._fixup_perms2((tmp, src))
            self.module("ansible.builtin.copy", {
                "src": src, "dest": dest, "mode": mode, "owner": "root", "group": "root",
                "_original_basename": os.path.basename(dest)}, what="write %s" % dest)
        finally:
            self.action._remove_tmp_path(tmp)


def management_ports(port):
    ports = set(rules_lib.MANAGEMENT_PORTS)
    if port not in (None, ""):
        try:
            ports.add(int(port))
        except (TypeError, ValueError):
            pass
    return sorted(ports)


def collection_settings(templar, task_vars):
    """The collection-wide settings this run uses (README, "Collection-wide variables").

    Read as the roles' argument specs read them: a yes/no by settings.boolean, the
    timeout by resolve.check_timeout. A bad value raises a RuleError naming the
    variable, which the callers turn into a failure before anything changes (the
    estate validation and every component task read these the same way).
    """
    def var(name, default):
        value = templar.template(task_vars.get(name, default))
        return default if value is None else value
    return {
        "resolve": boolean(var("webroot_resolve_names", True), "webroot_resolve_names"),
        "resolve_timeout": resolve_lib.check_timeout(var("webroot_resolve_timeout", DEFAULT_RESOLVE_TIMEOUT)),
        "strict": boolean(var("webroot_strict", False), "webroot_strict"),
        "client_networks": list(var("webroot_client_networks", []) or []),
        "gather_facts": boolean(var("webroot_gather_facts", False), "webroot_gather_facts"),
    }

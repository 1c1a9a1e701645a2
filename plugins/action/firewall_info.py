# -*- coding: utf-8 -*-
# Copyright: (c) 2026, webroot.enterprise contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The read of webroot.enterprise.firewall_info on every kind of host (see the
module's doc): Linux hosts run the Python module (firewall_info.py); Windows hosts
run the collection's read script through ansible.windows.win_powershell. Both are
the same one read the component roles make (plugin_utils/engine.py), and both
return, per component, what the firewall holds of ours in the shape of the plan
the roles publish (``webroot_plan``)."""
from __future__ import absolute_import, division, print_function

__metaclass__ = type


from ansible_collections.webroot.enterprise.plugins.plugin_utils import backends
from ansible_collections.webroot.enterprise.plugins.plugin_utils import fw_common
from ansible_collections.webroot.enterprise.plugins.plugin_utils import rules as rules_lib
from ansible_collections.webroot.enterprise.plugins.plugin_utils import engine

ARGUMENT_SPEC = dict(
    backend=dict(type="str", default="auto", choices=list(rules_lib.BACKEND_CHOICES)),
    zones=dict(type="dict", default=None),
    reuse=dict(type="raw", default=None),
)


def reusable_read(plan, backend, check_mode):
    """The Windows read the component roles kept in this run's registered
    ``webroot_plan`` (``firewall.reads.windows``, updated with what they changed), or
    None: the host is read again when there is no such plan, when it failed (a
    half-applied change is read back, not assumed), in check mode (nothing was
    changed, so the kept read is the plan's, not the host's), or when the backend
    asked for is not the one read. Windows only: there every read is a remote
    round trip and a PowerShell start (docs/scale.md); a Linux read costs one SSH
    call and its raw output is kept in the result."""
    if check_mode or not isinstance(plan, dict) or plan.get("failed") or plan.get("skipped"):
        return None
    firewall = plan.get("firewall")
    reads = firewall.get("reads") if isinstance(firewall, dict) else None
    if not isinstance(reads, dict) or not isinstance(reads.get("windows"), dict):
        return None
    if backend not in ("auto", "windows") or (backend == "auto" and firewall.get("auto") not in (None, "windows")):
        return None
    return reads["windows"]


class ActionModule(engine.Action):
    ARGUMENT_SPEC = ARGUMENT_SPEC
    _VALID_ARGS = frozenset(ARGUMENT_SPEC)

    def act(self, result, args, task_vars):
        host = engine.Host(self, task_vars)
        kept = reusable_read(args["reuse"], args["backend"], bool(self._task.check_mode))
        try:
            backend, raw = ("windows", kept) if kept is not None else host.read(args["backend"])
        except engine.ModuleFailed as exc:
            result.update(exc.result)
            result.update(failed=True, msg=str(exc))
            return result
        result["reused"] = kept is not None
        zones = args["zones"]
        if zones is None:
            default = host.var("webroot_firewalld_zone", "") or ""
            zones = dict((c, host.var(c + "_firewalld_zone", default) or default) for c in fw_common.COMPONENTS)
        found = backends.ours(backend, raw, engine.management_ports(host.var("ansible_port")))
        if backend != "windows":
            result.update(dict((k, v) for k, v in raw.items() if k not in ("changed", "invocation")))
        else:
            result["windows"] = raw
        result.update(backends.found_plan(backend, found, zones))
        result.update(changed=False, backend=backend)
        return result

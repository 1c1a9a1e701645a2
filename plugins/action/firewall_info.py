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


from ansible_collections.webroot.enterprise.plugins.module_utils import backends as B
from ansible_collections.webroot.enterprise.plugins.module_utils import rules as R
from ansible_collections.webroot.enterprise.plugins.plugin_utils import engine as E

ARGUMENT_SPEC = dict(
    backend=dict(type="str", default="auto", choices=list(R.BACKEND_CHOICES)),
    zones=dict(type="dict", default=None),
)


class ActionModule(E.Action):
    ARGUMENT_SPEC = ARGUMENT_SPEC
    _VALID_ARGS = frozenset(ARGUMENT_SPEC)

    def act(self, result, args, task_vars):
        host = E.Host(self, task_vars)
        try:
            backend, raw = host.read(args["backend"])
        except E.ModuleFailed as exc:
            result.update(exc.result)
            result.update(failed=True, msg=str(exc))
            return result
        zones = args["zones"]
        if zones is None:
            default = host.var("webroot_firewalld_zone", "") or ""
            zones = dict((c, host.var(c + "_firewalld_zone", default) or default) for c in B.COMPONENTS)
        found = B.ours(backend, raw, E.management_ports(host.var("ansible_port")))
        if backend != "windows":
            result.update(dict((k, v) for k, v in raw.items() if k not in ("changed", "invocation")))
        else:
            result["windows"] = raw
        result.update(B.found_plan(backend, found, zones))
        result.update(changed=False, backend=backend)
        return result

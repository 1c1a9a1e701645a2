# -*- coding: utf-8 -*-
# Copyright: (c) 2026, webroot.enterprise contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the verify unit tests put in hostvars in place of a run's tasks.

A test writes by hand what each source's port_check found; :func:`register` puts it
where the verify role's tasks would have registered it (``__verify_portcheck``, one
JSON string per source, as ``results_as: json`` returns it) with a temporary
listener bound on every port the plan listens on (``__verify_listener``). The tests
import it as ``from verify_fixture import ...`` (pytest puts this directory on sys.path).
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

from ansible_collections.webroot.enterprise.plugins.plugin_utils import verify_plan


def as_expected(check):
    """A port_check result for ``check`` that found what it expects (TLS fine, no version)."""
    return {"name": check["id"], "state": "open" if check["expect"] in ("open", "reachable") else check["expect"],
            "ok": True, "address": check["host"], "error": None,
            "tls_ok": True if check["tls"] else None, "tls_error": None, "tls_version": None}


def register(hostvars, rows_by_source, checks):
    """``rows_by_source`` ({source: [port_check result]}) and the listeners of ``checks``, in ``hostvars``."""
    for source, rows in rows_by_source.items():
        hostvars[source]["__verify_portcheck"] = {"results_json": json.dumps(rows)}
    for host, ports in verify_plan.listen_ports_by_host(checks).items():
        hostvars[host]["__verify_listener"] = {"pid": 1, "bound": ports, "busy": []}
    return hostvars

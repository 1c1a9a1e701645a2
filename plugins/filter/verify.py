# -*- coding: utf-8 -*-
# Copyright: (c) 2026, webroot.enterprise contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The two filters of the verify role: the checks the plan implies (``verify_plan``), and
their results judged into the reports (``verify_reports``).

The logic lives in plugins/plugin_utils/verify_plan.py (the checks), verify_judge.py
(the results judged) and verify_render.py (the reports); these are thin wrappers that
turn their errors into an AnsibleFilterError (a clear task failure).
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

from ansible_collections.webroot.enterprise.plugins.plugin_utils import estate as estate_lib
from ansible_collections.webroot.enterprise.plugins.plugin_utils import rules as rules_lib
from ansible_collections.webroot.enterprise.plugins.plugin_utils import resolve as resolve_lib
from ansible_collections.webroot.enterprise.plugins.plugin_utils.filters import wrap
from ansible_collections.webroot.enterprise.plugins.plugin_utils.hostvars import HostvarsCache
from ansible_collections.webroot.enterprise.plugins.plugin_utils.settings import boolean
from ansible_collections.webroot.enterprise.plugins.plugin_utils.verify_common import FlowError
from ansible_collections.webroot.enterprise.plugins.plugin_utils.verify_judge import merge_results, report, summary_line
from ansible_collections.webroot.enterprise.plugins.plugin_utils.verify_plan import (
    listen_ports_by_host,
    plan_checks,
    targets_by_source,
)
from ansible_collections.webroot.enterprise.plugins.plugin_utils.verify_render import MATRIX_MAX_HOSTS, render_reports


def _wrap(func):
    return wrap(func, (FlowError, rules_lib.RuleError))


def addresses(groups, hostvars, estate=None, resolve=False, resolve_timeout=10):
    """``hostvars`` with every managed host's address as the apply knows it: this run's
    estate validation (``webroot_estate``, checked like the inventory), else the same
    resolution as the apply (controller DNS for the names, rules.Transient for a name
    not answered in time: "unknown, kept")."""
    cache = HostvarsCache(hostvars)
    if isinstance(estate, dict) and isinstance(estate.get("addresses"), dict) and not estate.get("failed"):
        found, left_out, unknown = rules_lib.check_estate(estate)
        cache.addresses.update(found)
        cache.why.update(left_out)
        cache.unknown.update(unknown)
    elif boolean(resolve, "webroot_resolve_names"):
        names = estate_lib.names_to_resolve(groups, cache)
        if names:
            answers = resolve_lib.resolve(sorted(set(names.values())), timeout=resolve_timeout)
            cache.resolved = dict((h, answers.get(n, (None, None))) for h, n in names.items())
    return cache


def _plan(catalog, groups, hostvars, sources=None, listening=None, negative=True, denied_sample=3,
          denied_hosts=None, negative_limit=0, down=None, estate=None, resolve=False, resolve_timeout=10):
    hostvars = addresses(groups, hostvars, estate, resolve, resolve_timeout)
    return plan_checks(catalog, groups, hostvars, sources=sources, listening=listening or [],
                       negative=boolean(negative, "verify_negative"), denied_sample=denied_sample,
                       denied_hosts=list(denied_hosts or []), negative_limit=negative_limit,
                       down=list(down or []))


def verify_plan(catalog, groups, hostvars, sources=None, listening=None, negative=True,
                denied_sample=3, denied_hosts=None, negative_limit=0, down=None, estate=None, resolve=False,
                resolve_timeout=10):
    """``catalog | verify_plan(groups, hostvars, ...)``: what the verify role needs, compact.

    ``checks_json`` (every check, one JSON string), ``targets_json`` (per source, the
    port_check targets as one JSON string), ``counts`` (targets per source), ``listen``
    (per destination, the listener ports), ``sampling`` and ``down`` (the managed
    hosts down when the checks were planned: nothing is tried from or to them).
    Strings instead of thousands of dicts keep Ansible's own handling of the fact cheap.
    """
    plan = _plan(catalog, groups, hostvars, sources, listening, negative, denied_sample, denied_hosts,
                 negative_limit, down, estate, resolve, resolve_timeout)
    by_source = targets_by_source(plan["checks"])
    return {
        "checks_json": json.dumps(plan["checks"], separators=(",", ":")),
        "targets_json": dict((src, json.dumps(t, separators=(",", ":"))) for src, t in by_source.items()),
        "counts": dict((src, len(t)) for src, t in by_source.items()),
        "listen": listen_ports_by_host(plan["checks"]),
        "sampling": plan["sampling"],
        "down": plan["down"],
    }


def verify_reports(plan, hostvars, groups, result_var="__verify_portcheck", listener_var="__verify_listener",
                   matrix_max=MATRIX_MAX_HOSTS, down=None, fail_on_down=False):
    """``plan | verify_reports(hostvars, groups)``: the results judged and the three reports rendered.

    ``down``: the hosts down at the end of the run (``ansible_play_hosts_all`` minus
    ``ansible_play_hosts``), on top of the plan's. Returns ``summary``, ``mismatches``,
    ``sampling``, ``text`` (the one-line verdict) and ``files`` (report file name: text).
    """
    down = sorted(set(down or []) | set(plan.get("down") or []))
    # Only what the reports print: a sentence for the checks that failed, no matrix
    # of results (render_html draws its own for small estates).
    results = merge_results(json.loads(plan["checks_json"]), hostvars, result_var, listener_var, down=down,
                            lines=False)
    rep = report(results, sampling=plan.get("sampling"), groups=groups,
                 fail_on_down=boolean(fail_on_down, "verify_fail_on_down"), matrix=False)
    return {
        "summary": rep["summary"],
        "mismatches": rep["mismatches"],
        "sampling": rep["sampling"],
        "text": summary_line(rep),
        "files": render_reports(rep, groups=groups, matrix_max=int(matrix_max)),
    }


class FilterModule(object):
    def filters(self):
        return {
            "verify_plan": _wrap(verify_plan),
            "verify_reports": _wrap(verify_reports),
        }

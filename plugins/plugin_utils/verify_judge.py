# -*- coding: utf-8 -*-
# Copyright: (c) 2026, webroot.enterprise contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The results of the verify role judged: each check joined with what its source found
(:func:`merge_results`), counted into the report data (:func:`report`) and its
one-line verdict (:func:`summary_line`).

Pure functions over plain data, used by the filter plugins in plugins/filter/verify.py,
by benchmarks/verify_scale.py and by the tests. Nothing here talks to a host. The
checks come from verify_plan.py; the reports are rendered by verify_render.py.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import collections
import itertools
import operator

from ansible_collections.webroot.enterprise.plugins.plugin_utils.verify_common import (
    DISPLAY_STATES,
    HOST_DOWN,
    MANAGED_GROUPS,
    _gc_paused,
    _group_map,
    _host_list,
    _hv,
    describe,
)


def display_state(result):
    """What a report shows for a result: its state, ``tls-fail`` or ``not-run``.

    A state that is not one of port_check's (a source host can answer anything) is
    shown as it is, as text; the renderers escape it.
    """
    state = result.get("state")
    if state is None:
        return "not-run"
    state = _text(state)
    if result.get("tls") and state == "open" and not result.get("tls_ok"):
        return "tls-fail"
    return state


def _text(value):
    """``value`` as text (None stays None): a source host's answer may have any type."""
    if value is None or isinstance(value, str):
        return value
    return str(value)


def _registered_results(reg):
    """The port_check results a host registered (``results``, or ``results_json``).

    Only dicts with a text ``name`` are kept: whatever else a source host sends
    (no JSON, another shape) leaves its checks without a result (``not-run``)
    instead of breaking the reports.
    """
    if not isinstance(reg, dict):
        return []
    found = reg.get("results") or []
    if not found and reg.get("results_json"):
        import json  # pylint: disable=import-outside-toplevel
        try:
            found = json.loads(reg["results_json"])
        except (TypeError, ValueError):
            found = []
    if not isinstance(found, list):
        return []
    return [r for r in found if isinstance(r, dict) and isinstance(r.get("name"), str)]


def _results_by_name(reg):
    """``{name: result}`` of what a host registered (see :func:`_registered_results`)."""
    if isinstance(reg, dict) and not reg.get("results") and isinstance(reg.get("results_json"), str):
        import json  # pylint: disable=import-outside-toplevel
        try:
            found = json.loads(reg["results_json"])
            names = list(map(operator.itemgetter("name"), found))  # port_check's shape: checked in C
        except (TypeError, ValueError, KeyError, IndexError, AttributeError):
            pass
        else:
            if isinstance(found, list) and set(map(type, found)) <= set([dict]) \
                    and set(map(type, names)) <= set([str]):
                return dict(zip(names, found))
    return dict((r["name"], r) for r in _registered_results(reg))


# What a source that cannot see a reset in time adds to a "filtered" it found, when its
# port_check did not say it (port_check.ps1 words its own; docs/verify.md, "What a
# Windows source can tell").
RST_BLIND_NOTE = ("%s cannot tell a reset from no answer (a Windows source without "
                  "SIO_TCP_INITIAL_RTO), so the port may be closed rather than filtered")
_UNSAID = object()


def _windows_source(hostvars, host, windows_var):
    """Whether the verify role took ``host`` for a Windows host (its ``windows_var``)."""
    value = _hv(hostvars, host).get(windows_var)
    if isinstance(value, str):
        return value.strip().lower() in ("true", "yes", "1")
    return value is True


def rst_blind(found, windows):
    """Whether a port_check result came from a socket that cannot report a reset in time.

    Windows resends a SYN that got a reset and reports ``refused`` only after its
    retries, so without ``SIO_TCP_INITIAL_RTO`` a closed port reads ``filtered``
    (port_check.ps1). port_check.ps1 says so per result (``rst_detectable``: true,
    false, or null when it made no direct connection); POSIX results have no such key
    and always see resets. A result of a Windows source (``windows``) without the key
    is taken as blind: nothing says it could see them.
    """
    said = found.get("rst_detectable", _UNSAID)
    return said is False or (said is _UNSAID and windows)


@_gc_paused
def merge_results(checks, hostvars, result_var="__verify_portcheck", listener_var="__verify_listener", down=(),
                  lines=True, windows_var="__verify_windows"):
    """Each check with what its source found.

    ``hostvars[source][result_var]`` is the registered port_check result of each
    source (``results``, or ``results_json`` with ``results_as: json``),
    ``hostvars[dest][listener_var]`` the listener helper's report (``bound`` /
    ``busy`` port lists). A check whose source has no result is ``not-run`` and does
    not meet its expectation.

    ``down``: hosts that are down at the end of the run (Ansible took them out of the
    play), on top of those the plan already knew (``check["down"]``). A check from or
    to one of them proves nothing, whatever its source found: its state is
    ``not-run``, ``reason`` is ``host down`` and ``ok`` is None (neither met nor failed).

    ``lines``: each result carries its sentence (``line``, :func:`describe`). With
    ``lines=False`` only the checks that did not meet their expectation carry one: what
    the verify role's reports print (a hundred thousand sentences nobody reads cost a
    tenth of a second at 3,000 workstations; :func:`describe` words any other one).

    A ``filtered`` found by a source that cannot report a reset in time (:func:`rst_blind`:
    a Windows source without ``SIO_TCP_INITIAL_RTO``; ``hostvars[source][windows_var]``
    tells a Windows source) means "no answer, or a closed port": it still meets a denied
    check's ``filtered`` (the connection was not accepted), and never ``open``,
    ``reachable`` or ``refused``. Such a result carries ``rst_detectable: False``, and its
    error says why a closed port is not excluded.
    """
    down_set = set(down or ())
    windows_by_source = {}
    by_source = {}
    listeners = {}
    out = []
    append = out.append
    no_result = "no result from the source for this check (its port_check did not run or did not return it)"
    # A hundred thousand checks: their fields, and those of what was found, in one call each.
    check_fields = operator.itemgetter("source", "destination", "id", "listener", "port", "expect", "protocol",
                                       "component", "kind")
    found_fields = operator.itemgetter("state", "ok", "error", "address", "tls_ok", "tls_error", "tls_version")
    middles = {}  # of the line: per port, protocol, component, kind and expectation
    for check in checks:
        src, dest, cid, has_listener, port, expect, protocol, component, kind = check_fields(check)
        found_by_name = by_source.get(src)
        if found_by_name is None:
            reg = _hv(hostvars, src).get(result_var)
            found_by_name = by_source[src] = _results_by_name(reg)
        found = found_by_name.get(cid)
        listener = None
        if has_listener:
            ports = listeners.get(dest)
            if ports is None:
                info = _hv(hostvars, dest).get(listener_var) or {}
                ports = listeners[dest] = (set(info.get("bound") or []), set(info.get("busy") or []))
            if port in ports[0]:
                listener = "ours"
            elif port in ports[1]:
                listener = "in use"
            else:
                listener = "none"
        planned_down = check.get("down")
        if planned_down or (down_set and (src in down_set or dest in down_set)):
            down_hosts = sorted(set(planned_down or ()) | (set((src, dest)) & down_set))
        else:
            down_hosts = None
        if down_hosts or found is None:
            result = dict(check)
            result["listener_state"] = listener
            result["reason"] = None
        if down_hosts:
            result.update({"state": "not-run", "ok": None, "reason": HOST_DOWN, "down": down_hosts,
                           "error": "%s: %s (out of the play: unreachable, or failed before the checks); "
                                    "nothing was proven" % (HOST_DOWN, ", ".join(down_hosts)),
                           "tls_ok": None, "tls_error": None, "tls_version": None, "address": None})
        elif found is None:
            result.update({"state": None, "ok": False, "error": no_result,
                           "tls_ok": None, "tls_error": None, "tls_version": None, "address": None})
        else:
            try:
                state, source_ok, error, address, tls_ok, tls_error, tls_version = found_fields(found)
            except KeyError:  # a result without some of port_check's keys
                get = found.get
                state, source_ok, error, address, tls_ok, tls_error, tls_version = (
                    get("state"), get("ok"), get("error"), get("address"), get("tls_ok"), get("tls_error"),
                    get("tls_version"))
            if state is not None and state.__class__ is not str:
                state = str(state)
            if tls_ok.__class__ is not bool:
                tls_ok = None
            if not (error is None or error.__class__ is str):
                error = str(error)
            if not (address is None or address.__class__ is str):
                address = str(address)
            if not (tls_error is None or tls_error.__class__ is str):
                tls_error = str(tls_error)
            if not (tls_version is None or tls_version.__class__ is str):
                tls_version = str(tls_version)
            blind = False
            if state == "filtered":
                windows = windows_by_source.get(src)
                if windows is None:
                    windows = windows_by_source[src] = _windows_source(hostvars, src, windows_var)
                blind = rst_blind(found, windows)
                if blind and (error is None or "cannot tell a reset" not in error):
                    note = RST_BLIND_NOTE % src
                    error = "%s; %s" % (error, note) if error else note
            ok = source_ok is True and (state in ("open", "refused") if expect == "reachable" else state == expect)
            # (ok: the source's own verdict, and only for a state that is the one expected:
            # an unknown state, or an "ok" the state contradicts, is not a pass.)
            # display_state and describe, inline (a hundred thousand checks).
            if state is None:
                display = "not-run"
            elif state == "open" and check.get("tls") and not tls_ok:
                display = "tls-fail"
            else:
                display = state
            if ok and not lines:
                line = None
            else:
                flow = (port, protocol, component, kind, expect)
                middle = middles.get(flow)
                if middle is None:
                    middle = middles[flow] = " %s/%s (%s, %s): expected %s, got " % flow
                line = "%s -> %s%s%s" % (src, dest, middle, display)
                detail = tls_error if display == "tls-fail" else error
                if detail and not ok:
                    line += " (%s)" % detail
            merged = dict(check, listener_state=listener, reason=None, state=state, ok=ok, error=error, address=address,
                          tls_ok=tls_ok, tls_error=tls_error, tls_version=tls_version, display=display, line=line)
            if blind:
                merged["rst_detectable"] = False
            append(merged)
            continue
        result["display"] = display_state(result)
        result["line"] = describe(result)
        append(result)
    return out


def group_summary(results, groups):
    """Source group x destination group: per component and kind, ok and total counts."""
    group_of = _group_map(groups)
    get = group_of.get
    # Counted in C (Counter over tuples), then folded: a hundred thousand results.
    counts = collections.Counter(
        (get(r["source"], "ungrouped"), get(r["destination"], "ungrouped"), r["port"], r["component"], r["kind"],
         r["ok"]) for r in results)
    cells = {}
    for (src, dst, port, component, kind, ok), n in counts.items():
        entry = cells.setdefault((src, dst), {}).setdefault((port, component, kind), [0, 0, 0])
        entry[1] += n
        if ok:
            entry[0] += n
        elif ok is None:
            entry[2] += n
    order = list(MANAGED_GROUPS) + sorted(set(k[1] for k in cells) - set(MANAGED_GROUPS))
    rows = [g for g in order if any(k[0] == g for k in cells)]
    cols = [g for g in order if any(k[1] == g for k in cells)]
    out = {}
    for (src, dst), cell in cells.items():
        out.setdefault(src, {})[dst] = [
            {"port": p, "component": c, "kind": k, "ok": v[0], "total": v[1], "not_run": v[2]}
            for (p, c, k), v in sorted(cell.items())]
    return {"rows": rows, "columns": cols, "cells": out}


@_gc_paused
def report(results, sampling=None, groups=None, fail_on_down=False, matrix=True):
    """The data the reports render: summary, matrix, mismatches, group summary.

    ``summary``: ``total``; ``ok`` (met their expectation), ``failed`` and ``not_run``
    (a host was down: neither met nor failed) add up to it; ``down_hosts``;
    ``allowed``, ``denied``, ``states``; ``verdict`` (``fail`` when a check failed, or,
    with ``fail_on_down``, when one was not run).

    ``matrix``: ``{source: {destination: [results]}}``. The reports do not read it
    (:func:`render_html` draws its own, for small estates only): the verify role asks
    for it with ``matrix=False`` and gets ``{}``.
    """
    field = operator.itemgetter
    several = []  # the cells of more than one check, to sort
    if matrix:
        matrix = {}
        destinations = set()
        sources = matrix  # its keys
        # The results come sorted by source and destination: grouped in C (any order works).
        for src, same_source in itertools.groupby(results, field("source")):
            row = matrix.get(src)
            if row is None:
                row = matrix[src] = {}
            for dest, cell in itertools.groupby(same_source, field("destination")):
                if dest in row:
                    row[dest].extend(cell)
                    several.append(row[dest])
                else:
                    cell = row[dest] = list(cell)
                    destinations.add(dest)
                    if len(cell) > 1:
                        several.append(cell)
    else:
        matrix = {}
        sources = set(map(field("source"), results))
        destinations = set(map(field("destination"), results))
    # The rest from one pass (in C): the results of an estate are a hundred thousand, and
    # their states, kinds, outcomes and components make a few dozen combinations.
    rows = list(map(field("display", "kind", "ok", "port", "component", "title"), results))
    states = dict((s, 0) for s in DISPLAY_STATES)
    allowed = failed = skipped = 0
    seen = set()
    for (display, kind, ok, port, component, title), n in collections.Counter(rows).items():
        states[display] = states.get(display, 0) + n
        if kind == "allowed":
            allowed += n
        if ok is None:
            skipped += n
        elif not ok:
            failed += n
        seen.add((port, component, title))
    not_run = [r for r, row in zip(results, rows) if row[2] is None] if skipped else []
    mismatches = [r for r, row in zip(results, rows) if row[2] is not None and not row[2]] if failed else []
    sources = sorted(sources)
    # Managed hosts first in both axes, in the same order, so the diagonal lines up.
    source_set = set(sources)
    destinations = [h for h in sources if h in destinations] + sorted(destinations - source_set)
    for cell in several:
        cell.sort(key=field("port", "component"))
    down_hosts = sorted(set(h for r in not_run for h in r.get("down") or ()))
    components = sorted(seen)
    out = {
        "summary": {
            "total": len(results),
            "ok": len(results) - len(mismatches) - len(not_run),
            "failed": len(mismatches),
            "not_run": len(not_run),
            "down_hosts": down_hosts,
            "allowed": allowed,
            "denied": len(results) - allowed,
            "states": states,
            "verdict": "fail" if mismatches or (fail_on_down and not_run) else "pass",
        },
        "sources": sources,
        "destinations": destinations,
        "matrix": matrix,
        "components": [{"component": c[1], "port": c[0], "title": c[2]} for c in components],
        "mismatches": [describe(r) for r in mismatches],
        "failures": mismatches,
        "results": results,
        "sampling": sampling,
    }
    if groups is not None:
        out["groups"] = group_summary(results, groups)
    return out


def summary_line(rep):
    """The one-line verdict of the Summary task, e.g. '17 of 28 Webroot flows met their
    expectation, 0 failed, 11 not run (host down: cli2); 13 allowed, 15 denied; ...'."""
    s = rep["summary"]
    line = "%d of %d Webroot flows met their expectation, %d failed, %d not run" % (
        s["ok"], s["total"], s["failed"], s["not_run"])
    if s["not_run"]:
        line += " (%s: %s)" % (HOST_DOWN, _host_list(s["down_hosts"]))
    line += "; %d allowed, %d denied" % (s["allowed"], s["denied"])
    sampling = rep.get("sampling")
    if sampling:
        line += "; denied checks: %d sampled of %d possible" % (
            sampling.get("denied_checked", 0), sampling.get("denied_possible", 0))
    return line + "."

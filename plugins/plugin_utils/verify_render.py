# -*- coding: utf-8 -*-
# Copyright: (c) 2026, webroot.enterprise contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The three reports of the verify role: JSON, JUnit XML and HTML, deterministic (no
timestamps), from the report data of verify_judge.report.

The HTML page is a Jinja2 template with its script and style beside it, in the verify
role's templates directory (roles/verify/templates): this file is the only one that
imports jinja2 or reads that directory. Used by the filter plugins in
plugins/filter/verify.py, by benchmarks/verify_scale.py and by the tests. Nothing
here talks to a host.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import collections
import hashlib
import itertools
import operator
import os
import re
from urllib.parse import quote
from xml.sax.saxutils import escape as _escape

from ansible_collections.webroot.enterprise.plugins.plugin_utils.verify_common import (
    DISPLAY_STATES,
    HOST_DOWN,
    MANAGED_GROUPS,
    FlowError,
    _gc_paused,
    _group_map,
    _host_list,
    describe,
)

STATE_TEXT = (
    ("open", "open", "connection accepted"),
    ("refused", "refused", "the host answered with a reset: the firewall let it through, nothing listened"),
    ("filtered", "filtered", "no answer, or an ICMP reject: the firewall blocked it"),
    ("unresolved", "unresolved", "the name did not resolve on the source"),
    ("tls-fail", "TLS failed", "the port is open but the TLS handshake failed"),
    ("not-run", "not run", "host down: a host was out of the play, nothing was proven (neither met nor failed); "
                           "or the source, still in the play, reported no result (a failure)"),
)
STATE_LABEL = dict((k, label) for k, label, _t in STATE_TEXT)
# Above this many hosts the report shows no host x host matrix (it grows with N^2).
MATRIX_MAX_HOSTS = 40
# The HTML page lists at most this many failures one by one; its filter (outcome: not
# as expected) lists every one of them.
HTML_FAILURES_MAX = 2000
# The layout of webroot-verify.json (docs/verify.md, "webroot-verify.json").
JSON_FORMAT = 2
# The report templates, script and style: the verify role's templates directory.
TEMPLATES = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "roles",
                                          "verify", "templates"))
OUTCOMES = (("ok", "as expected"), ("failed", "not as expected"), ("not-run", "not run"))

# Control characters (C0 and C1, DEL), lone surrogates and the two non-characters
# that XML 1.0 does not allow. The HTML and JUnit reports drop them (a tab, newline or
# carriage return becomes a space); the JSON report keeps the value (JSON-escaped).
_CONTROL = re.compile(u"[\x00-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_SURROGATE = re.compile(u"[\ud800-\udfff]")
# (xml.etree's attribute escaping: ElementTree._escape_attrib)
_XML_ATTRIBUTE = {'"': "&quot;", "\n": "&#10;", "\r": "&#13;", "\t": "&#09;"}


def _drop_control(match):
    return " " if match.group(0) in ("\t", "\n", "\r") else ""


def clean_text(value):
    """``value`` as text for the HTML and JUnit reports: no control character.

    Anything a source host sent, and every host name and description, goes through
    here before it reaches a template or the XML tree (which escape it).
    """
    if value is None:
        return ""
    text = value if isinstance(value, str) else str(value)
    return _CONTROL.sub(_drop_control, text)


def _detail(r):
    return r.get("tls_error") if r["display"] == "tls-fail" else r.get("error")


def _state_order(states):
    """port_check's states in their order, then the others a source sent, sorted."""
    known = [s for s in DISPLAY_STATES if s in states]
    return known + sorted(s for s in states if s not in DISPLAY_STATES)


class _Tables(object):
    """Each host, flow, state and text once, and the checks as columns of indices.

    What the JSON and the HTML reports are made of, computed once for both. A *flow*
    is what checks share: port, component, kind, expectation, basis, listener, TLS,
    title, protocol. The columns (``source``, ``destination``, ``flow``, ``state``,
    ``outcome``) are lists in the order of ``rep["results"]``; list comprehensions
    over a hundred thousand checks are what keeps this fast.
    """

    def __init__(self, rep, groups=None):
        results = self.results = rep["results"]
        group_of = _group_map(groups) if groups else {}
        field = operator.itemgetter
        sources = list(map(field("source"), results))
        destinations = list(map(field("destination"), results))
        names = self.names = sorted(set(rep["sources"]) | set(rep["destinations"])) if "sources" in rep \
            else sorted(set(sources) | set(destinations))
        index = self.index = dict((h, i) for i, h in enumerate(names))
        self.source = list(map(index.__getitem__, sources))
        self.destination = list(map(index.__getitem__, destinations))
        # A host's address and what sources connect to: from one of its checks.
        one = dict(zip(destinations, results))
        address = dict((h, r["destination_address"]) for h, r in one.items())
        connect = dict((h, r["host"]) for h, r in one.items())
        only_sources = set(sources) - set(one)
        if only_sources:
            one = dict((h, r) for h, r in zip(sources, results) if h in only_sources)
            address.update((h, r["source_address"]) for h, r in one.items())
        # (basis, listener and TLS as the plan made them: a string, two booleans)
        keys = list(map(field("port", "component", "kind", "expect", "basis", "listener", "tls", "title", "protocol"),
                        results))
        self.flows = sorted(set(keys), key=lambda k: tuple("" if v is None else v for v in k))
        flow_index = dict((k, i) for i, k in enumerate(self.flows))
        self.flow = list(map(flow_index.__getitem__, keys))
        displays = list(map(field("display"), results))
        self.states = _state_order(set(displays))
        state_index = dict((s, i) for i, s in enumerate(self.states))
        self.state = list(map(state_index.__getitem__, displays))
        # 0 met, 1 not met, 2 not run (ok is True, False or None: merge_results makes it so)
        self.outcome = list(map({True: 0, None: 2}.get, map(field("ok"), results), itertools.repeat(1)))
        present = set(group_of.get(h, "ungrouped") for h in names)
        self.groups = [g for g in list(MANAGED_GROUPS) + sorted(present - set(MANAGED_GROUPS) - set(["ungrouped"]))
                       if g in present] + (["ungrouped"] if "ungrouped" in present else [])
        self.hosts = [(h, group_of.get(h, "ungrouped") if groups else None, address.get(h), connect.get(h))
                      for h in names]


# --- JSON --------------------------------------------------------------------

def _why_template(why, source, destination):
    """``why`` as a ``str.format`` text with ``{source}`` and ``{destination}``.

    Thousands of checks share a reason but for the hosts they name; the JSON keeps
    each reason once. Braces of the text are doubled, and the template is kept only
    when formatting it gives ``why`` back exactly (else ``why`` itself, escaped).
    """
    text = why.replace("{", "{{").replace("}", "}}")
    template = text
    for name, field in sorted(((source, "{source}"), (destination, "{destination}")), key=lambda n: -len(n[0] or "")):
        if name and "{" not in name and "}" not in name:
            template = template.replace(name, field)
    try:
        if template.format(source=source or "", destination=destination or "") == why:
            return template
    except (IndexError, KeyError, ValueError):
        pass
    return text


def _json_text(value):
    """The JSON of ``value``, in one line (the C encoder)."""
    import json  # pylint: disable=import-outside-toplevel
    return json.dumps(value, separators=(",", ":"), sort_keys=True, ensure_ascii=False)


JSON_CHECK_COLUMNS = ("source", "destination", "flow", "state", "ok", "error", "why", "listener_state", "more")
JSON_FLOW_COLUMNS = ("port", "component", "kind", "expect", "basis", "listener", "tls", "title", "protocol")
JSON_HOST_COLUMNS = ("name", "group", "address", "connect")
_MORE = ("tls_ok", "tls_error", "tls_version", "reason", "down")


@_gc_paused
def render_json(rep, groups=None, tables=None):
    """The JSON report: summary, sampling and failures first, then every check as a table.

    ``hosts``, ``flows`` and ``checks`` are ``{"columns": [...], "rows": [[...]]}``;
    a check's ``source``, ``destination`` and ``flow`` are indices in ``hosts`` and
    ``flows``, its ``error`` an index in ``errors`` and its ``why`` one in ``whys``
    (``whys[i].format(source=..., destination=...)``). One check per line. See
    :func:`read_json_report` for the long form.
    """
    import json  # pylint: disable=import-outside-toplevel
    t = tables or _Tables(rep, groups)
    results = t.results
    encode = json.encoder.encode_basestring  # pylint: disable=no-member
    encoded = {None: "null", True: "true", False: "false"}

    def text(value):
        found = encoded.get(value)
        if found is None:
            found = encoded[value] = encode(value if isinstance(value, str) else str(value))
        return found

    errors = {None: "null"}

    def error_index(value):
        found = errors.get(value)
        if found is None:
            found = errors[value] = str(len(errors) - 1)
        return found

    whys, why_of = {}, {}

    def number(template):
        found = whys.get(template)
        if found is None:
            found = whys[template] = str(len(whys))
        return found

    leaves = dict((h, " leaves %s out" % h) for h in t.names if "{" not in h and "}" not in h)

    def why_index(why, src, dst):
        if why is None:
            return "null"
        # Most reasons of a denied check end with the source they leave out: the
        # rest of the text is shared by every source the rule leaves out.
        suffix = leaves.get(src)
        if suffix is not None and why.endswith(suffix):
            key = (why[:-len(suffix)], None, dst, " leaves {source} out")
        else:
            key = (why, src if src and src in why else None, dst if dst and dst in why else None, "")
        found = why_of.get(key)
        if found is None:
            if key[1] or key[2]:
                template = _why_template(key[0], key[1], key[2])
            else:
                template = key[0].replace("{", "{{").replace("}", "}}")
            found = why_of[key] = number(template + key[3])
        return found

    connect = [h[3] for h in t.hosts]
    state_text = [text(st) for st in t.states]
    ok_text = ["true", "false", "null"]

    def more(r, d):
        extra = dict((k, r[k]) for k in _MORE if r.get(k) is not None)
        if r["address"] != connect[d]:
            extra["address"] = r["address"]
        return _json_text(extra) if extra else "null"

    # One pass over the results (each is read once), the rest from the tables' columns.
    error_of, text_of = errors.get, encoded.get
    fields = operator.itemgetter("error", "why", "source", "destination", "listener_state", "tls_ok", "tls_error",
                                 "tls_version", "reason", "address")
    lines = []
    columns = zip(results, map(fields, results), t.source, t.destination, t.flow, t.state, t.outcome)
    for r, (e, w, src, dst, ls, tls_ok, tls_error, tls_version, reason, address), s, d, f, st, o in columns:
        plain = (tls_ok is None and tls_error is None and tls_version is None and reason is None
                 and address == connect[d])
        lines.append("[%d,%d,%d,%s,%s,%s,%s,%s,%s]" % (
            s, d, f, state_text[st], ok_text[o], error_of(e) or error_index(e), why_index(w, src, dst),
            text_of(ls) or text(ls), "null" if plain else more(r, d)))

    def table(columns, rows, indent="    "):
        body = (",\n" + indent + "    ").join(rows)
        return '{"columns": %s, "rows": [%s]}' % (
            _json_text(list(columns)), ("\n" + indent + "    " + body + "\n" + indent) if rows else "")

    def listing(values, indent="    "):
        if not values:
            return "[]"
        return "[\n%s    %s\n%s]" % (indent, (",\n" + indent + "    ").join(_json_text(v) for v in values), indent)

    def block(value):
        return json.dumps(value, indent=4, sort_keys=True, ensure_ascii=False).replace("\n", "\n    ")

    parts = [
        ("collection", '"webroot.enterprise"'),
        ("role", '"verify"'),
        ("format", str(JSON_FORMAT)),
        ("summary", block(rep["summary"])),
    ]
    if rep.get("sampling") is not None:
        parts.append(("sampling", block(rep["sampling"])))
    parts += [
        ("mismatches", listing(rep["mismatches"])),
        ("hosts", table(JSON_HOST_COLUMNS, [_json_text(list(h)) for h in t.hosts])),
        ("flows", table(JSON_FLOW_COLUMNS, [_json_text(list(f)) for f in t.flows])),
        ("errors", listing(sorted((e for e in errors if e is not None), key=lambda k: int(errors[k])))),
        ("whys", listing(sorted(whys, key=lambda k: int(whys[k])))),
        ("checks", table(JSON_CHECK_COLUMNS, lines)),
    ]
    out = "{\n%s\n}\n" % ",\n".join("    %s: %s" % (_json_text(k), v) for k, v in parts)
    # A lone surrogate (from a source host's JSON) cannot be written as UTF-8.
    return _SURROGATE.sub(u"\ufffd", out)


def read_json_report(data):
    """The checks of a parsed ``webroot-verify.json``, one dict each (the long form).

    Keys: ``source``, ``destination``, ``source_address``, ``destination_address``,
    ``host`` (what the source connected to), the flow's ``port``, ``component``,
    ``kind``, ``expect``, ``basis``, ``listener``, ``tls``, ``title``, ``protocol``, and
    the check's ``state`` (also as ``display``: what the reports show), ``ok``, ``error``,
    ``why``, ``listener_state``, ``address``, ``tls_ok``, ``tls_error``, ``tls_version``,
    ``reason`` and ``down``.
    """
    hosts = [dict(zip(data["hosts"]["columns"], row)) for row in data["hosts"]["rows"]]
    flows = [dict(zip(data["flows"]["columns"], row)) for row in data["flows"]["rows"]]
    errors, whys = data["errors"], data["whys"]
    out = []
    for row in data["checks"]["rows"]:
        c = dict(zip(data["checks"]["columns"], row))
        src, dst = hosts[c["source"]], hosts[c["destination"]]
        check = dict(flows[c["flow"]])
        more = c.get("more") or {}
        check.update({
            "source": src["name"], "destination": dst["name"], "source_address": src["address"],
            "destination_address": dst["address"], "host": dst["connect"], "state": c["state"], "ok": c["ok"],
            "error": None if c["error"] is None else errors[c["error"]],
            "why": None if c["why"] is None else whys[c["why"]].format(source=src["name"], destination=dst["name"]),
            "listener_state": c["listener_state"], "address": more.get("address", dst["connect"]),
            "display": c["state"],
        })
        for key in _MORE:
            check[key] = more.get(key)
        out.append(check)
    return out


# --- JUnit -------------------------------------------------------------------

@_gc_paused
def _xml(text):
    """``text`` (cleaned) escaped for XML 1.0 text and double-quoted attributes.

    The standard library's XML escaping (``xml.sax.saxutils.escape``: ``&``, ``<``,
    ``>``) plus ``"`` and the three white-space characters, as ``xml.etree`` writes an
    attribute. Escaping is per character, so escaped parts can be joined.
    """
    return _escape(clean_text(text), _XML_ATTRIBUTE)


def render_junit(rep, tables=None):
    """One testsuite per component, one testcase per checked flow (valid XML 1.0).

    A failure carries ``<failure>`` and a check not run ``<skipped>``, each with a
    ``<system-out>`` saying why the check exists; a check as expected is only its
    testcase. Every text has its control characters removed (:func:`clean_text`) and
    is escaped by :func:`_xml`. Written as text, not through ``xml.etree``: a
    hundred thousand testcases are a few names joined, and the element tree cost a
    third of a second at 3,000 workstations to build and serialise
    (docs/benchmarks.md). The tests parse the file with a strict parser, hostile names
    included (tests/unit/plugins/plugin_utils/test_verify_render_hostile.py).
    """
    t = tables or _Tables(rep)
    s = rep["summary"]
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           '<testsuites name="webroot.enterprise.verify" tests="%d" failures="%d" errors="0" skipped="%d">' % (
               s["total"], s["failed"], s.get("not_run", 0))]
    # From the tables' columns: a passing check is its names and its flow, escaped once.
    names = [_xml(h) for h in t.names]
    suffix = [_xml(" %s/%s %s" % (f[0], f[8], f[2])) for f in t.flows]  # port/protocol kind
    component_of = [f[1] for f in t.flows]
    by_component = {}
    for i, f in enumerate(t.flow):
        mine = by_component.get(component_of[f])
        if mine is None:
            mine = by_component[component_of[f]] = []
        mine.append(i)
    results, outcome, source, destination, flow = t.results, t.outcome, t.source, t.destination, t.flow
    for component in sorted(by_component):
        cases = by_component[component]
        name = "webroot.enterprise.verify.%s" % _xml(component)
        outcomes = [outcome[i] for i in cases]
        out.append('  <testsuite name="%s" tests="%d" failures="%d" errors="0" skipped="%d">' % (
            name, len(cases), outcomes.count(1), outcomes.count(2)))
        head = '    <testcase classname="%s" name="' % name
        for i in cases:
            case = '%s%s -> %s%s" time="0"' % (head, names[source[i]], names[destination[i]], suffix[flow[i]])
            if not outcome[i]:
                out.append(case + " />")
                continue
            r = results[i]
            if outcome[i] == 2:
                inner = '<skipped message="%s" />' % _xml("not run: %s (%s)" % (
                    r.get("reason") or "", ", ".join(r.get("down") or [])))
            else:
                inner = '<failure type="mismatch" message="%s">%s</failure>' % (
                    _xml("expected %s, got %s" % (r["expect"], r["display"])), _xml(r.get("line") or describe(r)))
            detail = _detail(r)
            out.append('%s>\n      %s\n      <system-out>%s</system-out>\n    </testcase>' % (
                case, inner, _xml("%s. Expected %s, found %s%s." % (
                    r["why"], r["expect"], r["display"], (" (%s)" % detail) if detail else ""))))
        out.append("  </testsuite>")
    out.append("</testsuites>")
    return "\n".join(out) + "\n"


# --- HTML --------------------------------------------------------------------

_JINJA = {}


def _asset(name):
    if name not in _JINJA:
        with open(os.path.join(TEMPLATES, name), "rb") as handle:
            _JINJA[name] = handle.read().decode("utf-8")
    return _JINJA[name]


def _environment():
    """Jinja2 with autoescaping: every value is escaped, data for the script goes through ``tojson``."""
    if "env" not in _JINJA:
        import jinja2  # pylint: disable=import-outside-toplevel
        env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True,
                                 undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                                 keep_trailing_newline=True)
        env.policies["json.dumps_kwargs"] = {"sort_keys": True, "separators": (",", ":")}
        _JINJA["env"] = env
    return _JINJA["env"]


def _csp_hash(text):
    import base64  # pylint: disable=import-outside-toplevel
    return "'sha256-%s'" % base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")


MARK = {0: u"\u2713", 1: u"\u2717", 2: u"\u2013"}  # met, not met, not run


def _state_class(display):
    """The CSS class of a state: only ours; a state a source made up is ``unknown``."""
    return display if display in STATE_LABEL else "unknown"


def _label(display):
    return clean_text(STATE_LABEL.get(display, display))


def _badge(r, outcome, text=None):
    cls = "b s-%s%s%s" % (_state_class(r["display"]), " denied" if r["kind"] == "denied" else "",
                          " down" if outcome == 2 else ("" if outcome == 0 else " bad"))
    return {"cls": cls, "text": text if text is not None else "%s %s" % (_label(r["display"]), MARK[outcome])}


@_gc_paused
def render_html(rep, groups=None, matrix_max=MATRIX_MAX_HOSTS, tables=None):
    """One self-contained page (templates/webroot-verify.html.j2, Jinja2 with autoescaping).

    The verdict and every failure first; then the checks aggregated per source and
    destination group, component, found state and outcome, with a filter by host,
    group, component and outcome (a script over the checks embedded as JSON, which
    works from the file alone); the host x host matrix for small estates only; every
    host with its counts. Its size is linear in the number of checks, a few bytes each.
    """
    from markupsafe import Markup  # pylint: disable=import-outside-toplevel
    t = tables or _Tables(rep, groups)
    s = rep["summary"]
    not_run = s.get("not_run", 0)
    checked = s["total"] - not_run
    flows_word = "checked flows" if not_run else "flows"
    if s["failed"]:
        verdict = ("fail", "FAIL: %d of %d %s not as expected" % (s["failed"], checked, flows_word))
    elif s.get("verdict") == "fail":  # verify_fail_on_down
        verdict = ("fail", "FAIL: %d flows not run" % not_run)
    else:
        verdict = ("pass", "PASS: all %d %s as expected" % (checked, flows_word))
    down_hosts = [clean_text(h) for h in s.get("down_hosts") or []]
    down_badge = "%d not run: %s (%s)" % (not_run, HOST_DOWN, _host_list(down_hosts)) if not_run else None

    sampling = rep.get("sampling")
    sampling_ctx = None
    if sampling:
        basis = ", ".join("%s %d" % (k, v) for k, v in sorted((sampling.get("basis") or {}).items()))
        if sampling.get("sample"):
            how = ("per rule and per managed group it leaves out, %d host(s) picked deterministically"
                   % sampling["sample"])
        else:
            how = "all of them (verify_denied_sample: 0)"
        if sampling.get("denied_hosts"):
            how += "; always: %s" % ", ".join(sampling["denied_hosts"])
        sampling_ctx = {
            "checked": "{:,} checked of {:,} possible".format(sampling.get("denied_checked", 0),
                                                              sampling.get("denied_possible", 0)),
            "how": clean_text(how), "basis": clean_text(basis or "none"),
            "max": sampling.get("max_per_source", 0),
            "max_host": clean_text(sampling.get("max_per_source_host") or "-")}

    names = t.names
    hosts = t.hosts
    group_index = dict((g, i) for i, g in enumerate(t.groups))
    host_group = [group_index.get(h[1] if h[1] is not None else "ungrouped", 0) if t.groups else 0 for h in hosts]
    # What the page shows of a flow: component, port, kind, expected (several flows of
    # the JSON may differ only by basis, listener or TLS).
    view = sorted(set((f[0], f[1], f[2], f[3]) for f in t.flows))
    view_index = dict((v, i) for i, v in enumerate(view))
    flow_view = [view_index[(f[0], f[1], f[2], f[3])] for f in t.flows]

    # Column by column (a hundred thousand checks): the page's data, per host counts,
    # the aggregate, the failures.
    results = t.results
    column_view = [flow_view[f] for f in t.flow]
    outcome_of = t.outcome
    not_ok = [i for i, o in enumerate(outcome_of) if o]
    errors = {}
    column_error = [-1] * len(results)
    for i in not_ok:
        detail = _detail(results[i])
        if detail is not None:
            e = errors.get(detail)
            if e is None:
                e = errors[detail] = len(errors)
            column_error[i] = e
    data_checks = list(itertools.chain.from_iterable(zip(
        t.source, t.destination, column_view, t.state, outcome_of, column_error)))
    count_from = collections.Counter(t.source)
    count_to = collections.Counter(t.destination)
    per_host = [[count_from.get(i, 0), count_to.get(i, 0), 0, 0] for i in range(len(names))]
    for i in not_ok:
        s_i, d_i, outcome = t.source[i], t.destination[i], outcome_of[i]
        per_host[s_i][1 + outcome] += 1
        if d_i != s_i:
            per_host[d_i][1 + outcome] += 1
    aggregate = collections.Counter(zip([host_group[h] for h in t.source], [host_group[h] for h in t.destination],
                                        column_view, t.state, outcome_of))
    failures = [results[i] for i in not_ok if outcome_of[i] == 1]

    state_labels = [(_state_class(st), _label(st)) for st in t.states]
    agg_rows = []
    for key in sorted(aggregate):
        sg, dg, v, st, outcome = key
        component, port, kind, expect = view[v][1], view[v][0], view[v][2], view[v][3]
        agg_rows.append({
            "from": clean_text(t.groups[sg]) if t.groups else "", "to": clean_text(t.groups[dg]) if t.groups else "",
            "port": port, "component": clean_text(component), "kind": clean_text(kind),
            "expect": clean_text(expect),
            "badge": {"cls": "b s-%s%s%s" % (state_labels[st][0], " denied" if kind == "denied" else "",
                                             " down" if outcome == 2 else ("" if outcome == 0 else " bad")),
                      "text": "%s %s" % (state_labels[st][1], MARK[outcome])},
            "outcome": OUTCOMES[outcome][1], "bad": outcome == 1, "count": aggregate[key]})

    fail_rows = []
    for r in failures[:HTML_FAILURES_MAX]:
        fail_rows.append({
            "source": clean_text(r["source"]), "destination": clean_text(r["destination"]),
            "host": clean_text(r.get("host")), "port": "%s/%s" % (r["port"], clean_text(r.get("protocol"))),
            "component": clean_text(r["component"]), "kind": clean_text(r["kind"]),
            "expect": clean_text(r["expect"]), "badge": _badge(r, 1), "detail": clean_text(_detail(r)),
            "why": clean_text(r.get("why"))})

    down_set = set(s.get("down_hosts") or [])
    down_rows = []
    for h in s.get("down_hosts") or []:
        i = t.index.get(h)
        down_rows.append({"name": clean_text(h), "group": clean_text(hosts[i][1]) if i is not None else "",
                          "address": clean_text(hosts[i][2]) if i is not None else "",
                          "from": 0 if i is None else per_host[i][0], "to": 0 if i is None else per_host[i][1]})

    host_rows = []
    for i in sorted(range(len(names)), key=lambda i: (not per_host[i][2], names[i] not in down_set, names[i])):
        host_rows.append({
            "i": i, "name": clean_text(names[i]), "href": "#host=" + _quote(clean_text(names[i])),
            "group": clean_text(hosts[i][1]), "address": clean_text(hosts[i][2]),
            "from": per_host[i][0], "to": per_host[i][1], "failed": per_host[i][2], "not_run": per_host[i][3],
            "cls": "bad" if per_host[i][2] else ("down" if names[i] in down_set else "")})

    matrix = None
    if len(names) <= matrix_max:
        order = list(rep.get("destinations") or names)
        cells = {}
        for r, outcome in zip(t.results, t.outcome):
            cells.setdefault((r["source"], r["destination"]), []).append((r, outcome))
        matrix = {"columns": [clean_text(h) for h in order], "rows": []}
        for src in rep.get("sources") or sorted(set(r["source"] for r in rep["results"])):
            row = []
            for dst in order:
                badges = []
                for r, outcome in sorted(cells.get((src, dst), []), key=lambda x: (x[0]["port"], x[0]["component"])):
                    text = "%s %s: %s %s" % (r["port"], clean_text(r["component"]), _label(r["display"]),
                                             u"\u2013 %s" % HOST_DOWN if outcome == 2 else
                                             MARK[0] if outcome == 0 else u"%s expected %s" % (
                                                 MARK[1], clean_text(r["expect"])))
                    badge = _badge(r, outcome, text)
                    badge["title"] = clean_text(r.get("line") or describe(r))
                    badges.append(badge)
                row.append({"self": src == dst, "badges": badges})
            matrix["rows"].append({"name": clean_text(src), "cells": row})

    legend = [{"key": key, "label": label, "text": text, "count": s["states"].get(key, 0)}
              for key, label, text in STATE_TEXT]
    unknown = [{"key": clean_text(k), "count": s["states"][k]} for k in sorted(s["states"]) if k not in STATE_LABEL]

    data = {
        "hosts": [[clean_text(h[0]), host_group[i], clean_text(h[2])] for i, h in enumerate(hosts)],
        "groups": [clean_text(g) for g in t.groups],
        "flows": [[clean_text(v[1]), v[0], clean_text(v[2]), clean_text(v[3])] for v in view],
        "states": [[cls, label] for cls, label in state_labels],
        "outcomes": [label for _k, label in OUTCOMES],
        "marks": [MARK[0], MARK[1], MARK[2]],
        "errors": [clean_text(e) for e in sorted(errors, key=errors.get)],
        "width": 6,
        "checks": data_checks,
    }
    # In a CDATA section for XML parsers; HTML reads the two marker lines as comments.
    script = u"//<![CDATA[\n%s//]]>" % _asset("webroot-verify.js")
    style = _asset("webroot-verify.css")
    if "]]>" in script[:-5] or "</" in script or "</" in style:
        raise FlowError("the report script or style may not contain ]]> or </")
    csp = ("default-src 'none'; script-src %s; style-src %s; img-src 'none'; base-uri 'none'; form-action 'none'"
           % (_csp_hash(script), _csp_hash(style)))
    ports_of = {}
    for v in view:
        ports_of.setdefault(clean_text(v[1]), set()).add(v[0])
    components = [(c, "%s %s" % (", ".join(str(p) for p in sorted(ports_of[c])), c))
                  for c in sorted(ports_of, key=lambda c: (min(ports_of[c]), c))]
    return _environment().get_template("webroot-verify.html.j2").render(
        title="Webroot Enterprise flows: %d/%d as expected" % (s["ok"], s["total"]),
        csp=csp, style=Markup(style), script=Markup(script), verdict=verdict, down_badge=down_badge,
        counts="{:,} allowed flows (must connect), {:,} denied flows (must be blocked), between {:,} hosts.".format(
            s["allowed"], s["denied"], len(names)),
        sampling=sampling_ctx, failures=fail_rows, failures_total=len(failures), not_run=not_run,
        down_rows=down_rows, groups=[clean_text(g) for g in t.groups], components=components,
        outcomes=[label for _k, label in OUTCOMES], aggregate=agg_rows, total=s["total"],
        matrix=matrix, matrix_max=matrix_max, hosts=host_rows, legend=legend, unknown_states=unknown,
        ports=[{"port": c["port"], "component": clean_text(c["component"]), "title": clean_text(c["title"])}
               for c in rep["components"]],
        data=data)


def _quote(text):
    return quote(text.encode("utf-8"), safe="")


@_gc_paused
def render_reports(rep, groups=None, matrix_max=MATRIX_MAX_HOSTS):
    """``{file name: text}`` of the three reports."""
    tables = _Tables(rep, groups)
    return {
        "webroot-verify.json": render_json(rep, groups=groups, tables=tables),
        "webroot-verify.junit.xml": render_junit(rep, tables=tables),
        "webroot-verify.html": render_html(rep, groups=groups, matrix_max=matrix_max, tables=tables),
    }

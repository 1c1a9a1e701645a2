# -*- coding: utf-8 -*-
# Copyright: (c) 2026, webroot.enterprise contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Host names and descriptions that try to be markup, in the three verify reports.

Quotes, angle brackets, ampersands, braces, control characters and non-ASCII text in
inventory host names, and in what a source host answers (state, error, TLS error,
address). The files are parsed by strict parsers (json with strict strings, expat for
the JUnit and for the HTML page, which is also well-formed XML), the page's element
structure is compared with the one of the same estate under plain names, and the page
is opened in headless Chromium: a name that tries to run a script (an ``<img
onerror>``, a ``</script><script>``) would set ``document.title``; the title must be
ours, the names must be shown as text, and the filter (set from the address, as a
link would) must find the hostile host's checks.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import re
import shutil
import subprocess
import xml.dom.minidom
import xml.etree.ElementTree as ET

try:
    from html import unescape
    from html.parser import HTMLParser
    from urllib.parse import quote
except ImportError:  # pragma: no cover
    from HTMLParser import HTMLParser  # pylint: disable=import-error
    unescape = HTMLParser().unescape
    from urllib import quote  # pylint: disable=no-name-in-module

import pytest

from ansible_collections.webroot.enterprise.plugins.plugin_utils import verify_judge
from ansible_collections.webroot.enterprise.plugins.plugin_utils import verify_plan
from ansible_collections.webroot.enterprise.plugins.plugin_utils import verify_render
from ansible_collections.webroot.enterprise.plugins.plugin_utils.catalog import TABLE_11
from verify_fixture import as_expected, register

# Each name tries something else. They sort in this order (the plain names below keep it).
SERVER = u"srv\"'<img src=x onerror=\"document.title='pwned-img'\">"
CLIENT_SCRIPT = u"ws</script><script>document.title='pwned-script'</script>"
CLIENT_CONTROL = u"ws\x1b[31m\x07-\u00fc-\u65e5\u672c-\u00e9\t{source}{0}"
CLIENT_PLAIN = u"ws-\u00e5sa &amp; <b>bold</b> ]]> \u2028"
DISTRIBUTOR = u"dist&<i>ital</i>%s%d%%"
HOSTILE = {
    "webroot_distributors": [DISTRIBUTOR],
    "webroot_servers": [SERVER],
    "webroot_clients": [CLIENT_SCRIPT, CLIENT_CONTROL, CLIENT_PLAIN],
    "webroot_update_endpoints": [u"upd<svg onload=document.title='pwned-svg'>"],
    "ungrouped": [],
}
# What a source answers about one check (and a TLS error on the update service).
STATE = u"open\"><script>document.title='pwned-state'</script>"
ERROR = u"refused <img src=x onerror=\"document.title='pwned-error'\"> \x00\x1b[0m\x7f\x85 \u00e9\u00e8 end"
TITLE_RE = re.compile(r"^Webroot Enterprise flows: \d+/\d+ as expected$")


def plain_names():
    """A plain name per hostile one, in the same sort order (so every table has the same rows)."""
    names = sorted(h for hosts in HOSTILE.values() for h in hosts)
    return dict((h, "h%02d" % i) for i, h in enumerate(names))


def estate(rename=None):
    rename = rename or (lambda h: h)
    groups = dict((g, [rename(h) for h in hosts]) for g, hosts in HOSTILE.items())
    hostvars = {}
    for i, h in enumerate(sorted(h for hosts in HOSTILE.values() for h in hosts)):
        hostvars[rename(h)] = {"webroot_address": "198.18.70.%d" % (i + 1)}
    return groups, hostvars


def reports(rename=None, state=STATE, error=ERROR):
    groups, hostvars = estate(rename)
    managed = groups["webroot_distributors"] + groups["webroot_servers"] + groups["webroot_clients"]
    plan = verify_plan.plan_checks(TABLE_11, groups, hostvars, listening=managed, denied_sample=0)
    found = {}
    for c in plan["checks"]:
        found.setdefault(c["source"], []).append(as_expected(c))
    # The server says something odd about its first check, the distributor about TLS.
    first = found[groups["webroot_servers"][0]][0]
    first.update({"state": state, "error": error, "address": u"<b>" + error})
    for row in found[groups["webroot_distributors"][0]]:
        if row["tls_ok"]:
            row.update({"tls_ok": False, "ok": False, "tls_error": error})
    register(hostvars, found, plan["checks"])
    results = verify_judge.merge_results(plan["checks"], hostvars)
    rep = verify_judge.report(results, sampling=plan["sampling"], groups=groups)
    return rep, verify_render.render_reports(rep, groups=groups, matrix_max=40), results


@pytest.fixture(scope="module")
def hostile():
    return reports()


def _no_control(text):
    return not [ch for ch in text if (ord(ch) < 0x20 and ch not in "\t\n\r") or 0x7f <= ord(ch) <= 0x9f
                or 0xd800 <= ord(ch) <= 0xdfff or ch in u"\ufffe\uffff"]


def _reject(value):
    raise ValueError("not JSON: %s" % value)


def test_json_parses_strictly_and_keeps_the_raw_values(hostile):
    rep, files, results = hostile
    data = json.loads(files["webroot-verify.json"], strict=True, parse_constant=_reject)
    back = verify_render.read_json_report(data)
    assert len(back) == len(results) == rep["summary"]["total"]
    # Names and answers as they were sent (JSON-escaped), reasons formatted back exactly.
    for mine, sent in zip(back, results):
        for key in ("source", "destination", "error", "why", "address", "tls_error", "ok"):
            assert mine[key] == sent[key], (key, mine[key], sent[key])
        assert mine["state"] == sent["display"]
    assert CLIENT_CONTROL in set(r["source"] for r in back)
    assert STATE in set(r["state"] for r in back)
    assert rep["summary"]["failed"] == 2  # the odd state, and the TLS handshake


def test_junit_is_valid_xml_with_the_names_as_text(hostile):
    _rep, files, results = hostile
    text = files["webroot-verify.junit.xml"]
    assert _no_control(text)
    root = ET.fromstring(text.encode("utf-8"))                 # expat: well-formed, strict
    xml.dom.minidom.parseString(text.encode("utf-8"))          # and a second parser
    cases = root.findall(".//testcase")
    assert len(cases) == len(results)
    names = set(c.get("name") for c in cases)
    # The names are attribute values, read back as they were (control characters dropped).
    assert u"%s -> %s 50001/tcp allowed" % (SERVER, verify_render.clean_text(CLIENT_CONTROL)) in names
    assert u"%s -> %s 50003/tcp allowed" % (CLIENT_SCRIPT, DISTRIBUTOR) in names
    failures = root.findall(".//failure")
    assert len(failures) == 2
    assert any(STATE in f.get("message") for f in failures)
    assert all("pwned-error" in f.text and "\x1b" not in f.text for f in failures)


class _Structure(HTMLParser):
    """Every element and attribute name of a page, in order; and the elements' text."""

    def __init__(self):
        HTMLParser.__init__(self)
        self.tags = []
        self.attributes = set()
        self.title = []
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attributes.update(name for name, _value in attrs)
        self._in_title = tag == "title"

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        self.tags.append("/" + tag)
        self._in_title = False

    def handle_data(self, data):
        if self._in_title:
            self.title.append(data)


def structure(html):
    parser = _Structure()
    parser.feed(html)
    parser.close()
    return parser


def test_html_is_well_formed_and_has_no_element_from_the_data(hostile):
    _rep, files, _results = hostile
    html = files["webroot-verify.html"]
    assert _no_control(html)
    ET.fromstring(html.encode("utf-8"))  # the page is well-formed XML too (expat, strict)
    page = structure(html)
    # The same estate under plain names, with plain answers (the same outcomes): the same elements.
    rename = plain_names()
    _rep2, plain_files, _r = reports(rename.get, state="weird", error="no answer")
    assert page.tags == structure(plain_files["webroot-verify.html"]).tags
    assert not [a for a in page.attributes if a.startswith("on")]
    assert "img" not in page.tags and "svg" not in page.tags and "i" not in page.tags
    assert page.tags.count("script") == 2
    assert TITLE_RE.match("".join(page.title))
    # Shown as text: escaped in the markup, in the data only through JSON escapes.
    assert "srv&#34;&#39;&lt;img src=x onerror=&#34;document.title=&#39;pwned-img&#39;&#34;&gt;" in html
    data = html[html.index('id="verify-data">') + len('id="verify-data">'):]
    data = data[:data.index("</script>")]
    assert "<" not in data and ">" not in data and "&" not in data
    assert SERVER in [h[0] for h in json.loads(data)["hosts"]]


# --- in a real browser --------------------------------------------------------

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--no-first-run", "--virtual-time-budget=5000"]


def chromium():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    if os.environ.get("CI"):
        pytest.fail("chromium is missing (scripts/setup.sh installs it)")
    pytest.skip("chromium is not installed (scripts/setup.sh installs it)")


def dump_dom(tmp_path, page, fragment=""):
    url = "file://%s%s" % (page, fragment)
    proc = subprocess.run(
        [chromium()] + CHROMIUM_FLAGS + ["--user-data-dir=%s" % (tmp_path / "profile"), "--dump-dom", url],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120, check=False)
    assert proc.returncode == 0, proc.stderr.decode("utf-8", "replace")[-2000:]
    return proc.stdout.decode("utf-8")


@pytest.fixture(scope="module")
def page(hostile, tmp_path_factory):
    directory = tmp_path_factory.mktemp("hostile-report")
    path = directory / "webroot-verify.html"
    path.write_bytes(hostile[1]["webroot-verify.html"].encode("utf-8"))
    return path


def _rows(dom, body_id):
    body = dom[dom.index('id="%s"' % body_id):]
    body = body[:body.index("</tbody>")]
    return [unescape(re.sub(r"(<[^>]+>)+", "|", row).strip("|"))
            for row in re.findall(r"<tr[^>]*>.*?</tr>", body, re.S)]


def test_in_chromium_no_name_runs_and_the_script_works(hostile, page, tmp_path):
    rep = hostile[0]
    dom = dump_dom(tmp_path, page)
    found = structure(dom)
    title = "".join(found.title)
    assert TITLE_RE.match(title) and "pwned" not in title, title
    assert "img" not in found.tags and "svg" not in found.tags and "i" not in found.tags
    assert not [a for a in found.attributes if a.startswith("on")]
    assert 'data-filter="ready"' in dom  # our script ran (its hash is in the page's CSP)
    # The names are text in the page as Chromium built it.
    assert "srv\"'&lt;img src=x onerror=\"document.title='pwned-img'\"&gt;" in dom
    assert "ws&lt;/script&gt;&lt;script&gt;document.title='pwned-script'&lt;/script&gt;" in dom
    # Unfiltered, the script draws the same lines as the page holds without it.
    html = hostile[1]["webroot-verify.html"]
    assert _rows(dom, "agg-body") == _rows(html, "agg-body")
    assert 'data-shown="%d"' % rep["summary"]["total"] in dom


def test_in_chromium_the_filter_from_the_address_finds_one_host(hostile, page, tmp_path):
    rep, _files, results = hostile
    name = verify_render.clean_text(CLIENT_CONTROL)
    mine = [r for r in results if name in (verify_render.clean_text(r["source"]), verify_render.clean_text(r["destination"]))]
    failed = [r for r in rep["results"] if r["ok"] is False]
    dom = dump_dom(tmp_path, page, "#host=%s" % quote(name.encode("utf-8"), safe=""))
    assert 'data-shown="%d"' % len(mine) in dom
    listed = _rows(dom, "host-checks-body")
    assert len(listed) == len(mine) and all(name in row for row in listed)
    assert 'id="host-checks" hidden' not in dom
    # Outcome "not as expected" (1), and a group: the failures of the servers' group.
    dom = dump_dom(tmp_path, page, "#group=webroot_servers&outcome=1")
    expected = [r for r in failed if r["source"] == SERVER or r["destination"] == SERVER]
    assert 'data-shown="%d"' % len(expected) in dom and len(expected) == 1
    rows = _rows(dom, "agg-body")
    assert len(rows) == 1 and rows[0].endswith("|not as expected|1")
    # Not as expected: listed one by one too, with what was found.
    listed = _rows(dom, "host-checks-body")
    assert len(listed) == 1 and listed[0].startswith(SERVER + "|") and "pwned-error" in listed[0]

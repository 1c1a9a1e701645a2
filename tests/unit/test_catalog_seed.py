# -*- coding: utf-8 -*-
"""The catalog agrees with the vendor's Table 11, row by row.

Parses the verbatim copy of Appendix A / Table 11 (../shared/seeds, with a copy in
tests/data for clones without it) and compares every row with
plugins/plugin_utils/catalog.py.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import re

import pytest

from ansible_collections.webroot.enterprise.plugins.plugin_utils.catalog import TABLE_11

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
NAME = "webroot-enterprise-port-requirements.txt"
SHARED = os.path.join(ROOT, "..", "shared", "seeds", NAME)
VENDORED = os.path.join(ROOT, "tests", "data", NAME)
ROW = re.compile(r"^(\d{2,5}) (.+)$")


def parse(text):
    """Table 11 rows: port, component, required_on, description, installation."""
    lines = text.split("Table 11: Webroot Enterprise communications ports", 1)[1].splitlines()
    rows, cur = [], None
    for line in lines:
        line = line.strip()
        m = ROW.match(line)
        if m:
            cur = {"port": int(m.group(1)), "component": m.group(2), "required": [], "bullets": []}
            rows.append(cur)
        elif cur is None or not line:
            continue
        elif line.startswith("•"):
            cur["bullets"].append(line.lstrip("•").strip())
        elif cur["bullets"]:
            cur["bullets"][-1] += " " + line
        else:
            cur["required"].append(line)
    for row in rows:
        row["required"] = " ".join(row["required"])
        split = next(i for i, b in enumerate(row["bullets"])
                     if b.startswith(("Installed", "Not an installed")))
        row["description"] = " ".join(row["bullets"][:split])
        row["installation"] = " ".join(row["bullets"][split:])
    return rows


def seed_text():
    path = SHARED if os.path.exists(SHARED) else VENDORED
    with open(path, encoding="utf-8") as fh:
        return fh.read()


def test_vendored_copy_is_verbatim():
    if not os.path.exists(SHARED):
        pytest.skip("../shared/seeds is not beside this clone; the vendored copy is used")
    with open(SHARED, encoding="utf-8") as a, open(VENDORED, encoding="utf-8") as b:
        assert a.read() == b.read()


def test_seed_parses_into_five_rows():
    rows = parse(seed_text())
    assert [r["port"] for r in rows] == [443, 50003, 50000, 50001, 50002]


@pytest.mark.parametrize("seed_row", parse(seed_text()), ids=lambda r: str(r["port"]))
def test_catalog_row_matches_seed(seed_row):
    matches = [r for r in TABLE_11 if r["port"] == seed_row["port"]]
    assert len(matches) == 1, "catalog has %d rows for port %s" % (len(matches), seed_row["port"])
    row = matches[0]
    name = row["executable"] or "%s Function" % row["title"]
    assert name == seed_row["component"]
    assert "Required on " + row["required_on"] == seed_row["required"]
    assert row["vendor"] == seed_row["description"]
    assert row["installation"] == seed_row["installation"]
    assert row["protocol"] == "tcp"


def test_catalog_has_no_extra_rows():
    assert sorted(r["port"] for r in TABLE_11) == sorted(r["port"] for r in parse(seed_text()))


def test_parser_catches_a_changed_row():
    """The comparison can fail: a seed with another description disagrees."""
    text = seed_text().replace("Responds to CommAgent", "Responds to nobody")
    row = [r for r in parse(text) if r["port"] == 50003][0]
    catalog_row = [r for r in TABLE_11 if r["port"] == 50003][0]
    assert catalog_row["vendor"] != row["description"]

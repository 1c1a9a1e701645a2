# -*- coding: utf-8 -*-
# Copyright: (c) 2026, webroot.enterprise contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the benchmark scripts share: the PLAY RECAP read back, and a section of docs/benchmarks.md written."""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re


def recap(output):
    """``{host: {"ok", "changed", "unreachable", "failed", "skipped"}}`` from ansible-playbook's PLAY RECAP."""
    found = {}
    for m in re.finditer(r"^(\S+)\s+: ok=(\d+)\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)"
                         r"\s+skipped=(\d+)", output, re.MULTILINE):
        found[m.group(1)] = dict(zip(("ok", "changed", "unreachable", "failed", "skipped"),
                                     (int(x) for x in m.groups()[1:])))
    return found


def write_docs(text, path, title):
    """Put ``text`` under the heading ``title`` of ``path``: in place of that section
    (up to the next ``## `` heading) when it is there, else at the end."""
    section = title + "\n\n" + text.rstrip() + "\n"
    with open(path) as handle:
        current = handle.read()
    pattern = re.compile(r"^%s\n.*?(?=^## |\Z)" % re.escape(title), re.M | re.S)
    if pattern.search(current):
        current = pattern.sub(lambda _m: section + "\n", current).rstrip() + "\n"
    else:
        current = current.rstrip() + "\n\n" + section
    with open(path, "w") as handle:
        handle.write(current)

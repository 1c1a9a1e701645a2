# -*- coding: utf-8 -*-
# Copyright: (c) 2026, webroot.enterprise contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""docs/architecture.md tells the truth about the walls (issue 26, items 1 and 5).

The doc lists plugins/plugin_utils by job, "each file importing only files above it in
this list". Read from the doc and from the code's imports: every file is listed, and
every import of a plugin_utils file points up the list. Host code (module_utils) imports
nothing of the controller's, and only what a module imports is there.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import ast
import os
import re

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PREFIX = "ansible_collections.webroot.enterprise.plugins."


def imports_of(path):
    """The collection's modules ``path`` imports, as (package, name): ("plugin_utils", "rules")."""
    with open(path) as handle:
        tree = ast.parse(handle.read())
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith(PREFIX):
            rest = node.module[len(PREFIX):].split(".")
            if len(rest) == 1:                 # from ...plugins.plugin_utils import rules
                found.update((rest[0], alias.name) for alias in node.names)
            else:                              # from ...plugins.plugin_utils.rules import X
                found.add((rest[0], rest[1]))
    return found


def listed_order():
    with open(os.path.join(ROOT, "docs", "architecture.md")) as handle:
        text = handle.read()
    block = text.split("each file importing only files above it in this list", 1)[1].split("```")[1]
    return [m.group(1) for m in re.finditer(r"^ (\w+)\.py\b", block, re.M)]


def test_every_plugin_utils_file_is_listed_in_the_doc():
    listed = listed_order()
    on_disk = sorted(f[:-3] for f in os.listdir(os.path.join(ROOT, "plugins", "plugin_utils"))
                     if f.endswith(".py") and f != "__init__.py")
    # verify_plan, verify_judge and verify_render are named on verify_common's line.
    assert sorted(set(listed) | {"verify_plan", "verify_judge", "verify_render"}) == on_disk


def test_plugin_utils_imports_run_up_the_documented_list():
    order = listed_order()
    # verify_common's line: verify_plan, verify_judge and verify_render come after it, in that order.
    order = order[:order.index("verify_common") + 1] + ["verify_plan", "verify_judge", "verify_render"] + \
        order[order.index("verify_common") + 1:]
    rank = dict((name, i) for i, name in enumerate(order))
    backwards = []
    for name in order:
        for package, target in sorted(imports_of(os.path.join(ROOT, "plugins", "plugin_utils", name + ".py"))):
            if package == "plugin_utils" and rank[target] >= rank[name]:
                backwards.append("%s imports %s" % (name, target))
            elif package != "plugin_utils" and package != "module_utils":
                backwards.append("%s imports plugins/%s/%s" % (name, package, target))
    assert backwards == []


def test_host_code_imports_nothing_of_the_controller():
    folder = os.path.join(ROOT, "plugins", "module_utils")
    wrong = []
    for f in sorted(os.listdir(folder)):
        if f.endswith(".py"):
            wrong += ["%s imports %s/%s" % (f, p, t) for p, t in imports_of(os.path.join(folder, f))
                      if p != "module_utils"]
    assert wrong == []


def test_module_utils_holds_only_what_a_module_imports():
    modules = os.path.join(ROOT, "plugins", "modules")
    used = set()
    for f in os.listdir(modules):
        if f.endswith(".py"):
            used |= set(t for p, t in imports_of(os.path.join(modules, f)) if p == "module_utils")
    # and what those import in turn
    folder = os.path.join(ROOT, "plugins", "module_utils")
    for f in list(used):
        used |= set(t for p, t in imports_of(os.path.join(folder, f + ".py")) if p == "module_utils")
    held = set(f[:-3] for f in os.listdir(folder) if f.endswith(".py") and f != "__init__.py")
    assert held - used == set()

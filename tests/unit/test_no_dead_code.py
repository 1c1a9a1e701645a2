# -*- coding: utf-8 -*-
# Copyright: (c) 2026, webroot.enterprise contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Only what is used (issue 26, item 4), checked by name.

Every function, class and constant defined at the top of a Python file in plugins/ is
named again by the code that ships or measures it: its own file outside the definition,
or another file in plugins/, roles/, playbooks/, benchmarks/, molecule/ or inventories/.
In Python a use is code (a name read, an attribute, an import), not a word in a
docstring or a comment: ``backends.ops`` was kept alive by docstrings that spoke of
other files' ``ops`` while only the tests called it. In the other files (YAML, Jinja,
PowerShell) a use is the word. A name only the tests use is dead (the tests would test
what nothing runs). Every filter the collection registers is used by a role, a playbook
or the Molecule scenarios (which show users the public filters at work). The names
Ansible itself looks up (DOCUMENTATION, ActionModule, main...) are the plugin's
interface, not dead.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import ast
import os
import re
import subprocess

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SHIPPED = ("plugins", "roles", "playbooks", "benchmarks", "molecule", "inventories")
ANSIBLE_INTERFACE = {"DOCUMENTATION", "EXAMPLES", "RETURN", "ActionModule", "FilterModule", "CallbackModule",
                     "InventoryModule", "LookupModule", "main", "__metaclass__"}


def shipped_files():
    """{path: text} of the tracked and new (not ignored) files under SHIPPED."""
    try:
        listed = subprocess.run(["git", "-C", ROOT, "ls-files", "-co", "--exclude-standard"] + list(SHIPPED),
                                stdout=subprocess.PIPE, universal_newlines=True, check=True).stdout.split()
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("needs a git checkout")
    texts = {}
    for path in listed:
        full = os.path.join(ROOT, path)
        if os.path.isfile(full):
            with open(full, errors="replace") as handle:
                texts[path] = handle.read()
    return texts


TEXTS = shipped_files() if os.path.isdir(os.path.join(ROOT, ".git")) else {}


def top_level_names_of(node):
    """The names one top-level statement defines."""
    if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
        yield node.name
    elif isinstance(node, ast.Assign):
        for target in node.targets:
            if isinstance(target, ast.Name):
                yield target.id


def code_references(tree, own=True):
    """The names a Python tree uses as code. In its own file (``own``) a top-level name is
    used where it is read; another file can only reach it through an import (``from module
    import name``) or an attribute (``module.name``): a local variable of the same name
    there is not a use."""
    found = set()
    for node in ast.walk(tree):
        if own and isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
            found.add(node.id)
        elif isinstance(node, ast.Attribute):
            found.add(node.attr)
        elif isinstance(node, ast.ImportFrom):
            found.update(alias.name for alias in node.names)
    return found


def unused_in_own_file(tree):
    """The top-level names of a file that no other top-level statement of it uses (a
    definition does not use itself). Each statement is walked once."""
    uses = [code_references(node) for node in tree.body]
    return [name for i, node in enumerate(tree.body) for name in top_level_names_of(node)
            if not any(name in used for j, used in enumerate(uses) if j != i)]


def used_names():
    """{path: names used as code} for the Python files; {path: text} for the others."""
    code, words = {}, {}
    for path, text in TEXTS.items():
        if path.endswith(".py"):
            code[path] = code_references(ast.parse(text), own=False)
        else:
            words[path] = text
    return code, words


def test_every_top_level_name_in_plugins_is_used_by_shipped_code():
    if not TEXTS:
        pytest.skip("needs a git checkout")
    code, words = used_names()
    dead = []
    for path, text in sorted(TEXTS.items()):
        if not (path.startswith("plugins/") and path.endswith(".py")):
            continue
        for name in unused_in_own_file(ast.parse(text)):
            if name in ANSIBLE_INTERFACE or any(name in used for p, used in code.items() if p != path):
                continue
            if any(re.search(r"\b%s\b" % re.escape(name), other) for other in words.values()):
                continue
            dead.append("%s: %s" % (path, name))
    assert dead == []


def test_a_name_only_a_docstring_speaks_of_is_dead():
    """The check itself, on files written here: ``ops`` is only in a docstring and in
    its own body, ``ours`` is called by ``ops``; in another file only an import or an
    attribute reaches a name (``ops`` there is a variable of its own)."""
    tree = ast.parse('''"""ops compares; ours reads."""


def ops(plan):
    """ops: what to change."""
    return ops(plan) if plan else ours(plan)


def ours(read):
    return read
''')
    assert unused_in_own_file(tree) == ["ops"]      # ours: ops calls it
    assert "ours" not in code_references(tree.body[1], own=False)   # a bare name elsewhere is not ours
    other = ast.parse("from x.backends import ours\nops = 1\nprint(ops, backends.found_plan)\n")
    assert code_references(other, own=False) == {"ours", "found_plan"}


def test_every_registered_filter_is_used_by_a_role_a_playbook_or_a_scenario():
    if not TEXTS:
        pytest.skip("needs a git checkout")
    uses = "\n".join(t for p, t in TEXTS.items() if p.startswith(("roles/", "playbooks/", "molecule/")))
    registered = []
    for path, text in TEXTS.items():
        if path.startswith("plugins/filter/") and path.endswith(".py"):
            registered += re.findall(r'^\s+"(\w+)": ', text[text.index("def filters"):], re.M)
    assert len(registered) >= 5, registered
    unused = [name for name in registered if not re.search(r"webroot\.enterprise\.%s\b" % name, uses)]
    assert unused == []


# windows_naming's user is molecule/windows/verify.yml (the group it reads the rules of);
# what it gives, written by hand from the rule names the collection writes on Windows.
@pytest.mark.parametrize("component, prefix", [
    ("update_service", "Webroot Enterprise - Update Service ("),
    ("sweep_now", "Webroot Enterprise - Sweep Now ("),
    ("client_service", "Webroot Enterprise - Client Service ("),
])
def test_windows_naming_gives_the_group_and_the_prefix(component, prefix):
    from ansible_collections.webroot.enterprise.plugins.filter.webroot import FilterModule
    assert FilterModule().filters()["windows_naming"](component) == {"group": "Webroot Enterprise", "prefix": prefix}

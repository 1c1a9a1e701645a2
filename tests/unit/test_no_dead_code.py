# -*- coding: utf-8 -*-
# Copyright: (c) 2026, webroot.enterprise contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Only what is used (issue 26, item 4), checked by name.

Every function, class and constant defined at the top of a Python file in plugins/ is
named again by the code that ships or measures it: its own file beyond the definition,
or another file in plugins/, roles/, playbooks/, benchmarks/, molecule/ or inventories/.
A name only the tests use is dead (the tests would test what nothing runs). Every filter
the collection registers is used by a role, a playbook or the Molecule scenarios (which
show users the public filters at work). The names Ansible itself
looks up (DOCUMENTATION, ActionModule, main...) are the plugin's interface, not dead.
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


def top_level_names(text):
    for node in ast.parse(text).body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            yield node.name
        elif isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    yield target.id


def test_every_top_level_name_in_plugins_is_used_by_shipped_code():
    if not TEXTS:
        pytest.skip("needs a git checkout")
    dead = []
    for path, text in sorted(TEXTS.items()):
        if not (path.startswith("plugins/") and path.endswith(".py")):
            continue
        for name in top_level_names(text):
            if name in ANSIBLE_INTERFACE:
                continue
            word = re.compile(r"\b%s\b" % re.escape(name))
            if len(word.findall(text)) > 1:
                continue
            if not any(word.search(other) for p, other in TEXTS.items() if p != path):
                dead.append("%s: %s" % (path, name))
    assert dead == []


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

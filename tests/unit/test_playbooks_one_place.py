# -*- coding: utf-8 -*-
# Copyright: (c) 2026, webroot.enterprise contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""One place per task block (issue 26, item 3): the report files are written by one
block (roles/verify/tasks/report_dir.yml) that playbooks/report.yml and the verify
role import, and site.yml's apply plays import their progress tasks from one file."""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def load(path):
    with open(os.path.join(ROOT, path)) as handle:
        return yaml.safe_load(handle)


def tasks_of(node):
    """Every task in ``node`` (a play list, a play, a task list), blocks walked."""
    if isinstance(node, list):
        for item in node:
            yield from tasks_of(item)
    elif isinstance(node, dict):
        sections = [k for k in ("tasks", "pre_tasks", "post_tasks", "block", "rescue", "always") if k in node]
        if "hosts" not in node and "block" not in node:
            yield node
        for key in sections:
            yield from tasks_of(node[key])


def test_the_report_directory_block_is_written_once():
    writers = {}
    for path in ("playbooks/report.yml", "roles/verify/tasks/report.yml", "roles/verify/tasks/report_dir.yml"):
        writers[path] = [t for t in tasks_of(load(path)) if "ansible.builtin.stat" in t or "ansible.builtin.copy" in t]
    assert not writers["playbooks/report.yml"] and not writers["roles/verify/tasks/report.yml"]
    assert len(writers["roles/verify/tasks/report_dir.yml"]) == 2
    imports = [t.get("ansible.builtin.import_tasks") for p in ("playbooks/report.yml", "roles/verify/tasks/report.yml")
               for t in tasks_of(load(p)) if "ansible.builtin.import_tasks" in t]
    assert sorted(imports) == ["../roles/verify/tasks/report_dir.yml", "report_dir.yml"]
    # a rewrite of a report file is not a change to the estate, wherever it is written
    copy = [t for t in tasks_of(load("roles/verify/tasks/report_dir.yml")) if "ansible.builtin.copy" in t][0]
    assert copy["changed_when"] is False


def test_site_yml_has_no_repeated_play_sections():
    plays = [p for p in load("playbooks/site.yml") if "hosts" in p]
    assert len(plays) == 2
    for play in plays:
        assert play["post_tasks"] == [{"name": "Progress on long runs",
                                       "ansible.builtin.import_tasks": "tasks/progress.yml"}]
    assert [t["name"] for t in load("playbooks/tasks/progress.yml")] == ["Progress", "Show the progress"]

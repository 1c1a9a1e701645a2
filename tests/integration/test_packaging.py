# -*- coding: utf-8 -*-
# Copyright: (c) 2026, webroot.enterprise contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The collection as users get it: build the tarball, install it, use it.

1. ``ansible-galaxy collection build`` from the repository: the tarball holds the
   collection (roles, plugins, playbooks, meta) and none of the development files
   (tests, Molecule, lab, scripts, benchmarks, caches, venv).
2. ``ansible-galaxy collection install --offline`` into an empty collections path
   (no Galaxy: the dependencies are the ones the ``ansible`` package put in the
   venv's site-packages, which ansible finds by itself).
3. From a directory outside the repository (so that its ansible.cfg and its
   .cache/collections link do not apply) and with ANSIBLE_COLLECTIONS_PATH set to
   the installed copy only: the site playbook's syntax check, one role run for real
   on localhost in validate-only mode (and failing on a bad port), and ansible-doc
   for every module, role entry point and filter.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import glob
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile

import pytest

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
NS = "webroot.enterprise"

# Top-level paths that must never ship (besides every dot-file and dot-directory:
# .venv, .cache, .ansible, .git, .ci, .ansible-lint, ...). collections/ is a local
# link tree some tools make; ansible.cfg points at the lab and .cache/collections.
FORBIDDEN = ("tests", "molecule", "lab", "scripts", "benchmarks", "collections", "reports",
             "ansible.cfg", "execution-environment.yml", "context")
REQUIRED = ("MANIFEST.json", "FILES.json", "meta/runtime.yml", "playbooks/site.yml",
            "roles/sweep_now/meta/argument_specs.yml", "plugins/filter/webroot.py",
            "plugins/modules/port_check.py")

INVENTORY = """\
all:
  hosts:
    localhost:
      ansible_connection: local
      ansible_python_interpreter: "{python}"
  children:
    webroot_servers:
      hosts:
        server1:
          webroot_address: 198.18.40.21
          ansible_connection: local
    webroot_clients:
      hosts:
        localhost:
          webroot_address: 127.0.0.1
"""

PLAYBOOK = """\
- name: One role of the installed collection, validate-only
  hosts: localhost
  gather_facts: false
  roles:
    - webroot.enterprise.sweep_now
  post_tasks:
    - name: The published plan
      ansible.builtin.debug:
        var: webroot_plan
    - name: Sweep Now on a workstation - 50001/tcp in, from the company server only
      ansible.builtin.assert:
        that:
          - webroot_plan.sweep_now.rules | length == 1
          - webroot_plan.sweep_now.rules[0].port == 50001
          - webroot_plan.sweep_now.rules[0].protocol == 'tcp'
          - webroot_plan.sweep_now.rules[0].direction == 'in'
          - webroot_plan.sweep_now.rules[0].peers == ['198.18.40.21/32']
"""


def _bin(name):
    here = os.path.join(os.path.dirname(sys.executable), name)
    return here if os.path.exists(here) else shutil.which(name)


@pytest.fixture(scope="module")
def work(tmp_path_factory):
    if not _bin("ansible-galaxy"):
        pytest.skip("ansible is not installed")
    return str(tmp_path_factory.mktemp("packaging"))


@pytest.fixture(scope="module")
def tarball(work):
    out = os.path.join(work, "dist")
    proc = subprocess.run([_bin("ansible-galaxy"), "collection", "build", "--output-path", out, REPO],
                          cwd=work, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          universal_newlines=True, timeout=120, check=False)
    assert proc.returncode == 0, proc.stdout
    found = glob.glob(os.path.join(out, "webroot-enterprise-*.tar.gz"))
    assert len(found) == 1, found
    return found[0]


@pytest.fixture(scope="module")
def members(tarball):
    with tarfile.open(tarball) as tar:
        return tar.getmembers()


@pytest.fixture(scope="module")
def env(work):
    """Environment of every command on the installed copy."""
    env = dict((k, v) for k, v in os.environ.items() if not k.startswith("ANSIBLE_"))
    env["ANSIBLE_COLLECTIONS_PATH"] = os.path.join(work, "collections")
    env["ANSIBLE_NOCOLOR"] = "1"
    env["ANSIBLE_LOCAL_TEMP"] = os.path.join(work, "tmp")
    env["PATH"] = os.path.dirname(sys.executable) + os.pathsep + env.get("PATH", "")
    return env


@pytest.fixture(scope="module")
def installed(work, tarball, env):
    path = os.path.join(work, "collections")
    proc = subprocess.run([_bin("ansible-galaxy"), "collection", "install", "--offline", "-p", path, tarball],
                          cwd=work, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          universal_newlines=True, timeout=120, check=False)
    assert proc.returncode == 0, proc.stdout
    root = os.path.join(path, "ansible_collections", "webroot", "enterprise")
    assert os.path.isfile(os.path.join(root, "MANIFEST.json")), proc.stdout
    with open(os.path.join(work, "inventory.yml"), "w") as f:
        f.write(INVENTORY.format(python=sys.executable))
    with open(os.path.join(work, "sweep_now.yml"), "w") as f:
        f.write(PLAYBOOK)
    return root


def run(cmd, work, env, timeout=120):
    return subprocess.run(cmd, cwd=work, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          universal_newlines=True, timeout=timeout, check=False)


def test_tarball_has_no_development_files(members):
    tops = set(m.name.split("/")[0] for m in members)
    bad = sorted(t for t in tops if t in FORBIDDEN or t.startswith("."))
    assert not bad, "development files in the tarball (add them to galaxy.yml build_ignore): %s" % bad


def test_tarball_has_no_links_out_of_it(members):
    links = [m.name for m in members if m.issym() or m.islnk()]
    assert not links, links


def test_tarball_has_the_collection(members):
    names = set(m.name for m in members)
    missing = [p for p in REQUIRED if p not in names]
    assert not missing, missing
    for top in ("roles", "plugins", "playbooks"):
        assert any(n.startswith(top + "/") for n in names), top


def test_site_playbook_syntax_from_installed_copy(installed, work, env):
    proc = run([_bin("ansible-playbook"), NS + ".site", "--syntax-check", "-i", "inventory.yml"], work, env)
    assert proc.returncode == 0, proc.stdout
    # The playbook came from the installed copy, not from the repository.
    assert os.path.join(installed, "playbooks", "site.yml") in proc.stdout, proc.stdout


def test_role_runs_validate_only_from_installed_copy(installed, work, env):
    proc = run([_bin("ansible-playbook"), "sweep_now.yml", "-i", "inventory.yml",
                "-e", "webroot_validate_only=true"], work, env)
    assert proc.returncode == 0, proc.stdout
    assert "webroot.enterprise sweep_now 50001/tcp in" in proc.stdout, proc.stdout
    assert "failed=0" in proc.stdout, proc.stdout


def test_role_rejects_a_bad_port(installed, work, env):
    proc = run([_bin("ansible-playbook"), "sweep_now.yml", "-i", "inventory.yml",
                "-e", "webroot_validate_only=true", "-e", "sweep_now_port=70000"], work, env)
    assert proc.returncode != 0, proc.stdout
    assert "sweep_now_port" in proc.stdout, proc.stdout


def _doc_list(kind, work, env):
    proc = run([_bin("ansible-doc"), "-t", kind, "-l", NS, "--json"], work, env)
    assert proc.returncode == 0, proc.stdout
    return json.loads(proc.stdout[proc.stdout.index("{"):])


def test_module_docs_render(installed, work, env):
    modules = _doc_list("module", work, env)
    for name in ("port_check", "address_set", "firewall_info", "component_rules", "validate_estate"):
        assert NS + "." + name in modules, modules
    for name in sorted(modules):
        proc = run([_bin("ansible-doc"), "-t", "module", name], work, env)
        assert proc.returncode == 0, proc.stdout
        assert installed in proc.stdout, proc.stdout


def test_every_role_entry_point_has_docs(installed, work, env):
    roles = _doc_list("role", work, env)
    wanted = ["update_service", "update_distributor", "client_service", "sweep_now", "poll_now"]
    for role in wanted:
        assert NS + "." + role in roles, sorted(roles)
    for name in sorted(roles):
        for entry in sorted(roles[name]["entry_points"]):
            proc = run([_bin("ansible-doc"), "-t", "role", name, "-e", entry], work, env)
            assert proc.returncode == 0, proc.stdout
            assert re.search(r"ENTRY POINT: \W*%s\b" % re.escape(entry), proc.stdout), proc.stdout


def test_every_filter_has_docs(installed, work, env):
    filters = _doc_list("filter", work, env)
    for name in ("catalog", "windows_naming"):
        assert NS + "." + name in filters, sorted(filters)
    # 0.2.0 took the plumbing out of the public API (the roles publish webroot_plan);
    # 0.3.0 moved the rest into action plugins: no internal_* filter is listed.
    for name in ("host_rules", "current_rules", "expand_rules", "stale_rules", "rich_rule"):
        assert NS + "." + name not in filters, sorted(filters)
    assert not [n for n in filters if n.split(".")[-1].startswith("internal_")], sorted(filters)
    undocumented = sorted(n for n, d in filters.items() if "UNDOCUMENTED" in str(d))
    assert not undocumented, "filters without docs (plugins/filter/<name>.yml): %s" % undocumented
    proc = run([_bin("ansible-doc"), "-t", "filter", "--json"] + sorted(filters), work, env)
    assert proc.returncode == 0, proc.stdout
    docs = json.loads(proc.stdout[proc.stdout.index("{"):])
    for name in filters:
        doc = docs[name]["doc"]
        assert doc.get("short_description") and doc.get("options", {}).get("_input"), name
        assert docs[name].get("examples") and docs[name].get("return"), name

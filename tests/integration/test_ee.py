# -*- coding: utf-8 -*-
# Copyright: (c) 2026, webroot.enterprise contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The execution environment definition makes a complete ansible-builder build context.

``ansible-builder create`` only: building the image needs a container registry
(the base image), which is not reachable here. The collection tarball is built
into a copy of the definition's directory, where execution-environment.yml
expects it (.cache/ee/).
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import re
import shutil
import subprocess
import sys

import pytest
import yaml

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
DEPENDENCIES = ("ansible.posix", "community.general", "ansible.windows", "community.windows")


def _bin(name):
    here = os.path.join(os.path.dirname(sys.executable), name)
    return here if os.path.exists(here) else shutil.which(name)


def _run(cmd, cwd, timeout=120):
    proc = subprocess.run(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          universal_newlines=True, timeout=timeout, check=False)
    assert proc.returncode == 0, "%s failed (rc %d):\n%s" % (" ".join(cmd), proc.returncode, proc.stdout)
    return proc.stdout


@pytest.fixture(scope="module")
def context(tmp_path_factory):
    if not _bin("ansible-builder"):
        pytest.skip("ansible-builder is not installed (requirements.txt)")
    work = str(tmp_path_factory.mktemp("ee"))
    for name in ("execution-environment.yml", "requirements.yml"):
        shutil.copy(os.path.join(REPO, name), work)
    _run([_bin("ansible-galaxy"), "collection", "build", "--force", "--output-path",
          os.path.join(work, ".cache", "ee"), REPO], cwd=work)
    out = os.path.join(work, "context")
    log = _run([_bin("ansible-builder"), "create", "-f", "execution-environment.yml", "-c", out], cwd=work)
    assert "No matches" not in log, log
    return out


def test_definition_is_version_3():
    with open(os.path.join(REPO, "execution-environment.yml")) as f:
        ee = yaml.safe_load(f)
    assert ee["version"] == 3
    assert ee["dependencies"]["galaxy"] == "requirements.yml"


def test_containerfile_installs_the_requirements_and_the_collection(context):
    with open(os.path.join(context, "Containerfile")) as f:
        text = f.read()
    assert re.search(r"ansible-galaxy collection install .*-r requirements\.yml", text)
    assert re.search(r"ansible-galaxy collection install --offline .*/build/collections/webroot-enterprise-\*\.tar\.gz", text)
    assert "pip install" in text and "ansible-core" in text
    tarballs = os.listdir(os.path.join(context, "_build", "collections"))
    assert len(tarballs) == 1 and re.match(r"webroot-enterprise-\d+\.\d+\.\d+\.tar\.gz$", tarballs[0]), tarballs


def test_galaxy_requirements_list_the_dependencies(context):
    with open(os.path.join(context, "_build", "requirements.yml")) as f:
        wanted = yaml.safe_load(f)["collections"]
    names = [c["name"] for c in wanted]
    assert sorted(names) == sorted(DEPENDENCIES)
    # The same ranges as galaxy.yml, so that the EE satisfies the collection's own
    # dependencies (the tarball is installed with --offline after them).
    with open(os.path.join(REPO, "galaxy.yml")) as f:
        galaxy = yaml.safe_load(f)
    assert dict((c["name"], c["version"]) for c in wanted) == galaxy["dependencies"]


def test_python_requirements(context):
    with open(os.path.join(context, "_build", "requirements.txt")) as f:
        reqs = [re.split(r"[<>=!\[ ;]", line.strip())[0].lower() for line in f if line.strip()]
    assert "pywinrm" in reqs
    assert "jmespath" in reqs

# -*- coding: utf-8 -*-
# Copyright: (c) 2026, webroot.enterprise contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The changelog (antsibull-changelog) is valid and describes galaxy.yml's version."""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import shutil
import subprocess
import sys

import pytest
import yaml

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
CHANGELOGS = os.path.join(REPO, "changelogs")
RELEASE_HINT = (
    "run `antsibull-changelog release --version %s --date YYYY-MM-DD` from the repository "
    "root (see changelogs/config.yaml)"
)


def _load(path):
    with open(path) as f:
        return yaml.safe_load(f)


def _tool():
    here = os.path.join(os.path.dirname(sys.executable), "antsibull-changelog")
    return here if os.path.exists(here) else shutil.which("antsibull-changelog")


def _version_key(version):
    return tuple(int(p) for p in version.split("-")[0].split("."))


@pytest.fixture(scope="module")
def galaxy_version():
    return str(_load(os.path.join(REPO, "galaxy.yml"))["version"])


@pytest.fixture(scope="module")
def changes():
    return _load(os.path.join(CHANGELOGS, "changelog.yaml"))


def test_antsibull_changelog_lint():
    tool = _tool()
    if tool is None:
        pytest.skip("antsibull-changelog is not installed (requirements.txt)")
    proc = subprocess.run([tool, "lint"], cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          universal_newlines=True, timeout=60, check=False)
    assert proc.returncode == 0 and not proc.stdout.strip(), proc.stdout


def test_newest_release_is_galaxy_version(changes, galaxy_version):
    releases = sorted(changes.get("releases") or {}, key=_version_key)
    assert releases, "changelogs/changelog.yaml has no release; " + RELEASE_HINT % galaxy_version
    assert releases[-1] == galaxy_version, (
        "newest release in changelogs/changelog.yaml is %s, galaxy.yml says %s"
        % (releases[-1], galaxy_version))
    assert str(changes.get("ancestor") or "") != galaxy_version


def test_every_fragment_is_released(changes, galaxy_version):
    """A fragment not yet in changelog.yaml would be missing from CHANGELOG.rst."""
    released = set()
    for release in (changes.get("releases") or {}).values():
        released.update(release.get("fragments") or [])
    fragments = sorted(
        name for name in os.listdir(os.path.join(CHANGELOGS, "fragments"))
        if name.endswith((".yml", ".yaml")))
    missing = [name for name in fragments if name not in released]
    assert not missing, "fragments not in any release: %s; %s" % (
        ", ".join(missing), RELEASE_HINT % galaxy_version)


def test_config_keeps_fragments():
    config = _load(os.path.join(CHANGELOGS, "config.yaml"))
    assert config["keep_fragments"] is True
    assert [o["file"] for o in config["output"]] == ["CHANGELOG.rst"]


def test_rendered_changelog_shows_the_release(changes, galaxy_version):
    with open(os.path.join(REPO, "CHANGELOG.rst")) as f:
        text = f.read()
    assert "\nv%s\n" % galaxy_version in text
    release = changes["releases"][galaxy_version]
    summary = (release.get("changes") or {}).get("release_summary")
    assert summary and summary.split()[0] in text

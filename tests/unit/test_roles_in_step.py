# -*- coding: utf-8 -*-
"""The role files agree with the catalog and with their argument_specs."""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import glob
import os
import subprocess
import sys

import pytest
import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ROLES = sorted(os.path.basename(os.path.dirname(os.path.dirname(p)))
               for p in glob.glob(os.path.join(ROOT, "roles", "*", "meta", "argument_specs.yml")))


def load(*parts):
    path = os.path.join(ROOT, *parts)
    if not os.path.exists(path):
        return {}
    with open(path) as fh:
        return yaml.safe_load(fh) or {}


def test_rendered_roles_match_the_catalog():
    proc = subprocess.run([sys.executable, os.path.join(ROOT, "scripts", "render_roles.py"), "--check"],
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, check=False)
    assert proc.returncode == 0, proc.stdout.decode()


@pytest.mark.parametrize("role", [r for r in ROLES if not r.startswith("_")])
def test_argument_specs_cover_every_default(role):
    defaults = load("roles", role, "defaults", "main.yml")
    options = load("roles", role, "meta", "argument_specs.yml")["argument_specs"]["main"]["options"]
    assert sorted(defaults) == sorted(options)
    for name, spec in options.items():
        assert spec.get("description"), "%s has no description" % name
        assert name.startswith(role + "_"), "%s is not prefixed with the role name" % name


def test_every_role_has_argument_specs():
    roles = sorted(os.path.basename(p) for p in glob.glob(os.path.join(ROOT, "roles", "*")))
    assert roles == ROLES

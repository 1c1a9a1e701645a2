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


COMPONENT_ROLES = ("client_service", "poll_now", "sweep_now", "update_distributor", "update_service")

# The collection-wide variables every component role reads (README, "Collection-wide
# variables"), with their real defaults, written out by hand: (type, default), None
# for no default. webroot_max_left_out and webroot_gather_facts are read by the
# playbooks only, so no role lists them.
COLLECTION_WIDE = {
    "webroot_address": ("str", None),
    "webroot_resolve_names": ("bool", True),
    "webroot_resolve_timeout": ("float", 10),
    "webroot_strict": ("bool", False),
    "webroot_max_removed_share": ("float", 20),
    "webroot_allowed_networks": ("list", []),
    "webroot_windows_accept_gpo": ("bool", False),
    "webroot_firewall_backend": ("str", "auto"),
    "webroot_firewalld_zone": ("str", ""),
    "webroot_windows_profiles": ("list", ["domain", "private"]),
    "webroot_iptables_save_path": ("str", "/etc/iptables/rules.v4"),
    "webroot_ip6tables_save_path": ("str", "/etc/iptables/rules.v6"),
    "webroot_ipset_save_path": ("str", "/etc/iptables/ipsets"),
    "webroot_validate_only": ("bool", False),
}
# Only where a rule admits the workstations: the company servers' 50000 and the
# distributors' 50003.
CLIENT_NETWORKS_ROLES = ("client_service", "update_distributor")


def options_of(role):
    return load("roles", role, "meta", "argument_specs.yml")["argument_specs"]["main"]["options"]


@pytest.mark.parametrize("role", [r for r in ROLES if not r.startswith("_")])
def test_argument_specs_cover_every_default(role):
    defaults = load("roles", role, "defaults", "main.yml")
    options = options_of(role)
    own = dict((k, v) for k, v in options.items() if k.startswith(role + "_"))
    assert sorted(defaults) == sorted(own)
    for name, spec in options.items():
        assert spec.get("description"), "%s has no description" % name
        assert name.startswith(role + "_") or (role in COMPONENT_ROLES and name.startswith("webroot_")) or \
            (role == "verify" and name in VERIFY_COLLECTION_WIDE), \
            "%s is neither prefixed with the role name nor a collection-wide variable" % name


# The collection-wide variables the verify role reads (verify_plan.address, its firewall_info task).
VERIFY_COLLECTION_WIDE = {"webroot_address": ("str", None), "webroot_firewall_backend": ("str", "auto"),
                          "webroot_resolve_names": ("bool", True), "webroot_resolve_timeout": ("float", 10)}


def test_verify_lists_the_collection_wide_variables_it_reads_with_their_real_defaults():
    options = options_of("verify")
    assert sorted(k for k in options if k.startswith("webroot_")) == sorted(VERIFY_COLLECTION_WIDE)
    for name, (kind, default) in VERIFY_COLLECTION_WIDE.items():
        assert options[name]["type"] == kind and not options[name].get("required"), name
        if default is None:
            assert "default" not in options[name], name
        else:
            assert options[name]["default"] == default, name
    assert options["webroot_firewall_backend"]["choices"] == ["auto", "firewalld", "ufw", "iptables", "windows"]
    # what the role's task really falls back to
    with open(os.path.join(ROOT, "roles", "verify", "tasks", "checks.yml")) as handle:
        assert "webroot_firewall_backend | default('auto')" in handle.read()


@pytest.mark.parametrize("role", COMPONENT_ROLES)
def test_argument_specs_list_the_collection_wide_variables_with_their_real_defaults(role):
    options = options_of(role)
    wanted = dict(COLLECTION_WIDE)
    if role in CLIENT_NETWORKS_ROLES:
        wanted["webroot_client_networks"] = ("list", [])
    assert sorted(k for k in options if k.startswith("webroot_")) == sorted(wanted)
    for name, (kind, default) in wanted.items():
        spec = options[name]
        assert spec["type"] == kind, name
        assert not spec.get("required"), name
        if default is None:
            assert "default" not in spec, name
        else:
            assert spec["default"] == default, name
    assert options["webroot_firewall_backend"]["choices"] == ["auto", "firewalld", "ufw", "iptables", "windows"]
    assert options["webroot_windows_profiles"]["choices"] == ["domain", "private", "public"]
    assert options["webroot_windows_profiles"]["elements"] == "str"
    for name in ("webroot_max_left_out", "webroot_gather_facts"):
        assert name not in options
        assert name in " ".join(load("roles", role, "meta", "argument_specs.yml")
                                ["argument_specs"]["main"]["description"])


@pytest.mark.parametrize("role", COMPONENT_ROLES)
def test_templated_role_defaults_show_no_default_but_say_where_it_comes_from(role):
    """<role>_backend, _firewalld_zone and _windows_profiles default to a template
    (the collection-wide variable, else a fixed value): the argument spec shows no
    single default, and its description names both."""
    defaults = load("roles", role, "defaults", "main.yml")
    options = options_of(role)
    templated = {
        role + "_backend": ("webroot_firewall_backend", "else C(auto)"),
        role + "_firewalld_zone": ("webroot_firewalld_zone", "else empty (the default zone)"),
        role + "_windows_profiles": ("webroot_windows_profiles", "else C([domain, private])"),
    }
    for name, (var, fallback) in templated.items():
        assert "{{" in defaults[name] and var in defaults[name], name
        assert "default" not in options[name], name
        text = " ".join(options[name]["description"])
        assert "Default: the value of I(%s), %s." % (var, fallback) in text, name
    # The others are plain values, shown as they are.
    for name, value in defaults.items():
        if name not in templated:
            assert "{{" not in str(value)
            assert options[name]["default"] == value, name


def test_every_role_has_argument_specs():
    roles = sorted(os.path.basename(p) for p in glob.glob(os.path.join(ROOT, "roles", "*")))
    assert roles == ROLES

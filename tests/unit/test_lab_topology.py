# -*- coding: utf-8 -*-
# Copyright: (c) 2026, webroot.enterprise contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The lab topology is described once, in lab/hosts.tsv (name, address, init role,
inventory group); these tests fail when a copy of it drifts.

Who reads what:
- scripts/lab.sh and the lab tests (tests/integration/conftest.py ``topology``) read
  lab/hosts.tsv itself; the safety and example labs are that file renamed and moved
  to their own subnet, with the overrides each test states.
- inventories/lab/hosts.yml (Ansible's static inventory, the one users read) and
  molecule/default/molecule.yml (Molecule takes no generated platform list) are
  copies, checked here: the inventory host for host, Molecule's platforms as the
  same hosts named ``wrm-*`` on 198.18.20.0/24 with the same last octet.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import ipaddress
import os

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MANAGED = ("webroot_distributors", "webroot_servers", "webroot_clients")


def tsv():
    rows = []
    with open(os.path.join(ROOT, "lab", "hosts.tsv")) as f:
        for line in f:
            if line.strip() and not line.startswith("#"):
                name, address, kind, group = line.rstrip("\n").split("\t")
                rows.append((name, address, kind, group))
    return rows


def test_the_tsv_is_well_formed():
    rows = tsv()
    assert rows, "lab/hosts.tsv lists no host"
    assert len(set(r[0] for r in rows)) == len(rows)
    for name, address, kind, group in rows:
        assert name.startswith("wr-"), name
        assert ipaddress.ip_address(address) in ipaddress.ip_network("198.18.10.0/24"), name
        assert kind in ("firewalld", "ufw", "iptables", "endpoint"), name
        assert group in MANAGED + ("webroot_update_endpoints",), name
        assert (kind == "endpoint") == (group == "webroot_update_endpoints"), name


def test_the_lab_inventory_is_the_tsv():
    with open(os.path.join(ROOT, "inventories", "lab", "hosts.yml")) as f:
        inv = yaml.safe_load(f)["all"]
    found = []
    for group, body in inv["children"].items():
        for name, hv in (body.get("hosts") or {}).items():
            kind = hv.get("lab_firewall", "endpoint")
            found.append((name, hv["webroot_address"], kind, group))
    assert sorted(found) == sorted(tsv())


def test_the_molecule_platforms_are_the_tsv():
    with open(os.path.join(ROOT, "molecule", "default", "molecule.yml")) as f:
        mol = yaml.safe_load(f)
    host_vars = mol["provisioner"]["inventory"]["host_vars"]
    want, found = [], []
    for name, address, kind, group in tsv():
        octet = address.rsplit(".", 1)[1]
        want.append(("wrm-" + name[len("wr-"):], "198.18.20." + octet, kind, group))
    for p in mol["platforms"]:
        assert p["command"].startswith("/lab/init.sh "), p
        assert len(p["groups"]) == 1, p
        kind = p["command"].split()[1]
        found.append((p["name"], p["ip"], kind, p["groups"][0]))
        hv = host_vars[p["name"]]
        assert hv["webroot_address"] == p["ip"], p["name"]
        assert hv.get("lab_firewall", "endpoint") == kind, p["name"]
    assert sorted(found) == sorted(want)
    assert sorted(host_vars) == sorted(w[0] for w in want)

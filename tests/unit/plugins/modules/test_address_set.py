# -*- coding: utf-8 -*-
# Copyright: (c) 2026, webroot.enterprise contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""address_set against a real kernel ipset, in a network namespace of the test's own
(ipsets are per namespace), read back with the ipset tool itself."""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import shutil
import subprocess
import uuid

import pytest

from ansible_collections.webroot.enterprise.plugins.module_utils import addrset

pytestmark = pytest.mark.skipif(os.geteuid() != 0 or not shutil.which("ipset") or not shutil.which("ip"),
                                reason="needs root, ip and ipset (scripts/setup.sh installs them)")


@pytest.fixture
def netns():
    name = "wr-ut-%s" % uuid.uuid4().hex[:8]
    subprocess.check_call(["ip", "netns", "add", name])
    yield name
    subprocess.call(["ip", "netns", "del", name])


def runner_in(ns):
    def run(args, data=None):
        p = subprocess.run(["ip", "netns", "exec", ns] + args, input=data, capture_output=True, text=True, check=False)
        return p.returncode, p.stdout, p.stderr
    return run


def entries(ns, name):
    out = subprocess.run(["ip", "netns", "exec", ns, "ipset", "save", name], capture_output=True, text=True, check=False)
    if out.returncode:
        return None
    return sorted(l.split()[2] for l in out.stdout.splitlines() if l.startswith("add "))


def test_create_update_check_mode_and_destroy(netns):
    run = runner_in(netns)
    r = addrset.run(run, "ipset", "webroot-t-v4", "ipv4", ["198.18.0.1", "198.18.0.2/31"], "present", False)
    assert r["changed"] and r["added"] == ["198.18.0.1/32", "198.18.0.2/31"]
    assert entries(netns, "webroot-t-v4") == ["198.18.0.1", "198.18.0.2/31"]
    # idempotent
    assert not addrset.run(run, "ipset", "webroot-t-v4", "ipv4", ["198.18.0.2/31", "198.18.0.1/32"], "present", False)["changed"]
    # check mode reports, changes nothing; the diff shows before and after
    r = addrset.run(run, "ipset", "webroot-t-v4", "ipv4", ["198.18.0.1"], "present", True)
    assert r["changed"] and r["removed"] == ["198.18.0.2/31"]
    assert r["diff"]["before"] == "198.18.0.1/32\n198.18.0.2/31\n" and r["diff"]["after"] == "198.18.0.1/32\n"
    assert entries(netns, "webroot-t-v4") == ["198.18.0.1", "198.18.0.2/31"]
    # removal of one entry, then of the set
    addrset.run(run, "ipset", "webroot-t-v4", "ipv4", ["198.18.0.1"], "present", False)
    assert entries(netns, "webroot-t-v4") == ["198.18.0.1"]
    assert addrset.run(run, "ipset", "webroot-t-v4", "ipv4", [], "absent", False)["changed"]
    assert entries(netns, "webroot-t-v4") is None


def test_a_foreign_set_of_another_type_is_left_alone(netns):
    run = runner_in(netns)
    subprocess.check_call(["ip", "netns", "exec", netns, "ipset", "create", "webroot-t-v4", "hash:ip"])
    subprocess.check_call(["ip", "netns", "exec", netns, "ipset", "add", "webroot-t-v4", "198.18.0.7"])
    with pytest.raises(addrset.SetError, match="not ours"):
        addrset.run(run, "ipset", "webroot-t-v4", "ipv4", ["198.18.0.1"], "present", False)
    assert entries(netns, "webroot-t-v4") == ["198.18.0.7"]


def test_family_mismatch_is_refused_before_any_change(netns):
    run = runner_in(netns)
    with pytest.raises(addrset.SetError, match="not an ipv4 address"):
        addrset.run(run, "ipset", "webroot-t-v4", "ipv4", ["2001:db8::1"], "present", False)
    assert entries(netns, "webroot-t-v4") is None


def test_nomatch_entries_of_the_admin_are_kept(netns):
    """An admin's exception in our set ('nomatch': a hole in a wider entry) is neither
    deleted as a stale entry nor added over (which would clear the flag)."""
    run = runner_in(netns)
    ns = ["ip", "netns", "exec", netns]
    subprocess.check_call(ns + ["ipset", "create", "webroot-t-v4", "hash:net", "family", "inet"])
    subprocess.check_call(ns + ["ipset", "add", "webroot-t-v4", "198.18.0.0/24"])
    subprocess.check_call(ns + ["ipset", "add", "webroot-t-v4", "198.18.0.5", "nomatch"])

    def save():
        out = subprocess.run(ns + ["ipset", "save", "webroot-t-v4"], capture_output=True, text=True, check=True)
        return sorted(l for l in out.stdout.splitlines() if l.startswith("add "))

    r = addrset.run(run, "ipset", "webroot-t-v4", "ipv4", ["198.18.0.0/24", "198.18.1.9"], "present", False)
    assert r["removed"] == [] and r["added"] == ["198.18.1.9/32"]
    assert save() == ["add webroot-t-v4 198.18.0.0/24", "add webroot-t-v4 198.18.0.5 nomatch",
                      "add webroot-t-v4 198.18.1.9"]
    # Wanting the excepted address itself does not clear the admin's exception.
    r = addrset.run(run, "ipset", "webroot-t-v4", "ipv4", ["198.18.0.0/24", "198.18.0.5", "198.18.1.9"],
                    "present", False)
    assert not r["changed"]
    assert "add webroot-t-v4 198.18.0.5 nomatch" in save()
    assert subprocess.run(ns + ["ipset", "test", "webroot-t-v4", "198.18.0.5"], capture_output=True,
                          check=False).returncode != 0

# -*- coding: utf-8 -*-
# Copyright: (c) 2026, webroot.enterprise contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A firewalld reload never drops what is not ours.

A new service or ipset of ours reaches the running firewalld only through a reload,
which on its own drops every runtime-only setting (a port opened by hand, a fail2ban
ban: here a runtime-only port and a runtime-only ipset entry) and brings in every
pending permanent one. Until issue 25 the first run refused on such a host; now it
reloads through webroot.enterprise.firewalld_reload, which puts the runtime back:
the first run converges and the runtime-only settings are still in force, and still
runtime-only (never made permanent). It refuses only beside a zone that exists in
the permanent configuration only (a reload would load it for good), and its advice
never says --runtime-to-permanent. (fail2ban itself: test_firewalld_fail2ban.py.)
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from conftest import topology

pytestmark = pytest.mark.lab

HOSTS = topology("wrr-", "198.18.70.0/24", kinds={"client2": "firewalld"}, only=("server1", "client1", "client2"))
NETWORK, SUBNET = "webroot-reload", "198.18.70.0/24"
CLIENT = "wrr-client2"
RUNTIME_ONLY = ("firewall-cmd --permanent --new-ipset=bans --type=hash:ip >/dev/null && firewall-cmd --reload "
                ">/dev/null && firewall-cmd --add-port=2222/tcp >/dev/null && "
                "firewall-cmd --ipset=bans --add-entry=198.18.70.99 >/dev/null")


@pytest.fixture(scope="module")
def lab(lab_factory):
    lab = lab_factory(HOSTS, NETWORK, SUBNET)
    lab.exec_(CLIENT, RUNTIME_ONLY)
    yield lab
    lab.down()


def test_the_first_run_keeps_runtime_only_settings(lab):
    # Before issue 25 this run refused ("... --runtime-to-permanent"): changed deliberately.
    inv = lab.inventory("reload")
    run = lab.playbook(inv, "--limit", CLIENT)
    assert run.rc == 0, run
    assert "runtime-to-permanent" not in run.out
    rich = lab.exec_(CLIENT, "firewall-cmd --list-rich-rules")
    assert ('rule family="ipv4" source ipset="webroot-client-service-v4" service name="webroot-client-service" '
            'accept') in rich, rich
    # The runtime-only settings are still in force, and still runtime-only.
    assert "2222/tcp" in lab.exec_(CLIENT, "firewall-cmd --list-ports")
    assert "2222/tcp" not in lab.exec_(CLIENT, "firewall-cmd --permanent --list-ports")
    assert "198.18.70.99" in lab.exec_(CLIENT, "firewall-cmd --ipset=bans --get-entries")
    assert "198.18.70.99" not in lab.exec_(CLIENT, "firewall-cmd --permanent --ipset=bans --get-entries")


def test_a_zone_not_loaded_yet_refuses_the_reload(lab):
    # A reload would load the zone for good (nothing unloads it without another reload):
    # refused before any change, with advice that keeps fail2ban's bans runtime-only.
    lab.exec_(CLIENT, "firewall-cmd --permanent --new-zone=wrrpending >/dev/null")
    inv = lab.inventory("reload")
    before = lab.rulesets()
    run = lab.playbook(inv, "--limit", CLIENT, "-e", "client_service_port=50010")
    assert run.rc != 0, run
    message = " ".join(run.out.split())
    assert "zone wrrpending is in the permanent configuration only" in message, run
    assert "runtime-to-permanent" not in message, run
    assert lab.rulesets() == before
    assert "2222/tcp" in lab.exec_(CLIENT, "firewall-cmd --list-ports")
    lab.exec_(CLIENT, "firewall-cmd --permanent --delete-zone=wrrpending >/dev/null")


# --- what is not ours stays, even when it names our objects ----------------------
IPT_CLIENT = "wrr-client1"
DENY = 'rule family="ipv4" source address="198.18.70.97" service name="webroot-client-service" reject'
SSH_LOOKALIKE = ('iptables -I INPUT -p tcp --dport 22 -m comment --comment "webroot.enterprise sweep_now jump" '
                 '-j ACCEPT')


def test_a_deny_rule_naming_our_service_is_kept_and_blocks_absent(lab):
    inv = lab.inventory("reload")
    lab.exec_(CLIENT, "firewall-cmd --permanent --add-rich-rule='%s' >/dev/null && firewall-cmd --reload "
                      ">/dev/null" % DENY)
    run = lab.playbook(inv, "--limit", CLIENT)
    assert run.rc == 0, run
    assert DENY in lab.exec_(CLIENT, "firewall-cmd --permanent --list-rich-rules"), run
    before = lab.rulesets()
    run = lab.playbook(inv, "--limit", CLIENT, "-e", "client_service_state=absent")
    assert run.rc != 0, run
    message = " ".join(run.out.split())
    assert "a rule that is not ours" in message and "webroot-client-service" in message, run
    assert lab.rulesets() == before
    assert DENY in lab.exec_(CLIENT, "firewall-cmd --permanent --list-rich-rules")


def test_an_accept_rule_that_only_looks_like_ours_is_never_purged(lab):
    lab.exec_(IPT_CLIENT, SSH_LOOKALIKE)
    inv = lab.inventory("reload")
    for extra in ([], ["-e", "sweep_now_state=absent"]):
        run = lab.playbook(inv, "--limit", IPT_CLIENT, *extra)
        assert run.rc == 0, run
        rules = lab.exec_(IPT_CLIENT, "iptables -S INPUT")
        assert ('-A INPUT -p tcp -m tcp --dport 22 -m comment --comment "webroot.enterprise sweep_now jump" '
                '-j ACCEPT') in rules, rules

# -*- coding: utf-8 -*-
# Copyright: (c) 2026, webroot.enterprise contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Issue 25, item 3: an admin's DROP for one peer applies to our port too (iptables).

Our ACCEPT used to be inserted at the top of INPUT, ahead of a DROP the admin keeps
for one address further down: that peer got through on our port. Now ours goes right
after the last rule that may drop one of its peers' packets (a DROP/REJECT naming an
address or a set, or a jump to a chain holding one, such as fail2ban's), and a rule of
ours found ahead of such a rule is moved after it.

The same on ufw: our allow is inserted after the last ``deny``/``reject`` from one of
its peers' addresses, and an allow of ours ahead of a deny the admin added later is
moved after it (test 3).

Lab: lab/hosts.tsv renamed wbl-* on 198.18.101.0/24, the server (ufw, .21, the peer of
the workstations' inbound rules) and two workstations on iptables. Read with
``iptables -S INPUT`` and ``ufw status numbered``; the expected order is written by hand.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

import pytest
from conftest import topology

pytestmark = pytest.mark.lab

NETWORK, SUBNET = "webroot-peerdeny", "198.18.101.0/24"
HOSTS = topology("wbl-", SUBNET, only=("server1", "client1", "client2"))

IPT_IN = ('-A INPUT -p tcp -m tcp --dport %d -m set --match-set %s src -m comment '
          '--comment "webroot.enterprise %s %d/tcp in" -j ACCEPT')
CLIENT_SERVICE = IPT_IN % (50000, "webroot-client-service-v4", "client_service", 50000)
SWEEP_NOW = IPT_IN % (50001, "webroot-sweep-now-v4", "sweep_now", 50001)
POLL_NOW = IPT_IN % (50002, "webroot-poll-now-v4", "poll_now", 50002)
# The lab's init.sh rules (iptables hosts).
LAB = ["-A INPUT -i lo -j ACCEPT",
       "-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT",
       '-A INPUT -p tcp -m tcp --dport 22 -m comment --comment "lab: management" -j ACCEPT']
# The admins' DROPs for the server (the peer of all three rules of ours).
DROP_SWEEP = ('-A INPUT -s 198.18.101.21/32 -p tcp -m tcp --dport 50001 '
              '-m comment --comment "acme: no sweeps from server1" -j DROP')
DROP_POLL = ('-A INPUT -s 198.18.101.21/32 -p tcp -m tcp --dport 50002 '
             '-m comment --comment "acme: no polls from server1" -j DROP')


@pytest.fixture(scope="module")
def lab(lab_factory):
    lab = lab_factory(HOSTS, NETWORK, SUBNET)
    lab.exec_("wbl-client1", "iptables -A INPUT -s 198.18.101.21/32 -p tcp --dport 50001 "
                             "-m comment --comment 'acme: no sweeps from server1' -j DROP")
    # (a network: a deny of exactly one of our (address, port) pairs is the same ufw rule
    # as our allow, which ufw then skips: the admin's deny stays, ours is not added)
    lab.exec_("wbl-server1", "ufw deny from 198.18.101.32/31 to any port 50000 proto tcp comment 'acme: not client2'")
    lab.inv = lab.inventory("main")
    yield lab
    lab.down()


def chain(lab, name):
    return [l for l in lab.exec_(name, "iptables -S INPUT").splitlines() if l.startswith("-A ")]


def test_1_a_new_rule_of_ours_goes_after_the_admins_drop_for_a_peer(lab):
    run = lab.playbook(lab.inv)
    assert run.rc == 0, run
    # sweep_now's ACCEPT after the admin's DROP of server1 on 50001; the others at
    # the top (no rule of the admin's may drop their peers), poll_now inserted last.
    assert chain(lab, "wbl-client1") == [POLL_NOW, CLIENT_SERVICE] + LAB + [DROP_SWEEP, SWEEP_NOW]
    assert chain(lab, "wbl-client2") == [POLL_NOW, SWEEP_NOW, CLIENT_SERVICE] + LAB
    # ufw (the server): the allows on 50000 after the admin's deny of client2 there,
    # the others first (ufw status numbered, IPv4 rules).
    numbered = [l for l in lab.exec_("wbl-server1", "ufw status numbered").splitlines()
                if l.startswith("[") and "(v6)" not in l]
    deny = [i for i, l in enumerate(numbered) if "DENY IN" in l and "198.18.101.32/31" in l and "acme: not client2" in l]
    allows = dict((i, l) for i, l in enumerate(numbered) if "ALLOW IN" in l and "webroot.enterprise" in l)
    assert len(deny) == 1 and len(allows) == 4, numbered
    to = dict((i, re.search(r"\]\s+(\S+)", l).group(1)) for i, l in allows.items())
    after = sorted(i for i in allows if to[i] == "50000/tcp")
    before = sorted(i for i in allows if to[i] in ("50001/tcp", "50002/tcp"))
    assert len(after) == 2 and min(after) > deny[0] and len(before) == 2 and max(before) < deny[0], numbered


def test_2_a_rule_of_ours_ahead_of_a_later_drop_is_moved_after_it(lab):
    lab.exec_("wbl-client2", "iptables -A INPUT -s 198.18.101.21/32 -p tcp --dport 50002 "
                             "-m comment --comment 'acme: no polls from server1' -j DROP")
    run = lab.playbook(lab.inv)
    assert run.rc == 0, run
    recap = run.recap()
    assert recap["wbl-client2"]["changed"] > 0 and recap["wbl-client1"]["changed"] == 0, run
    assert chain(lab, "wbl-client2") == [SWEEP_NOW, CLIENT_SERVICE] + LAB + [DROP_POLL, POLL_NOW]
    # Saved for boot in that order too.
    saved = [l for l in lab.exec_("wbl-client2", "cat /etc/iptables/rules.v4").splitlines() if l.startswith("-A INPUT")]
    assert saved == [SWEEP_NOW, CLIENT_SERVICE] + LAB + [DROP_POLL, POLL_NOW]
    again = lab.playbook(lab.inv)
    hosts = ("wbl-client1", "wbl-client2", "wbl-server1")
    assert again.rc == 0 and all(again.recap()[h]["changed"] == 0 for h in hosts), again


def ufw_numbered(lab):
    return [l for l in lab.exec_("wbl-server1", "ufw status numbered").splitlines()
            if l.startswith("[") and "(v6)" not in l]


def test_3_an_allow_of_ours_ahead_of_a_later_ufw_deny_is_moved_after_it(lab):
    # The admin denies client1's /31 on 50000 after our run: ufw appends it, after ours.
    lab.exec_("wbl-server1", "ufw deny from 198.18.101.30/31 to any port 50000 proto tcp comment 'acme: later'")
    numbered = ufw_numbered(lab)
    later = [i for i, l in enumerate(numbered) if "acme: later" in l]
    ours_50000 = [i for i, l in enumerate(numbered) if "ALLOW IN" in l and "webroot.enterprise client_service" in l]
    assert len(later) == 1 and len(ours_50000) == 2 and max(ours_50000) < later[0], numbered
    run = lab.playbook(lab.inv)
    assert run.rc == 0, run
    recap = run.recap()
    assert recap["wbl-server1"]["changed"] > 0 and recap["wbl-client1"]["changed"] == 0, run
    numbered = ufw_numbered(lab)
    denies = [i for i, l in enumerate(numbered) if "DENY IN" in l and ("acme: later" in l or "acme: not client2" in l)]
    allows = dict((i, re.search(r"\]\s+(\S+)", l).group(1)) for i, l in enumerate(numbered)
                  if "ALLOW IN" in l and "webroot.enterprise" in l)
    # Both allows on 50000 (from .31 and .32) now after both denies; 50001 and 50002 first.
    assert len(denies) == 2 and len(allows) == 4, numbered
    assert sorted(i for i in allows if allows[i] == "50000/tcp") == [max(denies) + 1, max(denies) + 2], numbered
    assert all(i < min(denies) for i in allows if allows[i] != "50000/tcp"), numbered
    again = lab.playbook(lab.inv)
    assert again.rc == 0 and all(again.recap()[h]["changed"] == 0
                                 for h in ("wbl-client1", "wbl-client2", "wbl-server1")), again

# -*- coding: utf-8 -*-
# Copyright: (c) 2026, webroot.enterprise contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""firewalld deploys beside fail2ban and podman (issue 25, item 2, and two of item 3).

A firewalld workstation runs Debian's fail2ban with its firewalld ban action
(``banaction = firewallcmd-rich-rules``: a ban is a runtime-only reject rich rule),
with one address banned through ``fail2ban-client``, a port opened by hand at
runtime and a bridge bound to the trusted zone at runtime as podman does. The first
deployment needs a reload (our ipsets are new); it converges, and afterwards the
ban, the port and the binding are in force, everything that is not ours is as it
was (runtime and permanent, read with firewall-cmd), and our flows work: the
allowed peer connects, another host does not.

Then: a run stopped between creating our service and ipset and the reload (left as
such a run leaves it: the service file and the permanent ipset with its entries,
nothing loaded) is completed by the next run; our service used by the admin in
another zone is kept; a policy that uses it keeps it from being removed.

Expectations are written by hand and read with firewall-cmd and fail2ban-client.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import time

import pytest

from conftest import topology

pytestmark = pytest.mark.lab

NETWORK, SUBNET = "webroot-f2b", "198.18.110.0/24"
HOSTS = topology("wf-", SUBNET, kinds={"server1": "firewalld", "client1": "firewalld", "client2": "firewalld"},
                 only=("server1", "client1", "client2"))
F2B, STOPPED = "wf-client2", "wf-client1"
SERVER, SERVER_IP = "wf-server1", "198.18.110.21/32"
BANNED = "198.18.110.99"
JAIL = """[DEFAULT]
banaction = firewallcmd-rich-rules
banaction_allports = firewallcmd-rich-rules

[sshd]
enabled = true
backend = polling
logpath = /var/log/wf-auth.log
"""
# fail2ban started as the lab measured it (docs: LAB.md), one address banned; a port
# opened by hand at runtime; a bridge bound to the trusted zone at runtime (podman's
# footprint on a firewalld host).
SETUP = ("cat > /etc/fail2ban/jail.local <<'EOF'\n%sEOF\n"
         ": > /var/log/wf-auth.log; mkdir -p /run/fail2ban; fail2ban-client start >/dev/null; "
         "firewall-cmd --add-port=2222/tcp >/dev/null; "
         "ip link add wfpod0 type bridge && firewall-cmd --zone=trusted --add-interface=wfpod0 >/dev/null" % JAIL)
OURS = [('rule family="ipv4" source ipset="webroot-%s-v4" service name="webroot-%s" accept' % (c, c))
        for c in ("client-service", "poll-now", "sweep-now")]


def wait_for(lab, host, script, seconds=60):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if lab.exec_(host, script + " >/dev/null 2>&1 && echo yes || true").strip() == "yes":
            return
        time.sleep(1)
    raise AssertionError("%s: %s never held" % (host, script))


def not_ours(lab, host):
    """Everything firewalld holds that is not ours (runtime and permanent, firewall-cmd)."""
    return lab.foreign(lab.by_name[host])


def flows(lab, source, targets):
    """webroot.enterprise.port_check from ``source`` (as tests/integration do)."""
    result = lab.module([source], "webroot.enterprise.port_check", timeout=2, targets=targets)[source]
    assert not result.get("failed"), dict(result)
    return dict(((r["host"], r["port"]), r["state"]) for r in result["results"])


@pytest.fixture(scope="module")
def lab(lab_factory):
    lab = lab_factory(HOSTS, NETWORK, SUBNET)
    lab.exec_(F2B, SETUP)
    wait_for(lab, F2B, "fail2ban-client ping")
    lab.exec_(F2B, "fail2ban-client set sshd banip %s" % BANNED)
    wait_for(lab, F2B, "firewall-cmd --list-rich-rules | grep -qF '%s'" % BANNED)
    yield lab
    lab.down()


def test_first_deployment_beside_fail2ban_keeps_the_ban_and_the_runtime(lab):
    ban = [r for r in lab.exec_(F2B, "firewall-cmd --list-rich-rules").splitlines() if BANNED in r]
    assert len(ban) == 1 and "reject" in ban[0], ban
    assert BANNED not in lab.exec_(F2B, "firewall-cmd --permanent --list-rich-rules")
    before = not_ours(lab, F2B)
    run = lab.playbook(lab.inventory("f2b"), "--limit", F2B)
    assert run.rc == 0, run
    assert "runtime-to-permanent" not in run.out
    # The ban, the port and the binding are in force, at runtime only, as before.
    assert ban[0] in lab.exec_(F2B, "firewall-cmd --list-rich-rules").splitlines()
    assert BANNED not in lab.exec_(F2B, "firewall-cmd --permanent --list-rich-rules")
    assert "2222/tcp" in lab.exec_(F2B, "firewall-cmd --list-ports").split()
    assert "2222/tcp" not in lab.exec_(F2B, "firewall-cmd --permanent --list-ports").split()
    assert "wfpod0" in lab.exec_(F2B, "firewall-cmd --zone=trusted --list-interfaces").split()
    assert BANNED in lab.exec_(F2B, "fail2ban-client status sshd")
    assert not_ours(lab, F2B) == before
    # Ours, runtime and permanent.
    for flag in ("", "--permanent "):
        rich = lab.exec_(F2B, "firewall-cmd %s--list-rich-rules" % flag).splitlines()
        assert sorted(r for r in rich if "webroot-" in r) == OURS, rich
        assert lab.exec_(F2B, "firewall-cmd %s--ipset=webroot-sweep-now-v4 --get-entries" % flag).split() == [
            SERVER_IP]
    # Our flows: the server connects, the other workstation does not.
    lab.exec_(F2B, "nohup python3 /lab/listen.py 60 50000 50001 50002 >/dev/null 2>&1 &")
    ports = (50000, 50001, 50002)
    assert flows(lab, SERVER, [{"host": "198.18.110.32", "port": p, "expect": "open"} for p in ports]) == dict(
        (("198.18.110.32", p), "open") for p in ports)
    assert flows(lab, STOPPED, [{"host": "198.18.110.32", "port": p, "expect": "filtered"} for p in ports]) == dict(
        (("198.18.110.32", p), "filtered") for p in ports)
    # Converged: a second run changes nothing and needs no reload.
    run = lab.playbook(lab.inventory("f2b"), "--limit", F2B)
    assert run.rc == 0 and run.recap()[F2B]["changed"] == 0, run
    assert ban[0] in lab.exec_(F2B, "firewall-cmd --list-rich-rules").splitlines()


SERVICE_XML = ('<?xml version="1.0" encoding="utf-8"?>\n<service>\n  <short>Webroot Sweep Now</short>\n'
               '  <port protocol="tcp" port="50001"/>\n</service>\n')


def test_a_run_stopped_before_its_reload_is_completed_by_the_next(lab):
    # What a run leaves when it stops after writing our service and creating our
    # ipset with its entries, before its reload: both in the permanent configuration
    # only. The running firewalld knows neither, so the rich rule cannot be added
    # until a reload; the next run must do it.
    lab.exec_(STOPPED, "cat > /etc/firewalld/services/webroot-sweep-now.xml <<'EOF'\n%sEOF\n"
                       "firewall-cmd --permanent --new-ipset=webroot-sweep-now-v4 --type=hash:net "
                       "--option=family=inet >/dev/null && "
                       "firewall-cmd --permanent --ipset=webroot-sweep-now-v4 --add-entry=%s >/dev/null"
              % (SERVICE_XML, SERVER_IP))
    wait_for(lab, STOPPED, "firewall-cmd --permanent --get-services | tr ' ' '\\n' | grep -qx webroot-sweep-now",
             seconds=30)
    assert "webroot-sweep-now-v4" not in lab.exec_(STOPPED, "firewall-cmd --get-ipsets").split()
    lab.exec_(STOPPED, "firewall-cmd --add-port=2223/tcp >/dev/null")
    # The component alone (its tag), so that no other component's first run reloads.
    run = lab.playbook(lab.inventory("f2b"), "--limit", STOPPED, "--tags", "sweep_now")
    assert run.rc == 0, run
    for flag in ("", "--permanent "):
        rich = lab.exec_(STOPPED, "firewall-cmd %s--list-rich-rules" % flag).splitlines()
        assert [r for r in rich if "webroot-" in r] == [OURS[2]], rich
    assert lab.exec_(STOPPED, "firewall-cmd --ipset=webroot-sweep-now-v4 --get-entries").split() == [SERVER_IP]
    assert "2223/tcp" in lab.exec_(STOPPED, "firewall-cmd --list-ports").split()
    lab.exec_(STOPPED, "nohup python3 /lab/listen.py 30 50001 >/dev/null 2>&1 &")
    assert flows(lab, SERVER, [{"host": "198.18.110.31", "port": 50001, "expect": "open"}]) == {
        ("198.18.110.31", 50001): "open"}


def test_our_service_used_by_the_admin_in_another_zone_is_kept(lab):
    # On the server (firewalld, no fail2ban): deployed, then the admin uses our service
    # in the zone internal too. Before issue 25 the next run removed it from there.
    run = lab.playbook(lab.inventory("f2b"), "--limit", SERVER)
    assert run.rc == 0, run
    lab.exec_(SERVER, "for p in '' --permanent; do firewall-cmd $p --zone=internal "
                      "--add-service=webroot-client-service >/dev/null; done")
    run = lab.playbook(lab.inventory("f2b"), "--limit", SERVER)
    assert run.rc == 0, run
    for flag in ("", "--permanent "):
        assert "webroot-client-service" in lab.exec_(
            SERVER, "firewall-cmd %s--zone=internal --list-services" % flag).split(), flag
    # Removing the component would delete the service the admin uses: refused, nothing changed.
    before = lab.rulesets([lab.by_name[SERVER]])
    run = lab.playbook(lab.inventory("f2b"), "--limit", SERVER, "-e", "client_service_state=absent")
    assert run.rc != 0 and "webroot-client-service" in " ".join(run.out.split()), run
    assert lab.rulesets([lab.by_name[SERVER]]) == before
    lab.exec_(SERVER, "for p in '' --permanent; do firewall-cmd $p --zone=internal "
                      "--remove-service=webroot-client-service >/dev/null; done")


def test_a_policy_using_our_service_keeps_it(lab):
    # Before issue 25 the service file went, and the policy named a service that no
    # longer exists (firewalld then refuses its next reload).
    lab.exec_(SERVER, "firewall-cmd --permanent --new-policy=wfpol >/dev/null && "
                      "firewall-cmd --permanent --policy=wfpol --add-ingress-zone=internal >/dev/null && "
                      "firewall-cmd --permanent --policy=wfpol --add-egress-zone=HOST >/dev/null && "
                      "firewall-cmd --permanent --policy=wfpol --add-service=webroot-poll-now >/dev/null")
    run = lab.playbook(lab.inventory("f2b"), "--limit", SERVER, "-e", "poll_now_state=absent")
    assert run.rc != 0 and "webroot-poll-now" in " ".join(run.out.split()), run
    assert lab.exec_(SERVER, "test -e /etc/firewalld/services/webroot-poll-now.xml && echo kept").strip() == "kept"
    assert "webroot-poll-now" in lab.exec_(SERVER, "firewall-cmd --permanent --policy=wfpol --list-services")
    lab.exec_(SERVER, "firewall-cmd --permanent --delete-policy=wfpol >/dev/null")

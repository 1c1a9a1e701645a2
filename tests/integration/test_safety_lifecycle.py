# -*- coding: utf-8 -*-
# Copyright: (c) 2026, webroot.enterprise contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Safety 2-5: foreign rules survive, no lockout, faults, check and diff mode.

One lab (tests/integration/safety_hosts.tsv: firewalld, ufw and iptables hosts)
for the whole module; the tests are steps of one story and run in file order:

  0. foreign rules are put on every host (iptables comments incl. 50000 from
     another source and a DROP that carries our marker text, ufw rules incl. 50001,
     firewalld ports and rich rules incl. 50003 from another source);
  1. check + diff mode on the fresh lab: every rule it would add is reported, the
     rulesets are identical afterwards;
  2. the first apply as two ansible-playbook processes at once: ours exactly once;
  3. the same again: nothing changes;
  4. firewall reload and a simulated reboot (runtime flushed, the backend's own
     persistence restores): ours back exactly once;
  5. a scope change (a client's webroot_address changes, another client leaves the
     groups) while the server is unreachable (podman pause): the others converge;
  6. the same run killed half-way, then run to the end: everything converges, no
     stale rule of ours and no duplicate stays;
  7. firewalld stopped on a firewalld host: a clear error, nothing applied there
     (not even through another backend); firewalld back: ours exactly once;
  8. every role with state absent: none of ours is left, every foreign rule is.

After every step every foreign rule is still there unchanged, the lab's
'lab: management' rule is present and the hosts answer. The Windows side of the
same guarantees is tested against the Windows Firewall simulator in
tests/integration/test_windows_simulated.py (foreign rules, rules named like ours
outside our group, duplicates).
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import difflib
import os
import re
import time

import pytest

pytestmark = pytest.mark.lab

HERE = os.path.dirname(os.path.abspath(__file__))
TSV = os.path.join(HERE, "safety_hosts.tsv")
NETWORK, SUBNET = "webroot-safety", "198.18.30.0/24"

# Rules that are not ours, by lab init role. Each line is one rule.
FOREIGN = {
    "iptables": [
        'iptables -I INPUT -p tcp -s 198.18.30.99 --dport 50000 -m comment --comment "acme: monitoring 50000" -j ACCEPT',
        'iptables -A INPUT -p tcp --dport 8080 -m comment --comment "acme: web" -j ACCEPT',
        "iptables -A INPUT -p tcp -s 198.18.30.98 --dport 50002 -j ACCEPT",
        'iptables -A INPUT -p tcp --dport 50001 -m comment --comment "webroot.enterprise-legacy sweep_now 50001/tcp in" -j ACCEPT',
        'iptables -A INPUT -p tcp -s 198.18.30.97 --dport 50003 -m comment '
        '--comment "webroot.enterprise update_distributor 50003/tcp in" -j DROP',
        'iptables -A OUTPUT -p tcp -d 198.18.30.99 --dport 443 -m comment --comment "acme: proxy" -j ACCEPT',
    ],
    "ufw": [
        "ufw allow from 198.18.30.99 to any port 50001 proto tcp comment 'acme: sweeper 50001'",
        "ufw allow 8443/tcp comment 'acme: console'",
        "ufw deny from 198.18.30.97 to any port 50002 proto tcp comment 'webroot.enterprise poll_now 50002/tcp in'",
        "ufw allow out to 198.18.30.99 port 443 proto tcp comment 'acme: proxy'",
        "ufw limit 2200/tcp",
    ],
    "firewalld": [
        "firewall-cmd --permanent --add-port=8081/tcp",
        "firewall-cmd --permanent --add-rich-rule='rule family=\"ipv4\" source address=\"198.18.30.99\" "
        "port port=\"50003\" protocol=\"tcp\" accept'",
        "firewall-cmd --permanent --add-rich-rule='rule family=\"ipv4\" source address=\"198.18.30.98\" "
        "port port=\"50000\" protocol=\"tcp\" accept'",
        "firewall-cmd --permanent --add-service=http",
        "firewall-cmd --permanent --zone=internal --add-port=9090/tcp",
    ],
}
SEED_END = {
    "iptables": "mkdir -p /etc/iptables && iptables-save > /etc/iptables/rules.v4",
    "ufw": "true",
    "firewalld": "firewall-cmd --reload >/dev/null",
}
ALL_ABSENT = ["-e", "update_service_state=absent", "-e", "update_distributor_state=absent",
              "-e", "client_service_state=absent", "-e", "sweep_now_state=absent",
              "-e", "poll_now_state=absent"]
# Step 5-8: client1 is seen at another address, client2 left the webroot groups.
SCOPE = {"hostvars": {"wrs-client1": {"webroot_address": "198.18.30.35"}}, "drop": ["wrs-client2"]}


@pytest.fixture(scope="module")
def lab(lab_factory, safety_summary):
    lab = lab_factory(TSV, NETWORK, SUBNET)
    seeded = 0
    for host in lab.managed:
        lines = FOREIGN[host.kind]
        lab.exec_(host.name, " && ".join(lines + [SEED_END[host.kind]]) + " >/dev/null")
        seeded += len(lines)
    lab.inv = lab.inventory("main")
    lab.inv_scope = lab.inventory("scope", **SCOPE)
    lab.fresh = lab.rulesets()
    lab.foreign0 = lab.foreigns()
    lab.summary = safety_summary.setdefault("lifecycle", {
        "foreign_rules_seeded": seeded, "foreign_rule_checks": 0, "scenarios": [],
        "faults_survived": [], "management_checks": 0, "runs": []})
    yield lab
    for host in lab.hosts:  # never leave a paused container behind
        lab.podman("unpause", host.name, check=False)
    lab.down()


def _diff(a, b):
    return "\n".join(difflib.unified_diff(a.splitlines(), b.splitlines(), "before", "after", lineterm=""))


def _note(lab, run, label):
    lab.summary["runs"].append({"step": label, "rc": run.rc, "seconds": round(run.seconds, 1)})


def assert_safe(lab, scenario, inventory=None, hosts=None, extra=None, fault=None):
    """Every foreign rule unchanged, ours exactly the wanted ones (no duplicate, no
    stale), management admitted. ``inventory``: None skips the check of ours."""
    hosts = [h for h in lab.managed if hosts is None or h.name in hosts]
    foreign = lab.foreigns(hosts)
    for h in hosts:
        assert foreign[h.name] == lab.foreign0[h.name], "%s: a foreign rule changed after %s:\n%s" % (
            h.name, scenario, _diff(lab.foreign0[h.name], foreign[h.name]))
    lab.summary["foreign_rule_checks"] += sum(len(FOREIGN[h.kind]) for h in hosts)
    if inventory is not None:
        ours = lab.ours_all(hosts)
        for h in hosts:
            want = lab.expected(inventory, h, extra)
            if want is None:
                continue
            dups = set(x for x in ours[h.name] if ours[h.name].count(x) > 1)
            assert not dups, "%s: duplicate rules of ours after %s: %s" % (h.name, scenario, sorted(dups))
            assert ours[h.name] == want, "%s after %s:\n  have %s\n  want %s" % (h.name, scenario, ours[h.name], want)
    problems = dict((k, v) for k, v in lab.management_ok(hosts).items() if v)
    assert not problems, problems
    lab.summary["management_checks"] += len(hosts)
    lab.summary["scenarios"].append(scenario)
    if fault:
        lab.summary["faults_survived"].append(fault)


def _items_changed(out):
    """{(host, item label)} of the loop items a run reported as changed."""
    return set(re.findall(r"^changed: \[([^\]]+)\] => \(item=(.*?)\)\s*$", out, re.M))


def test_1_check_and_diff_mode_report_every_change_and_make_none(lab):
    run = lab.playbook(lab.inv, "--check", "--diff")
    _note(lab, run, "check+diff")
    assert run.rc == 0, run
    after = lab.rulesets()
    for name, text in lab.fresh.items():
        assert after[name] == text, "%s changed in check mode:\n%s" % (name, _diff(text, after[name]))
    changed = _items_changed(run.out)
    missing = []
    for h in lab.managed:
        for (comp, direction, peer, port, proto) in set(e[:5] for e in lab.expected(lab.inv, h)):
            label = "webroot.enterprise %s %s/%s %s %s" % (comp, port, proto, direction, peer or "any")
            if (h.name, label) not in changed:
                missing.append((h.name, label))
    assert not missing, "check mode did not report: %s\n%r" % (missing, run)
    # --diff: the firewalld service definitions it would write are shown.
    for h in lab.managed:
        if h.kind == "firewalld":
            assert re.search(r"\+\+\+ after: .*firewalld-service\.xml", run.out), run
            assert '<port protocol="tcp" port="50003"/>' in run.out, run
    assert_safe(lab, "check mode on a fresh lab")
    lab.summary["check_mode_changes_reported"] = len(changed)


def test_2_two_concurrent_first_applies_leave_each_rule_once(lab):
    procs = [lab.start_playbook(lab.inv) for _run in range(2)]
    rcs = []
    for proc, log in procs:
        rcs.append(proc.wait(timeout=900))
    outs = [open(log).read() for _proc, log in procs]
    lab.summary["runs"].append({"step": "concurrent apply x2", "rc": rcs})
    assert_safe(lab, "two concurrent first applies", lab.inv, fault="two concurrent runs")
    # Either both succeed, or one lost a race against the other: then a rerun
    # converges without duplicates (step 3 proves it).
    assert 0 in rcs, outs


def test_3_reapply_changes_nothing(lab):
    run = lab.playbook(lab.inv)
    _note(lab, run, "reapply")
    assert run.rc == 0, run
    recap = run.recap()
    assert all(recap[h.name]["changed"] == 0 for h in lab.managed), run
    assert_safe(lab, "re-apply (back to back)", lab.inv, fault="back-to-back runs")


FIREWALLD_PIDS = "ps -eo pid,comm,args | awk '$2 != \"sh\" && /[f]irewalld --nofork/ {print $1}'"
START_FIREWALLD = "exec firewalld --nofork --nopid >/var/log/firewalld.console 2>&1"


def _stop_firewalld(lab, name):
    """Stop the firewalld this test (or the lab's init) started in that container, by pid."""
    pids = lab.exec_(name, FIREWALLD_PIDS).split()
    assert pids, "no firewalld in " + name
    lab.exec_(name, "kill %s" % " ".join(pids))
    lab.wait_firewalld(name, running=False)


def _start_firewalld(lab, name):
    lab.podman("exec", "-d", name, "sh", "-c", START_FIREWALLD)
    lab.wait_firewalld(name, running=True)


def _restart_firewalld(lab, name):
    _stop_firewalld(lab, name)
    _start_firewalld(lab, name)


def test_4_reload_and_reboot_bring_ours_back_exactly_once(lab):
    reload_cmd = {"firewalld": "firewall-cmd --reload", "ufw": "ufw reload",
                  "iptables": "iptables-restore < /etc/iptables/rules.v4"}
    lab.each(lambda h: lab.exec_(h.name, reload_cmd[h.kind]))
    assert_safe(lab, "firewall reload", lab.inv, fault="firewall reload")

    # Simulated reboot: the runtime rules are gone, the backend's own persistence
    # (firewalld's permanent config, ufw's user.rules, the saved rules.v4) restores.
    def reboot(h):
        if h.kind == "iptables":
            flushed = lab.exec_(h.name, "iptables -P INPUT ACCEPT; iptables -P OUTPUT ACCEPT; "
                                        "iptables -F; iptables -X; iptables-save")
            assert "webroot" not in flushed
            lab.exec_(h.name, "iptables-restore < /etc/iptables/rules.v4")
        elif h.kind == "ufw":
            lab.exec_(h.name, "ufw disable >/dev/null && ufw --force enable >/dev/null")
        else:
            _restart_firewalld(lab, h.name)
    lab.each(reboot)
    assert_safe(lab, "simulated reboot", lab.inv, fault="simulated reboot")


def test_5_scope_change_with_an_unreachable_host(lab):
    lab.podman("pause", "wrs-server1")
    try:
        run = lab.playbook(lab.inv_scope)
    finally:
        lab.podman("unpause", "wrs-server1")
    _note(lab, run, "scope change, server1 paused")
    assert run.rc != 0, run
    recap = run.recap()
    assert recap["wrs-server1"]["unreachable"] + recap["wrs-server1"]["failed"] > 0, run
    others = [h.name for h in lab.managed if h.name not in ("wrs-server1", "wrs-client2")]
    for name in others:
        assert recap[name]["failed"] == 0 and recap[name]["unreachable"] == 0, run
    assert_safe(lab, "scope change with a host lost", lab.inv_scope, hosts=others, fault="host lost during a run")
    # The lost host was not touched: its rules are still the old scope's.
    server = lab.by_name["wrs-server1"]
    assert lab.ours(server) == lab.expected(lab.inv, server)


def test_6_killed_run_then_rerun_converges_without_stale_rules(lab):
    proc, log = lab.start_playbook(lab.inv_scope)
    deadline = time.time() + 600
    marker = "Admit each peer | client_service]"
    while time.time() < deadline and proc.poll() is None:
        if marker in open(log).read():
            break
        time.sleep(0.2)
    killed = proc.poll() is None
    lab.kill_group(proc)
    lab.summary["runs"].append({"step": "scope change, killed mid-run", "killed": killed})
    assert killed, "the run ended before it could be interrupted:\n" + open(log).read()[-3000:]

    run = lab.playbook(lab.inv_scope)
    _note(lab, run, "rerun after the kill")
    assert run.rc == 0, run
    assert_safe(lab, "scope change (killed, rerun)", lab.inv_scope,
                hosts=[h.name for h in lab.managed if h.name != "wrs-client2"], fault="run killed mid-way")
    # No rule of ours anywhere still admits client1's old address or client2.
    for h in lab.managed:
        if h.name == "wrs-client2":
            continue
        stale = [r for r in lab.ours(h) if r[2] in ("198.18.30.31/32", "198.18.30.32/32")]
        assert not stale, (h.name, stale)
    # client2 is no longer managed: its foreign rules are untouched too.
    assert_safe(lab, "client2 out of the groups", hosts=["wrs-client2"])


def test_7_stopped_firewalld_is_a_clear_error_and_nothing_is_applied(lab):
    host = lab.by_name["wrs-dist1"]
    _stop_firewalld(lab, host.name)
    before = lab.ruleset(host) + lab.exec_(host.name, "iptables-save | grep -v '^#'; nft list ruleset")
    run = lab.playbook(lab.inv_scope, "--limit", host.name, "-e", "update_distributor_port=50013")
    _note(lab, run, "firewalld stopped")
    after = lab.ruleset(host) + lab.exec_(host.name, "iptables-save | grep -v '^#'; nft list ruleset")
    try:
        assert run.rc != 0, run
        message = " ".join(run.out.split())
        assert "firewalld is installed and configured on wrs-dist1 but is not running" in message, run
        assert "systemctl start firewalld" in message, run
        assert after == before, _diff(before, after)
        assert "webroot" not in lab.exec_(host.name, "iptables-save; ufw show added 2>/dev/null || true")
    finally:
        _start_firewalld(lab, host.name)
    # firewalld back: ours as before (the refused port change was never applied).
    assert_safe(lab, "firewalld stopped, then started", lab.inv_scope, hosts=[host.name], fault="firewalld stopped")


def test_8_state_absent_removes_ours_and_only_ours(lab):
    run = lab.playbook(lab.inv_scope, *ALL_ABSENT)
    _note(lab, run, "all absent")
    assert run.rc == 0, run
    managed = [h.name for h in lab.managed if h.name != "wrs-client2"]
    absent = dict((c + "_state", "absent") for c in
                  ("update_service", "update_distributor", "client_service", "sweep_now", "poll_now"))
    assert_safe(lab, "state absent for all five roles", lab.inv_scope, hosts=managed, extra=absent)
    for name in managed:
        assert lab.ours(lab.by_name[name]) == [], name
    ping = lab.ping(lab.inv_scope)
    assert ping.rc == 0, ping

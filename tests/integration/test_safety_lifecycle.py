# -*- coding: utf-8 -*-
# Copyright: (c) 2026, webroot.enterprise contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Safety 2-5: foreign rules survive, no lockout, faults, check and diff mode.

One lab for the whole module: lab/hosts.tsv renamed wrs-* on 198.18.30.0/24, with
wrs-client2 on firewalld (so firewalld, ufw and iptables each hold inbound rules,
and a workstation's firewall is firewalld once). The tests are steps of one story
and run in file order:

  0. foreign rules are put on every host (iptables comments incl. 50000 from
     another source and a DROP that carries our marker text, ufw rules incl. 50001,
     firewalld ports and rich rules incl. 50003 from another source);
  1. check + diff mode on the fresh lab: every set, set entry and rule it would add
     is reported, the rulesets are identical afterwards;
  2. the first apply as two ansible-playbook processes at once: each run's outcome
     is asserted, and ours are there exactly once;
  3. the same again: nothing changes;
  4. firewall reload and a simulated reboot (runtime flushed, the backend's own
     persistence restores: ipsets before rules on iptables): ours back exactly once;
  5. a scope change (a client's webroot_address changes, another client leaves the
     groups) while the server is unreachable (podman pause): the others converge;
  6. the same run killed half-way, then run to the end: everything converges, no
     stale set entry or rule of ours and no duplicate stays;
  7. firewalld stopped on a firewalld host: a clear error, nothing applied there
     (not even through another backend); firewalld back: ours exactly once;
  8. every role with state absent: none of ours is left (no rule, no set, no
     service), every foreign rule is.

What each host must hold after each step is written out below by hand, from Table 11
and the step's inventory (HOLD_MAIN, HOLD_SCOPE, HOLD_ABSENT), and read back with the
firewall's own tools through pytest-ansible (iptables-save, ipset save, the saved
files, firewall-cmd --list-rich-rules / --get-entries runtime and permanent, ufw show
added / status numbered): nothing here uses the collection's code. After every step
every foreign rule is still there unchanged, the lab's 'lab: management' rule is
present and the hosts answer. The Windows side of the same guarantees is tested
against the Windows Firewall simulator in tests/integration/test_windows_simulated.py.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import difflib
import re
import time

import pytest
from conftest import topology

pytestmark = pytest.mark.lab

# lab/hosts.tsv renamed and moved; client2 runs firewalld here (see the docstring).
HOSTS = topology("wrs-", "198.18.30.0/24", kinds={"client2": "firewalld"})
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


# --- what each host must hold, by hand -----------------------------------------
# From Table 11 (README) for this lab: distributors dist1 (firewalld, .11) and dist2
# (iptables, .12), server1 (ufw, .21), client1 (iptables, .31), client2 (firewalld,
# .32), the update endpoint update1 (.41). One set per component and family, one
# rule naming it; ufw one rule per peer; firewalld has no outbound rule.
IPT_IN = ('-A INPUT -p tcp -m tcp --dport %d -m set --match-set %s src -m comment '
          '--comment "webroot.enterprise %s %d/tcp in" -j ACCEPT')
UFW_IN = "ufw allow from %s to any port %d proto tcp comment 'webroot.enterprise %s %d/tcp in'"
RICH = 'rule family="ipv4" source ipset="%s" service name="%s" accept'

DIST_IPT_RULES = [
    IPT_IN % (50003, "webroot-update-distributor-v4", "update_distributor", 50003),
    '-A OUTPUT -p tcp -m tcp --dport 443 -m set --match-set webroot-update-service-v4 dst -m comment '
    '--comment "webroot.enterprise update_service 443/tcp out" -j ACCEPT',
]
CLIENT_IPT_RULES = [
    IPT_IN % (50000, "webroot-client-service-v4", "client_service", 50000),
    IPT_IN % (50001, "webroot-sweep-now-v4", "sweep_now", 50001),
    IPT_IN % (50002, "webroot-poll-now-v4", "poll_now", 50002),
]
CLIENT_RICH = [
    RICH % ("webroot-client-service-v4", "webroot-client-service"),
    RICH % ("webroot-poll-now-v4", "webroot-poll-now"),
    RICH % ("webroot-sweep-now-v4", "webroot-sweep-now"),
]
CLIENT_SERVICES = {"webroot-client-service": "50000/tcp", "webroot-sweep-now": "50001/tcp",
                   "webroot-poll-now": "50002/tcp"}
SERVER = ["198.18.30.21"]            # ipset save writes a /32 entry as an address
SERVER_FWD = ["198.18.30.21/32"]     # firewall-cmd --get-entries keeps the prefix


def ipt(rules, sets):
    """An iptables host: its rules (v4) and its ipsets {name: entries}."""
    return {"ipv4": sorted(rules), "ipv6": [],
            "sets": dict((n, {"type": "hash:net", "family": "inet", "entries": sorted(e)}) for n, e in sets.items())}


def fwd(rich, sets, services):
    """A firewalld host: rich rules and ipsets, the same at runtime and permanent."""
    zone = {"rich": sorted(rich), "services": [],
            "ipsets": dict((n, {"type": "hash:net", "entries": sorted(e)}) for n, e in sets.items())}
    return {"runtime": zone, "permanent": zone, "service_files": services}


def ufw(rules):
    return {"rules": sorted(rules)}


HOLD_MAIN = {  # the lab's own inventory
    "wrs-dist1": fwd([RICH % ("webroot-update-distributor-v4", "webroot-update-distributor")],
                     {"webroot-update-distributor-v4": ["198.18.30.31/32", "198.18.30.32/32"]},
                     {"webroot-update-distributor": "50003/tcp"}),
    "wrs-dist2": ipt(DIST_IPT_RULES, {"webroot-update-distributor-v4": ["198.18.30.31", "198.18.30.32"],
                                      "webroot-update-service-v4": ["198.18.30.41"]}),
    "wrs-server1": ufw([UFW_IN % ("198.18.30.31", 50000, "client_service", 50000),
                        UFW_IN % ("198.18.30.32", 50000, "client_service", 50000),
                        UFW_IN % ("198.18.30.21", 50001, "sweep_now", 50001),
                        UFW_IN % ("198.18.30.21", 50002, "poll_now", 50002)]),
    "wrs-client1": ipt(CLIENT_IPT_RULES, {"webroot-client-service-v4": SERVER, "webroot-sweep-now-v4": SERVER,
                                          "webroot-poll-now-v4": SERVER}),
    "wrs-client2": fwd(CLIENT_RICH, {"webroot-client-service-v4": SERVER_FWD, "webroot-sweep-now-v4": SERVER_FWD,
                                     "webroot-poll-now-v4": SERVER_FWD}, CLIENT_SERVICES),
}
HOLD_SCOPE = {  # client1 seen at .35, client2 out of the groups
    "wrs-dist1": fwd([RICH % ("webroot-update-distributor-v4", "webroot-update-distributor")],
                     {"webroot-update-distributor-v4": ["198.18.30.35/32"]},
                     {"webroot-update-distributor": "50003/tcp"}),
    "wrs-dist2": ipt(DIST_IPT_RULES, {"webroot-update-distributor-v4": ["198.18.30.35"],
                                      "webroot-update-service-v4": ["198.18.30.41"]}),
    "wrs-server1": ufw([UFW_IN % ("198.18.30.35", 50000, "client_service", 50000),
                        UFW_IN % ("198.18.30.21", 50001, "sweep_now", 50001),
                        UFW_IN % ("198.18.30.21", 50002, "poll_now", 50002)]),
    "wrs-client1": HOLD_MAIN["wrs-client1"],
    "wrs-client2": HOLD_MAIN["wrs-client2"],  # no longer managed: left as it was
}
HOLD_ABSENT = {
    "wrs-dist1": fwd([], {}, {}),
    "wrs-dist2": ipt([], {}),
    "wrs-server1": ufw([]),
    "wrs-client1": ipt([], {}),
    "wrs-client2": fwd([], {}, {}),
}
# What check mode must show with --diff, per host: the lines of ours it would add,
# one per rule, set entry and firewalld service (the "+" lines of the diffs).
_ZRICH = "zone public: " + RICH
CHECK_DIFF = {
    "wrs-dist1": ["service webroot-update-distributor: 50003/tcp",
                  _ZRICH % ("webroot-update-distributor-v4", "webroot-update-distributor"),
                  "webroot-update-distributor-v4: 198.18.30.31/32",
                  "webroot-update-distributor-v4: 198.18.30.32/32"],
    "wrs-dist2": ["ipv4 INPUT 50003/tcp from set webroot-update-distributor-v4",
                  "webroot-update-distributor-v4: 198.18.30.31/32",
                  "webroot-update-distributor-v4: 198.18.30.32/32",
                  "ipv4 OUTPUT 443/tcp to set webroot-update-service-v4",
                  "webroot-update-service-v4: 198.18.30.41/32"],
    "wrs-server1": ["allow in 50000/tcp from 198.18.30.31/32",
                    "allow in 50000/tcp from 198.18.30.32/32",
                    "allow in 50001/tcp from 198.18.30.21/32",
                    "allow in 50002/tcp from 198.18.30.21/32"],
    "wrs-client1": ["ipv4 INPUT 50000/tcp from set webroot-client-service-v4",
                    "webroot-client-service-v4: 198.18.30.21/32",
                    "ipv4 INPUT 50001/tcp from set webroot-sweep-now-v4",
                    "webroot-sweep-now-v4: 198.18.30.21/32",
                    "ipv4 INPUT 50002/tcp from set webroot-poll-now-v4",
                    "webroot-poll-now-v4: 198.18.30.21/32"],
    "wrs-client2": ["service webroot-client-service: 50000/tcp",
                    _ZRICH % ("webroot-client-service-v4", "webroot-client-service"),
                    "webroot-client-service-v4: 198.18.30.21/32",
                    "service webroot-sweep-now: 50001/tcp",
                    _ZRICH % ("webroot-sweep-now-v4", "webroot-sweep-now"),
                    "webroot-sweep-now-v4: 198.18.30.21/32",
                    "service webroot-poll-now: 50002/tcp",
                    _ZRICH % ("webroot-poll-now-v4", "webroot-poll-now"),
                    "webroot-poll-now-v4: 198.18.30.21/32"],
}


@pytest.fixture(scope="module")
def lab(lab_factory, safety_summary):
    lab = lab_factory(HOSTS, NETWORK, SUBNET)
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


def assert_holds(lab, scenario, hold, hosts=None):
    """Each host of ``hold`` (or of ``hosts``) holds exactly what ``hold`` says: the
    same rules and sets, none twice, ours ahead of the others, and (iptables) the
    saved files that the boot-time restore reads hold the same."""
    names = [n for n in hold if hosts is None or n in hosts]
    have = lab.holdings([lab.by_name[n] for n in names])
    for name in names:
        got = dict(have[name])
        first = got.pop("ours_first")
        if "saved_sets" in got:
            saved = {"sets": got.pop("saved_sets"), "ipv4": got.pop("saved_ipv4"), "ipv6": got.pop("saved_ipv6")}
            assert saved == dict((k, got[k]) for k in saved), "%s after %s: the saved files differ from the " \
                "running firewall:\n  saved   %s\n  running %s" % (name, scenario, saved, got)
        assert got == hold[name], "%s after %s:\n  have %s\n  want %s" % (name, scenario, got, hold[name])
        assert first, "%s after %s: a rule of ours is not ahead of the others" % (name, scenario)


def assert_safe(lab, scenario, hold=None, hosts=None, fault=None):
    """Every foreign rule unchanged, ours exactly ``hold`` (no duplicate, no stale),
    management admitted. ``hold``: None skips the check of ours."""
    hosts = [h for h in lab.managed if hosts is None or h.name in hosts]
    foreign = lab.foreigns(hosts)
    for h in hosts:
        assert foreign[h.name] == lab.foreign0[h.name], "%s: a foreign rule changed after %s:\n%s" % (
            h.name, scenario, _diff(lab.foreign0[h.name], foreign[h.name]))
    lab.summary["foreign_rule_checks"] += sum(len(FOREIGN[h.kind]) for h in hosts)
    if hold is not None:
        assert_holds(lab, scenario, hold, [h.name for h in hosts])
    problems = dict((k, v) for k, v in lab.management_ok(hosts).items() if v)
    assert not problems, problems
    lab.summary["management_checks"] += len(hosts)
    lab.summary["scenarios"].append(scenario)
    if fault:
        lab.summary["faults_survived"].append(fault)


def _diff_added(out):
    """{host: sorted "+" lines} of the --diff blocks the component roles printed."""
    found = {}
    for match in re.finditer(r"^--- before: \w+: ours on (\S+) \(\w+\)\n\+\+\+ after: [^\n]*\n(.*?)"
                             r"(?=^(?:changed|ok|fatal|skipping): \[|^TASK |^PLAY |\Z)", out, re.M | re.S):
        lines = [line[1:] for line in match.group(2).splitlines() if line.startswith("+")]
        found.setdefault(match.group(1), []).extend(lines)
    return dict((h, sorted(v)) for h, v in found.items())


def test_1_check_and_diff_mode_report_every_change_and_make_none(lab):
    run = lab.playbook(lab.inv, "--check", "--diff")
    _note(lab, run, "check+diff")
    assert run.rc == 0, run
    after = lab.rulesets()
    for name, text in lab.fresh.items():
        assert after[name] == text, "%s changed in check mode:\n%s" % (name, _diff(text, after[name]))
    assert all(run.recap()[h]["changed"] > 0 for h in CHECK_DIFF), run
    # Exactly the additions, nothing removed (nothing of ours is there yet).
    assert _diff_added(run.out) == dict((h, sorted(v)) for h, v in CHECK_DIFF.items()), run
    assert not re.search(r"^-(?!--)", run.out, re.M), run
    assert_safe(lab, "check mode on a fresh lab", HOLD_ABSENT)
    lab.summary["check_mode_changes_reported"] = sum(len(v) for v in CHECK_DIFF.values())


# Two runs at once may race on the same host. Nothing in the roles serializes them, and
# no lock message is documented (docs/safety.md): a failed run is accepted only when it
# failed on one of these messages of the firewall tools' own locks or of a set or rule
# created by the other run in between, and the firewalls hold exactly what they must.
CONCURRENCY_MESSAGES = (
    r"Another app is currently holding the xtables lock",
    r"set with the same name already exists",
    r"ALREADY_ENABLED|NAME_CONFLICT|ALREADY_SET",
    r"[Cc]ould not acquire lock|ERROR: .*lock",
)


def test_2_two_concurrent_first_applies_leave_each_rule_once(lab):
    procs = [lab.start_playbook(lab.inv) for _run in range(2)]
    rcs = [proc.wait(timeout=900) for proc, _log in procs]
    outs = []
    for _proc, log in procs:
        with open(log) as handle:
            outs.append(handle.read())
    lab.summary["runs"].append({"step": "concurrent apply x2", "rc": rcs})
    assert_safe(lab, "two concurrent first applies", HOLD_MAIN, fault="two concurrent runs")
    # A run that loses a race fails only on a firewall tool's lock or on an object the other
    # run created in between (docs/safety.md, "Two runs at once"); test 3 then converges.
    # Both runs may lose, each on another host (run A loses wrs-dist1, run B wrs-client2:
    # seen in CI), so no run is required to succeed; every failed one must fail that way.
    for rc, out in zip(rcs, outs):
        if rc != 0:
            assert any(re.search(m, out) for m in CONCURRENCY_MESSAGES), (
                "a concurrent run failed, not on a lock or concurrency message:\n" + out[-6000:])
    for out in outs:
        assert "PLAY RECAP" in out, out[-3000:]


def test_3_reapply_changes_nothing(lab):
    run = lab.playbook(lab.inv)
    _note(lab, run, "reapply")
    assert run.rc == 0, run
    recap = run.recap()
    assert all(recap[h.name]["changed"] == 0 for h in lab.managed), run
    assert_safe(lab, "re-apply (back to back)", HOLD_MAIN, fault="back-to-back runs")


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


# (ip6tables only where the roles saved IPv6 rules: touching it loads an empty table.)
IPT_FLUSH = ("iptables -P INPUT ACCEPT; iptables -P OUTPUT ACCEPT; iptables -F; iptables -X; "
             "if [ -e /etc/iptables/rules.v6 ]; then ip6tables -P INPUT ACCEPT; ip6tables -P OUTPUT ACCEPT; "
             "ip6tables -F; ip6tables -X; fi; ipset destroy; iptables-save; ip6tables-save; ipset save")
# As netfilter-persistent with ipset-persistent does at boot: the sets first (the
# rules name them), then the IPv4 and IPv6 rules.
IPT_RESTORE = ("ipset restore < /etc/iptables/ipsets && iptables-restore < /etc/iptables/rules.v4 && "
               "{ [ ! -e /etc/iptables/rules.v6 ] || ip6tables-restore < /etc/iptables/rules.v6; }")


def test_4_reload_and_reboot_bring_ours_back_exactly_once(lab):
    reload_cmd = {"firewalld": "firewall-cmd --reload", "ufw": "ufw reload",
                  "iptables": "iptables-restore < /etc/iptables/rules.v4 && "
                              "{ [ ! -e /etc/iptables/rules.v6 ] || ip6tables-restore < /etc/iptables/rules.v6; }"}
    for kind, cmd in reload_cmd.items():
        lab.shell([h.name for h in lab.managed if h.kind == kind], cmd)
    assert_safe(lab, "firewall reload", HOLD_MAIN, fault="firewall reload")

    # Simulated reboot: the runtime rules and sets are gone, the backend's own
    # persistence (firewalld's permanent config, ufw's user.rules, the saved ipsets,
    # rules.v4 and rules.v6) restores.
    ipt = [h.name for h in lab.managed if h.kind == "iptables"]
    for name, flushed in lab.shell(ipt, IPT_FLUSH).items():
        assert "webroot" not in flushed, (name, flushed)
    lab.shell(ipt, IPT_RESTORE)
    lab.shell([h.name for h in lab.managed if h.kind == "ufw"],
              "ufw disable >/dev/null && ufw --force enable >/dev/null")
    for h in lab.managed:
        if h.kind == "firewalld":
            _restart_firewalld(lab, h.name)
    assert_safe(lab, "simulated reboot", HOLD_MAIN, fault="simulated reboot")


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
    assert_safe(lab, "scope change with a host lost", HOLD_SCOPE, hosts=others, fault="host lost during a run")
    # The lost host was not touched: its rules are still the old scope's.
    assert_holds(lab, "scope change while paused", HOLD_MAIN, hosts=["wrs-server1"])


def test_6_killed_run_then_rerun_converges_without_stale_rules(lab):
    proc, log = lab.start_playbook(lab.inv_scope)
    deadline = time.time() + 600
    # The first component task of the workstations and the server (the one that
    # reads and changes): killed there, some hosts have changed and some not.
    marker = "TASK [webroot.enterprise.client_service : Webroot Client Service (50000/tcp)]"
    while time.time() < deadline and proc.poll() is None:
        with open(log) as handle:
            if marker in handle.read():
                break
        time.sleep(0.2)
    killed = proc.poll() is None
    lab.kill_group(proc)
    lab.summary["runs"].append({"step": "scope change, killed mid-run", "killed": killed})
    with open(log) as handle:
        assert killed, "the run ended before it could be interrupted:\n" + handle.read()[-3000:]

    run = lab.playbook(lab.inv_scope)
    _note(lab, run, "rerun after the kill")
    assert run.rc == 0, run
    # HOLD_SCOPE has neither client1's old address (.31) nor client2 (.32) anywhere.
    assert_safe(lab, "scope change (killed, rerun)", HOLD_SCOPE,
                hosts=[h.name for h in lab.managed if h.name != "wrs-client2"], fault="run killed mid-way")
    # client2 is no longer managed: its foreign rules and ours are untouched too.
    assert_safe(lab, "client2 out of the groups", HOLD_SCOPE, hosts=["wrs-client2"])


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
        assert "webroot" not in lab.exec_(host.name, "iptables-save; ipset save 2>/dev/null; "
                                                     "ufw show added 2>/dev/null || true")
    finally:
        _start_firewalld(lab, host.name)
    # firewalld back: ours as before (the refused port change was never applied).
    assert_safe(lab, "firewalld stopped, then started", HOLD_SCOPE, hosts=[host.name], fault="firewalld stopped")


def test_8_state_absent_removes_ours_and_only_ours(lab):
    run = lab.playbook(lab.inv_scope, *ALL_ABSENT)
    _note(lab, run, "all absent")
    assert run.rc == 0, run
    managed = [h.name for h in lab.managed if h.name != "wrs-client2"]
    # The role deletes our firewalld ipset from the permanent configuration only; the
    # running firewalld keeps it, named by no rule (so it admits nothing), until its
    # next reload (docs/safety.md: removing a set never reloads). Issue 9 asks that absent remove
    # our sets: when the role removes the runtime set too, drop this leftover.
    leftover = {"type": "hash:net", "entries": ["198.18.30.35/32"]}
    dist1 = dict(HOLD_ABSENT["wrs-dist1"],
                 runtime=dict(HOLD_ABSENT["wrs-dist1"]["runtime"], ipsets={"webroot-update-distributor-v4": leftover}))
    assert_safe(lab, "state absent for all five roles", dict(HOLD_ABSENT, **{"wrs-dist1": dist1}), hosts=managed)
    lab.exec_("wrs-dist1", "firewall-cmd --reload")
    assert_holds(lab, "state absent, then a firewalld reload", HOLD_ABSENT, hosts=["wrs-dist1"])
    ping = lab.ping(lab.inv_scope)
    assert sorted(ping) == sorted(managed) and all(r.get("ping") == "pong" for r in ping.values()), ping

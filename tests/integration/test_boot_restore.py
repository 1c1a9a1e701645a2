# -*- coding: utf-8 -*-
# Copyright: (c) 2026, webroot.enterprise contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Issue 25, item 1: an iptables host boots with what the run left, and what the
admin had.

One lab for the module: lab/hosts.tsv renamed wb-* on 198.18.100.0/24, three hosts:
the server (ufw) and two workstations on iptables whose admin persists the firewall
with Debian's netfilter-persistent (the .debs of the lab image, installed with
dpkg -i; ufw is purged first, it Breaks iptables-persistent):

- wb-client1: netfilter-persistent, iptables-persistent and ipset-persistent;
- wb-client2: netfilter-persistent and iptables-persistent, no ipset-persistent.

Each admin has an IPv4 and an IPv6 firewall of their own (policy DROP, rules, a set of
their own) saved with ``netfilter-persistent save`` before any run. A boot is emulated
in the container: everything flushed to the boot state (``nft flush ruleset``: no
table, no rule, policy ACCEPT; ``ipset destroy``: no set), then ``netfilter-persistent
start``, as netfilter-persistent.service runs at boot. The firewall is read with its
own tools (iptables-save, ip6tables-save, ipset save); what must be there is written
out below by hand. Steps, in file order:

  1. before any run, a boot restores the admin's firewall (the emulation works);
  2. the first run (sweep_now absent): client2 is refused before anything changes
     (its ruleset and its saved files identical), client1 converges and its saved
     files are replaced through a rename (new inode, no temporary file left);
  3. a boot of client1 restores the admin's policy, rules and set, and ours, IPv4 and
     IPv6: exactly the ruleset it had before the boot;
  4. a save that fails (the ipsets file is a directory): the rules are not saved ahead
     of the sets; the next run, with nothing else to change, saves; a boot then
     restores everything, sweep_now's new rule and set included.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

import pytest
from conftest import topology

pytestmark = pytest.mark.lab

NETWORK, SUBNET = "webroot-boot", "198.18.100.0/24"
HOSTS = topology("wb-", SUBNET, only=("server1", "client1", "client2"))
# client1 also admits one IPv6 peer (RFC 5180's benchmarking range) on 50000: so it
# has an IPv6 set and rule of ours.
V6_PEER = "2001:2:0:64::21"
HOSTVARS = {"wb-client1": {"client_service_sources": ["198.18.100.21/32", V6_PEER + "/128"]}}

DEBS = "/opt/webroot-lab/debs"
INSTALL = (
    "dpkg --purge ufw >/dev/null && "
    "printf 'iptables-persistent iptables-persistent/autosave_v4 boolean false\\n"
    "iptables-persistent iptables-persistent/autosave_v6 boolean false\\n' | debconf-set-selections && "
    "cd %s && DEBIAN_FRONTEND=noninteractive dpkg -i %%s >/tmp/dpkg.log 2>&1" % DEBS)
PACKAGES = {
    "wb-client1": "netfilter-persistent_*.deb iptables-persistent_*.deb ipset-persistent_*.deb",
    "wb-client2": "netfilter-persistent_*.deb iptables-persistent_*.deb",
}
# The admin's own firewall (init.sh already set INPUT DROP, lo, established and 22 for
# IPv4); client1's admin also drops a blocklist ipset of their own (client2's cannot:
# without ipset-persistent their own boot would fail on it).
BLOCKLIST = [
    "ipset create acme-blocklist hash:ip family inet",
    "ipset add acme-blocklist 198.18.100.97",
    'iptables -A INPUT -m set --match-set acme-blocklist src -m comment --comment "acme: blocklist" -j DROP',
]
ADMIN = [
    'iptables -A INPUT -p tcp -s 198.18.100.99 --dport 8080 -m comment --comment "acme: web" -j ACCEPT',
    "ip6tables -P INPUT DROP",
    "ip6tables -A INPUT -i lo -j ACCEPT",
    'ip6tables -A INPUT -p tcp --dport 22 -m comment --comment "acme: management v6" -j ACCEPT',
]
SAVE = "netfilter-persistent save >/dev/null 2>&1"
SEED = {"wb-client1": " && ".join(ADMIN + BLOCKLIST + [SAVE]), "wb-client2": " && ".join(ADMIN + [SAVE])}

# --- by hand: what a boot must restore --------------------------------------------
ADMIN_V4 = [
    ":INPUT DROP [-]",
    "-A INPUT -i lo -j ACCEPT",
    "-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT",
    '-A INPUT -p tcp -m tcp --dport 22 -m comment --comment "lab: management" -j ACCEPT',
    '-A INPUT -s 198.18.100.99/32 -p tcp -m tcp --dport 8080 -m comment --comment "acme: web" -j ACCEPT',
]
BLOCKLIST_V4 = '-A INPUT -m set --match-set acme-blocklist src -m comment --comment "acme: blocklist" -j DROP'
ADMIN1_V4 = ADMIN_V4 + [BLOCKLIST_V4]
ADMIN_V6 = [
    ":INPUT DROP [-]",
    "-A INPUT -i lo -j ACCEPT",
    '-A INPUT -p tcp -m tcp --dport 22 -m comment --comment "acme: management v6" -j ACCEPT',
]
ADMIN_SETS = {"acme-blocklist": ["198.18.100.97"]}
IPT_IN = ('-A INPUT -p tcp -m tcp --dport %d -m set --match-set %s src -m comment '
          '--comment "webroot.enterprise %s %d/tcp in" -j ACCEPT')
OURS_V4 = [IPT_IN % (50000, "webroot-client-service-v4", "client_service", 50000),
           IPT_IN % (50002, "webroot-poll-now-v4", "poll_now", 50002)]
OURS_V6 = [IPT_IN % (50000, "webroot-client-service-v6", "client_service", 50000)]
OURS_SETS = {"webroot-client-service-v4": ["198.18.100.21"], "webroot-client-service-v6": [V6_PEER],
             "webroot-poll-now-v4": ["198.18.100.21"]}
SWEEP_V4 = IPT_IN % (50001, "webroot-sweep-now-v4", "sweep_now", 50001)
SWEEP_SETS = {"webroot-sweep-now-v4": ["198.18.100.21"]}

READ = "iptables-save; echo '== ip6'; ip6tables-save; echo '== ipset'; ipset save"
# The boot state: no nftables table at all (iptables-nft: no rule, every policy
# ACCEPT), no ipset. Then what netfilter-persistent.service runs at boot.
FLUSH = "nft flush ruleset && ipset destroy && " + READ
BOOT = "netfilter-persistent start 2>&1"
FILES = "/etc/iptables"
STAT = "cd %s && for f in $(ls -A); do echo \"$f $(stat -c '%%i %%a %%F' \"$f\")\"; done" % FILES
PENDING = "/var/lib/webroot-enterprise/iptables-save-pending"
_COUNTERS = re.compile(r"\[\d+:\d+\]")


def state(text):
    """{"ipv4": lines, "ipv6": lines, "sets": {name: sorted entries}} of READ's output,
    without comments and counters."""
    v4, rest = text.split("== ip6", 1)
    v6, sets_text = rest.split("== ipset", 1)

    def lines(block):
        return [_COUNTERS.sub("[-]", l) for l in block.splitlines() if l.strip() and not l.startswith("#")]
    sets = {}
    for line in sets_text.splitlines():
        words = line.split()
        if len(words) >= 2 and words[0] == "create":
            sets.setdefault(words[1], [])
        elif len(words) >= 3 and words[0] == "add":
            sets.setdefault(words[1], []).append(words[2])
    return {"ipv4": lines(v4), "ipv6": lines(v6), "sets": dict((k, sorted(v)) for k, v in sets.items())}


@pytest.fixture(scope="module")
def lab(lab_factory):
    lab = lab_factory(HOSTS, NETWORK, SUBNET)
    for name, debs in PACKAGES.items():
        lab.exec_(name, INSTALL % debs)
        lab.exec_(name, SEED[name])
    lab.inv = lab.inventory("main", hostvars=HOSTVARS)
    yield lab
    lab.down()


def read(lab, name):
    return state(lab.exec_(name, READ))


def boot(lab, name):
    """Emulate a boot of ``name``; returns what its firewall holds afterwards."""
    flushed = state(lab.exec_(name, FLUSH))
    assert flushed == {"ipv4": [], "ipv6": [], "sets": {}}, flushed
    out = lab.exec_(name, BOOT)
    assert "Error" not in out, out
    return read(lab, name)


def assert_has(got, v4, v6, sets, when):
    for fam, want in (("ipv4", v4), ("ipv6", v6)):
        missing = [l for l in want if l not in got[fam]]
        assert not missing, "%s: %s lacks %s\nhave:\n%s" % (when, fam, missing, "\n".join(got[fam]))
    for name, entries in sets.items():
        assert got["sets"].get(name) == entries, "%s: set %s is %s, want %s" % (
            when, name, got["sets"].get(name), entries)


def test_1_before_any_run_a_boot_restores_the_admins_firewall(lab):
    for name in PACKAGES:
        got = boot(lab, name)
        if name == "wb-client1":
            assert_has(got, ADMIN1_V4, ADMIN_V6, ADMIN_SETS, name + " boot before a run")
        else:
            assert_has(got, ADMIN_V4, ADMIN_V6, {}, name + " boot before a run")
        assert not [l for l in got["ipv4"] + got["ipv6"] if "webroot" in l]


def test_2_first_run_refuses_a_host_without_ipset_persistent_and_saves_through_a_rename(lab):
    before2 = read(lab, "wb-client2"), lab.exec_("wb-client2", "cat %s/*; %s" % (FILES, STAT))
    files1 = lab.exec_("wb-client1", STAT)
    run = lab.playbook(lab.inv, "-e", "sweep_now_state=absent")
    recap = run.recap()
    assert run.rc != 0 and recap["wb-client2"]["failed"] > 0, run
    assert recap["wb-client1"]["failed"] == 0 and recap["wb-server1"]["failed"] == 0, run
    text = " ".join(run.out.split())
    assert "nothing restores the ipsets of webroot.enterprise before it: ipset-persistent is not installed" in text, run
    assert "Nothing was changed on this host. Install ipset-persistent" in text, run
    after2 = read(lab, "wb-client2"), lab.exec_("wb-client2", "cat %s/*; %s" % (FILES, STAT))
    assert after2 == before2, "wb-client2 changed although refused"
    assert "webroot" not in repr(after2)

    # client1: each saved file is a new file renamed over the old one (another inode),
    # mode 0640, and nothing else is left in the directory; no save is pending.
    old = dict((l.split()[0], l.split()[1]) for l in files1.splitlines())
    new = dict((l.split()[0], l.split()[1:]) for l in lab.exec_("wb-client1", STAT).splitlines())
    assert sorted(new) == ["ipsets", "rules.v4", "rules.v6"], new
    for f in ("ipsets", "rules.v4", "rules.v6"):
        assert new[f][0] != old[f], "%s was written in place (inode %s)" % (f, old[f])
        assert new[f][1:] == ["640", "regular", "file"], (f, new[f])
    assert lab.exec_("wb-client1", "test -e %s && echo pending || echo none" % PENDING).strip() == "none"
    got = read(lab, "wb-client1")
    assert_has(got, ADMIN1_V4 + OURS_V4, ADMIN_V6 + OURS_V6, dict(ADMIN_SETS, **OURS_SETS), "client1 after the run")


def test_3_a_boot_restores_the_admins_firewall_and_ours_ipv4_and_ipv6(lab):
    before = read(lab, "wb-client1")
    after = boot(lab, "wb-client1")
    assert_has(after, ADMIN1_V4 + OURS_V4, ADMIN_V6 + OURS_V6, dict(ADMIN_SETS, **OURS_SETS), "client1 boot")
    assert after == before


def test_4_a_failed_save_keeps_rules_behind_sets_and_the_next_run_saves(lab):
    saved = lab.exec_("wb-client1", "cat %s/rules.v4 %s/rules.v6" % (FILES, FILES))
    lab.exec_("wb-client1", "rm %s/ipsets && mkdir %s/ipsets" % (FILES, FILES))
    try:
        run = lab.playbook(lab.inv, "--limit", "wb-client1")
        assert run.rc != 0 and run.recap()["wb-client1"]["failed"] > 0, run
        assert "/etc/iptables/ipsets is a directory" in run.out, run
        # The rules were not saved ahead of the sets: the files are the last good save.
        assert lab.exec_("wb-client1", "cat %s/rules.v4 %s/rules.v6" % (FILES, FILES)) == saved
        assert lab.exec_("wb-client1", "test -e %s && echo pending" % PENDING).strip() == "pending"
        assert SWEEP_V4 in read(lab, "wb-client1")["ipv4"]
    finally:
        lab.exec_("wb-client1", "rmdir %s/ipsets" % FILES)

    run = lab.playbook(lab.inv, "--limit", "wb-client1")
    assert run.rc == 0 and run.recap()["wb-client1"]["changed"] > 0, run
    assert lab.exec_("wb-client1", "test -e %s && echo pending || echo none" % PENDING).strip() == "none"
    again = lab.playbook(lab.inv, "--limit", "wb-client1")
    assert again.rc == 0 and again.recap()["wb-client1"]["changed"] == 0, again

    before = read(lab, "wb-client1")
    after = boot(lab, "wb-client1")
    assert_has(after, ADMIN1_V4 + OURS_V4 + [SWEEP_V4], ADMIN_V6 + OURS_V6,
               dict(ADMIN_SETS, **dict(OURS_SETS, **SWEEP_SETS)), "client1 boot after the retried save")
    assert after == before

# -*- coding: utf-8 -*-
# Copyright: (c) 2026, webroot.enterprise contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The parsers of the firewall_info module on outputs recorded from the real tools
(Debian bookworm lab image: iptables 1.8.9 nft, ipset 7.17, ufw 0.36.2, firewalld
1.3.3), and backend detection on a fake host. Expectations written by hand."""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.webroot.enterprise.plugins.module_utils import fwread

# --- recorded outputs ---------------------------------------------------------
# Ours (comment 'webroot.enterprise ...') mixed with foreign rules, as `iptables -S`
# printed them after iptables -A/-I commands in a lab container.
# (A backslash at the end of a fixture line joins it with the next: one line of output,
# split only for the line-length limit.)
IPTABLES_S = """\
-P INPUT DROP
-P FORWARD ACCEPT
-P OUTPUT ACCEPT
-N WEBROOT-EXTRA
-A INPUT -p tcp -m set --match-set webroot-client-service-v4 src -m tcp --dport 50000 -m comment \
--comment "webroot.enterprise client_service 50000/tcp in" -j ACCEPT
-A INPUT -s 198.18.10.31/32 -p tcp -m tcp --dport 50001 -m comment --comment "webroot.enterprise sweep_now 50001/tcp in" -j ACCEPT
-A INPUT -i lo -j ACCEPT
-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
-A INPUT -p tcp -m tcp --dport 22 -m comment --comment "lab: management" -j ACCEPT
-A INPUT -p udp -m udp --dport 53 -m comment --comment "dns, not webroot" -j ACCEPT
-A INPUT -p tcp -m tcp --dport 8080 -j REJECT --reject-with tcp-reset
-A INPUT -m set --match-set fail2ban-sshd src -j DROP
-A OUTPUT -d 198.18.10.5/32 -p tcp -m tcp --dport 443 -m comment --comment "webroot.enterprise update_service 443/tcp out" -j ACCEPT
-A WEBROOT-EXTRA ! -s 198.18.10.7/32 -p tcp -m tcp --dport 50002 -m comment --comment "webroot.enterprise poll_now 50002/tcp in" -j DROP
"""

IP6TABLES_S = """\
-P INPUT ACCEPT
-P FORWARD ACCEPT
-P OUTPUT ACCEPT
-A INPUT -p tcp -m set --match-set webroot-client-service-v6 src -m tcp --dport 50000 -m comment \
--comment "webroot.enterprise client_service 50000/tcp in" -j ACCEPT
-A INPUT -p tcp -m tcp --dport 22 -m comment --comment "lab: management" -j ACCEPT
"""

# `ipset save` (identical to `ipset list -o save`).
IPSET_SAVE = """\
create webroot-client-service-v4 hash:net family inet hashsize 1024 maxelem 65536 bucketsize 12 initval 0x8d13db4d
add webroot-client-service-v4 198.18.10.0/28
add webroot-client-service-v4 198.18.10.21
create webroot-client-service-v6 hash:net family inet6 hashsize 1024 maxelem 65536 bucketsize 12 initval 0x4b8278fc
add webroot-client-service-v6 2001:db8:1::/64
add webroot-client-service-v6 2001:db8::5
create fail2ban-sshd hash:ip family inet hashsize 1024 maxelem 65536 bucketsize 12 initval 0x309f8845
add fail2ban-sshd 203.0.113.9
create webroot-sweep-now-v4 hash:net family inet hashsize 1024 maxelem 65536 bucketsize 12 initval 0x7b2f976c
"""

UFW_EMPTY = """\
Added user rules (see 'ufw status' for running firewall):
(None)
"""

# After `ufw allow ...`, `ufw insert 1 ...`, `ufw route ...`, `ufw limit ...`: what
# `ufw show added` printed (note 'from any' dropped and IPv6 rules listed last).
UFW_ADDED = """\
Added user rules (see 'ufw status' for running firewall):
ufw allow from 198.18.10.22 to any port 50000 proto tcp comment 'webroot.enterprise client_service 50000/tcp in'
ufw allow 22/tcp comment 'lab: management'
ufw allow from 198.18.10.21 to any port 50000 proto tcp comment 'webroot.enterprise client_service 50000/tcp in'
ufw allow from 198.18.10.0/24 to any port 50000 proto tcp comment 'webroot.enterprise client_service 50000/tcp in'
ufw allow 50001/tcp comment 'webroot.enterprise sweep_now 50001/tcp in'
ufw allow out to 198.18.10.5 port 443 proto tcp comment 'webroot.enterprise update_service 443/tcp out'
ufw allow 8080 comment 'app, not ours'
ufw deny from 203.0.113.9
ufw limit 2222/tcp
ufw reject in on eth0 from 198.18.10.99 port 1234 to any port 50002 proto udp comment 'webroot.enterprise poll_now 50002/udp in'
ufw route allow in on eth0 out on eth1 to 198.18.11.0/24 port 80 proto tcp comment 'webroot.enterprise routed'
ufw allow to 198.18.10.2 port 50000 proto tcp comment 'webroot.enterprise client_service 50000/tcp in'
ufw allow 6000:6010/tcp comment 'webroot.enterprise range'
ufw allow log 2223/tcp
ufw allow from 2001:db8::5 to any port 50000 proto tcp comment 'webroot.enterprise client_service 50000/tcp in'
ufw allow out on eth0 to 2001:db8::1 port 53 proto udp
"""

# `firewall-cmd --zone=public --list-rich-rules` (runtime) after the permanent rules,
# a reload and one runtime-only rule.
FIREWALLD_PUBLIC_RICH = """\
rule family="ipv4" source ipset="webroot-client-service-v4" log prefix="wr" level="info" accept
rule family="ipv4" source address="198.18.10.40" port port="8080" protocol="tcp" accept
rule family="ipv4" source ipset="webroot-client-service-v4" service name="webroot-client-service" accept
rule family="ipv6" source ipset="webroot-client-service-v6" service name="webroot-client-service" accept
rule family="ipv4" source ipset="blocklist" drop
"""

CS = "webroot.enterprise client_service 50000/tcp in"


def ipt(chain, line, **kw):
    rule = {"chain": chain, "protocol": None, "dport": None, "source": None, "destination": None,
            "match_set": None, "match_set_flags": None, "jump": None, "comment": None, "extra": [], "line": line}
    rule.update(kw)
    return rule


# --- iptables ---------------------------------------------------------------

def test_iptables_only_ours_any_chain_in_order():
    lines = [l for l in IPTABLES_S.splitlines() if "webroot.enterprise" in l]
    assert fwread.parse_iptables_rules(IPTABLES_S) == [
        ipt("INPUT", lines[0], protocol="tcp", dport=50000, match_set="webroot-client-service-v4",
            match_set_flags="src", jump="ACCEPT", comment=CS),
        ipt("INPUT", lines[1], protocol="tcp", dport=50001, source="198.18.10.31/32", jump="ACCEPT",
            comment="webroot.enterprise sweep_now 50001/tcp in"),
        ipt("OUTPUT", lines[2], protocol="tcp", dport=443, destination="198.18.10.5/32", jump="ACCEPT",
            comment="webroot.enterprise update_service 443/tcp out"),
        # A negated source keeps its '!'.
        ipt("WEBROOT-EXTRA", lines[3], protocol="tcp", dport=50002, source="!198.18.10.7/32", jump="DROP",
            comment="webroot.enterprise poll_now 50002/tcp in"),
    ]


def test_ip6tables():
    assert fwread.parse_iptables_rules(IP6TABLES_S) == [
        ipt("INPUT", IP6TABLES_S.splitlines()[3], protocol="tcp", dport=50000,
            match_set="webroot-client-service-v6", match_set_flags="src", jump="ACCEPT", comment=CS)]


def test_iptables_any_rule_and_non_rules():
    assert fwread.parse_iptables_rule("-P INPUT DROP") is None
    assert fwread.parse_iptables_rule("-N WEBROOT-EXTRA") is None
    assert fwread.parse_iptables_rule("") is None
    assert fwread.parse_iptables_rule('-A INPUT --comment "unterminated') is None
    line = "-A INPUT -p tcp -m tcp --dport 8080 -j REJECT --reject-with tcp-reset"
    assert fwread.parse_iptables_rule(line) == ipt("INPUT", line, protocol="tcp", dport=8080, jump="REJECT",
                                                   extra=["--reject-with"])
    line = "-A INPUT -m set --match-set fail2ban-sshd src -j DROP"
    assert fwread.parse_iptables_rule(line) == ipt("INPUT", line, match_set="fail2ban-sshd",
                                                   match_set_flags="src", jump="DROP")
    # A port range is not one port.
    rule = fwread.parse_iptables_rule('-A INPUT -p tcp -m tcp --dport 6000:6010 -m comment --comment "webroot.enterprise x" -j ACCEPT')
    assert rule["dport"] is None and rule["comment"] == "webroot.enterprise x"


def test_iptables_empty():
    assert fwread.parse_iptables_rules("-P INPUT ACCEPT\n-P FORWARD ACCEPT\n-P OUTPUT ACCEPT\n") == []
    assert fwread.parse_iptables_rules("") == []


def test_ipset_save_only_ours():
    assert fwread.parse_ipset_save(IPSET_SAVE) == {
        "webroot-client-service-v4": {"type": "hash:net", "family": "ipv4",
                                      "entries": ["198.18.10.0/28", "198.18.10.21"]},
        "webroot-client-service-v6": {"type": "hash:net", "family": "ipv6",
                                      "entries": ["2001:db8:1::/64", "2001:db8::5"]},
        "webroot-sweep-now-v4": {"type": "hash:net", "family": "ipv4", "entries": []},
    }
    assert fwread.parse_ipset_save("") == {}


# --- ufw --------------------------------------------------------------------

def ufw(line, **kw):
    rule = {"action": "allow", "direction": "in", "interface": None, "protocol": "tcp", "port": 50000,
            "from": "any", "from_port": None, "to": "any", "comment": CS, "line": line}
    rule.update(kw)
    return rule


def test_ufw_only_ours_in_order():
    lines = UFW_ADDED.splitlines()
    assert fwread.parse_ufw_added(UFW_ADDED) == [
        ufw(lines[1], **{"from": "198.18.10.22"}),
        ufw(lines[3], **{"from": "198.18.10.21"}),
        ufw(lines[4], **{"from": "198.18.10.0/24"}),
        ufw(lines[5], port=50001, comment="webroot.enterprise sweep_now 50001/tcp in"),
        ufw(lines[6], direction="out", port=443, to="198.18.10.5",
            comment="webroot.enterprise update_service 443/tcp out"),
        ufw(lines[10], action="reject", interface="eth0", protocol="udp", port=50002, from_port=1234,
            comment="webroot.enterprise poll_now 50002/udp in", **{"from": "198.18.10.99"}),
        # 'ufw route' (line 11) is left out.
        ufw(lines[12], to="198.18.10.2"),
        ufw(lines[13], port=None, comment="webroot.enterprise range"),
        ufw(lines[15], **{"from": "2001:db8::5"}),
    ]


def test_ufw_foreign_rules_parse_but_are_not_ours():
    lines = UFW_ADDED.splitlines()
    assert fwread.parse_ufw_rule(lines[0]) is None  # the header
    assert fwread.parse_ufw_rule(lines[11]) is None  # ufw route
    assert fwread.parse_ufw_rule(lines[2]) == ufw(lines[2], port=22, comment="lab: management")
    assert fwread.parse_ufw_rule(lines[7]) == ufw(lines[7], protocol="any", port=8080, comment="app, not ours")
    assert fwread.parse_ufw_rule(lines[8]) == ufw(lines[8], action="deny", protocol="any", port=None, comment=None,
                                                  **{"from": "203.0.113.9"})
    assert fwread.parse_ufw_rule(lines[9]) == ufw(lines[9], action="limit", port=2222, comment=None)
    assert fwread.parse_ufw_rule(lines[14]) == ufw(lines[14], port=2223, comment=None)
    assert fwread.parse_ufw_rule(lines[16]) == ufw(lines[16], direction="out", interface="eth0", protocol="udp",
                                                   port=53, to="2001:db8::1", comment=None)


def test_ufw_empty():
    assert fwread.parse_ufw_added(UFW_EMPTY) == []
    assert fwread.parse_ufw_added("") == []


# --- firewalld --------------------------------------------------------------

def test_rich_rules_of_ours():
    rules = FIREWALLD_PUBLIC_RICH.splitlines()
    assert [fwread.is_webroot_rich_rule(r) for r in rules] == [True, False, True, True, False]
    assert fwread.is_webroot_rich_rule('rule family="ipv4" source address="198.18.10.31" service name="webroot-sweep-now" accept')
    assert not fwread.is_webroot_rich_rule('rule service name="ssh" accept')
    assert not fwread.is_webroot_rich_rule("")


class FakeSettings(object):
    def __init__(self, services=(), rich=(), ipset_type=None, options=None, entries=()):
        self._services, self._rich = list(services), list(rich)
        self._type, self._options, self._entries = ipset_type, options or {}, list(entries)

    def getServices(self):
        return self._services

    def getRichRules(self):
        return self._rich

    def getType(self):
        return self._type

    def getOptions(self):
        return self._options

    def getEntries(self):
        return self._entries


class FakeObject(object):
    def __init__(self, settings=None, ports=()):
        self._settings, self._ports = settings, ports

    def getSettings(self):
        return self._settings

    def getPorts(self):
        return self._ports


class FakeConfig(object):
    def __init__(self, zones, services, ipsets):
        self.zones, self.services, self.ipsets = zones, services, ipsets

    def getZoneNames(self):
        return sorted(self.zones)

    def getZoneByName(self, name):
        return FakeObject(self.zones[name])

    def getServiceNames(self):
        return sorted(self.services)

    def getServiceByName(self, name):
        return FakeObject(ports=self.services[name])

    def getIPSetNames(self):
        return sorted(self.ipsets)

    def getIPSetByName(self, name):
        return FakeObject(self.ipsets[name])


class FakeFirewallClient(object):
    """The calls fwread makes on firewall.client.FirewallClient (firewalld 1.3), with
    what the lab's firewalld returned for them."""
    connected = True

    def __init__(self):
        self._config = FakeConfig(
            zones={"public": FakeSettings(["dhcpv6-client", "ssh", "webroot-sweep-now"],
                                          FIREWALLD_PUBLIC_RICH.splitlines()[1:]),
                   "internal": FakeSettings([], ['rule family="ipv4" source address="198.18.10.31" '
                                                 'service name="webroot-sweep-now" accept']),
                   "drop": FakeSettings()},
            services={"ssh": [("22", "tcp")], "webroot-client-service": [("50000", "tcp")],
                      "webroot-sweep-now": [("50001", "tcp"), ("50001", "udp")]},
            ipsets={"blocklist": FakeSettings(ipset_type="hash:ip", entries=["203.0.113.9"]),
                    "webroot-client-service-v4": FakeSettings(ipset_type="hash:net",
                                                              entries=["198.18.10.21", "198.18.10.0/28"]),
                    "webroot-client-service-v6": FakeSettings(ipset_type="hash:net", options={"family": "inet6"},
                                                              entries=["2001:db8::5"])})
        self.runtime = {"public": FakeSettings(["dhcpv6-client", "ssh", "webroot-sweep-now"],
                                               FIREWALLD_PUBLIC_RICH.splitlines()),
                        "drop": FakeSettings(),
                        "work": FakeSettings(["webroot-client-service"])}

    def config(self):
        return self._config

    def getDefaultZone(self):
        return "public"

    def getZones(self):
        return sorted(self.runtime)

    def getZoneSettings(self, zone):
        return self.runtime[zone]

    def getIPSets(self):
        return ["blocklist", "webroot-client-service-v4"]

    def listServices(self):
        # The running firewalld has not loaded webroot-sweep-now's file yet.
        return ["ssh", "webroot-client-service"]

    def getServiceSettings(self, name):
        return FakeObject(ports={"ssh": [("22", "tcp")], "webroot-client-service": [("50000", "tcp")]}[name])

    def getEntries(self, name):
        return {"blocklist": ["203.0.113.9"],
                "webroot-client-service-v4": ["198.18.10.21", "198.18.10.0/28", "198.18.10.99"]}[name]


def test_read_firewalld_client():
    rich = FIREWALLD_PUBLIC_RICH.splitlines()
    none = {"services": [], "rich_rules": []}
    assert fwread.read_firewalld_client(FakeFirewallClient()) == {
        "default_zone": "public",
        "zones": {
            "public": {"permanent": {"services": ["webroot-sweep-now"], "rich_rules": sorted([rich[2], rich[3]])},
                       "runtime": {"services": ["webroot-sweep-now"], "rich_rules": sorted([rich[0], rich[2], rich[3]])}},
            "internal": {"permanent": {"services": [], "rich_rules": [
                'rule family="ipv4" source address="198.18.10.31" service name="webroot-sweep-now" accept']},
                "runtime": none},  # not in the runtime (not reloaded yet)
            "drop": {"permanent": none, "runtime": none},
            "work": {"permanent": none, "runtime": {"services": ["webroot-client-service"], "rich_rules": []}},
        },
        "services": {"webroot-client-service": {"ports": ["50000/tcp"]},
                     "webroot-sweep-now": {"ports": ["50001/tcp", "50001/udp"]}},
        "ipsets": {"webroot-client-service-v4": {"type": "hash:net", "family": "ipv4",
                                                 "entries": ["198.18.10.0/28", "198.18.10.21"]},
                   "webroot-client-service-v6": {"type": "hash:net", "family": "ipv6", "entries": ["2001:db8::5"]}},
        "runtime_ipsets": {"webroot-client-service-v4": {"entries": ["198.18.10.0/28", "198.18.10.21",
                                                                     "198.18.10.99"]}},
        "runtime_services": {"webroot-client-service": {"ports": ["50000/tcp"]}},
        "policies": {}, "runtime_policies": {},  # this fake firewalld has no policies
        # Runtime and permanent differ only in objects of ours (the runtime set entry .99),
        # and in the zone internal, not loaded yet: a reload would bring it in.
        "drift": ["zone internal is in the permanent configuration only (not loaded yet)"],
        "pending": ["zone internal is in the permanent configuration only (not loaded yet)"],
    }


# --- detection and reading on a fake host ---------------------------------------

class FakeHost(object):
    """A host with the given tools, files and command outputs ({argv tuple: (rc, out, err)})."""

    def __init__(self, tools=(), files=(), dirs=(), commands=None, firewalld=None):
        self.tools, self.files, self.dirs = set(tools), list(files), set(dirs)
        self.commands = commands or {}
        self.fw = firewalld
        self.ran = []

    def which(self, name):
        return "/usr/sbin/" + name if name in self.tools else None

    def run(self, args):
        key = tuple([args[0].rsplit("/", 1)[-1]] + list(args[1:]))
        self.ran.append(key)
        return self.commands.get(key, (1, "", "not recorded: %s" % (key,)))

    def glob(self, pattern):
        import fnmatch  # pylint: disable=import-outside-toplevel
        return [f for f in self.files if fnmatch.fnmatch(f, pattern)]

    def isdir(self, path):
        return path in self.dirs

    def firewalld(self):
        return self.fw


UFW_ACTIVE = {("ufw", "status"): (0, "Status: active\n\nTo  Action  From\n", "")}
UFW_INACTIVE = {("ufw", "status"): (0, "Status: inactive\n", "")}
IPT_CMDS = {("iptables", "-S"): (0, IPTABLES_S, ""), ("ip6tables", "-S"): (0, IP6TABLES_S, ""),
            ("ipset", "save"): (0, IPSET_SAVE, "")}


def merged(*dicts):
    out = {}
    for d in dicts:
        out.update(d)
    return out


def code(host, backend="auto"):
    with pytest.raises(fwread.ReadError) as exc:
        fwread.read(host, backend)
    return exc.value.code


def test_detect_running_firewalld_wins():
    fw = FakeFirewallClient()
    host = FakeHost(tools=["firewall-cmd", "ufw", "iptables", "ipset"], firewalld=fw, commands=UFW_ACTIVE)
    assert fwread.detect(host) == ("firewalld", fw)
    assert fwread.read(host)["backend"] == "firewalld"
    assert host.ran == []


@pytest.mark.parametrize("files,dirs,enabled", [
    (["/etc/firewalld/zones/public.xml"], [], False),
    (["/etc/firewalld/services/webroot-client-service.xml"], [], False),
    ([], ["/run/systemd/system"], True),
])
def test_detect_firewalld_configured_but_stopped(files, dirs, enabled):
    cmds = dict(UFW_ACTIVE)
    cmds[("systemctl", "is-enabled", "--quiet", "firewalld")] = (0 if enabled else 1, "", "")
    host = FakeHost(tools=["firewall-cmd", "systemctl", "ufw", "iptables", "ipset"], files=files, dirs=dirs,
                    commands=cmds)
    assert code(host) == "auto-firewalld-stopped"
    assert "is not running, so no rule was changed on this host" in str(fwread.ReadError("auto-firewalld-stopped"))


def test_detect_firewalld_installed_not_configured_nor_enabled():
    cmds = dict(UFW_ACTIVE)
    cmds[("systemctl", "is-enabled", "--quiet", "firewalld")] = (1, "", "")
    host = FakeHost(tools=["firewall-cmd", "systemctl", "ufw"], files=["/etc/firewalld/services/other.xml"],
                    dirs=["/run/systemd/system"], commands=cmds)
    assert fwread.detect(host) == ("ufw", None)
    # Without systemd running, is-enabled is not asked.
    host = FakeHost(tools=["firewall-cmd", "systemctl", "ufw"], commands=dict(UFW_ACTIVE))
    assert fwread.detect(host) == ("ufw", None)
    assert ("systemctl", "is-enabled", "--quiet", "firewalld") not in host.ran


def test_detect_ufw_inactive_falls_to_iptables():
    host = FakeHost(tools=["ufw", "iptables", "ip6tables", "ipset"], commands=merged(UFW_INACTIVE, IPT_CMDS))
    assert fwread.detect(host) == ("iptables", None)
    got = fwread.read(host)
    assert got["backend"] == "iptables"
    assert [r["comment"] for r in got["iptables"]["ipv4"]] == [
        CS, "webroot.enterprise sweep_now 50001/tcp in", "webroot.enterprise update_service 443/tcp out",
        "webroot.enterprise poll_now 50002/tcp in"]
    assert [r["match_set"] for r in got["iptables"]["ipv6"]] == ["webroot-client-service-v6"]
    assert sorted(got["ipsets"]) == ["webroot-client-service-v4", "webroot-client-service-v6", "webroot-sweep-now-v4"]


def test_read_ufw():
    host = FakeHost(tools=["ufw", "iptables"], commands=merged(UFW_ACTIVE, {("ufw", "show", "added"): (0, UFW_ADDED, "")}))
    got = fwread.read(host)
    assert got["backend"] == "ufw" and len(got["ufw"]) == 9 and set(got) == {"backend", "ufw"}


def test_no_firewall():
    assert code(FakeHost()) == "no-firewall"
    assert code(FakeHost(tools=["ufw"], commands=UFW_INACTIVE)) == "no-firewall"
    assert str(fwread.ReadError("no-firewall")).startswith("No firewall found on this host: firewalld is not running")


def test_iptables_needs_ipset():
    host = FakeHost(tools=["iptables"], commands=IPT_CMDS)
    assert code(host) == "no-ipset"
    assert code(host, "iptables") == "no-ipset"
    assert str(fwread.ReadError("no-ipset")).startswith("ipset is not installed on this host: on iptables hosts")


def test_ip6tables_missing_or_failing_is_no_ipv6():
    cmds = dict(IPT_CMDS)
    cmds[("ip6tables", "-S")] = (1, "", "ip6tables v1.8.9 (legacy): can't initialize ip6tables table `filter'")
    for host in (FakeHost(tools=["iptables", "ipset"], commands=IPT_CMDS),
                 FakeHost(tools=["iptables", "ip6tables", "ipset"], commands=cmds)):
        got = fwread.read(host, "iptables")
        assert got["iptables"]["ipv6"] == [] and len(got["iptables"]["ipv4"]) == 4


def test_iptables_failing_is_an_error():
    cmds = dict(IPT_CMDS)
    cmds[("iptables", "-S")] = (4, "", "iptables: Permission denied (you must be root).")
    host = FakeHost(tools=["iptables", "ipset"], commands=cmds)
    with pytest.raises(fwread.ReadError) as exc:
        fwread.read(host, "iptables")
    assert exc.value.code == "command-failed" and "Permission denied" in str(exc.value)


def test_firewalld_given_but_stopped():
    host = FakeHost(tools=["firewall-cmd", "iptables", "ipset"], commands=IPT_CMDS)
    assert code(host, "firewalld") == "firewalld-stopped"
    assert "firewalld is not running" in str(fwread.ReadError("firewalld-stopped"))


def test_backend_given_skips_detection():
    host = FakeHost(tools=["firewall-cmd", "ufw", "iptables", "ipset"], firewalld=FakeFirewallClient(),
                    commands=merged(IPT_CMDS, {("ufw", "show", "added"): (0, UFW_EMPTY, "")}))
    assert fwread.read(host, "ufw") == {"backend": "ufw", "ufw": []}
    assert fwread.read(host, "iptables")["backend"] == "iptables"
    assert code(FakeHost(), "ufw") == "no-ufw"
    assert code(FakeHost(), "iptables") == "no-iptables"


class PortSettings(FakeSettings):
    def __init__(self, ports=(), **kwargs):
        super(PortSettings, self).__init__(**kwargs)
        self._ports = list(ports)

    def getPorts(self):
        return self._ports


def test_firewalld_drift_names_what_a_reload_would_drop_or_bring_in():
    fw = FakeFirewallClient()
    ours = 'rule family="ipv4" source ipset="webroot-sweep-now-v4" service name="webroot-sweep-now" accept'
    fw._config.zones["public"] = PortSettings(ports=[("8080", "tcp")], services=["ssh"], rich=[])
    fw.runtime["public"] = PortSettings(ports=[("2222", "tcp")], services=["ssh", "webroot-sweep-now"], rich=[ours])
    fw.getEntries = lambda name: {"blocklist": ["203.0.113.9", "198.51.100.7"],
                                  "webroot-client-service-v4": ["198.18.10.99"]}[name]
    # Written by hand: the port opened by hand at runtime, the pending permanent port,
    # the ban only in the running set; never our service, rule or set.
    assert fwread.firewalld_drift(fw) == [
        "zone public: port 2222/tcp is in the runtime configuration only",
        "zone public: port 8080/tcp is in the permanent configuration only",
        "ipset blocklist: 1 entries in the runtime configuration only (e.g. 198.51.100.7)",
        "zone internal is in the permanent configuration only (not loaded yet)",
    ]


class IfaceSettings(PortSettings):
    def __init__(self, interfaces=(), **kwargs):
        super(IfaceSettings, self).__init__(**kwargs)
        self._interfaces = list(interfaces)

    def getInterfaces(self):
        return self._interfaces


def test_firewalld_drift_covers_interfaces_policies_and_passthroughs():
    # issue 25: a reload under FlushAllOnReload=yes drops an interface bound at runtime
    # (podman's bridge), a policy's runtime settings and the passthroughs: all named.
    fw = FakeFirewallClient()
    fw._config.zones["public"] = IfaceSettings(services=["ssh"])
    fw.runtime["public"] = IfaceSettings(services=["ssh"], interfaces=["cni-podman0"])
    fw.runtime["internal"] = IfaceSettings()
    fw._config.zones["internal"] = IfaceSettings()
    fw._config.getPolicyNames = lambda: ["lab-out"]
    fw._config.getPolicyByName = lambda name: FakeObject(PortSettings())
    fw.getPolicies = lambda: ["lab-out"]
    fw.getPolicySettings = lambda name: PortSettings(ports=[("8443", "tcp")])

    class Direct(object):
        @staticmethod
        def getAllChains():
            return []

        @staticmethod
        def getAllRules():
            return []

        @staticmethod
        def getAllPassthroughs():
            return []
    fw._config.direct = Direct
    fw.getAllChains = lambda: []
    fw.getAllRules = lambda: []
    fw.getAllPassthroughs = lambda: [("ipv4", ["-I", "FORWARD", "-j", "NETAVARK_FORWARD"])]
    assert fwread.firewalld_drift(fw) == [
        "zone public: interface cni-podman0 is in the runtime configuration only",
        "policy lab-out: port 8443/tcp is in the runtime configuration only",
        "passthroughs: 1 in the runtime configuration only, 0 in the permanent only",
    ]

# -*- coding: utf-8 -*-
# Copyright: (c) 2026, webroot.enterprise contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Each backend unit's ``commands`` (plugins/plugin_utils/fw_*.py), in the style of the
network resource modules' tests: given a read (have) and the role's plan (want), the
module calls written here by hand, in order, and the idempotent twin (the read after
those calls gives no command). The cases the lab proves on real firewalls
(tests/integration): the save for boot, a rule of ours moved after an admin's deny,
firewalld's reload, Windows duplicates healed, Windows rules of 1,000 addresses."""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.webroot.enterprise.plugins.action import component_rules
from ansible_collections.webroot.enterprise.plugins.module_utils import fwread
from ansible_collections.webroot.enterprise.plugins.plugin_utils import backends
from ansible_collections.webroot.enterprise.plugins.plugin_utils import engine
from ansible_collections.webroot.enterprise.plugins.plugin_utils import fw_firewalld
from ansible_collections.webroot.enterprise.plugins.plugin_utils import fw_iptables
from ansible_collections.webroot.enterprise.plugins.plugin_utils import fw_ufw
from ansible_collections.webroot.enterprise.plugins.plugin_utils import fw_windows
from ansible_collections.webroot.enterprise.plugins.plugin_utils import rules as rules_lib
from ansible_collections.webroot.enterprise.plugins.plugin_utils import winfw

CS = "webroot.enterprise client_service 50000/tcp in"
SAVE = {"ipv4": "/etc/iptables/rules.v4", "ipv6": None, "ipset": "/etc/iptables/ipsets"}
WITH_IPSET = {"plugins": ["10-ipset", "15-ip4tables", "25-ip6tables", "40-ipset"], "save_pending": False}
PENDING = "/var/lib/webroot-enterprise/iptables-save-pending"
SAVE_ARGV = ["sh", "-c", fw_iptables.SAVE_FOR_BOOT, "sh", "/etc/iptables/ipsets", "/etc/iptables/rules.v4", "", PENDING]
SAVE_LABEL = "save for boot: ipsets to /etc/iptables/ipsets, rules to /etc/iptables/rules.v4"
OURS_S = ('-A INPUT -p tcp -m tcp --dport 50000 -m set --match-set webroot-client-service-v4 src '
          '-m comment --comment "%s" -j ACCEPT' % CS)
DROP_S = "-A INPUT -s 198.18.10.21/32 -p tcp -m tcp --dport 50000 -j DROP"


def plan(peers=("198.18.10.21/32",), state="present"):
    return {"component": "client_service", "port": 50000, "protocol": "tcp", "state": state, "rules": [] if
            state == "absent" else [{"direction": "in", "port": 50000, "protocol": "tcp", "any_peer": False,
                                     "peers": list(peers), "comment": CS}]}


def calls(result):
    return [(c.get("module"), c.get("args"), c.get("label")) for c in result["commands"]]


# --- iptables: the save for boot ---------------------------------------------------

def ipt_read(text, boot, sets=None):
    return {"iptables": {"ipv4": fwread.parse_iptables_rules(text), "ipv6": [], "denies": {"ipv4": fwread.iptables_order(text)}},
            "ipsets": sets or {}, "boot": boot}


DONE_SETS = {"webroot-client-service-v4": {"type": "hash:net", "family": "ipv4", "entries": ["198.18.10.21"]}}


def test_iptables_a_save_left_pending_is_done_with_nothing_else_to_change():
    # An earlier run changed the firewall and its save failed: this one only saves.
    have = backends.ours("iptables", ipt_read("-P INPUT DROP\n%s\n" % OURS_S, dict(WITH_IPSET, save_pending=True),
                                              DONE_SETS))
    got = fw_iptables.commands(plan(), have, SAVE)
    assert calls(got) == [("ansible.builtin.command", {"argv": SAVE_ARGV}, SAVE_LABEL)]
    assert got["diff"]["after"][-1] == "saved for boot: what runs now"
    # The idempotent twin: the read after the save has no pending note.
    assert fw_iptables.commands(plan(), got["after"], SAVE)["commands"] == []
    assert got["after"]["_boot"]["save_pending"] is False


def test_iptables_nothing_saved_without_a_save_path():
    have = backends.ours("iptables", ipt_read("-P INPUT DROP\n", WITH_IPSET))
    got = fw_iptables.commands(plan(), have, {"ipv4": None, "ipv6": None, "ipset": None})
    assert [m for m, _a, _l in calls(got)] == ["webroot.enterprise.address_set", "ansible.builtin.iptables"]


def test_iptables_refused_where_a_boot_would_not_restore_our_sets():
    have = backends.ours("iptables", ipt_read("-P INPUT DROP\n", {"plugins": ["15-ip4tables", "25-ip6tables"]}))
    with pytest.raises(rules_lib.RuleError, match="ipset-persistent is not installed"):
        fw_iptables.commands(plan(), have, SAVE)


class Recorder(object):
    """A host that fails the module call named ``fail`` and answers ``stdout`` to reads."""
    name = "h1"

    def __init__(self, fail=None, stdout=""):
        self.sent, self.calls, self.fail, self.stdout = [], [], fail, stdout

    def module(self, name, args, what=None, check=False):
        self.sent.append((name, args))
        if name == self.fail:
            raise engine.ModuleFailed("%s failed" % name, {"failed": True})
        if what is not None:
            self.calls.append(what)
        return {"stdout": self.stdout}


def test_iptables_a_failed_change_still_saves_what_was_changed_before_it():
    have = backends.ours("iptables", ipt_read("-P INPUT DROP\n", WITH_IPSET))
    host = Recorder(fail="ansible.builtin.iptables")
    with pytest.raises(engine.ModuleFailed):
        component_rules.execute(host, fw_iptables.commands(plan(), have, SAVE)["commands"])
    assert [n for n, _a in host.sent] == ["ansible.builtin.command", "webroot.enterprise.address_set",
                                          "ansible.builtin.iptables", "ansible.builtin.command"]
    assert host.sent[-1][1] == {"argv": SAVE_ARGV}
    # The note itself failing: nothing was changed, nothing is saved.
    host = Recorder(fail="ansible.builtin.command")
    with pytest.raises(engine.ModuleFailed):
        component_rules.execute(host, fw_iptables.commands(plan(), have, SAVE)["commands"])
    assert len(host.sent) == 1


# --- iptables: a rule of ours moved after an admin's deny of a peer ---------------------

def test_iptables_ours_ahead_of_a_peers_drop_is_moved_after_it_at_the_position_read_then():
    read = ipt_read("-P INPUT DROP\n%s\n%s\n" % (OURS_S, DROP_S), WITH_IPSET, DONE_SETS)
    read["iptables"]["ipv4"][0]["index"] = 1
    got = fw_iptables.commands(plan(), backends.ours("iptables", read), SAVE)
    want = {"chain": "INPUT", "protocol": "tcp", "destination_port": "50000", "jump": "ACCEPT", "comment": CS,
            "ip_version": "ipv4", "match_set": "webroot-client-service-v4", "match_set_flags": "src"}
    line = "ipv4 INPUT 50000/tcp from set webroot-client-service-v4"
    cmds = got["commands"]
    assert [(c["module"], c.get("label")) for c in cmds] == [
        ("ansible.builtin.command", "note a save for boot pending (%s)" % PENDING),
        ("ansible.builtin.iptables", "remove %s (ahead of a rule that may drop a peer)" % line),
        ("ansible.builtin.iptables", "insert %s after it" % line),
        ("ansible.builtin.command", SAVE_LABEL)]
    assert cmds[1]["args"] == dict(want, state="absent")
    # The insert's position is read again right before it (the removal moved the drop up).
    assert cmds[2]["reread"] == {"module": "ansible.builtin.command", "args": {"argv": ["iptables", "-S"]}}
    assert cmds[2]["args"]("-P INPUT DROP\n%s\n" % DROP_S) == dict(want, state="present", action="insert",
                                                                   rule_num="2")
    # Executed: the read, then the insert at what it gave.
    host = Recorder(stdout="-P INPUT DROP\n%s\n" % DROP_S)
    component_rules.execute(host, cmds)
    assert host.sent[2:4] == [("ansible.builtin.command", {"argv": ["iptables", "-S"]}),
                              ("ansible.builtin.iptables", dict(want, state="present", action="insert", rule_num="2"))]
    # The idempotent twin: ours after the drop.
    read = ipt_read("-P INPUT DROP\n%s\n%s\n" % (DROP_S, OURS_S), WITH_IPSET, DONE_SETS)
    read["iptables"]["ipv4"][0]["index"] = 2
    assert fw_iptables.commands(plan(), backends.ours("iptables", read), SAVE)["commands"] == []


def test_iptables_a_new_rule_goes_after_an_admins_drop_read_at_its_insert():
    read = ipt_read("-P INPUT DROP\n%s\n" % DROP_S, WITH_IPSET)
    cmds = fw_iptables.commands(plan(), backends.ours("iptables", read), SAVE)["commands"]
    assert [c["module"] for c in cmds] == ["ansible.builtin.command", "webroot.enterprise.address_set",
                                           "ansible.builtin.iptables", "ansible.builtin.command"]
    assert cmds[2]["args"]("-P INPUT DROP\n%s\n" % DROP_S)["rule_num"] == "2"
    assert "rule_num" not in cmds[2]["args"]("-P INPUT DROP\n")   # the drop gone meanwhile: the top


# --- ufw: an allow of ours moved after a later deny -------------------------------------

UFW_ADDED = "ufw allow from 198.18.10.21 to any port 50000 proto tcp comment '%s'\n" % CS
HEAD = "Status: active\n\n     To                         Action      From\n     --                         ------      ----\n"
ALLOW = "50000/tcp                  ALLOW IN    198.18.10.21               # %s" % CS
DENY = "50000/tcp                  DENY IN     198.18.10.20/31            # acme: later"


def numbered(*rules):
    return HEAD + "".join("[%2d] %s\n" % (i + 1, r) for i, r in enumerate(rules))


def ufw_read(text):
    return {"ufw": fwread.parse_ufw_added(UFW_ADDED), "denies": fwread.parse_ufw_denies(text), "allows": fwread.parse_ufw_allows(text)}


UFW_ARGS = {"rule": "allow", "direction": "in", "proto": "tcp", "from_ip": "198.18.10.21/32", "to_ip": "any",
            "to_port": "50000", "comment": CS}


def test_ufw_ours_ahead_of_a_later_deny_is_moved_after_it():
    got = fw_ufw.commands(plan(), backends.ours("ufw", ufw_read(numbered("22/tcp ALLOW IN Anywhere", ALLOW, DENY))))
    cmds = got["commands"]
    assert [(c["module"], c["label"]) for c in cmds] == [
        ("community.general.ufw", "move (remove) allow in 50000/tcp from 198.18.10.21/32"),
        ("community.general.ufw", "insert allow in 50000/tcp from 198.18.10.21/32")]
    assert cmds[0]["args"] == dict(UFW_ARGS, delete=True)
    assert cmds[1]["reread"] == {"module": "ansible.builtin.command", "args": {"argv": ["ufw", "status", "numbered"]}}
    # Read after the removal: the deny is rule 2, and the last IPv4 rule: ours is appended.
    assert cmds[1]["args"](numbered("22/tcp ALLOW IN Anywhere", DENY)) == UFW_ARGS
    # Only an IPv6 rule after the deny: still the last IPv4 rule, appended.
    assert cmds[1]["args"](numbered("22/tcp ALLOW IN Anywhere", DENY, "22/tcp (v6) ALLOW IN Anywhere (v6)")) == \
        UFW_ARGS
    # An IPv4 rule after the deny: ours goes right after the deny.
    assert cmds[1]["args"](numbered(DENY, "22/tcp                     ALLOW IN    Anywhere")) == \
        dict(UFW_ARGS, insert=2, insert_relative_to="zero")
    # The idempotent twin.
    assert fw_ufw.commands(plan(), backends.ours("ufw", ufw_read(numbered(DENY, ALLOW))))["commands"] == []


def test_ufw_without_a_deny_ours_goes_first_of_its_family_with_no_read():
    got = fw_ufw.commands(plan(peers=["2001:db8::5/128"]), backends.ours("ufw", {"ufw": []}))
    assert calls(got) == [("community.general.ufw", {
        "rule": "allow", "direction": "in", "proto": "tcp", "from_ip": "2001:db8::5/128", "to_ip": "any",
        "to_port": "50000", "comment": CS, "insert": 0, "insert_relative_to": "first-ipv6"},
        "insert allow in 50000/tcp from 2001:db8::5/128")]


# --- firewalld: the reload -------------------------------------------------------------

RICH = 'rule family="ipv4" source ipset="webroot-client-service-v4" service name="webroot-client-service" accept'
SETS = {"webroot-client-service-v4": {"entries": ["198.18.10.21"]}}
SVC = {"webroot-client-service": {"ports": ["50000/tcp"]}}


def fwd(rich=(), services=None, ipsets=None, runtime_ipsets=None, runtime_services=None):
    zone = {"services": ["ssh"], "rich_rules": list(rich)}
    return {"firewalld": {"default_zone": "public", "zones": {"public": {"permanent": zone, "runtime": zone}},
                          "services": services or {}, "ipsets": ipsets or {}, "runtime_ipsets": runtime_ipsets or {},
                          "runtime_services": runtime_services or {}}}


RELOAD = ("webroot.enterprise.firewalld_reload", {},
          "reload firewalld to load the new definitions, keeping its runtime configuration")


def test_firewalld_a_run_stopped_before_its_reload_reloads_first():
    # The service and set are defined (an earlier run) but the runtime has neither.
    got = fw_firewalld.commands(plan(), backends.ours("firewalld", fwd(services=SVC, ipsets=SETS)))
    assert calls(got) == [
        ("webroot.enterprise.address_set", {"name": "webroot-client-service-v4", "family": "ipv4",
                                            "entries": ["198.18.10.21/32"], "provider": "firewalld"},
         "set webroot-client-service-v4 to 1 entries"),
        RELOAD,
        ("ansible.posix.firewalld", {"zone": "public", "permanent": True, "immediate": True, "state": "enabled",
                                     "rich_rule": RICH}, "add zone public: %s" % RICH)]
    assert "when" not in got["commands"][1]
    # The idempotent twin.
    done = fwd(rich=[RICH], services=SVC, ipsets=SETS, runtime_ipsets=SETS, runtime_services=SVC)
    assert fw_firewalld.commands(plan(), backends.ours("firewalld", done))["commands"] == []


def test_firewalld_a_scope_change_reloads_only_if_the_set_call_asks_for_it():
    now = {"webroot-client-service-v4": {"entries": ["198.18.10.9"]}}
    have = backends.ours("firewalld", fwd(rich=[RICH], services=SVC, ipsets=now, runtime_ipsets=now, runtime_services=SVC))
    cmds = fw_firewalld.commands(plan(), have)["commands"]
    assert [(c["module"], c.get("when")) for c in cmds] == [
        ("webroot.enterprise.address_set", None), ("webroot.enterprise.firewalld_reload", "reload_required")]

    class Answers(Recorder):
        def __init__(self, answer):
            super(Answers, self).__init__()
            self.answer = answer

        def module(self, name, args, what=None, check=False):
            self.sent.append((name, args))
            return self.answer
    for answer, sent in (({}, ["webroot.enterprise.address_set"]),
                         ({"reload_required": True}, ["webroot.enterprise.address_set",
                                                      "webroot.enterprise.firewalld_reload"])):
        host = Answers(answer)
        component_rules.execute(host, cmds)
        assert [n for n, _a in host.sent] == sent


def test_firewalld_first_run_writes_the_service_file_first():
    p = win_plan(["10.0.2.1/32"])
    got = fw_firewalld.commands(p, backends.ours("firewalld", fwd()))
    assert got["commands"][0] == {"file": {"dest": "/etc/firewalld/services/webroot-client-service.xml", "content": (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        "<!-- Managed by Ansible (webroot.enterprise): do not edit. -->\n"
        "<service>\n"
        "  <short>Webroot Client Service</short>\n"
        "  <description>webroot.enterprise: %s</description>\n"
        '  <port protocol="tcp" port="50000"/>\n'
        "</service>\n" % rules_lib.component("client_service")["vendor"])},
        "label": "write /etc/firewalld/services/webroot-client-service.xml"}
    assert [c.get("module") for c in got["commands"]] == [None, "webroot.enterprise.address_set",
                                                          "webroot.enterprise.firewalld_reload",
                                                          "ansible.posix.firewalld"]
    assert "when" not in got["commands"][2]


# --- Windows: duplicates healed, rules of 1,000 addresses --------------------------------

NAME = "Webroot Enterprise - Client Service (TCP 50000 in)"
MODULE = "community.windows.win_firewall_rule"


def win_plan(peers):
    rule = rules_lib.host_plan("client_service", "c1", {"webroot_servers": ["s1"], "webroot_clients": ["c1"]},
                               {"s1": {"ansible_host": "10.0.2.1"}, "c1": {"ansible_host": "10.0.0.1"}},
                               {"state": "present", "port": None, "peers": [], "any_peer": False})
    rule["rules"][0]["peers"] = list(peers)
    return rule


def com_of(args):
    """The rule as the read returns it once win_firewall_rule created it from ``args``."""
    return winfw.com_rule(args)


def test_windows_duplicates_of_ours_are_removed_then_created_once():
    p = win_plan(["10.0.2.1/32"])
    args = winfw.module_args(fw_windows.windows_chunks(p)[0], ["domain", "private"], "")
    rule = com_of(args)
    got = fw_windows.commands(p, {"Rules": [rule, dict(rule)]}, ["domain", "private"], "")
    assert calls(got) == [(MODULE, {"name": NAME, "state": "absent"}, "remove the duplicates of rule '%s'" % NAME),
                          (MODULE, args, "write rule '%s'" % NAME)]
    assert got["heal"] == [NAME]
    # The idempotent twin: the read after those two calls.
    assert fw_windows.commands(p, got["after"], ["domain", "private"], "")["commands"] == []


def test_windows_rules_of_1000_addresses_each_and_the_stale_one_last():
    peers = ["10.%d.%d.%d/32" % (i // 65536, (i // 256) % 256, i % 256) for i in range(0, 2400, 2)]  # 1,200
    p = win_plan(peers)
    got = fw_windows.commands(p, {"Rules": []}, ["domain"], "", module="ansible.windows.win_firewall_rule")
    assert [(m, a["name"], len(a["remoteip"].split(",")), label) for m, a, label in calls(got)] == [
        ("ansible.windows.win_firewall_rule", NAME, 1000, "write rule '%s'" % NAME),
        ("ansible.windows.win_firewall_rule", NAME + " #2", 200, "write rule '%s #2'" % NAME)]
    assert fw_windows.commands(p, got["after"], ["domain"], "")["commands"] == []
    # Fewer addresses: "#2" keeps what it holds, the first rule shrinks; a third rule
    # left from before goes last.
    stale = dict(com_of(winfw.module_args(dict(fw_windows.windows_chunks(p)[1], windows_name=NAME + " #3"), ["domain"], "")))
    smaller = fw_windows.commands(win_plan(peers[:900] + peers[1000:]), {"Rules": got["after"]["Rules"] + [stale]},
                                  ["domain"], "")
    assert [(a["name"], a.get("state")) for _m, a, _l in calls(smaller)] == [
        (NAME, "present"), (NAME + " #3", "absent")]


def test_windows_a_foreign_rule_with_our_name_is_refused_naming_the_host():
    p = win_plan(["10.0.2.1/32"])
    theirs = dict(com_of(winfw.module_args(fw_windows.windows_chunks(p)[0], ["domain"], "")), Grouping="Contoso")
    with pytest.raises(rules_lib.RuleError, match="Windows Firewall on w1 has a rule named"):
        fw_windows.commands(p, {"Rules": [theirs]}, ["domain"], "", host_name="w1")

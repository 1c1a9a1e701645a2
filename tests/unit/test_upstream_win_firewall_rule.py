# -*- coding: utf-8 -*-
# Copyright: (c) 2026, webroot.enterprise contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The Windows Firewall SIMULATOR's win_firewall_rule held to what community.windows'
own integration test establishes on real Windows.

UPSTREAM: community.windows ``tests/integration/targets/win_firewall_rule/tasks/main.yml``
at commit 3b606203a2dc71ea8278a0581a51b3cacfd0677f (the module,
``plugins/modules/win_firewall_rule.ps1``, is byte for byte the one of 3.1.0, which the
``ansible`` 12 package bundles; that target last changed in 8f94a273, "Fix program
can't be set to any (#472)"). Upstream runs it on Windows hosts in its CI: each of its
assertions is a fact about the real module on a real Windows Firewall.

The facts carry over, not the code: the sequence of calls below is upstream's, in its
order (each task named with the UPSTREAM lines it restates), run once through
ansible-playbook against the stand-in (tests/simulators, with its own option parsing by
AnsibleModule, as a real run parses them), and each test states one of upstream's
assertions, citing its line. Where upstream reads a rule back with
``(New-Object -ComObject HNetCfg.FwPolicy2).Rules`` (win_shell, lines 181-192 and
604-608), the test reads the simulator's store at the same point (``ansible.builtin.slurp``).

Where the simulator disagreed with upstream, the simulator was fixed (see each test):
it refused ``interfacetypes``, ``edge`` and ``security`` (UPSTREAM lines 350-440 pass
them; the module reads them, win_firewall_rule.ps1 lines 126-129, although its
documentation does not list them).
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64
import json
import os
import subprocess

import pytest
import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
COLLECTIONS = os.path.join(ROOT, "tests", "simulators", "collections")
PLAYBOOK = os.path.join(ROOT, ".venv", "bin", "ansible-playbook")
PYTHON = os.path.join(ROOT, ".venv", "bin", "python")
UPSTREAM = ("community.windows tests/integration/targets/win_firewall_rule/tasks/main.yml "
            "@ 3b606203a2dc71ea8278a0581a51b3cacfd0677f")

HTTP = {"name": "http", "enabled": True, "state": "present", "localport": 80, "action": "allow",
        "direction": "in", "protocol": "tcp"}


def rule(task, **options):
    """One win_firewall_rule task, named ``task`` (the UPSTREAM lines), registered."""
    # ignore_errors: a call that fails fails its own test below, not the whole module.
    return {"name": task, "community.windows.win_firewall_rule": options, "register": "r",
            "ignore_errors": True}


def read_back(task):
    """The store as it is now (upstream reads the COM rules with win_shell)."""
    return {"name": task, "ansible.builtin.slurp": {"src": "{{ store }}"}}


# UPSTREAM's sequence of calls, in its order; the name of each task gives its lines.
# pylint: disable=repeated-keyword
# (dict(HTTP, key=value) overrides one key of HTTP: pylint takes it for a repeated keyword)
TASKS = [
    rule("1-6 remove leftover", name="http", state="absent", action="allow", direction="in"),
    rule("8-22 add", **HTTP),
    rule("24-38 add again", **HTTP),
    rule("40-54 remove", **dict(HTTP, state="absent")),
    rule("56-70 remove absent", **dict(HTTP, state="absent")),
    rule("72-87 add disabled in group application", **dict(HTTP, enabled=False, group="application")),
    rule("89-98 enable group", group="application", enabled=True),
    rule("100-109 enable group again", group="application", enabled=True),
    rule("111-120 disable group", group="application", enabled=False),
    rule("122-131 disable group again", group="application", enabled=False),
    rule("133-148 remove", **dict(HTTP, enabled=False, state="absent", group="application")),
    rule("150-158 add", **HTTP),
    rule("160-174 change action to block", **dict(HTTP, action="block")),
    rule("176-179 disable by name only", name="http", enabled=False),
    read_back("181-183 read back after disable"),
    rule("194-203 remoteip range", **dict(HTTP, remoteip="192.168.0.1-192.168.0.5")),
    rule("205-220 remoteip range again", **dict(HTTP, remoteip="192.168.0.1-192.168.0.5")),
    rule("222-231 remoteip CIDR", **dict(HTTP, remoteip="192.168.0.0/24")),
    rule("233-248 remoteip CIDR again", **dict(HTTP, remoteip="192.168.0.0/24")),
    rule("250-259 remoteip netmask", **dict(HTTP, remoteip="192.168.1.0/255.255.255.0")),
    rule("261-276 remoteip netmask again", **dict(HTTP, remoteip="192.168.1.0/255.255.255.0")),
    rule("278-287 remoteip IPv4", **dict(HTTP, remoteip="192.168.0.1")),
    rule("289-304 remoteip IPv4 again", **dict(HTTP, remoteip="192.168.0.1")),
    rule("306-315 remoteip netmask", **dict(HTTP, remoteip="192.168.2.0/255.255.255.0")),
    rule("317-332 remoteip same as CIDR", **dict(HTTP, remoteip="192.168.2.0/24")),
    rule("334-348 multiple ports", **dict(HTTP, localport="80,81")),
    rule("350-365 interface types as a string", **dict(HTTP, interfacetypes="ras,lan,wireless")),
    rule("367-382 interface types as a list", **dict(HTTP, interfacetypes=["ras", "lan"])),
    rule("384-399 interface type any", **dict(HTTP, interfacetypes="any")),
    rule("401-421 edge deferapp", **dict(HTTP, edge="deferapp")),
    rule("423-440 security authenticate", **dict(HTTP, security="authenticate")),
    rule("442-457 profiles as a string", **dict(HTTP, profiles="domain,public")),
    rule("459-474 profiles back to all", **dict(HTTP, profiles=["Domain", "Public", "Private"])),
    rule("476-491 profiles as a list", **dict(HTTP, profiles=["Domain", "Private"])),
    rule("494-502 program with a variable", name="VarExpansionTest", enabled=True, state="present",
         action="allow", direction="in", protocol="tcp", program=r"%SystemRoot%\system32\svchost.exe"),
    rule("504-518 program with a variable again", name="VarExpansionTest", enabled=True, state="present",
         action="allow", direction="in", protocol="tcp", program=r"%SystemRoot%\system32\svchost.exe"),
    rule("520-535 rule for application group",
         **dict(HTTP, name="Rule for application group", group="application")),
    rule("538-552 icmp type code", name="icmptest", enabled=True, state="present", action="allow",
         direction="in", protocol="icmpv4", icmp_type_code="8:*"),
    rule("554-568 remove icmp", name="icmptest", enabled=True, state="absent", action="allow",
         direction="in", protocol="icmpv4", icmp_type_code="8:*"),
    rule("572-586 program", name="ApplicationToAnyTest", enabled=True, state="present", action="allow",
         direction="in", protocol="tcp", program=r"%SystemRoot%\system32\svchost.exe"),
    rule("588-602 program to any", name="ApplicationToAnyTest", enabled=True, state="present",
         action="allow", direction="in", protocol="tcp", program="any"),
    read_back("604-608 read back after program any"),
]
# pylint: enable=repeated-keyword


@pytest.fixture(scope="module")
def upstream(tmp_path_factory):
    """{task name: result} of UPSTREAM's sequence against the stand-in, one run."""
    if not os.access(PLAYBOOK, os.X_OK):
        pytest.skip("no .venv/bin/ansible-playbook: run scripts/setup.sh first")
    tmp = tmp_path_factory.mktemp("upstream_fw")
    store = str(tmp / "store.json")
    play = [{"hosts": "localhost", "gather_facts": False, "vars": {"store": store},
             "environment": {"WEBROOT_WINFW_SIMULATOR_STORE": store}, "tasks": TASKS}]
    (tmp / "play.yml").write_text(yaml.safe_dump(play))
    env = dict(os.environ)
    env.pop("ANSIBLE_CONFIG", None)
    env.pop("WEBROOT_WINFW_SIMULATOR_LOG", None)
    env.pop("WEBROOT_WINFW_SIMULATOR_UNUSED_PORTS", None)
    env.update(ANSIBLE_COLLECTIONS_PATH=COLLECTIONS, ANSIBLE_LOCAL_TEMP=str(tmp / "tmp"),
               ANSIBLE_NOCOLOR="1", ANSIBLE_STDOUT_CALLBACK="ansible.builtin.json", ANSIBLE_PIPELINING="1")
    proc = subprocess.run([PLAYBOOK, "-i", "localhost,", "-c", "local", "-e", "ansible_python_interpreter=" + PYTHON,
                           str(tmp / "play.yml")], env=env, cwd=str(tmp), stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, universal_newlines=True, timeout=300, check=False)
    report = json.loads(proc.stdout)
    results = dict((task["task"]["name"], task["hosts"]["localhost"])
                   for play_ in report["plays"] for task in play_["tasks"])
    assert len(results) == len(TASKS), proc.stdout[-3000:] + proc.stderr[-2000:]
    return results


def test_every_call_of_the_sequence_succeeds(upstream):
    """UPSTREAM runs its sequence without ignore_errors (and its first task, lines
    1-6, removes a rule that is not there): no call fails on Windows."""
    assert [name for name, result in upstream.items() if result.get("failed")] == []


def changed(results, name):
    result = results[name]
    assert not result.get("failed"), result
    return result["changed"]


def slurped_rules(results, name):
    return json.loads(base64.b64decode(results[name]["content"]).decode("utf-8"))["rules"]


# --- create, again, remove, remove again ----------------------------------------------------

def test_create_then_same_again_then_remove_then_remove_again(upstream):
    """UPSTREAM lines 19-22 (a new rule: changed), 35-38 (the same again: not
    changed), 51-54 (remove: changed), 67-70 (remove a missing rule: not changed)."""
    assert changed(upstream, "8-22 add") is True
    assert changed(upstream, "24-38 add again") is False
    assert changed(upstream, "40-54 remove") is True
    assert changed(upstream, "56-70 remove absent") is False


def test_a_whole_group_enabled_and_disabled(upstream):
    """UPSTREAM lines 84-87 (created disabled in a group: changed), 95-98 (enable the
    group: changed), 106-109 (again: not changed), 117-120 (disable: changed),
    128-131 (again: not changed), 145-148 (remove: changed)."""
    assert changed(upstream, "72-87 add disabled in group application") is True
    assert changed(upstream, "89-98 enable group") is True
    assert changed(upstream, "100-109 enable group again") is False
    assert changed(upstream, "111-120 disable group") is True
    assert changed(upstream, "122-131 disable group again") is False
    assert changed(upstream, "133-148 remove") is True


def test_changing_one_property_is_a_change(upstream):
    """UPSTREAM lines 171-174: the same rule with action block: changed."""
    assert changed(upstream, "160-174 change action to block") is True


def test_disabling_by_name_keeps_the_other_properties(upstream):
    """UPSTREAM lines 185-192: after ``name: http, enabled: no`` alone, COM reads
    LocalPorts '80', Enabled False, Action 0 (block), Direction 1 (in), Protocol 6."""
    (http,) = [r for r in slurped_rules(upstream, "181-183 read back after disable") if r["Name"] == "http"]
    assert str(http["LocalPorts"]) == "80"
    assert http["Enabled"] is False
    assert (http["Action"], http["Direction"], http["Protocol"]) == (0, 1, 6)


# --- address and port forms -------------------------------------------------------------------

@pytest.mark.parametrize("task, line", [
    ("205-220 remoteip range again", 220),
    ("233-248 remoteip CIDR again", 248),
    ("261-276 remoteip netmask again", 276),
    ("289-304 remoteip IPv4 again", 304),
    ("317-332 remoteip same as CIDR", 332),
])
def test_address_forms_rerun_without_change(upstream, task, line):
    """UPSTREAM line ``line``: the same remoteip again, as a range
    (192.168.0.1-192.168.0.5), /24, /255.255.255.0, a bare IPv4 address, and a
    /255.255.255.0 network given again as /24, is not a change."""
    assert changed(upstream, task) is False


def test_a_second_port_is_a_change(upstream):
    """UPSTREAM lines 345-348: localport '80,81' on the rule with 80: changed."""
    assert changed(upstream, "334-348 multiple ports") is True


# --- interface types, edge traversal, security --------------------------------------------------

@pytest.mark.parametrize("task, lines", [
    ("350-365 interface types as a string", "362-365"),
    ("367-382 interface types as a list", "379-382"),
    ("384-399 interface type any", "396-399"),
])
def test_interface_types_are_compared(upstream, task, lines):
    """UPSTREAM lines ``lines``: interfacetypes 'ras,lan,wireless' (a string), then
    [ras, lan], then 'any' (back to the default): each a change. The simulator
    refused the option before (its argument spec lacked it)."""
    assert changed(upstream, task) is True


def test_edge_traversal_and_security_are_compared(upstream):
    """UPSTREAM lines 416-421 (edge deferapp: changed, Windows >= 6.1) and 435-440
    (security authenticate: changed, Windows >= 6.2). The simulator refused both
    options before."""
    assert changed(upstream, "401-421 edge deferapp") is True
    assert changed(upstream, "423-440 security authenticate") is True


# --- profiles ------------------------------------------------------------------------------------

@pytest.mark.parametrize("task, lines", [
    ("442-457 profiles as a string", "454-457"),
    ("459-474 profiles back to all", "471-474"),
    ("476-491 profiles as a list", "488-491"),
])
def test_profiles_in_each_form_are_a_change(upstream, task, lines):
    """UPSTREAM lines ``lines``: profiles 'domain,public' (a string), then [Domain,
    Public, Private] (all), then [Domain, Private]: each a change (in capitals too:
    ConvertTo-Profile's switch is without case)."""
    assert changed(upstream, task) is True


# --- programs, groups, ICMP ----------------------------------------------------------------------

def test_a_program_with_a_variable_reruns_without_change(upstream):
    """UPSTREAM lines 515-518: ``%SystemRoot%\\system32\\svchost.exe`` again: not
    changed (the module expands it, line 196, and so does COM's stored value; the
    simulator keeps the path unexpanded on both sides)."""
    assert changed(upstream, "504-518 program with a variable again") is False


def test_a_rule_in_a_group_and_an_icmp_rule(upstream):
    """UPSTREAM lines 532-535 (a new rule in group application: changed), 549-552
    (icmpv4 with icmp_type_code '8:*': changed), 565-568 (removed: changed)."""
    assert changed(upstream, "520-535 rule for application group") is True
    assert changed(upstream, "538-552 icmp type code") is True
    assert changed(upstream, "554-568 remove icmp") is True


def test_program_any_clears_the_application_name(upstream):
    """UPSTREAM lines 583-586 (with a program: changed), 599-602 (program any:
    changed), 604-608 (ApplicationName then reads $null)."""
    assert changed(upstream, "572-586 program") is True
    assert changed(upstream, "588-602 program to any") is True
    (app,) = [r for r in slurped_rules(upstream, "604-608 read back after program any")
              if r["Name"] == "ApplicationToAnyTest"]
    assert app["ApplicationName"] is None

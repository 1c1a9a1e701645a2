# -*- coding: utf-8 -*-
# Copyright: (c) 2026, webroot.enterprise contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""plugin_utils/winfw.py: the options sent to win_firewall_rule and the
controller-side comparison with a rule as the read returns it.

Every expectation is written by hand. Each drift is checked twice: winfw names
the option, and the Windows Firewall simulator (which follows win_firewall_rule.ps1
line by line, tests/simulators) reports ``changed`` for the same options; a rule
the simulator created from ``module_args`` is no difference and no change.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy
import importlib.util
import os

import pytest

from ansible_collections.webroot.enterprise.plugins.plugin_utils import winfw

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))))
SIMULATOR = os.path.join(ROOT, "tests", "simulators", "collections", "ansible_collections", "community",
                         "windows", "plugins", "module_utils", "windows_firewall_simulator.py")
_spec = importlib.util.spec_from_file_location("windows_firewall_simulator", SIMULATOR)
sim = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(sim)

NAME = "Webroot Enterprise - Sweep Now (TCP 50001 in)"
CHUNK = {"windows_name": NAME, "description": "Webroot SecureAnywhere Sweep Now", "direction": "in",
         "protocol": "tcp", "port": 50001, "remoteip": "198.18.10.21/32,198.18.10.0/24"}
ARGS = {
    "name": NAME, "group": "Webroot Enterprise", "description": "Webroot SecureAnywhere Sweep Now",
    "direction": "in", "action": "allow", "protocol": "tcp", "localport": "50001", "remoteport": "any",
    "localip": "any", "remoteip": "198.18.10.21/32,198.18.10.0/24", "program": "any", "service": "any",
    "profiles": ["domain", "private"], "interfacetypes": "any", "edge": "no", "enabled": True,
    "state": "present",
}
# The rule as win_firewall_rule creates it from ARGS, in COM form, written by hand:
# TCP 6, inbound 1, allow 1, domain+private 3, addresses in address/mask form, no
# program or service (None), the ports '*' where 'any'.
BASE = {
    "Id": "{A}", "Name": NAME, "Description": "Webroot SecureAnywhere Sweep Now",
    "ApplicationName": None, "ServiceName": None, "Protocol": 6, "LocalPorts": "50001",
    "RemotePorts": "*", "LocalAddresses": "*",
    "RemoteAddresses": "198.18.10.21/255.255.255.255,198.18.10.0/255.255.255.0",
    "IcmpTypesAndCodes": None, "Direction": 1, "Interfaces": None, "InterfaceTypes": "All",
    "Enabled": True, "Grouping": "Webroot Enterprise", "Profiles": 3, "EdgeTraversal": False,
    "Action": 1, "EdgeTraversalOptions": 0, "SecureFlags": 0,
}


def _with(**props):
    rule = copy.deepcopy(BASE)
    rule.update(props)
    return rule


def _sim_changed(rule, args):
    """win_firewall_rule (simulated) on a host that holds ``rule``: changed?"""
    return sim.run([copy.deepcopy(rule)], dict(args))["changed"]


def test_module_args_inbound():
    assert winfw.module_args(CHUNK, ["domain", "private"], "") == ARGS
    assert winfw.module_args(CHUNK, ("domain", "private"), None)["program"] == "any"


def test_module_args_outbound_with_program():
    chunk = {"windows_name": "Webroot Enterprise - Update Service (TCP 443 out)",
             "description": "Webroot updates", "direction": "out", "protocol": "tcp", "port": 443,
             "remoteip": "any"}
    assert winfw.module_args(chunk, ["domain"], r"C:\Program Files\Webroot\WRSA.exe") == {
        "name": "Webroot Enterprise - Update Service (TCP 443 out)", "group": "Webroot Enterprise",
        "description": "Webroot updates", "direction": "out", "action": "allow", "protocol": "tcp",
        "localport": "any", "remoteport": "443", "localip": "any", "remoteip": "any",
        "program": r"C:\Program Files\Webroot\WRSA.exe", "service": "any", "profiles": ["domain"],
        "interfacetypes": "any", "edge": "no", "enabled": True, "state": "present"}


def test_the_rule_as_created_is_no_difference():
    assert winfw.differences(ARGS, BASE) == []
    assert _sim_changed(BASE, ARGS) is False


# One drift per option win_firewall_rule compares (CW lines 226-230), written by hand
# in the COM rule.
@pytest.mark.parametrize("props, option", [
    ({"Description": "Someone else's rule"}, "description"),
    ({"Direction": 2}, "direction"),
    ({"Action": 0}, "action"),
    ({"ApplicationName": r"C:\Windows\System32\svchost.exe"}, "program"),
    ({"Grouping": "Other group"}, "group"),
    ({"Grouping": None}, "group"),
    ({"ServiceName": "WinRM"}, "service"),
    ({"Enabled": False}, "enabled"),
    ({"Profiles": 0x7FFFFFFF}, "profiles"),
    ({"Profiles": 1}, "profiles"),
    ({"Profiles": 7}, "profiles"),  # domain+private+public stored as 7 is not 0x7fffffff
    ({"LocalAddresses": "198.18.10.1/255.255.255.255"}, "localip"),
    ({"RemoteAddresses": "198.18.10.21/255.255.255.255"}, "remoteip"),
    ({"RemoteAddresses": "198.18.10.21/255.255.255.255,198.18.10.0/255.255.255.128"}, "remoteip"),
    ({"RemoteAddresses": "*"}, "remoteip"),
    ({"RemoteAddresses": "198.18.10.21/255.255.255.255,198.18.10.0/255.255.255.0,198.18.11.99/255.255.255.255"},
     "remoteip"),
    # As Windows may hold a rule of ours: a keyword, a range wider than our peers.
    ({"RemoteAddresses": "LocalSubnet"}, "remoteip"),
    ({"RemoteAddresses": "localsubnet,198.18.10.21/255.255.255.255,198.18.10.0/255.255.255.0"}, "remoteip"),
    ({"RemoteAddresses": "198.18.10.0-198.18.11.255"}, "remoteip"),
    ({"RemoteAddresses": "198.18.10.21-198.18.10.21"}, "remoteip"),
    ({"RemoteAddresses": "not-an-address,198.18.10.0/255.255.255.0"}, "remoteip"),
    ({"LocalPorts": None}, "localport"),          # our port side unset is not our port
    # interfacetypes any / edge no are passed (winfw.module_args): compared, CW 208-217.
    ({"InterfaceTypes": "Lan"}, "interfacetypes"),
    ({"InterfaceTypes": "RemoteAccess,Lan,Wireless"}, "interfacetypes"),
    ({"EdgeTraversal": True, "EdgeTraversalOptions": 1}, "edge"),
    ({"EdgeTraversal": False, "EdgeTraversalOptions": 2}, "edge"),
    ({"LocalPorts": "50002"}, "localport"),
    ({"LocalPorts": "*"}, "localport"),
    ({"RemotePorts": "443"}, "remoteport"),
    ({"Protocol": 17}, "protocol"),
])
def test_each_compared_option_drifts(props, option):
    drifted = _with(**props)
    assert winfw.differences(ARGS, drifted) == [option]
    assert _sim_changed(drifted, ARGS) is True
    # After the module's change, nothing is left to do.
    rules = [copy.deepcopy(drifted)]
    sim.run(rules, dict(ARGS))
    assert winfw.differences(ARGS, rules[0]) == []
    assert sim.run(rules, dict(ARGS))["changed"] is False


def test_several_drifts_are_all_named_sorted():
    drifted = _with(Enabled=False, Profiles=4, RemotePorts="443", Description="x")
    assert winfw.differences(ARGS, drifted) == ["description", "enabled", "profiles", "remoteport"]
    assert _sim_changed(drifted, ARGS) is True


@pytest.mark.parametrize("props", [
    {"Description": "WEBROOT SECUREANYWHERE SWEEP NOW"},   # -ne: strings without case
    {"Grouping": "webroot enterprise"},
    {"Name": NAME.upper()},                                 # the name is selected, not compared
    {"RemoteAddresses": "198.18.10.0/255.255.255.0,198.18.10.21/255.255.255.255"},  # a set
    {"InterfaceTypes": "all"},                              # -ne: without case
    {"Interfaces": "Ethernet"},                             # not compared by the module
    {"SecureFlags": 2},                                     # security: not passed by the roles
])
def test_what_the_module_does_not_see_as_a_change(props):
    same = _with(**props)
    assert winfw.differences(ARGS, same) == []
    assert _sim_changed(same, ARGS) is False


@pytest.mark.parametrize("remoteip", [
    "198.18.10.0/255.255.255.0,198.18.10.21",
    "198.18.10.21/255.255.255.255,198.18.10.0/24",
    "198.18.10.0/24, 198.18.10.21/32",
])
def test_wanted_addresses_in_other_notations_are_no_difference(remoteip):
    args = dict(ARGS, remoteip=remoteip)
    assert winfw.differences(args, BASE) == []
    assert _sim_changed(BASE, args) is False


def test_any_in_other_case_is_any():
    args = dict(ARGS, program="ANY", service="Any", localip="Any", remoteport="ANY")
    assert winfw.differences(args, BASE) == []
    assert _sim_changed(BASE, args) is False


def test_profiles_as_the_module_counts_them():
    """ConvertTo-Profile: Select-Object -Unique is case-sensitive, switch is not, so
    [domain, Domain] is bit 1 twice = 2 (private) on the host (CW lines 50-64)."""
    args = dict(ARGS, profiles=["domain", "Domain"])
    assert winfw.differences(args, _with(Profiles=3)) == ["profiles"]
    assert winfw.differences(args, _with(Profiles=2)) == []
    assert _sim_changed(_with(Profiles=2), args) is False
    every = dict(ARGS, profiles=["public", "domain", "private"])
    assert winfw.differences(every, _with(Profiles=0x7FFFFFFF)) == []
    assert _sim_changed(_with(Profiles=0x7FFFFFFF), every) is False


def test_program_is_compared_without_case_and_unset_for_any():
    path = r"C:\Program Files\Webroot\WRSA.exe"
    args = dict(ARGS, program=path)
    assert winfw.differences(args, _with(ApplicationName=r"c:\program files\webroot\wrsa.exe")) == []
    assert winfw.differences(args, BASE) == ["program"]
    assert _sim_changed(BASE, args) is True
    assert winfw.differences(ARGS, _with(ApplicationName=path)) == ["program"]
    assert _sim_changed(_with(ApplicationName=path), ARGS) is True


def test_program_with_environment_variables_is_always_sent():
    """The module expands %VAR% on the host (CW line 196): the controller cannot."""
    args = dict(ARGS, program=r"%ProgramFiles%\Webroot\WRSA.exe")
    assert winfw.differences(args, _with(ApplicationName=r"C:\Program Files\Webroot\WRSA.exe")) == ["program"]


def test_null_and_empty_string_differ_as_in_powershell():
    """``"" -ne $null`` is true in PowerShell."""
    assert winfw.differences(ARGS, _with(Description=None)) == ["description"]
    assert winfw.differences(dict(ARGS, description=""), _with(Description=None)) == ["description"]
    assert winfw.differences(dict(ARGS, description=""), _with(Description="")) == []


def test_missing_rule_and_state_absent():
    assert winfw.differences(ARGS, None) == ["name"]
    assert winfw.differences({"name": NAME, "state": "absent"}, None) == []
    assert winfw.differences({"name": NAME, "state": "absent"}, BASE) == ["state"]
    assert sim.run([copy.deepcopy(BASE)], {"name": NAME, "state": "absent"})["changed"] is True
    assert sim.run([], {"name": NAME, "state": "absent"})["changed"] is False


def test_options_not_passed_are_not_compared():
    args = {"name": NAME, "enabled": True}
    drifted = _with(Description="x", Profiles=4, RemoteAddresses="*", Protocol=17)
    assert winfw.differences(args, drifted) == []
    assert _sim_changed(drifted, args) is False


def test_options_it_cannot_compare_are_refused():
    with pytest.raises(ValueError, match="icmp_type_code"):
        winfw.differences(dict(ARGS, icmp_type_code=["8:0"]), BASE)
    with pytest.raises(ValueError, match="security"):
        winfw.differences(dict(ARGS, security="authenticate"), BASE)


@pytest.mark.parametrize("chunk, profiles, program", [
    (CHUNK, ["domain", "private"], ""),
    (dict(CHUNK, remoteip="any"), ["domain", "private", "public"], r"C:\Program Files\Webroot\WRSA.exe"),
    ({"windows_name": "Webroot Enterprise - Update Service (TCP 443 out)", "description": "Updates",
      "direction": "out", "protocol": "tcp", "port": 443, "remoteip": "198.18.10.5/32,2001:db8::/64"},
     ["public"], ""),
])
def test_a_rule_created_by_the_module_reads_back_as_no_difference(tmp_path, chunk, profiles, program):
    """module_args -> simulated win_firewall_rule creates the rule -> the read's
    answer (COM form) -> differences() == [] and a second run changes nothing."""
    args = winfw.module_args(chunk, profiles, program)
    rules = []
    assert sim.run(rules, dict(args))["changed"] is True
    store = {"rules": rules, "profiles": sim.load_store(str(tmp_path / "none.json"))["profiles"],
             "current_profiles": ["domain"]}
    (read,) = sim.read_firewall(store, "Webroot Enterprise", "Webroot Enterprise - ")["Rules"]
    assert winfw.differences(args, read) == []
    assert sim.run(rules, dict(args))["changed"] is False
    # com_rule(): what the engine remembers after writing is what the read gives.
    assert winfw.com_rule(args) == read
    assert winfw.differences(args, winfw.com_rule(args)) == []


def test_com_rule_by_hand():
    assert winfw.com_rule(ARGS) == dict((k, v) for k, v in BASE.items() if k not in (
        "Id", "IcmpTypesAndCodes", "Interfaces", "EdgeTraversalOptions", "SecureFlags"))


# --- rules as Windows may hold them (issue 23, item 5) ----------------------------------

V6_ARGS = dict(ARGS, remoteip="2001:db8::5/128,198.18.10.0/24")


@pytest.mark.parametrize("held", [
    "2001:db8::5/128,198.18.10.0/255.255.255.0",
    "2001:db8::5-2001:db8::5,198.18.10.0/255.255.255.0",    # a bare IPv6 as the range a-a
    "2001:DB8::5,198.18.10.0/24",                           # upper case, no prefix
    "2001:0db8:0000:0000:0000:0000:0000:0005/128,198.18.10.0/255.255.255.0",
    "198.18.10.0-198.18.10.255,2001:db8::5/128",            # a range that is exactly the network
    "198.18.10.0/255.255.255.128,198.18.10.128/255.255.255.128,2001:db8::5/128",  # same addresses
])
def test_addresses_held_in_another_form_are_no_difference(held):
    """The host's tokens are taken as the addresses they admit: whichever of these
    forms COM keeps for our value, the rule converges (no call every run)."""
    assert winfw.differences(V6_ARGS, _with(RemoteAddresses=held)) == []


def test_a_redundant_entry_inside_our_networks_is_left_alone():
    """198.18.10.99 inside our 198.18.10.0/24 admits nothing more: no difference for
    the controller, although the module itself, if called, would rewrite the list
    (3 tokens against 2, CW lines 294-300); the simulator says so."""
    held = _with(RemoteAddresses="198.18.10.21/255.255.255.255,198.18.10.0/255.255.255.0,"
                                 "198.18.10.99/255.255.255.255")
    assert winfw.differences(ARGS, held) == []
    assert _sim_changed(held, ARGS) is True


@pytest.mark.parametrize("answer", ["*", None])
def test_the_unused_port_side_converges_whether_windows_answers_star_or_null(answer, monkeypatch):
    """Inbound: RemotePorts unused; outbound: LocalPorts unused (we pass 'any')."""
    assert winfw.differences(ARGS, _with(RemotePorts=answer)) == []
    outbound = dict(ARGS, direction="out", localport="any", remoteport="443")
    assert winfw.differences(outbound, _with(Direction=2, LocalPorts=answer, RemotePorts="443")) == []
    # The simulator switched to answer null (WEBROOT_WINFW_SIMULATOR_UNUSED_PORTS):
    # the rule the module creates reads null, and both sides agree it is no change.
    monkeypatch.setenv(sim.UNUSED_PORTS_ENV, "null" if answer is None else "*")
    rules = []
    sim.run(rules, dict(ARGS))
    assert (rules[0]["LocalPorts"], rules[0]["RemotePorts"]) == ("50001", answer)
    assert winfw.differences(ARGS, rules[0]) == []
    assert sim.run(rules, dict(ARGS))["changed"] is False


def test_the_edge_option_from_the_read_s_boolean():
    """The read returns EdgeTraversal (bool); EdgeTraversalOptions only where given."""
    read = dict((k, v) for k, v in BASE.items() if k != "EdgeTraversalOptions")
    assert winfw.differences(ARGS, read) == []
    assert winfw.differences(ARGS, dict(read, EdgeTraversal=True)) == ["edge"]
    assert winfw.differences(ARGS, dict(read, EdgeTraversal=None)) == ["edge"]


@pytest.mark.parametrize("value, expected", [
    ("any", "All"), (["ANY"], "All"), ("ras,lan,wireless", "RemoteAccess,Lan,Wireless"),
    (["ras", "lan"], "RemoteAccess,Lan"), (["Lan", "lan"], "Lan,Lan"),
])
def test_interface_types_as_the_module_converts_them(value, expected):
    """CW lines 66-77, 208-210 (Select-Object -Unique with case, switch without)."""
    assert winfw.interface_types(value) == expected
    assert winfw.new_values(dict(ARGS, interfacetypes=value))["InterfaceTypes"] == expected


def test_interface_types_and_edge_refused_as_the_module_refuses_them():
    with pytest.raises(ValueError, match="Unknown interface type 'any'"):
        winfw.interface_types(["any", "lan"])
    with pytest.raises(ValueError, match="Unknown edge"):
        winfw.edge_option("sometimes")
    assert [winfw.edge_option(v) for v in ("no", "NO", "yes", "deferapp", "DeferUser")] == [0, 0, 1, 2, 3]


@pytest.mark.parametrize("protocol", [256, 1, 58, 47])
def test_a_rule_without_ports_gets_its_protocol_first(protocol):
    """The module's update loop sets LocalPorts/RemotePorts before Protocol (CW lines
    226-228, 288-319); COM refuses a port on a rule whose protocol has none. One
    call with name and protocol first, then the full call, converges."""
    drifted = _with(Protocol=protocol, LocalPorts=None, RemotePorts=None)
    assert winfw.differences(ARGS, drifted) == ["localport", "protocol"]
    rules = [copy.deepcopy(drifted)]
    with pytest.raises(sim.SimulatorError, match="LocalPorts"):
        sim.run(rules, dict(ARGS))
    first = winfw.protocol_first(ARGS, drifted)
    assert first == {"name": NAME, "protocol": "tcp"}
    rules = [copy.deepcopy(drifted)]
    assert sim.run(rules, first)["changed"] is True
    assert sim.run(rules, dict(ARGS))["changed"] is True
    assert winfw.differences(ARGS, rules[0]) == []
    assert sim.run(rules, dict(ARGS))["changed"] is False


def test_no_protocol_call_first_where_none_is_needed():
    assert winfw.protocol_first(ARGS, BASE) is None                       # TCP already
    assert winfw.protocol_first(ARGS, _with(Protocol=17)) is None          # UDP has ports
    assert winfw.protocol_first(ARGS, None) is None                        # created: $new_rule order
    assert winfw.protocol_first({"name": NAME, "state": "absent"}, _with(Protocol=256)) is None
    assert winfw.protocol_first({"name": NAME, "protocol": "tcp"}, _with(Protocol=256)) is None
    assert winfw.protocol_first(dict(ARGS, protocol="icmpv4"), _with(Protocol=256)) is None

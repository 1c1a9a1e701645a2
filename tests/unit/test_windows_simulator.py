# -*- coding: utf-8 -*-
# Copyright: (c) 2026, webroot.enterprise contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The Windows Firewall SIMULATOR used by tests/integration/test_windows_simulated.py.

The integration tests are only as good as the simulator, so its behaviour is
pinned here against what community.windows.win_firewall_rule does on Windows
(win_firewall_rule.ps1): selection by name, comparison of the passed options
only, set comparison of addresses, removal of every rule with the name, check
mode. Also: the PowerShell read script of roles/_common/tasks/windows.yml parses,
and it outputs the fields the simulator returns for it.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import importlib.util
import json
import os
import subprocess

import pytest
import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
COLLECTIONS = os.path.join(ROOT, "tests", "simulators", "collections")
UTILS = os.path.join(COLLECTIONS, "ansible_collections", "community", "windows", "plugins",
                     "module_utils", "windows_firewall_simulator.py")
WINDOWS_TASKS = os.path.join(ROOT, "roles", "_common", "tasks", "windows.yml")

_spec = importlib.util.spec_from_file_location("windows_firewall_simulator", UTILS)
sim = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(sim)


def params(**kwargs):
    base = dict((k, None) for k in (
        "enabled", "name", "group", "direction", "action", "description", "localip", "remoteip",
        "localport", "remoteport", "program", "service", "protocol", "profiles", "icmp_type_code"))
    base["state"] = "present"
    base.update(kwargs)
    return base


WANTED = params(name="Webroot Enterprise - Sweep Now (TCP 50001 in)", group="Webroot Enterprise",
                description="Sweep", direction="in", action="allow", protocol="tcp",
                localport="50001", remoteport="any", localip="any",
                remoteip="198.18.10.21/32,198.18.10.22/32", program="any", service="any",
                profiles=["domain", "private"], enabled=True)


def test_create_check_mode_writes_nothing():
    rules = []
    result = sim.run(rules, WANTED, check_mode=True)
    assert result["changed"] is True
    assert rules == []
    assert result["prepared"].startswith("+[Webroot Enterprise - Sweep Now (TCP 50001 in)]\n")


def test_create_sets_com_values():
    rules = []
    assert sim.run(rules, WANTED)["changed"] is True
    (rule,) = rules
    assert rule["Name"] == WANTED["name"]
    assert rule["Grouping"] == "Webroot Enterprise"
    assert (rule["Direction"], rule["Action"], rule["Protocol"], rule["Profiles"]) == (1, 1, 6, 3)
    assert (rule["LocalPorts"], rule["RemotePorts"]) == ("50001", "*")
    assert rule["RemoteAddresses"] == "198.18.10.21/255.255.255.255,198.18.10.22/255.255.255.255"
    assert sim.remote_networks(rule["RemoteAddresses"]) == ["198.18.10.21/32", "198.18.10.22/32"]
    assert rule["ApplicationName"] is None and rule["Enabled"] is True


def test_same_options_are_no_change_and_address_order_does_not_matter():
    rules = []
    sim.run(rules, WANTED)
    before = json.dumps(rules, sort_keys=True)
    again = dict(WANTED, remoteip="198.18.10.22,198.18.10.21")
    result = sim.run(rules, again)
    assert result["changed"] is False
    assert json.dumps(rules, sort_keys=True) == before


def test_update_changes_only_what_differs():
    rules = []
    sim.run(rules, WANTED)
    rule_id = rules[0]["Id"]
    result = sim.run(rules, dict(WANTED, profiles=["domain", "private", "public"]), check_mode=True)
    assert result["changed"] is True and rules[0]["Profiles"] == 3
    result = sim.run(rules, dict(WANTED, profiles=["domain", "private", "public"]))
    assert result["changed"] is True
    assert rules[0]["Profiles"] == sim.ALL_PROFILES and rules[0]["Id"] == rule_id
    assert "-Profiles='3'\n+Profiles='2147483647'\n" in result["prepared"]


def test_options_not_passed_are_not_compared():
    rules = []
    sim.run(rules, WANTED)
    result = sim.run(rules, params(name=WANTED["name"], enabled=True))
    assert result["changed"] is False


def test_absent_removes_every_rule_with_the_name_and_nothing_else():
    other = sim.new_com_rule()
    other.update(Name="Someone else", Grouping="Other")
    rules = [other]
    sim.run(rules, WANTED)
    rules.append(dict(rules[-1], Id="{X}"))
    result = sim.run(rules, params(name=WANTED["name"], state="absent"), check_mode=True)
    assert result["changed"] is True and len(rules) == 3
    result = sim.run(rules, params(name=WANTED["name"], state="absent"))
    assert result["changed"] is True and rules == [other]
    assert sim.run(rules, params(name=WANTED["name"], state="absent"))["changed"] is False


@pytest.mark.parametrize("bad, message", [
    (dict(protocol="any", localport="50001"), "E_INVALIDARG"),
    (dict(localport="5000x"), "E_INVALIDARG"),
    (dict(localport="70000"), "E_INVALIDARG"),
    (dict(remoteip="198.18.10.300"), "E_INVALIDARG"),
    (dict(protocol="sctp-ish"), "Unknown protocol"),
    (dict(profiles=["home"]), "Unknown profile 'home'"),
])
def test_what_windows_rejects(bad, message):
    with pytest.raises(sim.SimulatorError, match=message):
        sim.run([], dict(WANTED, **bad))


def test_name_or_group_required():
    with pytest.raises(sim.SimulatorError, match="Either name or group"):
        sim.run([], params())


def test_read_query_selects_group_and_names():
    mine = sim.new_com_rule()
    mine.update(Name="A", Grouping="Webroot Enterprise", Enabled=True)
    named = sim.new_com_rule()
    named.update(Name="B", Grouping="Other", Direction=2)
    unrelated = sim.new_com_rule()
    unrelated.update(Name="C", Grouping="Other")
    out = sim.get_net_firewall_rule([mine, named, unrelated], "Webroot Enterprise", ["B"])
    assert sorted((o["DisplayName"], o["Group"], o["Direction"]) for o in out) == [
        ("A", "Webroot Enterprise", "Inbound"), ("B", "Other", "Outbound")]


def test_store_needs_its_environment_variable():
    with pytest.raises(sim.SimulatorError, match=sim.STORE_ENV):
        sim.store_path({})


def _read_script():
    tasks = yaml.safe_load(open(WINDOWS_TASKS))
    (task,) = [t for t in tasks if "ansible.windows.win_powershell" in t]
    return task["ansible.windows.win_powershell"]["script"]


def test_read_script_parses_and_outputs_what_the_simulator_returns():
    ts = pytest.importorskip("tree_sitter")
    tsp = pytest.importorskip("tree_sitter_powershell")
    script = _read_script()
    tree = ts.Parser(ts.Language(tsp.language())).parse(script.encode("utf-8"))
    assert not tree.root_node.has_error
    fields = sim.net_firewall_rule(dict(sim.new_com_rule(), Name="x")).keys()
    for field in fields:
        assert "%s = " % field in " ".join(script.split()), field


def _module(tmp_path, *args):
    env = dict(os.environ)
    env.pop("ANSIBLE_CONFIG", None)
    env.update(ANSIBLE_COLLECTIONS_PATH=COLLECTIONS,
               WEBROOT_WINFW_SIMULATOR_STORE=str(tmp_path / "store.json"),
               ANSIBLE_LOCAL_TEMP=str(tmp_path / "tmp"), ANSIBLE_NOCOLOR="1")
    cmd = [os.path.join(ROOT, ".venv", "bin", "ansible"), "localhost", "-c", "local",
           "-e", "ansible_python_interpreter=" + os.path.join(ROOT, ".venv", "bin", "python")] + list(args)
    return subprocess.run(cmd, env=env, cwd=str(tmp_path), stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, universal_newlines=True, timeout=120, check=False)


def test_module_validates_options_like_the_real_one(tmp_path):
    if not os.access(os.path.join(ROOT, ".venv", "bin", "ansible"), os.X_OK):
        pytest.skip("no .venv/bin/ansible")
    bad = _module(tmp_path, "-m", "community.windows.win_firewall_rule",
                  "-a", "name=x direction=sideways")
    assert bad.returncode != 0 and "direction" in bad.stdout and "sideways" in bad.stdout
    good = _module(tmp_path, "-m", "community.windows.win_firewall_rule", "--check",
                   "-a", "name=x direction=in protocol=tcp localport=50001 profile=domain")
    assert good.returncode == 0, good.stdout
    assert "CHANGED" in good.stdout
    assert not (tmp_path / "store.json").exists()

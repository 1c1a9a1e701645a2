# -*- coding: utf-8 -*-
# Copyright: (c) 2026, webroot.enterprise contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The Windows Firewall SIMULATOR used by tests/integration/test_windows_simulated.py.

The integration tests are only as good as the simulator, so its behaviour is
pinned here against what community.windows.win_firewall_rule does on Windows
(win_firewall_rule.ps1): selection by name, comparison of the passed options
only, set comparison of addresses, removal of every rule with the name, check
mode; the win_powershell stand-in's answer to the collection's read
(plugins/plugin_utils/webroot_read.ps1), the store's profile model, the call log.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import importlib.util
import json
import os
import re
import subprocess

import pytest
import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
COLLECTIONS = os.path.join(ROOT, "tests", "simulators", "collections")
UTILS = os.path.join(COLLECTIONS, "ansible_collections", "community", "windows", "plugins",
                     "module_utils", "windows_firewall_simulator.py")
READ_SCRIPT = os.path.join(ROOT, "plugins", "plugin_utils", "webroot_read.ps1")

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


def test_store_needs_its_environment_variable():
    with pytest.raises(sim.SimulatorError, match=sim.STORE_ENV):
        sim.store_path({})


# --- behaviours copied from the real sources (cited in the simulator) -------------

@pytest.mark.parametrize("given, stored", [
    ("198.18.10.21", "198.18.10.21/255.255.255.255"),
    ("198.18.10.21/32", "198.18.10.21/255.255.255.255"),
    ("198.18.10.21/255.255.255.255", "198.18.10.21/255.255.255.255"),
    ("198.18.10.0/24", "198.18.10.0/255.255.255.0"),
    ("198.18.10.0/255.255.255.0", "198.18.10.0/255.255.255.0"),
    ("198.18.10.1-198.18.10.9", "198.18.10.1-198.18.10.9"),
    ("2001:db8::1", "2001:db8::1/128"),
])
def test_address_normalisation_to_the_com_form(given, stored):
    """MSDOC-ADDR: no mask means 255.255.255.255; prefix and mask notation are one."""
    assert sim.addresses(given) == stored


def test_addresses_compare_as_sets_across_notations():
    """CW lines 292-300: -split ',' then Compare-Object; /32 vs bare vs mask is no change."""
    rules = []
    sim.run(rules, dict(WANTED, remoteip="198.18.10.21/32,198.18.10.0/24"))
    again = dict(WANTED, remoteip="198.18.10.0/255.255.255.0,198.18.10.21")
    assert sim.run(rules, again)["changed"] is False
    assert sim.run(rules, dict(WANTED, remoteip="198.18.10.21"))["changed"] is True


@pytest.mark.parametrize("profiles, mask", [
    (["domain"], 1), (["private"], 2), (["public"], 4), (["domain", "private"], 3),
    (["domain", "private", "public"], 0x7FFFFFFF), (["Domain", "PRIVATE"], 3),
    (["domain", "domain"], 1), (["domain", "Domain"], 2),
])
def test_profile_bitmask(profiles, mask):
    """CW lines 50-64: bits 1/2/4, 7 -> 0x7fffffff; switch is case-insensitive, while
    Select-Object -Unique is case-sensitive in PowerShell 5.1 (so domain+Domain = 2)."""
    assert sim.profile_mask(profiles) == mask


def test_names_match_case_insensitively_whatever_the_group():
    """CW lines 177-185 and 243-257: $_.Name -eq $name selects (and absent removes)
    every rule whose name matches in any case, in any group."""
    foreign = sim.new_com_rule()
    # A TCP rule: on a protocol-any one the update would fail (ports before protocol,
    # test_upstream_win_firewall_rule.py).
    foreign.update(Name=WANTED["name"].upper(), Grouping="Someone else", Enabled=True, Protocol=6,
                   LocalPorts="*", RemotePorts="*")
    unrelated = sim.new_com_rule()
    unrelated.update(Name="Webroot Enterprise - Sweep Now (TCP 50001 in) copy", Grouping="Webroot Enterprise")
    rules = [foreign, unrelated]
    result = sim.run(rules, WANTED)
    assert result["changed"] is True and len(rules) == 2  # the foreign rule was updated, none created
    assert foreign["Grouping"] == "Webroot Enterprise" and foreign["Name"] == WANTED["name"].upper()
    sim.run(rules, params(name=WANTED["name"].lower(), state="absent"))
    assert rules == [unrelated]


@pytest.mark.parametrize("option, value", [
    ("direction", "IN"), ("direction", "Out"), ("action", "Allow"), ("state", "Present"),
])
def test_legacy_choices_are_case_insensitive(option, value):
    """LEGACY line 187: $ValidateSet -contains $value (case-insensitive), then the
    module's switch/-eq (CW lines 28-47, 232, 261), also case-insensitive."""
    rules = []
    assert sim.run(rules, dict(WANTED, **{option: value}))["changed"] is True
    assert (rules[0]["Direction"], rules[0]["Action"]) == (
        2 if value == "Out" else 1, 1)
    assert sim.run(rules, params(name=WANTED["name"], state="ABSENT"))["changed"] is True
    assert rules == []


def test_legacy_choice_rejects_other_values():
    with pytest.raises(sim.SimulatorError, match="Argument direction needs to be one of in,out but was sideways"):
        sim.run([], dict(WANTED, direction="sideways"))


def _hosts(count, start=0):
    return ["198.18.%d.%d" % ((start + i) // 250, (start + i) % 250 + 1) for i in range(count)]


def test_remote_address_limit_of_1000_entries():
    """Windows 10 / Server 2016-2019 refuse more than 1,000 remote address entries per
    rule (MichaelApproved/powershell-block-windows-attack#1, henrypp/simplewall#1250)."""
    rules = []
    assert sim.run(rules, dict(WANTED, remoteip=",".join(_hosts(1000))))["changed"] is True
    assert sim.address_entries(rules[0]["RemoteAddresses"]) == 1000
    with pytest.raises(sim.SimulatorError, match=r"E_INVALIDARG.*1001 remote address entries.*at most 1000"):
        sim.run([], dict(WANTED, remoteip=",".join(_hosts(1001))))
    with pytest.raises(sim.SimulatorError, match="1001 remote address entries"):
        sim.run(rules, dict(WANTED, remoteip=",".join(_hosts(1001))))  # an update too
    assert sim.address_entries(rules[0]["RemoteAddresses"]) == 1000


def test_a_range_or_subnet_is_one_entry():
    many = ["198.18.%d.0/24" % i for i in range(250)] + ["198.19.%d.0/255.255.255.0" % i for i in range(250)]
    many += ["10.%d.0.1-10.%d.0.200" % (i, i) for i in range(250)] + _hosts(250)
    assert len(many) == 1000
    rules = []
    assert sim.run(rules, dict(WANTED, remoteip=",".join(many)))["changed"] is True
    with pytest.raises(sim.SimulatorError, match="1001"):
        sim.run([], dict(WANTED, remoteip=",".join(many + ["192.0.2.0/24"])))


def test_local_addresses_are_not_limited_by_the_remote_limit():
    assert sim.address_entries(sim.addresses(",".join(_hosts(1001)), "LocalAddresses")) == 1001


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


def _playbook(tmp_path, tasks, store=None, log=None):
    """Run ``tasks`` on localhost against the stand-ins; ``store``: the store file's
    content (written as is), ``log``: the call log's path."""
    if store is not None:
        (tmp_path / "store.json").write_text(json.dumps(store))
    play = [{"hosts": "localhost", "gather_facts": False, "tasks": tasks}]
    (tmp_path / "play.yml").write_text(yaml.safe_dump(play))
    env = dict(os.environ)
    env.pop("ANSIBLE_CONFIG", None)
    env.pop(sim.LOG_ENV, None)
    env.update(ANSIBLE_COLLECTIONS_PATH=COLLECTIONS,
               WEBROOT_WINFW_SIMULATOR_STORE=str(tmp_path / "store.json"),
               ANSIBLE_LOCAL_TEMP=str(tmp_path / "tmp"), ANSIBLE_NOCOLOR="1",
               ANSIBLE_STDOUT_CALLBACK="ansible.builtin.json")
    if log is not None:
        env[sim.LOG_ENV] = str(log)
    cmd = [os.path.join(ROOT, ".venv", "bin", "ansible-playbook"), "-i", "localhost,", "-c", "local",
           "-e", "ansible_python_interpreter=" + os.path.join(ROOT, ".venv", "bin", "python"),
           str(tmp_path / "play.yml")]
    proc = subprocess.run(cmd, env=env, cwd=str(tmp_path), stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, universal_newlines=True, timeout=120, check=False)
    return proc, json.loads(proc.stdout)


def _task_results(report):
    return [task["hosts"]["localhost"] for play in report["plays"] for task in play["tasks"]]


# --- the read: plugins/plugin_utils/webroot_read.ps1 and the stand-in's answer ------

# The 16 COM properties the read returns per rule (written out here, not taken
# from the simulator).
READ_KEYS = {"Name", "Description", "ApplicationName", "ServiceName", "Protocol", "LocalPorts",
             "RemotePorts", "LocalAddresses", "RemoteAddresses", "Direction", "Action", "Enabled",
             "Grouping", "Profiles", "InterfaceTypes", "EdgeTraversal"}


def _read_script():
    with open(READ_SCRIPT) as handle:
        return handle.read()


def _parses(script):
    ts = pytest.importorskip("tree_sitter")
    tsp = pytest.importorskip("tree_sitter_powershell")
    tree = ts.Parser(ts.Language(tsp.language())).parse(script.encode("utf-8"))
    return not tree.root_node.has_error


def test_read_script_parses_and_is_recognised():
    script = _read_script()
    assert _parses(script)
    assert sim.read_script_problems(script) == []
    # What the brief of the read asks of it, checked on its text.
    assert script.startswith("[CmdletBinding(SupportsShouldProcess = $true)]")
    assert not re.search(r"^\s*#Requires", script, re.IGNORECASE | re.MULTILINE)
    assert "$Ansible.Changed = $false" in script
    assert script.count("New-Object -ComObject HNetCfg.FwPolicy2") == 1
    assert script.count("$fw.Rules") == 1


@pytest.mark.parametrize("change, problem", [
    (("$fw.Rules)", "$fw.Rules)\n$fw.Rules.Add($null)"), "uses .Rules.Add"),
    (("$Ansible.Changed = $false", "$Ansible.Changed = $false\nSet-NetFirewallRule"), "uses Set-NetFirewall"),
    (("$Prefix = ''", "$DisplayName = ''"), "parameters Group, DisplayName"),
    (("'InterfaceTypes', 'EdgeTraversal'", "'InterfaceTypes'"), "does not name EdgeTraversal"),
    (("$values[$property] = $rule.$property", "$rule.Enabled = $true"), "uses $rule.Enabled ="),
    (("$service = Get-Service -Name MpsSvc", "Start-Service -Name MpsSvc\n$service = Get-Service -Name MpsSvc"),
     "uses Start-Service"),
    (("$current = [int]$fw.CurrentProfileTypes", "$current = [int]$fw.LocalPolicyModifyState"),
     "uses LocalPolicyModifyState"),
])
def test_other_scripts_are_not_the_read(change, problem):
    script = _read_script()
    assert change[0] in script
    problems = sim.read_script_problems(script.replace(change[0], change[1]))
    assert any(problem in p for p in problems), problems


def _rule(**props):
    rule = sim.new_com_rule()
    rule.update(props)
    return rule


def test_read_selects_group_or_name_prefix_without_case():
    ours = _rule(Name="Webroot Enterprise - Sweep Now (TCP 50001 in)", Grouping="webroot ENTERPRISE",
                 Protocol=6, LocalPorts="50001", RemotePorts="*", Enabled=True, Profiles=3,
                 RemoteAddresses="198.18.10.21/255.255.255.255", Description="Sweep")
    foreign = _rule(Name="WEBROOT ENTERPRISE - Poll Now (TCP 50009 in)", Grouping="Other", Direction=2)
    unnamed_in_group = _rule(Name="Something", Grouping="Webroot Enterprise")
    inside = _rule(Name="Copy of Webroot Enterprise - Sweep Now", Grouping="Other")
    ungrouped = _rule(Name="Remote Desktop")
    store = {"rules": [inside, ours, ungrouped, foreign, unnamed_in_group],
             "profiles": sim.load_store("/nonexistent")["profiles"], "current_profiles": ["domain"]}
    out = sim.read_firewall(store, "Webroot Enterprise", "Webroot Enterprise - ")
    assert [r["Name"] for r in out["Rules"]] == [
        "Webroot Enterprise - Sweep Now (TCP 50001 in)", "WEBROOT ENTERPRISE - Poll Now (TCP 50009 in)",
        "Something"]
    assert set(out["Rules"][0]) == READ_KEYS
    assert out["Rules"][0] == {
        "Name": "Webroot Enterprise - Sweep Now (TCP 50001 in)", "Description": "Sweep",
        "ApplicationName": None, "ServiceName": None, "Protocol": 6, "LocalPorts": "50001",
        "RemotePorts": "*", "LocalAddresses": "*", "RemoteAddresses": "198.18.10.21/255.255.255.255",
        "Direction": 1, "Action": 1, "Enabled": True, "Grouping": "webroot ENTERPRISE", "Profiles": 3,
        "InterfaceTypes": "All", "EdgeTraversal": False}
    assert (out["Rules"][1]["Direction"], out["Rules"][1]["Grouping"]) == (2, "Other")
    # Only the group, only the prefix, neither ($Group -and / $Prefix -and guards).
    assert [r["Name"] for r in sim.read_firewall(store, "WEBROOT enterprise", "")["Rules"]] == [
        "Webroot Enterprise - Sweep Now (TCP 50001 in)", "Something"]
    assert [r["Name"] for r in sim.read_firewall(store, "", "webroot enterprise - ")["Rules"]] == [
        "Webroot Enterprise - Sweep Now (TCP 50001 in)", "WEBROOT ENTERPRISE - Poll Now (TCP 50009 in)"]
    assert sim.read_firewall(store, "", "")["Rules"] == []


def test_profile_model_defaults(tmp_path):
    """No profile model in the store: every profile on, local rules and inbound allow
    rules applied, current profile Domain (README: Windows defaults, and the
    simulator's choice of Domain); no Group Policy rule, the service running."""
    sim.save(str(tmp_path / "store.json"), [])
    out = sim.read_firewall(sim.load_store(str(tmp_path / "store.json")), "G", "P")
    assert out == {"Rules": [], "PolicyRules": [], "CurrentProfiles": ["Domain"], "MpsSvc": "Running", "Profiles": [
        {"Profile": "Domain", "Enabled": True, "AllowLocalRules": True, "AllowInboundRules": True},
        {"Profile": "Private", "Enabled": True, "AllowLocalRules": True, "AllowInboundRules": True},
        {"Profile": "Public", "Enabled": True, "AllowLocalRules": True, "AllowInboundRules": True}]}


def test_profile_model_given_and_kept_when_rules_are_saved(tmp_path):
    path = str(tmp_path / "store.json")
    (tmp_path / "store.json").write_text(json.dumps({
        "rules": [], "profiles": {"public": {"enabled": False}, "private": {"allow_local_rules": False}},
        "current_profiles": ["private", "public"]}))
    sim.save(path, [_rule(Name="x")])  # what the win_firewall_rule stand-in does after a change
    store = sim.load_store(path)
    assert [r["Name"] for r in store["rules"]] == ["x"]
    out = sim.read_firewall(store, "G", "P")
    assert out["CurrentProfiles"] == ["Private", "Public"]
    assert out["Profiles"] == [
        {"Profile": "Domain", "Enabled": True, "AllowLocalRules": True, "AllowInboundRules": True},
        {"Profile": "Private", "Enabled": True, "AllowLocalRules": False, "AllowInboundRules": True},
        {"Profile": "Public", "Enabled": False, "AllowLocalRules": True, "AllowInboundRules": True}]


def test_call_log(tmp_path):
    log = tmp_path / "calls.jsonl"
    sim.log_call("win_powershell", False, environ={})  # no log asked for: nothing written
    assert not log.exists()
    environ = {sim.LOG_ENV: str(log), sim.STORE_ENV: "/stores/h1.json"}
    sim.log_call("win_powershell", False, environ=environ)
    sim.log_call("win_firewall_rule", True, environ=environ)
    sim.log_call("win_firewall_rule", False, failed=True, environ=environ)
    assert [json.loads(line) for line in log.read_text().splitlines()] == [
        {"module": "win_powershell", "store": "/stores/h1.json", "changed": False},
        {"module": "win_firewall_rule", "store": "/stores/h1.json", "changed": True},
        {"module": "win_firewall_rule", "store": "/stores/h1.json", "changed": False, "failed": True}]


def test_stand_ins_answer_the_read_in_check_mode_too_and_log_every_call(tmp_path):
    if not os.access(os.path.join(ROOT, ".venv", "bin", "ansible-playbook"), os.X_OK):
        pytest.skip("no .venv/bin/ansible-playbook")
    script = _read_script()
    foreign = _rule(Id="{F}", Name="WEBROOT ENTERPRISE - Poll Now (TCP 50009 in)", Grouping="Other")
    store = {"rules": [foreign],
             "profiles": {"public": {"enabled": False}, "private": {"allow_local_rules": False}},
             "current_profiles": ["private", "public"]}
    create = {"community.windows.win_firewall_rule": {
        "name": "Webroot Enterprise - Sweep Now (TCP 50001 in)", "group": "Webroot Enterprise",
        "description": "Sweep", "direction": "IN", "action": "Allow", "state": "Present",
        "protocol": "tcp", "localport": "50001", "remoteip": "198.18.10.21/32",
        "profiles": ["Domain", "private"]}}
    read = {"ansible.windows.win_powershell": {
        "script": script, "error_action": "Stop", "depth": 3,
        "parameters": {"group": "webroot enterprise", "Prefix": "WEBROOT ENTERPRISE - "}}}
    no_should_process = {"ansible.windows.win_powershell": {
        "script": script.replace("SupportsShouldProcess = $true", ""),
        "parameters": {"Group": "Webroot Enterprise"}}, "check_mode": True}
    tasks = [
        dict(create, name="create, choices in another case"),
        dict(create, name="again: no change"),
        dict(read, name="read"),
        dict(read, name="read in check mode", check_mode=True),
        dict(no_should_process, name="without SupportsShouldProcess, check mode skips it"),
        {"name": "unknown parameter", "ignore_errors": True, "ansible.windows.win_powershell": {
            "script": script, "parameters": {"Group": "x", "DisplayName": "y"}}},
        {"name": "bad error_action", "ignore_errors": True, "ansible.windows.win_powershell": {
            "script": script, "error_action": "halt", "parameters": {"Group": "x"}}},
        {"name": "not the read", "ignore_errors": True, "ansible.windows.win_powershell": {
            "script": "Get-NetFirewallRule | Select-Object Name", "parameters": {}}},
    ]
    log = tmp_path / "calls.jsonl"
    proc, report = _playbook(tmp_path, tasks, store, log=log)
    created, again, answered, answered_check, skipped, unknown, bad, other = _task_results(report)
    assert created.get("changed") is True and again.get("changed") is False, proc.stdout
    expected = {"CurrentProfiles": ["Private", "Public"], "MpsSvc": "Running", "PolicyRules": [], "Profiles": [
        {"Profile": "Domain", "Enabled": True, "AllowLocalRules": True, "AllowInboundRules": True},
        {"Profile": "Private", "Enabled": True, "AllowLocalRules": False, "AllowInboundRules": True},
        {"Profile": "Public", "Enabled": False, "AllowLocalRules": True, "AllowInboundRules": True}], "Rules": [
        {"Name": "WEBROOT ENTERPRISE - Poll Now (TCP 50009 in)", "Description": None,
         "ApplicationName": None, "ServiceName": None, "Protocol": 256, "LocalPorts": None,
         "RemotePorts": None, "LocalAddresses": "*", "RemoteAddresses": "*", "Direction": 1,
         "Action": 1, "Enabled": False, "Grouping": "Other", "Profiles": 2147483647,
         "InterfaceTypes": "All", "EdgeTraversal": False},
        {"Name": "Webroot Enterprise - Sweep Now (TCP 50001 in)", "Description": "Sweep",
         "ApplicationName": None, "ServiceName": None, "Protocol": 6, "LocalPorts": "50001",
         "RemotePorts": "*", "LocalAddresses": "*", "RemoteAddresses": "198.18.10.21/255.255.255.255",
         "Direction": 1, "Action": 1, "Enabled": True, "Grouping": "Webroot Enterprise", "Profiles": 3,
         "InterfaceTypes": "All", "EdgeTraversal": False}]}
    for result in (answered, answered_check):
        assert result.get("changed") is False and not result.get("failed"), result
        assert result["output"] == [expected]
    assert skipped.get("changed") is True and skipped["msg"] == "skipped, running in check mode"
    # Upstream asserts the skipped run's output is [] (ansible.windows 3.3.0
    # tests/integration/targets/win_powershell/tasks/tests.yml lines 654-659).
    assert skipped["output"] == []
    assert unknown.get("failed") is True and "parameter name 'DisplayName'" in unknown["msg"]
    assert bad.get("failed") is True and "error_action must be one of" in bad["msg"]
    assert other.get("failed") is True and "webroot_read.ps1" in other["msg"]
    store_path = str(tmp_path / "store.json")
    assert [json.loads(line) for line in log.read_text().splitlines()] == [
        {"module": "win_firewall_rule", "store": store_path, "changed": True},
        {"module": "win_firewall_rule", "store": store_path, "changed": False},
        {"module": "win_powershell", "store": store_path, "changed": False},
        {"module": "win_powershell", "store": store_path, "changed": False},
        {"module": "win_powershell", "store": store_path, "changed": True},
        {"module": "win_powershell", "store": store_path, "changed": False, "failed": True},
        {"module": "win_powershell", "store": store_path, "changed": False, "failed": True},
        {"module": "win_powershell", "store": store_path, "changed": False, "failed": True}]
    # The profile model survived the rule change.
    assert sim.load_store(store_path)["current_profiles"] == ["private", "public"]

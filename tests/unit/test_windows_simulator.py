# -*- coding: utf-8 -*-
# Copyright: (c) 2026, webroot.enterprise contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The Windows Firewall SIMULATOR used by tests/integration/test_windows_simulated.py.

The integration tests are only as good as the simulator, so its behaviour is
pinned here against what community.windows.win_firewall_rule does on Windows
(win_firewall_rule.ps1): selection by name, comparison of the passed options
only, set comparison of addresses, removal of every rule with the name, check
mode. Also: the PowerShell read script of roles/_common (its win_powershell task) parses,
and it outputs the fields the simulator returns for it.
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
COMMON_TASKS = os.path.join(ROOT, "roles", "_common", "tasks")

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
    """The role's read query: the script of the one win_powershell task of
    roles/_common/tasks, inline or read with lookup('ansible.builtin.file', NAME)
    from roles/_common/files."""
    found = []
    for name in sorted(os.listdir(COMMON_TASKS)):
        if name.endswith(".yml"):
            with open(os.path.join(COMMON_TASKS, name)) as handle:
                tasks = yaml.safe_load(handle) or []
            found += [t["ansible.windows.win_powershell"]["script"] for t in tasks
                      if isinstance(t, dict) and "ansible.windows.win_powershell" in t]
    (script,) = found
    lookup = re.match(r"""^\{\{\s*lookup\(\s*['"](?:ansible\.builtin\.)?file['"]\s*,\s*['"]([^'"]+)['"]\s*\)\s*\}\}$""",
                      script.strip())
    if lookup:
        with open(os.path.join(ROOT, "roles", "_common", "files", lookup.group(1))) as handle:
            script = handle.read()
    return script


def _parses(script):
    ts = pytest.importorskip("tree_sitter")
    tsp = pytest.importorskip("tree_sitter_powershell")
    tree = ts.Parser(ts.Language(tsp.language())).parse(script.encode("utf-8"))
    return not tree.root_node.has_error


def test_read_script_parses_and_outputs_what_the_simulator_returns():
    script = _read_script()
    assert _parses(script)
    fields = sim.script_output_fields(script)
    known = sim.net_firewall_rule(dict(sim.new_com_rule(), Name="x")).keys()
    assert fields and set(fields) <= set(known), fields
    for field in ("Name", "DisplayName", "Group"):
        assert field in fields


# The read query as the role writes it once rules are read with their addresses and
# the names are wildcard patterns (issue 10): the stand-in must answer it too.
NEW_READ_SCRIPT = """[CmdletBinding()]
param (
    [Parameter(Mandatory = $true)]
    [String]
    $Group,

    [String[]]
    $DisplayName = @()
)
$Ansible.Changed = $false
$found = @(Get-NetFirewallRule -Group $Group -ErrorAction SilentlyContinue)
if ($DisplayName.Count -gt 0) {
    $found += @(Get-NetFirewallRule -DisplayName $DisplayName -ErrorAction SilentlyContinue)
}
$found | Sort-Object -Property Name -Unique | ForEach-Object {
    $addresses = ($_ | Get-NetFirewallAddressFilter).RemoteAddress
    [PSCustomObject]@{
        Name          = [String]$_.Name
        DisplayName   = [String]$_.DisplayName
        Group         = [String]$_.Group
        Direction     = [String]$_.Direction
        Enabled       = ([String]$_.Enabled -eq 'True')
        RemoteAddress = @($addresses | ForEach-Object { [String]$_ })
    }
}
"""


def test_new_read_script_parses_and_its_fields_are_known():
    assert _parses(NEW_READ_SCRIPT)
    assert sim.script_output_fields(NEW_READ_SCRIPT) == [
        "Name", "DisplayName", "Group", "Direction", "Enabled", "RemoteAddress"]


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
    foreign.update(Name=WANTED["name"].upper(), Grouping="Someone else", Enabled=True)
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


@pytest.mark.parametrize("pattern, text, matches", [
    ("Webroot Enterprise - *", "Webroot Enterprise - Sweep Now (TCP 50001 in)", True),
    ("webroot enterprise - *", "WEBROOT ENTERPRISE - Poll Now (TCP 50002 in)", True),
    ("Webroot Enterprise - *", "Webroot Enterprise", False),
    ("Webroot Enterprise - *", "Other - Webroot Enterprise - x", False),
    ("Rule ?", "Rule 1", True),
    ("Rule ?", "Rule 10", False),
    ("Rule [abc]", "Rule B", True),
    ("Rule [a-c]", "Rule d", False),
    ("Rule `*", "Rule *", True),
    ("Rule `*", "Rule x", False),
    ("Sweep Now (TCP 50001 in)", "sweep now (tcp 50001 in)", True),
])
def test_wildcard_matching_like_get_netfirewallrule(pattern, text, matches):
    """WILDCARD: WildcardPattern with IgnoreCase (clientSideQuery.cs WildcardEqual)."""
    assert sim.wildcard_match(pattern, text) is matches


def test_wildcard_invalid_pattern():
    with pytest.raises(sim.SimulatorError, match="not valid"):
        sim.wildcard_match("Rule [abc", "Rule a")


def test_read_query_with_patterns_finds_foreign_rules_in_any_case():
    mine = sim.new_com_rule()
    mine.update(Name="Webroot Enterprise - Sweep Now (TCP 50001 in)", Grouping="Webroot Enterprise",
                Enabled=True, RemoteAddresses="198.18.10.21/255.255.255.255,198.18.10.0/255.255.255.0")
    stale_foreign = sim.new_com_rule()
    stale_foreign.update(Name="webroot enterprise - Poll Now (TCP 50009 in)", Grouping="Other", Direction=2)
    unrelated = sim.new_com_rule()
    unrelated.update(Name="Remote Desktop", Grouping="Other")
    out = sim.get_net_firewall_rule([unrelated, stale_foreign, mine], "Webroot Enterprise",
                                    ["Webroot Enterprise - *"], sim.script_output_fields(NEW_READ_SCRIPT))
    assert sorted(o["DisplayName"] for o in out) == sorted([mine["Name"], stale_foreign["Name"]])
    assert [o["Name"] for o in out] == sorted((o["Name"] for o in out), key=str.lower)  # Sort-Object Name
    by_name = dict((o["DisplayName"], o) for o in out)
    assert by_name[mine["Name"]]["RemoteAddress"] == ["198.18.10.21", "198.18.10.0/255.255.255.0"]
    assert by_name[stale_foreign["Name"]]["RemoteAddress"] == ["Any"]
    assert by_name[stale_foreign["Name"]]["Direction"] == "Outbound"
    assert set(out[0]) == {"Name", "DisplayName", "Group", "Direction", "Enabled", "RemoteAddress"}
    # A rule matched by group and by name comes once (Sort-Object -Unique).
    assert len(sim.get_net_firewall_rule([mine], "Webroot Enterprise", [mine["Name"], "*"])) == 1


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


def _playbook(tmp_path, tasks, store_rules=None):
    if store_rules is not None:
        sim.save(str(tmp_path / "store.json"), store_rules)
    play = [{"hosts": "localhost", "gather_facts": False, "tasks": tasks}]
    (tmp_path / "play.yml").write_text(yaml.safe_dump(play))
    env = dict(os.environ)
    env.pop("ANSIBLE_CONFIG", None)
    env.update(ANSIBLE_COLLECTIONS_PATH=COLLECTIONS,
               WEBROOT_WINFW_SIMULATOR_STORE=str(tmp_path / "store.json"),
               ANSIBLE_LOCAL_TEMP=str(tmp_path / "tmp"), ANSIBLE_NOCOLOR="1",
               ANSIBLE_STDOUT_CALLBACK="ansible.builtin.json")
    cmd = [os.path.join(ROOT, ".venv", "bin", "ansible-playbook"), "-i", "localhost,", "-c", "local",
           "-e", "ansible_python_interpreter=" + os.path.join(ROOT, ".venv", "bin", "python"),
           str(tmp_path / "play.yml")]
    proc = subprocess.run(cmd, env=env, cwd=str(tmp_path), stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, universal_newlines=True, timeout=120, check=False)
    return proc, json.loads(proc.stdout)


def _task_results(report):
    return [task["hosts"]["localhost"] for play in report["plays"] for task in play["tasks"]]


@pytest.mark.parametrize("which", ["sample", "role"])
def test_stand_ins_answer_the_new_read_query_and_take_choices_in_any_case(tmp_path, which):
    script = NEW_READ_SCRIPT if which == "sample" else _read_script()
    if not os.access(os.path.join(ROOT, ".venv", "bin", "ansible-playbook"), os.X_OK):
        pytest.skip("no .venv/bin/ansible-playbook")
    foreign = sim.new_com_rule()
    foreign.update(Name="WEBROOT ENTERPRISE - Poll Now (TCP 50009 in)", Grouping="Other")
    tasks = [
        {"name": "create, choices in another case",
         "community.windows.win_firewall_rule": {
             "name": "Webroot Enterprise - Sweep Now (TCP 50001 in)", "group": "Webroot Enterprise",
             "direction": "IN", "action": "Allow", "state": "Present", "protocol": "tcp",
             "localport": "50001", "remoteip": "198.18.10.21/32", "profiles": ["Domain", "private"]}},
        {"name": "read", "ansible.windows.win_powershell": {
            "script": script, "error_action": "Stop",
            "parameters": {"Group": "Webroot Enterprise", "DisplayName": ["webroot enterprise - *"]}}},
        {"name": "bad choice", "ansible.windows.win_powershell": {
            "script": NEW_READ_SCRIPT, "error_action": "halt",
            "parameters": {"Group": "Webroot Enterprise"}}, "ignore_errors": True},
    ]
    proc, report = _playbook(tmp_path, tasks, [foreign])
    created, read, bad = _task_results(report)
    assert created.get("changed") is True, proc.stdout
    (rule,) = [r for r in sim.load(str(tmp_path / "store.json")) if r["Grouping"] == "Webroot Enterprise"]
    assert (rule["Direction"], rule["Action"], rule["Profiles"]) == (1, 1, 3)
    assert read.get("changed") is False and not read.get("failed"), read
    names = sorted(o["DisplayName"] for o in read["output"])
    assert names == sorted([foreign["Name"], rule["Name"]])
    mine = [o for o in read["output"] if o["DisplayName"] == rule["Name"]][0]
    assert mine["RemoteAddress"] == ["198.18.10.21"] and mine["Enabled"] is True
    assert bad.get("failed") is True and "error_action must be one of" in bad["msg"]


def test_read_stand_in_refuses_fields_it_cannot_produce(tmp_path):
    if not os.access(os.path.join(ROOT, ".venv", "bin", "ansible-playbook"), os.X_OK):
        pytest.skip("no .venv/bin/ansible-playbook")
    script = NEW_READ_SCRIPT.replace("Enabled       =", "Profile = 1\n        Enabled       =")
    tasks = [{"name": "read", "ignore_errors": True, "ansible.windows.win_powershell": {
        "script": script, "parameters": {"Group": "Webroot Enterprise"}}}]
    _proc, report = _playbook(tmp_path, tasks, [])
    (read,) = _task_results(report)
    assert read.get("failed") is True and "does not produce Profile" in read["msg"]

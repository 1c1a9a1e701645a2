# -*- coding: utf-8 -*-
# Copyright: (c) 2026, webroot.enterprise contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The win_powershell SIMULATOR held to upstream's own tests, and the collection's
read held to what the real module does with it.

Upstream's integration tests ran on real Windows; what they assert is a fact about
the real module. Each test here restates one of those assertions for the
simulator's port (tests/simulators/.../ansible/windows/plugins/module_utils/
powershell_output.py, and the stand-in module beside it), citing the upstream line:

UP = ansible.windows ``tests/integration/targets/win_powershell/tasks/tests.yml`` at
tag 3.3.0 (1ceaff6aefc72c4dea09fa53d7c6d79f2a944a98, the version the ``ansible`` 12
package bundles). The facts carry over, not the code: the values a script writes
are modelled with the port's Python stand-ins for the .NET types.

Then the collection's own call: the read it sends (``depth: 3``) arrives whole and
passes the controller's check (plugins/plugin_utils/winread.py); at the module's
default depth 2 the rules arrive as strings and the check fails naming the host.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import importlib.util
import json
import os
import subprocess
import sys

import pytest
import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
COLLECTIONS = os.path.join(ROOT, "tests", "simulators", "collections")
PSO = os.path.join(COLLECTIONS, "ansible_collections", "ansible", "windows", "plugins", "module_utils",
                   "powershell_output.py")
READ_SCRIPT = os.path.join(ROOT, "plugins", "plugin_utils", "webroot_read.ps1")

_spec = importlib.util.spec_from_file_location("powershell_output", PSO)
pso = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(pso)

sys.path.insert(0, os.path.join(ROOT, "plugins", "plugin_utils"))
import winread  # noqa: E402  pylint: disable=wrong-import-position,import-error

L = pso.PSList
H = pso.Hashtable
O = pso.PSCustomObject  # noqa: E741
WINDOWS_DIR = pso.DotNetObject("C:\\Windows", [("BaseName", "Windows"), ("Exists", True),
                                               ("FullName", "C:\\Windows")])
FILE_ACCESS_READ = pso.PSEnum("System.IO.FileAccess", "Read", 1)


def output(*written, **kwargs):
    return pso.convert_output(list(written), kwargs.get("depth", 2))


# --- output conversion (UP lines 1-214, 216-252) ----------------------------------

def test_scalars_enums_and_types_at_the_default_depth():
    out = output(None, "string", 1, pso.PSEnum("System.IO.FileAttributes", "Hidden, Archive", 34),
                 FILE_ACCESS_READ, pso.OBJECT_TYPE, pso.STRING_TYPE)
    assert out[0] is None                                             # UP 111
    assert out[1] == "string"                                         # UP 113
    assert out[2] == 1                                                # UP 115
    assert out[3] == {"String": "Hidden, Archive", "Type": "System.IO.FileAttributes", "Value": 34}  # UP 117-119
    assert out[4] == {"String": "Read", "Type": "System.IO.FileAccess", "Value": 1}                  # UP 121-123
    assert out[5]["AssemblyQualifiedName"].startswith("System.Object, ")                            # UP 125
    assert out[5]["BaseType"] is None and out[5]["FullName"] == "System.Object"                     # UP 126-127
    assert out[5]["Name"] == "Object"                                                                # UP 128
    assert out[6]["BaseType"]["FullName"] == "System.Object"                                         # UP 133
    assert out[6]["BaseType"]["BaseType"] is None                                                    # UP 132
    assert out[6]["FullName"] == "System.String" and out[6]["Name"] == "String"                      # UP 135-136


def test_lists_one_level_down_and_their_strings_below_depth():
    nested = L(["entry 1", None, 1, L(["level2", L(["level3", "value"])]), L([]), L([1]), L([None]),
                H(key="value", exceed=WINDOWS_DIR)])
    out = output(L([]), L([1]), L([None]), nested)
    assert out[0] == [] and out[1] == [1] and out[2] == [None]        # UP 163-167
    assert len(out[3]) == 8                                           # UP 169
    assert out[3][0] == "entry 1" and out[3][1] is None and out[3][2] == 1   # UP 170-172
    assert out[3][3] == ["level2", "level3 value"]                    # UP 173
    assert out[3][4] == [] and out[3][5] == [1] and out[3][6] == [None]      # UP 174-176
    assert out[3][7]["key"] == "value"                                # UP 177
    assert out[3][7]["exceed"].lower() == "c:\\windows"               # UP 178


def test_dictionaries_and_what_lies_below_depth():
    out = output(H(), H(foo="bar", list=L([H(foo="bar"), "value 2", pso.STRING_TYPE]), empty_list=L([]),
                        null_list=L([None]), list_with_1=L([1]), nested=H(foo="bar", exceed=H(foo="bar"))))
    assert out[0] == {}                                               # UP 180
    assert out[1]["foo"] == "bar"                                     # UP 182
    assert out[1]["list"] == ["System.Collections.Hashtable", "value 2", "System.String"]  # UP 183-186
    assert out[1]["empty_list"] == [] and out[1]["null_list"] == [None]                     # UP 187-188
    assert out[1]["list_with_1"] == [1]                                                      # UP 189
    assert out[1]["nested"]["exceed"] == "System.Collections.Hashtable"                      # UP 190


def test_a_pscustomobject_and_a_dotnet_object():
    obj = O([("Key", "value"), ("Enum", FILE_ACCESS_READ), ("List", L(["value 1", "value 2"])),
             ("Nested", O([("Exceed", H(foo="bar")), ("Key", "value")]))])
    out = output(obj, WINDOWS_DIR)
    assert out[0]["Key"] == "value"                                   # UP 194
    assert out[0]["Enum"] == {"String": "Read", "Type": "System.IO.FileAccess", "Value": 1}  # UP 196-198
    assert out[0]["List"] == ["value 1", "value 2"]                   # UP 199
    assert out[0]["Nested"] == {"Exceed": "System.Collections.Hashtable", "Key": "value"}   # UP 200-201
    assert out[1]["BaseName"].lower() == "windows" and out[1]["Exists"] is True             # UP 203-204
    assert out[1]["FullName"].lower() == "c:\\windows"                                       # UP 205


def test_a_larger_depth_goes_one_level_deeper_and_squashes_the_rest():
    written = ["normal 0", L(["normal 1", L(["normal 2", L(["normal 3", L(["squashed", L(["even more squashed"])])])])])]
    assert output(*written, depth=3) == [
        "normal 0", ["normal 1", ["normal 2", ["normal 3", "squashed System.Object[]"]]]]   # UP 216-246


def test_a_pscustomobject_below_depth_is_its_at_string():
    # The form the issue saw on a real host for the read's rules at depth 2.
    assert pso.convert(O([("Name", "x"), ("Description", None), ("Enabled", True), ("Protocol", 6)]), -1) == \
        "@{Name=x; Description=; Enabled=True; Protocol=6}"


# --- the stand-in module: check mode, parameters, errors (UP 339-357, 418-433, 645-727) ---

def _playbook(tmp_path, tasks, store):
    (tmp_path / "store.json").write_text(json.dumps(store))
    play = [{"hosts": "localhost", "gather_facts": False, "tasks": tasks,
             "environment": {"WEBROOT_WINFW_SIMULATOR_STORE": str(tmp_path / "store.json")}}]
    (tmp_path / "play.yml").write_text(yaml.safe_dump(play))
    env = dict(os.environ)
    env.pop("ANSIBLE_CONFIG", None)
    env.update(ANSIBLE_COLLECTIONS_PATH=COLLECTIONS, ANSIBLE_STDOUT_CALLBACK="ansible.builtin.json",
               ANSIBLE_LOCALHOST_WARNING="0", ANSIBLE_INVENTORY_UNPARSED_WARNING="0", ANSIBLE_NOCOLOR="1",
               ANSIBLE_LOCAL_TEMP=str(tmp_path / "tmp"))
    proc = subprocess.run([os.path.join(ROOT, ".venv", "bin", "ansible-playbook"), "-i", "localhost,",
                           "-c", "local", "-e", "ansible_python_interpreter=" + os.path.join(ROOT, ".venv", "bin", "python"),
                           str(tmp_path / "play.yml")], env=env, cwd=str(tmp_path), check=False,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True, timeout=300)
    report = json.loads(proc.stdout)
    return [t["hosts"]["localhost"] for t in report["plays"][0]["tasks"]]


def _read_task(name, **extra):
    with open(READ_SCRIPT) as handle:
        script = handle.read()
    args = {"script": script, "parameters": {"Group": "Webroot Enterprise", "Prefix": "Webroot Enterprise - "}}
    args.update(extra.pop("args", {}))
    return dict({"name": name, "ignore_errors": True, "ansible.windows.win_powershell": args}, **extra)


RULE = {"Name": "Webroot Enterprise - Sweep Now (TCP 50001 in)", "Grouping": "Webroot Enterprise",
        "Description": "Sweep", "Direction": 1, "Action": 1, "Enabled": True, "Protocol": 6,
        "LocalPorts": "50001", "RemotePorts": "*", "LocalAddresses": "*",
        "RemoteAddresses": "198.18.10.21/255.255.255.255", "Profiles": 3, "ApplicationName": None,
        "ServiceName": None, "InterfaceTypes": "All", "EdgeTraversal": False}


@pytest.fixture(scope="module")
def stand_in(tmp_path_factory):
    if not os.access(os.path.join(ROOT, ".venv", "bin", "ansible-playbook"), os.X_OK):
        pytest.skip("no .venv/bin/ansible-playbook")
    tmp = tmp_path_factory.mktemp("winps")
    tasks = [
        _read_task("the collection's call", args={"depth": 3, "error_action": "stop"}),
        _read_task("the module's default depth"),
        _read_task("check mode, SupportsShouldProcess = $true", args={"depth": 3}, check_mode=True),
    ]
    with open(READ_SCRIPT) as handle:
        script = handle.read()
    for name, value in (("SupportsShouldProcess=$false", "SupportsShouldProcess=$false"),
                        ("no SupportsShouldProcess", "")):
        tasks.append({"name": name, "check_mode": True, "ignore_errors": True, "ansible.windows.win_powershell": {
            "script": script.replace("SupportsShouldProcess = $true", value), "parameters": {"Group": "x"}}})
    return _playbook(tmp, tasks, {"rules": [RULE]})


def test_the_collections_call_arrives_whole_and_passes_the_check(stand_in):
    result = stand_in[0]
    assert result.get("failed") is not True and result["error"] == [], result
    read = winread.checked(result, "ws1")
    assert [r["Name"] for r in read["Rules"]] == [RULE["Name"]]
    assert read["Rules"][0]["RemoteAddresses"] == "198.18.10.21/255.255.255.255"
    assert read["Rules"][0]["Direction"] == 1 and read["Rules"][0]["Enabled"] is True
    assert [p["Profile"] for p in read["Profiles"]] == ["Domain", "Private", "Public"]
    assert read["Profiles"][0]["AllowInboundRules"] is True


def test_at_the_default_depth_rules_are_strings_and_the_check_names_the_host(stand_in):
    result = stand_in[1]
    rules = result["output"][0]["Rules"]
    assert isinstance(rules[0], str) and rules[0].startswith("@{Name=Webroot Enterprise - Sweep Now"), rules
    assert isinstance(result["output"][0]["Profiles"][0], str)
    with pytest.raises(winread.ReadError) as err:
        winread.checked(result, "ws1")
    assert "on ws1" in str(err.value) and "Rules[0], not an object" in str(err.value)
    assert "converted at too small a depth" in str(err.value)


def test_check_mode_runs_only_a_script_that_supports_should_process(stand_in):
    aware, false, unaware = stand_in[2], stand_in[3], stand_in[4]
    # UP 661-676: a SupportsShouldProcess script runs in check mode (its output comes back).
    assert aware["output"][0]["Rules"][0]["Name"] == RULE["Name"]
    # UP 695-711 and 713-727: SupportsShouldProcess=$false or absent is skipped, output [].
    for skipped in (false, unaware):
        assert skipped.get("changed") is True, skipped
        assert skipped["msg"] == "skipped, running in check mode"
        assert skipped["output"] == []


@pytest.fixture(scope="module")
def failing_hosts(tmp_path_factory):
    if not os.access(os.path.join(ROOT, ".venv", "bin", "ansible-playbook"), os.X_OK):
        pytest.skip("no .venv/bin/ansible-playbook")
    out = {}
    for name, store in (("service", {"rules": [RULE], "mpssvc": "Stopped"}),
                        ("clm", {"rules": [RULE], "language_mode": "ConstrainedLanguage"})):
        out[name] = _playbook(tmp_path_factory.mktemp(name), [
            _read_task("stop", args={"depth": 3, "error_action": "stop"}),
            _read_task("continue", args={"depth": 3})], store)
    return out


def test_a_terminating_error_fails_with_one_record_and_no_output_after_it(failing_hosts):
    # UP 339-357 (error_action stop) and 418-433 (throw): failed, one error record,
    # its exception's message, the output written before it (none here).
    for result in failing_hosts["service"]:      # a throw fails whatever error_action
        assert result.get("failed") is True, result
        assert len(result["error"]) == 1 and result["output"] == []
        assert result["error"][0]["exception"]["message"] == (
            "webroot.enterprise: the Windows Defender Firewall service (MpsSvc) is Stopped, not Running")
    message = winread.failure(failing_hosts["service"][0], "ws7")
    assert "(MpsSvc) is not running on ws7" in message and "Start-Service -Name MpsSvc" in message


def test_constrained_language_fails_under_stop_and_is_named(failing_hosts):
    stop, cont = failing_hosts["clm"]
    assert stop.get("failed") is True and len(stop["error"]) == 1 and stop["output"] == []
    assert stop["error"][0]["fully_qualified_error_id"] == (
        "CannotCreateComTypeConstrained,Microsoft.PowerShell.Commands.NewObjectCommand")
    with pytest.raises(winread.ReadError) as err:
        winread.checked(stop, "ws8")
    assert "ws8 ran in PowerShell's ConstrainedLanguage mode" in str(err.value)
    assert "WDAC or AppLocker" in str(err.value)
    # The simulator does not model the script going on without its COM object.
    assert cont.get("failed") is True and "does not model" in cont["msg"]

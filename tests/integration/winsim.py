# -*- coding: utf-8 -*-
# Copyright: (c) 2026, webroot.enterprise contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The harness of the integration tests that run against the Windows Firewall SIMULATOR.

No Windows host is available where the tests run: ansible-playbook runs the real roles
with tests/simulators/collections first in ANSIBLE_COLLECTIONS_PATH, whose stand-ins
for win_firewall_rule and win_powershell keep one JSON rule store per inventory host
(tests/simulators/README.md). This module holds what every such test needs, and
nothing the tests assert:

- the paths (:data:`ROOT`, :data:`SIMULATOR_COLLECTIONS`, the venv's
  :data:`PLAYBOOK_BIN`) and the simulator's own module, :data:`sim`;
- :func:`inventory_vars` / :func:`write_inventory`: the ``all: vars:`` of simulated
  Windows hosts (connection local, declared Windows for the roles);
- :func:`run_playbook`: one ansible-playbook run with the simulator first on the
  collections path (and the call log, when asked);
- readers of what a run left: a host's store (:func:`read_store`,
  :func:`store_data`, :func:`rules_by_name`), the play recap (:func:`recap`,
  :func:`recap_lines`) and the simulator's call log (:func:`read_calls`,
  :func:`calls_by_host`).

The tests import it as they import conftest (pytest puts this directory on sys.path:
``from winsim import ...``). Like conftest, it never imports the collection.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import importlib.util
import json
import os
import re
import socket
import subprocess

import pytest
import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SIMULATOR_COLLECTIONS = os.path.join(ROOT, "tests", "simulators", "collections")
SIMULATOR_UTILS = os.path.join(
    SIMULATOR_COLLECTIONS, "ansible_collections", "community", "windows", "plugins",
    "module_utils", "windows_firewall_simulator.py")
# The collection itself, through the link scripts/setup.sh makes.
COLLECTIONS = os.path.join(ROOT, ".cache", "collections")
VENV_BIN = os.path.join(ROOT, ".venv", "bin")
PYTHON = os.path.join(VENV_BIN, "python")
PLAYBOOK_BIN = os.path.join(VENV_BIN, "ansible-playbook")
# The simulator's environment variables (tests/simulators/README.md).
STORE_ENV = "WEBROOT_WINFW_SIMULATOR_STORE"
LOG_ENV = "WEBROOT_WINFW_SIMULATOR_LOG"


def _load_simulator():
    spec = importlib.util.spec_from_file_location("windows_firewall_simulator", SIMULATOR_UTILS)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


sim = _load_simulator()


def skip_without_venv():
    """Skips the test when scripts/setup.sh has not made the venv."""
    if not os.access(PLAYBOOK_BIN, os.X_OK):
        pytest.skip("no %s: run scripts/setup.sh first" % PLAYBOOK_BIN)


def closed_port():
    """A loopback port nothing listens on: a host there is unreachable at once."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()   # nothing listens there now: a connection is refused at once
    return port


# --- inventory -----------------------------------------------------------------------

def inventory_vars(**extra):
    """``all: vars:`` of simulated Windows hosts, with ``extra`` (e.g.
    ``webroot_resolve_names=False``) on top."""
    hostvars = {
        "ansible_connection": "local",
        "ansible_shell_type": "sh",
        "ansible_python_interpreter": PYTHON,
        # Declared Windows for the roles; the simulator stands in for the modules.
        "webroot_firewall_backend": "windows",
    }
    hostvars.update(extra)
    return hostvars


def write_inventory(path, children, **extra):
    """Writes a YAML inventory: :func:`inventory_vars` (``extra`` on top) under ``all:
    vars:``, then ``children``, the YAML text of ``all: children:`` as written in
    the test (indented by four spaces)."""
    header = yaml.safe_dump({"all": {"vars": inventory_vars(**extra)}}, default_flow_style=False)
    with open(path, "w") as handle:
        handle.write(header + "  children:\n" + children.strip("\n") + "\n")


# --- running a playbook ----------------------------------------------------------------

def playbook_env(directory, log=None, collections_path=None, keep_config=False, extra=None):
    """The environment of a run against the simulator.

    ``log``: the simulator's call log (WEBROOT_WINFW_SIMULATOR_LOG); ``collections_path``:
    the whole ANSIBLE_COLLECTIONS_PATH (default: the simulator first, then the
    collection); ``keep_config``: keep the caller's ANSIBLE_CONFIG (otherwise no
    ansible.cfg: the run's directory has none); ``extra``: more variables.
    """
    env = dict(os.environ)
    if not keep_config:
        env.pop("ANSIBLE_CONFIG", None)
    # Each host's store comes from its play (or interpreter); a log only when asked.
    env.pop(STORE_ENV, None)
    env.pop(LOG_ENV, None)
    if collections_path is None:
        # The simulator first: it shadows community.windows and ansible.windows.
        collections_path = [SIMULATOR_COLLECTIONS, COLLECTIONS]
    env.update({
        "ANSIBLE_COLLECTIONS_PATH": os.pathsep.join(collections_path),
        "ANSIBLE_NOCOLOR": "1",
        "ANSIBLE_FORCE_COLOR": "0",
        "ANSIBLE_RETRY_FILES_ENABLED": "0",
        "ANSIBLE_FORKS": "8",
        "ANSIBLE_LOCAL_TEMP": os.path.join(directory, "tmp"),
        "ANSIBLE_HOST_KEY_CHECKING": "0",
        "ANSIBLE_STDOUT_CALLBACK": "ansible.builtin.default",
        "PATH": VENV_BIN + os.pathsep + env.get("PATH", ""),
    })
    if log:
        env[LOG_ENV] = log
    env.update(extra or {})
    return env


def run_playbook(directory, args, log=None, timeout=300, **env_options):
    """``ansible-playbook *args`` in ``directory`` against the simulator, environment
    from :func:`playbook_env` (``log`` and ``env_options``). A call log left by an
    earlier run is removed first. Returns the CompletedProcess: ``returncode`` and
    ``stdout`` (stderr included)."""
    if log and os.path.exists(log):
        os.remove(log)
    return subprocess.run([PLAYBOOK_BIN] + list(args), env=playbook_env(directory, log=log, **env_options),
                          cwd=directory, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          universal_newlines=True, timeout=timeout, check=False)


# --- reading what a run left -------------------------------------------------------------

def store_path(directory, host):
    return os.path.join(directory, host + ".json")


def read_store(directory, host):
    """The rules in ``host``'s store (as the simulator reads them)."""
    return sim.load(store_path(directory, host))


def store_data(directory, host):
    """``host``'s store file as it is (rules and profile model, no defaults filled)."""
    with open(store_path(directory, host)) as handle:
        return json.load(handle)


def rules_by_name(directory, host):
    """{rule name: rule} of ``host``'s store."""
    return dict((r["Name"], r) for r in read_store(directory, host))


def set_profiles(directory, host, profiles, current):
    """Sets the profile model of ``host``'s store (its rules kept)."""
    data = store_data(directory, host)
    data["profiles"] = profiles
    data["current_profiles"] = current
    with open(store_path(directory, host), "w") as handle:
        json.dump(data, handle)


def recap(output):
    """{host: {"changed", "unreachable", "failed"}} from the PLAY RECAP."""
    found = {}
    for match in re.finditer(r"^(\S+)\s+: ok=(\d+)\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)",
                             output, re.MULTILINE):
        found[match.group(1)] = {"changed": int(match.group(3)), "unreachable": int(match.group(4)),
                                 "failed": int(match.group(5))}
    return found


def recap_lines(output):
    """The lines of the (first) PLAY RECAP, one per host."""
    return [line for line in output.split("PLAY RECAP", 1)[1].splitlines() if ":" in line]


def read_calls(log):
    """The simulator's call log: one dict per stand-in call, in order ([] if none)."""
    if not os.path.exists(log):
        return []
    with open(log) as handle:
        return [json.loads(line) for line in handle]


def calls_by_host(log):
    """{host: [module called, ...]} from the call log (the store path names the host)."""
    calls = {}
    for call in read_calls(log):
        host = os.path.basename(call["store"])[:-len(".json")]
        calls.setdefault(host, []).append(call["module"])
    return calls

# -*- coding: utf-8 -*-
# Copyright: (c) 2026, webroot.enterprise contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Shared fixtures for the integration tests that run against real lab containers.

``lab_factory(tsv, network, subnet)`` starts the podman containers listed in a TSV
(name, address, init role, inventory group) with scripts/lab.sh, and returns a
:class:`Lab`: it writes inventories into a tmp dir, runs ansible-playbook, reads
each container's full firewall ruleset and the rules of ours in it. The lab is
removed when the factory's scope ends (or earlier with ``lab.down()``).

Everything here talks only to loopback and to the lab's own containers, whose
subnet must be in the benchmarking range 198.18.0.0/15.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import ipaddress
import json
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import yaml

from ansible_collections.webroot.enterprise.plugins.module_utils import rules as R
from ansible_collections.webroot.enterprise.plugins.module_utils.catalog import TABLE_11

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
VENV_BIN = os.path.join(ROOT, ".venv", "bin")
CONTAINERS_CONF = os.path.join(ROOT, "lab", "containers.conf")
LAB_NET = ipaddress.ip_network("198.18.0.0/15")
GROUPS = ("webroot_distributors", "webroot_servers", "webroot_clients", "webroot_update_endpoints")
MANAGED_GROUPS = GROUPS[:3]
COMPONENTS = [row["component"] for row in TABLE_11]
# The rule lab/files/init.sh puts in front of everything: the management port.
MANAGEMENT_LABEL = "lab: management"


def env():
    e = dict(os.environ)
    e["PATH"] = VENV_BIN + os.pathsep + e.get("PATH", "")
    e["CONTAINERS_CONF"] = e.get("CONTAINERS_CONF") or CONTAINERS_CONF
    e["ANSIBLE_CONFIG"] = os.path.join(ROOT, "ansible.cfg")
    e["ANSIBLE_NOCOLOR"] = "1"
    e["ANSIBLE_FORCE_COLOR"] = "0"
    e["ANSIBLE_RETRY_FILES_ENABLED"] = "0"
    e["ANSIBLE_DEPRECATION_WARNINGS"] = "0"
    return e


def podman_available():
    return os.geteuid() == 0 and shutil.which("podman") is not None


class Host(object):
    def __init__(self, name, address, kind, group):
        self.name, self.address, self.kind, self.group = name, address, kind, group

    @property
    def managed(self):
        return self.group in MANAGED_GROUPS


def read_tsv(path):
    hosts = []
    with open(path) as f:
        for line in f:
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            name, address, kind, group = line.split("\t")[:4]
            if ipaddress.ip_address(address) not in LAB_NET:
                raise ValueError("%s: %s is outside 198.18.0.0/15" % (name, address))
            hosts.append(Host(name, address, kind, group))
    return hosts


_COUNTERS = re.compile(r"\[\d+:\d+\]")


def _normalize_save(text):
    """iptables-save without its timestamps and packet counters."""
    return "\n".join(_COUNTERS.sub("[-]", line) for line in text.splitlines() if not line.startswith("#"))


class Run(object):
    def __init__(self, args, rc, out, seconds):
        self.args, self.rc, self.out, self.seconds = args, rc, out, seconds

    def recap(self):
        """{host: {ok, changed, unreachable, failed, ...}} from the PLAY RECAP."""
        found = {}
        for m in re.finditer(r"^(\S+)\s+:\s+((?:\w+=\d+\s*)+)$", self.out, re.M):
            found[m.group(1)] = dict((k, int(v)) for k, v in re.findall(r"(\w+)=(\d+)", m.group(2)))
        return found

    def __repr__(self):
        return "<Run rc=%s %.1fs %s>\n%s" % (self.rc, self.seconds, " ".join(self.args), self.out[-6000:])


class Lab(object):
    """A running lab: its containers, its inventories and the commands that read them."""

    def __init__(self, tsv, network, subnet, tmpdir):
        self.tsv, self.network, self.subnet, self.tmpdir = tsv, network, subnet, tmpdir
        self.hosts = read_tsv(tsv)
        self.by_name = dict((h.name, h) for h in self.hosts)
        self.up_seconds = None

    # --- lifecycle ---------------------------------------------------------
    def _lab_sh(self, action):
        return subprocess.run(
            ["bash", os.path.join(ROOT, "scripts", "lab.sh"), action, self.tsv, self.network, self.subnet],
            cwd=ROOT, env=env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            universal_newlines=True, timeout=600, check=False)

    def up(self):
        start = time.time()
        res = self._lab_sh("up")
        if res.returncode != 0:
            raise RuntimeError("lab up failed:\n" + res.stdout)
        self.up_seconds = time.time() - start
        return self

    def down(self):
        self._lab_sh("down")

    # --- hosts -------------------------------------------------------------
    @property
    def managed(self):
        return [h for h in self.hosts if h.managed]

    def exec_(self, name, script, check=True, timeout=120):
        res = subprocess.run(["podman", "exec", name, "sh", "-c", script], env=env(),
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                             universal_newlines=True, timeout=timeout, check=False)
        if check and res.returncode != 0:
            raise RuntimeError("%s: %s failed (%s):\n%s" % (name, script, res.returncode, res.stdout))
        return res.stdout

    def podman(self, *args, **kw):
        return subprocess.run(["podman"] + list(args), env=env(), stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, universal_newlines=True,
                              timeout=kw.get("timeout", 120), check=kw.get("check", True)).stdout

    def each(self, func, hosts=None):
        hosts = self.managed if hosts is None else hosts
        with ThreadPoolExecutor(max_workers=max(1, len(hosts))) as pool:
            return dict(zip([h.name for h in hosts], pool.map(func, hosts)))

    def wait_firewalld(self, name, running=True, seconds=60):
        deadline = time.time() + seconds
        while time.time() < deadline:
            state = self.exec_(name, "firewall-cmd --state 2>&1 || true").strip()
            if (state == "running") == running:
                return
            time.sleep(0.5)
        raise AssertionError("%s: firewalld state is %r" % (name, state))

    # --- inventories -------------------------------------------------------
    def inventory(self, name="hosts", drop=(), move=None, hostvars=None, allvars=None, omit_groups=()):
        """Write an inventory of the lab; returns its path.

        ``drop``: hosts left out of every webroot group (still in the inventory,
        ungrouped, so nothing runs on them); ``move``: {host: group};
        ``hostvars``: {host: {var: value}} merged over webroot_address;
        ``allvars``: extra variables for all hosts.
        """
        children = dict((g, {"hosts": {}}) for g in GROUPS)
        ungrouped = {}
        for h in self.hosts:
            hv = {"webroot_address": h.address}
            hv.update((hostvars or {}).get(h.name, {}))
            if h.name in drop:
                ungrouped[h.name] = hv
                continue
            group = (move or {}).get(h.name, h.group)
            children[group]["hosts"][h.name] = hv
        allv = {"ansible_connection": "containers.podman.podman",
                "ansible_python_interpreter": "/usr/bin/python3"}
        allv.update(allvars or {})
        for group in omit_groups:
            children.pop(group, None)
        inv = {"all": {"vars": allv, "children": children}}
        if ungrouped:
            inv["all"]["hosts"] = ungrouped
        path = os.path.join(self.tmpdir, name + ".yml")
        with open(path, "w") as f:
            yaml.safe_dump(inv, f, default_flow_style=False)
        return path

    def model(self, inventory):
        """(groups, hostvars) of an inventory written by :meth:`inventory`."""
        with open(inventory) as f:
            inv = yaml.safe_load(f)["all"]
        groups, hostvars = {}, {}
        for name, hv in (inv.get("hosts") or {}).items():
            hostvars[name] = dict(hv or {})
        for group, body in inv["children"].items():
            groups[group] = sorted((body.get("hosts") or {}).keys())
            for name, hv in (body.get("hosts") or {}).items():
                hostvars[name] = dict(hv or {})
        return groups, hostvars

    # --- ansible -------------------------------------------------------------
    def playbook(self, inventory, *args, **kw):
        """ansible-playbook PLAYBOOK (default playbooks/site.yml) -i inventory ARGS.

        The verify role is skipped (tag verify; the report play still runs):
        the tests read the firewalls themselves.
        """
        cmd = self.playbook_cmd(inventory, *args, **kw)
        start = time.time()
        res = subprocess.run(cmd, cwd=ROOT, env=env(), stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, universal_newlines=True,
                             timeout=kw.get("timeout", 600), check=False)
        return Run(cmd, res.returncode, res.stdout, time.time() - start)

    def playbook_cmd(self, inventory, *args, **kw):
        playbook = kw.get("playbook", "playbooks/site.yml")
        cmd = ["ansible-playbook", "-i", inventory, playbook, "-e", "webroot_gather_facts=false"]
        if kw.get("skip", True):
            cmd += ["--skip-tags", "verify"]
        return cmd + list(args)

    def start_playbook(self, inventory, *args, **kw):
        """Start ansible-playbook in its own process group; returns (Popen, output path)."""
        out = tempfile.NamedTemporaryFile("w", dir=self.tmpdir, suffix=".log", delete=False)
        proc = subprocess.Popen(self.playbook_cmd(inventory, *args, **kw), cwd=ROOT, env=env(),
                                stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        return proc, out.name

    @staticmethod
    def kill_group(proc):
        """End a playbook started by start_playbook: its own process group, by its id."""
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait(timeout=60)

    def ping(self, inventory):
        cmd = ["ansible", "-i", inventory, "webroot_distributors:webroot_servers:webroot_clients",
               "-m", "ansible.builtin.ping", "-o"]
        res = subprocess.run(cmd, cwd=ROOT, env=env(), stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, universal_newlines=True, timeout=300, check=False)
        return Run(cmd, res.returncode, res.stdout, 0)

    # --- reading the firewalls -------------------------------------------------
    def ruleset(self, host):
        """The host's FULL ruleset as text, for before/after comparisons."""
        if host.kind == "iptables":
            script = "iptables-save; echo '== ip6'; ip6tables-save"
        elif host.kind == "ufw":
            script = "ufw show added; echo '== status'; ufw status verbose; echo '== ipt'; iptables-save"
        elif host.kind == "firewalld":
            script = ("if firewall-cmd --state >/dev/null 2>&1; then firewall-cmd --list-all-zones; "
                      "echo '== permanent'; firewall-cmd --permanent --list-all-zones; "
                      "else echo 'firewalld not running'; fi; echo '== files'; "
                      "cd /etc/firewalld && find . -type f -name '*.xml' | sort | xargs -r cat")
        else:
            return ""
        return _normalize_save(self.exec_(host.name, script))

    def rulesets(self, hosts=None):
        return self.each(self.ruleset, hosts)

    def foreign(self, host):
        """Everything in the ruleset that is not ours (our marker / service removed)."""
        text = self.ruleset(host)
        out = []
        if host.kind == "firewalld":
            # The zone files spread one rich rule over several lines; the runtime and
            # permanent listings above them hold one rule per line.
            text = text.split("== files", 1)[0]
        for line in text.splitlines():
            if 'service name="webroot-' in line:
                continue
            if re.search(r"webroot\.enterprise (%s) " % "|".join(COMPONENTS), line) and (
                    "-j ACCEPT" in line or line.startswith("ufw allow")):
                continue
            if line.strip().startswith("services:"):
                line = " ".join(w for w in line.split() if not w.startswith("webroot-"))
            if host.kind == "ufw" and (line.startswith("-A ufw-user-") or "ALLOW" in line or "DENY" in line):
                # ufw's own chains and status lines mix ours and others'; ``ufw show
                # added`` (kept above) is where each rule is named.
                continue
            out.append(line)
        if host.kind == "firewalld":
            # firewalld lists rich rules in no stable order (a restart reorders
            # them): compare each line under its section and zone, as a set.
            keyed, section, zone = [], "", ""
            for line in out:
                if line.startswith("=="):
                    section = line
                elif line and not line[0].isspace():
                    zone = line
                keyed.append("%s | %s | %s" % (section, zone, line))
            out = sorted(keyed)
        return "\n".join(out)

    def foreigns(self, hosts=None):
        return self.each(self.foreign, hosts)

    def ours(self, host):
        """Rules of ours on the host, per component, each entry a tuple; duplicates kept.

        firewalld: the runtime and the permanent configuration are read separately
        and must agree (both are returned, tagged).
        """
        found = []
        if host.kind == "iptables":
            v4 = self.exec_(host.name, "iptables -S").splitlines()
            v6 = self.exec_(host.name, "ip6tables -S").splitlines()
            for comp in COMPONENTS:
                found += [(comp,) + _k(e) for e in R.parse_iptables(v4, comp) + R.parse_iptables(v6, comp, "ipv6")]
        elif host.kind == "ufw":
            lines = self.exec_(host.name, "ufw show added").splitlines()
            for comp in COMPONENTS:
                found += [(comp,) + _k(e) for e in R.parse_ufw(lines, comp)]
        elif host.kind == "firewalld":
            for where, flag in (("runtime", ""), ("permanent", "--permanent ")):
                text = self.exec_(host.name, "z=$(firewall-cmd --get-default-zone); "
                                  "firewall-cmd %s--zone=$z --list-services; echo ==; "
                                  "firewall-cmd %s--zone=$z --list-rich-rules" % (flag, flag))
                services, rich = text.split("==\n", 1) if "==\n" in text else (text, "")
                for row in TABLE_11:
                    comp = row["component"]
                    port = self._fwd_port(host, comp, row["port"])
                    found += [(comp,) + _k(e) + (where,) for e in
                              R.parse_firewalld(rich.splitlines(), services.split(), comp, port, row["protocol"])]
        return sorted(found, key=repr)

    def _fwd_port(self, host, comp, default):
        text = self.exec_(host.name, "cat /etc/firewalld/services/%s.xml 2>/dev/null || true" % R.service_name(comp))
        m = re.search(r'port="(\d+)"', text)
        return int(m.group(1)) if m else default

    def ours_all(self, hosts=None):
        return self.each(self.ours, hosts)

    def expected(self, inventory, host, extra=None):
        """The rules of ours ``host`` should hold for ``inventory`` (+ role variables)."""
        groups, hostvars = self.model(inventory)
        extra = extra or {}
        found = []
        if not any(host.name in groups.get(g, []) for g in MANAGED_GROUPS):
            return None
        for comp in COMPONENTS:
            settings = {"state": extra.get(comp + "_state", "present"),
                        "port": extra.get(comp + "_port")}
            wanted = R.host_rules(comp, host.name, groups, hostvars, settings)
            entries = R.expand(wanted)
            if host.kind == "firewalld":
                # firewalld zones do not filter outbound traffic: no rule is made.
                entries = [e for e in entries if e["direction"] == "in"]
                found += [(comp,) + _k(e) + (w,) for e in entries for w in ("runtime", "permanent")]
            else:
                found += [(comp,) + _k(e) for e in entries]
        return sorted(found, key=repr)

    def management_ok(self, hosts=None):
        """{host: problem or None}: the lab's management rule is there and exec works."""
        def check(host):
            try:
                if host.kind == "iptables":
                    text = self.exec_(host.name, "iptables -S INPUT")
                    ok = re.search(r'--dport 22 .*--comment "%s" -j ACCEPT' % MANAGEMENT_LABEL, text)
                elif host.kind == "ufw":
                    text = self.exec_(host.name, "ufw show added; ufw status")
                    ok = "ufw allow 22/tcp comment '%s'" % MANAGEMENT_LABEL in text and "Status: active" in text
                elif host.kind == "firewalld":
                    text = self.exec_(host.name, "firewall-cmd --list-ports; firewall-cmd --permanent --list-ports")
                    ok = text.split().count("22/tcp") == 2
                else:
                    return None
                return None if ok else "management rule missing:\n" + text
            except Exception as exc:  # pylint: disable=broad-except
                return "cannot reach: %s" % exc
        return self.each(check, hosts)


def _k(entry):
    return (entry["direction"], entry["peer"], int(entry["port"]), entry["protocol"])


@pytest.fixture(scope="session")
def lab_factory(tmp_path_factory):
    """lab_factory(tsv, network, subnet) -> a running Lab; all removed at session end."""
    if not podman_available():
        pytest.skip("needs root and podman (scripts/lab-image.sh builds the lab image)")
    labs = []

    def make(tsv, network, subnet):
        if not ipaddress.ip_network(subnet).subnet_of(LAB_NET):
            raise ValueError("lab subnet %s is outside 198.18.0.0/15" % subnet)
        lab = Lab(tsv, network, subnet, str(tmp_path_factory.mktemp(network)))
        labs.append(lab)
        return lab.up()

    yield make
    for lab in labs:
        lab.down()


SUMMARY_PATH = os.environ.get("WEBROOT_SAFETY_SUMMARY", os.path.join(ROOT, "reports", "safety-summary.json"))


@pytest.fixture(scope="session")
def safety_summary():
    """A dict the safety tests fill in; written as JSON at the end of the session."""
    summary = {}
    start = time.time()
    yield summary
    if summary:
        summary["seconds"] = round(time.time() - start, 1)
        d = os.path.dirname(SUMMARY_PATH)
        if d and not os.path.isdir(d):
            os.makedirs(d)
        with open(SUMMARY_PATH, "w") as f:
            json.dump(summary, f, indent=2, sort_keys=True)
            f.write("\n")

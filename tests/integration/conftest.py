# -*- coding: utf-8 -*-
# Copyright: (c) 2026, webroot.enterprise contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Shared fixtures for the integration tests that run against real lab containers.

The topology comes from one file, lab/hosts.tsv (see :func:`topology`): a test lab
is that topology renamed (``wr-`` -> its own prefix) and moved to its own subnet
(same last octet), with the overrides the test states.

``lab_factory(hosts, network, subnet)`` starts those podman containers with
scripts/lab.sh and returns a :class:`Lab`: it writes inventories into a tmp dir,
runs ansible-playbook, and reads each container's firewall with the firewall's
own tools (iptables-save, ipset save, firewall-cmd, ufw) through pytest-ansible
(one ad-hoc ``shell`` call per read, on all the hosts at once). Nothing here
imports the collection: the tests state by hand what each firewall must hold.
The lab is removed when the factory's scope ends (or earlier with ``lab.down()``).

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

import pytest
import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
VENV_BIN = os.path.join(ROOT, ".venv", "bin")
CONTAINERS_CONF = os.path.join(ROOT, "lab", "containers.conf")
LAB_TSV = os.path.join(ROOT, "lab", "hosts.tsv")
LAB_NET = ipaddress.ip_network("198.18.0.0/15")
GROUPS = ("webroot_distributors", "webroot_servers", "webroot_clients", "webroot_update_endpoints")
MANAGED_GROUPS = GROUPS[:3]
# The rule lab/files/init.sh puts in front of everything: the management port.
MANAGEMENT_LABEL = "lab: management"
# Our marker, as the roles write it into comments (README: one per component).
OURS = re.compile(r"webroot\.enterprise (update_service|update_distributor|client_service|sweep_now|poll_now) ")

# pytest-ansible runs Ansible in this process: the podman connection it starts needs
# the lab's containers.conf, and Ansible must read the project's ansible.cfg.
os.environ.setdefault("CONTAINERS_CONF", CONTAINERS_CONF)
os.environ.setdefault("ANSIBLE_CONFIG", os.path.join(ROOT, "ansible.cfg"))


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

    def __repr__(self):
        return "Host(%r, %r, %r, %r)" % (self.name, self.address, self.kind, self.group)


def read_tsv(path=LAB_TSV):
    """The lines of a hosts TSV (name, address, init role, group) as Hosts."""
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


def topology(prefix, subnet, kinds=None, only=None):
    """lab/hosts.tsv for a lab of a test's own: ``wr-NAME`` becomes ``PREFIX + NAME`` at
    the same last octet in ``subnet``; ``kinds`` ({NAME: init role}) overrides an
    init role, ``only`` keeps those NAMEs (in the file's order)."""
    net = ipaddress.ip_network(subnet)
    if not net.subnet_of(LAB_NET):
        raise ValueError("lab subnet %s is outside 198.18.0.0/15" % subnet)
    out = []
    for h in read_tsv(LAB_TSV):
        short = h.name[len("wr-"):]
        if only is not None and short not in only:
            continue
        octet = int(ipaddress.ip_address(h.address)) & 0xFF
        address = str(net.network_address + octet)
        out.append(Host(prefix + short, address, (kinds or {}).get(short, h.kind), h.group))
    return out


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


# What each backend's own tools say, read in one shell script per host. Sections
# start with '== NAME'; the test code below only splits them.
READ_SCRIPT = {
    "iptables": ("echo '== ipv4'; iptables-save; echo '== ipv6'; ip6tables-save; "
                 "echo '== ipset'; ipset save; echo '== ipset file'; cat /etc/iptables/ipsets 2>/dev/null; "
                 "echo '== rules.v4'; cat /etc/iptables/rules.v4 2>/dev/null; "
                 "echo '== rules.v6'; cat /etc/iptables/rules.v6 2>/dev/null; true"),
    "ufw": "echo '== added'; ufw show added; echo '== numbered'; ufw status numbered",
    "firewalld": (
        "z=$(firewall-cmd --get-default-zone); "
        "for w in runtime permanent; do p=; [ $w = permanent ] && p=--permanent; "
        "echo \"== $w rich\"; firewall-cmd $p --zone=$z --list-rich-rules; "
        "echo \"== $w services\"; firewall-cmd $p --zone=$z --list-services | tr ' ' '\\n'; "
        "for s in $(firewall-cmd $p --get-ipsets); do case $s in webroot-*) "
        "echo \"== $w ipset $s\"; firewall-cmd $p --info-ipset=$s | sed -n 's/^ *type: /type: /p'; "
        "firewall-cmd $p --ipset=$s --get-entries | sed 's/^/entry: /';; esac; done; "
        "done; echo '== service files'; "
        "for f in /etc/firewalld/services/webroot-*.xml; do [ -e \"$f\" ] || continue; "
        "s=$(basename $f .xml); echo \"$s $(firewall-cmd --permanent --service=$s --get-ports)\"; done"),
}


def _sections(text):
    out, name = {}, None
    for line in text.splitlines():
        if line.startswith("== "):
            name = line[3:].strip()
            out[name] = []
        elif name is not None and line.strip():
            out[name].append(line.rstrip())
    return out


def _ipset_save(lines):
    """{set name: {"type": ..., "family": ..., "entries": [...]}} of our sets in `ipset save`."""
    sets = {}
    for line in lines:
        words = line.split()
        if len(words) < 3 or not words[1].startswith("webroot-"):
            continue
        if words[0] == "create":
            family = words[words.index("family") + 1] if "family" in words else None
            sets.setdefault(words[1], {"entries": []}).update(type=words[2], family=family)
        elif words[0] == "add":
            sets.setdefault(words[1], {"entries": []})["entries"].append(words[2])
    for s in sets.values():
        s["entries"] = sorted(s["entries"])
    return sets


def _ours_ipt(lines):
    """Our rules in iptables-save output, in order: lines that carry our marker and ACCEPT."""
    return sorted(line for line in lines if line.startswith("-A ") and OURS.search(line) and line.endswith("-j ACCEPT"))


# An admin's DROP/REJECT for one peer (an address or a set of sources; ufw: a deny
# from an address): ours go right after it when it could match their packets
# (docs/safety.md, "Where ours go"), which the "ours ahead of the others" check allows.
PEER_DENY = re.compile(r"^-A \S+ (?:.* )?(?:-s \S+|--match-set \S+ src)(?: .*)? -j (?:DROP|REJECT)\b")
UFW_PEER_DENY = re.compile(r"\s(?:DENY|REJECT) IN\s+[0-9a-fA-F:.]+(?:/\d+)?(?:\s|$)")


def _first(lines):
    """True when each rule of ours among ``lines`` comes before all the others, or
    right after an admin's DROP/REJECT for one peer (with only ours in between):
    ours go after such a rule when it could match their packets."""
    before = None   # the last rule that is not ours, None at the top
    for line in lines:
        if bool(OURS.search(line)) and line.endswith("-j ACCEPT"):
            if before is not None and not (PEER_DENY.match(before) or UFW_PEER_DENY.search(before)):
                return False
        else:
            before = line
    return True


def holdings(kind, text):
    """What of ours a firewall holds, from the output of READ_SCRIPT[kind], as a plain
    dict that a test compares with its hand-written expectation."""
    sec = _sections(text)
    if kind == "iptables":
        return {
            "ipv4": _ours_ipt(sec.get("ipv4", [])),
            "ipv6": _ours_ipt(sec.get("ipv6", [])),
            "sets": _ipset_save(sec.get("ipset", [])),
            # What the boot-time restore would bring back.
            "saved_sets": _ipset_save(sec.get("ipset file", [])),
            "saved_ipv4": _ours_ipt(sec.get("rules.v4", [])),
            "saved_ipv6": _ours_ipt(sec.get("rules.v6", [])),
            "ours_first": _first([line for line in sec.get("ipv4", []) if line.startswith("-A INPUT ")]),
        }
    if kind == "ufw":
        added = [line for line in sec.get("added", []) if line.startswith("ufw ") and OURS.search(line)
                 and line.split()[1] == "allow"]
        return {"rules": sorted(added), "ours_first": ufw_order_ok(sec.get("numbered", []))}
    if kind == "firewalld":
        out = {}
        for where in ("runtime", "permanent"):
            out[where] = {
                "rich": sorted(r for r in sec.get(where + " rich", []) if 'service name="webroot-' in r),
                "services": sorted(s for s in sec.get(where + " services", []) if s.startswith("webroot-")),
                "ipsets": dict(
                    (name.split()[-1], {
                        "type": [x[6:] for x in lines if x.startswith("type: ")][0] if any(
                            x.startswith("type: ") for x in lines) else None,
                        "entries": sorted(x[7:] for x in lines if x.startswith("entry: "))})
                    for name, lines in sec.items() if name.startswith(where + " ipset ")),
            }
        out["ours_first"] = True  # rich rules have no order
        out["service_files"] = dict(line.split(None, 1) if " " in line else (line, "")
                                    for line in sec.get("service files", []))
        return out
    return None


def ufw_order_ok(numbered_lines):
    """True when in `ufw status numbered` every rule of ours comes before every other
    rule (the roles insert ours at the top; IPv6 rules are listed after IPv4 ones)."""
    rules = [line for line in numbered_lines if re.match(r"^\[\s*\d+\]", line)]
    return _first([line + " -j ACCEPT" if " ALLOW " in line else line
                   for line in rules if "(v6)" not in line])


class Lab(object):
    """A running lab: its containers, its inventories and the commands that read them."""

    def __init__(self, hosts, network, subnet, tmpdir, adhoc):
        self.network, self.subnet, self.tmpdir, self.adhoc = network, subnet, tmpdir, adhoc
        self.hosts = list(hosts)
        self.by_name = dict((h.name, h) for h in self.hosts)
        self.up_seconds = None
        self.tsv = os.path.join(tmpdir, "hosts.tsv")
        with open(self.tsv, "w") as f:
            f.write("".join("%s\t%s\t%s\t%s\n" % (h.name, h.address, h.kind, h.group) for h in self.hosts))
        # The inventory pytest-ansible reads the containers through: every host, no groups.
        self.read_inventory = os.path.join(tmpdir, "read.yml")
        with open(self.read_inventory, "w") as f:
            yaml.safe_dump({"all": {"vars": {"ansible_connection": "containers.podman.podman",
                                             "ansible_python_interpreter": "/usr/bin/python3"},
                                    "hosts": dict((h.name, {}) for h in self.hosts)}}, f)

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

    def module(self, hosts, name, *args, **kwargs):
        """Run module ``name`` on ``hosts`` (names) through pytest-ansible; {host: result}."""
        manager = self.adhoc(inventory=self.read_inventory, become=False)
        dispatcher = manager[":".join(hosts)]
        result = getattr(dispatcher, name)(*args, **kwargs)
        return dict((h, result[h]) for h in hosts)

    def shell(self, hosts, script, check=True):
        """{host: stdout} of ``script`` run on every host of ``hosts`` (names) at once."""
        results = self.module(hosts, "shell", script)
        if check:
            failed = dict((h, r) for h, r in results.items() if r.get("rc") != 0 or r.get("failed"))
            if failed:
                raise RuntimeError("%s failed: %s" % (script, dict(failed)))
        return dict((h, r.get("stdout", "")) for h, r in results.items())

    def exec_(self, name, script, check=True, timeout=120):  # pylint: disable=unused-argument
        return self.shell([name], script, check=check)[name]

    def podman(self, *args, **kw):
        return subprocess.run(["podman"] + list(args), env=env(), stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, universal_newlines=True,
                              timeout=kw.get("timeout", 120), check=kw.get("check", True)).stdout

    def wait_firewalld(self, name, running=True, seconds=60):
        deadline = time.time() + seconds
        state = None
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
        # No name is resolved through the machine's resolver (tests talk only to loopback
        # and the lab): every lab host has webroot_address.
        allv = {"ansible_connection": "containers.podman.podman",
                "ansible_python_interpreter": "/usr/bin/python3",
                "webroot_resolve_names": False}
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

    # --- ansible-playbook ----------------------------------------------------
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
        """ansible.builtin.ping on every managed host of ``inventory``, through pytest-ansible."""
        manager = self.adhoc(inventory=inventory, become=False)
        result = manager["webroot_distributors:webroot_servers:webroot_clients"].ping()
        return dict((h, result[h]) for h in result.keys())

    # --- reading the firewalls -------------------------------------------------
    def ruleset(self, host):
        return self.rulesets([host])[host.name]

    def rulesets(self, hosts=None):
        """{host: its FULL ruleset as text}, for before/after comparisons."""
        hosts = self.managed if hosts is None else hosts
        scripts = {
            "iptables": "iptables-save; echo '== ip6'; ip6tables-save; echo '== ipset'; ipset save",
            "ufw": "ufw show added; echo '== status'; ufw status verbose; echo '== ipt'; iptables-save",
            "firewalld": ("if firewall-cmd --state >/dev/null 2>&1; then firewall-cmd --list-all-zones; "
                          "echo '== ipsets'; for s in $(firewall-cmd --get-ipsets); do firewall-cmd --info-ipset=$s; done; "
                          "echo '== permanent'; firewall-cmd --permanent --list-all-zones; "
                          "for s in $(firewall-cmd --permanent --get-ipsets); do firewall-cmd --permanent --info-ipset=$s; done; "
                          "else echo 'firewalld not running'; fi; echo '== files'; "
                          "cd /etc/firewalld && find . -type f -name '*.xml' | sort | xargs -r cat"),
        }
        return self._per_kind(hosts, scripts, _normalize_save)

    def _per_kind(self, hosts, scripts, post):
        out = {}
        for kind, script in scripts.items():
            names = [h.name for h in hosts if h.kind == kind]
            if names:
                out.update((n, post(t)) for n, t in self.shell(names, script).items())
        for h in hosts:
            out.setdefault(h.name, post(""))
        return out

    def foreign(self, host):
        return self.foreigns([host])[host.name]

    def foreigns(self, hosts=None):
        """{host: everything in the ruleset that is not ours}: lines without our marker,
        our ipsets and our firewalld services."""
        return dict((name, _foreign(self.by_name[name].kind, text))
                    for name, text in self.rulesets(hosts).items())

    def holdings(self, hosts=None):
        """{host: what of ours its firewall holds} (see :func:`holdings`)."""
        hosts = self.managed if hosts is None else hosts
        out = {}
        for kind, script in READ_SCRIPT.items():
            names = [h.name for h in hosts if h.kind == kind]
            if names:
                out.update((n, holdings(kind, t)) for n, t in self.shell(names, script).items())
        return out

    def ufw_numbered(self, name):
        return self.exec_(name, "ufw status numbered").splitlines()

    def management_ok(self, hosts=None):
        """{host: problem or None}: the lab's management rule is there and ad-hoc works."""
        hosts = self.managed if hosts is None else hosts
        scripts = {
            "iptables": "iptables -C INPUT -p tcp -m tcp --dport 22 -m comment --comment 'lab: management' -j ACCEPT "
                        "&& echo ok",
            "ufw": "ufw show added | grep -qxF \"ufw allow 22/tcp comment 'lab: management'\" && "
                   "ufw status | grep -qx 'Status: active' && echo ok",
            "firewalld": "firewall-cmd --query-port=22/tcp && firewall-cmd --permanent --query-port=22/tcp && echo ok",
        }
        out = {}
        for kind, script in scripts.items():
            names = [h.name for h in hosts if h.kind == kind]
            if not names:
                continue
            try:
                results = self.module(names, "shell", script)
            except Exception as exc:  # pylint: disable=broad-except
                out.update((n, "cannot reach: %s" % exc) for n in names)
                continue
            for n, r in results.items():
                out[n] = None if r.get("stdout", "").strip().endswith("ok") else "management rule missing: %s" % dict(r)
        return out


def _foreign(kind, text):
    out = []
    if kind == "firewalld":
        # The zone files spread one rich rule over several lines; the runtime and
        # permanent listings above them hold one rule per line.
        text = text.split("== files", 1)[0]
    skip_block = False
    for line in text.splitlines():
        if 'service name="webroot-' in line or OURS.search(line) and (
                "-j ACCEPT" in line or line.startswith("ufw allow")):
            continue
        if kind == "iptables" and re.match(r"^(create|add) webroot-", line):
            continue
        if kind == "firewalld":
            # ipset listings of ours: 'webroot-x-v4' then its indented attributes.
            if re.match(r"^webroot-\S+$", line):
                skip_block = True
                continue
            if skip_block and line.startswith(" "):
                continue
            skip_block = False
            if line.strip().startswith(("services:", "ipsets:")):
                line = " ".join(w for w in line.split() if not w.startswith("webroot-"))
        if kind == "ufw" and (line.startswith("-A ufw-user-") or "ALLOW" in line or "DENY" in line):
            # ufw's own chains and status lines mix ours and others'; ``ufw show
            # added`` (kept above) is where each rule is named.
            continue
        out.append(line)
    if kind == "firewalld":
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


@pytest.fixture(scope="session")
def lab_adhoc(request):
    """pytest-ansible's ``ansible_adhoc`` for session- and module-scoped fixtures: the
    same ``plugin.initialize`` the function-scoped fixture calls."""
    plugin = request.config.pluginmanager.getplugin("ansible")

    def init_host_mgr(**kwargs):
        return plugin.initialize(request.config, None, **kwargs)
    return init_host_mgr


@pytest.fixture(scope="session")
def lab_factory(tmp_path_factory, lab_adhoc):
    """lab_factory(hosts, network, subnet) -> a running Lab; all removed at session end."""
    if not podman_available():
        pytest.skip("needs root and podman (scripts/lab-image.sh builds the lab image)")
    labs = []

    def make(hosts, network, subnet):
        if not ipaddress.ip_network(subnet).subnet_of(LAB_NET):
            raise ValueError("lab subnet %s is outside 198.18.0.0/15" % subnet)
        lab = Lab(hosts, network, subnet, str(tmp_path_factory.mktemp(network)), lab_adhoc)
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

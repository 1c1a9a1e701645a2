# -*- coding: utf-8 -*-
# Copyright: (c) 2026, webroot.enterprise contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Safety 1 and 3: bad input stops the run before the first firewall change.

One ``ansible-playbook playbooks/site.yml -e @badvars.json`` per entry of BAD_INPUTS
(the verify role's entries run playbooks/verify.yml), against the safety lab
(lab/hosts.tsv renamed wrs-* on 198.18.30.0/24, wrs-client2 on firewalld: firewalld,
ufw and iptables hosts). Each run must fail (rc != 0) in the validation play (no host
reports a change), with a message that names the variable, and every container's FULL
ruleset must be identical before and after (iptables-save + ip6tables-save + ipset
save, ufw show added + status + iptables-save, firewall-cmd --list-all-zones and the
ipsets, runtime and permanent, + /etc/firewalld files), read through pytest-ansible.
Before the first bad input the lab holds nothing of ours, and after the last it still
holds nothing of ours (by hand: no webroot set, rule or service).

The ``mgmt-*`` entries are the no-lockout guard of the plan (rules.host_plan):
a component with inbound rules may not use a management port (ansible_port, 22,
5985, 5986).
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import difflib
import json
import os
import re

import pytest

pytestmark = pytest.mark.lab

from conftest import topology

HERE = os.path.dirname(os.path.abspath(__file__))
HOSTS = topology("wrs-", "198.18.30.0/24", kinds={"client2": "firewalld"})
NETWORK, SUBNET = "webroot-safety", "198.18.30.0/24"
VERIFY = os.path.isdir(os.path.join(HERE, "..", "..", "roles", "verify"))
# Nothing of ours, by hand, per backend (the shape of conftest.holdings()).
_FWD_NONE = {"rich": [], "services": [], "ipsets": {}}
NOTHING = {
    "iptables": {"ipv4": [], "ipv6": [], "sets": {}, "saved_sets": {}, "saved_ipv4": [], "saved_ipv6": [],
                 "ours_first": True},
    "ufw": {"rules": [], "ours_first": True},
    "firewalld": {"runtime": _FWD_NONE, "permanent": _FWD_NONE, "service_files": {}, "ours_first": True},
}


def case(cid, extra, expect, inventory=None, playbook="playbooks/site.yml"):
    """``expect``: regex the failure message must contain (the variable's name and
    what was expected)."""
    return pytest.param(extra, expect, inventory or {}, playbook, id=cid)


BAD_INPUTS = [
    # Ports: out of range, not numbers, wrong types; validated for state absent too.
    case("port-70000", {"sweep_now_port": 70000}, r"sweep_now_port must be a port number from 1 to 65535"),
    case("port-65536", {"update_service_port": 65536}, r"update_service_port must be a port number from 1 to 65535"),
    case("port-0", {"poll_now_port": 0}, r"poll_now_port must be a port number from 1 to 65535"),
    case("port-negative", {"client_service_port": -1}, r"client_service_port must be a port number from 1 to 65535"),
    case("port-word", {"update_distributor_port": "http"}, r"update_distributor_port must be a port number"),
    case("port-with-proto", {"sweep_now_port": "50001/tcp"}, r"sweep_now_port must be a port number"),
    case("port-list", {"poll_now_port": [50002]}, r"poll_now_port must be a port number"),
    case("port-bool", {"client_service_port": True}, r"client_service_port must be a port number"),
    case("port-bad-state-absent", {"sweep_now_state": "absent", "sweep_now_port": 0},
         r"sweep_now_port must be a port number"),
    # Unknown protocol / state / backend / profile.
    case("protocol-udp", {"poll_now_protocol": "udp"}, r"Unknown variable\(s\) poll_now_protocol.*known variables"),
    case("state-open", {"poll_now_state": "open"}, r"poll_now_state must be one of:? present, absent"),
    case("backend-pf", {"client_service_backend": "pf"},
         r"client_service_backend must be one of: auto, firewalld, ufw, iptables, windows"),
    case("backend-global-nftables", {"webroot_firewall_backend": "nftables"},
         r"update_service_backend must be one of: auto, firewalld, ufw, iptables, windows, got: nftables"),
    case("profile-global-home", {"webroot_windows_profiles": ["domain", "home"]},
         r"_windows_profiles must be one or more of: domain, private, public"),
    # Malformed, too wide and wrong-family CIDRs.
    case("cidr-octet", {"sweep_now_sources": ["198.18.30.300"]}, r"sweep_now_sources: '198.18.30.300' is not an IPv4/IPv6 address or CIDR"),
    case("cidr-prefix-33", {"poll_now_sources": ["198.18.30.0/33"]}, r"poll_now_sources: '198.18.30.0/33' is not an IPv4/IPv6"),
    case("cidr-hostname", {"client_service_sources": ["wrs-server1"]}, r"client_service_sources: 'wrs-server1' is not an IPv4/IPv6"),
    case("cidr-empty-element", {"client_service_sources": [""]}, r"client_service_sources: '' is not an IPv4/IPv6"),
    case("cidr-host-bits", {"update_distributor_sources": ["198.18.30.31/24"]},
         r"update_distributor_sources: '198.18.30.31/24' has host bits set.*198.18.30.31/32"),
    case("cidr-wrong-family-mapped", {"sweep_now_sources": ["::ffff:198.18.30.21"]},
         r"sweep_now_sources: '::ffff:198.18.30.21' is an IPv4 address in IPv6 form"),
    case("cidr-any-v4", {"poll_now_sources": ["0.0.0.0/0"]}, r"poll_now_sources: '0.0.0.0/0' admits every address"),
    case("cidr-any-v6", {"update_service_destinations": ["::/0"]}, r"update_service_destinations: '::/0' admits every address"),
    # Wrong types.
    case("sources-string", {"sweep_now_sources": "198.18.30.0/24"}, r"sweep_now_sources must be a list of addresses or CIDRs"),
    case("sources-dict", {"poll_now_sources": {"net": "198.18.30.0/24"}},
         r"poll_now_sources'? (is of type .*dict.*convert to list|must be a list of addresses or CIDRs)"),
    case("any-source-word", {"sweep_now_any_source": "maybe"}, r"sweep_now_any_source'? (is of type str .*not a valid boolean|must be true or false)"),
    case("any-source-and-sources", {"update_distributor_sources": ["198.18.30.0/24"], "update_distributor_any_source": True},
         r"update_distributor_sources and update_distributor_any_source are mutually exclusive"),
    # Misspelt variables (would otherwise be ignored silently).
    case("typo-sweep_now_source", {"sweep_now_source": ["198.18.30.21"]}, r"Unknown variable\(s\) sweep_now_source for role"),
    case("typo-update_service_destination", {"update_service_destination": ["198.18.30.41"]},
         r"Unknown variable\(s\) update_service_destination for role"),
    case("typo-update_distributor_any_sources", {"update_distributor_any_sources": True},
         r"Unknown variable\(s\) update_distributor_any_sources for role"),
    # Scopes from the inventory: empty or missing group, no address, bad address.
    case("group-empty-clients", {}, r"update_distributor: the scope .* webroot_clients, which have no hosts.*update_distributor_sources",
         inventory={"drop": ["wrs-client1", "wrs-client2"]}),
    case("group-missing-servers", {}, r"client_service: the scope .* webroot_servers, which have no hosts.*client_service_sources",
         inventory={"drop": ["wrs-server1"], "omit_groups": ["webroot_servers"]}),
    # With webroot_strict (today's stop-everything behaviour); without it the host is
    # left out and named (tests/integration/test_windows_estate.py).
    case("address-unknown", {"webroot_strict": True},
         r"cannot tell the address of wrs-client2 \(no webroot_address.*Set webroot_address",
         inventory={"hostvars": {"wrs-client2": {"webroot_address": None}}}),
    case("address-malformed", {}, r"webroot_address of host wrs-client1: '198.18.30.999' is not an IPv4/IPv6",
         inventory={"hostvars": {"wrs-client1": {"webroot_address": "198.18.30.999"}}}),
    # A host's address is one address: a network would widen every rule admitting it.
    case("address-network", {}, r"webroot_address of host wrs-client1: '198.18.30.0/24' is a network, not one address",
         inventory={"hostvars": {"wrs-client1": {"webroot_address": "198.18.30.0/24"}}}),
    case("address-wrong-family", {}, r"webroot_address of host wrs-client1: '::ffff:198.18.30.31' is an IPv4 address in IPv6 form",
         inventory={"hostvars": {"wrs-client1": {"webroot_address": "::ffff:198.18.30.31"}}}),
    # No lockout: our port may not be a management port.
    case("mgmt-ssh-22", {"sweep_now_port": 22}, r"sweep_now_port 22 is a management port of wrs-"),
    case("mgmt-winrm-5985", {"poll_now_port": 5985}, r"poll_now_port 5985 is a management port of wrs-"),
    case("mgmt-winrm-5986", {"client_service_port": "5986"}, r"client_service_port 5986 is a management port of wrs-"),
    case("mgmt-ansible_port", {"update_distributor_port": 2222}, r"update_distributor_port 2222 is a management port of wrs-dist",
         inventory={"allvars": {"ansible_port": 2222}}),
    case("mgmt-absent", {"sweep_now_port": 22, "sweep_now_state": "absent"}, r"sweep_now_port 22 is a management port of wrs-"),
]

if VERIFY:
    BAD_INPUTS += [
        case("verify-timeout", {"verify_timeout": "soon"}, r"verify_timeout.*float", playbook="playbooks/verify.yml"),
        case("verify-negative", {"verify_negative": "perhaps"}, r"verify_negative.*not a valid boolean", playbook="playbooks/verify.yml"),
        case("verify-negative-limit", {"verify_negative_limit": "all"}, r"verify_negative_limit.*int", playbook="playbooks/verify.yml"),
        case("verify-listener-seconds", {"verify_listener_seconds": "long"}, r"verify_listener_seconds.*int", playbook="playbooks/verify.yml"),
    ]


@pytest.fixture(scope="module")
def lab(lab_factory, safety_summary):
    lab = lab_factory(HOSTS, NETWORK, SUBNET)
    lab.baseline = lab.rulesets()
    assert_nothing_of_ours(lab)
    safety_summary.setdefault("bad_inputs", {"tried": 0, "refused": 0, "ids": []})
    yield lab
    lab.down()


def assert_nothing_of_ours(lab):
    have = lab.holdings()
    for h in lab.managed:
        assert have[h.name] == NOTHING[h.kind], (h.name, have[h.name])


def _diff(before, after):
    return "\n".join(difflib.unified_diff(before.splitlines(), after.splitlines(), "before", "after", lineterm=""))


@pytest.mark.parametrize("extra, expect, inventory, playbook", BAD_INPUTS)
def test_bad_input_is_refused_before_any_change(lab, safety_summary, tmp_path, request, extra, expect, inventory, playbook):
    cid = request.node.callspec.id
    inv = lab.inventory("inv-" + re.sub(r"\W", "_", cid), **inventory)
    badvars = tmp_path / "badvars.json"
    badvars.write_text(json.dumps(extra))
    before = lab.baseline
    # site.yml: the verify role is skipped (a tag); verify.yml: nothing skipped, so
    # its argument validation runs.
    run = lab.playbook(inv, "-e", "@%s" % badvars, playbook=playbook, skip=playbook.endswith("site.yml"))
    after = lab.rulesets()
    lab.baseline = after
    summary = safety_summary["bad_inputs"]
    summary["tried"] += 1

    assert run.rc != 0, run
    message = " ".join(run.out.split())
    assert re.search(expect, message), "expected /%s/ in the failure:\n%r" % (expect, run)
    # The failure is in the validation play (site.yml) or at the role's argument
    # validation (verify.yml): no task reported a change anywhere.
    assert all(r.get("changed", 0) == 0 for r in run.recap().values()), run
    if playbook.endswith("site.yml"):
        plays = re.findall(r"^PLAY \[(.*?)\]", run.out, re.M)
        assert plays and all(p.startswith("Validate") for p in plays), plays
    for name in before:
        assert before[name] == after[name], "%s ruleset changed:\n%s" % (name, _diff(before[name], after[name]))
    summary["refused"] += 1
    summary["ids"].append(cid)


def test_management_still_admitted_after_the_bad_inputs(lab):
    """Runs last in this module: the lab's management rule and the connection are intact."""
    problems = dict((k, v) for k, v in lab.management_ok().items() if v)
    assert not problems, problems
    ping = lab.ping(lab.inventory("ping"))
    assert sorted(ping) == sorted(h.name for h in lab.managed), ping
    assert all(r.get("ping") == "pong" for r in ping.values()), ping
    assert_nothing_of_ours(lab)

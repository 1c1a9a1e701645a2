# -*- coding: utf-8 -*-
# Copyright: (c) 2026, webroot.enterprise contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The job AWX starts for a workstation's provisioning callback (docs/awx.md, section 7).

Against the Windows Firewall SIMULATOR (the per-host interpreter harness of
test_site_serial.py). The night: site_serial.yml while cli2 is off (unreachable): it is
left out and named, the company server admits it anyway. The morning: cli2 starts, its
startup script calls back, and AWX runs the catch-up job template: site.yml with
``--limit cli2`` (AWX sets the job's limit to the matched host) and the job template's
Skip tags ``verify``. cli2 converges; no other host is touched. Expectations by hand.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os

from test_site_serial import DISTRIBUTOR, ENDPOINT, POLL, SERVER, SWEEP, CS, SimEstate
from winsim import ROOT, closed_port, recap_lines, skip_without_venv

SITE = os.path.join(ROOT, "playbooks", "site.yml")


def test_a_workstation_that_was_off_catches_up_through_the_callback_job(tmp_path):
    skip_without_venv()
    estate = SimEstate(str(tmp_path), {
        "webroot_update_endpoints": [("upd1", {"webroot_address": ENDPOINT})],
        "webroot_distributors": [("dist1", {"webroot_address": DISTRIBUTOR})],
        "webroot_servers": [("srv1", {"webroot_address": SERVER})],
        "webroot_clients": [("cli1", {"webroot_address": "198.18.92.31"}),
                            ("cli2", {"webroot_address": "198.18.92.32"}),
                            ("cli3", {"webroot_address": "198.18.92.33"})],
    })
    # The night: cli2 is off (a closed port on loopback: unreachable at once).
    with open(os.path.join(estate.dir, "hosts.yml")) as handle:
        inventory = json.load(handle)
    cli2 = inventory["all"]["children"]["webroot_clients"]["hosts"]["cli2"]
    night = json.loads(json.dumps(inventory))
    night["all"]["children"]["webroot_clients"]["hosts"]["cli2"] = {
        "webroot_address": cli2["webroot_address"], "ansible_connection": "ssh",
        "ansible_host": "127.0.0.1", "ansible_port": closed_port()}
    with open(os.path.join(estate.dir, "night.yml"), "w") as handle:
        json.dump(night, handle)
    rc, out = estate.play("-i", "night.yml", "-e", "webroot_serial=10", "-e", "webroot_max_left_out=1",
                          "--skip-tags", "verify")
    assert rc == 0, out[-4000:]
    flat = " ".join(out.split())
    assert "1 left out (cli2: unreachable:" in flat, flat[-3000:]
    assert estate.rules("cli2") == {}
    # The company server and the distributor admit cli2 all the same (by hand: .31-.33).
    assert estate.remote("srv1", CS) == ["198.18.92.31/32", "198.18.92.32/31"]
    night_stores = dict((h, estate.rules(h)) for h in ("dist1", "srv1", "cli1", "cli3"))

    # The morning: the callback job, site.yml limited to cli2, verify skipped.
    rc, out = estate.play("--limit", "cli2", "--skip-tags", "verify", playbook=SITE)
    assert rc == 0, out[-4000:]
    assert sorted(estate.rules("cli2")) == sorted([CS, SWEEP, POLL])
    for name in (CS, SWEEP, POLL):
        assert estate.remote("cli2", name) == ["198.18.90.21/32"], name
    # Nobody else was touched, and the job's report is of cli2.
    assert dict((h, estate.rules(h)) for h in night_stores) == night_stores
    recap = [line.split()[0] for line in recap_lines(out)]
    assert recap == ["cli2"], recap
    flat = " ".join(out.split())
    assert '"cli2 windows 50000/tcp in from 198.18.90.21/32 [client_service]"' in flat
    assert '"srv1 windows' not in flat

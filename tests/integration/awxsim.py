# -*- coding: utf-8 -*-
# Copyright: (c) 2026, webroot.enterprise contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""AWX's way of running a workflow, reproduced on one machine over the Windows
Firewall SIMULATOR (tests/integration/test_sharded_night.py, benchmarks/sharded_night.py).

- :func:`script_data`: the inventory as AWX writes it, a port of
  ``Inventory.get_script_data(hostvars=True, towervars=True, slice_number, slice_count)``
  (awx/main/models/inventory.py), slicing included;
- :class:`AwxLike`: each job run by ``ansible-runner`` (the library AWX drives) in a
  private data dir, with the extra variables in AWX's order
  (``WorkflowJobNode.get_job_kwargs``, ``RunJob.build_extra_vars_file``: job template,
  node extra data, ancestor artifacts, workflow, AWX's meta variables), the
  artifacts taken as AWX takes them (``artifact_data`` of the ``playbook_on_stats``
  event) and passed on to the next nodes; :meth:`AwxLike.night` runs the sharded
  workflow (estate; on success the shards at once; then, always, the merge).
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os

import ansible_runner

from winsim import COLLECTIONS, PYTHON, ROOT, SIMULATOR_COLLECTIONS, VENV_BIN, inventory_vars, rules_by_name, sim

WORKFLOW = "Webroot Enterprise - nightly (sharded)"
TEMPLATES = {"estate": "Webroot Enterprise - estate", "shard": "Webroot Enterprise - workstations shard",
             "merge": "Webroot Enterprise - merge"}


def script_data(hosts, groups, all_vars, slice_number=1, slice_count=1):
    """A port of awx/main/models/inventory.py Inventory.get_script_data(hostvars=True,
    towervars=True, slice_number, slice_count) for a non-smart inventory."""
    names = sorted(hosts)                                   # .order_by('name')
    if slice_count > 1 and slice_number > 0:                # get_sliced_hosts
        names = names[slice_number - 1::slice_count]
    in_slice = set(names)
    data = {"all": {"vars": dict(all_vars)}}
    grouped = set()
    group_hosts = {}
    for group, members in groups.items():
        for name in members:
            if name not in in_slice:
                continue    # host might not be in current shard
            group_hosts.setdefault(group, []).append(name)
            grouped.add(name)
    data["all"]["hosts"] = [n for n in names if n not in grouped]
    for group in groups:
        if group in group_hosts:
            data[group] = {"hosts": group_hosts[group]}
    data["all"]["children"] = list(groups)
    data["_meta"] = {"hostvars": {}}
    for i, name in enumerate(sorted(hosts)):
        if name in in_slice:
            hv = dict(hosts[name])
            hv.update({"remote_host_enabled": "true", "remote_host_id": i + 1,
                       "remote_tower_enabled": "true", "remote_tower_id": i + 1})
            data["_meta"]["hostvars"][name] = hv
    return data


class AwxLike(object):
    """Runs workflow nodes the way AWX does (see the module's docstring)."""

    def __init__(self, directory, hosts, groups, shards=None, jt_extra=None, wf_extra=None, env=None,
                 reopen=False, job_timeout=600):
        """``hosts``: {name: hostvars}; ``groups``: {group: [names]}; ``shards``: the
        shard groups of the workflow; ``jt_extra`` / ``wf_extra``: the job templates' and
        the workflow's extra variables; ``env``: more environment for every job;
        ``reopen``: go on in a directory made before, its hosts' rule stores as they are
        (a long benchmark resumed); ``job_timeout``: seconds to wait for a job (None: no
        limit)."""
        self.dir = directory
        self.job_timeout = job_timeout
        self.shards = sorted(shards or [])
        self.jt_extra = dict(jt_extra or {})
        self.wf_extra = dict(wf_extra or {})
        self.env = dict(env or {})
        self.stores = os.path.join(directory, "stores")
        self.bin = os.path.join(directory, "bin")
        self.log = os.path.join(directory, "calls.log")
        os.makedirs(self.stores, exist_ok=reopen)
        os.makedirs(self.bin, exist_ok=reopen)
        self.hosts = {}
        for name, hv in hosts.items():
            hv = dict(hv)
            if name != "upd1":
                hv["ansible_python_interpreter"] = self._interpreter(name)
                if not reopen:
                    sim.save(self.store(name), [])
            self.hosts[name] = hv
        self.groups = groups
        self.all_vars = inventory_vars(webroot_gather_facts=False, webroot_resolve_names=False)
        self.all_vars.pop("ansible_python_interpreter")
        self.job_id = 100

    def store(self, host):
        return os.path.join(self.stores, host + ".json")

    def _interpreter(self, host):
        path = os.path.join(self.bin, "python-" + host)
        with open(path, "w") as handle:
            handle.write("#!/bin/sh\nWEBROOT_WINFW_SIMULATOR_STORE='%s' exec '%s' \"$@\"\n" % (self.store(host), PYTHON))
        os.chmod(path, 0o755)
        return path

    def rules(self, host):
        return rules_by_name(self.stores, host)

    def remote(self, host, name):
        return sim.remote_networks(self.rules(host)[name]["RemoteAddresses"])

    def meta_vars(self, template, workflow):
        """awx_meta_vars() of a job launched by a workflow (awx and tower prefixes)."""
        self.job_id += 1
        out = {}
        for prefix in ("awx", "tower"):
            out.update({prefix + "_job_id": self.job_id, prefix + "_job_launch_type": "workflow",
                        prefix + "_workflow_job_id": 7, prefix + "_workflow_job_name": workflow,
                        prefix + "_workflow_job_launch_type": "scheduled",
                        prefix + "_job_template_id": 40 + len(template), prefix + "_job_template_name": template,
                        prefix + "_inventory_id": 3, prefix + "_inventory_name": "Webroot - Active Directory"})
        return out

    def start(self, name, playbook, limit=None, node_extra=None, ancestors=None, template=None, workflow=WORKFLOW,
              slice_number=1, slice_count=1, all_vars=None):
        """Starts one job (ansible_runner.run_async); returns (thread, runner)."""
        pdd = os.path.join(self.dir, "jobs", name)
        os.makedirs(os.path.join(pdd, "inventory"))
        os.makedirs(os.path.join(pdd, "env"))
        inventory_all = dict(self.all_vars)
        inventory_all.update(all_vars or {})
        data = script_data(self.hosts, self.groups, inventory_all, slice_number, slice_count)
        script = os.path.join(pdd, "inventory", "hosts")
        with open(script, "w") as handle:
            handle.write("#! %s\n# -*- coding: utf-8 -*-\nprint(%r)\n" % (PYTHON, json.dumps(data)))
        os.chmod(script, 0o700)
        # AWX's order: job template < node extra data < ancestor artifacts < workflow job < meta vars.
        extra = dict(self.jt_extra)
        extra.update(node_extra or {})
        extra.update(ancestors or {})
        extra.update(self.wf_extra if workflow == WORKFLOW else {})
        extra["webroot_report_dir"] = os.path.join(self.dir, "reports")
        extra.update(self.meta_vars(template or TEMPLATES["shard"], workflow))
        with open(os.path.join(pdd, "env", "extravars"), "w") as handle:
            json.dump(extra, handle)
        env = {
            "ANSIBLE_COLLECTIONS_PATH": os.pathsep.join([SIMULATOR_COLLECTIONS, COLLECTIONS]),
            "ANSIBLE_LOCAL_TEMP": os.path.join(pdd, "tmp"),
            "ANSIBLE_FORKS": "8",
            "ANSIBLE_HOST_KEY_CHECKING": "0",
            "ANSIBLE_NOCOLOR": "1",
            "PATH": VENV_BIN + os.pathsep + os.environ.get("PATH", ""),
            "WEBROOT_WINFW_SIMULATOR_LOG": self.log,
        }
        # More environment (a benchmark's clock file: "{job}" is the job's directory).
        env.update((k, v.replace("{job}", pdd)) for k, v in self.env.items())
        kwargs = dict(private_data_dir=pdd, project_dir=ROOT, playbook=playbook, envvars=env, quiet=True,
                      skip_tags="verify", ident="job")
        if limit:
            kwargs["limit"] = limit
        return ansible_runner.run_async(**kwargs)

    def finish(self, job):
        """Waits for a job; returns (status, rc, artifacts, stdout)."""
        thread, runner = job
        thread.join(self.job_timeout)
        artifacts = {}
        for event in runner.events:
            if event.get("event") == "playbook_on_stats":
                artifacts = event.get("event_data", {}).get("artifact_data") or {}
        with open(os.path.join(runner.config.artifact_dir, "stdout")) as handle:
            out = handle.read()
        return runner.status, runner.rc, artifacts, out

    def night(self, bad=None):
        """The workflow: estate, then (on success) the K shards at once, then the merge
        (always). Returns {node: (status, rc, artifacts, stdout)}."""
        results = {}
        estate = self.start("estate", "playbooks/site_estate.yml", "webroot_distributors:webroot_servers:localhost",
                            template=TEMPLATES["estate"])
        results["estate"] = self.finish(estate)
        if results["estate"][0] != "successful":
            return results   # success edges only: no shard runs
        estate_artifacts = dict(results["estate"][2])
        jobs = dict((shard, self.start(shard, "playbooks/site_workstations.yml", "%s:localhost" % shard,
                                       node_extra={"webroot_shard": shard}, ancestors=estate_artifacts))
                    for shard in self.shards)
        for shard in self.shards:
            results[shard] = self.finish(jobs[shard])
        ancestors = {}
        for shard in self.shards:      # each parent: its ancestor artifacts, then its job's
            ancestors.update(estate_artifacts)
            ancestors.update(results[shard][2])
        results["merge"] = self.finish(self.start("merge", "playbooks/merge.yml", ancestors=ancestors,
                                                  template=TEMPLATES["merge"]))
        return results

# -*- coding: utf-8 -*-
# Copyright: (c) 2026, webroot.enterprise contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""playbooks/awx_sharded_night.yml (the sharded workflow as code) against the REAL
awx.awx modules' argument specs, with no AWX server contacted.

Each awx.awx module builds its argument spec in ``main()`` and hands it to
``ControllerAPIModule``; the test runs ``main()`` with that class's ``__init__``
replaced by one that records the spec (plus the collection's own connection options,
``ControllerModule.AUTH_ARGSPEC``, and ``mutually_exclusive`` / ``required_if``) and
stops. Every task's arguments are templated as Ansible templates them (the play's
variables, each loop item) and validated with ansible-core's ArgumentSpecValidator,
the validation a module run performs. Then the workflow's shape, by hand: the estate
node, K shard nodes with their limits, the merge node.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import importlib
import os

import pytest

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
PLAYBOOK = os.path.join(REPO, "playbooks", "awx_sharded_night.yml")

controller_api = pytest.importorskip("ansible_collections.awx.awx.plugins.module_utils.controller_api",
                                     reason="the awx.awx collection comes with the ansible package")


class _Stop(Exception):
    pass


def real_spec(module):
    """(argument_spec, kwargs) that awx.awx.<module>'s main() passes to ControllerAPIModule."""
    captured = {}
    cls = controller_api.ControllerAPIModule
    original = cls.__init__

    def record(self, argument_spec=None, **kwargs):
        spec = dict(controller_api.ControllerModule.AUTH_ARGSPEC)
        spec.update(argument_spec)
        captured.update(spec=spec, kwargs=kwargs)
        raise _Stop()

    cls.__init__ = record
    try:
        mod = importlib.import_module("ansible_collections.awx.awx.plugins.modules." + module)
        with pytest.raises(_Stop):
            mod.main()
    finally:
        cls.__init__ = original
    return captured["spec"], captured["kwargs"]


def rendered_tasks(overrides=None):
    """[(module, args)] of the play, templated with its vars (and ``overrides``, as -e
    gives them), one entry per loop item."""
    from ansible.parsing.dataloader import DataLoader
    from ansible.template import Templar

    loader = DataLoader()
    try:   # ansible-core 2.19+: templates only in strings trusted as templates
        play = loader.load_from_file(PLAYBOOK, trusted_as_template=True)[0]
    except TypeError:   # 2.18
        play = loader.load_from_file(PLAYBOOK)[0]
    variables = dict(play["vars"])
    variables.update(overrides or {})
    templar = Templar(loader=loader, variables=variables)
    out = []
    for task in play["tasks"]:
        module = [k for k in task if k.startswith("awx.awx.")][0]
        items = templar.template(task["loop"]) if "loop" in task else [None]
        for item in items:
            templar.available_variables = dict(variables, item=item) if item is not None else variables
            out.append((module.split(".")[-1], templar.template(task[module])))
    return out


@pytest.fixture(scope="module")
def tasks():
    return rendered_tasks()


def test_every_task_passes_the_real_argument_spec(tasks):
    from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

    assert {module for module, args in tasks} == {"job_template", "workflow_job_template", "workflow_job_template_node", "schedule"}
    for module, args in tasks:
        spec, kwargs = real_spec(module)
        validator = ArgumentSpecValidator(spec, mutually_exclusive=kwargs.get("mutually_exclusive"),
                                          required_if=kwargs.get("required_if"))
        result = validator.validate(dict(args))
        assert not result.error_messages, (module, args.get("name") or args.get("identifier"), result.error_messages)
        # Nothing unknown, nothing deprecated by alias.
        assert set(args) <= set(spec), (module, set(args) - set(spec))


def test_the_workflow_shape_by_hand(tasks):
    by = {}
    for module, args in tasks:
        by.setdefault(module, []).append(args)
    templates = dict((a["name"], a) for a in by["job_template"])
    estate = templates["Webroot Enterprise - estate (distributors and company servers)"]
    shard = templates["Webroot Enterprise - workstations shard"]
    merge = templates["Webroot Enterprise - merge"]
    assert estate["playbook"] == "playbooks/site_estate.yml"
    assert estate["limit"] == "webroot_distributors:webroot_servers:localhost"
    assert shard["playbook"] == "playbooks/site_workstations.yml"
    # No limit on the merge: `--limit localhost` alone leaves ansible-playbook no inventory host.
    assert merge["playbook"] == "playbooks/merge.yml" and "limit" not in merge
    # The nodes' limit and extra data are taken only when the template asks for them;
    # K jobs of the shard template at once.
    assert shard["ask_limit_on_launch"] is True and shard["ask_variables_on_launch"] is True
    assert shard["allow_simultaneous"] is True
    for t in (estate, shard, merge):
        assert t["job_slice_count"] == 1, t["name"]
    for t in (estate, shard):
        # ansible-core 2.16 templates "{{ ... | int }}" to the string '50' (no native
        # types); the module's int option takes either (checked above against its spec).
        assert t["skip_tags"] == "verify" and int(t["forks"]) == 50
    nodes = dict((a["identifier"], a) for a in by["workflow_job_template_node"])
    shards = ["webroot_shard_1", "webroot_shard_2", "webroot_shard_3", "webroot_shard_4"]
    assert sorted(nodes) == ["estate", "merge"] + shards
    assert nodes["estate"]["success_nodes"] == shards
    for name in shards:
        assert nodes[name]["limit"] == name + ":localhost"
        assert nodes[name]["extra_data"] == {"webroot_shard": name}
        assert nodes[name]["always_nodes"] == ["merge"]
        assert nodes[name]["unified_job_template"] == shard["name"]
    assert nodes["merge"]["all_parents_must_converge"] is True
    workflow = by["workflow_job_template"][0]
    assert workflow["extra_vars"] == {"webroot_max_left_out": 300, "webroot_shards": shards}
    # A sliced job template's workflow is named as the job template: the playbooks take a
    # workflow named as one of its templates for a slice, so the names differ.
    assert workflow["name"] not in templates
    # Children are created before the nodes whose edges name them.
    order = [a["identifier"] for a in by["workflow_job_template_node"]]
    assert order.index("merge") < order.index(shards[0]) < order.index("estate")


def test_k_comes_from_one_variable():
    nodes = [a["identifier"] for m, a in rendered_tasks({"webroot_awx_shards": 2})
             if m == "workflow_job_template_node"]
    assert nodes == ["merge", "webroot_shard_1", "webroot_shard_2", "estate"]

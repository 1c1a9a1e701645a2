# -*- coding: utf-8 -*-
# Copyright: (c) 2026, webroot.enterprise contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Plans every host of the estate from the inventory, on the controller, once
(see the module's doc). No host is contacted."""
from __future__ import absolute_import, division, print_function

__metaclass__ = type


from ansible_collections.webroot.enterprise.plugins.plugin_utils import estate as estate_lib
from ansible_collections.webroot.enterprise.plugins.plugin_utils import rules as rules_lib
from ansible_collections.webroot.enterprise.plugins.plugin_utils import engine
from ansible_collections.webroot.enterprise.plugins.plugin_utils import resolve as resolve_lib

ARGUMENT_SPEC = dict(
    max_errors=dict(type="int", default=20),
)


class ActionModule(engine.Action):
    ARGUMENT_SPEC = ARGUMENT_SPEC
    _VALID_ARGS = frozenset(ARGUMENT_SPEC)

    def act(self, result, args, task_vars):
        resolver = None
        try:
            # The collection-wide settings, read as the roles read them: a bad yes/no or
            # timeout is one bad value of the estate, named, before anything changes.
            settings = engine.collection_settings(self._templar, task_vars)
        except resolve_lib.RuleError as exc:
            result.update(failed=True, msg="The estate has 1 bad value(s), so no firewall was changed anywhere: %s"
                          % exc)
            return result
        if settings["resolve"]:
            def resolver(names):
                return resolve_lib.resolve(names, timeout=settings["resolve_timeout"])
        # Membership asked from sets: an estate asks it of every host, per component.
        groups = rules_lib.indexed_groups(task_vars.get("groups") or {})
        not_in_run = ()
        if settings["gather_facts"] and task_vars.get("ansible_play_hosts_all"):
            # Facts are gathered for the hosts of this run only (facts.yml): a host outside
            # --limit without another source has an address unknown this run, not none.
            in_run = set(task_vars["ansible_play_hosts_all"])
            not_in_run = set(h for g in estate_lib.MANAGED + (estate_lib.GROUP_UPDATE_ENDPOINTS,)
                             for h in (groups.get(g) or []) if h not in in_run)
        summary = estate_lib.validate(groups, task_vars.get("hostvars") or {}, resolver=resolver,
                                      strict=settings["strict"], client_networks=settings["client_networks"],
                                      not_in_run=not_in_run, allowed_networks=self._templar.template(
                                          task_vars.get("webroot_allowed_networks", [])))
        result.update(changed=False, hosts=summary["hosts"], plans=summary["plans"],
                      errors=summary["errors"], addresses=summary["addresses"], left_out=summary["left_out"],
                      unknown=summary["unknown"], duplicates=summary["duplicates"])
        warnings = []
        if summary["duplicates"]:
            warnings.append("%d address(es) are claimed by more than one host (a stale DNS record, a lease "
                            "handed on, or a host giving another's address): %s" % (
                                len(summary["duplicates"]), "; ".join(
                                    "%s: %s" % (a, ", ".join(h)) for a, h in sorted(summary["duplicates"].items())[:20])))
        if summary["left_out"]:
            warnings.append("%d host(s) have no address and are left out of their peers' rules "
                            "(named in the summary at the end): %s" % (
                                len(summary["left_out"]), ", ".join(sorted(summary["left_out"])[:20])))
        if summary["unknown"]:
            warnings.append("%d host(s) have an address this run could not learn; nothing is removed from "
                            "their peers' rules in this run (what the firewalls admit is kept): %s" % (
                                len(summary["unknown"]), "; ".join(
                                    "%s: %s" % (h, w) for h, w in sorted(summary["unknown"].items())[:20])))
        if warnings:
            result["warnings"] = warnings
        if summary["errors"]:
            shown = summary["errors"][:args["max_errors"]]
            more = len(summary["errors"]) - len(shown)
            result.update(failed=True, msg=(
                "The estate has %d bad value(s), so no firewall was changed anywhere: %s%s"
                % (len(summary["errors"]), " | ".join(shown), " | (%d more)" % more if more else "")))
        else:
            result["msg"] = "%d hosts, %d component plans: every value is valid" % (
                summary["hosts"], summary["plans"])
        return result

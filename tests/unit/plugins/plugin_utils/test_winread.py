# -*- coding: utf-8 -*-
# Copyright: (c) 2026, webroot.enterprise contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The Windows read is checked on the controller before anything uses it
(plugins/plugin_utils/winread.py): a failed or partial read fails naming the host,
and a rule Group Policy supplies is never one of ours, whichever way
FwPolicy2.Rules answers."""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.webroot.enterprise.plugins.plugin_utils import backends
from ansible_collections.webroot.enterprise.plugins.plugin_utils import winread

NAME = "Webroot Enterprise - Sweep Now (TCP 50001 in)"
RULE = {"Name": NAME, "Grouping": "Webroot Enterprise", "Direction": 1, "Action": 1, "Enabled": True,
        "RemoteAddresses": "198.18.10.21/255.255.255.255"}
PROFILES = [{"Profile": p, "Enabled": True, "AllowLocalRules": True, "AllowInboundRules": True}
            for p in ("Domain", "Private", "Public")]


def result(**read):
    base = {"Rules": [dict(RULE)], "PolicyRules": [], "Profiles": [dict(p) for p in PROFILES],
            "CurrentProfiles": ["Domain"], "MpsSvc": "Running"}
    base.update(read)
    return {"changed": False, "output": [base], "error": []}


def refused(res):
    with pytest.raises(winread.ReadError) as err:
        winread.checked(res, "ws3")
    return str(err.value)


def test_a_whole_read_passes_unchanged():
    read = winread.checked(result(), "ws3")
    assert read["Rules"] == [RULE] and read["Profiles"] == PROFILES and read["CurrentProfiles"] == ["Domain"]


@pytest.mark.parametrize("res, words", [
    ({"changed": False, "output": [], "error": []}, "returned nothing instead of one object"),
    ({"changed": False, "output": [{}, {}], "error": []}, "returned 2 objects instead of one object"),
    (result(Rules=[None]), "returned null as Rules[0], not an object"),
    (result(Rules=["@{Name=x; Grouping=y}"]), "the string '@{Name=x; Grouping=y}' as Rules[0], not an object"),
    (result(Rules=[dict(RULE, Direction="1")]), "Direction = the string '1' for rule"),
    (result(Rules=[dict(RULE, Name=None)]), "Rules[0] without a name"),
    (result(Profiles=["System.Collections.Hashtable"]), "as Profiles[0], not an object"),
    (result(Profiles=[dict(PROFILES[0], AllowInboundRules=None)]), "AllowInboundRules = null for the Domain"),
    (result(CurrentProfiles="Domain"), "for CurrentProfiles, not a list of names"),
    (result(PolicyRules=None), "returned null for PolicyRules, not a list"),
])
def test_a_partial_or_misshapen_read_fails_naming_the_host(res, words):
    message = refused(res)
    assert "on ws3" in message and words in message, message


def test_an_error_record_fails_even_when_the_task_did_not():
    res = result()
    res["error"] = [{"exception": {"message": "Access is denied"}, "fully_qualified_error_id": "X,Y"}]
    assert refused(res) == "the Windows Firewall read on ws3 failed, so nothing was changed: Access is denied (X,Y)"


def test_windows_own_rpc_error_of_a_stopped_service_is_named():
    res = {"failed": True, "output": [], "error": [{"exception": {
        "message": "There are no more endpoints available from the endpoint mapper. "
                   "(Exception from HRESULT: 0x800706D9)"}}]}
    assert "(MpsSvc) is not running on ws3" in refused(res)


def test_a_group_policy_rule_listed_by_com_is_marked_and_never_ours():
    policy = [{"Name": NAME.upper(), "Grouping": "Webroot Enterprise", "Action": 1, "Direction": 1}]
    read = winread.checked(result(PolicyRules=policy), "ws3")
    assert read["Rules"] == [dict(RULE, PolicyStore="GroupPolicy")]
    assert backends.ours("windows", read)["sweep_now"]["rules"] == []


def test_a_group_policy_rule_not_listed_by_com_is_added_as_foreign():
    policy = [{"Name": "Webroot Enterprise - Poll Now (TCP 50002 in)", "Grouping": "Webroot Enterprise",
               "Action": 1, "Direction": 1}]
    read = winread.checked(result(PolicyRules=policy), "ws3")
    assert read["Rules"] == [RULE, {"Name": "Webroot Enterprise - Poll Now (TCP 50002 in)",
                                    "Grouping": "Webroot Enterprise", "Action": 1, "Direction": 1,
                                    "PolicyStore": "GroupPolicy"}]
    assert [r["Name"] for r in backends.ours("windows", read)["sweep_now"]["rules"]] == [NAME]
    assert backends.ours("windows", read)["poll_now"]["rules"] == []

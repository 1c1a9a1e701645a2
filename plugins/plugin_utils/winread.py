# -*- coding: utf-8 -*-
# Copyright: (c) 2026, webroot.enterprise contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The Windows read as it arrives on the controller: checked before anything uses it.

``engine.Host.read`` runs ``webroot_read.ps1`` through ``ansible.windows.win_powershell``
(``depth: 3``, ``error_action: stop``) and hands its result here. :func:`checked`
returns the read, or raises :class:`ReadError` naming the host and what was wrong:

- the task failed or wrote an error record (``error_action: stop`` makes any error
  end the script: win_powershell.ps1 @ 3.3.0, lines 672-677 and 843-855);
  ConstrainedLanguage (WDAC/AppLocker) and a stopped firewall service are recognised
  and named with the way out (:func:`failure`);
- the output is not exactly one object;
- a rule, a profile or a Group Policy rule is not an object (e.g. a string
  ``"@{Name=...; ...}"``: the output was converted at too small a ``depth``,
  win_powershell.ps1 @ 3.3.0, lines 286-418 and 907), or lacks what the comparison
  needs (a Name; Direction and Action as numbers; the profile flags as booleans).

Rules that Group Policy supplies (``PolicyRules``, the RSOP store) are marked
``PolicyStore: GroupPolicy`` in ``Rules`` (added there when ``FwPolicy2.Rules`` does
not list them), so they are never taken for ours: fw_windows.py treats them as
foreign, and a wanted rule with such a name is refused. Either way
``FwPolicy2.Rules`` behaves (listing Group Policy rules or not), a Group Policy rule
named like ours is therefore never changed, removed or counted as ours.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

POLICY_STORE = "GroupPolicy"
PROFILE_FLAGS = ("Enabled", "AllowLocalRules", "AllowInboundRules")
READ_SCRIPT = "plugins/plugin_utils/webroot_read.ps1"


class ReadError(Exception):
    """The read of a Windows host cannot be used; the message names the host."""


def _texts(result):
    out = []
    for err in result.get("error") or []:
        if not isinstance(err, dict):
            out.append(str(err))
            continue
        exc = err.get("exception") if isinstance(err.get("exception"), dict) else {}
        text = exc.get("message") or err.get("output") or ""
        fqid = err.get("fully_qualified_error_id")
        out.append("%s%s" % (str(text).strip(), " (%s)" % fqid if fqid else ""))
    if not out and result.get("msg"):
        out.append(str(result["msg"]))
    return out


def failure(result, host):
    """The message for a failed read of ``host`` (``result``: win_powershell's)."""
    texts = _texts(result)
    joined = " ".join(texts).lower()
    if "language mode" in joined or "constrainedlanguage" in joined:
        return (
            "the Windows Firewall read on %s ran in PowerShell's ConstrainedLanguage mode, which refuses "
            "the COM object it reads (HNetCfg.FwPolicy2): WDAC or AppLocker enforces script rules on this "
            "host, and ansible.windows.win_powershell then runs an inline script in ConstrainedLanguage. "
            "Nothing was read or changed. Allow the read: a WDAC or AppLocker script rule that trusts it "
            "(sign %s with a certificate your policy trusts, or allow it by hash), or run the collection "
            "from an account the policy exempts. PowerShell said: %s"
            % (host, READ_SCRIPT, "; ".join(texts)))
    if "mpssvc" in joined or "0x800706d9" in joined or "endpoint mapper" in joined:
        return (
            "the Windows Defender Firewall service (MpsSvc) is not running on %s, so its rules cannot be "
            "read or changed (nothing was). Start it: Set-Service -Name MpsSvc -StartupType Automatic; "
            "Start-Service -Name MpsSvc (Microsoft does not support stopping it; turn a profile's firewall "
            "off instead). PowerShell said: %s" % (host, "; ".join(texts)))
    return ("the Windows Firewall read on %s failed, so nothing was changed: %s"
            % (host, "; ".join(texts) or "win_powershell failed without an error record"))


def _kind(value):
    if isinstance(value, str):
        return "the string %r" % (value if len(value) <= 60 else value[:57] + "...")
    return "null" if value is None else type(value).__name__


def _depth_hint(value):
    if isinstance(value, str) and (value.startswith("@{") or value.startswith("System.")):
        return " (the read's output was converted at too small a depth: win_powershell gives what lies " \
               "deeper than its depth option as a string)"
    return ""


def _objects(read, key, host, required):
    items = read.get(key)
    if items is None and not required:
        return []
    if not isinstance(items, list):
        raise ReadError("the Windows Firewall read on %s returned %s for %s, not a list" % (host, _kind(items), key))
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            raise ReadError("the Windows Firewall read on %s returned %s as %s[%d], not an object%s"
                            % (host, _kind(item), key, index, _depth_hint(item)))
    return items


def _is_int(value):
    return isinstance(value, int) and not isinstance(value, bool)


def checked(result, host):
    """The read of ``host`` from win_powershell's ``result``, checked; ReadError otherwise."""
    if result.get("failed") or result.get("error"):
        raise ReadError(failure(result, host))
    output = result.get("output")
    if not isinstance(output, list) or len(output) != 1:
        raise ReadError("the Windows Firewall read on %s returned %s instead of one object, so nothing was "
                        "changed" % (host, "nothing" if not output else
                                     "%d objects" % len(output) if isinstance(output, list) else _kind(output)))
    read = output[0]
    if not isinstance(read, dict):
        raise ReadError("the Windows Firewall read on %s returned %s, not an object%s"
                        % (host, _kind(read), _depth_hint(read)))
    rules = _objects(read, "Rules", host, True)
    for index, rule in enumerate(rules):
        if not isinstance(rule.get("Name"), str) or not rule["Name"]:
            raise ReadError("the Windows Firewall read on %s returned Rules[%d] without a name" % (host, index))
        for prop in ("Direction", "Action"):
            if not _is_int(rule.get(prop)):
                raise ReadError("the Windows Firewall read on %s returned %s = %s for rule '%s', not a number"
                                % (host, prop, _kind(rule.get(prop)), rule["Name"]))
    for index, prof in enumerate(_objects(read, "Profiles", host, True)):
        if not isinstance(prof.get("Profile"), str):
            raise ReadError("the Windows Firewall read on %s returned Profiles[%d] without a profile name"
                            % (host, index))
        for flag in PROFILE_FLAGS:
            if not isinstance(prof.get(flag), bool):
                raise ReadError("the Windows Firewall read on %s returned %s = %s for the %s profile, not true "
                                "or false" % (host, flag, _kind(prof.get(flag)), prof["Profile"]))
    current = read.get("CurrentProfiles")
    if not isinstance(current, list) or not all(isinstance(p, str) for p in current):
        raise ReadError("the Windows Firewall read on %s returned %s for CurrentProfiles, not a list of names"
                        % (host, _kind(current)))
    policy = _objects(read, "PolicyRules", host, True)
    for index, rule in enumerate(policy):
        if not isinstance(rule.get("Name"), str) or not rule["Name"]:
            raise ReadError("the Windows Firewall read on %s returned PolicyRules[%d] without a name" % (host, index))
    return mark_policy_rules(read)


def mark_policy_rules(read):
    """``read`` with every rule Group Policy supplies marked ``PolicyStore: GroupPolicy``
    in ``Rules``: a rule listed by ``FwPolicy2.Rules`` whose name (without case) is a
    Group Policy rule's, and each Group Policy rule that is not listed there."""
    policy = read.get("PolicyRules") or []
    names = set(r["Name"].lower() for r in policy)
    rules = []
    listed = set()
    for rule in read.get("Rules") or []:
        if rule["Name"].lower() in names:
            rule = dict(rule, PolicyStore=POLICY_STORE)
            listed.add(rule["Name"].lower())
        rules.append(rule)
    for rule in policy:
        if rule["Name"].lower() not in listed:
            rules.append({"Name": rule["Name"], "Grouping": rule.get("Grouping"), "Action": rule.get("Action"),
                          "Direction": rule.get("Direction"), "PolicyStore": POLICY_STORE})
            listed.add(rule["Name"].lower())
    out = dict(read)
    out["Rules"] = rules
    return out

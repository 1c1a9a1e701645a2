# -*- coding: utf-8 -*-
# Copyright: (c) 2026, webroot.enterprise contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The verify listener's start script quotes its arguments as PowerShell reads them.

webroot_verify_start.ps1 writes the listener's command (-EncodedCommand) with its
state file path (under the user's %TEMP%, so under the profile's name) in a
single-quoted string. PowerShell's tokenizer ends such a string at any of five
characters: ' and the typographic U+2018, U+2019, U+201A, U+201B (PowerShell's
CharTraits IsSingleQuote), and reads any two of them in a row as one escaped quote.
Doubling only ' (issue 25) lets C:\\Users\\O\u2019Brien end the string early, and what
follows runs as code. There is no PowerShell here: the tokenizer's rule is written
below, and the script must use PowerShell's own escaper, which doubles all five.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import io
import os
import re

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
START = os.path.join(ROOT, "roles", "verify", "files", "webroot_verify_start.ps1")
QUOTES = u"'\u2018\u2019\u201a\u201b"


def verbatim_end(text, start=0):
    """Where PowerShell ends the single-quoted string opened at ``text[start]``: the
    index after its closing quote (a pair of quote characters is an escaped quote)."""
    i = start + 1
    while i < len(text):
        if text[i] in QUOTES:
            if i + 1 < len(text) and text[i + 1] in QUOTES:
                i += 2
                continue
            return i + 1
        i += 1
    return None


def doubled_apostrophe(value):   # the script's quoting before issue 25
    return u"'" + value.replace(u"'", u"''") + u"'"


def doubled_all(value):          # CodeGeneration.EscapeSingleQuotedStringContent
    return u"'" + u"".join(c + c if c in QUOTES else c for c in value) + u"'"


PATH = u"C:\\Users\\O\u2019Brien'; Stop-Computer; '\\AppData\\Local\\Temp\\webroot-verify-x\\state.json"


def test_the_tokenizer_rule_shows_why_doubling_the_apostrophe_is_not_enough():
    quoted = doubled_apostrophe(PATH)
    assert verbatim_end(quoted) < len(quoted)          # ends early: the rest is code
    quoted = doubled_all(PATH)
    assert verbatim_end(quoted) == len(quoted)         # one string, the whole path


def test_the_start_script_escapes_every_quote_powershell_knows():
    with io.open(START, encoding="utf-8") as handle:
        script = handle.read()
    quote = re.search(r"\$quote = \{(.*?)\n\}", script, re.S)
    assert quote, "webroot_verify_start.ps1 defines no $quote script block"
    body = quote.group(1)
    assert "[System.Management.Automation.Language.CodeGeneration]::EscapeSingleQuotedStringContent(" in body
    assert ".Replace(" not in body
    # Every argument of the listener's command goes through it.
    assert re.search(r"\(& \$quote \$Ports\), \(& \$quote \$state\), \(& \$quote \$Token\)", script)

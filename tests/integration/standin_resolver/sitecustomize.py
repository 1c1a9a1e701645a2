# -*- coding: utf-8 -*-
# Copyright: (c) 2026, webroot.enterprise contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A stand-in resolver for the ansible-playbook runs of the tests: with this directory
on PYTHONPATH and WEBROOT_TEST_RESOLVER naming a JSON file, socket.getaddrinfo answers
from that file, re-read on every call (a test changes it between two runs):

    {"ws-a.corp.example": "198.18.120.51",     an address
     "ws-b.corp.example": "again",             EAI_AGAIN (the server did not answer)
     "ws-c.corp.example": "noname",            EAI_NONAME (NXDOMAIN)
     "ws-d.corp.example": {"hang": 3}}         no answer for 3 s, then EAI_AGAIN

A name the file does not hold gets EAI_NONAME: no name is ever sent to a real
resolver. Numeric addresses are answered as numbers (AI_NUMERICHOST), never looked up.
"""
import json
import os
import socket
import time

_REAL = socket.getaddrinfo
_PATH = os.environ.get("WEBROOT_TEST_RESOLVER")


def _standin(host, port, family=0, type=0, proto=0, flags=0):  # pylint: disable=redefined-builtin
    try:
        return _REAL(host, port, family, type, proto, flags | socket.AI_NUMERICHOST)
    except (socket.gaierror, UnicodeError, TypeError):
        pass
    with open(_PATH) as handle:
        answers = json.load(handle)
    name = host.decode() if isinstance(host, bytes) else str(host)
    answer = answers.get(name, "noname")
    if isinstance(answer, dict):
        time.sleep(float(answer.get("hang", 0)))
        answer = "again"
    if answer == "again":
        raise socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")
    if answer == "noname":
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
    return [(socket.AF_INET, type or socket.SOCK_STREAM, proto or 6, "", (answer, port or 0))]


if _PATH:
    socket.getaddrinfo = _standin

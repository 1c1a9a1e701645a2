# -*- coding: utf-8 -*-
# Copyright: (c) 2026, webroot.enterprise contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The controller's DNS resolution of host names, for hosts whose address neither
the inventory nor the facts give (an estate inventoried from Active Directory has
names: AD keeps no address, DNS does).

Every name in a thread of its own, at most ``workers`` at once, each lookup within
``timeout`` seconds (``webroot_resolve_timeout``), a name that timed out or whose
server failed (EAI_AGAIN) tried once more, and the whole estate within a budget
that grows with its size and is bounded (:func:`estate_budget`). A lookup that
hangs costs its name its time, never another name's: its thread is left to end on
its own (a daemon thread, not waited for). A name not answered in time is unknown
this run (rules.Transient), not absent: it removes nothing (docs/safety.md).
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import ipaddress
import math
import socket
import threading
import time

from ansible_collections.webroot.enterprise.plugins.plugin_utils.rules import RuleError, Transient

WORKERS = 64
RETRIES = 1
# The estate's budget never exceeds this many seconds, however many names.
MAX_BUDGET = 300.0
# Lookups left hanging (their name timed out) that may still hold a thread.
MAX_ABANDONED = 4 * WORKERS
# Answers that say the name has no address (NXDOMAIN, no A/AAAA record): the host is
# left out. Every other failure (EAI_AGAIN: the server did not answer; EAI_FAIL: it
# failed; a timeout) says nothing about the host: its address is unknown this run.
DEFINITIVE = tuple(getattr(socket, n) for n in ("EAI_NONAME", "EAI_NODATA") if hasattr(socket, n))


def pick(infos):
    """The address of one host from getaddrinfo's answers: the first IPv4 address,
    else the first IPv6 address that is neither link-local nor temporary-looking
    (we cannot tell a temporary address from DNS, so DNS answers are taken as given);
    loopback, link-local, unspecified and multicast addresses never."""
    v4, v6 = [], []
    for info in infos or []:
        try:
            addr = ipaddress.ip_address(u"%s" % info[4][0].split("%")[0])
        except (ValueError, IndexError, TypeError):
            continue
        if addr.is_loopback or addr.is_link_local or addr.is_unspecified or addr.is_multicast:
            continue
        (v4 if addr.version == 4 else v6).append(addr)
    for group in (v4, v6):
        if group:
            return str(ipaddress.ip_network(group[0]))
    return None


def check_timeout(value, var="webroot_resolve_timeout"):
    """``value`` as seconds above 0; a RuleError naming ``var`` otherwise."""
    try:
        seconds = float(value)
    except (TypeError, ValueError):
        seconds = None
    if seconds is None or isinstance(value, bool) or math.isnan(seconds) or seconds <= 0 or math.isinf(seconds):
        raise RuleError("%s must be a number of seconds above 0 (the time each name may take), got %r"
                        % (var, value))
    return seconds


def estate_budget(count, timeout, workers=WORKERS, retries=RETRIES):
    """Seconds for resolving ``count`` names: every name's lookups (``1 + retries``
    of ``timeout`` each) in rounds of ``workers``, and one ``timeout`` more (a retry
    starts a moment after the try it follows), at most :data:`MAX_BUDGET`."""
    rounds = max(1, int(math.ceil(float(count) / max(1, workers))))
    return min(MAX_BUDGET, timeout * ((1 + retries) * rounds + 1))


def _lookup(name, resolver):
    return pick(resolver(name, None, 0, socket.SOCK_STREAM))


def _answer(name, exc):
    """(None, why) for a lookup that raised ``exc``; why is Transient unless DNS said
    the name has no address."""
    why = "%s does not resolve (%s)" % (name, exc)
    if isinstance(exc, UnicodeError):
        return None, why
    definitive = isinstance(exc, socket.gaierror) and exc.errno in DEFINITIVE
    return None, (why if definitive else Transient(why))


def resolve(names, timeout=10.0, resolver=socket.getaddrinfo, workers=WORKERS, retries=RETRIES,
            budget=None, clock=time.monotonic):
    """{name: (CIDR or None, why)} for every name: each lookup within ``timeout``
    seconds, one more try (``retries``) for a name that timed out or whose server
    failed, all within ``budget`` seconds (default :func:`estate_budget`)."""
    timeout = check_timeout(timeout)
    names = sorted(set(n for n in names if n))
    out = {}
    if not names:
        return out
    budget = estate_budget(len(names), timeout, workers, retries) if budget is None else budget
    deadline = clock() + budget
    lock = threading.Condition()
    finished = []          # (name, attempt, (addr, why)) as lookups end
    todo = [(n, 0) for n in names]
    running = {}           # name: (attempt, started)
    abandoned = [0]        # lookups still hanging whose name went on without them
    last = {}              # name: the latest failure (why), for a name that runs out of time

    def work(name, attempt):
        try:
            addr = _lookup(name, resolver)
            answer = (addr, None) if addr else (None, "%s resolves to no usable address" % name)
        except (socket.gaierror, socket.herror, UnicodeError, OSError) as exc:
            answer = _answer(name, exc)
        except Exception as exc:  # pylint: disable=broad-except
            answer = (None, Transient("%s: the lookup failed (%s)" % (name, exc)))
        with lock:
            finished.append((name, attempt, answer))
            lock.notify()

    with lock:
        while (todo or running) and clock() < deadline:
            while todo and len(running) < workers and abandoned[0] < MAX_ABANDONED:
                name, attempt = todo.pop(0)
                running[name] = (attempt, clock())
                thread = threading.Thread(target=work, args=(name, attempt), name="webroot-resolve")
                thread.daemon = True
                thread.start()
            while finished:
                name, attempt, (addr, why) = finished.pop(0)
                if name in out:
                    continue
                if running.get(name, (None,))[0] != attempt:
                    abandoned[0] -= 1    # a lookup given up on ended after all
                    if addr is None:
                        continue
                running.pop(name, None)
                if addr is None and isinstance(why, Transient) and attempt < retries:
                    last[name] = why
                    todo.append((name, attempt + 1))
                    continue
                out[name] = (addr, why)
            now = clock()
            for name, (attempt, started) in list(running.items()):
                if now - started >= timeout:
                    # Left hanging: its thread ends on its own; the name is tried again or unknown.
                    del running[name]
                    abandoned[0] += 1
                    last[name] = Transient("%s did not resolve within %g s" % (name, timeout))
                    if attempt < retries:
                        todo.append((name, attempt + 1))
                    else:
                        out[name] = (None, Transient("%s did not resolve within %g s (%d tries)" % (
                            name, timeout, attempt + 1)))
            if not (todo or running):
                break
            waits = [started + timeout - now for _a, started in running.values()]
            lock.wait(max(0.01, min(waits + [deadline - now])) if waits else max(0.01, min(0.05, deadline - now)))
    for name in names:
        if name not in out:
            out[name] = (None, Transient("%s was not resolved within the estate's budget of %g s (%s)" % (
                name, budget, last.get(name) or "never answered")))
    return out

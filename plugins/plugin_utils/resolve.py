# -*- coding: utf-8 -*-
# Copyright: (c) 2026, webroot.enterprise contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The controller's DNS resolution of host names, for hosts whose address neither
the inventory nor the facts give (an estate inventoried from Active Directory has
names: AD keeps no address, DNS does).

All names at once, each in a thread of a bounded pool, within one bounded time for
the whole estate: a name that does not resolve (a retired workstation still in
AD) or does not answer in time costs that time once, not once per name.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import ipaddress
import socket
import time
from concurrent.futures import ThreadPoolExecutor, wait

from ansible_collections.webroot.enterprise.plugins.module_utils.rules import Transient

WORKERS = 64
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


def _lookup(name, resolver):
    return pick(resolver(name, None, 0, socket.SOCK_STREAM))


def resolve(names, timeout=10.0, resolver=socket.getaddrinfo, workers=WORKERS):
    """{name: (CIDR or None, why)} for every name, within ``timeout`` seconds in all."""
    names = sorted(set(n for n in names if n))
    out = {}
    if not names:
        return out
    pool = ThreadPoolExecutor(max_workers=max(1, min(workers, len(names))))
    try:
        futures = dict((pool.submit(_lookup, n, resolver), n) for n in names)
        deadline = time.time() + timeout
        done, _pending = wait(list(futures), timeout=max(0.0, deadline - time.time()))
        for future, name in futures.items():
            if future not in done:
                out[name] = (None, Transient("%s did not resolve within %g s" % (name, timeout)))
                continue
            try:
                addr = future.result()
            except UnicodeError as exc:
                out[name] = (None, "%s does not resolve (%s)" % (name, exc))
                continue
            except (socket.gaierror, socket.herror, OSError) as exc:
                why = "%s does not resolve (%s)" % (name, exc)
                definitive = isinstance(exc, socket.gaierror) and exc.errno in DEFINITIVE
                out[name] = (None, why if definitive else Transient(why))
                continue
            out[name] = (addr, None) if addr else (None, "%s resolves to no usable address" % name)
    finally:
        # Do not wait for lookups still hanging: they end on their own.
        pool.shutdown(wait=False, cancel_futures=True)
    return out

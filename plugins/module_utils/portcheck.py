# -*- coding: utf-8 -*-
# Copyright: (c) 2026, webroot.enterprise contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The engine behind the ``webroot.enterprise.port_check`` module (POSIX side).

Everything the module does lives here so it can be tested without Ansible:

* :func:`normalize_targets` / :func:`parse_proxy` validate the input before any
  packet is sent (messages name the target index and the field);
* :func:`resolve_hosts` resolves every distinct host name once, a few at a time,
  in daemon threads (so a hung resolver cannot keep the module alive);
* :func:`tcp_scan` is the connect engine: one thread, non-blocking sockets and a
  ``selectors`` loop keeping up to ``concurrency`` connects in flight at once;
* :func:`tls_check` / :func:`proxy_tunnel` do the TLS handshake (optionally
  through an HTTP ``CONNECT`` proxy) after the TCP phase, for the few targets
  that ask for it;
* :func:`run_checks` ties it together and returns ``(results, summary)``.

States: ``open`` (connection accepted), ``refused`` (RST), ``filtered`` (no answer
within the timeout, an ICMP unreachable / prohibited answer, or a local firewall
reject) and ``unresolved`` (the name does not resolve). On Linux each socket has
``IP_RECVERR`` set so an ICMP *port unreachable* (what ``iptables -j REJECT``
sends by default, which the kernel reports as ``ECONNREFUSED`` just like a RST)
is told apart from a real RST and reported as ``filtered``.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64
import collections
import errno
import hashlib
import json
import math
import os
import selectors
import socket
import ssl
import struct
import sys
import threading
import time

try:
    import resource
except ImportError:  # pragma: no cover - not POSIX
    resource = None

try:
    from urllib.parse import urlsplit, unquote
except ImportError:  # pragma: no cover - Python 2
    from urlparse import urlsplit  # pylint: disable=import-error
    from urllib import unquote  # pylint: disable=import-error,no-name-in-module

STATES = ("open", "refused", "filtered", "unresolved")
EXPECT_CHOICES = STATES + ("reachable",)
DEFAULT_TIMEOUT = 2.0
DEFAULT_CONCURRENCY = 2048
# File descriptors kept free for Python, Ansible and the TLS phase.
FD_RESERVE = 64
# select() cannot watch descriptors above FD_SETSIZE.
SELECT_FD_LIMIT = 1024
RESOLVER_THREADS = 16
TLS_THREADS = 32
MAX_LISTED_MISMATCHES = 20

_IN_PROGRESS = frozenset(
    (errno.EINPROGRESS, errno.EWOULDBLOCK, errno.EALREADY, getattr(errno, "WSAEWOULDBLOCK", 10035))
)
_OUT_OF_FDS = frozenset((errno.EMFILE, errno.ENFILE, errno.ENOBUFS, errno.ENOMEM))

# Linux extended socket errors (linux/errqueue.h, linux/in.h, linux/in6.h).
_IS_LINUX = sys.platform.startswith("linux")
_IP_RECVERR = getattr(socket, "IP_RECVERR", 11)
_IPV6_RECVERR = getattr(socket, "IPV6_RECVERR", 25)
_MSG_ERRQUEUE = getattr(socket, "MSG_ERRQUEUE", 0x2000)
_SO_EE_ORIGIN_ICMP = 2
_SO_EE_ORIGIN_ICMP6 = 3

# (origin, ICMP type, code): what an error-queue entry says. Type 3 of ICMP and type 1
# of ICMPv6 are "destination unreachable"; the codes are RFC 792/1812 and RFC 4443's.
_ICMP_TEXT = dict(
    [((_SO_EE_ORIGIN_ICMP, 3, code), "ICMP " + text) for code, text in (
        (0, "network unreachable"), (1, "host unreachable"), (3, "port unreachable"),
        (9, "network administratively prohibited"), (10, "host administratively prohibited"),
        (13, "communication administratively prohibited"))]
    + [((_SO_EE_ORIGIN_ICMP6, 1, code), "ICMPv6 " + text) for code, text in (
        (0, "no route to destination"), (1, "communication administratively prohibited"), (3, "address unreachable"),
        (4, "port unreachable"), (5, "source address failed ingress/egress policy"), (6, "reject route to destination"))])

_monotonic = time.monotonic


class PortCheckError(Exception):
    """Invalid input; raised before any connection is attempted."""


# --------------------------------------------------------------------------- #
# Validation
# --------------------------------------------------------------------------- #
def _is_bool(value):
    return isinstance(value, bool)


def normalize_targets(targets, default_expect="open"):
    """Validate ``targets`` and return a list of normalized target dicts.

    Every problem found is reported at once, each naming ``targets[INDEX].FIELD``.
    Raises :class:`PortCheckError`.
    """
    if default_expect not in EXPECT_CHOICES:
        raise PortCheckError(
            "expect: %r is not one of %s" % (default_expect, ", ".join(EXPECT_CHOICES))
        )
    if not isinstance(targets, (list, tuple)):
        raise PortCheckError("targets: must be a list of dicts, got %s" % type(targets).__name__)
    errors = []
    normalized = []
    for index, target in enumerate(targets):
        where = "targets[%d]" % index
        if not isinstance(target, dict):
            errors.append("%s: must be a dict with host and port, got %r" % (where, target))
            continue
        unknown = sorted(set(target) - set(("host", "port", "expect", "tls", "name")))
        if unknown:
            errors.append("%s: unknown field(s) %s" % (where, ", ".join(unknown)))
        host = target.get("host")
        if host is None or not str(host).strip():
            errors.append("%s.host: must not be empty" % where)
            host = ""
        else:
            host = str(host).strip()
            if host.startswith("[") and host.endswith("]"):
                host = host[1:-1]
        port = target.get("port")
        try:
            if _is_bool(port) or port is None or str(port).strip() == "":
                raise ValueError()
            port_num = int(str(port).strip())
        except (TypeError, ValueError):
            errors.append("%s.port: %r is not a port number (1-65535)" % (where, port))
            port_num = None
        else:
            if not 1 <= port_num <= 65535:
                errors.append("%s.port: %d is outside 1-65535" % (where, port_num))
        expect = target.get("expect")
        if expect is None or expect == "":
            expect = default_expect
        elif expect not in EXPECT_CHOICES:
            errors.append(
                "%s.expect: %r is not one of %s" % (where, expect, ", ".join(EXPECT_CHOICES))
            )
        tls = target.get("tls")
        if tls is None:
            tls = False
        elif not _is_bool(tls):
            errors.append("%s.tls: %r is not a boolean" % (where, tls))
        name = target.get("name")
        normalized.append(
            {
                "index": index,
                "name": None if name is None else str(name),
                "host": host,
                "port": port_num,
                "expect": expect,
                "tls": bool(tls),
            }
        )
    if errors:
        raise PortCheckError("invalid targets: " + "; ".join(errors))
    return normalized


def check_options(timeout, concurrency):
    """Validate the scalar options; raise :class:`PortCheckError`."""
    try:
        timeout = float(timeout)
    except (TypeError, ValueError):
        raise PortCheckError("timeout: %r is not a number of seconds" % (timeout,))
    if math.isnan(timeout) or timeout <= 0 or timeout > 3600:
        raise PortCheckError("timeout: %r must be greater than 0 and at most 3600 seconds" % (timeout,))
    try:
        concurrency = int(concurrency)
    except (TypeError, ValueError):
        raise PortCheckError("concurrency: %r is not an integer" % (concurrency,))
    if concurrency < 1:
        raise PortCheckError("concurrency: %d must be at least 1" % concurrency)
    return timeout, concurrency


def _split_userinfo(url):
    """``(url without user information, user information or None)``.

    The user information is everything between ``scheme://`` and the last ``@``,
    even when a password holds an unencoded ``/``, ``@`` or ``://``; a string
    without ``scheme://`` (or with an ``@`` before it) loses everything up to its
    last ``@``.
    """
    text = "" if url is None else str(url)
    scheme, sep, rest = text.partition("://")
    if not sep or "@" in scheme:
        scheme, sep, rest = "", "", text
    userinfo, at, hostpart = rest.rpartition("@")
    return scheme + sep + hostpart, (userinfo if at else None)


def redact_url(url):
    """``url`` without its user name and password, for messages (port_check.ps1's
    Get-RedactedUrl does the same)."""
    return _split_userinfo(url)[0]


def parse_proxy(url):
    """Parse ``http://[user:pass@]host:port`` (the port is required); return a dict or ``None``.

    The user information is split off first and the rest parsed on its own, so that
    no message (not even the ``ValueError`` of :func:`urlsplit`) can hold the user
    name or the password. ``shown`` (``host:port``) is what results and messages
    name the proxy by: the module's ``proxy`` option is ``no_log``, and Ansible hides
    its exact value, and any text containing it, in everything the module returns;
    ``host:port`` never contains the ``http://`` URL given, so it stays readable.
    """
    if not url:
        return None
    bare, userinfo = _split_userinfo(url)
    if userinfo is not None and any(c in userinfo for c in "/?#"):
        raise PortCheckError("proxy: %r is not a valid URL (a '/', '?' or '#' in the user name or password "
                             "must be percent-encoded)" % (bare,))
    try:
        parts = urlsplit(bare)
        port = parts.port
    except ValueError as exc:
        raise PortCheckError("proxy: %r is not a valid URL (%s)" % (bare, exc))
    if parts.scheme != "http":
        raise PortCheckError("proxy: %r must be an http:// URL (http://host:port)" % (bare,))
    if not parts.hostname:
        raise PortCheckError("proxy: %r has no host" % (bare,))
    if parts.path not in ("", "/") or parts.query or parts.fragment:
        raise PortCheckError("proxy: %r must be just http://host:port" % (bare,))
    if port is None:
        raise PortCheckError("proxy: %r has no port (http://host:port)" % (bare,))
    auth = None
    if userinfo is not None:
        user, _sep, password = userinfo.partition(":")
        creds = "%s:%s" % (unquote(user), unquote(password))
        auth = "Basic " + base64.b64encode(creds.encode("utf-8")).decode("ascii")
    host = parts.hostname
    shown = "[%s]:%d" % (host, port) if ":" in host else "%s:%d" % (host, port)
    return {"host": host, "port": port, "auth": auth, "shown": shown}


# --------------------------------------------------------------------------- #
# File descriptors
# --------------------------------------------------------------------------- #
def _open_fd_count():
    for path in ("/proc/self/fd", "/dev/fd"):
        try:
            return len(os.listdir(path))
        except OSError:
            continue
    return 32


def raise_fd_limit(wanted):
    """Raise the soft RLIMIT_NOFILE towards ``wanted`` (never above the hard limit).

    Returns the soft limit in force afterwards, or ``None`` when unlimited/unknown.
    """
    if resource is None:
        return None
    try:
        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    except (ValueError, OSError):
        return None
    infinity = resource.RLIM_INFINITY
    if soft == infinity:
        return None
    if soft < wanted:
        new = wanted if hard == infinity else min(wanted, hard)
        if new > soft:
            try:
                resource.setrlimit(resource.RLIMIT_NOFILE, (new, hard))
                soft = new
            except (ValueError, OSError):
                pass
    return soft


def effective_concurrency(requested, count, kept=0):
    """Cap ``requested`` to what the target count and the fd limit allow.

    ``kept`` sockets stay open after the TCP phase (TLS targets), so they count too.
    """
    want = max(1, min(int(requested), max(1, count)))
    opened = _open_fd_count()
    limit = raise_fd_limit(want + kept + opened + FD_RESERVE)
    if limit is not None:
        want = min(want, max(1, limit - FD_RESERVE - opened - kept))
    if getattr(selectors, "DefaultSelector") is getattr(selectors, "SelectSelector", None):
        want = min(want, max(1, SELECT_FD_LIMIT - FD_RESERVE - opened - kept))
    return want


# --------------------------------------------------------------------------- #
# Name resolution
# --------------------------------------------------------------------------- #
def _numeric(host):
    """Return ``(family, address)`` for an IP literal, else ``None``."""
    try:
        info = socket.getaddrinfo(host, None, socket.AF_UNSPEC, socket.SOCK_STREAM, 0, socket.AI_NUMERICHOST)
    except (socket.gaierror, UnicodeError, ValueError):
        return None
    family, _type, _proto, _canon, sockaddr = info[0]
    return family, sockaddr


def _lookup(host):
    try:
        info = socket.getaddrinfo(host, None, socket.AF_UNSPEC, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    except socket.gaierror as exc:
        return None, "name does not resolve: %s" % (exc.strerror or exc)
    except (UnicodeError, ValueError, OSError) as exc:
        return None, "name does not resolve: %s" % exc
    if not info:
        return None, "name does not resolve: no address"
    family, _type, _proto, _canon, sockaddr = info[0]
    return (family, sockaddr), None


def _run_daemon_pool(jobs, workers, deadline):
    """Run ``jobs`` (callables) in at most ``workers`` daemon threads.

    Returns ``{job_index: result}`` for the jobs that finished before
    ``deadline`` (a monotonic time). Threads are daemons, so a job stuck in a
    blocking call cannot keep the process alive after the module exits.
    """
    results = {}
    if not jobs:
        return results
    lock = threading.Lock()
    queue = collections.deque(enumerate(jobs))
    done = threading.Event()

    def worker():
        while True:
            with lock:
                if not queue:
                    return
                index, job = queue.popleft()
            try:
                value = job()
            except Exception as exc:  # pylint: disable=broad-except
                value = exc
            with lock:
                results[index] = value
                if len(results) == len(jobs):
                    done.set()

    for _i in range(max(1, min(workers, len(jobs)))):
        thread = threading.Thread(target=worker, name="port_check-worker")
        thread.daemon = True
        thread.start()
    done.wait(max(0.0, deadline - _monotonic()))
    with lock:
        return dict(results)


def resolve_hosts(hosts, timeout=DEFAULT_TIMEOUT, workers=RESOLVER_THREADS):
    """Resolve each distinct name once.

    Returns ``{host: ((family, sockaddr), None)}`` or ``{host: (None, error)}``.
    The whole resolution is bounded by ``max(5, timeout)`` seconds.
    """
    resolved = {}
    names = []
    for host in hosts:
        if host in resolved or host in names:
            continue
        literal = _numeric(host)
        if literal is not None:
            resolved[host] = (literal, None)
        else:
            names.append(host)
    bound = max(5.0, float(timeout))
    jobs = [(lambda h=h: _lookup(h)) for h in names]
    answers = _run_daemon_pool(jobs, workers, _monotonic() + bound)
    for index, host in enumerate(names):
        answer = answers.get(index)
        if answer is None:
            resolved[host] = (None, "name resolution did not finish within %gs" % bound)
        elif isinstance(answer, Exception):
            resolved[host] = (None, "name does not resolve: %s" % answer)
        else:
            resolved[host] = answer
    return resolved


def sockaddr_for(family, base, port):
    """Combine a resolved ``sockaddr`` (any port) with ``port``."""
    if family == socket.AF_INET6:
        return (base[0], port, base[2], base[3])
    return (base[0], port)


# --------------------------------------------------------------------------- #
# The TCP engine
# --------------------------------------------------------------------------- #
def _enable_recverr(sock, family):
    if not _IS_LINUX:
        return
    try:
        if family == socket.AF_INET6:
            sock.setsockopt(socket.IPPROTO_IPV6, _IPV6_RECVERR, 1)
        else:
            sock.setsockopt(socket.IPPROTO_IP, _IP_RECVERR, 1)
    except (OSError, AttributeError):
        pass


def read_icmp_error(sock):
    """Return ``(origin, type, code, offender)`` from the socket error queue, or ``None``."""
    if not _IS_LINUX or not hasattr(sock, "recvmsg"):
        return None
    try:
        _data, ancdata, _flags, _addr = sock.recvmsg(1, 1024, _MSG_ERRQUEUE | getattr(socket, "MSG_DONTWAIT", 0x40))
    except (OSError, ValueError):
        return None
    for level, ctype, cdata in ancdata:
        if (level, ctype) not in ((socket.IPPROTO_IP, _IP_RECVERR), (socket.IPPROTO_IPV6, _IPV6_RECVERR)):
            continue
        if len(cdata) < 16:
            continue
        _ee_errno, origin, itype, code = struct.unpack("=IBBB", cdata[:7])
        offender = None
        try:
            if origin == _SO_EE_ORIGIN_ICMP and len(cdata) >= 24:
                offender = socket.inet_ntop(socket.AF_INET, cdata[20:24])
            elif origin == _SO_EE_ORIGIN_ICMP6 and len(cdata) >= 40:
                offender = socket.inet_ntop(socket.AF_INET6, cdata[24:40])
        except (OSError, ValueError):
            offender = None
        return origin, itype, code, offender
    return None


def classify_error(err, icmp=None, timeout=None):
    """Map a connect errno (plus the ICMP detail, if any) to ``(state, error text)``."""
    detail = None
    from_icmp = icmp is not None and icmp[0] in (_SO_EE_ORIGIN_ICMP, _SO_EE_ORIGIN_ICMP6)
    if from_icmp:
        detail = _ICMP_TEXT.get(icmp[:3], "ICMP type %d code %d" % (icmp[1], icmp[2]))
        if icmp[3]:
            detail += " from %s" % icmp[3]
    if err == errno.ECONNREFUSED:
        if from_icmp:
            # A TCP stack answers a closed port with a RST; an ICMP unreachable for a
            # TCP port comes from a firewall REJECT rule.
            return "filtered", "%s (firewall reject)" % detail
        return "refused", "connection refused (RST)"
    if err == errno.ECONNRESET:
        return "refused", "connection reset (RST)"
    if err == errno.ETIMEDOUT:
        return "filtered", "connection timed out" + ("" if timeout is None else " after %gs" % timeout)
    text = os.strerror(err) if err else "unknown error"
    if err in (errno.EACCES, errno.EPERM):
        return "filtered", "%s (blocked by a local firewall rule)" % text
    if detail:
        return "filtered", "%s: %s" % (text, detail)
    return "filtered", text


def _elapsed_ms(started, now=None):
    return round(((_monotonic() if now is None else now) - started) * 1000.0, 1)


def tcp_scan(jobs, timeout=DEFAULT_TIMEOUT, concurrency=DEFAULT_CONCURRENCY, keep=()):
    """Connect to every ``(key, family, sockaddr)`` in ``jobs``; one thread, all in flight.

    Returns ``{key: {"state", "error", "elapsed_ms", "sock"}}``; ``sock`` is the
    connected (blocking) socket for keys in ``keep`` whose state is ``open``, else
    ``None``. Connects beyond ``concurrency`` wait for a free slot. Each connect
    gets ``timeout`` seconds from the moment it is started.
    """
    keep = frozenset(keep)
    results = {}
    pending = collections.deque(jobs)
    inflight = collections.OrderedDict()  # fd -> (key, sock, started, deadline); deadlines ascend
    selector = selectors.DefaultSelector()
    limit = max(1, int(concurrency))

    def finish(key, sock, state, error, started):
        results[key] = {"state": state, "error": error, "elapsed_ms": _elapsed_ms(started), "sock": None}
        if state == "open" and key in keep and sock is not None:
            sock.setblocking(True)
            results[key]["sock"] = sock
        elif sock is not None:
            sock.close()

    def failed(key, sock, err, started):
        icmp = read_icmp_error(sock) if sock is not None else None
        state, error = classify_error(err, icmp, timeout)
        finish(key, sock, state, error, started)

    try:
        while pending or inflight:
            while pending and len(inflight) < limit:
                key, family, sockaddr = pending.popleft()
                started = _monotonic()
                try:
                    sock = socket.socket(family, socket.SOCK_STREAM)
                except OSError as exc:
                    if exc.errno in _OUT_OF_FDS and inflight:
                        # Out of descriptors: wait for in-flight connects to free some.
                        pending.appendleft((key, family, sockaddr))
                        limit = max(1, len(inflight))
                        break
                    finish(key, None, "filtered", "local error, cannot create a socket: %s" % exc, started)
                    continue
                _enable_recverr(sock, family)
                sock.setblocking(False)
                try:
                    err = sock.connect_ex(sockaddr)
                except OSError as exc:
                    err = exc.errno or errno.EIO
                if err == 0:
                    finish(key, sock, "open", None, started)
                elif err in _IN_PROGRESS:
                    fd = sock.fileno()
                    selector.register(fd, selectors.EVENT_WRITE)
                    inflight[fd] = (key, sock, started, started + timeout)
                else:
                    failed(key, sock, err, started)
            if not inflight:
                continue
            first_deadline = next(iter(inflight.values()))[3]
            events = selector.select(max(0.0, first_deadline - _monotonic()))
            for selkey, _mask in events:
                entry = inflight.pop(selkey.fd, None)
                if entry is None:
                    continue
                selector.unregister(selkey.fd)
                key, sock, started, _deadline = entry
                err = sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
                if err == 0:
                    finish(key, sock, "open", None, started)
                else:
                    failed(key, sock, err, started)
            now = _monotonic()
            while inflight:
                fd, entry = next(iter(inflight.items()))
                if entry[3] > now:
                    break
                del inflight[fd]
                selector.unregister(fd)
                key, sock, started, _deadline = entry
                finish(key, sock, "filtered", "no answer within %gs" % timeout, started)
    finally:
        for key, sock, _started, _deadline in inflight.values():
            sock.close()
        selector.close()
    return results


# --------------------------------------------------------------------------- #
# TLS and proxy
# --------------------------------------------------------------------------- #
def make_tls_context(validate_certs=False, ca_path=None):
    """A client context; without ``validate_certs`` any certificate is accepted."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    if validate_certs:
        context.check_hostname = True
        context.verify_mode = ssl.CERT_REQUIRED
        if ca_path:
            context.load_verify_locations(cafile=ca_path if os.path.isfile(ca_path) else None,
                                          capath=ca_path if os.path.isdir(ca_path) else None)
        else:
            context.load_default_certs()
    else:
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    return context


def empty_tls_fields():
    return {
        "tls_ok": None,
        "tls_version": None,
        "tls_cipher": None,
        "tls_error": None,
        "tls_cert_sha256": None,
        "tls_elapsed_ms": None,
    }


def tls_check(sock, server_name, context, timeout):
    """TLS handshake on a connected socket (closed afterwards). Returns the tls_* fields."""
    info = empty_tls_fields()
    info["tls_ok"] = False
    started = _monotonic()
    tls_sock = None
    try:
        sock.settimeout(timeout)
        tls_sock = context.wrap_socket(sock, server_hostname=server_name or None,
                                       do_handshake_on_connect=False)
        tls_sock.do_handshake()
        info["tls_ok"] = True
        info["tls_version"] = tls_sock.version()
        cipher = tls_sock.cipher()
        info["tls_cipher"] = cipher[0] if cipher else None
        der = tls_sock.getpeercert(binary_form=True)
        if der:
            info["tls_cert_sha256"] = hashlib.sha256(der).hexdigest()
    except socket.timeout:
        info["tls_error"] = "TLS handshake timed out after %gs" % timeout
    except ssl.CertificateError as exc:
        info["tls_error"] = "certificate rejected: %s" % exc
    except ssl.SSLError as exc:
        info["tls_error"] = "TLS handshake failed: %s" % (exc.reason or exc)
    except (OSError, ValueError) as exc:
        info["tls_error"] = "TLS handshake failed: %s" % exc
    finally:
        info["tls_elapsed_ms"] = _elapsed_ms(started)
        if tls_sock is not None:
            tls_sock.close()
        sock.close()
    return info


def proxy_tunnel(proxy, host, port, timeout):
    """Open a ``CONNECT host:port`` tunnel through ``proxy``.

    Returns ``(sock, state, error, elapsed_ms)``; ``sock`` is ``None`` unless the
    proxy answered 2xx (state ``open``). A proxy that cannot be reached, or that
    answers with anything else, gives ``filtered`` (``unresolved`` if the proxy
    name does not resolve) with the reason in ``error``.
    """
    started = _monotonic()
    deadline = started + timeout
    where = "proxy %s" % proxy["shown"]  # never the credentials, see parse_proxy
    try:
        sock = socket.create_connection((proxy["host"], proxy["port"]), timeout)
    except socket.gaierror as exc:
        return None, "unresolved", "%s does not resolve: %s" % (where, exc.strerror or exc), _elapsed_ms(started)
    except socket.timeout:
        return None, "filtered", "%s: no answer within %gs" % (where, timeout), _elapsed_ms(started)
    except OSError as exc:
        return None, "filtered", "%s unreachable: %s" % (where, exc.strerror or exc), _elapsed_ms(started)
    authority = "[%s]:%d" % (host, port) if ":" in host else "%s:%d" % (host, port)
    lines = ["CONNECT %s HTTP/1.1" % authority, "Host: %s" % authority]
    if proxy.get("auth"):
        lines.append("Proxy-Authorization: %s" % proxy["auth"])
    request = ("\r\n".join(lines) + "\r\n\r\n").encode("ascii")
    buf = b""
    try:
        sock.sendall(request)
        while b"\r\n\r\n" not in buf and len(buf) < 16384:
            remaining = deadline - _monotonic()
            if remaining <= 0:
                raise socket.timeout()
            sock.settimeout(remaining)
            chunk = sock.recv(4096)
            if not chunk:
                break
            buf += chunk
    except socket.timeout:
        sock.close()
        return None, "filtered", "%s: no CONNECT answer within %gs" % (where, timeout), _elapsed_ms(started)
    except OSError as exc:
        sock.close()
        return None, "filtered", "%s: %s" % (where, exc), _elapsed_ms(started)
    status = buf.split(b"\r\n", 1)[0].decode("latin-1").strip()
    parts = status.split(None, 2)
    if len(parts) >= 2 and parts[0].startswith("HTTP/") and parts[1].startswith("2") and b"\r\n\r\n" in buf:
        return sock, "open", None, _elapsed_ms(started)
    sock.close()
    answer = status or "no answer (connection closed)"
    return None, "filtered", "%s refused the tunnel: %s" % (where, answer), _elapsed_ms(started)


# --------------------------------------------------------------------------- #
# Orchestration
# --------------------------------------------------------------------------- #
def _meets(state, expected):
    if expected == "reachable":
        return state in ("open", "refused")
    return state == expected


def _label(result):
    endpoint = "%s:%s" % (result["host"], result["port"])
    if result.get("name"):
        return "targets[%d] (%s, %s)" % (result["index"], result["name"], endpoint)
    return "targets[%d] (%s)" % (result["index"], endpoint)


def build_summary(results, elapsed_ms=None, concurrency=None):
    summary = {"total": len(results)}
    for state in STATES:
        summary[state] = 0
    mismatches = []
    for result in results:
        summary[result["state"]] += 1
        if not result["ok"]:
            mismatches.append(
                {
                    "index": result["index"],
                    "name": result["name"],
                    "host": result["host"],
                    "port": result["port"],
                    "expected": result["expected"],
                    "state": result["state"],
                    "error": result["error"],
                    "tls_error": result["tls_error"] if result["tls"] else None,
                }
            )
    summary["ok"] = len(results) - len(mismatches)
    summary["failed"] = len(mismatches)
    summary["tls_failed"] = sum(1 for r in results if r["tls"] and r["tls_ok"] is False)
    summary["mismatches"] = mismatches
    summary["elapsed_ms"] = elapsed_ms
    summary["concurrency"] = concurrency
    return summary


def mismatch_message(summary, limit=MAX_LISTED_MISMATCHES):
    """The ``fail_json`` message naming the targets that did not meet their expectation."""
    mismatches = summary["mismatches"]
    parts = []
    for item in mismatches[:limit]:
        label = _label(item)
        if _meets(item["state"], item["expected"]) and item.get("tls_error"):
            parts.append("%s: port open but TLS failed: %s" % (label, item["tls_error"]))
        else:
            text = "%s: expected %s, got %s" % (label, item["expected"], item["state"])
            if item.get("error"):
                text += " (%s)" % item["error"]
            parts.append(text)
    if len(mismatches) > limit:
        parts.append("... and %d more" % (len(mismatches) - limit))
    return "%d of %d targets did not meet their expectation: %s" % (
        len(mismatches), summary["total"], "; ".join(parts))


def run_checks(targets, timeout=DEFAULT_TIMEOUT, concurrency=DEFAULT_CONCURRENCY, expect="open",
               proxy=None, tls_server_name=None, validate_certs=False, ca_path=None):
    """Validate, resolve, connect, handshake; return ``(results, summary)``.

    Raises :class:`PortCheckError` for invalid input (before any connection).
    """
    started = _monotonic()
    timeout, concurrency = check_options(timeout, concurrency)
    items = normalize_targets(targets or [], expect)
    proxy_info = parse_proxy(proxy)
    context = None
    if any(item["tls"] for item in items):
        try:
            context = make_tls_context(validate_certs, ca_path)
        except (ssl.SSLError, OSError) as exc:
            raise PortCheckError("ca_path: cannot load %r: %s" % (ca_path, exc))

    proxied = set(i["index"] for i in items if i["tls"] and proxy_info)
    direct = [i for i in items if i["index"] not in proxied]
    resolved = resolve_hosts([i["host"] for i in direct], timeout)

    outcome = {}
    jobs = []
    keep = set()
    for item in direct:
        answer, error = resolved[item["host"]]
        if answer is None:
            outcome[item["index"]] = {"state": "unresolved", "error": error, "elapsed_ms": 0.0,
                                      "address": None, "sock": None}
            continue
        family, base = answer
        jobs.append((item["index"], family, sockaddr_for(family, base, item["port"])))
        if item["tls"]:
            keep.add(item["index"])
    used = effective_concurrency(concurrency, len(jobs), kept=len(keep))
    scanned = tcp_scan(jobs, timeout, used, keep)
    for key, family, sockaddr in jobs:
        outcome[key] = dict(scanned[key], address=sockaddr[0])

    # TLS phase: direct targets that are open, and every proxied target.
    tls_jobs = []
    tls_keys = []
    for item in items:
        if not item["tls"]:
            continue
        server_name = tls_server_name or item["host"]
        if item["index"] in proxied:
            tls_jobs.append(lambda it=item, sn=server_name: _proxied_check(proxy_info, it, sn, context, timeout))
            tls_keys.append(item["index"])
        elif outcome[item["index"]]["sock"] is not None:
            sock = outcome[item["index"]]["sock"]
            tls_jobs.append(lambda s=sock, sn=server_name: tls_check(s, sn, context, timeout))
            tls_keys.append(item["index"])
    tls_bound = 3 * timeout * (len(tls_jobs) // TLS_THREADS + 1) + 5
    tls_done = _run_daemon_pool(tls_jobs, TLS_THREADS, _monotonic() + tls_bound)

    tls_by_key = {}
    for pos, key in enumerate(tls_keys):
        value = tls_done.get(pos)
        if value is None or isinstance(value, Exception):
            value = dict(empty_tls_fields(), tls_ok=False,
                         tls_error="TLS check did not complete: %s" % (value or "timed out"))
            if key in proxied:
                value = {"state": "filtered", "error": value["tls_error"], "elapsed_ms": None,
                         "address": None, "sock": None, "tls": value}
        if key in proxied:
            outcome[key] = value
        else:
            tls_by_key[key] = value

    results = []
    for item in items:
        out = outcome[item["index"]]
        tls_fields = empty_tls_fields()
        if item["tls"]:
            if item["index"] in proxied:
                tls_fields.update(out["tls"])
            elif item["index"] in tls_by_key:
                tls_fields.update(tls_by_key[item["index"]])
            else:
                tls_fields["tls_ok"] = False
                tls_fields["tls_error"] = "TLS not attempted: port is %s" % out["state"]
        state = out["state"]
        ok = _meets(state, item["expect"])
        if item["tls"] and state == "open" and not tls_fields["tls_ok"]:
            ok = False
        result = {
            "index": item["index"],
            "name": item["name"],
            "host": item["host"],
            "address": out["address"],
            "port": item["port"],
            "state": state,
            "expected": item["expect"],
            "ok": ok,
            "elapsed_ms": out["elapsed_ms"],
            "error": out["error"],
            "tls": item["tls"],
            "proxy": proxy_info["shown"] if item["index"] in proxied else None,
        }
        result.update(tls_fields)
        results.append(result)
    return results, build_summary(results, _elapsed_ms(started), used)


def _proxied_check(proxy_info, item, server_name, context, timeout):
    sock, state, error, elapsed = proxy_tunnel(proxy_info, item["host"], item["port"], timeout)
    out = {"state": state, "error": error, "elapsed_ms": elapsed, "address": None, "sock": None}
    if sock is None:
        out["tls"] = dict(empty_tls_fields(), tls_ok=False, tls_error="TLS not attempted: %s" % error)
    else:
        out["tls"] = tls_check(sock, server_name, context, timeout)
    return out


def targets_from_json(text):
    """The targets given as one JSON string (option ``targets_json``); validated later by
    :func:`normalize_targets`. Raises :class:`PortCheckError` when it is not a JSON list."""
    try:
        targets = json.loads(text)
    except (TypeError, ValueError) as exc:
        raise PortCheckError("targets_json: not valid JSON: %s" % exc)
    if not isinstance(targets, list):
        raise PortCheckError("targets_json: must be a JSON list of objects, got %s" % type(targets).__name__)
    return targets


def results_json(results):
    """The results as one compact JSON string (option ``results_as=json``)."""
    return json.dumps(results, separators=(",", ":"))

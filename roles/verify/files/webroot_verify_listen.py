# -*- coding: utf-8 -*-
# Copyright: (c) 2026, webroot.enterprise contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Temporary TCP listeners for the webroot.enterprise.verify role (POSIX hosts).

Before Webroot is installed nothing listens on its ports, so a connection the
firewall admits reads "refused". This helper listens on those ports for the time
of the checks only, and proves afterwards that it is gone.

  webroot_verify_listen.py start SECONDS TOKEN PORT [PORT ...]
      Binds every PORT that is free (a port already in use is left alone and
      reported as busy), then leaves a background process that accepts and closes
      connections until SECONDS have passed (a hard limit: it exits then whatever
      happens). Prints {"pid", "bound", "busy", "errors"} as JSON and returns at once.
      SECONDS must be from 1 to 3600 (MAX_SECONDS, one hour): anything else is
      refused (exit 2) before a port is bound, whoever calls the helper.
  webroot_verify_listen.py stop TOKEN PID PORT [PORT ...]
      Ends the helper started with TOKEN (only a process whose command line carries
      TOKEN is signalled), waits for it to exit (bounded), then reports whether it
      is still alive and which of the PORTs still listen, as JSON:
      {"stopped", "alive", "remaining"}.

Python 2.7 and 3.x, standard library only.
"""
from __future__ import absolute_import, division, print_function

import errno
import json
import os
import select
import signal
import socket
import sys
import time

BACKLOG = 128
# Upper bound of a listener's lifetime, whatever the caller asks: one hour. The role
# checks verify_listener_seconds against the same bound before anything starts.
MAX_SECONDS = 3600
STOP_WAIT = 5.0
KILL_WAIT = 3.0
CLOSE_WAIT = 5.0


def bind(port):
    """A listening socket on every address for ``port``, or raise OSError/socket.error."""
    last = None
    for family, addr in ((getattr(socket, "AF_INET6", None), "::"), (socket.AF_INET, "0.0.0.0")):
        if family is None or (family == socket.AF_INET6 and not socket.has_ipv6):
            continue
        sock = socket.socket(family, socket.SOCK_STREAM)
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            if family == socket.AF_INET6:
                sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)  # IPv4 too
            sock.bind((addr, port))
            sock.listen(BACKLOG)
            return sock
        except (OSError, socket.error) as exc:
            sock.close()
            if exc.errno == errno.EADDRINUSE:
                raise
            last = exc  # no IPv6 on this host: try IPv4 only
    raise last


def serve(socks, deadline):
    while socks:
        left = deadline - time.time()
        if left <= 0:
            return
        try:
            ready = select.select(socks, [], [], min(left, 0.5))[0]
        except (OSError, select.error):
            continue
        for sock in ready:
            try:
                sock.accept()[0].close()
            except (OSError, socket.error):
                pass


def valid_seconds(seconds):
    return 0 < seconds <= MAX_SECONDS


def start(seconds, token, ports):
    if not valid_seconds(seconds):
        raise ValueError("SECONDS must be from 1 to %d, got %r" % (MAX_SECONDS, seconds))
    bound, busy, errors, socks = [], [], {}, []
    for port in sorted(set(ports)):
        try:
            socks.append(bind(port))
            bound.append(port)
        except (OSError, socket.error) as exc:
            if exc.errno == errno.EADDRINUSE:
                busy.append(port)
            else:
                errors[str(port)] = str(exc)
    if not socks:
        print(json.dumps({"pid": None, "bound": [], "busy": busy, "errors": errors, "token": token}))
        return 0
    sys.stdout.flush()
    pid = os.fork()
    if pid:
        print(json.dumps({"pid": pid, "bound": bound, "busy": busy, "errors": errors, "token": token}))
        sys.stdout.flush()
        os._exit(0)
    # The listener: detached from the caller, with a hard time limit.
    os.setsid()
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(devnull, fd)
    signal.signal(signal.SIGALRM, signal.SIG_DFL)
    signal.alarm(int(seconds) + 5)  # backstop: the kernel ends us even if the loop hangs
    try:
        serve(socks, time.time() + seconds)
    finally:
        for sock in socks:
            sock.close()
    os._exit(0)


def cmdline(pid):
    try:
        with open("/proc/%d/cmdline" % pid, "rb") as handle:
            return handle.read().replace(b"\0", b" ").decode("utf-8", "replace")
    except (IOError, OSError):
        pass
    try:
        import subprocess
        out = subprocess.check_output(["ps", "-p", str(pid), "-o", "args="])
        return out.decode("utf-8", "replace")
    except Exception:  # pylint: disable=broad-except
        return ""


def alive(pid, token):
    """True while ``pid`` runs and is our helper (a reused pid is someone else's)."""
    try:
        os.kill(pid, 0)
    except (OSError, socket.error) as exc:
        if exc.errno == errno.ESRCH:
            return False
    try:  # reap it if it is our child (it is not, normally)
        os.waitpid(pid, os.WNOHANG)
    except OSError:  # not our child
        pass
    state = ""
    try:
        with open("/proc/%d/stat" % pid) as handle:
            state = handle.read().rsplit(")", 1)[-1].split()[0]
    except (IOError, OSError, IndexError):
        pass
    if state == "Z":
        return False
    return token in cmdline(pid)


def wait_gone(pid, token, seconds):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if not alive(pid, token):
            return True
        time.sleep(0.05)
    return not alive(pid, token)


def listening(ports):
    """Which of ``ports`` have a TCP socket in LISTEN state (any owner)."""
    wanted = set(ports)
    found = set()
    tables = [p for p in ("/proc/net/tcp", "/proc/net/tcp6") if os.path.exists(p)]
    if tables:
        for path in tables:
            with open(path) as handle:
                next(handle, None)
                for line in handle:
                    fields = line.split()
                    if len(fields) > 3 and fields[3] == "0A":  # TCP_LISTEN
                        port = int(fields[1].rsplit(":", 1)[1], 16)
                        if port in wanted:
                            found.add(port)
        return sorted(found)
    for port in wanted:  # no /proc: a port we can bind has no listener
        try:
            bind(port).close()
        except (OSError, socket.error) as exc:
            if exc.errno == errno.EADDRINUSE:
                found.add(port)
    return sorted(found)


def stop(token, pid, ports):
    stopped = False
    if pid and alive(pid, token):
        os.kill(pid, signal.SIGTERM)
        stopped = True
        if not wait_gone(pid, token, STOP_WAIT):
            os.kill(pid, signal.SIGKILL)
            wait_gone(pid, token, KILL_WAIT)
    still = bool(pid) and alive(pid, token)
    # The sockets can outlive the moment the process is seen gone by a few
    # milliseconds (the kernel tears the task down after its state changes): give
    # them CLOSE_WAIT seconds to disappear before reporting what still listens.
    remaining = listening(ports)
    deadline = time.time() + CLOSE_WAIT
    while remaining and not still and time.time() < deadline:
        time.sleep(0.1)
        remaining = listening(ports)
    print(json.dumps({"pid": pid, "stopped": stopped, "alive": still, "remaining": remaining}))
    return 0


def main(argv):
    if len(argv) >= 3 and argv[0] == "start":
        try:
            seconds = float(argv[1])
        except ValueError:
            seconds = None
        if seconds is None or not valid_seconds(seconds):
            sys.stderr.write("webroot_verify_listen.py: SECONDS must be from 1 to %d (one hour), got %s; "
                             "nothing listens\n" % (MAX_SECONDS, argv[1]))
            return 2
        return start(seconds, argv[2], [int(p) for p in argv[3:]])
    if len(argv) >= 3 and argv[0] == "stop":
        pid = int(argv[2]) if argv[2] not in ("", "None", "none", "0") else None
        return stop(argv[1], pid, [int(p) for p in argv[3:]])
    sys.stderr.write(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

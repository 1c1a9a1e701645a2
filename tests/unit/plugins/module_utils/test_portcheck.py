# -*- coding: utf-8 -*-
# Copyright: (c) 2026, webroot.enterprise contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Tests of the port_check engine over real sockets.

Traffic goes only to loopback, or to 198.19.x.2 inside a network namespace the
``netns`` fixture creates (and deletes) itself.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import errno
import os
import select
import shutil
import socket
import ssl
import subprocess
import threading
import time

import pytest

from ansible_collections.webroot.enterprise.plugins.module_utils.portcheck import (
    PortCheckError,
    classify_error,
    effective_concurrency,
    mismatch_message,
    normalize_targets,
    parse_proxy,
    run_checks,
    tcp_scan,
)


# --------------------------------------------------------------------------- #
# Loopback helpers
# --------------------------------------------------------------------------- #
class Listener(object):
    """A loopback TCP listener; ``mode`` says what it does with each connection.

    plain: accept and close; tls: TLS handshake with ``context``; garbage: send a
    non-TLS banner and close; close: accept and close at once; silent: never accept.
    """

    def __init__(self, mode="plain", context=None, host="127.0.0.1"):
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        self.sock = socket.socket(family, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind((host, 0))
        self.sock.listen(512)
        self.port = self.sock.getsockname()[1]
        self.mode = mode
        self.context = context
        self.accepted = 0
        self.handshakes = 0
        self._stop = threading.Event()
        self._thread = None
        if mode != "silent":
            self.sock.settimeout(0.1)
            self._thread = threading.Thread(target=self._serve)
            self._thread.daemon = True
            self._thread.start()

    def _serve(self):
        deadline = time.monotonic() + 60
        while not self._stop.is_set() and time.monotonic() < deadline:
            try:
                conn, _addr = self.sock.accept()
            except socket.timeout:
                continue
            except OSError:
                return
            self.accepted += 1
            try:
                conn.settimeout(2)
                if self.mode == "tls":
                    with self.context.wrap_socket(conn, server_side=True) as tls_conn:
                        self.handshakes += 1
                        tls_conn.settimeout(0.5)
                        try:
                            tls_conn.recv(1)
                        except (OSError, ssl.SSLError):
                            pass
                    continue
                if self.mode == "garbage":
                    conn.sendall(b"SSH-2.0-OpenSSH_9.2 not-tls\r\n")
                    time.sleep(0.05)
            except (OSError, ssl.SSLError):
                pass
            finally:
                conn.close()

    def close(self):
        self._stop.set()
        if self._thread is not None:
            self._thread.join(2)
        self.sock.close()


class ConnectProxy(object):
    """A minimal HTTP CONNECT proxy on loopback that only tunnels to 127.0.0.1."""

    def __init__(self, answer=None):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.1)
        self.port = self.sock.getsockname()[1]
        self.url = "http://127.0.0.1:%d" % self.port
        self.answer = answer
        self.requests = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve)
        self._thread.daemon = True
        self._thread.start()

    def _serve(self):
        deadline = time.monotonic() + 60
        while not self._stop.is_set() and time.monotonic() < deadline:
            try:
                conn, _addr = self.sock.accept()
            except socket.timeout:
                continue
            except OSError:
                return
            worker = threading.Thread(target=self._handle, args=(conn,))
            worker.daemon = True
            worker.start()

    def _handle(self, conn):
        upstream = None
        try:
            conn.settimeout(2)
            buf = b""
            while b"\r\n\r\n" not in buf and len(buf) < 8192:
                chunk = conn.recv(1024)
                if not chunk:
                    return
                buf += chunk
            head = buf.split(b"\r\n\r\n", 1)[0].decode("latin-1")
            self.requests.append(head)
            line = head.split("\r\n", 1)[0]
            method, authority, _version = line.split(" ", 2)
            host, port = authority.rsplit(":", 1)
            if self.answer:
                conn.sendall(self.answer)
                return
            if method != "CONNECT" or host != "127.0.0.1":
                conn.sendall(b"HTTP/1.1 403 Forbidden\r\n\r\n")
                return
            try:
                upstream = socket.create_connection((host, int(port)), 2)
            except OSError:
                conn.sendall(b"HTTP/1.1 502 Bad Gateway\r\n\r\n")
                return
            conn.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
            end = time.monotonic() + 5
            while time.monotonic() < end:
                readable, _w, _x = select.select([conn, upstream], [], [], 0.2)
                for src in readable:
                    data = src.recv(65536)
                    if not data:
                        return
                    (upstream if src is conn else conn).sendall(data)
        except (OSError, ValueError):
            return
        finally:
            if upstream is not None:
                upstream.close()
            conn.close()

    def close(self):
        self._stop.set()
        self._thread.join(2)
        self.sock.close()


def free_port(host="127.0.0.1"):
    """A loopback port nothing listens on (bound then released)."""
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET)
    sock.bind((host, 0))
    port = sock.getsockname()[1]
    sock.close()
    return port


def eventually(predicate, seconds=2.0):
    """Poll ``predicate`` (bounded) for the server threads to catch up."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(0.02)
    return predicate()


@pytest.fixture
def listener():
    srv = Listener("plain")
    yield srv
    srv.close()


@pytest.fixture(scope="module")
def cert(tmp_path_factory):
    """A throwaway self-signed certificate for localhost / 127.0.0.1."""
    if shutil.which("openssl") is None:
        pytest.skip("openssl is not installed")
    tmp = tmp_path_factory.mktemp("tls")
    certfile, keyfile = str(tmp / "cert.pem"), str(tmp / "key.pem")
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", keyfile, "-out", certfile,
         "-days", "1", "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"],
        check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=30,
    )
    return certfile, keyfile


@pytest.fixture
def tls_listener(cert):
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(*cert)
    srv = Listener("tls", context=context)
    yield srv
    srv.close()


# --------------------------------------------------------------------------- #
# Network namespace with DROP / REJECT rules
# --------------------------------------------------------------------------- #
NS_OPEN_PORT = 9000  # nothing listens: RST -> refused
NS_DROP_PORT = 9001
NS_REJECT_PORT = 9002
NS_PROHIBITED_PORT = 9003


def _run(*cmd):
    return subprocess.run(list(cmd), check=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=20)


def _pick_subnet():
    used = subprocess.run(["ip", "-o", "-4", "addr"], stdout=subprocess.PIPE, timeout=10, check=False).stdout.decode()
    for step in range(100):
        third = 100 + (os.getpid() + step) % 100
        prefix = "198.19.%d." % third
        if prefix not in used:
            return prefix
    pytest.skip("no free 198.19.x.0/30 subnet for the test namespace")


@pytest.fixture(scope="module")
def netns():
    """``wrpc-ut-<pid>``: veth pair 198.19.N.1/30 (here) <-> 198.19.N.2/30 (namespace).

    Inside: DROP on 9001, REJECT icmp-port-unreachable on 9002, REJECT
    icmp-admin-prohibited on 9003, nothing on 9000. Yields the namespace address.
    """
    if os.geteuid() != 0:
        pytest.skip("network namespace tests need root")
    if shutil.which("ip") is None:
        pytest.skip("iproute2 (ip) is not installed")
    if shutil.which("iptables") is None and shutil.which("nft") is None:
        pytest.skip("neither iptables nor nft is installed")
    pid = os.getpid() % 10000000
    name = "wrpc-ut-%d" % pid
    host_if, ns_if = "wrpcu%da" % pid, "wrpcu%db" % pid
    prefix = _pick_subnet()
    local, remote = prefix + "1", prefix + "2"
    try:
        _run("ip", "netns", "add", name)
        _run("ip", "link", "add", host_if, "type", "veth", "peer", "name", ns_if)
        _run("ip", "link", "set", ns_if, "netns", name)
        _run("ip", "addr", "add", local + "/30", "dev", host_if)
        _run("ip", "link", "set", host_if, "up")
        ns = ("ip", "netns", "exec", name)
        _run(*(ns + ("ip", "addr", "add", remote + "/30", "dev", ns_if)))
        _run(*(ns + ("ip", "link", "set", ns_if, "up")))
        _run(*(ns + ("ip", "link", "set", "lo", "up")))
        if shutil.which("iptables"):
            rules = (
                (NS_DROP_PORT, ("-j", "DROP")),
                (NS_REJECT_PORT, ("-j", "REJECT", "--reject-with", "icmp-port-unreachable")),
                (NS_PROHIBITED_PORT, ("-j", "REJECT", "--reject-with", "icmp-admin-prohibited")),
            )
            for port, action in rules:
                _run(*(ns + ("iptables", "-A", "INPUT", "-p", "tcp", "--dport", str(port)) + action))
        else:
            script = ("add table inet wrpc; add chain inet wrpc in { type filter hook input priority 0; }; "
                      "add rule inet wrpc in tcp dport %d drop; "
                      "add rule inet wrpc in tcp dport %d reject with icmpx type port-unreachable; "
                      "add rule inet wrpc in tcp dport %d reject with icmpx type admin-prohibited"
                      % (NS_DROP_PORT, NS_REJECT_PORT, NS_PROHIBITED_PORT))
            _run(*(ns + ("nft", script)))
        # Wait (bounded) until the link passes traffic: a connect to the closed port
        # must come back refused quickly.
        for _attempt in range(50):
            probe = socket.socket()
            probe.settimeout(0.2)
            try:
                if probe.connect_ex((remote, NS_OPEN_PORT)) == errno.ECONNREFUSED:
                    break
            finally:
                probe.close()
            time.sleep(0.05)
        else:
            pytest.fail("namespace %s does not answer on %s" % (name, remote))
        yield remote
    finally:
        subprocess.run(["ip", "netns", "del", name], stderr=subprocess.DEVNULL, timeout=20, check=False)
        subprocess.run(["ip", "link", "del", host_if], stderr=subprocess.DEVNULL, timeout=20, check=False)


# --------------------------------------------------------------------------- #
# Classification over loopback
# --------------------------------------------------------------------------- #
def test_open_refused_unresolved_in_input_order(listener):
    closed = free_port()
    targets = [
        {"host": "no-such-host.invalid", "port": 443, "expect": "unresolved", "name": "dns"},
        {"host": "127.0.0.1", "port": listener.port, "name": "open"},
        {"host": "localhost", "port": closed, "expect": "refused"},
        {"host": "127.0.0.1", "port": closed, "expect": "refused"},
        {"host": "127.0.0.1", "port": listener.port},
    ]
    results, summary = run_checks(targets, timeout=1)
    assert [r["index"] for r in results] == [0, 1, 2, 3, 4]
    assert [r["state"] for r in results] == ["unresolved", "open", "refused", "refused", "open"]
    assert all(r["ok"] for r in results), results
    assert results[0]["name"] == "dns" and results[0]["address"] is None
    assert "does not resolve" in results[0]["error"]
    assert results[1]["name"] == "open" and results[1]["address"] == "127.0.0.1" and results[1]["error"] is None
    assert results[2]["address"] in ("127.0.0.1", "::1")
    assert "refused" in results[3]["error"]
    assert results[4]["tls"] is False and results[4]["tls_ok"] is None
    assert summary["total"] == 5 and summary["ok"] == 5 and summary["failed"] == 0
    assert (summary["open"], summary["refused"], summary["filtered"], summary["unresolved"]) == (2, 2, 0, 1)
    assert summary["mismatches"] == []


def test_many_targets_order_and_limited_concurrency(listener):
    closed = free_port()
    targets = []
    for i in range(300):
        targets.append({"host": "127.0.0.1", "port": listener.port if i % 3 else closed, "name": str(i)})
    results, summary = run_checks(targets, timeout=2, concurrency=7, expect="reachable")
    assert [r["name"] for r in results] == [str(i) for i in range(300)]
    assert [r["state"] for r in results] == ["refused" if i % 3 == 0 else "open" for i in range(300)]
    assert summary["concurrency"] == 7 and summary["ok"] == 300


def test_reachable_expectation(listener):
    targets = [
        {"host": "127.0.0.1", "port": listener.port},
        {"host": "127.0.0.1", "port": free_port()},
        {"host": "gone.invalid", "port": 80},
    ]
    results, summary = run_checks(targets, timeout=1, expect="reachable")
    assert [r["ok"] for r in results] == [True, True, False]
    assert [r["expected"] for r in results] == ["reachable"] * 3
    assert summary["failed"] == 1 and summary["mismatches"][0]["index"] == 2


def test_ipv6_loopback():
    if not socket.has_ipv6:
        pytest.skip("no IPv6")
    try:
        srv = Listener("plain", host="::1")
    except OSError as exc:
        pytest.skip("no IPv6 loopback: %s" % exc)
    try:
        targets = [{"host": "::1", "port": srv.port}, {"host": "[::1]", "port": free_port("::1"), "expect": "refused"}]
        results, _summary = run_checks(targets, timeout=1)
        assert [(r["state"], r["address"], r["ok"]) for r in results] == [("open", "::1", True), ("refused", "::1", True)]
    finally:
        srv.close()


def test_mismatch_names_the_target(listener):
    closed = free_port()
    targets = [
        {"host": "127.0.0.1", "port": listener.port},
        {"host": "127.0.0.1", "port": closed, "name": "console"},
        {"host": "127.0.0.1", "port": listener.port, "expect": "filtered"},
    ]
    results, summary = run_checks(targets, timeout=1)
    assert [r["ok"] for r in results] == [True, False, False]
    message = mismatch_message(summary)
    assert message.startswith("2 of 3 targets did not meet their expectation")
    assert "targets[1] (console, 127.0.0.1:%d): expected open, got refused" % closed in message
    assert "targets[2] (127.0.0.1:%d): expected filtered, got open" % listener.port in message
    assert [m["index"] for m in summary["mismatches"]] == [1, 2]


def test_mismatch_message_is_bounded(listener):
    targets = [{"host": "127.0.0.1", "port": listener.port, "expect": "refused"}] * 25
    _results, summary = run_checks(targets, timeout=1)
    message = mismatch_message(summary)
    assert message.startswith("25 of 25") and message.endswith("... and 5 more")


# --------------------------------------------------------------------------- #
# Validation: before any connection, naming index and field
# --------------------------------------------------------------------------- #
@pytest.mark.parametrize(
    "bad, needle",
    [
        ({"host": "127.0.0.1", "port": 22, "expect": "closed"}, "targets[1].expect: 'closed' is not one of open, refused"),
        ({"host": "127.0.0.1", "port": 0}, "targets[1].port: 0 is outside 1-65535"),
        ({"host": "127.0.0.1", "port": 65536}, "targets[1].port: 65536 is outside 1-65535"),
        ({"host": "127.0.0.1", "port": "http"}, "targets[1].port: 'http' is not a port number"),
        ({"host": "", "port": 22}, "targets[1].host: must not be empty"),
        ({"host": "  ", "port": 22}, "targets[1].host: must not be empty"),
        ({"port": 22}, "targets[1].host: must not be empty"),
        ({"host": "127.0.0.1", "port": 22, "tls": "yes"}, "targets[1].tls: 'yes' is not a boolean"),
        ({"host": "127.0.0.1", "port": 22, "colour": "red"}, "targets[1]: unknown field(s) colour"),
    ],
)
def test_validation_fails_before_any_connection(listener, bad, needle):
    targets = [{"host": "127.0.0.1", "port": listener.port}, bad]
    with pytest.raises(PortCheckError) as info:
        run_checks(targets, timeout=1)
    assert needle in str(info.value)
    time.sleep(0.05)
    assert listener.accepted == 0


def test_validation_reports_every_problem():
    with pytest.raises(PortCheckError) as info:
        normalize_targets([{"host": "", "port": 70000}, {"host": "a", "port": 1, "expect": "nope"}])
    text = str(info.value)
    assert "targets[0].host" in text and "targets[0].port: 70000" in text and "targets[1].expect" in text


@pytest.mark.parametrize(
    "kwargs, needle",
    [
        ({"timeout": 0}, "timeout: 0"),
        ({"timeout": -1}, "timeout: -1"),
        ({"concurrency": 0}, "concurrency: 0 must be at least 1"),
        ({"expect": "shut"}, "expect: 'shut' is not one of"),
        ({"proxy": "https://127.0.0.1:3128"}, "must be an http:// URL"),
        ({"proxy": "http://127.0.0.1"}, "has no port"),
        ({"proxy": "http://127.0.0.1:3128/path"}, "must be just http://host:port"),
    ],
)
def test_option_validation(kwargs, needle):
    with pytest.raises(PortCheckError) as info:
        run_checks([{"host": "127.0.0.1", "port": 1}], **kwargs)
    assert needle in str(info.value)


def test_parse_proxy_with_credentials():
    proxy = parse_proxy("http://user:p%40ss@127.0.0.1:3128/")
    assert proxy["host"] == "127.0.0.1" and proxy["port"] == 3128
    assert proxy["shown"] == "127.0.0.1:3128"  # credentials never echoed
    assert "url" not in proxy  # only the credential-free host:port is kept for messages
    assert proxy["auth"] == "Basic dXNlcjpwQHNz"
    assert parse_proxy(None) is None


def test_classify_error_table():
    assert classify_error(errno.ECONNREFUSED) == ("refused", "connection refused (RST)")
    assert classify_error(errno.ECONNRESET)[0] == "refused"
    for err in (errno.EHOSTUNREACH, errno.ENETUNREACH, errno.EACCES, errno.EPERM, errno.ETIMEDOUT):
        assert classify_error(err)[0] == "filtered"
    assert "local firewall" in classify_error(errno.EPERM)[1]
    state, text = classify_error(errno.ECONNREFUSED, (2, 3, 3, "192.0.2.1"))
    assert state == "filtered" and "ICMP port unreachable from 192.0.2.1" in text
    state, text = classify_error(errno.EHOSTUNREACH, (2, 3, 13, None))
    assert state == "filtered" and "administratively prohibited" in text


def test_fd_limit_allows_one_wave_of_1500():
    assert effective_concurrency(2048, 1500) == 1500
    assert effective_concurrency(10, 1500) == 10
    assert effective_concurrency(2048, 0) == 1


def test_tcp_scan_engine_directly(listener):
    jobs = [("a", socket.AF_INET, ("127.0.0.1", listener.port)), ("b", socket.AF_INET, ("127.0.0.1", free_port()))]
    out = tcp_scan(jobs, timeout=1, concurrency=2, keep=("a",))
    assert out["a"]["state"] == "open" and out["a"]["sock"] is not None
    out["a"]["sock"].close()
    assert out["b"]["state"] == "refused" and out["b"]["sock"] is None


# --------------------------------------------------------------------------- #
# TLS and proxy
# --------------------------------------------------------------------------- #
def _der_sha256(certfile):
    import hashlib
    with open(certfile) as handle:
        return hashlib.sha256(ssl.PEM_cert_to_DER_cert(handle.read())).hexdigest()


def test_tls_handshake_ok(tls_listener, cert):
    results, summary = run_checks([{"host": "127.0.0.1", "port": tls_listener.port, "tls": True}], timeout=2)
    result = results[0]
    assert result["state"] == "open" and result["ok"] is True, result
    assert result["tls_ok"] is True and result["tls_error"] is None
    assert result["tls_version"] in ("TLSv1.2", "TLSv1.3")
    assert result["tls_cipher"]
    assert result["tls_cert_sha256"] == _der_sha256(cert[0])
    assert result["tls_elapsed_ms"] >= 0
    assert summary["tls_failed"] == 0
    assert eventually(lambda: tls_listener.handshakes == 1)


def test_tls_validate_certs(tls_listener, cert):
    target = [{"host": "127.0.0.1", "port": tls_listener.port, "tls": True}]
    results, _summary = run_checks(target, timeout=2, validate_certs=True, ca_path=cert[0], tls_server_name="localhost")
    assert results[0]["tls_ok"] is True and results[0]["ok"] is True
    # The system trust store does not know the throwaway CA.
    results, _summary = run_checks(target, timeout=2, validate_certs=True)
    assert results[0]["tls_ok"] is False and results[0]["ok"] is False
    assert "certificate" in results[0]["tls_error"].lower()


@pytest.mark.parametrize("mode", ["garbage", "close"])
def test_tls_against_a_non_tls_listener_is_not_ok(mode):
    srv = Listener(mode)
    try:
        results, summary = run_checks([{"host": "127.0.0.1", "port": srv.port, "tls": True, "name": "upd"}], timeout=1)
    finally:
        srv.close()
    result = results[0]
    assert result["state"] == "open"
    assert result["tls_ok"] is False and result["ok"] is False
    assert result["tls_error"].startswith("TLS handshake failed")
    assert summary["tls_failed"] == 1
    assert "targets[0] (upd, 127.0.0.1:%d): port open but TLS failed" % srv.port in mismatch_message(summary)


def test_tls_not_attempted_when_port_not_open():
    closed = free_port()
    results, _summary = run_checks([{"host": "127.0.0.1", "port": closed, "tls": True, "expect": "refused"}], timeout=1)
    assert results[0]["state"] == "refused" and results[0]["ok"] is True
    assert results[0]["tls_ok"] is False and "not attempted" in results[0]["tls_error"]


def test_tls_through_connect_proxy(tls_listener, listener):
    proxy = ConnectProxy()
    try:
        targets = [
            {"host": "127.0.0.1", "port": tls_listener.port, "tls": True, "name": "via proxy"},
            {"host": "127.0.0.1", "port": listener.port},  # no tls: direct
        ]
        results, _summary = run_checks(targets, timeout=2, proxy=proxy.url)
    finally:
        proxy.close()
    via, direct = results
    assert via["state"] == "open" and via["tls_ok"] is True and via["ok"] is True, via
    assert via["proxy"] == "127.0.0.1:%d" % proxy.port and via["address"] is None
    assert direct["proxy"] is None and direct["state"] == "open"
    assert len(proxy.requests) == 1
    assert proxy.requests[0].startswith("CONNECT 127.0.0.1:%d HTTP/1.1\r\n" % tls_listener.port)
    assert "Host: 127.0.0.1:%d" % tls_listener.port in proxy.requests[0]
    assert eventually(lambda: tls_listener.handshakes == 1)


def test_proxy_refusing_the_tunnel():
    proxy = ConnectProxy(answer=b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n")
    try:
        results, summary = run_checks([{"host": "update.example.invalid", "port": 443, "tls": True}], timeout=2,
                                      proxy="http://u:pw@127.0.0.1:%d" % proxy.port)
    finally:
        proxy.close()
    result = results[0]
    assert result["state"] == "filtered" and result["ok"] is False
    assert "403 Forbidden" in result["error"] and "TLS not attempted" in result["tls_error"]
    assert proxy.requests[0].startswith("CONNECT update.example.invalid:443 HTTP/1.1")
    assert "Proxy-Authorization: Basic dTpwdw==" in proxy.requests[0]
    assert "u:pw" not in str(results) and "u:pw" not in mismatch_message(summary)


def test_proxy_unreachable():
    port = free_port()
    results, _summary = run_checks([{"host": "127.0.0.1", "port": 443, "tls": True}], timeout=1,
                                   proxy="http://127.0.0.1:%d" % port)
    assert results[0]["state"] == "filtered" and "unreachable" in results[0]["error"]


# --------------------------------------------------------------------------- #
# Namespace: DROP / REJECT
# --------------------------------------------------------------------------- #
@pytest.mark.netns
def test_filtered_drop_and_reject(netns):
    targets = [
        {"host": netns, "port": NS_DROP_PORT, "expect": "filtered", "name": "drop"},
        {"host": netns, "port": NS_REJECT_PORT, "expect": "filtered", "name": "reject port-unreachable"},
        {"host": netns, "port": NS_PROHIBITED_PORT, "expect": "filtered", "name": "reject admin-prohibited"},
        {"host": netns, "port": NS_OPEN_PORT, "expect": "refused", "name": "nothing listens"},
    ]
    started = time.monotonic()
    results, summary = run_checks(targets, timeout=0.5)
    assert time.monotonic() - started < 1.5
    assert [r["state"] for r in results] == ["filtered", "filtered", "filtered", "refused"], results
    assert summary["ok"] == 4
    assert results[0]["error"] == "no answer within 0.5s" and results[0]["elapsed_ms"] >= 490
    assert "ICMP port unreachable from %s" % netns in results[1]["error"]
    assert "administratively prohibited" in results[2]["error"]
    assert results[3]["error"] == "connection refused (RST)"
    assert results[1]["elapsed_ms"] < 400 and results[2]["elapsed_ms"] < 400


@pytest.mark.netns
def test_filtered_targets_time_out_together(netns):
    targets = [{"host": netns, "port": NS_DROP_PORT, "expect": "filtered"}] * 200
    targets += [{"host": netns, "port": NS_OPEN_PORT, "expect": "refused"}] * 200
    started = time.monotonic()
    results, summary = run_checks(targets, timeout=0.5)
    took = time.monotonic() - started
    assert summary["ok"] == 400 and summary["filtered"] == 200 and summary["refused"] == 200
    assert took < 1.5, "400 targets took %.2fs: connects are not concurrent" % took
    assert all(r["ok"] for r in results)


@pytest.mark.netns
def test_tls_to_filtered_port(netns):
    results, _summary = run_checks([{"host": netns, "port": NS_DROP_PORT, "tls": True}], timeout=0.3)
    assert results[0]["state"] == "filtered" and results[0]["ok"] is False
    assert results[0]["tls_ok"] is False and "port is filtered" in results[0]["tls_error"]

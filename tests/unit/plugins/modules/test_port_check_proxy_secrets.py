# -*- coding: utf-8 -*-
# Copyright: (c) 2026, webroot.enterprise contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""port_check never shows the proxy's user name or password (security finding 4).

Two ways of running the module:

* ``run_real``: AnsibleModule's own exit_json/fail_json, so the JSON printed is
  what Ansible receives, ``invocation`` (what ``-vvv`` shows) included, after
  Ansible's no_log masking;
* ``run_raw``: exit_json/fail_json patched to raise with their arguments, before
  any masking, so that the module's own messages are checked (no_log masking
  would hide the whole URL, not a password that appears alone).

Sockets are real and only go to loopback.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import socket
import threading

import pytest

from ansible.module_utils import basic
from module_args import patch_module_args

from ansible_collections.webroot.enterprise.plugins.module_utils.portcheck import (
    PortCheckError,
    parse_proxy,
    redact_url,
    run_checks,
)
from ansible_collections.webroot.enterprise.plugins.modules import port_check

USER = "proxyuser42"
PASSWORD = "S3cret-pw"
SECRETS = (USER, PASSWORD)


class Raised(Exception):
    pass


def run_raw(monkeypatch, args):
    """main() with exit_json/fail_json raising their arguments (no masking)."""

    def _exit(self, **kwargs):
        raise Raised(dict(kwargs, failed=False))

    def _fail(self, msg, **kwargs):
        raise Raised(dict(kwargs, failed=True, msg=msg))

    monkeypatch.setattr(basic.AnsibleModule, "exit_json", _exit)
    monkeypatch.setattr(basic.AnsibleModule, "fail_json", _fail)
    with patch_module_args(args):
        with pytest.raises(Raised) as info:
            port_check.main()
    return info.value.args[0]


def run_real(capsys, args):
    """main() as Ansible runs it: returns (printed text, parsed result)."""
    with patch_module_args(args):
        with pytest.raises(SystemExit):
            port_check.main()
    out = capsys.readouterr().out
    return out, json.loads(out)


def assert_no_secret(text):
    for secret in SECRETS:
        assert secret not in text, "%r leaked in: %s" % (secret, text)


def free_port():
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    return port


class RefusingProxy(object):
    """Answers every CONNECT with 407 (what a proxy says to wrong credentials)."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.sock.settimeout(5)
        self.port = self.sock.getsockname()[1]
        self._thread = threading.Thread(target=self._serve)
        self._thread.daemon = True
        self._thread.start()

    def _serve(self):
        try:
            conn, _addr = self.sock.accept()
        except OSError:
            return
        try:
            conn.settimeout(2)
            buf = b""
            while b"\r\n\r\n" not in buf:
                chunk = conn.recv(1024)
                if not chunk:
                    break
                buf += chunk
            conn.sendall(b"HTTP/1.1 407 Proxy Authentication Required\r\nContent-Length: 0\r\n\r\n")
        finally:
            conn.close()

    def close(self):
        self.sock.close()
        self._thread.join(2)


def test_proxy_option_is_no_log():
    assert port_check.argument_spec()["proxy"].get("no_log") is True


def test_issue_example_hides_the_password_in_invocation_and_msg(capsys):
    """The finding's example: no port, so the module fails on the proxy option."""
    url = "http://%s:%s@proxy.corp" % (USER, PASSWORD)
    out, result = run_real(capsys, {"targets": [{"host": "update.example.com", "port": 443, "tls": True}],
                                    "proxy": url})
    assert_no_secret(out)
    assert result["failed"] is True and "has no port" in result["msg"]
    assert result["invocation"]["module_args"]["proxy"] == "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"


@pytest.mark.parametrize(
    "url, needle",
    [
        ("http://{u}:{p}@proxy.corp", "has no port"),
        ("https://{u}:{p}@proxy.corp:3128", "must be an http:// URL"),
        ("http://{u}:{p}@proxy.corp:3128/path", "must be just http://host:port"),
        ("http://{u}:{p}@proxy.corp:99999", "not a valid URL"),
        ("http://{u}:{p}/x@proxy.corp:3128", "not a valid URL"),  # '/' in the password
        ("http://{u}:{p}@[proxy.corp:3128", "not a valid URL"),
        ("{u}:{p}@proxy.corp:3128", "must be an http:// URL"),  # no scheme
        ("http://{u}@proxy.corp", "has no port"),  # user only
    ],
)
def test_invalid_proxy_messages_never_show_the_credentials(monkeypatch, url, needle):
    url = url.format(u=USER, p=PASSWORD)
    with pytest.raises(PortCheckError) as info:
        run_checks([{"host": "127.0.0.1", "port": 1, "tls": True}], proxy=url)
    assert_no_secret(str(info.value))
    assert needle in str(info.value) and "proxy.corp" in str(info.value)
    result = run_raw(monkeypatch, {"targets": [{"host": "127.0.0.1", "port": 1, "tls": True}], "proxy": url})
    assert result["failed"] is True
    assert_no_secret(json.dumps(result))


@pytest.mark.parametrize(
    "url, shown",
    [
        ("http://u:p@proxy.corp:3128", "http://proxy.corp:3128"),
        ("http://u:p@ss@proxy.corp:3128/", "http://proxy.corp:3128/"),
        ("http://u:a://b@proxy.corp:1", "http://proxy.corp:1"),
        ("u:p@proxy.corp:3128", "proxy.corp:3128"),
        ("u:p@host://x", "host://x"),
        ("http://proxy.corp:3128", "http://proxy.corp:3128"),
        ("", ""),
    ],
)
def test_redact_url(url, shown):
    assert redact_url(url) == shown


def test_parse_proxy_still_reads_the_credentials():
    proxy = parse_proxy("http://%s:%s@proxy.corp:3128" % (USER, "p%40ss"))
    assert proxy["auth"] == "Basic cHJveHl1c2VyNDI6cEBzcw=="  # proxyuser42:p@ss
    assert (proxy["host"], proxy["port"], proxy["shown"]) == ("proxy.corp", 3128, "proxy.corp:3128")
    assert parse_proxy("http://[::1]:3128")["shown"] == "[::1]:3128"
    assert parse_proxy("http://proxy.corp:3128")["auth"] is None


@pytest.mark.parametrize("fail_on_mismatch", [True, False])
def test_proxy_answers_and_failures_never_show_the_credentials(monkeypatch, capsys, fail_on_mismatch):
    proxy = RefusingProxy()
    closed = free_port()
    try:
        args = {
            "targets": [{"host": "update.example.invalid", "port": 443, "tls": True, "name": "refused"}],
            "proxy": "http://%s:%s@127.0.0.1:%d" % (USER, PASSWORD, proxy.port),
            "timeout": 2,
            "fail_on_mismatch": fail_on_mismatch,
        }
        out, result = run_real(capsys, args)
    finally:
        proxy.close()
    assert_no_secret(out)
    first = result["results"][0]
    assert first["state"] == "filtered" and "407" in first["error"]
    assert first["proxy"] == "127.0.0.1:%d" % proxy.port
    for proxy_url in ("http://%s:%s@127.0.0.1:%d" % (USER, PASSWORD, closed),
                      "http://%s:%s@proxy.invalid:3128" % (USER, PASSWORD)):
        args.update(proxy=proxy_url, timeout=1)
        raw = run_raw(monkeypatch, args)
        assert_no_secret(json.dumps(raw))
        assert raw["results"][0]["state"] in ("filtered", "unresolved")


def test_a_proxy_without_credentials_stays_readable(capsys):
    """no_log hides the option's exact value wherever it appears in the output: the
    proxy is shown as host:port, which never equals the http:// URL given, so the
    results and messages still say which proxy failed."""
    port = free_port()
    out, result = run_real(capsys, {"targets": [{"host": "127.0.0.1", "port": 443, "tls": True}],
                                    "proxy": "http://127.0.0.1:%d" % port, "timeout": 1})
    assert result["failed"] is True
    assert result["invocation"]["module_args"]["proxy"] == "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"
    assert result["results"][0]["proxy"] == "127.0.0.1:%d" % port
    assert "proxy 127.0.0.1:%d unreachable" % port in result["results"][0]["error"]
    assert "proxy 127.0.0.1:%d unreachable" % port in result["msg"]
    assert "********" not in out

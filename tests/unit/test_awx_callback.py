# -*- coding: utf-8 -*-
# Copyright: (c) 2026, webroot.enterprise contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The GPO startup script that asks AWX for the workstation job (docs/awx.md, section 7).

There is no PowerShell, no Windows and no AWX here. So: the script is parsed with
tree-sitter-powershell; the request it builds is read from its syntax tree (the URL
template and its arguments, the Invoke-WebRequest parameters, the body hashtable piped
to ConvertTo-Json); that request is sent to a stand-in for AWX's callback endpoint on
127.0.0.1, which records it and answers as AWX does (AWX's awx/api/views
JobTemplateCallback and awx/api/permissions JobTemplateCallbackPermission): 201 with the
job's Location for the right key, 403 for a wrong one, 400 "Host callback job already
pending." while a job for the host is pending. docs/awx.md's curl line is run against it
too. Every expectation is written by hand. Only loopback is used.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import re
import shlex
import shutil
import subprocess
import threading

import pytest
import yaml

from test_powershell_parse import _parser, parse_problems

try:
    from http.server import BaseHTTPRequestHandler, HTTPServer
    from urllib.error import HTTPError
    from urllib.parse import parse_qs
    from urllib.request import Request, urlopen
except ImportError:  # pragma: no cover
    pytest.skip("Python 3 only", allow_module_level=True)

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
SCRIPT = os.path.join(REPO, "docs", "examples", "webroot_awx_callback.ps1")
DOC = os.path.join(REPO, "docs", "awx.md")
KEY = "5d1f0c9e3b8a4f2e"
TEMPLATE_ID = 42


def _source():
    with open(SCRIPT, "rb") as handle:
        return handle.read()


def _text(node, source):
    return source[node.start_byte:node.end_byte].decode("utf-8")


def _walk(node):
    stack = [node]
    while stack:
        node = stack.pop()
        yield node
        stack.extend(reversed(node.children))


def _tree():
    source = _source()
    return _parser().parse(source).root_node, source


def _commands(name):
    """Every ``command`` node that calls ``name``, with its elements as
    [(parameter or None, argument text)]."""
    root, source = _tree()
    found = []
    for node in _walk(root):
        if node.type != "command":
            continue
        names = [c for c in node.children if c.type == "command_name"]
        if not names or _text(names[0], source).lower() != name.lower():
            continue
        elements = [c for c in node.children if c.type == "command_elements"]
        pairs, pending = [], None
        for child in (elements[0].children if elements else []):
            if child.type == "command_argument_sep":
                continue
            if child.type == "command_parameter":
                if pending is not None:
                    pairs.append((pending, None))   # a switch
                pending = _text(child, source)
            else:
                pairs.append((pending, _text(child, source)))
                pending = None
        if pending is not None:
            pairs.append((pending, None))
        found.append(pairs)
    return found


def _assignments(variable):
    """The right-hand sides (text) of every ``$variable = ...`` of the script."""
    root, source = _tree()
    out = []
    for node in _walk(root):
        if node.type != "assignment_expression":
            continue
        left = _text(node.children[0], source).strip()
        if left.lower() == "$" + variable.lower():
            out.append(_text(node.children[-1], source).strip())
    return out


def request_from_script(awx_url, template_id, key):
    """The request the script sends, put together from what its syntax tree says,
    for the given parameter values: (method, url, content type, body bytes)."""
    calls = _commands("Invoke-WebRequest")
    assert len(calls) == 1, calls
    params = dict((p.lower(), v) for p, v in calls[0] if p)
    assert params["-uri"] == "$uri"
    assert params["-body"] == "$body"
    # $uri = '<template>' -f $AwxUrl.TrimEnd('/'), $JobTemplateId
    (uri,) = _assignments("uri")
    match = re.match(r"^'([^']*)'\s+-f\s+\$AwxUrl\.TrimEnd\('/'\),\s*\$JobTemplateId$", uri)
    assert match, uri
    url = match.group(1).replace("{0}", awx_url.rstrip("/")).replace("{1}", str(template_id))
    # $body = @{ host_config_key = $HostConfigKey } | ConvertTo-Json -Compress
    (body,) = _assignments("body")
    match = re.match(r"^@\{\s*(\w+)\s*=\s*\$HostConfigKey\s*\}\s*\|\s*ConvertTo-Json\s+-Compress$", body)
    assert match, body
    payload = json.dumps({match.group(1): key}, separators=(",", ":")).encode()
    return params["-method"], url, params["-contenttype"].strip("'\""), payload


class FakeAwx(object):
    """AWX's callback endpoint, as far as a workstation sees it."""

    def __init__(self):
        self.requests = []
        self.pending = set()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _answer(self, status, data=None, headers=None):
                body = json.dumps(data).encode() if data is not None else b""
                self.send_response(status)
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self):  # noqa: N802 - the stand-in needs credentials, which a workstation lacks
                self._answer(401, {"detail": "Authentication credentials were not provided."})

            def do_POST(self):  # noqa: N802
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                ctype = self.headers.get("Content-Type", "")
                fake.requests.append({"method": "POST", "path": self.path, "content_type": ctype, "body": raw})
                match = re.match(r"^/api/v2/job_templates/(\d+)/callback/$", self.path)
                if not match or int(match.group(1)) != TEMPLATE_ID:
                    return self._answer(404, {"detail": "Not found."})
                if ctype.startswith("application/json"):
                    data = json.loads(raw.decode() or "{}")
                else:
                    data = dict((k, v[0]) for k, v in parse_qs(raw.decode()).items())
                if data.get("host_config_key", "") != KEY:
                    return self._answer(403, {"detail": "You do not have permission to perform this action."})
                host = self.client_address[0]
                if host in fake.pending:
                    return self._answer(400, {"msg": "Host callback job already pending."})
                fake.pending.add(host)
                return self._answer(201, None, {"Location": "/api/v2/jobs/%d/" % (700 + len(fake.requests))})

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = "http://127.0.0.1:%d" % self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever)
        self.thread.daemon = True
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def awx():
    server = FakeAwx()
    yield server
    server.close()


def send(method, url, ctype, body):
    request = Request(url, data=body, method=method.upper(), headers={"Content-Type": ctype})
    try:
        response = urlopen(request, timeout=10)
        return response.status, response.headers.get("Location"), response.read()
    except HTTPError as exc:
        return exc.code, None, exc.read()


def test_the_script_parses():
    assert parse_problems(_source()) == []


def test_the_parameters_are_the_documented_ones():
    """-AwxUrl, -JobTemplateId and -HostConfigKey, mandatory (the GPO's Script
    Parameters in docs/awx.md), the others with their defaults."""
    root, source = _tree()
    # The script's own param block (the first; Write-CallbackLog has its own).
    blocks = [n for n in _walk(root) if n.type == "param_block"]
    text = " ".join(_text(blocks[0], source).split())
    assert "$AwxUrl" in text
    for name, kind in (("AwxUrl", "string"), ("JobTemplateId", "int"), ("HostConfigKey", "string")):
        assert "[Parameter(Mandatory = $true)] [%s]$%s" % (kind, name) in text, name
    for default in ("[int]$WinRMWaitSeconds = 120", "[int]$Attempts = 5", "[int]$TimeoutSeconds = 20",
                    "[int]$DelaySeconds = 30"):
        assert default in text
    with open(DOC) as handle:
        doc = " ".join(handle.read().split())
    assert "`-AwxUrl https://awx.corp.example.test -JobTemplateId 42 -HostConfigKey <the key>`" in doc


def test_the_request_is_a_post_of_the_host_config_key_to_the_callback_url(awx):
    method, url, ctype, body = request_from_script(awx.url + "/", TEMPLATE_ID, KEY)
    # By hand: what AWX's provisioning callback takes.
    assert method == "Post"
    assert ctype == "application/json"
    assert url == awx.url + "/api/v2/job_templates/42/callback/"
    status, location, _answer = send(method, url, ctype, body)
    assert (status, location) == (201, "/api/v2/jobs/701/")
    assert awx.requests == [{"method": "POST", "path": "/api/v2/job_templates/42/callback/",
                             "content_type": "application/json", "body": b'{"host_config_key":"5d1f0c9e3b8a4f2e"}'}]
    # Again while that job is pending: AWX's 400, which the script takes as done.
    status, _location, answer = send(method, url, ctype, body)
    assert status == 400 and json.loads(answer.decode()) == {"msg": "Host callback job already pending."}


def test_a_wrong_key_is_refused(awx):
    method, url, ctype, body = request_from_script(awx.url, TEMPLATE_ID, "not-the-key")
    status, _location, _answer = send(method, url, ctype, body)
    assert status == 403
    assert json.loads(awx.requests[0]["body"].decode()) == {"host_config_key": "not-the-key"}


def test_the_invoke_webrequest_call_by_hand():
    (call,) = _commands("Invoke-WebRequest")
    assert call == [("-Uri", "$uri"), ("-Method", "Post"), ("-ContentType", "'application/json'"),
                    ("-Body", "$body"), ("-UseBasicParsing", None), ("-TimeoutSec", "$TimeoutSeconds")]


def _code_only(text):
    return "\n".join(line.split("#", 1)[0] for line in text.splitlines())


def test_the_answers_it_recognises_are_awx_s():
    """201/202 (any 2xx: Invoke-WebRequest throws on the others) starts nothing more;
    400 with AWX's "Host callback job already pending." is done; 403 and other 400s
    are final; the rest is retried. https only; TLS 1.2 added, nothing taken away."""
    code = _code_only(_source().decode())
    assert "if ($status -eq 400 -and $answer -match 'already pending') {" in code
    assert re.search(r"already pending", "Host callback job already pending.")   # AWX's text
    assert "if ($status -eq 403) {" in code and "if ($status -eq 400) {" in code
    assert code.count("exit 0") == 2 and "for ($attempt = 1; $attempt -le $Attempts; $attempt++) {" in code
    assert "if ($AwxUrl -notmatch '^https://') {" in code
    assert ("[Net.ServicePointManager]::SecurityProtocol = [Net.ServicePointManager]::SecurityProtocol "
            "-bor [Net.SecurityProtocolType]::Tls12") in code
    # It waits for WinRM (the job connects back), bounded.
    assert "Get-Service -Name 'WinRM'" in code and "$deadline = (Get-Date).AddSeconds($WinRMWaitSeconds)" in code


def _doc():
    with open(DOC) as handle:
        return handle.read()


def test_the_documented_curl_line_sends_the_same_request(awx):
    if not shutil.which("curl"):
        pytest.skip("no curl")
    lines = [line for line in _doc().splitlines() if line.startswith("curl ") and " -d " in line]
    assert len(lines) == 1, lines
    argv = shlex.split(lines[0].replace("https://awx.corp.example.test", awx.url).replace("HOST_CONFIG_KEY", KEY))
    proc = subprocess.run(argv + ["-o", os.devnull, "-w", "%{http_code}"], stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, universal_newlines=True, timeout=30, check=False)
    assert proc.stdout.strip() == "201", proc.stdout
    (request,) = awx.requests
    assert request["path"] == "/api/v2/job_templates/42/callback/"
    assert request["content_type"] == "application/json"
    assert json.loads(request["body"].decode()) == {"host_config_key": KEY}


def test_the_documented_yaml_parses():
    blocks = re.findall(r"```yaml\n(.*?)```", _doc(), re.S)
    assert len(blocks) >= 6
    for block in blocks:
        assert yaml.safe_load(block) is not None, block
    injector = [yaml.safe_load(b) for b in blocks if "MICROSOFT_AD_LDAP_USERNAME" in b]
    assert injector == [{"env": {"MICROSOFT_AD_LDAP_USERNAME": "{{ username }}",
                                 "MICROSOFT_AD_LDAP_PASSWORD": "{{ password }}"}}]


def test_the_documented_playbooks_pass_the_syntax_check(tmp_path):
    """webroot_nightly.yml (with the play that keeps the reports) and
    webroot_catchup.yml, as docs/awx.md gives them."""
    playbook_bin = os.path.join(REPO, ".venv", "bin", "ansible-playbook")
    if not os.access(playbook_bin, os.X_OK):
        pytest.skip("no .venv: run scripts/setup.sh")
    blocks = re.findall(r"```yaml\n(.*?)```", _doc(), re.S)
    nightly = [b for b in blocks if b.startswith("# playbooks/webroot_nightly.yml\n")]
    keep = [b for b in blocks if b.startswith("# playbooks/webroot_nightly.yml, after the import_playbook\n")]
    catchup = [b for b in blocks if b.startswith("# playbooks/webroot_catchup.yml\n")]
    assert len(nightly) == len(keep) == len(catchup) == 1
    (tmp_path / "webroot_nightly.yml").write_text(nightly[0] + "\n" + keep[0])
    (tmp_path / "webroot_catchup.yml").write_text(catchup[0])
    (tmp_path / "hosts.yml").write_text("all:\n  hosts:\n    files01.corp.example.test:\n")
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=os.path.join(REPO, ".cache", "collections"))
    env.pop("ANSIBLE_CONFIG", None)
    for name in ("webroot_nightly.yml", "webroot_catchup.yml"):
        proc = subprocess.run([playbook_bin, "--syntax-check", "-i", "hosts.yml", name], cwd=str(tmp_path), env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, universal_newlines=True,
                              timeout=120, check=False)
        assert proc.returncode == 0, proc.stdout

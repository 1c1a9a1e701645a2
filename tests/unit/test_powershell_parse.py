# -*- coding: utf-8 -*-
# Copyright: (c) 2026, webroot.enterprise contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Parse-check every PowerShell file of the collection with tree-sitter.

There is no PowerShell on the project's machines, so this is the check that the
Windows modules are at least syntactically sound: a parse tree with ERROR or
MISSING nodes fails, naming the file, line and text.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os

import pytest

tree_sitter = pytest.importorskip("tree_sitter")
tree_sitter_powershell = pytest.importorskip("tree_sitter_powershell")

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
SKIP_DIRS = {".venv", ".cache", ".ansible", ".git", ".tox", "node_modules", "__pycache__", "output"}


def powershell_files(root=REPO):
    found = []
    for dirpath, dirnames, filenames in os.walk(root):
        # .venv-* too: other virtualenvs (e.g. the ansible-core matrix's) hold other
        # collections' PowerShell, not ours.
        dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS and not d.startswith(".venv"))
        for filename in sorted(filenames):
            if filename.lower().endswith((".ps1", ".psm1")):
                found.append(os.path.join(dirpath, filename))
    return found


def _parser():
    language = tree_sitter.Language(tree_sitter_powershell.language())
    try:
        return tree_sitter.Parser(language)
    except TypeError:  # older py-tree-sitter
        parser = tree_sitter.Parser()
        parser.set_language(language)
        return parser


def parse_problems(source):
    """``[(line, column, kind, text)]`` for every ERROR / MISSING node of ``source`` (bytes)."""
    tree = _parser().parse(source)
    lines = source.decode("utf-8", "replace").splitlines()
    problems = []
    stack = [tree.root_node]
    while stack:
        node = stack.pop()
        if node.is_error or node.is_missing:
            row, col = node.start_point
            kind = "MISSING %s" % node.type if node.is_missing else "ERROR"
            text = lines[row].strip() if row < len(lines) else ""
            problems.append((row + 1, col + 1, kind, text))
            if node.is_error:
                continue  # its children are part of the same problem
        if node.has_error:
            stack.extend(reversed(node.children))
    return sorted(problems)


def describe(path, problems):
    return "\n".join("%s:%d:%d: %s: %s" % (os.path.relpath(path, REPO), line, col, kind, text)
                     for line, col, kind, text in problems)


def test_found_powershell_files():
    files = powershell_files()
    assert files, "no .ps1 file found under %s" % REPO
    assert any(f.endswith(os.path.join("plugins", "modules", "port_check.ps1")) for f in files)


@pytest.mark.parametrize("path", powershell_files(), ids=lambda p: os.path.relpath(p, REPO))
def test_powershell_parses(path):
    with open(path, "rb") as handle:
        problems = parse_problems(handle.read())
    assert not problems, "PowerShell syntax errors:\n" + describe(path, problems)


@pytest.mark.parametrize(
    "snippet",
    [
        b"function Get-Thing {\n    if ($x -eq 1) {\n        'one'\n    \n}\n",  # unbalanced braces
        b"$a = @{ one = 1\n$b = (2 + )\n",  # unterminated hashtable, dangling operator
        b"$module = [Ansible.Basic.AnsibleModule]::Create($args, $spec\n$module.ExitJson()\n",  # missing paren
    ],
)
def test_broken_snippet_is_detected(tmp_path, snippet):
    path = tmp_path / "broken.ps1"
    path.write_bytes(snippet)
    assert powershell_files(str(tmp_path)) == [str(path)]
    problems = parse_problems(path.read_bytes())
    assert problems, "the parse check missed a syntax error in %r" % snippet
    assert describe(str(path), problems)


def test_valid_snippet_is_clean(tmp_path):
    path = tmp_path / "ok.ps1"
    path.write_bytes(b"#!powershell\n$spec = @{ options = @{ a = @{ type = 'str' } } }\n"
                     b"$module = [Ansible.Basic.AnsibleModule]::Create($args, $spec)\n$module.ExitJson()\n")
    assert parse_problems(path.read_bytes()) == []


def _port_check_ps1():
    with open(os.path.join(REPO, "plugins", "modules", "port_check.ps1")) as handle:
        return handle.read()


def _code_only(text):
    return "\n".join(line.split("#", 1)[0] for line in text.splitlines())


def test_port_check_ps1_lets_the_os_choose_the_tls_version():
    """Issue 10 item 6, revised for Windows PowerShell 5.1 under winrm and psrp.

    The handshake never passes SslProtocols.None (nor SecurityProtocolType.SystemDefault):
    on .NET Framework 4.x, AuthenticateAsClient throws ArgumentException for None when
    the process has system-default TLS versions disabled (the PSRemoting host psrp uses,
    processes targeting < 4.7), even though the enum defines SystemDefault. The OS
    chooses through the overload without a protocol argument, which exists from .NET
    Framework 4.7 (found by reflection, never assumed), when the process lets it
    (SecurityProtocol is SystemDefault); otherwise the 4-argument overload gets TLS 1.2
    explicitly. TLS 1.3 is never named (dotnet/runtime#47457)."""
    code = _code_only(_port_check_ps1())
    # The throwing form is gone.
    assert "SslProtocols]::None" not in code
    assert "'SystemDefault'" not in code and "SecurityProtocolType]::SystemDefault" not in code
    assert "AuthenticateAsClient($ServerName, $null, $script:tlsProtocols, $false)" not in code
    # The overload without a protocol argument is looked up by reflection with its exact
    # parameter types, and used only when it exists and the process allows the OS default.
    assert ("[System.Net.Security.SslStream].GetMethod('AuthenticateAsClient', [Type[]]@([string], "
            "[System.Security.Cryptography.X509Certificates.X509CertificateCollection], [bool]))") in code
    assert "$script:tlsOsDefault = ($null -ne $script:tlsDefaultOverload) -and ([int]([System.Net.ServicePointManager]::SecurityProtocol) -eq 0)" in code
    handshake = _function(code, "Invoke-TlsHandshake")
    assert "if ($script:tlsOsDefault) {" in handshake
    assert "$sslStream.AuthenticateAsClient($ServerName, $null, $false)" in handshake
    assert "$sslStream.AuthenticateAsClient($ServerName, $null, $script:tlsFallbackProtocols, $false)" in handshake
    assert handshake.count("AuthenticateAsClient(") == 2
    # The fallback names TLS 1.2 only: never None, Default, SSL 3 or TLS 1.3.
    assert "$script:tlsFallbackProtocols = [System.Security.Authentication.SslProtocols]::Tls12\n" in code
    assert code.count("$script:tlsFallbackProtocols =") == 1
    for weak in ("SslProtocols]::Default", "SslProtocols]::Ssl3", "SslProtocols]::Ssl2",
                 "SslProtocols]'Tls13'", "::Tls13"):
        assert weak not in code


def test_port_check_ps1_opens_the_proxy_socket_in_the_address_family():
    """Issue 10 item 7: no IPv4-only TcpClient() for the proxy."""
    code = _code_only(_port_check_ps1())
    proxy = code[code.index("Function Open-ProxyTunnel"):code.index("$timeout = ConvertTo-Seconds -Value $rawTimeout")]
    assert "New-Object -TypeName System.Net.Sockets.TcpClient -ArgumentList $resolvedProxy[0].AddressFamily" in proxy
    assert "New-Object -TypeName System.Net.Sockets.TcpClient\n" not in proxy


def test_port_check_ps1_matches_expect_case_sensitively():
    """Issue 10 item 8: the same choices on both sides (Ansible.Basic alone would take 'Open')."""
    code = _code_only(_port_check_ps1())
    assert "$expectChoices -cnotcontains $defaultExpect" in code
    assert "$expectChoices -cnotcontains $expect" in code
    assert "value of expect must be one of: {0}, got: {1}" in code


VERIFY_FILES = os.path.join(REPO, "roles", "verify", "files")


def _read(name):
    with open(os.path.join(VERIFY_FILES, name)) as handle:
        return handle.read()


def _function(text, name):
    start = text.index("Function %s {" % name)
    return text[start:text.index("\n}\n", start) + 3]


def test_verify_listener_start_and_stop_share_the_marker():
    """Issue 10 item 5: the stop script recognises the listener by the Base64 marker
    of the -EncodedCommand, computed by the same function in both scripts."""
    start, stop = _read("webroot_verify_start.ps1"), _read("webroot_verify_stop.ps1")
    start_fn, stop_fn = _function(start, "Get-ListenerMarker"), _function(stop, "Get-ListenerMarker")
    assert start_fn[start_fn.index("param("):] == stop_fn[stop_fn.index("param("):]  # the comments may differ
    assert "-EncodedCommand" in start and "-File" not in _code_only(start)


@pytest.mark.parametrize("token", ["webroot-verify-abc123def456", "webroot-verify-x", "t"])
def test_verify_listener_marker_is_a_prefix_of_the_encoded_command(token):
    """What Get-ListenerMarker relies on: a first line padded to a multiple of three
    characters encodes (UTF-16LE, Base64) to a prefix of the whole command's Base64,
    and the real listener fits in a Windows command line (32,767 characters)."""
    import base64

    line = "# webroot.enterprise.verify listener %s" % token
    while len(line) % 3:
        line += " "
    listener = _read("webroot_verify_listen.ps1")
    body = "%s\n& {\n%s\n} -Seconds 600 -Ports '50000,50001,50002,50003' -StateFile '%s' -Token '%s'\n" % (
        line, listener, "C:\\Users\\svc-ansible\\AppData\\Local\\Temp\\webroot-verify-abcdefgh\\state.json", token)
    marker = base64.b64encode(line.encode("utf-16-le")).decode()
    encoded = base64.b64encode(body.encode("utf-16-le")).decode()
    assert encoded.startswith(marker) and "=" not in marker
    command = "powershell.exe -NoLogo -NoProfile -NonInteractive -EncodedCommand " + encoded
    assert len(command) < 32000


def test_verify_listener_text_has_no_requires_and_handles_constrained_language():
    """The listener runs as a script block (& { ... }), where #Requires has no place,
    and reports ConstrainedLanguage mode instead of failing silently."""
    listener = _read("webroot_verify_listen.ps1")
    assert "#Requires" not in listener
    assert "LanguageMode -ne 'FullLanguage'" in listener


def test_port_check_ps1_never_shows_the_proxy_credentials():
    """Security finding 4, Windows side: ``proxy`` is no_log in the spec, every message
    that shows the URL given passes it through Get-RedactedUrl (the counterpart of
    portcheck.redact_url), and results and runtime messages name the proxy by its
    credential-free host:port (``shown``), never by a URL that held them."""
    code = _code_only(_port_check_ps1())
    assert "proxy = @{ type = 'str'; no_log = $true }" in code
    split = _function(code, "Split-UrlUserInfo")
    assert "LastIndexOf('@')" in split and "IndexOf('://')" in split
    assert "return (Split-UrlUserInfo -Url $Url)[0]" in _function(code, "Get-RedactedUrl")
    # The URL as given is only matched, or shown through Get-RedactedUrl.
    uses = [line.strip() for line in code.splitlines() if "$proxyUrl" in line]
    allowed = ("$proxyUrl = [string]$module.Params.proxy",
               "$shownUrl = Get-RedactedUrl -Url $proxyUrl",
               "$userInfo = (Split-UrlUserInfo -Url $proxyUrl)[1]")
    assert uses and all(line in allowed for line in uses), uses
    text = _port_check_ps1()  # not _code_only: a message below holds a '#'
    validation = text[text.index("if ($module.Params.proxy) {"):text.index("$outcome = @{}")]
    messages = [line.strip() for line in validation.splitlines() if "Exit-Invalid" in line]
    assert len(messages) >= 3 and all("$shownUrl" in line for line in messages), messages
    # Results and runtime messages use the host:port kept in $proxy.shown.
    assert "url =" not in validation and ".url" not in code
    assert "$where = 'proxy {0}' -f $Proxy.shown" in code
    assert "$proxyShown = $proxy.shown" in code
    assert "Proxy-Authorization: $($Proxy.auth)" in code  # the credentials go to the proxy only


# Issue 23 item 4: refused and filtered told apart from Windows sources.
# Windows resends a SYN answered with a reset and reports WSAECONNREFUSED only after its
# retries (nmap#2113, nmap#1945, curl#14144), so port_check.ps1 sets SIO_TCP_INITIAL_RTO
# on every socket. The constants below are restated from Microsoft's docs and headers
# (mstcpip.h), not from the script: the test fails if the script drifts from them.
SIO_TCP_INITIAL_RTO = 0x98000011  # _WSAIOW(IOC_VENDOR, 17)
TCP_INITIAL_RTO_UNSPECIFIED_RTT = 0xFFFF  # USHORT
TCP_INITIAL_RTO_NO_SYN_RETRANSMISSIONS = 0xFE  # (UCHAR)-2


def _ps_byte_array(values):
    return "[byte[]]@(%s)" % ", ".join("0x%02X" % v for v in values)


def test_port_check_ps1_sets_sio_tcp_initial_rto_with_the_documented_code_and_bytes():
    code = _code_only(_port_check_ps1())
    # Socket.IOControl(Int32, Byte[], Byte[]) takes the code as a signed 32-bit value.
    signed = SIO_TCP_INITIAL_RTO - (1 << 32)
    assert signed == -1744830447
    assert "[int]$script:sioTcpInitialRto = %d\n" % signed in code
    # TCP_INITIAL_RTO_PARAMETERS {USHORT Rtt; UCHAR MaxSynRetransmissions;}: 4 bytes with
    # the padding, little-endian; Rtt unspecified (the system's), no SYN retransmissions.
    rtt = [TCP_INITIAL_RTO_UNSPECIFIED_RTT & 0xFF, TCP_INITIAL_RTO_UNSPECIFIED_RTT >> 8]
    assert "$script:rtoNoSynRetransmissions = %s\n" % _ps_byte_array(rtt + [TCP_INITIAL_RTO_NO_SYN_RETRANSMISSIONS, 0]) in code
    # Before build 16299 (Go's SupportTCPInitialRTONoSYNRetransmissions) one retransmission.
    assert "$script:rtoOneSynRetransmission = %s\n" % _ps_byte_array(rtt + [1, 0]) in code
    assert "if ($script:windowsBuild -ge 16299) {\n    $script:rtoBytes = $script:rtoNoSynRetransmissions\n    $script:rstNote = $null\n" in code
    setter = _function(code, "Set-SynRetransmission")
    assert "[void]$Socket.IOControl($script:sioTcpInitialRto, $script:rtoBytes, $null)" in setter
    # The build comes from the registry (Environment.OSVersion is shimmed), OSVersion only as fallback.
    build = _function(code, "Get-WindowsBuild")
    assert "'HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion', 'CurrentBuildNumber'" in build
    assert build.index("Registry]::GetValue") < build.index("OSVersion")


def test_port_check_ps1_falls_back_and_says_so_where_the_ioctl_fails():
    code = _code_only(_port_check_ps1())
    setter = _function(code, "Set-SynRetransmission")
    # The IOControl is in a try; its failure is remembered (no other socket tries) and named.
    body = setter[setter.index("try {"):]
    assert body.index("IOControl(") < body.index("catch {")
    catch = body[body.index("catch {"):]
    assert "$script:rtoBytes = $null" in catch
    assert "$script:rstNote = 'SIO_TCP_INITIAL_RTO failed on this host: {0}'" in catch
    assert "return $false" in catch
    assert "if ($null -eq $script:rtoBytes) {\n        return $false\n    }" in setter
    # Detectable only when no note was set (build >= 16299 and the IOControl worked).
    assert setter.rstrip().endswith("return ($null -eq $script:rstNote)\n}")
    # Every direct connect goes through Start-Connect, which sets it before ConnectAsync.
    start = _function(code, "Start-Connect")
    assert start.index("$Job.rst = Set-SynRetransmission -Socket $Job.client.Client") < start.index(".ConnectAsync(")
    assert code.count(".ConnectAsync(") == 2  # Start-Connect, and the proxy tunnel
    assert _function(code, "Open-ProxyTunnel").count(".ConnectAsync(") == 1
    # The result says it: rst_detectable per target, and the error of a silent target.
    assert "rst_detectable = $out.rst_detectable" in code
    silence = _function(code, "Get-SilenceText")
    assert "if ($RstDetectable -is [bool] -and -not $RstDetectable) {" in silence
    assert "cannot tell a reset from no answer" in silence and "may be closed rather than filtered" in silence
    assert "Get-SilenceText -Text ('no answer within {0}s' -f $timeout) -RstDetectable $job.rst" in code
    assert "$text = Get-SilenceText -Text $text -RstDetectable $Job.rst" in _function(code, "Complete-Connect")
    assert "$warning = 'this Windows host cannot tell a reset from no answer ({0}): ' -f $script:rstNote" in code
    assert "$module.Warn($warning + 'a target that reads filtered may be a closed port" in code
    # Proxied and unresolved targets made no direct connection: null, not a claim either way.
    assert code.count("rst_detectable = $null") == 2


def test_port_check_ps1_retries_a_lost_syn_once_within_the_deadline():
    """A SYN that is never resent is not resent when lost either: one new attempt when the
    system gave up on it (TimedOut), only on such sockets, only with 100 ms left."""
    complete = _function(_code_only(_port_check_ps1()), "Complete-Connect")
    assert ("if ($Retry -and $timedOut -and $Job.rst -and $Job.attempts -lt 2 -and "
            "($Deadline - $clock.Elapsed.TotalMilliseconds) -ge 100) {\n"
            "            return (Start-Connect -Job $Job)") in complete
    assert "$timedOut = ($null -ne $socketError) -and ($socketError.SocketErrorCode.ToString() -eq 'TimedOut')" in complete


def test_port_check_ps1_wave_loop_is_bounded_by_its_deadline_only():
    """Issue 23 item 8: the wait of a wave ends at its deadline or when every connect has
    finished, never after a count of rounds; nothing starts after the deadline; a connect
    that finished by then keeps its answer."""
    code = _code_only(_port_check_ps1())
    tcp = code[code.index("for ($offset = 0; $offset -lt $jobs.Count; $offset += $used) {"):code.index("$results = ")]
    assert "$rounds" not in code
    assert "    while ($waiting.Count -gt 0) {\n" \
           "        $remaining = [int][Math]::Ceiling($deadline - $clock.Elapsed.TotalMilliseconds)\n" \
           "        if ($remaining -le 0) {\n            break\n        }\n" in tcp
    assert "[void][System.Threading.Tasks.Task]::WaitAny($pendingTasks.ToArray(), $remaining)" in tcp
    assert "Start-Sleep -Milliseconds ([Math]::Min(10, $remaining))" in tcp
    after = tcp[tcp.index("    foreach ($job in $waiting) {\n        if ($job.task.IsCompleted) {"):]
    assert "[void](Complete-Connect -Job $job -Deadline $deadline -Retry $false)" in after
    # Connects start before the deadline is set (Start-Connect), and in the wait loop only
    # through the retry, which needs 100 ms left.
    assert tcp.count("Start-Connect -Job") == 1
    assert tcp.index("Start-Connect -Job $job") < tcp.index("$deadline = $clock.Elapsed.TotalMilliseconds + $timeoutMs")


def test_port_check_ps1_reads_timeout_invariantly_as_a_double():
    """Issue 23 item 8: Ansible.Basic's 'float' is float.Parse(value.ToString()) in the
    current culture (ParseFloat, ansible-core module_utils/csharp/Ansible.Basic.cs)."""
    code = _code_only(_port_check_ps1())
    assert "[double]$module.Params.timeout" not in code and "$module.Params.timeout" not in code
    assert "$rawParams = [Ansible.Basic.AnsibleModule]::GetParams($args)" in code
    assert "$timeout = ConvertTo-Seconds -Value $rawTimeout\n" in code
    # Create parses under the invariant culture, and the caller's culture comes back.
    create = code[code.index("$callerCulture = "):code.index("Function Get-ElapsedMs")]
    assert ("[System.Threading.Thread]::CurrentThread.CurrentCulture = [System.Globalization.CultureInfo]::InvariantCulture\n"
            "try {\n    $module = [Ansible.Basic.AnsibleModule]::Create($args, $spec)\n}\nfinally {\n"
            "    [System.Threading.Thread]::CurrentThread.CurrentCulture = $callerCulture\n}") in create
    assert code.count("[Ansible.Basic.AnsibleModule]::Create(") == 1
    seconds = _function(code, "ConvertTo-Seconds")
    assert ("[double]::TryParse($Value.Trim(), [System.Globalization.NumberStyles]::Float, $invariant, [ref]$parsed)"
            in seconds)
    assert "$invariant = [System.Globalization.CultureInfo]::InvariantCulture" in seconds
    assert "return [double]$spec.options.timeout.default" in seconds
    assert "if ($Value -is [bool]) {\n        return $null" in seconds
    assert "[double]::Parse($Value.ToString('R', $invariant), $invariant)" in seconds
    assert "[single]$" not in code and "[float]$" not in code

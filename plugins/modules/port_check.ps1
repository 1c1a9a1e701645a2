#!powershell

# Copyright: (c) 2026, webroot.enterprise contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

#AnsibleRequires -CSharpUtil Ansible.Basic

# Windows side of webroot.enterprise.port_check; the documentation is in port_check.py.
# Same options, same states, same results/summary shape as the Python implementation:
#   open       connection accepted
#   refused    ConnectionRefused / ConnectionReset (RST)
#   filtered   no answer before the deadline, HostUnreachable, NetworkUnreachable,
#              TimedOut, AccessDenied (ICMP unreachable/prohibited, local firewall)
#   unresolved the name does not resolve
# All connects of a wave (up to 'concurrency') are started with TcpClient.ConnectAsync
# and awaited against one deadline; TLS handshakes (SslStream, optionally through an
# HTTP CONNECT proxy) follow for the few targets that ask for them.
# Each socket is told not to resend its SYN after a reset (SIO_TCP_INITIAL_RTO, see
# Set-SynRetransmission), so that a closed port reads refused and not filtered; where
# Windows cannot do that, each result says so (rst_detectable: false).

$states = @('open', 'refused', 'filtered', 'unresolved')
$expectChoices = @('open', 'refused', 'filtered', 'unresolved', 'reachable')

$spec = @{
    options = @{
        targets = @{
            type = 'list'
            elements = 'dict'
            required = $true
            options = @{
                host = @{ type = 'str'; required = $true }
                port = @{ type = 'int'; required = $true }
                expect = @{ type = 'str' }
                tls = @{ type = 'bool'; default = $false }
                name = @{ type = 'str' }
            }
        }
        timeout = @{ type = 'float'; default = 2.0 }  # read again as a double: see $timeout below
        concurrency = @{ type = 'int'; default = 2048 }
        expect = @{ type = 'str'; default = 'open'; choices = $expectChoices }
        fail_on_mismatch = @{ type = 'bool'; default = $true }
        proxy = @{ type = 'str'; no_log = $true }
        tls_server_name = @{ type = 'str' }
        validate_certs = @{ type = 'bool'; default = $false }
        ca_path = @{ type = 'path' }
    }
    supports_check_mode = $true
}

# 'timeout' culture-invariantly and as a double. Ansible.Basic's 'float' option type is
# ParseFloat in Ansible.Basic.cs: float.Parse(value.ToString()), a [Single] parsed in the
# thread's current culture, so on a de-DE host the string '2.5' (what a template gave on
# ansible-core before 2.19) read as 25, and on fr-FR it failed; and a [Single] widened to
# [double] turns 0.1 into 0.100000001490116. So the options are parsed under the
# invariant culture (Create only; the culture is put back at once), and 'timeout' is read
# again from the raw parameters (AnsibleModule.GetParams, the same call Create makes),
# as a [double] parsed with CultureInfo.InvariantCulture (ConvertTo-Seconds below).
$rawTimeout = $null
try {
    $rawParams = [Ansible.Basic.AnsibleModule]::GetParams($args)
    if ($null -ne $rawParams -and $rawParams.Contains('timeout')) {
        $rawTimeout = $rawParams['timeout']
    }
}
catch {
    # Create below reads the same parameters and reports what is wrong with them.
    $rawTimeout = $null
}
$callerCulture = [System.Threading.Thread]::CurrentThread.CurrentCulture
[System.Threading.Thread]::CurrentThread.CurrentCulture = [System.Globalization.CultureInfo]::InvariantCulture
try {
    $module = [Ansible.Basic.AnsibleModule]::Create($args, $spec)
}
finally {
    [System.Threading.Thread]::CurrentThread.CurrentCulture = $callerCulture
}
$module.Result.changed = $false

$clock = [System.Diagnostics.Stopwatch]::StartNew()

Function Get-ElapsedMs {
    param([double]$Since)
    [Math]::Round($clock.Elapsed.TotalMilliseconds - $Since, 1)
}

Function Get-Summary {
    param([object[]]$Results, $ElapsedMs, $Concurrency)
    $summary = [ordered]@{ total = $Results.Count }
    foreach ($state in $states) {
        $summary[$state] = 0
    }
    $mismatches = [System.Collections.Generic.List[object]]@()
    $tlsFailed = 0
    foreach ($result in $Results) {
        $summary[$result.state] += 1
        if ($result.tls -and ($result.tls_ok -eq $false)) {
            $tlsFailed += 1
        }
        if (-not $result.ok) {
            # A mismatch is the result's own fields (the record is built once, below),
            # and tls_error only where TLS was asked for.
            $mismatch = [ordered]@{}
            foreach ($key in 'index', 'name', 'host', 'port', 'expected', 'state', 'error') {
                $mismatch[$key] = $result[$key]
            }
            $mismatch.tls_error = $null
            if ($result.tls) {
                $mismatch.tls_error = $result.tls_error
            }
            $mismatches.Add($mismatch)
        }
    }
    $summary.ok = $Results.Count - $mismatches.Count
    $summary.failed = $mismatches.Count
    $summary.tls_failed = $tlsFailed
    $summary.mismatches = @($mismatches)
    $summary.elapsed_ms = $ElapsedMs
    $summary.concurrency = $Concurrency
    $summary
}

Function Test-Expectation {
    param([string]$State, [string]$Expected)
    if ($Expected -eq 'reachable') {
        return ($State -eq 'open' -or $State -eq 'refused')
    }
    return ($State -eq $Expected)
}

Function ConvertTo-Seconds {
    # 'timeout' as a [double], or $null when it is not a number. A number comes from the
    # module's JSON as [int], [long], [decimal] (JavaScriptSerializer, .NET Framework) or
    # [double] (Newtonsoft.Json, PowerShell 7: Ansible.Basic.cs FromJson); a string is
    # parsed with NumberStyles.Float in CultureInfo.InvariantCulture, whatever the
    # host's culture ('2.5' is two and a half seconds on a de-DE host too). Not given:
    # the spec's default. (A [bool] is not a number, although it converts to one.)
    param($Value)
    $invariant = [System.Globalization.CultureInfo]::InvariantCulture
    if ($null -eq $Value) {
        return [double]$spec.options.timeout.default
    }
    if ($Value -is [bool]) {
        return $null
    }
    if ($Value -is [double] -or $Value -is [int] -or $Value -is [long] -or $Value -is [decimal]) {
        return [double]$Value
    }
    if ($Value -is [single]) {
        # The shortest text that reads back as this [Single] ('0.1'), read as a [double].
        return [double]::Parse($Value.ToString('R', $invariant), $invariant)
    }
    if ($Value -is [string]) {
        $parsed = 0.0
        if ([double]::TryParse($Value.Trim(), [System.Globalization.NumberStyles]::Float, $invariant, [ref]$parsed)) {
            return $parsed
        }
    }
    return $null
}

Function Exit-Invalid {
    param([string]$Message)
    $module.Result.results = @()
    $module.Result.summary = Get-Summary -Results @() -ElapsedMs 0 -Concurrency 0
    $module.FailJson($Message)
}

Function Split-UrlUserInfo {
    # @(URL without its user information, the user information or $null), as
    # portcheck._split_userinfo on POSIX: the user information is everything between
    # 'scheme://' and the last '@' (even when a password holds an unencoded '/', '@'
    # or '://'); a string without 'scheme://' (or with an '@' before it) loses
    # everything up to its last '@'.
    param([string]$Url)
    $prefix = ''
    $rest = $Url
    $schemeEnd = $Url.IndexOf('://')
    if ($schemeEnd -ge 0 -and $Url.Substring(0, $schemeEnd).IndexOf('@') -lt 0) {
        $prefix = $Url.Substring(0, $schemeEnd + 3)
        $rest = $Url.Substring($schemeEnd + 3)
    }
    $at = $rest.LastIndexOf('@')
    if ($at -lt 0) {
        return @(($prefix + $rest), $null)
    }
    return @(($prefix + $rest.Substring($at + 1)), $rest.Substring(0, $at))
}

Function Get-RedactedUrl {
    # The URL without its user name and password, for messages (portcheck.redact_url).
    param([string]$Url)
    return (Split-UrlUserInfo -Url $Url)[0]
}

Function Get-InnerSocketError {
    # Returns the SocketException inside an exception chain, or $null.
    param($Exception)
    $current = $Exception
    $depth = 0
    while ($null -ne $current -and $depth -lt 10) {
        if ($current -is [System.Net.Sockets.SocketException]) {
            return $current
        }
        if ($current -is [System.AggregateException] -and $current.InnerExceptions.Count -gt 0) {
            $current = $current.InnerExceptions[0]
        }
        else {
            $current = $current.InnerException
        }
        $depth += 1
    }
    return $null
}

Function Get-ConnectState {
    # Maps a connect failure to @(state, error text).
    param($Exception, [double]$TimeoutSeconds)
    $socketError = Get-InnerSocketError -Exception $Exception
    if ($null -eq $socketError) {
        $message = 'connection failed'
        if ($null -ne $Exception) {
            $message = $Exception.GetBaseException().Message
        }
        return @('filtered', $message)
    }
    $code = $socketError.SocketErrorCode
    switch ($code.ToString()) {
        'ConnectionRefused' { return @('refused', 'connection refused (RST)') }
        'ConnectionReset' { return @('refused', 'connection reset (RST)') }
        'TimedOut' { return @('filtered', ('no answer: the system gave up on the connection attempt before the {0}s timeout' -f $TimeoutSeconds)) }
        'HostUnreachable' { return @('filtered', ('host unreachable: {0}' -f $socketError.Message)) }
        'NetworkUnreachable' { return @('filtered', ('network unreachable: {0}' -f $socketError.Message)) }
        'HostDown' { return @('filtered', ('host down: {0}' -f $socketError.Message)) }
        'NetworkDown' { return @('filtered', ('network down: {0}' -f $socketError.Message)) }
        'AccessDenied' { return @('filtered', ('{0} (blocked by a local firewall rule)' -f $socketError.Message)) }
        'HostNotFound' { return @('unresolved', ('name does not resolve: {0}' -f $socketError.Message)) }
        'NoData' { return @('unresolved', ('name does not resolve: {0}' -f $socketError.Message)) }
    }
    return @('filtered', ('{0}: {1}' -f $code, $socketError.Message))
}

# --------------------------------------------------------------------------- #
# Resets seen as resets (SIO_TCP_INITIAL_RTO).
# --------------------------------------------------------------------------- #
# Windows does not report a reset to its SYN at once: it sends the SYN again and reports
# WSAECONNREFUSED only when every SYN got a reset, about a second apart by default. So
# within the 2 s default timeout a closed port read filtered, and from a Windows source a
# denied check could never see a reset (nmap#2113, comment of 2024-10-27: "If all of
# these retries receive RST before the connect timeout, we get WSACONNREFUSED"; nmap#1945;
# curl#14144: 2 s to be refused by 127.0.0.1).
# SIO_TCP_INITIAL_RTO sets the SYN retransmissions of one socket. Microsoft docs,
# "SIO_TCP_INITIAL_RTO control code" (WSAIoctl, input a TCP_INITIAL_RTO_PARAMETERS, no
# output) and "TCP_INITIAL_RTO_PARAMETERS structure (mstcpip.h)" (USHORT Rtt; UCHAR
# MaxSynRetransmissions; Windows 8 / Server 2012 and later; "TCP_INITIAL_RTO_NO_SYN_
# RETRANSMISSIONS to set the number of SYN retransmissions for a TCP socket to 0").
# That value is honoured from Windows 10 build 16299 (1709; Server 2019 is 17763): Go's
# net package sets it only there (src/internal/syscall/windows
# SupportTCPInitialRTONoSYNRetransmissions: major >= 10 && build >= 16299, used in
# src/net/fd_windows.go), and 1 before, "the minimum possible value before Windows
# 10.0.16299" (TCP_INITIAL_RTO_DEFAULT_MAX_SYN_RETRANSMISSIONS is 0: 0 means the default).
# This module does the same, on every socket before ConnectAsync:
#   SIO_TCP_INITIAL_RTO = _WSAIOW(IOC_VENDOR, 17) = 0x98000011, given as the signed Int32
#     that Socket.IOControl(Int32, Byte[], Byte[]) takes: -1744830447;
#   the structure, little-endian with its padding byte (sizeof is 4): Rtt =
#     TCP_INITIAL_RTO_UNSPECIFIED_RTT (0xFFFF: the system's, or the administrator's, RTT),
#     MaxSynRetransmissions = TCP_INITIAL_RTO_NO_SYN_RETRANSMISSIONS ((UCHAR)-2 = 0xFE),
#     or 1 before build 16299.
# Where the SYN is never resent, a reset reads refused whenever it comes in time:
# rst_detectable is true. Before build 16299 (one resend: the reset is reported after one
# retransmission timeout, about 1 s by default) and where the IOControl fails, a target
# that did not answer in time may be a closed port: rst_detectable is false, the error
# says so, and the module warns once.
# A SYN that is never resent is not resent when it is lost either: when the system gives
# up on its single SYN (TimedOut) while at least 100 ms remain before the deadline, the
# connect is started once more on a new socket (Complete-Connect), standing in for the
# retransmission.
[int]$script:sioTcpInitialRto = -1744830447
$script:rtoNoSynRetransmissions = [byte[]]@(0xFF, 0xFF, 0xFE, 0x00)
$script:rtoOneSynRetransmission = [byte[]]@(0xFF, 0xFF, 0x01, 0x00)

Function Get-WindowsBuild {
    # The build number, from the registry: Environment.OSVersion is shimmed to 6.2 for
    # processes whose manifest does not declare Windows 8.1 / 10, so it cannot be trusted
    # in every remoting host; it is only the fallback.
    try {
        $value = [Microsoft.Win32.Registry]::GetValue('HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Windows NT\CurrentVersion', 'CurrentBuildNumber', $null)
        $build = 0
        if ($null -ne $value -and [int]::TryParse([string]$value, [ref]$build)) {
            return $build
        }
    }
    catch {
        $null = $_
    }
    return [System.Environment]::OSVersion.Version.Build
}

$script:windowsBuild = Get-WindowsBuild
if ($script:windowsBuild -ge 16299) {
    $script:rtoBytes = $script:rtoNoSynRetransmissions
    $script:rstNote = $null
}
else {
    $script:rtoBytes = $script:rtoOneSynRetransmission
    $script:rstNote = 'Windows build {0} has no TCP_INITIAL_RTO_NO_SYN_RETRANSMISSIONS ' -f $script:windowsBuild
    $script:rstNote += '(build 16299, Windows 10 1709 / Server 2019, and later)'
}

Function Set-SynRetransmission {
    # SIO_TCP_INITIAL_RTO on $Socket (see above). Returns whether a reset is reported as
    # refused whenever it comes in time (rst_detectable). After one failure no other
    # socket tries (an exception per socket would cost time at thousands of targets).
    param([System.Net.Sockets.Socket]$Socket)
    if ($null -eq $script:rtoBytes) {
        return $false
    }
    try {
        [void]$Socket.IOControl($script:sioTcpInitialRto, $script:rtoBytes, $null)
    }
    catch {
        $script:rtoBytes = $null
        $script:rstNote = 'SIO_TCP_INITIAL_RTO failed on this host: {0}' -f $_.Exception.GetBaseException().Message
        return $false
    }
    return ($null -eq $script:rstNote)
}

Function Get-SilenceText {
    # The error of a target that did not answer; from a socket that cannot report a reset
    # in time, with why a closed port cannot be excluded.
    param([string]$Text, $RstDetectable)
    if ($RstDetectable -is [bool] -and -not $RstDetectable) {
        return ('{0}; this Windows host cannot tell a reset from no answer ({1}), so the port may be closed rather than filtered' -f $Text, $script:rstNote)
    }
    return $Text
}

Function Get-TlsVersionName {
    param($Protocol)
    switch ($Protocol.ToString()) {
        'Tls' { return 'TLSv1' }
        'Tls11' { return 'TLSv1.1' }
        'Tls12' { return 'TLSv1.2' }
        'Tls13' { return 'TLSv1.3' }
        'Ssl3' { return 'SSLv3' }
    }
    return $Protocol.ToString()
}

# TLS versions. Never SslProtocols.None (or SecurityProtocolType.SystemDefault):
# on .NET Framework 4.x, SslStream.AuthenticateAsClient throws ArgumentException for
# None when the process has system-default TLS versions disabled, whatever enums the
# runtime defines. That is the case for every process whose program targets a
# framework before 4.7 (Switch.System.Net.DontEnableSystemDefaultTlsVersions then
# defaults to true), e.g. the PSRemoting host of the psrp connection, whose
# ServicePointManager.SecurityProtocol reads Tls, Tls11, Tls12; the check is in the
# .NET Framework reference source, _SslState.ValidateCreateContext. Instead:
# - the operating system chooses, as Microsoft recommends, through the overload
#   without a protocol argument, AuthenticateAsClient(String, X509CertificateCollection,
#   Boolean) ("uses ... the system default SSL protocol"): it exists from .NET
#   Framework 4.7 (and in .NET Core 2.0+ / .NET 5+, PowerShell 7), not in 4.6.2 (the
#   framework Windows Server 2016 ships), so it is looked up by reflection. It is used
#   when the process lets the OS choose: always on .NET 5+, and on .NET Framework when
#   ServicePointManager.SecurityProtocol is SystemDefault (0), its default from 4.7
#   unless system-default versions are disabled;
# - otherwise (.NET Framework 4.6.2, or system-default versions disabled) the
#   4-argument overload gets TLS 1.2 explicitly: "If you can't avoid hardcoding a
#   protocol version, we strongly recommend that you specify TLS 1.2". (The overload
#   without a protocol would not throw there, but would offer only the versions the
#   framework picks, which are SSL 3.0 / TLS 1.0 when strong cryptography is off:
#   SslStream.DefaultProtocols() in the 4.6.2 reference source, and the docs'
#   Switch.System.Net.DontEnableSchUseStrongCrypto.)
# TLS 1.3 is never named explicitly, which is reported to fail with SslStream on
# .NET Framework 4.8 ("do not possess a common algorithm", dotnet/runtime#47457) and
# on Windows 10 21H1 (dotnet/runtime#53537); the OS offers it where it can.
# Microsoft documentation:
# - SslStream.AuthenticateAsClient overloads and the frameworks each applies to:
#   https://learn.microsoft.com/dotnet/api/system.net.security.sslstream.authenticateasclient
# - ServicePointManager.SecurityProtocol ("Starting with the .NET Framework 4.7, the
#   default value of this property is SecurityProtocolType.SystemDefault"):
#   https://learn.microsoft.com/dotnet/api/system.net.servicepointmanager.securityprotocol
# - Transport Layer Security (TLS) best practices with the .NET Framework (SslStream:
#   don't use the overloads that take SslProtocols; DontEnableSystemDefaultTlsVersions;
#   hardcode TLS 1.2 if anything): https://learn.microsoft.com/dotnet/framework/network-programming/tls
$script:tlsDefaultOverload = [System.Net.Security.SslStream].GetMethod('AuthenticateAsClient', [Type[]]@([string], [System.Security.Cryptography.X509Certificates.X509CertificateCollection], [bool]))
$script:tlsOsDefault = ($null -ne $script:tlsDefaultOverload) -and ([int]([System.Net.ServicePointManager]::SecurityProtocol) -eq 0)
$script:tlsFallbackProtocols = [System.Security.Authentication.SslProtocols]::Tls12

Function Get-TlsCipherName {
    # The negotiated cipher suite.
    # - .NET Core 3.0+ / .NET 5+ (PowerShell 7): SslStream.NegotiatedCipherSuite, the
    #   IANA name (TLS_AES_256_GCM_SHA384, TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384).
    # - .NET Framework (Windows PowerShell 5.1) does not expose the suite, only its
    #   algorithms: the value is then built from them in the IANA shape as far as they
    #   tell it, TLS_<key exchange>_WITH_<cipher>_<hash> (TLS_ECDHE_WITH_AES_256_SHA384),
    #   without the authentication algorithm and the mode (GCM, CBC) that .NET Framework
    #   does not report; port_check.py documents the difference.
    param($SslStream)
    $property = $SslStream.PSObject.Properties['NegotiatedCipherSuite']
    if ($null -ne $property -and $null -ne $property.Value) {
        return $property.Value.ToString()
    }
    $exchange = switch ([int]$SslStream.KeyExchangeAlgorithm) {
        0 { $null }            # None: TLS 1.3, or not reported
        41984 { 'RSA' }        # CALG_RSA_KEYX
        43522 { 'DHE' }        # CALG_DH_EPHEM
        44550 { 'ECDHE' }      # CALG_ECDH_EPHEM (no name in the .NET Framework enum)
        43525 { 'ECDH' }       # CALG_ECDH
        default { 'KX{0}' -f [int]$SslStream.KeyExchangeAlgorithm }
    }
    $cipher = switch ($SslStream.CipherAlgorithm.ToString()) {
        'Aes128' { 'AES_128' }
        'Aes192' { 'AES_192' }
        'Aes256' { 'AES_256' }
        'TripleDes' { '3DES_EDE' }
        'Des' { 'DES' }
        'Rc4' { 'RC4_128' }
        'Rc2' { 'RC2' }
        'Null' { 'NULL' }
        default { $SslStream.CipherAlgorithm.ToString().ToUpperInvariant() }
    }
    $hash = switch ($SslStream.HashAlgorithm.ToString()) {
        'Sha1' { 'SHA' }
        'Md5' { 'MD5' }
        'Sha256' { 'SHA256' }
        'Sha384' { 'SHA384' }
        'Sha512' { 'SHA512' }
        '32780' { 'SHA256' }   # CALG_SHA_256 without an enum name on older frameworks
        '32781' { 'SHA384' }   # CALG_SHA_384
        '32782' { 'SHA512' }   # CALG_SHA_512
        'None' { $null }
        default { $SslStream.HashAlgorithm.ToString().ToUpperInvariant() }
    }
    $name = 'TLS_{0}' -f $cipher
    if ($exchange) {
        $name = 'TLS_{0}_WITH_{1}' -f $exchange, $cipher
    }
    if ($hash) {
        $name = '{0}_{1}' -f $name, $hash
    }
    return $name
}

Function Resolve-OneAddress {
    # An IP literal, or the name resolved within the timeout: IPv4 first, else the
    # first address (the same choice as for direct targets). Returns @(address, error).
    param([string]$Name, [double]$TimeoutSeconds)
    $literal = $null
    if ([System.Net.IPAddress]::TryParse($Name, [ref]$literal)) {
        return @($literal, $null)
    }
    try {
        $lookup = [System.Net.Dns]::GetHostAddressesAsync($Name)
        $bound = [Math]::Max(5.0, $TimeoutSeconds)
        if (-not $lookup.Wait([int]($bound * 1000))) {
            return @($null, ('name resolution did not finish within {0}s' -f $bound))
        }
        $addresses = @($lookup.Result)
    }
    catch {
        return @($null, ('name does not resolve: {0}' -f $_.Exception.GetBaseException().Message))
    }
    if ($addresses.Count -eq 0) {
        return @($null, 'name does not resolve: no address')
    }
    $chosen = $addresses | Where-Object { $_.AddressFamily -eq [System.Net.Sockets.AddressFamily]::InterNetwork } | Select-Object -First 1
    if ($null -eq $chosen) {
        $chosen = $addresses[0]
    }
    return @($chosen, $null)
}

Function Get-EmptyTlsField {
    [ordered]@{
        tls_ok = $null
        tls_version = $null
        tls_cipher = $null
        tls_error = $null
        tls_cert_sha256 = $null
        tls_elapsed_ms = $null
    }
}

Function Invoke-TlsHandshake {
    # TLS handshake over a connected TcpClient; the client is closed afterwards.
    param(
        [System.Net.Sockets.TcpClient]$Client,
        [System.IO.Stream]$Stream,
        [string]$ServerName,
        [bool]$ValidateCerts,
        [double]$TimeoutSeconds
    )
    $info = Get-EmptyTlsField
    $info.tls_ok = $false
    $started = $clock.Elapsed.TotalMilliseconds
    $timeoutMs = [int][Math]::Ceiling($TimeoutSeconds * 1000)
    $sslStream = $null
    try {
        $Client.ReceiveTimeout = $timeoutMs
        $Client.SendTimeout = $timeoutMs
        $Stream.ReadTimeout = $timeoutMs
        $Stream.WriteTimeout = $timeoutMs
        if ($ValidateCerts) {
            $callback = [System.Net.Security.RemoteCertificateValidationCallback]{
                param($callbackSender, $certificate, $chain, $sslPolicyErrors)
                return ($sslPolicyErrors -eq [System.Net.Security.SslPolicyErrors]::None)
            }
        }
        else {
            $callback = [System.Net.Security.RemoteCertificateValidationCallback]{
                param($callbackSender, $certificate, $chain, $sslPolicyErrors)
                return $true
            }
        }
        $sslStream = New-Object -TypeName System.Net.Security.SslStream -ArgumentList $Stream, $false, $callback
        if ($script:tlsOsDefault) {
            # The operating system chooses (see $script:tlsOsDefault above).
            $sslStream.AuthenticateAsClient($ServerName, $null, $false)
        }
        else {
            $sslStream.AuthenticateAsClient($ServerName, $null, $script:tlsFallbackProtocols, $false)
        }
        $info.tls_ok = $true
        $info.tls_version = Get-TlsVersionName -Protocol $sslStream.SslProtocol
        $info.tls_cipher = Get-TlsCipherName -SslStream $sslStream
        if ($null -ne $sslStream.RemoteCertificate) {
            $sha = [System.Security.Cryptography.SHA256]::Create()
            try {
                $digest = $sha.ComputeHash($sslStream.RemoteCertificate.GetRawCertData())
                $info.tls_cert_sha256 = ([System.BitConverter]::ToString($digest) -replace '-', '').ToLowerInvariant()
            }
            finally {
                $sha.Dispose()
            }
        }
    }
    catch {
        $exception = $_.Exception
        $socketError = Get-InnerSocketError -Exception $exception
        if ($null -ne $socketError -and $socketError.SocketErrorCode.ToString() -eq 'TimedOut') {
            $info.tls_error = 'TLS handshake timed out after {0}s' -f $TimeoutSeconds
        }
        elseif ($exception.GetBaseException() -is [System.Security.Authentication.AuthenticationException]) {
            $info.tls_error = 'TLS handshake failed: {0}' -f $exception.GetBaseException().Message
        }
        else {
            $info.tls_error = 'TLS handshake failed: {0}' -f $exception.GetBaseException().Message
        }
    }
    finally {
        $info.tls_elapsed_ms = Get-ElapsedMs -Since $started
        if ($null -ne $sslStream) {
            $sslStream.Dispose()
        }
        $Client.Close()
    }
    $info
}

Function Open-ProxyTunnel {
    # CONNECT host:port through the proxy. Returns a hashtable with state, error,
    # elapsed_ms and (when state is open) client and stream.
    param($Proxy, [string]$TargetHost, [int]$Port, [double]$TimeoutSeconds)
    $started = $clock.Elapsed.TotalMilliseconds
    $timeoutMs = [int][Math]::Ceiling($TimeoutSeconds * 1000)
    $where = 'proxy {0}' -f $Proxy.shown
    $outcome = @{ state = 'filtered'; error = $null; elapsed_ms = $null; client = $null; stream = $null }
    # TcpClient() is IPv4-only on .NET Framework: resolve first and open a socket of
    # the address's own family, so that a proxy reached over IPv6 works as on POSIX.
    $resolvedProxy = Resolve-OneAddress -Name $Proxy.host -TimeoutSeconds $TimeoutSeconds
    if ($null -eq $resolvedProxy[0]) {
        $outcome.state = 'unresolved'
        $outcome.error = '{0} does not resolve: {1}' -f $where, $resolvedProxy[1]
        $outcome.elapsed_ms = Get-ElapsedMs -Since $started
        return $outcome
    }
    $client = New-Object -TypeName System.Net.Sockets.TcpClient -ArgumentList $resolvedProxy[0].AddressFamily
    try {
        $task = $client.ConnectAsync($resolvedProxy[0], $Proxy.port)
        $finished = $false
        try {
            $finished = $task.Wait($timeoutMs)
        }
        catch {
            $finished = $true
        }
        if (-not $finished) {
            $outcome.error = '{0}: no answer within {1}s' -f $where, $TimeoutSeconds
            $client.Close()
            return $outcome
        }
        if ($task.IsFaulted) {
            $failure = Get-ConnectState -Exception $task.Exception -TimeoutSeconds $TimeoutSeconds
            if ($failure[0] -eq 'unresolved') {
                $outcome.state = 'unresolved'
                $outcome.error = '{0} does not resolve: {1}' -f $where, $failure[1]
            }
            else {
                $outcome.error = '{0} unreachable: {1}' -f $where, $failure[1]
            }
            $client.Close()
            return $outcome
        }
        $stream = $client.GetStream()
        $stream.ReadTimeout = $timeoutMs
        $stream.WriteTimeout = $timeoutMs
        if ($TargetHost.Contains(':')) {
            $authority = '[{0}]:{1}' -f $TargetHost, $Port
        }
        else {
            $authority = '{0}:{1}' -f $TargetHost, $Port
        }
        $request = "CONNECT $authority HTTP/1.1`r`nHost: $authority`r`n"
        if ($null -ne $Proxy.auth) {
            $request += "Proxy-Authorization: $($Proxy.auth)`r`n"
        }
        $request += "`r`n"
        $bytes = [System.Text.Encoding]::ASCII.GetBytes($request)
        $stream.Write($bytes, 0, $bytes.Length)
        $stream.Flush()
        # Read the answer byte by byte so nothing of the tunnel is consumed.
        $answer = New-Object -TypeName System.Text.StringBuilder
        $deadline = $clock.Elapsed.TotalMilliseconds + $timeoutMs
        while ($answer.Length -lt 16384) {
            if ($clock.Elapsed.TotalMilliseconds -gt $deadline) {
                throw (New-Object -TypeName System.TimeoutException -ArgumentList 'no CONNECT answer')
            }
            $byte = $stream.ReadByte()
            if ($byte -lt 0) {
                break
            }
            [void]$answer.Append([char]$byte)
            if ($answer.Length -ge 4 -and $answer.ToString($answer.Length - 4, 4) -eq "`r`n`r`n") {
                break
            }
        }
        $text = $answer.ToString()
        $statusLine = ($text -split "`r`n")[0].Trim()
        if ($text.EndsWith("`r`n`r`n") -and $statusLine -match '^HTTP/\S+\s+2\d\d') {
            $outcome.state = 'open'
            $outcome.client = $client
            $outcome.stream = $stream
            return $outcome
        }
        if (-not $statusLine) {
            $statusLine = 'no answer (connection closed)'
        }
        $outcome.error = '{0} refused the tunnel: {1}' -f $where, $statusLine
        $client.Close()
    }
    catch {
        $socketError = Get-InnerSocketError -Exception $_.Exception
        if (($_.Exception -is [System.TimeoutException]) -or ($null -ne $socketError -and $socketError.SocketErrorCode.ToString() -eq 'TimedOut')) {
            $outcome.error = '{0}: no CONNECT answer within {1}s' -f $where, $TimeoutSeconds
        }
        else {
            $outcome.error = '{0}: {1}' -f $where, $_.Exception.GetBaseException().Message
        }
        $client.Close()
    }
    finally {
        $outcome.elapsed_ms = Get-ElapsedMs -Since $started
    }
    $outcome
}

# --------------------------------------------------------------------------- #
# Validation (before any connection), same messages as the Python side.
# --------------------------------------------------------------------------- #
$timeout = ConvertTo-Seconds -Value $rawTimeout
if ($null -eq $timeout) {
    Exit-Invalid -Message ("timeout: '{0}' is not a number of seconds" -f $rawTimeout)
}
if (-not ($timeout -gt 0) -or $timeout -gt 3600) {
    $shownTimeout = $timeout.ToString([System.Globalization.CultureInfo]::InvariantCulture)
    Exit-Invalid -Message ("timeout: {0} must be greater than 0 and at most 3600 seconds" -f $shownTimeout)
}
$concurrency = [int]$module.Params.concurrency
if ($concurrency -lt 1) {
    Exit-Invalid -Message ("concurrency: {0} must be at least 1" -f $concurrency)
}
$defaultExpect = $module.Params.expect
# Ansible.Basic accepts choices in any case (Ansible.Basic.cs compares them with
# StringComparer.OrdinalIgnoreCase) while AnsibleModule on POSIX does not: the values
# are lowercase on both, so 'Open' is refused here as it is there.
if ($expectChoices -cnotcontains $defaultExpect) {
    Exit-Invalid -Message ("value of expect must be one of: {0}, got: {1}" -f ($expectChoices -join ', '), $defaultExpect)
}
$validateCerts = [bool]$module.Params.validate_certs
$tlsServerName = $module.Params.tls_server_name
$failOnMismatch = [bool]$module.Params.fail_on_mismatch
if ($validateCerts -and $module.Params.ca_path) {
    $module.Warn('ca_path is not supported on Windows; the system certificate store is used')
}

$errors = [System.Collections.Generic.List[string]]@()
$items = [System.Collections.Generic.List[object]]@()
$index = 0
foreach ($target in $module.Params.targets) {
    $where = 'targets[{0}]' -f $index
    $targetHost = ''
    if ($null -ne $target.host) {
        $targetHost = ([string]$target.host).Trim()
    }
    if ($targetHost.StartsWith('[') -and $targetHost.EndsWith(']')) {
        $targetHost = $targetHost.Substring(1, $targetHost.Length - 2)
    }
    if (-not $targetHost) {
        $errors.Add(('{0}.host: must not be empty' -f $where))
    }
    $port = $target.port
    if ($null -eq $port -or $port -lt 1 -or $port -gt 65535) {
        $errors.Add(('{0}.port: {1} is outside 1-65535' -f $where, $port))
    }
    $expect = $target.expect
    if (-not $expect) {
        $expect = $defaultExpect
    }
    elseif ($expectChoices -cnotcontains $expect) {
        # -cnotcontains: case-sensitive, as on POSIX (see $defaultExpect above).
        $errors.Add(("{0}.expect: '{1}' is not one of {2}" -f $where, $expect, ($expectChoices -join ', ')))
    }
    $items.Add(@{
            index = $index
            name = $target.name
            host = $targetHost
            port = $port
            expect = $expect
            tls = [bool]$target.tls
        })
    $index += 1
}
if ($errors.Count -gt 0) {
    Exit-Invalid -Message ('invalid targets: ' + ($errors -join '; '))
}

$proxy = $null
if ($module.Params.proxy) {
    # proxy is no_log (it may hold a password). Messages show the URL only through
    # Get-RedactedUrl, and results and runtime messages name the proxy by host:port
    # ($proxy.shown), which never contains the http:// URL given, so Ansible's no_log
    # masking does not hide it (as portcheck.parse_proxy does on POSIX).
    $proxyUrl = [string]$module.Params.proxy
    $shownUrl = Get-RedactedUrl -Url $proxyUrl
    $userInfo = (Split-UrlUserInfo -Url $proxyUrl)[1]
    if ($null -ne $userInfo -and $userInfo.IndexOfAny([char[]]'/?#') -ge 0) {
        Exit-Invalid -Message ("proxy: '{0}' is not a valid URL (a '/', '?' or '#' in the user name or password must be percent-encoded)" -f $shownUrl)
    }
    $pattern = '^http://(?<host>\[[^\]/]+\]|[^:/@\[\]]+):(?<port>\d+)/?$'
    $match = [regex]::Match($shownUrl, $pattern)
    if (-not $match.Success) {
        Exit-Invalid -Message ("proxy: '{0}' must be an http:// URL with a port (http://host:port)" -f $shownUrl)
    }
    $proxyPort = [int]$match.Groups['port'].Value
    if ($proxyPort -lt 1 -or $proxyPort -gt 65535) {
        Exit-Invalid -Message ("proxy: '{0}' has a port outside 1-65535" -f $shownUrl)
    }
    $proxyHost = $match.Groups['host'].Value
    $auth = $null
    if ($null -ne $userInfo) {
        $separator = $userInfo.IndexOf(':')
        $password = ''
        $user = $userInfo
        if ($separator -ge 0) {
            $user = $userInfo.Substring(0, $separator)
            $password = $userInfo.Substring($separator + 1)
        }
        $user = [System.Uri]::UnescapeDataString($user)
        $password = [System.Uri]::UnescapeDataString($password)
        $auth = 'Basic ' + [System.Convert]::ToBase64String([System.Text.Encoding]::UTF8.GetBytes(('{0}:{1}' -f $user, $password)))
    }
    $proxy = @{
        host = $proxyHost.Trim('[', ']')
        port = $proxyPort
        auth = $auth
        shown = '{0}:{1}' -f $proxyHost, $proxyPort
    }
}

# --------------------------------------------------------------------------- #
# Name resolution: each distinct name once, all lookups in flight together.
# --------------------------------------------------------------------------- #
$outcome = @{}
$direct = [System.Collections.Generic.List[object]]@()
foreach ($item in $items) {
    if (-not ($item.tls -and $null -ne $proxy)) {
        $direct.Add($item)
    }
}

$resolved = @{}
$lookups = @{}
foreach ($item in $direct) {
    $name = $item.host
    if ($resolved.ContainsKey($name) -or $lookups.ContainsKey($name)) {
        continue
    }
    $literal = $null
    if ([System.Net.IPAddress]::TryParse($name, [ref]$literal)) {
        $resolved[$name] = @{ address = $literal; error = $null }
        continue
    }
    try {
        $lookups[$name] = [System.Net.Dns]::GetHostAddressesAsync($name)
    }
    catch {
        $resolved[$name] = @{ address = $null; error = ('name does not resolve: {0}' -f $_.Exception.GetBaseException().Message) }
    }
}
if ($lookups.Count -gt 0) {
    $resolveBound = [Math]::Max(5.0, $timeout)
    $lookupTasks = [System.Threading.Tasks.Task[]]@($lookups.Values)
    try {
        [void][System.Threading.Tasks.Task]::WaitAll($lookupTasks, [int]($resolveBound * 1000))
    }
    catch {
        # Faulted lookups are inspected one by one below.
        $null = $_
    }
    foreach ($name in @($lookups.Keys)) {
        $task = $lookups[$name]
        if (-not $task.IsCompleted) {
            $resolved[$name] = @{ address = $null; error = ('name resolution did not finish within {0}s' -f $resolveBound) }
        }
        elseif ($task.IsFaulted -or $task.IsCanceled -or $task.Result.Count -eq 0) {
            $message = 'no address'
            if ($task.IsFaulted) {
                $message = $task.Exception.GetBaseException().Message
            }
            $resolved[$name] = @{ address = $null; error = ('name does not resolve: {0}' -f $message) }
        }
        else {
            $addresses = @($task.Result)
            $chosen = $addresses | Where-Object { $_.AddressFamily -eq [System.Net.Sockets.AddressFamily]::InterNetwork } | Select-Object -First 1
            if ($null -eq $chosen) {
                $chosen = $addresses[0]
            }
            $resolved[$name] = @{ address = $chosen; error = $null }
        }
    }
}

# --------------------------------------------------------------------------- #
# TCP phase: waves of up to 'concurrency' ConnectAsync calls against one deadline.
# --------------------------------------------------------------------------- #
Function Start-Connect {
    # Opens a socket of the address's family for $Job, sets its SYN retransmissions
    # (Set-SynRetransmission) and starts ConnectAsync. Returns $true when the connect is
    # in flight; otherwise its failure is in $outcome.
    param($Job)
    $item = $Job.item
    $Job.attempts += 1
    $Job.client = $null
    try {
        $Job.client = New-Object -TypeName System.Net.Sockets.TcpClient -ArgumentList $Job.address.AddressFamily
        $Job.rst = Set-SynRetransmission -Socket $Job.client.Client
        $Job.task = $Job.client.ConnectAsync($Job.address, [int]$item.port)
        return $true
    }
    catch {
        $failure = Get-ConnectState -Exception $_.Exception -TimeoutSeconds $timeout
        $outcome[$item.index] = @{
            state = $failure[0]; error = $failure[1]; elapsed_ms = (Get-ElapsedMs -Since $Job.started)
            address = $Job.address.ToString(); client = $null; rst_detectable = $Job.rst
        }
        if ($null -ne $Job.client) {
            $Job.client.Close()
        }
        return $false
    }
}

Function Complete-Connect {
    # Records in $outcome what the finished connect of $Job found. With -Retry, a connect
    # whose single SYN the system gave up on (TimedOut, on a socket that never resends
    # it: rst_detectable) is started once more while at least 100 ms remain before
    # -Deadline (see SIO_TCP_INITIAL_RTO above). Returns $true when $Job is in flight again.
    param($Job, [double]$Deadline, [bool]$Retry)
    $item = $Job.item
    $task = $Job.task
    if ($task.IsFaulted -or $task.IsCanceled) {
        $Job.client.Close()
        $socketError = Get-InnerSocketError -Exception $task.Exception
        $timedOut = ($null -ne $socketError) -and ($socketError.SocketErrorCode.ToString() -eq 'TimedOut')
        if ($Retry -and $timedOut -and $Job.rst -and $Job.attempts -lt 2 -and ($Deadline - $clock.Elapsed.TotalMilliseconds) -ge 100) {
            return (Start-Connect -Job $Job)
        }
        $failure = Get-ConnectState -Exception $task.Exception -TimeoutSeconds $timeout
        $text = $failure[1]
        if ($timedOut) {
            $text = Get-SilenceText -Text $text -RstDetectable $Job.rst
        }
        $outcome[$item.index] = @{
            state = $failure[0]; error = $text; elapsed_ms = (Get-ElapsedMs -Since $Job.started)
            address = $Job.address.ToString(); client = $null; rst_detectable = $Job.rst
        }
        return $false
    }
    $keptClient = $null
    if ($item.tls) {
        $keptClient = $Job.client
    }
    else {
        $Job.client.Close()
    }
    $outcome[$item.index] = @{
        state = 'open'; error = $null; elapsed_ms = (Get-ElapsedMs -Since $Job.started)
        address = $Job.address.ToString(); client = $keptClient; rst_detectable = $Job.rst
    }
    return $false
}

$jobs = [System.Collections.Generic.List[object]]@()
foreach ($item in $direct) {
    $answer = $resolved[$item.host]
    if ($null -eq $answer.address) {
        $outcome[$item.index] = @{ state = 'unresolved'; error = $answer.error; elapsed_ms = 0.0; address = $null; client = $null; rst_detectable = $null }
        continue
    }
    $jobs.Add(@{ item = $item; address = $answer.address; client = $null; task = $null; started = 0.0; attempts = 0; rst = $false })
}
$used = [Math]::Max(1, [Math]::Min($concurrency, [Math]::Max(1, $jobs.Count)))
$timeoutMs = [int][Math]::Ceiling($timeout * 1000)

# Each wave: its connects are started, then awaited until they have all finished or its
# deadline (timeout after the last start) has passed, whichever is first. The wait is
# bounded by that deadline alone (it used to stop after as many rounds as the wave had
# connects, which a WaitAny that returned early could reach before the deadline, so
# connects still in time were reported "no answer"); no connect starts after it (the one
# retry of Complete-Connect needs 100 ms left); and once it has passed, a connect that
# finished meanwhile keeps its answer, only the others read filtered. The next wave
# starts only after this one is over, so at most 'concurrency' connects are in flight.
for ($offset = 0; $offset -lt $jobs.Count; $offset += $used) {
    $last = [Math]::Min($jobs.Count, $offset + $used) - 1
    $waiting = [System.Collections.Generic.List[object]]@()
    foreach ($job in $jobs[$offset..$last]) {
        $job.started = $clock.Elapsed.TotalMilliseconds
        if (Start-Connect -Job $job) {
            $waiting.Add($job)
        }
    }
    $deadline = $clock.Elapsed.TotalMilliseconds + $timeoutMs
    while ($waiting.Count -gt 0) {
        $remaining = [int][Math]::Ceiling($deadline - $clock.Elapsed.TotalMilliseconds)
        if ($remaining -le 0) {
            break
        }
        $pendingTasks = New-Object -TypeName 'System.Collections.Generic.List[System.Threading.Tasks.Task]'
        foreach ($job in $waiting) {
            $pendingTasks.Add($job.task)
        }
        try {
            [void][System.Threading.Tasks.Task]::WaitAny($pendingTasks.ToArray(), $remaining)
        }
        catch {
            # Not expected (no task is null); wait a little rather than spin, within the deadline.
            Start-Sleep -Milliseconds ([Math]::Min(10, $remaining))
        }
        $still = [System.Collections.Generic.List[object]]@()
        foreach ($job in $waiting) {
            if (-not $job.task.IsCompleted) {
                $still.Add($job)
            }
            elseif (Complete-Connect -Job $job -Deadline $deadline -Retry $true) {
                $still.Add($job)
            }
        }
        $waiting = $still
    }
    foreach ($job in $waiting) {
        if ($job.task.IsCompleted) {
            [void](Complete-Connect -Job $job -Deadline $deadline -Retry $false)
            continue
        }
        $item = $job.item
        $text = Get-SilenceText -Text ('no answer within {0}s' -f $timeout) -RstDetectable $job.rst
        $outcome[$item.index] = @{
            state = 'filtered'; error = $text; elapsed_ms = (Get-ElapsedMs -Since $job.started)
            address = $job.address.ToString(); client = $null; rst_detectable = $job.rst
        }
        $job.client.Close()
    }
}
if ($null -ne $script:rstNote -and $jobs.Count -gt 0) {
    $warning = 'this Windows host cannot tell a reset from no answer ({0}): ' -f $script:rstNote
    $module.Warn($warning + 'a target that reads filtered may be a closed port (results[].rst_detectable is false)')
}

# --------------------------------------------------------------------------- #
# TLS phase (and proxied targets), then results in input order.
# --------------------------------------------------------------------------- #
$results = [System.Collections.Generic.List[object]]@()
foreach ($item in $items) {
    $tlsFields = Get-EmptyTlsField
    $proxyShown = $null
    if ($item.tls -and $null -ne $proxy) {
        $proxyShown = $proxy.shown
        $tunnel = Open-ProxyTunnel -Proxy $proxy -TargetHost $item.host -Port $item.port -TimeoutSeconds $timeout
        $out = @{ state = $tunnel.state; error = $tunnel.error; elapsed_ms = $tunnel.elapsed_ms; address = $null; rst_detectable = $null }
        if ($tunnel.state -eq 'open') {
            $serverName = $tlsServerName
            if (-not $serverName) {
                $serverName = $item.host
            }
            $tlsFields = Invoke-TlsHandshake -Client $tunnel.client -Stream $tunnel.stream -ServerName $serverName -ValidateCerts $validateCerts -TimeoutSeconds $timeout
        }
        else {
            $tlsFields.tls_ok = $false
            $tlsFields.tls_error = 'TLS not attempted: {0}' -f $tunnel.error
        }
    }
    else {
        $out = $outcome[$item.index]
        if ($item.tls) {
            if ($null -ne $out.client) {
                $serverName = $tlsServerName
                if (-not $serverName) {
                    $serverName = $item.host
                }
                $tlsFields = Invoke-TlsHandshake -Client $out.client -Stream $out.client.GetStream() -ServerName $serverName -ValidateCerts $validateCerts -TimeoutSeconds $timeout
            }
            else {
                $tlsFields.tls_ok = $false
                $tlsFields.tls_error = 'TLS not attempted: port is {0}' -f $out.state
            }
        }
    }
    $ok = Test-Expectation -State $out.state -Expected $item.expect
    if ($item.tls -and $out.state -eq 'open' -and -not $tlsFields.tls_ok) {
        $ok = $false
    }
    $result = [ordered]@{
        index = $item.index
        name = $item.name
        host = $item.host
        address = $out.address
        port = $item.port
        state = $out.state
        expected = $item.expect
        ok = $ok
        elapsed_ms = $out.elapsed_ms
        error = $out.error
        tls = $item.tls
        proxy = $proxyShown
        rst_detectable = $out.rst_detectable
    }
    foreach ($key in $tlsFields.Keys) {
        $result[$key] = $tlsFields[$key]
    }
    $results.Add($result)
}

$summary = Get-Summary -Results @($results) -ElapsedMs ([Math]::Round($clock.Elapsed.TotalMilliseconds, 1)) -Concurrency $used
$module.Result.results = @($results)
$module.Result.summary = $summary

if ($summary.failed -gt 0 -and $failOnMismatch) {
    $parts = [System.Collections.Generic.List[string]]@()
    foreach ($mismatch in ($summary.mismatches | Select-Object -First 20)) {
        $endpoint = '{0}:{1}' -f $mismatch.host, $mismatch.port
        if ($mismatch.name) {
            $label = 'targets[{0}] ({1}, {2})' -f $mismatch.index, $mismatch.name, $endpoint
        }
        else {
            $label = 'targets[{0}] ({1})' -f $mismatch.index, $endpoint
        }
        if ((Test-Expectation -State $mismatch.state -Expected $mismatch.expected) -and $mismatch.tls_error) {
            $parts.Add(('{0}: port open but TLS failed: {1}' -f $label, $mismatch.tls_error))
        }
        else {
            $text = '{0}: expected {1}, got {2}' -f $label, $mismatch.expected, $mismatch.state
            if ($mismatch.error) {
                $text += ' ({0})' -f $mismatch.error
            }
            $parts.Add($text)
        }
    }
    if ($summary.failed -gt 20) {
        $parts.Add(('... and {0} more' -f ($summary.failed - 20)))
    }
    $module.FailJson(('{0} of {1} targets did not meet their expectation: {2}' -f $summary.failed, $summary.total, ($parts -join '; ')))
}

$module.Result.msg = '{0} of {1} targets met their expectation' -f $summary.ok, $summary.total
$module.ExitJson()

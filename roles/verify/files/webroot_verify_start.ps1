# Copyright: (c) 2026, webroot.enterprise contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Run by ansible.windows.win_powershell: starts the temporary listener (the text of
# webroot_verify_listen.ps1, passed in -Listener) in a new powershell.exe with
# Win32_Process.Create, so that it outlives the WinRM session, waits (bounded) for
# its state file in -Dir and returns it.
#
# No script file is run: the listener goes in -EncodedCommand, the way Ansible runs
# its own PowerShell, so an execution policy set by Group Policy (AllSigned,
# RemoteSigned: it applies to script files, not to -EncodedCommand / -Command) and
# AppLocker/WDAC path rules on %TEMP% do not stop it. -Dir only holds the JSON
# state file. The command line starts with a marker derived from -Token (see
# Get-ListenerMarker), by which webroot_verify_stop.ps1 recognises the process.
param(
    [Parameter(Mandatory = $true)][string]$Dir,
    # One hour at most: PowerShell refuses anything else when it binds the
    # parameters, before a port is bound (the role checks the same bound first).
    [Parameter(Mandatory = $true)][ValidateRange(1, 3600)][int]$Seconds,
    [Parameter(Mandatory = $true)][string]$Ports,
    [Parameter(Mandatory = $true)][string]$Token,
    [Parameter(Mandatory = $true)][string]$Listener
)
$ErrorActionPreference = 'Stop'
$Ansible.Changed = $false

if ($ExecutionContext.SessionState.LanguageMode -ne 'FullLanguage') {
    throw ('PowerShell runs in {0} mode on this host (AppLocker or WDAC script enforcement): the temporary listeners of webroot.enterprise.verify need FullLanguage. Run the verify role with verify_listeners: false (the checks then expect a Webroot service, or nothing, on each port), or allow the listener by a signed-script policy.' -f $ExecutionContext.SessionState.LanguageMode)
}

Function Get-ListenerMarker {
    # Base64 of the command's first line. The line is padded to a multiple of three
    # characters (six UTF-16 bytes), so its Base64 is a prefix of the Base64 of the
    # whole command whatever follows: the stop script computes the same marker.
    param([string]$Token)
    $line = '# webroot.enterprise.verify listener {0}' -f $Token
    while (($line.Length % 3) -ne 0) {
        $line += ' '
    }
    return @{
        line = $line
        base64 = [Convert]::ToBase64String([Text.Encoding]::Unicode.GetBytes($line))
    }
}

$state = Join-Path -Path $Dir -ChildPath 'state.json'
$marker = Get-ListenerMarker -Token $Token
# PowerShell ends a single-quoted string at any of five quote characters, the
# typographic ones too (U+2018, U+2019, U+201A, U+201B: a profile path such as
# C:\Users\O<U+2019>Brien\AppData\Local\Temp), and doubling any of them escapes it:
# PowerShell's own CodeGeneration.EscapeSingleQuotedStringContent doubles all five.
$quote = {
    param([string]$Text)
    "'" + [System.Management.Automation.Language.CodeGeneration]::EscapeSingleQuotedStringContent($Text) + "'"
}
$body = "{0}`n& {{`n{1}`n}} -Seconds {2} -Ports {3} -StateFile {4} -Token {5}`n" -f $marker.line, $Listener, $Seconds,
    (& $quote $Ports), (& $quote $state), (& $quote $Token)
$encoded = [Convert]::ToBase64String([Text.Encoding]::Unicode.GetBytes($body))
$command = 'powershell.exe -NoLogo -NoProfile -NonInteractive -EncodedCommand {0}' -f $encoded
if ($command.Length -gt 32000) {
    throw "The listener command is $($command.Length) characters long, more than Windows accepts (32767)"
}
$created = Invoke-CimMethod -ClassName Win32_Process -MethodName Create -Arguments @{ CommandLine = $command }
if ($created.ReturnValue -ne 0) {
    throw "Win32_Process.Create failed with code $($created.ReturnValue) starting the temporary listener"
}
$deadline = [DateTime]::UtcNow.AddSeconds(30)
while (-not (Test-Path -LiteralPath $state)) {
    if ([DateTime]::UtcNow -gt $deadline) {
        Stop-Process -Id $created.ProcessId -Force -ErrorAction SilentlyContinue
        throw "The temporary listener (pid $($created.ProcessId)) did not start within 30 seconds"
    }
    Start-Sleep -Milliseconds 200
}
$found = Get-Content -LiteralPath $state -Raw | ConvertFrom-Json
[PSCustomObject]@{
    pid = [int]$found.pid
    bound = @($found.bound | ForEach-Object { [int]$_ })
    busy = @($found.busy | ForEach-Object { [int]$_ })
    errors = $found.errors
    token = $found.token
}

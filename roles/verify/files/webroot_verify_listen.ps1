# Copyright: (c) 2026, webroot.enterprise contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
<#
.SYNOPSIS
Temporary TCP listeners for the webroot.enterprise.verify role (Windows hosts).

.DESCRIPTION
Binds every port of -Ports (comma separated) that is free with
System.Net.Sockets.TcpListener (a port already in use is left alone and reported as
busy), writes {pid, bound, busy, errors, token} as JSON to -StateFile, then accepts
and closes connections until -Seconds have passed, and exits.

Never run from a file: webroot_verify_start.ps1 passes this text to a new
powershell.exe with -EncodedCommand (outside the WinRM session), so no script file
exists in %TEMP% for an execution policy or an AppLocker/WDAC path rule to block.
Stopped by webroot_verify_stop.ps1. Needs PowerShell's FullLanguage mode; where
AppLocker or WDAC script enforcement puts unsigned code in ConstrainedLanguage
mode, it binds nothing and says so for every port in 'errors'.
#>
param(
    # One hour at most: PowerShell refuses anything else when it binds the
    # parameters, before a port is bound (the role checks the same bound first).
    [Parameter(Mandatory = $true)][ValidateRange(1, 3600)][int]$Seconds,
    [Parameter(Mandatory = $true)][string]$Ports,
    [Parameter(Mandatory = $true)][string]$StateFile,
    [Parameter(Mandatory = $true)][string]$Token
)
if ($ExecutionContext.SessionState.LanguageMode -ne 'FullLanguage') {
    # Only cmdlets and hashtables here: they work in ConstrainedLanguage mode too.
    $message = 'PowerShell runs in {0} mode on this host (AppLocker or WDAC script enforcement); the temporary listener needs FullLanguage' -f $ExecutionContext.SessionState.LanguageMode
    $failed = @{}
    foreach ($item in ($Ports -split ',')) {
        if ($item) {
            $failed[$item] = $message
        }
    }
    $state = @{ pid = $PID; bound = @(); busy = @(); errors = $failed; token = $Token }
    ConvertTo-Json -InputObject $state -Compress | Set-Content -LiteralPath "$StateFile.tmp" -Encoding ASCII
    Move-Item -LiteralPath "$StateFile.tmp" -Destination $StateFile -Force
    return
}
$ErrorActionPreference = 'Stop'
$deadline = [DateTime]::UtcNow.AddSeconds($Seconds)
$listeners = New-Object System.Collections.Generic.List[System.Net.Sockets.TcpListener]
$bound = New-Object System.Collections.Generic.List[int]
$busy = New-Object System.Collections.Generic.List[int]
$errors = @{}

foreach ($item in ($Ports -split ',' | Where-Object { $_ -ne '' } | Sort-Object -Unique)) {
    $port = [int]$item
    $listener = New-Object System.Net.Sockets.TcpListener -ArgumentList ([System.Net.IPAddress]::IPv6Any), $port
    try {
        $listener.Server.DualMode = $true  # IPv4 too
        $listener.ExclusiveAddressUse = $true
        $listener.Start(128)
        $listeners.Add($listener)
        $bound.Add($port)
    }
    catch {
        $listener.Stop()
        $inner = $_.Exception
        while ($inner.InnerException) { $inner = $inner.InnerException }
        if ($inner -is [System.Net.Sockets.SocketException] -and $inner.SocketErrorCode -eq 'AddressAlreadyInUse') {
            $busy.Add($port)
        }
        else {
            $errors["$port"] = $inner.Message
        }
    }
}

$state = [ordered]@{
    pid = $PID
    bound = [int[]]$bound.ToArray()
    busy = [int[]]$busy.ToArray()
    errors = $errors
    token = $Token
}
$tmp = "$StateFile.tmp"
ConvertTo-Json -InputObject $state -Compress | Set-Content -LiteralPath $tmp -Encoding ASCII
Move-Item -LiteralPath $tmp -Destination $StateFile -Force

try {
    while ([DateTime]::UtcNow -lt $deadline -and $listeners.Count -gt 0) {
        $accepted = $false
        foreach ($listener in $listeners) {
            while ($listener.Pending()) {
                $client = $listener.AcceptTcpClient()
                $client.Close()
                $accepted = $true
            }
        }
        if (-not $accepted) {
            Start-Sleep -Milliseconds 100
        }
    }
}
finally {
    foreach ($listener in $listeners) {
        $listener.Stop()
    }
}

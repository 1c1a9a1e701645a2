# Copyright: (c) 2026, webroot.enterprise contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Run by ansible.windows.win_powershell: ends the temporary listener started with
# -Token (only a process whose command line carries the token's marker is stopped:
# webroot_verify_start.ps1 starts it with -EncodedCommand, whose Base64 begins with
# the marker), waits for it (bounded), removes -Dir, and reports whether it is still
# alive and which of -Ports still listen.
param(
    [Parameter(Mandatory = $true)][int]$ProcessId,
    [Parameter(Mandatory = $true)][string]$Token,
    [Parameter(Mandatory = $true)][AllowEmptyString()][string]$Ports,
    [Parameter(Mandatory = $true)][string]$Dir
)
$ErrorActionPreference = 'Stop'
$Ansible.Changed = $false

Function Get-ListenerMarker {
    # The same as in webroot_verify_start.ps1.
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
$marker = (Get-ListenerMarker -Token $Token).base64

function Test-OurListener {
    $process = Get-CimInstance -ClassName Win32_Process -Filter "ProcessId = $ProcessId" -ErrorAction SilentlyContinue
    return [bool]($process -and $process.CommandLine -and $process.CommandLine.Contains($marker))
}

$stopped = $false
if (Test-OurListener) {
    Stop-Process -Id $ProcessId -Force -ErrorAction SilentlyContinue
    $stopped = $true
    $deadline = [DateTime]::UtcNow.AddSeconds(10)
    while ((Test-OurListener) -and [DateTime]::UtcNow -lt $deadline) {
        Start-Sleep -Milliseconds 100
    }
}
$alive = Test-OurListener
$wanted = @($Ports -split ',' | Where-Object { $_ -ne '' } | ForEach-Object { [int]$_ })
$remaining = @(Get-NetTCPConnection -State Listen -ErrorAction SilentlyContinue |
    Where-Object { $wanted -contains [int]$_.LocalPort } |
    ForEach-Object { [int]$_.LocalPort } | Sort-Object -Unique)
if (-not $alive) {
    Remove-Item -LiteralPath $Dir -Recurse -Force -ErrorAction SilentlyContinue
}
[PSCustomObject]@{
    pid = $ProcessId
    stopped = $stopped
    alive = $alive
    remaining = $remaining
}

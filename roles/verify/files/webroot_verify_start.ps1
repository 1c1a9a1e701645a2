# Copyright: (c) 2026, webroot.enterprise contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Run by ansible.windows.win_powershell: starts webroot_verify_listen.ps1 (copied to
# -Dir) with Win32_Process.Create, so that it outlives the WinRM session, waits
# (bounded) for its state file and returns it.
param(
    [Parameter(Mandatory = $true)][string]$Dir,
    [Parameter(Mandatory = $true)][int]$Seconds,
    [Parameter(Mandatory = $true)][string]$Ports,
    [Parameter(Mandatory = $true)][string]$Token
)
$ErrorActionPreference = 'Stop'
$Ansible.Changed = $false
$script = Join-Path -Path $Dir -ChildPath 'webroot_verify_listen.ps1'
$state = Join-Path -Path $Dir -ChildPath 'state.json'
$command = 'powershell.exe -NoLogo -NoProfile -NonInteractive -ExecutionPolicy Bypass -File "{0}" -Seconds {1} -Ports "{2}" -StateFile "{3}" -Token "{4}"' -f $script, $Seconds, $Ports, $state, $Token
$created = Invoke-CimMethod -ClassName Win32_Process -MethodName Create -Arguments @{ CommandLine = $command }
if ($created.ReturnValue -ne 0) {
    throw "Win32_Process.Create failed with code $($created.ReturnValue): $command"
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

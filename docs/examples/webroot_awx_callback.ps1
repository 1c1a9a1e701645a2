<#
.SYNOPSIS
    Asks AWX / Automation Platform to run the Webroot workstation job for this
    computer: the job template's provisioning callback.

.DESCRIPTION
    A Group Policy startup script (Computer Configuration > Policies > Windows
    Settings > Scripts (Startup/Shutdown) > Startup > PowerShell Scripts), so that
    a workstation that was off during the nightly run catches up at its next start,
    the way Group Policy itself does. See docs/awx.md.

    It waits (a bounded time) for the WinRM service, since the job AWX starts connects
    back to this computer over WinRM/PSRP, then sends one request:

        POST <AwxUrl>/api/v2/job_templates/<JobTemplateId>/callback/
        Content-Type: application/json

        {"host_config_key":"<HostConfigKey>"}

    AWX finds the host by the address the request comes from (its reverse DNS name,
    or the inventory's names resolved forward) and starts the job limited to it.
    AWX answers 201 or 202 when the job is started, 400 when it is already pending for
    this host (done too) or when no single host matches this computer, 403 for a wrong
    host config key. Other failures (no network yet, AWX busy) are retried.

    Runs as SYSTEM. Writes one line per event to the log and to the output. Exit
    code 0 when AWX started the job or one is pending, 1 otherwise.

.PARAMETER AwxUrl
    The AWX / Automation Platform address, https only: https://awx.corp.example.test

.PARAMETER JobTemplateId
    The id of the workstation job template (the number in its callback URL).

.PARAMETER HostConfigKey
    The job template's Host Config Key.

.EXAMPLE
    Script Parameters, in the Group Policy Management Editor:
    -AwxUrl https://awx.corp.example.test -JobTemplateId 42 -HostConfigKey 5d1f0c9e3b8a4f2e
#>
[CmdletBinding()]
param (
    [Parameter(Mandatory = $true)]
    [string]$AwxUrl,

    [Parameter(Mandatory = $true)]
    [int]$JobTemplateId,

    [Parameter(Mandatory = $true)]
    [string]$HostConfigKey,

    # Within Group Policy's limit for startup scripts (600 s unless changed): at most
    # WinRMWaitSeconds + Attempts * (TimeoutSeconds + DelaySeconds).
    [int]$WinRMWaitSeconds = 120,
    [int]$Attempts = 5,
    [int]$TimeoutSeconds = 20,
    [int]$DelaySeconds = 30,

    [string]$LogPath = (Join-Path -Path $env:ProgramData -ChildPath 'Webroot-AWX\callback.log')
)

$ErrorActionPreference = 'Stop'

Function Write-CallbackLog {
    param ([string]$Message)
    $line = '{0} {1}' -f (Get-Date -Format 'yyyy-MM-ddTHH:mm:ssK'), $Message
    try {
        $directory = Split-Path -Path $LogPath -Parent
        if (-not (Test-Path -LiteralPath $directory)) {
            New-Item -ItemType Directory -Path $directory -Force | Out-Null
        }
        Add-Content -LiteralPath $LogPath -Value $line -Encoding UTF8
    }
    catch {
        # A log that cannot be written never stops the callback.
        $null = $_
    }
    Write-Output $line
}

# The host config key must not travel in clear text.
if ($AwxUrl -notmatch '^https://') {
    Write-CallbackLog -Message ('refused: AwxUrl must start with https:// (got {0}); nothing was sent' -f $AwxUrl)
    exit 1
}

# Windows PowerShell 5.1 on an older .NET Framework may offer TLS 1.0 and 1.1 only:
# add TLS 1.2 to what the process allows (nothing is taken away).
[Net.ServicePointManager]::SecurityProtocol = [Net.ServicePointManager]::SecurityProtocol -bor [Net.SecurityProtocolType]::Tls12

# The job connects back over WinRM/PSRP: give the service (often a delayed start)
# a bounded time to run before asking for the job.
$deadline = (Get-Date).AddSeconds($WinRMWaitSeconds)
while ((Get-Date) -lt $deadline) {
    $service = Get-Service -Name 'WinRM' -ErrorAction SilentlyContinue
    if ($null -ne $service -and $service.Status -eq 'Running') {
        break
    }
    Start-Sleep -Seconds 5
}

# The request: AWX's provisioning callback of the job template.
$uri = '{0}/api/v2/job_templates/{1}/callback/' -f $AwxUrl.TrimEnd('/'), $JobTemplateId
$body = @{ host_config_key = $HostConfigKey } | ConvertTo-Json -Compress

for ($attempt = 1; $attempt -le $Attempts; $attempt++) {
    $status = 0
    $answer = ''
    try {
        $response = Invoke-WebRequest -Uri $uri -Method Post -ContentType 'application/json' -Body $body -UseBasicParsing -TimeoutSec $TimeoutSeconds
        # Any 2xx: AWX answers 201 Created (202 Accepted before) with the job's address.
        Write-CallbackLog -Message ('job started ({0}): {1}' -f [int]$response.StatusCode, $response.Headers['Location'])
        exit 0
    }
    catch {
        $answer = $_.Exception.Message
        if ($null -ne $_.Exception.Response) {
            $status = [int]$_.Exception.Response.StatusCode
        }
        if ($null -ne $_.ErrorDetails -and $_.ErrorDetails.Message) {
            $answer = $_.ErrorDetails.Message
        }
    }

    if ($status -eq 400 -and $answer -match 'already pending') {
        Write-CallbackLog -Message ('a job for this computer is already pending: {0}' -f $answer)
        exit 0
    }
    if ($status -eq 403) {
        Write-CallbackLog -Message ('refused (403): wrong host config key, or callbacks are off for job template {0}: {1}' -f $JobTemplateId, $answer)
        exit 1
    }
    if ($status -eq 400) {
        Write-CallbackLog -Message ('refused (400): {0} (AWX matches this computer by the address of the request; see docs/awx.md)' -f $answer)
        exit 1
    }
    Write-CallbackLog -Message ('attempt {0} of {1} failed ({2}): {3}' -f $attempt, $Attempts, $status, $answer)
    if ($attempt -lt $Attempts) {
        Start-Sleep -Seconds $DelaySeconds
    }
}
exit 1

[CmdletBinding()]
param (
    [Parameter(Mandatory = $true)]
    [String]
    $Group,

    [String[]]
    $DisplayName = @()
)
# Read-only: every rule of our group, and every rule (any group) whose display name
# matches one of the patterns (wildcards, case-insensitive), with its remote
# addresses. Windows allows several rules with one name; each is returned.
$Ansible.Changed = $false
$found = @(Get-NetFirewallRule -Group $Group -ErrorAction SilentlyContinue)
if ($DisplayName.Count -gt 0) {
    $found += @(Get-NetFirewallRule -DisplayName $DisplayName -ErrorAction SilentlyContinue)
}
$found | Sort-Object -Property Name -Unique | ForEach-Object {
    $addresses = @($_ | Get-NetFirewallAddressFilter | ForEach-Object { $_.RemoteAddress })
    [PSCustomObject]@{
        Name          = [String]$_.Name
        DisplayName   = [String]$_.DisplayName
        Group         = [String]$_.Group
        Direction     = [String]$_.Direction
        Enabled       = ([String]$_.Enabled -eq 'True')
        RemoteAddress = [String[]]@($addresses | ForEach-Object { [String]$_ })
    }
}

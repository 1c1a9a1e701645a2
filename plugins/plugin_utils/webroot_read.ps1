[CmdletBinding(SupportsShouldProcess = $true)]
param (
    [String]
    $Group = '',

    [String]
    $Prefix = ''
)
# webroot.enterprise: the one read of a host's Windows Firewall, passed inline to
# ansible.windows.win_powershell by the action plugins (plugins/plugin_utils/engine.py)
# with depth 3 and error_action stop. Read-only, one object out:
#   Rules           every rule whose Grouping is $Group or whose Name starts with
#                   $Prefix (both without case), with the COM properties
#                   community.windows.win_firewall_rule compares
#   PolicyRules     the same selection among the rules Group Policy supplies (the
#                   RSOP store): never taken for ours, whether FwPolicy2.Rules lists
#                   them or not (docs/windows.md, "Rules Group Policy supplies")
#   Profiles        Domain, Private, Public as they are in force (ActiveStore: Group
#                   Policy over local): firewall on, local rules applied, inbound
#                   allow rules applied
#   CurrentProfiles the profiles in force now
#   MpsSvc          the firewall service's status
#
# The output's shape decides the depth: win_powershell converts what a script writes
# with Convert-OutputObject at `depth`, the output list counting as one level
# (ansible.windows win_powershell.ps1 @ 3.3.0, lines 286-418 and 907). This object is
# level 1, its lists level 2, the rules and profiles in them level 3: at the default
# depth 2 every rule would arrive as its [string] ("@{Name=...; ...}"). Every value
# below a rule or profile is a string, a number, a bool or $null (never an enum, a
# list or an object), so depth 3 brings all of it back whole; the controller checks
# the shape (plugins/plugin_utils/winread.py) and fails, naming the host, otherwise.
#
# SupportsShouldProcess: win_powershell skips a script in check mode unless its
# CmdletBinding has it (win_powershell.ps1 @ 3.3.0, lines 568-593), then runs it with
# -WhatIf (lines 832-836); nothing here changes anything, so the read runs in check
# mode too. Runs on Windows PowerShell 5.1 and PowerShell 7 alike.
#
# Errors: with error_action stop every error ends the script and fails the task
# (win_powershell.ps1 @ 3.3.0, lines 672-677 and 843-855), so a partial read is never
# taken for a whole one. Under WDAC/AppLocker script enforcement, win_powershell runs
# an inline script in ConstrainedLanguage (lines 595 and 761-781): New-Object
# -ComObject is refused there and the task fails with PowerShell's own "language mode"
# error, which the controller recognises and names.
$Ansible.Changed = $false

# The firewall service: with MpsSvc stopped the COM calls below fail with RPC errors
# (EPT_S_NOT_REGISTERED, 0x800706D9) that do not say why; say it here. Microsoft does
# not support stopping it ("turn the firewall features off without stopping the
# service": https://learn.microsoft.com/en-us/previous-versions/windows/it-pro/windows-server-2008-r2-and-2008/cc733422(v=ws.10)).
$service = Get-Service -Name MpsSvc
if ($service.Status -ne 'Running') {
    throw "webroot.enterprise: the Windows Defender Firewall service (MpsSvc) is $($service.Status), not Running"
}

# The COM objects win_firewall_rule reads and changes (win_firewall_rule.ps1 of
# community.windows 3.1.0, lines 175-185), enumerated once. Values are kept as COM
# gives them ($null stays $null): the controller compares them as the module does.
$fw = New-Object -ComObject HNetCfg.FwPolicy2
$properties = @(
    'Name', 'Description', 'ApplicationName', 'ServiceName', 'Protocol', 'LocalPorts', 'RemotePorts',
    'LocalAddresses', 'RemoteAddresses', 'Direction', 'Action', 'Enabled', 'Grouping', 'Profiles',
    'InterfaceTypes', 'EdgeTraversal'
)
$ignoreCase = [StringComparison]::OrdinalIgnoreCase
$rules = foreach ($rule in $fw.Rules) {
    $inGroup = $Group -and [String]::Equals([String]$rule.Grouping, $Group, $ignoreCase)
    $named = $Prefix -and ([String]$rule.Name).StartsWith($Prefix, $ignoreCase)
    if ($inGroup -or $named) {
        $values = [Ordered]@{}
        foreach ($property in $properties) {
            $values[$property] = $rule.$property
        }
        [PSCustomObject]$values
    }
}

# Rules Group Policy supplies (Get-NetFirewallRule -PolicyStore RSOP: "the sum of all
# GPOs applied to the computer",
# https://learn.microsoft.com/en-us/powershell/module/netsecurity/get-netfirewallrule).
# DisplayName is the COM Name, Group the COM Grouping; Action Allow is 2 in NetSecurity
# and 1 in COM (NET_FW_ACTION_ALLOW), Direction Inbound/Outbound is 1/2 in both.
$policyRules = foreach ($rule in @(Get-NetFirewallRule -PolicyStore RSOP)) {
    $inGroup = $Group -and [String]::Equals([String]$rule.Group, $Group, $ignoreCase)
    $named = $Prefix -and ([String]$rule.DisplayName).StartsWith($Prefix, $ignoreCase)
    if ($inGroup -or $named) {
        [PSCustomObject]@{
            Name      = [String]$rule.DisplayName
            Grouping  = [String]$rule.Group
            Action    = if ([String]$rule.Action -eq 'Allow') { 1 } else { 0 }
            Direction = if ([String]$rule.Direction -eq 'Outbound') { 2 } else { 1 }
        }
    }
}

# Per profile, the state in force: Get-NetFirewallProfile -PolicyStore ActiveStore
# ("the currently active policy ... the sum of all policy stores that apply to the
# computer", https://learn.microsoft.com/en-us/powershell/module/netsecurity/get-netfirewallprofile),
# so Group Policy (and MDM) win over the local setting that INetFwPolicy2 reports
# ("the effective result may differ due to group policy"). GpoBoolean values:
# - Enabled False: the firewall is off in that profile;
# - AllowLocalFirewallRules False: Group Policy's "Apply local firewall rules: No"
#   (AllowLocalPolicyMerge = 0, [MS-GPFAS] 2.2.3.13): local rules are ignored;
# - AllowInboundRules False: "Block all incoming connections, including those in the
#   list of allowed apps" (Group Policy's DoNotAllowExceptions, INetFwPolicy2
#   BlockAllInboundTraffic): no inbound allow rule takes effect.
# NotConfigured cannot stay in the ActiveStore; were it there, it reads as the Windows
# default (True), which is what applies when nothing configures a setting.
$profiles = foreach ($fwProfile in @(Get-NetFirewallProfile -PolicyStore ActiveStore)) {
    [PSCustomObject]@{
        Profile           = [String]$fwProfile.Name
        Enabled           = [String]$fwProfile.Enabled -ne 'False'
        AllowLocalRules   = [String]$fwProfile.AllowLocalFirewallRules -ne 'False'
        AllowInboundRules = [String]$fwProfile.AllowInboundRules -ne 'False'
    }
}

# NET_FW_PROFILE_TYPE2: Domain 1, Private 2, Public 4.
$current = [int]$fw.CurrentProfileTypes
$profileBits = [Ordered]@{ Domain = 1; Private = 2; Public = 4 }

[PSCustomObject]@{
    Rules           = @($rules)
    PolicyRules     = @($policyRules)
    Profiles        = @($profiles)
    CurrentProfiles = @($profileBits.Keys | Where-Object { $current -band $profileBits[$_] })
    MpsSvc          = [String]$service.Status
}

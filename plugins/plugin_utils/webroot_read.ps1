[CmdletBinding(SupportsShouldProcess = $true)]
param (
    [String]
    $Group = '',

    [String]
    $Prefix = ''
)
# webroot.enterprise: the one read of a host's Windows Firewall, passed inline to
# ansible.windows.win_powershell by the action plugins. Read-only, one object out:
#   Rules           every rule whose Grouping is $Group or whose Name starts with
#                   $Prefix (both without case), with the COM properties
#                   community.windows.win_firewall_rule compares
#   Profiles        Domain, Private, Public: firewall on, local rules applied
#   CurrentProfiles the profiles in force now
#
# SupportsShouldProcess: win_powershell skips a script in check mode unless its
# CmdletBinding has it (ansible.windows win_powershell.ps1 @ 3.3.0, lines 568-593),
# then runs it with -WhatIf (lines 832-836); nothing here changes anything, so the
# read runs in check mode too. Runs on Windows PowerShell 5.1 and PowerShell 7 alike,
# with no Requires statement.
$Ansible.Changed = $false

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

# Per profile (NET_FW_PROFILE_TYPE2: Domain 1, Private 2, Public 4):
# - Enabled: INetFwPolicy2::get_FirewallEnabled (one profile per call)
#   https://learn.microsoft.com/en-us/windows/win32/api/netfw/nf-netfw-inetfwpolicy2-get_firewallenabled
# - AllowLocalRules: the Group Policy "Apply local firewall rules", value
#   AllowLocalPolicyMerge under HKLM\SOFTWARE\Policies\Microsoft\WindowsFirewall\<Profile>Profile
#   ([MS-GPFAS] 2.2.3.13, https://learn.microsoft.com/en-us/openspecs/windows_protocols/ms-gpfas/2c979624-900a-4b6e-b4ef-09b387cd62ab);
#   0 = "firewall rules from the local store are ignored and not enforced", absent =
#   merged (default true: Firewall CSP, AllowLocalPolicyMerge,
#   https://learn.microsoft.com/en-us/windows/client-management/mdm/firewall-csp).
#   For the current profiles, LocalPolicyModifyState also says it whatever set it
#   (GPO or MDM): 1 = NET_FW_MODIFY_STATE_GP_OVERRIDE, a rule added or changed
#   "will not take effect because the profile is controlled by the group policy"
#   (https://learn.microsoft.com/en-us/windows/win32/api/netfw/nf-netfw-inetfwpolicy2-get_localpolicymodifystate,
#   https://learn.microsoft.com/en-us/windows/win32/api/icftypes/ne-icftypes-net_fw_modify_state).
$current = [int]$fw.CurrentProfileTypes
$modifyState = [int]$fw.LocalPolicyModifyState
$profileBits = [Ordered]@{ Domain = 1; Private = 2; Public = 4 }
$profiles = foreach ($name in $profileBits.Keys) {
    $bit = $profileBits[$name]
    $key = "HKEY_LOCAL_MACHINE\SOFTWARE\Policies\Microsoft\WindowsFirewall\$($name)Profile"
    $merge = [Microsoft.Win32.Registry]::GetValue($key, 'AllowLocalPolicyMerge', $null)
    $allowLocal = ($null -eq $merge) -or ([int]$merge -ne 0)
    if (($current -band $bit) -and $modifyState -eq 1) {
        $allowLocal = $false
    }
    [PSCustomObject]@{
        Profile         = $name
        Enabled         = [bool]$fw.FirewallEnabled($bit)
        AllowLocalRules = $allowLocal
    }
}

[PSCustomObject]@{
    Rules           = @($rules)
    Profiles        = @($profiles)
    CurrentProfiles = @($profileBits.Keys | Where-Object { $current -band $profileBits[$_] })
}

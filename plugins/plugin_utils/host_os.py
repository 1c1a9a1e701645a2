# -*- coding: utf-8 -*-
# Copyright: (c) 2026, webroot.enterprise contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Whether a host is Windows: the collection's one answer (controller side only).

Asked by the component roles' action (which read, which firewall module:
plugin_utils/engine.py ``Host.is_windows``), by port_check's action (which
implementation of the module: plugins/action/port_check.py) and by the verify role
(which listener tasks: the filter ``webroot.enterprise.windows_host`` in
roles/verify/tasks/checks.yml).
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

# The connection plugins that only talk to Windows.
WINDOWS_CONNECTIONS = ("winrm", "psrp", "ansible.builtin.winrm", "ansible.builtin.psrp",
                       "ansible.windows.psrp", "ansible.windows.winrm")
# The shells (ansible_shell_type, a shell plugin's SHELL_FAMILY) of a Windows host:
# with either, Ansible runs the PowerShell implementation of a module.
WINDOWS_SHELLS = ("powershell", "cmd")


def is_windows(connection="", shell="", os_family=""):
    """True when the host's shell is PowerShell or cmd, its connection WinRM or PSRP,
    or its gathered facts say Windows (``ansible_facts.os_family``); each may be
    empty or None when not known."""
    return ((shell or "") in WINDOWS_SHELLS or (connection or "") in WINDOWS_CONNECTIONS
            or (os_family or "") == "Windows")

# -*- coding: utf-8 -*-
# Copyright: (c) 2026, webroot.enterprise contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The Webroot Enterprise port table (System Administrator Guide, Appendix A, Table 11).

This file is the one place the collection keeps the table. Everything else derives
from it: the component roles (which ports, where, from whom), the verify role (which
flows to test), the README table and the tests. It holds data only, no logic.

Each row is one row of Table 11. ``flows`` says who talks to whom on that port:
  - ``listeners``: the inventory groups whose hosts accept the connection;
  - ``connectors``: the inventory groups whose hosts open it;
  - ``direction``: where the firewall rule goes. ``inbound`` puts it on the
    listeners (admitting the connectors), ``outbound`` on the connectors (letting
    them reach the listeners).
``vendor`` keeps the guide's wording, used as the rule description on Windows and
in the docs. ``peer`` is what the component role calls the other side of its rule
in its variable names (``<component>_<peer>s``, ``<component>_any_<peer>``):
``destination`` for an outbound rule, ``source`` for an inbound one.
:data:`ROLE_VARIABLES` names every variable of each component role.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

# The inventory groups the collection knows about.
GROUP_DISTRIBUTORS = "webroot_distributors"
GROUP_SERVERS = "webroot_servers"
GROUP_CLIENTS = "webroot_clients"
# Webroot's update servers are on the Internet; in an inventory this group holds a
# stand-in (the lab's update endpoint) or a proxy, or it stays empty and the
# update_service role is given explicit destinations.
GROUP_UPDATE_ENDPOINTS = "webroot_update_endpoints"

# The marker every rule of ours carries (iptables/ufw comment, firewalld service
# name, Windows rule group). Rules without it are never touched.
MARKER = "webroot.enterprise"
WINDOWS_GROUP = "Webroot Enterprise"

# Sweep Now and Poll Now share their installation text in Table 11, and their flow:
# the Admin Console on the company server calls every managed host.
ADMIN_CONSOLE_INSTALLATION = (
    "Not an installed component, but a function called from within the "
    "Admin Console. Requires local network access."
)
ADMIN_CONSOLE_FLOWS = (
    {
        "direction": "inbound",
        "listeners": (GROUP_CLIENTS, GROUP_SERVERS),
        "connectors": (GROUP_SERVERS,),
        "tls": False,
    },
)

TABLE_11 = (
    {
        "component": "update_service",
        "title": "Update Service",
        "executable": "WebrootUpdateService.exe",
        "port": 443,
        "protocol": "tcp",
        "required_on": "Distributor Servers",
        "vendor": (
            "HTTP protocol over SSL. Communicates periodically with Webroot to "
            "retrieve updates and move them to distributor servers. Runs as a "
            "system service on the server."
        ),
        "installation": "Installed when you set up distributor servers. Requires local network access.",
        "peer": "destination",
        "flows": (
            {
                "direction": "outbound",
                "listeners": (GROUP_UPDATE_ENDPOINTS,),
                "connectors": (GROUP_DISTRIBUTORS,),
                "tls": True,
            },
        ),
    },
    {
        "component": "update_distributor",
        "title": "Update Distributor",
        "executable": "WebrootUpdateDistributor.exe",
        "port": 50003,
        "protocol": "tcp",
        "required_on": "Distributor Servers",
        "vendor": (
            "HTTP. Responds to CommAgent on client workstations to distribute "
            "updates. Runs as a system service on the server."
        ),
        "installation": "Installed when you set up distributor servers. Requires local network access.",
        "peer": "source",
        "flows": (
            {
                "direction": "inbound",
                "listeners": (GROUP_DISTRIBUTORS,),
                "connectors": (GROUP_CLIENTS,),
                "tls": False,
            },
        ),
    },
    {
        "component": "client_service",
        "title": "Client Service",
        "executable": "WebrootClientService.exe",
        "port": 50000,
        "protocol": "tcp",
        "required_on": "company server and client workstations",
        "vendor": (
            "Controls the communication between the client workstations and "
            "your company server."
        ),
        "installation": "Installed during the installation of Webroot Enterprise Server. Requires local network access.",
        "peer": "source",
        "flows": (
            {
                "direction": "inbound",
                "listeners": (GROUP_SERVERS,),
                "connectors": (GROUP_CLIENTS,),
                "tls": False,
            },
            {
                "direction": "inbound",
                "listeners": (GROUP_CLIENTS,),
                "connectors": (GROUP_SERVERS,),
                "tls": False,
            },
        ),
    },
    {
        "component": "sweep_now",
        "title": "Sweep Now",
        "executable": None,
        "port": 50001,
        "protocol": "tcp",
        "required_on": "company server and client workstations",
        "vendor": (
            "Function initiated from the Admin Console that initiates a Spy "
            "Sweeper sweep of the selected client workstations."
        ),
        "installation": ADMIN_CONSOLE_INSTALLATION,
        "peer": "source",
        "flows": ADMIN_CONSOLE_FLOWS,
    },
    {
        "component": "poll_now",
        "title": "Poll Now",
        "executable": None,
        "port": 50002,
        "protocol": "tcp",
        "required_on": "company server and client workstations",
        "vendor": (
            "Function initiated from the Admin Console that initiates a poll of "
            "the selected client workstations to update their heartbeat and "
            "status to the server."
        ),
        "installation": ADMIN_CONSOLE_INSTALLATION,
        "peer": "source",
        "flows": ADMIN_CONSOLE_FLOWS,
    },
)


# The variables of each component role, by their meaning (the role's defaults and
# argument spec, rendered from this file by scripts/render_roles.py):
# {"sweep_now": {"state": "sweep_now_state", "peers": "sweep_now_sources", ...}, ...}.
ROLE_VARIABLES = dict(
    (row["component"], {
        "state": row["component"] + "_state",
        "port": row["component"] + "_port",
        "peers": "%s_%ss" % (row["component"], row["peer"]),
        "any_peer": "%s_any_%s" % (row["component"], row["peer"]),
        "backend": row["component"] + "_backend",
        "firewalld_zone": row["component"] + "_firewalld_zone",
        "windows_profiles": row["component"] + "_windows_profiles",
        "windows_program": row["component"] + "_windows_program",
    })
    for row in TABLE_11)

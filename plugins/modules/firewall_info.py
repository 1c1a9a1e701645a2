#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, webroot.enterprise contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: firewall_info
short_description: Find a Linux host's firewall and read the objects of webroot.enterprise it holds
version_added: "0.3.0"
description:
  - Finds which firewall manages the host (firewalld, ufw or iptables) and returns, as data, the
    objects that carry the marker of webroot.enterprise, in one call. It never changes anything.
  - "What is returned is kept small: iptables rules and ufw rules whose comment contains
    C(webroot.enterprise); ipsets, firewalld services and firewalld ipsets named C(webroot-*);
    firewalld rich rules that name such a service or ipset. Which of these objects belong to
    which rule of the plan is decided on the controller."
  - With O(backend=auto), a running firewalld wins; firewalld installed and configured (a zone
    file in C(/etc/firewalld/zones), one of our service files, or enabled at boot) but not running
    is an error, since rules written to another tool would be shadowed or dropped once firewalld
    is back; then an active ufw; then iptables; else the module fails.
  - firewalld is read through its own Python client (C(firewall.client), package
    C(python3-firewall)) over one D-Bus connection, so the module must run with the interpreter
    that has it (on Debian and Ubuntu C(/usr/bin/python3)).
author:
  - webroot.enterprise contributors (@webroot-enterprise)
options:
  backend:
    description:
      - The host's firewall. V(auto) finds it as described above.
      - V(iptables) also needs the C(ipset) tool (the peers of a rule are kept in an ipset).
      - V(firewalld) fails when firewalld is not running.
      - V(windows) (or V(auto) over WinRM / PSRP) reads Windows Firewall with the collection's
        read-only script through ansible.windows.win_powershell (the action plugin does this; the
        Python module itself serves Linux hosts only).
    type: str
    choices: [auto, firewalld, ufw, iptables, windows]
    default: auto
  zones:
    description:
      - firewalld only. The zone each component's rules are reported from, a dict of component
        name to zone; a component not given, or an empty zone, is taken from
        C(<component>_firewalld_zone), else C(webroot_firewalld_zone), else the default zone.
      - Used on the controller (the action plugin); rules of ours in every zone are read.
    type: dict
  reuse:
    description:
      - Windows only. The result the component roles registered in this run (C(webroot_plan)).
        Its read of the host, updated with what the roles changed, is reported instead of
        reading the host again (each read is a remote round trip). Ignored, and the host
        read, when that result failed, in check mode, or when it holds no Windows read.
      - C(playbooks/report.yml) passes it, so a run of C(site.yml) reads each Windows host once.
      - Used on the controller (the action plugin).
    type: raw
attributes:
  action:
    description: Indicates this has a corresponding action plugin so some parts of the options can be executed on the controller.
    support: full
  check_mode:
    description: Can run in check_mode and return changed status prediction without modifying target.
    support: full
    details: The module only reads, so it runs in check mode as well.
  diff_mode:
    description: Will return details on what has changed (or possibly needs changing in check_mode), when in diff mode.
    support: none
  platform:
    description: Target OS/families that can be operated against.
    support: full
    platforms: posix
notes:
  - IPv6 rules are read with C(ip6tables -S); when ip6tables is missing or fails, RV(iptables.ipv6)
    is empty.
  - On failure the result has C(error), a short code of the reason (V(auto-firewalld-stopped),
    V(firewalld-stopped), V(no-firewall), V(no-ipset), V(no-iptables), V(no-ufw),
    V(no-firewalld-client), V(command-failed)), besides C(msg).
seealso:
  - module: webroot.enterprise.address_set
    description: Keeps one of the address sets read here at a given list.
"""

EXAMPLES = r"""
- name: Read what of ours the host's firewall holds
  webroot.enterprise.firewall_info:
  register: __fw

- name: Show the backend that was found
  ansible.builtin.debug:
    msg: "{{ inventory_hostname }} uses {{ __fw.backend }}"

- name: Read an iptables host, even where ufw is active
  webroot.enterprise.firewall_info:
    backend: iptables
  register: __fw_ipt
"""

RETURN = r"""
update_service:
  description:
    - What the firewall holds of ours for the component, in the shape of the plan the component
      roles publish as C(webroot_plan) (C(component), C(state), C(port), C(protocol), C(rules) with
      C(direction), C(port), C(any_peer), C(peers)). Added by the action plugin, on every backend.
    - On Windows a rule whose remote addresses hold C(*) or a keyword (C(LocalSubnet), C(DNS)...)
      is C(any_peer) true, and its C(wider) lists what made it so.
  returned: success
  type: dict
  sample: {"component": "update_service", "state": "present", "port": 443, "protocol": "tcp",
           "rules": [{"direction": "out", "port": 443, "protocol": "tcp", "any_peer": false, "peers": ["198.18.10.5/32"]}]}
update_distributor:
  description: As RV(update_service).
  returned: success
  type: dict
client_service:
  description: As RV(update_service).
  returned: success
  type: dict
sweep_now:
  description: As RV(update_service).
  returned: success
  type: dict
poll_now:
  description: As RV(update_service).
  returned: success
  type: dict
windows:
  description: Windows hosts, the read script's object (C(Rules) with their COM properties, C(Profiles), C(CurrentProfiles)).
  returned: success, on Windows
  type: dict
reused:
  description: Whether the roles' read of this run was reported (O(reuse)) instead of a new read.
  returned: success
  type: bool
backend:
  description: The firewall that was read (found by O(backend=auto), or the one given).
  returned: always
  type: str
  sample: iptables
iptables:
  description: Our rules (C(-A) lines of any chain whose C(--comment) contains C(webroot.enterprise)), in order.
  returned: when RV(backend) is V(iptables)
  type: dict
  contains:
    ipv4:
      description:
        - Rules of C(iptables -S).
        - "Each is a dict: C(chain), C(protocol), C(dport) (int, or null when absent or a range),
          C(source), C(destination), C(match_set), C(match_set_flags), C(jump), C(comment), C(extra)
          (the options and match modules webroot.enterprise never writes, such as C(-i) or
          C(-m conntrack), sorted; a rule with any is not ours), and C(line), the rule as
          C(iptables -S) printed it. An option negated with C(!) has its value prefixed with C(!)."
      type: list
      elements: dict
      returned: always
      sample:
        - chain: INPUT
          protocol: tcp
          dport: 50000
          source: null
          destination: null
          match_set: webroot-client-service-v4
          match_set_flags: src
          jump: ACCEPT
          comment: webroot.enterprise client_service 50000/tcp in
          line: >-
            -A INPUT -p tcp -m set --match-set webroot-client-service-v4 src -m tcp --dport 50000
            -m comment --comment "webroot.enterprise client_service 50000/tcp in" -j ACCEPT
    ipv6:
      description: Rules of C(ip6tables -S), as RV(iptables.ipv4).
      type: list
      elements: dict
      returned: always
      sample: []
    denies:
      description:
        - Per family (V(ipv4), V(ipv6)), for C(INPUT) and C(OUTPUT), the rules that may drop one
          peer's packet (a DROP or REJECT naming an address or a set, or a jump to a chain that
          holds one, such as fail2ban's C(f2b-*)), in chain order. Our ACCEPT goes right after the
          last of them that could match its protocol and port.
        - "Each is C({index, protocol, ports, line}): C(index) its position in the chain (1 is the
          top), C(ports) a list of C([low, high]) or null (any port). The rules in RV(iptables.ipv4)
          carry their C(index) too."
      type: dict
      returned: always
      sample:
        ipv4:
          INPUT:
            - {index: 4, protocol: tcp, ports: [[50001, 50001]], line: "-A INPUT -s 198.18.10.21/32 -p tcp -m tcp --dport 50001 -j DROP"}
          OUTPUT: []
ipsets:
  description:
    - The kernel ipsets named C(webroot-*) (C(ipset save)). A firewalld host's ipsets are in
      RV(firewalld.ipsets).
    - Each is C({type, family, entries}); C(family) is V(ipv4) or V(ipv6); C(entries) as ipset
      writes them. Entries flagged C(nomatch) (exceptions in a wider entry, the admin's) are not
      in C(entries) but in C(nomatch), present only when there are some.
  returned: when RV(backend) is V(iptables)
  type: dict
  sample:
    webroot-client-service-v4:
      type: hash:net
      family: ipv4
      entries: [198.18.10.0/28, 198.18.10.21]
boot:
  description:
    - How the iptables host restores its firewall at boot.
    - C(plugins), the names of netfilter-persistent's plugins (C(/usr/share/netfilter-persistent/plugins.d)),
      in the order they run at boot (V(10-ipset) from ipset-persistent, V(15-ip4tables) and V(25-ip6tables)
      from iptables-persistent); empty when netfilter-persistent is not installed.
    - "C(save_pending), true while C(/var/lib/webroot-enterprise/iptables-save-pending) exists: a run
      changed the firewall and its save for boot did not complete, so the next run saves."
  returned: when RV(backend) is V(iptables)
  type: dict
  sample:
    plugins: [10-ipset, 15-ip4tables, 25-ip6tables, 40-ipset]
    save_pending: false
ufw:
  description:
    - Our rules in C(ufw show added) (comment contains C(webroot.enterprise)), in order;
      C(ufw route) rules are left out.
    - "Each is a dict: C(action) (V(allow), V(deny), V(reject), V(limit)), C(direction) (V(in),
      V(out)), C(interface) (or null), C(protocol) (V(any) when not given), C(port) (int, or null
      when absent or a range), C(from) and C(to) (address, or V(any)), C(from_port) (int or null),
      C(comment), and C(line), the rule as ufw printed it."
  returned: when RV(backend) is V(ufw)
  type: list
  elements: dict
denies:
  description:
    - ufw only, when there are some. The rules of C(ufw status numbered) that deny or reject one
      peer's address, with their number; our allow is inserted after the last of them that could
      match its family, direction, protocol and port.
    - "Each is C({index, family, direction, protocol, ports, line})."
  returned: when RV(backend) is V(ufw) and such rules exist
  type: list
  elements: dict
  sample:
    - action: allow
      direction: in
      interface: null
      protocol: tcp
      port: 50000
      from: 198.18.10.21
      from_port: null
      to: any
      comment: webroot.enterprise client_service 50000/tcp in
      line: ufw allow from 198.18.10.21 to any port 50000 proto tcp comment 'webroot.enterprise client_service 50000/tcp in'
allows:
  description:
    - ufw only, read with RV(denies). Where our allows stand in C(ufw status numbered), so that one
      standing ahead of a deny of one peer that the admin added later is moved after it.
    - "Each is C({index, direction, peer, comment}): C(peer) the address as ufw prints it, null for
      Anywhere."
  returned: when RV(backend) is V(ufw) and RV(denies) is returned
  type: list
  elements: dict
  sample:
    - index: 2
      direction: in
      peer: 198.18.10.21
      comment: webroot.enterprise client_service 50000/tcp in
firewalld:
  description: What of ours firewalld holds, permanent and runtime, in every zone.
  returned: when RV(backend) is V(firewalld)
  type: dict
  contains:
    default_zone:
      description: The default zone.
      type: str
      returned: always
      sample: public
    zones:
      description:
        - Every zone (permanent and runtime), each with C(permanent) and C(runtime), each
          C({services, rich_rules}), sorted.
        - C(services) holds only services named C(webroot-*); C(rich_rules) every rich rule that
          names such a service or an ipset named C(webroot-*).
      type: dict
      returned: always
      sample:
        public:
          permanent:
            services: []
            rich_rules:
              - rule family="ipv4" source ipset="webroot-client-service-v4" service name="webroot-client-service" accept
          runtime:
            services: []
            rich_rules:
              - rule family="ipv4" source ipset="webroot-client-service-v4" service name="webroot-client-service" accept
    services:
      description: Permanent service definitions named C(webroot-*), each C({ports}).
      type: dict
      returned: always
      sample:
        webroot-client-service:
          ports: [50000/tcp]
    ipsets:
      description: Permanent firewalld ipsets named C(webroot-*), each C({type, family, entries}).
      type: dict
      returned: always
      sample:
        webroot-client-service-v4:
          type: hash:net
          family: ipv4
          entries: [198.18.10.21]
    runtime_ipsets:
      description: Runtime firewalld ipsets named C(webroot-*), each C({entries}).
      type: dict
      returned: always
      sample:
        webroot-client-service-v4:
          entries: [198.18.10.21]
    runtime_services:
      description:
        - Services named C(webroot-*) that the running firewalld has loaded, each C({ports}). A
          service in RV(firewalld.services) but not here was written by a run that stopped before
          its reload; the next run reloads.
      type: dict
      returned: always
      sample:
        webroot-client-service:
          ports: [50000/tcp]
    policies:
      description: Every permanent policy, C({services, rich_rules}) as in RV(firewalld.zones) (ours only).
        A policy that uses our service or ipset is the admin's, and keeps them.
      type: dict
      returned: always
      sample: {}
    runtime_policies:
      description: Every runtime policy, as RV(firewalld.policies).
      type: dict
      returned: always
      sample: {}
    drift:
      description:
        - Every difference between the runtime and the permanent configuration outside our
          objects, as sentences (zones with their interfaces, policies, ipset entries, direct
          chains, rules and passthroughs, zones and policies not loaded yet). A reload would drop
          or bring in each; webroot.enterprise.firewalld_reload puts the runtime back after it.
      type: list
      elements: str
      returned: always
      sample: ["zone public: port 2222/tcp is in the runtime configuration only"]
    pending:
      description: Zones and policies in the permanent configuration only. A reload would load
        them for good, so a run that needs a reload refuses beside them.
      type: list
      elements: str
      returned: always
      sample: []
"""

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.webroot.enterprise.plugins.module_utils import fwread


def main():
    module = AnsibleModule(
        argument_spec=dict(
            backend=dict(type="str", choices=["auto", "firewalld", "ufw", "iptables", "windows"], default="auto"),
            zones=dict(type="dict"),
            reuse=dict(type="raw"),
        ),
        supports_check_mode=True,
    )
    result, error = None, None
    try:
        if module.params["backend"] == "windows":
            module.fail_json(msg="backend windows is read by the action plugin through ansible.windows.win_powershell, "
                                 "not by this Python module", error="windows")
        result = fwread.read(fwread.ModuleHost(module), module.params["backend"])
    except fwread.ReadError as exc:
        error = exc
    if error is not None:
        # Outside the except block: the message, without the module's own traceback.
        module.fail_json(msg=str(error), error=error.code)
    module.exit_json(changed=False, **result)


if __name__ == "__main__":
    main()

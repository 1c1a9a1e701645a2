"""Writes the five component roles' thin files from the catalog.

The catalog (plugins/plugin_utils/catalog.py) is the one place Table 11 lives; each
component role's defaults, argument_specs, meta and tasks/main.yml are rendered from
it, so a port, a wording or a group changes in one place. Run it after editing the
catalog; `--check` (used by the test suite) fails when a committed file differs.
"""
import argparse
import textwrap
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, ".cache", "collections"))
sys.path.insert(0, os.path.join(ROOT, "plugins", "plugin_utils"))

import catalog  # noqa: E402  (plain data, importable without ansible)

HEADER = "---\n# Rendered from plugins/plugin_utils/catalog.py by scripts/render_roles.py: edit those, not this.\n"


def peers_words(row):
    """The role's words for the other side of its rule, as the catalog names its
    variables (catalog.ROLE_VARIABLES): ("sources", "any_source", "source")."""
    names = catalog.ROLE_VARIABLES[row["component"]]
    prefix = row["component"] + "_"
    return names["peers"][len(prefix):], names["any_peer"][len(prefix):], row["peer"]


def where(row):
    parts = []
    for flow in row["flows"]:
        here = flow["listeners"] if flow["direction"] == "inbound" else flow["connectors"]
        there = flow["connectors"] if flow["direction"] == "inbound" else flow["listeners"]
        parts.append("%s on %s %s %s" % (
            flow["direction"], ", ".join(here),
            "from" if flow["direction"] == "inbound" else "to", ", ".join(there)))
    return "; ".join(parts)


def defaults(row):
    c = row["component"]
    peers, any_peer = peers_words(row)[:2]
    return HEADER + """
# present: open {port}/{proto} as Table 11 says; absent: remove the rules this
# collection created for {c} (and only those).
{c}_state: present
# Empty: the port from the catalog ({port}). Set it only if your Webroot install
# was moved to another port.
{c}_port: ""
# Empty: the {peers} come from the inventory ({where}).
# A list of CIDRs replaces them.
{c}_{peers}: []
# true: admit any address (an explicit opt-in, never the default).
{c}_{any_peer}: false
# auto detects firewalld (running), else ufw (active), else iptables; Windows
# hosts use Windows Firewall.
{c}_backend: "{{{{ webroot_firewall_backend | default('auto') }}}}"
# firewalld zone; empty: the default zone.
{c}_firewalld_zone: "{{{{ webroot_firewalld_zone | default('') }}}}"
# Windows Firewall profiles the rule applies to.
{c}_windows_profiles: "{{{{ webroot_windows_profiles | default(['domain', 'private']) }}}}"
# Windows: full path of {exe}; empty: the rule is not tied to a program.
{c}_windows_program: ""
""".format(c=c, port=row["port"], proto=row["protocol"], peers=peers, any_peer=any_peer,
           where=where(row), exe=row["executable"] or "the program")


def argument_specs(row):
    c = row["component"]
    peers, any_peer, word = peers_words(row)
    exe = row["executable"] or "(none: a function of the Admin Console)"
    return HEADER + """argument_specs:
  main:
    short_description: Opens {port}/{proto} for Webroot {title} (Table 11)
    description:
      - "Table 11: {exe}, required on {required}."
      - >-
{vendor}
      - "Rules: {where}."
      - Every rule carries the marker C({marker} {c} ...) so that rules that are not ours are never touched.
      - >-
        Besides its own C({c}_*) variables, the role reads the collection-wide C(webroot_*) variables listed
        below (set them in C(group_vars/all), README "Collection-wide variables"). C(webroot_max_left_out) and
        C(webroot_gather_facts) are collection-wide too, but read by the playbooks (C(summary.yml),
        C(validate.yml), C(verify.yml)), not by this role.
    author: webroot.enterprise contributors
    options:
      {c}_state:
        description: C(present) opens the port; C(absent) removes the rules this collection created for {c}, and only those.
        type: str
        choices: [present, absent]
        default: present
      {c}_port:
        description: Port number (1-65535). Empty means the catalog's {port}.
        type: raw
        default: ""
      {c}_{peers}:
        description:
          - Explicit {word} addresses or CIDRs. Empty means the addresses of the inventory groups in the flow.
          - Mutually exclusive with I({c}_{any_peer}).
        type: list
        elements: str
        default: []
      {c}_{any_peer}:
        description: Admit any {word} address. An explicit opt-in; the default scopes the rule to the inventory.
        type: bool
        default: false
      {c}_backend:
        description:
          - Firewall to use. C(auto) detects firewalld (running), else ufw (active), else iptables; Windows hosts use Windows Firewall.
          - "Default: the value of I(webroot_firewall_backend), else C(auto). The role's default is a template,
            webroot_firewall_backend | default('auto'), so no single value is shown here."
        type: str
        choices: [auto, firewalld, ufw, iptables, windows]
      {c}_firewalld_zone:
        description:
          - firewalld zone for the rules. Empty means the default zone.
          - "Default: the value of I(webroot_firewalld_zone), else empty (the default zone). The role's default is a
            template, webroot_firewalld_zone | default(''), so no single value is shown here."
        type: str
      {c}_windows_profiles:
        description:
          - Windows Firewall profiles the rule applies to.
          - "Default: the value of I(webroot_windows_profiles), else C([domain, private]). The role's default is a
            template, webroot_windows_profiles | default(['domain', 'private']), so no single value is shown here."
        type: list
        elements: str
        choices: [domain, private, public]
      {c}_windows_program:
        description: Windows only. Full path of {exe_plain}; the rule then applies to that program only. Empty means any program.
        type: str
        default: ""
""".format(c=c, port=row["port"], proto=row["protocol"], title=row["title"], exe=exe,
           exe_plain=row["executable"] or "the program", required=row["required_on"],
           vendor=textwrap.fill(row["vendor"], 90, initial_indent=" " * 8, subsequent_indent=" " * 8),
           where=where(row), marker=catalog.MARKER, peers=peers,
           any_peer=any_peer, word=word) + collection_wide(row)


def client_flows(row):
    """The flows of ``row`` whose peers are the workstations (where webroot_client_networks applies)."""
    out = []
    for flow in row["flows"]:
        peers = flow["connectors"] if flow["direction"] == "inbound" else flow["listeners"]
        if tuple(peers) == (catalog.GROUP_CLIENTS,):
            out.append(flow)
    return out


# The collection-wide variables a component role reads (the component_rules action:
# plugins/action/component_rules.py, plugins/plugin_utils/engine.py collection_settings,
# plugins/plugin_utils/rules.py), with their real defaults (README "Collection-wide
# variables"). Not here: webroot_max_left_out (playbooks/summary.yml) and
# webroot_gather_facts (playbooks/validate.yml, verify.yml), which no role reads.
def collection_wide(row):
    c = row["component"]
    text = """      webroot_address:
        description:
          - Collection-wide, set per host. The one address the host's peers see (an IP address, or a /32 or /128
            CIDR); a network is refused. The role reads it for every peer of its rules (and the estate validation
            for every host).
          - Unset, a host's address is that of its gathered facts (when gathered), its C(ansible_host) when that is an
            IP address, else the controller's DNS answer for its name (README "Addresses"). No default.
        type: str
"""
    flows = client_flows(row)
    if flows:
        text += """      webroot_client_networks:
        description:
          - Collection-wide. The workstation networks (CIDRs). When set, these networks are admitted instead of
            each workstation's address (DHCP estates) by this role's rule {where}.
          - I({c}_{peers}) still wins.
        type: list
        elements: str
        default: []
""".format(where="; ".join("%s on %s from %s" % (f["direction"], ", ".join(f["listeners"]), ", ".join(f["connectors"]))
                           for f in flows), c=c, peers=peers_words(row)[0])
    text += """      webroot_resolve_names:
        description:
          - Collection-wide, or per host. Resolve on the controller (all names at once) the name of a peer whose address
            nothing else gives (its C(ansible_host), else its inventory name). C(false) on a host leaves it out of its
            peers' rules unless its address is known otherwise.
        type: bool
        default: true
      webroot_resolve_timeout:
        description:
          - Collection-wide. Seconds each name may take to resolve; a name that timed out, or whose DNS server failed,
            is tried once more, and the whole estate's resolution is bounded (two tries per round of 64 names, 300 s
            at most). A name not answered in time is unknown this run, so nothing is removed from its peers' rules
            (docs/safety.md). Zero or less is refused.
        type: float
        default: 10
      webroot_allowed_networks:
        description:
          - Collection-wide, optional. The networks (CIDRs) a derived address (from facts, C(ansible_host) or DNS)
            must be in; a host whose derived address is outside is left out of its peers' rules, named. Empty
            means every address (C(webroot_address) is taken as given).
        type: list
        elements: str
        default: []
      webroot_max_removed_share:
        description:
          - Collection-wide. The share (percent, 0 to 100) of this role's admitted addresses or networks, derived from
            the inventory, that one run may remove (at least 2 always may). Beyond it the host's change is refused,
            naming the scope, the count and this setting (an inventory cut short by accident). Raise it on purpose
            for a planned clean-up.
        type: float
        default: 20
      webroot_strict:
        description:
          - Collection-wide. C(true) fails when a peer's address is not known (the estate validation then stops every
            host). C(false) leaves that peer out of the rule, and the summary at the end of the run names it.
        type: bool
        default: false
      webroot_windows_accept_gpo:
        description:
          - Collection-wide, Windows. C(true) writes the local rules even where Group Policy sets "Apply local firewall
            rules" to No (C(AllowLocalPolicyMerge) = 0) for a profile the rules target. By default such a host is
            refused with a message naming the two ways out.
        type: bool
        default: false
      webroot_firewall_backend:
        description: Collection-wide default of I({c}_backend) (and of every other component role's C(_backend)).
        type: str
        choices: [auto, firewalld, ufw, iptables, windows]
        default: auto
      webroot_firewalld_zone:
        description: Collection-wide default of I({c}_firewalld_zone). Empty means the default zone.
        type: str
        default: ""
      webroot_windows_profiles:
        description: Collection-wide default of I({c}_windows_profiles).
        type: list
        elements: str
        choices: [domain, private, public]
        default: [domain, private]
      webroot_iptables_save_path:
        description: Collection-wide, iptables hosts. Where the IPv4 rules are saved for the boot-time restore. Empty means not saved.
        type: str
        default: /etc/iptables/rules.v4
      webroot_ip6tables_save_path:
        description: Collection-wide, iptables hosts. Where the IPv6 rules are saved for the boot-time restore. Empty means not saved.
        type: str
        default: /etc/iptables/rules.v6
      webroot_ipset_save_path:
        description: Collection-wide, iptables hosts. Where our ipsets are saved (C(ipset save)) for the boot-time restore. Empty means not saved.
        type: str
        default: /etc/iptables/ipsets
      webroot_validate_only:
        description:
          - Collection-wide. C(true) plans only. The role checks its input and computes its rules (registered as
            C(webroot_plan)) but reads and changes no firewall.
        type: bool
        default: false
""".format(c=c)
    return text


def meta_main(row):
    return HEADER + """galaxy_info:
  role_name: {c}
  namespace: webroot
  author: webroot.enterprise contributors
  description: Opens the Webroot Enterprise {title} port ({port}/{proto}, Table 11)
  license: GPL-3.0-or-later
  min_ansible_version: "2.16"
  platforms:
    - name: Debian
      versions: [all]
    - name: Ubuntu
      versions: [all]
    - name: EL
      versions: [all]
    - name: Windows
      versions: [all]
  galaxy_tags: [webroot, firewall, security]
dependencies: []
""".format(c=row["component"], title=row["title"], port=row["port"], proto=row["protocol"])


def tasks_main(row):
    c = row["component"]
    peers, any_peer = peers_words(row)[:2]
    return HEADER + """# One task: plan, one read of the firewall per run (shared by the component roles
# of the host through webroot_plan), and the standard modules only for what differs.
- name: Webroot {title} ({port}/{proto})
  webroot.enterprise.component_rules:
    component: {c}
    state: "{{{{ {c}_state }}}}"
    port: "{{{{ {c}_port }}}}"
    peers: "{{{{ {c}_{peers} }}}}"
    any_peer: "{{{{ {c}_{any_peer} }}}}"
    backend: "{{{{ {c}_backend }}}}"
    firewalld_zone: "{{{{ {c}_firewalld_zone }}}}"
    windows_profiles: "{{{{ {c}_windows_profiles }}}}"
    windows_program: "{{{{ {c}_windows_program }}}}"
  # The published plan of the host (read by the report and verify) and this run's
  # read of its firewall: registered, so it lives for this run only.
  register: webroot_plan  # noqa: var-naming[no-role-prefix]
  tags: [{c}, webroot_firewall]
""".format(c=c, title=row["title"], port=row["port"], proto=row["protocol"], peers=peers,
           any_peer=any_peer)


FILES = {
    "defaults/main.yml": defaults,
    "meta/argument_specs.yml": argument_specs,
    "meta/main.yml": meta_main,
    "tasks/main.yml": tasks_main,
}


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--check", action="store_true", help="fail if a rendered file differs")
    args = parser.parse_args()
    stale = []
    for row in catalog.TABLE_11:
        for rel, render in FILES.items():
            path = os.path.join(ROOT, "roles", row["component"], rel)
            text = render(row)
            current = open(path).read() if os.path.exists(path) else None
            if current == text:
                continue
            stale.append(os.path.relpath(path, ROOT))
            if not args.check:
                os.makedirs(os.path.dirname(path), exist_ok=True)
                with open(path, "w") as fh:
                    fh.write(text)
    if args.check and stale:
        print("out of date with the catalog (run scripts/render_roles.py):\n  " + "\n  ".join(stale))
        return 1
    mode, verb = ("check", "differ") if args.check else ("render", "written")
    print("%s: %d file(s) %s" % (mode, len(stale), verb))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Writes the five component roles' thin files from the catalog.

The catalog (plugins/module_utils/catalog.py) is the one place Table 11 lives; each
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
sys.path.insert(0, os.path.join(ROOT, "plugins", "module_utils"))

import catalog  # noqa: E402  (plain data, importable without ansible)

HEADER = "---\n# Rendered from plugins/module_utils/catalog.py by scripts/render_roles.py: edit those, not this.\n"


def peers_words(row):
    if row["component"] == "update_service":
        return "destinations", "any_destination", "destination"
    return "sources", "any_source", "source"


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
        description: Firewall to use. C(auto) detects firewalld (running), else ufw (active), else iptables; Windows hosts use Windows Firewall.
        type: str
        choices: [auto, firewalld, ufw, iptables, windows]
        default: auto
      {c}_firewalld_zone:
        description: firewalld zone for the rules. Empty means the default zone.
        type: str
        default: ""
      {c}_windows_profiles:
        description: Windows Firewall profiles the rule applies to.
        type: list
        elements: str
        choices: [domain, private, public]
        default: [domain, private]
      {c}_windows_program:
        description: Windows only. Full path of {exe_plain}; the rule then applies to that program only. Empty means any program.
        type: str
        default: ""
""".format(c=c, port=row["port"], proto=row["protocol"], title=row["title"], exe=exe,
           exe_plain=row["executable"] or "the program", required=row["required_on"],
           vendor=textwrap.fill(row["vendor"], 90, initial_indent=" " * 8, subsequent_indent=" " * 8),
           where=where(row), marker=catalog.MARKER, peers=peers,
           any_peer=any_peer, word=word)


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

# -*- coding: utf-8 -*-
# Copyright: (c) 2026, webroot.enterprise contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""inventories/ad: the real microsoft.ad.ldap plugin over recorded Active Directory objects.

There is no Active Directory here. The inventory directory is loaded the way
``ansible-playbook -i inventories/ad/`` loads it (InventoryManager: the .ldap.yml through
the ``auto`` plugin and the real ``microsoft.ad.ldap`` InventoryModule, the static
``update_endpoints.yml``, ``group_vars/``), with one thing replaced: the plugin's
``create_ldap_connection``. In its place :class:`RecordedDirectory` answers the plugin's
searches from RECORDED (computer objects as a domain controller holds them: attribute
names, raw byte values) the way a DC does: it evaluates the plugin's filter (the file's
``filter`` ANDed with ``(objectCategory=computer)``, parsed by sansldap) over the
entries, honours search base and scope, returns only the requested attributes, and
serves the schema, so that the plugin's own ``LDAPSchema.load_schema`` and
``cast_object`` turn the bytes into what the file's templates see (``memberOf`` a list
of str, ``operatingSystem`` a str). So the test runs the file's own ``attributes`` /
``compose`` / ``groups`` / ``keyed_groups`` with the plugin's code, end to end; the
expected groups below are written by hand.

The inventory is loaded in a child interpreter (this file, run as a script): Ansible's
collection loader, once installed, stays for the life of a process, and the other unit
tests import the collection without it.

Needs ``sansldap`` (the plugin's LDAP library, inventories/ad/requirements.txt); the
tests are skipped without it.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import subprocess
import sys

import pytest

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
INVENTORY = os.path.join(REPO, "inventories", "ad")
COLLECTIONS = os.path.join(REPO, ".cache", "collections")

DOMAIN = "DC=corp,DC=example,DC=test"
CONFIGURATION = "CN=Configuration," + DOMAIN
SCHEMA_NC = "CN=Schema," + CONFIGURATION
SUBSCHEMA = "CN=Aggregate," + SCHEMA_NC
NAMING_CONTEXTS = (DOMAIN, CONFIGURATION, SCHEMA_NC)

DISTRIBUTORS = "CN=Webroot Distributors,OU=Groups," + DOMAIN
SERVERS = "CN=Webroot Servers,OU=Groups," + DOMAIN
OTHER_GROUP = "CN=Server Admins,OU=Groups," + DOMAIN
VPN_GROUP = "CN=VPN Computers,OU=Groups," + DOMAIN

# userAccountControl values as AD sets them on computer accounts.
WORKSTATION_TRUST = 4096              # 0x1000: a member computer, enabled
DISABLED = 4096 | 2                   # 0x1002: ACCOUNTDISABLE
PRESTAGED = 4096 | 32                 # 0x1020: PASSWD_NOTREQD, created before the join
DOMAIN_CONTROLLER = 8192 | 524288     # 0x82000: SERVER_TRUST_ACCOUNT, TRUSTED_FOR_DELEGATION


def _computer(cn, parent, os_name=None, dns=True, uac=WORKSTATION_TRUST, member_of=()):
    dn = "CN=%s,%s" % (cn, parent)
    entry = {
        "objectClass": ["top", "person", "organizationalPerson", "user", "computer"],
        "objectCategory": ["CN=Computer,%s" % SCHEMA_NC],
        "distinguishedName": [dn],
        "name": [cn],
        "sAMAccountName": [cn + "$"],
        "userAccountControl": [str(uac)],
    }
    if dns:
        entry["dNSHostName"] = ["%s.corp.example.test" % cn.lower()]
    if os_name:
        entry["operatingSystem"] = [os_name]
    if member_of:
        entry["memberOf"] = list(member_of)
    return dn, entry


SERVERS_OU = "OU=Servers," + DOMAIN
WORKSTATIONS_OU = "OU=Workstations," + DOMAIN

# The domain as a DC holds it: computer objects (attribute -> values, as ldapsearch
# shows them) and the subschema entry. Values become bytes on the wire.
RECORDED = dict([
    # Distributors and the company server: by group membership.
    _computer("WR-DIST-01", SERVERS_OU, "Windows Server 2022 Standard", member_of=[DISTRIBUTORS, OTHER_GROUP]),
    _computer("WR-DIST-02", SERVERS_OU, "Windows Server 2019 Standard", member_of=[DISTRIBUTORS]),
    _computer("WR-CONSOLE-01", SERVERS_OU, "Windows Server 2022 Standard", member_of=[SERVERS]),
    # A server in no Webroot group.
    _computer("FS-01", SERVERS_OU, "Windows Server 2022 Standard", member_of=[OTHER_GROUP]),
    # Workstations: by OU, at any depth under OU=Workstations.
    _computer("WS-FIN-001", "OU=Finance," + WORKSTATIONS_OU, "Windows 11 Enterprise"),
    _computer("WS-HR-001", "OU=HR," + WORKSTATIONS_OU, "Windows 10 Enterprise", member_of=[VPN_GROUP]),
    # A branch office workstation that is also the branch's distributor: both groups.
    _computer("WS-LYO-001", "OU=Branch Lyon," + WORKSTATIONS_OU, "Windows 11 Pro", member_of=[DISTRIBUTORS]),
    # Disabled accounts: left out, whatever their OU or groups.
    _computer("WS-FIN-099", "OU=Finance," + WORKSTATIONS_OU, "Windows 10 Enterprise", uac=DISABLED),
    _computer("WR-DIST-OLD", SERVERS_OU, "Windows Server 2016 Standard", uac=DISABLED, member_of=[DISTRIBUTORS]),
    # Pre-staged for a PC not yet joined: no dNSHostName, no operatingSystem.
    _computer("WS-FIN-100", "OU=Finance," + WORKSTATIONS_OU, dns=False, uac=PRESTAGED),
    # A Linux workstation joined with adcli/sssd, in the workstations OU: not Windows.
    _computer("LNX-DEV-01", "OU=Linux," + WORKSTATIONS_OU, "Ubuntu"),
    # Windows computers the rules do not place: in the inventory (windows), in no
    # webroot_* group.
    _computer("DC01", "OU=Domain Controllers," + DOMAIN, "Windows Server 2022 Datacenter",
              uac=DOMAIN_CONTROLLER),
    _computer("WS-NEW-007", "CN=Computers," + DOMAIN, "Windows 11 Enterprise"),   # never moved to its OU
    _computer("WS-RET-003", "OU=Workstations,OU=Retired," + DOMAIN, "Windows 10 Enterprise"),
    # Not a computer (the plugin's own (objectCategory=computer) keeps it out).
    ("CN=svc-ansible,OU=Service Accounts," + DOMAIN, {
        "objectClass": ["top", "person", "organizationalPerson", "user"],
        "objectCategory": ["CN=Person,%s" % SCHEMA_NC],
        "name": ["svc-ansible"], "userAccountControl": ["512"],
        "operatingSystem": ["Windows"], "dNSHostName": ["svc-ansible.corp.example.test"]}),
    # The schema, as AD publishes it (attributeTypes of the attributes above).
    (SUBSCHEMA, {
        "objectClass": ["top", "subSchema"],
        "attributeTypes": [
            "( 2.5.4.0 NAME 'objectClass' SYNTAX '1.3.6.1.4.1.1466.115.121.1.38' NO-USER-MODIFICATION )",
            "( 1.2.840.113556.1.4.782 NAME 'objectCategory' SYNTAX '1.3.6.1.4.1.1466.115.121.1.12' "
            "SINGLE-VALUE )",
            "( 2.5.4.49 NAME 'distinguishedName' SYNTAX '1.3.6.1.4.1.1466.115.121.1.12' SINGLE-VALUE "
            "NO-USER-MODIFICATION )",
            "( 1.2.840.113556.1.4.1 NAME 'name' SYNTAX '1.3.6.1.4.1.1466.115.121.1.15' SINGLE-VALUE "
            "NO-USER-MODIFICATION )",
            "( 1.2.840.113556.1.4.221 NAME 'sAMAccountName' SYNTAX '1.3.6.1.4.1.1466.115.121.1.15' "
            "SINGLE-VALUE )",
            "( 1.2.840.113556.1.4.8 NAME 'userAccountControl' SYNTAX '1.3.6.1.4.1.1466.115.121.1.27' "
            "SINGLE-VALUE )",
            "( 1.2.840.113556.1.4.619 NAME 'dNSHostName' SYNTAX '1.3.6.1.4.1.1466.115.121.1.15' "
            "SINGLE-VALUE )",
            "( 1.2.840.113556.1.4.363 NAME 'operatingSystem' SYNTAX '1.3.6.1.4.1.1466.115.121.1.15' "
            "SINGLE-VALUE )",
            "( 1.2.840.113556.1.2.102 NAME 'memberOf' SYNTAX '1.3.6.1.4.1.1466.115.121.1.12' "
            "NO-USER-MODIFICATION )",
        ]}),
])

BIT_AND = "1.2.840.113556.1.4.803"   # LDAP_MATCHING_RULE_BIT_AND
BIT_OR = "1.2.840.113556.1.4.804"    # LDAP_MATCHING_RULE_BIT_OR


# --------------------------------------------------------------------------------------
# The child: loads inventories/ad with the recorded directory in place of the DC.
# --------------------------------------------------------------------------------------

def _naming_context(dn):
    dn = dn.lower()
    found = [nc for nc in NAMING_CONTEXTS if dn == nc.lower() or dn.endswith("," + nc.lower())]
    return max(found, key=len) if found else None


def _in_scope(dn, base, scope):
    dn_l, base_l = dn.lower(), base.lower()
    if scope == "base":
        return dn_l == base_l
    if not dn_l.endswith("," + base_l):
        return False
    if scope == "one_level":
        return dn_l.split(",", 1)[1] == base_l
    # subtree: within the naming context of the base (AD does not descend into the
    # Configuration partition from the domain's).
    return _naming_context(dn) == _naming_context(base)


class RecordedDirectory(object):
    """What the plugin (and ``LDAPSchema.load_schema``) use of ``SyncLDAPClient``:
    ``root_dse``, ``search`` and the context manager, answered from RECORDED."""

    def __init__(self, entries, sansldap, root_dse_cls):
        self.entries = entries
        self.sansldap = sansldap
        self.root_dse = root_dse_cls(default_naming_context=DOMAIN, subschema_subentry=SUBSCHEMA,
                                     supported_controls=[])
        self.searches = []

    def __enter__(self):
        return self

    def __exit__(self, *args):
        return None

    def _values(self, entry, attribute):
        for name, values in entry.items():
            if name.lower() == attribute.lower():
                return values
        return []

    def _matches(self, f, entry):
        s = self.sansldap
        if isinstance(f, s.FilterAnd):
            return all(self._matches(x, entry) for x in f.filters)
        if isinstance(f, s.FilterOr):
            return any(self._matches(x, entry) for x in f.filters)
        if isinstance(f, s.FilterNot):
            return not self._matches(f.filter, entry)
        if isinstance(f, s.FilterPresent):
            return bool(self._values(entry, f.attribute))
        values = [v.lower() for v in self._values(entry, f.attribute)]
        if isinstance(f, s.FilterEquality):
            wanted = f.value.decode("utf-8").lower()
            if f.attribute.lower() == "objectcategory" and "=" not in wanted:
                # AD takes a class name for objectCategory and matches the class's
                # defaultObjectCategory: (objectCategory=computer) is CN=Computer,CN=Schema,...
                return any(v.startswith("cn=%s," % wanted) for v in values)
            return wanted in values
        if isinstance(f, s.FilterSubstrings):
            def sub(v):
                if f.initial is not None and not v.startswith(f.initial.decode("utf-8").lower()):
                    return False
                if f.final is not None and not v.endswith(f.final.decode("utf-8").lower()):
                    return False
                pos = len(f.initial or b"")
                for part in f.any:
                    found = v.find(part.decode("utf-8").lower(), pos)
                    if found < 0:
                        return False
                    pos = found + len(part)
                return True
            return any(sub(v) for v in values)
        if isinstance(f, s.FilterExtensibleMatch) and f.rule in (BIT_AND, BIT_OR) and not f.dn_attributes:
            mask = int(f.value)
            if f.rule == BIT_AND:
                return any(int(v) & mask == mask for v in values)
            return any(int(v) & mask != 0 for v in values)
        raise NotImplementedError("the recorded directory does not evaluate %r" % (f,))

    def search(self, filter, attributes, search_base=None, search_scope=None):
        s = self.sansldap
        if not isinstance(filter, s.LDAPFilter):
            filter = s.LDAPFilter.from_string(filter)
        base = DOMAIN if search_base is None else search_base
        scope = {s.SearchScope.BASE: "base", s.SearchScope.ONE_LEVEL: "one_level",
                 None: "subtree", s.SearchScope.SUBTREE: "subtree"}[search_scope]
        self.searches.append({"filter": str(filter), "base": base, "scope": scope,
                              "attributes": sorted(a.lower() for a in attributes)})
        wanted = set(a.lower() for a in attributes)
        found = {}
        for dn, entry in self.entries.items():
            if _in_scope(dn, base, scope) and self._matches(filter, entry):
                found[dn] = dict((name, [v.encode("utf-8") for v in values])
                                 for name, values in entry.items() if name.lower() in wanted)
        return found


def _load(scenario):
    """Load inventories/ad as ansible-playbook does; return what a test checks."""
    from ansible.plugins.loader import init_plugin_loader

    init_plugin_loader([COLLECTIONS])

    import sansldap
    from ansible.errors import AnsibleError
    from ansible.inventory.manager import InventoryManager
    from ansible.parsing.dataloader import DataLoader
    from ansible.vars.manager import VariableManager
    from ansible_collections.microsoft.ad.plugins.inventory import ldap as ldap_inventory
    from ansible_collections.microsoft.ad.plugins.plugin_utils._ldap.client import RootDSE

    directory = RecordedDirectory(RECORDED, sansldap, RootDSE)
    connections = []

    def create_ldap_connection(**options):
        connections.append(dict((k, options.get(k)) for k in (
            "server", "port", "tls_mode", "cert_validation", "ca_cert", "auth_protocol",
            "username", "password", "encrypt")))
        if scenario == "unreachable":
            # What the real one raises when the DC does not answer.
            raise AnsibleError("Failed to connect to %s:636: [Errno 113] No route to host" % options["server"])
        return directory

    ldap_inventory.create_ldap_connection = create_ldap_connection

    loader = DataLoader()
    try:
        inventory = InventoryManager(loader=loader, sources=[INVENTORY + os.sep])
    except AnsibleError as e:
        return {"error": str(e), "connections": connections}
    variables = VariableManager(loader=loader, inventory=inventory)
    hosts = {}
    for host in inventory.get_hosts():
        merged = variables.get_vars(host=host, include_hostvars=False)
        hosts[host.name] = {
            "inventory_vars": dict(host.get_vars()),
            "vars": dict((k, v) for k, v in merged.items()
                         if k.startswith(("ansible_host", "ansible_connection", "ansible_port", "ansible_user",
                                          "ansible_password", "ansible_psrp_", "ad_", "webroot_", "microsoft_ad_"))),
        }
    groups = dict((name, sorted(h.name for h in group.get_hosts()))
                  for name, group in inventory.groups.items())
    return {"hosts": hosts, "groups": groups, "connections": connections, "searches": directory.searches}


if __name__ == "__main__":
    json.dump(_load(sys.argv[1]), sys.stdout, default=str, sort_keys=True)
    sys.exit(0)


# --------------------------------------------------------------------------------------
# The tests
# --------------------------------------------------------------------------------------

pytest.importorskip("sansldap", reason="microsoft.ad.ldap needs sansldap: pip install -r inventories/ad/requirements.txt")


def _run(scenario, **env):
    child_env = dict((k, v) for k, v in os.environ.items() if not k.startswith(("ANSIBLE_", "MICROSOFT_AD_LDAP_")))
    child_env.update(ANSIBLE_COLLECTIONS_PATH=COLLECTIONS, **env)
    proc = subprocess.run([sys.executable, os.path.abspath(__file__), scenario], cwd=REPO, env=child_env,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True,
                          timeout=120, check=False)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout), proc.stderr


@pytest.fixture(scope="module")
def loaded():
    return _run("recorded")


@pytest.fixture(scope="module")
def inv(loaded):
    return loaded[0]


def test_every_file_of_the_directory_parses(loaded):
    result, stderr = loaded
    assert "error" not in result
    assert "Failed to parse" not in stderr and "Unable to parse" not in stderr, stderr
    # README.md and requirements.txt are not inventory sources (ignored extensions).
    assert "README" not in stderr and "requirements" not in stderr, stderr


def test_ldap_connection_is_the_files_with_no_credential(inv):
    assert inv["connections"] == [{
        "server": "dc01.corp.example.test", "port": None, "tls_mode": "ldaps", "cert_validation": "always",
        "ca_cert": "/etc/pki/corp-example/root-ca.pem", "auth_protocol": "kerberos",
        "username": None, "password": None, "encrypt": True,
    }]


def test_one_search_for_the_computers_with_the_files_filter(inv):
    schema, computers = inv["searches"]
    assert schema == {"filter": "(objectClass=*)", "base": SUBSCHEMA, "scope": "base",
                      "attributes": ["attributetypes"]}
    assert computers == {
        "filter": "(&(objectCategory=computer)(&(operatingSystem=Windows*)(dNSHostName=*)"
                  "(!(userAccountControl:1.2.840.113556.1.4.803:=2))))",
        "base": DOMAIN, "scope": "subtree",
        "attributes": ["dnshostname", "memberof", "name", "operatingsystem"],
    }


def test_hosts_in_the_inventory(inv):
    assert sorted(inv["hosts"]) == [
        "DC01", "FS-01", "WR-CONSOLE-01", "WR-DIST-01", "WR-DIST-02",
        "WS-FIN-001", "WS-HR-001", "WS-LYO-001", "WS-NEW-007", "WS-RET-003",
        "proxy-01",
    ]


@pytest.mark.parametrize("name, why", [
    ("WS-FIN-099", "disabled (userAccountControl 4098)"),
    ("WR-DIST-OLD", "disabled, although a member of Webroot Distributors"),
    ("WS-FIN-100", "pre-staged: no dNSHostName, no operatingSystem"),
    ("LNX-DEV-01", "not Windows, although under OU=Workstations"),
    ("svc-ansible", "a user, not a computer"),
])
def test_left_out(inv, name, why):
    assert name not in inv["hosts"], why
    assert not any(name in members for members in inv["groups"].values()), why


def test_webroot_groups(inv):
    groups = inv["groups"]
    assert groups["webroot_distributors"] == ["WR-DIST-01", "WR-DIST-02", "WS-LYO-001"]
    assert groups["webroot_servers"] == ["WR-CONSOLE-01"]
    # OU=Workstations at any depth; not CN=Computers, not OU=Workstations,OU=Retired.
    assert groups["webroot_clients"] == ["WS-FIN-001", "WS-HR-001", "WS-LYO-001"]
    assert groups["webroot_update_endpoints"] == ["proxy-01"]
    assert groups["windows"] == [
        "DC01", "FS-01", "WR-CONSOLE-01", "WR-DIST-01", "WR-DIST-02",
        "WS-FIN-001", "WS-HR-001", "WS-LYO-001", "WS-NEW-007", "WS-RET-003"]


def test_keyed_groups_by_operating_system(inv):
    ad_os = dict((k, v) for k, v in inv["groups"].items() if k.startswith("ad_os_"))
    assert ad_os == {
        "ad_os_windows_server_2022_standard": ["FS-01", "WR-CONSOLE-01", "WR-DIST-01"],
        "ad_os_windows_server_2019_standard": ["WR-DIST-02"],
        "ad_os_windows_server_2022_datacenter": ["DC01"],
        "ad_os_windows_11_enterprise": ["WS-FIN-001", "WS-NEW-007"],
        "ad_os_windows_11_pro": ["WS-LYO-001"],
        "ad_os_windows_10_enterprise": ["WS-HR-001", "WS-RET-003"],
    }


def test_inventory_host_vars_from_ad(inv):
    """What the plugin and the file's attributes/compose set, typed as the schema says."""
    assert inv["hosts"]["WR-DIST-01"]["inventory_vars"] == {
        "inventory_hostname": "WR-DIST-01",
        "inventory_hostname_short": "WR-DIST-01",
        "group_names": ["ad_os_windows_server_2022_standard", "webroot_distributors", "windows"],
        "inventory_dir": INVENTORY,
        "inventory_file": os.path.join(INVENTORY, "webroot.microsoft.ad.ldap.yml"),
        "ansible_host": "wr-dist-01.corp.example.test",
        "ansible_connection": "psrp",
        "microsoft_ad_distinguished_name": "CN=WR-DIST-01,OU=Servers," + DOMAIN,
        "ad_operating_system": "Windows Server 2022 Standard",
        "ad_member_of": [DISTRIBUTORS.lower(), OTHER_GROUP.lower()],
    }
    # No memberOf at all (only the primary group, Domain Computers): an empty list.
    assert inv["hosts"]["WS-FIN-001"]["inventory_vars"]["ad_member_of"] == []


@pytest.mark.parametrize("name, fqdn", [
    ("WR-DIST-01", "wr-dist-01.corp.example.test"),
    ("WR-CONSOLE-01", "wr-console-01.corp.example.test"),
    ("WS-FIN-001", "ws-fin-001.corp.example.test"),
    ("WS-LYO-001", "ws-lyo-001.corp.example.test"),
])
def test_ansible_host_is_the_dns_host_name(inv, name, fqdn):
    host = inv["hosts"][name]["vars"]
    assert host["ansible_host"] == fqdn
    # AD gives no address: nothing sets one.
    assert "webroot_address" not in host


def test_windows_hosts_connect_with_psrp_kerberos_https(inv):
    assert inv["hosts"]["WS-HR-001"]["vars"] == {
        "ansible_host": "ws-hr-001.corp.example.test",
        "ansible_connection": "psrp",
        "ansible_port": 5986,
        "ansible_psrp_protocol": "https",
        "ansible_psrp_auth": "kerberos",
        "ansible_user": "svc-ansible@CORP.EXAMPLE.TEST",
        "ansible_psrp_cert_validation": "validate",
        "ansible_psrp_ca_cert": "/etc/pki/corp-example/root-ca.pem",
        "ansible_psrp_connection_timeout": 10,
        "ansible_psrp_operation_timeout": 10,
        "ansible_psrp_read_timeout": 20,
        "ansible_psrp_reconnection_retries": 0,
        "webroot_gather_facts": False,
        "microsoft_ad_distinguished_name": "CN=WS-HR-001,OU=HR," + WORKSTATIONS_OU,
        "ad_operating_system": "Windows 10 Enterprise",
        "ad_member_of": [VPN_GROUP.lower()],
    }


def test_psrp_timeouts_are_consistent(inv):
    """ansible-doc -t connection ansible.builtin.psrp: the operation timeout should not exceed the
    connection timeout, and the read timeout must exceed the operation timeout."""
    v = inv["hosts"]["WS-FIN-001"]["vars"]
    assert v["ansible_psrp_operation_timeout"] <= v["ansible_psrp_connection_timeout"]
    assert v["ansible_psrp_read_timeout"] > v["ansible_psrp_operation_timeout"]


def test_the_proxy_is_a_static_destination(inv):
    assert inv["hosts"]["proxy-01"]["vars"] == {
        "ansible_host": "proxy-01.corp.example.test",
        "webroot_address": "192.0.2.10",
    }


def test_unreachable_dc_stops_the_run_with_any_unparsed_is_failed():
    """README's run command: without the directory, no partial or empty estate."""
    result = _run("unreachable", ANSIBLE_INVENTORY_ANY_UNPARSED_IS_FAILED="true")[0]
    assert len(result["connections"]) == 1
    assert "webroot.microsoft.ad.ldap.yml" in result["error"], result["error"]


def test_unreachable_dc_without_it_leaves_only_the_static_file():
    """Ansible's default: a warning, and the run goes on with what parsed (why README sets it)."""
    result, stderr = _run("unreachable")
    assert "error" not in result
    assert "No route to host" in stderr
    assert sorted(result["hosts"]) == ["proxy-01"]
    assert "webroot_clients" not in result["groups"]


def test_shard_groups_by_a_stable_hash_of_the_name(inv):
    """keyed_groups: webroot_shard_<n> (K = 4 in the file), n = 1 + the first 32 bits of
    sha1(lowercased name) modulo 4. By hand: sha1('ws-hr-001') begins 4279aacc, 0x4279aacc % 4 = 0, shard 1;
    sha1('ws-fin-001') begins ea1a8ae6, % 4 = 2, shard 3. WS-LYO-001 is a workstation and a distributor: the
    estate node applies it, so it is in no shard; servers and the rest neither."""
    groups = inv["groups"]
    shards = dict((k, v) for k, v in groups.items() if k.startswith("webroot_shard_"))
    assert shards == {"webroot_shard_1": ["WS-HR-001"], "webroot_shard_3": ["WS-FIN-001"]}
    assert groups["webroot_shards"] == ["WS-FIN-001", "WS-HR-001"]
    # Every workstation that is neither distributor nor server is in exactly one shard.
    pure = set(groups["webroot_clients"]) - set(groups["webroot_distributors"]) - set(groups["webroot_servers"])
    placed = [h for members in shards.values() for h in members]
    assert sorted(placed) == sorted(pure)
    # The shard groups are groups of the inventory, not host variables: nothing else changes.
    assert "webroot_shard" not in inv["hosts"]["WS-HR-001"]["inventory_vars"]

# -*- coding: utf-8 -*-
# Copyright: (c) 2026, webroot.enterprise contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The execution environment definition makes a complete ansible-builder build context.

``ansible-builder create`` only: building the image needs a container registry
(the base image), which is not reachable here. The collection tarball is built
into a copy of the definition's directory, where execution-environment.yml
expects it (.cache/ee/).

The EE's Python part (Kerberos, PSRP, WinRM, what microsoft.ad.ldap needs) is also
pip-installed into a venv, as the image build would: gssapi, krb5 and pykerberos have
no Linux wheels and build from source against the MIT Kerberos headers (Debian:
libkrb5-dev, which scripts/setup.sh installs). The venv is kept under
.cache/ee-venv/, keyed by the hash of what it installs, so a rerun costs seconds.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import textwrap

import pytest
import yaml

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
DEPENDENCIES = ("ansible.posix", "community.general", "ansible.windows", "community.windows")
EE_VENVS = os.path.join(REPO, ".cache", "ee-venv")

# Written out by hand: what an Active Directory estate needs in the EE.
PYTHON = [
    "jmespath",
    "pywinrm[kerberos]>=0.4.0",
    "pypsrp[kerberos]>=0.4.0,<1.0.0",
    "pyspnego[kerberos]>=0.8.0",
    "sansldap",
    "dnspython",
]
SYSTEM = [
    "krb5-libs [platform:rpm]",
    "krb5-workstation [platform:rpm]",
    "krb5-devel [platform:rpm compile]",
    "gcc [platform:rpm compile]",
    "python3-devel [platform:rpm compile]",
]


def _ee():
    with open(os.path.join(REPO, "execution-environment.yml")) as f:
        return yaml.safe_load(f)


def _bin(name):
    here = os.path.join(os.path.dirname(sys.executable), name)
    return here if os.path.exists(here) else shutil.which(name)


def _run(cmd, cwd, timeout=120):
    proc = subprocess.run(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          universal_newlines=True, timeout=timeout, check=False)
    assert proc.returncode == 0, "%s failed (rc %d):\n%s" % (" ".join(cmd), proc.returncode, proc.stdout)
    return proc.stdout


@pytest.fixture(scope="module")
def context(tmp_path_factory):
    if not _bin("ansible-builder"):
        pytest.skip("ansible-builder is not installed (requirements.txt)")
    work = str(tmp_path_factory.mktemp("ee"))
    for name in ("execution-environment.yml", "requirements.yml"):
        shutil.copy(os.path.join(REPO, name), work)
    _run([_bin("ansible-galaxy"), "collection", "build", "--force", "--output-path",
          os.path.join(work, ".cache", "ee"), REPO], cwd=work)
    out = os.path.join(work, "context")
    log = _run([_bin("ansible-builder"), "create", "-f", "execution-environment.yml", "-c", out], cwd=work)
    assert "No matches" not in log, log
    return out


def test_definition_is_version_3():
    ee = _ee()
    assert ee["version"] == 3
    assert ee["dependencies"]["python"] == PYTHON
    assert ee["dependencies"]["system"] == SYSTEM


def test_containerfile_installs_the_requirements_and_the_collection(context):
    with open(os.path.join(context, "Containerfile")) as f:
        text = f.read()
    assert re.search(r"ansible-galaxy collection install .*-r requirements\.yml", text)
    assert re.search(r"ansible-galaxy collection install --offline .*/build/collections/webroot-enterprise-\*\.tar\.gz", text)
    assert "pip install" in text and "ansible-core" in text
    tarballs = os.listdir(os.path.join(context, "_build", "collections"))
    assert len(tarballs) == 1 and re.match(r"webroot-enterprise-\d+\.\d+\.\d+\.tar\.gz$", tarballs[0]), tarballs


def test_containerfile_configures_kerberos_for_active_directory(context):
    """The KDCs from DNS, no reverse lookup, in a drop-in that /etc/krb5.conf includes,
    written in the final image (after the Python packages are in)."""
    with open(os.path.join(context, "Containerfile")) as f:
        text = f.read()
    final = text[text.rindex("\nFROM "):]
    assert "printf '[libdefaults]\\n  dns_lookup_kdc = true\\n  rdns = false\\n' > /etc/krb5.conf.d/webroot-ee.conf" in final
    assert "printf 'includedir /etc/krb5.conf.d/\\n' >> /etc/krb5.conf" in final
    assert final.index("install-from-bindep") < final.index("webroot-ee.conf")


def test_bindep_lists_the_kerberos_packages(context):
    with open(os.path.join(context, "_build", "bindep.txt")) as f:
        lines = [line.strip() for line in f if line.strip() and not line.startswith("#")]
    for entry in SYSTEM:
        assert entry in lines, (entry, lines)


def test_galaxy_requirements_list_the_dependencies(context):
    with open(os.path.join(context, "_build", "requirements.yml")) as f:
        wanted = yaml.safe_load(f)["collections"]
    names = [c["name"] for c in wanted]
    assert sorted(names) == sorted(DEPENDENCIES + ("microsoft.ad",))
    # The same ranges as galaxy.yml (and requirements.yml), so that the EE satisfies the
    # collection's own dependencies (the tarball is installed with --offline after them).
    with open(os.path.join(REPO, "galaxy.yml")) as f:
        galaxy = yaml.safe_load(f)
    ranges = dict((c["name"], c["version"]) for c in wanted)
    assert dict((n, ranges[n]) for n in DEPENDENCIES) == galaxy["dependencies"]
    with open(os.path.join(REPO, "requirements.yml")) as f:
        assert dict((c["name"], c["version"]) for c in yaml.safe_load(f)["collections"]) == galaxy["dependencies"]
    # microsoft.ad.ldap, the inventory of inventories/ad.
    assert ranges["microsoft.ad"] == ">=1.10.0"


def test_python_requirements(context):
    with open(os.path.join(context, "_build", "requirements.txt")) as f:
        reqs = [line.split("#", 1)[0].strip() for line in f]
    assert [r for r in reqs if r] == PYTHON


# --- the Python part, installed for real ---------------------------------------------

@pytest.fixture(scope="module")
def ee_venv():
    """A venv with the EE's Python packages (and its ansible-core), cached under
    .cache/ee-venv/<hash of the requirements and this Python>."""
    ee = _ee()
    reqs = [ee["dependencies"]["ansible_core"]["package_pip"]] + list(ee["dependencies"]["python"])
    key = hashlib.sha256(("\n".join(reqs) + "\n" + sys.version).encode()).hexdigest()[:16]
    venv = os.path.join(EE_VENVS, key)
    python = os.path.join(venv, "bin", "python")
    done = os.path.join(venv, ".installed")
    if os.path.exists(done):
        return python
    if os.path.isdir(EE_VENVS):   # venvs of other requirements: stale
        for name in os.listdir(EE_VENVS):
            shutil.rmtree(os.path.join(EE_VENVS, name), ignore_errors=True)
    os.makedirs(EE_VENVS, exist_ok=True)
    _run([sys.executable, "-m", "venv", venv], cwd=REPO)
    with open(os.path.join(venv, "requirements.txt"), "w") as f:
        f.write("\n".join(reqs) + "\n")
    proc = subprocess.run([python, "-m", "pip", "install", "-q", "-r", os.path.join(venv, "requirements.txt")],
                          cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, universal_newlines=True,
                          timeout=1500, check=False)
    if proc.returncode != 0:
        hint = "" if shutil.which("krb5-config") else (
            "\nkrb5-config is missing: gssapi, krb5 and pykerberos build against the MIT Kerberos "
            "headers; install libkrb5-dev (scripts/setup.sh does).")
        pytest.fail("pip install of the EE's Python requirements failed (rc %d):\n%s%s"
                    % (proc.returncode, proc.stdout[-4000:], hint))
    with open(done, "w") as f:
        f.write(_run([python, "-m", "pip", "freeze"], cwd=REPO))
    return python


def test_the_python_part_installs_and_kerberos_works(ee_venv):
    """Every library the connections and microsoft.ad.ldap import is there; gssapi is
    linked to the MIT libraries (a Kerberos name is built, no KDC needed); pyspnego
    offers Kerberos; Ansible's psrp and winrm connection plugins find their libraries."""
    script = textwrap.dedent("""
        import json
        import dns.resolver, gssapi, jmespath, kerberos, krb5, pypsrp, sansldap, spnego, winrm
        from spnego._gss import GSSAPIProxy
        from ansible.plugins.connection import psrp, winrm as winrm_plugin
        name = gssapi.Name("WSMAN@ws-fin-001.corp.example.test", gssapi.NameType.hostbased_service)
        print(json.dumps({
            "name": str(name),
            "mech": gssapi.MechType.kerberos.dotted_form,
            "spnego": sorted(GSSAPIProxy.available_protocols()),
            "psrp": psrp.HAS_PYPSRP,
            "winrm": winrm_plugin.HAS_WINRM,
            "winrm_kerberos": winrm_plugin.HAVE_KERBEROS,
        }))
    """)
    out = json.loads(_run([ee_venv, "-c", script], cwd=REPO).strip().splitlines()[-1])
    assert out["name"] == "WSMAN@ws-fin-001.corp.example.test"
    assert out["mech"] == "1.2.840.113554.1.2.2"   # the Kerberos 5 mechanism OID
    assert "kerberos" in out["spnego"]
    assert out["psrp"] is True and out["winrm"] is True and out["winrm_kerberos"] is True

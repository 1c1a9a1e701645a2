#!/usr/bin/env bash
# Installs everything the collection, its lab and its tests need on a fresh
# Debian 12 machine (run as root): apt packages, a Python venv in .venv, and the
# collection linked into .cache/collections so ansible finds webroot.enterprise.
# Idempotent: a second run only checks.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

# libkrb5-dev, gcc, python3-dev: tests/integration/test_ee.py pip-installs the execution
# environment's Python packages (Kerberos: gssapi, krb5, pykerberos), which have no
# Linux wheels and build against the MIT Kerberos headers (krb5-config).
# chromium: tests/unit/plugins/plugin_utils/test_verify_render_hostile.py opens the verify
# HTML report in headless Chromium.
APT_PKGS=(podman runc debootstrap iptables nftables ipset openssl nmap uidmap make shellcheck
          libkrb5-dev gcc python3-dev chromium)
missing=()
for p in "${APT_PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: apt-get install ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

PY=${WEBROOT_PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  echo "setup: creating .venv with $($PY --version)"
  "$PY" -m venv .venv
fi
stamp=.venv/.requirements.sha
want=$(sha256sum requirements.txt | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  echo "setup: pip install -r requirements.txt"
  .venv/bin/pip install -q --upgrade pip >/dev/null
  .venv/bin/pip install -q -r requirements.txt
  echo "$want" > "$stamp"
fi

# The collection is the repository itself; ansible finds it through this link.
mkdir -p .cache/collections/ansible_collections/webroot
ln -sfn "$ROOT" .cache/collections/ansible_collections/webroot/enterprise
echo "setup: ok (ansible-core $(.venv/bin/python -c 'from ansible.release import __version__ as v; print(v)'))"

#!/usr/bin/env bash
# ansible-test sanity, run on a copy of the collection placed where ansible-test
# wants it (ansible_collections/webroot/enterprise). No ignore file.
# What cannot run here, and why:
#   - pslint and the PowerShell half of validate-modules need pwsh, which no
#     registry reachable from this machine provides. validate-modules therefore
#     runs on a copy without the .ps1 files (their syntax is checked by
#     tests/unit/test_powershell_parse.py with tree-sitter-powershell).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
VENV=${WEBROOT_VENV:-$ROOT/.venv}   # scripts/matrix.sh runs it with other ansible-core versions
export PATH=$VENV/bin:$PATH
pip_version=$(grep -oP "pip='\K[0-9.]+" "$VENV"/lib/python3*/site-packages/ansible_test/_internal/python_requirements.py | head -1)
cache=~/.ansible/test/cache/get_pip_${pip_version//./_}.py
mkdir -p "$(dirname "$cache")"
cp scripts/ansible_test_get_pip.py "$cache"

copy() {  # copy DEST [EXCLUDE_GLOB]: the tracked and new files of the working tree
  rm -rf "$1"; mkdir -p "$1"
  git ls-files -co --exclude-standard | grep -v "${2:-^$}" | tar -cf - -T - | tar -C "$1" -xf -
}
# Outside the repository: inside it, ansible-test would ask git for the file list
# and skip the (ignored) copy.
base=${SANITY_DIR:-/tmp/webroot-enterprise-sanity}
coll=$base/full/ansible_collections/webroot/enterprise
copy "$coll"
(cd "$coll" && ansible-test sanity --python "${SANITY_PYTHON:-3.11}" --requirements --skip-test validate-modules "$@")
nops=$base/no-ps1/ansible_collections/webroot/enterprise
copy "$nops" '\.ps1$'
(cd "$nops" && ansible-test sanity --python "${SANITY_PYTHON:-3.11}" --requirements --test validate-modules "$@")
echo "sanity: ok"

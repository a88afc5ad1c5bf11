#!/usr/bin/env bash
# Installs the Debian packages the tests need that are missing, in one apt-get run (as root):
#   scripts/debian_packages.sh chromium:/usr/bin/chromium redis-server:/usr/bin/redis-server ...
# Each argument is PACKAGE:FILE, the file whose absence means the package is missing. Not root (or
# no apt-get): says what is missing and succeeds; the tests that need it say so and skip.
set -euo pipefail
missing=()
for wanted in "$@"; do
  [ -e "${wanted#*:}" ] || missing+=("${wanted%%:*}")
done
[ ${#missing[@]} = 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "debian_packages.sh: installing ${missing[*]}" >&2
  apt-get update -qq >&2
  # policy-rc.d: install the servers without starting them (the tests start their own, on private ports).
  made_policy=
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d && made_policy=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >&2 || status=$?
  [ -n "$made_policy" ] && rm -f /usr/sbin/policy-rc.d
  exit "${status:-0}"
fi
echo "debian_packages.sh: not root, so not installing ${missing[*]}: the tests that need them will skip" >&2

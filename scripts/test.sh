#!/usr/bin/env bash
# The whole test suite, twice: on SQLite (the embedded default) and on a real PostgreSQL server.
# TEST_DATABASE_URL=postgres://... points the second run at an existing server; otherwise a
# throwaway one is started on a private loopback port (and the Debian package installed, as root).
set -uo pipefail
cd "$(dirname "$0")/.."
pytest=.venv/bin/pytest
scripts/chromium.sh || echo "(could not install Chromium: the browser tests will say so and skip)"

echo "=== Test suite on SQLite"
DATABASE_URL= $pytest "$@"
sqlite_status=$?

echo
echo "=== Test suite on PostgreSQL"
pg_status=0
if [ -n "${TEST_DATABASE_URL:-}" ]; then
  DATABASE_URL=$TEST_DATABASE_URL $pytest "$@"
  pg_status=$?
else
  pgdir=$(mktemp -d /tmp/portal-pgtest.XXXXXX)
  chmod 755 "$pgdir"
  trap 'scripts/postgres.sh stop "$pgdir"' EXIT
  url=$(scripts/postgres.sh start "$pgdir")
  start_status=$?
  if [ $start_status = 3 ]; then
    echo "######################################################################"
    echo "# NO POSTGRESQL: not root and no server installed, so the suite ran  #"
    echo "# on SQLite only. Install Debian's postgresql package or set         #"
    echo "# TEST_DATABASE_URL=postgres://... to test on PostgreSQL too.        #"
    echo "######################################################################"
  elif [ $start_status != 0 ]; then
    echo "Could not start a PostgreSQL server for the tests (see above)." >&2
    pg_status=$start_status
  else
    echo "(throwaway server at $url)"
    DATABASE_URL=$url $pytest "$@"
    pg_status=$?
  fi
fi

echo
echo "=== SQLite: $([ $sqlite_status = 0 ] && echo passed || echo "FAILED ($sqlite_status)"); PostgreSQL: $([ $pg_status = 0 ] && echo passed || echo "FAILED ($pg_status)")"
[ $sqlite_status = 0 ] && [ $pg_status = 0 ]

#!/usr/bin/env bash
# The whole test suite, twice: on SQLite (the embedded default) and on a real PostgreSQL server.
# TEST_DATABASE_URL=postgres://... points the second run at an existing server; otherwise a
# throwaway one is started on a private loopback port (and the Debian package installed, as root).
# A throwaway Redis (TEST_REDIS_URL to use another) serves the tests that need one on both runs, and
# is the cache of the whole second run: SQLite + per-process memory, PostgreSQL + Redis, as deployed.
set -uo pipefail
cd "$(dirname "$0")/.."
pytest=.venv/bin/pytest
# The servers and the browser the tests drive, in one apt-get run (as root), before anything starts.
scripts/debian_packages.sh chromium:/usr/bin/chromium redis-server:/usr/bin/redis-server nginx:/usr/sbin/nginx \
  postgresql:/usr/lib/postgresql || echo "(could not install every package: the tests that need one will say so and skip)"

redis_url=${TEST_REDIS_URL:-}
if [ -z "$redis_url" ]; then
  redisdir=$(mktemp -d /tmp/portal-redistest.XXXXXX)
  trap 'scripts/redis.sh stop "$redisdir"' EXIT
  redis_url=$(scripts/redis.sh start "$redisdir") || redis_url=
fi
[ -n "$redis_url" ] && echo "(Redis at $redis_url)" || echo "(no Redis: the tests that need one will skip)"
export TEST_REDIS_URL=$redis_url

echo "=== Test suite on SQLite"
DATABASE_URL= DJANGO_CACHE_URL= $pytest "$@"
sqlite_status=$?

echo
echo "=== Test suite on PostgreSQL, with Redis as the cache"
pg_status=0
if [ -n "${TEST_DATABASE_URL:-}" ]; then
  DATABASE_URL=$TEST_DATABASE_URL DJANGO_CACHE_URL=$redis_url $pytest "$@"
  pg_status=$?
else
  pgdir=$(mktemp -d /tmp/portal-pgtest.XXXXXX)
  chmod 755 "$pgdir"
  trap 'scripts/postgres.sh stop "$pgdir"; [ -n "${redisdir:-}" ] && scripts/redis.sh stop "$redisdir"' EXIT
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
    DATABASE_URL=$url DJANGO_CACHE_URL=$redis_url $pytest "$@"
    pg_status=$?
  fi
fi

echo
echo "=== SQLite: $([ $sqlite_status = 0 ] && echo passed || echo "FAILED ($sqlite_status)"); PostgreSQL + Redis: $([ $pg_status = 0 ] && echo passed || echo "FAILED ($pg_status)")"
[ $sqlite_status = 0 ] && [ $pg_status = 0 ]

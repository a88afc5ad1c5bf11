#!/usr/bin/env bash
# The whole test suite, twice: on SQLite (the embedded default, each process caching on its own) and
# on a real PostgreSQL server with a real Redis as the cache (as deployed).
# TEST_DATABASE_URL=postgres://... points the second run at an existing server, TEST_REDIS_URL=redis://...
# at an existing Redis; otherwise throwaway ones are started on private loopback ports (the Debian
# packages installed first, as root). Both servers are up for both runs: the SQLite run restores a
# backup into PostgreSQL (TEST_POSTGRES_URL), and the tests that need Redis use it on both.
set -uo pipefail
cd "$(dirname "$0")/.."
# Two processes (the CI machine's two cores; pytest-xdist gives each its own test database and Redis
# database): the suite takes about a third of its serial time. TEST_WORKERS=0 runs it in one process.
pytest=(.venv/bin/pytest -n "${TEST_WORKERS:-2}")
# The servers and the browser the tests drive, in one apt-get run (as root), before anything starts.
scripts/debian_packages.sh chromium:/usr/bin/chromium redis-server:/usr/bin/redis-server nginx:/usr/sbin/nginx \
  postgresql:/usr/lib/postgresql || echo "(could not install every package: the tests that need one will say so and skip)"

pgdir= redisdir=
cleanup() {
  [ -n "$pgdir" ] && scripts/postgres.sh stop "$pgdir"
  [ -n "$redisdir" ] && scripts/redis.sh stop "$redisdir"
}
trap cleanup EXIT

pg_url=${TEST_DATABASE_URL:-}
pg_missing=
if [ -z "$pg_url" ]; then
  pgdir=$(mktemp -d /tmp/portal-pgtest.XXXXXX)
  chmod 755 "$pgdir"
  pg_url=$(scripts/postgres.sh start "$pgdir")
  start_status=$?
  if [ $start_status = 3 ]; then
    pg_missing=yes pg_url=
  elif [ $start_status != 0 ]; then
    echo "Could not start a PostgreSQL server for the tests (see above)." >&2
    exit $start_status
  fi
fi
[ -n "$pg_url" ] && echo "(PostgreSQL at $pg_url)"

redis_url=${TEST_REDIS_URL:-}
if [ -z "$redis_url" ]; then
  redisdir=$(mktemp -d /tmp/portal-redistest.XXXXXX)
  redis_url=$(scripts/redis.sh start "$redisdir") || redis_url=
fi
[ -n "$redis_url" ] && echo "(Redis at $redis_url)" || echo "(no Redis: the tests that need one will skip)"
export TEST_REDIS_URL=$redis_url TEST_POSTGRES_URL=$pg_url

echo "=== Test suite on SQLite"
DATABASE_URL= DJANGO_CACHE_URL= "${pytest[@]}" "$@"
sqlite_status=$?

echo
echo "=== Test suite on PostgreSQL, with Redis as the cache"
pg_status=0
if [ -n "$pg_missing" ]; then
  echo "######################################################################"
  echo "# NO POSTGRESQL: not root and no server installed, so the suite ran  #"
  echo "# on SQLite only. Install Debian's postgresql package or set         #"
  echo "# TEST_DATABASE_URL=postgres://... to test on PostgreSQL too.        #"
  echo "######################################################################"
else
  DATABASE_URL=$pg_url DJANGO_CACHE_URL=$redis_url "${pytest[@]}" "$@"
  pg_status=$?
fi

echo
echo "=== SQLite: $([ $sqlite_status = 0 ] && echo passed || echo "FAILED ($sqlite_status)"); PostgreSQL + Redis: $([ $pg_status = 0 ] && echo passed || echo "FAILED ($pg_status)")"
[ $sqlite_status = 0 ] && [ $pg_status = 0 ]

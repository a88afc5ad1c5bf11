#!/usr/bin/env bash
# A throwaway PostgreSQL server for the test suite, on a private loopback port.
#   scripts/postgres.sh start DIR   -> installs the Debian package if needed (as root), starts a server
#                                      whose files live in DIR, prints its URL on stdout
#   scripts/postgres.sh stop DIR    -> stops it and removes DIR
#   scripts/postgres.sh serve DIR   -> a kept server (benchmarks): starts the one in DIR, making it on the
#                                      first call, or prints the URL of the one already running there
#   scripts/postgres.sh halt DIR    -> stops a kept server, keeping its files
# Exit code 3 means "no PostgreSQL to be had here" (not root and none installed).
set -euo pipefail
action=${1:?start or stop}
dir=${2:?a directory for the server files}

find_bindir() {
  ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
}

as_server_user() {
  # initdb and postgres refuse to run as root; Debian's package creates the postgres user.
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

installed_bindir() {
  # The server binaries, installing Debian's package first (as root) when there are none.
  local bindir
  bindir=$(find_bindir)
  if [ -z "$bindir" ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "postgres.sh: installing Debian's postgresql package" >&2
    apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
    bindir=$(find_bindir)
  fi
  echo "$bindir"
}

start_server() {
  # start_server BINDIR "SERVER OPTIONS": a cluster in $dir (made when missing) on a free loopback port.
  local bindir=$1 options=$2 port
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)  # the server runs in its data directory: the socket path must be absolute
  [ "$(id -u)" = 0 ] && chown postgres: "$dir"
  if [ ! -d "$dir/data" ]; then
    as_server_user "$bindir/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 ||
      { cat "$dir/initdb.log" >&2; exit 1; }
  fi
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  echo "$port" >"$dir/port"
  as_server_user "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w start \
    -o "-p $port -k $dir -c listen_addresses=127.0.0.1 $options" >&2 ||
    { cat "$dir/server.log" >&2; exit 1; }
  echo "postgres://postgres@127.0.0.1:$port/postgres"
}

stop_server() {
  local bindir
  bindir=$(find_bindir)
  if [ -n "$bindir" ] && [ -d "$dir/data" ]; then
    as_server_user "$bindir/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
  fi
}

case "$action" in
serve)
  bindir=$(installed_bindir)
  [ -n "$bindir" ] || exit 3
  if [ -f "$dir/port" ] && as_server_user "$bindir/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
    echo "postgres://postgres@127.0.0.1:$(cat "$dir/port")/postgres"
    exit 0
  fi
  # A server as an institution would tune it (deploy/postgresql/portal.conf; durability aside: the
  # benchmark corpora can be built again).
  start_server "$bindir" "-c shared_buffers=2GB -c work_mem=64MB -c maintenance_work_mem=1GB -c effective_cache_size=8GB -c synchronous_commit=off -c max_wal_size=8GB -c random_page_cost=1.1 -c effective_io_concurrency=200"
  ;;
halt)
  stop_server
  ;;
start)
  bindir=$(installed_bindir)
  [ -n "$bindir" ] || exit 3
  rm -rf "$dir/data"
  # Durability is worthless for a database that is thrown away after the run; speed is not.
  start_server "$bindir" "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
  ;;
stop)
  stop_server
  rm -rf "$dir"
  ;;
*)
  echo "usage: $0 start|stop|serve|halt DIR" >&2
  exit 2
  ;;
esac

#!/usr/bin/env bash
# A throwaway Redis server (Debian's redis-server) on a private loopback port, for the tests and the
# load test, like scripts/postgres.sh for PostgreSQL.
#   scripts/redis.sh start DIR   -> installs the package if needed (as root), starts a server whose files
#                                   live in DIR, prints its URL (redis://127.0.0.1:PORT/0) on stdout
#   scripts/redis.sh stop DIR    -> stops it and removes DIR
# Exit code 3 means "no Redis to be had here" (not root and none installed).
set -euo pipefail
action=${1:?start or stop}
dir=${2:?a directory for the server files}
server=/usr/bin/redis-server

case "$action" in
start)
  "$(dirname "$0")/debian_packages.sh" redis-server:$server >&2
  [ -x $server ] || exit 3
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  # A cache: nothing saved to disk; 16 databases so parallel test processes need not share one.
  $server --bind 127.0.0.1 --port "$port" --save '' --appendonly no --databases 16 --dir "$dir" \
    --daemonize yes --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" >&2
  for _ in $(seq 50); do
    redis-cli -p "$port" ping >/dev/null 2>&1 && break
    sleep 0.1
  done
  redis-cli -p "$port" ping >/dev/null || { cat "$dir/redis.log" >&2; exit 1; }
  echo "redis://127.0.0.1:$port/0"
  ;;
stop)
  [ -f "$dir/redis.pid" ] && kill "$(cat "$dir/redis.pid")" 2>/dev/null || true
  rm -rf "$dir"
  ;;
*)
  echo "usage: $0 start|stop DIR" >&2
  exit 2
  ;;
esac

#!/usr/bin/env bash
# `make serve`: the portal as production runs it, on this machine. gunicorn with deploy/gunicorn.conf.py
# (PORT, WEB_CONCURRENCY, ...) and the background worker beside it, on DATABASE_URL (the embedded SQLite
# by default) and DJANGO_CACHE_URL (per-process memory by default), debug off.
# For a try on one machine it serves plain HTTP on loopback, so the HTTPS-only defaults are turned off
# unless set, and a secret key is kept in .dev-secret-key unless DJANGO_SECRET_KEY is set. A real
# deployment starts gunicorn from deploy/systemd/ with /etc/portal/portal.env instead (README "Deploy").
set -euo pipefail
cd "$(dirname "$0")/.."
bin=.venv/bin

if [ -z "${DJANGO_SECRET_KEY:-}" ]; then
  [ -s .dev-secret-key ] || (umask 077 && $bin/python -c 'import secrets; print(secrets.token_urlsafe(50))' >.dev-secret-key)
  DJANGO_SECRET_KEY=$(cat .dev-secret-key)
fi
export DJANGO_SECRET_KEY
export DJANGO_DEBUG=0
export DJANGO_SECURE_SSL_REDIRECT=${DJANGO_SECURE_SSL_REDIRECT:-0}
export DJANGO_SESSION_COOKIE_SECURE=${DJANGO_SESSION_COOKIE_SECURE:-0}
export DJANGO_CSRF_COOKIE_SECURE=${DJANGO_CSRF_COOKIE_SECURE:-0}
export DJANGO_SECURE_HSTS_SECONDS=${DJANGO_SECURE_HSTS_SECONDS:-0}

$bin/python manage.py migrate --noinput
# Hashing and compressing every static file takes half a minute: only when a source changed.
manifest=${DJANGO_STATIC_ROOT:-staticfiles}/staticfiles.json
if [ ! -f "$manifest" ] || [ -n "$(find static requirements.txt -newer "$manifest" -print -quit)" ]; then
  $bin/python manage.py collectstatic --noinput --verbosity 0
fi
$bin/python manage.py recover_imports  # imports a killed worker left half-written: undone first
$bin/python manage.py db_worker --no-reload &
worker=$!
$bin/gunicorn -c deploy/gunicorn.conf.py &
web=$!
# Stopped together: Ctrl-C, a TERM to this script, or either one ending.
trap 'kill -TERM $web $worker 2>/dev/null; wait' EXIT
trap 'exit 0' INT TERM
wait -n $web $worker

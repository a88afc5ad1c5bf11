"""Helpers of the tests that start real processes (gunicorn, nginx, the worker, a command): a free port,
a fetch that returns error statuses as statuses, waiting for a server, and a database the processes
can share (the suite's own test database lives inside a transaction they cannot see)."""

import os
import shlex
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import pytest
from django.conf import settings

BASE_DIR = Path(settings.BASE_DIR)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(url, headers=None, data=None, method=None):
    request = urllib.request.Request(url, headers=headers or {}, data=data, method=method)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def wait_until_up(url, processes, seconds=90):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        for process in processes:
            if process.poll() is not None:
                pytest.fail(f"{process.args[0]} ended with {process.returncode} before it served")
        try:
            if fetch(url)[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    pytest.fail(f"{url} did not answer within {seconds} s")


def server_database(tmp_path):
    """A database of its own for the server's processes (the suite's test database lives inside a
    transaction they cannot see): a fresh SQLite file, or a fresh database on the PostgreSQL server."""
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        return f"sqlite:///{tmp_path / 'portal.sqlite3'}", lambda: None
    import psycopg

    url = os.environ["DATABASE_URL"]
    name = f"serve_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')

    def drop():
        with psycopg.connect(url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    head, _, query = url.partition("?")
    return head.rpartition("/")[0] + f"/{name}" + (f"?{query}" if query else ""), drop


def manage(*args, env, check=True):
    """`manage.py ARGS` in a process of its own with this environment; its result (failing the test
    with the output if `check` and it failed)."""
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=1800
    )
    assert not check or result.returncode == 0, result.stdout + result.stderr
    return result


def production_env(database_url, directory, **more):
    """The environment of a portal process as deployed (debug off, its own secret key and media folder),
    on loopback over plain HTTP (TLS is the proxy's part), on `database_url`."""
    return {
        "PATH": os.environ["PATH"],
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "DJANGO_SECRET_KEY": "a-production-secret-" + uuid.uuid4().hex,
        "DJANGO_ALLOWED_HOSTS": "localhost,127.0.0.1",
        "DATABASE_URL": database_url,
        "DJANGO_MEDIA_ROOT": str(directory / "media"),
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_SESSION_COOKIE_SECURE": "0",
        "DJANGO_CSRF_COOKIE_SECURE": "0",
        **more,
    }


def unit_command(unit):
    """ExecStart of a systemd unit in deploy/systemd/, with the checkout in place of /srv/portal."""
    text = (BASE_DIR / "deploy" / "systemd" / unit).read_text()
    line = next(line for line in text.splitlines() if line.startswith("ExecStart="))
    return shlex.split(line.removeprefix("ExecStart=").replace("/srv/portal", str(BASE_DIR)))

"""Deployment settings: production-safe by default, configured from the environment."""

import os
import subprocess
import sys

from django.conf import settings
from django.core.management import call_command


def run_manage(*args, env):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env={"PATH": os.environ["PATH"], **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_deploy_check_is_clean_with_debug_off():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env={
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": "a-production-secret-" + "x" * 50,
            "DJANGO_ALLOWED_HOSTS": "literature.example.org",
        },
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_a_bad_boolean_in_the_environment_is_a_clear_error():
    result = run_manage("check", env={"DJANGO_DEBUG": "maybe"})
    assert result.returncode != 0
    assert "DJANGO_DEBUG='maybe' is not a boolean" in result.stderr


def test_database_url_selects_postgresql():
    result = run_manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.DATABASES['default']['ENGINE'])",
        env={"DATABASE_URL": "postgres://u:p@127.0.0.1:5999/portal"},
    )
    assert result.stdout.strip().endswith("django.db.backends.postgresql")


def test_no_model_change_lacks_a_migration(db):
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)

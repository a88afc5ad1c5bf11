"""The PostgreSQL settings an institution installs (deploy/postgresql/portal.conf) are settings the real
server knows, in values it accepts, and the benchmark's server runs with the same ones."""

import os
import re

import pytest
from django.conf import settings

CONF = settings.BASE_DIR / "deploy" / "postgresql" / "portal.conf"
SETTING = re.compile(r"^\s*([a-z_]+)\s*=\s*(\S+)\s*$")


def conf_settings():
    lines = CONF.read_text().splitlines()
    return dict(SETTING.match(line).groups() for line in lines if line.strip() and not line.lstrip().startswith("#"))


def test_the_benchmark_server_runs_with_the_settings_an_institution_installs():
    serve = (settings.BASE_DIR / "scripts" / "postgres.sh").read_text().split("serve)", 1)[1].split(";;", 1)[0]
    assert conf_settings(), "no setting read from the file"
    for name, value in conf_settings().items():
        assert f"-c {name}={value}" in serve


def test_every_setting_is_one_the_server_knows_in_a_value_it_accepts():
    url = os.environ.get("TEST_POSTGRES_URL")
    if not url:
        pytest.skip("no PostgreSQL server to ask (scripts/test.sh sets TEST_POSTGRES_URL)")
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        for name, value in conf_settings().items():
            row = connection.execute("SELECT context FROM pg_settings WHERE name = %s", [name]).fetchone()
            assert row is not None, f"{name} is not a PostgreSQL setting"
            if row[0] in ("user", "superuser"):  # settable in a session: the value must parse
                connection.execute("SELECT set_config(%s, %s, false)", [name, value])

"""Running it for an institution: probes for load balancers, a request id in every log line, a Content
Security Policy, login throttling, and throttles that a client cannot dodge by forging headers."""

import json
import logging

import pytest
from django.db import OperationalError
from django.urls import reverse
from rest_framework.throttling import AnonRateThrottle

from portal import health
from portal.log_format import JsonFormatter
from portal.request_id import RequestIdFilter, current_request_id


@pytest.mark.django_db
def test_healthz_answers_any_host_over_plain_http_without_touching_the_database(
    client, settings, django_assert_num_queries
):
    settings.SECURE_SSL_REDIRECT = True  # a probe to the server's own address comes over plain HTTP
    with django_assert_num_queries(0):
        response = client.get("/healthz", HTTP_HOST="10.0.0.7:8000")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert response["Cache-Control"] == "no-store"
    assert "Set-Cookie" not in response


@pytest.mark.django_db
def test_readyz_checks_the_database_the_cache_and_the_migrations(client, monkeypatch):
    monkeypatch.setattr(health, "_migrations_applied", False)
    response = client.get("/readyz", HTTP_HOST="10.0.0.7")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ready",
        "checks": {"database": "ok", "cache": "ok", "migrations": "ok"},
    }


@pytest.mark.django_db
def test_readyz_is_503_naming_what_failed_without_a_drivers_details(client, monkeypatch):
    def database_down():
        raise OperationalError('connection to server at "10.1.2.3", port 5432 failed')

    monkeypatch.setitem(health.CHECKS, "database", database_down)
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "not ready"
    assert body["checks"]["database"] == "failed: OperationalError"
    assert body["checks"]["cache"] == "ok"


@pytest.mark.django_db
def test_readyz_names_migrations_not_applied(client, monkeypatch):
    monkeypatch.setattr(health, "_migrations_applied", False)

    class PlanWithOneLeft:
        def __init__(self, connection):
            self.loader = type("Loader", (), {"graph": type("Graph", (), {"leaf_nodes": lambda self: []})()})()

        def migration_plan(self, targets):
            migration = type("Migration", (), {"app_label": "literature", "name": "0099_next"})()
            return [(migration, False)]

    monkeypatch.setattr(health, "MigrationExecutor", PlanWithOneLeft)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["migrations"] == "failed: 1 migration(s) not applied: literature.0099_next"


@pytest.mark.django_db
def test_every_response_carries_a_request_id_and_keeps_a_proxys(client, seed_article):
    made = client.get("/")["X-Request-ID"]
    assert len(made) == 32 and made != client.get("/")["X-Request-ID"]
    assert client.get("/", HTTP_X_REQUEST_ID="nginx-4f2a9c1e7b")["X-Request-ID"] == "nginx-4f2a9c1e7b"
    assert len(client.get("/", HTTP_X_REQUEST_ID="<script>")["X-Request-ID"]) == 32, "not echoed: made anew"


@pytest.mark.django_db
def test_log_lines_written_while_serving_a_request_carry_its_id(client, seed_article, caplog):
    caplog.handler.addFilter(RequestIdFilter())
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client.get("/articles/999999999/", HTTP_X_REQUEST_ID="req-00000001")
    assert response.status_code == 404
    record = next(record for record in caplog.records if record.name == "django.request")
    assert record.request_id == "req-00000001"
    assert current_request_id.get() == "-", "outside a request there is no id"


def test_json_log_lines_have_time_level_logger_request_id_and_extras():
    record = logging.LogRecord("literature.importers", logging.ERROR, __file__, 1, "Import %s failed", (7,), None)
    record.request_id, record.job = "req-00000002", 7
    line = json.loads(JsonFormatter().format(record))
    assert line["time"].endswith("+00:00")
    assert {key: line[key] for key in ("level", "logger", "request_id", "message", "job")} == {
        "level": "ERROR",
        "logger": "literature.importers",
        "request_id": "req-00000002",
        "message": "Import 7 failed",
        "job": 7,
    }


@pytest.mark.django_db
def test_pages_carry_a_content_security_policy_with_no_inline_script(client, seed_article):
    policy = client.get(seed_article.get_absolute_url())["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["script-src"] == "'self'"
    assert directives["default-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in policy


@pytest.mark.django_db
def test_the_api_docs_load_their_script_from_a_file_not_inline(client):
    page = client.get(reverse("api:docs")).content.decode()
    assert "<script>" not in page.replace(" ", "")


@pytest.mark.django_db
def test_at_the_fifth_wrong_password_the_admin_login_locks_even_for_the_right_one(client, curator):
    login = reverse("admin:login")
    for _ in range(4):
        response = client.post(login, {"username": "curator", "password": "wrong"})
        assert response.status_code == 200  # the form again, with its error
    assert client.post(login, {"username": "curator", "password": "wrong"}).status_code == 429
    locked = client.post(login, {"username": "curator", "password": "a-long-test-password"})
    assert locked.status_code == 429
    assert "Too many failed sign-ins" in locked.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_the_lockout_is_per_username_and_address_and_a_good_login_resets_the_count(client, curator):
    login = reverse("admin:login")
    for _ in range(4):
        client.post(login, {"username": "curator", "password": "wrong"})
    assert client.post(login, {"username": "curator", "password": "a-long-test-password"}).status_code == 302
    client.logout()
    for _ in range(4):
        client.post(login, {"username": "curator", "password": "wrong"})
    # Four more failures after the reset: still under the limit.
    assert client.post(login, {"username": "curator", "password": "a-long-test-password"}).status_code == 302
    client.logout()
    for _ in range(5):
        client.post(login, {"username": "curator", "password": "wrong"}, REMOTE_ADDR="192.0.2.9")
    assert client.post(login, {"username": "curator", "password": "a-long-test-password"}).status_code == 302


@pytest.mark.django_db
def test_a_forged_x_forwarded_for_does_not_make_a_new_anonymous_client(api, seed_article, monkeypatch):
    monkeypatch.setattr(AnonRateThrottle, "get_rate", lambda self: "3/minute")
    statuses = [api.get("/api/v1/keywords/", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}").status_code for n in range(4)]
    assert statuses == [200, 200, 200, 429]


@pytest.mark.django_db
def test_behind_one_proxy_the_client_is_the_address_the_proxy_appended(api, seed_article, settings, monkeypatch):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    monkeypatch.setattr(AnonRateThrottle, "get_rate", lambda self: "2/minute")

    def status(forwarded):
        return api.get("/api/v1/keywords/", HTTP_X_FORWARDED_FOR=forwarded).status_code

    # Whatever the client writes on the left, the proxy's entry on the right decides.
    assert [status(f"10.9.9.{n}, 203.0.113.5") for n in range(3)] == [200, 200, 429]
    assert status("203.0.113.6") == 200

"""Schemathesis against the live OpenAPI schema: generated requests to every read operation
anonymously, and to every operation (writes included, with If-Match) with a curator's token, failing
on any server error, any undocumented status or content type, or any response that does not match
the schema (a bounded number of examples; the writes land in the test's own transaction).

Hypothesis is driven here directly with each operation's strategy: schemathesis' pytest plugin does
not run under pytest 9.
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle
from schemathesis import checks

from literature.models import ArticleDrug, Keyword
from portal.wsgi import application
from tests.factories import ArticleFactory, DrugFactory

EXAMPLES_PER_OPERATION = 50
# Server errors and every way a response can differ from the schema. (Schemathesis' stricter
# heuristics, such as "any string is a valid cursor", are not what this test specifies.)
CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_headers_conformance,
    checks.response_schema_conformance,
]

pytestmark = pytest.mark.django_db


@pytest.fixture
def api_schema(seed_article, monkeypatch):
    # Hundreds of generated requests would otherwise meet the anonymous rate limit.
    for throttle in (AnonRateThrottle, UserRateThrottle):
        monkeypatch.setattr(throttle, "get_rate", lambda self: None)
    # Some variety for the generated requests to find: an article without journal or pages, and a
    # suggested link that anonymous clients must not see.
    other = ArticleFactory(journal=None, first_page=None, authors=1, published=(1999, 1))
    other.keywords.add(Keyword.objects.get(name="Thalidomide"))
    ArticleDrug.objects.create(article=other, drug=DrugFactory(name="Suggestamab"), status="suggested")
    # Requests go straight into the WSGI app, which closes the database connection after each one;
    # the test's transaction lives on that connection, so (as Django's own test client does) the
    # closing is switched off meanwhile.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/schema/?format=json", application).include(method="GET")
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def read_operations(schema):
    return [result.ok() for result in schema.get_all_operations()]


def run_examples(operation, call):
    """`call` on EXAMPLES_PER_OPERATION cases generated for `operation`, the same ones on every run."""

    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy())
    def run(case):
        call(case)

    run()


def test_the_schema_covers_every_resource(api_schema):
    paths = {operation.path for operation in read_operations(api_schema)}
    for resource in ("articles", "drugs", "keywords", "journals", "people", "subject-areas", "article-drugs"):
        assert f"/api/v1/{resource}/" in paths


def test_every_read_operation_matches_its_schema_and_never_fails(api_schema):
    checked = []
    for operation in read_operations(api_schema):
        run_examples(operation, lambda case: case.call_and_validate(checks=CHECKS))
        checked.append(operation.label)
    assert len(checked) == 16  # mentions among them


def all_operations(schema):
    return [result.ok() for result in schema.get_all_operations()]


@pytest.fixture
def writable_api_schema(api_schema, curator):
    from literature.models import ApiToken

    _, key = ApiToken.issue(curator, "schemathesis")
    return schemathesis.openapi.from_wsgi("/api/schema/?format=json", application), key


def test_every_operation_with_a_curators_token_writes_included_matches_its_schema_and_never_fails(
    writable_api_schema,
):
    schema, key = writable_api_schema
    requests = []

    def call_as_curator(case):
        headers = {"Authorization": f"Bearer {key}"}
        if case.method.upper() in {"PUT", "PATCH", "DELETE"} and "If-Match" not in (case.headers or {}):
            headers["If-Match"] = "*"  # as a script that means to write over whatever is there
        case.call_and_validate(headers=headers, checks=CHECKS)
        requests.append(case.method)

    for operation in all_operations(schema):
        run_examples(operation, call_as_curator)
    writes = [method for method in requests if method.upper() != "GET"]
    print(f"{len(requests)} generated requests, {len(writes)} of them writes: no server error, no schema violation")
    assert len(requests) >= 1000 and len(writes) >= 500, (len(requests), len(writes))

"""schemathesis against the OpenAPI document, for every role: no 5xx, no undocumented status, every answer in its
documented shape.

Generated requests (hypothesis, derandomized, a few examples per operation so the suite stays near a minute) go
through the WSGI application in this test's transaction, as anonymous and with the bearer token of each role.
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from satuatap.accounts.tokens import issue_token
from satuatap.testing import seat
from satuatap.wsgi import application

pytestmark = pytest.mark.usefixtures("monday_morning")

ROLES = ["anonymous", "kiosk", "display_a", "officer1", "sup_dukcapil", "manager"]
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
EXAMPLES = 3


def headers_for(world, role: str) -> dict[str, str]:
    if role == "anonymous":
        return {}
    user = world.users[role]
    _token, raw = issue_token(user, zone=world.zones["A"] if role == "display_a" else None)
    return {"Authorization": f"Bearer {raw}"}


# Path parameters that name the seeded world, so generated requests reach the code behind the lookups
# (random slugs would only ever meet the 404 of an unknown mall); the bodies and queries stay generated.
KNOWN = {"mall": "pekanbaru", "number": 1, "zone": "A", "agency": "DUKCAPIL"}


def reach_the_world(case, world) -> None:
    for name, value in KNOWN.items():
        if case.path_parameters and name in case.path_parameters:
            case.path_parameters[name] = value


@pytest.fixture
def keep_the_test_connection():
    """Calling the WSGI application directly would close the test's connection after each request (Django's test
    client does the same: it keeps the connection for the test's transaction)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.parametrize("role", ROLES)
def test_no_5xx_and_no_schema_violation(world, role, keep_the_test_connection):
    seat(world, 1)  # officer1 at counter 1: call-next and the rest have something to work on
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
    headers = headers_for(world, role)
    failures, statuses = [], []
    for result in schema.get_all_operations():
        operation = result.ok()

        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy())
        def exercise(case):
            reach_the_world(case, world)
            response = case.call(headers=headers)
            statuses.append(response.status_code)
            try:
                case.validate_response(response, checks=CHECKS)
            except AssertionError as failure:
                failures.append(f"{case.method} {case.formatted_path}: {str(failure)[:400]}")
                raise

        try:
            exercise()
        except AssertionError:
            pass  # collected above: report every operation's failure at once
    assert not failures, "\n\n".join(failures)
    operations = len(list(schema.get_all_operations()))
    assert len(statuses) >= operations > 20  # every operation was called
    if role != "anonymous":
        assert sum(200 <= status < 300 for status in statuses) >= 5  # not refused wholesale

"""The API's refusals: one shape, one handler, and each operation's refusals listed in the OpenAPI document."""

from __future__ import annotations

import pytest
from django.test import Client

from satuatap.refusal import Refused
from satuatap.testing import assert_api_error


@pytest.fixture
def schema(db):
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.json()


def _operations(schema):
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            yield f"{method.upper()} {path}", operation


def _refers_to(response: dict, name: str) -> bool:
    return response["content"]["application/json"]["schema"]["$ref"].endswith(f"/{name}")


def test_every_operation_lists_the_400_for_bad_characters(schema):
    missing = [name for name, op in _operations(schema) if "400" not in op["responses"]]
    assert not missing
    for _name, op in _operations(schema):
        assert _refers_to(op["responses"]["400"], "Error")


def test_every_operation_lists_its_refusals(schema):
    """A mall in the path can be unknown (404); a token can be bad (401); a typed parameter can be wrong (422)."""
    for name, op in _operations(schema):
        responses = op["responses"]
        assert "401" in responses, name  # public endpoints refuse a bad token too
        if "{mall}" in name:
            assert "404" in responses, name
        if "429" not in responses:  # not public (public ones are rate limited): a role may not act
            assert "403" in responses, name
        typed = [p for p in op.get("parameters", []) if p.get("schema", {}).get("type") in ("integer", "string")]
        if "requestBody" in op or any(p["in"] == "query" for p in typed) or "{id}" in name or "{number}" in name:
            assert "422" in responses, name
            assert _refers_to(responses["422"], "ValidationErrorOut"), name


def test_the_refusal_schema_is_the_contract_error(schema):
    error = schema["components"]["schemas"]["Error"]
    assert set(error["required"]) == {"detail", "code"}
    invalid = schema["components"]["schemas"]["ValidationErrorOut"]
    assert set(invalid["required"]) == {"detail", "code", "errors"}


def test_the_400_for_bad_characters_answers_as_documented(world):
    response = Client().get("/api/v1/malls/pek%00anbaru/agencies")
    assert_api_error(response, 400, "bad_characters")


def test_a_missing_transfer_service_is_the_same_refusal_on_the_console_and_the_api(world):
    """The one listed inconsistency: the console said ``bad_service``/422, the API ``service_not_found``/404."""
    from satuatap.queueing import tickets

    with pytest.raises(Refused) as err:
        tickets.transfer_target(world.mall.pk, "NOPE")
    assert (err.value.status, err.value.code) == (404, "service_not_found")


def test_public_endpoints_declare_the_bearer_token_optional(schema):
    """``[{}, {BearerAuth}]``: anonymous or with a token; private endpoints require it; one bearer scheme only."""
    assert list(schema["components"]["securitySchemes"]) == ["BearerAuth"]
    kinds = {name: op.get("security") for name, op in _operations(schema)}
    assert kinds["GET /api/v1/malls"] == [{}, {"BearerAuth": []}]
    assert kinds["POST /api/v1/malls/{mall}/counters/{number}/call-next"] == [{"BearerAuth": []}]
    assert set(map(str, kinds.values())) == {"[{}, {'BearerAuth': []}]", "[{'BearerAuth': []}]"}

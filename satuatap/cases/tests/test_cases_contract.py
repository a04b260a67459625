"""The Cases table of the shared API contract (``api-contract.md``, "Cases (back office)"), row by row: each
path and method is in the OpenAPI document with the contract's request fields and answer fields, and the real
answers carry them; the refusals the contract names (409 ``bad_state``, 404 for a wrong ``nik_last4`` exactly as
for an unknown number) are listed and given. The contract may be extended (``docs/cases.md``), never narrowed."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.test import Client

from satuatap.cases.tests.conftest import NIK, PHONE
from satuatap.testing import assert_api_error, bearer_as

API = "/api/v1"


@dataclass(frozen=True)
class Row:
    method: str
    path: str
    request: tuple[str, ...]  # body fields, or query parameters for a GET
    answer: tuple[str, ...]  # fields of the answer (of each item for a list)
    status: str  # the success status
    refusals: tuple[str, ...] = ()


# The contract's Cases table, as written there.
CASES_TABLE = (
    Row(
        "post",
        "/malls/{mall}/cases",
        ("service", "ticket", "nik", "name", "phone", "missing_requirements"),
        ("registration_number", "service", "status", "due_date", "assigned_to"),
        "201",
    ),
    Row(
        "get",
        "/malls/{mall}/cases",
        ("status", "overdue", "assigned"),
        ("registration_number", "service", "status", "due_date", "overdue"),
        "200",
    ),
    Row("get", "/malls/{mall}/cases/{registration_number}", (), ("history", "actions"), "200"),
    Row(
        "post",
        "/malls/{mall}/cases/{registration_number}/actions",
        ("action", "note", "assign_to"),
        ("registration_number", "status", "history", "actions"),
        "200",
        ("409",),
    ),
    Row(
        "get",
        "/cases/{registration_number}",
        ("nik_last4",),
        ("registration_number", "service", "status", "history", "due_date", "next_step"),
        "200",
        ("404",),
    ),
)
PUBLIC_STEP = ("status", "at")  # the public history's items


@pytest.fixture
def schema(db):
    return Client().get(f"{API}/openapi.json").json()


def _resolve(schema: dict, node: dict) -> dict:
    while "$ref" in node:
        node = schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[-1]]
    if "allOf" in node:
        merged = {"properties": {}}
        for part in node["allOf"]:
            merged["properties"].update(_resolve(schema, part).get("properties", {}))
        return merged
    return node


def _answer_fields(schema: dict, operation: dict, status: str) -> set[str]:
    body = _resolve(schema, operation["responses"][status]["content"]["application/json"]["schema"])
    if body.get("type") == "array":
        body = _resolve(schema, body["items"])
    return set(body["properties"])


def _request_fields(schema: dict, operation: dict, method: str) -> set[str]:
    if method == "get":
        return {p["name"] for p in operation.get("parameters", []) if p["in"] == "query"}
    body = operation["requestBody"]["content"]["application/json"]["schema"]
    return set(_resolve(schema, body)["properties"])


@pytest.mark.parametrize("row", CASES_TABLE, ids=lambda row: f"{row.method.upper()} {row.path}")
def test_each_row_of_the_contract_is_in_the_openapi_document(schema, row):
    operation = schema["paths"][API + row.path][row.method]
    assert set(row.request) <= _request_fields(schema, operation, row.method)
    assert set(row.answer) <= _answer_fields(schema, operation, row.status)
    assert set(row.refusals) <= set(operation["responses"])


def test_the_public_history_has_the_contracts_steps(schema):
    operation = schema["paths"][f"{API}/cases/{{registration_number}}"]["get"]
    track = _resolve(schema, operation["responses"]["200"]["content"]["application/json"]["schema"])
    assert set(PUBLIC_STEP) <= set(_resolve(schema, track["properties"]["history"]["items"])["properties"])


def test_the_real_answers_carry_the_contracts_fields(world):
    officer = bearer_as(world, "officer1")
    opened = Client().post(
        f"{API}/malls/pekanbaru/cases",
        {"service": "DUKCAPIL-KK", "nik": NIK, "name": "Siti", "phone": PHONE, "missing_requirements": []},
        content_type="application/json",
        headers=officer,
    )
    assert opened.status_code == 201, opened.content
    number = opened.json()["registration_number"]
    open_row, list_row, read_row, act_row, track_row = CASES_TABLE
    assert set(open_row.answer) <= set(opened.json())
    listed = Client().get(f"{API}/malls/pekanbaru/cases?overdue=false&assigned=none", headers=officer).json()
    assert [c["registration_number"] for c in listed] == [number] and set(list_row.answer) <= set(listed[0])
    read = Client().get(f"{API}/malls/pekanbaru/cases/{number}", headers=officer).json()
    assert set(read_row.answer) <= set(read)
    actions = f"{API}/malls/pekanbaru/cases/{number}/actions"
    acted = Client().post(actions, {"action": "verifikasi"}, content_type="application/json", headers=officer)
    assert acted.status_code == 200 and set(act_row.answer) <= set(acted.json())
    again = Client().post(actions, {"action": "lengkapi"}, content_type="application/json", headers=officer)
    assert_api_error(again, 409, "bad_state")
    tracked = Client().get(f"{API}/cases/{number}?nik_last4={NIK[-4:]}")
    assert tracked.status_code == 200 and set(track_row.answer) <= set(tracked.json())
    assert set(PUBLIC_STEP) <= set(tracked.json()["history"][0])
    wrong = Client().get(f"{API}/cases/{number}?nik_last4=9999")
    unknown = Client().get(f"{API}/cases/PEK-2026-DUKCAPIL-999999?nik_last4={NIK[-4:]}")
    assert_api_error(wrong, 404, "case_not_found")
    assert (wrong.status_code, wrong.json()) == (unknown.status_code, unknown.json())

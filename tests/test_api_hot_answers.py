"""The queue's busy endpoints answer without ninja validating their answer, and the answers are still ``TicketOut``.

``queueing.api.answer`` renders ``ticket_out``'s dictionary as ninja renders a validated answer, skipping the
validation (a tenth of the stack's CPU per call). These tests hold that validation would change nothing: for every
endpoint that answers this way, the dictionary is exactly what ``TicketOut`` makes of it, the body is what ninja
renders of the validated answer, and the OpenAPI document still declares ``TicketOut`` for it.
"""

import json

import pytest
from ninja.responses import NinjaJSONEncoder

from satuatap.api import api
from satuatap.queueing import api as queue_api
from satuatap.queueing import tickets
from satuatap.queueing.api import TicketOut
from satuatap.testing import bearer_as, make_world, seat

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("monday_morning")]
API = "/api/v1/malls/pekanbaru"


@pytest.fixture
def answers(monkeypatch):
    """Every dictionary the endpoints hand to ``answer``, with the status."""
    seen = []
    original = queue_api.answer

    def recording(request, data, status=200):
        seen.append((data, status))
        return original(request, data, status)

    monkeypatch.setattr(queue_api, "answer", recording)
    return seen


def post(client, url, headers, data=None):
    return client.post(url, data or {}, content_type="application/json", headers=headers)


def test_every_busy_answer_is_what_validating_it_against_ticketout_would_give(client, answers):
    world = make_world()
    seat(world, 1)
    kiosk, officer = bearer_as(world, "kiosk"), bearer_as(world, "officer1")
    tickets.issue_ticket(world.services["DUKCAPIL-KTP"])
    responses = [post(client, f"{API}/tickets", kiosk, {"service": "DUKCAPIL-KTP", "priority_group": None})]
    called = post(client, f"{API}/counters/1/call-next", officer)
    responses.append(called)
    first = called.json()["id"]
    for action in ("recall", "start", "finish"):
        responses.append(post(client, f"{API}/tickets/{first}/{action}", officer))
    out_of_order = post(client, f"{API}/counters/1/call", officer, {"number": "A002", "reason": "kembali"})
    responses.append(out_of_order)
    second = out_of_order.json()["id"]
    responses.append(post(client, f"{API}/tickets/{second}/transfer", officer, {"service": "DUKCAPIL-KK"}))
    tickets.issue_ticket(world.services["DUKCAPIL-KTP"])
    third = post(client, f"{API}/counters/1/call-next", officer)
    responses += [third, post(client, f"{API}/tickets/{third.json()['id']}/no-show", officer)]

    assert [r.status_code for r in responses] == [201] + [200] * 8, [r.content for r in responses]
    assert len(answers) == len(responses)
    for (data, status), response in zip(answers, responses, strict=True):
        validated = TicketOut.model_validate(data).model_dump()
        assert validated == data  # validation is the identity on what ticket_out builds
        assert list(data) == list(TicketOut.model_fields)  # every field, in the schema's order
        assert response.status_code == status
        assert response["Content-Type"] == "application/json; charset=utf-8"
        assert response.content.decode() == json.dumps(validated, cls=NinjaJSONEncoder)  # as ninja renders it
        body = TicketOut.model_validate(response.json()).model_dump()  # what a client reads validates too
        assert json.dumps(body, cls=NinjaJSONEncoder) == response.content.decode()


def test_the_openapi_document_still_declares_ticketout_for_the_busy_answers():
    paths = api.get_openapi_schema()["paths"]
    ticket_out = {"$ref": "#/components/schemas/TicketOut"}
    declared = {
        ("/api/v1/malls/{mall}/tickets", "201"),
        ("/api/v1/malls/{mall}/counters/{number}/call-next", "200"),
        ("/api/v1/malls/{mall}/counters/{number}/call", "200"),
        *((f"/api/v1/malls/{{mall}}/tickets/{{id}}/{action}", "200") for action in queue_api.COUNTER_ACTIONS),
        ("/api/v1/malls/{mall}/tickets/{id}/transfer", "200"),
    }
    for path, status in sorted(declared):
        path = path.replace("no_show", "no-show")
        schema = paths[path]["post"]["responses"][int(status)]["content"]["application/json"]["schema"]
        assert schema == ticket_out, path
        header = next(p for p in paths[path]["post"]["parameters"] if p["in"] == "header")
        assert header["name"] == "Idempotency-Key"  # read from META now, documented as before

"""The SKM answer through the API (public: the ticket's code is the permission)."""

import datetime as dt

from django.utils import timezone

from satuatap.feedback.models import SurveyResponse
from satuatap.queueing import tickets
from satuatap.testing import assert_api_error

GOOD = [4] * 9


def post_survey(client, code, body):
    return client.post(f"/api/v1/tickets/{code}/survey", body, content_type="application/json")


def test_answer_survey_through_the_api(client, served):
    response = post_survey(client, served.public_code, {"scores": GOOD, "comment": "Cepat"})
    assert response.status_code == 201, response.content
    assert response.json()["ticket"] == served.public_code
    assert SurveyResponse.objects.get().comment == "Cepat"
    assert SurveyResponse.objects.get().source == "api"
    assert_api_error(post_survey(client, served.public_code, {"scores": [1] * 9}), 409)
    assert post_survey(client, served.public_code, {"scores": [1] * 9}).json()["code"] == "already_answered"
    assert SurveyResponse.objects.get().scores == GOOD


def test_bad_scores_answer_422_naming_the_field(client, served):
    for body in ({"scores": [4] * 8}, {"scores": [5] * 9}, {"scores": ["a"] * 9}, {}):
        response = post_survey(client, served.public_code, body)
        assert_api_error(response, 422)
        assert response.json()["errors"][0]["field"].startswith("scores")
    assert not SurveyResponse.objects.exists()


def test_unfinished_expired_and_unknown_tickets_are_refused(client, world, served, settings):
    waiting = tickets.issue_ticket(world.services["DUKCAPIL-KK"])
    assert post_survey(client, waiting.public_code, {"scores": GOOD}).json()["code"] == "not_finished"
    assert_api_error(post_survey(client, waiting.public_code, {"scores": GOOD}), 409)
    settings.SKM_LINK_HOURS = 0
    served.finished_at = timezone.now() - dt.timedelta(seconds=5)
    served.save()
    response = post_survey(client, served.public_code, {"scores": GOOD})
    assert_api_error(response, 410)
    assert response.json()["code"] == "expired"
    assert_api_error(post_survey(client, "tidak-ada", {"scores": GOOD}), 404)
    assert not SurveyResponse.objects.exists()

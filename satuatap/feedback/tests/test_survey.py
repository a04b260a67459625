import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from satuatap.feedback import skm
from satuatap.feedback.models import SurveyResponse
from satuatap.queueing import tickets
from satuatap.refusal import Refused

GOOD = [4, 3, 4, 4, 3, 4, 4, 3, 4]


def refused(code, *args, **kwargs):
    with pytest.raises(Refused) as err:
        skm.submit(*args, **kwargs)
    assert err.value.code == code
    assert err.value.message
    return err.value


def test_a_finished_ticket_can_be_answered_once(served):
    response = skm.submit(served, GOOD, comment="Petugas ramah", profile={"sex": "P", "age_band": "30_39"})
    assert response.scores == GOOD
    assert (response.mall_id, response.service_id) == (served.mall_id, served.service_id)
    assert response.agency_id == served.service.agency_id
    assert (response.sex, response.age_band, response.comment) == ("P", "30_39", "Petugas ramah")


def test_a_second_answer_for_the_same_ticket_is_refused_and_changes_nothing(served):
    skm.submit(served, GOOD)
    err = refused("already_answered", served, [1] * 9)
    assert err.status == 409
    assert SurveyResponse.objects.get().scores == GOOD


def test_the_database_refuses_a_second_response_even_past_the_check(served, monkeypatch):
    skm.submit(served, GOOD)
    monkeypatch.setattr(skm, "check_open", lambda ticket, now=None: None)  # a racing second request
    refused("already_answered", served, [1] * 9)
    assert SurveyResponse.objects.count() == 1


def test_a_ticket_not_finished_yet_is_refused(world):
    ticket = tickets.issue_ticket(world.services["DUKCAPIL-KTP"])
    refused("not_finished", ticket, GOOD)
    assert not SurveyResponse.objects.exists()


def test_the_link_expires_after_the_configured_hours(served, settings):
    settings.SKM_LINK_HOURS = 2
    refused("expired", served, GOOD, now=served.finished_at + dt.timedelta(hours=2, seconds=1))
    assert skm.submit(served, GOOD, now=served.finished_at + dt.timedelta(hours=2))


@pytest.mark.parametrize(
    "scores", [[4] * 8, [4] * 10, [4] * 8 + [5], [0] + [4] * 8, [True] * 9, ["4"] * 9, [None] * 9, "444444444"]
)
def test_bad_scores_are_refused(served, scores):
    assert refused("bad_scores", served, scores).status == 422
    assert not SurveyResponse.objects.exists()


def test_bad_profile_and_long_comment_are_refused(served):
    refused("bad_profile", served, GOOD, profile={"nik": "1471"})
    refused("bad_profile", served, GOOD, profile={"sex": "X"})
    refused("bad_comment", served, GOOD, comment="x" * 1001)
    assert not SurveyResponse.objects.exists()


def form(scores=GOOD, **extra):
    data = {f"u{i}": str(s) for i, s in enumerate(scores, 1) if s is not None}
    data.update(extra)
    return data


def test_survey_page_flow(client, served):
    url = reverse("skm_survey", args=[served.public_code])
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "kesesuaian persyaratan pelayanan dengan jenis pelayanannya" in html
    assert "Sangat sesuai" in html and f'data-storage-key="skm:{served.public_code}"' in html
    response = client.post(url, form(comment="<script>alert(1)</script>", education="s1"))
    assert response.status_code == 302
    thanks = client.get(url)
    assert "Terima kasih" in thanks.content.decode()
    assert "feedback/thanks-page.js" in thanks.content.decode()  # its module calls survey.js forgetAnswers
    stored = SurveyResponse.objects.get()
    assert stored.comment == "<script>alert(1)</script>" and stored.education == "s1"
    assert stored.source == "tautan"  # the link or QR on the citizen's phone
    # A second post is not stored again.
    client.post(url, form([1] * 9))
    assert SurveyResponse.objects.get().scores == GOOD


def test_missing_answers_are_shown_in_indonesian_and_kept(client, served):
    url = reverse("skm_survey", args=[served.public_code])
    response = client.post(url, form([4, 3, None, 4, 4, 4, 4, 4, 4], comment="halo"))
    assert response.status_code == 422
    html = response.content.decode()
    assert "Jawab kesembilan pertanyaan" in html
    assert 'name="u2" value="3" required checked' in html and "halo" in html
    assert not SurveyResponse.objects.exists()


def test_survey_page_of_an_unfinished_or_expired_ticket_says_why(client, world, settings):
    waiting = tickets.issue_ticket(world.services["DUKCAPIL-KK"])
    page = client.get(reverse("skm_survey", args=[waiting.public_code]))
    assert "setelah layanan Anda selesai" in page.content.decode()
    assert client.post(reverse("skm_survey", args=[waiting.public_code]), form()).status_code == 409
    settings.SKM_LINK_HOURS = 0
    waiting.status, waiting.finished_at = "done", timezone.now() - dt.timedelta(minutes=1)
    waiting.save()
    assert "kedaluwarsa" in client.get(reverse("skm_survey", args=[waiting.public_code])).content.decode()
    assert client.post(reverse("skm_survey", args=[waiting.public_code]), form()).status_code == 410
    assert not SurveyResponse.objects.exists()
    assert client.get(reverse("skm_survey", args=["tidak-ada"])).status_code == 404


def test_the_ticket_page_links_the_survey_once_done(client, served, world):
    assert "Isi survei kepuasan" in client.get(reverse("ticket_status", args=[served.public_code])).content.decode()
    waiting = tickets.issue_ticket(world.services["DUKCAPIL-KK"])
    assert (
        "Isi survei kepuasan" not in client.get(reverse("ticket_status", args=[waiting.public_code])).content.decode()
    )

"""Counter tablet mode: the survey of the ticket just finished at that counter, then thanks, then waiting."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from satuatap.accounts.pairing import new_code
from satuatap.accounts.tokens import bind_counter, issue_token
from satuatap.feedback import tablet
from satuatap.feedback.models import SurveyResponse
from satuatap.queueing import tickets
from satuatap.testing import seat

ANSWERS = {f"u{i}": "4" for i in range(1, 10)} | {"u9": "3"}


def tablet_url(world, number=1):
    return reverse("skm_tablet", args=[world.mall.slug, number])


def state_url(world, number=1):
    return reverse("skm_tablet_state", args=[world.mall.slug, number])


def as_kiosk(client, world, counter=1):
    """Signed in as the survey tablet of ``counter`` (a kiosk token bound to it), with a pairing code."""
    token, _raw = issue_token(world.users["kiosk"])
    bind_counter(token, world.counters[counter])
    _row, code = new_code(token)
    assert client.post(reverse("device_sign_in"), {"code": code}).status_code == 302
    return client


def serve(world, officer, counter=1, service="DUKCAPIL-KTP", now=None):
    tickets.issue_ticket(world.services[service])
    ticket = tickets.call_next(world.counters[counter], officer)
    return tickets.finish(ticket, officer, now=now)


def test_waits_then_offers_the_survey_of_the_ticket_just_finished_then_thanks(client, world):
    officer = seat(world, 1)
    as_kiosk(client, world)
    waiting = client.get(tablet_url(world))
    assert waiting.status_code == 200 and 'id="tablet-wait"' in waiting.content.decode()
    assert client.get(state_url(world)).json() == {"ticket": None}
    ticket = serve(world, officer)
    assert client.get(state_url(world)).json() == {"ticket": ticket.pk}
    page = client.get(tablet_url(world)).content.decode()
    assert 'id="survey-form"' in page and ticket.number in page and "Persyaratan" in page
    assert ticket.public_code not in page  # the tablet names the ticket by id, never by its public code
    assert f'name="ticket" value="{ticket.pk}"' in page
    assert "Keluar" not in page  # no sign-out button for the citizen to press
    thanks = client.post(tablet_url(world), {**ANSWERS, "ticket": ticket.pk, "sex": "P", "comment": "Cepat"})
    assert thanks.status_code == 200 and 'id="survey-thanks"' in thanks.content.decode()
    assert f"url={tablet_url(world)}" in thanks.content.decode()  # back to waiting by itself
    response = SurveyResponse.objects.get(ticket=ticket)
    assert response.scores == [4, 4, 4, 4, 4, 4, 4, 4, 3] and response.sex == "P" and response.comment == "Cepat"
    assert response.source == "tablet"
    assert client.get(state_url(world)).json() == {"ticket": None}
    assert 'id="tablet-wait"' in client.get(tablet_url(world)).content.decode()


def test_one_response_per_ticket_still_holds(client, world):
    officer = seat(world, 1)
    as_kiosk(client, world)
    ticket = serve(world, officer)
    assert client.post(tablet_url(world), {**ANSWERS, "ticket": ticket.pk}).status_code == 200
    again = client.post(tablet_url(world), {**ANSWERS, "u1": "1", "ticket": ticket.pk})
    assert again.status_code == 200 and 'id="survey-thanks"' in again.content.decode()  # a re-sent form: thanks
    assert SurveyResponse.objects.filter(ticket=ticket).count() == 1
    assert SurveyResponse.objects.get(ticket=ticket).u1 == 4
    # Answered on the phone first: the tablet stops offering it.
    other = serve(world, officer)
    client2 = client.__class__()
    client2.post(reverse("skm_survey", args=[other.public_code]), ANSWERS)
    assert SurveyResponse.objects.filter(ticket=other).exists()
    assert client.get(state_url(world)).json() == {"ticket": None}


def test_bad_answers_keep_the_form_and_save_nothing(client, world):
    officer = seat(world, 1)
    as_kiosk(client, world)
    ticket = serve(world, officer)
    response = client.post(tablet_url(world), {**ANSWERS, "u5": "9", "ticket": ticket.pk, "comment": "ok"})
    assert response.status_code == 422
    html = response.content.decode()
    assert "Jawab kesembilan pertanyaan" in html and 'id="survey-form"' in html and "ok</textarea>" in html
    assert not SurveyResponse.objects.exists()


def test_only_the_latest_ticket_and_only_while_it_is_fresh(client, world, settings):
    settings.SKM_TABLET_MINUTES = 15
    officer = seat(world, 1)
    as_kiosk(client, world)
    now = timezone.now()
    old = serve(world, officer, now=now - dt.timedelta(minutes=20))
    assert tablet.current_ticket(world.counters[1], now) is None  # finished too long ago for the tablet
    newer = serve(world, officer, now=now - dt.timedelta(minutes=2))
    assert tablet.current_ticket(world.counters[1], now) == newer
    # A form for the older ticket is refused: the person at the tablet now is the newer ticket's citizen.
    stale = client.post(tablet_url(world), {**ANSWERS, "ticket": old.pk})
    assert stale.status_code == 409 and "tidak lagi tersedia" in stale.content.decode()
    assert not SurveyResponse.objects.exists()
    # A ticket field that is no number at all (a superscript digit, Arabic-Indic digits) is the same refusal.
    for junk in ("²", "١٢", "12a", ""):
        odd = client.post(tablet_url(world), {**ANSWERS, "ticket": junk})
        assert odd.status_code == 409 and "tidak lagi tersedia" in odd.content.decode()
    assert not SurveyResponse.objects.exists()
    # Once the officer serves the next citizen, the previous survey leaves the tablet.
    tickets.issue_ticket(world.services["DUKCAPIL-KTP"])
    following = tickets.call_next(world.counters[1], officer)
    assert tablet.current_ticket(world.counters[1]) == newer  # only called: the citizen may still be rating
    tickets.start_service(following, officer)
    assert tablet.current_ticket(world.counters[1]) is None
    # Another counter's tickets never show here.
    officer2 = seat(world, 2)
    serve(world, officer2, counter=2)
    assert tablet.current_ticket(world.counters[1]) is None


def test_the_survey_link_expiry_bounds_the_tablet_too(world, settings):
    settings.SKM_TABLET_MINUTES = 60 * 24 * 10
    settings.SKM_LINK_HOURS = 1
    officer = seat(world, 1)
    serve(world, officer, now=timezone.now() - dt.timedelta(hours=2))
    assert tablet.current_ticket(world.counters[1]) is None


@pytest.mark.parametrize(
    ("persona", "number", "allowed"),
    [
        ("officer1", 1, True),
        ("officer2", 1, True),  # the same agency's officer (e.g. the next shift)
        ("sup_dukcapil", 2, True),
        ("manager", 3, True),
        ("officer3", 1, False),
        ("sup_imigrasi", 1, False),
        ("display_a", 1, False),
    ],
)
def test_who_may_open_a_counters_tablet(client, world, persona, number, allowed):
    client.force_login(world.users[persona])
    page, state = client.get(tablet_url(world, number)), client.get(state_url(world, number))
    assert (page.status_code, state.status_code) == ((200, 200) if allowed else (404, 404))


def test_anonymous_is_sent_to_sign_in_and_unknown_counters_are_404(client, world):
    response = client.get(tablet_url(world))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert client.get(state_url(world)).status_code == 401
    as_kiosk(client, world)
    assert client.get(tablet_url(world, 99)).status_code == 404
    assert client.get(reverse("skm_tablet", args=["tidak-ada", 1])).status_code == 404


def test_a_kiosk_of_another_mall_is_refused(client, world):
    from satuatap.accounts.models import Role, User
    from satuatap.directory.models import Mall

    other = Mall.objects.create(slug="dumai", name="MPP Dumai", city="Dumai", timezone="Asia/Jakarta")
    kiosk = User.objects.create_user(username="kiosk_dumai", role=Role.KIOSK, mall=other)
    _, raw = issue_token(kiosk)
    client.post(reverse("device_sign_in"), {"code": raw})
    assert client.get(tablet_url(world)).status_code == 404


def test_a_tablet_opens_its_own_counter_and_no_other(client, world):
    as_kiosk(client, world, counter=1)
    assert client.get(tablet_url(world, 1)).status_code == 200
    assert client.get(state_url(world, 1)).status_code == 200
    refused = client.get(tablet_url(world, 2))
    assert refused.status_code == 403
    assert client.get(state_url(world, 2)).status_code == 403


def test_a_kiosk_not_bound_to_a_counter_opens_no_tablet(client, world):
    _, raw = issue_token(world.users["kiosk"])
    assert client.post(reverse("device_sign_in"), {"code": raw}).status_code == 302
    assert client.get(tablet_url(world, 1)).status_code == 403


def test_only_a_kiosk_token_of_the_counters_mall_can_be_bound(world):
    token, _raw = issue_token(world.users["officer1"])
    with pytest.raises(ValueError, match="kiosk"):
        bind_counter(token, world.counters[1])


def test_the_report_page_lists_the_tablets_of_the_counters_in_scope(client, world):
    client.force_login(world.users["manager"])
    html = client.get(reverse("skm_report", args=[world.mall.slug])).content.decode()
    assert all(f'href="{tablet_url(world, n)}"' in html for n in (1, 2, 3, 4))
    client.force_login(world.users["sup_imigrasi"])
    html = client.get(reverse("skm_report", args=[world.mall.slug])).content.decode()
    assert f'href="{tablet_url(world, 3)}"' in html and f'href="{tablet_url(world, 1)}"' not in html

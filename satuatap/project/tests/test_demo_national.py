"""``manage.py demo --national`` (what ``make demo`` runs): three malls in three time zones with history, the
ministry and evaluator accounts, Pekanbaru first and its accounts unchanged."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client

from satuatap.accounts.models import Role, User
from satuatap.directory.hours import service_day
from satuatap.directory.models import Mall
from satuatap.evaluation import evaluations
from satuatap.feedback.models import SurveyResponse
from satuatap.queueing.models import Ticket, TicketSource, TicketStatus
from satuatap.reports import figures

pytestmark = pytest.mark.usefixtures("monday_morning")


@pytest.mark.django_db(transaction=False)
def test_the_national_demo_loads_three_malls_with_history_and_the_national_accounts():
    out = StringIO()
    call_command("demo", "--national", "--history-days", "14", stdout=out)
    malls = list(Mall.objects.order_by("pk"))
    assert [(m.slug, m.timezone) for m in malls] == [
        ("pekanbaru", "Asia/Jakarta"),
        ("makassar", "Asia/Makassar"),
        ("jayapura", "Asia/Jayapura"),
    ]
    assert [row["slug"] for row in Client().get("/api/v1/malls").json()][0] == "pekanbaru"
    assert User.objects.get(username="manager").mall.slug == "pekanbaru"  # Pekanbaru's accounts keep their names
    assert User.objects.get(username="makassar_manager").role == Role.MANAGER
    assert User.objects.get(username="kementerian").role == Role.MINISTRY
    assert User.objects.get(username="evaluator").role == Role.EVALUATOR
    volumes = []
    for mall in malls:
        today = service_day(mall)
        tickets = Ticket.objects.filter(mall=mall)
        assert tickets.filter(day__lt=today - dt.timedelta(days=1)).exists() and not tickets.filter(day=today).exists()
        assert not tickets.filter(day__lt=today - dt.timedelta(days=14)).exists()
        assert SurveyResponse.objects.filter(mall=mall).exists()
        volumes.append(tickets.count())
        last_year = evaluations.latest_submitted(mall, today.year)
        assert last_year is not None and last_year.year == today.year - 1 and last_year.submitted_at is not None
    assert volumes[0] > volumes[1] > volumes[2]  # three sizes
    pekanbaru, yesterday = malls[0], service_day(malls[0]) - dt.timedelta(days=1)
    booked = Ticket.objects.filter(mall=pekanbaru, source=TicketSource.BOOKING)
    assert booked.exists() and not booked.filter(booking__isnull=True).exists()  # every booked ticket has its booking
    funnel = figures.funnel(figures.Selection(pekanbaru, yesterday - dt.timedelta(days=13), yesterday))
    assert funnel.checked_in == booked.count() < funnel.booked  # and some bookings were cancelled or never came
    assert funnel.called == booked.exclude(status=TicketStatus.CANCELLED).count()
    assert funnel.finished == booked.filter(status=TicketStatus.DONE).count() > 0
    client = Client()
    assert client.login(username="kementerian", password=settings.DEMO_PASSWORD)
    assert client.get("/nasional/").status_code == 200
    assert "kementerian" in out.getvalue() and "Jayapura" in out.getvalue()

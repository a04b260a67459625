"""The worker runs every step each tick, even when one of them fails."""

import io

import pytest
from django.core.management import call_command

from satuatap import jobs
from satuatap.project.management.commands import worker

pytestmark = pytest.mark.django_db


def test_a_failing_step_does_not_keep_the_others_from_running(monkeypatch, caplog):
    ran = []

    def broken():
        raise RuntimeError("database hiccup")

    steps = [("first", lambda: ran.append("first")), ("broken", broken), ("last", lambda: ran.append("last"))]
    monkeypatch.setattr(worker, "every_tick", lambda: steps)
    monkeypatch.setattr(worker, "hourly", lambda: [("hourly", lambda: ran.append("hourly"))])
    call_command("worker", "--once", stdout=io.StringIO())
    assert ran == ["first", "last", "hourly"]
    assert "worker step failed: broken" in caplog.text


def test_every_real_step_runs_without_error_on_an_empty_database(caplog):
    out = io.StringIO()
    call_command("worker", "--once", stdout=out)
    assert out.getvalue().strip() == "worker stopped"
    assert "worker step failed" not in caplog.text


def test_the_apps_register_every_step_in_the_order_of_a_tick():
    assert [name for name, _ in jobs.every_tick()] == [
        "prune relayed live hints",
        "expire tickets of earlier days",
        "escalate overdue complaints",
        "sweep booking no-shows",
        "escalate overdue cases",
        "notify sweep notify_complaint_events",
        "notify sweep send_survey_links",
        "notify sweep remind_day_before",
        "notify sweep remind_hour_before",
        "notify sweep notify_turn_near",
        "deliver the notification outbox",
    ]
    assert [name for name, _ in jobs.hourly()] == [
        "prune past days' waiting tallies",
        "roll up closed report days",
        "remove orphaned complaint attachments",
    ]

"""The worker runs every step each tick, even when one of them fails."""

import io

import pytest
from django.core.management import call_command

from satuatap.queueing.management.commands import worker

pytestmark = pytest.mark.django_db


def test_a_failing_step_does_not_keep_the_others_from_running(monkeypatch, caplog):
    ran = []

    def broken():
        raise RuntimeError("database hiccup")

    steps = [("first", lambda: ran.append("first")), ("broken", broken), ("last", lambda: ran.append("last"))]
    monkeypatch.setattr(worker, "EVERY_TICK", steps)
    monkeypatch.setattr(worker, "HOURLY", [("hourly", lambda: ran.append("hourly"))])
    call_command("worker", "--once", stdout=io.StringIO())
    assert ran == ["first", "last", "hourly"]
    assert "worker step failed: broken" in caplog.text


def test_every_real_step_runs_without_error_on_an_empty_database(caplog):
    out = io.StringIO()
    call_command("worker", "--once", stdout=out)
    assert out.getvalue().strip() == "worker stopped"
    assert "worker step failed" not in caplog.text

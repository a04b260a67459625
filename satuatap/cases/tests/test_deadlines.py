"""Due dates in the mall's working days: a weekend, 17 August, the Lebaran cuti bersama week, a month end,
in the three time zones of Indonesia; days returned to the citizen push the due date back."""

from __future__ import annotations

import datetime as dt

import pytest

from satuatap.cases import services
from satuatap.cases.models import Workflow
from satuatap.cases.tests.conftest import NIK
from satuatap.directory.models import Service
from satuatap.testing import make_world

UTC = dt.UTC


def _world(timezone):
    world = make_world(timezone=timezone, always_open=False)  # Monday to Friday, national holidays observed
    return world


def _open(world, days: int):
    """A case of a service whose standard promises ``days`` working days (the workflow follows it)."""
    service = world.services["DUKCAPIL-KK"]
    Service.objects.filter(pk=service.pk).update(completion_working_days=days)
    service.refresh_from_db()
    return services.open_case(world.users["officer1"], service, nik=NIK, name="Warga")


@pytest.mark.parametrize(
    ("opened_at", "days", "received", "due"),
    [
        (dt.datetime(2026, 11, 20, 3, tzinfo=UTC), 1, dt.date(2026, 11, 20), dt.date(2026, 11, 23)),  # a weekend
        (dt.datetime(2026, 8, 14, 3, tzinfo=UTC), 1, dt.date(2026, 8, 14), dt.date(2026, 8, 18)),  # 17 August
        (dt.datetime(2026, 3, 17, 3, tzinfo=UTC), 1, dt.date(2026, 3, 17), dt.date(2026, 3, 25)),  # Lebaran week
        (dt.datetime(2026, 3, 17, 3, tzinfo=UTC), 3, dt.date(2026, 3, 17), dt.date(2026, 3, 27)),
        (dt.datetime(2026, 4, 30, 3, tzinfo=UTC), 1, dt.date(2026, 4, 30), dt.date(2026, 5, 4)),  # month end + 1 May
        (dt.datetime(2026, 7, 31, 3, tzinfo=UTC), 2, dt.date(2026, 7, 31), dt.date(2026, 8, 4)),  # month end
        (dt.datetime(2026, 12, 23, 3, tzinfo=UTC), 1, dt.date(2026, 12, 23), dt.date(2026, 12, 28)),  # Christmas
    ],
)
@pytest.mark.parametrize("timezone", ["Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura"])
def test_due_dates_count_working_days(db, time_machine, timezone, opened_at, days, received, due):
    time_machine.move_to(opened_at, tick=False)
    case = _open(_world(timezone), days)
    assert (case.received_on, case.due_date) == (received, due)


@pytest.mark.parametrize(
    ("timezone", "received", "due"),
    [
        ("Asia/Jakarta", dt.date(2026, 11, 19), dt.date(2026, 11, 20)),  # 23:30 Thursday in Pekanbaru
        ("Asia/Makassar", dt.date(2026, 11, 20), dt.date(2026, 11, 23)),  # 00:30 Friday in Makassar
        ("Asia/Jayapura", dt.date(2026, 11, 20), dt.date(2026, 11, 23)),  # 01:30 Friday in Jayapura
    ],
)
def test_the_received_day_is_the_malls_local_day(db, time_machine, timezone, received, due):
    time_machine.move_to(dt.datetime(2026, 11, 19, 16, 30, tzinfo=UTC), tick=False)
    case = _open(_world(timezone), 1)
    assert (case.received_on, case.due_date) == (received, due)


@pytest.mark.parametrize("timezone", ["Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura"])
def test_time_returned_to_the_citizen_does_not_count(db, time_machine, timezone):
    time_machine.move_to(dt.datetime(2026, 8, 12, 3, tzinfo=UTC), tick=False)  # Wednesday
    world = _world(timezone)
    case = _open(world, 3)
    assert case.due_date == dt.date(2026, 8, 18)  # Thu, Fri, (weekend, 17 August) Tue
    services.act(world.users["officer1"], case, "kembalikan", note="Surat pengantar kurang")
    # Back the next Wednesday: Thu, Fri, Tue, Wed with the citizen (4 working days) do not count.
    time_machine.move_to(dt.datetime(2026, 8, 19, 3, tzinfo=UTC), tick=False)
    services.act(world.users["officer1"], case, "lengkapi")
    case.refresh_from_db()
    assert case.due_date == dt.date(2026, 8, 24)  # Tue 18 + Wed, Thu, Fri, Mon
    assert case.paused_on is None and not services.is_overdue(case)


@pytest.mark.parametrize(
    ("service_days", "override", "due"),
    [
        (3, None, dt.date(2026, 11, 26)),  # the service standard: Tue, Wed, Thu
        (3, 1, dt.date(2026, 11, 24)),  # the workflow's own number overrides it
        (None, None, dt.date(2026, 11, 30)),  # a service that ends at the counter: the 5-day fallback
    ],
)
def test_due_date_follows_the_service_unless_the_workflow_overrides(db, monday_morning, service_days, override, due):
    world = _world("Asia/Jakarta")
    service = world.services["DUKCAPIL-KK"]
    Service.objects.filter(pk=service.pk).update(completion_working_days=service_days)
    service.refresh_from_db()
    Workflow.objects.filter(pk=services.workflow_for(service).pk).update(completion_working_days=override)
    case = services.open_case(world.users["officer1"], service, nik=NIK, name="Warga")
    assert (case.received_on, case.due_date) == (dt.date(2026, 11, 23), due)

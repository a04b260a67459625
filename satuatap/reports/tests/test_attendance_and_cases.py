"""The officers' attendance and the back office's cases on hand-built days, each figure against a hand count.

The clock stands on Monday 28 December 2026, 09:00 WIB. The report covers 21-31 December (previous: 10-20).
The mall opens Monday to Friday; 24 December is cuti bersama, 25 December Christmas, 22 December the mall is
closed (a flood). So the working days up to today are 21, 23 and 28 December; 21 and 23 are over.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import re
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from openpyxl import load_workbook

from satuatap.accounts.models import User
from satuatap.cases import services as cases
from satuatap.directory.models import Closure
from satuatap.queueing.models import TicketEvent
from satuatap.reports import attendance, case_figures
from satuatap.reports.figures import Selection
from satuatap.reports.tests.generated import ticket_row
from satuatap.testing import PASSWORD, bearer_as, make_world

WIB = ZoneInfo("Asia/Jakarta")
TODAY = dt.date(2026, 12, 28)
FIRST, LAST = dt.date(2026, 12, 21), dt.date(2026, 12, 31)
SUMMARY = "/api/v1/malls/pekanbaru/reports/summary?from=2026-12-21&to=2026-12-31"
PAGE = "/m/pekanbaru/laporan/?period=custom&from=2026-12-21&to=2026-12-31"
NIK = "1471011203900001"
numbers = itertools.count(9001)  # apart from the generated tickets' codes


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), WIB)


@pytest.fixture
def world(db, time_machine):
    time_machine.move_to(at(TODAY, 9).astimezone(dt.UTC), tick=False)
    world = make_world(always_open=False)  # weekdays only, national holidays and cuti bersama observed
    User.objects.update(date_joined=at(dt.date(2026, 1, 5), 8))
    return world


def ticket(world, service: str, day: dt.date, officer: str | None, status="done", *, service_minutes=None, events=()):
    """A ticket of ``day`` issued at 08:00 and called at 08:30; ``events``: (action, actor) recorded at 08:30."""
    n = next(numbers)
    svc = world.services[service]
    called = at(day, 8, 30)
    fields = {"officer": world.users[officer] if officer else None, "called_at": called}
    if service_minutes is not None:
        fields.update(started_at=called, finished_at=called + dt.timedelta(minutes=service_minutes))
    elif status == "done":
        fields["finished_at"] = called + dt.timedelta(minutes=5)  # finished without a start: no service time
    t = ticket_row(world, svc, day, n, at(day, 8), status=status, **fields)
    TicketEvent.objects.bulk_create(
        TicketEvent(ticket=t, mall=world.mall, action=action, at=called, actor=world.users[actor])
        for action, actor in events
    )
    return t


@pytest.fixture
def days(world):
    """officer1: 21 Dec two tickets (10 and 20 minutes), 24 Dec (cuti bersama) one finished without a start,
    today a no-show; officer2: nothing; officer3 (joined 23 Dec): 23 Dec a call and transfer (events only) and
    one ticket of 30 minutes; officer4 left (inactive) and did nothing; a ticket of 20 Dec is before the period."""
    Closure.objects.create(
        mall=world.mall, starts_at=at(dt.date(2026, 12, 22), 0), until_date=dt.date(2026, 12, 22), reason="Banjir"
    )
    User.objects.filter(username="officer3").update(date_joined=at(dt.date(2026, 12, 23), 8))
    User.objects.filter(username="officer4").update(is_active=False)
    ticket(world, "DUKCAPIL-KTP", FIRST, "officer1", service_minutes=10, events=[("called", "officer1")])
    ticket(world, "DUKCAPIL-KTP", FIRST, "officer1", service_minutes=20)
    ticket(world, "DUKCAPIL-KK", dt.date(2026, 12, 24), "officer1")
    ticket(world, "DUKCAPIL-KTP", TODAY, "officer1", status="no_show")
    ticket(world, "DUKCAPIL-KTP", dt.date(2026, 12, 20), "officer2", service_minutes=7)
    moved = [("called", "officer3"), ("transferred", "officer3")]
    ticket(world, "IMIGRASI-PASPOR", dt.date(2026, 12, 23), None, status="waiting", events=moved)
    ticket(world, "IMIGRASI-PASPOR", dt.date(2026, 12, 23), "officer3", service_minutes=30)
    return world


def rows(world, **unit) -> dict[str, attendance.OfficerAttendance]:
    found = attendance.attendance(Selection(world.mall, FIRST, LAST, **unit))
    return {row.username: row for row in found.officers}


def figures_of(row: attendance.OfficerAttendance) -> tuple:
    avg = None if row.avg_service is None else round(row.avg_service, 6)  # SQLite's julianday: 1e-7 off
    return row.working_days, row.present_days, row.absent_days, row.served, avg, row.served_per_present_day


def test_the_working_days_skip_the_closure_the_holidays_the_weekend_and_the_future(days):
    selection = Selection(days.mall, FIRST, LAST)
    assert attendance.working_days(selection, TODAY) == [FIRST, dt.date(2026, 12, 23), TODAY]


def test_each_officers_days_and_work_equal_a_hand_count(days):
    found = rows(days)
    assert found.keys() == {"officer1", "officer2", "officer3"}  # officer4 left and did nothing
    # Present 21, 24 (cuti bersama: present, not a working day) and today; absent on 23 only.
    assert figures_of(found["officer1"]) == (3, 3, 1, 3, 15.0, 1.0)
    # Never present: absent on 21 and 23; the closure (22), the holidays, today and the future are not absences.
    assert figures_of(found["officer2"]) == (3, 0, 2, 0, None, None)
    # Joined on 23 December: 23 and today are its working days; the events alone made it present.
    assert figures_of(found["officer3"]) == (2, 1, 0, 1, 30.0, 1.0)


def test_the_total_adds_the_days_and_averages_over_every_ticket(days):
    total = attendance.attendance(Selection(days.mall, FIRST, LAST)).total()
    assert figures_of(total) == (8, 4, 3, 4, 20.0, 1.0)  # service (10 + 20 + 30) / 3


def test_a_day_still_to_come_is_never_an_absence(days, time_machine):
    time_machine.move_to(at(dt.date(2026, 12, 20), 9).astimezone(dt.UTC), tick=False)
    assert figures_of(rows(days)["officer2"]) == (0, 0, 0, 0, None, None)


@pytest.fixture
def case_days(days):
    """Cases of KK (1 working day) and passport, opened and finished on the days below."""
    kk, paspor = days.services["DUKCAPIL-KK"], days.services["IMIGRASI-PASPOR"]
    officer1, officer3, supervisor = (days.users[u] for u in ("officer1", "officer3", "sup_dukcapil"))

    def opened(service, officer, day):
        return cases.open_case(officer, service, nik=NIK, name="Siti Aminah", now=at(day, 9))

    def refused(case, day):
        for actor, action in ((officer1, "verifikasi"), (officer1, "proses"), (supervisor, "tolak")):
            cases.act(actor, case, action, note="tidak memenuhi syarat", now=at(day, 10))

    on_time = opened(kk, officer1, FIRST)  # due 23 Dec (22 is closed)
    refused(on_time, dt.date(2026, 12, 23))
    late = opened(kk, officer1, FIRST)
    refused(late, TODAY)
    opened(kk, officer1, dt.date(2026, 12, 23))  # due today: open, not yet overdue
    returned = opened(kk, officer1, FIRST)  # back with the citizen: its clock stands still
    cases.act(officer1, returned, "kembalikan", note="kurang surat pengantar", now=at(FIRST, 11))
    opened(paspor, officer3, FIRST)  # due 23 Dec, open: overdue
    opened(kk, officer1, dt.date(2026, 12, 15))  # the previous period's, open: overdue
    refused(opened(kk, officer1, dt.date(2026, 12, 16)), dt.date(2026, 12, 17))  # previous period, on time
    return days


def counts(f: case_figures.CaseFigures) -> tuple:
    return f.opened, f.finished, f.on_time, f.on_time_share, f.overdue_open


def test_the_case_figures_equal_a_hand_count(case_days):
    selection = Selection(case_days.mall, FIRST, LAST)
    assert counts(case_figures.case_figures(selection)) == (5, 2, 1, 0.5, 2)
    assert counts(case_figures.case_figures(selection.previous(), now=False)) == (2, 1, 1, 1.0, None)
    by_agency = dict(case_figures.case_breakdown(selection, "agency"))
    assert {code: counts(f) for code, f in by_agency.items()} == {
        "DUKCAPIL": (4, 2, 1, 0.5, 1),
        "IMIGRASI": (1, 0, 0, None, 1),
    }
    by_service = dict(case_figures.case_breakdown(selection, "service"))
    assert counts(by_service["DUKCAPIL-KK"]) == (4, 2, 1, 0.5, 1)


def test_the_summary_api_carries_attendance_and_cases_beside_the_previous_period(client: Client, case_days):
    body = client.get(SUMMARY, headers=bearer_as(case_days, "manager")).json()
    a = body["attendance"]
    assert (a["officers"], a["working_days"], a["present_days"], a["absent_days"], a["served"]) == (3, 8, 4, 3, 4)
    assert (a["avg_service_minutes"], a["served_per_present_day"]) == (20.0, 1.0)
    assert [r["officer"] for r in a["by_officer"]] == ["officer1", "officer2", "officer3"]
    c = body["cases"]
    assert (c["opened"], c["finished"], c["finished_on_time"], c["on_time_share"], c["overdue_open"]) == (
        5,
        2,
        1,
        0.5,
        2,
    )
    assert [r["agency"] for r in c["by_agency"]] == ["DUKCAPIL", "IMIGRASI"]
    previous = body["previous"]
    assert previous["cases"] == {
        "opened": 2,
        "finished": 1,
        "finished_on_time": 1,
        "on_time_share": 1.0,
        "overdue_open": None,
    }
    # Before the period officer2 served one ticket on 20 December (a Sunday: present, not a working day).
    assert (previous["attendance"]["present_days"], previous["attendance"]["served"]) == (1, 1)


def test_a_supervisor_sees_only_their_agencys_officers_and_cases(client: Client, case_days):
    body = client.get(SUMMARY, headers=bearer_as(case_days, "sup_dukcapil")).json()
    assert [r["officer"] for r in body["attendance"]["by_officer"]] == ["officer1", "officer2"]
    assert [r["agency"] for r in body["cases"]["by_agency"]] == ["DUKCAPIL"]
    assert (body["cases"]["opened"], body["cases"]["overdue_open"]) == (4, 1)
    page = Client()
    assert page.login(username="sup_dukcapil", password=PASSWORD)
    html = page.get(PAGE).content.decode()
    officers = html.split('id="numbers-attendance"')[1].split("</table>")[0]
    assert 'data-officer="officer1"' in officers and 'data-officer="officer3"' not in officers
    assert "IMIGRASI" not in html.split('id="numbers-cases-agency"')[1].split("</table>")[0]


def _foot(html: str, table_id: str) -> list[str]:
    """The total row of a table on the page, its numbers as shown (decimal commas read as points)."""
    foot = html.split(f'id="{table_id}"')[1].split("<tfoot>")[1].split("</tfoot>")[0]
    return [cell.replace(",", ".") for cell in re.findall(r'<td class="num">([^<]*)</td>', foot)]


def test_the_files_carry_the_officers_and_the_cases_as_the_screen_shows_them(case_days):
    client = Client()
    assert client.login(username="manager", password=PASSWORD)
    html = client.get(PAGE).content.decode()
    assert _foot(html, "numbers-attendance") == ["8", "4", "3", "4", "20.0", "1.0"]
    assert _foot(html, "numbers-cases-agency") == ["5", "2", "1", "0.5", "2"]
    book = load_workbook(io.BytesIO(client.get(PAGE.replace("/?", "/laporan.xlsx?")).content))
    officers = list(book["Petugas"].iter_rows(min_row=2, values_only=True))
    assert [r[0] for r in officers] == ["officer1", "officer2", "officer3", "Jumlah"]
    assert [str(float(v)) for v in officers[-1][2:]] == [str(float(v)) for v in _foot(html, "numbers-attendance")]
    assert sum(r[5] for r in officers[:-1]) == officers[-1][5] == 4  # served, officer by officer
    agencies = list(book["Berkas per instansi"].iter_rows(min_row=2, values_only=True))
    assert agencies == [("DUKCAPIL", 4, 2, 1, 0.5, 1), ("IMIGRASI", 1, 0, 0, None, 1), ("Jumlah", 5, 2, 1, 0.5, 2)]
    text = client.get(PAGE.replace("/?", "/laporan.csv?")).content.decode("utf-8-sig")
    sections = [list(csv.reader(io.StringIO(part))) for part in text.split("\r\n\r\n")]
    assert ["Jumlah", "", "8", "4", "3", "4", "20.0", "1.0"] in sections[3]
    assert ["Jumlah", "5", "2", "1", "0.5", "2"] in sections[4]
    pdf = client.get(PAGE.replace("/?", "/laporan.pdf?")).content
    assert b"Berkas permohonan per instansi" in pdf and b"(DUKCAPIL)" in pdf and b"(IMIGRASI)" in pdf

"""Officer attendance and productivity against the mall's calendar (issue 13), counted by the database.

There is no sign-in log (a counter only holds who sits at it *now*), so attendance is read from the work itself:

- **present** on a service day: the officer was the ticket's officer (called or served it) or recorded an event
  on a ticket of that day (a call, a recall, a start, a finish, a no-show, a transfer);
- **working days**: the mall's working days of the period (``directory.hours.working_days``, each as
  ``is_working_day`` answers it: weekly hours, national holidays, cuti bersama, whole-mall closures) up to today,
  from the day the officer joined (or their first presence, when they worked before their account's date);
- **absent**: a working day that is over (before today) on which the officer was not present. Holidays, closures,
  weekends, future days and today (still running) are never absent; a day present outside the calendar (a
  Saturday opening) counts as present, not as a working day;
- **served**: the period's finished tickets whose officer they are (a service filter applies to these);
  **average service time**: start to finish of those that were started, as ``figures`` counts it.

Presence is one grouped query; the work is the officers' ticket figures (``figures``, from the summary tables for
closed days); only the calendar (a few hundred days at most) is walked in Python. Values go as query parameters;
table names and fixed expressions make up the SQL (``noqa: S608``).
"""

from __future__ import annotations

import bisect
import datetime as dt
from dataclasses import dataclass, field

from django.db import connection

from satuatap.accounts.models import Role, User
from satuatap.directory import hours
from satuatap.directory.hours import service_day
from satuatap.queueing.models import Ticket, TicketEvent
from satuatap.reports import figures
from satuatap.reports.figures import Selection

# The events an officer records at a counter (an issue or a cancel is the citizen's or the kiosk's).
WORK_ACTIONS = ("called", "recalled", "started", "finished", "no_show", "transferred")


@dataclass
class OfficerAttendance:
    officer_id: int
    username: str
    name: str
    working_days: int = 0
    present_days: int = 0
    absent_days: int = 0
    served: int = 0
    service_minutes: float = 0.0  # the sum over ``timed`` tickets, for averages that add up
    timed: int = 0  # finished tickets that were started (the ones with a service time)

    @property
    def avg_service(self) -> float | None:
        return self.service_minutes / self.timed if self.timed else None

    @property
    def served_per_present_day(self) -> float | None:
        return self.served / self.present_days if self.present_days else None


@dataclass
class Attendance:
    officers: list[OfficerAttendance] = field(default_factory=list)

    def total(self) -> OfficerAttendance:
        """Every officer's days and tickets added up (averages over all of them, not of the rows' averages)."""
        total = OfficerAttendance(0, "", "")
        for row in self.officers:
            for name in ("working_days", "present_days", "absent_days", "served", "service_minutes", "timed"):
                setattr(total, name, getattr(total, name) + getattr(row, name))
        return total


def _fetch(sql: str, params: list) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _as_date(value) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def working_days(selection: Selection, today: dt.date) -> list[dt.date]:
    """The mall's working days of the selection up to ``today`` (future days never count)."""
    last = min(selection.last, today)
    return hours.working_days(selection.mall, selection.first, last) if selection.first <= last else []


def _officers(selection: Selection) -> list[User]:
    agency = selection.service.agency_id if selection.service else selection.agency.pk if selection.agency else None
    officers = User.objects.filter(mall=selection.mall, role=Role.OFFICER)
    if agency is not None:
        officers = officers.filter(agency_id=agency)
    return list(officers.order_by("username"))


def _presence(selection: Selection, ids: list[int], past_working: list[dt.date]) -> dict[int, tuple]:
    """officer id -> (days present, of them working days that are over, first day present)."""
    ticket, event = Ticket._meta.db_table, TicketEvent._meta.db_table
    ids_sql = ", ".join(["%s"] * len(ids))
    actions = ", ".join(f"'{a}'" for a in WORK_ACTIONS)
    period = "tk.mall_id = %s AND tk.day >= %s AND tk.day <= %s"
    bounds = [selection.mall.pk, selection.first.isoformat(), selection.last.isoformat()]
    officer_days, officer_params = figures.officer_days(selection)  # the summary tables, not a year of tickets
    worked = (
        f"SELECT u, d FROM ({officer_days}) AS o WHERE u IN ({ids_sql}) "  # noqa: S608
        f"UNION SELECT e.actor_id, tk.day FROM {event} e JOIN {ticket} tk ON tk.id = e.ticket_id "
        f"WHERE {period} AND e.action IN ({actions}) AND e.actor_id IN ({ids_sql})"
    )
    past = f"d IN ({', '.join(['%s'] * len(past_working))})" if past_working else "1 = 0"
    rows = _fetch(
        f"SELECT u, COUNT(*), SUM(CASE WHEN {past} THEN 1 ELSE 0 END), MIN(d) FROM ({worked}) AS p GROUP BY u",  # noqa: S608
        [*(d.isoformat() for d in past_working), *officer_params, *ids, *bounds, *ids],
    )
    return {u: (int(days), int(on_working or 0), _as_date(first)) for u, days, on_working, first in rows}


def _work(selection: Selection) -> dict[int, tuple]:
    """officer id -> (finished tickets, tickets with a service time, their minutes added up): the officers' ticket
    figures (the summary tables for closed days), of every agency's services: an officer's work is theirs."""
    mall_wide = Selection(selection.mall, selection.first, selection.last, service=selection.service)
    found = figures.ticket_figures(mall_wide, "officer", percentiles=False)
    return {u: (f.served, f.timed, f.service_minutes) for u, f in found.items() if u is not None}


def attendance(selection: Selection, *, today: dt.date | None = None) -> Attendance:
    """One row per officer of the selection's agency (every agency's for the whole mall), by username."""
    today = today or service_day(selection.mall)
    calendar = working_days(selection, today)
    past = [d for d in calendar if d < today]
    officers = _officers(selection)
    ids = [u.pk for u in officers]
    if not ids:
        return Attendance()
    presence, work = _presence(selection, ids, past), _work(selection)
    rows = []
    for user in officers:
        present, present_on_past, first_present = presence.get(user.pk, (0, 0, None))
        if not user.is_active and not present:
            continue  # a former officer with nothing in the period is not a row of absences
        since = service_day(selection.mall, user.date_joined)
        if first_present is not None:
            since = min(since, first_present)
        served, timed, service_minutes = work.get(user.pk, (0, 0, 0.0))
        rows.append(
            OfficerAttendance(
                officer_id=user.pk,
                username=user.username,
                name=user.get_full_name() or user.username,
                working_days=len(calendar) - bisect.bisect_left(calendar, since),
                present_days=present,
                absent_days=len(past) - bisect.bisect_left(past, since) - present_on_past,
                served=served,
                service_minutes=service_minutes,
                timed=timed,
            )
        )
    return Attendance(rows)

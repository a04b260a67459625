"""The SKM's visitor count (its population N) from the reports' summary tables, not a scan of every ticket.

Registered with ``feedback.ikm.count_visitors_with`` by the reports app: the survey counts here whenever its
window is whole local days (every report period is).
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from satuatap.directory.models import Mall
from satuatap.reports import figures


def served(mall: Mall, start: dt.datetime, end: dt.datetime, agency, service) -> int | None:
    """Tickets served in the local days ``start`` .. ``end`` (exclusive); None for a window of part days.

    A ticket counts on its service day, which is the day it was finished: the queue is per local day, call-next
    never reaches a ticket of an earlier day."""
    tz = ZoneInfo(mall.timezone)
    first, after = start.astimezone(tz), end.astimezone(tz)
    if first.time() != dt.time(0) or after.time() != dt.time(0) or after <= first:
        return None
    selection = figures.Selection(mall, first.date(), after.date() - dt.timedelta(days=1), agency, service)
    return figures.total(selection, percentiles=False).served

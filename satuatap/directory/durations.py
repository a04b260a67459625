"""The number of working days a service standard's free-text duration promises."""

from __future__ import annotations

import re

# "3 hari kerja" -> 3; "1–3 hari kerja" -> 3 (the promise is the upper bound).
_DAYS = re.compile(r"(\d{1,3})\s*hari", re.IGNORECASE)


def working_days_from(duration: str) -> int | None:
    """``None`` when the text names no number of days (e.g. "Selesai di tempat": it ends at the counter)."""
    found = _DAYS.findall(duration or "")
    return int(found[-1]) if found else None

"""Where a citizen goes for a service: building, zone, floor and counters, as the slip prints them."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext as _

from satuatap.directory.models import Agency
from satuatap.queueing.models import TicketStatus


def counter_ranges(numbers: Iterable[int]) -> str:
    """1, 2, 3, 7, 9, 10 -> "1–3, 7, 9–10": eleven counters fit on one line of an 80 mm slip."""
    ordered = sorted(set(numbers))
    parts: list[str] = []
    start = prev = None
    for n in ordered:
        if prev is not None and n == prev + 1:
            prev = n
            continue
        if start is not None:
            parts.append(_span(start, prev))
        start = prev = n
    if start is not None:
        parts.append(_span(start, prev))
    return ", ".join(parts)


def _span(first: int, last: int) -> str:
    if first == last:
        return str(first)
    if last == first + 1:
        return f"{first}, {last}"
    return f"{first}–{last}"


def where_to_go(agency: Agency, counters: Iterable[int]) -> dict:
    """The agency's zone holds all its counters (see ``Agency.zone``): one place to name."""
    zone = agency.zone
    return {
        "building": zone.building.name,
        "zone": zone.name,
        "floor": zone.floor,
        "counters": counter_ranges(counters),
        "line": ", ".join(part for part in (zone.building.name, zone.floor) if part),
    }


def finished_note(status: str) -> str:
    """What the phone page says under a ticket that will not be called again."""
    return {
        TicketStatus.DONE: _("Layanan untuk nomor ini sudah selesai. Terima kasih."),
        TicketStatus.NO_SHOW: _("Nomor ini tidak hadir saat dipanggil. Silakan ambil nomor baru bila masih perlu."),
        TicketStatus.CANCELLED: _("Nomor ini sudah dibatalkan."),
    }.get(status, "")

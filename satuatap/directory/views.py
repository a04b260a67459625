"""What the public pages of a mall read from the directory: its week, each service's standard.

The pages themselves, which also show the queue and the booking offer, are ``pages.py``.
"""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from satuatap.directory.hours import describe_hours
from satuatap.directory.models import Counter, Mall, OpeningHours, Service

FREE = gettext_noop("Gratis / Rp 0")
_FREE_SPELLINGS = {"", "0", "rp 0", "rp0", "rp 0,-", "gratis", "gratis / rp 0", "gratis/rp 0"}


def published_fee(fee: str) -> str:
    """A free service says so explicitly (PermenPANRB 15/2014): "Gratis / Rp 0"."""
    return _(FREE) if (fee or "").strip().lower() in _FREE_SPELLINGS else fee


def bullet_lines(text: str) -> list[str]:
    return [line.strip(" -•\t") for line in (text or "").splitlines() if line.strip(" -•\t")]


def week(mall: Mall) -> list[tuple[str, str]]:
    hours = {h.weekday: h for h in mall.hours.all()}
    return [(label, describe_hours(hours.get(day))) for day, label in OpeningHours.Weekday.choices]


def standard_of(mall: Mall, code: str) -> dict:
    """A live service of a live agency of ``mall``, its six published components and its counters (or 404)."""
    service = get_object_or_404(
        Service.objects.active().select_related("agency__zone__building"),
        mall=mall,
        code=code,
        agency__archived_at__isnull=True,
    )
    counters = Counter.objects.active().filter(services=service).select_related("building").order_by("number")
    components = [
        (_("Persyaratan"), bullet_lines(service.requirements), True),
        (_("Sistem, mekanisme dan prosedur"), bullet_lines(service.procedure), True),
        (_("Jangka waktu penyelesaian"), [service.duration or _("Belum dicantumkan")], False),
        (_("Biaya/tarif"), [published_fee(service.fee)], False),
        (_("Produk pelayanan"), [service.product or _("Belum dicantumkan")], False),
        (
            _("Penanganan pengaduan, saran dan masukan"),
            bullet_lines(service.complaint_channel.replace("; ", "\n")),
            True,
        ),
    ]
    return {"mall": mall, "service": service, "components": components, "counters": counters}

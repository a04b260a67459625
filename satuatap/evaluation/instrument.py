"""The default PEKPPP instrument (``shared/domain.md``: PermenPANRB 29/2022, Pedoman Menteri PANRB 1/2022), used
only to seed a year that has no instrument yet; the ministry edits each year's rows afterwards.

The weights of the six aspects and of the *Kebijakan pelayanan* indicators are the regulation's; the other
aspects' indicator lists are a short default (one or two indicators each) to be completed by the ministry user.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction

from satuatap.evaluation.models import Aspect, Indicator, Instrument

S = Indicator.Source
RUBRIC = (
    "0 tidak ada; 1 ada rencana; 2 ada sebagian; 3 ada dan berjalan; 4 berjalan dan dievaluasi; "
    "5 berjalan, dievaluasi dan ditindaklanjuti"
)

DEFAULT: list[tuple[str, int, list[tuple[str, int, str]]]] = [
    (
        "Kebijakan pelayanan",
        24,
        [
            ("Standar pelayanan tersedia", 17, S.STANDARDS),
            ("Masyarakat dilibatkan dalam penyusunan standar pelayanan", 14, S.NONE),
            ("Komponen standar pelayanan (service delivery) dipublikasikan", 7, S.NONE),
            ("Standar pelayanan ditinjau ulang", 14, S.NONE),
            ("Siklus maklumat pelayanan", 10, S.MAKLUMAT),
            ("SKM dilaksanakan sesuai peraturan", 17, S.SKM_SAMPLE),
            ("Hasil SKM dipublikasikan", 7, S.NONE),
            ("Persentase tindak lanjut hasil SKM", 7, S.FOLLOW_UP_SHARE),
            ("Kecepatan tindak lanjut hasil SKM", 7, S.FOLLOW_UP_SPEED),
        ],
    ),
    ("Profesionalisme SDM", 25, [("Kompetensi dan perilaku pelaksana", 100, S.NONE)]),
    ("Sarana prasarana", 18, [("Sarana prasarana, termasuk bagi kelompok rentan", 100, S.NONE)]),
    ("Sistem informasi pelayanan publik", 11, [("Sistem informasi pelayanan dipakai", 100, S.INFORMATION_SYSTEM)]),
    ("Konsultasi dan pengaduan", 10, [("Pengaduan ditangani dalam batas waktu", 100, S.COMPLAINTS)]),
    ("Inovasi", 12, [("Inovasi pelayanan publik", 100, S.NONE)]),
]


def instrument_for(year: int) -> Instrument:
    """The instrument of ``year``: the stored one, or the default seeded for it (once, even under races)."""
    found = Instrument.objects.filter(year=year).first()
    if found is not None:
        return found
    with transaction.atomic():
        instrument, created = Instrument.objects.get_or_create(year=year, defaults={"name": f"PEKPPP {year}"})
        if created:
            for a_order, (name, weight, indicators) in enumerate(DEFAULT, start=1):
                aspect = Aspect.objects.create(instrument=instrument, order=a_order, name=name, weight=Decimal(weight))
                Indicator.objects.bulk_create(
                    Indicator(aspect=aspect, order=i, name=n, weight=Decimal(w), rubric=RUBRIC, source=source)
                    for i, (n, w, source) in enumerate(indicators, start=1)
                )
    return instrument

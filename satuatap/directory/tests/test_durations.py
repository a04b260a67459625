"""The number of working days behind a service standard's free-text duration."""

from __future__ import annotations

import pytest

from satuatap.directory.durations import working_days_from


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("3 hari kerja", 3),
        ("28 Hari Kerja", 28),
        ("1–3 hari kerja", 3),
        ("4 hari kerja setelah berita acara pemeriksaan", 4),
        ("Selesai di tempat", None),
        ("Selesai di tempat (±15 menit)", None),
        ("Sesuai jadwal angkatan", None),
        ("", None),
    ],
)
def test_working_days_from_the_published_text(text, days):
    assert working_days_from(text) == days

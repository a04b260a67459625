"""NIK (Nomor Induk Kependudukan) checked by its structure.

16 digits: province (2) + regency/city (2) + district (2) of first registration,
birth date DDMMYY with 40 added to the day for women (days 01-31 and 41-71),
then a serial (4) from 0001. The region never changes when a person moves, so an
unknown region code is not an error; a wrong length, non-digits, an impossible
birth date and a zero serial are.
"""

from __future__ import annotations

import datetime as dt
import re

from django.utils.translation import gettext as _

from satuatap.refusal import Refused


def _refused(code: str, message: str) -> Refused:
    return Refused(code, message, status=422, field="nik")


def _birth_date_ok(day: int, month: int, yy: int) -> bool:
    # The century is not in the NIK: a date valid in either 19yy or 20yy is a date.
    for year in (1900 + yy, 2000 + yy):
        try:
            dt.date(year, month, day)
            return True
        except ValueError:
            continue
    return False


def validate_nik(raw: str) -> str:
    """The cleaned 16-digit NIK, or Refused (422, field ``nik``) with a message in Bahasa Indonesia."""
    nik = re.sub(r"[\s.\-]", "", str(raw or ""))
    if not nik:
        raise _refused("nik_required", _("NIK wajib diisi (16 angka sesuai KTP-el atau Kartu Keluarga)."))
    if not nik.isascii() or not nik.isdigit():
        raise _refused("nik_digits", _("NIK hanya boleh berisi angka."))
    if len(nik) != 16:
        raise _refused("nik_length", _("NIK harus 16 angka; yang dimasukkan %(n)d angka.") % {"n": len(nik)})
    day, month, yy = int(nik[6:8]), int(nik[8:10]), int(nik[10:12])
    if 41 <= day <= 71:
        day -= 40  # women
    elif not 1 <= day <= 31:
        raise _refused(
            "nik_date",
            _("Tanggal lahir di dalam NIK tidak valid (angka ke-7 dan ke-8 harus 01–31, atau 41–71 untuk perempuan)."),
        )
    if not 1 <= month <= 12:
        raise _refused("nik_date", _("Bulan lahir di dalam NIK tidak valid (angka ke-9 dan ke-10 harus 01–12)."))
    if not _birth_date_ok(day, month, yy):
        raise _refused("nik_date", _("Tanggal lahir di dalam NIK tidak ada di kalender. Periksa kembali NIK Anda."))
    if nik[12:] == "0000":
        raise _refused("nik_serial", _("Nomor urut di dalam NIK (4 angka terakhir) tidak boleh 0000."))
    return nik

"""NIK checked by its structure: each bad form refused with its own reason, women's days accepted."""

import pytest

from satuatap.booking.nik import validate_nik
from satuatap.refusal import Refused


@pytest.mark.parametrize(
    "nik",
    [
        "1471011203900001",  # man, 12 March 1990
        "1471015203900001",  # woman, day 12 + 40
        "1471014101000001",  # woman, 1 January (day 41)
        "1471017112990001",  # woman, 31 December (day 71)
        "1471010101000001",  # day 01
        "1471013112990001",  # day 31, December
        "1471012902000001",  # 29 February 2000 (leap year)
        "1471016902000001",  # woman, 29 February 2000
        "9999991203900001",  # unknown region: people keep their first registration's code
        "0000001203900001",  # region 00 is not an error either
        "1471011203909999",
        " 1471 0112 0390 0001 ",  # spaces as printed on cards
    ],
)
def test_valid_niks(nik):
    assert validate_nik(nik) == nik.replace(" ", "")


@pytest.mark.parametrize(
    ("nik", "code"),
    [
        ("", "nik_required"),
        ("147101120390001", "nik_length"),  # 15 digits
        ("14710112039000011", "nik_length"),  # 17 digits
        ("1471", "nik_length"),
        ("147101120390000A", "nik_digits"),
        ("1471O11203900001", "nik_digits"),  # letter O for zero
        ("1471011203９00001", "nik_digits"),  # full-width digit
        ("-471011203900001", "nik_length"),  # the dash is dropped as a separator: 15 digits left
        ("1471010003900001", "nik_date"),  # day 00
        ("1471013203900001", "nik_date"),  # day 32
        ("1471014003900001", "nik_date"),  # day 40
        ("1471017203900001", "nik_date"),  # day 72
        ("1471019903900001", "nik_date"),  # day 99
        ("1471011200900001", "nik_date"),  # month 00
        ("1471011213900001", "nik_date"),  # month 13
        ("1471013002900001", "nik_date"),  # 30 February
        ("1471017002900001", "nik_date"),  # woman, 30 February
        ("1471013104900001", "nik_date"),  # 31 April
        ("1471012902010001", "nik_date"),  # 29 February 1901/2001: no leap year
        ("1471011203900000", "nik_serial"),  # zero serial
    ],
)
def test_bad_niks_are_refused_with_a_reason(nik, code):
    with pytest.raises(Refused) as err:
        validate_nik(nik)
    assert err.value.code == code
    assert "NIK" in err.value.message

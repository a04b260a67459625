"""How the display board says a call in Bahasa Indonesia, and the sounds it plays."""

import io
import wave

import pytest

from satuatap.queueing import speech
from satuatap.queueing.speech import number_words, spoken_counter, spoken_number, utterance

ZERO_TO_TWENTY = [
    "nol",
    "satu",
    "dua",
    "tiga",
    "empat",
    "lima",
    "enam",
    "tujuh",
    "delapan",
    "sembilan",
    "sepuluh",
    "sebelas",
    "dua belas",
    "tiga belas",
    "empat belas",
    "lima belas",
    "enam belas",
    "tujuh belas",
    "delapan belas",
    "sembilan belas",
    "dua puluh",
]


@pytest.mark.parametrize(("n", "words"), list(enumerate(ZERO_TO_TWENTY)))
def test_numbers_zero_to_twenty_are_said_in_indonesian(n, words):
    assert number_words(n) == words


@pytest.mark.parametrize(
    ("n", "words"),
    [
        (21, "dua puluh satu"),
        (30, "tiga puluh"),
        (45, "empat puluh lima"),
        (99, "sembilan puluh sembilan"),
        (100, "seratus"),
        (101, "seratus satu"),
        (110, "seratus sepuluh"),
        (111, "seratus sebelas"),
        (119, "seratus sembilan belas"),
        (200, "dua ratus"),
        (266, "dua ratus enam puluh enam"),
        (999, "sembilan ratus sembilan puluh sembilan"),
        (1000, "seribu"),
        (1001, "seribu satu"),
        (1100, "seribu seratus"),
        (2000, "dua ribu"),
        (11000, "sebelas ribu"),
        (100_000, "seratus ribu"),
        (1_000_000, "satu juta"),
        (2_500_000, "dua juta lima ratus ribu"),
    ],
)
def test_tens_hundreds_and_thousands_use_se_for_one(n, words):
    assert number_words(n) == words


@pytest.mark.parametrize(
    ("number", "spoken"),
    [
        ("A007", "A nol nol tujuh"),
        ("A001", "A nol nol satu"),
        ("B010", "B nol satu nol"),
        ("A123", "A satu dua tiga"),
        ("C1000", "C satu nol nol nol"),
        ("d042", "D nol empat dua"),
        ("AB-012", "A B nol satu dua"),
        ("", ""),
    ],
)
def test_ticket_numbers_are_read_letter_by_letter_and_digit_by_digit(number, spoken):
    assert spoken_number(number) == spoken


@pytest.mark.parametrize(
    ("counter", "spoken"),
    [(1, "satu"), ("12", "dua belas"), (21, "dua puluh satu"), (100, "seratus"), (111, "seratus sebelas")],
)
def test_counter_numbers_are_read_as_numbers(counter, spoken):
    assert spoken_counter(counter) == spoken


def test_the_call_sentence_is_exact():
    assert utterance("A007", 12) == "Nomor antrean A nol nol tujuh, silakan ke loket dua belas"
    assert utterance("D123", 266) == "Nomor antrean D satu dua tiga, silakan ke loket dua ratus enam puluh enam"


def test_the_chime_is_a_short_valid_wav():
    data = speech.chime_wav()
    with wave.open(io.BytesIO(data)) as audio:
        assert audio.getnchannels() == 1
        assert audio.getsampwidth() == 2
        seconds = audio.getnframes() / audio.getframerate()
    assert 0.5 < seconds < 3
    assert speech.chime_wav() is data  # made once per process


def test_espeak_header_sizes_are_repaired():
    unknown = 0x7FFFFFFF
    header = (
        b"RIFF"
        + unknown.to_bytes(4, "little")
        + b"WAVEfmt "
        + (16).to_bytes(4, "little")
        + bytes.fromhex("01000100225600004aac00000200 1000".replace(" ", ""))
        + b"data"
        + unknown.to_bytes(4, "little")
    )
    fixed = speech._fix_wav_sizes(header + b"\x01\x00" * 10)
    with wave.open(io.BytesIO(fixed)) as audio:
        assert audio.getnframes() == 10

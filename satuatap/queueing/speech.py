"""What the display board says when it calls a number, and the sounds it plays.

The board speaks Bahasa Indonesia whatever language the page is shown in: the
voice is ``id-ID`` and the number words are Indonesian, so the sentence is not
a translatable UI string. The server words it (``utterance``) so browsers need
no pronunciation logic; ``speech_wav`` renders the same sentence with
espeak-ng for boards whose browser has no Indonesian voice.

Ticket numbers are read the way people read them: letters as letters, the
sequence digit by digit ("A007" -> "A nol nol tujuh", "A123" -> "A satu dua
tiga"). Counter numbers are read as numbers ("12" -> "dua belas").
"""

from __future__ import annotations

import io
import math
import re
import shutil
import struct
import subprocess  # noqa: S404 (espeak-ng runs without a shell, on server-made text)
import wave
from functools import lru_cache

DIGITS = ("nol", "satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan", "sembilan")
_SCALES = ((1_000_000_000_000, "triliun"), (1_000_000_000, "miliar"), (1_000_000, "juta"))
_TOKEN = re.compile(r"[A-Za-z]|\d+")

ESPEAK = "espeak-ng"
ESPEAK_TIMEOUT_SECONDS = 10
SAMPLE_RATE = 22_050


def _below_thousand(n: int) -> str:
    words: list[str] = []
    hundreds, rest = divmod(n, 100)
    if hundreds == 1:
        words.append("seratus")
    elif hundreds > 1:
        words.append(f"{DIGITS[hundreds]} ratus")
    if rest == 0:
        pass
    elif rest < 10:
        words.append(DIGITS[rest])
    elif rest == 10:
        words.append("sepuluh")
    elif rest == 11:
        words.append("sebelas")
    elif rest < 20:
        words.append(f"{DIGITS[rest - 10]} belas")
    else:
        tens, ones = divmod(rest, 10)
        words.append(f"{DIGITS[tens]} puluh")
        if ones:
            words.append(DIGITS[ones])
    return " ".join(words)


def number_words(n: int) -> str:
    """A whole number in Indonesian words: 12 -> "dua belas", 1000 -> "seribu"."""
    if n < 0:
        return "minus " + number_words(-n)
    if n == 0:
        return "nol"
    words: list[str] = []
    for size, name in _SCALES:
        count, n = divmod(n, size)
        if count:
            words.append(f"{number_words(count)} {name}")
    thousands, n = divmod(n, 1000)
    if thousands == 1:
        words.append("seribu")
    elif thousands > 1:
        words.append(f"{_below_thousand(thousands)} ribu")
    if n:
        words.append(_below_thousand(n))
    return " ".join(words)


def spoken_number(number: str) -> str:
    """A ticket number as said aloud: "A007" -> "A nol nol tujuh"; other characters are skipped."""
    parts: list[str] = []
    for token in _TOKEN.findall(number or ""):
        if token.isdigit():
            parts.extend(DIGITS[int(d)] for d in token)
        else:
            parts.append(token.upper())
    return " ".join(parts)


def spoken_counter(counter) -> str:
    """A counter number as said aloud: 12 -> "dua belas"; a non-numeric name is kept as it is."""
    text = str(counter).strip()
    return number_words(int(text)) if text.isdigit() else text


def utterance(number: str, counter) -> str:
    """The sentence the board speaks for a call (and again for each recall); "antrean" as in KBBI."""
    return f"Nomor antrean {spoken_number(number)}, silakan ke loket {spoken_counter(counter)}"


# ---- Sounds -----------------------------------------------------------------


def _wav_bytes(samples: list[float], rate: int = SAMPLE_RATE) -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(b"".join(struct.pack("<h", int(max(-1.0, min(1.0, s)) * 32767)) for s in samples))
    return buffer.getvalue()


def _tone(freq: float, seconds: float, rate: int) -> list[float]:
    """A bell-like tone: the note plus a soft octave, fading out, with a short attack."""
    total = int(seconds * rate)
    attack = int(0.01 * rate)
    out = []
    for i in range(total):
        t = i / rate
        envelope = math.exp(-3.2 * t) * min(1.0, i / attack if attack else 1.0)
        value = math.sin(2 * math.pi * freq * t) + 0.3 * math.sin(4 * math.pi * freq * t)
        out.append(0.55 * envelope * value)
    return out


@lru_cache(maxsize=1)
def chime_wav() -> bytes:
    """A short two-tone "ding-dong" (E5 then C5), made once per process."""
    rate = SAMPLE_RATE
    silence = [0.0] * int(0.05 * rate)
    return _wav_bytes(silence + _tone(659.25, 0.55, rate) + _tone(523.25, 0.9, rate) + silence, rate)


class SpeechUnavailable(Exception):
    """espeak-ng is not installed or failed: the board shows the text only."""


def espeak_available() -> bool:
    return shutil.which(ESPEAK) is not None


@lru_cache(maxsize=512)
def speech_wav(text: str) -> bytes:
    """The sentence rendered by espeak-ng with the Indonesian voice (cached per text)."""
    binary = shutil.which(ESPEAK)
    if binary is None:
        raise SpeechUnavailable("espeak-ng is not installed")
    try:
        # The text goes through stdin, never through a shell or as an option.
        result = subprocess.run(  # noqa: S603
            [binary, "-v", "id", "-s", "140", "--stdout", "--stdin"],
            input=text.encode(),
            capture_output=True,
            timeout=ESPEAK_TIMEOUT_SECONDS,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as err:
        raise SpeechUnavailable(f"espeak-ng failed: {err}") from err
    if result.returncode != 0 or not result.stdout.startswith(b"RIFF"):
        raise SpeechUnavailable(f"espeak-ng failed: {result.stderr.decode(errors='replace')[:200]}")
    return _fix_wav_sizes(result.stdout)


def _fix_wav_sizes(raw: bytes) -> bytes:
    """espeak-ng writes "unknown length" sizes to a pipe; put the real ones back."""
    data_at = raw.find(b"data", 12)
    if data_at < 0:
        raise SpeechUnavailable("espeak-ng wrote no audio")
    payload = len(raw) - (data_at + 8)
    payload -= payload % 2  # whole 16-bit samples
    fixed = bytearray(raw[: data_at + 8 + payload])
    struct.pack_into("<I", fixed, 4, len(fixed) - 8)
    struct.pack_into("<I", fixed, data_at + 4, payload)
    return bytes(fixed)

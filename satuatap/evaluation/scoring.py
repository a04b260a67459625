"""The PEKPPP index (0-5) and its category, by the regulation's strict cut-offs (``shared/domain.md``).

Index = sum over aspects of (aspect weight / 100) x the aspect's score, where an aspect's score is the weighted
mean of its indicators' scores (an indicator not scored yet counts 0). The index is rounded to two decimals
before it is placed: 4.50 is A- (Sangat Baik), 4.51 is A (Pelayanan Prima).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_lazy as _

# (exclusive lower bound, code, name), best first; below the last bound: F Gagal.
CATEGORIES = (
    (Decimal("4.50"), "A", _("Pelayanan Prima")),
    (Decimal("4.00"), "A-", _("Sangat Baik")),
    (Decimal("3.50"), "B", _("Baik")),
    (Decimal("3.00"), "B-", _("Baik (dengan catatan)")),
    (Decimal("2.50"), "C", _("Cukup")),
    (Decimal("2.00"), "C-", _("Cukup (dengan catatan)")),
    (Decimal("1.50"), "D", _("Buruk")),
    (Decimal("1.00"), "E", _("Sangat Buruk")),
)
FAILED = ("F", _("Gagal"))
TWO_PLACES = Decimal("0.01")


def category(index: Decimal) -> tuple[str, str]:
    """(code, name) of an index, strictly above each cut-off."""
    rounded = index.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)
    for bound, code, name in CATEGORIES:
        if rounded > bound:
            return code, str(name)
    return FAILED[0], str(FAILED[1])


@dataclass
class AspectScore:
    name: str
    weight: Decimal
    score: Decimal


def aspect_scores(rows) -> list[AspectScore]:
    """``rows``: (aspect order, aspect name, aspect weight, indicator weight, score or None) per indicator."""
    by_aspect: dict[int, list] = {}
    for order, name, weight, indicator_weight, score in rows:
        by_aspect.setdefault(order, [name, weight, Decimal(0), Decimal(0)])
        entry = by_aspect[order]
        entry[2] += indicator_weight * (score if score is not None else Decimal(0))
        entry[3] += indicator_weight
    return [
        AspectScore(name, weight, total / weights if weights else Decimal(0))
        for _, (name, weight, total, weights) in sorted(by_aspect.items())
    ]


def index_of(aspects: list[AspectScore]) -> Decimal:
    """The index from the exact aspect scores, rounded once at the end."""
    total = sum((a.weight / 100 * a.score for a in aspects), Decimal(0))
    return total.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)

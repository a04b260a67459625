"""The PEKPPP instrument (PermenPANRB 29/2022) as data, and a unit's evaluation against it.

The instrument changes from year to year: aspects with weights, indicators with weights and a 0-5 rubric are rows,
one instrument per year, never code (``instrument.DEFAULT`` only seeds a year that has none). An evaluation holds
one score row per indicator: the unit's self-assessment with its evidence (prefilled from the system's own data
where it knows the answer) and the evaluator's score.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

SCORE = [MinValueValidator(0), MaxValueValidator(5)]
WEIGHT = [MinValueValidator(0), MaxValueValidator(100)]


class Instrument(models.Model):
    year = models.PositiveSmallIntegerField(_("tahun"), unique=True)
    name = models.CharField(_("nama"), max_length=200)
    # The final index = the evaluator's index x evaluator_weight % + the user survey (IKM / 20, on 0-5) x
    # survey_weight % (``shared/domain.md``); per year, because the ministry may change the split.
    evaluator_weight = models.DecimalField(
        _("bobot nilai evaluator (%)"), max_digits=5, decimal_places=2, default=75, validators=WEIGHT
    )
    survey_weight = models.DecimalField(
        _("bobot survei pengguna/IKM (%)"), max_digits=5, decimal_places=2, default=25, validators=WEIGHT
    )

    class Meta:
        verbose_name = _("instrumen evaluasi")
        verbose_name_plural = _("instrumen evaluasi")
        ordering = ["-year"]

    def __str__(self):
        return f"{self.year} · {self.name}"


class Aspect(models.Model):
    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="aspects")
    order = models.PositiveSmallIntegerField(_("urutan"))
    name = models.CharField(_("aspek"), max_length=200)
    weight = models.DecimalField(_("bobot (%)"), max_digits=5, decimal_places=2, validators=WEIGHT)

    class Meta:
        verbose_name = _("aspek")
        verbose_name_plural = _("aspek")
        ordering = ["instrument", "order"]
        constraints = [models.UniqueConstraint(fields=["instrument", "order"], name="aspect_order_unique")]

    def __str__(self):
        return self.name


class Indicator(models.Model):
    class Source(models.TextChoices):
        """What the system can prefill an indicator from (``prefill.py``); empty: the unit fills it in."""

        NONE = "", _("diisi unit")
        STANDARDS = "standards", _("standar pelayanan setiap layanan")
        MAKLUMAT = "maklumat", _("maklumat pelayanan")
        SKM_SAMPLE = "skm_sample", _("SKM sesuai peraturan dengan sampel")
        FOLLOW_UP_SHARE = "follow_up_share", _("persentase tindak lanjut SKM")
        FOLLOW_UP_SPEED = "follow_up_speed", _("kecepatan tindak lanjut SKM")
        COMPLAINTS = "complaints", _("pengaduan dijawab tepat waktu")
        INFORMATION_SYSTEM = "information_system", _("sistem informasi pelayanan dipakai")

    aspect = models.ForeignKey(Aspect, on_delete=models.CASCADE, related_name="indicators")
    order = models.PositiveSmallIntegerField(_("urutan"))
    name = models.CharField(_("indikator"), max_length=300)
    weight = models.DecimalField(_("bobot dalam aspek (%)"), max_digits=5, decimal_places=2, validators=WEIGHT)
    rubric = models.TextField(_("rubrik 0-5"), blank=True)
    source = models.CharField(_("diisi otomatis dari"), max_length=24, choices=Source.choices, blank=True)

    class Meta:
        verbose_name = _("indikator")
        verbose_name_plural = _("indikator")
        ordering = ["aspect", "order"]
        constraints = [models.UniqueConstraint(fields=["aspect", "order"], name="indicator_order_unique")]

    def __str__(self):
        return self.name


class Evaluation(models.Model):
    """One unit's evaluation of a year: a mall (agency empty) or an agency's unit in it."""

    mall = models.ForeignKey("directory.Mall", on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey("directory.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="evaluations")
    created_at = models.DateTimeField()
    # Set when an evaluator submits the scoring form (again on each later submission).
    submitted_at = models.DateTimeField(_("dinilai pada"), null=True, blank=True)
    evaluator = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("evaluator"), null=True, blank=True, on_delete=models.PROTECT
    )

    class Meta:
        verbose_name = _("evaluasi")
        verbose_name_plural = _("evaluasi")
        constraints = [
            models.UniqueConstraint(
                fields=["mall", "instrument"], condition=models.Q(agency=None), name="one_mall_evaluation_per_year"
            ),
            models.UniqueConstraint(fields=["mall", "agency", "instrument"], name="one_unit_evaluation_per_year"),
        ]


class IndicatorScore(models.Model):
    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="scores")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+")
    self_score = models.DecimalField(
        _("nilai mandiri"), max_digits=3, decimal_places=2, null=True, blank=True, validators=SCORE
    )
    evaluator_score = models.DecimalField(
        _("nilai evaluator"), max_digits=3, decimal_places=2, null=True, blank=True, validators=SCORE
    )
    evaluator_note = models.TextField(_("catatan evaluator"), blank=True)
    evidence = models.TextField(_("bukti"), blank=True)
    evidence_url = models.CharField(_("tautan bukti"), max_length=500, blank=True)
    prefilled = models.BooleanField(_("diisi otomatis"), default=False)

    class Meta:
        verbose_name = _("nilai indikator")
        verbose_name_plural = _("nilai indikator")
        constraints = [models.UniqueConstraint(fields=["evaluation", "indicator"], name="one_score_per_indicator")]

    @property
    def score(self):
        """The evaluator's score once given, else the unit's own (None: not scored yet)."""
        return self.evaluator_score if self.evaluator_score is not None else self.self_score

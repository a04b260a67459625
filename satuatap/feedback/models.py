"""The SKM survey (PermenPANRB 14/2017): one response per finished ticket.

The scores u1..u9 follow the regulation's nine elements (see ``elements.py``).
Mall, agency and service are copied from the ticket so the IKM aggregates
read one table. No name or NIK is ever stored with the answers.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from satuatap.feedback.elements import ELEMENTS

SCORE_FIELDS = tuple(f"u{i}" for i in range(1, 10))
COMMENT_MAX = 1000


class AgeBand(models.TextChoices):
    UNDER_20 = "lt20", _("Di bawah 20 tahun")
    AGE_20_29 = "20_29", _("20–29 tahun")
    AGE_30_39 = "30_39", _("30–39 tahun")
    AGE_40_49 = "40_49", _("40–49 tahun")
    AGE_50_59 = "50_59", _("50–59 tahun")
    AGE_60_UP = "60up", _("60 tahun ke atas")


class Sex(models.TextChoices):
    MALE = "L", _("Laki-laki")
    FEMALE = "P", _("Perempuan")


class Education(models.TextChoices):
    SD = "sd", _("SD ke bawah")
    SMP = "smp", _("SMP")
    SMA = "sma", _("SMA/SMK")
    DIPLOMA = "diploma", _("D1/D2/D3/D4")
    S1 = "s1", _("S1")
    S2_UP = "s2", _("S2 ke atas")


class Occupation(models.TextChoices):
    PNS = "pns", _("PNS")
    TNI = "tni", _("TNI")
    POLRI = "polri", _("POLRI")
    PRIVATE = "swasta", _("Pegawai swasta")
    ENTREPRENEUR = "wirausaha", _("Wirausaha")
    STUDENT = "pelajar", _("Pelajar/Mahasiswa")
    OTHER = "lainnya", _("Lainnya")


class SurveySource(models.TextChoices):
    """Where an answer came from: the report shows the split, so a tablet that stops working is noticed."""

    TABLET = "tablet", _("Tablet di loket")
    LINK = "tautan", _("Tautan atau QR (ponsel)")
    API = "api", _("API")


# The respondent profile questions: (field, label, choices).
PROFILE_QUESTIONS = (
    ("age_band", _("Umur"), AgeBand),
    ("sex", _("Jenis kelamin"), Sex),
    ("education", _("Pendidikan"), Education),
    ("occupation", _("Pekerjaan"), Occupation),
)


def _score_field(number: int):
    return models.PositiveSmallIntegerField(_("unsur %(n)s") % {"n": number})


class SurveyResponse(models.Model):
    ticket = models.OneToOneField(
        "queueing.Ticket", on_delete=models.PROTECT, related_name="survey_response", verbose_name=_("tiket")
    )
    mall = models.ForeignKey("directory.Mall", on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey("directory.Agency", on_delete=models.PROTECT, related_name="+")
    service = models.ForeignKey("directory.Service", on_delete=models.PROTECT, related_name="+")
    answered_at = models.DateTimeField(_("dijawab pada"))
    u1 = _score_field(1)
    u2 = _score_field(2)
    u3 = _score_field(3)
    u4 = _score_field(4)
    u5 = _score_field(5)
    u6 = _score_field(6)
    u7 = _score_field(7)
    u8 = _score_field(8)
    u9 = _score_field(9)
    comment = models.TextField(_("saran dan masukan"), max_length=COMMENT_MAX, blank=True, default="")
    age_band = models.CharField(_("umur"), max_length=8, choices=AgeBand.choices, blank=True, default="")
    sex = models.CharField(_("jenis kelamin"), max_length=1, choices=Sex.choices, blank=True, default="")
    education = models.CharField(_("pendidikan"), max_length=10, choices=Education.choices, blank=True, default="")
    occupation = models.CharField(_("pekerjaan"), max_length=10, choices=Occupation.choices, blank=True, default="")
    # Answers stored before the source was recorded keep "" ("tidak tercatat").
    source = models.CharField(_("sumber"), max_length=8, choices=SurveySource.choices, blank=True, default="")

    class Meta:
        verbose_name = _("jawaban survei kepuasan")
        verbose_name_plural = _("jawaban survei kepuasan")
        constraints = [
            models.CheckConstraint(condition=Q(**{f"{f}__gte": 1, f"{f}__lte": 4}), name=f"skm_{f}_between_1_and_4")
            for f in SCORE_FIELDS
        ]
        indexes = [
            # IKM of a mall (and agency/service) over a period.
            models.Index(fields=["mall", "answered_at"], name="skm_mall_period_idx"),
            models.Index(fields=["agency", "answered_at"], name="skm_agency_period_idx"),
        ]

    def __str__(self):
        return f"SKM {self.ticket_id}"

    @property
    def scores(self) -> list[int]:
        return [getattr(self, f) for f in SCORE_FIELDS]


ACTION_MAX = 1000
OWNER_MAX = 200
DONE_NOTE_MAX = 1000


class FollowUpItem(models.Model):
    """A planned improvement for one SKM element of a period (rencana tindak lanjut).

    The scope (mall, or an agency, or one service) and the period are copied
    from the report the item came from; ``nrr`` is the element's NRR then.
    Changed only through ``feedback.follow_up``.
    """

    mall = models.ForeignKey("directory.Mall", on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey(
        "directory.Agency",
        verbose_name=_("instansi"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    service = models.ForeignKey(
        "directory.Service",
        verbose_name=_("layanan"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    period_kind = models.CharField(_("jenis periode"), max_length=10)
    period_start = models.DateField(_("awal periode"))
    period_end = models.DateField(_("akhir periode"))
    element = models.PositiveSmallIntegerField(_("unsur"))
    nrr = models.DecimalField(_("NRR saat dibuat"), max_digits=5, decimal_places=4, null=True, blank=True)
    action = models.TextField(_("rencana tindak lanjut"), max_length=ACTION_MAX, blank=True, default="")
    owner = models.CharField(_("penanggung jawab"), max_length=OWNER_MAX, blank=True, default="")
    due = models.DateField(_("batas waktu"))
    done_at = models.DateTimeField(_("selesai pada"), null=True, blank=True)
    done_note = models.TextField(_("catatan penyelesaian"), max_length=DONE_NOTE_MAX, blank=True, default="")
    created_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("dibuat pada"))

    class Meta:
        verbose_name = _("tindak lanjut SKM")
        verbose_name_plural = _("tindak lanjut SKM")
        ordering = ["period_start", "element", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(element__gte=1, element__lte=9), name="followup_element_1_to_9"),
            models.CheckConstraint(condition=Q(period_start__lte=models.F("period_end")), name="followup_period_order"),
        ]
        indexes = [models.Index(fields=["mall", "period_start", "period_end"], name="followup_mall_period_idx")]

    def __str__(self):
        return f"U{self.element} {self.period_start}–{self.period_end}"

    @property
    def is_done(self) -> bool:
        return self.done_at is not None

    def is_overdue(self, today) -> bool:
        """Not done and its deadline before ``today`` (the mall's service day)."""
        return not self.is_done and self.due < today

    @property
    def element_name(self) -> str:
        return ELEMENTS[self.element - 1].name

import hashlib
import secrets

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    MANAGER = "manager", _("Pengelola MPP")
    SUPERVISOR = "supervisor", _("Supervisor instansi")
    OFFICER = "officer", _("Petugas loket")
    KIOSK = "kiosk", _("Anjungan (kiosk)")
    DISPLAY = "display", _("Papan tampilan")
    SYSTEM = "system", _("Sistem instansi")
    # Above the malls: the ministry reads every mall (reports, national view, evaluations) and writes nothing;
    # an evaluator scores the PEKPPP evaluations of the malls assigned to it (all of them when none is).
    MINISTRY = "ministry", _("Kementerian (baca saja)")
    EVALUATOR = "evaluator", _("Evaluator PEKPPP")


AGENCY_BOUND_ROLES = (Role.SUPERVISOR, Role.OFFICER, Role.SYSTEM)
# Roles that belong to no mall: they reach malls through ``access.reaches_mall``.
NATIONAL_ROLES = (Role.MINISTRY, Role.EVALUATOR)


class User(AbstractUser):
    """Every account belongs to one mall; agency staff also to one agency."""

    role = models.CharField(_("peran"), max_length=16, choices=Role.choices, default=Role.OFFICER)
    mall = models.ForeignKey("directory.Mall", verbose_name=_("mal"), null=True, blank=True, on_delete=models.PROTECT)
    agency = models.ForeignKey(
        "directory.Agency", verbose_name=_("instansi"), null=True, blank=True, on_delete=models.PROTECT
    )
    evaluated_malls = models.ManyToManyField(
        "directory.Mall",
        verbose_name=_("mal yang dievaluasi"),
        blank=True,
        related_name="+",
        help_text=_("Hanya untuk evaluator: mal yang boleh dinilainya. Kosong: semua mal."),
    )

    @property
    def is_agency_bound(self) -> bool:
        return self.role in AGENCY_BOUND_ROLES and not self.is_superuser

    @property
    def managed_mall_id(self) -> int | None:
        """The mall this user manages (a manager's own), else None; for leaves that import no app."""
        return self.mall_id if self.role == Role.MANAGER else None


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(models.Model):
    """A bearer token for a user or a device. Only the hash is stored.

    Kiosks and display boards are users of role kiosk/display; a display's
    token is bound to the zone whose calls it may show and speak.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="tokens")
    label = models.CharField(_("label"), max_length=100, blank=True)
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8, help_text=_("Awal token, untuk mengenali tanpa membuka rahasia."))
    zone = models.ForeignKey("directory.Zone", verbose_name=_("zona"), null=True, blank=True, on_delete=models.PROTECT)
    # A kiosk token bound to a counter is that counter's survey tablet, and opens no other counter's tablet.
    counter = models.ForeignKey(
        "directory.Counter",
        verbose_name=_("loket (tablet survei)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        help_text=_("Hanya untuk tablet survei di loket: tablet ini hanya membuka survei loket ini."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(_("dicabut pada"), null=True, blank=True)

    class Meta:
        verbose_name = _("token perangkat/API")
        verbose_name_plural = _("token perangkat/API")

    def __str__(self):
        return f"{self.user.username} {self.prefix}… {self.label}"

    @staticmethod
    def new_key() -> str:
        return "sat_" + secrets.token_urlsafe(30)


class PairingCode(models.Model):
    """A one-time, short-lived code that signs a device in with its token, so the long-lived token never travels
    in a URL. Only the code's hash is stored; the code is shown once in the admin (or by ``manage.py``)."""

    token = models.ForeignKey(ApiToken, on_delete=models.CASCADE, related_name="pairing_codes")
    code_hash = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("kode pemasangan perangkat")
        verbose_name_plural = _("kode pemasangan perangkat")

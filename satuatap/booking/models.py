"""Online booking of visit slots: policy, per-service setting, sessions, capacity rows, bookings.

Only ``booking.bookings`` (and ``booking.policies`` for the lazily created policy)
change these rows. Personal data is never stored in plain text: NIK and phone as a
keyed hash (lookups, anti-hoarding counts), an encrypted value and a masked copy;
the name encrypted only (``satuatap.personal_data``).
"""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from satuatap.directory.models import OpeningHours


class Ordering(models.TextChoices):
    JOIN_AT_CHECK_IN = "join_at_check_in", _("Pesanan hanya menjamin tempat; bergabung ke antrean saat check-in")
    SLOT_PRIORITY = (
        "slot_priority",
        _("Pemesan yang check-in dalam jendela slotnya didahulukan dari pengunjung langsung yang datang kemudian"),
    )


class BookingPolicy(models.Model):
    """The mall's booking rules (anti-hoarding, window, ordering); created lazily by ``policies.policy_for``."""

    mall = models.OneToOneField("directory.Mall", on_delete=models.CASCADE, related_name="booking_policy")
    enabled = models.BooleanField(
        _("pemesanan daring aktif"),
        default=True,
        help_text=_(
            "Ubah melalui tindakan di daftar agar pesanan yang ada dihormati atau dibatalkan dengan pemberitahuan."
        ),
    )
    window_days = models.PositiveSmallIntegerField(
        _("bisa dipesan sampai (hari ke depan)"), default=14, validators=[MinValueValidator(0), MaxValueValidator(90)]
    )
    min_lead_minutes = models.PositiveIntegerField(_("paling lambat dipesan (menit sebelum slot)"), default=60)
    slot_minutes = models.PositiveSmallIntegerField(
        _("panjang slot bawaan (menit)"), default=30, validators=[MinValueValidator(5), MaxValueValidator(240)]
    )
    walk_in_share_percent = models.PositiveSmallIntegerField(
        _("bagian untuk pengunjung langsung (%)"),
        default=30,
        validators=[MaxValueValidator(100)],
        help_text=_("Bagian kapasitas (dan kuota harian) yang tidak dapat dipesan daring."),
    )
    max_per_nik_per_week = models.PositiveSmallIntegerField(
        _("maks. pesanan per NIK per minggu"), default=3, validators=[MinValueValidator(1)]
    )
    max_per_phone_per_week = models.PositiveSmallIntegerField(
        _("maks. pesanan per nomor HP per minggu"), default=5, validators=[MinValueValidator(1)]
    )
    no_show_threshold = models.PositiveSmallIntegerField(
        _("batas tidak hadir sebelum ditangguhkan"), default=3, validators=[MinValueValidator(1)]
    )
    suspension_days = models.PositiveSmallIntegerField(_("lama penangguhan (hari)"), default=30)
    ordering = models.CharField(
        _("urutan pemesan dan pengunjung langsung"),
        max_length=20,
        choices=Ordering.choices,
        default=Ordering.JOIN_AT_CHECK_IN,
    )
    check_in_early_minutes = models.PositiveSmallIntegerField(
        _("check-in paling awal (menit sebelum slot)"), default=30
    )
    check_in_late_minutes = models.PositiveSmallIntegerField(
        _("check-in paling lambat (menit setelah slot berakhir)"), default=15
    )
    reminder_turn_near_places = models.PositiveSmallIntegerField(
        _("kirim 'giliran Anda dekat' saat tinggal N antrean"), default=3
    )

    class Meta:
        verbose_name = _("aturan pemesanan")
        verbose_name_plural = _("aturan pemesanan")

    def __str__(self):
        return str(_("Aturan pemesanan %(mall)s") % {"mall": self.mall})


class ServiceBookingSetting(models.Model):
    """Booking for one service: on/off and the visit length that sizes derived slots."""

    service = models.OneToOneField("directory.Service", on_delete=models.CASCADE, related_name="booking_setting")
    enabled = models.BooleanField(_("pemesanan daring aktif untuk layanan ini"), default=True)
    minutes_per_visit = models.PositiveSmallIntegerField(
        _("perkiraan lama layanan per pengunjung (menit)"),
        default=15,
        validators=[MinValueValidator(1)],
        help_text=_("Dipakai untuk menghitung kapasitas slot bila layanan tidak punya sesi sendiri."),
    )

    class Meta:
        verbose_name = _("pengaturan pemesanan layanan")
        verbose_name_plural = _("pengaturan pemesanan layanan")

    def __str__(self):
        return str(self.service)


class SlotSession(models.Model):
    """A booking session of a service on a weekday; when a service has none, sessions follow the mall's hours."""

    service = models.ForeignKey(
        "directory.Service", verbose_name=_("layanan"), on_delete=models.CASCADE, related_name="slot_sessions"
    )
    weekday = models.PositiveSmallIntegerField(_("hari"), choices=OpeningHours.Weekday.choices)
    starts = models.TimeField(_("mulai"))
    ends = models.TimeField(_("selesai"))
    slot_minutes = models.PositiveSmallIntegerField(
        _("panjang slot (menit)"), default=30, validators=[MinValueValidator(5), MaxValueValidator(240)]
    )
    capacity = models.PositiveSmallIntegerField(_("kapasitas per slot"), default=4)

    class Meta:
        verbose_name = _("sesi slot")
        verbose_name_plural = _("sesi slot")
        ordering = ["service", "weekday", "starts"]

    def __str__(self):
        return f"{self.get_weekday_display()} {self.starts:%H:%M}–{self.ends:%H:%M}"

    def clean(self):
        if self.starts is not None and self.ends is not None and self.ends <= self.starts:
            raise ValidationError({"ends": _("Jam selesai harus setelah jam mulai.")})


class SlotCapacity(models.Model):
    """The places of one slot: created on its first booking, incremented by a conditional UPDATE."""

    service = models.ForeignKey("directory.Service", on_delete=models.CASCADE, related_name="+")
    start = models.DateTimeField()
    end = models.DateTimeField()
    capacity = models.PositiveIntegerField()
    booked = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["service", "start"], name="one_capacity_row_per_slot")]

    def __str__(self):
        return f"{self.service_id} {self.start:%Y-%m-%d %H:%M} {self.booked}/{self.capacity}"


class BookingStatus(models.TextChoices):
    ACTIVE = "active", _("Aktif")
    CHECKED_IN = "checked_in", _("Sudah check-in")
    CANCELLED = "cancelled", _("Dibatalkan")
    NO_SHOW = "no_show", _("Tidak hadir")


class Booking(models.Model):
    mall = models.ForeignKey("directory.Mall", on_delete=models.PROTECT, related_name="bookings")
    service = models.ForeignKey(
        "directory.Service", verbose_name=_("layanan"), on_delete=models.PROTECT, related_name="bookings"
    )
    code = models.CharField(_("kode pemesanan"), max_length=12, unique=True)
    start = models.DateTimeField(_("mulai slot"))
    end = models.DateTimeField(_("akhir slot"))
    day = models.DateField(_("tanggal"))
    status = models.CharField(_("status"), max_length=12, choices=BookingStatus.choices, default=BookingStatus.ACTIVE)
    nik_hash = models.CharField(max_length=64, db_index=True)
    nik_encrypted = models.TextField()
    nik_masked = models.CharField(_("NIK"), max_length=20)
    name_encrypted = models.TextField()
    phone_hash = models.CharField(max_length=64, db_index=True)
    phone_encrypted = models.TextField()
    phone_masked = models.CharField(_("nomor HP"), max_length=20)
    ticket = models.OneToOneField(
        "queueing.Ticket", null=True, blank=True, on_delete=models.PROTECT, related_name="booking"
    )
    created_at = models.DateTimeField(_("dipesan pada"))
    cancelled_at = models.DateTimeField(_("dibatalkan pada"), null=True, blank=True)
    cancel_reason = models.CharField(_("alasan pembatalan"), max_length=200, blank=True)
    checked_in_at = models.DateTimeField(_("check-in pada"), null=True, blank=True)
    no_show_at = models.DateTimeField(_("ditandai tidak hadir pada"), null=True, blank=True)
    idempotency_key = models.CharField(max_length=80, null=True, blank=True)
    # Set by the notify outbox (reminders); created here so one migration holds the booking.
    reminded_day_before_at = models.DateTimeField(null=True, blank=True)
    reminded_hour_before_at = models.DateTimeField(null=True, blank=True)
    turn_near_notified_at = models.DateTimeField(null=True, blank=True)
    no_show_notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("pemesanan")
        verbose_name_plural = _("pemesanan")
        ordering = ["-start", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["mall", "idempotency_key"],
                condition=Q(idempotency_key__isnull=False),
                name="booking_idempotency_key_unique_in_mall",
            ),
            # The anti-hoarding rule that also stops two simultaneous submits of one person.
            models.UniqueConstraint(
                fields=["service", "day", "nik_hash"],
                condition=Q(status="active"),
                name="one_active_booking_per_nik_service_day",
            ),
        ]
        indexes = [
            models.Index(fields=["mall", "nik_hash", "day"], name="booking_nik_day_idx"),
            models.Index(fields=["mall", "phone_hash", "day"], name="booking_phone_day_idx"),
            models.Index(fields=["status", "end"], name="booking_status_end_idx"),
            models.Index(fields=["service", "start"], name="booking_service_start_idx"),
        ]

    def __str__(self):
        return self.code

    @property
    def is_active(self) -> bool:
        return self.status == BookingStatus.ACTIVE


class NoShowSuspension(models.Model):
    """Online booking refused for a NIK (by hash) in a mall until ``until``, after repeated no-shows."""

    mall = models.ForeignKey("directory.Mall", on_delete=models.CASCADE, related_name="+")
    nik_hash = models.CharField(max_length=64)
    nik_masked = models.CharField(_("NIK"), max_length=20, blank=True)
    created_at = models.DateTimeField(_("mulai"))
    until = models.DateTimeField(_("sampai"))
    no_shows = models.PositiveSmallIntegerField(_("jumlah tidak hadir"))
    lifted_at = models.DateTimeField(_("dicabut pada"), null=True, blank=True)

    class Meta:
        verbose_name = _("penangguhan pemesanan")
        verbose_name_plural = _("penangguhan pemesanan")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["mall", "nik_hash", "until"], name="suspension_lookup_idx")]

    def __str__(self):
        return f"{self.nik_masked} → {self.until:%Y-%m-%d}"

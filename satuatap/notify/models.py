"""The notification outbox: one row per message to one citizen.

Rows are written by ``satuatap.notify.outbox.enqueue`` inside the caller's
transaction (so a message exists exactly when the change it reports was
committed) and delivered later by the worker (``outbox.deliver_due``), never
inside a web request. The address is stored encrypted, with a masked copy for
screens; the body is rendered when the row is written.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    EMAIL = "email", _("Email")
    SMS = "sms", _("SMS")
    WHATSAPP = "whatsapp", _("WhatsApp")
    CONSOLE = "console", _("Konsol/berkas")


class Status(models.TextChoices):
    PENDING = "pending", _("Menunggu")
    SENDING = "sending", _("Sedang dikirim")
    SENT = "sent", _("Terkirim")
    FAILED = "failed", _("Gagal, dicoba lagi")
    DEAD = "dead", _("Gagal permanen")


class Message(models.Model):
    mall = models.ForeignKey("directory.Mall", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("jenis"), max_length=40)
    channel = models.CharField(_("saluran"), max_length=10, choices=Channel.choices)
    address_encrypted = models.TextField()
    address_masked = models.CharField(_("alamat"), max_length=120)
    subject = models.CharField(_("judul"), max_length=200, blank=True)
    body = models.TextField(_("isi"))
    # What the message is about, e.g. "booking:ABCD2345" or "complaint:ADU-XXXX-XXXX" (for screens and search).
    subject_ref = models.CharField(max_length=100, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("percobaan"), default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    last_error = models.TextField(_("galat terakhir"), blank=True)
    sent_at = models.DateTimeField(_("terkirim pada"), null=True, blank=True)
    created_at = models.DateTimeField(_("dibuat"), default=timezone.now)
    dedupe_key = models.CharField(max_length=160, unique=True, null=True, blank=True)
    provider_ref = models.CharField(max_length=200, blank=True)
    # The transport that actually carried it ("email", "webhook", "console"); in sandbox mode always "console".
    delivered_via = models.CharField(max_length=10, blank=True)
    sandbox = models.BooleanField(_("mode uji"), default=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("pesan notifikasi")
        verbose_name_plural = _("pesan notifikasi")
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="notify_due_idx"),
            models.Index(fields=["mall", "-created_at"], name="notify_mall_idx"),
        ]

    def __str__(self):
        return f"{self.kind} → {self.address_masked} ({self.status})"

"""Complaints (pengaduan): the national flow, one row per complaint plus its history.

Only ``satuatap.complaints.complaints`` changes these rows.
"""

from pathlib import PurePosixPath

from django.db import models
from django.utils.translation import gettext_lazy as _

SUBJECT_MAX = 200
BODY_MAX = 5000
CONTACT_MAX = 200
ANSWER_MAX = 5000


class ComplaintStatus(models.TextChoices):
    RECEIVED = "received", _("Diterima")
    VERIFIED = "verified", _("Diverifikasi")
    FORWARDED = "forwarded", _("Diteruskan ke instansi")
    NOT_OUR_AUTHORITY = "not_our_authority", _("Bukan kewenangan kami")
    IN_PROGRESS = "in_progress", _("Sedang ditangani")
    ANSWERED = "answered", _("Dijawab")
    CLOSED = "closed", _("Selesai")


class Complaint(models.Model):
    mall = models.ForeignKey("directory.Mall", on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey("directory.Agency", on_delete=models.PROTECT, related_name="+", null=True, blank=True)
    tracking_code = models.CharField(_("kode pelacakan"), max_length=20, unique=True)
    subject = models.CharField(_("perihal"), max_length=SUBJECT_MAX)
    body = models.TextField(_("isi pengaduan"), max_length=BODY_MAX)
    contact = models.CharField(_("kontak"), max_length=CONTACT_MAX, blank=True)
    status = models.CharField(max_length=20, choices=ComplaintStatus.choices, default=ComplaintStatus.RECEIVED)
    verify_due = models.DateField(_("batas verifikasi"))
    follow_up_due = models.DateField(_("batas tindak lanjut"), null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    answer = models.TextField(_("jawaban"), blank=True)
    not_our_authority_reason = models.TextField(blank=True)
    where_to_go = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("pengaduan")
        verbose_name_plural = _("pengaduan")

    def __str__(self):
        return self.tracking_code

    @property
    def due(self):
        """The deadline in force for the current step, or None."""
        if self.status == ComplaintStatus.RECEIVED:
            return self.verify_due
        if self.status in (ComplaintStatus.VERIFIED, ComplaintStatus.FORWARDED, ComplaintStatus.IN_PROGRESS):
            return self.follow_up_due
        return None


class ComplaintEvent(models.Model):
    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=20, choices=ComplaintStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=ComplaintStatus.choices)
    at = models.DateTimeField()
    actor = models.ForeignKey("accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    note = models.TextField(blank=True)
    # No outbox yet: True records that the complainant left a contact and is to be told of this step.
    notify_contact = models.BooleanField(default=False)

    class Meta:
        ordering = ["at", "pk"]


class AttachmentType(models.TextChoices):
    """The file types a complaint may carry, recognised by their first bytes (never by name or browser)."""

    JPEG = "image/jpeg", "JPEG"
    PNG = "image/png", "PNG"
    PDF = "application/pdf", "PDF"


ATTACHMENT_EXTENSIONS = {AttachmentType.JPEG: "jpg", AttachmentType.PNG: "png", AttachmentType.PDF: "pdf"}
ATTACHMENT_NAME_MAX = 200


class ComplaintAttachment(models.Model):
    """A file the complainant sent with the complaint, kept under ``settings.PRIVATE_MEDIA_ROOT``.

    ``path`` is relative to that root and built by the service only (``complaints/<tracking code>/<sha256>.<ext>``);
    the name the citizen's device gave is kept for display only, never used as a path.
    """

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="attachments")
    original_name = models.CharField(_("nama berkas"), max_length=ATTACHMENT_NAME_MAX)
    content_type = models.CharField(_("jenis berkas"), max_length=40, choices=AttachmentType.choices)
    size = models.PositiveIntegerField(_("ukuran (bita)"))
    sha256 = models.CharField(max_length=64)
    path = models.CharField(max_length=255, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("lampiran pengaduan")
        verbose_name_plural = _("lampiran pengaduan")

    def __str__(self):
        return self.original_name

    @property
    def extension(self) -> str:
        return ATTACHMENT_EXTENSIONS[self.content_type]

    @property
    def download_name(self) -> str:
        """The original name with the extension of the type really found (a PNG named x.html downloads as .png)."""
        stem = PurePosixPath(self.original_name).stem or "lampiran"
        return f"{stem}.{self.extension}"

"""The back office: cases (berkas permohonan) that go on after the counter, and each service's workflow.

Only ``satuatap.cases.services`` changes case rows. A workflow is data: its states and the
actions between them are rows the mall manager or the agency supervisor edits in the admin.
A state that still holds cases cannot be deleted (``on_delete=PROTECT``); it is retired
through ``services.retire_state``, which moves its cases with one history row each.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

NOTE_MAX = 1000
RECEIPT_MAX = 60


class Workflow(models.Model):
    """One service's workflow; a case's due date counts ``working_days_for(workflow)`` (services.py)."""

    service = models.OneToOneField(
        "directory.Service", verbose_name=_("layanan"), on_delete=models.PROTECT, related_name="+"
    )
    # An override of the service's own ``completion_working_days``; empty follows the service standard.
    completion_working_days = models.PositiveSmallIntegerField(
        _("jangka waktu penyelesaian (hari kerja)"),
        null=True,
        blank=True,
        help_text=_("Kosong: mengikuti standar pelayanan layanan ini."),
    )
    pickup_service = models.ForeignKey(
        "directory.Service",
        verbose_name=_("layanan antrean pengambilan"),
        help_text=_("Antrean tempat warga mengambil hasil; kosong: antrean layanan ini sendiri."),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("alur kerja layanan")
        verbose_name_plural = _("alur kerja layanan")

    def __str__(self):
        return str(self.service)


class StateKind(models.TextChoices):
    START = "start", _("Awal (berkas diterima)")
    WORKING = "working", _("Dikerjakan")
    RETURNED = "returned", _("Dikembalikan ke pemohon (waktu tidak dihitung)")
    PICKUP = "pickup", _("Siap diambil (warga dipanggil, boleh ambil nomor antrean)")
    FINAL = "final", _("Selesai")


class WorkflowState(models.Model):
    workflow = models.ForeignKey(Workflow, on_delete=models.CASCADE, related_name="states")
    code = models.SlugField(_("kode"), max_length=30)
    label = models.CharField(_("nama"), max_length=100)
    kind = models.CharField(_("jenis"), max_length=10, choices=StateKind.choices, default=StateKind.WORKING)
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)
    time_limit_days = models.PositiveSmallIntegerField(_("batas waktu (hari kerja)"), null=True, blank=True)
    citizen_next_step = models.CharField(_("yang perlu dilakukan pemohon"), max_length=200, blank=True)

    class Meta:
        ordering = ["workflow", "order", "pk"]
        verbose_name = _("tahap")
        verbose_name_plural = _("tahap")
        constraints = [models.UniqueConstraint(fields=["workflow", "code"], name="state_code_unique_in_workflow")]

    def __str__(self):
        return self.label


class WorkflowAction(models.Model):
    """From one state to another, by the roles named (comma-separated ``Role`` values)."""

    workflow = models.ForeignKey(Workflow, on_delete=models.CASCADE, related_name="actions")
    code = models.SlugField(_("kode"), max_length=30)
    label = models.CharField(_("nama tombol"), max_length=100)
    from_state = models.ForeignKey(
        WorkflowState, verbose_name=_("dari tahap"), on_delete=models.CASCADE, related_name="actions_out"
    )
    to_state = models.ForeignKey(
        WorkflowState, verbose_name=_("ke tahap"), on_delete=models.CASCADE, related_name="actions_in"
    )
    roles = models.CharField(_("peran yang boleh"), max_length=100, default="officer,supervisor")
    note_required = models.BooleanField(_("wajib catatan"), default=False)

    class Meta:
        ordering = ["workflow", "from_state__order", "pk"]
        verbose_name = _("tindakan")
        verbose_name_plural = _("tindakan")
        constraints = [
            models.UniqueConstraint(fields=["workflow", "code", "from_state"], name="action_unique_per_from_state")
        ]

    def __str__(self):
        return f"{self.label} ({self.from_state.code} → {self.to_state.code})"

    @property
    def role_list(self) -> list[str]:
        return [r.strip() for r in self.roles.split(",") if r.strip()]


class CaseSequence(models.Model):
    """The last registration number of an agency in a mall in one year (incremented by one upsert)."""

    mall = models.ForeignKey("directory.Mall", on_delete=models.CASCADE, related_name="+")
    agency = models.ForeignKey("directory.Agency", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["mall", "agency", "year"], name="one_case_sequence_per_year")]


class Case(models.Model):
    mall = models.ForeignKey("directory.Mall", on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey(
        "directory.Agency", verbose_name=_("instansi"), on_delete=models.PROTECT, related_name="+"
    )
    service = models.ForeignKey(
        "directory.Service", verbose_name=_("layanan"), on_delete=models.PROTECT, related_name="+"
    )
    ticket = models.ForeignKey(
        "queueing.Ticket", verbose_name=_("tiket"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    registration_number = models.CharField(_("nomor registrasi"), max_length=60)
    year = models.PositiveSmallIntegerField()
    seq = models.PositiveIntegerField()
    state = models.ForeignKey(WorkflowState, verbose_name=_("tahap"), on_delete=models.PROTECT, related_name="cases")
    nik_hash = models.CharField(max_length=64, db_index=True)
    nik_encrypted = models.TextField()
    nik_masked = models.CharField(_("NIK"), max_length=20)
    name_encrypted = models.TextField()
    name_masked = models.CharField(_("nama pemohon"), max_length=100)
    phone_encrypted = models.TextField(blank=True)
    phone_masked = models.CharField(_("nomor HP"), max_length=20, blank=True)
    fee = models.CharField(_("biaya/tarif"), max_length=200)
    paid = models.BooleanField(_("sudah dibayar"), default=False)
    receipt_number = models.CharField(_("nomor bukti bayar"), max_length=RECEIPT_MAX, blank=True)
    pickup_ticket = models.ForeignKey(
        "queueing.Ticket", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    assignee = models.ForeignKey(
        "accounts.User", verbose_name=_("petugas"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    opened_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    received_on = models.DateField(_("tanggal diterima"))
    due_date = models.DateField(_("batas penyelesaian"))
    state_due = models.DateField(_("batas tahap"), null=True, blank=True)
    paused_on = models.DateField(null=True, blank=True)  # the local day the case went back to the citizen
    escalated_at = models.DateTimeField(null=True, blank=True)
    closed_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    # The newest history row of the case (kept by services._event): desks follow the newest of their cases.
    last_event_id = models.BigIntegerField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["due_date", "pk"]
        verbose_name = _("berkas permohonan")
        verbose_name_plural = _("berkas permohonan")
        constraints = [
            models.UniqueConstraint(fields=["mall", "registration_number"], name="case_number_unique_in_mall"),
            models.UniqueConstraint(fields=["mall", "agency", "year", "seq"], name="case_seq_unique"),
        ]
        indexes = [
            models.Index(fields=["mall", "agency", "closed_on", "due_date"], name="case_desk_idx"),
            models.Index(fields=["assignee", "closed_on", "due_date"], name="case_mine_idx"),
            # Public tracking finds a case by its number alone (the unique constraint leads with the mall).
            models.Index(fields=["registration_number"], name="case_number_idx"),
            # The manager's desk (every agency's open cases by due date) without sorting the mall's cases.
            models.Index(
                fields=["mall", "due_date", "id"], condition=models.Q(closed_on__isnull=True), name="case_open_due_idx"
            ),
            # A desk's live stamp, the newest change of an agency's (or the mall's) cases: one index probe.
            models.Index(fields=["agency", "last_event_id"], name="case_agency_stamp_idx"),
            models.Index(fields=["mall", "last_event_id"], name="case_mall_stamp_idx"),
        ]

    def __str__(self):
        return self.registration_number


class CaseRequirement(models.Model):
    """One line of the service's requirements, ticked when the citizen brought it."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="requirements")
    label = models.CharField(_("persyaratan"), max_length=300)
    order = models.PositiveSmallIntegerField(default=0)
    present = models.BooleanField(_("ada"), default=False)

    class Meta:
        ordering = ["order", "pk"]


class CaseEvent(models.Model):
    """One row of a case's history: a transition, an assignment, a checklist or payment change."""

    class Kind(models.TextChoices):
        TRANSITION = "transition", _("Perpindahan tahap")
        ASSIGN = "assign", _("Penugasan")
        CHECKLIST = "checklist", _("Persyaratan")
        PAYMENT = "payment", _("Pembayaran")
        ESCALATION = "escalation", _("Eskalasi")
        PICKUP = "pickup", _("Tiket pengambilan")
        FILE = "file", _("Berkas lampiran")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.TRANSITION)
    action = models.CharField(max_length=30, blank=True)
    from_code = models.CharField(max_length=30, blank=True)
    from_label = models.CharField(max_length=100, blank=True)
    to_code = models.CharField(max_length=30, blank=True)
    to_label = models.CharField(max_length=100, blank=True)
    at = models.DateTimeField()
    actor = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    note = models.TextField(blank=True, max_length=NOTE_MAX)

    class Meta:
        ordering = ["at", "pk"]


class CaseAttachment(models.Model):
    """A scanned document of a case, kept under ``settings.PRIVATE_MEDIA_ROOT`` (``cases/<number>/<sha256>.<ext>``).

    The type is what the first bytes say (``uploads.sniff``); the sender's file name is for display only.
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="attachments")
    original_name = models.CharField(_("nama berkas"), max_length=200)
    content_type = models.CharField(_("jenis berkas"), max_length=40)
    size = models.PositiveIntegerField(_("ukuran (bita)"))
    sha256 = models.CharField(max_length=64)
    path = models.CharField(max_length=255, unique=True)
    uploaded_by = models.ForeignKey("accounts.User", null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["pk"]

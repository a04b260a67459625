from django.db import models
from django.db.models import ExpressionWrapper, F, Q
from django.utils.translation import gettext_lazy as _


class TicketStatus(models.TextChoices):
    WAITING = "waiting", _("Menunggu")
    CALLED = "called", _("Dipanggil")
    SERVING = "serving", _("Sedang dilayani")
    DONE = "done", _("Selesai")
    NO_SHOW = "no_show", _("Tidak hadir")
    CANCELLED = "cancelled", _("Dibatalkan")


AT_COUNTER_STATUSES = (TicketStatus.CALLED, TicketStatus.SERVING)


class TicketSource(models.TextChoices):
    KIOSK = "kiosk", _("Anjungan")
    OFFICER = "officer", _("Petugas")
    BOOKING = "booking", _("Pemesanan daring")
    API = "api", _("API")


class QueueSequence(models.Model):
    """The last number issued for a service on a local service day.

    Allocated by one ``INSERT .. ON CONFLICT DO UPDATE .. RETURNING`` inside
    the issuing transaction, so a rolled-back issue leaves no visible gap.
    """

    service = models.ForeignKey("directory.Service", on_delete=models.CASCADE)
    day = models.DateField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["service", "day"], name="one_sequence_per_queue_day")]


class WaitingTally(models.Model):
    """How many tickets wait in a queue-day, per class (priority or regular).

    PostgreSQL's issue reads it instead of counting the queue (``queueing.estimates.ISSUE_ESTIMATE_SQL``), so
    the estimate at issue costs the same with 10 or 5,000 waiting. Kept by statement triggers on
    ``queueing_ticket`` (migration 0008), in the transaction of every write that moves a ticket into or out of
    ``waiting``, whatever wrote it (the hot statements, the ORM, a bulk update): no code path can forget it.
    SQLite has no statement triggers and its single writer counts the queue in the same file: empty there.
    """

    service = models.ForeignKey("directory.Service", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    priority = models.BooleanField()
    waiting = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["service", "day", "priority"], name="one_tally_per_queue_day_class")
        ]


class Ticket(models.Model):
    mall = models.ForeignKey("directory.Mall", on_delete=models.PROTECT, related_name="tickets")
    # The queue that issued the number; the number stays with the citizen on transfer. No index of its own
    # (nor ``service``): the indexes of Meta lead with each, and every write of a ticket updates every index.
    issued_service = models.ForeignKey("directory.Service", on_delete=models.PROTECT, related_name="+", db_index=False)
    # The queue the ticket waits in now.
    service = models.ForeignKey(
        "directory.Service", verbose_name=_("layanan"), on_delete=models.PROTECT, related_name="tickets", db_index=False
    )
    day = models.DateField(_("hari layanan"))
    seq = models.PositiveIntegerField()
    number = models.CharField(_("nomor"), max_length=12)
    public_code = models.CharField(max_length=24, unique=True)
    status = models.CharField(_("status"), max_length=10, choices=TicketStatus.choices, default=TicketStatus.WAITING)
    priority_group = models.CharField(_("kelompok prioritas"), max_length=20, blank=True, default="")
    source = models.CharField(max_length=10, choices=TicketSource.choices, default=TicketSource.KIOSK)
    counter = models.ForeignKey(
        "directory.Counter", null=True, blank=True, on_delete=models.PROTECT, related_name="tickets"
    )
    officer = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField(_("diambil pada"))
    # When it joined its current queue: the FIFO key (a transfer re-enqueues).
    queued_at = models.DateTimeField()
    called_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    recall_count = models.PositiveSmallIntegerField(default=0)
    # The wait (minutes until the first call) shown when the number was issued; see queueing.estimates.
    predicted_wait_minutes = models.PositiveIntegerField(_("perkiraan tunggu (menit)"), null=True, blank=True)

    class Meta:
        verbose_name = _("tiket antrean")
        verbose_name_plural = _("tiket antrean")
        constraints = [
            models.UniqueConstraint(fields=["issued_service", "day", "seq"], name="ticket_number_unique_per_queue_day"),
            # A counter holds at most one ticket at a time.
            models.UniqueConstraint(
                fields=["counter"], condition=Q(status__in=["called", "serving"]), name="one_active_ticket_per_counter"
            ),
        ]
        indexes = [
            # call_next: waiting tickets of a day in the counter's services, oldest first.
            models.Index(fields=["service", "day", "status", "queued_at"], name="ticket_queue_idx"),
            # The pick of call-next (queueing.statements): only the waiting tickets are in it, in first-come
            # order per queue-day, so the pick reads today's waiting queue whatever the history holds.
            models.Index(
                fields=["service", "day", "queued_at", "id"],
                condition=Q(status="waiting"),
                name="ticket_waiting_pick_idx",
            ),
            # The pick of call-next on PostgreSQL (the ``queueing_call_next`` function): per service and class
            # (priority or not), the waiting tickets in first-come order, so the pick reads the head of each
            # instead of sorting the day's whole queue by class.
            models.Index(
                F("service"),
                F("day"),
                ExpressionWrapper(~Q(priority_group=""), output_field=models.BooleanField()),
                F("queued_at"),
                F("id"),
                condition=Q(status="waiting"),
                name="ticket_waiting_class_idx",
            ),
            # The estimate at issue (queueing.estimates): a service's newest finished tickets of the day, and
            # its priority arrivals of the past hour, read without walking the day's other tickets.
            models.Index(
                fields=["service", "day", "finished_at"], condition=Q(status="done"), name="ticket_done_recent_idx"
            ),
            models.Index(
                fields=["service", "day", "issued_at"],
                condition=~Q(priority_group=""),
                name="ticket_priority_recent_idx",
            ),
            # The admin's ticket list over years of history: its day filter (a range, in a mall or not) ...
            models.Index(fields=["day", "mall"], name="ticket_day_idx"),
            # ... and its search by number (the public code is unique, so indexed already).
            models.Index(fields=["number"], name="ticket_number_idx"),
        ]

    def __str__(self):
        return self.number

    @property
    def is_priority(self) -> bool:
        return bool(self.priority_group)


class TicketEvent(models.Model):
    """Everything that happened to a ticket, who did it and why.

    Calls and recalls are also what the display boards announce: a board
    speaks events whose id is newer than the last one it has seen.
    """

    class Action(models.TextChoices):
        ISSUED = "issued", _("Diambil")
        CALLED = "called", _("Dipanggil")
        RECALLED = "recalled", _("Dipanggil ulang")
        STARTED = "started", _("Mulai dilayani")
        FINISHED = "finished", _("Selesai")
        NO_SHOW = "no_show", _("Tidak hadir")
        CANCELLED = "cancelled", _("Dibatalkan")
        TRANSFERRED = "transferred", _("Dialihkan")

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="events")
    # No index of its own: ``ticketevent_calls_idx`` leads with it (every event written updates every index).
    mall = models.ForeignKey("directory.Mall", on_delete=models.CASCADE, related_name="+", db_index=False)
    action = models.CharField(max_length=12, choices=Action.choices)
    at = models.DateTimeField()
    actor = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    counter = models.ForeignKey("directory.Counter", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    zone = models.ForeignKey("directory.Zone", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    from_service = models.ForeignKey(
        "directory.Service", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Why a call was out of first-come order (priority rule, officer's choice), or a recall's reason.
    reason = models.CharField(max_length=200, blank=True)
    # The client's Idempotency-Key of the request that did this: a retry with the same key answers this
    # event's ticket instead of acting again (queueing.tickets). Unique per mall; null for most events.
    idempotency_key = models.CharField(max_length=80, null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["mall", "idempotency_key"],
                condition=Q(idempotency_key__isnull=False),
                name="ticketevent_idempotency_key_unique_in_mall",
            ),
        ]
        indexes = [
            # display snapshot: latest calls of a mall (and zone).
            models.Index(fields=["mall", "action", "-id"], name="ticketevent_calls_idx"),
        ]


class LiveEvent(models.Model):
    """Embedded mode (no Redis): a hint for the live process to relay.

    Web and worker processes cannot reach the ASGI process's in-memory channel
    layer, so they write a row; the ASGI process reads new rows and fans
    them out. Old rows are pruned by the worker.
    """

    group = models.CharField(max_length=100)
    payload = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

"""The only module that changes complaints (pengaduan).

The national flow: received -> verified -> forwarded to the agency (or
"not our authority", with the reason and where to go) -> in progress ->
answered -> closed; the complainant may reopen an answer, which puts the
complaint back in progress with a fresh follow-up deadline. Deadlines are
counted in the mall's working days (``directory.hours.is_working_day``);
overdue complaints are escalated to the mall manager.

Every step writes a ``ComplaintEvent``. There is no outbox yet: an event's
``notify_contact`` records that the complainant (who left a contact) is to be
told of the step; nothing is sent from here.

A complaint may carry one attachment (JPEG, PNG or PDF, recognised by its first
bytes), stored under ``settings.PRIVATE_MEDIA_ROOT`` as
``complaints/<tracking code>/<sha256>.<ext>``: the name the citizen's device
sent is kept for display only. The file is checked, staged and placed by the shared
``satuatap/uploads.py`` (as the back office's case files are), refused in the complaint's own
words (``uploads.attachment_wording``). See ``file_complaint`` for how the file and the rows
are kept together.
"""

from __future__ import annotations

import datetime as dt
import os  # noqa: F401  (the file's move is os.replace, reached through this module by the failure tests)
import secrets
import time
import unicodedata
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from satuatap import ratelimit, uploads
from satuatap.accounts.access import may_act_for_agency
from satuatap.accounts.scoping import can_manage_mall
from satuatap.audit.log import record
from satuatap.complaints.models import (
    ANSWER_MAX,
    BODY_MAX,
    CONTACT_MAX,
    SUBJECT_MAX,
    Complaint,
    ComplaintAttachment,
    ComplaintEvent,
)
from satuatap.complaints.models import ComplaintStatus as S
from satuatap.directory.hours import is_working_day, service_day
from satuatap.refusal import Refused
from satuatap.uploads import display_name, sniff  # noqa: F401  (the complaint API of these helpers)

CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L: read aloud or typed from paper
TEXT_MAX = 2000
FILE_LIMIT = settings.COMPLAINT_FILE_LIMIT_PER_HOUR


def add_working_days(mall, start: dt.date, n: int) -> dt.date:
    """The n-th working day after ``start`` (``start`` itself never counts)."""
    day = start
    for _step in range(max(0, n)):
        day += dt.timedelta(days=1)
        for _guard in range(366):  # a mall closed for a whole year is a data error, not a loop
            if is_working_day(mall, day):
                break
            day += dt.timedelta(days=1)
    return day


def filing_allowed(client_address: str) -> bool:
    """Count one filing attempt of this address; False when over ``FILE_LIMIT`` this hour."""
    return ratelimit.hit("complaint", client_address, limit=FILE_LIMIT, window=3600)


def new_tracking_code() -> str:
    chars = "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))
    return f"ADU-{chars[:4]}-{chars[4:]}"


def _visible(text: str) -> bool:
    """Some character a reader can see: not only spaces, zero-width or bidi controls (categories Z and C)."""
    return any(unicodedata.category(ch)[0] not in "CZ" for ch in text)


def _clean(value, limit: int, label: str, required: bool = True, field: str = "") -> str:
    text = str(value or "").replace("\x00", "").strip()
    if required and not _visible(text):
        raise Refused("invalid", _("%(label)s wajib diisi.") % {"label": label}, status=422, field=field)
    if len(text) > limit:
        message = _("%(label)s terlalu panjang (paling banyak %(n)s karakter).") % {"label": label, "n": limit}
        raise Refused("invalid", message, status=422, field=field)
    return text


def _audit(complaint, from_status, to_status, actor=None, **data) -> None:
    """Each step of a complaint in the mall's audit chain (no text of the complaint, no contact: personal data)."""
    record(
        "complaint.step",
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        mall_id=complaint.mall_id,
        subject=f"complaint:{complaint.pk}",
        data={"from": from_status, "to": to_status, **data},
    )


def _event(complaint, from_status, to_status, actor=None, note="", at=None):
    _audit(complaint, from_status, to_status, actor, agency=complaint.agency_id)
    return ComplaintEvent.objects.create(
        complaint=complaint,
        from_status=from_status,
        to_status=to_status,
        at=at or timezone.now(),
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        note=note,
        notify_contact=bool(complaint.contact),
    )


def _move(complaint, expected: tuple, to_status, actor=None, note="", **fields) -> Complaint:
    """Compare-and-set: the row changes only if it is still in one of ``expected``."""
    if complaint.status not in expected:
        raise Refused("wrong_status", _("Pengaduan ini tidak dapat diproses pada status sekarang."), 409)
    with transaction.atomic():
        now = timezone.now()
        changed = Complaint.objects.filter(pk=complaint.pk, status__in=expected).update(
            status=to_status, updated_at=now, **fields
        )
        if not changed:
            raise Refused("conflict", _("Pengaduan ini baru saja diubah orang lain. Muat ulang halaman."), 409)
        from_status = complaint.status
        complaint.refresh_from_db()
        _event(complaint, from_status, to_status, actor, note, now)
    return complaint


def _require_manager(actor, complaint):
    if not can_manage_mall(actor, complaint.mall):
        raise Refused("forbidden", _("Hanya pengelola mal yang dapat melakukan ini."), 403)


def _require_agency_supervisor(actor, complaint):
    if not may_act_for_agency(actor, complaint.mall_id, complaint.agency_id, manager=False):
        raise Refused("forbidden", _("Hanya supervisor instansi yang dituju yang dapat melakukan ini."), 403)


def _today(mall) -> dt.date:
    return service_day(mall)


def attachment_path(attachment: ComplaintAttachment) -> Path:
    """The stored file of an attachment; a path that would leave the private root is treated as missing."""
    return uploads.private_path(attachment.path)


def _single_upload(attachment):
    if attachment is None:
        return None
    if isinstance(attachment, list | tuple):
        if len(attachment) > 1:
            raise Refused("invalid", _("Lampiran paling banyak satu berkas."), status=422, field="attachment")
        return attachment[0] if attachment else None
    return attachment


def too_large_error() -> Refused:
    return uploads.too_large("attachment", uploads.attachment_wording())


def file_complaint(mall, subject, body, agency=None, contact="", attachment=None) -> Complaint:
    """File a complaint; ``attachment`` is an optional uploaded file (or a list of at most one).

    Nothing is saved unless everything is: the text and the attachment are checked first (the attachment while
    it is copied to a temporary file under the private root); then, in one transaction, the complaint, its
    first event and the attachment row are written and, as the last step before the commit, the temporary file
    is renamed into place (``os.replace``: atomic on one file system). If anything in the transaction or the
    commit itself fails, the placed file is removed again, and the temporary file is removed in every case.
    A committed row therefore always has its file. What remains possible is a file without a row: a crash
    between the rename and the commit, or a caller's outer transaction rolling back after this function
    returned (then this function's own block is only a savepoint); ``remove_orphan_attachments`` sweeps those.
    Each complaint has its own folder (by its unique, never reused tracking code), so removing a file never
    touches another complaint's attachment even when two citizens send the same bytes.
    """
    subject = _clean(subject, SUBJECT_MAX, _("Perihal"), field="subject")
    body = _clean(body, BODY_MAX, _("Isi pengaduan"), field="body")
    contact = _clean(contact, CONTACT_MAX, _("Kontak"), required=False, field="contact")
    if agency is not None and agency.mall_id != mall.pk:
        raise Refused("invalid", _("Instansi tidak dikenal di mal ini."), status=422, field="agency")
    upload = _single_upload(attachment)
    verify_due = add_working_days(mall, _today(mall), settings.COMPLAINT_VERIFY_WORKING_DAYS)
    staged = uploads.stage(upload, "attachment", uploads.attachment_wording()) if upload is not None else None
    placed = None
    try:
        with transaction.atomic():
            for _attempt in range(5):
                code = new_tracking_code()
                if not Complaint.objects.filter(tracking_code=code).exists():
                    break
            complaint = Complaint.objects.create(
                mall=mall,
                agency=agency,
                subject=subject,
                body=body,
                contact=contact,
                tracking_code=code,
                status=S.RECEIVED,
                verify_due=verify_due,
            )
            _event(complaint, "", S.RECEIVED)
            if staged is not None:
                relative = f"complaints/{code}/{staged.sha256}.{staged.extension}"
                ComplaintAttachment.objects.create(
                    complaint=complaint,
                    original_name=staged.name,
                    content_type=staged.content_type,
                    size=staged.size,
                    sha256=staged.sha256,
                    path=relative,
                )
                placed = uploads.private_root() / relative  # known before the move: a failed move still cleans up
                uploads.place(staged, relative)
    except BaseException:
        if placed is not None:
            placed.unlink(missing_ok=True)
            _remove_empty_dir(placed.parent)
        raise
    finally:
        if staged is not None:
            staged.temp.unlink(missing_ok=True)
    return complaint


def _remove_empty_dir(path: Path) -> None:
    try:
        path.rmdir()
    except OSError:
        pass  # not empty, or already gone


def remove_orphan_attachments(older_than: dt.timedelta = dt.timedelta(hours=1)) -> int:
    """Delete stored files no attachment row names (see ``file_complaint``) and stale temporary files.

    Only files older than ``older_than`` go, so a filing in progress keeps its files. Returns how many.
    """
    root = uploads.private_root()
    cutoff = time.time() - older_than.total_seconds()
    known = set(ComplaintAttachment.objects.values_list("path", flat=True))
    removed = 0
    candidates = [*root.glob("tmp/*.part"), *root.glob("complaints/*/*")]
    for path in candidates:
        relative = path.relative_to(root).as_posix()
        if relative in known or not path.is_file() or path.stat().st_mtime > cutoff:
            continue
        path.unlink(missing_ok=True)
        removed += 1
        if relative.startswith("complaints/"):
            _remove_empty_dir(path.parent)
    return removed


def verify(complaint, actor) -> Complaint:
    _require_manager(actor, complaint)
    return _move(complaint, (S.RECEIVED,), S.VERIFIED, actor)


def forward(complaint, actor, agency) -> Complaint:
    _require_manager(actor, complaint)
    if agency is None or agency.mall_id != complaint.mall_id:
        raise Refused("invalid", _("Pilih instansi tujuan di mal ini."), status=422, field="agency")
    due = add_working_days(complaint.mall, _today(complaint.mall), settings.COMPLAINT_FOLLOW_UP_WORKING_DAYS)
    return _move(
        complaint, (S.VERIFIED,), S.FORWARDED, actor, agency.name, agency=agency, follow_up_due=due, escalated_at=None
    )


def not_our_authority(complaint, actor, reason, where_to_go) -> Complaint:
    _require_manager(actor, complaint)
    reason = _clean(reason, TEXT_MAX, _("Alasan"))
    where_to_go = _clean(where_to_go, TEXT_MAX, _("Tempat pengaduan yang tepat"))
    return _move(
        complaint,
        (S.RECEIVED, S.VERIFIED),
        S.NOT_OUR_AUTHORITY,
        actor,
        reason,
        not_our_authority_reason=reason,
        where_to_go=where_to_go,
    )


def start(complaint, actor) -> Complaint:
    _require_agency_supervisor(actor, complaint)
    return _move(complaint, (S.FORWARDED,), S.IN_PROGRESS, actor)


def answer(complaint, actor, text) -> Complaint:
    _require_agency_supervisor(actor, complaint)
    text = _clean(text, ANSWER_MAX, _("Jawaban"))
    return _move(complaint, (S.FORWARDED, S.IN_PROGRESS), S.ANSWERED, actor, answer=text, answered_at=timezone.now())


def close(complaint, actor=None) -> Complaint:
    """The manager closes an answered complaint (``actor=None``: closed by the system)."""
    if actor is not None:
        _require_manager(actor, complaint)
    return _move(complaint, (S.ANSWERED,), S.CLOSED, actor)


def reopen(complaint, reason) -> Complaint:
    """The complainant (holder of the tracking code) is not satisfied with the answer."""
    reason = _clean(reason, TEXT_MAX, _("Alasan"))
    if complaint.status != S.ANSWERED or complaint.answered_at is None:
        raise Refused("wrong_status", _("Hanya pengaduan yang sudah dijawab yang dapat dibuka kembali."), 409)
    if timezone.now() - complaint.answered_at > dt.timedelta(days=settings.COMPLAINT_REOPEN_DAYS):
        raise Refused("too_late", _("Batas waktu untuk membuka kembali pengaduan ini sudah lewat."), 409)
    due = add_working_days(complaint.mall, _today(complaint.mall), settings.COMPLAINT_FOLLOW_UP_WORKING_DAYS)
    return _move(complaint, (S.ANSWERED,), S.IN_PROGRESS, None, reason, follow_up_due=due, escalated_at=None)


def is_overdue(complaint, now=None) -> bool:
    due = complaint.due
    return due is not None and service_day(complaint.mall, now) > due


def escalate_overdue(now=None) -> int:
    """Mark complaints past their deadline as escalated to the mall manager; idempotent."""
    now = now or timezone.now()
    # A cheap bound in the database (no mall is more than a day from UTC); the exact test per mall below.
    bound = now.astimezone(dt.UTC).date() + dt.timedelta(days=1)
    late = Q(status__in=(S.RECEIVED, S.VERIFIED), verify_due__lt=bound) | Q(
        status__in=(S.FORWARDED, S.IN_PROGRESS), follow_up_due__lt=bound
    )
    candidates = Complaint.objects.filter(late, escalated_at__isnull=True).select_related("mall")
    count = 0
    for complaint in candidates:
        if not is_overdue(complaint, now):
            continue
        with transaction.atomic():
            if Complaint.objects.filter(pk=complaint.pk, escalated_at__isnull=True, status=complaint.status).update(
                escalated_at=now
            ):
                _audit(complaint, complaint.status, complaint.status, escalated=True)
                ComplaintEvent.objects.create(
                    complaint=complaint,
                    from_status=complaint.status,
                    to_status=complaint.status,
                    at=now,
                    note=_("Melewati batas waktu; dieskalasi ke pengelola mal."),
                )
                count += 1
    return count

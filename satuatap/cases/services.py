"""The only module that changes cases (berkas permohonan) and creates the default workflows.

Every function owns its transaction and locks the case row before it reads and changes it.
Every change writes one ``CaseEvent``; a transition tells the citizen through the outbox once the
transaction commits (``notify.outbox.enqueue``, idempotent on the event), and every history row hints
the case's live groups after the commit (``live_updates``; a hint that cannot be sent is dropped, never
an error). Registration numbers come from one upsert per (mall, agency, year) that returns the new
number, so concurrent openings never share a number and a refused opening rolls its number back.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from satuatap import live, personal_data, uploads
from satuatap.accounts.models import Role
from satuatap.cases import deadlines, escalation, live_updates, workflows
from satuatap.cases.models import (
    NOTE_MAX,
    RECEIPT_MAX,
    Case,
    CaseAttachment,
    CaseEvent,
    CaseRequirement,
    StateKind,
    Workflow,
    WorkflowAction,
    WorkflowState,
)
from satuatap.directory.hours import service_day
from satuatap.notify import outbox
from satuatap.queueing import tickets
from satuatap.queueing.models import Ticket, TicketSource, TicketStatus
from satuatap.refusal import Refused, invalid

NAME_MAX = 100
OPENING_ROLES = (Role.OFFICER, Role.SUPERVISOR)
ASSIGNABLE_ROLES = (Role.OFFICER, Role.SUPERVISOR)
K = CaseEvent.Kind


# --- workflows -----------------------------------------------------------------------------------


def workflow_for(service) -> Workflow:
    """The service's workflow, created from the default the first time a case needs it."""
    workflow = Workflow.objects.filter(service=service).first()
    if workflow is not None:
        return workflow
    try:
        # Labels are stored, so they are stored in the language of the workflow, whatever the request's.
        with transaction.atomic(), translation.override(outbox.MESSAGE_LANGUAGE):
            return _create_default(service)
    except IntegrityError:  # another request created it first
        return Workflow.objects.get(service=service)


def _create_default(service) -> Workflow:
    workflow = Workflow.objects.create(service=service)  # its days follow the service standard
    states = {}
    for order, (code, label, kind, limit, next_step) in enumerate(workflows.default_states()):
        states[code] = WorkflowState.objects.create(
            workflow=workflow,
            code=code,
            label=label,
            kind=kind,
            order=order,
            time_limit_days=limit,
            citizen_next_step=next_step,
        )
    for code, label, source, target, roles, note_required in workflows.default_actions():
        WorkflowAction.objects.create(
            workflow=workflow,
            code=code,
            label=label,
            from_state=states[source],
            to_state=states[target],
            roles=roles,
            note_required=note_required,
        )
    return workflow


# A case of a service without a number (it "ends at the counter") still gets a deadline to keep.
FALLBACK_WORKING_DAYS = 5


def working_days_for(workflow: Workflow) -> int:
    """The workflow's override, else the service standard's ``completion_working_days``, else the fallback."""
    if workflow.completion_working_days is not None:
        return workflow.completion_working_days
    days = workflow.service.completion_working_days
    return FALLBACK_WORKING_DAYS if days is None else days


def start_state(workflow: Workflow) -> WorkflowState:
    state = workflow.states.filter(kind=StateKind.START).order_by("order", "pk").first()
    if state is None:
        raise Refused("workflow_broken", _("Alur kerja layanan ini tidak memiliki tahap awal."), status=409)
    return state


def retire_state(state: WorkflowState, into: WorkflowState, actor=None) -> int:
    """Delete a state of a workflow after moving its cases into ``into`` (one history row each)."""
    if into.workflow_id != state.workflow_id or into.pk == state.pk:
        raise Refused("invalid", _("Pilih tahap lain dari alur kerja yang sama."), status=422, field="into")
    with transaction.atomic():
        moved = 0
        for case in Case.objects.select_for_update().filter(state=state):
            _enter(
                case, into, actor, action="", note=_("Tahap %(old)s dihapus dari alur kerja.") % {"old": state.label}
            )
            moved += 1
        state.delete()
    return moved


# --- numbers and permissions --------------------------------------------------------------------


def mall_code(mall) -> str:
    """Three letters of the mall's slug, said aloud before the year (``pekanbaru`` -> ``PEK``)."""
    letters = re.sub(r"[^A-Z0-9]", "", mall.slug.upper())
    return letters[:3] or "MPP"


def registration_number(mall, agency, year: int, seq: int) -> str:
    agency_code = re.sub(r"[^A-Z0-9]", "", agency.code.upper())[:12]
    return f"{mall_code(mall)}-{year}-{agency_code}-{seq:06d}"


def _next_seq(mall, agency, year: int) -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO cases_casesequence (mall_id, agency_id, year, last_number) VALUES (%s, %s, %s, 1) "
            "ON CONFLICT (mall_id, agency_id, year) DO UPDATE "
            "SET last_number = cases_casesequence.last_number + 1 RETURNING last_number",
            [mall.pk, agency.pk, year],
        )
        return cursor.fetchone()[0]


def _signed_in(user) -> bool:
    return getattr(user, "is_authenticated", False)


def works_for(user, mall_id: int, agency_id: int) -> bool:
    """A user of the owning agency (or the mall's manager, or a superuser)."""
    if not _signed_in(user):
        return False
    if user.is_superuser:
        return True
    if user.mall_id != mall_id:
        return False
    return user.role == Role.MANAGER or (user.role in ASSIGNABLE_ROLES and user.agency_id == agency_id)


def _role_of(user) -> str:
    return "superuser" if user.is_superuser else user.role


def allowed_actions(user, case: Case) -> list[WorkflowAction]:
    """The actions of the case's state this user's role may take now."""
    if not works_for(user, case.mall_id, case.agency_id):
        return []
    actions = WorkflowAction.objects.filter(from_state_id=case.state_id).select_related("to_state")
    return [a for a in actions if user.is_superuser or user.role in a.role_list]


def may_assign(user, case: Case) -> bool:
    """The agency's supervisor or the mall's manager assigns and reassigns."""
    if not works_for(user, case.mall_id, case.agency_id):
        return False
    return user.is_superuser or user.role in (Role.SUPERVISOR, Role.MANAGER)


# --- input ---------------------------------------------------------------------------------------


def _text(value, limit: int, label: str, field: str, required: bool = True) -> str:
    text = "".join(ch for ch in str(value or "") if unicodedata.category(ch) != "Cc" or ch == "\n").strip()
    if required and not text:
        raise invalid(field, _("%(label)s wajib diisi.") % {"label": label})
    if len(text) > limit:
        raise invalid(
            field, _("%(label)s terlalu panjang (paling banyak %(n)s karakter).") % {"label": label, "n": limit}
        )
    return text


def clean_nik(value) -> str:
    nik = re.sub(r"\s", "", str(value or ""))
    if not re.fullmatch(r"\d{16}", nik):
        raise invalid("nik", _("NIK harus 16 angka."))
    return nik


def clean_phone(value) -> str:
    if not str(value or "").strip():
        return ""
    try:
        return personal_data.normalise_phone(value)
    except ValueError as err:
        raise invalid("phone", str(err)) from err


def requirement_lines(service) -> list[str]:
    """The service standard's requirements, one checklist line each (lines or ";"-separated, bullets dropped)."""
    parts = re.split(r"[\n;]", service.requirements or "")
    lines = [re.sub(r"^\s*(?:[-•*]|\d+[.)])\s*", "", p).strip() for p in parts]
    return [line[:300] for line in lines if line]


# --- opening -------------------------------------------------------------------------------------


def open_case(actor, service, *, nik, name, phone="", ticket=None, missing=(), note="", now=None) -> Case:
    """Open a case for a citizen at the counter (``ticket``) or for a document dropped off (no ticket).

    ``missing`` names the requirement lines the citizen did not bring: they stay unticked, are
    recorded in the first history row and told to the citizen.
    """
    if not (
        _signed_in(actor)
        and (actor.is_superuser or actor.role in OPENING_ROLES)
        and works_for(actor, service.mall_id, service.agency_id)
    ):
        raise Refused("role_not_allowed", _("Hanya petugas instansi layanan ini yang dapat membuka berkas."), 403)
    nik = clean_nik(nik)
    name = _text(name, NAME_MAX, _("Nama pemohon"), "name")
    phone = clean_phone(phone)
    note = _text(note, NOTE_MAX, _("Catatan"), "note", required=False)
    if ticket is not None and (ticket.mall_id != service.mall_id or ticket.service.agency_id != service.agency_id):
        raise Refused("ticket_not_found", _("Tiket tidak ditemukan."), status=404)
    lines = requirement_lines(service)
    missing = [str(m).strip() for m in missing if str(m).strip()]
    unknown = [m for m in missing if m not in lines]
    if unknown:
        raise invalid(
            "missing_requirements", _("Persyaratan tidak dikenal: %(names)s.") % {"names": ", ".join(unknown)}
        )
    mall = service.mall
    workflow = workflow_for(service)
    first = start_state(workflow)
    now = now or timezone.now()
    today = service_day(mall, now)
    with transaction.atomic():
        seq = _next_seq(mall, service.agency, today.year)
        case = Case.objects.create(
            mall=mall,
            agency=service.agency,
            service=service,
            ticket=ticket,
            registration_number=registration_number(mall, service.agency, today.year, seq),
            year=today.year,
            seq=seq,
            state=first,
            nik_hash=personal_data.hash_value("nik", nik),
            nik_encrypted=personal_data.encrypt(nik),
            nik_masked=personal_data.mask_nik(nik),
            name_encrypted=personal_data.encrypt(name),
            name_masked=_mask_name(name),
            phone_encrypted=personal_data.encrypt(phone) if phone else "",
            phone_masked=personal_data.mask_phone(phone) if phone else "",
            fee=service.fee,
            opened_by=actor,
            assignee=None,
            received_on=today,
            due_date=deadlines.add_working_days(mall, today, working_days_for(workflow)),
            state_due=deadlines.add_working_days(mall, today, first.time_limit_days) if first.time_limit_days else None,
            created_at=now,
            updated_at=now,
        )
        CaseRequirement.objects.bulk_create(
            CaseRequirement(case=case, label=line, order=i, present=line not in missing) for i, line in enumerate(lines)
        )
        if missing:
            note = "\n".join([note, _("Persyaratan kurang: %(names)s.") % {"names": "; ".join(missing)}]).strip()
        event = _event(case, K.TRANSITION, actor, to_state=first, note=note, at=now)
        _notify_on_commit(case, event)
    return case


def _mask_name(name: str) -> str:
    """``Siti Aminah`` -> ``S*** A*****``: enough for an officer to greet, nothing to look up."""
    return " ".join(w[0] + "*" * (len(w) - 1) for w in name.split())[:100]


# --- acting --------------------------------------------------------------------------------------


def _locked(case: Case) -> Case:
    return Case.objects.select_for_update().select_related("state", "mall", "service").get(pk=case.pk)


def act(actor, case: Case, action_code: str, note="", now=None) -> Case:
    """Take a workflow action: 409 ``bad_state`` when the state has no such action, 403 for the role."""
    note = _text(note, NOTE_MAX, _("Catatan"), "note", required=False)
    with transaction.atomic():
        case = _locked(case)
        actions = [a for a in case.state.actions_out.select_related("to_state") if a.code == action_code]
        if not actions:
            raise Refused("bad_state", _("Tindakan ini tidak dapat dilakukan pada tahap sekarang."), status=409)
        action = actions[0]
        if not works_for(actor, case.mall_id, case.agency_id) or not (
            actor.is_superuser or actor.role in action.role_list
        ):
            raise Refused("role_not_allowed", _("Peran Anda tidak boleh melakukan tindakan ini."), status=403)
        if action.note_required and not note:
            raise invalid("note", _("Tuliskan catatan untuk tindakan ini."))
        _enter(case, action.to_state, actor, action=action.code, note=note, now=now)
    return case


def _enter(case: Case, target: WorkflowState, actor, *, action: str, note: str, now=None) -> CaseEvent:
    """Move a locked case into ``target``: deadlines, history row, notice after commit."""
    mall = case.mall
    now = now or timezone.now()
    today = service_day(mall, now)
    source = case.state
    if source.kind == StateKind.RETURNED and case.paused_on is not None:
        # Time with the citizen does not count: the due date moves by the working days it took.
        spent = deadlines.working_days_between(mall, case.paused_on, today)
        case.due_date = deadlines.add_working_days(mall, case.due_date, spent)
        case.paused_on = None
    if target.kind == StateKind.RETURNED:
        case.paused_on = today
    case.state = target
    limit = target.time_limit_days
    case.state_due = deadlines.add_working_days(mall, today, limit) if limit else None
    case.closed_on = today if target.kind == StateKind.FINAL else None
    case.updated_at = now
    case.save(update_fields=["state", "due_date", "paused_on", "state_due", "closed_on", "updated_at"])
    event = _event(case, K.TRANSITION, actor, from_state=source, to_state=target, action=action, note=note, at=now)
    _notify_on_commit(case, event)
    return event


def assign(actor, case: Case, officer) -> Case:
    """Give the case to an officer of its agency: the supervisor (or manager) anyone, an officer only
    themselves and only while nobody holds it."""
    with transaction.atomic():
        case = _locked(case)
        taking_free = actor is not None and officer is not None and officer.pk == actor.pk and case.assignee_id is None
        if not (may_assign(actor, case) or (taking_free and works_for(actor, case.mall_id, case.agency_id))):
            raise Refused("role_not_allowed", _("Hanya supervisor instansi yang dapat menugaskan berkas."), 403)
        if officer is not None and not (
            officer.is_active
            and officer.mall_id == case.mall_id
            and officer.agency_id == case.agency_id
            and officer.role in ASSIGNABLE_ROLES
        ):
            raise invalid("assign_to", _("Petugas tidak ditemukan di instansi ini."))
        case.assignee = officer
        case.updated_at = timezone.now()
        case.save(update_fields=["assignee", "updated_at"])
        who = officer.get_full_name() or officer.username if officer else _("tidak ada")
        _event(case, K.ASSIGN, actor, note=_("Ditugaskan kepada %(who)s.") % {"who": who})
    return case


def set_requirement(actor, case: Case, requirement_id: int, present: bool) -> Case:
    with transaction.atomic():
        case = _locked(case)
        _require_staff(actor, case)
        requirement = case.requirements.filter(pk=requirement_id).first()
        if requirement is None:
            raise invalid("requirement", _("Persyaratan tidak ditemukan pada berkas ini."))
        if requirement.present != present:
            requirement.present = present
            requirement.save(update_fields=["present"])
            mark = _("ada") if present else _("kurang")
            _event(case, K.CHECKLIST, actor, note=f"{requirement.label}: {mark}")
    return case


def record_payment(actor, case: Case, receipt_number) -> Case:
    receipt = _text(receipt_number, RECEIPT_MAX, _("Nomor bukti bayar"), "receipt_number")
    with transaction.atomic():
        case = _locked(case)
        _require_staff(actor, case)
        case.paid = True
        case.receipt_number = receipt
        case.updated_at = timezone.now()
        case.save(update_fields=["paid", "receipt_number", "updated_at"])
        _event(case, K.PAYMENT, actor, note=_("Dibayar, bukti %(receipt)s.") % {"receipt": receipt})
    return case


def attach(actor, case: Case, upload) -> CaseAttachment:
    """Keep a scanned document with the case: checked and staged first, placed just before the commit.

    A committed row always has its file; the same bytes twice are one file (the path is content-addressed).
    """
    _require_staff(actor, case)
    staged = uploads.stage(upload)
    placed = None
    try:
        with transaction.atomic():
            case = _locked(case)
            relative = f"cases/{case.registration_number}/{staged.sha256}.{staged.extension}"
            existing = CaseAttachment.objects.filter(path=relative).first()
            if existing is not None:
                return existing
            attachment = CaseAttachment.objects.create(
                case=case,
                original_name=staged.name,
                content_type=staged.content_type,
                size=staged.size,
                sha256=staged.sha256,
                path=relative,
                uploaded_by=actor,
                created_at=timezone.now(),
            )
            _event(case, K.FILE, actor, note=staged.name)
            placed = uploads.place(staged, relative)
    except BaseException:
        if placed is not None:
            placed.unlink(missing_ok=True)
        raise
    finally:
        staged.temp.unlink(missing_ok=True)
    return attachment


def _require_staff(actor, case: Case) -> None:
    if not works_for(actor, case.mall_id, case.agency_id) or (
        not actor.is_superuser and actor.role not in ASSIGNABLE_ROLES
    ):
        raise Refused("role_not_allowed", _("Peran Anda tidak boleh melakukan tindakan ini."), status=403)


def issue_pickup_ticket(case: Case, actor=None) -> Ticket:
    """A number in the agency's pick-up queue for a case that is ready (the citizen from the tracking page,
    or an officer); the same number again while it is still open."""
    with transaction.atomic():
        case = _locked(case)
        if actor is not None:
            _require_staff(actor, case)
        if case.state.kind != StateKind.PICKUP:
            raise Refused("bad_state", _("Berkas ini belum siap diambil."), status=409)
        held = case.pickup_ticket
        if held is not None and held.status in (TicketStatus.WAITING, TicketStatus.CALLED, TicketStatus.SERVING):
            return held
        workflow = case.state.workflow
        service = workflow.pickup_service or case.service
        source = TicketSource.OFFICER if actor is not None else TicketSource.KIOSK
        ticket = tickets.issue_ticket(service, source=source, actor=actor)
        case.pickup_ticket = ticket
        case.save(update_fields=["pickup_ticket"])
        _event(case, K.PICKUP, actor, note=_("Nomor antrean pengambilan %(number)s.") % {"number": ticket.number})
    return ticket


# --- deadlines and escalation -------------------------------------------------------------------


def is_overdue(case: Case, today=None) -> bool:
    if case.closed_on is not None or case.paused_on is not None:
        return False
    return case.due_date < (today or service_day(case.mall))


def escalate_overdue(now=None) -> int:
    """Mark each open case past its due date as escalated to its agency's supervisor, once (idempotent)."""
    now = now or timezone.now()
    candidates = Case.objects.filter(
        closed_on__isnull=True,
        paused_on__isnull=True,
        escalated_at__isnull=True,
        due_date__lt=now.date() + dt.timedelta(days=1),  # UTC may still be "yesterday" in the mall
    ).select_related("mall", "service", "state")
    count = 0
    for case in candidates.iterator():
        if not is_overdue(case, service_day(case.mall, now)):
            continue
        with transaction.atomic():
            changed = Case.objects.filter(pk=case.pk, escalated_at__isnull=True).update(escalated_at=now)
            if changed:
                _event(case, K.ESCALATION, None, note=_("Lewat batas penyelesaian: diteruskan ke supervisor."), at=now)
                transaction.on_commit(lambda case=case: escalation.notify_supervisors(case))
                count += 1
    return count


# --- history and notices ------------------------------------------------------------------------


def _event(case, kind, actor, *, from_state=None, to_state=None, action="", note="", at=None) -> CaseEvent:
    """One history row; its live hint goes to the case's tracking pages and desks once the row commits."""
    event = CaseEvent.objects.create(
        case=case,
        kind=kind,
        action=action,
        from_code=from_state.code if from_state else "",
        from_label=from_state.label if from_state else "",
        to_code=to_state.code if to_state else "",
        to_label=to_state.label if to_state else "",
        at=at or timezone.now(),
        actor=actor if _signed_in(actor) else None,
        note=note,
    )
    Case.objects.filter(pk=case.pk).update(last_event_id=event.pk)  # the desks' stamp
    live.publish(live_updates.groups_of(case), {"event": f"case_{kind}", "event_id": event.pk})
    return event


def _notify_on_commit(case: Case, event: CaseEvent) -> None:
    if not case.phone_encrypted:
        return
    transaction.on_commit(lambda: notify_step(case, event))


def notify_step(case: Case, event: CaseEvent) -> None:
    """Tell the citizen the case's new state by SMS (sandboxed in the demo and tests)."""
    with translation.override(outbox.MESSAGE_LANGUAGE):
        next_step = str(case.state.citizen_next_step) if case.state.code == event.to_code else ""
        context = {
            "registration_number": case.registration_number,
            "service_name": case.service.name,
            "status": event.to_label,
            "note": event.note[:300] if case.state.kind == StateKind.RETURNED or event.from_code == "" else "",
            "next_step": next_step,
            "due_date": case.due_date,
            "track_link": outbox.absolute_url(reverse("case_track") + f"?nomor={case.registration_number}"),
        }
    outbox.enqueue(
        mall=case.mall,
        kind="case_update",
        to=personal_data.decrypt(case.phone_encrypted),
        channel="sms",
        context=context,
        dedupe_key=f"case-event:{event.pk}",
        subject_ref=f"case:{case.registration_number}",
    )

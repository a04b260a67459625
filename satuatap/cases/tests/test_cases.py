"""Cases: opening, numbering, the default workflow by role, deadlines, assignment, stranding on edit."""

from __future__ import annotations

import datetime as dt

import pytest

from satuatap.accounts.models import User
from satuatap.cases import escalation, services
from satuatap.cases.models import Case, CaseEvent, WorkflowState
from satuatap.cases.tests.conftest import NIK, open_kk
from satuatap.cases.workflows import stranded_states
from satuatap.notify.models import Message
from satuatap.refusal import Refused

MONDAY = dt.date(2026, 11, 23)


def test_opening_a_case_numbers_it_masks_the_citizen_and_lists_the_requirements(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        case = open_kk(world, missing=["Surat pengantar RT/RW"])
    assert case.registration_number == "PEK-2026-DUKCAPIL-000001"
    assert open_kk(world).registration_number == "PEK-2026-DUKCAPIL-000002"
    assert case.state.code == "diterima"
    assert case.nik_masked == "1471**********01" and NIK not in case.nik_encrypted
    assert case.name_masked == "S*** A*****"
    assert case.received_on == MONDAY
    assert case.due_date == dt.date(2026, 11, 26)  # "3 hari kerja": Thursday
    assert [(r.label, r.present) for r in case.requirements.all()] == [
        ("KTP-el asli", True),
        ("Kartu Keluarga lama", True),
        ("Surat pengantar RT/RW", False),
    ]
    first = case.events.get()
    assert (first.from_code, first.to_code, first.actor) == ("", "diterima", world.users["officer1"])
    assert "Surat pengantar RT/RW" in first.note
    message = Message.objects.get(dedupe_key=f"case-event:{first.pk}")
    assert message.kind == "case_update" and message.address_masked == "0812******90"
    assert "PEK-2026-DUKCAPIL-000001" in message.body and "Surat pengantar RT/RW" in message.body
    assert "081234567890" not in message.body


def test_other_agencies_numbers_count_on_their_own(world):
    open_kk(world)
    paspor = services.open_case(
        world.users["officer3"], world.services["IMIGRASI-PASPOR"], nik=NIK, name="Budi", phone=""
    )
    assert paspor.registration_number == "PEK-2026-IMIGRASI-000001"


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"nik": "12345"}, "nik"),
        ({"name": "  "}, "name"),
        ({"phone": "12ab"}, "phone"),
        ({"missing": ["Akta kelahiran"]}, "missing_requirements"),
    ],
)
def test_bad_input_is_refused_and_changes_nothing(world, fields, field):
    with pytest.raises(Refused) as refused:
        open_kk(world, **fields)
    assert refused.value.status == 422 and refused.value.field == field
    assert not Case.objects.exists()


@pytest.mark.parametrize("actor", ["officer3", "kiosk", "manager"])
def test_only_the_agencys_staff_open_its_cases(world, actor):
    with pytest.raises(Refused) as refused:
        open_kk(world, actor=actor)
    assert refused.value.code == "role_not_allowed"
    assert not Case.objects.exists()


def test_the_default_workflow_end_to_end_with_a_return(world, time_machine):
    case = open_kk(world)
    sup = world.users["sup_dukcapil"]
    officer = world.users["officer1"]
    services.act(officer, case, "kembalikan", note="Surat pengantar kurang")
    case.refresh_from_db()
    assert case.state.code == "dikembalikan" and case.paused_on == MONDAY
    assert not services.is_overdue(case, dt.date(2026, 12, 31))
    # Back on Wednesday: Tuesday and Wednesday with the citizen do not count.
    time_machine.move_to(dt.datetime(2026, 11, 25, 9, tzinfo=dt.UTC))
    services.act(officer, case, "lengkapi")
    case.refresh_from_db()
    assert case.due_date == dt.date(2026, 11, 30)  # Thursday + 2 working days, over the weekend
    for code, who in [("verifikasi", officer), ("proses", officer), ("setujui", sup), ("siapkan", officer)]:
        services.act(who, case, code)
    services.act(officer, case, "serahkan")
    case.refresh_from_db()
    assert case.state.code == "diserahkan" and case.closed_on == dt.date(2026, 11, 25)
    path = [(e.from_code, e.to_code) for e in case.events.filter(kind=CaseEvent.Kind.TRANSITION)]
    assert path == [
        ("", "diterima"),
        ("diterima", "dikembalikan"),
        ("dikembalikan", "diterima"),
        ("diterima", "diverifikasi"),
        ("diverifikasi", "diproses"),
        ("diproses", "disetujui"),
        ("disetujui", "siap_diambil"),
        ("siap_diambil", "diserahkan"),
    ]


def _at(world, case, code):
    case.state = WorkflowState.objects.get(workflow__service=case.service, code=code)
    case.save()
    return case


# Every action of the default workflow by every role: (action, from state, roles allowed).
MATRIX = [
    ("verifikasi", "diterima", {"officer1", "sup_dukcapil"}),
    ("proses", "diverifikasi", {"officer1", "sup_dukcapil"}),
    ("setujui", "diproses", {"sup_dukcapil"}),
    ("tolak", "diproses", {"sup_dukcapil"}),
    ("siapkan", "disetujui", {"officer1", "sup_dukcapil"}),
    ("serahkan", "siap_diambil", {"officer1", "sup_dukcapil"}),
    ("kembalikan", "diverifikasi", {"officer1", "sup_dukcapil"}),
    ("lengkapi", "dikembalikan", {"officer1", "sup_dukcapil"}),
]
PERSONAS = ["officer1", "sup_dukcapil", "manager", "officer3", "sup_imigrasi", "kiosk", "display_a"]


@pytest.mark.parametrize(("action", "state", "allowed"), MATRIX)
@pytest.mark.parametrize("persona", PERSONAS)
def test_every_action_by_every_role(world, action, state, allowed, persona):
    case = _at(world, open_kk(world), state)
    user = world.users[persona]
    offered = {a.code for a in services.allowed_actions(user, case)}
    if persona in allowed:
        assert action in offered
        services.act(user, case, action, note="catatan")
        case.refresh_from_db()
        assert case.state.code != state
        assert case.events.last().actor == user
    else:
        assert action not in offered
        with pytest.raises(Refused) as refused:
            services.act(user, case, action, note="catatan")
        assert (refused.value.code, refused.value.status) == ("role_not_allowed", 403)
        case.refresh_from_db()
        assert case.state.code == state and case.events.count() == 1


def test_an_action_not_offered_in_the_state_is_bad_state(world):
    case = open_kk(world)
    with pytest.raises(Refused) as refused:
        services.act(world.users["sup_dukcapil"], case, "setujui")
    assert (refused.value.code, refused.value.status) == ("bad_state", 409)


def test_rejection_needs_a_note(world):
    case = _at(world, open_kk(world), "diproses")
    with pytest.raises(Refused) as refused:
        services.act(world.users["sup_dukcapil"], case, "tolak")
    assert refused.value.field == "note"
    case.refresh_from_db()
    assert case.state.code == "diproses"


def test_assignment_by_the_supervisor_and_self_service_by_officers(world):
    case = open_kk(world)
    officer1, officer2 = world.users["officer1"], world.users["officer2"]
    services.assign(officer2, case, officer2)  # free: an officer takes it
    case.refresh_from_db()
    assert case.assignee == officer2
    with pytest.raises(Refused):
        services.assign(officer1, case, officer1)  # held: only the supervisor reassigns
    services.assign(world.users["sup_dukcapil"], case, officer1)
    case.refresh_from_db()
    assert case.assignee == officer1
    with pytest.raises(Refused) as refused:
        services.assign(world.users["sup_dukcapil"], case, world.users["officer3"])  # another agency
    assert refused.value.field == "assign_to"
    with pytest.raises(Refused):
        services.assign(world.users["sup_imigrasi"], case, world.users["officer3"])
    assert [e.kind for e in case.events.all()].count(CaseEvent.Kind.ASSIGN) == 2


def test_checklist_and_payment_each_write_history(world):
    case = open_kk(world, missing=["Kartu Keluarga lama"])
    missing = case.requirements.get(present=False)
    services.set_requirement(world.users["officer1"], case, missing.pk, True)
    services.record_payment(world.users["officer1"], case, "BKT-77")
    case.refresh_from_db()
    assert case.paid and case.receipt_number == "BKT-77"
    assert [e.kind for e in case.events.all()][-2:] == ["checklist", "payment"]
    with pytest.raises(Refused):
        services.record_payment(world.users["officer3"], case, "X")


def test_a_state_removed_from_the_workflow_strands_no_case(world):
    case = _at(world, open_kk(world), "diverifikasi")
    state = case.state
    with pytest.raises(Exception, match="protected"):
        state.delete()  # the admin cannot delete a state that holds cases
    diproses = WorkflowState.objects.get(workflow=state.workflow, code="diproses")
    assert services.retire_state(state, diproses, world.users["sup_dukcapil"]) == 1
    case.refresh_from_db()
    assert case.state == diproses
    last = case.events.last()
    assert (last.from_code, last.to_code) == ("diverifikasi", "diproses")
    assert stranded_states(state.workflow) == []


def test_stranded_states_are_found(world):
    case = open_kk(world)
    workflow = case.state.workflow
    workflow.actions.filter(from_state__code="diverifikasi").delete()
    assert stranded_states(workflow) == ["diverifikasi"]


def test_overdue_cases_escalate_once(world, time_machine, django_capture_on_commit_callbacks):
    case = open_kk(world)
    User.objects.filter(pk=world.users["sup_dukcapil"].pk).update(email="sup.dukcapil@example.go.id")
    User.objects.filter(pk=world.users["sup_imigrasi"].pk).update(email="sup.imigrasi@example.go.id")
    time_machine.move_to(dt.datetime(2026, 11, 27, 2, tzinfo=dt.UTC))  # Friday: due was Thursday
    with django_capture_on_commit_callbacks(execute=True):
        assert services.escalate_overdue() == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert services.escalate_overdue() == 0
    # One email to the owning agency's supervisor, none to another agency's, and no citizen data in it.
    notices = list(Message.objects.filter(kind="case_escalated"))
    assert [(m.channel, m.dedupe_key) for m in notices] == [
        ("email", f"case-escalation:{case.pk}:{world.users['sup_dukcapil'].pk}")
    ]
    assert case.registration_number in notices[0].body and "26 November 2026" in notices[0].body
    assert "Siti" not in notices[0].body and NIK not in notices[0].body
    assert escalation.notify_supervisors(case) == 1  # a rerun finds the same row, adds none
    assert Message.objects.filter(kind="case_escalated").count() == 1
    case.refresh_from_db()
    assert case.escalated_at is not None and services.is_overdue(case)
    assert case.events.filter(kind=CaseEvent.Kind.ESCALATION).count() == 1

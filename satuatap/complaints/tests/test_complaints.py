import datetime as dt
import io

import pytest
from django.utils import timezone

from satuatap.complaints import complaints
from satuatap.complaints.complaints import add_working_days
from satuatap.complaints.models import Complaint, ComplaintEvent, ComplaintStatus
from satuatap.directory.hours import service_day
from satuatap.refusal import Refused
from satuatap.testing import make_world

pytestmark = pytest.mark.django_db


def filed(world, agency="DUKCAPIL", contact="0812"):
    return complaints.file_complaint(
        world.mall, "Antrian lama", "Saya menunggu 3 jam.", agency=world.agencies[agency], contact=contact
    )


def test_the_whole_flow_through_the_service(world):
    manager, sup = world.users["manager"], world.users["sup_dukcapil"]
    c = filed(world)
    assert c.status == ComplaintStatus.RECEIVED and c.tracking_code.startswith("ADU-")
    c = complaints.verify(c, manager)
    c = complaints.forward(c, manager, world.agencies["DUKCAPIL"])
    assert c.follow_up_due is not None
    c = complaints.start(c, sup)
    c = complaints.answer(c, sup, "Sudah kami tambah petugas.")
    assert c.status == ComplaintStatus.ANSWERED and c.answer
    c = complaints.reopen(c, "Masih lama.")
    assert c.status == ComplaintStatus.IN_PROGRESS
    c = complaints.answer(c, sup, "Loket tambahan dibuka.")
    c = complaints.close(c, manager)
    assert c.status == ComplaintStatus.CLOSED
    steps = list(c.events.values_list("to_status", flat=True))
    assert steps == [
        "received",
        "verified",
        "forwarded",
        "in_progress",
        "answered",
        "in_progress",
        "answered",
        "closed",
    ]
    assert all(c.events.values_list("notify_contact", flat=True))


def test_an_anonymous_complaint_notifies_nobody(world):
    c = complaints.file_complaint(world.mall, "Toilet", "Kotor.")
    assert c.agency is None and c.contact == ""
    assert not ComplaintEvent.objects.filter(complaint=c, notify_contact=True).exists()


def test_not_our_authority_keeps_the_reason_and_where_to_go(world):
    c = filed(world)
    c = complaints.not_our_authority(c, world.users["manager"], "Urusan pajak daerah", "Bapenda Kota")
    assert c.status == ComplaintStatus.NOT_OUR_AUTHORITY and c.where_to_go == "Bapenda Kota"


def test_supervisor_of_another_agency_cannot_act(world):
    c = filed(world)
    c = complaints.forward(
        complaints.verify(c, world.users["manager"]), world.users["manager"], world.agencies["DUKCAPIL"]
    )
    with pytest.raises(Refused) as err:
        complaints.start(c, world.users["sup_imigrasi"])
    assert err.value.status == 403
    c.refresh_from_db()
    assert c.status == ComplaintStatus.FORWARDED


def test_a_supervisor_cannot_verify_and_a_step_cannot_be_skipped(world):
    c = filed(world)
    with pytest.raises(Refused):
        complaints.verify(c, world.users["sup_dukcapil"])
    with pytest.raises(Refused) as err:
        complaints.close(c, world.users["manager"])
    assert err.value.code == "wrong_status"


def test_a_stale_copy_cannot_move_twice(world):
    c = filed(world)
    stale = Complaint.objects.get(pk=c.pk)
    complaints.verify(c, world.users["manager"])
    with pytest.raises(Refused) as err:
        complaints.verify(stale, world.users["manager"])
    assert err.value.code == "conflict"


@pytest.mark.parametrize(
    ("subject", "body"),
    [
        ("", "isi"),
        ("perihal", "   "),
        ("x" * 201, "isi"),
        ("perihal", "x" * 5001),
        # Only zero-width and bidi-control characters: nothing a reader can see.
        ("\u200b\u200c\u200d\ufeff", "isi"),
        ("perihal", "\u202e\u2066\u2069\u200e \u00a0"),
    ],
)
def test_bad_input_is_refused_and_nothing_saved(world, subject, body):
    with pytest.raises(Refused) as err:
        complaints.file_complaint(world.mall, subject, body)
    assert err.value.message
    assert not Complaint.objects.exists()


def test_visible_text_among_invisible_characters_is_kept_as_typed(world):
    complaint = complaints.file_complaint(world.mall, "\u200bAntrean", "Isi \u2066pengaduan\u2069")
    assert (complaint.subject, complaint.body) == ("\u200bAntrean", "Isi \u2066pengaduan\u2069")


def test_reopen_is_refused_after_the_window(world, settings):
    c = filed(world)
    Complaint.objects.filter(pk=c.pk).update(
        status=ComplaintStatus.ANSWERED,
        answered_at=timezone.now() - dt.timedelta(days=settings.COMPLAINT_REOPEN_DAYS + 1),
    )
    c.refresh_from_db()
    with pytest.raises(Refused) as err:
        complaints.reopen(c, "Belum puas")
    assert err.value.code == "too_late"


def test_working_days_skip_the_weekend():
    world = make_world(always_open=False)
    friday = dt.date(2026, 11, 20)
    assert add_working_days(world.mall, friday, 3) == dt.date(2026, 11, 25)


def test_working_days_skip_independence_day():
    world = make_world(always_open=False)
    # Fri 14 Aug 2026; Mon 17 Aug is a national holiday.
    assert add_working_days(world.mall, dt.date(2026, 8, 14), 1) == dt.date(2026, 8, 18)


def test_working_days_skip_christmas_and_cuti_bersama():
    world = make_world(always_open=False)
    # Wed 23 Dec 2026; 24 Dec cuti bersama, 25 Dec Christmas, then the weekend.
    assert add_working_days(world.mall, dt.date(2026, 12, 23), 1) == dt.date(2026, 12, 28)


def test_deadlines_follow_the_configuration(world, settings):
    settings.COMPLAINT_VERIFY_WORKING_DAYS = 1
    c = filed(world)
    assert c.verify_due == add_working_days(world.mall, service_day(world.mall), 1)


def test_an_overdue_complaint_is_escalated_once(world):
    c = filed(world)
    later = timezone.now() + dt.timedelta(days=30)
    assert complaints.escalate_overdue(timezone.now()) == 0
    assert complaints.escalate_overdue(later) == 1
    assert complaints.escalate_overdue(later) == 0
    c.refresh_from_db()
    assert c.escalated_at == later


def test_the_worker_escalates_overdue_complaints(world):
    from django.core.management import call_command

    c = filed(world)
    Complaint.objects.filter(pk=c.pk).update(verify_due=dt.date(2026, 1, 2))
    call_command("worker", once=True, stdout=io.StringIO())
    c.refresh_from_db()
    assert c.escalated_at is not None
    assert c.events.last().note


def test_an_answered_or_closed_complaint_is_never_escalated(world):
    c = filed(world)
    Complaint.objects.filter(pk=c.pk).update(status=ComplaintStatus.ANSWERED, verify_due=dt.date(2026, 1, 2))
    assert complaints.escalate_overdue(timezone.now() + dt.timedelta(days=60)) == 0

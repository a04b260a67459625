"""book / cancel / reschedule / check_in / sweep / switch: the rules, each refusal and its message."""

import datetime as dt

import pytest

from satuatap import personal_data
from satuatap.audit.log import verify_chain
from satuatap.audit.models import AuditEntry
from satuatap.booking import bookings
from satuatap.booking.models import Booking, BookingStatus, NoShowSuspension, Ordering, SlotCapacity
from satuatap.booking.tests.conftest import NOW, WIB, book, make_nik, make_phone, slot_at, tomorrow_slot
from satuatap.queueing import tickets
from satuatap.queueing.models import Ticket, TicketSource
from satuatap.refusal import Refused

pytestmark = pytest.mark.django_db

TOMORROW = NOW.date() + dt.timedelta(days=1)


def at(day, hour, minute=0):
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=WIB)


def refused(code, fn, *args, **kwargs) -> Refused:
    with pytest.raises(Refused) as err:
        fn(*args, **kwargs)
    assert err.value.code == code, (err.value.code, err.value.message)
    assert err.value.message
    return err.value


# ---------------------------------------------------------------- book


def test_book_stores_only_hashes_encrypted_values_and_masks(bworld, django_capture_on_commit_callbacks, outbox_calls):
    ktp = bworld.services["DUKCAPIL-KTP"]
    nik, phone, name = "1471011203900001", "081234567890", "Siti Rahmawati"
    with django_capture_on_commit_callbacks(execute=True):
        booking = bookings.book(ktp, tomorrow_slot(ktp).start, nik=nik, name=name, phone="+62 812-3456-7890", now=NOW)
    assert len(booking.code) == 8 and set(booking.code) <= set(bookings.CODE_ALPHABET)
    assert (booking.status, booking.day, booking.start, booking.end) == (
        BookingStatus.ACTIVE,
        TOMORROW,
        at(TOMORROW, 10),
        at(TOMORROW, 10, 30),
    )
    assert booking.nik_masked == "1471**********01" and booking.phone_masked == "0812******90"
    assert booking.nik_hash == personal_data.hash_value("nik", nik)
    assert booking.phone_hash == personal_data.hash_value("phone", phone)
    assert personal_data.decrypt(booking.nik_encrypted) == nik
    assert personal_data.decrypt(booking.name_encrypted) == name
    assert personal_data.decrypt(booking.phone_encrypted) == phone
    # The raw values appear in no column of the stored row.
    row = Booking.objects.filter(pk=booking.pk).values().get()
    for value in row.values():
        text = str(value)
        assert nik not in text and phone not in text and "81234567890" not in text and name not in text
    entry = AuditEntry.objects.get(action="booking.created")
    assert nik not in str(entry.data) and phone not in str(entry.data)
    assert entry.data["nik"] == "1471**********01" and entry.subject == f"booking:{booking.code}"
    assert outbox_calls == [(booking.code, "booking_confirmed")]
    assert SlotCapacity.objects.get(service=ktp, start=booking.start).booked == 1


def test_repeated_submit_is_idempotent(bworld):
    ktp = bworld.services["DUKCAPIL-KTP"]
    slot = tomorrow_slot(ktp)
    nik, phone = make_nik(), make_phone()
    first = book(ktp, slot, nik=nik, phone=phone, idempotency_key="form-1")
    assert book(ktp, slot, nik=nik, phone=phone, idempotency_key="form-1") == first
    # The same person, service and slot without a key (e.g. a double tap on another form): the same booking.
    assert book(ktp, slot, nik=nik, phone=phone) == first
    assert Booking.objects.count() == 1
    assert SlotCapacity.objects.get(service=ktp, start=slot.start).booked == 1
    assert AuditEntry.objects.filter(action="booking.created").count() == 1
    # The key of another person's form is not a way to read their booking.
    refused("idempotency_conflict", book, ktp, slot, nik=make_nik(), idempotency_key="form-1")


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("nik", "1471013203900001", "invalid_nik"),
        ("nik", "12345", "invalid_nik"),
        ("phone", "021-7654321", "invalid_phone"),
        ("phone", "08abc", "invalid_phone"),
        ("name", "   ", "invalid_name"),
        ("name", "x" * 101, "invalid_name"),
    ],
)
def test_bad_personal_data_is_refused_and_nothing_changes(bworld, field, value, code):
    ktp = bworld.services["DUKCAPIL-KTP"]
    data = {"nik": make_nik(), "phone": make_phone(), "name": "Budi", field: value}
    err = refused(code, bookings.book, ktp, tomorrow_slot(ktp).start, now=NOW, **data)
    assert err.status == 422
    assert not Booking.objects.exists() and not SlotCapacity.objects.exists()


# ---------------------------------------------------------------- anti-hoarding


def test_one_active_booking_per_nik_per_service_per_day(bworld):
    ktp, kk = bworld.services["DUKCAPIL-KTP"], bworld.services["DUKCAPIL-KK"]
    nik = make_nik()
    book(ktp, tomorrow_slot(ktp, 10), nik=nik)
    err = refused("duplicate_day", book, ktp, tomorrow_slot(ktp, 11), nik=nik)
    assert "Satu NIK satu pesanan per hari" in err.message
    book(kk, tomorrow_slot(kk, 11), nik=nik)  # another service the same day is fine
    book(ktp, slot_at(ktp, TOMORROW + dt.timedelta(days=1), 10), nik=nik)  # the same service another day too
    assert not SlotCapacity.objects.filter(service=ktp, start=at(TOMORROW, 11), booked__gt=0).exists()


def test_one_booking_again_after_cancelling(bworld):
    ktp = bworld.services["DUKCAPIL-KTP"]
    nik = make_nik()
    first = book(ktp, tomorrow_slot(ktp, 10), nik=nik)
    bookings.cancel(first, nik=nik, now=NOW)
    assert book(ktp, tomorrow_slot(ktp, 11), nik=nik).status == BookingStatus.ACTIVE


def test_weekly_limit_per_nik(bworld):
    policy = bworld.mall.booking_policy
    policy.max_per_nik_per_week = 2
    policy.save()
    services = [bworld.services[c] for c in ("DUKCAPIL-KTP", "DUKCAPIL-KK", "IMIGRASI-PASPOR")]
    nik = make_nik()
    # NOW is a Monday: Tuesday and Wednesday are the same week, next Monday is the next.
    book(services[0], tomorrow_slot(services[0]), nik=nik)
    book(services[1], slot_at(services[1], NOW.date() + dt.timedelta(days=2)), nik=nik)
    err = refused("weekly_limit", book, services[2], slot_at(services[2], NOW.date() + dt.timedelta(days=6)), nik=nik)
    assert "2 pesanan dalam satu minggu" in err.message
    book(services[2], slot_at(services[2], NOW.date() + dt.timedelta(days=7)), nik=nik)


def test_limit_per_phone(bworld):
    policy = bworld.mall.booking_policy
    policy.max_per_phone_per_week = 2
    policy.save()
    ktp = bworld.services["DUKCAPIL-KTP"]
    phone = "081299990000"
    book(ktp, tomorrow_slot(ktp, 10), phone=phone)
    book(ktp, tomorrow_slot(ktp, 10), phone="+62 812-9999-0000")
    err = refused("phone_limit", book, ktp, tomorrow_slot(ktp, 11), phone="6281299990000")
    assert "nomor HP paling banyak dipakai untuk 2 pesanan" in err.message
    book(ktp, tomorrow_slot(ktp, 11), phone=make_phone())


def test_suspended_nik_is_refused_until_the_suspension_ends(bworld):
    ktp = bworld.services["DUKCAPIL-KTP"]
    nik = make_nik()
    NoShowSuspension.objects.create(
        mall=bworld.mall,
        nik_hash=personal_data.hash_value("nik", nik),
        created_at=NOW - dt.timedelta(days=1),
        until=NOW + dt.timedelta(days=3),
        no_shows=3,
    )
    err = refused("suspended", book, ktp, tomorrow_slot(ktp), nik=nik)
    assert err.status == 403 and "26 November 2026" in err.message and "3 kali tidak hadir" in err.message
    later = NOW + dt.timedelta(days=3, minutes=1)
    slot = slot_at(ktp, later.date() + dt.timedelta(days=1), now=later)
    assert book(ktp, slot, nik=nik, now=later).status == BookingStatus.ACTIVE


# ---------------------------------------------------------------- cancel and reschedule


def test_cancel_needs_the_nik_frees_the_place_and_notifies(bworld, django_capture_on_commit_callbacks, outbox_calls):
    paspor = bworld.services["IMIGRASI-PASPOR"]  # one place per slot
    slot = tomorrow_slot(paspor)
    nik = make_nik()
    booking = book(paspor, slot, nik=nik)
    refused("slot_full", book, paspor, slot)
    err = refused("wrong_nik", bookings.cancel, booking, nik=make_nik(), now=NOW)
    assert err.status == 403
    refused("wrong_nik", bookings.cancel, booking, nik=None, now=NOW)
    with django_capture_on_commit_callbacks(execute=True):
        bookings.cancel(booking, nik=nik, now=NOW)
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED and booking.cancelled_at == NOW
    assert outbox_calls == [(booking.code, "booking_cancelled")]
    refused("already_cancelled", bookings.cancel, booking, nik=nik, now=NOW)
    assert book(paspor, slot).status == BookingStatus.ACTIVE  # the freed place is bookable again
    assert AuditEntry.objects.filter(action="booking.cancelled", subject=f"booking:{booking.code}").exists()


def test_staff_cancel_without_nik_and_citizen_cannot_cancel_a_started_slot(bworld):
    ktp = bworld.services["DUKCAPIL-KTP"]
    nik = make_nik()
    booking = book(ktp, tomorrow_slot(ktp), nik=nik)
    started = booking.start + dt.timedelta(minutes=1)
    refused("too_late", bookings.cancel, booking, nik=nik, now=started)
    bookings.cancel(booking, nik=None, actor=bworld.users["manager"], reason="Permintaan pemohon", now=started)
    entry = AuditEntry.objects.get(action="booking.cancelled")
    assert entry.actor == "manager" and entry.data["reason"] == "Permintaan pemohon"


def test_reschedule_moves_the_place_and_keeps_the_code(bworld):
    paspor = bworld.services["IMIGRASI-PASPOR"]
    nik = make_nik()
    booking = book(paspor, tomorrow_slot(paspor, 10), nik=nik)
    taken = book(paspor, tomorrow_slot(paspor, 12))
    refused("wrong_nik", bookings.reschedule, booking, at(TOMORROW, 11), nik=make_nik(), now=NOW)
    refused("slot_full", bookings.reschedule, booking, taken.start, nik=nik, now=NOW)
    moved = bookings.reschedule(booking, at(TOMORROW, 11), nik=nik, now=NOW)
    assert moved.pk == booking.pk and moved.code == booking.code and moved.start == at(TOMORROW, 11)
    places = dict(SlotCapacity.objects.filter(service=paspor).values_list("start", "booked"))
    assert places == {at(TOMORROW, 10): 0, at(TOMORROW, 11): 1, at(TOMORROW, 12): 1}
    # To another day, past the rules (the moving booking does not count against itself).
    moved = bookings.reschedule(moved, slot_at(paspor, TOMORROW + dt.timedelta(days=1), 9).start, nik=nik, now=NOW)
    assert moved.day == TOMORROW + dt.timedelta(days=1)
    assert AuditEntry.objects.filter(action="booking.rescheduled").count() == 2


# ---------------------------------------------------------------- check-in


def test_check_in_window_edges_and_messages(bworld):
    ktp = bworld.services["DUKCAPIL-KTP"]
    booking = book(ktp, tomorrow_slot(ktp, 10))  # 10:00-10:30; window 09:30-10:45 by default
    opens, closes = bookings.check_in_window(booking)
    assert (opens, closes) == (at(TOMORROW, 9, 30), at(TOMORROW, 10, 45))
    err = refused("too_early", bookings.check_in, booking, now=opens - dt.timedelta(seconds=1))
    assert "09:30" in err.message and "10:45" in err.message
    err = refused("too_late", bookings.check_in, booking, now=closes + dt.timedelta(seconds=1))
    assert "09:30–10:45" in err.message
    ticket = bookings.check_in(booking, now=opens)
    assert ticket.source == TicketSource.BOOKING and ticket.service == ktp
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CHECKED_IN and booking.ticket == ticket and booking.checked_in_at == opens
    late = book(ktp, tomorrow_slot(ktp, 11))
    assert bookings.check_in(late, now=at(TOMORROW, 11, 45)).source == TicketSource.BOOKING  # the closing edge


def test_check_in_twice_gives_the_same_ticket(bworld):
    ktp = bworld.services["DUKCAPIL-KTP"]
    booking = book(ktp, tomorrow_slot(ktp, 10))
    first = bookings.check_in(booking, now=at(TOMORROW, 9, 50), actor=bworld.users["kiosk"])
    stale = Booking.objects.get(pk=booking.pk)
    assert bookings.check_in(booking, now=at(TOMORROW, 9, 55)) == first  # the same (stale) object again
    assert bookings.check_in(stale, now=at(TOMORROW, 10, 44)) == first
    assert Ticket.objects.count() == 1
    assert AuditEntry.objects.filter(action="booking.checked_in").count() == 1
    refused("checked_in", bookings.cancel, booking, nik=None, actor=bworld.users["manager"])


def test_cancelled_booking_cannot_check_in(bworld):
    ktp = bworld.services["DUKCAPIL-KTP"]
    nik = make_nik()
    booking = book(ktp, tomorrow_slot(ktp, 10), nik=nik)
    bookings.cancel(booking, nik=nik, now=NOW)
    refused("already_cancelled", bookings.check_in, booking, now=at(TOMORROW, 10))
    assert not Ticket.objects.exists()


def _walk_in_then_check_in(bworld, ordering):
    policy = bworld.mall.booking_policy
    policy.ordering = ordering
    policy.save()
    ktp = bworld.services["DUKCAPIL-KTP"]
    booking = book(ktp, tomorrow_slot(ktp, 10))
    early_walk_in = tickets.issue_ticket(ktp, now=at(TOMORROW, 9, 55))
    later_walk_in = tickets.issue_ticket(ktp, now=at(TOMORROW, 10, 5))
    booked = bookings.check_in(booking, now=at(TOMORROW, 10, 10))
    order = list(Ticket.objects.filter(service=ktp).order_by("queued_at", "id"))
    return booked, early_walk_in, later_walk_in, order


def test_slot_priority_puts_a_booked_check_in_at_its_slot_start(bworld):
    booked, early, later, order = _walk_in_then_check_in(bworld, Ordering.SLOT_PRIORITY)
    assert booked.queued_at == at(TOMORROW, 10) and booked.issued_at == at(TOMORROW, 10, 10)
    assert order == [early, booked, later]


def test_join_at_check_in_queues_a_booking_like_a_walk_in(bworld):
    booked, early, later, order = _walk_in_then_check_in(bworld, Ordering.JOIN_AT_CHECK_IN)
    assert booked.queued_at == at(TOMORROW, 10, 10)
    assert order == [early, later, booked]


def test_check_in_when_the_mall_is_closed_says_so(db):
    from satuatap.booking.tests.conftest import make_bookable
    from satuatap.testing import make_world

    world = make_world(slug="jam", always_open=False)
    make_bookable(world)
    ktp = world.services["DUKCAPIL-KTP"]
    booking = book(ktp, slot_at(ktp, TOMORROW, 8))  # Tuesday 08:00; check-in opens 07:30, before the mall does
    err = refused("closed", bookings.check_in, booking, now=at(TOMORROW, 7, 45))
    assert "08:00" in err.message
    assert bookings.check_in(booking, now=at(TOMORROW, 8)).source == TicketSource.BOOKING


# ---------------------------------------------------------------- no-shows


def test_sweep_marks_no_shows_after_the_late_margin_and_suspends_at_the_threshold(
    bworld, django_capture_on_commit_callbacks, outbox_calls
):
    policy = bworld.mall.booking_policy
    policy.no_show_threshold = 2
    policy.suspension_days = 30
    policy.save()
    services = [bworld.services[c] for c in ("DUKCAPIL-KTP", "DUKCAPIL-KK", "IMIGRASI-PASPOR")]
    nik = make_nik()
    first = book(services[0], tomorrow_slot(services[0], 10), nik=nik)  # ends 10:30, no-show after 10:45
    second = book(services[1], tomorrow_slot(services[1], 11), nik=nik)
    kept = book(services[2], tomorrow_slot(services[2], 10), nik=nik)
    bookings.check_in(kept, now=at(TOMORROW, 10))
    assert bookings.sweep_no_shows(now=at(TOMORROW, 10, 45)) == 0  # the last minute of the check-in window
    with django_capture_on_commit_callbacks(execute=True):
        assert bookings.sweep_no_shows(now=at(TOMORROW, 10, 46)) == 1
    first.refresh_from_db()
    assert first.status == BookingStatus.NO_SHOW and first.no_show_at == at(TOMORROW, 10, 46)
    assert outbox_calls == [(first.code, "booking_no_show")]
    assert not NoShowSuspension.objects.exists()  # one strike, threshold two
    assert bookings.sweep_no_shows(now=at(TOMORROW, 10, 50)) == 0  # idempotent
    refused("too_late", bookings.check_in, first, now=at(TOMORROW, 10, 40))  # a no-show stays one
    assert bookings.sweep_no_shows(now=at(TOMORROW, 12)) == 1
    suspension = NoShowSuspension.objects.get()
    assert suspension.no_shows == 2 and suspension.until == at(TOMORROW, 12) + dt.timedelta(days=30)
    assert suspension.nik_masked == first.nik_masked
    kept.refresh_from_db()
    assert kept.status == BookingStatus.CHECKED_IN
    assert second.code in {e.subject.split(":")[1] for e in AuditEntry.objects.filter(action="booking.no_show")}
    assert AuditEntry.objects.filter(action="booking.suspended").count() == 1
    # Booking is refused while suspended, with the reason.
    later = at(TOMORROW, 13)
    refused(
        "suspended",
        book,
        services[0],
        slot_at(services[0], TOMORROW + dt.timedelta(days=2), now=later),
        nik=nik,
        now=later,
    )
    # After the suspension the slate is clean: a new no-show does not suspend again at once.
    after = suspension.until + dt.timedelta(hours=1)
    third = book(services[0], slot_at(services[0], after.date() + dt.timedelta(days=1), now=after), nik=nik, now=after)
    assert bookings.sweep_no_shows(now=third.end + dt.timedelta(minutes=16)) == 1
    assert NoShowSuspension.objects.count() == 1
    assert verify_chain()


def test_lifting_a_suspension_lets_the_nik_book_again(bworld):
    ktp = bworld.services["DUKCAPIL-KTP"]
    nik = make_nik()
    suspension = NoShowSuspension.objects.create(
        mall=bworld.mall,
        nik_hash=personal_data.hash_value("nik", nik),
        created_at=NOW,
        until=NOW + dt.timedelta(days=30),
        no_shows=3,
    )
    refused("suspended", book, ktp, tomorrow_slot(ktp), nik=nik)
    assert bookings.lift_suspension(suspension, actor=bworld.users["manager"]) is True
    assert bookings.lift_suspension(suspension, actor=bworld.users["manager"]) is False
    assert book(ktp, tomorrow_slot(ktp), nik=nik).status == BookingStatus.ACTIVE


# ---------------------------------------------------------------- switching booking off


def test_switch_off_honouring_existing_bookings(bworld):
    ktp = bworld.services["DUKCAPIL-KTP"]
    booking = book(ktp, tomorrow_slot(ktp))
    assert bookings.set_booking_enabled(bworld.mall, False, existing="honour", actor=bworld.users["manager"]) == 0
    booking.refresh_from_db()
    assert booking.status == BookingStatus.ACTIVE
    refused("booking_closed", book, ktp, at(TOMORROW, 11))
    assert bookings.check_in(booking, now=at(TOMORROW, 10)).source == TicketSource.BOOKING  # honoured
    assert tickets.issue_ticket(ktp, now=at(TOMORROW, 10, 1)).source == TicketSource.KIOSK  # walk-ins untouched
    entry = AuditEntry.objects.get(action="booking.disabled")
    assert entry.actor == "manager" and entry.data == {"existing": "honour"}
    assert bookings.set_booking_enabled(bworld.mall, True, actor=bworld.users["manager"]) == 0
    assert book(ktp, at(TOMORROW, 11)).status == BookingStatus.ACTIVE


def test_switch_off_cancelling_existing_bookings_with_notice(bworld, django_capture_on_commit_callbacks, outbox_calls):
    ktp, paspor = bworld.services["DUKCAPIL-KTP"], bworld.services["IMIGRASI-PASPOR"]
    ktp_bookings = [book(ktp, tomorrow_slot(ktp, h)) for h in (10, 11)]
    other = book(paspor, tomorrow_slot(paspor, 10))
    with django_capture_on_commit_callbacks(execute=True):
        cancelled = bookings.set_booking_enabled(
            bworld.mall, False, service=ktp, existing="cancel", actor=bworld.users["manager"], now=NOW
        )
    assert cancelled == 2
    for booking in ktp_bookings:
        booking.refresh_from_db()
        assert booking.status == BookingStatus.CANCELLED and "dinonaktifkan" in booking.cancel_reason
    other.refresh_from_db()
    assert other.status == BookingStatus.ACTIVE
    assert sorted(outbox_calls) == sorted((b.code, "booking_cancelled") for b in ktp_bookings)
    assert set(SlotCapacity.objects.filter(service=ktp).values_list("booked", flat=True)) == {0}
    refused("booking_closed", book, ktp, at(TOMORROW, 12))
    assert book(paspor, tomorrow_slot(paspor, 11)).status == BookingStatus.ACTIVE
    # The whole mall, cancelling: the passport booking goes too.
    assert (
        bookings.set_booking_enabled(bworld.mall, False, existing="cancel", actor=bworld.users["manager"], now=NOW) == 2
    )
    refused("invalid", bookings.set_booking_enabled, bworld.mall, False, existing="maybe", actor=None)


def test_find_by_code(bworld, world):
    ktp = bworld.services["DUKCAPIL-KTP"]
    booking = book(ktp, tomorrow_slot(ktp))
    code = booking.code
    assert bookings.find(bworld.mall, code) == booking
    assert bookings.find(bworld.mall, f" {code[:4].lower()}-{code[4:]} ") == booking
    err = refused("not_found", bookings.find, bworld.mall, "ZZZZ2222")
    assert err.status == 404
    refused("not_found", bookings.find, bworld.mall, "")


def test_the_worker_sweeps_no_shows_each_tick(bworld):
    from django.core.management import call_command
    from django.utils import timezone

    ktp = bworld.services["DUKCAPIL-KTP"]
    then = timezone.now() - dt.timedelta(days=3)
    slot = slot_at(ktp, (then + dt.timedelta(days=1)).astimezone(WIB).date(), 10, now=then)
    booking = book(ktp, slot, now=then)
    call_command("worker", "--once")
    booking.refresh_from_db()
    assert booking.status == BookingStatus.NO_SHOW


def test_a_slot_that_began_or_does_not_exist_is_refused(bworld):
    ktp = bworld.services["DUKCAPIL-KTP"]
    err = refused("outside_window", book, ktp, at(NOW.date(), 8, 30))
    assert "sudah dimulai" in err.message and err.status == 422
    err = refused("no_slot", book, ktp, at(NOW.date(), 12, 10))
    assert err.status == 422
    assert not Booking.objects.exists()

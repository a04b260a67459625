import datetime as dt

import pytest
from django.utils import timezone

from satuatap import jobs, personal_data
from satuatap.booking import reminders as booking_reminders
from satuatap.booking.models import Booking, BookingPolicy
from satuatap.feedback import survey_links
from satuatap.notify.models import Message
from satuatap.notify.tests.conftest import PHONE, make_booking
from satuatap.queueing import tickets
from satuatap.testing import seat

# Tickets issued and shown or called through code that reads the clock: it starts at MONDAY_MORNING,
# so no local midnight passes during a test (see "Time in tests" in docs/architecture.md).
pytestmark = pytest.mark.usefixtures("monday_morning")

UTC = dt.UTC
MONDAY_17_WIB = dt.datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
TUESDAY_10_WIB = dt.datetime(2026, 11, 24, 3, 0, tzinfo=UTC)


def kinds():
    return sorted(Message.objects.values_list("kind", flat=True))


# ------------------------------------------------------------------ the day before


def test_the_day_before_reminder_goes_once_after_16_local(world):
    booking = make_booking(world, TUESDAY_10_WIB, created_at=MONDAY_17_WIB - dt.timedelta(days=3))
    before_16 = MONDAY_17_WIB - dt.timedelta(hours=2)  # 15:00 WIB
    assert booking_reminders.remind_day_before(before_16) == 0
    assert booking_reminders.remind_day_before(MONDAY_17_WIB) == 1
    assert booking_reminders.remind_day_before(MONDAY_17_WIB + dt.timedelta(hours=1)) == 0
    [message] = Message.objects.all()
    assert message.kind == "booking_reminder_day"
    assert "besok, Selasa, 24 November 2026" in message.body and "10.00 WIB" in message.body
    booking.refresh_from_db()
    assert booking.reminded_day_before_at == MONDAY_17_WIB


def test_no_day_before_reminder_for_a_booking_made_late_or_not_tomorrow(world):
    make_booking(world, TUESDAY_10_WIB, created_at=MONDAY_17_WIB - dt.timedelta(hours=2))  # booked at 15:00 WIB
    make_booking(world, TUESDAY_10_WIB + dt.timedelta(days=1), created_at=MONDAY_17_WIB - dt.timedelta(days=3))
    make_booking(
        world, TUESDAY_10_WIB, created_at=MONDAY_17_WIB - dt.timedelta(days=3), status="cancelled"
    )  # cancelled: nothing
    assert booking_reminders.remind_day_before(MONDAY_17_WIB) == 0
    assert Message.objects.count() == 0


def test_the_day_before_follows_the_mall_time_zone(world):
    world.mall.timezone = "Asia/Jayapura"  # WIT, UTC+9: 17:00 UTC is 02:00 the next day there
    world.mall.save()
    start = dt.datetime(2026, 11, 24, 1, 0, tzinfo=UTC)  # Tuesday 10:00 WIT
    make_booking(world, start, created_at=start - dt.timedelta(days=5))
    assert booking_reminders.remind_day_before(dt.datetime(2026, 11, 23, 6, 0, tzinfo=UTC)) == 0  # Monday 15:00 WIT
    assert booking_reminders.remind_day_before(dt.datetime(2026, 11, 23, 7, 0, tzinfo=UTC)) == 1  # Monday 16:00 WIT
    assert "10.00 WIT" in Message.objects.get().body


# ------------------------------------------------------------------ an hour before


def test_the_hour_before_reminder_goes_once(world):
    now = MONDAY_17_WIB
    booking = make_booking(world, now + dt.timedelta(minutes=55), created_at=now - dt.timedelta(days=1))
    make_booking(world, now + dt.timedelta(minutes=90), created_at=now - dt.timedelta(days=1))  # not yet
    make_booking(world, now + dt.timedelta(minutes=50), created_at=now - dt.timedelta(minutes=30))  # just booked
    make_booking(world, now + dt.timedelta(minutes=10), created_at=now - dt.timedelta(days=1))  # worker was down
    assert booking_reminders.remind_hour_before(now) == 1
    assert booking_reminders.remind_hour_before(now + dt.timedelta(minutes=1)) == 0
    message = Message.objects.get()
    assert message.kind == "booking_reminder_hour" and message.subject_ref == f"booking:{booking.code}"
    assert "17.55 WIB" in message.body
    booking.refresh_from_db()
    assert booking.reminded_hour_before_at == now


def test_reminders_in_one_worker_tick_each_once(world):
    now = MONDAY_17_WIB
    make_booking(world, TUESDAY_10_WIB, created_at=now - dt.timedelta(days=3))
    make_booking(world, now + dt.timedelta(minutes=45), created_at=now - dt.timedelta(days=3))
    first = jobs.run_stage(jobs.NOTICES, now)
    second = jobs.run_stage(jobs.NOTICES, now + dt.timedelta(minutes=5))
    assert first["remind_day_before"] == 1 and first["remind_hour_before"] == 1
    assert second["remind_day_before"] == 0 and second["remind_hour_before"] == 0
    assert kinds() == ["booking_reminder_day", "booking_reminder_hour"]


# ------------------------------------------------------------------ turn near


def _checked_in(world, booking, service="DUKCAPIL-KTP"):
    from satuatap.queueing.models import TicketSource

    ticket = tickets.issue_ticket(world.services[service], source=TicketSource.BOOKING)
    Booking.objects.filter(pk=booking.pk).update(ticket=ticket, status="checked_in", checked_in_at=timezone.now())
    booking.refresh_from_db()
    return ticket


def test_turn_near_when_the_booked_ticket_is_n_places_from_the_front(world):
    officer = seat(world, 1)
    for _ in range(5):
        tickets.issue_ticket(world.services["DUKCAPIL-KTP"])
    booking = make_booking(
        world, timezone.now() - dt.timedelta(minutes=5), created_at=timezone.now() - dt.timedelta(days=2)
    )
    ticket = _checked_in(world, booking)
    assert booking_reminders.notify_turn_near() == 0  # five ahead, policy default 3
    for _ in range(2):
        tickets.finish(tickets.call_next(world.counters[1], officer), officer)
    assert booking_reminders.notify_turn_near() == 1  # three ahead
    assert booking_reminders.notify_turn_near() == 0
    message = Message.objects.get()
    assert message.kind == "turn_near"
    assert f"Nomor antrean {ticket.number}" in message.body and "tinggal 3 orang" in message.body
    assert f"https://mpp.example.go.id/t/{ticket.public_code}/" in message.body
    booking.refresh_from_db()
    assert booking.turn_near_notified_at is not None


def test_turn_near_follows_the_mall_policy(world):
    BookingPolicy.objects.create(mall=world.mall, reminder_turn_near_places=1)
    for _ in range(2):
        tickets.issue_ticket(world.services["DUKCAPIL-KTP"])
    booking = make_booking(world, timezone.now(), created_at=timezone.now() - dt.timedelta(days=2))
    _checked_in(world, booking)
    assert booking_reminders.notify_turn_near() == 0
    officer = seat(world, 1)
    tickets.finish(tickets.call_next(world.counters[1], officer), officer)
    assert booking_reminders.notify_turn_near() == 1
    assert "tinggal 1 orang" in Message.objects.get().body


def test_walk_in_tickets_get_nothing(world):
    tickets.issue_ticket(world.services["DUKCAPIL-KTP"])
    assert booking_reminders.notify_turn_near() == 0
    assert Message.objects.count() == 0


# ------------------------------------------------------------------ survey link


def test_the_survey_link_goes_once_when_the_booked_ticket_is_finished(world, settings):
    settings.SKM_LINK_HOURS = 72
    officer = seat(world, 1)
    booking = make_booking(world, timezone.now(), created_at=timezone.now() - dt.timedelta(days=2))
    ticket = _checked_in(world, booking)
    assert survey_links.send_survey_links() == 0  # still waiting
    ticket = tickets.finish(tickets.call_next(world.counters[1], officer), officer)
    assert survey_links.send_survey_links() == 1
    assert survey_links.send_survey_links() == 0
    message = Message.objects.get()
    assert message.kind == "survey_link"
    assert f"https://mpp.example.go.id/t/{ticket.public_code}/survei/" in message.body
    assert "Survei Kepuasan Masyarakat" in message.body and "berlaku sampai" in message.body
    from satuatap.feedback import skm
    from satuatap.notify.outbox import local_text

    expiry = local_text(world.mall, skm.expires_at(ticket))
    assert expiry["date"] in message.body and expiry["time"] in message.body


def test_no_survey_link_when_already_answered_or_expired(world, settings):
    from satuatap.feedback import skm

    settings.SKM_LINK_HOURS = 72
    officer = seat(world, 1)
    booking = make_booking(world, timezone.now(), created_at=timezone.now() - dt.timedelta(days=2))
    _checked_in(world, booking)
    ticket = tickets.finish(tickets.call_next(world.counters[1], officer), officer)
    skm.submit(ticket, [4] * 9)  # answered on the counter's tablet
    assert survey_links.send_survey_links() == 0
    assert survey_links.send_survey_links(timezone.now() + dt.timedelta(days=4)) == 0  # long past
    assert Message.objects.count() == 0


@pytest.mark.parametrize("kind", ["booking_cancelled", "booking_no_show", "booking_rescheduled"])
def test_booking_notices_render(world, kind):

    booking = make_booking(world, TUESDAY_10_WIB)
    message = booking_reminders.enqueue_for_booking(booking, kind, extra_context={"reason": "Loket ditutup"})
    assert booking.code in message.body
    assert "Selasa, 24 November 2026" in message.body and "10.00 WIB" in message.body
    assert ("Alasan: Loket ditutup" in message.body) == (kind == "booking_cancelled")
    assert personal_data.decrypt(message.address_encrypted) == PHONE


def test_the_no_show_notice_marks_the_booking(world):

    booking = make_booking(world, TUESDAY_10_WIB, status="no_show")
    message = booking_reminders.enqueue_for_booking(booking, "booking_no_show")
    assert booking_reminders.enqueue_for_booking(booking, "booking_no_show").pk == message.pk
    booking.refresh_from_db()
    assert booking.no_show_notified_at == message.created_at
    assert "tercatat tidak hadir" in message.body


def test_the_booking_flow_hands_its_notices_to_the_outbox(world, django_capture_on_commit_callbacks):
    """booking.bookings enqueues on commit (H1's side of the interface): book, reschedule, cancel."""
    from satuatap.booking import bookings
    from satuatap.booking.tests.conftest import NOW, book, make_bookable, make_nik, slot_at, tomorrow_slot

    make_bookable(world, "DUKCAPIL-KTP")
    service = world.services["DUKCAPIL-KTP"]
    nik = make_nik()
    with django_capture_on_commit_callbacks(execute=True):
        booking = book(service, tomorrow_slot(service), nik=nik, phone="0813 1111 2222")
    with django_capture_on_commit_callbacks(execute=True):
        bookings.reschedule(booking, slot_at(service, NOW.date() + dt.timedelta(days=1), 11).start, nik=nik, now=NOW)
    with django_capture_on_commit_callbacks(execute=True):
        bookings.cancel(booking, nik=nik, now=NOW)
    messages = list(Message.objects.order_by("pk"))
    assert [m.kind for m in messages] == ["booking_confirmed", "booking_confirmed", "booking_cancelled"]
    assert "10.00 WIB" in messages[0].body and "11.00 WIB" in messages[1].body
    assert {m.address_masked for m in messages} == {"0813******22"}
    assert all(booking.code in m.body for m in messages)

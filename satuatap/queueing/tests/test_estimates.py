"""Wait estimates: the formula of ``queueing.estimates`` on hand-computed cases, and where it shows."""

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from satuatap.accounts.models import Role, User
from satuatap.directory.models import Closure, Counter, Mall
from satuatap.queueing import estimates, snapshots, tickets
from satuatap.queueing.models import Ticket
from satuatap.testing import make_world, seat

WIB = ZoneInfo("Asia/Jakarta")
T0 = dt.datetime(2026, 11, 24, 9, 0, tzinfo=WIB)  # a Tuesday


def at(minutes: float) -> dt.datetime:
    return T0 + dt.timedelta(minutes=minutes)


def serve(service, counter, officer, start: float, minutes: float, priority_group: str = ""):
    """Issue a ticket at ``start``, call it right away, finish it ``minutes`` later (minutes after T0)."""
    ticket = tickets.issue_ticket(service, priority_group=priority_group, now=at(start))
    called = tickets.call_next(counter, officer, now=at(start))
    assert called.pk == ticket.pk
    return tickets.finish(called, officer, now=at(start + minutes))


def test_without_history_or_staff_the_fallback_and_all_counters_are_used(world):
    paspor = world.services["IMIGRASI-PASPOR"]
    # Nobody waits, nobody signed in: staffed = all its counters (1), free = 0, s = 6 (default).
    est = estimates.estimate_new(paspor, now=T0)
    assert (est.ahead, est.staffed, est.free, est.service_minutes, est.from_history) == (0, 1, 0, 6.0, False)
    assert est.minutes == 3  # (0 - 0 + 0.5) x 6 / 1
    # A published duration in minutes is the fallback instead.
    paspor.duration = "15 menit"
    paspor.save()
    assert estimates.estimate_new(paspor, now=T0).minutes == 8  # 0.5 x 15 = 7.5, half up
    paspor.duration = "1 hari kerja"  # not minutes: the default again
    assert estimates.fallback_minutes(paspor) == estimates.DEFAULT_SERVICE_MINUTES


def test_a_free_staffed_counter_means_no_wait(world):
    seat(world, 3)
    est = estimates.estimate_new(world.services["IMIGRASI-PASPOR"], now=T0)
    assert (est.staffed, est.free, est.minutes) == (1, 1, 0)


def test_position_mean_recent_service_time_and_busy_counter(world):
    paspor = world.services["IMIGRASI-PASPOR"]
    officer = seat(world, 3)
    counter = world.counters[3]
    for start, minutes in [(0, 4), (5, 6), (12, 11)]:
        serve(paspor, counter, officer, start, minutes)
    assert estimates.recent_service_minutes(paspor, now=at(30)) == pytest.approx(7.0)  # mean of 4, 6, 11
    tickets.issue_ticket(paspor, now=at(30))
    tickets.call_next(counter, officer, now=at(30))  # the counter is busy now
    tickets.issue_ticket(paspor, now=at(31))
    tickets.issue_ticket(paspor, now=at(32))
    est = estimates.estimate_new(paspor, now=at(33))
    assert (est.position, est.ahead, est.staffed, est.free, est.from_history) == (2, 2, 1, 0, True)
    assert est.minutes == 18  # (2 - 0 + 0.5) x 7 / 1 = 17.5, half up
    # A priority ticket goes before both regular ones.
    assert estimates.estimate_new(paspor, priority_group="lansia", now=at(33)).minutes == 4  # 0.5 x 7 = 3.5
    # The live estimate of the last waiting ticket: one ahead of it.
    last = Ticket.objects.filter(service=paspor, status="waiting").order_by("-queued_at").first()
    assert estimates.estimate_ticket(last, now=at(33)).minutes == 11  # 1.5 x 7 = 10.5
    assert snapshots.estimated_wait_minutes(last, now=at(33)) == 11


def test_recent_means_the_last_two_hours_when_they_hold_enough(world):
    skck = world.services["POLRESTA-SKCK"]
    officer = seat(world, 4)
    counter = world.counters[4]
    for i in range(4):  # long services early in the morning, finished by T0 - 165 min
        serve(skck, counter, officer, -260 + 25 * i, 20)
    for i in range(5):  # short ones in the last two hours
        serve(skck, counter, officer, -60 + 5 * i, 4)
    assert estimates.recent_service_minutes(skck, now=T0) == pytest.approx(4.0)
    # 41 minutes earlier only 4 short ones were finished: too few, so the last 20 of the day: (4 x 20 + 4 x 4) / 8.
    assert estimates.recent_service_minutes(skck, now=at(-41)) == pytest.approx(12.0)
    # Only tickets finished by ``now`` count: before any finished, the fallback.
    assert estimates.recent_service_minutes(skck, now=at(-250)) == estimates.DEFAULT_SERVICE_MINUTES


def test_other_services_of_shared_counters_count_by_the_share_they_take(world):
    ktp, kk = world.services["DUKCAPIL-KTP"], world.services["DUKCAPIL-KK"]
    # Counters 1 and 2 serve KTP and KK; counter 5 serves KTP only.
    extra = Counter.objects.create(
        mall=world.mall, building=world.counters[1].building, agency=world.agencies["DUKCAPIL"], number=5
    )
    extra.services.set([ktp])
    for minute in range(3):
        tickets.issue_ticket(ktp, now=at(minute))
    # A new KK ticket: 3 KTP tickets ahead, of which counters 1-2 take 2/3; nobody staffed: 2 counters.
    est = estimates.estimate_new(kk, now=at(5))
    assert est.position == 0 and est.ahead == pytest.approx(2.0) and est.staffed == 2
    assert est.minutes == 8  # (2 + 0.5) x 6 / 2 = 7.5, half up
    # A new KTP ticket: its own 3 ahead count fully, over its 3 counters.
    est = estimates.estimate_new(ktp, now=at(5))
    assert (est.position, est.ahead, est.staffed) == (3, 3, 3)
    assert est.minutes == 7  # 3.5 x 6 / 3


def test_only_open_staffed_counters_count(world):
    paspor = world.services["IMIGRASI-PASPOR"]
    officer = seat(world, 3)
    Closure.objects.create(mall=world.mall, counter=world.counters[3], starts_at=at(-10), reason="Printer rusak")
    est = estimates.estimate_new(paspor, now=T0)
    assert (est.staffed, est.free, est.minutes) == (1, 0, 3)  # none open: all counters, none free
    second = Counter.objects.create(
        mall=world.mall, building=world.counters[3].building, agency=world.agencies["IMIGRASI"], number=6
    )
    second.services.set([paspor])
    other = User.objects.create_user(username="officer6", role=Role.OFFICER, mall=world.mall, agency=officer.agency)
    tickets.sign_in(second, other)
    est = estimates.estimate_new(paspor, now=T0)
    assert (est.staffed, est.free, est.minutes) == (1, 1, 0)  # the open one is free


def test_priority_tickets_arriving_lately_lengthen_a_regular_wait(world):
    paspor = world.services["IMIGRASI-PASPOR"]
    tickets.issue_ticket(paspor, now=at(0))
    tickets.issue_ticket(paspor, now=at(1))
    early = tickets.issue_ticket(paspor, priority_group="lansia", now=at(-90))  # over an hour ago: no load
    tickets.cancel(early, now=at(-80))
    assert estimates.estimate_new(paspor, now=at(5)).minutes == 15  # 2.5 x 6 / 1
    lately = tickets.issue_ticket(paspor, priority_group="lansia", now=at(2))
    tickets.cancel(lately, now=at(3))
    # One priority ticket in the last hour: load = 1/60 x 6 / 1 = 0.1; 15 / 0.9 = 16.7.
    assert estimates.estimate_new(paspor, now=at(5)).minutes == 17
    # A priority ticket's own wait is not lengthened by other priority arrivals.
    assert estimates.estimate_new(paspor, priority_group="lansia", now=at(5)).minutes == 3


def test_a_break_inside_the_wait_and_the_time_before_opening_are_added(db):
    world = make_world(always_open=False)  # Mon-Thu 08:00-15:30, break 12:00-13:00
    paspor = world.services["IMIGRASI-PASPOR"]
    for minute in range(3):
        tickets.issue_ticket(paspor, now=dt.datetime(2026, 11, 24, 11, 20 + minute, tzinfo=WIB))
    # 3 ahead: 3.5 x 6 = 21 minutes from 11:50 passes 12:00: plus the hour's break.
    est = estimates.estimate_new(paspor, now=dt.datetime(2026, 11, 24, 11, 50, tzinfo=WIB))
    assert est.pause_minutes == 60 and est.minutes == 81
    # At 11:30 the 21 minutes end before the break.
    assert estimates.estimate_new(paspor, now=dt.datetime(2026, 11, 24, 11, 30, tzinfo=WIB)).minutes == 21
    # During the break: the rest of it first.
    assert estimates.estimate_new(paspor, now=dt.datetime(2026, 11, 24, 12, 45, tzinfo=WIB)).minutes == 15 + 21
    # Before opening (nobody waits on a new day): 30 minutes, plus half a service time.
    assert estimates.estimate_new(paspor, now=dt.datetime(2026, 11, 25, 7, 30, tzinfo=WIB)).minutes == 33


def test_the_prediction_is_stamped_at_issue_and_reused_for_that_ticket(world, django_assert_num_queries):
    paspor = world.services["IMIGRASI-PASPOR"]
    tickets.issue_ticket(paspor, now=at(0))
    expected = estimates.estimate_new(paspor, now=at(1))
    ticket = tickets.issue_ticket(paspor, now=at(1))
    assert ticket.predicted_wait_minutes == expected.minutes == 9  # 1.5 x 6
    ticket.refresh_from_db()
    assert ticket.predicted_wait_minutes == 9
    fresh = tickets.issue_ticket(paspor, now=at(2))
    with django_assert_num_queries(0):  # the instance carries what issue_ticket counted
        assert snapshots.estimated_wait_minutes(fresh) == fresh.predicted_wait_minutes == 15
        assert snapshots.position(fresh) == 2
    # Calling a ticket leaves its prediction as it was.
    officer = seat(world, 3)
    tickets.call_next(world.counters[3], officer, now=at(3))
    assert Ticket.objects.get(number="C001").predicted_wait_minutes == 3


def test_the_estimate_follows_the_given_now_not_the_wall_clock(world):
    paspor = world.services["IMIGRASI-PASPOR"]
    officer = seat(world, 3)
    serve(paspor, world.counters[3], officer, 0, 10)  # finished at T0 + 10 min
    # Before T0 + 10 the ticket was not finished: no history yet.
    assert not estimates.estimate_new(paspor, now=at(5)).from_history
    assert estimates.estimate_new(paspor, now=at(11)).service_minutes == 10


def test_the_kiosk_lists_each_services_wait_in_a_fixed_number_of_queries(client, world, django_assert_num_queries):
    ktp = world.services["DUKCAPIL-KTP"]
    for _ in range(4):
        tickets.issue_ticket(ktp)
    services = list(world.services.values())
    mall = Mall.objects.prefetch_related("hours").get(pk=world.mall.pk)  # as the kiosk view loads it
    with django_assert_num_queries(3):
        waits = estimates.estimate_services(mall, services)
    assert set(waits) == {s.pk for s in services}
    assert waits[ktp.pk].position == 4 and waits[ktp.pk].minutes == 14  # 4.5 x 6 / 2 = 13.5
    assert waits[world.services["DUKCAPIL-KK"].pk].ahead == 4  # counters 1-2 serve both
    client.force_login(world.users["kiosk"])
    html = client.get(reverse("kiosk_agency", args=[world.mall.slug, "DUKCAPIL"])).content.decode()
    line = re.search(r'data-wait="DUKCAPIL-KTP"[^>]*>([^<]*)<', html).group(1)
    assert "4 menunggu" in line and "± 14 menit" in line
    assert "antrean × lama layanan ÷ loket" in html


def test_ticket_page_and_printed_ticket_show_the_estimate_and_how_it_is_made(client, world):
    paspor = world.services["IMIGRASI-PASPOR"]
    tickets.issue_ticket(paspor)
    ticket = tickets.issue_ticket(paspor)
    html = client.get(reverse("ticket_status", args=[ticket.public_code])).content.decode()
    assert "± 9 menit" in html
    assert re.search(r'id="estimate-note"[^>]*>\s*Perkiraan dihitung dari', html)
    client.force_login(world.users["kiosk"])
    Ticket.objects.filter(pk=ticket.pk).update(predicted_wait_minutes=12)  # what was printed, whatever now
    html = client.get(reverse("kiosk_ticket", args=[world.mall.slug, ticket.public_code])).content.decode()
    assert re.search(r'id="estimated-wait">± 12 menit<', html)
    assert "Perkiraan dihitung dari" in html


def test_a_ticket_queued_earlier_counts_only_those_queued_before_it(world):
    paspor = world.services["IMIGRASI-PASPOR"]
    tickets.issue_ticket(paspor, now=at(0))
    tickets.issue_ticket(paspor, now=at(1))
    # A booked check-in joins at its slot start, before both walk-ins.
    booked = tickets.issue_ticket(paspor, queued_at=at(-5), now=at(2))
    assert booked.predicted_wait_minutes == 3  # nobody ahead: 0.5 x 6
    assert snapshots.position(booked) == 0

"""The admin's ticket list stays an index read at millions of tickets: exact search, day ranges, no full count."""

import datetime as dt

from django.urls import reverse

from satuatap.queueing import admin_paging, tickets
from satuatap.queueing.admin_paging import EstimatedCountPaginator
from satuatap.queueing.models import Ticket

LIST = reverse("admin:queueing_ticket_changelist")


def listed(page) -> list[str]:
    return [ticket.number for ticket in page.context["cl"].result_list]


def test_search_finds_a_number_in_any_case_or_a_public_code_exactly(admin_client, world):
    ktp = world.services["DUKCAPIL-KTP"]
    first, second = tickets.issue_ticket(ktp), tickets.issue_ticket(ktp)
    assert listed(admin_client.get(LIST, {"q": " a001 "})) == [first.number] == ["A001"]
    assert listed(admin_client.get(LIST, {"q": second.public_code})) == ["A002"]
    assert listed(admin_client.get(LIST, {"q": "00"})) == []  # a part of a number is not a scan for it


def test_the_day_filter_is_a_range_on_the_day(admin_client, world, monday_morning):
    ktp = world.services["DUKCAPIL-KTP"]
    today = tickets.issue_ticket(ktp)
    old = tickets.issue_ticket(ktp, now=monday_morning - dt.timedelta(days=30))
    page = admin_client.get(
        LIST, {"day__gte": today.day.isoformat(), "day__lt": (today.day + dt.timedelta(1)).isoformat()}
    )
    assert page.status_code == 200
    assert listed(page) == [today.number]
    assert old.day < today.day


def test_the_list_shows_no_full_count_and_no_date_hierarchy(admin_client, world):
    tickets.issue_ticket(world.services["DUKCAPIL-KTP"])
    page = admin_client.get(LIST)
    changelist = page.context["cl"]
    assert changelist.result_count == 1 and changelist.full_result_count is None
    assert changelist.date_hierarchy is None


def test_a_count_past_the_exact_limit_is_an_estimate_at_least_that_large(world, monkeypatch):
    ktp = world.services["DUKCAPIL-KTP"]
    for _ in range(4):
        tickets.issue_ticket(ktp)
    monkeypatch.setattr(admin_paging, "EXACT_UP_TO", 2)
    count = EstimatedCountPaginator(Ticket.objects.filter(service=ktp).order_by("-pk"), 100).count
    assert count >= 3  # PostgreSQL: the planner's estimate (at least the rows counted); SQLite: the rows counted
    assert EstimatedCountPaginator(Ticket.objects.filter(number="A001").order_by("-pk"), 100).count == 1

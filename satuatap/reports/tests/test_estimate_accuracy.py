"""The wait-estimate report: predicted vs actual wait of a day, per service and in total."""

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from satuatap.queueing import tickets
from satuatap.queueing.models import Ticket
from satuatap.reports.estimate_accuracy import day_accuracy, percentile
from satuatap.testing import seat

WIB = ZoneInfo("Asia/Jakarta")
DAY = dt.date(2026, 11, 24)
T0 = dt.datetime(2026, 11, 24, 9, 0, tzinfo=WIB)


def at(minutes: float) -> dt.datetime:
    return T0 + dt.timedelta(minutes=minutes)


def issued(service, minute: float, predicted: int) -> Ticket:
    """A ticket issued at T0 + minute, with the prediction the test wants (not the formula's)."""
    ticket = tickets.issue_ticket(service, now=at(minute))
    Ticket.objects.filter(pk=ticket.pk).update(predicted_wait_minutes=predicted)
    return ticket


def call(world, number: int, officer, minute: float, finish_after: float = 1) -> Ticket:
    ticket = tickets.call_next(world.counters[number], officer, now=at(minute))
    return tickets.finish(ticket, officer, now=at(minute + finish_after))


@pytest.fixture
def day(world):
    """KTP: predicted 10, 5, 0; called after 5, 5 (then recalled: the first call counts) and 7 minutes.
    Paspor: predicted 4, called after 10; one more cancelled before its call. SKCK: no prediction."""
    ktp, paspor = world.services["DUKCAPIL-KTP"], world.services["IMIGRASI-PASPOR"]
    officer1, officer2, officer3 = seat(world, 1), seat(world, 2), seat(world, 3)
    issued(ktp, 0, 10)  # A001
    issued(ktp, 1, 5)  # A002
    issued(ktp, 2, 0)  # A003
    issued(paspor, 0, 4)  # C001
    cancelled = issued(paspor, 1, 7)  # C002
    tickets.cancel(cancelled, now=at(2))
    skck = tickets.issue_ticket(world.services["POLRESTA-SKCK"], now=at(0))
    Ticket.objects.filter(pk=skck.pk).update(predicted_wait_minutes=None)  # as if issued before stamping existed
    first = tickets.call_next(world.counters[1], officer1, now=at(5))  # A001 waited 5
    second = tickets.call_next(world.counters[2], officer2, now=at(6))  # A002 waited 5
    tickets.recall(second, officer2, now=at(8))
    tickets.finish(second, officer2, now=at(10))
    tickets.finish(first, officer1, now=at(9))
    third = tickets.call_next(world.counters[1], officer1, now=at(9))  # A003 waited 7
    tickets.finish(third, officer1, now=at(12))
    tickets.finish(tickets.call_next(world.counters[3], officer3, now=at(10)), officer3, now=at(20))  # C001: 10
    return world


def test_nearest_rank_percentile():
    assert percentile([], 90) is None
    assert percentile([5], 90) == 5
    assert percentile([0, 2, 3], 90) == 3  # rank ceil(2.7) = 3
    assert percentile(list(range(1, 11)), 90) == 9  # rank 9 of 10
    assert percentile([3, 1, 2, 4], 50) == 2  # rank 2


def test_figures_of_a_hand_made_day(day):
    result = day_accuracy(day.users["manager"], day.mall, DAY)
    by_code = {row.code: row for row in result.services}
    assert set(by_code) == {"DUKCAPIL-KTP", "IMIGRASI-PASPOR"}
    ktp = by_code["DUKCAPIL-KTP"]
    assert ktp.actual == pytest.approx([5, 5, 7])
    assert ktp.errors == pytest.approx([5, 0, -7])  # 10 - 5, 5 - 5, 0 - 7
    assert ktp.median_abs_error == pytest.approx(5)
    assert ktp.p90_abs_error == pytest.approx(7)
    assert ktp.mean_error == pytest.approx(-2 / 3)
    paspor = by_code["IMIGRASI-PASPOR"]
    assert (paspor.issued, paspor.measured, paspor.not_called) == (2, 1, 1)
    assert paspor.abs_errors == pytest.approx([6])
    total = result.total
    assert (total.issued, total.measured, total.not_called) == (5, 4, 1)
    assert total.median_abs_error == pytest.approx(5.5)  # of 0, 5, 6, 7
    assert total.p90_abs_error == pytest.approx(7)  # rank ceil(3.6) = 4
    assert total.mean_abs_error == pytest.approx(18 / 4)
    assert total.mean_error == pytest.approx(-2)  # (5 + 0 - 7 - 6) / 4: too short on average
    assert result.without_prediction == 1
    as_dict = total.as_dict()
    assert (as_dict["median_abs_error"], as_dict["p90_abs_error"], as_dict["mean_error"]) == (5.5, 7.0, -2.0)
    # Another day has nothing.
    assert day_accuracy(day.users["manager"], day.mall, DAY + dt.timedelta(days=1)).total.issued == 0


def test_a_supervisor_sees_their_agency_only(day):
    dukcapil = day_accuracy(day.users["sup_dukcapil"], day.mall, DAY)
    assert [row.code for row in dukcapil.services] == ["DUKCAPIL-KTP"]
    assert dukcapil.total.issued == 3
    imigrasi = day_accuracy(day.users["sup_imigrasi"], day.mall, DAY)
    assert [row.code for row in imigrasi.services] == ["IMIGRASI-PASPOR"]
    assert imigrasi.total.p90_abs_error == pytest.approx(6)
    assert day_accuracy(day.users["kiosk"], day.mall, DAY).total.issued == 0  # devices see no private data


def url(world, **query):
    path = reverse("estimate_accuracy", args=[world.mall.slug])
    return path + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def row_cells(html: str, row_id: str) -> list[str]:
    match = re.search(r"<tr " + row_id + r"[^>]*>(.*?)</tr>", html, re.S)
    assert match, row_id
    return [c.strip() for c in re.findall(r"<t[dh][^>]*>([^<]*)</t[dh]>", match.group(1))]


def test_the_page_shows_services_and_totals_to_the_manager(client, day):
    client.force_login(day.users["manager"])
    response = client.get(url(day, date="2026-11-24"))
    assert response.status_code == 200
    html = response.content.decode()
    # service, issued, measured, not called, pred p50, actual p50, |err| p50, |err| p90, mean error (id: 5,0)
    assert row_cells(html, 'data-service="DUKCAPIL-KTP"') == [
        "KTP-el baru",
        "3",
        "3",
        "0",
        "5,0",
        "5,0",
        "5,0",
        "7,0",
        "-0,7",
    ]
    assert row_cells(html, 'id="estimate-total"') == [
        "Semua layanan",
        "5",
        "4",
        "1",
        "4,5",
        "6,0",
        "5,5",
        "7,0",
        "-2,0",
    ]
    assert "1 nomor hari ini diambil tanpa perkiraan" in html


def test_the_page_is_scoped_and_refuses_others(client, day):
    client.force_login(day.users["sup_imigrasi"])
    html = client.get(url(day, date="2026-11-24")).content.decode()
    assert 'data-service="IMIGRASI-PASPOR"' in html and "DUKCAPIL-KTP" not in html
    for persona in ("officer1", "kiosk"):
        client.force_login(day.users[persona])
        assert client.get(url(day)).status_code == 404
    client.logout()
    assert client.get(url(day)).status_code == 302


def test_a_bad_date_says_so_and_shows_today(client, day):
    client.force_login(day.users["manager"])
    response = client.get(url(day, date="24-11-2026"))
    assert response.status_code == 200
    assert "Tanggal tidak valid" in response.content.decode()
    assert client.get(url(day, date="2026-02-30")).status_code == 200


def test_the_floor_links_to_the_report(client, day):
    client.force_login(day.users["manager"])
    html = client.get(reverse("floor", args=[day.mall.slug])).content.decode()
    assert f'href="{url(day)}"' in html

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from satuatap.booking import reminders as booking_reminders
from satuatap.complaints import complaints
from satuatap.notify import outbox
from satuatap.notify.models import Message, Status
from satuatap.notify.tests.conftest import file_lines, make_booking
from satuatap.queueing import tickets
from satuatap.testing import PASSWORD, seat

# Tickets issued and shown or called through code that reads the clock: it starts at MONDAY_MORNING,
# so no local midnight passes during a test (see "Time in tests" in docs/architecture.md).
pytestmark = pytest.mark.usefixtures("monday_morning")


def test_worker_once_runs_the_sweeps_and_delivers(world, settings):
    now = timezone.now()
    booking = make_booking(
        world, now + dt.timedelta(minutes=50), code="WRKR2345", created_at=now - dt.timedelta(days=3)
    )
    booking_reminders.enqueue_for_booking(booking, "booking_confirmed")  # as booking.book() does on commit
    complaints.file_complaint(world.mall, "Antrean lama", "Isi.", contact="siti@example.com")
    officer = seat(world, 1)
    done = make_booking(world, now - dt.timedelta(minutes=20), created_at=now - dt.timedelta(days=3))
    ticket = tickets.issue_ticket(world.services["DUKCAPIL-KTP"])
    done.ticket = ticket
    done.save(update_fields=["ticket"])  # test data: a booked ticket
    tickets.finish(tickets.call_next(world.counters[1], officer), officer)

    call_command("worker", "--once", stdout=io.StringIO())

    assert sorted(Message.objects.values_list("kind", flat=True)) == [
        "booking_confirmed",
        "booking_reminder_hour",
        "complaint_update",
        "survey_link",
    ]
    assert set(Message.objects.values_list("status", flat=True)) == {Status.SENT}
    lines = file_lines(settings)
    assert len(lines) == 4
    confirmed = next(line for line in lines if line["kind"] == "booking_confirmed")
    assert confirmed["to"] == "0812******90" and "WRKR2345" in confirmed["body"]
    call_command("worker", "--once", stdout=io.StringIO())  # nothing twice
    assert Message.objects.count() == 4 and len(file_lines(settings)) == 4


def _page(client, world, username, **params):
    client.login(username=username, password=PASSWORD)
    return client.get(reverse("notify_outbox", args=[world.mall.slug]), params)


def test_the_manager_sees_the_outbox_masked(client, world):
    phone = "085277001122"  # not the example number in the "bad phone" message
    booking = make_booking(world, timezone.now() + dt.timedelta(days=1), code="PAGE2345", phone=phone)
    booking_reminders.enqueue_for_booking(booking, "booking_confirmed")
    failed = outbox.enqueue(
        mall=world.mall, kind="complaint_update", to="bukan-nomor", context={"tracking_code": "ADU-X"}, dedupe_key="x"
    )
    response = _page(client, world, "manager")
    assert response.status_code == 200
    html = response.content.decode()
    assert "0852******22" in html and phone not in html
    assert "booking:PAGE2345" in html and "booking_confirmed" in html
    assert ">Pemesanan dikonfirmasi</td>" in html and ">Kabar pengaduan</td>" in html  # kinds in words
    assert failed.last_error.split()[0] in html  # the reason it could not be sent
    assert "Menunggu (1)" in html and "Gagal permanen (1)" in html
    only_dead = _page(client, world, "manager", status="dead").content.decode()
    assert "booking:PAGE2345" not in only_dead and "complaint_update" in only_dead
    assert _page(client, world, "manager", status="\x00zzz").status_code in (200, 400)


def test_only_the_manager_of_the_mall(client, world):
    for username in ("sup_dukcapil", "officer1"):
        assert _page(client, world, username).status_code == 404
        client.logout()
    anonymous = client.get(reverse("notify_outbox", args=[world.mall.slug]))
    assert anonymous.status_code == 302 and anonymous["Location"].startswith(reverse("login"))
    client.login(username="manager", password=PASSWORD)
    assert client.get(reverse("notify_outbox", args=["tidak-ada"])).status_code == 404

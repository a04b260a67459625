"""The public booking pages, step by step, as a citizen uses them from a phone."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from satuatap.booking import bookings, slots
from satuatap.booking.models import Booking, BookingPolicy, BookingStatus, SlotCapacity
from satuatap.booking.policies import policy_for
from satuatap.directory.hours import mall_tz, service_day
from satuatap.directory.models import Closure, Service

pytestmark = pytest.mark.django_db

NIK = "1471011203900001"
OTHER_NIK = "1471015505920002"
PHONE = "081234567890"


@pytest.fixture
def ktp(world):
    """DUKCAPIL-KTP, bookable; the others stay walk-in only."""
    Service.objects.filter(pk=world.services["DUKCAPIL-KTP"].pk).update(bookable=True)
    service = Service.objects.select_related("mall", "agency").get(pk=world.services["DUKCAPIL-KTP"].pk)
    world.services["DUKCAPIL-KTP"] = service
    return service


@pytest.fixture
def tomorrow(world) -> dt.date:
    return service_day(world.mall) + dt.timedelta(days=1)


def at(world, day: dt.date, hhmm: str) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.fromisoformat(hhmm), tzinfo=mall_tz(world.mall))


def form_url(world, day, code="DUKCAPIL-KTP") -> str:
    return reverse("booking_form", args=[world.mall.slug, code, day.isoformat()])


def post_booking(client, world, day, hhmm="10:00", key="kunci-1", **fields):
    data = {"jam": hhmm, "nik": NIK, "name": "Siti Aminah", "phone": PHONE, "consent": "on", "idempotency_key": key}
    data.update(fields)
    return client.post(form_url(world, day), data)


def html(response) -> str:
    return response.content.decode()


def test_step_one_lists_only_agencies_with_bookable_services(world, ktp, client):
    page = client.get(reverse("booking_start", args=[world.mall.slug]))
    assert page.status_code == 200
    assert 'data-agency="DUKCAPIL"' in html(page)
    assert 'data-agency="IMIGRASI"' not in html(page)
    assert "check-in" in html(page)  # the ordering rule is stated in words


def test_step_two_shows_requirements_and_the_standard_before_booking(world, ktp, client):
    page = client.get(reverse("booking_services", args=[world.mall.slug, "DUKCAPIL"]))
    assert page.status_code == 200
    assert "KTP-el asli" in html(page)
    assert reverse("service_standard", args=[world.mall.slug, "DUKCAPIL-KTP"]) in html(page)
    assert 'data-service="DUKCAPIL-KK"' not in html(page)  # not bookable
    assert client.get(reverse("booking_services", args=[world.mall.slug, "IMIGRASI"])).status_code == 404


def test_step_three_lists_the_window_and_says_why_a_day_is_closed(world, ktp, client, tomorrow):
    Closure.objects.create(
        mall=world.mall, starts_at=at(world, tomorrow, "00:00"), until_date=tomorrow, reason="Banjir"
    )
    page = client.get(reverse("booking_days", args=[world.mall.slug, "DUKCAPIL-KTP"]))
    assert page.status_code == 200
    body = html(page)
    assert body.count("data-day=") == policy_for(world.mall).window_days + 1
    closed = re.search(rf'data-day="{tomorrow.isoformat()}"[^>]*>(.*?)</span></span>', body, re.S)
    assert closed and "Banjir" in closed.group(1)
    after = tomorrow + dt.timedelta(days=1)
    assert reverse("booking_slots", args=[world.mall.slug, "DUKCAPIL-KTP", after.isoformat()]) in body


def test_a_holiday_shows_its_name(world, ktp, client):
    world.mall.observes_national_holidays = True
    world.mall.save()
    BookingPolicy.objects.update_or_create(mall=world.mall, defaults={"window_days": 60})
    page = html(client.get(reverse("booking_days", args=[world.mall.slug, "DUKCAPIL-KTP"])))
    # Some national holiday or cuti bersama lies within any 60 days of the year except rare stretches.
    from satuatap.directory.hours import holiday_name

    today = service_day(world.mall)
    named = [holiday_name(today + dt.timedelta(days=n)) for n in range(61)]
    named = [n for n in named if n]
    if named:
        assert "Libur nasional atau cuti bersama" in page and named[0] in page
    else:
        assert "Libur nasional" not in page


def test_step_four_shows_places_left_and_disables_full_slots(world, ktp, client, tomorrow):
    start = at(world, tomorrow, "10:00")
    capacity = next(s.capacity for s in slots.slots_for(ktp, tomorrow) if s.start == start)
    SlotCapacity.objects.create(
        service=ktp, start=start, end=at(world, tomorrow, "10:30"), capacity=capacity, booked=capacity
    )
    page = client.get(reverse("booking_slots", args=[world.mall.slug, "DUKCAPIL-KTP", tomorrow.isoformat()]))
    body = html(page)
    assert page.status_code == 200
    full = re.search(r'<span class="bk-slot is-full" data-slot="10:00"[^>]*>(.*?)</span>\s*</span>', body, re.S)
    assert full and "Penuh" in full.group(1)
    assert f"{form_url(world, tomorrow)}?jam=10:30" in body
    assert "sisa" in body


def test_a_bad_date_in_the_path_is_a_404(world, ktp, client):
    assert client.get(reverse("booking_slots", args=[world.mall.slug, "DUKCAPIL-KTP", "2026-02-30"])).status_code == 404
    assert client.get(reverse("booking_days", args=[world.mall.slug, "DUKCAPIL-KK"])).status_code == 404


def test_the_form_carries_a_fresh_idempotency_key_and_the_consent_line(world, ktp, client, tomorrow):
    first = html(client.get(form_url(world, tomorrow) + "?jam=10:00"))
    second = html(client.get(form_url(world, tomorrow) + "?jam=10:00"))
    key = re.search(r'name="idempotency_key" value="([^"]+)"', first).group(1)
    assert key and key not in second
    assert "UU 27/2022" in first and 'name="consent"' in first


@pytest.mark.parametrize("hhmm", ["10:07", "10:00", "", "25:00"])
def test_the_form_without_a_free_slot_goes_back_to_the_slots(world, ktp, client, tomorrow, hhmm):
    start = at(world, tomorrow, "10:00")
    capacity = next(s.capacity for s in slots.slots_for(ktp, tomorrow) if s.start == start)
    SlotCapacity.objects.create(
        service=ktp, start=start, end=at(world, tomorrow, "10:30"), capacity=capacity, booked=capacity
    )
    response = client.get(form_url(world, tomorrow) + f"?jam={hhmm}")
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "booking_slots", args=[world.mall.slug, "DUKCAPIL-KTP", tomorrow.isoformat()]
    )


def test_a_citizen_books_and_gets_a_code_a_qr_and_the_booking_page(world, ktp, client, tomorrow):
    response = post_booking(client, world, tomorrow)
    assert response.status_code == 302
    booking = Booking.objects.get()
    assert response["Location"] == reverse("booking_confirmation", args=[world.mall.slug, booking.code])
    assert booking.start == at(world, tomorrow, "10:00") and booking.status == BookingStatus.ACTIVE
    page = html(client.get(response["Location"]))
    assert booking.code in page and "<svg" in page
    assert reverse("booking_detail", args=[world.mall.slug, booking.code]) in page
    assert "1471**********01" in page and NIK not in page
    assert "0812******90" in page and PHONE not in page


def test_a_repeated_submit_books_once(world, ktp, client, tomorrow):
    first = post_booking(client, world, tomorrow, key="sama")
    second = post_booking(client, world, tomorrow, key="sama")
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert Booking.objects.count() == 1
    assert SlotCapacity.objects.get().booked == 1


@pytest.mark.parametrize(
    ("fields", "field", "words"),
    [
        ({"nik": "1471011203900000"}, "nik", "0000"),
        ({"nik": "12345"}, "nik", "16 angka"),
        ({"nik": "1471013203900001"}, "nik", "Tanggal lahir"),
        ({"phone": "021555"}, "phone", "08"),
        ({"name": ""}, "name", "Wajib diisi"),
        ({"consent": ""}, "consent", "persetujuan"),
    ],
)
def test_bad_input_is_refused_with_the_input_kept(world, ktp, client, tomorrow, fields, field, words):
    response = post_booking(client, world, tomorrow, **{"name": "Siti <b>Aminah</b>", **fields})
    assert response.status_code == 422
    body = html(response)
    assert 'id="booking-error"' in body
    error = re.search(rf'id="{field}-error">([^<]*)<', body)
    assert error and words in error.group(1)
    if field != "name":
        assert 'value="Siti &lt;b&gt;Aminah&lt;/b&gt;"' in body  # kept, escaped
    assert 'name="idempotency_key" value="kunci-1"' in body
    assert not Booking.objects.exists()


def test_a_key_reused_for_another_person_is_refused_and_the_form_gets_a_fresh_key(world, ktp, client, tomorrow):
    assert post_booking(client, world, tomorrow, key="dipakai").status_code == 302
    response = post_booking(client, world, tomorrow, key="dipakai", nik=OTHER_NIK)
    assert response.status_code == 409 and "Muat ulang" in html(response)
    assert 'name="idempotency_key" value="dipakai"' not in html(response)
    assert Booking.objects.count() == 1


def test_a_full_slot_is_refused_with_the_services_message(world, ktp, client, tomorrow):
    start = at(world, tomorrow, "10:00")
    capacity = next(s.capacity for s in slots.slots_for(ktp, tomorrow) if s.start == start)
    SlotCapacity.objects.create(
        service=ktp, start=start, end=at(world, tomorrow, "10:30"), capacity=capacity, booked=capacity - 1
    )
    bookings.book(ktp, start, nik=OTHER_NIK, name="Budi", phone="081298765432")
    response = post_booking(client, world, tomorrow)
    assert response.status_code == 409
    assert "Slot ini sudah penuh" in html(response)
    assert Booking.objects.count() == 1


def test_an_anti_hoarding_refusal_is_shown_as_it_is(world, ktp, client, tomorrow):
    bookings.book(ktp, at(world, tomorrow, "09:00"), nik=NIK, name="Siti", phone=PHONE)
    response = post_booking(client, world, tomorrow, hhmm="11:00")
    assert response.status_code == 409
    assert "Satu NIK satu pesanan per hari" in html(response)
    assert Booking.objects.count() == 1


def test_booking_switched_off_says_so(world, ktp, client, tomorrow):
    bookings.set_booking_enabled(world.mall, False, actor=world.users["manager"])
    start = html(client.get(reverse("booking_start", args=[world.mall.slug])))
    assert 'id="booking-closed"' in start
    days = html(client.get(reverse("booking_days", args=[world.mall.slug, "DUKCAPIL-KTP"])))
    assert "dinonaktifkan" in days
    response = post_booking(client, world, tomorrow)
    assert response.status_code == 422 and not Booking.objects.exists()


def test_the_booking_page_shows_status_window_and_rule(world, ktp, client, tomorrow):
    booking = bookings.book(ktp, at(world, tomorrow, "10:00"), nik=NIK, name="Siti", phone=PHONE)
    page = client.get(reverse("booking_detail", args=[world.mall.slug, booking.code]))
    body = html(page)
    assert page.status_code == 200
    assert "Aktif" in body and "KTP-el baru" in body
    assert "09:30–10:45" in body  # check-in 30 minutes before to 15 after the slot
    assert "1471**********01" in body and NIK not in body
    assert 'id="cancel-form"' in body and 'id="move-day-form"' in body
    assert client.get(reverse("booking_detail", args=[world.mall.slug, "TIDAKADA"])).status_code == 404


def test_slot_priority_is_stated_on_the_pages(world, ktp, client):
    BookingPolicy.objects.update_or_create(mall=world.mall, defaults={"ordering": "slot_priority"})
    body = html(client.get(reverse("booking_start", args=[world.mall.slug])))
    assert "didahulukan" in body


def test_cancel_with_the_wrong_nik_is_refused_and_changes_nothing(world, ktp, client, tomorrow):
    booking = bookings.book(ktp, at(world, tomorrow, "10:00"), nik=NIK, name="Siti", phone=PHONE)
    url = reverse("booking_cancel", args=[world.mall.slug, booking.code])
    response = client.post(url, {"batal-nik": OTHER_NIK})
    assert response.status_code == 403
    body = html(response)
    assert 'id="cancel-error"' in body and "NIK tidak sesuai" in body
    assert f'value="{OTHER_NIK}"' in body  # the input is kept
    booking.refresh_from_db()
    assert booking.status == BookingStatus.ACTIVE
    assert client.post(url, {"batal-nik": ""}).status_code == 422


def test_cancel_with_the_nik_frees_the_place(world, ktp, client, tomorrow):
    booking = bookings.book(ktp, at(world, tomorrow, "10:00"), nik=NIK, name="Siti", phone=PHONE)
    response = client.post(reverse("booking_cancel", args=[world.mall.slug, booking.code]), {"batal-nik": NIK})
    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED
    assert SlotCapacity.objects.get().booked == 0
    page = html(client.get(response["Location"]))
    assert "Dibatalkan" in page and 'id="cancel-form"' not in page
    again = client.post(reverse("booking_cancel", args=[world.mall.slug, booking.code]), {"batal-nik": NIK})
    assert again.status_code == 409 and "sudah dibatalkan" in html(again)


def test_reschedule_shows_the_days_slots_then_moves_with_the_nik(world, ktp, client, tomorrow):
    booking = bookings.book(ktp, at(world, tomorrow, "10:00"), nik=NIK, name="Siti", phone=PHONE)
    detail = reverse("booking_detail", args=[world.mall.slug, booking.code])
    page = html(client.get(detail, {"tanggal": tomorrow.isoformat()}))
    assert 'id="move-form"' in page and 'value="14:00"' in page
    url = reverse("booking_reschedule", args=[world.mall.slug, booking.code])

    wrong = client.post(url, {"tanggal": tomorrow.isoformat(), "jam": "14:00", "ubah-nik": OTHER_NIK})
    assert wrong.status_code == 403 and "NIK tidak sesuai" in html(wrong)
    assert re.search(r'value="14:00"\s+checked', html(wrong))  # the choice is kept
    booking.refresh_from_db()
    assert booking.start == at(world, tomorrow, "10:00")

    no_slot = client.post(url, {"tanggal": tomorrow.isoformat(), "jam": "", "ubah-nik": NIK})
    assert no_slot.status_code == 422 and 'id="move-error"' in html(no_slot)

    moved = client.post(url, {"tanggal": tomorrow.isoformat(), "jam": "14:00", "ubah-nik": NIK})
    assert moved.status_code == 302
    booking.refresh_from_db()
    assert booking.start == at(world, tomorrow, "14:00") and booking.status == BookingStatus.ACTIVE
    assert dict(SlotCapacity.objects.values_list("start", "booked")) == {
        at(world, tomorrow, "10:00"): 0,
        at(world, tomorrow, "14:00"): 1,
    }


def test_submits_are_rate_limited_per_client(world, ktp, client, tomorrow, monkeypatch):
    from satuatap.booking import views

    monkeypatch.setattr(views, "SUBMITS_PER_HOUR", 2)
    for n in range(2):
        post_booking(client, world, tomorrow, key=f"k{n}", nik="12")
    response = post_booking(client, world, tomorrow, key="k3")
    assert response.status_code == 429
    assert "Terlalu banyak" in html(response)
    assert not Booking.objects.exists()


def test_public_pages_are_rate_limited(world, ktp, client, settings):
    settings.PUBLIC_RATE_LIMIT = 2
    url = reverse("booking_start", args=[world.mall.slug])
    assert client.get(url).status_code == 200
    assert client.get(url).status_code == 200
    response = client.get(url)
    assert response.status_code == 429 and response.json()["code"] == "rate_limited"


def test_the_mall_page_and_the_standard_link_to_booking(world, ktp, client):
    home = html(client.get(reverse("mall_home", args=[world.mall.slug])))
    assert reverse("booking_start", args=[world.mall.slug]) in home
    standard = html(client.get(reverse("service_standard", args=[world.mall.slug, "DUKCAPIL-KTP"])))
    assert reverse("booking_days", args=[world.mall.slug, "DUKCAPIL-KTP"]) in standard
    walk_in = html(client.get(reverse("service_standard", args=[world.mall.slug, "DUKCAPIL-KK"])))
    assert 'id="book-visit"' not in walk_in

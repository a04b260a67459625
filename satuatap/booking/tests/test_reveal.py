"""Revealing a booking's personal data: who may, only with a reason, always on the audit log, never cached."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from cryptography.fernet import Fernet
from django.test import Client
from django.urls import reverse

from satuatap.accounts.models import Role, User
from satuatap.audit.log import verify_chain
from satuatap.audit.models import AuditEntry
from satuatap.booking import bookings
from satuatap.booking.tests.conftest import book, slot_at, tomorrow_slot
from satuatap.directory.hours import mall_tz, service_day
from satuatap.directory.models import Mall
from satuatap.refusal import Refused

pytestmark = pytest.mark.django_db

NIK = "1471011203900001"
PHONE = "081234567890"
NAME = "Siti Rahmawati"
REASON = "verifikasi identitas saat check-in"


@pytest.fixture
def booking(bworld):
    return book(
        bworld.services["DUKCAPIL-KTP"], tomorrow_slot(bworld.services["DUKCAPIL-KTP"]), nik=NIK, phone=PHONE, name=NAME
    )


def as_user(world, persona) -> Client:
    client = Client()
    client.force_login(world.users[persona])
    return client


def reveal_url(world, booking) -> str:
    return reverse("booking_reveal", args=[world.mall.slug, booking.code])


def reveals():
    return AuditEntry.objects.filter(action="personal_data.reveal")


def test_the_manager_sees_the_full_values_once_and_every_field_is_on_the_audit_log(bworld, booking):
    response = as_user(bworld, "manager").post(reveal_url(bworld, booking), {"reason": REASON})
    assert response.status_code == 200
    body = response.content.decode()
    assert f'id="revealed-nik">{NIK}<' in body
    assert f'id="revealed-name">{NAME}<' in body
    assert f'id="revealed-phone">{PHONE}<' in body
    assert 'id="reveal-recorded"' in body and REASON in body
    assert "no-store" in response["Cache-Control"]

    entries = list(reveals().order_by("pk"))
    assert [e.data["field"] for e in entries] == ["nik", "name", "phone"]
    for entry in entries:
        assert entry.actor == "manager"
        assert entry.mall_id == bworld.mall.pk
        assert entry.subject == f"booking:{booking.code}"
        assert entry.data["reason"] == REASON
    # No raw value anywhere on the log (the booking's own entries hold masked copies only).
    logged = json.dumps([[e.subject, e.data] for e in AuditEntry.objects.all()])
    assert NIK not in logged and PHONE not in logged and NAME not in logged
    assert verify_chain()


def test_a_typed_reason_wins_over_the_list_and_digits_in_it_are_masked(bworld, booking):
    response = as_user(bworld, "manager").post(
        reveal_url(bworld, booking), {"reason": REASON, "reason_other": f"telepon balik {PHONE} soal berkas"}
    )
    assert response.status_code == 200
    reasons = set(reveals().values_list("data__reason", flat=True))
    assert reasons == {"telepon balik ************ soal berkas"}
    assert PHONE not in json.dumps(list(reveals().values_list("data", flat=True)))


@pytest.mark.parametrize("data", [{}, {"reason": ""}, {"reason": "   ", "reason_other": " \t "}])
def test_without_a_reason_nothing_is_revealed_and_nothing_recorded(bworld, booking, data):
    client = as_user(bworld, "manager")
    response = client.post(reveal_url(bworld, booking), data)
    assert response.status_code == 302
    assert response["Location"] == reverse("booking_manage", args=[bworld.mall.slug])
    assert "no-store" in response["Cache-Control"]
    page = client.get(response["Location"]).content.decode()
    assert "Pilih atau tuliskan alasan" in page
    assert NIK not in page and PHONE not in page and NAME not in page
    assert not reveals().exists()


@pytest.mark.parametrize("persona", ["anonymous", "officer1", "officer3", "sup_imigrasi", "kiosk", "display_a"])
def test_others_are_refused_with_a_404_and_nothing_is_recorded(bworld, booking, persona):
    client = Client() if persona == "anonymous" else as_user(bworld, persona)
    response = client.post(reveal_url(bworld, booking), {"reason": REASON})
    assert response.status_code == 404
    body = response.content.decode()
    assert NIK not in body and PHONE not in body and NAME not in body
    assert not reveals().exists()


def test_the_agencys_own_supervisor_may_reveal_its_bookings(bworld, booking):
    response = as_user(bworld, "sup_dukcapil").post(reveal_url(bworld, booking), {"reason": "menghubungi warga"})
    assert response.status_code == 200
    assert NIK in response.content.decode()
    assert set(reveals().values_list("actor", flat=True)) == {"sup_dukcapil"}


def test_another_malls_manager_and_an_unknown_code_are_refused(bworld, booking):
    other = Mall.objects.create(slug="dumai", name="MPP Dumai", city="Dumai", timezone="Asia/Jakarta")
    stranger = User.objects.create_user(username="manager_dumai", password="x", role=Role.MANAGER, mall=other)
    client = Client()
    client.force_login(stranger)
    assert client.post(reveal_url(bworld, booking), {"reason": REASON}).status_code == 404
    assert client.post(reverse("booking_reveal", args=["dumai", booking.code]), {"reason": REASON}).status_code == 404
    manager = as_user(bworld, "manager")
    assert (
        manager.post(reverse("booking_reveal", args=[bworld.mall.slug, "ZZZZZZZZ"]), {"reason": REASON}).status_code
        == 404
    )
    assert not reveals().exists()


def test_get_is_not_allowed(bworld, booking):
    assert as_user(bworld, "manager").get(reveal_url(bworld, booking)).status_code == 405
    assert not reveals().exists()


def test_a_value_the_keys_cannot_open_is_refused_and_nothing_is_recorded(bworld, booking, settings):
    settings.PERSONAL_DATA_ENCRYPTION_KEY = Fernet.generate_key().decode()  # the old key was rotated away
    client = as_user(bworld, "manager")
    response = client.post(reveal_url(bworld, booking), {"reason": REASON})
    assert response.status_code == 302
    assert "tidak dapat dibuka" in client.get(response["Location"]).content.decode()
    assert not reveals().exists()


def test_the_service_function_refuses_without_a_reason(bworld, booking):
    with pytest.raises(Refused) as err:
        bookings.reveal_contact(booking, actor=bworld.users["manager"], reason=" ")
    assert err.value.code == "reason_required" and err.value.status == 422
    assert bookings.reveal_contact(booking, actor=bworld.users["manager"], reason=REASON) == {
        "nik": NIK,
        "name": NAME,
        "phone": PHONE,
    }


def test_todays_list_offers_the_form_and_shows_masked_values_only(bworld):
    ktp = bworld.services["DUKCAPIL-KTP"]
    today = service_day(bworld.mall)
    early = dt.datetime.combine(today, dt.time(0, 5), tzinfo=mall_tz(bworld.mall))
    today_booking = book(ktp, slot_at(ktp, today, 10, now=early), nik=NIK, phone=PHONE, name=NAME, now=early)
    page = as_user(bworld, "manager").get(reverse("booking_manage", args=[bworld.mall.slug]))
    body = page.content.decode()
    assert f'action="{reveal_url(bworld, today_booking)}"' in body
    assert "Tampilkan data lengkap" in body and REASON in body
    assert today_booking.nik_masked in body and NIK not in body and PHONE not in body
    # A supervisor of another agency does not even see the row.
    other = as_user(bworld, "sup_imigrasi").get(reverse("booking_manage", args=[bworld.mall.slug])).content.decode()
    assert today_booking.code not in other

"""The mall page offers "Pesan kunjungan" only when something can be booked online."""

from __future__ import annotations

import pytest
from django.urls import reverse

from satuatap.booking import bookings, policies
from satuatap.booking.models import BookingPolicy, ServiceBookingSetting
from satuatap.booking.tests.conftest import make_bookable
from satuatap.directory.services import archive

pytestmark = pytest.mark.django_db

BUTTON = 'id="book-visit"'


def home(client, world) -> str:
    return client.get(reverse("mall_home", args=[world.mall.slug])).content.decode()


def test_no_button_when_no_service_is_bookable(client, world):
    assert BUTTON not in home(client, world)
    assert not BookingPolicy.objects.exists()  # a public page view never writes the policy row


def test_the_button_shows_when_a_service_is_bookable(client, world):
    make_bookable(world, "IMIGRASI-PASPOR")
    html = home(client, world)
    assert BUTTON in html and reverse("booking_start", args=[world.mall.slug]) in html


def test_no_button_when_the_manager_switched_booking_off_for_the_mall(client, world):
    make_bookable(world)
    bookings.set_booking_enabled(world.mall, False, actor=world.users["manager"])
    assert BUTTON not in home(client, world)
    bookings.set_booking_enabled(world.mall, True, actor=world.users["manager"])
    assert BUTTON in home(client, world)


def test_no_button_when_every_bookable_service_is_switched_off(client, world):
    make_bookable(world, "DUKCAPIL-KTP", "IMIGRASI-PASPOR")
    manager = world.users["manager"]
    bookings.set_booking_enabled(world.mall, False, service=world.services["DUKCAPIL-KTP"], actor=manager)
    assert BUTTON in home(client, world)  # the passport service still takes bookings
    bookings.set_booking_enabled(world.mall, False, service=world.services["IMIGRASI-PASPOR"], actor=manager)
    assert BUTTON not in home(client, world)
    assert ServiceBookingSetting.objects.filter(enabled=False).count() == 2


def test_no_button_when_the_only_bookable_service_or_its_agency_is_archived(client, world):
    make_bookable(world, "POLRESTA-SKCK")
    archive(world.agencies["POLRESTA"])
    assert BUTTON not in home(client, world)
    make_bookable(world, "DUKCAPIL-KK")
    assert BUTTON in home(client, world)
    archive(world.services["DUKCAPIL-KK"])
    assert BUTTON not in home(client, world)


def test_the_answer_costs_one_query_and_agrees_with_booking_state(world, django_assert_num_queries):
    make_bookable(world, "DUKCAPIL-KTP")
    with django_assert_num_queries(1):
        assert policies.offers_booking(world.mall) is True
    assert policies.booking_state(world.services["DUKCAPIL-KTP"]) == (True, "")
    BookingPolicy.objects.filter(mall=world.mall).update(enabled=False)
    with django_assert_num_queries(1):
        assert policies.offers_booking(world.mall) is False
    assert policies.booking_state(world.services["DUKCAPIL-KTP"])[0] is False


def test_the_mall_page_stays_cheap(client, world, django_assert_max_num_queries):
    make_bookable(world)
    with django_assert_max_num_queries(12):
        assert BUTTON in home(client, world)

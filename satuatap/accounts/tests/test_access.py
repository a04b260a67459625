"""The access layer: each function returns the object or raises the one refusal, for every role.

Personas of ``satuatap.testing``: the manager, a supervisor and an officer of DUKCAPIL, the kiosk and
the zone-A display device, anonymous, and the manager of another mall. The API's refusals follow the
contract (another mall 403, another agency's object 404); staff pages answer 404 for anything not theirs.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils import timezone

from satuatap.accounts import access
from satuatap.accounts.models import Role, User
from satuatap.directory.models import Mall
from satuatap.queueing import tickets
from satuatap.queueing.models import Ticket
from satuatap.refusal import Refused

ALLOWED = "allowed"


@pytest.fixture
def other(db):
    """Another mall with its manager and a display device bound to one of its zones."""
    mall = Mall.objects.create(slug="dumai", name="MPP Dumai", city="Dumai", timezone="Asia/Jakarta")
    manager = User.objects.create_user("dumai_manager", role=Role.MANAGER, mall=mall)
    display = User.objects.create_user("dumai_display", role=Role.DISPLAY, mall=mall)
    return SimpleNamespace(mall=mall, users={"manager": manager, "display_a": display})


def who(world, other, name):
    if name == "anonymous":
        return AnonymousUser()
    if name == "other_mall":
        return other.users["manager"]
    if name == "superuser":
        return User.objects.create_superuser("root", password="x")  # noqa: S106
    return world.users[name]


def outcome(fn, *args, **kwargs):
    """ALLOWED, or (status, code) of the refusal."""
    try:
        fn(*args, **kwargs)
    except Refused as refused:
        return refused.status, refused.code
    return ALLOWED


def test_find_mall_answers_an_active_mall_and_refuses_an_unknown_or_archived_one(world):
    assert access.find_mall("pekanbaru") == world.mall
    assert outcome(access.find_mall, "nope") == (404, "mall_not_found")
    Mall.objects.filter(pk=world.mall.pk).update(archived_at=timezone.now())
    assert outcome(access.find_mall, "pekanbaru") == (404, "mall_not_found")


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("manager", ALLOWED),
        ("sup_dukcapil", ALLOWED),
        ("officer1", (403, "role_not_allowed")),
        ("kiosk", (403, "role_not_allowed")),
        ("display_a", (403, "role_not_allowed")),
        ("other_mall", (403, "other_mall")),
        ("superuser", ALLOWED),
    ],
)
def test_api_mall_access_by_role(world, other, persona, expected):
    user = who(world, other, persona)
    assert outcome(access.access_mall, user, "pekanbaru", Role.MANAGER, Role.SUPERVISOR) == expected


def test_api_mall_access_checks_the_role_before_the_mall(world, other):
    assert outcome(access.access_mall, world.users["officer1"], "nope", Role.MANAGER) == (403, "role_not_allowed")
    assert outcome(access.access_mall, world.users["manager"], "nope", Role.MANAGER) == (404, "mall_not_found")


@pytest.mark.parametrize(
    ("persona", "staff", "managed"),
    [
        ("manager", ALLOWED, ALLOWED),
        ("sup_dukcapil", ALLOWED, (404, "mall_not_found")),
        ("officer1", (404, "mall_not_found"), (404, "mall_not_found")),
        ("kiosk", (404, "mall_not_found"), (404, "mall_not_found")),
        ("display_a", (404, "mall_not_found"), (404, "mall_not_found")),
        ("anonymous", (404, "mall_not_found"), (404, "mall_not_found")),
        ("other_mall", (404, "mall_not_found"), (404, "mall_not_found")),
        ("superuser", ALLOWED, ALLOWED),
    ],
)
def test_staff_pages_hide_a_mall_that_is_not_yours(world, other, persona, staff, managed):
    user = who(world, other, persona)
    assert outcome(access.staff_mall, user, "pekanbaru") == staff
    assert outcome(access.managed_mall, user, "pekanbaru") == managed


@pytest.mark.parametrize(
    ("persona", "own", "other_agency"),
    [
        ("manager", ALLOWED, ALLOWED),
        ("sup_dukcapil", ALLOWED, (404, "agency_not_found")),
        ("officer1", ALLOWED, (404, "agency_not_found")),
        ("kiosk", (404, "agency_not_found"), (404, "agency_not_found")),
        ("display_a", (404, "agency_not_found"), (404, "agency_not_found")),
        ("anonymous", (404, "agency_not_found"), (404, "agency_not_found")),
        ("other_mall", (404, "agency_not_found"), (404, "agency_not_found")),
    ],
)
def test_another_agency_is_404(world, other, persona, own, other_agency):
    user = who(world, other, persona)
    assert outcome(access.access_agency, user, world.mall, "DUKCAPIL") == own
    assert outcome(access.access_agency, user, world.mall, "IMIGRASI") == other_agency


def test_a_service_of_another_agency_than_the_one_asked_for_is_404(world):
    manager = world.users["manager"]
    dukcapil = world.agencies["DUKCAPIL"]
    assert access.access_service(manager, world.mall, "DUKCAPIL-KTP", agency=dukcapil).code == "DUKCAPIL-KTP"
    assert outcome(access.access_service, manager, world.mall, "IMIGRASI-PASPOR", agency=dukcapil) == (
        404,
        "service_not_found",
    )
    assert outcome(access.access_service, world.users["sup_dukcapil"], world.mall, "IMIGRASI-PASPOR") == (
        404,
        "service_not_found",
    )


@pytest.mark.parametrize(
    ("persona", "own", "other_agency"),
    [
        ("officer1", ALLOWED, (404, "counter_not_found")),
        ("sup_dukcapil", ALLOWED, (404, "counter_not_found")),
        ("manager", ALLOWED, ALLOWED),
        ("kiosk", (404, "counter_not_found"), (404, "counter_not_found")),
        ("display_a", (404, "counter_not_found"), (404, "counter_not_found")),
        ("other_mall", (404, "counter_not_found"), (404, "counter_not_found")),
    ],
)
def test_counter_access(world, other, persona, own, other_agency):
    user = who(world, other, persona)
    assert outcome(access.access_counter, user, "pekanbaru", 1) == own
    assert outcome(access.access_counter, user, "pekanbaru", 3) == other_agency


def test_a_counter_of_an_unknown_mall_says_the_mall_is_unknown(world):
    assert outcome(access.access_counter, world.users["officer1"], "nope", 1) == (404, "mall_not_found")


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("officer1", ALLOWED),
        ("officer2", ALLOWED),  # same agency
        ("officer3", (404, "ticket_not_found")),
        ("sup_imigrasi", (404, "ticket_not_found")),
        ("manager", ALLOWED),
        ("kiosk", (404, "ticket_not_found")),
        ("display_a", (404, "ticket_not_found")),
        ("anonymous", (404, "ticket_not_found")),
        ("other_mall", (404, "ticket_not_found")),
    ],
)
def test_ticket_access(world, other, persona, expected):
    ticket = tickets.issue_ticket(world.services["DUKCAPIL-KTP"])
    user = who(world, other, persona)
    assert outcome(access.access_ticket, user, Ticket.objects.all(), "pekanbaru", ticket.pk) == expected


@pytest.mark.parametrize(
    ("persona", "zone", "expected"),
    [
        ("display_a", "A", ALLOWED),
        ("display_a", "B", (403, "other_zone")),
        ("display_a", None, (403, "other_zone")),
        ("anonymous", "B", ALLOWED),
        ("kiosk", None, ALLOWED),
        ("manager", "B", ALLOWED),
        ("officer1", "B", ALLOWED),
    ],
)
def test_a_display_device_shows_only_its_own_zone(world, other, persona, zone, expected):
    user = who(world, other, persona)
    zone_id = world.zones[zone].pk if zone else None
    assert outcome(access.access_board, user, world.zones["A"].pk, world.mall, zone_id) == expected


def test_a_display_device_of_another_mall_is_refused_even_on_a_matching_zone_id(world, other):
    device = other.users["display_a"]
    zone = world.zones["A"].pk
    assert outcome(access.access_board, device, zone, world.mall, zone) == (403, "other_zone")


def test_a_zone_that_does_not_exist_is_404(world):
    assert access.find_zone(world.mall, None) is None
    assert outcome(access.find_zone, world.mall, "Z") == (404, "zone_not_found")


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("kiosk", True),
        ("manager", True),
        ("superuser", True),
        ("sup_dukcapil", False),
        ("officer1", False),
        ("display_a", False),
        ("anonymous", False),
        ("other_mall", False),
    ],
)
def test_who_may_run_the_kiosk(world, other, persona, expected):
    assert access.may_use_kiosk(who(world, other, persona), world.mall) is expected


@pytest.mark.parametrize(
    ("persona", "own", "other_agency"),
    [
        ("kiosk", (403, "tablet_not_bound"), (403, "tablet_not_bound")),  # bound to no counter
        ("officer1", ALLOWED, (404, "counter_not_found")),
        ("sup_dukcapil", ALLOWED, (404, "counter_not_found")),
        ("manager", ALLOWED, ALLOWED),
        ("display_a", (404, "counter_not_found"), (404, "counter_not_found")),
        ("anonymous", (404, "counter_not_found"), (404, "counter_not_found")),
        ("other_mall", (404, "counter_not_found"), (404, "counter_not_found")),
    ],
)
def test_who_may_run_a_counter_tablet(world, other, persona, own, other_agency):
    user = who(world, other, persona)
    assert outcome(access.tablet_counter, user, "pekanbaru", 1) == own
    assert outcome(access.tablet_counter, user, "pekanbaru", 3) == other_agency


def test_a_kiosk_token_bound_to_a_counter_runs_that_tablet_only(world):
    from satuatap.accounts.tokens import bind_counter, issue_token

    token, _raw = issue_token(world.users["kiosk"])
    bind_counter(token, world.counters[3])
    kiosk = world.users["kiosk"]
    assert outcome(access.tablet_counter, kiosk, "pekanbaru", 3, token) == ALLOWED
    assert outcome(access.tablet_counter, kiosk, "pekanbaru", 1, token) == (403, "tablet_not_bound")
    assert outcome(access.tablet_counter, kiosk, "pekanbaru", 99, token) == (404, "counter_not_found")


@pytest.mark.parametrize(
    ("persona", "own_agency", "other_agency", "no_agency"),
    [
        ("manager", True, True, True),
        ("sup_dukcapil", True, False, False),
        ("officer1", False, False, False),
        ("kiosk", False, False, False),
        ("anonymous", False, False, False),
        ("other_mall", False, False, False),
    ],
)
def test_who_may_act_for_an_agency(world, other, persona, own_agency, other_agency, no_agency):
    user = who(world, other, persona)
    mall_id = world.mall.pk
    assert access.may_act_for_agency(user, mall_id, world.agencies["DUKCAPIL"].pk) is own_agency
    assert access.may_act_for_agency(user, mall_id, world.agencies["IMIGRASI"].pk) is other_agency
    assert access.may_act_for_agency(user, mall_id, None) is no_agency


def test_without_the_manager_only_the_agency_supervisor_may_act(world):
    dukcapil = world.agencies["DUKCAPIL"].pk
    assert not access.may_act_for_agency(world.users["manager"], world.mall.pk, dukcapil, manager=False)
    assert access.may_act_for_agency(world.users["sup_dukcapil"], world.mall.pk, dukcapil, manager=False)


def test_public_mall_page_rate_limits_then_hands_over_the_mall(world, client, settings):
    settings.PUBLIC_RATE_LIMIT = 2
    url = reverse("booking_start", args=["pekanbaru"])
    assert [client.get(url).status_code for _ in range(3)] == [200, 200, 429]
    assert client.get(reverse("booking_start", args=["nope"])).status_code == 429  # counted before the lookup


def test_public_mall_page_of_an_unknown_mall_is_the_404_page(world, client):
    assert client.get(reverse("booking_start", args=["nope"])).status_code == 404

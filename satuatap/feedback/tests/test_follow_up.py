import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from satuatap.audit.models import AuditEntry
from satuatap.directory.hours import local_now
from satuatap.feedback import follow_up, periods
from satuatap.feedback.models import FollowUpItem
from satuatap.feedback.tests.conftest import answered
from satuatap.refusal import Refused

# Follow-up items belong to "this month": the clock starts at MONDAY_MORNING, so no month ends during a test.
pytestmark = pytest.mark.usefixtures("monday_morning")


def this_month(world) -> periods.Period:
    return periods.Period("month", *periods.bounds("month", local_now(world.mall).date()))


def params(period: periods.Period, **extra) -> str:
    query = f"period={period.kind}&date={period.first.isoformat()}"
    return query + "".join(f"&{k}={v}" for k, v in extra.items())


# --- the service -------------------------------------------------------------------------------------------------


def test_propose_takes_the_three_lowest_and_every_element_of_mutu_c_or_d(world):
    # NRR per element: U1..U9 = 4,4,4,4,3,3,2,1,2.5 -> lowest U8 (1), U7 (2), U9 (2.5); U5/U6 (3.0, mutu C) too.
    answered(world, [4, 4, 4, 4, 3, 3, 2, 1, 2])
    answered(world, [4, 4, 4, 4, 3, 3, 2, 1, 3])
    period = this_month(world)
    manager = world.users["manager"]
    created = follow_up.propose(world.mall, period, actor=manager)
    assert [i.element for i in created] == [8, 7, 9, 5, 6]
    assert [i.nrr for i in created] == [Decimal("1.0000"), Decimal("2.0000"), Decimal("2.5000"), Decimal(3), Decimal(3)]
    first = created[0]
    assert (first.agency, first.service, first.period_kind) == (None, None, "month")
    assert (first.period_start, first.period_end) == (period.first, period.last)
    assert first.due == period.last + dt.timedelta(days=90) and first.created_by == manager
    assert AuditEntry.objects.filter(action="skm.followup.proposed").count() == 1
    # Proposing again adds nothing: those elements already have items.
    assert follow_up.propose(world.mall, period, actor=manager) == []
    assert FollowUpItem.objects.count() == 5


def test_a_good_period_still_proposes_its_three_lowest(world):
    answered(world, [4, 4, 4, 4, 4, 4, 4, 4, 4])
    answered(world, [4, 3, 4, 4, 4, 4, 3, 4, 3])
    created = follow_up.propose(world.mall, this_month(world), actor=world.users["manager"])
    assert [i.element for i in created] == [2, 7, 9]  # NRR 3.5 each, mutu B: ties by element number


def test_propose_without_answers_is_refused_and_changes_nothing(world):
    with pytest.raises(Refused) as err:
        follow_up.propose(world.mall, this_month(world), actor=world.users["manager"])
    assert err.value.code == "no_respondents" and "Belum ada jawaban" in err.value.message
    assert not FollowUpItem.objects.exists() and not AuditEntry.objects.filter(action__startswith="skm.").exists()


def test_supervisor_proposes_for_their_agency_only_from_their_agencys_nrr(world):
    answered(world, [1] * 9, code="IMIGRASI-PASPOR")
    answered(world, [4, 4, 4, 4, 4, 4, 4, 3, 2])
    sup = world.users["sup_dukcapil"]
    period = this_month(world)
    created = follow_up.propose(world.mall, period, actor=sup, agency=world.agencies["DUKCAPIL"])
    assert [(i.element, i.nrr) for i in created] == [(9, Decimal(2)), (8, Decimal(3)), (1, Decimal(4))]
    assert {i.agency for i in created} == {world.agencies["DUKCAPIL"]}
    for agency in (None, world.agencies["IMIGRASI"]):
        with pytest.raises(Refused) as err:
            follow_up.propose(world.mall, period, actor=sup, agency=agency)
        assert err.value.status == 403
    with pytest.raises(Refused):
        follow_up.propose(world.mall, period, actor=world.users["officer1"], agency=world.agencies["DUKCAPIL"])
    # A service's items belong to the service's agency.
    item = follow_up.propose(world.mall, period, actor=sup, service=world.services["DUKCAPIL-KTP"])[0]
    assert item.agency == world.agencies["DUKCAPIL"] and item.service == world.services["DUKCAPIL-KTP"]


def test_add_update_and_mark_done_are_checked_and_audited(world):
    answered(world, [4, 4, 4, 4, 4, 4, 4, 4, 2])
    period = this_month(world)
    manager = world.users["manager"]
    item = follow_up.add(
        world.mall,
        period,
        actor=manager,
        element="9",
        action="  Tambah kursi ruang tunggu  ",
        owner="Subbag Umum",
        due="2026-12-31",
    )
    assert (item.element, item.nrr, item.action, item.due) == (
        9,
        Decimal(2),
        "Tambah kursi ruang tunggu",
        dt.date(2026, 12, 31),
    )
    for bad in ({"element": "10"}, {"element": "x"}, {"action": " "}, {"owner": ""}, {"due": "31/12/2026"}):
        fields = {"element": 9, "action": "a", "owner": "b", "due": "2026-12-31", **bad}
        with pytest.raises(Refused) as err:
            follow_up.add(world.mall, period, actor=manager, **fields)
        assert err.value.code == "invalid"
    assert FollowUpItem.objects.count() == 1
    item = follow_up.update(item, actor=manager, owner="Kepala Subbag Umum", due="2027-01-15")
    assert (item.owner, item.due) == ("Kepala Subbag Umum", dt.date(2027, 1, 15))
    with pytest.raises(Refused):
        follow_up.update(item, actor=world.users["sup_dukcapil"], owner="x")  # a mall item: the manager's
    with pytest.raises(Refused) as err:
        follow_up.mark_done(item, "  ", manager)
    assert err.value.code == "invalid"
    done = follow_up.mark_done(item, "Sepuluh kursi ditambah", manager)
    assert done.done_at is not None and done.done_note == "Sepuluh kursi ditambah"
    for call in (
        lambda: follow_up.mark_done(item, "lagi", manager),
        lambda: follow_up.update(item, actor=manager, owner="x"),
    ):
        with pytest.raises(Refused) as err:
            call()
        assert err.value.code == "already_done"
    actions = list(AuditEntry.objects.filter(action__startswith="skm.followup").values_list("action", flat=True))
    assert actions == ["skm.followup.created", "skm.followup.updated", "skm.followup.done"]


def test_a_proposed_item_needs_what_and_who_before_it_can_be_done(world):
    answered(world, [2] * 9)
    item = follow_up.propose(world.mall, this_month(world), actor=world.users["manager"])[0]
    with pytest.raises(Refused) as err:
        follow_up.mark_done(item, "sudah", world.users["manager"])
    assert err.value.code == "incomplete"


def test_summary_share_done_and_average_days(world):
    answered(world, [2] * 9)
    manager = world.users["manager"]
    created = timezone.now() - dt.timedelta(days=10)
    items = follow_up.propose(world.mall, this_month(world), actor=manager, now=created)
    assert len(items) == 9
    for item in items:
        follow_up.update(item, actor=manager, action="perbaiki", owner="Pengelola")
    follow_up.mark_done(items[0], "selesai", manager, now=created + dt.timedelta(days=2))
    follow_up.mark_done(items[1], "selesai", manager, now=created + dt.timedelta(days=5))
    follow_up.mark_done(items[2], "selesai", manager, now=created + dt.timedelta(days=6, hours=12))
    summary = follow_up.summarize(FollowUpItem.objects.all(), world.mall)
    assert (summary.total, summary.done, summary.open) == (9, 3, 6)
    assert summary.share_done == Decimal("33.3")
    assert summary.average_days == Decimal("4.5")  # (2 + 5 + 6.5) / 3
    empty = follow_up.summarize([], world.mall)
    assert empty.share_done is None and empty.average_days is None

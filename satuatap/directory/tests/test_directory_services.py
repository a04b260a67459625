"""Archiving master data and closing or pausing the mall, a service or a counter."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from satuatap.audit.models import AuditEntry
from satuatap.directory import services
from satuatap.directory.hours import mall_tz, open_state, service_day
from satuatap.directory.models import Agency, Building, Closure, Counter, Mall, Service, Zone


def test_archiving_an_agency_archives_its_services_and_counters_and_restoring_brings_them_back(world):
    imigrasi = world.agencies["IMIGRASI"]
    manager = world.users["manager"]
    changed = services.archive(imigrasi, actor=manager)
    assert changed == 3  # agency, its one service, its one counter
    imigrasi.refresh_from_db()
    assert imigrasi.archived_at is not None
    assert not Service.objects.active().filter(agency=imigrasi).exists()
    assert Counter.objects.get(pk=world.counters[3].pk).archived_at is not None
    paspor = Service.objects.get(pk=world.services["IMIGRASI-PASPOR"].pk)
    assert open_state(world.mall, service=paspor).reason == "Tidak tersedia lagi."

    assert services.unarchive(imigrasi, actor=manager) == 3
    assert Service.objects.active().filter(agency=imigrasi).count() == 1
    assert AuditEntry.objects.filter(action__in=["directory.archived", "directory.restored"]).count() == 2


def test_restoring_an_agency_leaves_services_archived_before_it(world):
    dukcapil = world.agencies["DUKCAPIL"]
    kk = world.services["DUKCAPIL-KK"]
    services.archive(kk, now=timezone.now() - dt.timedelta(days=3))
    services.archive(dukcapil)
    services.unarchive(dukcapil)
    kk.refresh_from_db()
    assert kk.archived_at is not None
    assert Service.objects.get(pk=world.services["DUKCAPIL-KTP"].pk).archived_at is None


def test_archiving_keeps_history(world):
    service = world.services["POLRESTA-SKCK"]
    before = service.history.count()
    services.archive(service)
    assert service.history.count() == before + 1


def test_pausing_a_service_closes_it_with_the_reason_and_leaves_others_open(world):
    paspor, skck = world.services["IMIGRASI-PASPOR"], world.services["POLRESTA-SKCK"]
    closure = services.close(world.mall, "Jaringan SIMKIM terganggu", service=paspor, actor=world.users["manager"])
    state = open_state(world.mall, service=paspor)
    assert not state.serving and not state.issuing
    assert "Jaringan SIMKIM terganggu" in state.reason
    assert open_state(world.mall, service=skck).issuing
    assert closure.created_by == world.users["manager"]
    assert AuditEntry.objects.filter(action="directory.closed", mall_id=world.mall.pk).exists()


def test_a_pause_without_end_date_lifts_itself_on_the_next_opening_day(world):
    # From an explicit local noon: a minute after "now" may already be tomorrow.
    noon = dt.datetime.combine(service_day(world.mall), dt.time(12), tzinfo=mall_tz(world.mall))
    services.close(world.mall, "Listrik padam", starts_at=noon)
    assert "Listrik padam" in open_state(world.mall, noon + dt.timedelta(minutes=1)).reason
    assert "Listrik padam" in open_state(world.mall, noon + dt.timedelta(hours=11, minutes=59)).reason
    assert open_state(world.mall, noon + dt.timedelta(hours=12)).serving
    assert open_state(world.mall, noon + dt.timedelta(days=1)).serving


def test_a_closure_with_an_end_date_lasts_until_that_day(world):
    now = timezone.now()
    counter = world.counters[1]
    # The end date is the mall's local date: near local midnight it differs from the UTC date.
    until = service_day(world.mall, now + dt.timedelta(days=2))
    services.close(world.mall, "Perbaikan loket", counter=counter, until_date=until)
    assert not open_state(world.mall, now + dt.timedelta(days=2), counter=counter).serving
    assert open_state(world.mall, now + dt.timedelta(days=3), counter=counter).serving
    assert open_state(world.mall, now + dt.timedelta(days=2), counter=world.counters[2]).serving


def test_lifting_a_closure_reopens_at_once_and_only_once(world):
    paspor = world.services["IMIGRASI-PASPOR"]
    closure = services.close(world.mall, "Antrean penuh", service=paspor)
    assert services.lift_closure(closure, actor=world.users["manager"]) is True
    assert open_state(world.mall, service=paspor).issuing
    assert services.lift_closure(closure) is False
    assert AuditEntry.objects.filter(action="directory.reopened").count() == 1


def other_mall_service() -> Service:
    mall = Mall.objects.create(slug="dumai", name="MPP Dumai", city="Dumai")
    building = Building.objects.create(mall=mall, code="mpp", name="Gedung MPP Dumai")
    zone = Zone.objects.create(mall=mall, building=building, code="A", name="Zona A")
    agency = Agency.objects.create(mall=mall, code="IMIGRASI", name="Imigrasi Dumai", kind="central", zone=zone)
    return Service.objects.create(mall=mall, agency=agency, code="IMIGRASI-PASPOR", name="Paspor", prefix="A")


@pytest.mark.parametrize("case", ["no_reason", "both", "other_mall", "past_end"])
def test_a_bad_closure_is_refused_and_nothing_changes(world, case):
    kwargs = {"reason": "Gangguan"}
    if case == "no_reason":
        kwargs["reason"] = "   "
    elif case == "both":
        kwargs.update(service=world.services["IMIGRASI-PASPOR"], counter=world.counters[3])
    elif case == "other_mall":
        kwargs["service"] = other_mall_service()
    else:
        kwargs["until_date"] = timezone.now().date() - dt.timedelta(days=5)
    with pytest.raises(ValidationError) as error:
        services.close(world.mall, **kwargs)
    assert error.value.message_dict
    assert not Closure.objects.exists()

"""Every state change outside tickets leaves an entry in its mall's audit chain: master data edited in the admin,
device tokens, closures, booking switches, complaint steps (NIK reveals: ``booking/tests/test_reveal.py``)."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from satuatap.accounts.models import User
from satuatap.accounts.pairing import new_code
from satuatap.accounts.tokens import issue_token, revoke_token
from satuatap.audit.log import first_break
from satuatap.audit.models import AuditEntry
from satuatap.booking.bookings import set_booking_enabled
from satuatap.complaints import complaints
from satuatap.directory.models import Counter, Service
from satuatap.directory.services import close, lift_closure
from satuatap.project.management.commands.demo import manager_permissions

pytestmark = pytest.mark.usefixtures("monday_morning")


@pytest.fixture
def manager(world):
    user = world.users["manager"]
    user.is_staff = True
    user.save()
    user.user_permissions.set(manager_permissions())
    return User.objects.get(pk=user.pk)


def actions(mall) -> list[str]:
    return list(AuditEntry.objects.filter(mall_id=mall.pk).order_by("id").values_list("action", flat=True))


def last(mall) -> AuditEntry:
    return AuditEntry.objects.filter(mall_id=mall.pk).order_by("-id").first()


def test_master_data_edited_in_the_admin(client, world, manager):
    client.force_login(manager)
    service = world.services["DUKCAPIL-KTP"]
    page = client.get(reverse("admin:directory_service_change", args=[service.pk]))
    form = page.context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data = {k: ([str(x) for x in v] if isinstance(v, list) else v) for k, v in data.items()}
    data["name"] = "KTP elektronik (baru)"
    response = client.post(reverse("admin:directory_service_change", args=[service.pk]), data)
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    entry = last(world.mall)
    assert (entry.action, entry.actor, entry.subject) == ("admin.changed", "manager", f"directory.service:{service.pk}")
    assert entry.data["fields"] == ["name"]

    counter = world.counters[1]
    response = client.post(
        reverse("admin:directory_counter_add"),
        {
            "building": counter.building_id,
            "agency": counter.agency_id,
            "number": 77,
            "name": "Loket 77",
            "services": [service.pk],
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    added = Counter.objects.get(mall=world.mall, number=77)
    entry = last(world.mall)
    assert (entry.action, entry.subject) == ("admin.added", f"directory.counter:{added.pk}")

    client.post(
        reverse("admin:directory_counter_changelist"), {"action": "archive_selected", "_selected_action": [added.pk]}
    )
    assert last(world.mall).action == "directory.archived"
    assert Service.objects.get(pk=service.pk).name == "KTP elektronik (baru)"
    assert first_break() is None


def test_an_unchanged_save_writes_no_entry(client, world, manager):
    client.force_login(manager)
    zone = world.zones["A"]
    page = client.get(reverse("admin:directory_zone_change", args=[zone.pk]))
    form = page.context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    before = AuditEntry.objects.count()
    assert client.post(reverse("admin:directory_zone_change", args=[zone.pk]), data).status_code == 302
    assert AuditEntry.objects.count() == before


def test_tokens_pairing_closures_and_booking_switches(world, manager):
    token, _raw = issue_token(world.users["kiosk"], actor=manager)
    new_code(token, actor=manager)
    revoke_token(token, actor=manager)
    closure = close(world.mall, "Listrik padam", actor=manager)
    lift_closure(closure, actor=manager)
    set_booking_enabled(world.mall, False, actor=manager)
    set_booking_enabled(world.mall, True, actor=manager)
    assert actions(world.mall) == [
        "token.issued",
        "token.pairing_code",
        "token.revoked",
        "directory.closed",
        "directory.reopened",
        "booking.disabled",
        "booking.enabled",
    ]
    assert set(AuditEntry.objects.values_list("actor", flat=True)) == {"manager"}


def test_each_complaint_step(world, manager):
    complaint = complaints.file_complaint(world.mall, "Antrean lama", "Menunggu dua jam.", contact="081234567890")
    complaints.verify(complaint, manager)
    complaints.forward(complaint, manager, world.agencies["DUKCAPIL"])
    steps = AuditEntry.objects.filter(mall_id=world.mall.pk, action="complaint.step").order_by("id")
    assert [(e.data["from"], e.data["to"]) for e in steps] == [
        ("", "received"),
        ("received", "verified"),
        ("verified", "forwarded"),
    ]
    assert [e.actor for e in steps] == ["", "manager", "manager"]
    assert all("081234567890" not in str(e.data) and "Menunggu" not in str(e.data) for e in steps)
    call_command("audit_verify")

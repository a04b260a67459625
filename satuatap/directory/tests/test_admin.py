"""The mall manager's admin: every page loads, only their mall, archive instead of delete, closures."""

import re

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from satuatap.accounts import pairing
from satuatap.accounts.models import ApiToken, Role, User
from satuatap.accounts.tokens import issue_token
from satuatap.audit.models import AuditEntry
from satuatap.directory.hours import open_state
from satuatap.directory.models import Agency, Building, Closure, Mall, Service, Zone
from satuatap.directory.services import close
from satuatap.project.management.commands.demo import manager_permissions
from satuatap.queueing.models import Ticket
from satuatap.queueing.tickets import issue_ticket


@pytest.fixture
def manager(world):
    user = world.users["manager"]
    user.is_staff = True
    user.save()
    user.user_permissions.set(manager_permissions())
    return User.objects.get(pk=user.pk)  # fresh permission cache


@pytest.fixture
def admin_client(client, manager):
    client.force_login(manager)
    return client


@pytest.fixture
def other_mall(db):
    mall = Mall.objects.create(slug="dumai", name="MPP Kota Dumai", city="Dumai")
    building = Building.objects.create(mall=mall, code="mpp", name="Gedung MPP Dumai")
    zone = Zone.objects.create(mall=mall, building=building, code="A", name="Zona A Dumai")
    agency = Agency.objects.create(mall=mall, code="SAMSAT", name="Samsat Dumai", kind="regional", zone=zone)
    Service.objects.create(mall=mall, agency=agency, code="SAMSAT-PKB", name="Pajak kendaraan Dumai", prefix="A")
    return mall


def admin_objects(world, manager):
    close(world.mall, "Gangguan jaringan", service=world.services["IMIGRASI-PASPOR"], actor=manager)
    issue_token(world.users["kiosk"], label="Anjungan lobi", actor=manager)
    issue_ticket(world.services["DUKCAPIL-KTP"])
    return {
        "directory_mall": world.mall,
        "directory_building": world.mall.buildings.first(),
        "directory_zone": world.zones["A"],
        "directory_agency": world.agencies["DUKCAPIL"],
        "directory_service": world.services["DUKCAPIL-KTP"],
        "directory_counter": world.counters[1],
        "directory_closure": Closure.objects.get(),
        "accounts_user": world.users["officer1"],
        "accounts_apitoken": ApiToken.objects.get(),
        "audit_auditentry": AuditEntry.objects.filter(mall_id=world.mall.pk).first(),
        "queueing_ticket": Ticket.objects.get(),
    }


def test_every_admin_page_loads_for_the_manager(admin_client, world, manager):
    for name, obj in admin_objects(world, manager).items():
        changelist = admin_client.get(reverse(f"admin:{name}_changelist"))
        assert changelist.status_code == 200, name
        change = admin_client.get(reverse(f"admin:{name}_change", args=[obj.pk]))
        assert change.status_code == 200, name
    for name in ["directory_building", "directory_service", "directory_counter", "directory_closure", "accounts_user"]:
        assert admin_client.get(reverse(f"admin:{name}_add")).status_code == 200, name
    assert admin_client.get(reverse("admin:accounts_apitoken_add")).status_code == 200


def test_admin_index_speaks_bahasa_indonesia(admin_client):
    page = admin_client.get(reverse("admin:index")).content.decode()
    assert "Instansi" in page and "Layanan" in page and "Loket" in page


def test_manager_cannot_see_another_malls_agencies(admin_client, other_mall):
    page = admin_client.get(reverse("admin:directory_agency_changelist")).content.decode()
    assert "Kantor Imigrasi" in page and "Samsat Dumai" not in page
    theirs = Agency.objects.get(mall=other_mall)
    assert admin_client.get(reverse("admin:directory_agency_change", args=[theirs.pk])).status_code == 302
    assert admin_client.get(reverse("admin:directory_mall_change", args=[other_mall.pk])).status_code == 302
    assert admin_client.get(reverse("admin:directory_agency_history", args=[theirs.pk])).status_code == 403
    version = theirs.history.first().history_id
    history_form = reverse("admin:directory_agency_simple_history", args=[theirs.pk, version])
    assert admin_client.get(history_form).status_code == 403
    services = admin_client.get(reverse("admin:directory_service_changelist")).content.decode()
    assert "Pajak kendaraan Dumai" not in services and "Samsat Dumai" not in services  # nor in the filters


def test_manager_cannot_pick_another_mall_in_forms(admin_client, world, other_mall):
    form = admin_client.get(reverse("admin:directory_service_add")).context["adminform"].form
    assert "mall" not in form.fields
    assert set(form.fields["agency"].queryset) == set(Agency.objects.filter(mall=world.mall))
    response = admin_client.post(
        reverse("admin:directory_service_add"),
        {
            "agency": Agency.objects.get(mall=other_mall).pk,
            "code": "SELUDUP",
            "name": "Layanan titipan",
            "kind": "other",
            "fee": "Gratis / Rp 0",
            "prefix": "Q",
        },
    )
    assert response.status_code == 200 and response.context["adminform"].form.errors
    assert not Service.objects.filter(code="SELUDUP").exists()


def test_a_service_added_by_the_manager_belongs_to_their_mall(admin_client, world):
    response = admin_client.post(
        reverse("admin:directory_service_add"),
        {
            "agency": world.agencies["POLRESTA"].pk,
            "code": "POLRESTA-KEHILANGAN",
            "name": "Surat keterangan kehilangan",
            "kind": "non_perizinan",
            "fee": "Gratis / Rp 0",
            "prefix": "H",
        },
    )
    assert response.status_code == 302
    assert Service.objects.get(code="POLRESTA-KEHILANGAN").mall == world.mall


def test_delete_is_not_offered_and_archive_works(admin_client, world):
    changelist = admin_client.get(reverse("admin:directory_service_changelist"))
    actions = dict(changelist.context["action_form"].fields["action"].choices)
    assert "delete_selected" not in actions and "archive_selected" in actions
    skck = world.services["POLRESTA-SKCK"]
    assert admin_client.get(reverse("admin:directory_service_delete", args=[skck.pk])).status_code == 403
    response = admin_client.post(
        reverse("admin:directory_service_changelist"),
        {"action": "archive_selected", "_selected_action": [skck.pk]},
    )
    assert response.status_code == 302
    skck.refresh_from_db()
    assert skck.archived_at is not None
    archived = admin_client.get(reverse("admin:directory_service_changelist") + "?arsip=diarsipkan")
    assert list(archived.context["cl"].result_list) == [skck]
    admin_client.post(
        reverse("admin:directory_service_changelist"),
        {"action": "unarchive_selected", "_selected_action": [skck.pk]},
    )
    skck.refresh_from_db()
    assert skck.archived_at is None


# A pause without an end date lifts itself at the next local midnight: the clock starts at MONDAY_MORNING so
# that no midnight passes between pausing and checking (found by the per-test run at 23:59:59.8 WIB).
@pytest.mark.usefixtures("monday_morning")
def test_closure_admin_pauses_a_service_with_a_reason_and_cabut_lifts_it(admin_client, world, manager):
    paspor = world.services["IMIGRASI-PASPOR"]
    now = timezone.localtime()
    response = admin_client.post(
        reverse("admin:directory_closure_add"),
        {
            "service": paspor.pk,
            "starts_at_0": now.strftime("%Y-%m-%d"),
            "starts_at_1": now.strftime("%H:%M:%S"),
            "reason": "Server SIMKIM sedang perbaikan",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    closure = Closure.objects.get()
    assert closure.mall == world.mall and closure.created_by == manager and closure.until_date is None
    state = open_state(world.mall, service=paspor)
    assert not state.serving and "Server SIMKIM sedang perbaikan" in state.reason
    admin_client.post(
        reverse("admin:directory_closure_changelist"),
        {"action": "lift_selected", "_selected_action": [closure.pk]},
    )
    assert open_state(world.mall, service=paspor).issuing


def test_a_closure_for_both_a_service_and_a_counter_is_refused_in_indonesian(admin_client, world):
    now = timezone.localtime()
    response = admin_client.post(
        reverse("admin:directory_closure_add"),
        {
            "service": world.services["IMIGRASI-PASPOR"].pk,
            "counter": world.counters[3].pk,
            "starts_at_0": now.strftime("%Y-%m-%d"),
            "starts_at_1": now.strftime("%H:%M:%S"),
            "reason": "Gangguan",
        },
    )
    assert response.status_code == 200
    assert "tidak keduanya" in str(response.context["adminform"].form.errors)
    assert not Closure.objects.exists()


def test_registering_a_device_shows_a_pairing_code_once_never_the_token_or_its_hash(admin_client, world):
    response = admin_client.post(
        reverse("admin:accounts_apitoken_add"),
        {"user": world.users["display_a"].pk, "label": "Papan zona A", "zone": world.zones["A"].pk},
        follow=True,
    )
    token = ApiToken.objects.get()
    notes = [str(m) for m in get_messages(response.wsgi_request)] or [str(m) for m in response.context["messages"]]
    code = next(m.group(0) for note in notes if (m := re.search(r"\b[A-Z0-9]{4}-[A-Z0-9]{4}\b", note)))
    assert not any(re.search(r"sat_[\w-]{7}", note) for note in notes)
    assert pairing.redeem(code) == token and token.zone == world.zones["A"]
    page = admin_client.get(reverse("admin:accounts_apitoken_change", args=[token.pk])).content.decode()
    assert token.key_hash not in page and code not in page


def test_a_display_token_needs_a_zone(admin_client, world):
    response = admin_client.post(reverse("admin:accounts_apitoken_add"), {"user": world.users["display_a"].pk})
    assert response.status_code == 200 and "zona" in str(response.context["adminform"].form.errors)
    assert not ApiToken.objects.exists()


def test_revoke_action_ends_a_token(admin_client, world):
    token, _ = issue_token(world.users["kiosk"], label="Anjungan")
    admin_client.post(
        reverse("admin:accounts_apitoken_changelist"),
        {"action": "revoke_selected", "_selected_action": [token.pk]},
    )
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_manager_cannot_make_an_admin_or_a_manager(admin_client, world):
    form = (
        admin_client.get(reverse("admin:accounts_user_change", args=[world.users["officer1"].pk]))
        .context["adminform"]
        .form
    )
    assert "is_superuser" not in form.fields and "user_permissions" not in form.fields
    add_form = admin_client.get(reverse("admin:accounts_user_add")).context["adminform"].form
    assert Role.MANAGER not in dict(add_form.fields["role"].choices)


def test_manager_cannot_make_a_ministry_reader_or_an_evaluator(admin_client, world):
    """Both read every mall of the installation: only its superuser names them."""
    change = reverse("admin:accounts_user_change", args=[world.users["officer1"].pk])
    form = admin_client.get(change).context["adminform"].form
    assert "evaluated_malls" not in form.fields
    assert {Role.MINISTRY, Role.EVALUATOR}.isdisjoint(dict(form.fields["role"].choices))
    officer = world.users["officer1"]
    posted = admin_client.post(
        change,
        {
            "username": officer.username,
            "role": Role.MINISTRY,
            "mall": world.mall.pk,
            "agency": officer.agency_id,
            "is_active": "on",
            "first_name": "",
            "last_name": "",
            "email": "",
        },
    )
    assert posted.status_code == 200 and "role" in posted.context["adminform"].form.errors
    officer.refresh_from_db()
    assert officer.role == Role.OFFICER


def test_tickets_and_audit_are_read_only(admin_client, world):
    ticket = issue_ticket(world.services["DUKCAPIL-KTP"])
    page = admin_client.get(reverse("admin:queueing_ticket_change", args=[ticket.pk]))
    assert page.status_code == 200 and ticket.number in page.content.decode()
    assert admin_client.get(reverse("admin:queueing_ticket_delete", args=[ticket.pk])).status_code == 403
    assert admin_client.get(reverse("admin:audit_auditentry_add")).status_code == 403


def test_counter_form_offers_only_the_malls_services(admin_client, world, other_mall):
    form = (
        admin_client.get(reverse("admin:directory_counter_change", args=[world.counters[1].pk]))
        .context["adminform"]
        .form
    )
    assert set(form.fields["services"].queryset) == set(Service.objects.filter(mall=world.mall))

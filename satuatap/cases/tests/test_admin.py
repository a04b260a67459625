"""Editing a workflow in the admin never strands a case: a state holding cases cannot be deleted."""

from __future__ import annotations

import re

from django.urls import reverse

from satuatap.accounts.models import User
from satuatap.cases.models import Workflow, WorkflowAction, WorkflowState
from satuatap.cases.tests.conftest import open_kk


def _formset_data(workflow, delete_code):
    data = {"service": workflow.service_id, "completion_working_days": workflow.completion_working_days or ""}
    states = list(workflow.states.all())
    actions = list(workflow.actions.all())
    for prefix, rows, fields in [
        ("states", states, ["order", "code", "label", "kind", "time_limit_days", "citizen_next_step"]),
        ("actions", actions, ["code", "label", "from_state", "to_state", "roles", "note_required"]),
    ]:
        data.update({f"{prefix}-TOTAL_FORMS": len(rows), f"{prefix}-INITIAL_FORMS": len(rows)})
        data.update({f"{prefix}-MIN_NUM_FORMS": 0, f"{prefix}-MAX_NUM_FORMS": 1000})
        for i, row in enumerate(rows):
            data[f"{prefix}-{i}-id"] = row.pk
            data[f"{prefix}-{i}-workflow"] = workflow.pk
            for field in fields:
                value = getattr(row, f"{field}_id" if field in ("from_state", "to_state") else field)
                if value is None:
                    value = ""
                if value is True:
                    value = "on"
                if value is not False:
                    data[f"{prefix}-{i}-{field}"] = value
            if prefix == "states" and row.code == delete_code:
                data[f"{prefix}-{i}-DELETE"] = "on"
    return data


def test_deleting_a_state_that_holds_a_case_is_refused_in_the_admin(client, world):
    case = open_kk(world)  # in "diterima"
    workflow = Workflow.objects.get(service=case.service)
    admin_user = User.objects.create_superuser("root", password="x")
    client.force_login(admin_user)
    url = reverse("admin:cases_workflow_change", args=[workflow.pk])
    assert client.get(url).status_code == 200
    states_before = WorkflowState.objects.count()
    response = client.post(url, _formset_data(workflow, "diterima"))
    assert response.status_code == 200  # the form again, with the reason
    text = response.content.decode()
    assert "terlindungi" in text and case.registration_number in text, re.findall(r"errorlist[^>]*>(.{0,300})", text)
    assert WorkflowState.objects.count() == states_before
    case.refresh_from_db()
    assert case.state.code == "diterima"
    # A state holding no case may go (its actions with it).
    WorkflowAction.objects.filter(to_state__code="ditolak").delete()
    workflow.refresh_from_db()
    response = client.post(url, _formset_data(workflow, "ditolak"))
    assert response.status_code == 302, response.content.decode()[-3000:]
    assert not WorkflowState.objects.filter(workflow=workflow, code="ditolak").exists()


def test_the_manager_edits_the_workflows_of_their_mall_only(client, world):
    from satuatap.cases import services
    from satuatap.directory.models import Agency, Building, Mall, Service, Zone
    from satuatap.project.management.commands.demo import manager_permissions

    manager = world.users["manager"]
    manager.is_staff = True
    manager.save()
    manager.user_permissions.set(manager_permissions())
    own = services.workflow_for(world.services["DUKCAPIL-KK"])
    dumai = Mall.objects.create(slug="dumai", name="MPP Kota Dumai", city="Dumai")
    zone = Zone.objects.create(mall=dumai, building=Building.objects.create(mall=dumai, code="m", name="M"), code="A")
    agency = Agency.objects.create(mall=dumai, code="SAMSAT", name="Samsat Dumai", kind="regional", zone=zone)
    samsat = Service.objects.create(mall=dumai, agency=agency, code="SAMSAT-PKB", name="Pajak kendaraan", prefix="A")
    other = services.workflow_for(samsat)
    client.force_login(User.objects.get(pk=manager.pk))
    listing = client.get(reverse("admin:cases_workflow_changelist"))
    assert listing.status_code == 200
    assert reverse("admin:cases_workflow_change", args=[own.pk]) in listing.content.decode()
    assert client.get(reverse("admin:cases_workflow_change", args=[own.pk])).status_code == 200
    assert client.get(reverse("admin:cases_workflow_change", args=[other.pk])).status_code == 302  # not found

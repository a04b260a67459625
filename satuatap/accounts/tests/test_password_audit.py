"""A password changed through the admin (someone else's, or one's own) leaves an entry in the mall's audit chain."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from satuatap.accounts.models import User
from satuatap.audit.models import AuditEntry
from satuatap.project.management.commands.demo import manager_permissions
from satuatap.testing import PASSWORD

pytestmark = pytest.mark.usefixtures("monday_morning")
NEW = "Kata-Sandi-Baru-2026!"


@pytest.fixture
def manager(client, world):
    user = world.users["manager"]
    user.is_staff = True
    user.save()
    user.user_permissions.set(manager_permissions())
    client.force_login(user)
    return User.objects.get(pk=user.pk)


def entries(world):
    return AuditEntry.objects.filter(mall_id=world.mall.pk, action="accounts.password_changed").order_by("id")


def test_a_password_set_on_the_admins_password_page_is_audited(client, world, manager):
    officer = world.users["officer1"]
    url = reverse("admin:auth_user_password_change", args=[officer.pk])
    response = client.post(url, {"password1": NEW, "password2": NEW, "usable_password": "true"})
    assert response.status_code == 302, response.content.decode()[:2000]
    officer.refresh_from_db()
    assert officer.check_password(NEW)
    (entry,) = entries(world)
    assert (entry.actor, entry.subject) == ("manager", f"accounts.user:{officer.pk}")
    assert entry.data == {"user": "officer1", "by": "admin", "usable": True}
    assert NEW not in str(entry.data) and officer.password not in str(entry.data)
    call_command("audit_verify")


def test_a_refused_password_form_changes_nothing_and_writes_no_entry(client, world, manager):
    officer = world.users["officer1"]
    url = reverse("admin:auth_user_password_change", args=[officer.pk])
    response = client.post(url, {"password1": NEW, "password2": "lain", "usable_password": "true"})
    assert response.status_code == 200
    officer.refresh_from_db()
    assert officer.check_password(PASSWORD)
    assert not entries(world).exists()


def test_ones_own_password_change_is_audited(client, world, manager):
    response = client.post(
        reverse("admin:password_change"),
        {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW},
    )
    assert response.status_code == 302
    (entry,) = entries(world)
    assert (entry.actor, entry.subject) == ("manager", f"accounts.user:{manager.pk}")
    assert entry.data == {"user": "manager", "by": "self", "usable": True}

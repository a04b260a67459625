"""Device sign-in with a one-time pairing code: the long-lived token never travels in a URL."""

import re
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from satuatap.accounts import pairing
from satuatap.accounts.models import ApiToken, PairingCode
from satuatap.accounts.tokens import issue_token, revoke_token
from satuatap.audit.models import AuditEntry

pytestmark = pytest.mark.usefixtures("monday_morning")


def kiosk_code(world):
    token, raw = issue_token(world.users["kiosk"], label="lobi")
    _row, code = pairing.new_code(token)
    return token, raw, code


def test_a_code_signs_the_device_in_once(client, world):
    _token, _raw, code = kiosk_code(world)
    assert len(code) == 9 and code[4] == "-"
    response = client.post(reverse("device_sign_in"), {"code": code.lower().replace("-", " ")})
    assert response.status_code == 302 and response["Location"] == reverse("kiosk", args=[world.mall.slug])
    client.logout()
    again = client.post(reverse("device_sign_in"), {"code": code})
    assert again.status_code == 400 and "sudah dipakai" in again.content.decode()
    assert AuditEntry.objects.filter(action="device.paired").count() == 1


def test_a_display_lands_on_its_zone_board(client, world):
    token, _raw = issue_token(world.users["display_a"], zone=world.zones["A"])
    _row, code = pairing.new_code(token)
    response = client.post(reverse("device_sign_in"), {"code": code})
    assert response["Location"] == reverse("display", args=[world.mall.slug, "A"])


def test_a_code_expires(client, world):
    _token, _raw, code = kiosk_code(world)
    with time_machine.travel(PairingCode.objects.get().expires_at, tick=False):
        response = client.post(reverse("device_sign_in"), {"code": code})
    assert response.status_code == 400
    assert PairingCode.objects.get().used_at is None  # nothing changed


def test_a_code_of_a_revoked_token_signs_nothing_in(client, world):
    token, _raw, code = kiosk_code(world)
    revoke_token(token)
    assert client.post(reverse("device_sign_in"), {"code": code}).status_code == 400


def test_an_officers_token_does_not_sign_in_as_a_device(client, world):
    token, _raw = issue_token(world.users["officer1"])
    _row, code = pairing.new_code(token)
    response = client.post(reverse("device_sign_in"), {"code": code})
    assert response.status_code == 400
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("typed", ["", "ABCD", "ABCD-EFGH", "ÀBCD-EFGH", "x" * 500])
def test_bad_codes_are_refused_with_a_message(client, world, typed):
    kiosk_code(world)
    response = client.post(reverse("device_sign_in"), {"code": typed})
    assert response.status_code == 400 and 'role="alert"' in response.content.decode()
    assert PairingCode.objects.filter(used_at__isnull=False).count() == 0


def test_a_token_link_no_longer_signs_in(client, world):
    _token, raw, _code = kiosk_code(world)
    response = client.get(reverse("device_sign_in"), {"token": raw}, follow=True)
    assert response.redirect_chain == [(reverse("device_sign_in"), 302)]  # the token is not echoed in the page
    assert "_auth_user_id" not in client.session
    html = response.content.decode()
    assert raw not in html and "Tautan dengan token tidak lagi dipakai" in html


def test_a_scanned_link_fills_the_form_but_signs_nothing_in_by_itself(client, world):
    _token, _raw, code = kiosk_code(world)
    plain = pairing.normalise(code)
    response = client.get(reverse("device_sign_in"), {"code": plain})
    assert response.status_code == 200 and f'value="{plain}"' in response.content.decode()
    assert PairingCode.objects.get().used_at is None


def test_only_the_hash_of_a_code_is_stored(world):
    _token, _raw, code = kiosk_code(world)
    row = PairingCode.objects.get()
    assert pairing.normalise(code) not in row.code_hash and len(row.code_hash) == 64


@pytest.fixture
def manager(world):
    from satuatap.accounts.models import User
    from satuatap.project.management.commands.demo import manager_permissions

    user = world.users["manager"]
    user.is_staff = True
    user.save()
    user.user_permissions.set(manager_permissions())
    return User.objects.get(pk=user.pk)  # fresh permission cache


def test_the_admin_shows_a_pairing_code_not_a_token_link(client, world, manager):
    client.force_login(manager)
    add = reverse("admin:accounts_apitoken_add")
    response = client.post(add, {"user": world.users["kiosk"].pk, "label": "lobi", "counter": ""}, follow=True)
    html = response.content.decode()
    assert response.status_code == 200 and "Kode pemasangan perangkat lobi" in html
    assert "token=" not in html and not re.search(r"sat_[\w-]{7}", html)  # a 6-character prefix at most
    assert "<svg" in html  # the QR code of the sign-in link with the code filled in
    assert PairingCode.objects.filter(token__label="lobi").count() == 1


def test_the_admin_binds_a_tablet_to_a_counter_of_its_mall(client, world, manager):
    client.force_login(manager)
    add = reverse("admin:accounts_apitoken_add")
    client.post(add, {"user": world.users["kiosk"].pk, "label": "tablet", "counter": world.counters[2].pk})
    assert ApiToken.objects.get(label="tablet").counter == world.counters[2]
    refused = client.post(add, {"user": world.users["officer1"].pk, "label": "x", "counter": world.counters[2].pk})
    assert refused.status_code == 200 and not ApiToken.objects.filter(label="x").exists()


def test_the_command_prints_a_fresh_code_for_a_live_token(world):
    token, _raw = issue_token(world.users["kiosk"])
    out, err = StringIO(), StringIO()
    # With "=": a prefix may begin with "-" (token_urlsafe), which argparse would take for an option.
    call_command("issue_token", "kiosk", f"--pair={token.prefix}", stdout=out, stderr=err)
    code = out.getvalue().strip()
    assert pairing.redeem(code) == token


def test_the_command_takes_a_prefix_that_begins_with_a_dash(world):
    # token_urlsafe gives "-" one time in 64 as a prefix's first character: written with "=", it still pairs.
    token, _raw = issue_token(world.users["kiosk"])
    ApiToken.objects.filter(pk=token.pk).update(prefix="-AbC12")
    out = StringIO()
    call_command("issue_token", "kiosk", "--pair=-AbC12", stdout=out, stderr=StringIO())
    assert pairing.redeem(out.getvalue().strip()) == token

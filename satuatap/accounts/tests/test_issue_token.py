"""``manage.py issue_token``: a token printed once, bound to a zone for display boards, revocable."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from satuatap.accounts.models import ApiToken
from satuatap.accounts.tokens import resolve_token


def run(*args) -> str:
    out, err = StringIO(), StringIO()
    call_command("issue_token", *args, stdout=out, stderr=err)
    return out.getvalue().strip()


def test_prints_a_token_that_authenticates_the_user(world):
    raw = run("officer1", "--label", "loket 1")
    assert raw.startswith("sat_")
    token = resolve_token(raw)
    assert token.user == world.users["officer1"]
    assert token.label == "loket 1"
    assert token.key_hash != raw  # only the hash is stored


def test_a_display_token_is_bound_to_a_zone_of_its_mall(world):
    raw = run("display_a", "--zone", "A")
    assert resolve_token(raw).zone == world.zones["A"]


def test_a_display_token_without_a_zone_is_refused(world):
    with pytest.raises(CommandError, match="--zone"):
        run("display_a")
    assert not ApiToken.objects.exists()


def test_an_unknown_zone_or_user_is_refused(world):
    with pytest.raises(CommandError, match="zone"):
        run("display_a", "--zone", "Z")
    with pytest.raises(CommandError, match="No user"):
        run("nobody")
    assert not ApiToken.objects.exists()


def test_revoke_by_prefix(client, world):
    raw = run("kiosk")
    token = ApiToken.objects.get()
    assert "1 token" in run("kiosk", f"--revoke={token.prefix}")
    assert resolve_token(raw) is None
    response = client.get("/api/v1/malls", headers={"Authorization": f"Bearer {raw}"})
    assert response.status_code == 401
    with pytest.raises(CommandError, match="No live token"):
        run("kiosk", f"--revoke={token.prefix}")


def test_an_officer_lands_on_the_console_after_login(world, client):
    from satuatap.testing import PASSWORD

    response = client.post("/login/", {"username": "officer1", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/console/"
    client.logout()
    response = client.post("/login/", {"username": "manager", "password": PASSWORD})
    assert response["Location"] == "/"

"""Issue, resolve and revoke bearer tokens for users and devices."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from satuatap.accounts.models import ApiToken, Role, User, hash_token
from satuatap.audit.log import record
from satuatap.directory import stamp
from satuatap.instances import detached

# key hash -> the live token with its user and zone, or None; emptied whenever the stamp moves
# (a revocation, any token or user saved): see ``directory.stamp``.
_live_tokens = stamp.Cache("tokens")


def issue_token(user: User, *, label: str = "", zone=None, actor=None) -> tuple[ApiToken, str]:
    """Return the token row and the raw key, shown once and never stored."""
    if zone is not None and zone.mall_id != user.mall_id:
        raise ValueError("zone belongs to another mall")
    if user.role == Role.DISPLAY and zone is None:
        raise ValueError("a display token must be bound to a zone")
    raw = ApiToken.new_key()
    with transaction.atomic():
        token = ApiToken.objects.create(user=user, label=label, key_hash=hash_token(raw), prefix=raw[4:10], zone=zone)
        record("token.issued", actor=actor, mall_id=user.mall_id, subject=user.username, data={"token": token.pk})
    return token, raw


def bind_counter(token: ApiToken, counter, *, actor=None) -> None:
    """Make a kiosk token its counter's survey tablet: it then opens that counter's tablet and no other."""
    if token.user.role != Role.KIOSK or counter.mall_id != token.user.mall_id:
        raise ValueError("only a kiosk token of the counter's mall can be bound to it")
    with transaction.atomic():
        ApiToken.objects.filter(pk=token.pk).update(counter=counter)
        record(
            "token.bound_to_counter",
            actor=actor,
            mall_id=counter.mall_id,
            subject=token.user.username,
            data={"token": token.pk, "counter": counter.number},
        )
        stamp.bump()  # an update, not a save: cached tokens must learn their counter
    token.counter = counter


def revoke_token(token: ApiToken, *, actor=None) -> None:
    with transaction.atomic():
        ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
        record(
            "token.revoked",
            actor=actor,
            mall_id=token.user.mall_id,
            subject=token.user.username,
            data={"token": token.pk},
        )
        stamp.bump()  # an update, not a save: no signal moves it


def _load(key_hash: str) -> ApiToken | None:
    return (
        ApiToken.objects.select_related("user", "zone")
        .filter(key_hash=key_hash, revoked_at__isnull=True, user__is_active=True)
        .first()
    )


def resolve_token(raw: str) -> ApiToken | None:
    """The live token for a raw key, or None. On every API call, so kept in the process (``directory.stamp``)."""
    if not raw:
        return None
    key_hash = hash_token(raw)
    token = _live_tokens.get(key_hash, lambda: _load(key_hash))
    if token is None:
        return None
    # A copy per request: a view may set attributes on its caller, never on the shared entry.
    mine = detached(token)
    mine.user = detached(token.user)
    return mine

"""Issue, resolve and revoke bearer tokens for users and devices."""

from __future__ import annotations

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from satuatap.accounts.models import ApiToken, Role, User, hash_token
from satuatap.audit.log import record

_CACHE_SECONDS = 30


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
    cache.delete(_cache_key(token.key_hash))


def _cache_key(key_hash: str) -> str:
    return f"token:{key_hash}"


def resolve_token(raw: str) -> ApiToken | None:
    """The live token for a raw key, or None. Cached briefly: this is on every API call."""
    if not raw:
        return None
    key_hash = hash_token(raw)
    token_id = cache.get(_cache_key(key_hash))
    if token_id is None:
        token_id = (
            ApiToken.objects.filter(key_hash=key_hash, revoked_at__isnull=True).values_list("pk", flat=True).first()
        ) or 0
        cache.set(_cache_key(key_hash), token_id, _CACHE_SECONDS)
    if not token_id:
        return None
    return (
        ApiToken.objects.select_related("user", "zone")
        .filter(pk=token_id, revoked_at__isnull=True, user__is_active=True)
        .first()
    )

"""The live channel: one WebSocket consumer that joins the groups a screen may follow.

Paths: /ws/zone/<mall>/<zone>/ (display boards, consoles), /ws/service/<mall>/<code>/
(public ticket pages), /ws/mall/<mall>/ (the manager's floor view).
Apps above the queue add kinds of their own with ``register_group`` (the back office's
/ws/desk/<mall>/ and /ws/case/<mall>/<token>/, routed in ``cases/routing.py``).
Hints carry no personal data. The live process joins each group once and sends every socket
of it the same message: the hint plus the group's document, built once (``hub.py``).
"""

from collections.abc import Callable

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.utils.translation import gettext as _

from satuatap import live
from satuatap.accounts.access import access_board, find_mall, find_zone, is_mall_staff
from satuatap.accounts.models import ApiToken
from satuatap.directory.models import Service
from satuatap.queueing.hub import hub
from satuatap.refusal import Refused

FORBIDDEN = 4403
NOT_FOUND = 4404


CLOSE_CODE = {403: FORBIDDEN, 404: NOT_FOUND}

# kind -> resolver(mall_slug, key, user) returning the group or raising Refused (registered from AppConfig.ready)
_group_resolvers: dict[str, Callable] = {}


def register_group(kind: str, resolver: Callable) -> None:
    """Let a connection of ``kind`` join the group ``resolver(mall_slug, key, user)`` names (Refused: closed)."""
    _group_resolvers[kind] = resolver


@database_sync_to_async
def _resolve_group(kind: str, mall_slug: str, key: str | None, user, device_token_id):
    """The group this connection may join, or (None, close code) from the access layer's refusal."""
    try:
        return _group(kind, mall_slug, key, user, device_token_id), None
    except Refused as refused:
        return None, CLOSE_CODE.get(refused.status, FORBIDDEN)


def _group(kind: str, mall_slug: str, key: str | None, user, device_token_id) -> str:
    if kind == "zone":
        mall = find_mall(mall_slug)
        zone = find_zone(mall, key)
        bound = ApiToken.objects.filter(pk=device_token_id, revoked_at__isnull=True).values_list("zone_id", flat=True)
        access_board(user, bound.first(), mall, zone.pk)
        return live.zone_group(zone.pk)
    if kind == "service":
        mall = find_mall(mall_slug)
        service = Service.objects.filter(mall=mall, code=key).first()
        if service is None:
            raise Refused("service_not_found", _("Layanan tidak ditemukan."), status=404)
        return live.service_group(service.pk)
    if kind == "mall":
        mall = find_mall(mall_slug)
        if not is_mall_staff(user, mall):
            raise Refused("forbidden", _("Anda tidak boleh melakukan tindakan ini."), status=403)
        return live.mall_group(mall.pk)
    if kind in _group_resolvers:
        return _group_resolvers[kind](mall_slug, key, user)
    raise Refused("not_found", _("Tidak ditemukan."), status=404)


class LiveConsumer(AsyncJsonWebsocketConsumer):
    # A socket has no channel of its own: the hub joins the layer once per group for all its sockets.
    channel_layer_alias = None

    async def connect(self):
        kwargs = self.scope["url_route"]["kwargs"]
        session = self.scope.get("session")
        token_id = session.get("device_token_id") if session is not None else None
        group, error = await _resolve_group(
            kwargs["kind"], kwargs["mall"], kwargs.get("key"), self.scope.get("user"), token_id
        )
        if error:
            await self.close(code=error)
            return
        self.group = group
        await hub().subscribe(group)  # before the accept: no hint falls between the screen's snapshot and its socket
        await self.accept()
        await hub().join(group, self)

    async def disconnect(self, code):
        if getattr(self, "group", None):
            hub().leave(self.group, self)

"""The live channel: one WebSocket consumer that joins the groups a screen may follow.

Paths: /ws/zone/<mall>/<zone>/ (display boards, consoles), /ws/service/<mall>/<code>/
(public ticket pages), /ws/mall/<mall>/ (the manager's floor view).
Hints carry no personal data; screens fetch their HTTP snapshot on each one.
"""

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.conf import settings

from satuatap import live
from satuatap.accounts.models import ApiToken, Role
from satuatap.directory.models import Mall, Service, Zone

FORBIDDEN = 4403
NOT_FOUND = 4404


@database_sync_to_async
def _resolve_group(kind: str, mall_slug: str, key: str | None, user, device_token_id):
    mall = Mall.objects.filter(slug=mall_slug, archived_at__isnull=True).first()
    if mall is None:
        return None, NOT_FOUND
    if kind == "zone":
        zone = Zone.objects.filter(mall=mall, code=key).first()
        if zone is None:
            return None, NOT_FOUND
        if getattr(user, "is_authenticated", False) and user.role == Role.DISPLAY:
            token = ApiToken.objects.filter(pk=device_token_id, revoked_at__isnull=True).first()
            if token is None or token.zone_id != zone.pk:
                return None, FORBIDDEN
        return live.zone_group(zone.pk), None
    if kind == "service":
        service = Service.objects.filter(mall=mall, code=key).first()
        return (live.service_group(service.pk), None) if service else (None, NOT_FOUND)
    if kind == "mall":
        if not getattr(user, "is_authenticated", False) or user.role not in (Role.MANAGER, Role.SUPERVISOR):
            return None, FORBIDDEN
        if user.mall_id != mall.pk and not user.is_superuser:
            return None, FORBIDDEN
        return live.mall_group(mall.pk), None
    return None, NOT_FOUND


class LiveConsumer(AsyncJsonWebsocketConsumer):
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
        await self.channel_layer.group_add(group, self.channel_name)
        await self.accept()
        if not settings.REDIS_URL:
            from satuatap.queueing.relay import ensure_relay_running

            ensure_relay_running()

    async def disconnect(self, code):
        if getattr(self, "group", None):
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def live_hint(self, message):
        await self.send_json(message["payload"])

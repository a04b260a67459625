"""The hall's display boards: the calls of a zone (or of the whole mall), shown and spoken.

Boards are public: anyone in the hall sees the same numbers. A signed-in
display device is bound to one zone by its token and reads only that zone:
another zone, or the whole mall, is 403. The page and its JSON snapshot carry
the same data (``snapshots.display_snapshot``), including the sentence to
speak, so the browser only shows, queues and plays.
"""

from __future__ import annotations

from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from satuatap import ratelimit
from satuatap.accounts.models import Role
from satuatap.directory.hours import local_now
from satuatap.directory.models import Mall, Zone
from satuatap.queueing import snapshots, speech
from satuatap.queueing.models import TicketEvent


class Refused(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _mall(slug: str) -> Mall:
    mall = Mall.objects.active().prefetch_related("hours").filter(slug=slug).first()
    if mall is None:
        raise Http404(_("Mal tidak ditemukan."))
    return mall


def _zone(mall: Mall, code: str | None) -> Zone | None:
    if code is None:
        return None
    zone = Zone.objects.active().filter(mall=mall, code=code).first()
    if zone is None:
        raise Http404(_("Zona tidak ditemukan."))
    return zone


def _device_zone_id(request) -> int | None | bool:
    """The zone a signed-in display device is bound to; False when the visitor is not a display device."""
    user = request.user
    if not getattr(user, "is_authenticated", False) or user.role != Role.DISPLAY or user.is_superuser:
        return False
    token = getattr(request, "device_token", None)
    return token.zone_id if token is not None else None


def _check_board(request, mall: Mall, zone_id: int | None) -> None:
    """A display device reads only its own zone of its own mall; everyone else reads any board."""
    bound = _device_zone_id(request)
    if bound is False:
        return
    if request.user.mall_id != mall.pk or bound is None or bound != zone_id:
        raise Refused(_("Papan ini hanya boleh menampilkan zonanya sendiri."))


def _board(request, mall_slug: str, zone_code: str | None) -> tuple[Mall, Zone | None]:
    mall = _mall(mall_slug)
    zone = _zone(mall, zone_code)
    _check_board(request, mall, zone.pk if zone else None)
    return mall, zone


def board_rows(called: list[dict]) -> list[dict]:
    """The list of last calls: one row per ticket and counter (a recall does not add a row), latest first."""
    seen, rows = set(), []
    for call in called:
        key = (call["number"], call["counter"])
        if key not in seen:
            seen.add(key)
            rows.append(call)
    return rows


@never_cache
def display_page(request, mall, zone=None):
    try:
        mall_obj, zone_obj = _board(request, mall, zone)
    except Refused as refused:
        return render(request, "queueing/display.html", {"refused": refused.message}, status=403)
    snap = snapshots.display_snapshot(mall_obj, zone_obj)
    if zone_obj is not None:
        snapshot_url = reverse("display_snapshot", args=[mall_obj.slug, zone_obj.code])
        ws_paths = [f"/ws/zone/{mall_obj.slug}/{zone_obj.code}/"]
    else:
        snapshot_url = reverse("display_all_snapshot", args=[mall_obj.slug])
        # /ws/mall/ is for managers: the whole-mall board follows every zone's hints instead.
        codes = Zone.objects.active().filter(mall=mall_obj).values_list("code", flat=True)
        ws_paths = [f"/ws/zone/{mall_obj.slug}/{code}/" for code in codes]
    context = {
        "mall": mall_obj,
        "zone": zone_obj,
        "snap": snap,
        "latest": snap["called"][0] if snap["called"] else None,
        "rows": board_rows(snap["called"]),
        "clock": local_now(mall_obj).strftime("%H:%M"),
        "config": {
            "snapshotUrl": snapshot_url,
            "wsPaths": ws_paths,
            "chimeUrl": reverse("chime", args=[mall_obj.slug]),
            "speechUrl": reverse("speech", args=[mall_obj.slug, 0]).replace("/0.wav", "/{id}.wav"),
            "timezone": mall_obj.timezone,
        },
    }
    return render(request, "queueing/display.html", context)


@never_cache
def display_snapshot_json(request, mall, zone=None):
    if ratelimit.public_page_limited(request, "display"):
        return ratelimit.too_many_response()
    try:
        mall_obj, zone_obj = _board(request, mall, zone)
    except Refused as refused:
        return JsonResponse({"detail": refused.message, "code": "other_zone"}, status=403)
    return JsonResponse(snapshots.display_snapshot(mall_obj, zone_obj))


def chime_wav(request, mall):
    _mall(mall)
    response = HttpResponse(speech.chime_wav(), content_type="audio/wav")
    response["Cache-Control"] = "public, max-age=86400"
    return response


def speech_wav(request, mall, event_id):
    """The call's sentence as audio, for boards whose browser has no Indonesian voice."""
    if ratelimit.public_page_limited(request, "display"):
        return ratelimit.too_many_response()
    mall_obj = _mall(mall)
    event = (
        TicketEvent.objects.filter(
            pk=event_id, mall=mall_obj, action__in=[TicketEvent.Action.CALLED, TicketEvent.Action.RECALLED]
        )
        .select_related("ticket", "counter")
        .first()
    )
    if event is None or event.counter is None:
        raise Http404(_("Panggilan tidak ditemukan."))
    try:
        _check_board(request, mall_obj, event.zone_id)
    except Refused as refused:
        return JsonResponse({"detail": refused.message, "code": "other_zone"}, status=403)
    text = speech.utterance(event.ticket.number, event.counter.number)
    try:
        audio = speech.speech_wav(text)
    except speech.SpeechUnavailable:
        return JsonResponse(
            {
                "detail": _("Suara pengumuman tidak tersedia di server ini; papan menampilkan teks saja."),
                "code": "speech_unavailable",
                "text": text,
            },
            status=503,
        )
    response = HttpResponse(audio, content_type="audio/wav")
    response["Cache-Control"] = "public, max-age=3600"
    return response

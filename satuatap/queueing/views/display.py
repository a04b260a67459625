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
from satuatap.accounts.access import access_board, find_mall, find_zone
from satuatap.directory.hours import local_now
from satuatap.directory.models import Mall, Zone
from satuatap.queueing import snapshots, speech
from satuatap.queueing.models import TicketEvent
from satuatap.refusal import Refused


def _check_board(request, mall: Mall, zone_id: int | None) -> None:
    """A display device reads only its own zone of its own mall; everyone else reads any board."""
    token = getattr(request, "device_token", None)
    access_board(request.user, token.zone_id if token is not None else None, mall, zone_id)


def _board(request, mall_slug: str, zone_code: str | None) -> tuple[Mall, Zone | None, Refused | None]:
    """The board's mall and zone (unknown: 404), and the refusal when this display device may not show it."""
    mall = find_mall(mall_slug, with_hours=True)
    zone = find_zone(mall, zone_code)
    try:
        _check_board(request, mall, zone.pk if zone else None)
    except Refused as refused:
        return mall, zone, refused
    return mall, zone, None


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
    mall_obj, zone_obj, refused = _board(request, mall, zone)
    if refused:
        return render(request, "queueing/display.html", {"refused": refused.message}, status=refused.status)
    snap = snapshots.served_board(mall_obj, zone_obj)
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
            "zone": zone_obj.code if zone_obj else None,
        },
    }
    return render(request, "queueing/display.html", context)


@never_cache
@ratelimit.limit_public_page("display", limit_setting="PUBLIC_SNAPSHOT_RATE_LIMIT")
def display_snapshot_json(request, mall, zone=None):
    """The board's document of this change, built once for every board (``snapshots.board_document``)."""
    mall_obj, zone_obj, refused = _board(request, mall, zone)
    if refused:
        return JsonResponse({"detail": refused.message, "code": refused.code}, status=refused.status)
    return JsonResponse(snapshots.served_board(mall_obj, zone_obj))


def chime_wav(request, mall):
    find_mall(mall)
    response = HttpResponse(speech.chime_wav(), content_type="audio/wav")
    response["Cache-Control"] = "public, max-age=86400"
    return response


@ratelimit.limit_public_page("display")
def speech_wav(request, mall, event_id):
    """The call's sentence as audio, for boards whose browser has no Indonesian voice."""
    mall_obj = find_mall(mall)
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
        return JsonResponse({"detail": refused.message, "code": refused.code}, status=refused.status)
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

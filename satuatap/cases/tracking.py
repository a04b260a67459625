"""What the public sees of a case: found by its registration number plus the last four digits of the
citizen's NIK. A wrong second factor answers exactly like an unknown number; nothing personal and no
officer's name is shown."""

from __future__ import annotations

import hmac
import re
from zoneinfo import ZoneInfo

from django.utils import timezone
from django.utils.dateformat import format as date_format

from satuatap import personal_data
from satuatap.cases.models import Case, CaseEvent, StateKind

NUMBER_MAX = 60


def find(registration_number, nik_last4) -> Case | None:
    number = str(registration_number or "").strip().upper()[:NUMBER_MAX]
    last4 = str(nik_last4 or "").strip()
    if not number or not re.fullmatch(r"\d{4}", last4):
        return None
    case = Case.objects.filter(registration_number=number).select_related("mall", "service", "state").first()
    # Compare in constant time, and decrypt for a known number only (an unknown one costs a query, no more).
    stored = personal_data.decrypt(case.nik_encrypted)[-4:] if case else "0000"
    if case is None or not hmac.compare_digest(stored, last4):
        return None
    return case


# Numbers, not month names: the live document is built once for every page, whatever its language.
DAY_FORMAT = "d/m/Y"
MOMENT_FORMAT = "d/m/Y H:i"


def public_view(case: Case) -> dict:
    """The citizen's view of a case: status, due date, what to do next, steps without officers' names.

    Times are also given as text in the mall's time zone (``*_text``), the same on the page and in its
    live document."""
    zone = ZoneInfo(case.mall.timezone)
    history = [
        {
            "status": e.to_code,
            "label": e.to_label,
            "at": e.at,
            "at_text": date_format(timezone.localtime(e.at, zone), MOMENT_FORMAT),
        }
        for e in case.events.filter(kind=CaseEvent.Kind.TRANSITION).order_by("at", "pk")
    ]
    return {
        "registration_number": case.registration_number,
        "service": case.service.code,
        "service_name": case.service.name,
        "mall_name": case.mall.name,
        "status": case.state.code,
        "status_label": case.state.label,
        "due_date": case.due_date,
        "due_text": date_format(case.due_date, DAY_FORMAT),
        "paused": case.state.kind == StateKind.RETURNED,
        "finished": case.state.kind == StateKind.FINAL,
        "pickup": case.state.kind == StateKind.PICKUP,
        "next_step": case.state.citizen_next_step,
        "missing_requirements": [r.label for r in case.requirements.filter(present=False)],
        "history": history,
    }


def public_document(case: Case) -> dict:
    """``public_view`` as the live channel sends it to the case's tracking pages (JSON, dates as ISO text)."""
    view = public_view(case)
    view["due_date"] = view["due_date"].isoformat()
    view["history"] = [{**step, "at": step["at"].isoformat()} for step in view["history"]]
    view["next_step"] = str(view["next_step"])
    return view

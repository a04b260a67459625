"""Live updates of the back office: who may follow which case group, and the documents those groups carry.

Two kinds of group (``satuatap.live``), hinted by ``services`` after every commit that writes a history row:

- ``case.<id>``: the public tracking pages of one case. The document is ``tracking.public_document``:
  status, steps with times, due date, what to do next; no personal data, no officer's name. A socket
  proves it knows the case with the token the tracking page got after the NIK check (``track_token``),
  never with the bare registration number, which is printed on paper.
- ``desk.<agency>`` (the agency's officers and supervisor) and ``desks.<mall>`` (the manager): the
  document is the desk's stamp, the newest history row the desk can see; a desk whose stamp moved
  re-reads its page.

The queue's live process builds the documents (``queueing.hub.register_document``) and admits the
sockets (``queueing.consumers.register_group``) without importing this app: ``apps.py`` registers them.
"""

from __future__ import annotations

import re

from django.db.models import Max
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from satuatap import live
from satuatap.accounts.access import CASE_STAFF_ROLES, staff_mall
from satuatap.accounts.models import Role
from satuatap.cases import tracking
from satuatap.cases.models import Case
from satuatap.refusal import Refused

# "sat_" first: the log filter (satuatap.logs) masks such tokens wherever a URL carrying one is logged.
_TOKEN = re.compile(r"sat_c(\d{1,18})x([0-9a-f]{32})")
_TOKEN_SALT = "satuatap.cases.live_updates.track"  # noqa: S105 (a salt for SECRET_KEY, not a secret)


def track_token(case: Case) -> str:
    """What a tracking page shows it knows the case with, once the citizen passed the NIK check."""
    return f"sat_c{case.pk}x{_signature(case.pk)}"


def _signature(case_id: int) -> str:
    return salted_hmac(_TOKEN_SALT, str(case_id), algorithm="sha256").hexdigest()[:32]


def case_id_of(token) -> int | None:
    """The case a token was made for, or None for anything else (forged, cut, another case's signature)."""
    found = _TOKEN.fullmatch(str(token or ""))
    if found is None or not constant_time_compare(found[2], _signature(int(found[1]))):
        return None
    return int(found[1])


def tracked_case(token) -> Case:
    """The case behind a tracking token, or 404 ``case_not_found`` as for an unknown number."""
    case_id = case_id_of(token)
    case = Case.objects.select_related("mall", "service", "state").filter(pk=case_id).first() if case_id else None
    if case is None:
        raise Refused("case_not_found", _("Berkas tidak ditemukan."), status=404)
    return case


# --- the groups a socket may join ------------------------------------------------------------------------


def case_group_for(mall_slug: str, token: str, user) -> str:
    case = tracked_case(token)
    if case.mall.slug != mall_slug:
        raise Refused("case_not_found", _("Berkas tidak ditemukan."), status=404)
    return live.case_group(case.pk)


def desk_group_for(mall_slug: str, _key, user) -> str:
    """The manager follows the mall's desks, an officer or supervisor their agency's."""
    return desk_of(user, staff_mall(user, mall_slug, roles=CASE_STAFF_ROLES))


def desk_of(user, mall) -> str:
    """The desk group a staff member of ``mall`` (already admitted to it) follows."""
    if user.is_superuser or user.role == Role.MANAGER:
        return live.mall_desk_group(mall.pk)
    if user.agency_id is None:
        raise Refused("forbidden", _("Anda tidak boleh melakukan tindakan ini."), status=403)
    return live.desk_group(user.agency_id)


def groups_of(case: Case) -> list[str]:
    """Every live group a change of ``case`` concerns."""
    return [live.case_group(case.pk), live.desk_group(case.agency_id), live.mall_desk_group(case.mall_id)]


# --- documents ---------------------------------------------------------------------------------------------


def case_document(key: str) -> dict | None:
    case = Case.objects.select_related("mall", "service", "state").filter(pk=key).first() if key.isdigit() else None
    return None if case is None else tracking.public_document(case)


def desk_stamp(cases) -> dict:
    """A desk's stamp: the newest history row among ``cases`` (moves with every change it can show). A case's
    page uses it too, with its one case."""
    return {"stamp": cases.aggregate(newest=Max("last_event_id"))["newest"] or 0}


def agency_desk_document(key: str) -> dict | None:
    return desk_stamp(Case.objects.filter(agency_id=key)) if key.isdigit() else None


def mall_desk_document(key: str) -> dict | None:
    return desk_stamp(Case.objects.filter(mall_id=key)) if key.isdigit() else None


DESK_DOCUMENTS = {"desk": agency_desk_document, "desks": mall_desk_document}


def desk_document(group: str) -> dict:
    """The document of a desk group, as its sockets get it (the desk's snapshot reads the same)."""
    kind, _dot, key = group.partition(".")
    return DESK_DOCUMENTS[kind](key)

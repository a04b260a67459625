"""Staff: who works where, and officers signing in and out of counters."""

from __future__ import annotations

from ninja import Router, Schema

from satuatap.accounts.access import access_agency, access_mall
from satuatap.accounts.models import Role, User
from satuatap.accounts.scoping import scope
from satuatap.apiauth import BAD_INPUT, STAFF_ROLES, Error, ValidationErrorOut, bearer, caller, officer_counter
from satuatap.directory.models import Agency, Counter
from satuatap.queueing import tickets

router = Router(tags=["Petugas"], auth=bearer)
# OpenAPI operation ids as they were before the move from ``satuatap.accounts.api``: clients generated from the
# document name their methods after them.
_OPERATION_ID = "satuatap_accounts_api_{}"


class StaffOut(Schema):
    username: str
    name: str
    agency: str | None
    role: str
    counter: int | None


class SeatOut(Schema):
    counter: int
    officer: str | None


REFUSALS = {**BAD_INPUT, 401: Error, 403: Error, 404: Error, 422: ValidationErrorOut}


@router.get(
    "/malls/{mall}/staff",
    response={200: list[StaffOut], **REFUSALS},
    summary="Petugas instansi",
    operation_id=_OPERATION_ID.format("list_staff"),
)
def list_staff(request, mall: str, agency: str | None = None):
    """A supervisor sees their agency's staff; the manager the whole mall's (or one agency's)."""
    user = caller(request)
    mall = access_mall(user, mall, Role.SUPERVISOR, Role.MANAGER)
    people = scope(user, User.objects.filter(is_active=True, role__in=STAFF_ROLES)).filter(mall=mall)
    if agency is not None:
        people = people.filter(agency=access_agency(user, mall, agency, Agency.objects.active()))
    people = people.select_related("agency", "signed_in_counter").order_by("agency__code", "role", "username")
    return [
        {
            "username": p.username,
            "name": p.get_full_name() or p.username,
            "agency": p.agency.code if p.agency_id else None,
            "role": p.role,
            "counter": _counter_number(p),
        }
        for p in people
    ]


def _counter_number(user: User) -> int | None:
    try:
        return user.signed_in_counter.number
    except Counter.DoesNotExist:
        return None


@router.post(
    "/malls/{mall}/counters/{number}/sign-in",
    response={200: SeatOut, 409: Error, **REFUSALS},
    summary="Petugas masuk ke loket",
    operation_id=_OPERATION_ID.format("sign_in"),
)
def sign_in(request, mall: str, number: int):
    user, counter = officer_counter(request, mall, number)
    counter = tickets.sign_in(counter, user)
    return {"counter": counter.number, "officer": user.username}


@router.post(
    "/malls/{mall}/counters/{number}/sign-out",
    response={200: SeatOut, **REFUSALS},
    summary="Petugas keluar dari loket",
    operation_id=_OPERATION_ID.format("sign_out"),
)
def sign_out(request, mall: str, number: int):
    user, counter = officer_counter(request, mall, number)
    counter = tickets.sign_out(counter, user)
    return {"counter": counter.number, "officer": None}

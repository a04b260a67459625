"""Who may reach which mall, agency, counter, ticket: one function per object, returning it or refusing.

In the style of healthchecks' ``_get_check_for_user`` and Zulip's ``access_message``: pages, API
endpoints and the WebSocket consumer ask here instead of writing "may this user see this?" by hand.
Rows go through ``scoping.scope`` (the tenancy filter); these functions add the lookups and the one
refusal (``satuatap.refusal.Refused``):

- an unknown (or archived) mall is 404 ``mall_not_found``;
- in the API a role that may not act is 403 ``role_not_allowed`` and another mall 403 ``other_mall``;
- a staff page of a mall that is not the user's is 404 (a page does not say what exists elsewhere);
- another agency's object is 404, exactly as if it did not exist.
"""

from __future__ import annotations

import functools

from django.shortcuts import redirect
from django.utils.translation import gettext as _

from satuatap import ratelimit
from satuatap.accounts.models import Role
from satuatap.accounts.scoping import can_manage_mall, scope
from satuatap.directory import stamp
from satuatap.directory.models import Agency, Counter, Mall, Service, Zone
from satuatap.instances import detached
from satuatap.refusal import Refused

# Who reads a mall's staff pages (reports, the live floor, complaints desk, bookings).
MALL_STAFF_ROLES = (Role.MANAGER, Role.SUPERVISOR)
# Who reads a mall's report pages and report API: its staff, and the ministry (every mall, read-only).
REPORT_READER_ROLES = (Role.MANAGER, Role.SUPERVISOR, Role.MINISTRY)
# Who reads a mall's PEKPPP evaluation: its manager, the ministry, an evaluator of that mall.
EVALUATION_READER_ROLES = (Role.MANAGER, Role.MINISTRY, Role.EVALUATOR)
# Who may run a counter's survey tablet besides a kiosk device of the mall.
TABLET_STAFF_ROLES = (Role.OFFICER, Role.SUPERVISOR, Role.MANAGER)


def _signed_in(user) -> bool:
    return getattr(user, "is_authenticated", False)


def mall_not_found() -> Refused:
    return Refused("mall_not_found", _("Mal tidak ditemukan."), status=404)


def find_mall(slug: str, *, with_hours: bool = False) -> Mall:
    """An active mall by slug, or 404. ``with_hours`` prefetches what ``open_state`` reads."""
    malls = Mall.objects.active()
    if with_hours:
        malls = malls.prefetch_related("hours")
    mall = malls.filter(slug=slug).first()
    if mall is None:
        raise mall_not_found()
    return mall


def public_mall_page(rate_scope: str | None = None, *, with_hours: bool = True):
    """Decorate a public page of a mall: rate limited per client in ``rate_scope`` (None: not limited), and the view's
    ``mall`` slug handed over as the active ``Mall`` (hours prefetched unless ``with_hours=False``), else 404."""

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, *args, mall: str, **kwargs):
            return view(request, *args, mall=find_mall(mall, with_hours=with_hours), **kwargs)

        return ratelimit.limit_public_page(rate_scope)(wrapper) if rate_scope else wrapper

    return decorator


def require_role(user, *roles: str):
    """The user if their role is one of ``roles`` (a superuser always), else 403."""
    if _signed_in(user) and (user.is_superuser or user.role in roles):
        return user
    raise Refused("role_not_allowed", _("Peran Anda tidak boleh melakukan tindakan ini."), status=403)


def reads_every_mall(user) -> bool:
    """The ministry (read-only) and a superuser: the national view and every mall's reports."""
    return _signed_in(user) and (user.is_superuser or user.role == Role.MINISTRY)


def evaluates_mall(user, mall: Mall) -> bool:
    """An evaluator assigned to this mall, or to none (then it evaluates every mall)."""
    if not _signed_in(user) or user.role != Role.EVALUATOR:
        return False
    assigned = user.evaluated_malls.values_list("pk", flat=True)
    return not assigned or mall.pk in assigned


def reaches_mall(user, mall: Mall) -> bool:
    """Whether the user's account reaches this mall at all (its role decides what it may do there): the mall's own
    accounts, the ministry and a superuser every mall, an evaluator the malls assigned to it."""
    if reads_every_mall(user):
        return True
    if user.role == Role.EVALUATOR:
        return evaluates_mall(user, mall)
    return user.mall_id == mall.pk


def require_own_mall(user, mall: Mall) -> None:
    if not reaches_mall(user, mall):
        raise Refused("other_mall", _("Akun ini milik mal lain."), status=403)


def access_mall(user, slug: str, *roles: str, with_hours: bool = False) -> Mall:
    """The API's mall for a user of one of ``roles`` there: 403 for the role, 404 unknown, 403 another mall."""
    require_role(user, *roles)
    mall = find_mall(slug, with_hours=with_hours)
    require_own_mall(user, mall)
    return mall


def is_mall_staff(user, mall: Mall, roles=MALL_STAFF_ROLES) -> bool:
    """A user of one of ``roles`` in this mall, or a superuser."""
    return _signed_in(user) and (user.is_superuser or (user.role in roles and reaches_mall(user, mall)))


def staff_mall(user, slug: str, roles=MALL_STAFF_ROLES, *, with_hours: bool = False) -> Mall:
    """A staff page's mall: one of ``roles`` of this mall (a superuser any), else 404 like an unknown mall."""
    mall = find_mall(slug, with_hours=with_hours)
    if not is_mall_staff(user, mall, roles):
        raise mall_not_found()
    return mall


def managed_mall(user, slug: str) -> Mall:
    """A page only the mall's manager may open (a superuser any); everyone else 404."""
    mall = find_mall(slug)
    if not can_manage_mall(user, mall):
        raise mall_not_found()
    return mall


def evaluated_mall(user, slug: str) -> Mall:
    """A mall this evaluator scores (a superuser any); everyone else 404."""
    mall = find_mall(slug)
    if not (_signed_in(user) and (user.is_superuser or evaluates_mall(user, mall))):
        raise mall_not_found()
    return mall


def may_act_for_agency(user, mall_id: int, agency_id: int | None, *, manager: bool = True) -> bool:
    """The mall's manager (unless ``manager=False``), or a supervisor of that agency in that mall."""
    if not _signed_in(user):
        return False
    if manager and (user.is_superuser or (user.role == Role.MANAGER and user.mall_id == mall_id)):
        return True
    return (
        user.role == Role.SUPERVISOR
        and user.mall_id == mall_id
        and agency_id is not None
        and user.agency_id == agency_id
    )


def access_agency(user, mall: Mall, code: str, agencies=None) -> Agency:
    """An agency of the mall in the user's scope (another agency: 404); ``agencies`` narrows the rows (active ones)."""
    agencies = Agency.objects.all() if agencies is None else agencies
    agency = scope(user, agencies.filter(mall=mall, code=code)).first()
    if agency is None:
        raise Refused("agency_not_found", _("Instansi tidak ditemukan."), status=404)
    return agency


def access_service(user, mall: Mall, code: str, *, agency: Agency | None = None) -> Service:
    """A service of the mall in the user's scope, of ``agency`` when given (else 404)."""
    service = scope(user, Service.objects.filter(mall=mall, code=code)).select_related("agency").first()
    if service is None or (agency is not None and service.agency_id != agency.pk):
        raise Refused("service_not_found", _("Layanan tidak ditemukan."), status=404)
    return service


def _missing(mall_slug: str, code: str, message: str) -> Refused:
    """404 for a lookup joined through the mall: say which of the two is unknown (error path only)."""
    find_mall(mall_slug)
    return Refused(code, message, status=404)


def access_counter(user, mall_slug: str, number: int) -> Counter:
    """An active counter of the (active) mall in the user's scope, with its mall (another agency's: 404)."""
    counters = scope(user, Counter.objects.active()).filter(mall__archived_at__isnull=True)
    counter = counters.filter(mall__slug=mall_slug, number=number).select_related("mall").first()
    if counter is None:
        raise _missing(mall_slug, "counter_not_found", _("Loket tidak ditemukan."))
    return counter


# (who asks, mall slug, number) -> the counter access_counter answers, or None; see directory.stamp.
_counters_in_scope = stamp.Cache("counters in scope")


def access_counter_cached(user, mall_slug: str, number: int) -> Counter:
    """``access_counter`` from this process's memory, with the counter's agency and the mall's hours.

    For the queue's hot path: the counter's ``officer_id`` and ``priority_streak`` may be stale
    here, so the writer reads them again under its lock (``queueing.tickets``).
    """
    key = (user.pk, user.role, user.mall_id, user.agency_id, user.is_superuser, mall_slug, number)

    def load():
        counters = scope(user, Counter.objects.active()).filter(mall__archived_at__isnull=True)
        found = counters.filter(mall__slug=mall_slug, number=number).select_related("mall", "agency")
        return found.prefetch_related("mall__hours").first()

    counter = _counters_in_scope.get(key, load)
    if counter is None:
        raise _missing(mall_slug, "counter_not_found", _("Loket tidak ditemukan."))
    return detached(counter)


def access_ticket(user, tickets, mall_slug: str, ticket_id: int):
    """A ticket of the mall in the user's scope, with its mall and counter (another agency's: 404).

    ``tickets`` is the queryset to look in (``Ticket.objects.all()``): accounts sits below queueing.
    """
    ticket = scope(user, tickets).filter(mall__slug=mall_slug, pk=ticket_id).select_related("mall", "counter").first()
    if ticket is None:
        raise _missing(mall_slug, "ticket_not_found", _("Tiket tidak ditemukan."))
    return ticket


# Who works on a mall's cases (the back office): the owning agency's officers and supervisor, the manager.
CASE_STAFF_ROLES = (Role.OFFICER, Role.SUPERVISOR, Role.MANAGER)


def access_case(user, cases, mall_slug: str, registration_number: str):
    """A case of the mall in the user's scope, with its mall, service and state (another agency's: 404).

    ``cases`` is the queryset to look in (``Case.objects.all()``): accounts sits below cases. Only the case staff's
    roles: the ministry's wider reading scope does not open cases (their citizens' data).
    """
    if not (_signed_in(user) and (user.is_superuser or user.role in CASE_STAFF_ROLES)):
        raise _missing(mall_slug, "case_not_found", _("Berkas tidak ditemukan."))
    found = scope(user, cases).filter(mall__slug=mall_slug, registration_number=registration_number)
    case = found.select_related("mall", "agency", "service", "state", "assignee").first()
    if case is None:
        raise _missing(mall_slug, "case_not_found", _("Berkas tidak ditemukan."))
    return case


def find_zone(mall: Mall, code: str | None) -> Zone | None:
    """The mall's active zone of ``code`` (None for none asked), or 404."""
    if code is None:
        return None
    zone = Zone.objects.active().filter(mall=mall, code=code).first()
    if zone is None:
        raise Refused("zone_not_found", _("Zona tidak ditemukan."), status=404)
    return zone


def other_zone() -> Refused:
    return Refused("other_zone", _("Papan ini hanya boleh menampilkan zonanya sendiri."), status=403)


def access_board(user, bound_zone_id: int | None, mall: Mall, zone_id: int | None) -> None:
    """Boards are public; a display device reads only its own zone of its own mall (anything else: 403).

    ``bound_zone_id`` is the zone the device's token is bound to (None: bound to no zone).
    """
    if not _signed_in(user) or user.role != Role.DISPLAY or user.is_superuser:
        return
    if user.mall_id != mall.pk or bound_zone_id is None or bound_zone_id != zone_id:
        raise other_zone()


def may_use_kiosk(user, mall: Mall) -> bool:
    """A kiosk device of this mall, the mall's manager, or a superuser."""
    return _signed_in(user) and (
        user.is_superuser or (user.role in (Role.KIOSK, Role.MANAGER) and user.mall_id == mall.pk)
    )


def kiosk_page(view):
    """A kiosk screen: the view gets the ``mall`` whose kiosk this session may run (hours prefetched; unknown: 404);
    any other session goes to the device sign-in."""

    @functools.wraps(view)
    def wrapper(request, *args, mall: str, **kwargs):
        found = find_mall(mall, with_hours=True)
        if not may_use_kiosk(request.user, found):
            return redirect("device_sign_in")
        return view(request, *args, mall=found, **kwargs)

    return wrapper


def tablet_counters(user, device_token=None):
    """The active counters (of active malls) whose tablet this user may run: a kiosk device only the counter its
    token is bound to (``ApiToken.counter``), staff their scope's."""
    counters = Counter.objects.active().filter(mall__archived_at__isnull=True)
    if not _signed_in(user):
        return counters.none()
    if user.is_superuser:
        return counters
    if user.role == Role.KIOSK:
        bound = getattr(device_token, "counter_id", None)
        return counters.filter(mall_id=user.mall_id, pk=bound) if bound else counters.none()
    if user.role in TABLET_STAFF_ROLES:
        return scope(user, counters)
    return counters.none()


def tablet_counter(user, mall_slug: str, number: int, device_token=None) -> Counter:
    """The counter whose survey tablet this user may run, with its mall and agency (one query), else a refusal:
    403 for a kiosk device asking for another counter of its mall (it is bound to one), 404 otherwise."""
    found = (
        tablet_counters(user, device_token)
        .filter(mall__slug=mall_slug, number=number)
        .select_related("mall", "agency")
        .first()
    )
    if found is not None:
        return found
    if (
        _signed_in(user)
        and user.role == Role.KIOSK
        and Counter.objects.active().filter(mall_id=user.mall_id, mall__slug=mall_slug, number=number).exists()
    ):
        raise Refused(
            "tablet_not_bound",
            _("Perangkat ini bukan tablet survei loket ini. Pengelola MPP mengikat tablet ke loketnya."),
            status=403,
        )
    raise Refused("counter_not_found", _("Loket tidak ditemukan."), status=404)

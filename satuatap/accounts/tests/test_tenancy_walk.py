"""Tenancy: every URL of the project, walked as every role (the design's rule).

Each URL pattern (pages and the JSON API; ``admin/`` has its own tests,
``i18n/`` is Django's language switch) is classified below as public or
private, and ticket-acting ones are named. A new URL that nobody classified
fails ``test_every_url_is_classified``. The walk then fills each pattern's
path parameters with real values of a small mall and of a second one (another time
zone, its own manager), and for each persona (the first mall's staff and devices, the
second mall's manager, the ministry and the evaluator):

- nothing answers 5xx;
- no response shows a ticket's public code (the citizen's key to the ticket)
  to someone whose scope does not hold that ticket, unless the request carried it;
- every ticket-acting endpoint pointed at another agency's ticket, counter or
  service is refused and changes nothing;
- a mall's staff reach no private page or endpoint of another mall;
- the ministry reads every mall's reports, evaluations and the national view, reaches
  nothing else, and the whole walk (every POST included) changes nothing;
- the evaluator reaches the evaluations of the malls it scores and nothing else.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from zoneinfo import ZoneInfo

import pytest
from django.contrib import messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse

from satuatap.accounts.models import Role, User
from satuatap.accounts.scoping import scope
from satuatap.accounts.tokens import issue_token
from satuatap.booking import bookings
from satuatap.booking.models import Booking
from satuatap.cases import live_updates
from satuatap.cases import services as case_services
from satuatap.cases.models import Case, CaseAttachment
from satuatap.complaints import complaints
from satuatap.complaints.models import Complaint, ComplaintAttachment
from satuatap.directory.hours import service_day
from satuatap.directory.models import Agency, Building, Counter, Mall, OpeningHours, Service, Zone
from satuatap.evaluation.models import IndicatorScore
from satuatap.feedback.models import FollowUpItem
from satuatap.queueing import tickets
from satuatap.queueing.models import QueueSequence, Ticket, TicketEvent
from satuatap.queueing.views.console import ACTIONS as CONSOLE_ACTIONS
from satuatap.testing import PASSWORD, make_world, national_users, seat

SKIPPED = ("admin/", "i18n/")  # admin has its own tests; i18n is Django's set_language
# The walk issues and calls tickets through pages that read the clock: it runs within one local day.
pytestmark = pytest.mark.usefixtures("monday_morning")

# Public: no sign-in needed, and why that is right.
PUBLIC = {
    "home": "the front door: the list of malls",
    "healthz": "the load balancer's liveness probe: says only that the process answers",
    "readyz": "the load balancer's readiness probe: names which backing service failed, nothing more",
    "login": "the staff sign-in form",
    "logout": "signing out needs no permission (POST only)",
    "device_sign_in": "the device sign-in form; the pairing code (or token) posted is the credential",
    "mall_home": "a mall's public page: services, zones, opening hours",
    "service_standard": "a service's published standard (PermenPANRB 15/2014 requires it public)",
    "maklumat": "the mall's maklumat pelayanan, a published promise (PermenPANRB 15/2014)",
    "service_poster": "the printable poster of a service's published standard (public, see service_standard)",
    "display_all": "display boards are public: everyone in the hall sees the same numbers",
    "display": "a zone's display board (public, see display_all)",
    "display_all_snapshot": "the whole-mall board's data (public, see display_all)",
    "display_snapshot": "a zone board's data (public, see display_all)",
    "chime": "the boards' ding-dong sound",
    "speech": "a call spoken as audio, for boards (public, see display_all)",
    "ticket_status": "the citizen's ticket page: the public code is unguessable and is the permission",
    "ticket_snapshot": "the ticket page's data (the code is the permission)",
    "ticket_cancel": "the citizen cancels their own ticket (the code is the permission)",
    "api:list_malls": "directory API, public by contract",
    "api:list_agencies": "directory API, public by contract",
    "api:list_services": "directory API, public by contract",
    "api:list_zones": "directory API, public by contract",
    "api:list_counters": "directory API, public by contract",
    "api:ticket_status": "a ticket by its unguessable public code, public by contract",
    "skm_survey": "the SKM survey of a finished ticket (the code is the permission)",
    "api:answer_survey": "the SKM answer of a finished ticket (the code is the permission), public by contract",
    "complaint_form": "the public complaint form (anonymous allowed, rate limited)",
    "complaint_track": "a complaint by its unguessable tracking code (the code is the permission)",
    "api:file_complaint": "filing a complaint, public by contract (rate limited)",
    "api:complaint_status": "a complaint by its unguessable tracking code, public by contract",
    "api:display": "display board data, public by contract",
    "booking_start": "public booking, step 1: the agencies taking online bookings",
    "booking_services": "public booking, step 2: an agency's bookable services and their requirements",
    "booking_days": "public booking, step 3: the days of the window (closed ones with the reason)",
    "booking_slots": "public booking, step 4: a day's slots and places left",
    "booking_form": "public booking, step 5: the form (rate limited, idempotent)",
    "booking_confirmation": "a booking's confirmation by its unguessable code (masked data only)",
    "booking_detail": "a booking's page by its unguessable code (masked data only)",
    "api:track_case": "a case by its registration number plus the NIK's last 4 digits, public by contract",
    "case_track": "a case by its registration number plus the NIK's last 4 digits (rate limited, no names)",
    "case_track_snapshot": "a tracked case's live snapshot, by the token its page got after the NIK check",
    "booking_cancel": "cancel a booking: the code and the booker's NIK are the permission (rate limited)",
    "booking_reschedule": "reschedule a booking: the code and the booker's NIK are the permission (rate limited)",
    "api:list_slots": "a service's slots of a day, public by contract",
    "api:create_booking": "booking a slot, public by contract (rate limited)",
    "api:cancel_booking": "cancelling a booking with the booker's NIK, public by contract (rate limited)",
    "open_data": "the open data's human page: every mall's public files and their fields, no personal data",
    "api:open_services_json": "open data: published service standards, no personal data (issue 13)",
    "api:open_services_csv": "open data: published service standards, no personal data (issue 13)",
    "api:open_monthly_json": "open data: monthly aggregates (volumes, waits, IKM), no personal data",
    "api:open_monthly_csv": "open data: monthly aggregates (volumes, waits, IKM), no personal data",
    "api:openapi-json": "the API's documentation",
    "api:openapi-view": "the API's documentation",
    "api:api-root": "answers a JSON 404: not an endpoint",
    "api:unknown-path": "answers a JSON 404 for any path under /api/v1/ that is not an endpoint",
}
# Private: a role and a tenancy decide.
PRIVATE = {
    "kiosk": "a kiosk device (or the manager) of the mall",
    "kiosk_agency": "a kiosk device (or the manager) of the mall",
    "kiosk_issue": "a kiosk device (or the manager) of the mall",
    "kiosk_ticket": "a kiosk device (or the manager) of the mall",
    "kiosk_search": "a kiosk device (or the manager) of the mall: search the services",
    "kiosk_check_in": "a kiosk device (or the manager) of the mall: a booking becomes a ticket",
    "booking_manage": "the manager switches online booking; supervisors read their agency's part",
    "booking_reveal": "a booking's full NIK/name/phone, with a reason, audited: manager; supervisor for own agency",
    "api:check_in_booking": "the mall's kiosk: a booking becomes a ticket",
    "console": "officers",
    "console_panel": "officers",
    "console_snapshot": "officers",
    "console_sign_in": "officers, at a counter of their agency",
    "console_sign_out": "officers",
    "console_action": "officers, on the ticket at their own counter",
    "floor": "the manager, and supervisors for their agency",
    "floor_snapshot": "the manager, and supervisors for their agency",
    "estimate_accuracy": "the manager, and supervisors for their agency (wait estimate report)",
    "api:list_staff": "supervisors (their agency), the manager",
    "skm_report": "the manager, and supervisors for their agency",
    "numbers_report": "the reports page: the manager (whole mall), supervisors for their agency, the ministry",
    "numbers_report_csv": "the reports page as CSV: as numbers_report",
    "numbers_report_xlsx": "the reports page as a spreadsheet: as numbers_report",
    "numbers_report_pdf": "the monthly report for the mayor (PDF): as numbers_report",
    "evaluation_current": "this year's PEKPPP evaluation (a redirect): as evaluation",
    "evaluation": "the mall's PEKPPP evaluation: its manager (self-assessment), the ministry, its evaluator",
    "evaluation_save": "a self-assessment (the mall's manager) or one evaluator score (an evaluator of the mall)",
    "evaluation_score": "the evaluator's scoring form: an evaluator of the mall (or a superuser)",
    "national": "every mall side by side: the ministry (read-only) and a superuser",
    "skm_report_pdf": "the SKM report as PDF: the manager, and supervisors for their agency (as skm_report)",
    "skm_report_xlsx": "the SKM report as a spreadsheet: the manager, and supervisors for their agency",
    "skm_follow_up_new": "SKM follow-up items: the manager (any unit), a supervisor for their agency",
    "skm_follow_up_change": "an SKM follow-up item: the manager, or the supervisor of the item's agency",
    "skm_tablet": "a counter's survey tablet: a kiosk device of the mall, or staff whose scope holds the counter",
    "skm_tablet_state": "the counter tablet's state (as skm_tablet)",
    "complaint_desk": "the manager (all), and supervisors for their agency's complaints",
    "complaint_detail": "the manager (all), and supervisors for their agency's complaints",
    "complaint_attachment": "a complaint's attachment (download): as complaint_detail, through scoping",
    "api:ikm_report": "supervisors (their agency), the manager",
    "api:follow_up_report": "SKM follow-up items: supervisors (their agency), the manager",
    "api:ikm_document": "the SKM report as PDF or spreadsheet: supervisors (their agency), the manager",
    "api:daily_report": "a day's queue figures: supervisors (their agency), the manager, the ministry",
    "api:summary_report": "a period's figures: supervisors (their agency), the manager, the ministry",
    "api:evaluation_result": "a mall's PEKPPP evaluation result: the manager, the ministry, its evaluator",
    "api:malls_report": "every mall side by side: the ministry (and a superuser)",
    "notify_outbox": "the mall manager only (citizens' masked contacts in the outbox)",
    "case_desk": "the back office: officers and supervisor of an agency (their agency's cases), the manager",
    "case_desk_stamp": "the desk's live stamp: as case_desk (the newest change of the agency's cases)",
    "case_new": "opening a case: officers and supervisor, for their agency's services and tickets",
    "case_detail": "one case: its agency's officers and supervisor, the manager (another agency's: 404)",
    "case_receipt": "a case's printed receipt: as case_detail",
    "case_stamp": "a case's live stamp (its newest history row) for the officer's case page: as case_detail",
    "case_file": "a case's scanned document (download): as case_detail",
    "case_sla": "cases on time / late per service: the manager, and supervisors for their agency",
    "api:case_sla": "cases on time / late per service: the manager, and supervisors for their agency",
    "api:open_case": "an officer or supervisor of the service's agency",
    "api:list_cases": "the agency's officers and supervisor (their agency), the manager",
    "api:read_case": "the case's agency's officers and supervisor, the manager (another agency's: 404)",
    "api:act_on_case": "the role the service's workflow allows, of the case's agency",
    "api:sign_in": "an officer of the counter's agency",
    "api:sign_out": "the officer signed in there",
    "api:issue": "kiosks, and staff for their agency's services",
    "api:call_next": "the officer at that counter",
    "api:call_ticket": "the officer at that counter, for a number waiting in its queues",
    "api:recall": "the officer holding the ticket",
    "api:start": "the officer holding the ticket",
    "api:finish": "the officer holding the ticket",
    "api:no_show": "the officer holding the ticket",
    "api:transfer": "the officer holding the ticket",
}
# Endpoints that change tickets or counters, and what in the request names their target.
TICKET_TARGET = {"api:recall", "api:start", "api:finish", "api:no_show", "api:transfer", "console_action"}
COUNTER_TARGET = {
    "api:call_next",
    "api:call_ticket",
    "api:sign_in",
    "api:sign_out",
    "console_sign_in",
    # Not acting on GET, but another agency's counter tablet must be refused too (it offers that counter's survey).
    "skm_tablet",
    "skm_tablet_state",
}
SERVICE_TARGET = {"api:issue", "kiosk_issue"}
# Pages of one complaint (by complaint_id): another agency's staff must be refused (the complaint's own agency decides).
COMPLAINT_TARGET = {"complaint_detail", "complaint_attachment"}
# Pages of one case (by registration number): another agency's staff must be refused.
CASE_TARGET = {"case_detail", "case_receipt", "case_stamp", "case_file", "api:read_case", "api:act_on_case"}
BOOKING_TARGET = {"booking_reveal"}  # reveals personal data: another agency's booking must be refused
# The API's GET endpoints the walk visits; every other API endpoint is POST only.
WALKED_API_READS = (
    "api:list_staff",
    "api:ikm_report",
    "api:follow_up_report",
    "api:ikm_document",
    "api:list_cases",
    "api:read_case",
    "api:case_sla",
    "api:daily_report",
    "api:summary_report",
    "api:evaluation_result",
    "api:malls_report",
)
POST_ONLY = {
    "logout",
    "ticket_cancel",
    "kiosk_issue",
    "console_sign_in",
    "console_sign_out",
    "console_action",
    "api:answer_survey",
    "api:file_complaint",
    "booking_cancel",
    "booking_reschedule",
    "booking_reveal",
    "api:create_booking",
    "api:cancel_booking",
    "skm_follow_up_new",
    "skm_follow_up_change",
    "evaluation_save",
    *{name for name in PRIVATE if name.startswith("api:") and name not in WALKED_API_READS},
}
NUL, HUGE = "a\x00b", 10**20
PERSONAS = [
    "anonymous",
    "manager",
    "sup_dukcapil",
    "sup_imigrasi",
    "officer1",
    "officer3",
    "kiosk",
    "display_a",
    "mks_manager",
    "kementerian",
    "evaluator",
]
# What the accounts above the malls may open (2xx); any other private URL answering them is a failure.
MINISTRY_READS = {
    "national",
    "numbers_report",
    "numbers_report_csv",
    "numbers_report_xlsx",
    "numbers_report_pdf",
    "skm_report",
    "skm_report_pdf",
    "skm_report_xlsx",
    "evaluation",
    "evaluation_current",
    "api:daily_report",
    "api:summary_report",
    "api:evaluation_result",
    "api:malls_report",
}
EVALUATOR_READS = {"evaluation", "evaluation_current", "evaluation_score", "api:evaluation_result"}
SECOND_MALL = "makassar"


def url_patterns(patterns=None, prefix="", namespace=""):
    """(qualified name, route) of every URL pattern, walking includes and the ninja API."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(pattern.pattern)
        if route.startswith(SKIPPED):
            continue
        if isinstance(pattern, URLResolver):
            inner = ":".join(filter(None, [namespace, pattern.namespace]))
            yield from url_patterns(pattern.url_patterns, route, inner)
        else:
            yield (f"{namespace}:{pattern.name}" if namespace else pattern.name), route


def test_every_url_is_classified():
    names = [name for name, _ in url_patterns()]
    unclassified = set(names) - PUBLIC.keys() - PRIVATE.keys()
    assert not unclassified, f"classify these URLs as PUBLIC or PRIVATE in this test: {sorted(unclassified)}"
    assert not (PUBLIC.keys() | PRIVATE.keys()) - set(names), "stale entries in the classification"
    assert not PUBLIC.keys() & PRIVATE.keys()


def build_world():
    """Tickets in every agency: issued, called, and (DUKCAPIL) one already served."""
    world = make_world()
    officers = {n: seat(world, n) for n in (1, 3, 4)}
    for code in ["DUKCAPIL-KTP", "DUKCAPIL-KTP", "DUKCAPIL-KK", "IMIGRASI-PASPOR", "IMIGRASI-PASPOR"]:
        tickets.issue_ticket(world.services[code])
    for code in ["POLRESTA-SKCK", "POLRESTA-SKCK"]:
        tickets.issue_ticket(world.services[code])
    tickets.finish(tickets.call_next(world.counters[1], officers[1]), officers[1])
    for n in (1, 3, 4):
        assert tickets.call_next(world.counters[n], officers[n]) is not None
    # A booking of tomorrow, so the booking pages and endpoints are walked with a real code too.
    ktp = world.services["DUKCAPIL-KTP"]
    Service.objects.filter(pk=ktp.pk).update(bookable=True)
    ktp.refresh_from_db()
    tomorrow = service_day(world.mall) + dt.timedelta(days=1)
    start = dt.datetime.combine(tomorrow, dt.time(10), tzinfo=ZoneInfo(world.mall.timezone))
    bookings.book(ktp, start, nik="1471011203900001", name="Warga Uji", phone="081234567890")
    # A complaint for IMIGRASI with an attachment, so the desk pages and the download are walked with real ids.
    pdf = SimpleUploadedFile("bukti.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    complaints.file_complaint(world.mall, "Uji", "Isi", agency=world.agencies["IMIGRASI"], attachment=pdf)
    # A case in two agencies, so the back office's pages are walked with real registration numbers.
    for officer, code in [("officer1", "DUKCAPIL-KK"), ("officer3", "IMIGRASI-PASPOR")]:
        case = case_services.open_case(world.users[officer], world.services[code], nik="1471011203900001", name="W")
        scan = SimpleUploadedFile("ktp.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
        case_services.attach(world.users[officer], case, scan)
    build_second_mall(world)
    world.users.update(national_users())
    return world


def build_second_mall(world) -> None:
    """Another mall in another time zone with one agency, a counter, a waiting ticket and its own manager (service
    code and counter number unlike the first mall's, so ``owners`` keeps telling the first mall's agencies apart)."""
    mall = Mall.objects.create(slug=SECOND_MALL, name="MPP Makassar", city="Makassar", timezone="Asia/Makassar")
    for weekday in range(7):
        OpeningHours.objects.create(mall=mall, weekday=weekday, opens=dt.time(0), closes=dt.time(23, 59, 59))
    building = Building.objects.create(mall=mall, code="B", name="MPP")
    zone = Zone.objects.create(mall=mall, building=building, code="A")
    agency = Agency.objects.create(mall=mall, code="DUKCAPIL", name="Disdukcapil Makassar", kind="regional", zone=zone)
    service = Service.objects.create(mall=mall, agency=agency, code="MKS-KTP", name="KTP-el", prefix="M")
    Counter.objects.create(mall=mall, building=building, agency=agency, number=71).services.set([service])
    tickets.issue_ticket(service)
    world.users["mks_manager"] = User.objects.create_user(
        "mks_manager", password=PASSWORD, role=Role.MANAGER, mall=mall
    )


def sign_in_as(world, persona: str) -> Client:
    """A client signed in as the persona: a session for pages, and a bearer token for the API."""
    if persona == "anonymous":
        return Client(raise_request_exception=False)  # a 500 is recorded, and the walk goes on
    user = world.users[persona]
    _, raw = issue_token(user, zone=world.zones["A"] if user.role == Role.DISPLAY else None)
    client = Client(raise_request_exception=False, HTTP_AUTHORIZATION=f"Bearer {raw}")
    if user.role in (Role.KIOSK, Role.DISPLAY):
        assert client.post(reverse("device_sign_in"), {"code": raw}).status_code == 302
    else:
        client.force_login(user)
    return client


def parameter_values(world) -> dict[str, list]:
    """Real values of the world for each path parameter, plus ones that do not exist or cannot:
    a number out of any integer column's range, and a NUL (which PostgreSQL refuses outright)."""
    ticket_rows = list(Ticket.objects.order_by("pk").values_list("pk", "public_code"))
    return {
        "mall": [world.mall.slug, SECOND_MALL, "tidak-ada"],
        "zone": [*world.zones, "Z", NUL],
        "agency_code": [*world.agencies, "TIDAK-ADA", NUL],
        "code": [*world.services, "TIDAK-ADA", NUL],
        "number": [*world.counters, 99, HUGE],
        "id": [pk for pk, _ in ticket_rows] + [999_999, HUGE],
        "public_code": [code for _, code in ticket_rows] + ["tidak-ada-sama-sekali", NUL],
        "event_id": [*TicketEvent.objects.order_by("pk").values_list("pk", flat=True), 999_999, HUGE],
        "action": [*CONSOLE_ACTIONS, "meledak"],
        "tracking_code": ["ADU-TIDAK-ADA0", NUL],
        "complaint_id": [*Complaint.objects.values_list("pk", flat=True), 999_999, HUGE],
        "attachment_id": [*ComplaintAttachment.objects.values_list("pk", flat=True), 999_999, HUGE],
        "booking_code": [*Booking.objects.values_list("code", flat=True), "TIDAKADA", NUL],
        "day": [service_day(world.mall).isoformat(), "2026-02-30", NUL],
        "item_id": [999_999, HUGE],
        "registration_number": [*Case.objects.values_list("registration_number", flat=True), "PEK-2026-X-000009", NUL],
        "file_id": [*CaseAttachment.objects.values_list("pk", flat=True), 999_999, HUGE],
        "year": [service_day(world.mall).year, 1999, HUGE],
        "token": [*map(live_updates.track_token, Case.objects.all()), "sat_c1x" + "0" * 32, NUL],  # tracking pages
    }


def bodies(name: str, kwargs: dict, values: dict) -> list[dict | None]:
    """Valid-looking bodies for endpoints that take one."""
    if name in SERVICE_TARGET:
        return [{"service": code} for code in values["code"]]
    if name == "api:transfer":
        return [{"service": "DUKCAPIL-KK"}]
    if name == "api:call_ticket" or (name == "console_action" and kwargs["action"] == "call-ticket"):
        # Every number of the day, each another agency's for someone: the owner test is the queue, not the id.
        return [{"number": number, "reason": "uji"} for number in Ticket.objects.values_list("number", flat=True)]
    if name == "console_action" and kwargs["action"] != "call-next":  # call-next reads no ticket field
        return [{}] + [{"ticket": pk, "service": "DUKCAPIL-KK"} for pk in values["id"]]
    if name == "api:act_on_case":  # a valid action, so ownership (not the body) decides
        return [{"action": "verifikasi"}]
    if name in BOOKING_TARGET:  # without a reason (refused), and with one (revealed when in scope)
        return [{}, {"reason": "uji"}]
    return [{}] if name in POST_ONLY else [None]


def path_of(name: str, kwargs: dict) -> str:
    if name == "api:unknown-path":
        return "/api/v1/tidak-ada/sama-sekali"
    return reverse(name, kwargs=kwargs)


def owners() -> dict[str, dict]:
    """Which agency owns each ticket (by id), counter (by number) and service (by code)."""
    return {
        "ticket": dict(Ticket.objects.values_list("pk", "service__agency_id")),
        "counter": dict(Counter.objects.values_list("number", "agency_id")),
        "service": dict(Service.objects.values_list("code", "agency_id")),
        "number": dict(Ticket.objects.values_list("number", "service__agency_id")),
        "booking": dict(Booking.objects.values_list("code", "service__agency_id")),
        "complaint": dict(Complaint.objects.values_list("pk", "agency_id")),
        "case": dict(Case.objects.values_list("registration_number", "agency_id")),
    }


def foreign_target(name: str, kwargs: dict, body: dict | None, agency_id: int | None, owner_of: dict) -> bool:
    """Whether an acting request points at another agency's ticket, counter or service."""
    if agency_id is None:
        return False
    body = body or {}
    if "number" in body:  # calling a number: its queue's agency owns it
        owner = owner_of["number"].get(body["number"])
    elif name in TICKET_TARGET:
        owner = owner_of["ticket"].get(kwargs.get("id") or body.get("ticket"))
    elif name in COUNTER_TARGET:
        owner = owner_of["counter"].get(kwargs["number"])
    elif name in SERVICE_TARGET:
        owner = owner_of["service"].get(body["service"])
    elif name in BOOKING_TARGET:
        owner = owner_of["booking"].get(kwargs["booking_code"])
    elif name in COMPLAINT_TARGET:
        owner = owner_of["complaint"].get(kwargs["complaint_id"])
    elif name in CASE_TARGET:
        owner = owner_of["case"].get(kwargs["registration_number"])
    else:
        return False
    return owner is not None and owner != agency_id


def requests_to_walk(world, persona: str):
    """Every (name, path, method, body, foreign) to send; foreign actions first, while officers still hold tickets."""
    values = parameter_values(world)
    user = world.users.get(persona)
    agency_id = user.agency_id if user is not None and user.is_agency_bound else None
    owner_of = owners()
    planned = []
    for name, route in url_patterns():
        params = re.findall(r"<(?:\w+:)?(\w+)>", route)
        for combo in itertools.product(*(values[p] for p in params)):
            kwargs = dict(zip(params, combo, strict=True))
            for body in bodies(name, kwargs, values):
                foreign = foreign_target(name, kwargs, body, agency_id, owner_of)
                phase = 0 if foreign else {"ticket_cancel": 2, "logout": 3}.get(name, 1)
                method = "post" if name in POST_ONLY else "get"
                planned.append((phase, name, path_of(name, kwargs), method, body, foreign))
    planned.sort(key=lambda item: item[0])
    return [item[1:] for item in planned]


def world_state():
    return (
        list(Ticket.objects.order_by("pk").values()),
        TicketEvent.objects.count(),
        list(Counter.objects.order_by("pk").values_list("pk", "officer_id", "priority_streak")),
        list(QueueSequence.objects.order_by("pk").values_list("service_id", "day", "last_number")),
    )


def refused(name: str, response) -> bool:
    """403/404; an HTML page may instead send to sign-in, or back to the console with an error message."""
    if response.status_code in (403, 404):
        return True
    if name.startswith("api:") or response.status_code != 302:
        return False
    location = response["Location"]
    if location.startswith((reverse("login"), reverse("device_sign_in"))):
        return True
    if location == reverse("console"):
        storage = messages.get_messages(response.wsgi_request)
        return storage.added_new and list(storage)[-1].level == messages.ERROR
    return False


def send(client, method: str, name: str, path: str, body):
    if body is None:
        return getattr(client, method)(path)
    if name.startswith("api:"):
        return client.post(path, body, content_type="application/json")
    return client.post(path, body)


def full_state():
    """Everything a write could change, bar the sessions and tokens of the walk itself."""
    return (
        world_state(),
        list(Complaint.objects.order_by("pk").values_list("pk", "status", "answer")),
        list(Booking.objects.order_by("pk").values_list("pk", "status")),
        list(Case.objects.order_by("pk").values_list("pk", "state_id", "assignee_id")),
        list(IndicatorScore.objects.order_by("pk").values_list("pk", "self_score", "evaluator_score")),
        list(FollowUpItem.objects.order_by("pk").values_list("pk", "done_at")),
        User.objects.count(),
    )


def mall_of(path: str) -> str | None:
    found = re.search(r"/(?:m|malls)/([\w-]+)/", path)
    return found.group(1) if found else None


def out_of_bounds(name: str, path: str, status: int, user) -> bool:
    """A private URL that answered (2xx) a persona who should not reach it: another mall's for a mall's staff;
    anything but their reads for the accounts above the malls."""
    if user is None or name not in PRIVATE or not 200 <= status < 300:
        return False
    if user.role == Role.MINISTRY:
        return name not in MINISTRY_READS
    if user.role == Role.EVALUATOR:
        return name not in EVALUATOR_READS
    mall = mall_of(path)
    return mall is not None and mall != user.mall.slug


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_url_as_every_persona(persona, db, settings):
    settings.PUBLIC_RATE_LIMIT = 1_000_000  # the walk is one client sending many requests
    world = build_world()
    client = sign_in_as(world, persona)
    user = world.users.get(persona)
    visible = set(scope(user, Ticket.objects.all()).values_list("public_code", flat=True)) if user else set()
    hidden = set(Ticket.objects.values_list("public_code", flat=True)) - visible
    failures = []
    national = user is not None and user.role in (Role.MINISTRY, Role.EVALUATOR)
    for name, path, method, body, foreign in requests_to_walk(world, persona):
        before = world_state() if foreign else None
        # Above the malls every private write is refused (public ones, e.g. cancelling a ticket by its code, are
        # anyone's): compare everything around each private POST.
        watched = national and method == "post" and name in PRIVATE
        everything_before = full_state() if watched else None
        response = send(client, method, name, path, body)
        if watched and full_state() != everything_before:
            failures.append(f"changed data: {method.upper()} {path} {body or ''} as {persona}")
        where = f"{method.upper()} {path} {body or ''} as {persona} -> {response.status_code}"
        if out_of_bounds(name, path, response.status_code, user):
            failures.append(f"reached out of bounds: {where}")
        if response.status_code >= 500 and not (name == "speech" and response.status_code == 503):
            failures.append(f"server error: {where}")
        if response.status_code == 405:
            failures.append(f"wrong method in POST_ONLY: {where}")
        content = getattr(response, "content", b"").decode(errors="replace")
        leaked = [code for code in hidden if code in content and code not in path]
        if leaked:
            failures.append(f"shows another's ticket code {leaked}: {where}")
        if foreign:
            if not refused(name, response):
                failures.append(f"not refused: {where}")
            if world_state() != before:
                failures.append(f"changed another agency's data: {where}")
    assert not failures, "\n".join(failures)


def test_a_nul_character_in_a_page_request_is_refused_before_any_query(client, db, django_assert_num_queries):
    # Found by the walk: PostgreSQL cannot compare text holding NUL, so these were 500s there.
    for method, path, data in [
        ("get", "/t/a%00b/", None),
        ("get", "/m/pekanbaru/display/A/snapshot.json?x=%00", None),
        ("post", "/m/pekanbaru/kiosk/issue/", {"service": "a\x00b"}),
    ]:
        with django_assert_num_queries(0):
            response = getattr(client, method)(path, data)
        assert response.status_code == 400
        assert "karakter yang tidak sah" in response.content.decode()

"""Demo cases (demo only): a few hundred across the agencies, in every state, some overdue.

Opened through ``services`` at past instants of the last few weeks, so the desk, the tracking page
and the on-time figures have something to show. Few carry a phone number: the outbox is not flooded.
"""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from satuatap.accounts.models import Role, User
from satuatap.cases import services
from satuatap.directory.models import Service

SEED = 12
SERVICES_MAX = 16
# The paths a demo case has taken so far (the supervisor approves and rejects, officers do the rest).
PATHS = [
    [],
    ["verifikasi"],
    ["verifikasi", "proses"],
    ["verifikasi", "proses"],
    ["kembalikan"],
    ["verifikasi", "kembalikan", "lengkapi"],
    ["verifikasi", "proses", "setujui"],
    ["verifikasi", "proses", "tolak"],
    ["verifikasi", "proses", "setujui", "siapkan"],
    ["verifikasi", "proses", "setujui", "siapkan", "serahkan"],
    ["verifikasi", "proses", "setujui", "siapkan", "serahkan"],
]
BY_SUPERVISOR = {"setujui", "tolak"}
NOTES = {"kembalikan": "Surat pengantar RT/RW belum ada", "tolak": "Data tidak sesuai dokumen asli"}
NAMES = ["Siti Aminah", "Budi Santoso", "Rahmat Hidayat", "Dewi Lestari", "Andi Saputra", "Nur Aisyah", "Yusuf Harahap"]


def _staff(mall):
    people: dict[int, dict] = {}
    for user in User.objects.filter(mall=mall, role__in=(Role.OFFICER, Role.SUPERVISOR)).order_by("username"):
        entry = people.setdefault(user.agency_id, {"officers": [], "supervisor": None})
        if user.role == Role.SUPERVISOR:
            entry["supervisor"] = user
        else:
            entry["officers"].append(user)
    return people


def _chosen_services(mall, staff) -> list[Service]:
    one_per_agency: dict[int, Service] = {}
    rows = Service.objects.active().filter(mall=mall).exclude(requirements="").select_related("agency", "mall")
    for service in rows.order_by("agency__code", "code"):
        entry = staff.get(service.agency_id)
        if entry and entry["officers"] and entry["supervisor"]:
            one_per_agency.setdefault(service.agency_id, service)
    return list(one_per_agency.values())[:SERVICES_MAX]


def load(mall, *, count: int = 300, now: dt.datetime | None = None) -> int:
    rng = random.Random(SEED)  # noqa: S311 - repeatable demo data, not a secret
    now = now or timezone.now()
    staff = _staff(mall)
    chosen = _chosen_services(mall, staff)
    if not chosen:
        return 0
    made = 0
    for i in range(count):
        service = chosen[i % len(chosen)]
        people = staff[service.agency_id]
        officer = rng.choice(people["officers"])
        opened = now - dt.timedelta(days=rng.randint(0, 24), hours=rng.randint(0, 6))
        nik = "1471" + "".join(rng.choice("0123456789") for _ in range(12))
        phone = "0812" + "".join(rng.choice("0123456789") for _ in range(8)) if i % 10 == 0 else ""
        case = services.open_case(officer, service, nik=nik, name=rng.choice(NAMES), phone=phone, now=opened)
        if rng.random() < 0.7:
            services.assign(people["supervisor"], case, officer)
        at = opened
        for code in rng.choice(PATHS):
            at += dt.timedelta(hours=rng.randint(3, 60))
            if at >= now:
                break
            who = people["supervisor"] if code in BY_SUPERVISOR else officer
            services.act(who, case, code, note=NOTES.get(code, ""), now=at)
        made += 1
    services.escalate_overdue(now)
    return made

"""The yardstick of ``bench/http_hotpath.py``: django-ninja doing nothing but two SQL statements a request.

    gunicorn bench.bare_ninja:application      (DATABASE_URL=postgres://... or BARE_SQLITE=/path/file)
    python bench/bare_ninja.py setup           (creates its three tables)

Same framework, same server (gunicorn sync workers), same database as satuatap with the same
persistent connections (``CONN_MAX_AGE=60``), none of its work: no authentication,
no tenancy, no caches, no estimate, no live hint. Each endpoint is one transaction of two
statements: issue (the number upsert, the ticket insert), call-next (pick and update in one
statement with SKIP LOCKED on PostgreSQL, the event insert) and finish (update, event insert).
"""

from __future__ import annotations

import os
import sys
from urllib.parse import urlsplit

import django
from django.conf import settings


def _database() -> dict:
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        parts = urlsplit(url)
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": parts.path.lstrip("/"),
            "USER": parts.username or "postgres",
            "PASSWORD": parts.password or "",
            "HOST": parts.hostname or "127.0.0.1",
            "PORT": parts.port or 5432,
            "CONN_MAX_AGE": 60,  # as satuatap's settings: one connection per worker, kept
        }
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": os.environ.get("BARE_SQLITE", "bare.sqlite3"),
        "CONN_MAX_AGE": 0,  # as satuatap's settings for SQLite
        "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": 30, "init_command": "PRAGMA journal_mode=WAL;"},
    }


if not settings.configured:
    settings.configure(
        DEBUG=False,
        SECRET_KEY="bare-bench-only",  # noqa: S106 (a throwaway benchmark app)
        ALLOWED_HOSTS=["*"],
        ROOT_URLCONF=__name__,
        DATABASES={"default": _database()},
        INSTALLED_APPS=[],
        MIDDLEWARE=[],
        USE_TZ=True,
    )
    django.setup()

from django.core.wsgi import get_wsgi_application  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.urls import path  # noqa: E402
from ninja import NinjaAPI  # noqa: E402

api = NinjaAPI(title="bare", urls_namespace="bare")
SKIP_LOCKED = " FOR UPDATE SKIP LOCKED" if connection.vendor == "postgresql" else ""

TABLES = [
    "CREATE TABLE IF NOT EXISTS bare_sequence (day TEXT PRIMARY KEY, last_number INTEGER NOT NULL)",
    "CREATE TABLE IF NOT EXISTS bare_ticket (id {serial}, number INTEGER NOT NULL, status TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS bare_event (id {serial}, ticket_id INTEGER NOT NULL, action TEXT NOT NULL)",
    # the pick walks this index (as satuatap's pick walks its own): it does not grow with the done tickets
    "CREATE INDEX IF NOT EXISTS bare_ticket_waiting ON bare_ticket (id) WHERE status = 'waiting'",
]


def _one(sql: str, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()


@api.post("/issue")
def issue(request):
    with transaction.atomic():
        (number,) = _one(
            "INSERT INTO bare_sequence (day, last_number) VALUES ('today', 1) ON CONFLICT (day) "
            "DO UPDATE SET last_number = bare_sequence.last_number + 1 RETURNING last_number"
        )
        (ticket,) = _one("INSERT INTO bare_ticket (number, status) VALUES (%s, 'waiting') RETURNING id", [number])
    return {"id": ticket, "number": number}


@api.post("/call-next")
def call_next(request):
    with transaction.atomic():
        row = _one(
            "UPDATE bare_ticket SET status = 'called' WHERE id = (SELECT id FROM bare_ticket "  # noqa: S608 (a constant)
            f"WHERE status = 'waiting' ORDER BY id LIMIT 1{SKIP_LOCKED}) RETURNING id, number"
        )
        if row is None:
            return api.create_response(request, None, status=204)
        _one("INSERT INTO bare_event (ticket_id, action) VALUES (%s, 'called') RETURNING id", [row[0]])
    return {"id": row[0], "number": row[1]}


@api.post("/finish/{ticket_id}")
def finish(request, ticket_id: int):
    with transaction.atomic():
        done = "UPDATE bare_ticket SET status = 'done' WHERE id = %s AND status = 'called' RETURNING id"
        row = _one(done, [ticket_id])
        if row is None:
            return api.create_response(request, {"detail": "not called"}, status=409)
        _one("INSERT INTO bare_event (ticket_id, action) VALUES (%s, 'finished') RETURNING id", [ticket_id])
    return {"id": ticket_id}


urlpatterns = [path("api/", api.urls)]
application = get_wsgi_application()


def setup() -> None:
    serial = "SERIAL PRIMARY KEY" if connection.vendor == "postgresql" else "INTEGER PRIMARY KEY AUTOINCREMENT"
    with connection.cursor() as cursor:
        for statement in TABLES:
            cursor.execute(statement.format(serial=serial))


if __name__ == "__main__" and sys.argv[1:] == ["setup"]:
    setup()

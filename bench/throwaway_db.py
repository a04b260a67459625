"""A throwaway database for a bench script: a temp SQLite file, or a PostgreSQL database created and dropped."""

from __future__ import annotations

import os
import shutil
import tempfile
from urllib.parse import urlsplit, urlunsplit


def prepare_database(name: str) -> tuple[str, object]:
    """Point the settings at a throwaway database (call before django.setup()); return its description and a cleanup.

    Without ``DATABASE_URL``: a SQLite file in a temporary folder (``SATUATAP_VAR``). With a PostgreSQL
    ``DATABASE_URL``: database ``name`` on that server, dropped first if left over, dropped again by the cleanup.
    """
    url = os.environ.get("DATABASE_URL", "")
    if not url:
        tmp = tempfile.mkdtemp(prefix=f"{name.replace('_', '-')}-")
        os.environ["SATUATAP_VAR"] = tmp  # settings put the SQLite file under SATUATAP_VAR
        return f"SQLite file {tmp}/satuatap.sqlite3", lambda: shutil.rmtree(tmp, ignore_errors=True)
    import psycopg

    # Helpers sharing one server each set their own CHANNELS_PREFIX: one bench must not drop another's database.
    name = "_".join(filter(None, (name, os.environ.get("CHANNELS_PREFIX", "").lower())))
    parts = urlsplit(url)
    admin_url = urlunsplit(parts._replace(path="/postgres"))

    def admin(sql: str) -> None:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(sql)

    admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    admin(f"CREATE DATABASE {name}")
    os.environ["DATABASE_URL"] = urlunsplit(parts._replace(path=f"/{name}"))

    def drop() -> None:
        from django.db import connections

        connections.close_all()
        admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")

    return f"PostgreSQL database {name} (created, dropped at the end)", drop


HISTORY_SQL = """
INSERT INTO queueing_ticket (mall_id, issued_service_id, service_id, day, seq, number, public_code, status,
    priority_group, source, issued_at, queued_at, called_at, finished_at, recall_count, predicted_wait_minutes)
SELECT %(mall)s, s.id, s.id, d.day, q.seq, s.prefix || lpad(q.seq::text, 3, '0'), substr(md5(g::text), 1, 24),
    'done', '', 'kiosk', d.at, d.at, d.at + interval '10 minutes', d.at + interval '20 minutes', 0, 10
FROM generate_series(0, %(total)s - 1) AS g
CROSS JOIN LATERAL (SELECT (g %% %(services)s) + 1 AS k, (g %% %(per_day)s) / %(services)s + 1 AS seq) q
CROSS JOIN LATERAL (
    SELECT (%(first_day)s::date + (g / %(per_day)s)::int) AS day,
        (%(first_day)s::date + (g / %(per_day)s)::int) + time '01:00' + (g %% %(per_day)s) * interval '3 seconds'
            AS at
) d
JOIN (SELECT id, prefix, row_number() OVER (ORDER BY id) AS k FROM directory_service WHERE mall_id = %(mall)s) s
    ON s.k = q.k
"""


def load_history(cursor, *, mall_id: int, services: int, total: int, per_day: int, first_day) -> None:
    """PostgreSQL: ``total`` finished tickets of past days, ``per_day`` a day from ``first_day`` on, spread over
    the mall's first ``services`` services (by id), with unique numbers per queue-day (``HISTORY_SQL``)."""
    params = {"mall": mall_id, "total": total, "services": services, "per_day": per_day, "first_day": first_day}
    cursor.execute(HISTORY_SQL, params)


def hotpath_world(waiting: int):
    """After ``django.setup()`` on a throwaway database: migrate, the ``make_world`` mall with officer1
    signed in at counter 1 and ``waiting`` tickets already waiting (KTP-el and passport, alternating).
    Returns the world and the kiosk's and officer1's tokens (the raw bearer strings)."""
    from django.conf import settings
    from django.core.management import call_command

    from satuatap.queueing import tickets
    from satuatap.testing import bearer_as, make_world, seat

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast users, not under test
    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", verbosity=0)
    world = make_world()
    seat(world, 1)
    for i in range(waiting):
        tickets.issue_ticket(world.services["DUKCAPIL-KTP" if i % 2 else "IMIGRASI-PASPOR"])
    kiosk, officer = (bearer_as(world, name)["Authorization"].split()[1] for name in ("kiosk", "officer1"))
    analyze()
    return world, kiosk, officer


def analyze() -> None:
    """Table statistics, as a live database has them: without them PostgreSQL plans the new tables as empty
    (a generic plan made then, for a prepared statement or a PL/pgSQL function, is kept for the session)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")

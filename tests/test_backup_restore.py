"""``scripts/backup-restore drill`` on a demo database of its own: dump, wipe, restore, same rows, same audit chains.

On the PostgreSQL pass (``DATABASE_URL`` set) the database is ``<name>_backup`` beside the test database, dumped
with pg_dump and restored with pg_restore; on SQLite a file in a temporary directory, through the backup API.
The last step breaks the restored chain and checks the script refuses it.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest

ROOT = Path(__file__).resolve().parent.parent


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)


@pytest.fixture
def demo_env(tmp_path):
    """The environment of a process that sees only the demo database (made here, dropped afterwards)."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SATUATAP_VAR")}
    env.update(SATUATAP_VAR=str(tmp_path), DJANGO_SETTINGS_MODULE="satuatap.settings")
    url = os.environ.get("DATABASE_URL", "")
    admin_url = None
    if url:
        parts = urlsplit(url)
        name = parts.path.lstrip("/") + "_backup"
        env["DATABASE_URL"] = urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, ""))
        admin_url = urlunsplit(("postgresql", parts.netloc, "/postgres", parts.query, ""))
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
            admin.execute(f'CREATE DATABASE "{name}"')
    for step in (["migrate", "-v0"], ["demo", "--hours", "always"]):
        done = _run([sys.executable, "manage.py", *step], env)
        assert done.returncode == 0, done.stderr
    yield env
    if admin_url:
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_a_demo_database_is_dumped_wiped_and_restored_whole(demo_env, tmp_path):
    drill = _run(
        ["scripts/backup-restore", "drill", "--keep", str(tmp_path / "kept")], {**demo_env, "PYTHON": sys.executable}
    )
    assert drill.returncode == 0, drill.stdout + drill.stderr
    assert "restore matches the backup" in drill.stdout
    tables, rows = map(int, re.search(r"(\d+) tables, (\d+) rows", drill.stdout).groups())
    assert tables > 40 and rows > 2000  # the demo mall: 33 agencies, 191 services, 266 counters, their users
    assert "1 audit chain(s)" in drill.stdout
    assert (tmp_path / "kept" / "satuatap.dump").stat().st_size > 0

    # A restored database whose audit chain was edited is refused before anything is dumped from it.
    code = (
        "import django; django.setup(); from satuatap.audit.models import AuditEntry; "
        "AuditEntry.objects.filter(pk=AuditEntry.objects.order_by('id')[1].pk).update(actor='x')"
    )
    assert _run([sys.executable, "-c", code], demo_env).returncode == 0
    refused = _run(
        ["scripts/backup-restore", "dump", str(tmp_path / "again.dump")], {**demo_env, "PYTHON": sys.executable}
    )
    assert refused.returncode == 1 and "audit chain broken at entry" in refused.stderr

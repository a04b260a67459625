"""Back up and restore satuatap's database, and prove a backup restores (``scripts/backup-restore``).

    scripts/backup-restore dump FILE       a dump (PostgreSQL: pg_dump custom format; SQLite: the backup API)
                                           and FILE.manifest.json (row counts per table, each audit chain's head)
    scripts/backup-restore restore FILE    into the configured, empty (or wiped) database, then compare with
                                           the manifest: exit 1 naming every table or chain that differs
    scripts/backup-restore drill [--keep DIR]   dump, WIPE the configured database, restore, compare:
                                           the restore test, for a demo or staging database, never production

The database is the one the app uses: ``DATABASE_URL`` (PostgreSQL), else the SQLite file under
``SATUATAP_VAR``. The audit chains are verified before the dump and after the restore
(``audit.log.first_break``), and each chain's length and newest hash must match: a restore that lost the
newest entries is caught too (which the chain alone cannot show).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "satuatap.settings")


class Failed(Exception):
    pass


def _setup():
    import django

    django.setup()


def _db():
    from django.db import connection

    return connection


def _libpq_url() -> str:
    """The database URL for pg_dump/pg_restore/psql (libpq reads postgres:// URLs itself)."""
    return os.environ["DATABASE_URL"]


def _run(args: list[str]) -> None:
    """A PostgreSQL client tool of this machine (pg_dump, pg_restore, psql), by its full path."""
    tool = shutil.which(args[0])
    if tool is None:
        raise Failed(f"{args[0]} is not installed (apt-get install postgresql-client)")
    subprocess.run([tool, *args[1:]], check=True)  # noqa: S603 (our own arguments, no shell)


def snapshot() -> dict:
    """Row counts of every table and each audit chain's (length, newest hash); refuses a broken chain."""
    from satuatap.audit.log import first_break, heads

    connection = _db()
    with connection.cursor() as cursor:
        tables = sorted(connection.introspection.table_names(cursor))
        counts = {}
        for table in tables:
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608 (table names)
            counts[table] = cursor.fetchone()[0]
    broken = first_break()
    if broken is not None:
        raise Failed(f"audit chain broken at entry {broken.entry_id} [{broken.kind}]: {broken.detail}")
    return {"vendor": connection.vendor, "tables": counts, "audit_heads": {k: list(v) for k, v in heads().items()}}


def _close():
    from django.db import connections

    connections.close_all()


def dump(target: Path) -> dict:
    manifest = snapshot()
    _close()
    if manifest["vendor"] == "postgresql":
        _run(["pg_dump", "--format=custom", "--no-owner", f"--file={target}", _libpq_url()])
    else:
        source = sqlite3.connect(_sqlite_path())
        copy = sqlite3.connect(target)
        with copy:
            source.backup(copy)  # consistent even while the app writes (WAL)
        copy.close()
        source.close()
    Path(f"{target}.manifest.json").write_text(json.dumps(manifest, indent=1, sort_keys=True))
    return manifest


def wipe() -> None:
    """Empty the configured database (every table gone), as a lost disk or a dropped database would."""
    connection = _db()
    vendor = connection.vendor
    _close()
    if vendor == "postgresql":
        _run(
            [
                "psql",
                "-q",
                "-v",
                "ON_ERROR_STOP=1",
                "-c",
                "DROP SCHEMA public CASCADE; CREATE SCHEMA public;",
                _libpq_url(),
            ],
        )
    else:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{_sqlite_path()}{suffix}").unlink(missing_ok=True)


def restore(source: Path) -> None:
    connection = _db()
    vendor = connection.vendor
    _close()
    if vendor == "postgresql":
        _run(
            ["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", f"--dbname={_libpq_url()}", str(source)],
        )
    else:
        backup = sqlite3.connect(source)
        live = sqlite3.connect(_sqlite_path())
        with live:
            backup.backup(live)
        live.close()
        backup.close()


def compare(expected: dict, actual: dict) -> list[str]:
    """Every difference, in words; empty when the restore is complete."""
    problems = []
    for table in sorted(set(expected["tables"]) | set(actual["tables"])):
        before, after = expected["tables"].get(table), actual["tables"].get(table)
        if before != after:
            problems.append(f"table {table}: {before} rows before, {after} after")
    for chain in sorted(set(expected["audit_heads"]) | set(actual["audit_heads"])):
        before, after = expected["audit_heads"].get(chain), actual["audit_heads"].get(chain)
        if before != after:
            problems.append(f"audit chain of mall {chain}: {before} before, {after} after")
    return problems


def _sqlite_path() -> str:
    return str(_db().settings_dict["NAME"])


def report(manifest: dict, problems: list[str]) -> None:
    rows = sum(manifest["tables"].values())
    chains = manifest["audit_heads"]
    print(
        f"{len(manifest['tables'])} tables, {rows} rows; {len(chains)} audit chain(s), "
        f"{sum(n for n, _h in chains.values())} entries"
    )
    for problem in problems:
        print(f"  DIFFERS: {problem}")
    print("restore matches the backup" if not problems else f"{len(problems)} difference(s)")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("dump").add_argument("file", type=Path)
    sub.add_parser("restore").add_argument("file", type=Path)
    drill = sub.add_parser("drill")
    drill.add_argument("--keep", type=Path, default=None, help="keep the dump and its manifest in this directory")
    args = parser.parse_args(argv)
    _setup()
    try:
        if args.command == "dump":
            report(dump(args.file), [])
            return 0
        if args.command == "restore":
            expected = json.loads(Path(f"{args.file}.manifest.json").read_text())
            restore(args.file)
            problems = compare(expected, snapshot())
            report(expected, problems)
            return 1 if problems else 0
        workdir = Path(tempfile.mkdtemp(prefix="satuatap-backup-"))
        target = workdir / "satuatap.dump"
        expected = dump(target)
        wipe()
        restore(target)
        problems = compare(expected, snapshot())
        report(expected, problems)
        if args.keep is not None:
            args.keep.mkdir(parents=True, exist_ok=True)
            for path in workdir.iterdir():
                shutil.copy2(path, args.keep / path.name)
        shutil.rmtree(workdir, ignore_errors=True)
        return 1 if problems else 0
    except (Failed, subprocess.CalledProcessError) as err:
        print(f"backup-restore: {err}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())

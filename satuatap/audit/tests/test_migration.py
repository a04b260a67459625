"""The move to one chain per mall: entries written under the single chain are re-linked per mall, and a tampered
single chain stops the migration instead of being laundered into valid per-mall chains."""

import datetime as dt
import hashlib
import json

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from satuatap.audit.log import first_break
from satuatap.audit.models import AuditEntry

BEFORE = [("audit", "0002_alter_auditentry_options")]

pytestmark = pytest.mark.django_db(transaction=True)  # the test migrates the schema back and forth


def migrate(targets):
    MigrationExecutor(connection).migrate(targets)
    loader = MigrationExecutor(connection).loader
    return loader.project_state(list(loader.applied_migrations)).apps


def latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def old_chain(apps, malls):
    """Entries as the single global chain wrote them."""
    Entry = apps.get_model("audit", "AuditEntry")
    prev = ""
    at = dt.datetime(2026, 11, 23, 2, 0, tzinfo=dt.UTC)
    for i, mall_id in enumerate(malls):
        entry = Entry(at=at + dt.timedelta(minutes=i), mall_id=mall_id, action=f"old.step{i}", data={"i": i})
        body = [prev, entry.at.isoformat(), mall_id, "", entry.action, "", entry.data]
        entry.prev_hash = prev
        entry.hash = prev = hashlib.sha256(json.dumps(body, sort_keys=True, default=str).encode()).hexdigest()
        entry.save()


@pytest.fixture
def back_before_the_move():
    apps = migrate(BEFORE)
    yield apps
    AuditEntry.objects.all().delete()
    migrate(latest())


def test_the_single_chain_is_re_linked_per_mall(back_before_the_move):
    old_chain(back_before_the_move, [1, 2, 1, None, 2])
    migrate(latest())
    assert first_break() is None
    entries = list(AuditEntry.objects.order_by("id"))
    assert [e.prev_hash == "" for e in entries] == [True, True, False, True, False]
    assert entries[2].prev_hash == entries[0].hash and entries[4].prev_hash == entries[1].hash


def test_a_tampered_single_chain_stops_the_migration(back_before_the_move):
    old_chain(back_before_the_move, [1, 2, 1])
    Entry = back_before_the_move.get_model("audit", "AuditEntry")
    victim = Entry.objects.order_by("id")[1]
    Entry.objects.filter(pk=victim.pk).update(actor="someone")
    with pytest.raises(RuntimeError, match=f"audit chain broken at entry {victim.pk}"):
        migrate(latest())

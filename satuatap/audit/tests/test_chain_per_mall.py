"""One audit chain per mall: writers of different malls never wait for each other, and each chain verifies."""

import threading

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction

from satuatap.audit.log import chain_lock_keys, first_break, heads, record
from satuatap.audit.models import AuditEntry
from satuatap.directory.models import Mall


@pytest.fixture
def malls(db):
    return [Mall.objects.create(slug=f"m{i}", name=f"MPP {i}", city=f"Kota {i}") for i in range(2)]


def interleaved(malls, rounds=3):
    entries = []
    for i in range(rounds):
        for mall in malls:
            entries.append(record(f"test.step{i}", mall_id=mall.pk, data={"i": i}))
        entries.append(record("test.national", data={"i": i}))  # an entry of no mall: a chain of its own
    return entries


def test_each_entry_links_to_the_previous_entry_of_its_own_mall(malls):
    entries = interleaved(malls)
    for chain_of in [malls[0].pk, malls[1].pk, None]:
        chain = [e for e in entries if e.mall_id == chain_of]
        assert chain[0].prev_hash == ""
        assert [e.prev_hash for e in chain[1:]] == [e.hash for e in chain[:-1]]
    assert first_break() is None
    assert heads()[str(malls[0].pk)] == (3, entries[-3].hash) and heads()["none"] == (3, entries[-1].hash)


def test_an_edit_in_one_malls_chain_is_named_and_the_other_chain_still_holds(malls):
    entries = interleaved(malls)
    victim = entries[4]  # the second entry of the second mall
    assert victim.mall_id == malls[1].pk
    AuditEntry.objects.filter(pk=victim.pk).update(actor="someone")
    with pytest.raises(CommandError, match=rf"entry {victim.pk} \[edited\]"):
        call_command("audit_verify")
    assert first_break(malls[0].pk) is None
    assert first_break(malls[1].pk).entry_id == victim.pk


def test_a_deleted_entry_is_found_at_the_next_entry_of_the_same_mall(malls):
    entries = interleaved(malls)
    AuditEntry.objects.filter(pk=entries[0].pk).delete()  # the first mall's first entry
    broken = first_break()
    assert (broken.entry_id, broken.kind) == (entries[3].pk, "gap")  # the first mall's next entry, not entries[1]


@pytest.mark.django_db(transaction=True)  # the writers are threads with connections of their own
def test_writers_of_two_malls_take_different_locks():
    malls = [101, 102]  # mall ids (the chain needs no mall row)
    assert chain_lock_keys(malls[0]) != chain_lock_keys(malls[1])
    assert chain_lock_keys(None) == chain_lock_keys(0)
    if connection.vendor != "postgresql":
        return  # SQLite: one writer at a time for every table; there is no per-chain lock to show
    holding, release, done = threading.Event(), threading.Event(), threading.Event()

    def hold_first_mall():
        with transaction.atomic():
            record("test.held", mall_id=malls[0])
            holding.set()
            release.wait(10)
        connection.close()

    def write_second_mall():
        record("test.free", mall_id=malls[1])
        done.set()
        connection.close()

    first = threading.Thread(target=hold_first_mall)
    first.start()
    assert holding.wait(10)
    second = threading.Thread(target=write_second_mall)
    second.start()
    try:
        assert done.wait(5), "a writer of another mall waited for the first mall's chain"
    finally:
        release.set()
        first.join()
        second.join()

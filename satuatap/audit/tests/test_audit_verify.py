"""manage.py audit_verify finds an edited entry and a removed one, naming the first that does not hold."""

import pytest
from django.core.management import CommandError, call_command

from satuatap.audit.log import record
from satuatap.audit.models import AuditEntry

pytestmark = pytest.mark.django_db


def chain(n=4):
    return [record(f"test.step{i}", subject=f"s{i}", data={"i": i}) for i in range(n)]


def test_an_intact_chain_verifies(capsys):
    chain()
    call_command("audit_verify")
    assert "audit chain intact: 4 entries" in capsys.readouterr().out


def test_an_entry_edited_in_the_database_is_named():
    entries = chain()
    AuditEntry.objects.filter(pk=entries[1].pk).update(data={"i": 99})  # behind the application's back
    with pytest.raises(CommandError, match=rf"entry {entries[1].pk} \[edited\]"):
        call_command("audit_verify")


def test_an_entry_deleted_from_the_middle_is_found_at_the_next():
    entries = chain()
    AuditEntry.objects.filter(pk=entries[2].pk).delete()
    with pytest.raises(CommandError, match=rf"entry {entries[3].pk} \[gap\]"):
        call_command("audit_verify")


def test_an_inserted_entry_with_a_made_up_link_is_found():
    entries = chain(2)
    forged = AuditEntry(at=entries[1].at, action="test.forged", prev_hash="0" * 64)
    forged.hash = forged.compute_hash()  # a consistent row of its own, but not linked to the chain
    forged.save()
    with pytest.raises(CommandError, match=rf"entry {forged.pk} \[gap\]"):
        call_command("audit_verify")

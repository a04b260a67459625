"""``satuatap.instances``: the hot path's copies and rows are the instances Django's own paths make."""

import copy

import pytest
from django.db import connection
from django.db.models.signals import post_init

from satuatap.instances import detached, from_values
from satuatap.queueing import statements, tickets
from satuatap.queueing.models import Ticket

pytestmark = pytest.mark.django_db


def _fields(instance) -> dict:
    return {key: value for key, value in instance.__dict__.items() if key != "_state"}


def _row(ticket: Ticket) -> dict:
    return {f.attname: getattr(ticket, f.attname) for f in Ticket._meta.concrete_fields}


@pytest.fixture
def ticket(world, monday_morning):
    return Ticket.objects.get(pk=tickets.issue_ticket(world.services["DUKCAPIL-KTP"], priority_group="").pk)


def test_a_row_becomes_the_instance_from_db_makes(ticket):
    row = _row(ticket)
    made = from_values(Ticket, row, "default")
    django_made = Ticket.from_db("default", list(row), list(row.values()))
    assert type(made) is Ticket
    assert _fields(made) == _fields(django_made)
    assert (made._state.db, made._state.adding) == ("default", False)
    assert (django_made._state.db, django_made._state.adding) == ("default", False)
    # It behaves as a loaded row: related objects load, a save updates the row (no insert).
    assert made.service == ticket.service
    made.recall_count = 3
    made.save(update_fields=["recall_count"])
    assert Ticket.objects.get(pk=ticket.pk).recall_count == 3
    assert Ticket.objects.count() == 1


def test_a_model_with_init_receivers_takes_djangos_own_path(ticket):
    seen = []

    def receiver(sender, instance, **kwargs):
        seen.append(instance.pk)

    post_init.connect(receiver, sender=Ticket)
    try:
        made = from_values(Ticket, _row(ticket), "default")
    finally:
        post_init.disconnect(receiver, sender=Ticket)
    assert seen == [ticket.pk]
    assert _fields(made) == _fields(ticket)  # the same values, through Django's own constructor


def test_a_row_short_of_a_field_takes_djangos_own_path(ticket):
    row = _row(ticket)
    del row["predicted_wait_minutes"]
    made = from_values(Ticket, row, "default")
    assert made.get_deferred_fields() == {"predicted_wait_minutes"}
    assert made.predicted_wait_minutes == ticket.predicted_wait_minutes  # loaded on access, as from_db's


def test_a_detached_copy_is_copy_copys_and_changes_nothing_shared(ticket):
    ticket = Ticket.objects.select_related("service").get(pk=ticket.pk)
    clone, reference = detached(ticket), copy.copy(ticket)
    # copy.copy goes through pickling's __getstate__, which adds the Django version a pickle carries.
    assert _fields(clone) == {key: value for key, value in _fields(reference).items() if key != "_django_version"}
    assert clone._state.__dict__.keys() == reference._state.__dict__.keys()
    assert clone.service is ticket.service  # the related objects are shared, as copy.copy shares them
    clone.status = "done"
    clone.service = None
    assert ticket.status == "waiting"
    assert ticket.service is not None  # its own cache of related objects


def test_the_hot_statements_rows_equal_the_orms(world, monday_morning):
    """Whatever the database gives (binary results on PostgreSQL), the ticket equals the ORM's: aware, in UTC."""
    issued = tickets.issue_ticket(world.services["DUKCAPIL-KTP"])
    loaded = Ticket.objects.get(pk=issued.pk)
    assert {k: v for k, v in _fields(issued).items() if k in _fields(loaded)} == _fields(loaded)
    assert issued.issued_at.utcoffset().total_seconds() == 0
    assert statements.on_postgresql() is (connection.vendor == "postgresql")

"""Complaints moved from ``feedback`` to their own app: a complaint filed before the move survives it whole.

The database is migrated back to the state before the move, a complaint with its history and an attachment
is written through the models of that time, and the database is migrated forward again. This test changes
the schema, so it runs in a real transaction (``transaction=True``) and always migrates back to the latest
state, even when it fails.
"""

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from satuatap.complaints.models import Complaint, ComplaintAttachment, ComplaintEvent

BEFORE = [("feedback", "0005_surveyresponse_source"), ("complaints", None)]

pytestmark = pytest.mark.django_db(transaction=True)


def migrate(targets):
    """Migrate to ``targets``; the models (apps) of the state the database is then in."""
    MigrationExecutor(connection).migrate(targets)
    loader = MigrationExecutor(connection).loader
    return loader.project_state(list(loader.applied_migrations)).apps


def latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def tables() -> set[str]:
    with connection.cursor() as cursor:
        return set(connection.introspection.table_names(cursor))


@pytest.fixture
def before_the_move(world):
    try:
        yield migrate(BEFORE)
    finally:
        migrate(latest())


def test_a_complaint_with_its_events_and_attachment_survives_the_move(world, before_the_move):
    old = before_the_move
    assert {"feedback_complaint", "feedback_complaintevent", "feedback_complaintattachment"} <= tables()
    OldComplaint = old.get_model("feedback", "Complaint")
    OldEvent = old.get_model("feedback", "ComplaintEvent")
    OldAttachment = old.get_model("feedback", "ComplaintAttachment")
    manager = world.users["manager"]
    at = dt.datetime(2026, 11, 23, 2, 30, tzinfo=dt.UTC)
    complaint = OldComplaint.objects.create(
        mall_id=world.mall.pk,
        agency_id=world.agencies["IMIGRASI"].pk,
        tracking_code="ADU-AB23-CD45",
        subject="Antrean paspor",
        body="Menunggu tiga jam.",
        contact="warga@example.org",
        status="verified",
        verify_due=dt.date(2026, 11, 26),
        follow_up_due=dt.date(2026, 12, 14),
        answer="",
    )
    received = OldEvent.objects.create(complaint=complaint, from_status="", to_status="received", at=at)
    verified = OldEvent.objects.create(
        complaint=complaint,
        from_status="received",
        to_status="verified",
        at=at + dt.timedelta(hours=1),
        actor_id=manager.pk,
        note="Lengkap.",
        notify_contact=True,
    )
    attachment = OldAttachment.objects.create(
        complaint=complaint,
        original_name="bukti.png",
        content_type="image/png",
        size=68,
        sha256="a" * 64,
        path=f"complaints/ADU-AB23-CD45/{'a' * 64}.png",
    )
    created_at = OldComplaint.objects.get(pk=complaint.pk).created_at

    migrate(latest())

    assert {"complaints_complaint", "complaints_complaintevent", "complaints_complaintattachment"} <= tables()
    assert not {"feedback_complaint", "feedback_complaintevent", "feedback_complaintattachment"} & tables()
    moved = Complaint.objects.get(pk=complaint.pk)
    assert (moved.mall, moved.agency) == (world.mall, world.agencies["IMIGRASI"])
    assert (moved.tracking_code, moved.subject, moved.body, moved.contact) == (
        "ADU-AB23-CD45",
        "Antrean paspor",
        "Menunggu tiga jam.",
        "warga@example.org",
    )
    assert (moved.status, moved.verify_due, moved.follow_up_due) == (
        "verified",
        dt.date(2026, 11, 26),
        dt.date(2026, 12, 14),
    )
    assert moved.created_at == created_at and moved.due == dt.date(2026, 12, 14)
    events = list(moved.events.all())
    assert [e.pk for e in events] == [received.pk, verified.pk]
    assert [(e.from_status, e.to_status, e.at, e.actor, e.note, e.notify_contact) for e in events] == [
        ("", "received", at, None, "", False),
        ("received", "verified", at + dt.timedelta(hours=1), manager, "Lengkap.", True),
    ]
    assert ComplaintEvent.objects.get(pk=verified.pk).complaint == moved
    kept = moved.attachments.get()
    assert kept.pk == attachment.pk
    assert (kept.original_name, kept.content_type, kept.size, kept.sha256, kept.path, kept.download_name) == (
        "bukti.png",
        "image/png",
        68,
        "a" * 64,
        f"complaints/ADU-AB23-CD45/{'a' * 64}.png",
        "bukti.png",
    )
    assert ComplaintAttachment.objects.get(pk=attachment.pk).complaint == moved
    # New rows after the move take the next ids (the tables' sequences came along).
    after = Complaint.objects.create(
        mall=world.mall, tracking_code="ADU-EF67-GH89", subject="s", body="b", verify_due=dt.date(2026, 12, 1)
    )
    assert after.pk > moved.pk


def test_the_content_types_follow_the_models(world, before_the_move):
    OldContentType = before_the_move.get_model("contenttypes", "ContentType")
    labels = {(ct.app_label, ct.model) for ct in OldContentType.objects.filter(model__startswith="complaint")}
    assert ("feedback", "complaint") in labels and not any(app == "complaints" for app, _model in labels)
    ids = dict(OldContentType.objects.filter(model__startswith="complaint").values_list("model", "pk"))

    migrate(latest())

    ContentType.objects.clear_cache()
    assert ContentType.objects.get_for_model(Complaint).pk == ids["complaint"]
    assert ContentType.objects.get_for_model(ComplaintEvent).pk == ids["complaintevent"]
    assert ContentType.objects.get_for_model(ComplaintAttachment).pk == ids["complaintattachment"]
    assert not ContentType.objects.filter(app_label="feedback", model__startswith="complaint").exists()

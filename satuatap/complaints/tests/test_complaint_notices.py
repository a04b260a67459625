"""Complaint notices: each step of a complaint told to a complainant who left a contact.

The sweep is ``complaints/reminders.py``; it writes through the notify outbox, so these tests
use the notify test settings (sandbox on, links on a known host).
"""

import datetime as dt

import pytest
from django.utils import timezone

from satuatap import personal_data
from satuatap.complaints import complaints
from satuatap.complaints import reminders as complaint_reminders
from satuatap.notify.models import Message, Status


@pytest.fixture(autouse=True)
def _notify_settings(settings, tmp_path):
    settings.NOTIFY_SANDBOX = True
    settings.NOTIFY_FILE = str(tmp_path / "notify-outbox.jsonl")
    settings.NOTIFY_BASE_URL = "https://mpp.example.go.id"


def test_every_step_of_a_complaint_tells_a_complainant_with_an_email(world):
    manager = world.users["manager"]
    complaint = complaints.file_complaint(world.mall, "Antrean lama", "Menunggu tiga jam.", contact="siti@example.com")
    assert complaint_reminders.notify_complaint_events() == 1
    assert complaint_reminders.notify_complaint_events() == 0
    received = Message.objects.get()
    assert received.channel == "email" and received.kind == "complaint_update"
    assert complaint.tracking_code in received.body and "Diterima" in received.body
    assert f"Lacak pengaduan Anda: https://mpp.example.go.id/pengaduan/{complaint.tracking_code}/" in received.body
    assert personal_data.decrypt(received.address_encrypted) == "siti@example.com"
    complaints.verify(complaint, manager)
    complaints.forward(complaint, manager, world.agencies["DUKCAPIL"])
    complaints.start(complaint, world.users["sup_dukcapil"])
    complaints.answer(complaint, world.users["sup_dukcapil"], "Loket tambahan dibuka mulai Senin.")
    assert complaint_reminders.notify_complaint_events() == 4
    bodies = list(Message.objects.order_by("pk").values_list("body", flat=True))
    assert "Diverifikasi" in bodies[1]
    assert "Diteruskan ke instansi" in bodies[2] and "Dinas Kependudukan" in bodies[2]
    assert "Sedang ditangani" in bodies[3]
    assert "Dijawab" in bodies[4] and "Loket tambahan dibuka mulai Senin." in bodies[4]
    assert Message.objects.filter(subject_ref=f"complaint:{complaint.tracking_code}").count() == 5


def test_a_phone_contact_gets_sms_and_not_our_authority_says_where_to_go(world):
    complaint = complaints.file_complaint(world.mall, "Izin usaha", "Soal izin.", contact="+62 812 3456 7890")
    complaints.not_our_authority(complaint, world.users["manager"], "Kewenangan provinsi", "DPMPTSP Provinsi Riau")
    assert complaint_reminders.notify_complaint_events() == 2
    last = Message.objects.order_by("pk").last()
    assert last.channel == "sms" and last.address_masked == "0812******90"
    assert "Bukan kewenangan kami" in last.body and "DPMPTSP Provinsi Riau" in last.body


def test_no_contact_no_message_and_a_bad_contact_is_recorded_once(world):
    complaints.file_complaint(world.mall, "Anonim", "Tanpa kontak.")
    complaints.file_complaint(world.mall, "Kontak aneh", "Isi.", contact="hubungi saya di loket")
    assert complaint_reminders.notify_complaint_events() == 1
    assert complaint_reminders.notify_complaint_events() == 0
    bad = Message.objects.get()
    assert bad.status == Status.DEAD and bad.last_error


def test_escalations_are_internal(world):
    complaint = complaints.file_complaint(world.mall, "Lama", "Isi.", contact="siti@example.com")
    complaint_reminders.notify_complaint_events()
    later = timezone.now() + dt.timedelta(days=30)
    assert complaints.escalate_overdue(later) == 1
    assert complaint_reminders.notify_complaint_events() == 0
    assert Message.objects.filter(subject_ref=f"complaint:{complaint.tracking_code}").count() == 1

import datetime as dt

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone, translation

from satuatap import personal_data
from satuatap.booking import reminders as booking_reminders
from satuatap.notify import outbox
from satuatap.notify.models import Message, Status
from satuatap.notify.tests.conftest import PHONE, file_lines, make_booking

UTC = dt.UTC


def enqueue_sms(world, key="k1", to=PHONE, kind="booking_cancelled", **context):
    context = {
        "code": "ABCD2345",
        "service": "KTP-el baru",
        "date": "Senin",
        "time": "09.00 WIB",
        "link": "x",
        **context,
    }
    return outbox.enqueue(mall=world.mall, kind=kind, to=to, context=context, dedupe_key=key)


def test_enqueue_is_idempotent_on_the_dedupe_key(world):
    first = enqueue_sms(world, "booking:1:x")
    again = enqueue_sms(world, "booking:1:x")
    other = enqueue_sms(world, "booking:1:y")
    assert again.pk == first.pk
    assert other.pk != first.pk
    assert Message.objects.count() == 2
    no_key_a, no_key_b = enqueue_sms(world, None), enqueue_sms(world, None)
    assert no_key_a.pk != no_key_b.pk  # without a key every call is a message


def test_the_address_is_stored_encrypted_and_masked(world):
    message = enqueue_sms(world, to="+62 812-3456-7890")
    assert message.channel == "sms"
    assert PHONE not in message.address_encrypted
    assert personal_data.decrypt(message.address_encrypted) == PHONE  # normalised to 08…
    assert message.address_masked == "0812******90"
    email = enqueue_sms(world, "k2", to="siti.aminah@example.com")
    assert email.channel == "email"
    assert email.address_masked == "si*********@example.com"


def test_an_empty_address_stores_nothing_and_a_bad_one_is_dead_with_the_reason(world):
    assert enqueue_sms(world, "k0", to="  ") is None
    bad = enqueue_sms(world, "k1", to="12345")
    assert bad.status == Status.DEAD
    assert "nomor" in bad.last_error.lower()
    bad_email = enqueue_sms(world, "k2", to="bukan@email")
    assert bad_email.status == Status.DEAD and "email" in bad_email.last_error.lower()
    assert outbox.deliver_due() == 0


def test_booking_messages_are_rendered_in_bahasa_with_local_time_and_link(world):
    start = dt.datetime(2026, 11, 24, 3, 0, tzinfo=UTC)  # 10.00 WIB, a Tuesday
    booking = make_booking(world, start, code="ABCD2345")
    with translation.override("en"):  # the citizen browsed in English: the SMS is still Bahasa
        message = booking_reminders.enqueue_for_booking(booking, "booking_confirmed")
    assert message.kind == "booking_confirmed"
    assert "pemesanan Anda berhasil" in message.body
    assert "Selasa, 24 November 2026" in message.body
    assert "10.00 WIB" in message.body
    assert "KTP-el baru" in message.body and "ABCD2345" in message.body
    assert "https://mpp.example.go.id/m/pekanbaru/booking/ABCD2345/" in message.body
    assert "30 menit" in message.body  # the policy's early check-in window (default)
    assert message.subject == "Pemesanan kunjungan dikonfirmasi · MPP Pekanbaru"
    assert message.subject_ref == "booking:ABCD2345"
    assert "&" not in message.body.replace("&amp;", "")  # plain text, no HTML escaping
    assert booking_reminders.enqueue_for_booking(booking, "booking_confirmed").pk == message.pk  # idempotent per slot


def test_no_html_escaping_in_plain_text(world):
    message = enqueue_sms(world, service="Paspor & Visa <48>")
    assert "Paspor & Visa <48>" in message.body


def test_an_unknown_kind_is_refused(world):
    booking = make_booking(world, timezone.now() + dt.timedelta(days=1))
    with pytest.raises(ValueError):
        booking_reminders.enqueue_for_booking(booking, "spam")


def test_delivery_in_sandbox_writes_the_file_and_records_sent(world, settings):
    message = enqueue_sms(world)
    now = timezone.now()
    assert outbox.deliver_due(now=now) == 1
    message.refresh_from_db()
    assert message.status == Status.SENT
    assert message.attempts == 1
    assert message.sent_at == now
    assert message.delivered_via == "console" and message.sandbox is True
    assert message.provider_ref == f"file:satuatap-{message.pk}"
    [line] = file_lines(settings)
    assert line["to"] == line["to_masked"] == "0812******90"  # never the full number
    assert line["kind"] == "booking_cancelled" and line["channel"] == "sms" and line["sandbox"] is True
    assert line["body"] == message.body and line["id"] == message.pk and line["mall"] == "pekanbaru"
    assert set(line) == {
        "ref", "id", "at", "mall", "kind", "channel", "to", "to_masked", "subject", "body",
        "subject_ref", "dedupe_key", "sandbox",
    }  # fmt: skip
    assert outbox.deliver_due() == 0  # nothing twice
    assert len(file_lines(settings)) == 1


def test_the_sandbox_file_is_private_and_holds_masked_addresses_only(world, settings):
    import os
    from pathlib import Path

    path = Path(settings.NOTIFY_FILE)
    path.write_text("")
    path.chmod(0o644)  # left world-readable by an older version
    enqueue_sms(world, key="a")
    enqueue_sms(world, key="b", to="siti@example.com")
    assert outbox.deliver_due() == 2
    assert os.stat(path).st_mode & 0o777 == 0o600
    text = path.read_text(encoding="utf-8")
    assert PHONE not in text and "siti@example.com" not in text
    assert [line["to"] for line in file_lines(settings)] == ["0812******90", outbox.mask_address("siti@example.com")]


def test_sandbox_replaces_email_too(world, settings):
    enqueue_sms(world, to="siti@example.com")
    assert outbox.deliver_due() == 1
    assert mail.outbox == []
    assert file_lines(settings)[0]["channel"] == "email"


def test_email_goes_through_the_django_backend_outside_sandbox(world, settings):
    settings.NOTIFY_SANDBOX = False
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    message = enqueue_sms(world, to="siti@example.com")
    assert outbox.deliver_due() == 1
    [email] = mail.outbox
    assert email.to == ["siti@example.com"]
    assert email.subject == message.subject and email.body == message.body
    message.refresh_from_db()
    assert message.status == Status.SENT and message.delivered_via == "email" and message.sandbox is False
    assert file_lines(settings) == []


def test_sms_without_a_gateway_goes_to_the_console_channel_outside_sandbox(world, settings):
    settings.NOTIFY_SANDBOX = False  # NOTIFY_SMS_CHANNEL stays "console" (development)
    message = enqueue_sms(world)
    assert outbox.deliver_due() == 1
    message.refresh_from_db()
    assert message.delivered_via == "console" and message.sandbox is False
    assert file_lines(settings)[0]["sandbox"] is False


def test_due_time_and_limit_are_honoured(world):
    first = enqueue_sms(world, "a")
    enqueue_sms(world, "b")
    now = timezone.now()
    Message.objects.filter(pk=first.pk).update(next_attempt_at=now + dt.timedelta(minutes=5))
    assert outbox.deliver_due(now=now, limit=5) == 1
    assert Message.objects.get(pk=first.pk).status == Status.PENDING
    for key in "cde":
        enqueue_sms(world, key)
    now = timezone.now()
    assert outbox.deliver_due(now=now, limit=2) == 2
    assert outbox.deliver_due(now=now + dt.timedelta(minutes=6)) == 2


def test_a_claimed_row_is_not_claimed_again_until_its_lease_runs_out(world):
    message = enqueue_sms(world)
    now = timezone.now()
    [claimed] = outbox._claim(now, 10)  # a worker claimed it and died before recording
    assert claimed.status == Status.SENDING and claimed.attempts == 1
    assert outbox._claim(now, 10) == []
    assert outbox.deliver_due(now=now + outbox.SENDING_LEASE + dt.timedelta(seconds=1)) == 1
    message.refresh_from_db()
    assert message.status == Status.SENT and message.attempts == 2


@pytest.mark.django_db(transaction=True)
def test_claims_never_overlap_between_workers(world):
    """Two workers claiming at once (threads, own connections) never get the same row."""
    import threading

    from django.db import close_old_connections

    for n in range(40):
        enqueue_sms(world, f"k{n}")
    now = timezone.now()
    claimed: list[list[int]] = []
    barrier = threading.Barrier(4)

    def worker():
        try:
            barrier.wait()
            for _ in range(40):
                batch = [m.pk for m in outbox._claim(now, 3)]
                claimed.append(batch)
                if not batch:
                    break
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    ids = [pk for batch in claimed for pk in batch]
    assert len(ids) == len(set(ids)) == 40
    assert Message.objects.filter(status=Status.SENDING, attempts=1).count() == 40


def test_an_address_no_configured_key_opens_is_dead_not_retried(world, settings):
    message = enqueue_sms(world)
    Message.objects.filter(pk=message.pk).update(address_encrypted="gAAAA-not-a-token")
    assert outbox.deliver_due() == 0
    message.refresh_from_db()
    assert message.status == Status.DEAD and "kunci" in message.last_error
    assert file_lines(settings) == []

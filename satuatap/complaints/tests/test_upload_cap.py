"""An oversized upload is dropped while it is read (satuatap/uploads.py), never held whole, and the form says so."""

from django.core.files.uploadhandler import MemoryFileUploadHandler

from satuatap.complaints.models import Complaint, ComplaintAttachment
from satuatap.complaints.tests.test_complaint_attachments import PNG, form_url, stored_files, upload


class RecordingHandler(MemoryFileUploadHandler):
    """Stands where Django's own handlers stand, after the cap: counts the bytes that reach them."""

    received = 0

    def handle_raw_input(self, *args, **kwargs):
        super().handle_raw_input(*args, **kwargs)
        self.activated = True  # keep every file in memory, whatever its size, so nothing bypasses the count

    def receive_data_chunk(self, raw_data, start):
        RecordingHandler.received += len(raw_data)
        return super().receive_data_chunk(raw_data, start)


def test_a_file_past_the_limit_is_dropped_while_read_and_the_form_says_why(world, client, settings):
    limit = 200_000
    settings.COMPLAINT_ATTACHMENT_MAX_BYTES = limit
    settings.FILE_UPLOAD_HANDLERS = [
        "satuatap.uploads.SizeCapUploadHandler",
        f"{__name__}.RecordingHandler",
    ]
    RecordingHandler.received = 0
    huge = PNG + b"\x00" * (3 * 1024 * 1024)
    # The file comes first in the body: the fields after it must still arrive.
    data = {"attachment": upload(huge, "besar.png", "image/png"), "subject": "Antrean", "body": "Isi pengaduan"}
    response = client.post(form_url(world), data)
    assert response.status_code == 422
    html = response.content.decode()
    assert "Lampiran terlalu besar" in html and "lampiran perlu dipilih ulang" in html
    assert 'value="Antrean"' in html and "Isi pengaduan</textarea>" in html
    assert 0 < RecordingHandler.received <= limit  # never more than the limit held behind the cap
    assert not Complaint.objects.exists() and not ComplaintAttachment.objects.exists()
    assert stored_files(settings) == []


def test_with_djangos_own_handlers_nothing_is_left_on_disk_and_files_count_together(world, client, settings, tmp_path):
    # The production chain: past FILE_UPLOAD_MAX_MEMORY_SIZE Django writes to a temporary file, which must be gone.
    spool = tmp_path / "spool"
    spool.mkdir()
    settings.FILE_UPLOAD_TEMP_DIR = str(spool)
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1000
    settings.COMPLAINT_ATTACHMENT_MAX_BYTES = 300_000
    half = PNG + b"\x00" * 200_000  # each within the limit, together past it
    data = {"subject": "Dua berkas", "body": "Isi", "attachment": [upload(half, "a.png"), upload(half, "b.png")]}
    response = client.post(form_url(world), data)
    assert response.status_code == 422
    assert "Lampiran terlalu besar" in response.content.decode()
    assert list(spool.iterdir()) == []  # the first file's temporary copy was removed with the request
    assert not Complaint.objects.exists() and stored_files(settings) == []


def test_a_file_within_the_limit_passes_the_cap_untouched(world, client, settings):
    settings.COMPLAINT_ATTACHMENT_MAX_BYTES = 200_000
    content = PNG + b"\x00" * 150_000
    response = client.post(form_url(world), {"subject": "s", "body": "b", "attachment": upload(content, "ok.png")})
    assert response.status_code == 302
    stored = stored_files(settings)
    assert len(stored) == 1 and stored[0].read_bytes() == content

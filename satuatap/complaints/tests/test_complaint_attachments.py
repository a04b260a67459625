"""A complaint's optional attachment: checked by its first bytes, stored privately, downloaded by scoped staff only."""

import base64
import hashlib
import os
import struct
import time
import zlib
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from satuatap.complaints import complaints
from satuatap.complaints.models import Complaint, ComplaintAttachment, ComplaintEvent
from satuatap.refusal import Refused

pytestmark = pytest.mark.django_db


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


# A 1x1 grey PNG, built here; a 1x1 grey JPEG (159 bytes); the smallest well-formed PDF.
PNG = (
    b"\x89PNG\r\n\x1a\n"
    + _png_chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0))
    + _png_chunk(b"IDAT", zlib.compress(b"\x00\x80"))
    + _png_chunk(b"IEND", b"")
)
JPEG = base64.b64decode(
    "/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDABALDA4MChAODQ4SERATGCgaGBYWGDEjJR0oOjM9PDkzODdASFxOQERXRTc4UG1RV19iZ2hn"
    "Pk1xeXBkeFxlZ2P/wAALCAABAAEBAREA/8QAFAABAAAAAAAAAAAAAAAAAAAAAP/EABQQAQAAAAAAAAAAAAAAAAAAAAD/2gAIAQEAAD8A"
    "P//Z"
)
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"PE\x00\x00"
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"


def upload(content: bytes, name="foto.jpg", content_type="image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def stored_files(settings) -> list[Path]:
    root = Path(settings.PRIVATE_MEDIA_ROOT)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def form_url(world) -> str:
    return reverse("complaint_form", kwargs={"mall": world.mall.slug})


def download_url(world, attachment) -> str:
    kwargs = {"mall": world.mall.slug, "complaint_id": attachment.complaint_id, "attachment_id": attachment.pk}
    return reverse("complaint_attachment", kwargs=kwargs)


def as_user(world, persona) -> Client:
    client = Client()
    client.force_login(world.users[persona])
    return client


def filed_with(world, content=PNG, name="bukti.png", agency="IMIGRASI") -> ComplaintAttachment:
    complaint = complaints.file_complaint(
        world.mall, "Antrean", "Lama", agency=world.agencies[agency], attachment=upload(content, name, "image/png")
    )
    return complaint.attachments.get()


@pytest.mark.parametrize(
    ("content", "content_type", "ext"),
    [(JPEG, "image/jpeg", "jpg"), (PNG, "image/png", "png"), (PDF, "application/pdf", "pdf")],
)
def test_jpeg_png_and_pdf_are_accepted_and_stored_by_their_hash(world, settings, content, content_type, ext):
    # The browser's name and type say nothing: a PDF sent as "scan.jpg" / image/jpeg is stored as the PDF it is.
    complaint = complaints.file_complaint(world.mall, "s", "b", attachment=upload(content, "scan.jpg", "image/jpeg"))
    attachment = complaint.attachments.get()
    sha = hashlib.sha256(content).hexdigest()
    assert attachment.content_type == content_type
    assert (attachment.size, attachment.sha256, attachment.original_name) == (len(content), sha, "scan.jpg")
    assert attachment.path == f"complaints/{complaint.tracking_code}/{sha}.{ext}"
    assert attachment.download_name == f"scan.{ext}"
    assert stored_files(settings) == [Path(settings.PRIVATE_MEDIA_ROOT) / attachment.path]  # no temporary file left
    assert complaints.attachment_path(attachment).read_bytes() == content


def test_the_form_takes_an_attachment_and_the_tracking_page_only_names_it(world, client, settings):
    response = client.post(
        form_url(world),
        {"agency": "DUKCAPIL", "subject": "Antrean", "body": "Lama", "attachment": upload(PNG, "bukti <b>1<b>.png")},
    )
    assert response.status_code == 302
    attachment = ComplaintAttachment.objects.get()
    page = client.get(response["Location"]).content.decode()
    assert "Lampiran diterima:" in page and "bukti &lt;b&gt;1&lt;b&gt;.png" in page and "<b>1" not in page
    assert f"{len(PNG)}\xa0bita" in page or f"{len(PNG)}\xa0bytes" in page  # the size, as filesizeformat says it
    assert "/lampiran/" not in page and attachment.sha256 not in page  # never served to the public
    form = client.get(form_url(world)).content.decode()
    assert 'enctype="multipart/form-data"' in form and 'type="file" name="attachment"' in form
    assert "5,0\xa0MB" in form or "5.0\xa0MB" in form  # the limit is stated


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ([upload(EXE, "foto.jpg")], "Jenis lampiran tidak diterima"),
        ([upload(HTML, "foto.jpg")], "Jenis lampiran tidak diterima"),
        ([upload(b"GIF89a\x01\x00\x01\x00", "animasi.gif", "image/gif")], "Jenis lampiran tidak diterima"),
        ([upload(b"", "kosong.png", "image/png")], "Lampiran kosong"),
        ([upload(PNG, "a.png"), upload(JPEG, "b.jpg")], "paling banyak satu"),
    ],
    ids=["exe-as-jpg", "html-as-jpg", "gif", "empty", "two-files"],
)
def test_a_refused_attachment_saves_nothing_and_keeps_the_text(world, client, settings, files, message):
    data = {"subject": "Perihal saya", "body": "Isi yang panjang", "contact": "a@b.id", "attachment": files}
    response = client.post(form_url(world), data)
    assert response.status_code == 422
    html = response.content.decode()
    assert 'id="complaint-error"' in html and message in html
    assert "lampiran perlu dipilih ulang" in html  # the file input cannot be refilled: said so
    assert 'value="Perihal saya"' in html and "Isi yang panjang</textarea>" in html and 'value="a@b.id"' in html
    assert not Complaint.objects.exists() and not ComplaintEvent.objects.exists()
    assert not ComplaintAttachment.objects.exists()
    assert stored_files(settings) == []


def test_a_too_large_attachment_is_refused(world, client, settings):
    settings.COMPLAINT_ATTACHMENT_MAX_BYTES = 1000
    too_big = PNG + b"\x00" * (1001 - len(PNG))
    response = client.post(form_url(world), {"subject": "s", "body": "b", "attachment": upload(too_big, "x.png")})
    assert response.status_code == 422
    assert "Lampiran terlalu besar" in response.content.decode()
    assert not Complaint.objects.exists() and stored_files(settings) == []
    exactly = PNG + b"\x00" * (1000 - len(PNG))  # the limit itself is allowed
    assert client.post(form_url(world), {"subject": "s", "body": "b", "attachment": upload(exactly)}).status_code == 302


def test_the_bytes_are_counted_not_the_declared_size(world, settings):
    settings.COMPLAINT_ATTACHMENT_MAX_BYTES = 1000

    class Lying:
        name, size = "x.png", 10

        def chunks(self):
            yield PNG
            yield b"\x00" * 1000

    with pytest.raises(Refused) as err:
        complaints.file_complaint(world.mall, "s", "b", attachment=Lying())
    assert err.value.code == "too_large" and err.value.field == "attachment"
    assert not Complaint.objects.exists() and stored_files(settings) == []


def test_bad_text_with_a_good_attachment_saves_no_file(world, settings):
    with pytest.raises(Refused):
        complaints.file_complaint(world.mall, "", "b", attachment=upload(PNG, "x.png"))
    assert stored_files(settings) == []


def test_a_failure_after_the_file_is_placed_removes_it(world, settings, monkeypatch):
    real_replace = os.replace

    def replace_then_fail(src, dst):
        real_replace(src, dst)
        raise OSError("disk full")

    monkeypatch.setattr(complaints.os, "replace", replace_then_fail)
    with pytest.raises(OSError):
        complaints.file_complaint(world.mall, "s", "b", attachment=upload(PNG, "x.png"))
    assert not Complaint.objects.exists() and not ComplaintAttachment.objects.exists()
    assert stored_files(settings) == []


def test_the_users_file_name_is_never_a_path(world, settings):
    attachment = filed_with(world, PNG, "../../etc/passwd.png")
    assert attachment.original_name == "passwd.png"
    assert ".." not in attachment.path and "passwd" not in attachment.path
    root = Path(settings.PRIVATE_MEDIA_ROOT).resolve()
    assert [p.resolve() for p in stored_files(settings)] == [root / attachment.path]
    windows = filed_with(world, PNG, "C:\\Users\\warga\\..\\bukti\x00\x1b.png")
    assert windows.original_name == "bukti.png"
    assert complaints.display_name("." * 3) == "lampiran"
    assert len(complaints.display_name("a" * 500 + ".pdf")) == 200
    assert complaints.display_name("a" * 500 + ".pdf").endswith(".pdf")


def test_a_stored_path_outside_the_root_is_never_opened(world):
    attachment = filed_with(world)
    attachment.path = "../../../etc/passwd"
    with pytest.raises(FileNotFoundError):
        complaints.attachment_path(attachment)


def test_the_manager_downloads_it_as_an_attachment(world, settings):
    attachment = filed_with(world, PNG, 'bukti "antrean".html')  # a PNG named .html downloads as .png
    response = as_user(world, "manager").get(download_url(world, attachment))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PNG
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment;")
    assert ".png" in response["Content-Disposition"] and ".html" not in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]


def test_the_desk_and_detail_link_to_the_download(world):
    attachment = filed_with(world, PNG, "<img src=x onerror=alert(1)>.png")
    manager = as_user(world, "manager")
    desk = manager.get(reverse("complaint_desk", kwargs={"mall": world.mall.slug})).content.decode()
    detail_url = reverse("complaint_detail", kwargs={"mall": world.mall.slug, "complaint_id": attachment.complaint_id})
    detail = manager.get(detail_url).content.decode()
    for html in (desk, detail):
        assert download_url(world, attachment) in html
        assert "<img src=x" not in html and "&lt;img src=x onerror=alert(1)&gt;.png" in html


def test_only_staff_in_scope_download(world, client):
    attachment = filed_with(world, agency="IMIGRASI")
    url = download_url(world, attachment)
    assert as_user(world, "sup_imigrasi").get(url).status_code == 200
    assert as_user(world, "sup_dukcapil").get(url).status_code == 404  # another agency's supervisor
    assert as_user(world, "officer1").get(url).status_code == 404
    anonymous = client.get(url)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith(reverse("login"))
    # An attachment reached through another complaint's id is not found either.
    other = complaints.file_complaint(world.mall, "s", "b", agency=world.agencies["IMIGRASI"])
    kwargs = {"mall": world.mall.slug, "complaint_id": other.pk, "attachment_id": attachment.pk}
    assert as_user(world, "manager").get(reverse("complaint_attachment", kwargs=kwargs)).status_code == 404


def test_an_unassigned_complaints_attachment_is_the_managers_only(world):
    complaint = complaints.file_complaint(world.mall, "s", "b", attachment=upload(PDF, "surat.pdf"))
    url = download_url(world, complaint.attachments.get())
    assert as_user(world, "manager").get(url).status_code == 200
    assert as_user(world, "sup_dukcapil").get(url).status_code == 404


def test_a_missing_file_is_a_404_not_a_500(world):
    attachment = filed_with(world)
    complaints.attachment_path(attachment).unlink()
    assert as_user(world, "manager").get(download_url(world, attachment)).status_code == 404


def test_the_api_stays_json_and_takes_no_attachment(world, client):
    url = f"/api/v1/malls/{world.mall.slug}/complaints"
    response = client.post(url, {"subject": "s", "body": "b", "attachment": upload(PNG, "x.png")})
    assert 400 <= response.status_code < 500
    assert not Complaint.objects.exists()
    ok = client.post(url, {"subject": "s", "body": "b"}, content_type="application/json")
    assert ok.status_code == 201 and set(ok.json()) == {"tracking_code", "status"}


def test_orphan_files_are_swept_and_attachments_kept(world, settings):
    attachment = filed_with(world)
    root = Path(settings.PRIVATE_MEDIA_ROOT)
    orphan = root / "complaints" / "ADU-XXXX-XXXX" / "0000.png"
    orphan.parent.mkdir(parents=True)
    orphan.write_bytes(PNG)
    stale_tmp = root / "tmp" / "abc.part"
    stale_tmp.write_bytes(b"x")
    fresh_tmp = root / "tmp" / "filing-now.part"
    fresh_tmp.write_bytes(b"x")
    # Ages on the test's clock, not the file system's (which a shifted test clock does not move).
    now = time.time()
    os.utime(fresh_tmp, (now, now))
    old = now - 7200
    for path in (orphan, stale_tmp, complaints.attachment_path(attachment)):
        os.utime(path, (old, old))
    assert complaints.remove_orphan_attachments() == 2
    assert not orphan.exists() and not orphan.parent.exists() and not stale_tmp.exists()
    assert fresh_tmp.exists() and complaints.attachment_path(attachment).exists()

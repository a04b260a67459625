"""Uploaded files are never kept past the largest size the system accepts.

Django reads an uploaded file to its end and, past ``FILE_UPLOAD_MAX_MEMORY_SIZE``,
spools it to a temporary file before any view can refuse it: one 10 GB body would
fill the disk. ``SizeCapUploadHandler`` comes first in ``FILE_UPLOAD_HANDLERS``: once
a file has passed ``COMPLAINT_ATTACHMENT_MAX_BYTES`` (the only upload the system
takes) the rest of it is read from the socket and dropped, so the browser still gets
the page that says why, and the handlers after it never hold more than the limit. The
limit counts all the files of one request together (one handler serves the whole
request), and ``DATA_UPLOAD_MAX_NUMBER_FILES`` keeps their number small.
The names of the fields it dropped are on ``request.oversized_uploads``, so the view
says "too large" instead of losing the file silently. A proxy in front (nginx
``client_max_body_size``) can still refuse such bodies before they are read at all.

``stage`` and ``place`` keep an accepted file (JPEG, PNG or PDF by its first bytes) under
``settings.PRIVATE_MEDIA_ROOT``: the back office's case files and the complaints' attachments,
each refused in its own words (``Wording``: "Berkas ..." or "Lampiran ...").
"""

import hashlib
import os
import re
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from satuatap.refusal import Refused


def oversized_uploads(request) -> list[str]:
    """The file fields of this request whose file was dropped for its size."""
    return getattr(request, "oversized_uploads", [])


class SizeCapUploadHandler(FileUploadHandler):
    received = 0  # bytes of every file of this request so far

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > settings.COMPLAINT_ATTACHMENT_MAX_BYTES:
            if not hasattr(self.request, "oversized_uploads"):
                self.request.oversized_uploads = []
            self.request.oversized_uploads.append(self.field_name)
            raise SkipFile
        return raw_data

    def file_complete(self, file_size):
        return None  # the next handler builds the file


# --- Staging an uploaded file under the private root (checked by its first bytes, size-capped) -------------------

# The first bytes of each accepted type. Anything else (an .exe, an HTML page named .jpg, a zip) is refused.
MAGIC = (
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"%PDF-", "application/pdf"),
)
EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png", "application/pdf": "pdf"}
NAME_MAX = 200
_SNIFF_BYTES = max(len(magic) for magic, _kind in MAGIC)


@dataclass
class Staged:
    """An upload checked and copied to a temporary file under the private root, not yet in its place."""

    temp: Path
    name: str
    content_type: str
    size: int
    sha256: str

    @property
    def extension(self) -> str:
        return EXTENSIONS[self.content_type]


def private_root() -> Path:
    return Path(settings.PRIVATE_MEDIA_ROOT)


def private_path(relative: str) -> Path:
    """A stored file under the private root; a path that would leave it is treated as missing."""
    root = private_root().resolve()
    path = (root / relative).resolve()
    if not path.is_relative_to(root):
        raise FileNotFoundError(relative)
    return path


def sniff(head: bytes) -> str | None:
    """The accepted type these first bytes belong to, or None."""
    for magic, kind in MAGIC:
        if head.startswith(magic):
            return kind
    return None


def display_name(name) -> str:
    """The sender's file name, for display only: no folders, no control characters, bounded (extension kept)."""
    text = unicodedata.normalize("NFC", str(name or ""))
    text = re.split(r"[\\/]", text)[-1]  # "../../etc/passwd.png" and "C:\\x\\y.pdf" keep their last part
    text = "".join(ch for ch in text if unicodedata.category(ch)[0] != "C").strip().lstrip(".").strip()
    if len(text) > NAME_MAX:
        stem, dot, ext = text.rpartition(".")
        text = f"{stem[: NAME_MAX - len(ext) - 1]}.{ext}" if dot and len(ext) <= 10 else text
        text = text[:NAME_MAX]
    return text or "lampiran"


@dataclass(frozen=True)
class Wording:
    """How a refusal names the file: the case desk says "Berkas", the complaint form "Lampiran"."""

    too_large: str
    empty: str
    bad_type: str


def file_wording() -> Wording:
    return Wording(
        too_large=_("Berkas terlalu besar: paling besar %(size)s."),
        empty=_("Berkas kosong."),
        bad_type=_("Jenis berkas tidak diterima: hanya foto JPEG/PNG atau dokumen PDF."),
    )


def attachment_wording() -> Wording:
    return Wording(
        too_large=_("Lampiran terlalu besar: paling besar %(size)s."),
        empty=_("Lampiran kosong."),
        bad_type=_("Jenis lampiran tidak diterima: hanya foto JPEG/PNG atau dokumen PDF."),
    )


def too_large(field: str = "attachment", wording: Wording | None = None) -> Refused:
    size = filesizeformat(settings.COMPLAINT_ATTACHMENT_MAX_BYTES)
    return Refused("too_large", (wording or file_wording()).too_large % {"size": size}, 422, field)


def _chunks(upload):
    if hasattr(upload, "chunks"):
        yield from upload.chunks()
        return
    while chunk := upload.read(64 * 1024):
        yield chunk


def stage(upload, field: str = "attachment", wording: Wording | None = None) -> Staged:
    """Check an upload (size, type by its first bytes) while copying it to ``<private root>/tmp``; refused: removed.

    The copy lives on the same file system as its final place, so ``place`` is an atomic rename.
    """
    wording = wording or file_wording()
    limit = settings.COMPLAINT_ATTACHMENT_MAX_BYTES
    if (getattr(upload, "size", None) or 0) > limit:  # the declared size; the bytes are counted below too
        raise too_large(field, wording)
    tmp_dir = private_root() / "tmp"
    tmp_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(dir=tmp_dir, suffix=".part")  # mode 0600
    temp = Path(name)
    digest, size, head = hashlib.sha256(), 0, b""
    try:
        with os.fdopen(fd, "wb") as out:
            for chunk in _chunks(upload):
                size += len(chunk)
                if size > limit:
                    raise too_large(field, wording)
                if len(head) < _SNIFF_BYTES:
                    head = (head + chunk)[:_SNIFF_BYTES]
                    if len(head) >= _SNIFF_BYTES and sniff(head) is None:
                        break  # refused below, without copying the rest
                digest.update(chunk)
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        if size == 0:
            raise Refused("invalid", wording.empty, status=422, field=field)
        kind = sniff(head)
        if kind is None:
            raise Refused("bad_type", wording.bad_type, status=422, field=field)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return Staged(temp, display_name(getattr(upload, "name", "")), kind, size, digest.hexdigest())


def place(staged: Staged, relative: str) -> Path:
    """Move a staged file to its place under the private root (atomic on one file system)."""
    target = private_root() / relative
    target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.replace(staged.temp, target)
    return target

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
``settings.PRIVATE_MEDIA_ROOT`` for the back office's case files; complaints still carry their
own copy of the same steps (``complaints.complaints``), to be moved here.
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
    """The sender's file name, for display only: no folders, no control characters, bounded."""
    text = unicodedata.normalize("NFC", str(name or ""))
    text = re.split(r"[\\/]", text)[-1]
    text = "".join(ch for ch in text if unicodedata.category(ch)[0] != "C").strip().lstrip(".").strip()
    return text[-NAME_MAX:] or "lampiran"


def too_large(field: str = "attachment") -> Refused:
    size = filesizeformat(settings.COMPLAINT_ATTACHMENT_MAX_BYTES)
    return Refused("too_large", _("Berkas terlalu besar: paling besar %(size)s.") % {"size": size}, 422, field)


def stage(upload, field: str = "attachment") -> Staged:
    """Check an upload (size, type by its first bytes) while copying it to ``<private root>/tmp``; refused: removed."""
    limit = settings.COMPLAINT_ATTACHMENT_MAX_BYTES
    if (getattr(upload, "size", None) or 0) > limit:
        raise too_large(field)
    tmp_dir = private_root() / "tmp"
    tmp_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(dir=tmp_dir, suffix=".part")  # mode 0600
    temp = Path(name)
    digest, size, head = hashlib.sha256(), 0, b""
    try:
        with os.fdopen(fd, "wb") as out:
            for chunk in upload.chunks():
                size += len(chunk)
                if size > limit:
                    raise too_large(field)
                if len(head) < _SNIFF_BYTES:
                    head = (head + chunk)[:_SNIFF_BYTES]
                digest.update(chunk)
                out.write(chunk)
        kind = sniff(head)
        if size == 0 or kind is None:
            message = _("Jenis berkas tidak diterima: hanya foto JPEG/PNG atau dokumen PDF.")
            raise Refused("bad_type", message, status=422, field=field)
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

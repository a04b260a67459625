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
"""

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, SkipFile


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

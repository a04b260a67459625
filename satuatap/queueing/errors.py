class QueueError(Exception):
    """A refused queue operation: ``message`` is shown to people, ``code`` to machines."""

    status = 409

    def __init__(self, code: str, message: str, status: int | None = None):
        super().__init__(message)
        self.code = code
        self.message = message
        if status is not None:
            self.status = status


class NotAllowed(QueueError):
    status = 403


class NotFound(QueueError):
    status = 404

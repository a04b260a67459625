"""gunicorn's own logs through the same redaction as the app's (``--logger-class satuatap.gunicorn_logging.Redacting``).

gunicorn writes its access and error logs itself, outside Django's ``LOGGING``: a device token in an
old bookmarked ``?token=`` link, or a NIK in a query string, would land there in full. Production
turns gunicorn's access log off (the app logs one line per request, ``satuatap.logs``); this class
keeps any line gunicorn still writes clean.
"""

from gunicorn.glogging import Logger

from satuatap.logs import redact


class Redacting(Logger):
    def atoms(self, resp, req, environ, request_time):
        return {
            key: redact(value) if isinstance(value, str) else value
            for key, value in super().atoms(resp, req, environ, request_time).items()
        }

    def log(self, lvl, msg, *args, **kwargs):
        super().log(lvl, redact(str(msg) % args if args else str(msg)), **kwargs)

    def error(self, msg, *args, **kwargs):
        super().error(redact(str(msg) % args if args else str(msg)), **kwargs)

    def warning(self, msg, *args, **kwargs):
        super().warning(redact(str(msg) % args if args else str(msg)), **kwargs)

    def info(self, msg, *args, **kwargs):
        super().info(redact(str(msg) % args if args else str(msg)), **kwargs)

    def exception(self, msg, *args, **kwargs):
        super().exception(redact(str(msg) % args if args else str(msg)), **kwargs)

"""gunicorn's settings for satuatap's web process, read from the working directory by every start:
the Procfile (``make demo``), the browser tests' stack (``tests/browser/stack.py``), the benches and
the systemd unit (``WorkingDirectory=/opt/satuatap``). Flags on the command line still win.

Threaded workers keep a client's HTTP/1.1 connection open between requests (sync workers answer
``Connection: close``: a new TCP connection per request), and while one thread waits on the database
another runs. Each thread keeps its own database connection (``CONN_MAX_AGE`` in settings.py):
workers × threads connections to PostgreSQL. The process caches (``directory/stamp.py``) take a lock.
"""

worker_class = "gthread"
threads = 4

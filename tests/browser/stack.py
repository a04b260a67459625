"""Real server processes for the browser tests: gunicorn (pages + API) and uvicorn (/ws/).

The database is built once per test session (migrate + seed) as a template; each test
module then gets a fresh copy (a file copy on SQLite, ``CREATE DATABASE ... TEMPLATE`` on
PostgreSQL) and its own pair of processes, so every module starts from the same small mall
(``satuatap.testing.make_world``) with ticket numbers starting at 001.

The database follows the suite's environment: a PostgreSQL ``DATABASE_URL`` means fresh
PostgreSQL databases (dropped at the end), anything else means SQLite files in a temp dir.
With ``REDIS_URL`` set, the live channel goes through Redis under a prefix unique to each
stack, so runs never cross-talk; without it the embedded relay (LiveEvent rows) is used.
"""

from __future__ import annotations

import itertools
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = ROOT / ".venv" / "bin"
PYTHON = str(VENV_BIN / "python") if (VENV_BIN / "python").exists() else sys.executable

SEED = """
import itertools
import json
import django

django.setup()
from django.conf import settings

# One real hash for every persona instead of one per persona (PBKDF2 is slow on purpose).
settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
from django.contrib.auth.hashers import PBKDF2PasswordHasher, make_password

from satuatap.accounts.models import User
from satuatap.accounts.tokens import bind_counter, issue_token
from satuatap.testing import PASSWORD, make_world

world = make_world(slug="pekanbaru")
User.objects.update(password=make_password(PASSWORD, hasher=PBKDF2PasswordHasher()))
_, kiosk = issue_token(world.users["kiosk"], label="e2e kiosk")
_, display_a = issue_token(world.users["display_a"], label="e2e display A", zone=world.zones["A"])
tablet, tablet_4 = issue_token(world.users["kiosk"], label="e2e survey tablet, counter 4")
bind_counter(tablet, world.counters[4])
print(json.dumps({"kiosk": kiosk, "display_a": display_a, "tablet_4": tablet_4, "password": PASSWORD}))
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def is_postgres(url: str) -> bool:
    return url.split(":", 1)[0] in ("postgres", "postgresql", "pgsql")


def _with_db_name(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, parts.fragment))


class StackError(RuntimeError):
    pass


@dataclass
class Database:
    """Where one copy of the world lives; ``env`` is what its processes need."""

    var_dir: Path
    url: str = ""  # empty: SQLite at var_dir/satuatap.sqlite3 (the settings' default)

    @property
    def env(self) -> dict[str, str]:
        env = {"SATUATAP_VAR": str(self.var_dir), "SATUATAP_DEMO": "1"}  # demo secret and sandbox allowed
        if self.url:
            env["DATABASE_URL"] = self.url
        return env


_FACTORY_NUMBERS = itertools.count(1)


class DatabaseFactory:
    """Builds the template once, then hands out copies; drops what it made at the end."""

    def __init__(self, workdir: Path, base_url: str):
        self.workdir = workdir
        self.base_url = base_url if is_postgres(base_url) else ""
        self.created: list[str] = []
        self.template: Database | None = None
        self.tokens: dict[str, str] = {}
        self._count = 0
        # A module may build a harness of its own beside the session's (the demo mall's tests): each
        # factory needs names of its own, or closing one drops the other's template on PostgreSQL.
        self._tag = f"{os.getpid()}_{next(_FACTORY_NUMBERS)}"

    def _admin(self):
        import psycopg

        parts = urlsplit(self.base_url)
        return psycopg.connect(
            host=parts.hostname or "127.0.0.1",
            port=parts.port or 5432,
            user=parts.username or "postgres",
            password=parts.password,
            dbname="postgres",
            autocommit=True,
            connect_timeout=5,
        )

    def _new(self, suffix: str, template: str | None = None) -> Database:
        var_dir = self.workdir / suffix
        var_dir.mkdir(parents=True, exist_ok=True)
        if not self.base_url:
            return Database(var_dir)
        name = f"satuatap_e2e_{self._tag}_{suffix}"
        with self._admin() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
        self.created.append(name)
        return Database(var_dir, _with_db_name(self.base_url, name))

    def build_template(self, run, extra_seed: str = "") -> None:
        self.template = self._new("template")
        run([PYTHON, "manage.py", "migrate", "--noinput"], self.template.env, "migrate")
        out = run([PYTHON, "-c", SEED], self.template.env, "seed")
        self.tokens = json.loads(out.strip().splitlines()[-1])
        if extra_seed:
            # A script's own data on top of the world; a JSON object on its last line joins the tokens.
            out = run([PYTHON, "-c", extra_seed], self.template.env, "extra seed")
            self.tokens.update(json.loads(out.strip().splitlines()[-1]))

    def copy(self) -> Database:
        assert self.template is not None
        self._count += 1
        suffix = f"m{self._count}"
        if self.base_url:
            return self._new(suffix, template=urlsplit(self.template.url).path.lstrip("/"))
        db = self._new(suffix)
        for path in self.template.var_dir.glob("satuatap.sqlite3*"):
            shutil.copy(path, db.var_dir / path.name)
        return db

    def drop(self, db: Database | None = None) -> None:
        """Drop one database this factory made (all of them without an argument)."""
        names = list(self.created) if db is None else [urlsplit(db.url).path.lstrip("/")] if db.url else []
        names = [name for name in names if name in self.created]
        if not names:
            return
        with self._admin() as conn:
            for name in names:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                self.created.remove(name)


@dataclass
class Process:
    name: str
    args: list[str]
    env: dict[str, str]
    log: Path
    proc: subprocess.Popen | None = None

    def start(self) -> None:
        handle = self.log.open("ab")
        handle.write(f"\n=== start {' '.join(self.args)}\n".encode())
        handle.flush()
        self.proc = subprocess.Popen(
            self.args,
            cwd=ROOT,
            env=self.env,
            stdout=handle,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: stop() ends it and its workers only
        )
        handle.close()

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def stop(self, kill: bool = False) -> None:
        if self.proc is None:
            return
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGKILL if kill else signal.SIGTERM)
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=5)
            except ProcessLookupError:
                pass
        self.proc = None


@dataclass
class Stack:
    """One copy of the world served by gunicorn + uvicorn on free ports."""

    db: Database
    tokens: dict[str, str]
    logdir: Path
    web_port: int = field(default_factory=free_port)
    live_port: int = field(default_factory=free_port)
    web: Process | None = None
    live: Process | None = None
    web_workers: int = 2
    # gunicorn's access log, on for the tests (their logs show every request); the Procfile has none (the app
    # writes its own line per request), and the hot-path bench serves satuatap as the Procfile does.
    access_log: bool = True

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.web_port}"

    def url(self, path: str) -> str:
        return self.base_url + path

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "CHANNELS_PREFIX")}
        env.update(self.db.env)
        env.update(
            DJANGO_SETTINGS_MODULE="satuatap.settings",
            LIVE_WS_PORT=str(self.live_port),
            LIVE_POLL_SECONDS="1",
            PYTHONUNBUFFERED="1",
            LOG_LEVEL="WARNING",
        )
        if os.environ.get("REDIS_URL"):
            env["CHANNELS_PREFIX"] = f"e2e{os.getpid()}{self.db.var_dir.name}"
        return env

    def start(self) -> None:
        env = self.env()
        self.web = Process(
            "gunicorn",
            [
                str(VENV_BIN / "gunicorn"),
                "satuatap.wsgi",
                "-b",
                f"127.0.0.1:{self.web_port}",
                "-w",
                str(self.web_workers),
                "--graceful-timeout",
                "2",
                *(["--access-logfile", "-"] if self.access_log else []),
                "--logger-class",
                "satuatap.gunicorn_logging.Redacting",
                "--no-control-socket",  # several stacks (and the demo) may run at once
            ],
            env,
            self.logdir / "gunicorn.log",
        )
        self.live = Process(
            "uvicorn",
            [
                str(VENV_BIN / "uvicorn"),
                "satuatap.asgi:application",
                "--host",
                "127.0.0.1",
                "--port",
                str(self.live_port),
                "--lifespan",
                "off",
                "--timeout-graceful-shutdown",
                "1",
            ],
            env,
            self.logdir / "uvicorn.log",
        )
        self.web.start()
        self.live.start()
        self._wait_http()
        self._wait_live()

    def stop_live(self, kill: bool = True) -> None:
        """Cut the live channel (default: like a crash, no goodbye to the browsers)."""
        assert self.live is not None
        self.live.stop(kill=kill)

    def start_live(self) -> None:
        assert self.live is not None
        self.live.start()
        self._wait_live()

    def stop(self) -> None:
        # The data is thrown away: no need for a graceful shutdown.
        for process in (self.live, self.web):
            if process is not None:
                process.stop(kill=True)

    def logs(self, tail: int = 80) -> str:
        chunks = []
        for name in ("gunicorn.log", "uvicorn.log"):
            path = self.logdir / name
            lines = path.read_text(errors="replace").splitlines() if path.exists() else []
            chunks.append(f"----- {name} (last {tail} lines) -----\n" + "\n".join(lines[-tail:]))
        return "\n".join(chunks)

    def _wait(self, process: Process, ready, what: str, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not process.alive():
                raise StackError(f"{process.name} exited while starting\n{self.logs()}")
            if ready():
                return
            time.sleep(0.1)
        raise StackError(f"{what} did not answer within {timeout:.0f} s\n{self.logs()}")

    def _wait_http(self) -> None:
        def ready() -> bool:
            try:
                with urllib.request.urlopen(self.url("/"), timeout=2) as response:  # noqa: S310 (local URL)
                    return response.status < 500
            except urllib.error.HTTPError as err:
                return err.code < 500
            except OSError:
                return False

        assert self.web is not None
        self._wait(self.web, ready, f"gunicorn at {self.base_url}")

    def _wait_live(self) -> None:
        def ready() -> bool:
            try:
                socket.create_connection(("127.0.0.1", self.live_port), timeout=1).close()
                return True
            except OSError:
                return False

        assert self.live is not None
        self._wait(self.live, ready, f"uvicorn on port {self.live_port}")


class Harness:
    """Session-wide: the template database, and a factory of stacks (one per test module)."""

    def __init__(self, extra_seed: str = "", web_workers: int = 2, access_log: bool = True):
        """``extra_seed``: Python run (``-c``) after the world's seed, on the template database,
        with Django set up by the script itself; ``web_workers``: gunicorn workers per stack;
        ``access_log``: gunicorn's access log (``Stack.access_log``)."""
        self.workdir = Path(tempfile.mkdtemp(prefix="satuatap-e2e-"))
        self.databases = DatabaseFactory(self.workdir, os.environ.get("DATABASE_URL", ""))
        self.stacks: list[Stack] = []
        self.extra_seed = extra_seed
        self.web_workers = web_workers
        self.access_log = access_log

    def _run(self, args: list[str], db_env: dict[str, str], what: str) -> str:
        env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
        env.update(db_env, DJANGO_SETTINGS_MODULE="satuatap.settings")
        result = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=180)
        if result.returncode != 0:
            raise StackError(f"{what} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
        return result.stdout

    def __enter__(self) -> Harness:
        try:
            self.databases.build_template(self._run, self.extra_seed)
        except BaseException:
            self.close()
            raise
        return self

    def new_stack(self) -> Stack:
        db = self.databases.copy()
        stack = Stack(
            db=db,
            tokens=self.databases.tokens,
            logdir=db.var_dir,
            web_workers=self.web_workers,
            access_log=self.access_log,
        )
        self.stacks.append(stack)
        try:
            stack.start()
        except BaseException:
            stack.stop()
            raise
        return stack

    def release(self, stack: Stack) -> None:
        """Stop a stack's processes and drop its database."""
        stack.stop()
        if stack in self.stacks:
            self.stacks.remove(stack)
        self.databases.drop(stack.db)

    def close(self) -> None:
        for stack in self.stacks:
            stack.stop()
        self.stacks.clear()
        try:
            self.databases.drop()
        finally:
            shutil.rmtree(self.workdir, ignore_errors=True)

    def __exit__(self, *exc) -> None:
        self.close()

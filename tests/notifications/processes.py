"""Real processes for the delivery, fault and benchmark tests of the notification outbox.

A throwaway Redis (its own port, nothing kept on disk) that a test may stop and start again; an
SMTP server on loopback that records what it receives and can be told to refuse; and real Celery
workers running the production settings against the test database. The test process publishes
to the throwaway Redis too, so `notify()` behaves as it does in a web request.

Each process is started in its own session (process group) and killed by that group, so a test
can SIGKILL a worker with its pool and its beat, and teardown never leaves one running. Only
processes started here are ever signalled.
"""

import asyncio
import contextlib
import dataclasses
import email
import email.parser
import email.policy
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from aiosmtpd.controller import Controller
from django.conf import settings
from django.db import connection

REDIS_SERVER = os.environ.get("REDIS_SERVER", "/usr/bin/redis-server")
PROJECT_DIR = Path(settings.BASE_DIR)
CELERY = Path(sys.executable).with_name("celery")
# Every database connection of a worker started here carries this name, so that teardown can
# wait for them to close before pytest-django flushes or drops the test database.
# One name per pytest-xdist worker: a test stops only the connections of its own workers.
WORKER_APPLICATION_NAME = f"cssp-test-worker-{os.environ.get('PYTEST_XDIST_WORKER', 'gw0')}"

# The outbox's clock in the workers, shortened from minutes to seconds.
FAST_OUTBOX = {
    "NOTIFICATIONS_SWEEP_SECONDS": "1",
    "NOTIFICATIONS_LOST_TASK_SECONDS": "3",
    "NOTIFICATIONS_DRAIN_SECONDS": "60",
    "CELERY_WORKER_HEARTBEAT_SECONDS": "1",
    "NOTIFICATIONS_RETRY_BASE_SECONDS": "1",
}


def free_port() -> int:
    """A TCP port on loopback that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(
    condition: Callable[[], object],
    *,
    timeout: float,
    interval: float = 0.1,
    message: str | Callable[[], str] = "",
):
    """Poll `condition` until it returns something truthy (returned) or fail after `timeout`."""
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() >= deadline:
            detail = message() if callable(message) else message
            pytest.fail(f"Not within {timeout:g} s: {detail}", pytrace=False)
        time.sleep(interval)


def _port_open(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


def _stop_group(process: subprocess.Popen, sig: int = signal.SIGKILL, timeout: float = 10) -> None:
    """Signal the process group `process` leads (it was started in its own session) and reap
    it. Never signals anything but that group."""
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, sig)
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=timeout)


# --- Redis ----------------------------------------------------------------------------------


class RedisServer:
    """A redis-server of our own: its port, its directory, nothing saved. `stop()` loses every
    queued message, as a crashed or restarted broker without persistence does."""

    def __init__(self, directory: Path, port: int | None = None):
        if not (os.path.isfile(REDIS_SERVER) and os.access(REDIS_SERVER, os.X_OK)):
            pytest.fail(
                f"redis-server was not found at {REDIS_SERVER}: the outbox's fault tests start "
                "their own broker. Install it (apt-get install redis-server) or point "
                "REDIS_SERVER at the binary.",
                pytrace=False,
            )
        self.directory = directory
        self.directory.mkdir(parents=True, exist_ok=True)
        self.port = port or free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def start(self) -> "RedisServer":
        assert not self.running, "this redis-server is already running"
        log = open(self.directory / "redis.log", "ab")  # noqa: SIM115 (closed with the process)
        options = {
            "port": str(self.port),
            "bind": "127.0.0.1",
            "save": "",  # nothing on disk: a restart loses every queued message
            "appendonly": "no",
            "dir": str(self.directory),
            "daemonize": "no",
        }
        self.process = subprocess.Popen(
            [
                REDIS_SERVER,
                *(arg for name, value in options.items() for arg in (f"--{name}", value)),
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()
        wait_until(
            lambda: self._ping() or self.process.poll() is not None,
            timeout=10,
            message=lambda: f"redis-server did not answer on port {self.port}: {self.log_tail()}",
        )
        if self.process.poll() is not None:
            pytest.fail(f"redis-server exited at start: {self.log_tail()}", pytrace=False)
        return self

    def stop(self) -> None:
        """Kill this redis-server (by its own process group) and wait until its port is free."""
        if self.process is not None:
            _stop_group(self.process)
        wait_until(lambda: not _port_open(self.port), timeout=5, message="redis port still open")

    def _ping(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def log_tail(self, chars: int = 2000) -> str:
        path = self.directory / "redis.log"
        return path.read_text(errors="replace")[-chars:] if path.exists() else ""


# --- PostgreSQL ------------------------------------------------------------------------------

PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))


class PostgresCluster:
    """A PostgreSQL cluster of our own (initdb in a temporary directory, run as the postgres
    user on a free port) that a test may stop and start; loaded with a copy of the test
    database. Only its own postmaster is ever signalled."""

    def __init__(self, port: int | None = None):
        if not (PG_BIN / "initdb").exists():
            pytest.fail(f"initdb was not found in {PG_BIN} (set PG_BIN)", pytrace=False)
        self.port = port or free_port()
        # Not under pytest's tmp_path: the postgres user cannot enter root's 0700 directories.
        self.directory = Path(tempfile.mkdtemp(prefix="cssp-fault-pg-"))
        shutil.chown(self.directory, "postgres", "postgres")
        self.data = self.directory / "data"
        self.process: subprocess.Popen | None = None
        self._run(
            [
                str(PG_BIN / "initdb"),
                "-D",
                str(self.data),
                "-U",
                "postgres",
                "-A",
                "trust",
                "--no-sync",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
            ]
        )

    def _run(self, args: list[str], **kwargs) -> str:
        result = subprocess.run(
            args, user="postgres", capture_output=True, text=True, cwd=self.directory, **kwargs
        )
        if result.returncode:
            pytest.fail(f"{args[0]} failed: {result.stderr[-2000:]}", pytrace=False)
        return result.stdout

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/cssp"

    def start(self) -> "PostgresCluster":
        log = open(self.directory / "postgres.log", "ab")  # noqa: SIM115 (closed with the process)
        self.process = subprocess.Popen(
            [
                str(PG_BIN / "postgres"),
                "-D",
                str(self.data),
                "-p",
                str(self.port),
                "-c",
                "listen_addresses=127.0.0.1",
                "-c",
                f"unix_socket_directories={self.directory}",
                "-c",
                "fsync=off",
                "-c",
                "max_connections=50",
            ],
            user="postgres",
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()
        wait_until(
            lambda: self._ready() or self.process.poll() is not None,
            timeout=30,
            message=lambda: f"postgres did not start: {self.log_tail()}",
        )
        if self.process.poll() is not None:
            pytest.fail(f"postgres exited at start: {self.log_tail()}", pytrace=False)
        return self

    def _ready(self) -> bool:
        return (
            subprocess.run(
                [str(PG_BIN / "pg_isready"), "-h", "127.0.0.1", "-p", str(self.port), "-q"],
                check=False,
            ).returncode
            == 0
        )

    def stop(self) -> None:
        """Fast shutdown (SIGINT to our postmaster): every connection is cut at once."""
        if self.process is not None:
            _stop_group(self.process, signal.SIGINT, timeout=30)
        wait_until(lambda: not _port_open(self.port), timeout=10, message="postgres port open")

    def copy_database(self, source_url: str) -> None:
        """Create database "cssp" as a copy (schema and rows) of the database at `source_url`."""
        self._run([str(PG_BIN / "createdb"), "-h", "127.0.0.1", "-p", str(self.port), "cssp"])
        dump = subprocess.run(
            [str(PG_BIN / "pg_dump"), "--no-owner", "--no-privileges", "-d", source_url],
            check=True,
            capture_output=True,
        ).stdout
        subprocess.run(
            [str(PG_BIN / "psql"), "-q", "-v", "ON_ERROR_STOP=1", "-d", self.url],
            input=dump,
            check=True,
            capture_output=True,
        )

    def query(self, sql: str, params=()) -> list[tuple]:
        import psycopg2

        conn = psycopg2.connect(self.url, connect_timeout=3)
        try:
            with conn.cursor() as cursor:
                cursor.execute(sql, params)
                return cursor.fetchall()
        finally:
            conn.close()

    def destroy(self) -> None:
        if self.process is not None and self.process.poll() is None:
            _stop_group(self.process, signal.SIGKILL)
        shutil.rmtree(self.directory, ignore_errors=True)

    def log_tail(self, chars: int = 2000) -> str:
        path = self.directory / "postgres.log"
        return path.read_text(errors="replace")[-chars:] if path.exists() else ""


# --- The SMTP sink --------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Received:
    notification: str  # the X-CSSP-Notification header
    to: tuple[str, ...]
    subject: str
    language: str  # the Content-Language header
    raw: bytes
    at: float

    @property
    def body(self) -> str:
        """The plain-text part (parsed on demand: the benchmark receives thousands)."""
        message = email.message_from_bytes(self.raw, policy=email.policy.default)
        part = message.get_body(preferencelist=("plain",))
        return part.get_content() if part is not None else ""


@dataclasses.dataclass(frozen=True)
class Refusal:
    phase: str  # "rcpt" or "data"
    what: str  # the recipient (rcpt) or the X-CSSP-Notification header (data)
    at: float


_HEADERS = email.parser.BytesParser(policy=email.policy.default)
ACCEPT, REFUSE_RCPT, REFUSE_DATA = "accept", "refuse-rcpt", "refuse-data"
TRY_LATER = "451 4.3.0 try again later"


class SmtpSink:
    """An SMTP server on a loopback port that keeps every message it accepts.

    `mode` switches it between accepting, refusing each recipient with a temporary error and
    refusing each message at the end of its data; `delay` slows every reply to a message down.
    A message is recorded as soon as its final "." arrives, before the reply: a client that dies
    waiting for the reply has still delivered it, as with a real server.
    """

    def __init__(self, port: int | None = None):
        self.port = port or free_port()
        self.mode = ACCEPT
        self.delay = 0.0
        self._lock = threading.Lock()
        self._received: list[Received] = []
        self._refused: list[Refusal] = []
        self._controller: Controller | None = None

    def start(self) -> "SmtpSink":
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self._controller.start()
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    # aiosmtpd handler hooks

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.mode == REFUSE_RCPT:
            with self._lock:
                self._refused.append(Refusal("rcpt", address, time.monotonic()))
            return TRY_LATER
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        headers = _HEADERS.parsebytes(envelope.content, headersonly=True)
        notification = str(headers.get("X-CSSP-Notification", ""))
        if self.mode == REFUSE_DATA:
            with self._lock:
                self._refused.append(Refusal("data", notification, time.monotonic()))
            return TRY_LATER
        with self._lock:
            self._received.append(
                Received(
                    notification=notification,
                    to=tuple(envelope.rcpt_tos),
                    subject=str(headers.get("Subject", "")),
                    language=str(headers.get("Content-Language", "")),
                    raw=envelope.content,
                    at=time.monotonic(),
                )
            )
        if self.delay:
            await asyncio.sleep(self.delay)
        return "250 OK"

    # What was received

    @property
    def received(self) -> list[Received]:
        with self._lock:
            return list(self._received)

    @property
    def refused(self) -> list[Refusal]:
        with self._lock:
            return list(self._refused)

    def count(self) -> int:
        with self._lock:
            return len(self._received)

    def copies(self) -> Counter:
        """How many times each notification (by its X-CSSP-Notification header) arrived."""
        return Counter(message.notification for message in self.received)

    def has_all(self, ids) -> bool:
        return {str(pk) for pk in ids} <= set(self.copies())


# --- Celery workers -------------------------------------------------------------------------


def worker_database_url() -> str:
    """The URL of the database pytest-django created for this run (test_…)."""
    db = connection.settings_dict
    credentials = quote(db["USER"] or "postgres", safe="")
    if db.get("PASSWORD"):
        credentials += ":" + quote(db["PASSWORD"], safe="")
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or 5432
    return (
        f"postgres://{credentials}@{host}:{port}/{quote(db['NAME'], safe='')}"
        f"?application_name={WORKER_APPLICATION_NAME}"
    )


class Worker:
    """One `celery worker` process (prefork pool) in its own process group, running
    cssp_portal.settings.production, and optionally its own `celery beat` beside it.

    Beat runs as a separate process, as compose, systemd and `make beat` run it, not embedded
    (`-B`): an embedded beat is a child of the worker like its pool processes, and killing "a
    pool process" could kill the scheduler instead, which the worker never starts again. Killing
    the whole worker (`kill()`) kills its beat too; a worker started in its place brings a new
    one, as a restarted host would."""

    def __init__(
        self,
        *,
        name: str,
        directory: Path,
        env: dict[str, str],
        args: list[str],
        beat_schedule: Path | None = None,
        supervised: bool = False,
    ):
        self.name = name
        self.log_path = directory / f"{name}.log"
        self.process = self._spawn(["worker", *args], env=env, supervised=supervised)
        self.beat: subprocess.Popen | None = None
        if beat_schedule is not None:
            self.beat = self._spawn(
                ["beat", "--loglevel=INFO", f"--schedule={beat_schedule}"],
                env=env,
                supervised=supervised,
            )

    def _spawn(self, args: list[str], *, env: dict[str, str], supervised: bool):
        # Worker and beat append to one log (O_APPEND: their lines do not overwrite each other).
        log = open(self.log_path, "ab")  # noqa: SIM115 (closed with the process)
        command = [str(CELERY), "-A", "cssp_portal", *args]
        if supervised:
            # As `make worker` / `make beat` run them: started again whenever they exit
            # (deploy/supervise.sh).
            command = ["sh", str(PROJECT_DIR / "deploy" / "supervise.sh"), *command]
        try:
            return subprocess.Popen(
                command,
                cwd=PROJECT_DIR,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        finally:
            log.close()

    @property
    def pid(self) -> int:
        return self.process.pid

    @property
    def alive(self) -> bool:
        return self.process.poll() is None

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def log_tail(self, chars: int = 3000) -> str:
        return self.log()[-chars:]

    def wait_ready(self, timeout: float = 30) -> "Worker":
        wait_until(
            lambda: " ready." in self.log() or not self.alive,
            timeout=timeout,
            message=lambda: f"worker {self.name} not ready:\n{self.log_tail()}",
        )
        if not self.alive:
            pytest.fail(f"worker {self.name} exited:\n{self.log_tail()}", pytrace=False)
        return self

    def children(self) -> list[int]:
        """The pids of this worker's pool processes (its only children: beat runs apart)."""
        path = Path(f"/proc/{self.pid}/task/{self.pid}/children")
        try:
            return [int(pid) for pid in path.read_text().split()]
        except OSError:
            return []

    def kill_child(self) -> int | None:
        """SIGKILL one pool process of this worker (its parent replaces it)."""
        children = self.children()
        if not children:
            return None
        with contextlib.suppress(ProcessLookupError):
            os.kill(children[0], signal.SIGKILL)
        return children[0]

    def kill(self) -> None:
        """SIGKILL the worker with its pool processes, and its beat: no cleanup, no acks."""
        _stop_group(self.process, signal.SIGKILL)
        if self.beat is not None:
            _stop_group(self.beat, signal.SIGKILL)


class Workers:
    """Starts workers against the test database, the throwaway broker and the sink; kills them
    all at teardown and waits until their database connections are gone."""

    def __init__(self, *, directory: Path, broker: RedisServer, sink: SmtpSink):
        self.directory = directory
        self.broker = broker
        self.sink = sink
        self.started: list[Worker] = []

    def env(self, overrides: dict[str, str] | None = None) -> dict[str, str]:
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("DJANGO_", "DATABASE_", "REDIS_", "EMAIL_", "CELERY_"))
            and not key.startswith(("NOTIFICATIONS_", "PYTEST_"))
        }
        env.update(
            DJANGO_SETTINGS_MODULE="cssp_portal.settings.production",
            DJANGO_SECRET_KEY="test-worker-" + uuid.uuid4().hex,
            DJANGO_ALLOWED_HOSTS="testserver",
            DATABASE_URL=worker_database_url(),
            REDIS_URL=self.broker.url,
            EMAIL_URL=f"smtp://127.0.0.1:{self.sink.port}",
            SITE_URL="http://testserver",
            DJANGO_LOG_LEVEL="INFO",
            PYTHONUNBUFFERED="1",
            **FAST_OUTBOX,
        )
        env.update(overrides or {})
        return env

    def start(
        self,
        *,
        beat: bool = True,
        concurrency: int = 2,
        env: dict[str, str] | None = None,
        ready: bool = True,
        supervised: bool = False,
    ) -> Worker:
        name = f"worker{len(self.started) + 1}"
        args = [
            "--pool=prefork",
            f"--concurrency={concurrency}",
            "--loglevel=INFO",
            f"--hostname={name}-{uuid.uuid4().hex[:6]}@%h",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ]
        worker = Worker(
            name=name,
            directory=self.directory,
            env={"SUPERVISE_DELAY": "1", **self.env(env)},
            args=args,
            # A fresh schedule file each time: a SIGKILLed beat may leave its file half written.
            beat_schedule=self.directory / f"{name}-beat" if beat else None,
            supervised=supervised,
        )
        self.started.append(worker)
        return worker.wait_ready() if ready else worker

    def kill_all(self) -> None:
        for worker in self.started:
            worker.kill()

    def logs(self) -> str:
        return "\n".join(f"--- {w.name} ---\n{w.log_tail()}" for w in self.started)


def worker_connections() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE application_name = %s AND pid <> "
            "pg_backend_pid()",
            [WORKER_APPLICATION_NAME],
        )
        return cursor.fetchone()[0]


# --- Publishing from the test process ---------------------------------------------------------


@contextlib.contextmanager
def publishing_to(broker_url: str) -> Iterator[None]:
    """Make this process's Celery app publish to `broker_url` instead of running tasks eagerly
    (the test settings), then put everything back."""
    from kombu import pools

    from cssp_portal.celery import app

    saved = {key: app.conf[key] for key in ("broker_url", "task_always_eager")}

    def reset_pools():
        pools.reset()
        app._pool = None
        app.amqp._producer_pool = None

    app.conf.update(broker_url=broker_url, task_always_eager=False)
    reset_pools()
    try:
        yield
    finally:
        reset_pools()
        app.conf.update(saved)


# --- Fixtures (imported by tests/notifications/conftest.py and tests/bench/conftest.py) ---------


@pytest.fixture
def broker(tmp_path) -> Iterator[RedisServer]:
    """A throwaway redis-server that this process and the workers use as their broker."""
    server = RedisServer(tmp_path / "redis").start()
    try:
        with publishing_to(server.url):
            yield server
    finally:
        server.stop()


@pytest.fixture
def smtp_sink() -> Iterator[SmtpSink]:
    sink = SmtpSink().start()
    try:
        yield sink
    finally:
        sink.stop()


@pytest.fixture
def workers(transactional_db, tmp_path, broker, smtp_sink) -> Iterator[Workers]:
    """Start real workers with `workers.start()`. Depends on transactional_db so that they are
    killed, and their connections closed, before the test database is flushed."""
    started = Workers(directory=tmp_path, broker=broker, sink=smtp_sink)
    try:
        yield started
    finally:
        started.kill_all()
        wait_until(
            lambda: worker_connections() == 0,
            timeout=15,
            message="the killed workers' database connections did not close",
        )


@pytest.fixture
def postgres_cluster(transactional_db) -> Iterator[PostgresCluster]:
    """A throwaway PostgreSQL on a free port, not yet started (tests copy the test database
    into it once their data is written)."""
    cluster = PostgresCluster()
    try:
        yield cluster
    finally:
        cluster.destroy()


# --- Data -------------------------------------------------------------------------------------


def immediate_recipients(count: int, *, languages=("en", "fr"), prefix: str = "lead"):
    """`count` members who want to hear about new members at once (languages in turn)."""
    from communities.kinds import COMMUNITY_NEW_MEMBER
    from members.models import User
    from notifications.models import Frequency, NotificationPreference

    run = uuid.uuid4().hex[:8]
    users = User.objects.bulk_create(
        User(
            email=f"{prefix}{index}-{run}@example.gc.ca",
            first_name="Lee",
            last_name=f"Lead{index}",
            preferred_language=languages[index % len(languages)],
        )
        for index in range(count)
    )
    NotificationPreference.objects.bulk_create(
        NotificationPreference(user=user, kind=COMMUNITY_NEW_MEMBER, frequency=Frequency.IMMEDIATE)
        for user in users
    )
    return users

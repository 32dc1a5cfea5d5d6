"""Processes and measurements of the crowd benchmark (tests/bench/bench_load.py).

Everything that touches the benchmark's database runs in a subprocess with the benchmark's
settings (cssp_portal.settings.bench) and its own DATABASE_URL / REDIS_URL, never in the test
process, whose Django is configured for the test suite. The server is gunicorn, started in its
own session and stopped by that process group only; the load comes from wrk in another process
(tests/bench/wrk_crowd.lua) and the writes from a thread of this process, over HTTP.
"""

import contextlib
import dataclasses
import http.client
import json
import math
import os
import platform
import re
import resource
import secrets
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pytest

from tests.notifications.processes import _port_open, _stop_group, free_port, wait_until

PROJECT_DIR = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
# The server's Python: `make bench-load` gives one with the production dependencies only (as
# the Dockerfile installs them); run directly, the benchmark serves with its own.
SERVER_PYTHON = os.environ.get("BENCH_SERVER_PYTHON") or sys.executable
GUNICORN = str(Path(SERVER_PYTHON).with_name("gunicorn"))
LUA_SCRIPT = Path(__file__).with_name("wrk_percentiles.lua")
CROWD_SCRIPT = Path(__file__).with_name("wrk_crowd.lua")

DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/cssp_bench")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/10")


def bench_env() -> dict[str, str]:
    """The environment of every benchmark subprocess: production settings (plus the query
    counter), the benchmark's own database and Redis database, a throwaway secret key."""
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="cssp_portal.settings.bench",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        # Production requires the address e-mails link to; the benchmark sends none.
        SITE_URL="http://127.0.0.1",
        DATABASE_URL=DATABASE_URL,
        REDIS_URL=REDIS_URL,
        DJANGO_LOG_LEVEL="WARNING",
        PYTHONUNBUFFERED="1",
    )
    return env


def ensure_wrk() -> str:
    """Debian's wrk; installed with apt-get when missing and possible (as .ci/run installs
    redis-server), else the benchmark stops with the command to run."""
    found = shutil.which("wrk")
    if found:
        return found
    if shutil.which("apt-get") and os.geteuid() == 0:
        quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        if subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], env=env, **quiet).returncode:
            subprocess.run(["apt-get", "update", "-qq"], env=env, **quiet)
            subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], env=env, **quiet)
        found = shutil.which("wrk")
    if not found:
        pytest.fail(
            "The load benchmark needs the HTTP load tool wrk: apt-get install wrk", pytrace=False
        )
    return found


def ensure_database() -> None:
    """Create the benchmark's database when it does not exist yet."""
    import psycopg2
    from psycopg2 import sql

    parts = urlsplit(DATABASE_URL)
    name = parts.path.lstrip("/")
    try:
        server = psycopg2.connect(
            host=parts.hostname or "127.0.0.1",
            port=parts.port or 5432,
            user=parts.username or "postgres",
            password=parts.password or None,
            dbname="postgres",
            connect_timeout=5,
        )
    except psycopg2.OperationalError as error:
        pytest.fail(f"PostgreSQL is not reachable for {DATABASE_URL}: {error}", pytrace=False)
    server.autocommit = True
    with contextlib.closing(server), server.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def manage(*args: str, env: dict[str, str]) -> None:
    """manage.py in the benchmark's environment; its output (progress bars) goes to the
    terminal."""
    print(f"\n$ manage.py {' '.join(args)}", flush=True)
    completed = subprocess.run([PYTHON, "manage.py", *args], cwd=PROJECT_DIR, env=env)
    if completed.returncode:
        pytest.fail(f"manage.py {' '.join(args)} failed ({completed.returncode})", pytrace=False)


def plan_crowd(env: dict[str, str], out: Path, *, visitors: int, anonymous: int, writes: int):
    """The crowd: sessions, their pages, the writes (tests/bench/load_probe.py plan)."""
    completed = subprocess.run(
        [
            PYTHON,
            "-m",
            "tests.bench.load_probe",
            "plan",
            f"--out={out}",
            f"--visitors={visitors}",
            f"--anonymous={anonymous}",
            f"--writes={writes}",
        ],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
    )
    if completed.returncode:
        pytest.fail(f"load_probe plan failed:\n{completed.stderr}", pytrace=False)
    return json.loads(out.read_text(encoding="utf-8"))


def sign_in_user(env: dict[str, str]) -> dict:
    """An address and a fresh password to sign in with (load_probe sign-in)."""
    completed = subprocess.run(
        [PYTHON, "-m", "tests.bench.load_probe", "sign-in"],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
    )
    if completed.returncode:
        pytest.fail(f"load_probe sign-in failed:\n{completed.stderr}", pytrace=False)
    return json.loads(completed.stdout.strip().splitlines()[-1])


def verify_writes(env: dict[str, str], attempted: list[dict], scratch: Path) -> dict:
    """Which of the writes answered as saved are rows in the database (load_probe verify)."""
    scratch.write_text(json.dumps(attempted), encoding="utf-8")
    completed = subprocess.run(
        [PYTHON, "-m", "tests.bench.load_probe", "verify", f"--attempted={scratch}"],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
    )
    if completed.returncode:
        pytest.fail(f"load_probe verify failed:\n{completed.stderr}", pytrace=False)
    return json.loads(completed.stdout.strip().splitlines()[-1])


class Server:
    """gunicorn serving the portal with the benchmark settings on a free loopback port."""

    def __init__(self, env: dict[str, str], workers: int, log: Path):
        self.env, self.workers, self.log = env, workers, log
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> "Server":
        command = [
            GUNICORN,
            "cssp_portal.wsgi:application",
            f"--bind=127.0.0.1:{self.port}",
            f"--workers={self.workers}",
            "--worker-class=sync",
            # As docker-compose.yml and the Dockerfile serve it (cssp_portal/wsgi.py).
            "--preload",
            "--timeout=120",
            "--graceful-timeout=5",
            "--no-control-socket",
        ]
        self.handle = self.log.open("ab")
        self.process = subprocess.Popen(
            command,
            cwd=PROJECT_DIR,
            env=self.env,
            stdout=self.handle,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        wait_until(
            lambda: self.process.poll() is not None or _port_open(self.port),
            timeout=60,
            message=f"gunicorn did not listen on {self.port} (see {self.log})",
        )
        if self.process.poll() is not None:
            pytest.fail(f"gunicorn exited at start: see {self.log}", pytrace=False)
        # Every worker imports Django and opens its connection on its first request.
        wait_until(
            lambda: fetch(self.url("/bench/trivial")).status == 200,
            timeout=60,
            message="the trivial view did not answer 200",
        )
        return self

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def worker_memory_mib(self) -> dict[int, dict[str, float]]:
        """The memory of each gunicorn worker, by pid: "rss" (resident, VmRSS: the pages it
        shares with the master and the other workers count in full), "private" (the pages
        only it uses) and "pss" (private plus its share of the shared ones), from
        /proc/PID/smaps_rollup."""
        master = self.process.pid
        children = Path(f"/proc/{master}/task/{master}/children")
        try:
            pids = [int(pid) for pid in children.read_text().split()]
        except OSError:
            pids = [
                int(entry.name)
                for entry in Path("/proc").iterdir()
                if entry.name.isdigit() and _parent_of(entry) == master
            ]
        sizes = {}
        for pid in pids:
            with contextlib.suppress(OSError):
                kib = {"Rss": 0, "Pss": 0, "Private_Clean": 0, "Private_Dirty": 0}
                for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                    name, _, value = line.partition(":")
                    if name in kib:
                        kib[name] = int(value.split()[0])
                sizes[pid] = {
                    "rss": kib["Rss"] / 1024,
                    "pss": kib["Pss"] / 1024,
                    "private": (kib["Private_Clean"] + kib["Private_Dirty"]) / 1024,
                }
        return sizes

    def __exit__(self, *exc) -> None:
        import signal

        if self.process is not None:
            _stop_group(self.process, signal.SIGTERM, timeout=20)
        self.handle.close()


def _processes() -> dict[int, tuple[str, int, int]]:
    """Every process's command name, parent pid and CPU time so far (user and system, in clock
    ticks), from /proc/PID/stat."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError, IndexError, ValueError):
            stat = entry.joinpath("stat").read_text()
            # The command name, in parentheses, may hold spaces: the fields after it are fixed.
            name = stat[stat.index("(") + 1 : stat.rindex(")")]
            fields = stat[stat.rindex(")") + 2 :].split()
            found[int(entry.name)] = (name, int(fields[1]), int(fields[11]) + int(fields[12]))
    return found


def _machine_ticks() -> tuple[int, int]:
    """(busy, total) clock ticks of all the machine's CPUs so far, from /proc/stat."""
    user, nice, system, idle, iowait, irq, softirq, steal = (
        int(value) for value in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]
    )
    busy = user + nice + system + irq + softirq + steal
    return busy, busy + idle + iowait


@dataclasses.dataclass
class CpuUse:
    """What used the machine's CPUs during a window, in CPU seconds: the server (gunicorn's
    master and workers), PostgreSQL and Redis by their processes, read every half second (a
    database connection that closes within the window, as one does every CONN_MAX_AGE, counts
    up to its last reading), wrk as this process's children that ended in it; "the rest" is
    the machine's busy time less those (this process's writer thread, the kernel, whatever
    else ran)."""

    seconds: float
    cores: int
    busy: float
    by: dict[str, float]

    @property
    def available(self) -> float:
        return self.seconds * self.cores

    def per_request_ms(self, name: str, requests: int) -> float:
        return 1000 * self.by.get(name, 0.0) / requests if requests else 0.0


class CpuMeter:
    """`with CpuMeter(server_pid) as meter: ...`, then `meter.use` (a CpuUse)."""

    GROUPS = ("gunicorn", "PostgreSQL", "Redis")
    INTERVAL = 0.5

    def __init__(self, server_pid: int):
        self.server_pid = server_pid
        self.use: CpuUse | None = None
        self._seen: dict[int, tuple[str, int, int]] = {}
        self._stop = threading.Event()

    def _group(self, pid: int, name: str, parent: int) -> str | None:
        if self.server_pid in (pid, parent):
            return "gunicorn"
        if name.startswith("postgres"):
            return "PostgreSQL"
        if name.startswith("redis-server"):
            return "Redis"
        return None

    @staticmethod
    def _children_seconds() -> float:
        """CPU time of this process's children that ended and were waited for (wrk)."""
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        return usage.ru_utime + usage.ru_stime

    def _read(self) -> None:
        for pid, (name, parent, used) in _processes().items():
            group = self._group(pid, name, parent)
            if group is not None:
                self._seen[pid] = (name, group, used)

    def _sample(self) -> None:
        while not self._stop.wait(self.INTERVAL):
            self._read()

    def __enter__(self) -> "CpuMeter":
        self._started = time.monotonic()
        self._machine = _machine_ticks()
        self._before = _processes()
        self._children = self._children_seconds()
        self._sampler = threading.Thread(target=self._sample, name="cpu-meter", daemon=True)
        self._sampler.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._sampler.join()
        self._read()
        busy, total = _machine_ticks()
        seconds = time.monotonic() - self._started
        ticks = os.sysconf("SC_CLK_TCK")
        by = dict.fromkeys(self.GROUPS, 0.0)
        for pid, (name, group, used) in self._seen.items():
            before = self._before.get(pid)
            earlier = before[2] if before is not None and before[0] == name else 0
            by[group] += max(used - earlier, 0) / ticks
        by["wrk"] = self._children_seconds() - self._children
        busy_seconds = (busy - self._machine[0]) / ticks
        by["the rest"] = max(busy_seconds - sum(by.values()), 0.0)
        cores = round((total - self._machine[1]) / ticks / seconds) if seconds else 0
        self.use = CpuUse(
            seconds=seconds, cores=cores or os.cpu_count() or 1, busy=busy_seconds, by=by
        )


def _parent_of(entry: Path) -> int:
    with contextlib.suppress(OSError, IndexError, ValueError):
        # The command name, in parentheses, may hold spaces: the fields after it are fixed.
        return int(entry.joinpath("stat").read_text().rsplit(")", 1)[1].split()[1])
    return 0


@dataclasses.dataclass
class Response:
    status: int
    queries: int
    repeats: int
    db_ms: float
    template_ms: float
    template_db_ms: float
    app_ms: float
    size: int
    location: str = ""
    # The slowest statement: "milliseconds table".
    slowest: str = ""
    slow_statements: int = 0
    body: str = ""
    # name -> value of the cookies the response sets
    cookies: dict = dataclasses.field(default_factory=dict)

    @property
    def slowest_ms(self) -> float:
        return float(self.slowest.partition(" ")[0] or 0)


def fetch(url: str, cookie: str = "", *, method: str = "GET", form: dict | None = None) -> Response:
    """One request, redirects not followed, with the query counter's headers read."""
    parts = urlsplit(url)
    client = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
    headers = {"Cookie": cookie} if cookie else {}
    body = None
    if form is not None:
        body = urlencode(form)
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    try:
        client.request(
            method,
            parts.path + (f"?{parts.query}" if parts.query else ""),
            body=body,
            headers=headers,
        )
        answer = client.getresponse()
        content = answer.read()
    except OSError:
        return Response(0, 0, 0, 0.0, 0.0, 0.0, 0.0, 0)
    finally:
        client.close()
    timing = {
        item.split(";dur=")[0].strip(): float(item.split(";dur=")[1])
        for item in (answer.getheader("Server-Timing") or "").split(",")
        if ";dur=" in item
    }
    return Response(
        status=answer.status,
        queries=int(answer.getheader("X-Bench-Queries") or -1),
        repeats=int(answer.getheader("X-Bench-Repeats") or 0),
        db_ms=timing.get("db", 0.0),
        template_ms=timing.get("tpl", 0.0),
        template_db_ms=timing.get("tpldb", 0.0),
        app_ms=timing.get("app", 0.0),
        size=len(content),
        location=answer.getheader("Location") or "",
        slowest=answer.getheader("X-Bench-Slowest") or "",
        slow_statements=int(answer.getheader("X-Bench-Slow-Statements") or 0),
        body=content.decode("utf-8", "replace"),
        cookies=dict(
            cookie.split(";", 1)[0].strip().split("=", 1)
            for cookie in answer.msg.get_all("Set-Cookie") or []
            if "=" in cookie.split(";", 1)[0]
        ),
    )


@dataclasses.dataclass
class Profile:
    """A page kind fetched one request at a time, on different visitors' URLs."""

    requests: int
    statuses: list
    queries: int  # the most of any request
    usual_queries: int  # the most common count
    repeats: int
    db_ms: float  # medians
    template_ms: float
    template_db_ms: float
    app_ms: float
    # The median of each URL's first request: call profile() right after empty_cache() and
    # this is the page with cold caches (fragments, sessions), shared fragments aside.
    first_ms: float
    size: int
    slowest_ms: float  # the slowest statement of any request
    slowest: str
    slow_statements: int  # over 5 ms, in all the requests


def empty_cache() -> None:
    """Empty the benchmark's Redis database (the cache, and the broker's queue, which no worker
    reads during the benchmark)."""
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()


def profile(samples: list[tuple[str, str]], times: int = 3) -> Profile:
    """Each (url, cookie) fetched `times` times in a row with nothing else running on the
    server; call it on warm workers."""
    responses = [fetch(url, cookie) for url, cookie in samples for _ in range(times)]
    slowest = max(responses, key=lambda r: r.slowest_ms)
    return Profile(
        requests=len(responses),
        statuses=sorted({r.status for r in responses}),
        queries=max(r.queries for r in responses),
        usual_queries=statistics.mode(r.queries for r in responses),
        repeats=max(r.repeats for r in responses),
        db_ms=statistics.median(r.db_ms for r in responses),
        template_ms=statistics.median(r.template_ms for r in responses),
        template_db_ms=statistics.median(r.template_db_ms for r in responses),
        app_ms=statistics.median(r.app_ms for r in responses),
        first_ms=statistics.median(r.app_ms for r in responses[::times]),
        size=round(statistics.median(r.size for r in responses)),
        slowest_ms=slowest.slowest_ms,
        slowest=slowest.slowest,
        slow_statements=sum(r.slow_statements for r in responses),
    )


@dataclasses.dataclass
class Load:
    requests_per_second: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    requests: int
    errors: dict


def _wrk(command: list[str], *, seconds: int, env: dict | None = None) -> dict:
    completed = subprocess.run(
        command, capture_output=True, text=True, timeout=seconds + 120, env=env
    )
    lines = [line for line in completed.stdout.splitlines() if line.startswith("WRK_JSON ")]
    if completed.returncode or not lines:
        pytest.fail(
            f"wrk failed: {' '.join(command)}\n{completed.stdout}\n{completed.stderr}",
            pytrace=False,
        )
    return json.loads(lines[-1][len("WRK_JSON ") :])


def _settle(data: dict) -> None:
    # Sync workers still serve the requests wrk abandoned at the end (up to one per connection);
    # let them drain so the next run does not start behind them.
    time.sleep(max(1.0, data["latency_us"]["p99"] / 1e6))


def run_wrk(wrk: str, url: str, *, seconds: int, connections: int, threads: int) -> Load:
    """wrk on one URL (the trivial view), no cookie."""
    data = _wrk(
        [
            wrk,
            f"--threads={threads}",
            f"--connections={connections}",
            f"--duration={seconds}s",
            "--timeout=10s",
            f"--script={LUA_SCRIPT}",
            url,
        ],
        seconds=seconds,
    )
    _settle(data)
    return Load(
        requests_per_second=data["requests"] / (data["duration_us"] / 1e6),
        p50_ms=data["latency_us"]["p50"] / 1000,
        p95_ms=data["latency_us"]["p95"] / 1000,
        p99_ms=data["latency_us"]["p99"] / 1000,
        requests=data["requests"],
        errors=data["errors"],
    )


# --- The crowd -------------------------------------------------------------------------------


def write_crowd_file(visitors: list[dict], kinds: list[str], path: Path) -> None:
    """The visitors and their pages as wrk_crowd.lua reads them; a page's kind is its index in
    `kinds` ("<page> (<audience>)")."""
    lines = []
    for visitor in visitors:
        lines.append(f"V\t{visitor['cookie']}")
        for kind, page in visitor["pages"]:
            lines.append(f"P\t{kinds.index(kind_of(kind, visitor['audience']))}\t{page}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def kind_of(page: str, audience: str) -> str:
    return f"{page} ({audience})"


@dataclasses.dataclass
class Record:
    """One response of the crowd run, as wrk_crowd.lua wrote it."""

    kind: int | None
    status: int
    latency_ms: float
    queries: int
    server_ms: float
    slow_statements: int
    slowest_ms: float


@dataclasses.dataclass
class Crowd:
    seconds: float
    requests: int
    errors: dict
    records: list[Record]
    # wrk's own latency percentiles, in ms: a check on those measured per request.
    wrk_latency: dict


def run_crowd(
    wrk: str, url: str, plan: Path, out: Path, *, seconds: int, connections: int, threads: int
) -> Crowd:
    """wrk_crowd.lua on the server at `url`: every request a (visitor, page) pair at random."""
    env = {
        **os.environ,
        "WRK_CROWD_PLAN": str(plan),
        "WRK_CROWD_OUT": str(out),
        "WRK_CROWD_SEED": str(secrets.randbelow(10**6)),
    }
    out.unlink(missing_ok=True)
    data = _wrk(
        [
            wrk,
            f"--threads={threads}",
            f"--connections={connections}",
            f"--duration={seconds}s",
            "--timeout=10s",
            f"--script={CROWD_SCRIPT}",
            url,
        ],
        seconds=seconds,
        env=env,
    )
    records = []
    for line in out.read_text(encoding="utf-8").splitlines():
        kind, status, latency, queries, server, slow, slowest = line.split()
        records.append(
            Record(
                kind=None if kind == "?" else int(kind),
                status=int(status),
                latency_ms=int(latency) / 1000,
                queries=int(queries),
                server_ms=float(server),
                slow_statements=int(slow),
                slowest_ms=float(slowest),
            )
        )
    _settle(data)
    return Crowd(
        seconds=data["duration_us"] / 1e6,
        requests=data["requests"],
        errors=data["errors"],
        records=records,
        wrk_latency={key: data["latency_us"][key] / 1000 for key in ("p50", "p95", "p99")},
    )


_CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def sign_in(server_url, email: str, password: str) -> tuple[str, str]:
    """Sign in through the form as a browser does: open the page, post the address and
    password with the CSRF token. Returns the session's cookies, or "" and what went wrong."""
    page = fetch(server_url("/en/accounts/login/"))
    token = _CSRF_FIELD.search(page.body)
    csrf = page.cookies.get("csrftoken", "")
    if page.status != 200 or token is None or not csrf:
        return "", f"the sign-in page answered {page.status}" + (
            "" if page.status != 200 else " without a form or CSRF cookie"
        )
    answer = fetch(
        server_url("/en/accounts/login/"),
        f"csrftoken={csrf}",
        method="POST",
        form={"csrfmiddlewaretoken": token.group(1), "login": email, "password": password},
    )
    session = answer.cookies.get("sessionid", "")
    if answer.status not in (302, 303) or not session:
        return "", f"the sign-in answered {answer.status}" + (
            "" if session else " without a session"
        )
    return f"sessionid={session}; csrftoken={answer.cookies.get('csrftoken', csrf)}", ""


@dataclasses.dataclass
class Write:
    kind: str
    action: str
    ok: bool
    detail: str
    latency_ms: float


class Writer(threading.Thread):
    """Saves rows at `rate` per second through the portal's forms, as a person would: opens
    the page that holds the form (its CSRF token and the form's action must be on it), posts
    it, and expects the redirect a saved form answers with. Writes start on a fixed schedule,
    each in a thread of its own, whatever the server's speed (at most IN_FLIGHT at a time;
    beyond that the rate falls, and the achieved rate is reported)."""

    IN_FLIGHT = 8

    def __init__(self, server_url, writes: list[dict], rate: float):
        super().__init__(daemon=True)
        self.server_url, self.planned, self.rate = server_url, writes, rate
        # (the planned write, what happened), in the order they finished.
        self.results: list[tuple[dict, Write]] = []
        self.lock = threading.Lock()
        self.slots = threading.BoundedSemaphore(self.IN_FLIGHT)
        self.stopping = threading.Event()
        self.started_at = self.stopped_at = 0.0
        self.threads: list[threading.Thread] = []

    def run(self) -> None:
        if self.rate <= 0:
            return
        self.started_at = time.monotonic()
        for index, write in enumerate(self.planned):
            wait = self.started_at + index / self.rate - time.monotonic()
            if self.stopping.wait(max(wait, 0)):
                break
            self.slots.acquire()
            thread = threading.Thread(target=self._write, args=(write,), daemon=True)
            thread.start()
            self.threads.append(thread)
        else:
            with self.lock:
                self.results.append(({}, Write("-", "-", False, "the plan ran out of writes", 0)))
        self.stopped_at = time.monotonic()

    def stop(self) -> None:
        self.stopping.set()
        self.join(timeout=120)
        for thread in self.threads:
            thread.join(timeout=120)

    @property
    def done(self) -> list["Write"]:
        return [result for _write, result in self.results]

    @property
    def saved(self) -> list[dict]:
        """The writes answered as saved."""
        return [write for write, result in self.results if result.ok]

    @property
    def achieved_rate(self) -> float:
        seconds = (self.stopped_at or time.monotonic()) - self.started_at
        return len(self.threads) / seconds if self.started_at and seconds > 0 else 0.0

    def _write(self, write: dict) -> None:
        try:
            result = self._post(write)
        finally:
            self.slots.release()
        with self.lock:
            self.results.append((write, result))

    def write_now(self, write: dict) -> "Write":
        """One write, at once, in this thread."""
        return self._post(write)

    def _post(self, write: dict) -> Write:
        started = time.perf_counter()
        page = fetch(self.server_url(write["form"]), write["cookie"])
        token = _CSRF_FIELD.search(page.body)
        if page.status != 200 or token is None or f'action="{write["action"]}"' not in page.body:
            return Write(
                write["kind"],
                write["action"],
                False,
                f"form page {write['form']} answered {page.status}"
                + ("" if page.status != 200 else " without the form"),
                (time.perf_counter() - started) * 1000,
            )
        answer = fetch(
            self.server_url(write["action"]),
            write["cookie"],
            method="POST",
            form={"csrfmiddlewaretoken": token.group(1), **write["data"]},
        )
        ok = answer.status in (302, 303)
        return Write(
            write["kind"],
            write["action"],
            ok,
            "" if ok else f"answered {answer.status}",
            (time.perf_counter() - started) * 1000,
        )


def machine() -> str:
    model = ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    return f"{os.cpu_count()} CPU(s) {model}"


def interpreter() -> str:
    """The Python that serves the portal and how long the benchmark's (the same interpreter,
    with the development tools beside) takes for a fixed piece of plain Python: interpreters
    and machines differ in speed (a pyenv build without profile-guided optimisation ran it 1.4
    times slower than Debian's python3.11 on the same machine), so the report says which one
    ran."""
    best = math.inf
    for _ in range(3):
        started = time.perf_counter()
        _python_probe()
        best = min(best, time.perf_counter() - started)
    return (
        f"Python {platform.python_version()} (server: {SERVER_PYTHON}; a fixed loop of calls, "
        f"attribute and dict lookups in {best * 1000:,.0f} ms)"
    )


def _python_probe() -> None:
    class Row:
        def __init__(self, pk):
            self.pk = pk

        def key(self):
            return self.pk % 7

    seen: dict[int, int] = {}
    for pk in range(300_000):
        row = Row(pk)
        seen[row.key()] = seen.get(row.key(), 0) + 1


def load_average() -> str:
    return " / ".join(f"{value:.1f}" for value in os.getloadavg())


def since(started: float) -> str:
    return f"{time.monotonic() - started:,.0f} s"

"""Processes and measurements of the load benchmark (tests/bench/bench_load.py).

Everything that touches the benchmark's database runs in a subprocess with the benchmark's
settings (cssp_portal.settings.bench) and its own DATABASE_URL / REDIS_URL, never in the test
process, whose Django is configured for the test suite. The server is gunicorn, started in its
own session and stopped by that process group only; the load comes from wrk in another process.
"""

import contextlib
import dataclasses
import http.client
import json
import os
import secrets
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.notifications.processes import _port_open, _stop_group, free_port, wait_until

PROJECT_DIR = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))
LUA_SCRIPT = Path(__file__).with_name("wrk_percentiles.lua")

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


def probe(env: dict[str, str], **objects: str | None) -> dict:
    """Objects to measure, fresh sessions, data set size (tests/bench/load_probe.py)."""
    args = [f"--{key.replace('_', '-')}={value}" for key, value in objects.items() if value]
    completed = subprocess.run(
        [PYTHON, "-m", "tests.bench.load_probe", *args],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
    )
    if completed.returncode:
        pytest.fail(f"load_probe failed:\n{completed.stderr}", pytrace=False)
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

    def __exit__(self, *exc) -> None:
        import signal

        if self.process is not None:
            _stop_group(self.process, signal.SIGTERM, timeout=20)
        self.handle.close()


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
    slowest: str = ""
    page_cache: str = ""


def fetch(url: str, cookie: str = "") -> Response:
    """One GET, redirects not followed, with the query counter's headers read."""
    parts = urlsplit(url)
    client = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
    headers = {"Cookie": cookie} if cookie else {}
    try:
        client.request(
            "GET", parts.path + (f"?{parts.query}" if parts.query else ""), headers=headers
        )
        answer = client.getresponse()
        body = answer.read()
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
        size=len(body),
        location=answer.getheader("Location") or "",
        slowest=answer.getheader("X-Bench-Slowest") or "",
        page_cache=answer.getheader("X-Page-Cache") or "",
    )


@dataclasses.dataclass
class Profile:
    """A page fetched a few times in a row, alone on the server."""

    status: int
    queries: int
    repeats: int
    db_ms: float
    template_ms: float
    template_db_ms: float
    app_ms: float
    size: int
    location: str
    # The slowest statement of the median request: "milliseconds table".
    slowest: str


def miss_url(url: str) -> str:
    """The same page under a query string of its own, which the views ignore and the page
    cache (cssp_portal/pagecache.py) keys on: a page-cache miss, built from the database."""
    separator = "&" if "?" in url else "?"
    return f"{url}{separator}bench-miss={secrets.token_hex(8)}"


def profile(url: str, cookie: str = "", times: int = 7) -> Profile:
    """Fetch a page `times` times in a row, each a page-cache miss (what a page costs to
    build); call it on warm workers (after a short load), or the first request of each worker
    (template loading, translation catalogues, per-process caches) is what gets measured."""
    responses = [fetch(miss_url(url), cookie) for _ in range(times)]
    hits = [r for r in responses if r.page_cache == "hit"]
    if hits:
        pytest.fail(f"{url}: a page under a query string of its own came from the page cache")
    last = responses[-1]
    median = sorted(responses, key=lambda r: r.app_ms)[len(responses) // 2]
    return Profile(
        status=last.status,
        queries=statistics.mode(r.queries for r in responses),
        repeats=statistics.mode(r.repeats for r in responses),
        db_ms=statistics.median(r.db_ms for r in responses),
        template_ms=statistics.median(r.template_ms for r in responses),
        template_db_ms=statistics.median(r.template_db_ms for r in responses),
        app_ms=statistics.median(r.app_ms for r in responses),
        size=last.size,
        location=last.location,
        slowest=median.slowest,
    )


@dataclasses.dataclass
class Load:
    requests_per_second: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    requests: int
    errors: dict


def run_wrk(
    wrk: str,
    url: str,
    *,
    cookie: str,
    seconds: int,
    connections: int,
    threads: int,
    every_request_a_miss: bool = False,
) -> Load:
    """wrk on one URL; with `every_request_a_miss`, each request has a query string of its own
    (wrk_percentiles.lua), so none is served from the page cache."""
    env = dict(os.environ)
    env.pop("WRK_MISS_NONCE", None)
    if every_request_a_miss:
        env["WRK_MISS_NONCE"] = secrets.token_hex(6)
    command = [
        wrk,
        f"--threads={threads}",
        f"--connections={connections}",
        f"--duration={seconds}s",
        "--timeout=10s",
        f"--script={LUA_SCRIPT}",
    ]
    if cookie:
        command += ["--header", f"Cookie: {cookie}"]
    completed = subprocess.run(
        [*command, url], capture_output=True, text=True, timeout=seconds + 60, env=env
    )
    lines = [line for line in completed.stdout.splitlines() if line.startswith("WRK_JSON ")]
    if completed.returncode or not lines:
        pytest.fail(f"wrk failed on {url}:\n{completed.stdout}\n{completed.stderr}", pytrace=False)
    data = json.loads(lines[-1][len("WRK_JSON ") :])
    # Sync workers still serve the requests wrk abandoned at the end (up to one per connection);
    # let them drain so the next run does not start behind them.
    time.sleep(max(1.0, data["latency_us"]["p99"] / 1e6))
    return Load(
        requests_per_second=data["requests"] / (data["duration_us"] / 1e6),
        p50_ms=data["latency_us"]["p50"] / 1000,
        p95_ms=data["latency_us"]["p95"] / 1000,
        p99_ms=data["latency_us"]["p99"] / 1000,
        requests=data["requests"],
        errors=data["errors"],
    )


def machine() -> str:
    model = ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    return f"{os.cpu_count()} CPU(s) {model}"


def load_average() -> str:
    return " / ".join(f"{value:.1f}" for value in os.getloadavg())


def since(started: float) -> str:
    return f"{time.monotonic() - started:,.0f} s"

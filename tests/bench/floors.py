"""How far the crowd benchmark's two unmet targets are from what this stack allows
(`make bench-floors`; never part of `make test`).

The crowd benchmark (tests/bench/bench_load.py) asks for a worker resident set of at most 80 MiB
and for the crowd's requests a second to reach 0.15 of a trivial view's. This measures the two
floors under those numbers, in the benchmark's settings, data and server Python, and writes
tests/bench/results/floors.md:

1. **Memory.** The resident set of a fresh process once it has loaded a WSGI application (as
   gunicorn's master does before it forks the workers, which start with all of it):
   - a Django project with nothing but the fixed stack, written to a temporary directory:
     the portal's own apps, middleware and authentication backends from Django, allauth,
     django-guardian and django-modeltranslation (read from its settings), a Celery app, and
     the Redis client and Kombu's Redis transport loaded as the portal's first page and first
     task load them; one view answering "ok";
   - the portal (cssp_portal.wsgi).
   No worker of the portal can use less than the first, whatever the portal's own code does;
   a worker then adds what serving pages fills (compiled templates, kept queries and
   addresses): the crowd's report gives its resident set after the run.
2. **Templates.** The crowd's pages (tests/bench/load_probe.py plan: the same visitors,
   sessions and pages) replayed in one process of the server's Python, every (visitor, page)
   twice, the second pass measured: each request's CPU time and the part spent inside the
   template engine (the outermost render, with the tags, filters, lazy queries and kept
   fragments it runs). Weighted as wrk picks them (a visitor at random, then one of their
   pages). If templates cost nothing, a request's server CPU would fall by that share and no
   more: with the crowd report beside it (crowd.md: its ratio and where the machine's CPU
   went), the report says the most the crowd's ratio could then reach.

Run from the development environment (make gives BENCH_SERVER_PYTHON, the production-only
environment the benchmark's gunicorn runs); it needs the benchmark's data (make bench-load
generates it) and the machine's PostgreSQL and Redis.

    python -m tests.bench.floors                       # both, writes floors.md
    python -m tests.bench.floors replay --plan P.json  # (child) the template share, as JSON
"""

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from collections import defaultdict
from pathlib import Path

RUNS = 3

# The child that reports a process's memory once its WSGI application is loaded. The cache
# read and Kombu's transport load the Redis client as the portal's first page and first task
# would (a worker has them after its first request, whatever the master had).
_MEMORY_PROBE = textwrap.dedent(
    """
    import importlib, json, sys
    importlib.import_module(sys.argv[1])
    from django.core.cache import cache
    cache.get("bench-floors-probe")
    from django.db import connection
    connection.vendor  # the database driver, loaded with the connection's wrapper
    import kombu.transport.redis
    status = dict(line.split(":", 1) for line in open("/proc/self/status"))
    print(json.dumps({
        key: int(status[key].split()[0]) / 1024 for key in ("VmRSS", "RssAnon", "RssFile")
    } | {"modules": len(sys.modules)}))
    """
)

# The fixed stack's part of the portal's settings: its apps, middleware and authentication
# backends from Django, allauth, django-guardian and django-modeltranslation, in the portal's
# order (stack_settings() reads them, so the floor follows the portal's settings).
FIXED_STACK = ("django", "allauth", "guardian", "modeltranslation")


def stack_settings() -> str:
    from django.conf import settings

    def fixed(paths) -> list[str]:
        return [path for path in paths if path.split(".")[0] in FIXED_STACK]

    return textwrap.dedent(
        f"""
        import os
        SECRET_KEY = "bench-floors-" + "x" * 40
        DEBUG = False
        ALLOWED_HOSTS = ["127.0.0.1"]
        INSTALLED_APPS = {fixed(settings.INSTALLED_APPS)!r}
        MIDDLEWARE = {fixed(settings.MIDDLEWARE)!r}
        AUTHENTICATION_BACKENDS = {fixed(settings.AUTHENTICATION_BACKENDS)!r}
        ROOT_URLCONF = "stack.urls"
        TEMPLATES = [{{
            "BACKEND": "django.template.backends.django.DjangoTemplates",
            "APP_DIRS": True,
            "OPTIONS": {{"context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]}},
        }}]
        DATABASES = {{"default": {{"ENGINE": "django.db.backends.postgresql", "NAME": "unused"}}}}
        CACHES = {{"default": {{
            "BACKEND": "django_redis.cache.RedisCache", "LOCATION": os.environ["REDIS_URL"],
        }}}}
        LANGUAGES = [("en", "English"), ("fr", "French")]
        STATIC_URL = "/static/"
        CELERY_BROKER_URL = os.environ["REDIS_URL"]
        DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
        """
    )


_STACK_FILES = {
    "stack/__init__.py": "from .celery import app as celery_app\n",
    "stack/celery.py": textwrap.dedent(
        """
        from celery import Celery
        app = Celery("stack")
        app.config_from_object("django.conf:settings", namespace="CELERY")
        """
    ),
    "stack/urls.py": textwrap.dedent(
        """
        from django.contrib import admin
        from django.http import HttpResponse
        from django.urls import include, path
        urlpatterns = [
            path("admin/", admin.site.urls),
            path("accounts/", include("allauth.urls")),
            path("ok", lambda request: HttpResponse("ok")),
        ]
        """
    ),
    "stack/wsgi.py": textwrap.dedent(
        """
        from django.core.wsgi import get_wsgi_application
        from django.urls import get_resolver
        application = get_wsgi_application()
        get_resolver().url_patterns  # every view imported, as cssp_portal.wsgi does
        """
    ),
}


def _memory_of(module: str, *, cwd: Path, env: dict, python: str) -> dict:
    runs = []
    for _ in range(RUNS):
        completed = subprocess.run(
            [python, "-c", _MEMORY_PROBE, module],
            cwd=cwd,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if completed.returncode:
            raise SystemExit(f"{module} did not load:\n{completed.stderr}")
        runs.append(json.loads(completed.stdout.strip().splitlines()[-1]))
    return {key: statistics.median(run[key] for run in runs) for key in runs[0]}


def measure_memory(env: dict, python: str) -> dict:
    from tests.bench.load_support import PROJECT_DIR

    with tempfile.TemporaryDirectory(prefix="bench-floors-") as scratch:
        root = Path(scratch)
        for name, text in {**_STACK_FILES, "stack/settings.py": stack_settings()}.items():
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            (root / name).write_text(text, encoding="utf-8")
        stack_env = {
            key: value
            for key, value in env.items()
            if key not in ("PYTHONPATH", "DJANGO_SETTINGS_MODULE")
        }
        stack_env.update(PYTHONPATH=str(root), DJANGO_SETTINGS_MODULE="stack.settings")
        stack = _memory_of("stack.wsgi", cwd=root, env=stack_env, python=python)
    portal = _memory_of("cssp_portal.wsgi", cwd=PROJECT_DIR, env=env, python=python)
    return {"stack": stack, "portal": portal}


def measure_templates(env: dict, python: str, plan_path: Path) -> dict:
    from tests.bench.load_support import PROJECT_DIR

    completed = subprocess.run(
        [python, "-m", "tests.bench.floors", "replay", f"--plan={plan_path}"],
        cwd=PROJECT_DIR,
        env={**env, "PYTHONPATH": str(PROJECT_DIR)},
        capture_output=True,
        text=True,
        check=False,
    )
    if completed.returncode:
        raise SystemExit(f"the replay failed:\n{completed.stderr}")
    return json.loads(completed.stdout.strip().splitlines()[-1])


def replay(plan_path: Path) -> dict:
    """(In the benchmark's settings.) Every (visitor, page) of the plan twice through Django's
    test client, the second pass timed: CPU per request and inside the template engine."""
    import django

    django.setup()
    from http.cookies import SimpleCookie

    from django.template.backends import django as django_backend
    from django.test import Client

    plan = json.loads(plan_path.read_text(encoding="utf-8"))
    inside = [0, 0.0]  # depth, CPU seconds inside the outermost render

    render = django_backend.Template.render

    def timed_render(self, *args, **kwargs):
        inside[0] += 1
        started = time.process_time()
        try:
            return render(self, *args, **kwargs)
        finally:
            inside[0] -= 1
            if not inside[0]:
                inside[1] += time.process_time() - started

    django_backend.Template.render = timed_render
    client = Client(SERVER_NAME="127.0.0.1")  # an allowed host of the benchmark's settings
    visitors = [visitor for visitor in plan["visitors"] if visitor["pages"]]
    weights: dict[str, float] = defaultdict(float)
    totals: dict[str, float] = defaultdict(float)
    templates: dict[str, float] = defaultdict(float)
    failures = []
    for measured in (False, True):
        for visitor in visitors:
            cookie = SimpleCookie()
            cookie.load(visitor["cookie"] or "")
            for kind, url in visitor["pages"]:
                client.cookies = cookie
                inside[1] = 0.0
                started = time.process_time()
                response = client.get(url)
                spent = time.process_time() - started
                if response.status_code != 200:
                    failures.append(f"{url}: {response.status_code}")
                if measured:
                    # wrk picks a visitor, then one of their pages: each pair's weight.
                    weight = 1 / (len(visitors) * len(visitor["pages"]))
                    name = f"{kind} ({visitor['audience']})"
                    weights[name] += weight
                    totals[name] += weight * spent
                    templates[name] += weight * inside[1]
    if failures:
        raise SystemExit("pages did not answer 200: " + ", ".join(failures[:5]))
    kinds = {
        name: {
            "share": weights[name],
            "total_ms": totals[name] / weights[name] * 1000,
            "template_ms": templates[name] / weights[name] * 1000,
        }
        for name in sorted(weights)
    }
    return {
        "kinds": kinds,
        "total_ms": sum(totals.values()) * 1000,
        "template_ms": sum(templates.values()) * 1000,
    }


def ratio_bound(crowd_report: Path, share: float) -> str:
    """The ratio the crowd of `crowd_report` (bench_load.py's crowd.md) would have reached had
    the template engine cost nothing: the CPU of the other processes per request is kept, and
    gunicorn's falls by the templates' share."""
    if not crowd_report.exists():
        return f"No crowd report at {crowd_report} to bound the ratio with: run make bench-load."
    text = crowd_report.read_text(encoding="utf-8")
    ratio = re.search(r"\*\*([0-9.]+)\*\* of the trivial view, latency", text)
    parts = dict(re.findall(r"(gunicorn|PostgreSQL|Redis|wrk|the rest) \d+ % \(([0-9.]+) ms", text))
    if not ratio or "gunicorn" not in parts:
        return f"{crowd_report} does not give the crowd's ratio and CPU line."
    per_request = sum(float(ms) for ms in parts.values())
    gunicorn = float(parts["gunicorn"])
    bound = float(ratio.group(1)) * per_request / (per_request - share * gunicorn)
    return (
        f"In the crowd report beside this one ({crowd_report.name}), the crowd reached "
        f"{float(ratio.group(1)):.3f} of the trivial view with {per_request:.1f} ms of the "
        f"machine's CPU a request, {gunicorn:.1f} of them gunicorn's. With templates that cost "
        f"nothing, gunicorn's would fall by {share:.0%} and the crowd would reach at most "
        f"**{bound:.3f}**."
    )


def report(memory: dict, templates: dict, *, python: str, machine: str, crowd_report: Path) -> str:
    stack, portal = memory["stack"], memory["portal"]
    share = templates["template_ms"] / templates["total_ms"]
    lines = [
        "# Floors under the crowd benchmark's targets",
        "",
        f"Run on {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} by `make bench-floors` "
        f"(tests/bench/floors.py). Machine: {machine}; server Python: {python}.",
        "",
        "## Memory: a process that has loaded its WSGI application (median of "
        f"{RUNS} fresh processes)",
        "",
        "| Application | resident MiB | of which anonymous | of which files | modules |",
        "|---|--:|--:|--:|--:|",
        f"| The fixed stack alone (Django, allauth, guardian, modeltranslation, Celery, the Redis "
        f"client; one trivial view) | {stack['VmRSS']:.1f} | {stack['RssAnon']:.1f} | "
        f"{stack['RssFile']:.1f} | {stack['modules']:,.0f} |",
        f"| The portal (cssp_portal.wsgi) | {portal['VmRSS']:.1f} | {portal['RssAnon']:.1f} | "
        f"{portal['RssFile']:.1f} | {portal['modules']:,.0f} |",
        "",
        f"The target, 80 MiB for a worker after the crowd's run, leaves "
        f"{80 - stack['VmRSS']:.1f} MiB above the fixed stack alone for the portal's own code, "
        f"the libraries it adds, and everything a worker fills while serving pages.",
        "",
        "## Templates: the crowd's pages replayed in one process (CPU time, weighted as wrk "
        "picks them)",
        "",
        "| Page (audience) | share of requests | CPU ms a request | in the template engine, ms "
        "| template share |",
        "|---|--:|--:|--:|--:|",
    ]
    for name, kind in templates["kinds"].items():
        lines.append(
            f"| {name} | {kind['share']:.1%} | {kind['total_ms']:.2f} | {kind['template_ms']:.2f} "
            f"| {kind['template_ms'] / kind['total_ms']:.0%} |"
        )
    lines += [
        f"| **The crowd** | 100% | **{templates['total_ms']:.2f}** | "
        f"**{templates['template_ms']:.2f}** | **{share:.0%}** |",
        "",
        f"With a template engine that cost nothing, the server's CPU for the crowd's requests "
        f"would fall by {share:.0%}; PostgreSQL, Redis and the load generator's share of the "
        f"machine (the crowd report's 'CPU during the crowd') would not change.",
        "",
        ratio_bound(crowd_report, share),
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser()
    commands = parser.add_subparsers(dest="command")
    child = commands.add_parser("replay")
    child.add_argument("--plan", required=True, type=Path)
    args = parser.parse_args()
    if args.command == "replay":
        print(json.dumps(replay(args.plan)))
        return

    # The benchmark's helpers read the test settings (as under pytest); the children get the
    # benchmark's own (load_support.bench_env).
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cssp_portal.settings.test")
    from tests.bench import load_support as support

    results = Path(os.environ.get("BENCH_RESULTS", Path(__file__).with_name("results")))
    results.mkdir(parents=True, exist_ok=True)
    support.ensure_database()
    env = support.bench_env()
    python = support.SERVER_PYTHON
    memory = measure_memory(env, python)
    with tempfile.TemporaryDirectory(prefix="bench-floors-") as scratch:
        plan_path = Path(scratch) / "plan.json"
        plan = support.plan_crowd(env, plan_path, visitors=200, anonymous=20, writes=0)
        if not plan["visitors"]:
            raise SystemExit("No crowd: generate the benchmark's data first (make bench-load).")
        templates = measure_templates(env, python, plan_path)
    text = report(
        memory,
        templates,
        python=python,
        machine=support.machine(),
        crowd_report=results / "crowd.md",
    )
    (results / "floors.md").write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    sys.exit(main())

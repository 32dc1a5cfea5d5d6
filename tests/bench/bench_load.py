"""Load benchmark of the portal's main pages (issue #9): program-scale data, gunicorn with the
production settings on PostgreSQL and Redis, wrk from a second process.

Not part of the test suite: run it with `make bench` (or
`.venv/bin/python -m pytest tests/bench/bench_load.py -o python_files='bench_*.py' -s`).
It takes about 10 to 15 minutes on two cores, most of it generating the data.

1. Generates a small data set (20 communities, 2,000 members, 200 events) in its own database
   (BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/cssp_bench; Redis database
   BENCH_REDIS_URL, default redis://127.0.0.1:6379/10) and counts the queries of every page.
2. Grows it to the program's scale (100 communities, 100,000 members, 10,000 events with
   500,000 registrations, 5,000 proposals) and counts them again: the benchmark FAILS if a page
   needs more queries with more data, or if a page does not answer 200.
3. Drives every page, signed out and signed in, with wrk (BENCH_CONNECTIONS=16 connections,
   BENCH_THREADS=2 threads, BENCH_DURATION=10 seconds), and a trivial Django view served by the
   same server before and after the pages, and writes tests/bench/results/load.md and load.png:
   requests/s, p50/p95/p99, queries, the ratio to the trivial view, and PASS/FAIL against the
   targets (ratio >= 0.30, p95 < 100 ms). The benchmark FAILS when a target is missed, after
   writing the report; run it on an otherwise idle machine, as the numbers count whatever else
   runs on it.

BENCH_SCALE (default 1) scales the full data set down for a quick try (e.g. 0.05);
BENCH_GUNICORN_WORKERS sets the server's workers (default 2 x cores + 1).
"""

import dataclasses
import datetime
import os
import platform
import time
from pathlib import Path

from django.urls import NoReverseMatch, reverse
from django.utils import translation

from tests.bench import load_support as support

ANONYMOUS, MEMBER, MANAGER = "signed out", "member", "portfolio manager"
SESSION_OF = {MEMBER: "member", MANAGER: "portfolio_manager"}


@dataclasses.dataclass(frozen=True)
class Page:
    label: str
    url_name: str
    # URL keyword -> the object the probe picked (tests/bench/load_probe.py).
    kwargs: dict = dataclasses.field(default_factory=dict)
    audiences: tuple = (ANONYMOUS, MEMBER)


# The pages measured, each by its URL name. A page whose URL name does not exist yet is
# reported as not ready.
PAGES = [
    Page("Home", "home"),
    Page("Community directory", "communities:list"),
    Page("Community page", "communities:detail", {"slug": "community"}),
    Page("Event list", "events:list"),
    Page("Event page", "events:detail", {"slug": "event"}),
    # Signed out, these two send to the sign-in page: they are measured signed in only.
    Page("Member directory", "members:directory", audiences=(MEMBER,)),
    Page("Portfolio manager dashboard", "proposals:dashboard", audiences=(MANAGER,)),
]

FULL = {
    "communities": 100,
    "members": 100_000,
    "events": 10_000,
    "registrations": 500_000,
    "proposals": 5_000,
}
# A tenth of the full size: big enough that every list the pages show has rows (an empty list
# skips its prefetch queries, which would look like growth), small enough to be quick.
SMALL = {
    "communities": 30,
    "members": 10_000,
    "events": 1_000,
    "registrations": 50_000,
    "proposals": 500,
}
SCALE = float(os.environ.get("BENCH_SCALE", "1"))
LARGE = {key: max(SMALL[key], round(value * SCALE)) for key, value in FULL.items()}

SECONDS = int(os.environ.get("BENCH_DURATION", "10"))
WARM_UP_SECONDS = 2
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "16"))
THREADS = int(os.environ.get("BENCH_THREADS", "2"))
WORKERS = int(os.environ.get("BENCH_GUNICORN_WORKERS", str(2 * (os.cpu_count() or 1) + 1)))
RESULTS = Path(os.environ.get("BENCH_RESULTS", Path(__file__).with_name("results")))

TARGET_RATIO = 0.30
TARGET_P95_MS = 100.0


@dataclasses.dataclass
class Run:
    page: Page
    audience: str
    path: str | None
    note: str = ""
    small: support.Profile | None = None
    full: support.Profile | None = None
    load: support.Load | None = None
    ratio: float | None = None
    # Every request a page-cache miss: what the page costs right after a change.
    miss_load: support.Load | None = None
    miss_ratio: float | None = None


def _plan(objects: dict) -> list[Run]:
    runs = []
    for page in PAGES:
        path, note = None, ""
        kwargs = {key: objects.get(name) for key, name in page.kwargs.items()}
        missing = [name for key, name in page.kwargs.items() if not kwargs[key]]
        if missing:
            note = f"not measured: the data set has no {', '.join(missing)} to show"
        else:
            try:
                with translation.override("en"):
                    path = reverse(page.url_name, kwargs=kwargs or None)
            except NoReverseMatch:
                note = f"not ready: no URL named {page.url_name!r} yet"
        runs.extend(Run(page, audience, path, note) for audience in page.audiences)
    return runs


def _cookie(probe: dict, audience: str) -> str:
    if audience == ANONYMOUS:
        return ""
    session = f"{probe['cookie_name']}={probe['sessions'][SESSION_OF[audience]]}"
    return f"{session}; {probe['csrf_cookie']}"


def _generate(sizes: dict, env: dict, *, reset: bool = False) -> None:
    args = [f"--{key}={value}" for key, value in sizes.items()]
    support.manage("bench_generate", *(["--reset"] if reset else []), *args, env=env)


def test_main_pages_under_load():
    started = time.monotonic()
    wrk = support.ensure_wrk()
    support.ensure_database()
    env = support.bench_env()
    RESULTS.mkdir(parents=True, exist_ok=True)
    # Kept after the run (git ignores *.tmp there) for a look at the server's errors.
    server_log = RESULTS / "gunicorn.log.tmp"
    server_log.unlink(missing_ok=True)
    load_before = support.load_average()

    def warm_up(url: str, cookie: str) -> None:
        support.run_wrk(
            wrk,
            url,
            cookie=cookie,
            seconds=WARM_UP_SECONDS,
            connections=CONNECTIONS,
            threads=THREADS,
        )

    support.manage("migrate", "--noinput", "-v", "0", env=env)
    support.manage("collectstatic", "--noinput", "-v", "0", env=env)

    # 1. Queries per page on the small data set.
    _generate(SMALL, env, reset=True)
    small = support.probe(env)
    runs = _plan(small["objects"])
    with support.Server(env, WORKERS, server_log) as server:
        for run in runs:
            if run.path:
                cookie = _cookie(small, run.audience)
                warm_up(server.url(run.path), cookie)
                run.small = support.profile(server.url(run.path), cookie)
    print(f"\nsmall data set measured after {support.since(started)}", flush=True)

    # 2. The same pages on the full data set, the same objects, fresh sessions.
    _generate(LARGE, env)
    objects = small["objects"]
    full = support.probe(
        env,
        community=objects["community"],
        event=objects["event"],
        member=objects["member"],
        portfolio_manager=objects["portfolio_manager"],
    )
    with support.Server(env, WORKERS, server_log) as server:
        trivial = server.url("/bench/trivial")
        audiences = sorted({run.audience for run in runs})

        def load(url: str, audience: str, *, misses: bool = False) -> support.Load:
            result = support.run_wrk(
                wrk,
                url,
                cookie=_cookie(full, audience),
                seconds=SECONDS,
                connections=CONNECTIONS,
                threads=THREADS,
                every_request_a_miss=misses,
            )
            print(
                f"  {url.split(str(server.port), 1)[1]:<60} {audience:<18} "
                f"{'misses' if misses else 'cached':<7}"
                f"{result.requests_per_second:7.1f} req/s  p95 {result.p95_ms:7.1f} ms",
                flush=True,
            )
            return result

        print(f"\nwrk: {CONNECTIONS} connections, {THREADS} threads, {SECONDS} s", flush=True)
        for audience in audiences:
            warm_up(trivial, _cookie(full, audience))
        baseline_before = {audience: load(trivial, audience) for audience in audiences}
        for run in runs:
            if not run.path:
                continue
            url, cookie = server.url(run.path), _cookie(full, run.audience)
            warm_up(url, cookie)
            run.full = support.profile(url, cookie)
            if run.full.status == 200:
                run.load = load(url, run.audience)
                run.miss_load = load(url, run.audience, misses=True)
        baseline_after = {audience: load(trivial, audience) for audience in audiences}
    load_after = support.load_average()

    baseline = {
        audience: (
            baseline_before[audience].requests_per_second
            + baseline_after[audience].requests_per_second
        )
        / 2
        for audience in audiences
    }
    for run in runs:
        if run.load:
            run.ratio = run.load.requests_per_second / baseline[run.audience]
            run.miss_ratio = run.miss_load.requests_per_second / baseline[run.audience]

    report = _report(
        runs,
        small=small,
        full=full,
        baseline_before=baseline_before,
        baseline_after=baseline_after,
        load_average=(load_before, load_after),
        elapsed=support.since(started),
    )
    _write(RESULTS / "load.md", report)
    _plot(runs, RESULTS / "load.png")
    print("\n" + report, flush=True)

    broken = [
        f"{run.page.label} ({run.audience}): {run.full.status} {run.full.location}"
        for run in runs
        if run.full and run.full.status != 200
    ]
    assert not broken, f"pages that do not answer 200: {broken}"
    grown = [
        f"{run.page.label} ({run.audience}): {run.small.queries} -> {run.full.queries}"
        for run in runs
        if run.small and run.full and run.full.queries > run.small.queries
    ]
    assert not grown, f"queries per request grow with the data: {grown}"
    failed = [
        f"{run.page.label} ({run.audience}): {load.errors}"
        for run in runs
        for load in (run.load, run.miss_load)
        if load and load.errors["status"]
    ]
    assert not failed, f"error responses under load: {failed}"
    slow = [
        f"{run.page.label} ({run.audience}): {run.ratio:.2f} of the trivial view, "
        f"p95 {run.load.p95_ms:.0f} ms"
        for run in runs
        if run.load and (run.ratio < TARGET_RATIO or not _p95_ok(run))
    ]
    assert not slow, f"pages that miss the targets (see {RESULTS / 'load.md'}): {slow}"


# --- Report ----------------------------------------------------------------------------------


def _verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def _p95_ok(run: Run) -> bool:
    # A run in which no request completed has no percentiles (wrk reports 0): a failure.
    return run.load.requests > 0 and run.load.p95_ms < TARGET_P95_MS


def _errors(load: support.Load) -> str:
    """Non-2xx/3xx answers and socket errors (timeouts are requests over 10 s)."""
    found = {kind: count for kind, count in load.errors.items() if count}
    return ", ".join(f"{count} {kind}" for kind, count in found.items()) or "0"


def _diagnosis(profile: support.Profile) -> str:
    """What dominates the server's time for one request: SQL, template rendering (its
    Python), or the view and middleware (everything else)."""
    template = max(profile.template_ms - profile.template_db_ms, 0.0)
    view = max(profile.app_ms - profile.template_ms - (profile.db_ms - profile.template_db_ms), 0)
    parts = {"SQL": profile.db_ms, "template rendering": template, "view and middleware": view}
    main = max(parts, key=parts.get)
    text = (
        f"**{main}**: SQL {profile.db_ms:.0f} ms ({profile.template_db_ms:.0f} from the "
        f"template), template {template:.0f} ms, view and middleware {view:.0f} ms"
    )
    milliseconds, _, table = profile.slowest.partition(" ")
    if table and float(milliseconds) >= 5:
        text += f"; slowest statement {float(milliseconds):.0f} ms on `{table}`"
    if profile.repeats > 2:
        text += f"; one statement runs {profile.repeats}x"
    return text


def _sizes(probe: dict) -> str:
    return ", ".join(f"{value:,} {key}" for key, value in probe["counts"].items())


def _report(runs, *, small, full, baseline_before, baseline_after, load_average, elapsed) -> str:
    measured = [run for run in runs if run.load]
    lines = [
        "# Load benchmark of the main pages",
        "",
        f"Run on {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC by `make bench` "
        f"(tests/bench/bench_load.py) in {elapsed}.",
        "",
        f"- Machine: {support.machine()}; Python {platform.python_version()}. Load average "
        f"(1 / 5 / 15 min) {load_average[0]} before the run, {load_average[1]} after the "
        "load: what else ran on the machine meanwhile (other test runs) is in these numbers.",
        f"- Server: gunicorn, {WORKERS} sync workers, `cssp_portal.settings.bench` (production "
        "settings, plain HTTP on loopback, query counter), PostgreSQL and Redis on the same "
        "machine.",
        f"- Load: wrk from a second process, {CONNECTIONS} connections, {THREADS} threads, "
        f"{SECONDS} s per page after a {WARM_UP_SECONDS} s warm-up; signed-in runs send the "
        "session cookie of a generated member (or portfolio manager) and the CSRF cookie a "
        "browser holds after signing in.",
        "- Each page is loaded twice. **Page cache on**, as in production: the main pages are "
        "kept per viewer and emptied by any change (cssp_portal/pagecache.py), so apart from "
        "the first request of each worker's cache key the load is served from the cache; the "
        "targets are judged on this run. **Every request a miss**: each request carries a query "
        "string of its own, so each page is built from the database, as right after a change "
        "(for information: the cost of a page nobody has opened since the last write).",
        f"- Full data set: {_sizes(full)}.",
        f"- Small data set (query counts only): {_sizes(small)}.",
        f"- Objects: community `{full['objects']['community']}`, event "
        f"`{full['objects']['event']}`, member `{full['objects']['member']}`, portfolio "
        f"manager `{full['objects']['portfolio_manager']}`.",
        "",
        "Trivial view (`/bench/trivial`, same server, same middleware), requests/s before and "
        "after the pages: "
        + "; ".join(
            f"{audience} {baseline_before[audience].requests_per_second:,.0f} / "
            f"{baseline_after[audience].requests_per_second:,.0f} "
            f"(p95 {baseline_before[audience].p95_ms:.1f} / "
            f"{baseline_after[audience].p95_ms:.1f} ms)"
            for audience in baseline_before
        )
        + ".",
        "",
        "| Page | Audience | req/s | ÷ trivial | p50 ms | p95 ms | p99 ms "
        "| every request a miss: req/s, ÷ trivial, p95 ms "
        "| queries per miss (small → full) | errors | ratio ≥ 0.30 | p95 < 100 ms | queries flat |",
        "|---|---|--:|--:|--:|--:|--:|--:|--:|--:|:-:|:-:|:-:|",
    ]
    for run in runs:
        if not run.load:
            status = run.note or (
                f"not measured: answered {run.full.status}" if run.full else "not measured"
            )
            lines.append(f"| {run.page.label} | {run.audience} | {status} |||||||||||")
            continue
        flat = run.full.queries <= run.small.queries
        lines.append(
            f"| {run.page.label} | {run.audience} | {run.load.requests_per_second:,.1f} "
            f"| {run.ratio:.2f} | {run.load.p50_ms:.1f} | {run.load.p95_ms:.1f} "
            f"| {run.load.p99_ms:.1f} "
            f"| {run.miss_load.requests_per_second:,.1f}, {run.miss_ratio:.2f}, "
            f"{run.miss_load.p95_ms:.0f} "
            f"| {run.small.queries} → {run.full.queries} "
            f"| {_errors(run.load)} | {_verdict(run.ratio >= TARGET_RATIO)} "
            f"| {_verdict(_p95_ok(run))} | {_verdict(flat)} |"
        )
    lines += ["", "## Targets", ""]
    targets = [
        (
            f"No page below {TARGET_RATIO:.2f} of the trivial view's requests/s",
            [run for run in measured if run.ratio < TARGET_RATIO],
        ),
        (
            f"p95 under {TARGET_P95_MS:.0f} ms at {CONNECTIONS} concurrent connections",
            [run for run in measured if not _p95_ok(run)],
        ),
        (
            "Queries per request do not grow with the data (asserted)",
            [
                run
                for run in runs
                if run.small and run.full and run.full.queries > run.small.queries
            ],
        ),
    ]
    for title, failing in targets:
        names = ", ".join(f"{run.page.label} ({run.audience})" for run in failing)
        lines.append(
            f"- **{_verdict(not failing)}**: {title}" + (f". Failing: {names}." if failing else ".")
        )
    not_ready = [run for run in runs if run.note]
    if not_ready:
        lines += ["", "Not measured:"]
        lines += [f"- {run.page.label} ({run.audience}): {run.note}" for run in not_ready]
    lines += [
        "",
        "## Where the time goes (one request at a time, full data set)",
        "",
        "Server-side time of one request built from the database (a page-cache miss) with "
        "nothing else running on the server (median of 7 "
        "in a row, on warm workers), from the query counter's headers: SQL (all statements, "
        "and those run while the template renders, e.g. lazy querysets), the template's own "
        "Python, and the rest (view code, middleware, sessions). The page size is the HTML's.",
        "",
        "| Page | Audience | queries | server ms | dominated by | HTML KB |",
        "|---|---|--:|--:|---|--:|",
    ]
    for run in runs:
        if run.full and run.full.status == 200:
            lines.append(
                f"| {run.page.label} | {run.audience} | {run.full.queries} "
                f"| {run.full.app_ms:.1f} | {_diagnosis(run.full)} | {run.full.size / 1024:.0f} |"
            )
    lines += [
        "",
        "The two cores also run PostgreSQL, Redis, wrk and anything else on the machine: "
        "absolute numbers are this machine's, the ratios to the trivial view are the portable "
        "ones.",
        "",
    ]
    return "\n".join(lines)


def _write(path: Path, text: str) -> None:
    partial = path.with_suffix(path.suffix + ".tmp")
    partial.write_text(text, encoding="utf-8")
    partial.replace(path)


def _plot(runs: list[Run], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot

    measured = [run for run in runs if run.load]
    if not measured:
        return
    labels = [f"{run.page.label}\n({run.audience})" for run in measured]
    figure, (left, right) = pyplot.subplots(
        1, 2, figsize=(13, 0.55 * len(measured) + 1.8), sharey=True
    )
    for axis, values, misses, target, title, passes in (
        (
            left,
            [run.ratio for run in measured],
            [run.miss_ratio for run in measured],
            TARGET_RATIO,
            "requests/s ÷ trivial view (target ≥ 0.30)",
            lambda value: value >= TARGET_RATIO,
        ),
        (
            right,
            [run.load.p95_ms for run in measured],
            [run.miss_load.p95_ms for run in measured],
            TARGET_P95_MS,
            f"p95 latency, ms, {CONNECTIONS} connections (target < 100)",
            lambda value: 0 < value < TARGET_P95_MS,
        ),
    ):
        bars = axis.barh(
            labels,
            values,
            color=["#2b8a3e" if passes(v) else "#c92a2a" for v in values],
            hatch=None,
        )
        for bar, value in zip(bars, values, strict=True):
            if not passes(value):
                bar.set_hatch("//")
            axis.text(
                bar.get_width(),
                bar.get_y() + bar.get_height() / 2,
                f" {value:.2f}" if target < 1 else f" {value:.0f}",
                va="center",
                fontsize=8,
            )
        axis.scatter(
            misses,
            range(len(misses)),
            marker="D",
            color="#495057",
            zorder=3,
            label="every request a page-cache miss",
        )
        axis.axvline(target, color="black", linestyle="--", linewidth=1)
        axis.set_title(title, fontsize=10)
    # Latencies span milliseconds to seconds: on a linear axis the 100 ms line disappears.
    right.set_xscale("log")
    # The y axis is shared: inverted once, the first page comes first.
    left.invert_yaxis()
    right.legend(loc="lower right", fontsize=8)
    figure.suptitle(
        "CSSP portal: main pages under load, page cache on (hatched = target missed)", fontsize=11
    )
    figure.tight_layout()
    partial = path.with_suffix(".tmp")
    figure.savefig(partial, dpi=110, format="png")
    pyplot.close(figure)
    partial.replace(path)

"""The portal's URLs plus a trivial view, a page that is nothing but the portal's layout, and a
query-counting middleware: for the load benchmark only (cssp_portal.settings.bench), never in the
portal's own settings."""

import contextvars
import re
import time
from collections import Counter

from django.conf.urls.i18n import i18n_patterns
from django.db import connection
from django.http import HttpResponse
from django.template import engines
from django.template.backends import django as django_templates
from django.urls import path

from cssp_portal.precompiled import statement_sql
from cssp_portal.urls import urlpatterns as portal_urlpatterns


def trivial(request):
    """The baseline: the whole middleware stack, no query of its own, no template."""
    return HttpResponse("OK", content_type="text/plain; charset=utf-8")


_LAYOUT_ONLY = engines["django"].from_string(
    '{% extends "base.html" %}{% block title %}Layout{% endblock %}'
    "{% block content %}<h1>Layout</h1>{% endblock %}"
)


def layout(request):
    """What every page of the portal costs before its own content: the middleware with the
    visitor's session (the person and their standing are read), and base.html (header, menu,
    unread count, footer) around an empty page. The crowd's ratio could not exceed this page's."""
    return HttpResponse(_LAYOUT_ONLY.render({}, request))


urlpatterns = [
    path("bench/trivial", trivial, name="bench_trivial"),
    *i18n_patterns(path("bench/layout/", layout, name="bench_layout")),
    *portal_urlpatterns,
]

# The response headers the benchmark reads (tests/bench/load_support.py and wrk_crowd.lua).
QUERIES_HEADER = "X-Bench-Queries"
REPEATS_HEADER = "X-Bench-Repeats"
SLOWEST_HEADER = "X-Bench-Slowest"
SLOW_STATEMENTS_HEADER = "X-Bench-Slow-Statements"
TIMING_HEADER = "Server-Timing"
# Sent by the load generator with each request and answered unchanged, so that it can match a
# response to the page it asked for and the moment it asked (wrk's Lua sees no connection).
TAG_HEADER = "X-Bench-Tag"
# A statement slower than this counts in SLOW_STATEMENTS_HEADER (the target: none over 5 ms).
SLOW_STATEMENT_MS = 5.0


class _Recorder:
    """What one request spent: SQL statements and their time, and the time in templates
    (with the SQL run from inside them, e.g. lazy querysets evaluated by a {% for %})."""

    def __init__(self):
        self.count = 0
        self.db = 0.0
        self.template = 0.0
        self.template_db = 0.0
        self.in_template = False
        self.statements = Counter()
        self.slowest = (0.0, "")
        self.slow = 0

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            elapsed = time.perf_counter() - started
            self.db += elapsed
            if self.in_template:
                self.template_db += elapsed
            self.count += 1
            self.statements[sql] += 1
            if elapsed > self.slowest[0]:
                self.slowest = (elapsed, sql)
            if elapsed * 1000 > SLOW_STATEMENT_MS:
                self.slow += 1


_recorder: contextvars.ContextVar[_Recorder | None] = contextvars.ContextVar(
    "bench_recorder", default=None
)
_render = django_templates.Template.render


def _timed_render(self, context=None, request=None):
    # The backend's render() is called once per render()/render_to_string(); {% include %}
    # and {% extends %} render inside it, so only the outermost call is timed.
    recorder = _recorder.get()
    if recorder is None or recorder.in_template:
        return _render(self, context, request)
    recorder.in_template = True
    started = time.perf_counter()
    try:
        return _render(self, context, request)
    finally:
        recorder.template += time.perf_counter() - started
        recorder.in_template = False


django_templates.Template.render = _timed_render


_FROM = re.compile(r'(?:FROM|UPDATE|INTO) "(\w+)"')
_EXECUTE = re.compile(r"\bEXECUTE (\w+)")


def _main_table(sql: str) -> str:
    """The table a statement reads or writes: its first FROM (UPDATE, INSERT INTO) in the
    fewest parentheses, so not a subquery's (a precompiled query's prepared statement read as
    its SQL; in a UNION of parenthesized queries, the first query's); for another prepared
    statement (the standing's), its name."""
    sql = statement_sql(sql)
    depths = [
        (sql[: match.start()].count("(") - sql[: match.start()].count(")"), match.group(1))
        for match in _FROM.finditer(sql)
    ]
    if depths:
        return min(depths, key=lambda depth_table: depth_table[0])[1]
    prepared = _EXECUTE.search(sql)
    return prepared.group(1) if prepared else ""


class QueryCountMiddleware:
    """Answers with X-Bench-Queries (SQL statements run for the request), X-Bench-Repeats (how
    often the most repeated statement ran: above 1, a query per row), X-Bench-Slowest (the
    slowest statement's milliseconds and main table), X-Bench-Slow-Statements (how many took
    over SLOW_STATEMENT_MS), Server-Timing with the milliseconds spent in SQL (db), in templates
    (tpl, of which tpldb in SQL) and in all (app), and the request's X-Bench-Tag unchanged.

    Statement times are measured in the worker around the database call: under load they
    include waiting for a core, so the benchmark judges them on requests made one at a time."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        recorder = _Recorder()
        token = _recorder.set(recorder)
        started = time.perf_counter()
        try:
            with connection.execute_wrapper(recorder):
                response = self.get_response(request)
        finally:
            _recorder.reset(token)
        total = (time.perf_counter() - started) * 1000
        response[QUERIES_HEADER] = str(recorder.count)
        repeats = recorder.statements.most_common(1)
        response[REPEATS_HEADER] = str(repeats[0][1] if repeats else 0)
        seconds, sql = recorder.slowest
        response[SLOWEST_HEADER] = f"{seconds * 1000:.1f} {_main_table(sql)}"
        response[SLOW_STATEMENTS_HEADER] = str(recorder.slow)
        tag = request.headers.get(TAG_HEADER)
        if tag:
            response[TAG_HEADER] = tag[:100]
        response[TIMING_HEADER] = ", ".join(
            f"{name};dur={value:.2f}"
            for name, value in (
                ("db", recorder.db * 1000),
                ("tpl", recorder.template * 1000),
                ("tpldb", recorder.template_db * 1000),
                ("app", total),
            )
        )
        return response

"""Browser tests: Debian's chromium, driven by Playwright, against the portal served by a real
threaded server on 127.0.0.1 (pytest-django's live_server) on the test PostgreSQL database.

One browser for the whole session; a fresh context (cookies, storage) for every test. Celery
runs eagerly and email goes to the locmem outbox, so a test follows the links of the emails the
portal sends exactly as a person would, only with the server's address put in front.
"""

import os
import re
import shutil
from pathlib import Path

# Playwright's sync API runs an event loop in this thread; Django refuses ORM calls from a thread
# with a running loop unless told that this is deliberate. Only the browser tests say so.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

import pytest
from django.conf import settings
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.utils import translation

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"
LANGUAGES = ["en", "fr"]
# Generous enough for a loaded 2-core machine; a failing expectation still fails in seconds.
TIMEOUT_MS = 15_000


def _expect_timeout():
    from playwright.sync_api import expect

    expect.set_options(timeout=TIMEOUT_MS)


_expect_timeout()


def pytest_collection_modifyitems(config, items):
    # Everything in this folder needs the browser: mark it so `-m "not e2e"` can leave it out.
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.e2e)


def pytest_configure(config):
    config.addinivalue_line("markers", "e2e: browser test (Playwright and Debian's chromium)")


@pytest.fixture(scope="session")
def artifacts():
    """test-artifacts/ (kept by CI): the screenshots of each journey's last page and the axe
    report. Emptied of old screenshots once per session so stale pictures never mislead."""
    shutil.rmtree(SCREENSHOTS, ignore_errors=True)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


# Package scope: Playwright's sync API runs an event loop in this thread while the browser is
# open; it must be closed before the rest of the suite runs (Django refuses sync database work
# in a thread with a running loop).
@pytest.fixture(scope="package")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"Debian's chromium is missing at {CHROMIUM}: install it with "
            "`apt-get install chromium` (.ci/run does)."
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        args = ["--no-sandbox"] if os.geteuid() == 0 else []
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=args)
        yield browser
        browser.close()


@pytest.fixture(autouse=True)
def _fresh_rate_limits_and_outbox():
    # allauth keeps its rate-limit counters in the (Redis) cache keyed by client address: every
    # browser request comes from 127.0.0.1, so one test's sign-ups must not throttle the next's.
    cache.clear()
    mail.outbox = []
    yield
    cache.clear()


@pytest.fixture
def context(browser, live_server):
    """A new browser profile pointed at the live server; closed (with its pages) after the test."""
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 1280, "height": 900}, locale="en-CA"
    )
    context.set_default_timeout(TIMEOUT_MS)
    context.set_default_navigation_timeout(TIMEOUT_MS)
    yield context
    context.close()


@pytest.fixture
def page(context):
    return context.new_page()


@pytest.fixture
def new_page(browser, live_server):
    """Factory of extra pages, each in its own browser profile: a second person in the journey
    (the lead who approves, the invitee who signs up) with cookies of their own."""
    contexts = []

    def make():
        context = browser.new_context(
            base_url=live_server.url, viewport={"width": 1280, "height": 900}
        )
        context.set_default_timeout(TIMEOUT_MS)
        context.set_default_navigation_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


# --- helpers ---------------------------------------------------------------------------------


def in_language(lang, message):
    from django.utils.translation import gettext

    with translation.override(lang):
        return gettext(message)


def sign_in(page, user, live_server):
    """Give the page's browser profile a signed-in session for `user`, as a sign-in would,
    without spending a test on the sign-in form (which has journeys of its own)."""
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
                "httpOnly": True,
                "sameSite": "Lax",
            }
        ]
    )
    return page


def wait_for_components(page):
    """The GC Design System's components render in the browser (Stencil): wait until every
    gcds-* element on the page is hydrated, so checks and screenshots see the finished page."""
    page.wait_for_function(
        """() => [...document.querySelectorAll('*')]
            .filter((el) => el.tagName.startsWith('GCDS-'))
            .every((el) => el.classList.contains('hydrated'))"""
    )


def goto(page, path):
    response = page.goto(path)
    wait_for_components(page)
    return response


def screenshot(page, journey, lang):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    wait_for_components(page)
    page.screenshot(path=str(SCREENSHOTS / f"{journey}-{lang}.png"), full_page=True)


def link_in_mail(message, path_part, live_server):
    """The path of the first link in `message` containing `path_part`, on the live server."""
    match = re.search(rf"https?://[^/\s]+(/\S*{re.escape(path_part)}\S*)", message.body)
    assert match, f"no link containing {path_part!r} in:\n{message.body}"
    return live_server.url + match.group(1)


def mails_to(address):
    return [message for message in mail.outbox if address in message.to]


def fill_sign_up(page, *, email, first_name="Geneviève", last_name="Côté", password, lang):
    """Fill and send the real sign-up form on the page the browser shows, by its labels."""
    page.get_by_label(in_language(lang, "Given name")).fill(first_name)
    page.get_by_label(in_language(lang, "Family name")).fill(last_name)
    email_field = page.locator("#id_email")
    if email_field.input_value() != email:
        email_field.fill(email)
    page.locator("#id_password1").fill(password)
    page.locator("#id_password2").fill(password)
    page.get_by_label(in_language(lang, "Preferred language")).select_option(lang)
    page.locator("#main-content form button[type=submit]").last.click()
    page.wait_for_load_state()


@pytest.fixture(scope="session")
def axe_report(artifacts, worker_id):
    """Rows (page type, role, language, violations) gathered by the accessibility audits, written
    to test-artifacts/axe-report.md at the end of the session (axe-report-gw0.md, -gw1.md... when
    the audits run in several processes: each writes its own)."""
    name = "axe-report.md" if worker_id == "master" else f"axe-report-{worker_id}.md"
    rows = []
    yield rows
    if not rows:
        return
    lines = [
        "# Accessibility audit (axe-core, WCAG 2.1 A and AA rules)",
        "",
        "| Page type | Role | Language | Violations | Rule ids (affected elements) |",
        "|---|---|---|---|---|",
    ]
    for page_type, role, lang, violations in sorted(rows, key=lambda row: row[:3]):
        rules = ", ".join(f"{v['id']} ({len(v['nodes'])})" for v in violations) or "–"
        lines.append(f"| {page_type} | {role} | {lang.upper()} | {len(violations)} | {rules} |")
    total = sum(1 for row in rows if row[3])
    lines += ["", f"{len(rows)} pages audited, {total} with at least one violation.", ""]
    (artifacts / name).write_text("\n".join(lines), encoding="utf-8")


class SharedPortal:
    """One portal world served to many read-only page visits (see the `portal` fixture)."""

    def __init__(self, server, world, browser):
        self.server = server
        self.world = world
        self.browser = browser
        self._pages = {}
        self.cookies = {}

    @property
    def url(self):
        return self.server.url

    def page_as(self, role, width=1280):
        """A page in a browser profile signed in as `role` (kept for the module: a warm cache
        makes a hundred visits affordable); `width` gives a narrow window of its own (the
        320-px reflow pass) without resizing the wide one."""
        if (role, width) not in self._pages:
            context = self.browser.new_context(
                base_url=self.url, viewport={"width": width, "height": 900}
            )
            context.set_default_timeout(TIMEOUT_MS)
            context.set_default_navigation_timeout(TIMEOUT_MS)
            if role in self.cookies:
                context.add_cookies(
                    [
                        {
                            "name": settings.SESSION_COOKIE_NAME,
                            "value": self.cookies[role],
                            "url": self.url,
                            "httpOnly": True,
                            "sameSite": "Lax",
                        }
                    ]
                )
            self._pages[role, width] = context.new_page()
        return self._pages[role, width]

    def close(self):
        for page in self._pages.values():
            page.context.close()


# Rows the migrations make (and that tests elsewhere expect to keep their ids).
_SCHEMA_TABLES = {"django_migrations", "django_content_type", "auth_permission"}


def _empty_the_database():
    """What a transactional test does after itself, minus the content types and permissions
    the migrations made: the tests that run after these keep the ids they expect."""
    from django.core.management.color import no_style
    from django.db import connection

    tables = [
        table
        for table in connection.introspection.django_table_names(only_existing=True)
        if table not in _SCHEMA_TABLES
    ]
    connection.ops.execute_sql_flush(
        connection.ops.sql_flush(no_style(), tables, allow_cascade=True)
    )


@pytest.fixture(scope="module")
def portal(browser, django_db_setup, django_db_blocker):
    """The page-by-page checks (accessibility, language toggle) only read: they share one world,
    built once per module and committed, and their own live server (pytest-django's LiveServer
    class), instead of rebuilding the world and flushing the database for each of a hundred
    visits. Their tests are marked django_db (so the test database exists and each test runs in
    a transaction it rolls back); the world is removed afterwards."""
    from pytest_django.live_server_helper import LiveServer

    from tests.e2e.pages import portal_world

    with django_db_blocker.unblock():
        _empty_the_database()
        world = portal_world()
        cookies = {}
        for role, user in world.people.items():
            client = Client()
            client.force_login(user)
            cookies[role] = client.cookies[settings.SESSION_COOKIE_NAME].value
    server = LiveServer("127.0.0.1:0")
    shared = SharedPortal(server, world, browser)
    shared.cookies = cookies
    try:
        yield shared
    finally:
        shared.close()
        server.stop()
        with django_db_blocker.unblock():
            _empty_the_database()

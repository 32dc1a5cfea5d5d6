"""`make run` as a newcomer runs it (issue #19): from an empty SQLite file, on a port of its own.

The portal it serves shows the demo content (upcoming events on the home page, results for a
search typed without accents), runs the periodic work by itself (a due reminder is printed in
the terminal), links its emails and calendar files to the port it serves, and Ctrl-C stops
everything it started. A second step reuses the same database with the clock moved forward to
show the next reminder printed once its time comes.
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]
TABLETOP = "demo-chemical-rail-yard-tabletop"
REMINDER = "Subject: Reminder"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _environment(folder: Path) -> dict[str, str]:
    """The embedded default in `folder`: no PostgreSQL, Redis, SMTP or SITE_URL, and none of
    the parent make's flags (make test)."""
    dropped = {
        "DATABASE_URL", "REDIS_URL", "EMAIL_URL", "SITE_URL", "DJANGO_SETTINGS_MODULE",
        "MAKEFLAGS", "MAKELEVEL", "MFLAGS", "DJANGO_LOG_LEVEL",
    }  # fmt: skip
    env = {key: value for key, value in os.environ.items() if key not in dropped}
    return env | {
        "DATABASE_URL": f"sqlite:///{folder / 'db.sqlite3'}",
        "REDIS_URL": "",
        "MEDIA_ROOT": str(folder / "media"),
        "PRIVATE_MEDIA_ROOT": str(folder / "private"),
        "PYTHONUNBUFFERED": "1",
    }


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 (loopback)
        return response.read().decode()


def _wait(predicate, *, seconds: float, what: str, output: Path):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        result = predicate()
        if result:
            return result
        time.sleep(1)
    pytest.fail(f"{what} within {seconds} s; make run said:\n{output.read_text()[-4000:]}")


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


def _survivors(pgid: int) -> list[str]:
    """The command lines of the processes still in the group."""
    if not _group_alive(pgid):
        return []
    listing = subprocess.run(
        ["ps", "-o", "pgid=,args=", "-e"], capture_output=True, text=True, check=False
    ).stdout
    return [line.split(None, 1)[1] for line in listing.splitlines() if line.split()[0] == str(pgid)]


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    folder = tmp_path_factory.mktemp("make-run")
    port = _free_port()
    output = folder / "output.txt"
    with output.open("w") as sink:
        # -o: the virtualenv and the French catalogue are taken as ready (make test installed
        # and compiled them; compiling again would race with a catalogue being edited); the
        # rest is make run.
        process = subprocess.Popen(
            ["make", "-o", ".venv/.installed", "-o", "compilemessages", "run", f"PORT={port}"],
            cwd=BASE_DIR,
            env=_environment(folder),
            stdout=sink,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    pgid = process.pid
    base = f"http://127.0.0.1:{port}"
    try:

        def home():
            if process.poll() is not None:
                pytest.fail(f"make run ended early:\n{output.read_text()[-4000:]}")
            try:
                return _get(f"{base}/en/")
            except OSError:
                return None

        page = _wait(home, seconds=420, what="the home page answered", output=output)
        search = _get(f"{base}/fr/knowledge/search/?q=evenement")
        ics = _get(f"{base}/en/events/{TABLETOP}/event.ics")
        _wait(
            lambda: REMINDER in output.read_text(),
            seconds=60,
            what="a reminder was printed",
            output=output,
        )
        # Ctrl-C in the terminal: SIGINT to the whole foreground process group.
        os.killpg(pgid, signal.SIGINT)
        try:
            returncode = process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            returncode = None
        deadline = time.monotonic() + 15
        while _group_alive(pgid) and time.monotonic() < deadline:
            time.sleep(0.5)
        alive = _survivors(pgid)
    finally:
        if _group_alive(pgid):
            os.killpg(pgid, signal.SIGKILL)
            process.wait(timeout=10)
    return {
        "folder": folder,
        "port": port,
        "home": page,
        "search": search,
        "ics": ics,
        "output": output.read_text(),
        "returncode": returncode,
        "alive_after_ctrl_c": alive,
    }


def test_the_home_page_shows_at_least_three_upcoming_events(served):
    events = re.findall(r'class="event-item__title"><a href="/en/events/([^/"]+)/', served["home"])

    assert len(events) >= 3, served["home"][-3000:]
    assert TABLETOP in events


def test_a_search_typed_without_accents_finds_events(served):
    assert "[Démo] Exercice fictif sur table" in served["search"]


def test_a_due_reminder_is_printed_without_a_worker_or_redis(served):
    reminder = served["output"].split(REMINDER, 1)[1][:3000]

    assert f"/en/events/{TABLETOP}/" in reminder


def test_email_and_calendar_links_carry_the_served_port(served):
    site = f"http://127.0.0.1:{served['port']}/"
    emails = served["output"].split(REMINDER, 1)[1]

    assert f"{site}en/events/{TABLETOP}/" in emails
    assert "127.0.0.1:8000" not in emails
    # Calendar lines fold at 75 octets: unfold before reading the link.
    assert f"{site}en/events/{TABLETOP}/" in served["ics"].replace("\r\n ", "")


def test_ctrl_c_stops_make_run_and_everything_it_started(served):
    assert served["returncode"] is not None
    assert served["alive_after_ctrl_c"] == []


def test_the_next_reminder_is_printed_once_its_time_comes(served):
    """The same database, the clock moved to 1 h 55 before the exercise: the scheduler that
    runserver starts prints the 2-hour reminder, which was not due before."""
    env = _environment(served["folder"]) | {"DJANGO_SETTINGS_MODULE": "cssp_portal.settings.dev"}
    result = subprocess.run(
        [sys.executable, "-m", "tests.cssp_portal.embedded_schedule", TABLETOP],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-4000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])

    assert report["sent_before"] == [48]
    assert sorted(report["sent_after"]) == [2, 48]
    assert report["reminder_emails"] >= 1
    assert f"/en/events/{TABLETOP}/" in result.stdout

"""Event dates and times as people read them, in the event's own time zone with the zone
named: "Monday, 23 February 2026, 2:30 p.m. (EST)" / "lundi 23 février 2026, 14 h 30 (HNE)"."""

import datetime
import functools
import zoneinfo

from django.utils import dateformat, translation
from django.utils.translation import gettext as _

from cssp_portal.templatetags.portal import short_time

# The French abbreviations Canadian usage gives the zones (Bureau de la traduction).
FRENCH_ZONE_NAMES = {
    "NST": "HNT",
    "NDT": "HAT",
    "AST": "HNA",
    "ADT": "HAA",
    "EST": "HNE",
    "EDT": "HAE",
    "CST": "HNC",
    "CDT": "HAC",
    "MST": "HNR",
    "MDT": "HAR",
    "PST": "HNP",
    "PDT": "HAP",
    "UTC": "UTC",
}


def _french() -> bool:
    return (translation.get_language() or "en").startswith("fr")


def zone_abbreviation(moment: datetime.datetime) -> str:
    name = moment.tzname() or ""
    return FRENCH_ZONE_NAMES.get(name, name) if _french() else name


def local(moment: datetime.datetime, zone: str) -> datetime.datetime:
    return moment.astimezone(zoneinfo.ZoneInfo(zone))


def weekday_date(moment: datetime.datetime) -> str:
    """ "Monday, 23 February 2026" / "lundi 23 février 2026", "dimanche 1er mars 2026"."""
    if _french():
        day = "1\\e\\r" if moment.day == 1 else "j"  # "1er": e and r escaped from the format
        return dateformat.format(moment, f"l {day} F Y")
    return dateformat.format(moment, "l, j F Y")


# The texts below depend only on the moments, the zone and the language: each process keeps
# the latest thousands (list pages show the same events to everyone; formatting one took
# 0.13-0.18 ms, a page of events several milliseconds).
_REMEMBERED = 4096


def moment_in_zone(moment: datetime.datetime, zone: str) -> str:
    """One moment: "Monday, 23 February 2026, 2:30 p.m. (EST)"."""
    return _moment_in_zone(moment, zone, translation.get_language())


@functools.lru_cache(maxsize=_REMEMBERED)
def _moment_in_zone(moment: datetime.datetime, zone: str, language: str | None) -> str:
    moment = local(moment, zone)
    return _("%(date)s, %(time)s (%(zone)s)") % {
        "date": weekday_date(moment),
        "time": short_time(moment),
        "zone": zone_abbreviation(moment),
    }


def event_when(event) -> str:
    """The event's span: "Monday, 23 February 2026, 2:30 p.m. to 4 p.m. (EST)", or both
    moments in full when it spans several days."""
    return _event_when(event.start, event.end, event.time_zone, translation.get_language())


@functools.lru_cache(maxsize=_REMEMBERED)
def _event_when(
    start_at: datetime.datetime, end_at: datetime.datetime, zone: str, language: str | None
) -> str:
    start, end = local(start_at, zone), local(end_at, zone)
    if start.date() == end.date():
        return _("%(date)s, %(start)s to %(end)s (%(zone)s)") % {
            "date": weekday_date(start),
            "start": short_time(start),
            "end": short_time(end),
            "zone": zone_abbreviation(start),
        }
    return _("%(start)s to %(end)s") % {
        "start": moment_in_zone(start_at, zone),
        "end": moment_in_zone(end_at, zone),
    }


def event_place(event) -> str:
    """The venue and address, on one line."""
    parts = [event.venue, event.address, event.city, event.province]
    return ", ".join(part for part in parts if part)

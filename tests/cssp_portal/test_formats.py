import datetime
import zoneinfo

import pytest
from django.utils import timezone, translation

from cssp_portal.templatetags.portal import in_zone, long_date, short_time

VANCOUVER = zoneinfo.ZoneInfo("America/Vancouver")


@pytest.mark.parametrize(
    ("lang", "moment", "expected"),
    [
        ("en", datetime.date(2026, 2, 23), "23 February 2026"),
        ("fr", datetime.date(2026, 2, 23), "23 février 2026"),
        ("fr", datetime.date(2026, 11, 1), "1er novembre 2026"),
    ],
)
def test_long_dates_read_naturally_in_each_language(lang, moment, expected):
    with translation.override(lang):
        assert long_date(moment) == expected


@pytest.mark.parametrize(
    ("lang", "hour", "minute", "expected"),
    [
        ("en", 14, 30, "2:30 p.m."),
        ("fr", 14, 30, "14\xa0h\xa030"),
        ("fr", 9, 5, "9\xa0h\xa005"),
        ("fr", 14, 0, "14\xa0h"),
    ],
)
def test_times_follow_canadian_usage(lang, hour, minute, expected):
    with translation.override(lang):
        assert short_time(datetime.time(hour, minute)) == expected


def test_a_moment_is_shown_in_the_events_zone_not_the_portals():
    # 23:30 in Vancouver is already the next day in Toronto, the portal's zone.
    moment = datetime.datetime(2026, 2, 24, 7, 30, tzinfo=datetime.UTC)

    with translation.override("en"):
        assert long_date(in_zone(moment, "America/Vancouver")) == "23 February 2026"
        assert short_time(in_zone(moment, "America/Vancouver")) == "11:30 p.m."
        assert long_date(moment) == "24 February 2026"


def test_a_remembered_date_follows_the_language_and_the_zone_it_is_shown_in():
    # Dates are remembered per process: the same moment asked again in another language or
    # shown in another zone gives that language's and that zone's text.
    moment = datetime.datetime(2026, 3, 1, 3, 30, tzinfo=datetime.UTC)  # 29 Feb/1 Mar
    for _ in range(2):
        with translation.override("en"):
            assert long_date(moment) == "28 February 2026"  # Toronto, the portal's zone
            with timezone.override(zoneinfo.ZoneInfo("Europe/Paris")):
                assert long_date(moment) == "1 March 2026"
        with translation.override("fr"):
            assert long_date(moment) == "28 février 2026"
            with timezone.override(zoneinfo.ZoneInfo("Europe/Paris")):
                assert long_date(moment) == "1er mars 2026"

import datetime

import pytest
from django.utils import translation

from events.formatting import event_when, moment_in_zone
from events.models import Event

UTC = datetime.UTC


@pytest.mark.parametrize(
    ("lang", "moment", "zone", "expected"),
    [
        (
            "en",
            datetime.datetime(2026, 2, 23, 19, 30, tzinfo=UTC),
            "America/Toronto",
            "Monday, 23 February 2026, 2:30 p.m. (EST)",
        ),
        (
            "fr",
            datetime.datetime(2026, 2, 23, 19, 30, tzinfo=UTC),
            "America/Toronto",
            "lundi 23 février 2026, 14\xa0h\xa030 (HNE)",
        ),
        (
            "fr",
            datetime.datetime(2026, 7, 1, 13, 0, tzinfo=UTC),
            "America/Toronto",
            "mercredi 1er juillet 2026, 9\xa0h (HAE)",
        ),
        (
            "en",
            datetime.datetime(2026, 7, 1, 16, 5, tzinfo=UTC),
            "America/Vancouver",
            "Wednesday, 1 July 2026, 9:05 a.m. (PDT)",
        ),
        (
            "fr",
            datetime.datetime(2026, 7, 1, 16, 0, tzinfo=UTC),
            "America/Regina",
            "mercredi 1er juillet 2026, 10\xa0h (HNC)",
        ),
    ],
)
def test_a_moment_is_shown_in_the_event_zone_with_the_zone_named(lang, moment, zone, expected):
    with translation.override(lang):
        assert moment_in_zone(moment, zone) == expected


def test_an_event_over_two_days_shows_both_moments():
    event = Event(
        start=datetime.datetime(2026, 2, 23, 14, 0, tzinfo=UTC),
        end=datetime.datetime(2026, 2, 24, 21, 0, tzinfo=UTC),
        time_zone="America/Halifax",
    )

    with translation.override("fr"):
        assert event_when(event) == (
            "du lundi 23 février 2026, 10\xa0h (HNA) au mardi 24 février 2026, 17\xa0h (HNA)"
        )
    with translation.override("en"):
        assert event_when(event) == (
            "Monday, 23 February 2026, 10 a.m. (AST) to Tuesday, 24 February 2026, 5 p.m. (AST)"
        )


def test_a_remembered_span_follows_the_language_asked_for():
    # Spans are remembered per process: asked again in the other language, they are that
    # language's.
    event = Event(
        start=datetime.datetime(2026, 2, 23, 19, 30, tzinfo=UTC),
        end=datetime.datetime(2026, 2, 23, 21, 0, tzinfo=UTC),
        time_zone="America/Toronto",
    )
    for _ in range(2):
        with translation.override("en"):
            assert event_when(event) == "Monday, 23 February 2026, 2:30 p.m. to 4 p.m. (EST)"
        with translation.override("fr"):
            assert event_when(event) == "lundi 23 février 2026, de 14\xa0h\xa030 à 16\xa0h (HNE)"
    event.time_zone = "America/Vancouver"
    with translation.override("en"):
        assert event_when(event) == "Monday, 23 February 2026, 11:30 a.m. to 1 p.m. (PST)"

"""Lists of names sort as a reader expects (issue #19): « Égalité » between « Eau » and « Feu »,
small and capital letters together, on PostgreSQL (ICU collations) and on the embedded SQLite."""

import sqlite3

import pytest
from django.utils import translation

from communities.models import Community
from cssp_portal import collation
from cssp_portal.collation import order_by_name, person_ordering
from members.models import User
from tests.communities.factories import CommunityFactory
from tests.members.factories import UserFactory

pytestmark = pytest.mark.django_db

WORDS = ["Feu", "zèbre", "Égalité", "Eau", "eau vive", "Zone"]
EXPECTED = ["Eau", "eau vive", "Égalité", "Feu", "zèbre", "Zone"]


def test_the_database_collation_alone_would_put_egalite_after_zebre():
    # The reason the helper exists: C.UTF-8 sorts by code point.
    for name in WORDS:
        CommunityFactory(name_en=name, name_fr=name)
    plain = list(Community.objects.order_by("name_en").values_list("name_en", flat=True))
    assert plain.index("Égalité") > plain.index("Zone")


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_community_names_sort_with_accents_and_case_as_secondary(lang):
    for name in WORDS:
        CommunityFactory(name_en=name, name_fr=name)
    with translation.override(lang):
        names = [c.name for c in order_by_name(Community.objects.all(), "name", "pk")]
    assert names == EXPECTED


def test_the_french_page_sorts_by_the_french_name():
    CommunityFactory(name_en="Water", name_fr="Eau")
    CommunityFactory(name_en="Equality", name_fr="Égalité")
    CommunityFactory(name_en="Fire", name_fr="Feu")
    with translation.override("fr"):
        names = [c.name for c in order_by_name(Community.objects.all(), "-name")]
    assert names == ["Feu", "Égalité", "Eau"]
    with translation.override("en"):
        names = [c.name for c in order_by_name(Community.objects.all(), "name")]
    assert names == ["Equality", "Fire", "Water"]


def test_people_sort_by_last_name_whatever_the_accent_or_case():
    for last in ["Fortin", "Émond", "eaton", "Zaidi", "Ouellet"]:
        UserFactory(last_name=last, first_name="Alex")
    with translation.override("fr"):
        people = User.objects.filter(first_name="Alex").order_by(*person_ordering())
        assert [p.last_name for p in people] == ["eaton", "Émond", "Fortin", "Ouellet", "Zaidi"]


def test_sqlite_gets_the_same_collations():
    # The embedded default: the same names, compared in Python on each connection.
    db = sqlite3.connect(":memory:")
    for name in collation.COLLATIONS:
        db.create_collation(name, collation._compare)
    db.execute("create table t (name text)")
    db.executemany("insert into t values (?)", [(w,) for w in WORDS])
    rows = db.execute('select name from t order by name collate "fr-CA-x-icu"').fetchall()
    assert [r[0] for r in rows] == EXPECTED


def test_non_text_fields_are_ordered_as_given():
    assert collation.ordering(Community, "-created_at", "pk") == ["-created_at", "pk"]

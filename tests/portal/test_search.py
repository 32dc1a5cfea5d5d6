"""The portal search on PostgreSQL: both languages, accents and plurals, what the user may see,
highlighting, filters."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import translation

from events.models import Event
from knowledge import services
from knowledge.models import Resource
from portal.search import search
from tests.events.factories import EventFactory
from tests.helpers import url
from tests.knowledge.factories import community_with_lead, document, folder, member_of, thread
from tests.members.factories import UserFactory
from tests.proposals.factories import ProjectFactory

pytestmark = pytest.mark.django_db


def titles(hits):
    return [str(hit.title).replace("<mark>", "").replace("</mark>", "") for hit in hits]


@pytest.fixture
def library():
    community, lead = community_with_lead(visibility="public")
    box = folder(community, lead)
    resource = document(
        box,
        lead,
        title_en="Tabletop drills for flood response",
        title_fr="Exercices de simulation pour les inondations",
        visibility=Resource.Visibility.PUBLIC,
    )
    return community, lead, box, resource


@pytest.mark.parametrize("language", ["en", "fr"])
def test_french_plural_is_found_from_the_singular_in_either_interface(library, language):
    with translation.override(language):
        hits, counts = search(AnonymousUser(), "exercice")

    assert counts["resource"] == 1
    expected = {
        "en": "Tabletop drills for flood response",
        "fr": "Exercices de simulation pour les inondations",
    }[language]
    assert titles(hits) == [expected]
    if language == "fr":
        assert str(hits[0].title).startswith("<mark>Exercices</mark>")


def test_english_stemming_and_french_accents():
    community, lead = community_with_lead(visibility="public")
    services.announcement_create(
        by=lead,
        communities=[community],
        title_en="Floods season briefing",
        title_fr="Séance d’information sur la saison des crues",
        body_en="Register for the event.",
        body_fr="Inscrivez-vous à l’événement régional.",
    )

    assert titles(search(AnonymousUser(), "flood")[0]) == ["Floods season briefing"]
    # without accents, as typed on an English keyboard
    assert titles(search(AnonymousUser(), "evenement regional")[0]) == ["Floods season briefing"]
    with translation.override("fr"):
        hits, _ = search(AnonymousUser(), "evenement")
    assert "<mark>événement</mark>" in str(hits[0].excerpt)


def test_search_shows_only_what_the_user_may_see(library):
    community, lead, box, _public_resource = library
    document(box, lead, title_en="Flood command roster", title_fr="Liste de commandement crue")
    private, private_lead = community_with_lead(visibility="members")
    thread(private, private_lead, title="Flood intelligence sharing", body="Restricted.")
    public = Event.Visibility.PUBLIC
    EventFactory(
        community=community,
        title_en="Flood drill",
        title_fr="Exercice inondation",
        visibility=public,
    )
    EventFactory(
        community=community,
        title_en="Flood draft",
        title_fr="Brouillon",
        visibility=public,
        status=Event.Status.DRAFT,
    )
    member = member_of(community)

    anonymous = titles(search(AnonymousUser(), "flood")[0])
    outsider = titles(search(UserFactory(), "flood")[0])
    insider = titles(search(member, "flood")[0])
    private_member = titles(search(member_of(private), "flood")[0])

    assert sorted(anonymous) == ["Flood drill", "Tabletop drills for flood response"]
    assert sorted(outsider) == sorted(anonymous)
    assert sorted(insider) == [
        "Flood command roster",
        "Flood drill",
        "Tabletop drills for flood response",
    ]
    assert "Flood intelligence sharing" in private_member
    assert "Flood draft" not in private_member


def test_threads_are_found_by_their_replies_but_not_hidden_ones():
    community, lead = community_with_lead()
    member = member_of(community)
    discussion = thread(community, member, title="Radios", body="Which model?")
    services.thread_reply(thread=discussion, by=lead, body="The interoperable one.")
    hidden = services.thread_reply(thread=discussion, by=member, body="Secret password hunter2")
    services.post_set_hidden(post=hidden, by=lead, hidden=True)

    assert titles(search(member, "interoperable")[0]) == ["Radios"]
    assert search(member, "hunter2")[0] == []


def test_matches_are_highlighted_and_the_rest_is_escaped():
    community, lead = community_with_lead()
    thread(community, lead, title="<i>Flood</i> & fire", body="<b>flood</b> plans")

    hits, _ = search(lead, "flood")

    assert str(hits[0].title) == "&lt;i&gt;<mark>Flood</mark>&lt;/i&gt; &amp; fire"
    assert "<b>" not in str(hits[0].excerpt) and "<mark>flood</mark>" in str(hits[0].excerpt)


def test_filters_by_type_and_community(library):
    community, lead, _box, _resource = library
    other, other_lead = community_with_lead(visibility="public")
    services.announcement_create(
        by=other_lead, communities=[other], title_en="Flood news", title_fr="Nouvelles crue",
        body_en="x", body_fr="x",
    )  # fmt: skip
    project = ProjectFactory(title_en="Flood modelling", title_fr="Modélisation des crues")
    project.communities.add(community)

    everything = titles(search(lead, "flood")[0])
    only_announcements = titles(search(lead, "flood", types=["announcement"])[0])
    in_first = titles(search(lead, "flood", community=community)[0])

    assert sorted(everything) == [
        "Flood modelling",
        "Flood news",
        "Tabletop drills for flood response",
    ]
    assert only_announcements == ["Flood news"]
    assert sorted(in_first) == ["Flood modelling", "Tabletop drills for flood response"]


def test_communities_are_found_in_either_language():
    community, _ = community_with_lead(
        name_en="Chemical, biological, radiological",
        name_fr="Chimique, biologique, radiologique",
        visibility="public",
    )

    assert titles(search(AnonymousUser(), "chimique")[0]) == [community.name_en]


@pytest.mark.parametrize(
    ("language", "heading"),
    [("en", "1 result for “exercices”"), ("fr", "1 résultat pour «\u00a0exercices\u00a0»")],
)
def test_search_page_in_both_languages(
    client, library, language, heading, django_assert_max_num_queries
):
    with django_assert_max_num_queries(14):
        response = client.get(url("knowledge:search", lang=language), {"q": "exercices"})

    page = response.content.decode()
    assert heading in page
    assert "<mark>" in page
    assert "Unclassified" in page or "Non classifié" in page


def test_search_page_with_type_filter_and_nothing_found(client):
    response = client.get(url("knowledge:search"), {"q": "zzzqqq", "type": ["resource"]})

    assert "Nothing you may see matches" in response.content.decode()


def test_the_embedded_default_falls_back_to_simpler_matching(library, monkeypatch):
    """SQLite has no full-text search: every word must appear, a plural s or x ignored."""
    from portal.search import engine as search_module

    monkeypatch.setattr(search_module.connection, "vendor", "sqlite")
    community, lead, _box, _resource = library
    thread(community, lead, title="Flood <b>talk</b>", body="exercice commun")

    with translation.override("fr"):
        hits, counts = search(lead, "exercices")

    assert counts["resource"] == 1 and counts["thread"] == 1
    resource_hit = next(hit for hit in hits if hit.type == "resource")
    assert str(resource_hit.title) == "<mark>Exercice</mark>s de simulation pour les inondations"
    thread_hit = next(hit for hit in hits if hit.type == "thread")
    assert str(thread_hit.title) == "Flood &lt;b&gt;talk&lt;/b&gt;"

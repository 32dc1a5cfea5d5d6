"""Atom feeds: public content only, in the page's language, linked from the pages' head."""

import pytest

pytestmark = pytest.mark.django_db


def test_the_portal_news_feed_holds_public_announcements_in_english(client, program):
    response = client.get("/en/feeds/news/")

    body = response.content.decode()
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    assert 'xml:lang="en"' in body
    assert "Flood news" in body
    assert "Secret news" not in body
    assert "/en/knowledge/announcements/" in body


def test_the_portal_news_feed_in_french(client, program):
    body = client.get("/fr/feeds/news/").content.decode()

    assert 'xml:lang="fr"' in body
    assert "Nouvelles inondation" in body
    assert "Flood news" not in body
    assert "Nouvelles secrètes" not in body
    assert "/fr/knowledge/announcements/" in body


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_public_communitys_event_feed_lists_its_public_events_only(client, program, language):
    body = client.get(f"/{language}/feeds/communities/floods/events/").content.decode()

    assert ("Flood drill" if language == "en" else "Exercice inondation") in body
    assert "hosts-briefing" not in body
    assert "draft-event" not in body
    assert f"/{language}/events/flood-drill/" in body


def test_a_public_communitys_announcement_feed_in_french(client, program):
    body = client.get("/fr/feeds/communities/floods/announcements/").content.decode()

    assert "CdP Inondations" in body
    assert "Nouvelles inondation" in body


@pytest.mark.parametrize("kind", ["announcements", "events"])
def test_a_members_only_communitys_feeds_are_404_even_to_its_members(client, program, kind):
    assert client.get(f"/en/feeds/communities/secret/{kind}/").status_code == 404
    client.force_login(program.member)
    assert client.get(f"/en/feeds/communities/secret/{kind}/").status_code == 404


def test_a_signed_in_member_gets_the_public_feed_only(client, program):
    client.force_login(program.member)

    body = client.get("/en/feeds/news/").content.decode()

    assert "Flood news" in body
    assert "Secret news" not in body


def test_pages_link_their_feeds_in_the_head(client, program):
    home = client.get("/fr/").content.decode()
    community = client.get("/en/communities/floods/").content.decode()

    assert '<link rel="alternate" type="application/atom+xml"' in home
    assert 'href="/fr/feeds/news/"' in home
    assert 'href="/en/feeds/communities/floods/events/"' in community
    assert 'href="/en/feeds/communities/floods/announcements/"' in community


def test_a_members_only_community_page_links_no_community_feed(client, program):
    client.force_login(program.member)

    page = client.get("/en/communities/secret/").content.decode()

    assert page.count('type="application/atom+xml"') == 1  # the portal's news only
    assert "/feeds/communities/secret/" not in page


def test_each_language_gets_the_news_feed_in_its_own_words(client, program):
    # The news link is kept per language once built: asking in French, then in English, then
    # in French again must give each page its own language's title and address.
    french = client.get("/fr/").content.decode()
    english = client.get("/en/communities/").content.decode()
    french_again = client.get("/fr/events/").content.decode()

    news_fr = (
        '<link rel="alternate" type="application/atom+xml" '
        'title="Nouvelles des communautés de pratique du PCSS" href="/fr/feeds/news/">'
    )
    news_en = (
        '<link rel="alternate" type="application/atom+xml" '
        'title="News of the CSSP communities of practice" href="/en/feeds/news/">'
    )
    assert news_fr in french and news_fr in french_again
    assert news_en in english
    assert "/en/feeds/news/" not in french + french_again


def test_a_public_community_page_links_the_news_then_its_two_feeds(client, program):
    page = client.get("/fr/communities/floods/").content.decode()

    head = page[page.index('<link rel="alternate" type') :]
    links = head[: head.index(">", head.index("/events/")) + 1]
    assert links.count("<link ") == 3
    assert links.index("/fr/feeds/news/") < links.index("/announcements/") < links.index("/events/")
    assert 'href="/fr/feeds/communities/floods/announcements/">\n  <link' in links

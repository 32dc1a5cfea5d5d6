"""The header menu is kept per process under the language and what it depends on (signed in,
portfolio manager, staff, the page's place in the menu): one person's menu never shows to
another, and the current page stays marked."""

import re

import pytest
from django.core.cache import caches

from tests.communities.factories import CommunityFactory, person_as
from tests.helpers import url

pytestmark = pytest.mark.django_db


def menu(client, path):
    page = client.get(path).content.decode()
    return page[page.index("<gcds-top-nav") : page.index("</gcds-top-nav>")]


def current(nav):
    return re.findall(r'<gcds-nav-link href="[^"]*" current>([^<]*)<', nav)


@pytest.fixture(autouse=True)
def fresh_layout_cache():
    caches["layout"].clear()


@pytest.fixture
def community():
    return CommunityFactory()


def test_each_role_gets_its_own_menu_from_the_same_process(client, community):
    path = url("communities:list")
    manager = person_as("portfolio_manager", community)
    client.force_login(manager)
    as_manager = menu(client, path)
    client.force_login(person_as("member", community))
    as_member = menu(client, path)
    client.force_login(person_as("admin", community))
    as_admin = menu(client, path)
    client.logout()
    as_visitor = menu(client, path)

    assert "Portfolio dashboard" in as_manager and "Portfolio dashboard" not in as_member
    assert "Administration" in as_admin and "Administration" not in as_member
    assert "Sign out" in as_member and "Sign out" not in as_visitor
    assert "Sign in" in as_visitor


def test_the_current_page_is_marked_on_every_page(client, community):
    member = person_as("member", community)
    other = person_as("member", community)
    client.force_login(member)

    assert current(menu(client, url("communities:list"))) == ["Communities"]
    assert current(menu(client, url("events:list"))) == ["Events"]
    assert current(menu(client, url("members:profile", other.pk))) == ["Members"]
    assert current(menu(client, url("members:profile", member.pk))) == ["My profile"]


def test_the_menu_follows_the_language(client, community):
    client.force_login(person_as("member", community))

    assert "Communautés" in menu(client, url("communities:list", lang="fr"))
    assert "Communities" in menu(client, url("communities:list"))


def test_the_menu_is_rendered_once_per_kind_of_page(client, community, monkeypatch):
    client.force_login(person_as("member", community))
    path = url("events:list")
    client.get(path)
    # Kept: a change to how links are built no longer reaches this menu (but for the bell,
    # which holds the person's own unread count).
    monkeypatch.setattr("django.urls.reverse", lambda *a, **k: "/changed/")

    kept = menu(client, path)
    assert 'href="/en/communities/"' in kept and 'href="/en/events/"' in kept

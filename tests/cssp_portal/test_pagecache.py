"""The page cache (cssp_portal/pagecache.py): the main read pages are served from the cache
per viewer, and any change is seen on the very next request."""

import re

import pytest
from django.conf import settings
from django.http import HttpResponse
from django.middleware.csrf import _get_new_csrf_string, get_token
from django.test import Client
from django.urls import path, reverse
from django.utils import translation

from communities.models import Community, Membership
from communities.services.membership import membership_remove
from cssp_portal import pagecache
from cssp_portal.urls import urlpatterns as portal_urlpatterns
from events import services
from notifications import kinds
from notifications.services import notify
from tests.communities.factories import CommunityFactory, make_member
from tests.events.factories import EventFactory
from tests.members.factories import UserFactory

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def url(lang, name, *args):
    with translation.override(lang):
        return reverse(name, args=args)


def cache_state(response) -> str | None:
    return response.get(pagecache.HEADER)


@pytest.fixture
def community():
    return CommunityFactory(
        name_en="Border Security",
        name_fr="Sécurité frontalière",
        visibility=Community.Visibility.PUBLIC,
    )


@pytest.fixture
def member(community):
    user = UserFactory(verified=True, first_name="Dana")
    make_member(community, user)
    return user


def signed_in(user) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    # A browser holds the CSRF cookie that signing in set (django.middleware.csrf.rotate_token).
    client.cookies[settings.CSRF_COOKIE_NAME] = _get_new_csrf_string()
    return client


def test_a_signed_out_page_is_served_from_the_cache_the_second_time(community):
    client = Client()
    first = client.get(url("en", "communities:list"))
    second = client.get(url("en", "communities:list"))
    assert cache_state(first) == "miss"
    assert cache_state(second) == "hit"
    assert second.content == first.content
    assert "Border Security" in second.content.decode()


def test_each_language_has_its_own_page(community):
    client = Client()
    client.get(url("en", "communities:list"))
    french = client.get(url("fr", "communities:list"))
    assert cache_state(french) == "miss"
    assert "Sécurité frontalière" in french.content.decode()


def test_a_saved_change_shows_on_the_next_request(community):
    client = Client()
    client.get(url("en", "communities:list"))
    community.name_en = "Border and Transportation Security"
    community.save()
    response = client.get(url("en", "communities:list"))
    assert cache_state(response) == "miss"
    assert "Border and Transportation Security" in response.content.decode()


def test_a_change_that_sends_no_signal_shows_after_the_request_that_made_it(community, member):
    """QuerySet.update() sends no signal: the unsafe request around it empties the cache."""
    visitor = Client()
    visitor.get(url("en", "communities:list"))
    Community.objects.filter(pk=community.pk).update(name_en="Renamed quietly")
    # Any successful POST (here, a member leaving) moves the generation on.
    leaving = signed_in(member)
    token = TOKEN.search(
        leaving.get(url("en", "communities:detail", community.slug)).content.decode()
    )
    response = leaving.post(
        url("en", "communities:leave", community.slug), {"csrfmiddlewaretoken": token.group(1)}
    )
    assert response.status_code == 302
    assert "Renamed quietly" in visitor.get(url("en", "communities:list")).content.decode()


def test_the_email_outbox_sending_does_not_empty_the_cache(community, member):
    """Outbox rows change state all the time while workers send; no page shows them."""
    notification = notify(
        kind=kinds.COMMUNITY_NEW_MEMBER,
        recipients=[member],
        community=community,
        context={"member_name": "Sam Singh"},
    )[0]
    client = Client()
    client.get(url("en", "communities:list"))
    notification.attempts += 1
    notification.save()
    assert cache_state(client.get(url("en", "communities:list"))) == "hit"


def test_a_refused_post_does_not_empty_the_cache(community):
    client = Client(enforce_csrf_checks=True)
    client.get(url("en", "communities:list"))
    generation = pagecache.generation()
    response = client.post(url("en", "communities:leave", community.slug))
    assert response.status_code == 403
    assert pagecache.generation() == generation
    assert cache_state(client.get(url("en", "communities:list"))) == "hit"


def test_a_signed_in_page_is_never_served_to_someone_else(community, member):
    event = EventFactory(community=community, capacity_in_person=10)
    services.event_register(event=event, user=member)
    other = UserFactory(verified=True)
    make_member(community, other)
    dana, robin = signed_in(member), signed_in(other)
    event_url = url("en", "events:detail", event.slug)
    dana.get(event_url)
    assert "Cancel my registration" in dana.get(event_url).content.decode()
    page = robin.get(event_url)
    assert cache_state(page) == "miss"
    assert "Cancel my registration" not in page.content.decode()
    assert "Register" in page.content.decode()


def register_with_the_form_of(client, page, event):
    """Post the registration form found in `page`, with its CSRF token."""
    token = TOKEN.search(page.content.decode()).group(1)
    return client.post(
        url("en", "events:register", event.slug),
        {"mode": "in_person", "csrfmiddlewaretoken": token},
        follow=True,
    )


def test_the_same_person_in_two_browsers_gets_a_page_whose_form_works_in_each(community, member):
    event = EventFactory(community=community, capacity_in_person=10)
    laptop, phone = signed_in(member), signed_in(member)
    event_url = url("en", "events:detail", event.slug)
    laptop.get(event_url)
    assert cache_state(laptop.get(event_url)) == "hit"
    page = phone.get(event_url)
    assert cache_state(page) == "miss"
    response = register_with_the_form_of(phone, page, event)
    assert response.redirect_chain
    assert "You are registered" in response.content.decode()


def test_a_form_in_a_cached_page_still_posts(community, member):
    event = EventFactory(community=community, capacity_in_person=10)
    client = signed_in(member)
    event_url = url("en", "events:detail", event.slug)
    client.get(event_url)
    cached = client.get(event_url)
    assert cache_state(cached) == "hit"
    response = register_with_the_form_of(client, cached, event)
    assert response.redirect_chain
    assert "You are registered" in response.content.decode()


def test_a_message_after_a_change_is_shown_and_the_page_then_shows_the_change(community, member):
    event = EventFactory(community=community, capacity_in_person=10)
    client = signed_in(member)
    event_url = url("en", "events:detail", event.slug)
    client.get(event_url)
    after = register_with_the_form_of(client, client.get(event_url), event)
    text = after.content.decode()
    assert "A confirmation is on its way by email" in text
    assert cache_state(after) is None  # a page with a message is neither served nor kept
    again = client.get(event_url)
    assert cache_state(again) == "miss"
    assert "A confirmation is on its way by email" not in again.content.decode()
    assert "Cancel my registration" in again.content.decode()


def test_signing_out_ends_the_cached_pages_of_the_session(member):
    client = signed_in(member)
    directory = url("en", "members:directory")
    client.get(directory)
    assert cache_state(client.get(directory)) == "hit"
    client.post(
        url("en", "account_logout"),
        {"csrfmiddlewaretoken": client.cookies[settings.CSRF_COOKIE_NAME].value},
    )
    response = client.get(directory)
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_a_member_removed_by_a_lead_no_longer_sees_the_members_only_page(member):
    private = CommunityFactory(visibility=Community.Visibility.MEMBERS, name_en="Closed Circle")
    membership = make_member(private, member)
    client = signed_in(member)
    page_url = url("en", "communities:detail", private.slug)
    client.get(page_url)
    assert cache_state(client.get(page_url)) == "hit"
    lead = UserFactory(verified=True)
    make_member(private, lead, role=Membership.Role.LEAD)
    membership_remove(membership=membership, by=lead)
    assert client.get(page_url).status_code == 404


def test_the_page_cache_can_be_turned_off(settings, community):
    settings.PAGE_CACHE = {"TIMEOUT": 0}
    client = Client()
    client.get(url("en", "communities:list"))
    assert cache_state(client.get(url("en", "communities:list"))) is None


# --- A signed-out page with a form --------------------------------------------------------------


def _form_page(request):
    token = get_token(request)
    return HttpResponse(f'<form method="post"><input name="csrfmiddlewaretoken" value="{token}">')


urlpatterns = [
    path("form-page/", pagecache.cached_page(_form_page)),
    *portal_urlpatterns,
]


@pytest.mark.urls(__name__)
def test_a_signed_out_page_with_a_csrf_token_is_not_shared():
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first.get("/form-page/")
    first.get("/form-page/")
    response = second.get("/form-page/")
    assert cache_state(response) is None
    token = TOKEN.search(response.content.decode()).group(1)
    assert second.post("/form-page/", {"csrfmiddlewaretoken": token}).status_code != 403

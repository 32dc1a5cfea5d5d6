"""A signed-in session ends after SESSION_IDLE_TIMEOUT without a request, and in any case
SESSION_ABSOLUTE_TIMEOUT after sign-in (cssp_portal.middleware.SessionLifetimeMiddleware)."""

import datetime as dt

import pytest
import time_machine
from django.conf import settings
from django.core.cache import cache

from tests.helpers import url
from tests.members.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

SIGN_IN_TIME = dt.datetime(2026, 11, 23, 8, 30, tzinfo=dt.UTC)
FEW_MINUTES = dt.timedelta(minutes=10)


@pytest.fixture(autouse=True)
def _no_rate_limit_history():
    # Sign-ins here are stamped with travelled clock times; keep them out of other tests' limits.
    cache.clear()
    yield
    cache.clear()


def open_home_page(client):
    """A request as the member makes it; tells whether the header still shows them signed in."""
    page = client.get(url("home")).content.decode()
    return {
        "signed_in": f'href="{url("account_logout")}"' in page,
        "offers_sign_in": f'href="{url("account_login")}"' in page,
    }


@pytest.fixture
def signed_in_client(client):
    """A member who signed in at SIGN_IN_TIME and whose browser followed the redirect home."""
    member = UserFactory(verified=True)
    with time_machine.travel(SIGN_IN_TIME, tick=False):
        client.post(url("account_login"), {"login": member.email, "password": PASSWORD})
        assert open_home_page(client)["signed_in"]
    return client


def test_member_back_just_within_the_idle_timeout_is_still_signed_in(signed_in_client):
    # Given a member who signed in and then left the page alone
    back_at = SIGN_IN_TIME + dt.timedelta(seconds=settings.SESSION_IDLE_TIMEOUT - 1)

    # When they come back one second before the idle timeout
    with time_machine.travel(back_at, tick=False):
        header = open_home_page(signed_in_client)

    # Then they are still signed in
    assert header["signed_in"]


def test_member_idle_longer_than_the_idle_timeout_is_signed_out_on_the_next_request(
    signed_in_client,
):
    # Given a member who signed in and then left the page alone
    back_at = SIGN_IN_TIME + dt.timedelta(seconds=settings.SESSION_IDLE_TIMEOUT + 1)

    # When they come back one second after the idle timeout
    with time_machine.travel(back_at, tick=False):
        response = signed_in_client.get(url("home"))
        header = open_home_page(signed_in_client)

    # Then that very request is anonymous and the header offers to sign in again
    assert response.wsgi_request.user.is_anonymous
    assert not header["signed_in"]
    assert header["offers_sign_in"]
    assert "_auth_user_id" not in signed_in_client.session


def test_member_active_every_few_minutes_stays_signed_in_until_the_absolute_timeout(
    signed_in_client,
):
    # Given a member who signed in and keeps using the portal every ten minutes
    visits_in_a_session = int(settings.SESSION_ABSOLUTE_TIMEOUT // FEW_MINUTES.total_seconds())
    visit_times = [SIGN_IN_TIME + FEW_MINUTES * n for n in range(1, visits_in_a_session + 1)]

    # When they make those requests, the last one right at the absolute timeout,
    visits = []
    for moment in visit_times:
        with time_machine.travel(moment, tick=False):
            visits.append(open_home_page(signed_in_client)["signed_in"])
    # and one more, a few minutes past it
    with time_machine.travel(visit_times[-1] + FEW_MINUTES, tick=False):
        past_the_end = open_home_page(signed_in_client)

    # Then they stayed signed in for the whole session, idle timeout never reached
    assert visit_times[-1] == SIGN_IN_TIME + dt.timedelta(seconds=settings.SESSION_ABSOLUTE_TIMEOUT)
    assert all(visits)
    # And the first request after the absolute timeout finds them signed out
    assert not past_the_end["signed_in"]
    assert past_the_end["offers_sign_in"]


def test_member_idle_from_the_moment_of_signing_in_is_signed_out_after_the_idle_timeout(client):
    # Given a member whose sign-in succeeded but who never loaded another page (the tab was
    # closed on the redirect)
    member = UserFactory(verified=True)
    with time_machine.travel(SIGN_IN_TIME, tick=False):
        client.post(url("account_login"), {"login": member.email, "password": PASSWORD})
    back_at = SIGN_IN_TIME + dt.timedelta(seconds=settings.SESSION_IDLE_TIMEOUT + 1)

    # When they come back after the idle timeout
    with time_machine.travel(back_at, tick=False):
        header = open_home_page(client)

    # Then they are signed out, as if they had loaded a page right after signing in
    assert not header["signed_in"]
    assert header["offers_sign_in"]

"""Signed-in pages are not kept by browsers; every page refuses browser features it never uses."""

import pytest

from tests.helpers import url
from tests.members.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name", ["home", "members:directory", "events:list"])
def test_signed_in_pages_are_not_stored(client, name):
    client.force_login(UserFactory(verified=True))

    response = client.get(url(name))

    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"


def test_public_pages_for_visitors_may_be_stored(client):
    response = client.get(url("home"))

    assert "no-store" not in response.get("Cache-Control", "")


def test_every_page_carries_a_permissions_policy(client):
    response = client.get(url("home"))

    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]

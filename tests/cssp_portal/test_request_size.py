"""A request larger than any upload the portal accepts is refused before its body is read
(issue #16, F9): a 413 page in the person's language, nothing saved, no temporary file."""

import io

import pytest

from cssp_portal.middleware import largest_upload
from tests.helpers import url
from tests.members.factories import UserFactory

pytestmark = pytest.mark.django_db


class UnreadableBody(io.RawIOBase):
    """A request body that fails the test if anybody reads it."""

    def read(self, *args):
        raise AssertionError("the body was read")

    readline = read


@pytest.mark.parametrize(
    ("lang", "heading"),
    [("en", "The file is too large"), ("fr", "Le fichier est trop volumineux")],
)
def test_a_body_larger_than_any_upload_is_answered_413_without_being_read(client, lang, heading):
    client.force_login(UserFactory(verified=True))
    size = largest_upload() + 2 * 2**20

    response = client.post(
        url("communities:list", lang=lang),
        content_type="multipart/form-data; boundary=x",
        data=b"",
        CONTENT_LENGTH=str(size),
        **{"wsgi.input": UnreadableBody()},
    )

    assert response.status_code == 413
    page = response.content.decode()
    assert heading in page
    assert f'lang="{lang}"' in page


def test_a_body_within_the_limit_goes_through(client):
    client.force_login(UserFactory(verified=True))

    response = client.post(url("members:edit"), {"first_name": "Ada"})

    assert response.status_code != 413


def test_the_limit_is_a_setting(client, settings):
    settings.UPLOAD_MAX_REQUEST_BYTES = 1000

    response = client.post(url("account_login"), {"login": "a@b.ca", "password": "x" * 2000})

    assert response.status_code == 413

"""The open-data page and its CSV files, and a member's API tokens page, in English and French."""

import csv
import io

import pytest

from api.models import ApiToken, token_digest
from api.services import MAX_ACTIVE_TOKENS, api_token_create
from tests.members.factories import UserFactory

pytestmark = pytest.mark.django_db


def rows(response):
    text = response.content.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def test_the_open_data_page_lists_each_file_in_english(client):
    page = client.get("/en/open-data/").content.decode()

    for name in ("communities", "organizations", "events", "calls", "projects"):
        assert f'href="/en/open-data/{name}.csv"' in page
    assert "Funded projects (CSV)" in page


def test_the_open_data_page_in_french(client):
    page = client.get("/fr/open-data/").content.decode()

    assert "Données ouvertes" in page
    assert 'href="/fr/open-data/events.csv"' in page


@pytest.mark.parametrize("who", ["anonymous", "member"])
def test_csv_files_hold_public_rows_only_whoever_downloads(client, program, who):
    if who == "member":
        client.force_login(program.member)

    communities = rows(client.get("/en/open-data/communities.csv"))
    events = rows(client.get("/en/open-data/events.csv"))
    calls = rows(client.get("/en/open-data/calls.csv"))
    projects = rows(client.get("/en/open-data/projects.csv"))

    assert [row["slug"] for row in communities] == ["floods"]
    assert [row["slug"] for row in events] == ["flood-drill"]
    assert [row["slug"] for row in calls] == ["open-call"]
    assert projects[0]["communities"] == "floods"


def test_csv_files_in_french(client, program):
    response = client.get("/fr/open-data/communities.csv")

    assert response["Content-Disposition"] == 'attachment; filename="cssp-communities-fr.csv"'
    assert rows(response)[0]["name"] == "CdP Inondations"


def test_an_unknown_open_data_file_is_404(client):
    assert client.get("/en/open-data/members.csv").status_code == 404


def test_csv_files_take_no_query_per_row(client, program, django_assert_max_num_queries):
    from tests.api.test_api import _many

    _many(program, 6)
    for name in ("communities", "organizations", "events", "calls", "projects"):
        with django_assert_max_num_queries(6):
            assert client.get(f"/en/open-data/{name}.csv").status_code == 200


def test_a_member_creates_a_token_and_sees_it_once(client):
    member = UserFactory(verified=True)
    client.force_login(member)

    response = client.post("/en/api-tokens/", {"name": "Reports"}, follow=True)

    page = response.content.decode()
    token = ApiToken.objects.get(user=member)
    key = page.split('id="new-token" type="text" readonly value="')[1].split('"')[0]
    assert token_digest(key) == token.digest
    assert "Reports" in page
    assert key not in client.get("/en/api-tokens/").content.decode()  # shown once


def test_a_token_needs_a_name_with_the_error_beside_the_field(client):
    client.force_login(UserFactory(verified=True))

    response = client.post("/fr/api-tokens/", {"name": "  "})

    page = response.content.decode()
    assert response.status_code == 400
    assert "error-summary" in page
    assert "Saisissez un nom pour le jeton." in page or "Ce champ est obligatoire." in page
    assert not ApiToken.objects.exists()


def test_the_number_of_active_tokens_is_limited(client):
    member = UserFactory(verified=True)
    for n in range(MAX_ACTIVE_TOKENS):
        api_token_create(by=member, name=f"t{n}")
    client.force_login(member)

    response = client.post("/en/api-tokens/", {"name": "one more"})

    assert response.status_code == 400
    assert "revoke one before creating another" in response.content.decode()
    assert ApiToken.objects.active().filter(user=member).count() == MAX_ACTIVE_TOKENS


def test_a_member_revokes_their_token_and_it_stops_working(client, program):
    token, key = api_token_create(by=program.member, name="Old script")
    client.force_login(program.member)

    response = client.post(f"/en/api-tokens/{token.pk}/revoke/", follow=True)

    assert "was revoked" in response.content.decode()
    client.logout()
    api = client.get("/api/v1/communities/", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert api.status_code == 401


def test_nobody_revokes_another_members_token(client, program):
    token, _key = api_token_create(by=program.member, name="Mine")
    client.force_login(program.outsider)

    response = client.post(f"/en/api-tokens/{token.pk}/revoke/")

    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_the_tokens_page_in_french_lists_only_ones_own(client, program):
    api_token_create(by=program.member, name="Le mien")
    api_token_create(by=program.outsider, name="Pas le mien")
    client.force_login(program.member)

    page = client.get("/fr/api-tokens/").content.decode()

    assert "Mes jetons d’API" in page
    assert "Le mien" in page
    assert "Pas le mien" not in page


def test_the_tokens_page_asks_visitors_to_sign_in(client):
    response = client.get("/en/api-tokens/")

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]

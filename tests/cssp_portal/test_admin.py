import pytest
from django.contrib import admin

from portal.seed.cssp import load_cssp
from tests.members.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    load_cssp()
    user = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(user)
    return client


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_every_admin_changelist_change_and_add_page_renders(admin_client, lang):
    failures = []
    for model in admin.site._registry:
        meta = model._meta
        base = f"/{lang}/admin/{meta.app_label}/{meta.model_name}/"
        urls = [base, f"{base}add/"]
        instance = model.objects.first()
        if instance is not None:
            urls.append(f"{base}{instance.pk}/change/")
        for url in urls:
            status = admin_client.get(url).status_code
            # Read-only records (workflow transitions) refuse the add page by design.
            if status not in (200, 403):
                failures.append((url, status))
    assert failures == []


def test_the_french_admin_shows_french_field_values(admin_client):
    page = admin_client.get("/fr/admin/communities/community/").content.decode()

    assert "Chimique" in page
    assert "Dangers naturels" in page
    assert ">Chemical<" not in page


def test_a_community_admin_page_has_translation_tabs_history_and_object_permissions(admin_client):
    from communities.models import Community

    community = Community.objects.get(slug="chemical")
    change = admin_client.get(f"/en/admin/communities/community/{community.pk}/change/")
    history = admin_client.get(f"/en/admin/communities/community/{community.pk}/auditlog/")
    permissions = admin_client.get(f"/en/admin/communities/community/{community.pk}/permissions/")

    body = change.content.decode()
    assert 'name="name_fr"' in body and 'name="name_en"' in body
    assert "jquery-ui.min.js" in body and "ajax.googleapis" not in body
    assert history.status_code == 200
    assert permissions.status_code == 200


def test_roster_export_is_a_csv_of_the_selected_communities(admin_client):
    from communities.models import Community, Membership
    from communities.services import membership_add_active

    community = Community.objects.get(slug="fire-services")
    membership_add_active(
        community=community, user=UserFactory(first_name="Émilie"), role=Membership.Role.LEAD
    )

    response = admin_client.post(
        "/en/admin/communities/community/",
        {"action": "export_roster", "_selected_action": [community.pk]},
    )

    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    assert "Émilie" in text and "Lead" in text

"""Need to know for Protected A and B items (issue #16 part 2, F4): only the members of the
owning community and administrators get them, the database refuses any wider visibility, the
forms say so beside the field, old rows are narrowed, and every download is recorded for the
community's leads."""

import html
import importlib
import re

import pytest
from allauth.account.models import EmailAddress
from django.apps import apps as django_apps
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction

from communities.models import Community
from knowledge import policies, selectors, services
from knowledge.models import ProtectedDownload, Resource, Sensitivity
from members.models import User
from tests.communities.factories import CommunityFactory, person_as
from tests.helpers import url
from tests.knowledge.factories import community_with_lead, document, folder, pdf

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "non_member",
    "lead_elsewhere",
    "portfolio_manager",
    "observer",
    "member",
    "co_lead",
    "lead",
    "admin",
]
PROTECTED_READERS = {"observer", "member", "co_lead", "lead", "admin"}
MARKINGS = [Sensitivity.PROTECTED_A, Sensitivity.PROTECTED_B]


def text(response) -> str:
    return " ".join(html.unescape(response.content.decode()).split())


@pytest.fixture
def library():
    """A public community (anyone may see its page) with a Protected A and a Protected B
    document, each in two versions."""
    community, lead = community_with_lead(visibility=Community.Visibility.PUBLIC)
    box = folder(community, lead)
    items = {}
    for marking in MARKINGS:
        resource = document(box, lead, title_en=f"Marked {marking}", sensitivity=marking)
        services.resource_add_version(resource=resource, by=lead, upload=pdf("v2.pdf"))
        items[marking] = Resource.objects.get(pk=resource.pk)
    return community, lead, box, items


# --- Who gets them ---------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_only_the_owning_communitys_members_and_administrators_get_protected_items(
    client, library, role
):
    community, _lead, box, items = library
    person = person_as(role, community)
    if person is not None:
        client.force_login(person)

    for marking, resource in items.items():
        for name, args in (
            ("knowledge:resource", [resource.pk]),
            ("knowledge:download", [resource.pk]),
            ("knowledge:download_version", [resource.pk, 1]),
        ):
            response = client.get(url(name, *args))
            expected = 200 if role in PROTECTED_READERS else 404
            assert response.status_code == expected, (marking, name)
        listing = text(client.get(url("knowledge:folder", box.pk)))
        assert (resource.title in listing) == (role in PROTECTED_READERS), marking
    if role in PROTECTED_READERS:
        detail = text(client.get(url("knowledge:resource", items["protected_b"].pk, lang="fr")))
        assert "Chaque téléchargement de ce fichier protégé est consigné" in detail


def test_f4_a_freshly_self_registered_stranger_gets_404_on_a_protected_b_download(client, library):
    # Given a Protected B document of a public community, which its lead tried to share with
    # all signed-in members (refused), and a stranger who signs up
    _community, lead, _box, items = library
    protected_b = items[Sensitivity.PROTECTED_B]
    client.force_login(lead)
    client.post(
        url("knowledge:resource_edit", protected_b.pk),
        {
            "title_en": protected_b.title_en,
            "title_fr": protected_b.title_fr,
            "sensitivity": "protected_b",
            "visibility": "members",
        },
    )
    client.logout()
    client.post(
        url("account_signup"),
        {
            "first_name": "Sam",
            "last_name": "Stranger",
            "email": "stranger@example.com",
            "password1": "a-long-Passphrase-2026!",
            "password2": "a-long-Passphrase-2026!",
            "preferred_language": "en",
        },
    )
    stranger = User.objects.get(email="stranger@example.com")
    EmailAddress.objects.filter(user=stranger).update(verified=True)
    client.force_login(stranger)

    # When they ask for the file, its versions or its page
    responses = [
        client.get(url("knowledge:download", protected_b.pk)),
        client.get(url("knowledge:download_version", protected_b.pk, 2)),
        client.get(url("knowledge:resource", protected_b.pk)),
    ]

    # Then nothing is there for them, and nothing was recorded as downloaded
    assert [r.status_code for r in responses] == [404, 404, 404]
    assert not ProtectedDownload.objects.exists()


@pytest.mark.parametrize("role", ROLES)
def test_resources_visible_to_agrees_with_can_view_resource_on_protected_items(role):
    communities = [
        CommunityFactory(visibility=Community.Visibility.PUBLIC),
        CommunityFactory(visibility=Community.Visibility.MEMBERS),
    ]
    resources = []
    for community in communities:
        lead = person_as("lead", community)
        box = folder(community, lead)
        for marking in Sensitivity.values:
            visibility = "community" if marking != "unclassified" else "members"
            resources.append(
                document(box, lead, title_en=marking, sensitivity=marking, visibility=visibility)
            )
    person = person_as(role, communities[0])
    who = AnonymousUser() if person is None else person

    listed = set(policies.resources_visible_to(who))

    for resource in resources:
        assert (resource in listed) == policies.can_view_resource(who, resource), resource
        if resource.is_protected:
            expected = role in PROTECTED_READERS and resource.folder.community == communities[0]
            assert policies.can_view_resource(who, resource) == (expected or role == "admin"), (
                resource
            )


def test_notifications_about_a_protected_item_go_to_members_only():
    community, lead = community_with_lead()
    member = person_as("member", community)
    manager = person_as("portfolio_manager", community)
    outsider = person_as("non_member", community)
    resource = document(folder(community, lead), lead, sensitivity=Sensitivity.PROTECTED_B)

    readers = set(selectors.resource_readers(resource))

    assert {lead, member} <= readers
    assert manager not in readers
    assert outsider not in readers


# --- The rule in the database, the service and the form -------------------------------------


@pytest.mark.parametrize("marking", MARKINGS)
@pytest.mark.parametrize("visibility", ["public", "members"])
def test_the_database_refuses_a_protected_item_beyond_the_community(library, marking, visibility):
    resource = library[3][marking]

    with pytest.raises(IntegrityError), transaction.atomic():
        Resource.objects.filter(pk=resource.pk).update(visibility=visibility)


@pytest.mark.parametrize("visibility", ["public", "members"])
def test_the_service_refuses_to_widen_a_protected_item(library, visibility):
    _community, lead, _box, items = library

    with pytest.raises(ValidationError) as error:
        services.resource_update(
            resource=items[Sensitivity.PROTECTED_B], by=lead, visibility=visibility
        )

    assert "visibility" in error.value.message_dict


@pytest.mark.parametrize(
    ("lang", "message", "choice"),
    [
        (
            "en",
            "Protected A and Protected B information is for the members of the community only",
            "Members of the community",
        ),
        (
            "fr",
            "Les renseignements Protégé A et Protégé B sont réservés aux membres de la communauté",
            "Membres de la communauté",
        ),
    ],
)
def test_sharing_protected_b_with_all_signed_in_members_is_refused_beside_the_field(
    client, library, lang, message, choice
):
    # Given a lead who tries to share a Protected B document with all signed-in members (F4)
    _community, lead, box, items = library
    client.force_login(lead)
    resource = items[Sensitivity.PROTECTED_B]

    # When they send the edit form, and the upload form
    edit = client.post(
        url("knowledge:resource_edit", resource.pk, lang=lang),
        {
            "title_en": resource.title_en,
            "title_fr": resource.title_fr,
            "sensitivity": "protected_b",
            "visibility": "members",
        },
    )
    upload = client.post(
        url("knowledge:resource_create", box.pk, lang=lang),
        {
            "kind": "document",
            "title_en": "Injects",
            "title_fr": "Injections",
            "sensitivity": "protected_a",
            "visibility": "members",
            "file": pdf(),
        },
    )

    # Then each page explains it in the page's language, beside the visibility choice and in
    # the error summary, and nothing changed
    for response in (edit, upload):
        page = text(response)
        assert response.status_code == 200
        assert page.count(message) >= 2, page
        assert choice in page
        beside = re.search(r'id="id_visibility_errors">(.*?)</ul>', page)
        assert beside and message in beside.group(1)
    assert Resource.objects.get(pk=resource.pk).visibility == "community"
    assert Resource.objects.filter(folder=box).count() == 2


def _resource_constraint():
    name = "knowledge_protected_resource_community_only"
    return next(c for c in Resource._meta.constraints if c.name == name)


def _alter(change):
    # Django's foreign keys are deferred on PostgreSQL: fire the pending checks first, or
    # ALTER TABLE refuses to run in the test's transaction (all of it is rolled back after).
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    with connection.schema_editor() as editor:
        change(editor)


def test_the_data_migration_narrows_rows_that_break_the_rule(library):
    # Given rows the old code let through: Protected items public or for all signed-in
    # members (the constraint lifted as it was before), and an Unclassified one for members
    _community, lead, box, items = library
    open_guide = document(box, lead, title_en="Open guide", visibility="members")
    _alter(lambda editor: editor.remove_constraint(Resource, _resource_constraint()))
    Resource.objects.filter(pk=items[Sensitivity.PROTECTED_A].pk).update(visibility="public")
    Resource.objects.filter(pk=items[Sensitivity.PROTECTED_B].pk).update(visibility="members")
    migration = importlib.import_module("knowledge.migrations.0004_protected_need_to_know")

    # When the data migration runs
    migration.narrow_protected_resources(django_apps, None)

    # Then the protected rows are for the community's members, the others are untouched, and
    # the constraint can be added back over them
    visibility = dict(Resource.objects.values_list("pk", "visibility"))
    assert visibility[items[Sensitivity.PROTECTED_A].pk] == "community"
    assert visibility[items[Sensitivity.PROTECTED_B].pk] == "community"
    assert visibility[open_guide.pk] == "members"
    _alter(lambda editor: editor.add_constraint(Resource, _resource_constraint()))


# --- The record of downloads -----------------------------------------------------------------


def test_every_download_of_a_protected_file_is_recorded_and_unclassified_ones_are_not(
    client, library
):
    # Given a member of the community
    community, lead, box, items = library
    member = person_as("member", community)
    open_guide = document(box, lead, title_en="Open guide")
    client.force_login(member)

    # When they download a Protected B file, an older version of a Protected A one and an
    # Unclassified document
    client.get(url("knowledge:download", items[Sensitivity.PROTECTED_B].pk))
    client.get(url("knowledge:download_version", items[Sensitivity.PROTECTED_A].pk, 1))
    client.get(url("knowledge:download", open_guide.pk))

    # Then the two protected downloads are recorded: who, which resource and which version
    records = list(ProtectedDownload.objects.order_by("pk"))
    assert [
        (r.user, r.user_email, r.community, r.resource, r.sensitivity, r.version_number)
        for r in records
    ] == [
        (member, member.email, community, items["protected_b"], "protected_b", 2),
        (member, member.email, community, items["protected_a"], "protected_a", 1),
    ]
    assert records[0].version == items["protected_b"].current_version
    assert records[1].file_name == "report.pdf"


def test_the_service_records_nothing_for_someone_who_may_not_download(library):
    community, _lead, _box, items = library
    resource = items[Sensitivity.PROTECTED_B]
    outsider = person_as("portfolio_manager", community)

    with pytest.raises(PermissionDenied):
        services.protected_download_record(
            resource=resource, version=resource.current_version, by=outsider
        )

    assert not ProtectedDownload.objects.exists()


@pytest.mark.parametrize(
    ("lang", "heading", "line"),
    [
        ("en", "Downloads of protected files", "Protected B, version 2 (v2.pdf)"),
        ("fr", "Téléchargements de fichiers protégés", "Protégé B, version 2 (v2.pdf)"),
    ],
)
def test_the_leads_read_who_downloaded_what_linked_from_the_library(
    client, library, django_assert_max_num_queries, lang, heading, line
):
    # Given downloads of protected files by several members
    community, lead, _box, items = library
    members = [person_as("member", community) for _ in range(3)]
    for member in members:
        client.force_login(member)
        client.get(url("knowledge:download", items[Sensitivity.PROTECTED_B].pk))
        client.get(url("knowledge:download", items[Sensitivity.PROTECTED_A].pk))
    client.force_login(lead)

    # When the lead opens the library, then the record
    library_page = text(client.get(url("knowledge:library", community.slug, lang=lang)))
    with django_assert_max_num_queries(12):
        response = client.get(url("knowledge:download_log", community.slug, lang=lang))

    # Then the library links to it, and it names each person, file, version and marking
    log_url = url("knowledge:download_log", community.slug, lang=lang)
    assert f'href="{log_url}"' in library_page
    page = text(response)
    assert heading in page
    assert page.count(line) == 3
    for member in members:
        assert page.count(member.email) == 2
    assert items[Sensitivity.PROTECTED_A].title in page


@pytest.mark.parametrize("role", ["member", "observer", "portfolio_manager"])
def test_members_who_do_not_lead_neither_see_the_record_nor_its_link(client, library, role):
    community, _lead, _box, _items = library
    client.force_login(person_as(role, community))

    library_page = text(client.get(url("knowledge:library", community.slug)))
    response = client.get(url("knowledge:download_log", community.slug))

    assert url("knowledge:download_log", community.slug) not in library_page
    assert response.status_code == 403


def test_the_record_is_read_only_in_the_administration(client, library):
    community, _lead, _box, items = library
    member = person_as("member", community)
    resource = items[Sensitivity.PROTECTED_B]
    record = services.protected_download_record(
        resource=resource, version=resource.current_version, by=member
    )
    client.force_login(person_as("admin", community))

    listing = client.get("/en/admin/knowledge/protecteddownload/")
    detail = client.get(f"/en/admin/knowledge/protecteddownload/{record.pk}/change/")
    add = client.get("/en/admin/knowledge/protecteddownload/add/")
    delete = client.post(
        f"/en/admin/knowledge/protecteddownload/{record.pk}/delete/", {"post": "yes"}
    )

    assert listing.status_code == 200
    assert member.email in text(listing)
    assert detail.status_code == 200
    assert 'name="_save"' not in text(detail)
    assert add.status_code == 403
    assert delete.status_code == 403
    assert ProtectedDownload.objects.filter(pk=record.pk).exists()

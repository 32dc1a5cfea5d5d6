import html
import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from communities.models import Community, Membership, Organization
from members.models import ExpertiseArea, User
from tests.communities.factories import CommunityFactory, OrganizationFactory, make_member
from tests.helpers import statements, url
from tests.members.factories import UserFactory

pytestmark = pytest.mark.django_db

_slugs = itertools.count()


def _area(name_en, name_fr):
    return ExpertiseArea.objects.create(
        name_en=name_en, name_fr=name_fr, slug=f"area-{next(_slugs)}"
    )


def _page(client, lang="en", **params):
    response = client.get(url("members:directory", lang=lang), params)
    assert response.status_code == 200
    return response, html.unescape(response.content.decode())


def _names(response):
    return [person.last_name for person, *_shown in response.context["cards"]]


@pytest.fixture
def viewer(client):
    user = UserFactory(first_name="Viewer", last_name="Zzviewer", listed_in_directory=False)
    client.force_login(user)
    return user


# --- Who gets in ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "kwargs"),
    [("members:directory", {}), ("members:profile", {"pk": 1}), ("members:edit", {})],
)
def test_anonymous_visitors_are_sent_to_sign_in(client, name, kwargs):
    path = url(name, **kwargs)

    response = client.get(path)

    assert response.status_code == 302
    assert response.url.startswith(url("account_login"))


def test_the_directory_lists_listed_active_members_only(client, viewer):
    UserFactory(last_name="Listed")
    UserFactory(last_name="Unlisted", listed_in_directory=False)
    UserFactory(last_name="Deactivated", is_active=False)

    response, page = _page(client)

    assert _names(response) == ["Listed"]
    assert "Unlisted" not in page and "Deactivated" not in page
    assert "1 member found." in page


@pytest.mark.parametrize(("people", "said"), [(3, "3 members found."), (4, "More than 3")])
def test_the_directory_counts_up_to_its_cap_then_says_more_than(
    client, viewer, monkeypatch, people, said
):
    # given a directory that counts at most 3 people, and 3 or 4 listed members
    monkeypatch.setattr("members.views.DIRECTORY_CAP", 3)
    monkeypatch.setattr("members.views.PAGE_SIZE", 2)
    for number in range(people):
        UserFactory(last_name=f"Person {number}")
    # when a member opens the directory, then its second page
    response, first = _page(client)
    second_response, _second = _page(client, page=2)
    # then it says how many (or that there are more), and pages through them in name order
    assert said in first
    assert _names(response) == ["Person 0", "Person 1"]
    assert _names(second_response) == ["Person 2"] + (["Person 3"] if people == 4 else [])


def test_an_empty_search_says_so(client, viewer):
    UserFactory(last_name="Listed")

    _response, page = _page(client, q="nobody-by-that-name")

    assert "0 members found." in page
    assert "No members match your search and filters." in page


# --- Search and filters --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Gagnon", ["Gagnon"]),
        ("marie gagnon", ["Gagnon"]),
        ("epidemiologist", ["Gagnon"]),
        ("Santé publique", ["Gagnon"]),  # the organization's French name, on an English page
        ("PHAC", ["Gagnon"]),
        ("pandémies", ["Gagnon"]),  # the expertise area's French name
        ("flood", ["Roy"]),
        ("Agency", ["Gagnon", "Roy"]),
        ("member0@example", []),  # email addresses are not searchable
    ],
)
def test_search_looks_at_name_title_organization_and_expertise(client, viewer, query, expected):
    phac = OrganizationFactory(
        name_en="Public Health Agency of Canada",
        name_fr="Agence de la santé publique du Canada",
        acronym_en="PHAC",
        acronym_fr="ASPC",
    )
    cbsa = OrganizationFactory(
        name_en="Border Services Agency", name_fr="Agence des services frontaliers"
    )
    gagnon = UserFactory(
        first_name="Marie", last_name="Gagnon", job_title="Epidemiologist", organization=phac
    )
    gagnon.expertise_areas.add(_area("Pandemics", "Pandémies"))
    roy = UserFactory(first_name="Luc", last_name="Roy", organization=cbsa)
    roy.expertise_areas.add(_area("Flood response", "Intervention en cas d’inondation"))

    response, _page_text = _page(client, q=query)

    assert _names(response) == expected


def test_filters_narrow_the_list(client, viewer):
    municipal = OrganizationFactory(sector=Organization.Sector.MUNICIPAL)
    federal = OrganizationFactory(sector=Organization.Sector.FEDERAL)
    cbrne = _area("CBRNE", "CBRNE")
    community = CommunityFactory()
    a = UserFactory(last_name="Aaa", organization=municipal, role_type=User.RoleType.RESPONDER)
    b = UserFactory(last_name="Bbb", organization=federal, role_type=User.RoleType.SCIENTIST)
    c = UserFactory(last_name="Ccc", organization=federal, role_type=User.RoleType.RESPONDER)
    b.expertise_areas.add(cbrne)
    make_member(community, c)
    del a

    def names(**params):
        return _names(_page(client, **params)[0])

    assert names() == ["Aaa", "Bbb", "Ccc"]
    assert names(organization=federal.pk) == ["Bbb", "Ccc"]
    assert names(sector="municipal") == ["Aaa"]
    assert names(role_type="responder") == ["Aaa", "Ccc"]
    assert names(expertise=cbrne.pk) == ["Bbb"]
    assert names(community=community.pk) == ["Ccc"]
    assert names(sector="federal", role_type="responder") == ["Ccc"]


def test_every_organization_and_expertise_area_is_offered_and_an_empty_one_says_so(client, viewer):
    # The filters list the portal's curated organizations and expertise areas, whether or not
    # someone listed belongs to them: choosing one nobody listed has says so in words.
    staffed = OrganizationFactory(name_en="Staffed agency")
    empty = OrganizationFactory(name_en="Agency nobody listed")
    hidden_only = OrganizationFactory(name_en="Agency of an unlisted member")
    UserFactory(last_name="Listed", organization=staffed)
    UserFactory(last_name="Unlisted", organization=hidden_only, listed_in_directory=False)
    area = _area("Seismology", "Sismologie")

    response, page = _page(client)

    offered = {label for _value, label in response.context["form"].fields["organization"].choices}
    assert {"Staffed agency", "Agency nobody listed", "Agency of an unlisted member"} <= offered
    assert "Seismology" in page
    response, page = _page(client, organization=empty.pk)
    assert _names(response) == []
    assert "No members match your search and filters." in page
    response, _page_text = _page(client, organization=hidden_only.pk)
    assert _names(response) == []  # the unlisted member stays out of the directory
    response, _page_text = _page(client, expertise=area.pk)
    assert _names(response) == []


def test_only_active_memberships_count_for_the_community_filter(client, viewer):
    community = CommunityFactory()
    make_member(community, UserFactory(last_name="Current"))
    Membership.objects.create(
        community=community, user=UserFactory(last_name="Applicant"), state="requested"
    )

    response, _page_text = _page(client, community=community.pk)

    assert _names(response) == ["Current"]


def test_a_members_only_community_cannot_be_used_as_a_filter_by_outsiders(client, viewer):
    hidden = CommunityFactory(visibility=Community.Visibility.MEMBERS, name_en="Secret CoP")
    make_member(hidden, UserFactory(last_name="Insider"))
    UserFactory(last_name="Outsider")

    response, page = _page(client, community=hidden.pk)

    assert "Secret CoP" not in page
    assert "community" in response.context["form"].errors
    # The invalid filter is reported and ignored: it reveals nothing about the community.
    assert _names(response) == ["Insider", "Outsider"]


def test_a_member_may_filter_by_their_members_only_community(client, viewer):
    hidden = CommunityFactory(visibility=Community.Visibility.MEMBERS, name_en="Secret CoP")
    make_member(hidden, viewer)
    make_member(hidden, UserFactory(last_name="Insider"))
    UserFactory(last_name="Outsider")

    response, page = _page(client, community=hidden.pk)

    assert "Secret CoP" in page
    assert _names(response) == ["Insider"]


def test_pagination_keeps_the_filters(client, viewer):
    for _ in range(30):
        UserFactory(role_type=User.RoleType.PLANNER)
    UserFactory(role_type=User.RoleType.OPERATOR)

    response, page = _page(client, role_type="planner")
    second, second_page = _page(client, role_type="planner", page=2)

    assert len(response.context["cards"]) == 25
    assert "30 members found." in page and "Page 1 of 2." in page
    assert 'href="?role_type=planner&page=2"' in page
    assert len(second.context["cards"]) == 5
    assert 'href="?role_type=planner&page=1"' in second_page


# --- Contact details on the cards ----------------------------------------------------------------


def test_cards_show_contact_details_only_as_each_person_chose(client, viewer):
    community = CommunityFactory()
    make_member(community, viewer)
    shared = UserFactory(
        email="shared@example.gc.ca", phone="613-555-0101", contact_visibility="communities"
    )
    make_member(community, shared)
    UserFactory(email="stranger@example.gc.ca", contact_visibility="communities")
    UserFactory(email="open@example.gc.ca", phone="613-555-0102", contact_visibility="members")
    UserFactory(email="secret@example.gc.ca", phone="613-555-0103", contact_visibility="private")

    _response, page = _page(client)

    assert "shared@example.gc.ca" in page and "613-555-0101" in page
    assert "open@example.gc.ca" in page and "613-555-0102" in page
    assert "stranger@example.gc.ca" not in page
    assert "secret@example.gc.ca" not in page and "613-555-0103" not in page


def test_the_directory_takes_the_same_queries_for_many_people(
    client, viewer, django_assert_max_num_queries
):
    community = CommunityFactory()
    make_member(community, viewer)
    areas = [_area(f"Area {n}", f"Domaine {n}") for n in range(3)]

    def add_people(count):
        for n in range(count):
            person = UserFactory(
                organization=OrganizationFactory(),
                job_title=f"Analyst {n}",
                contact_visibility=("private", "communities", "members")[n % 3],
            )
            person.expertise_areas.add(*areas[: n % 3 + 1])
            make_member(CommunityFactory() if n % 2 else community, person)

    add_people(3)
    client.get(url("members:directory"))  # the first request of a session does more
    with CaptureQueriesContext(connection) as few:
        client.get(url("members:directory"))
    add_people(27)

    with django_assert_max_num_queries(15):
        response = client.get(url("members:directory"))

    assert len(response.context["cards"]) == 25
    with CaptureQueriesContext(connection) as many:
        client.get(url("members:directory"))
    # 27 more people: a query per person would add at least 27 (a cache warmed or not by an
    # earlier test in the same process may move the count by one)
    assert len(many) - len(few) <= 1, [sql[:120] for sql in statements(many)]


def test_a_card_names_the_persons_expertise_in_the_readers_language_by_name(client, viewer):
    person = UserFactory(last_name="Tremblay")
    person.expertise_areas.add(
        _area("Water <treatment>", "Traitement de l’eau"),
        _area("Avalanches", "Zones d’avalanche"),
        _area("Epidemiology", "Épidémiologie"),
    )
    UserFactory(last_name="Roy")  # no expertise: no "Expertise" entry

    _response, english = _page(client)
    _response, french = _page(client, "fr")

    assert "Avalanches, Epidemiology, Water <treatment>" in english
    assert "Water &lt;treatment&gt;" in client.get(url("members:directory")).content.decode()
    assert "Épidémiologie, Traitement de l’eau, Zones d’avalanche" in french
    assert english.count("<dt>Expertise</dt>") == 1
    # Renamed: the kept cards show the new name at once.
    ExpertiseArea.objects.filter(name_en="Avalanches").update(name_en="Snow avalanches")
    _response, renamed = _page(client)
    assert "Epidemiology, Snow avalanches, Water <treatment>" in renamed


def test_the_directory_in_french(client, viewer):
    organization = OrganizationFactory(name_en="Transport Canada", name_fr="Transports Canada")
    UserFactory(last_name="Tremblay", organization=organization)

    _response, page = _page(client, "fr")

    assert '<html lang="fr">' in page
    assert "Transports Canada" in page
    assert "Répertoire des membres" in page  # needs the merged French catalogue
    assert "1 membre trouvé." in page  # needs the merged French catalogue


# --- Profiles ------------------------------------------------------------------------------------


def test_a_profile_shows_the_person_and_their_visible_communities(client, viewer):
    organization = OrganizationFactory(name_en="Defence Research", name_fr="Recherche défense")
    person = UserFactory(
        first_name="Marie",
        last_name="Gagnon",
        job_title="Scientist",
        organization=organization,
        role_type=User.RoleType.SCIENTIST,
        bio_en="I study floods.",
        contact_visibility="private",
        email="marie@example.gc.ca",
    )
    person.expertise_areas.add(_area("Flood response", "Intervention en cas d’inondation"))
    make_member(CommunityFactory(name_en="Flood CoP"), person, role=Membership.Role.LEAD)
    make_member(
        CommunityFactory(name_en="Secret CoP", visibility=Community.Visibility.MEMBERS), person
    )

    response = client.get(url("members:profile", pk=person.pk))
    page = html.unescape(response.content.decode())

    assert response.status_code == 200
    for text in ("Marie Gagnon", "Scientist", "Defence Research", "Science and technology expert"):
        assert text in page
    assert "Flood response" in page and "I study floods." in page
    assert "Flood CoP" in page and "(Lead)" in page
    assert "Secret CoP" not in page
    assert "marie@example.gc.ca" not in page
    assert "does not share their email address and telephone with you" in page


def test_a_profile_lists_members_only_communities_to_their_members_and_administrators(
    client, viewer
):
    # given a person in a public community and in two members-only ones, the viewer belonging
    # to one of the members-only ones
    person = UserFactory(first_name="Marie", last_name="Gagnon")
    make_member(CommunityFactory(name_en="Flood CoP"), person)
    shared = CommunityFactory(name_en="Shared secret CoP", visibility=Community.Visibility.MEMBERS)
    other = CommunityFactory(name_en="Other secret CoP", visibility=Community.Visibility.MEMBERS)
    make_member(shared, person)
    make_member(other, person)
    make_member(shared, viewer)
    admin = UserFactory(is_superuser=True)

    # when the viewer, then an administrator, opens the person's profile
    seen_by_member = html.unescape(
        client.get(url("members:profile", pk=person.pk)).content.decode()
    )
    client.force_login(admin)
    seen_by_admin = html.unescape(client.get(url("members:profile", pk=person.pk)).content.decode())

    # then the member sees the public community and the one they share, not the other; the
    # administrator sees all three
    assert "Flood CoP" in seen_by_member and "Shared secret CoP" in seen_by_member
    assert "Other secret CoP" not in seen_by_member
    assert all(
        name in seen_by_admin for name in ("Flood CoP", "Shared secret CoP", "Other secret CoP")
    )


def test_a_profile_shows_contact_details_to_members_of_a_shared_community(client, viewer):
    community = CommunityFactory()
    make_member(community, viewer)
    person = UserFactory(
        email="marie@example.gc.ca", phone="613-555-0199", contact_visibility="communities"
    )
    make_member(community, person)

    page = client.get(url("members:profile", pk=person.pk)).content.decode()

    assert "marie@example.gc.ca" in page and "613-555-0199" in page


def test_the_biography_follows_the_page_language_and_falls_back(client, viewer):
    both = UserFactory(bio_en="English text.", bio_fr="Texte français.")
    english_only = UserFactory(bio_en="Only English.", bio_fr="")

    french = client.get(url("members:profile", pk=both.pk, lang="fr")).content.decode()
    english = client.get(url("members:profile", pk=both.pk)).content.decode()
    fallback = client.get(url("members:profile", pk=english_only.pk, lang="fr")).content.decode()

    assert "Texte français." in french and "English text." not in french
    assert "English text." in english
    assert '<div class="member-bio" lang="en"><p>Only English.</p></div>' in fallback


def test_an_unlisted_profile_does_not_exist_for_other_members(client, viewer):
    hidden = UserFactory(listed_in_directory=False)

    assert client.get(url("members:profile", pk=hidden.pk)).status_code == 404
    assert client.get(url("members:profile", pk=999999)).status_code == 404


def test_unlisted_profiles_remain_visible_to_their_owner_and_to_administrators(client, viewer):
    own = client.get(url("members:profile", pk=viewer.pk))
    staff = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(staff)
    seen_by_staff = client.get(url("members:profile", pk=viewer.pk))

    assert own.status_code == 200
    assert "Your profile is not listed in the member directory" in own.content.decode()
    assert seen_by_staff.status_code == 200


def test_my_profile_leads_to_my_own_page(client, viewer):
    response = client.get(url("members:me"))

    assert response.status_code == 302
    assert response.url == url("members:profile", pk=viewer.pk)


# --- Editing my profile --------------------------------------------------------------------------


def _profile_data(**overrides):
    data = {
        "first_name": "Marie",
        "last_name": "Gagnon",
        "job_title": "Senior analyst",
        "organization": "",
        "role_type": "planner",
        "bio_en": "I plan exercises.",
        "bio_fr": "Je planifie des exercices.",
        "phone": "+1 613-555-0123 ext. 45",
        "contact_visibility": "members",
        "listed_in_directory": "on",
        "preferred_language": "fr",
    }
    data.update(overrides)
    return data


def test_editing_my_profile_saves_it_and_shows_it(client, viewer):
    # A guest names their organization themselves (a vetted member's is set by the program:
    # tests/members/test_vetting.py).
    viewer.vetting = "guest"
    viewer.save()
    organization = OrganizationFactory(name_en="Transport Canada", name_fr="Transports Canada")
    area = _area("Rail safety", "Sécurité ferroviaire")
    edit_page = client.get(url("members:edit"))

    response = client.post(
        url("members:edit"),
        _profile_data(organization=organization.pk, expertise_areas=[area.pk]),
        follow=True,
    )

    assert edit_page.status_code == 200
    assert "The emails the portal sends you come in this language." in edit_page.content.decode()
    assert response.redirect_chain == [(url("members:profile", pk=viewer.pk), 302)]
    assert "Your profile is saved." in response.content.decode()
    viewer.refresh_from_db()
    assert (viewer.first_name, viewer.job_title, viewer.organization) == (
        "Marie",
        "Senior analyst",
        organization,
    )
    assert (viewer.bio_en, viewer.bio_fr) == ("I plan exercises.", "Je planifie des exercices.")
    assert viewer.phone == "+1 613-555-0123 ext. 45"
    assert viewer.listed_in_directory is True and viewer.preferred_language == "fr"
    assert list(viewer.expertise_areas.all()) == [area]


def test_unchecking_the_directory_box_takes_me_out_of_the_directory(client, viewer):
    viewer.listed_in_directory = True
    viewer.save()
    other = UserFactory()
    data = _profile_data()
    del data["listed_in_directory"]

    client.post(url("members:edit"), data)
    client.force_login(other)

    assert client.get(url("members:profile", pk=viewer.pk)).status_code == 404
    assert viewer.last_name not in client.get(url("members:directory")).content.decode()


def test_bad_input_is_reported_next_to_the_fields_and_nothing_is_lost(client, viewer):
    response = client.post(url("members:edit"), _profile_data(first_name="", phone="call me maybe"))
    page = html.unescape(response.content.decode())

    assert response.status_code == 200
    assert "The form could not be submitted because of 2 errors." in page
    assert '<a href="#id_first_name">Given name: This field is required.</a>' in page
    assert 'id="id_phone_errors"' in page and "Enter a telephone number" in page
    assert 'value="Senior analyst"' in page and "Je planifie des exercices." in page
    viewer.refresh_from_db()
    assert viewer.first_name == "Viewer" and viewer.job_title == ""


def test_bad_input_in_french_is_reported_in_french(client, viewer):
    response = client.post(url("members:edit", lang="fr"), _profile_data(last_name=""))
    page = html.unescape(response.content.decode())

    assert response.status_code == 200
    assert "Ce champ est obligatoire." in page  # Django's own French
    assert "Modifier mon profil" in page  # needs the merged French catalogue


def test_a_saved_profile_is_confirmed_in_french(client, viewer):
    response = client.post(url("members:edit", lang="fr"), _profile_data(), follow=True)

    assert response.redirect_chain == [(url("members:profile", pk=viewer.pk, lang="fr"), 302)]
    assert "Votre profil est enregistré." in response.content.decode()  # needs the catalogue


def test_someone_elses_profile_cannot_be_edited(client, viewer):
    other = UserFactory(first_name="Other", job_title="Untouched")

    # No address takes an id for editing; the profile page itself only reads.
    posted_to_profile = client.post(url("members:profile", pk=other.pk), _profile_data())
    edit_with_id = client.get(f"/en/members/{other.pk}/edit/")
    # Ids smuggled into the form are ignored: only the signed-in member changes.
    client.post(
        url("members:edit"),
        _profile_data(id=other.pk, pk=other.pk, email=other.email, first_name="Changed"),
    )

    assert posted_to_profile.status_code == 405
    assert edit_with_id.status_code == 404
    other.refresh_from_db()
    viewer.refresh_from_db()
    assert (other.first_name, other.job_title) == ("Other", "Untouched")
    assert viewer.first_name == "Changed" and viewer.email != other.email


# --- The cards kept as a fragment ---------------------------------------------------------


def test_the_cards_are_kept_and_served_again_from_the_fragment(client, viewer, monkeypatch):
    from django.core.cache import cache

    cache.clear()
    UserFactory(first_name="Kept", last_name="Card", job_title="Analyst")
    _page(client)
    # Rendered once: now the fragment answers, whatever happens to the link.
    monkeypatch.setattr(User, "get_full_name", lambda self: "Changed Name")

    _response, page = _page(client)

    assert "Kept Card" in page and "Changed Name" not in page


def test_a_change_shows_at_once_whatever_path_it_took(client, viewer):
    community = CommunityFactory()
    make_member(community, viewer)
    person = UserFactory(
        first_name="Dana",
        last_name="Cardholder",
        email="dana@example.gc.ca",
        organization=OrganizationFactory(name_en="Transport Canada"),
        contact_visibility="communities",
    )
    area = _area("Rail safety", "Sécurité ferroviaire")
    _page(client)

    def cards(lang="en"):
        # The filter lists name organizations and areas too: look at the cards only.
        page = _page(client, lang=lang)[1]
        return page[page.index('<ul class="card-list member-cards"') :].split("</ul>")[0]

    # Each written without save() (no updated_at stamp moves), and looked at on its own.
    User.objects.filter(pk=person.pk).update(job_title="Chief engineer")
    assert "Chief engineer" in cards()
    Organization.objects.filter(pk=person.organization_id).update(name_en="Transport Canada HQ")
    assert "Transport Canada HQ" in cards()
    person.expertise_areas.add(area)
    assert "Rail safety" in cards()
    assert "dana@example.gc.ca" not in cards()

    # The viewer may now see the contact (they share a community): the cards say so.
    make_member(community, person)
    assert "dana@example.gc.ca" in cards()

    assert "Sécurité ferroviaire" in cards(lang="fr")

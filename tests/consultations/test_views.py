"""Consultation pages in English and French, what each person sees, and bounded queries."""

import datetime

import pytest
from django.utils import timezone

from communities.models import Community, Membership
from consultations import services
from consultations.models import Consultation, Response
from tests.communities.factories import CommunityFactory, make_member
from tests.consultations.factories import consultation
from tests.helpers import url
from tests.members.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def cop():
    community = CommunityFactory(
        name_en="Resilience", name_fr="Résilience", visibility=Community.Visibility.MEMBERS
    )
    lead = UserFactory(verified=True, first_name="Lea", last_name="Lead")
    make_member(community, lead, Membership.Role.LEAD)
    member = UserFactory(verified=True, first_name="Marie", last_name="Membre")
    make_member(community, member)
    return community, lead, member


def test_a_lead_opens_a_consultation_from_the_form(client, cop):
    community, lead, _member = cop
    client.force_login(lead)
    now = timezone.localtime()
    data = {
        "communities": [community.pk],
        "title_en": "Draft strategy",
        "title_fr": "Ébauche de stratégie",
        "context_en": "Context",
        "context_fr": "Contexte",
        "item_kind": "questions",
        "audience": "community",
        "questions_en": "First?\nSecond?",
        "questions_fr": "Première?\nDeuxième?",
        "opens_at": (now - datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "closes_at": (now + datetime.timedelta(days=7)).strftime("%Y-%m-%dT%H:%M"),
    }

    response = client.post(url("consultations:create"), data)

    item = Consultation.objects.get()
    assert response.status_code == 302 and response["Location"] == item.get_absolute_url()
    assert [q.text_fr for q in item.questions.all()] == ["Première?", "Deuxième?"]


def test_mismatched_question_lists_get_a_message_beside_the_field_in_french(client, cop):
    community, lead, _member = cop
    client.force_login(lead)

    response = client.post(
        url("consultations:create", lang="fr"),
        {
            "communities": [community.pk],
            "questions_en": "One?\nTwo?",
            "questions_fr": "Une?",
            "opens_at": "9999-01-01T00:00",
        },
    )

    page = response.content.decode()
    assert response.status_code == 400
    assert "autant de questions ou de sections en français (1) qu’en anglais (2)" in page
    assert Consultation.objects.count() == 0


def test_a_member_answers_in_french_and_sees_the_draft_saved(client, cop):
    community, lead, member = cop
    item = consultation(community, by=lead)
    first = item.questions.first()
    client.force_login(member)

    page = client.get(url("consultations:detail", item.pk, lang="fr")).content.decode()
    assert "Ébauche de stratégie" in page
    assert "Soumettre mes réponses" in page
    assert f'href="{url("consultations:list", lang="fr")}" current' in page  # the menu

    response = client.post(
        url("consultations:answer", item.pk, lang="fr"),
        {f"answer-{first.pk}": "Mon brouillon", "action": "save"},
        follow=True,
    )
    page = response.content.decode()
    assert "Votre brouillon est enregistré" in page
    assert "Mon brouillon" in page
    assert Response.objects.get(respondent=member).language == "fr"


def test_an_empty_submission_shows_the_error_in_the_page(client, cop):
    community, lead, member = cop
    item = consultation(community, by=lead)
    client.force_login(member)

    response = client.post(url("consultations:answer", item.pk), {"action": "submit"})

    assert response.status_code == 400
    assert "Answer at least one question before you submit." in response.content.decode()


def test_outsiders_get_a_404_and_core_group_consultations_hide_from_plain_members(client, cop):
    community, lead, member = cop
    item = consultation(community, by=lead, audience=Consultation.Audience.CORE)
    client.force_login(member)
    assert client.get(url("consultations:detail", item.pk)).status_code == 404

    Membership.objects.filter(user=member).update(is_core=True)
    assert client.get(url("consultations:detail", item.pk)).status_code == 200
    client.force_login(UserFactory(verified=True))
    assert client.get(url("consultations:detail", item.pk)).status_code == 404
    assert client.get(url("consultations:detail", "99999999999999999999")).status_code == 404


def test_the_owner_reads_responses_exports_them_closes_and_publishes(client, cop):
    community, lead, member = cop
    item = consultation(community, by=lead)
    first = item.questions.first()
    services.response_save(
        consultation=item, by=member, answers={first.pk: "=cmd|'/c calc'!A1"}, submit=True
    )
    client.force_login(lead)

    page = client.get(url("consultations:responses", item.pk)).content.decode()
    assert "Marie Membre" in page
    csv = client.get(url("consultations:export", item.pk)).content.decode("utf-8-sig")
    assert "What do you think?" in csv.splitlines()[0]
    assert "'=cmd" in csv  # a formula never runs in a spreadsheet

    client.post(url("consultations:close", item.pk))
    item.refresh_from_db()
    assert item.status == Consultation.Status.CLOSED
    response = client.post(
        url("consultations:summary", item.pk),
        {"summary_en": "We heard much.", "summary_fr": "Nous avons beaucoup entendu."},
    )
    assert response.status_code == 302
    page = client.get(url("communities:detail", community.slug, lang="fr")).content.decode()
    assert "Consultations\xa0: ce que nous avons entendu" in page
    assert "Ébauche de stratégie" in page


def test_a_plain_member_cannot_read_the_responses(client, cop):
    community, lead, member = cop
    item = consultation(community, by=lead)
    client.force_login(member)

    assert client.get(url("consultations:responses", item.pk)).status_code == 403
    assert client.get(url("consultations:export", item.pk)).status_code == 403


def test_list_pages_run_a_bounded_number_of_queries(client, cop, django_assert_max_num_queries):
    community, lead, member = cop
    items = [consultation(community, by=lead) for _ in range(8)]
    items += [consultation(community, by=lead, state="published") for _ in range(4)]
    people = [UserFactory(verified=True) for _ in range(6)]
    for person in people:
        make_member(community, person)
        services.response_save(
            consultation=items[0],
            by=person,
            answers={q.pk: "Yes" for q in items[0].questions.all()},
            submit=True,
        )
    for person in (member, lead):
        client.force_login(person)
        with django_assert_max_num_queries(14):
            assert client.get(url("consultations:list")).status_code == 200
    with django_assert_max_num_queries(12):
        page = client.get(url("consultations:responses", items[0].pk)).content.decode()
    assert page.count("<dt>What do you think?</dt>") == 6
    with django_assert_max_num_queries(10):
        client.get(url("consultations:export", items[0].pk))


def test_the_roster_shows_and_filters_the_core_group_and_warns_past_twelve(client, cop):
    community, lead, member = cop
    others = [UserFactory(verified=True) for _ in range(12)]
    for person in others:
        make_member(community, person)
    client.force_login(lead)
    roster = url("communities:roster", community.slug)
    memberships = Membership.objects.filter(community=community, user__in=others)
    for membership in memberships:
        client.post(url("communities:roster_core", community.slug, membership.pk), {"core": "1"})
    page = client.get(roster).content.decode()
    assert "The core group has 12 members." in page
    assert "more than the" not in page

    mine = Membership.objects.get(community=community, user=member)
    response = client.post(
        url("communities:roster_core", community.slug, mine.pk), {"core": "1"}, follow=True
    )
    page = response.content.decode()
    assert "The core group now has 13 members, more than the 12 suggested" in page
    assert Membership.objects.filter(community=community, is_core=True).count() == 13

    core_page = client.get(roster + "?group=core").content.decode()
    assert core_page.count('<span class="badge">Core group</span>') == 13
    assert "Lea Lead" not in core_page.split('id="members"')[1].split('id="invite"')[0]
    french = client.get(url("communities:roster", community.slug, lang="fr")).content.decode()
    assert "Groupe restreint" in french


def test_a_lead_edits_a_consultation_but_not_its_questions_once_answered(client, cop):
    community, lead, member = cop
    item = consultation(community, by=lead)
    client.force_login(lead)
    edit = url("consultations:edit", item.pk)
    page = client.get(edit).content.decode()
    data = {
        "communities": [community.pk],
        "title_en": "Draft strategy, second version",
        "title_fr": "Ébauche de stratégie, deuxième version",
        "context_en": "Context",
        "context_fr": "Contexte",
        "item_kind": "questions",
        "audience": "community",
        "questions_en": "What do you think?\nAnything else?",
        "questions_fr": "Qu’en pensez-vous?\nAutre chose?",
        "opens_at": timezone.localtime(item.opens_at).strftime("%Y-%m-%dT%H:%M"),
        "closes_at": timezone.localtime(item.closes_at).strftime("%Y-%m-%dT%H:%M"),
    }
    assert "What do you think?" in page

    assert client.post(edit, data).status_code == 302
    item.refresh_from_db()
    assert item.title_fr == "Ébauche de stratégie, deuxième version"

    services.response_save(
        consultation=item,
        by=member,
        answers={item.questions.first().pk: "Yes"},
        submit=True,
    )
    response = client.post(edit, {**data, "questions_en": "New?", "questions_fr": "Nouvelle?"})
    assert response.status_code == 400
    assert "Members have answered: the questions can no longer change." in (
        response.content.decode()
    )
    assert item.questions.count() == 2


def test_answers_sent_after_the_closing_are_refused_with_a_message(client, cop):
    community, lead, member = cop
    item = consultation(community, by=lead, state="closed")
    client.force_login(member)

    response = client.post(
        url("consultations:answer", item.pk, lang="fr"),
        {f"answer-{item.questions.first().pk}": "Trop tard", "action": "submit"},
        follow=True,
    )

    assert "Cette consultation n’est pas ouverte" in response.content.decode()
    assert not Response.objects.exists()

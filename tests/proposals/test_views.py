import datetime
import re

import pytest
import time_machine
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.template.loader import render_to_string
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from communities.models import Community, Membership
from proposals import selectors
from proposals.models import CapabilityGap, Project, ProjectOrganization, Proposal
from proposals.selectors import DASHBOARD_LIST_LIMIT
from tests.communities.factories import (
    CommunityFactory,
    OrganizationFactory,
    make_member,
    person_as,
)
from tests.helpers import page, url
from tests.helpers import statements as read_statements
from tests.members.factories import UserFactory
from tests.proposals.factories import (
    CallFactory,
    GapFactory,
    ProjectFactory,
    ProposalFactory,
    admin,
    government_member,
    portfolio_manager,
)

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n"


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


# --- Gap register -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "texts"),
    [
        (
            "en",
            {
                "new": "Describe a new gap or priority",
                "en_label": "Title in English",
                "fr_label": "Title in French",
                "added": "The gap was added to the register.",
                "voted": "Your vote was counted.",
                "posted": "Your comment was posted.",
            },
        ),
        (
            "fr",
            {
                "new": "Décrire une nouvelle lacune ou priorité",
                "en_label": "Titre en anglais",
                "fr_label": "Titre en français",
                "added": "La lacune a été ajoutée au registre.",
                "voted": "Votre vote a été compté.",
                "posted": "Votre commentaire a été publié.",
            },
        ),
    ],
)
def test_lead_records_a_gap_in_both_languages_members_vote_and_discuss(lang, texts):
    community = CommunityFactory(visibility=Community.Visibility.MEMBERS)
    lead = make_member(community, UserFactory(verified=True), Membership.Role.LEAD).user
    member = make_member(community, UserFactory(verified=True)).user
    lead_client = signed_in(lead)

    register = page(lead_client.get(url("proposals:gap_list", community.slug, lang=lang)))
    assert texts["new"] in register
    form = page(lead_client.get(url("proposals:gap_create", community.slug, lang=lang)))
    # the two languages sit side by side, each tagged with its language
    pair = form.split('<div class="bilingual-pair">')[1]
    assert texts["en_label"] in pair and texts["fr_label"] in pair
    assert 'lang="fr"' in pair

    response = lead_client.post(
        url("proposals:gap_create", community.slug, lang=lang),
        {
            "kind": "capability_gap",
            "title_en": "Detection of fentanyl analogues",
            "title_fr": "Détection des analogues du fentanyl",
            "description_en": "Field tests miss new analogues.",
            "description_fr": "Les tests sur le terrain ratent les nouveaux analogues.",
            "status": "prioritized",
            "rank": "1",
        },
        follow=True,
    )
    assert texts["added"] in page(response)
    gap = CapabilityGap.objects.get(community=community)
    assert (gap.status, gap.rank, gap.title_fr) == (
        "prioritized",
        1,
        "Détection des analogues du fentanyl",
    )
    shown_title = {"en": gap.title_en, "fr": gap.title_fr}[lang]
    assert shown_title in page(response)

    member_client = signed_in(member)
    response = member_client.post(
        url("proposals:gap_vote", community.slug, gap.slug, lang=lang), follow=True
    )
    assert texts["voted"] in page(response)
    response = member_client.post(
        url("proposals:gap_comment", community.slug, gap.slug, lang=lang),
        {"text": "Our lab sees this weekly."},
        follow=True,
    )
    assert texts["posted"] in page(response)
    assert "Our lab sees this weekly." in page(response)
    assert gap.votes.count() == 1


def test_members_only_gaps_do_not_exist_for_outsiders():
    community = CommunityFactory(visibility=Community.Visibility.MEMBERS)
    gap = GapFactory(community=community)
    outsider = signed_in(UserFactory(verified=True))
    for name, args in [
        ("proposals:gap_list", [community.slug]),
        ("proposals:gap_detail", [community.slug, gap.slug]),
        ("proposals:gap_edit", [community.slug, gap.slug]),
    ]:
        assert outsider.get(url(name, *args)).status_code == 404
        assert Client().get(url(name, *args)).status_code in (302, 404)
    assert Client().get(url("proposals:gap_list", community.slug)).status_code == 404
    assert outsider.post(url("proposals:gap_vote", community.slug, gap.slug)).status_code == 404


def test_a_member_may_not_edit_and_a_lead_elsewhere_has_no_power():
    gap = GapFactory(community=CommunityFactory())
    member = make_member(gap.community, UserFactory()).user
    other_lead = make_member(CommunityFactory(), UserFactory(), Membership.Role.LEAD).user
    edit = url("proposals:gap_edit", gap.community.slug, gap.slug)
    assert signed_in(member).get(edit).status_code == 403
    response = signed_in(other_lead).post(
        edit, {"title_en": "Hijacked", "title_fr": "Piraté", "kind": "risk", "status": "closed"}
    )
    assert response.status_code == 403
    gap.refresh_from_db()
    assert gap.title_en != "Hijacked"
    # and an observer cannot vote or add
    observer = make_member(gap.community, UserFactory(), Membership.Role.OBSERVER).user
    client = signed_in(observer)
    assert client.post(url("proposals:gap_vote", gap.community.slug, gap.slug)).status_code == 403
    assert client.get(url("proposals:gap_create", gap.community.slug)).status_code == 403


def test_the_gap_form_shows_missing_french_next_to_the_field():
    community = CommunityFactory()
    lead = make_member(community, UserFactory(), Membership.Role.LEAD).user
    response = signed_in(lead).post(
        url("proposals:gap_create", community.slug),
        {"kind": "risk", "title_en": "Only English"},
    )
    assert response.status_code == 400
    html = page(response)
    assert "error-summary" in html
    assert 'id="id_title_fr_errors"' in html


def test_gap_register_ordered_by_votes_in_a_fixed_number_of_queries(django_assert_max_num_queries):
    community = CommunityFactory()
    member = make_member(community, UserFactory()).user
    gaps = [GapFactory(community=community, rank=n) for n in range(1, 21)]
    voters = [make_member(community, UserFactory()).user for _ in range(2)]
    for voter in voters:
        gaps[-1].votes.create(voter=voter)
    client = signed_in(member)
    # the policies' permission look-ups are a fixed cost; the rows add none
    with django_assert_max_num_queries(16):
        response = client.get(url("proposals:gap_list", community.slug) + "?order=votes")
    html = page(response)
    # the titles end the links ("Gap 2" is also the start of "Gap 21")
    assert html.index(f"{gaps[-1].title_en}<") < html.index(f"{gaps[0].title_en}<")


# --- Calls --------------------------------------------------------------------------------------


def test_a_portfolio_manager_writes_and_publishes_a_call_members_cannot():
    pm = portfolio_manager()
    gap = GapFactory()
    client = signed_in(pm)
    response = client.post(
        url("proposals:call_create"),
        {
            "title_en": "2027 Call for Proposals",
            "title_fr": "Appel de propositions 2027",
            "description_en": "Sourcing solutions.",
            "description_fr": "Trouver des solutions.",
            "year": "2027",
            "opens_at": "2027-01-15T12:00",
            "closes_at": "2027-03-01T14:00",
            "communities": [gap.community.pk],
            "priorities": [gap.pk],
        },
        follow=True,
    )
    assert "The call was saved." in page(response)
    assert "Not published" in page(response)
    call = gap.calls.get()
    assert Client().get(call.get_absolute_url()).status_code == 404
    client.post(url("proposals:call_publish", call.slug))
    response = Client().get(url("proposals:call_detail", call.slug, lang="fr"))
    assert "Appel de propositions 2027" in page(response)
    assert gap.title_fr in page(response)
    gap.refresh_from_db()
    assert gap.status == CapabilityGap.Status.ADDRESSED_BY_CALL

    member = signed_in(government_member())
    assert member.get(url("proposals:call_create")).status_code == 403
    assert member.post(url("proposals:call_publish", call.slug)).status_code == 403


# --- Proposals ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "texts"),
    [
        (
            "en",
            {
                "draft": "Draft a proposal",
                "saved": "Your draft was saved.",
                "attached": "The file was attached.",
                "submitted": "Your proposal was submitted.",
                "under_review": "The proposal is now “Under review”.",
            },
        ),
        (
            "fr",
            {
                "draft": "Rédiger une proposition",
                "saved": "Votre ébauche a été enregistrée.",
                "attached": "Le fichier a été joint.",
                "submitted": "Votre proposition a été soumise.",
                "under_review": "La proposition est maintenant « En cours d’examen ».".replace(
                    "« ", "«\u00a0"
                ).replace(" »", "\u00a0»"),
            },
        ),
    ],
)
def test_proposal_journey_draft_attach_submit_review(
    lang, texts, django_capture_on_commit_callbacks
):
    community = CommunityFactory()
    pm = portfolio_manager(preferred_language="fr")
    community.portfolio_managers.add(pm)
    gap = GapFactory(community=community)
    call = CallFactory()
    call.priorities.add(gap)
    member = government_member(preferred_language=lang)
    make_member(community, member)
    client = signed_in(member)

    assert texts["draft"] in page(client.get(url("proposals:call_detail", call.slug, lang=lang)))
    partner = OrganizationFactory(sector="academic")
    response = client.post(
        url("proposals:proposal_create", call.slug, lang=lang),
        {
            "title": "Rapid fentanyl field test",
            "summary": "A field kit.",
            "objectives": "Detect analogues in minutes.",
            "lead_department": member.organization.pk,
            "partners": [partner.pk],
            "communities": [community.pk],
            "gaps": [gap.pk],
            "requested_funding": "480000",
            "duration_months": "24",
        },
        follow=True,
    )
    assert texts["saved"] in page(response)
    proposal = Proposal.objects.get(proposer=member)
    assert proposal.status == "draft"
    assert list(proposal.partners.all()) == [partner]

    response = client.post(
        url("proposals:attachment_upload", proposal.pk, lang=lang),
        {"file": SimpleUploadedFile("plan.pdf", PDF, "application/pdf")},
        follow=True,
    )
    assert texts["attached"] in page(response)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url("proposals:proposal_submit", proposal.pk, lang=lang), follow=True
        )
    assert texts["submitted"] in page(response)
    proposal.refresh_from_db()
    assert (proposal.status, proposal.portfolio_manager) == ("submitted", pm)
    assert {m.to[0] for m in mail.outbox} == {pm.email, member.email}
    # a submitted proposal can no longer be edited or given files
    assert client.get(url("proposals:proposal_edit", proposal.pk, lang=lang)).status_code == 403
    assert (
        client.post(
            url("proposals:attachment_upload", proposal.pk, lang=lang),
            {"file": SimpleUploadedFile("more.pdf", PDF)},
        ).status_code
        == 403
    )

    pm_client = signed_in(pm)
    dashboard = page(pm_client.get(url("proposals:dashboard", lang=lang)))
    assert "Rapid fentanyl field test" in dashboard
    attachment = proposal.attachments.get()
    download = pm_client.get(url("proposals:attachment_download", attachment.pk, lang=lang))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert 'filename="plan.pdf"' in download["Content-Disposition"]

    response = pm_client.post(
        url("proposals:proposal_transition", proposal.pk, lang=lang),
        {"to_status": "under_review", "comment": "Reviewing with DRDC."},
        follow=True,
    )
    assert texts["under_review"] in page(response)
    history = page(client.get(url("proposals:detail", proposal.pk, lang=lang)))
    assert "Reviewing with DRDC." in history


def test_a_proposal_and_its_files_do_not_exist_for_others():
    proposal = ProposalFactory()
    from proposals import services

    attachment = services.attachment_add(
        proposal=proposal, by=proposal.proposer, upload=SimpleUploadedFile("a.pdf", PDF)
    )
    stranger = signed_in(government_member())
    assert stranger.get(url("proposals:detail", proposal.pk)).status_code == 404
    assert stranger.get(url("proposals:attachment_download", attachment.pk)).status_code == 404
    assert stranger.post(url("proposals:attachment_delete", attachment.pk)).status_code == 404
    anonymous = Client().get(url("proposals:attachment_download", attachment.pk))
    assert anonymous.status_code == 302
    assert "/accounts/login/" in anonymous["Location"]
    # a member cannot move someone else's proposal either
    assert (
        stranger.post(
            url("proposals:proposal_transition", proposal.pk), {"to_status": "withdrawn"}
        ).status_code
        == 404
    )


@pytest.mark.parametrize(
    ("lang", "message"),
    [
        ("en", "The call closed on 1 March 2027, 2 p.m.: proposals can no longer be submitted."),
        (
            "fr",
            "L’appel a pris fin le 1er mars 2027, 14\u00a0h\u00a0: il n’est plus possible "
            "de soumettre de proposition.",
        ),
    ],
)
def test_submitting_after_the_deadline_shows_a_clear_message(lang, message):
    closes = datetime.datetime(2027, 3, 1, 19, 0, tzinfo=datetime.UTC)
    call = CallFactory(opens_at=closes - datetime.timedelta(days=30), closes_at=closes)
    proposal = ProposalFactory(call=call)
    with time_machine.travel(closes + datetime.timedelta(seconds=1), tick=False):
        client = signed_in(proposal.proposer)
        detail = page(client.get(url("proposals:detail", proposal.pk, lang=lang)))
        response = client.post(
            url("proposals:proposal_submit", proposal.pk, lang=lang), follow=True
        )
    assert message.split(":")[0].split("\u00a0")[0] in detail
    assert message in page(response).replace("&#x27;", "'")
    proposal.refresh_from_db()
    assert proposal.status == "draft"


@pytest.mark.parametrize(
    ("name", "content", "error"),
    [
        ("tool.exe", b"MZ", "This type of file is not accepted."),
        ("plan.pdf", b"MZ\x90 not a pdf", "The file’s content does not match its type."),
    ],
)
def test_a_refused_file_is_explained_next_to_the_field(name, content, error):
    proposal = ProposalFactory()
    response = signed_in(proposal.proposer).post(
        url("proposals:attachment_upload", proposal.pk),
        {"file": SimpleUploadedFile(name, content)},
    )
    assert response.status_code == 400
    html = page(response).replace("&#x27;", "’").replace("'", "’")
    assert error in html
    assert 'id="id_file_errors"' in html
    assert not proposal.attachments.exists()


# --- Portfolio managers -------------------------------------------------------------------------


def test_dashboard_counts_what_waits_on_the_manager_in_a_fixed_number_of_queries(
    django_assert_max_num_queries,
):
    pm = portfolio_manager()
    community = CommunityFactory()
    community.portfolio_managers.add(pm)
    for _ in range(5):
        ProposalFactory(status="submitted", communities=[community])
    for _ in range(4):
        ProposalFactory(status="under_review", portfolio_manager=pm)
    ProposalFactory(status="under_review", portfolio_manager=portfolio_manager())  # not theirs
    ProposalFactory(communities=[community])  # a draft: private to its writer
    orphan = ProposalFactory(status="submitted", communities=[CommunityFactory()])
    # also sent to a community without a manager, but followed through the other one
    ProposalFactory(status="submitted", communities=[CommunityFactory(), community])
    soon = timezone.localdate() + datetime.timedelta(days=30)
    ending = ProjectFactory(status="active", portfolio_manager=pm, end_date=soon)
    client = signed_in(pm)

    client.get(url("proposals:dashboard"))  # the session's first save, the process's first
    # standing (its permission names and prepared statement) are not what is counted here
    # each list: one capped page, whatever the number of proposals (a COUNT only when the
    # page is full, below); besides them the person, their standing, the header's unread
    # count and the filter's two lists of choices
    with django_assert_max_num_queries(9):
        response = client.get(url("proposals:dashboard"))
    assert response.context["counts"] == {"new": 6, "waiting": 4, "ending": 1, "unassigned": 1}
    assert ending.title_en in page(response)
    # a proposal to a community without a portfolio manager is shown to every manager
    assert orphan.title_en in page(response)
    assert [p.pk for p in response.context["unassigned"]] == [orphan.pk]
    # each row names the call, the lead department and the manager (the columns it reads)
    row = next(iter(response.context["waiting"]))
    assert row.call.title_en in page(response)
    assert row.lead_department.name_en in page(response)
    assert pm.get_full_name() in page(response)

    for _ in range(DASHBOARD_LIST_LIMIT):
        ProposalFactory(status="submitted", communities=[community])
    # a full list counts its rows in the same statement (no COUNT query)
    with django_assert_max_num_queries(9):
        crowded = page(client.get(url("proposals:dashboard")))
    assert f"The {DASHBOARD_LIST_LIMIT} oldest of {DASHBOARD_LIST_LIMIT + 6} are shown." in crowded

    filtered = client.get(url("proposals:dashboard") + f"?community={community.pk}")
    assert filtered.context["counts"] == {
        "new": DASHBOARD_LIST_LIMIT + 6,
        "waiting": 0,
        "ending": 0,
        "unassigned": 0,
    }
    by_call = client.get(url("proposals:dashboard") + f"?call={orphan.call_id}")
    assert [p.pk for p in by_call.context["unassigned"]] == [orphan.pk]
    # an administrator's lists are not narrowed to a portfolio, and include what waits on
    # their decision
    recommended = ProposalFactory(status="recommended", communities=[CommunityFactory()])
    admin_page = signed_in(admin()).get(url("proposals:dashboard"))
    assert admin_page.context["counts"]["waiting"] == 6
    assert recommended.pk in [p.pk for p in admin_page.context["waiting"]]
    assert client.get(url("proposals:dashboard")).context["counts"]["waiting"] == 4
    assert signed_in(government_member()).get(url("proposals:dashboard")).status_code == 403


def _proposals_read(queries) -> list[str]:
    """The statements that read proposals by id (the rows of a list whose fragment was not
    kept)."""
    return [
        sql
        for sql in read_statements(queries)
        if sql.startswith('SELECT "proposals_proposal"."id"')
        and 'WHERE "proposals_proposal"."id" IN' in sql
    ]


def _rows_rendered(response) -> int:
    return sum(t.name == "proposals/_proposal_rows.html" for t in response.templates)


@pytest.mark.parametrize("view", ["proposals:dashboard", "proposals:staff_proposal_list"])
def test_the_dashboard_filters_offer_every_community_by_name_and_every_call_newest_first(view):
    # given communities whose French names sort otherwise than their English ones (one of
    # them members-only: a portfolio manager may narrow the lists to it) and two calls
    for english, french, visibility in (
        ("Coastal zones", "Zones côtières", Community.Visibility.PUBLIC),
        ("Ponds", "Étangs", Community.Visibility.MEMBERS),
    ):
        CommunityFactory(name_en=english, name_fr=french, visibility=visibility)
    older = CallFactory(title_en="Older call", title_fr="Appel ancien")
    newer = CallFactory(title_en="Newer call", title_fr="Appel récent")
    older.opens_at = newer.opens_at - datetime.timedelta(days=30)
    older.save()
    client = signed_in(portfolio_manager())

    def options(lang, name):
        html = page(client.get(url(view, lang=lang)))
        select = re.search(rf'<select name="{name}".*?</select>', html, re.S).group(0)
        return re.findall(r'<option value="\d+"[^>]*>([^<]+)</option>', select)

    # when the manager opens the page in each language, then the community filter lists
    # them all in that language's alphabetical order, and the call filter the newest first
    assert options("en", "community") == ["Coastal zones", "Ponds"]
    assert options("fr", "community") == ["Étangs", "Zones côtières"]
    assert options("en", "call") == ["Newer call", "Older call"]
    assert options("fr", "call") == ["Appel récent", "Appel ancien"]


def test_dashboard_lists_are_kept_and_what_their_rows_show_changes_at_once():
    pm = portfolio_manager()
    community = CommunityFactory()
    community.portfolio_managers.add(pm)
    submitted = ProposalFactory(status="submitted", communities=[community])
    waiting = ProposalFactory(status="under_review", portfolio_manager=pm)
    client = signed_in(pm)
    client.get(url("proposals:dashboard"))
    client.get(url("proposals:dashboard", lang="fr"))

    with CaptureQueriesContext(connection) as kept_queries:
        again = client.get(url("proposals:dashboard"))
    assert _rows_rendered(again) == 0
    assert submitted.title_en in page(again) and waiting.title_en in page(again)
    # kept lists: only their rows' shown values were read, no proposal
    assert not _proposals_read(kept_queries)

    # What a row shows of related rows: the call's title (the proposal itself is unchanged).
    call = submitted.call
    call.title_en, call.title_fr = "Spring call 2027", "Appel du printemps 2027"
    call.save()
    with CaptureQueriesContext(connection) as changed_queries:
        changed = client.get(url("proposals:dashboard"))
    # (In its row: the filter's list of calls names it too.)
    assert "<td>Spring call 2027</td>" in page(changed)
    # the changed list's proposals were read, in one query
    assert _rows_rendered(changed) == 1
    assert len(_proposals_read(changed_queries)) == 1
    french = page(client.get(url("proposals:dashboard", lang="fr")))
    assert "<td>Appel du printemps 2027</td>" in french

    # Assigned to another manager, the submission leaves this manager's lists.
    Proposal.objects.filter(pk=submitted.pk).update(portfolio_manager=portfolio_manager())
    assert submitted.title_en not in page(client.get(url("proposals:dashboard")))


def test_a_managers_kept_lists_are_not_shown_to_another_manager():
    first, second = portfolio_manager(), portfolio_manager()
    mine = ProposalFactory(status="under_review", portfolio_manager=first)
    theirs = ProposalFactory(status="under_review", portfolio_manager=second)
    signed_in(first).get(url("proposals:dashboard"))

    shown = page(signed_in(second).get(url("proposals:dashboard")))

    assert theirs.title_en in shown and mine.title_en not in shown


def test_csv_exports_for_program_staff_only(django_assert_max_num_queries):
    for _ in range(5):
        ProposalFactory(status="submitted")
    project = ProjectFactory()
    lead_org = OrganizationFactory(name_en="Health Canada", name_fr="Santé Canada")
    ProjectOrganization.objects.create(project=project, organization=lead_org, role="lead")
    pm = signed_in(portfolio_manager())

    with django_assert_max_num_queries(10):
        response = pm.get(url("proposals:staff_proposal_list") + "?format=csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = response.content.decode("utf-8-sig").splitlines()
    assert rows[0].startswith("Title,Call for proposals,Status")
    assert len(rows) == 6
    response = pm.get(url("proposals:project_list", lang="fr") + "?format=csv")
    text = response.content.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("Titre,Année,Statut")
    assert "Santé Canada" in text

    member = signed_in(government_member())
    assert member.get(url("proposals:staff_proposal_list") + "?format=csv").status_code == 403
    assert member.get(url("proposals:project_list") + "?format=csv").status_code == 403


# --- Funded projects ----------------------------------------------------------------------------


def test_project_register_is_public_filterable_and_fast(django_assert_max_num_queries):
    community = CommunityFactory()
    for year in (2020, 2021, 2022):
        for _ in range(4):
            project = ProjectFactory(year=year)
            project.communities.add(community)
            ProjectOrganization.objects.create(
                project=project, organization=OrganizationFactory(), role="lead"
            )
    with django_assert_max_num_queries(10):
        response = Client().get(url("proposals:project_list"))
    assert "12 projects found." in page(response)
    response = Client().get(url("proposals:project_list", lang="fr") + "?year=2021")
    assert "4 projets trouvés." in page(response)


def test_the_register_names_members_only_communities_only_to_those_who_see_them():
    public = CommunityFactory(name_en="Open Harbour Network", name_fr="Réseau du port ouvert")
    private = CommunityFactory(
        name_en="Closed Vault Circle",
        name_fr="Cercle de la voûte",
        visibility=Community.Visibility.MEMBERS,
    )
    lead = OrganizationFactory(name_en="Tidal Research Office", name_fr="Bureau des marées")
    project = ProjectFactory()
    project.communities.set([public, private])
    ProjectOrganization.objects.create(project=project, organization=lead, role="lead")

    outsider = page(Client().get(url("proposals:project_list")))
    assert "Open Harbour Network" in outsider
    assert "Tidal Research Office" in outsider
    assert "Closed Vault Circle" not in outsider
    assert "Cercle de la voûte" not in page(Client().get(url("proposals:project_list", lang="fr")))

    reader = UserFactory()
    make_member(private, reader)
    member = signed_in(reader)
    french = page(member.get(url("proposals:project_list", lang="fr")))
    assert "Cercle de la voûte" in french
    assert "Réseau du port ouvert" in french
    assert "Bureau des marées" in french


@pytest.mark.parametrize("filtered", [False, True], ids=["every project", "a year"])
@pytest.mark.parametrize(
    ("role", "sees_members_only"),
    [
        ("anonymous", False),
        ("guest", False),
        ("non_member", False),
        ("observer", True),
        ("member", True),
        ("portfolio_manager", True),
        ("admin", True),
    ],
)
def test_the_register_and_its_community_filter_agree_with_who_may_see_a_community(
    role, sees_members_only, filtered
):
    # given a project of a public and a members-only community, with a lead department and a
    # partner, and an older project of no community
    public = CommunityFactory(name_en="Open Harbour Network")
    members_only = CommunityFactory(
        name_en="Closed Vault Circle", visibility=Community.Visibility.MEMBERS
    )
    project = ProjectFactory(title_en="Tidal sensors", year=2024)
    project.communities.set([public, members_only])
    for role_of_organization, name in (
        ("lead", "Tidal Research Office"),
        ("partner", "Dock Works"),
    ):
        ProjectOrganization.objects.create(
            project=project,
            organization=OrganizationFactory(name_en=name),
            role=role_of_organization,
        )
    ProjectFactory(title_en="Older work", year=2019)
    person = person_as(role, members_only)
    client = signed_in(person) if person else Client()
    # when the person opens the register, whole or narrowed to 2024
    html = page(client.get(url("proposals:project_list"), {"year": 2024} if filtered else {}))
    # then its entries and its community filter name the members-only community exactly when
    # the policy lets the person see it; the entry names its lead department, not its partner
    assert "Tidal sensors" in html
    assert ("Older work" in html) is not filtered
    assert public.get_absolute_url() in html
    assert f'<option value="{public.pk}">Open Harbour Network</option>' in html
    assert (members_only.get_absolute_url() in html) is sees_members_only
    assert (f'<option value="{members_only.pk}">' in html) is sees_members_only
    assert "Tidal Research Office" in html
    assert "Dock Works" not in html


def test_a_community_chosen_in_the_register_filter_must_be_one_the_person_may_see():
    # given a members-only community's project
    members_only = CommunityFactory(visibility=Community.Visibility.MEMBERS)
    project = ProjectFactory(title_en="Vault survey")
    project.communities.add(members_only)
    ProjectFactory(title_en="Harbour survey")
    # when an outsider asks for its projects by the community's id
    html = page(Client().get(url("proposals:project_list"), {"community": members_only.pk}))
    # then the choice is refused and the whole register is shown, naming nothing of it
    assert "Select a valid choice." in html
    assert "Harbour survey" in html
    assert members_only.get_absolute_url() not in html
    # and a member gets its projects only
    member = signed_in(person_as("member", members_only))
    html = page(member.get(url("proposals:project_list"), {"community": members_only.pk}))
    assert "1 project found." in html
    assert "Vault survey" in html
    assert "Harbour survey" not in html


def test_a_projects_communities_are_listed_in_the_readers_alphabetical_order():
    # given a project of two communities whose French names start with É and Z
    project = ProjectFactory()
    for english, french in (("Coastal zones", "Zones côtières"), ("Ponds", "Étangs")):
        project.communities.add(CommunityFactory(name_en=english, name_fr=french))
    # when a French reader opens the register, then its entry (and the community filter)
    # names Étangs before Zones, as a dictionary does (not after Z, by code point)
    html = page(Client().get(url("proposals:project_list", lang="fr")))
    entries = html[html.index('class="project-list"') :]
    assert entries.index("Étangs") < entries.index("Zones côtières")
    assert html.index("Étangs") < html.index("Zones côtières")
    # and in English, Coastal zones before Ponds
    html = page(Client().get(url("proposals:project_list")))
    entries = html[html.index('class="project-list"') :]
    assert entries.index("Coastal zones") < entries.index("Ponds")


def test_the_register_reads_names_not_whole_rows_of_organizations_and_communities():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    project = ProjectFactory()
    project.communities.add(CommunityFactory())
    ProjectOrganization.objects.create(
        project=project, organization=OrganizationFactory(), role="lead"
    )
    with CaptureQueriesContext(connection) as queries:
        html = page(Client().get(url("proposals:project_list")))
        statements = " ".join(read_statements(queries))
    assert project.organizations.get().name_en in html
    # The entries show names and link to pages: no community summary or objectives, no
    # organization website or former names.
    for column in (
        '"communities_community"."summary',
        '"communities_community"."objectives',
        '"communities_organization"."website',
        '"communities_organization"."former',
    ):
        assert column not in statements


def test_a_project_page_traces_gap_call_and_communities():
    public = CommunityFactory()
    private = CommunityFactory(visibility=Community.Visibility.MEMBERS)
    gap = GapFactory(community=public)
    hidden_gap = GapFactory(community=private)
    call = CallFactory()
    project = ProjectFactory(call=call)
    project.communities.set([public, private])
    project.gaps.set([gap, hidden_gap])

    html = page(Client().get(project.get_absolute_url()))
    assert call.get_absolute_url() in html
    assert gap.get_absolute_url() in html
    assert public.get_absolute_url() in html
    assert private.name_en not in html
    assert hidden_gap.title_en not in html
    # the gap's page leads back to the project
    assert project.get_absolute_url() in page(Client().get(gap.get_absolute_url()))


def test_the_seeded_projects_and_call_are_listed():
    from django.core.management import call_command

    call_command("load_cssp", verbosity=0)
    response = Client().get(url("proposals:project_list", lang="fr"))
    assert "Application SAVE" in page(response)
    assert Project.objects.count() == 3
    calls = page(Client().get(url("proposals:call_list", lang="fr")))
    assert "Appel de propositions 2022" in calls


def test_the_community_page_partial_lists_gaps_projects_and_the_register_link():
    community = CommunityFactory()
    gap = GapFactory(community=community)
    project = ProjectFactory()
    project.communities.add(community)
    lead = make_member(community, UserFactory(), Membership.Role.LEAD).user

    with translation.override("fr"):
        html = render_to_string(
            "proposals/_community_program.html", selectors.community_program(community, lead)
        )
        gap_url, project_url = gap.get_absolute_url(), project.get_absolute_url()
    assert gap_url.startswith("/fr/") and gap_url in html
    assert project_url in html
    assert "Gérer le registre des lacunes et des priorités" in html


def test_call_documents_are_published_by_staff_and_downloaded_through_the_policy():
    pm = signed_in(portfolio_manager())
    call = CallFactory(is_published=False)
    response = pm.post(
        url("proposals:call_document_upload", call.slug),
        {"title": "Applicant guide", "language": "both", "file": SimpleUploadedFile("g.pdf", PDF)},
        follow=True,
    )
    assert "The document was added to the call." in page(response)
    document = call.documents.get()
    assert document.file.name.startswith("calls/")
    download = url("proposals:call_document_download", document.pk)
    # unpublished: the document does not exist for the public
    assert Client().get(download).status_code == 404
    call.is_published = True
    call.save()
    response = Client().get(download)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert "Applicant guide" in page(Client().get(call.get_absolute_url()))

    refused = pm.post(
        url("proposals:call_document_upload", call.slug),
        {"language": "en", "file": SimpleUploadedFile("run.exe", b"MZ")},
    )
    assert refused.status_code == 400
    assert "This type of file is not accepted." in page(refused)
    member = signed_in(government_member())
    assert (
        member.post(
            url("proposals:call_document_upload", call.slug),
            {"language": "en", "file": SimpleUploadedFile("g.pdf", PDF)},
        ).status_code
        == 403
    )
    assert member.post(url("proposals:call_document_delete", document.pk)).status_code == 403


@pytest.mark.parametrize(
    ("role", "sees_draft"),
    [("anonymous", False), ("member", False), ("portfolio_manager", True), ("admin", True)],
)
def test_an_unpublished_call_is_listed_to_those_who_manage_calls_only(role, sees_draft):
    # given a published call and a draft
    CallFactory(title_en="Published call")
    CallFactory(title_en="Draft call", is_published=False)
    person = person_as(role, CommunityFactory())
    client = signed_in(person) if person else Client()
    # when the person opens the call list
    listing = page(client.get(url("proposals:call_list", lang="en")))
    # then everyone sees the published call, and only those who manage calls the draft
    assert "Published call" in listing
    assert ("Draft call" in listing) is sees_draft
    assert ("Unpublished drafts" in listing) is sees_draft


def test_call_list_sorts_open_upcoming_and_past_calls_in_few_queries(
    django_assert_max_num_queries,
):
    now = timezone.now()
    for _ in range(5):
        CallFactory()
    future = CallFactory(opens_at=now + datetime.timedelta(days=5))
    past = CallFactory(
        opens_at=now - datetime.timedelta(days=60), closes_at=now - datetime.timedelta(days=1)
    )
    hidden = CallFactory(is_published=False)

    with django_assert_max_num_queries(4):
        response = Client().get(url("proposals:call_list", lang="fr"))
    assert [c.pk for c in response.context["upcoming_calls"]] == [future.pk]
    assert [c.pk for c in response.context["closed_calls"]] == [past.pk]
    assert len(response.context["open_calls"]) == 5
    assert hidden.title_fr not in page(response)
    assert "Appels à venir" in page(response)

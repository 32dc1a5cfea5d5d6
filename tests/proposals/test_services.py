import datetime

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from communities.models import Membership
from proposals import services
from proposals.models import CapabilityGap, Project, Proposal
from tests.communities.factories import CommunityFactory, make_member
from tests.members.factories import UserFactory
from tests.proposals.factories import (
    CallFactory,
    GapFactory,
    ProposalFactory,
    admin,
    portfolio_manager,
)

pytestmark = pytest.mark.django_db

CLOSES = datetime.datetime(2027, 3, 1, 19, 0, tzinfo=datetime.UTC)  # 14:00 in Ottawa


@pytest.fixture
def setting():
    """A community with a French-speaking portfolio manager and an English-speaking proposer,
    and a call closing on 1 March 2027 at 14:00 Eastern time."""
    community = CommunityFactory()
    pm = portfolio_manager(preferred_language="fr")
    community.portfolio_managers.add(pm)
    call = CallFactory(opens_at=CLOSES - datetime.timedelta(days=60), closes_at=CLOSES)
    proposal = ProposalFactory(call=call, communities=[community])
    return community, pm, proposal


def test_a_submission_one_minute_before_the_deadline_is_accepted(
    setting, django_capture_on_commit_callbacks
):
    _community, pm, proposal = setting
    with (
        time_machine.travel(CLOSES - datetime.timedelta(minutes=1), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        services.proposal_submit(proposal=proposal, by=proposal.proposer)

    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.SUBMITTED
    assert proposal.submitted_at == CLOSES - datetime.timedelta(minutes=1)
    assert proposal.portfolio_manager == pm  # from its community
    [step] = proposal.transitions.all()
    assert (step.from_status, step.to_status, step.by) == ("draft", "submitted", proposal.proposer)


def test_a_submission_at_the_deadline_is_refused_with_the_closing_date(setting):
    _community, _pm, proposal = setting
    with time_machine.travel(CLOSES, tick=False), pytest.raises(ValidationError) as error:
        services.proposal_submit(proposal=proposal, by=proposal.proposer)

    assert "The call closed on 1 March 2027, 2 p.m." in error.value.messages[0]
    assert "Your draft is kept." in error.value.messages[0]
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.DRAFT
    assert not proposal.transitions.exists()


def test_an_incomplete_draft_cannot_be_submitted(setting):
    _community, _pm, proposal = setting
    Proposal.objects.filter(pk=proposal.pk).update(requested_funding=None, objectives_en="")
    with (
        time_machine.travel(CLOSES - datetime.timedelta(days=1), tick=False),
        pytest.raises(ValidationError) as error,
    ):
        services.proposal_submit(proposal=proposal, by=proposal.proposer)
    assert "the objectives" in error.value.messages[0]
    assert "the requested funding" in error.value.messages[0]


def test_submission_notifies_the_manager_and_the_proposer_each_in_their_language(
    setting, django_capture_on_commit_callbacks
):
    _community, pm, proposal = setting
    with (
        time_machine.travel(CLOSES - datetime.timedelta(days=1), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        services.proposal_submit(proposal=proposal, by=proposal.proposer)

    by_address = {message.to[0]: message for message in mail.outbox}
    assert set(by_address) == {pm.email, proposal.proposer.email}
    to_pm = by_address[pm.email]
    # (the notification layer folds the subject's whitespace, non-breaking spaces included)
    assert to_pm.subject == f"Proposition soumise\xa0: {proposal.title_en}"
    assert "Ce dossier vous est confié à titre de gestionnaire de portefeuille." in to_pm.body
    assert f"/fr/program/proposals/{proposal.pk}/" in to_pm.body
    to_proposer = by_address[proposal.proposer.email]
    assert to_proposer.subject == f"Proposal submitted: {proposal.title_en}"
    assert f"/en/program/proposals/{proposal.pk}/" in to_proposer.body


def test_each_state_change_is_recorded_and_announced(django_capture_on_commit_callbacks):
    pm = portfolio_manager()
    boss = admin()
    proposal = ProposalFactory(status="submitted", portfolio_manager=pm)

    with django_capture_on_commit_callbacks(execute=True):
        services.proposal_transition(proposal=proposal, by=pm, to_status="under_review")
        services.proposal_transition(
            proposal=proposal, by=pm, to_status="recommended", comment="Strong partners."
        )
        services.proposal_transition(proposal=proposal, by=boss, to_status="funded")

    steps = [(s.from_status, s.to_status, s.by) for s in proposal.transitions.all()]
    assert steps == [
        ("submitted", "under_review", pm),
        ("under_review", "recommended", pm),
        ("recommended", "funded", boss),
    ]
    # the proposer hears of all three; the manager of the one an administrator made
    to_proposer = [m for m in mail.outbox if m.to == [proposal.proposer.email]]
    to_pm = [m for m in mail.outbox if m.to == [pm.email]]
    assert len(to_proposer) == 3
    assert "Strong partners." in to_proposer[1].body
    assert len(to_pm) == 1
    assert "went from “Recommended” to “Funded”" in to_pm[0].body


def test_a_refusal_needs_a_comment_and_an_impossible_move_is_explained():
    pm = portfolio_manager()
    proposal = ProposalFactory(status="under_review", portfolio_manager=pm)

    with pytest.raises(ValidationError, match="Explain this decision"):
        services.proposal_transition(proposal=proposal, by=pm, to_status="not_funded")
    with pytest.raises(ValidationError, match="cannot go from “Under review” to “Funded”"):
        services.proposal_transition(proposal=proposal, by=pm, to_status="funded")
    with pytest.raises(PermissionDenied):
        services.proposal_transition(proposal=proposal, by=pm, to_status="withdrawn", comment="x")


def test_withdrawing_a_submitted_proposal_keeps_its_history(django_capture_on_commit_callbacks):
    proposal = ProposalFactory(status="submitted", portfolio_manager=portfolio_manager())
    with django_capture_on_commit_callbacks(execute=True):
        services.proposal_transition(
            proposal=proposal, by=proposal.proposer, to_status="withdrawn", comment="Merged."
        )
    proposal.refresh_from_db()
    assert proposal.status == "withdrawn"
    assert proposal.transitions.get().comment == "Merged."
    [to_pm] = mail.outbox
    assert to_pm.to == [proposal.portfolio_manager.email]


def test_assigning_a_manager_tells_them(django_capture_on_commit_callbacks):
    proposal = ProposalFactory(status="submitted")
    pm = portfolio_manager()
    with django_capture_on_commit_callbacks(execute=True):
        services.proposal_assign_manager(proposal=proposal, by=admin(), manager=pm)
    assert proposal.portfolio_manager == pm
    [message] = mail.outbox
    assert message.to == [pm.email]
    assert "was assigned to you" in message.body
    with pytest.raises(ValidationError):
        services.proposal_assign_manager(proposal=proposal, by=admin(), manager=UserFactory())


# --- Gaps ---------------------------------------------------------------------------------------


def test_a_member_adds_a_gap_without_setting_its_status_or_rank():
    community = CommunityFactory()
    member = make_member(community, UserFactory()).user
    gap = services.gap_create(
        community=community,
        by=member,
        data={
            "kind": "risk",
            "title_en": "Flood sensors",
            "title_fr": "Capteurs d’inondation",
            "status": "closed",
            "rank": 1,
        },
    )
    assert (gap.slug, gap.status, gap.rank, gap.created_by) == (
        "flood-sensors",
        "identified",
        None,
        member,
    )
    again = services.gap_create(
        community=community,
        by=member,
        data={"kind": "risk", "title_en": "Flood sensors", "title_fr": "Capteurs"},
    )
    assert again.slug == "flood-sensors-2"


def test_a_lead_of_another_community_cannot_edit_a_gap():
    gap = GapFactory()
    other_lead = make_member(CommunityFactory(), UserFactory(), Membership.Role.LEAD).user
    with pytest.raises(PermissionDenied):
        services.gap_update(gap=gap, by=other_lead, data={"status": "closed"})
    lead = make_member(gap.community, UserFactory(), Membership.Role.CO_LEAD).user
    services.gap_update(gap=gap, by=lead, data={"status": "prioritized", "rank": 2})
    gap.refresh_from_db()
    assert (gap.status, gap.rank) == ("prioritized", 2)


def test_voting_twice_takes_the_vote_back():
    gap = GapFactory()
    member = make_member(gap.community, UserFactory()).user
    assert services.gap_vote_toggle(gap=gap, by=member) is True
    assert gap.votes.count() == 1
    assert services.gap_vote_toggle(gap=gap, by=member) is False
    assert gap.votes.count() == 0


def test_publishing_a_call_marks_its_priorities_addressed():
    identified, closed = GapFactory(), GapFactory(status=CapabilityGap.Status.CLOSED)
    call = CallFactory(is_published=False)
    call.priorities.set([identified, closed])
    services.call_publish(call=call, by=portfolio_manager())
    identified.refresh_from_db()
    closed.refresh_from_db()
    assert identified.status == CapabilityGap.Status.ADDRESSED_BY_CALL
    assert closed.status == CapabilityGap.Status.CLOSED
    with pytest.raises(PermissionDenied):
        services.call_publish(call=call, by=UserFactory())


# --- Attachments --------------------------------------------------------------------------------

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"


def test_an_attachment_is_stored_under_a_random_name_with_its_sanitized_name_kept():
    proposal = ProposalFactory()
    upload = SimpleUploadedFile("../../etc/Plan d'action\x00<1>.PDF", PDF, "application/pdf")
    attachment = services.attachment_add(proposal=proposal, by=proposal.proposer, upload=upload)
    assert attachment.original_name == "Plan d_action_1_.pdf"
    assert attachment.content_type == "application/pdf"
    assert "Plan" not in attachment.file.name
    assert attachment.file.name.startswith("proposals/")
    assert attachment.file.read() == PDF


@pytest.mark.parametrize("status", Proposal.Status.values)
@pytest.mark.parametrize("who", ["proposer", "colleague", "portfolio_manager", "admin"])
def test_only_the_proposer_attaches_and_only_to_a_draft(who, status):
    # given a proposal in `status`, and a person who may read it: its proposer, a colleague of
    # the same department, its community's portfolio manager or an administrator
    community = CommunityFactory()
    proposal = ProposalFactory(status=status, communities=[community])
    if who == "portfolio_manager":
        person = portfolio_manager()
        community.portfolio_managers.add(person)
    else:
        person = {
            "proposer": lambda: proposal.proposer,
            "colleague": lambda: UserFactory(
                organization=proposal.proposer.organization, verified=True
            ),
            "admin": admin,
        }[who]()
    upload = SimpleUploadedFile("plan.pdf", PDF, "application/pdf")

    if who == "proposer" and status == Proposal.Status.DRAFT:
        attachment = services.attachment_add(proposal=proposal, by=person, upload=upload)
        assert list(proposal.attachments.all()) == [attachment]
    else:
        with pytest.raises(PermissionDenied):
            services.attachment_add(proposal=proposal, by=person, upload=upload)
        assert not proposal.attachments.exists()


def test_funding_a_proposal_enters_it_in_the_project_register_with_its_trace(
    django_capture_on_commit_callbacks,
):
    from tests.communities.factories import OrganizationFactory

    community = CommunityFactory()
    gap = GapFactory(community=community, status=CapabilityGap.Status.ADDRESSED_BY_CALL)
    partner = OrganizationFactory(sector="academic")
    proposal = ProposalFactory(status="recommended", communities=[community])
    proposal.gaps.add(gap)
    proposal.partners.add(partner)

    with django_capture_on_commit_callbacks(execute=True):
        services.proposal_transition(proposal=proposal, by=admin(), to_status="funded")

    project = Project.objects.get(proposal=proposal)
    assert (project.call, project.title_en, project.title_fr) == (
        proposal.call,
        proposal.title_en,
        proposal.title_en,
    )
    assert list(project.communities.all()) == [community]
    assert list(project.gaps.all()) == [gap]
    roles = {(link.organization, link.role) for link in project.organization_links.all()}
    assert roles == {(proposal.lead_department, "lead"), (partner, "partner")}
    gap.refresh_from_db()
    assert gap.status == CapabilityGap.Status.ADDRESSED_BY_PROJECT

"""Who may do what in the program, as role x action tables."""

import pytest
from django.contrib.auth.models import AnonymousUser

from communities.models import Community, Membership
from proposals import policies
from proposals.models import Proposal
from tests.communities.factories import CommunityFactory, make_member
from tests.members.factories import UserFactory
from tests.proposals.factories import (
    CallFactory,
    GapFactory,
    ProposalFactory,
    admin,
    government_member,
    portfolio_manager,
)

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "non_member",
    "observer",
    "member",
    "co_lead",
    "lead",
    "lead_elsewhere",
    "portfolio_manager",
    "admin",
]
GAP_ACTIONS = {
    "view": lambda user, gap: policies.can_view_gaps(user, gap.community),
    "add": lambda user, gap: policies.can_add_gap(user, gap.community),
    "edit": policies.can_edit_gap,
    "order": lambda user, gap: policies.can_order_gaps(user, gap.community),
    "comment": policies.can_discuss_gap,
    "vote": policies.can_vote_gap,
}
EVERYTHING = set(GAP_ACTIONS)
# The register of a MEMBERS-ONLY community.
GAP_ALLOWED = {
    "anonymous": set(),
    "non_member": set(),
    "observer": {"view"},
    "member": {"view", "add", "comment", "vote"},
    "co_lead": EVERYTHING,
    "lead": EVERYTHING,
    "lead_elsewhere": set(),
    "portfolio_manager": {"view", "comment"},
    "admin": EVERYTHING,
}


def _person(role, community):
    if role == "anonymous":
        return AnonymousUser()
    if role == "portfolio_manager":
        return portfolio_manager()
    if role == "admin":
        return admin()
    user = UserFactory()
    if role in ("observer", "member", "co_lead", "lead"):
        make_member(community, user, role)
    elif role == "lead_elsewhere":
        make_member(CommunityFactory(), user, Membership.Role.LEAD)
    return type(user).objects.get(pk=user.pk)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", GAP_ACTIONS)
def test_gap_register_permissions_in_a_members_only_community(role, action):
    gap = GapFactory(community=CommunityFactory(visibility=Community.Visibility.MEMBERS))
    person = _person(role, gap.community)

    assert GAP_ACTIONS[action](person, gap) == (action in GAP_ALLOWED[role])


@pytest.mark.parametrize("role", ["anonymous", "non_member", "lead_elsewhere"])
def test_outsiders_only_read_a_public_community_register(role):
    gap = GapFactory(community=CommunityFactory(visibility=Community.Visibility.PUBLIC))
    person = _person(role, gap.community)

    allowed = {action for action, check in GAP_ACTIONS.items() if check(person, gap)}

    assert allowed == {"view"}


# --- Proposal workflow ------------------------------------------------------------------------

ACTORS = ["proposer", "other_member", "assigned_pm", "community_pm", "other_pm", "admin"]
# (from, to) -> who may make that move. Anything not listed is refused to everyone.
MOVES = {
    ("draft", "submitted"): {"proposer"},
    ("draft", "withdrawn"): {"proposer"},
    ("submitted", "under_review"): {"assigned_pm", "admin"},
    ("submitted", "withdrawn"): {"proposer"},
    ("under_review", "recommended"): {"assigned_pm", "admin"},
    ("under_review", "not_funded"): {"assigned_pm", "admin"},
    ("under_review", "withdrawn"): {"proposer"},
    ("recommended", "funded"): {"admin"},
    ("recommended", "not_funded"): {"admin"},
    ("recommended", "withdrawn"): {"proposer"},
    ("submitted", "funded"): set(),
    ("draft", "under_review"): set(),
    ("funded", "not_funded"): set(),
    ("not_funded", "funded"): set(),
    ("withdrawn", "submitted"): set(),
}


def _actor(role, proposal, pm):
    return {
        "proposer": proposal.proposer,
        "other_member": government_member(),
        "assigned_pm": pm,
        "other_pm": portfolio_manager(),
        "admin": admin(),
    }[role]


@pytest.mark.parametrize("actor", ["proposer", "other_member", "assigned_pm", "other_pm", "admin"])
@pytest.mark.parametrize("move", MOVES)
def test_who_may_move_a_proposal(actor, move):
    from_status, to_status = move
    pm = portfolio_manager()
    proposal = ProposalFactory(status=from_status, portfolio_manager=pm)
    person = _actor(actor, proposal, pm)

    assert policies.can_transition(person, proposal, to_status) == (actor in MOVES[move])


def test_while_unassigned_the_portfolio_managers_of_its_communities_may_take_it_up():
    community = CommunityFactory()
    community_pm, other_pm = portfolio_manager(), portfolio_manager()
    community.portfolio_managers.add(community_pm)
    proposal = ProposalFactory(status="submitted", communities=[community])

    assert policies.can_transition(community_pm, proposal, "under_review")
    assert not policies.can_transition(other_pm, proposal, "under_review")


VIEW_ROLES = {
    "anonymous": False,
    "proposer": True,
    "other_member": False,
    "community_lead": False,
    "portfolio_manager": True,
    "admin": True,
}


@pytest.mark.parametrize("role", VIEW_ROLES)
def test_who_sees_a_proposal_and_its_attachments(role):
    community = CommunityFactory()
    proposal = ProposalFactory(status="submitted", communities=[community])
    person = {
        "anonymous": AnonymousUser,
        "proposer": lambda: proposal.proposer,
        "other_member": government_member,
        "community_lead": lambda: make_member(community, UserFactory(), "lead").user,
        "portfolio_manager": portfolio_manager,
        "admin": admin,
    }[role]()

    assert policies.can_view_proposal(person, proposal) == VIEW_ROLES[role]


def test_a_draft_is_private_to_its_writer():
    draft = ProposalFactory()

    assert policies.can_view_proposal(draft.proposer, draft)
    assert not policies.can_view_proposal(portfolio_manager(), draft)
    assert not policies.can_view_proposal(admin(), draft)


def test_only_the_proposer_edits_and_only_a_draft():
    proposal = ProposalFactory()
    assert policies.can_edit_proposal(proposal.proposer, proposal)
    assert not policies.can_edit_proposal(admin(), proposal)
    proposal.status = Proposal.Status.SUBMITTED
    assert not policies.can_edit_proposal(proposal.proposer, proposal)


@pytest.mark.parametrize(
    ("role", "allowed"),
    [("anonymous", False), ("non_government", False), ("government", True), ("admin", False)],
)
def test_members_acting_for_a_government_propose_to_an_open_call(role, allowed):
    call = CallFactory()
    person = {
        "anonymous": AnonymousUser,
        "non_government": UserFactory,
        "government": government_member,
        "admin": admin,
    }[role]()

    assert policies.can_propose(person, call) == allowed


def test_nobody_proposes_to_a_closed_or_unpublished_call():
    member = government_member()
    assert not policies.can_propose(member, CallFactory(is_published=False))
    closed = CallFactory()
    closed.closes_at = closed.opens_at + (closed.closes_at - closed.opens_at) / 1000
    closed.save()
    assert not policies.can_propose(member, closed)


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("anonymous", False),
        ("member", False),
        ("lead", False),
        ("portfolio_manager", True),
        ("admin", True),
    ],
)
def test_calls_dashboard_and_exports_belong_to_program_staff(role, allowed):
    community = CommunityFactory()
    person = _person({"member": "member", "lead": "lead"}.get(role, role), community)

    assert policies.can_manage_calls(person) == allowed
    assert policies.can_view_dashboard(person) == allowed
    assert policies.can_export(person) == allowed

"""Rate limits on posting, reporting, inviting, submitting proposals and joining (issue #16,
F9; cssp_portal/ratelimits.py): past the rate, a 429 page in the person's language says what
was limited and nothing is saved; other people, pages and a Redis outage are unaffected."""

import uuid

import pytest

from communities.models import Community, Invitation, Membership
from knowledge.models import Post, PostReport
from tests.communities.factories import CommunityFactory
from tests.cssp_portal.test_cache_outage import REDIS_DOWN
from tests.helpers import url
from tests.knowledge.factories import community_with_lead, member_of, thread
from tests.members.factories import UserFactory
from tests.proposals.factories import ProposalFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def limits(settings):
    """Two of everything an hour, counted under a key prefix of this test's own."""
    settings.PORTAL_RATE_LIMITS = dict.fromkeys(settings.PORTAL_RATE_LIMITS, "2/h")
    settings.RATELIMIT_CACHE_PREFIX = f"rl-test-{uuid.uuid4().hex}:"
    return settings.PORTAL_RATE_LIMITS


def posted_thrice(client, target, data):
    return [client.post(target, data) for _ in range(3)]


def test_replies_past_the_rate_get_a_429_page_and_are_not_saved(client, limits):
    community, lead = community_with_lead()
    started = thread(community, lead)
    member = member_of(community)
    client.force_login(member)

    answers = posted_thrice(client, url("knowledge:thread_reply", started.pk), {"body": "Agreed."})

    assert [a.status_code for a in answers[:2]] == [302, 302]
    assert answers[2].status_code == 429
    page = answers[2].content.decode()
    assert "Limit reached: messages posted to discussions." in page
    assert "What you just sent was not saved." in page
    assert int(answers[2]["Retry-After"]) > 0
    assert Post.objects.filter(thread=started, author=member).count() == 2
    # reading is never limited, and the lead still posts
    assert client.get(url("knowledge:thread", started.pk)).status_code == 200
    client.force_login(lead)
    assert (
        client.post(url("knowledge:thread_reply", started.pk), {"body": "Yes"}).status_code == 302
    )


def test_new_threads_share_the_posting_limit_and_the_page_is_in_french(client, limits):
    community, lead = community_with_lead()
    client.force_login(lead)
    target = url("knowledge:thread_create", community.slug, lang="fr")

    answers = posted_thrice(client, target, {"title": "Sujet", "body": "Texte"})

    assert answers[2].status_code == 429
    page = answers[2].content.decode()
    assert "Limite atteinte\u00a0: messages publiés dans les discussions." in page
    assert "Ce que vous venez d’envoyer n’a pas été enregistré." in page


def test_reports_past_the_rate_are_refused(client, limits):
    community, lead = community_with_lead()
    started = thread(community, lead)
    first_post = started.posts.first()
    client.force_login(member_of(community))

    target = url("knowledge:post_report", first_post.pk)
    answers = posted_thrice(client, target, {"reason": "Off topic."})

    assert answers[2].status_code == 429
    assert "Limit reached: reports of messages." in answers[2].content.decode()
    assert PostReport.objects.count() <= 2


def test_invitations_past_the_rate_are_refused(client, limits):
    community, lead = community_with_lead()
    client.force_login(lead)
    target = url("communities:roster_invite", community.slug)

    answers = [client.post(target, {"emails": f"guest{n}@example.ca"}) for n in range(3)]

    assert answers[2].status_code == 429
    assert "Limit reached: invitations sent." in answers[2].content.decode()
    assert not Invitation.objects.filter(email="guest2@example.ca").exists()


def test_join_requests_past_the_rate_are_refused(client, limits):
    person = UserFactory(verified=True)
    client.force_login(person)
    communities = [
        CommunityFactory(
            visibility=Community.Visibility.PUBLIC, join_policy=Community.JoinPolicy.REQUEST
        )
        for _ in range(3)
    ]

    answers = [client.post(url("communities:join", c.slug)) for c in communities]

    assert answers[2].status_code == 429
    assert "Limit reached: requests to join communities." in answers[2].content.decode()
    assert not Membership.objects.filter(user=person, community=communities[2]).exists()


def test_proposal_submissions_past_the_rate_are_refused(client, limits):
    proposals = [ProposalFactory() for _ in range(3)]
    proposer = proposals[0].proposer
    for proposal in proposals[1:]:
        proposal.proposer = proposer
        proposal.save()
    client.force_login(proposer)

    answers = [client.post(url("proposals:proposal_submit", p.pk)) for p in proposals]

    assert answers[2].status_code == 429
    assert "Limit reached: proposals submitted." in answers[2].content.decode()
    proposals[2].refresh_from_db()
    assert proposals[2].status == "draft"


def test_an_empty_rate_means_no_limit(client, limits, settings):
    settings.PORTAL_RATE_LIMITS = {**limits, "join": ""}
    client.force_login(UserFactory(verified=True))
    communities = [CommunityFactory(visibility=Community.Visibility.PUBLIC) for _ in range(3)]

    answers = [client.post(url("communities:join", c.slug)) for c in communities]

    assert all(a.status_code != 429 for a in answers)


def test_nothing_is_refused_while_redis_is_down(client, limits, settings):
    settings.CACHES = REDIS_DOWN
    community, lead = community_with_lead()
    started = thread(community, lead)
    client.force_login(lead)

    answers = posted_thrice(client, url("knowledge:thread_reply", started.pk), {"body": "Ok"})

    assert [a.status_code for a in answers] == [302, 302, 302]
    assert Post.objects.filter(thread=started, author=lead).count() == 4  # the opening post too

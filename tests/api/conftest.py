from types import SimpleNamespace

import pytest

from communities.models import Community
from events.models import Event
from tests.communities.factories import CommunityFactory, make_member
from tests.events.factories import EventFactory
from tests.knowledge.factories import AnnouncementFactory
from tests.members.factories import UserFactory
from tests.proposals.factories import CallFactory, ProjectFactory


@pytest.fixture
def program(db):
    """A public community with a public event and news, a members-only community with its own
    public event and news, a hosts-only event, a published and a draft call, and a project
    linked to both communities; `member` belongs to the private community."""
    public = CommunityFactory(
        slug="floods",
        name_en="Floods CoP",
        name_fr="CdP Inondations",
        summary_en="Flood resilience.",
        summary_fr="Résilience aux inondations.",
    )
    private = CommunityFactory(
        slug="secret",
        name_en="Secret CoP",
        name_fr="CdP secrète",
        visibility=Community.Visibility.MEMBERS,
    )
    member = UserFactory(verified=True)
    make_member(private, member)
    outsider = UserFactory(verified=True)
    public_event = EventFactory(
        community=public,
        slug="flood-drill",
        title_en="Flood drill",
        title_fr="Exercice inondation",
        visibility=Event.Visibility.PUBLIC,
    )
    hosts_event = EventFactory(
        community=public,
        slug="hosts-briefing",
        title_en="Hosts briefing",
        title_fr="Breffage des hôtes",
        visibility=Event.Visibility.HOSTS,
    )
    hosts_event.co_hosts.add(private)
    private_event = EventFactory(
        community=private,
        slug="secret-meeting",
        title_en="Secret meeting",
        title_fr="Réunion secrète",
        visibility=Event.Visibility.PUBLIC,
    )
    draft_event = EventFactory(
        community=public,
        slug="draft-event",
        visibility=Event.Visibility.PUBLIC,
        status=Event.Status.DRAFT,
    )
    call = CallFactory(slug="open-call", title_en="Open call", title_fr="Appel ouvert")
    call.communities.set([public, private])
    draft_call = CallFactory(slug="draft-call", is_published=False)
    project = ProjectFactory(slug="sensors", title_en="Sensors", title_fr="Capteurs", call=call)
    project.communities.set([public, private])
    news = AnnouncementFactory(
        communities=[public], title_en="Flood news", title_fr="Nouvelles inondation"
    )
    secret_news = AnnouncementFactory(
        communities=[private], title_en="Secret news", title_fr="Nouvelles secrètes"
    )
    return SimpleNamespace(
        public=public,
        private=private,
        member=member,
        outsider=outsider,
        public_event=public_event,
        hosts_event=hosts_event,
        private_event=private_event,
        draft_event=draft_event,
        call=call,
        draft_call=draft_call,
        project=project,
        news=news,
        secret_news=secret_news,
    )

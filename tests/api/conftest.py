import datetime
from types import SimpleNamespace

import pytest
from django.utils import timezone

from communities.models import Community
from events.models import Event
from knowledge.models import Announcement
from tests.communities.factories import CommunityFactory, make_member
from tests.events.factories import EventFactory
from tests.members.factories import UserFactory
from tests.proposals.factories import CallFactory, ProjectFactory


def announcement(community, title_en, title_fr, **kwargs):
    item = Announcement.objects.create(
        title_en=title_en,
        title_fr=title_fr,
        body_en=f"{title_en} text",
        body_fr=f"{title_fr} texte",
        body_html_en=f"<p>{title_en} text</p>",
        body_html_fr=f"<p>{title_fr} texte</p>",
        published_at=kwargs.pop("published_at", timezone.now() - datetime.timedelta(hours=1)),
        **kwargs,
    )
    item.communities.set([community])
    return item


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
    news = announcement(public, "Flood news", "Nouvelles inondation")
    secret_news = announcement(private, "Secret news", "Nouvelles secrètes")
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

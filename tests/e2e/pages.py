"""Every page type of the portal, with the people who may open it: what the accessibility audit
and the language-toggle journey walk through.

`portal_world()` builds one small portal (a community with its lead and a member, an event, a
call for proposals with a draft, a gap, a funded project, a discussion, a library document, an
announcement) so every page type has something real on it. Each PageType names the view and
how to find its arguments in that world, and the roles that see the page (the others are sent
to the sign-in page or refused, which is a page type of its own)."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils import timezone

from communities.models import Community, Membership
from tests.communities.factories import CommunityFactory, OrganizationFactory, make_member
from tests.members.factories import UserFactory

ANONYMOUS, MEMBER, LEAD, PORTFOLIO_MANAGER, ADMIN = (
    "anonymous",
    "member",
    "lead",
    "portfolio manager",
    "admin",
)
# A self-registered guest (issue #16): audited on the pages that are theirs.
GUEST = "guest"
SIGNED_IN = (MEMBER, LEAD, ADMIN)
EVERYONE = (ANONYMOUS, *SIGNED_IN)
LEADS = (LEAD, ADMIN)


@dataclass
class World:
    community: Community
    people: dict  # role -> user (no entry for anonymous)
    objects: dict = field(default_factory=dict)


def portal_world() -> World:
    from events.models import Event
    from tests.events.factories import EventFactory

    federal = OrganizationFactory(name_en="Health Canada", name_fr="Santé Canada")
    community = CommunityFactory(
        name_en="Chemical",
        name_fr="Chimique",
        slug="chemical",
        visibility=Community.Visibility.PUBLIC,
        join_policy=Community.JoinPolicy.REQUEST,
    )
    lead = UserFactory(verified=True, first_name="Louise", last_name="Gagnon", organization=federal)
    make_member(community, lead, role=Membership.Role.LEAD)
    member = UserFactory(
        verified=True, first_name="Marc", last_name="Bouchard", organization=federal
    )
    make_member(community, member)
    admin = UserFactory(
        verified=True, first_name="Ada", last_name="Admin", is_staff=True, is_superuser=True
    )
    guest = UserFactory(verified=True, first_name="Gaby", last_name="Guest", vetting="guest")
    people = {MEMBER: member, LEAD: lead, ADMIN: admin, GUEST: guest}
    world = World(community=community, people=people)
    world.objects["organization"] = federal

    start = (timezone.now() + datetime.timedelta(days=10)).replace(
        hour=14, minute=30, second=0, microsecond=0
    )
    _co_hosting(world)
    world.objects["event"] = EventFactory(
        community=community,
        title_en="Decontamination workshop",
        title_fr="Atelier sur la décontamination",
        slug="decontamination-workshop",
        visibility=Event.Visibility.PUBLIC,
        capacity_in_person=30,
        start=start,
        end=start + datetime.timedelta(hours=3),
    )
    _program_world(world, federal)
    _knowledge_world(world)
    _consultations_world(world)
    return world


def _program_world(world, federal):
    """A portfolio manager of the community, an open call, a submitted proposal, a gap, a
    funded project."""
    try:
        from tests.proposals.factories import (
            CallFactory,
            GapFactory,
            ProjectFactory,
            ProposalFactory,
            portfolio_manager,
        )
    except ImportError:  # the program app is being written: its pages are audited once it lands
        return
    manager = portfolio_manager(first_name="Paul", last_name="Manager")
    world.community.portfolio_managers.add(manager)
    world.people[PORTFOLIO_MANAGER] = manager
    call = CallFactory(title_en="2026 call for proposals", title_fr="Appel de propositions 2026")
    world.objects["call"] = call
    world.objects["proposal"] = ProposalFactory(
        call=call,
        title_en="Sensors for first responders",
        proposer=world.people[MEMBER],
        lead_department=federal,
        communities=[world.community],
        status="submitted",  # the program staff see a proposal once it is submitted
    )
    world.objects["gap"] = GapFactory(
        community=world.community,
        title_en="Field detection of toxic chemicals",
        title_fr="Détection sur le terrain des produits chimiques toxiques",
        slug="field-detection",
    )
    world.objects["project"] = ProjectFactory(
        title_en="Portable detector", title_fr="Détecteur portatif", slug="portable-detector"
    )


def _knowledge_world(world):
    try:
        from knowledge import services
        from tests.knowledge.factories import document, folder, thread
    except ImportError:
        return
    lead, member = world.people[LEAD], world.people[MEMBER]
    world.objects["thread"] = thread(world.community, member)
    world.objects["message"] = world.objects["thread"].posts.get()
    world.objects["folder"] = library = folder(world.community, lead)
    world.objects["resource"] = document(library, lead)
    world.objects["announcement"] = services.announcement_create(
        by=lead,
        communities=[world.community],
        title_en="Exercise in March",
        title_fr="Exercice en mars",
        body_en="The spring exercise takes place in March.",
        body_fr="L’exercice du printemps a lieu en mars.",
    )


def _consultations_world(world):
    """An open consultation the member answered (a draft), and a closed one awaiting its
    "what we heard"."""
    from consultations import services
    from tests.consultations.factories import consultation

    lead, member = world.people[LEAD], world.people[MEMBER]
    item = consultation(world.community, by=lead)
    services.response_save(
        consultation=item,
        by=member,
        answers={item.questions.first().pk: "More training."},
        submit=True,
    )
    world.objects["consultation"] = item
    world.objects["closed consultation"] = consultation(world.community, by=lead, state="closed")


@dataclass(frozen=True)
class PageType:
    name: str
    view: str
    args: Callable[[World, str], list] = lambda world, role: []
    roles: tuple = EVERYONE
    status: int = 200
    needs: str = ""  # the world object the page needs (absent while its app is being written)


def _slug(world, role):
    return [world.community.slug]


def _obj(name, attribute="pk"):
    return lambda world, role: [getattr(world.objects[name], attribute)]


def _co_hosting(world):
    """A draft event of a members-only neighbour community that asks the world's community to
    co-host it (listed nowhere else): the pages where its lead answers."""
    if "co_hosting" not in world.objects:
        from events.models import CoHosting, Event
        from tests.events.factories import EventFactory

        neighbour = CommunityFactory(
            name_en="Biological",
            name_fr="Biologique",
            slug="biological",
            visibility=Community.Visibility.MEMBERS,
        )
        event = EventFactory(
            community=neighbour,
            title_en="Joint sampling drill",
            title_fr="Exercice conjoint d’échantillonnage",
            slug="joint-sampling-drill",
            status=Event.Status.DRAFT,
        )
        world.objects["co_hosting"] = CoHosting.objects.create(
            event=event, community=world.community
        )
    return world.objects["co_hosting"]


PAGE_TYPES = [
    # portal and accounts
    PageType("home", "home"),
    PageType("sign in", "account_login", roles=(ANONYMOUS,)),
    PageType("sign up", "account_signup", roles=(ANONYMOUS,)),
    PageType("password reset", "account_reset_password", roles=(ANONYMOUS,)),
    PageType("account email", "account_email", roles=SIGNED_IN),
    PageType(
        "not found (404)", "communities:detail", lambda w, r: ["no-such-community"], status=404
    ),
    # communities
    PageType("community directory", "communities:list"),
    PageType("community page", "communities:detail", _slug),
    PageType("my communities", "communities:mine", roles=SIGNED_IN),
    PageType("roster", "communities:roster", _slug, roles=LEADS),
    PageType("community edit page", "communities:edit", _slug, roles=LEADS),
    PageType("community organizations", "communities:organizations", _slug, roles=LEADS),
    # members
    PageType("member directory", "members:directory", roles=SIGNED_IN),
    PageType("profile", "members:profile", lambda w, r: [w.people[LEAD].pk], roles=SIGNED_IN),
    PageType("profile edit", "members:edit", roles=(*SIGNED_IN, GUEST)),
    PageType("my access", "members:access", roles=(GUEST, MEMBER)),
    PageType("my personal data", "members:personal_data", roles=(MEMBER, LEAD, GUEST)),
    # A member sees the confirmation form; a lead, the communities to hand over first.
    PageType("delete my account", "members:delete", roles=(MEMBER, LEAD)),
    PageType(
        "member directory refused to a guest", "members:directory", roles=(GUEST,), status=403
    ),
    PageType("email preferences", "notifications:preferences", roles=SIGNED_IN),
    PageType("notification centre", "notifications:centre", roles=SIGNED_IN),
    # organizations
    PageType("organization directory", "organizations:list"),
    PageType(
        "organization page",
        "organizations:detail",
        _obj("organization", "slug"),
        needs="organization",
    ),
    # events
    PageType("event list", "events:list", needs="event"),
    PageType("event calendar", "events:calendar", needs="event"),
    PageType("past events", "past_events:list", needs="event"),
    PageType("outcomes library", "past_events:community_outcomes", _slug),
    PageType("event page", "events:detail", _obj("event", "slug"), needs="event"),
    PageType("calendar feed", "events:feed_settings", roles=SIGNED_IN, needs="event"),
    PageType("event form", "events:create", _slug, roles=LEADS, needs="event"),
    PageType(
        "event attendees", "events:attendees", _obj("event", "slug"), roles=LEADS, needs="event"
    ),
    PageType(
        "requests to co-host",
        "events:co_hosting_list",
        lambda w, r: [],
        roles=LEADS,
        needs="event",
    ),
    PageType(
        "request to co-host",
        "events:co_hosting",
        _obj("co_hosting"),
        roles=LEADS,
        needs="event",
    ),
    # program: calls, proposals, gaps, projects
    PageType("call list", "proposals:call_list", needs="call"),
    PageType("call page", "proposals:call_detail", _obj("call", "slug"), needs="call"),
    PageType(
        "proposal form",
        "proposals:proposal_create",
        _obj("call", "slug"),
        roles=(MEMBER,),
        needs="call",
    ),
    PageType("my proposals", "proposals:proposal_list", roles=SIGNED_IN, needs="call"),
    PageType(
        "proposal page",
        "proposals:detail",
        _obj("proposal"),
        roles=(MEMBER, PORTFOLIO_MANAGER, ADMIN),
        needs="proposal",
    ),
    PageType(
        "program dashboard", "proposals:dashboard", roles=(PORTFOLIO_MANAGER, ADMIN), needs="call"
    ),
    PageType(
        "all proposals",
        "proposals:staff_proposal_list",
        roles=(PORTFOLIO_MANAGER, ADMIN),
        needs="call",
    ),
    PageType("gap register", "proposals:gap_list", lambda w, r: [w.community.slug], needs="gap"),
    PageType(
        "gap page",
        "proposals:gap_detail",
        lambda w, r: [w.community.slug, "field-detection"],
        needs="gap",
    ),
    PageType("project list", "proposals:project_list", needs="project"),
    PageType("project page", "proposals:project_detail", _obj("project", "slug"), needs="project"),
    # knowledge: announcements, discussions, library
    PageType(
        "announcements", "knowledge:announcements", _slug, roles=SIGNED_IN, needs="announcement"
    ),
    PageType(
        "announcement",
        "knowledge:announcement",
        _obj("announcement"),
        roles=SIGNED_IN,
        needs="announcement",
    ),
    PageType("discussions", "knowledge:threads", _slug, roles=SIGNED_IN, needs="thread"),
    PageType("discussion", "knowledge:thread", _obj("thread"), roles=SIGNED_IN, needs="thread"),
    # Only its author (the member) edits a message.
    PageType(
        "edit a message", "knowledge:post_edit", _obj("message"), roles=(MEMBER,), needs="thread"
    ),
    PageType("library", "knowledge:library", _slug, roles=SIGNED_IN, needs="folder"),
    PageType(
        "library document",
        "knowledge:resource",
        _obj("resource"),
        roles=SIGNED_IN,
        needs="resource",
    ),
    PageType("search", "knowledge:search", roles=SIGNED_IN, needs="thread"),
    # the API's pages (api/)
    PageType("open data", "opendata:open_data"),
    PageType("API tokens", "opendata:tokens", roles=SIGNED_IN),
    # consultations
    PageType("consultations", "consultations:list", roles=SIGNED_IN, needs="consultation"),
    PageType("open a consultation", "consultations:create", roles=LEADS, needs="consultation"),
    PageType(
        "consultation",
        "consultations:detail",
        _obj("consultation"),
        roles=SIGNED_IN,
        needs="consultation",
    ),
    PageType(
        "edit a consultation",
        "consultations:edit",
        _obj("consultation"),
        roles=LEADS,
        needs="consultation",
    ),
    PageType(
        "consultation responses",
        "consultations:responses",
        _obj("consultation"),
        roles=LEADS,
        needs="consultation",
    ),
    PageType(
        "what we heard form",
        "consultations:summary",
        _obj("closed consultation"),
        roles=LEADS,
        needs="consultation",
    ),
    PageType("resource centre", "resource_centre:index"),
]

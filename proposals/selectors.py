"""Permission-filtered and multi-relation reads of the program, each in a fixed number of
queries whatever the number of rows."""

from __future__ import annotations

import datetime
import functools

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, Window
from django.db.models.functions import JSONArray
from django.utils import timezone

from communities.access import standing_of
from communities.models import Community
from communities.policies import can_view_community
from communities.selectors import communities_visible_to
from cssp_portal.collation import order_by_name
from cssp_portal.forms import option_rows
from cssp_portal.fragments import content_digest
from cssp_portal.precompiled import Precompiled
from events.selectors import events_visible_to
from members.models import User

from . import policies
from .models import (
    Call,
    CapabilityGap,
    GapComment,
    GapVote,
    Project,
    ProjectOrganization,
    Proposal,
)


def gap_register(community, user, *, order: str = "rank", status: str = "", kind: str = ""):
    """A community's gaps and priorities with their vote and comment counts and whether `user`
    voted, ordered by the leads' rank (default) or by votes."""
    gaps = (
        CapabilityGap.objects.filter(community=community)
        .select_related("community")
        .annotate(
            vote_count=Count("votes", distinct=True),
            comment_count=Count("comments", distinct=True),
        )
    )
    if user.is_authenticated:
        gaps = gaps.annotate(voted=Exists(GapVote.objects.filter(gap=OuterRef("pk"), voter=user)))
    if status:
        gaps = gaps.filter(status=status)
    if kind:
        gaps = gaps.filter(kind=kind)
    if order == "votes":
        return gaps.order_by("-vote_count", "rank", "title")
    return gaps.order_by("rank", "title")


def gap_comments(gap) -> QuerySet[GapComment]:
    return gap.comments.select_related("author__organization")


def gaps_visible_to(user) -> QuerySet[CapabilityGap]:
    return CapabilityGap.objects.filter(community__in=communities_visible_to(user).values("pk"))


def _calls(*, drafts: bool) -> QuerySet[Call]:
    calls = Call.objects.all() if drafts else Call.objects.published()
    return calls.annotate(project_count=Count("projects", distinct=True))


def calls_visible_to(user) -> QuerySet[Call]:
    """Published calls, and the drafts too for those who manage calls."""
    return _calls(drafts=policies.can_manage_calls(user))


# The call list's two readings of calls_visible_to, each compiled once
# (cssp_portal.precompiled): the same for everyone on the same side of can_manage_calls.
_LISTED_CALLS = {
    drafts: Precompiled(
        f"call list ({'with' if drafts else 'without'} drafts)",
        functools.partial(_calls, drafts=drafts),
    )
    for drafts in (False, True)
}


def calls_listed_for(user) -> list[Call]:
    """calls_visible_to(user), read (the call list)."""
    return _LISTED_CALLS[policies.can_manage_calls(user)].list()


def call_detail_relations(call, user) -> dict:
    visible = communities_visible_to(user).values("pk")
    return {
        "communities": call.communities.filter(pk__in=visible),
        "priorities": call.priorities.filter(community__in=visible).select_related("community"),
        "projects": call.projects.all(),
    }


def proposals_of(user) -> QuerySet[Proposal]:
    return (
        Proposal.objects.filter(proposer=user)
        .select_related("call", "portfolio_manager")
        .order_by("-updated_at")
    )


def first_portfolio_manager(proposal: Proposal) -> User | None:
    """The portfolio manager a submitted proposal goes to when none is assigned: the first
    active manager of its communities (by community name)."""
    return (
        User.objects.filter(is_active=True, managed_portfolios__in=proposal.communities.all())
        .order_by("managed_portfolios__name", "pk")
        .first()
    )


def proposals_for_staff(
    user, *, status: str = "", community=None, call=None, mine: bool = False
) -> QuerySet[Proposal]:
    """Every proposal past the draft stage (drafts stay private to their writer)."""
    proposals = (
        Proposal.objects.exclude(status=Proposal.Status.DRAFT)
        .select_related("call", "lead_department", "proposer", "portfolio_manager")
        .prefetch_related("communities")
    )
    if status:
        proposals = proposals.filter(status=status)
    if community is not None:
        proposals = proposals.filter(communities=community)
    if call is not None:
        proposals = proposals.filter(call=call)
    if mine:
        proposals = proposals.filter(
            Q(portfolio_manager=user)
            | Q(portfolio_manager__isnull=True, communities__portfolio_managers=user)
        )
    return proposals.distinct().order_by("-submitted_at", "pk")


ENDING_WITHIN_DAYS = 90


# Each dashboard list shows its first rows; the counts and "see all" links give the rest.
DASHBOARD_LIST_LIMIT = 25


def _in_managed_community(model, portfolio_ids):
    """Whether the row (a proposal or project) concerns one of the communities `portfolio_ids`
    (those a manager follows): an EXISTS subquery, so no join multiplies the rows (no
    DISTINCT); the ids one array."""
    links = model.communities.through.objects.filter(
        **{f"{model._meta.model_name}_id": OuterRef("pk")},
        community__any=portfolio_ids,
    )
    return Exists(links)


# What a row of templates/proposals/_proposal_rows.html shows: the dashboard reads only these
# columns (a proposal's texts, its call's and the people's rows made each list's statement
# sort 2.5 kB rows, and build full instances, for a title and a few names).
_ROW_RELATIONS = ("call", "lead_department", "portfolio_manager")
_ROW_FIELDS = (
    "title",
    "status",
    "submitted_at",
    *_ROW_RELATIONS,
    "call__title",
    "lead_department__name",
    "portfolio_manager__first_name",
    "portfolio_manager__last_name",
    "portfolio_manager__email",
)
DASHBOARD_LISTS = ("new", "waiting", "ending", "unassigned")
PROPOSAL_LISTS = ("new", "waiting", "unassigned")
# What a row of proposals/_proposal_rows.html shows (both titles: the `lang` attribute of one
# shown in the other language), the id first.
PROPOSAL_SHOWN = (
    "pk",
    "title_en",
    "title_fr",
    "call__title_en",
    "call__title_fr",
    "lead_department__name_en",
    "lead_department__name_fr",
    "status",
    "portfolio_manager__first_name",
    "portfolio_manager__last_name",
    "portfolio_manager__email",
    "submitted_at",
)


def dashboard(user, *, community=None, call=None) -> dict:
    """What needs a portfolio manager's attention: new submissions in their communities or
    assigned to them, proposals waiting on them (under review, or recommended for an
    administrator's decision), and active projects ending soon; with counts. Each list holds
    its first DASHBOARD_LIST_LIMIT rows; the counts are exact (each row carries its list's
    total, a window function: no COUNT query).

    The lists' SQL depends on the manager only through whether they are an administrator and
    which filters are set: each is compiled once per such shape (cssp_portal.precompiled) and
    run with the manager's id, their portfolio's communities, the filters' ids and the day."""
    admin = policies.is_admin(user)
    values = {
        "user_id": user.pk,
        "portfolio_ids": sorted(standing_of(user).portfolio_ids),
        "community_id": community.pk if community is not None else 0,
        "call_id": call.pk if call is not None else 0,
        "until": timezone.localdate() + datetime.timedelta(days=ENDING_WITHIN_DAYS),
    }
    shape = (admin, community is not None, call is not None)
    read = {name: _dashboard_query(name, *shape).list(**values) for name in DASHBOARD_LISTS}
    counts = {name: read[name][0][-1] if read[name] else 0 for name in PROPOSAL_LISTS}
    counts["ending"] = read["ending"][0].total if read["ending"] else 0
    proposals = _ProposalsOfRows()
    return {
        **{name: ShownProposals(read[name], proposals) for name in PROPOSAL_LISTS},
        "ending": read["ending"],
        "counts": counts,
        "limit": DASHBOARD_LIST_LIMIT,
    }


class ShownProposals:
    """One of the dashboard's lists of proposals as the values its rows show (PROPOSAL_SHOWN):
    `version` digests them, for the list's kept fragment (dashboard.html), and the proposals
    themselves are read only when the list is iterated, that is when its fragment was not kept
    (a manager's lists change with a submission or an assignment, not from one visit to the
    next): a page whose lists are kept builds no proposal (about 180 model instances, 3 ms of
    the page, tests/bench)."""

    def __init__(self, rows: list[tuple], proposals: _ProposalsOfRows):
        self.rows, self._proposals = rows, proposals
        self.ids = [row[0] for row in rows]
        proposals.wanted.update(self.ids)
        self.version = content_digest(row[:-1] for row in rows)  # (not the list's total)

    def __bool__(self) -> bool:
        return bool(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self):
        return iter(self._proposals.in_order(self.ids))


class _ProposalsOfRows:
    """The proposals of a page's lists, read in one query the first time a list needs them (a
    proposal deleted since its row was read is left out)."""

    def __init__(self):
        self.wanted: set[int] = set()
        self._by_id: dict[int, Proposal] | None = None

    def in_order(self, ids: list[int]) -> list[Proposal]:
        if self._by_id is None:
            self._by_id = (
                Proposal.objects.order_by()
                .select_related(*_ROW_RELATIONS)
                .only(*_ROW_FIELDS)
                .in_bulk(self.wanted)
            )
        return [self._by_id[pk] for pk in ids if pk in self._by_id]


@functools.cache
def _dashboard_query(name: str, admin: bool, by_community: bool, by_call: bool) -> Precompiled:
    def build(user_id, portfolio_ids, community_id, call_id, until):
        lists = _dashboard_lists(
            admin=admin,
            user_id=user_id,
            portfolio_ids=portfolio_ids,
            community_id=community_id if by_community else None,
            call_id=call_id if by_call else None,
            until=until,
        )
        rows = lists[name].annotate(total=Window(Count("pk")))
        if name in PROPOSAL_LISTS:  # their shown values, the total last
            rows = rows.values_list(*PROPOSAL_SHOWN, "total")
        return rows[:DASHBOARD_LIST_LIMIT]

    return Precompiled(
        f"dashboard {name} ({admin=}, {by_community=}, {by_call=})",
        build,
        # which of them a list reads depends on the shape (an administrator's lists are not
        # narrowed to a portfolio; the unassigned ones never are)
        may_skip=frozenset({"user_id", "portfolio_ids", "community_id", "call_id", "until"}),
        # Under "auto" PostgreSQL planned the lists on every run, its generic plan estimated a
        # few per cent worse: 1.5-3.6 ms a run, 0.6-2.4 ms with the generic plan (tests/bench).
        plan="generic",
        user_id=int,
        portfolio_ids=list,
        community_id=int,
        call_id=int,
        until=datetime.date,
    )


def _dashboard_lists(*, admin, user_id, portfolio_ids, community_id, call_id, until) -> dict:
    mine = Q(portfolio_manager_id=user_id) | Q(
        portfolio_manager__isnull=True
    ) & _in_managed_community(Proposal, portfolio_ids)
    base = Proposal.objects.exclude(status=Proposal.Status.DRAFT)
    if community_id is not None:
        base = base.filter(communities=community_id)
    if call_id is not None:
        base = base.filter(call_id=call_id)
    if not admin:
        base = base.filter(mine)
    base = base.select_related(*_ROW_RELATIONS).only(*_ROW_FIELDS)
    waiting_statuses = [Proposal.Status.UNDER_REVIEW]
    if admin:
        waiting_statuses.append(Proposal.Status.RECOMMENDED)
    new = base.filter(status=Proposal.Status.SUBMITTED).order_by("submitted_at", "pk")
    waiting = base.filter(status__in=waiting_statuses).order_by("submitted_at", "pk")
    ending = Project.objects.filter(
        status=Project.Status.ACTIVE, end_date__isnull=False, end_date__lte=until
    )
    if community_id is not None:
        ending = ending.filter(communities=community_id)
    if not admin:
        ending = ending.filter(
            Q(portfolio_manager_id=user_id) | _in_managed_community(Project, portfolio_ids)
        )
    ending = ending.only("slug", "title", "end_date").order_by("end_date", "pk")
    # Submitted to communities that have no portfolio manager: every manager sees them, so
    # that none falls through the cracks until someone assigns it.
    # (NOT EXISTS a link to a community with a manager: PostgreSQL hashes the links to those
    # communities, not every link joined to every manager, 8 -> 4.5 ms at program scale.)
    followed = Community.portfolio_managers.through.objects.values("community_id")
    unassigned = (
        Proposal.objects.exclude(status__in=CLOSED_STATUSES)
        .filter(portfolio_manager__isnull=True)
        .exclude(
            Exists(
                Proposal.communities.through.objects.filter(
                    proposal=OuterRef("pk"), community__in=followed
                )
            )
        )
    )
    if community_id is not None:
        unassigned = unassigned.filter(communities=community_id)
    if call_id is not None:
        unassigned = unassigned.filter(call_id=call_id)
    unassigned = (
        unassigned.select_related(*_ROW_RELATIONS).only(*_ROW_FIELDS).order_by("submitted_at", "pk")
    )
    return {"new": new, "waiting": waiting, "ending": ending, "unassigned": unassigned}


CLOSED_STATUSES = (
    Proposal.Status.DRAFT,
    Proposal.Status.FUNDED,
    Proposal.Status.NOT_FUNDED,
    Proposal.Status.WITHDRAWN,
)


def _org_links():
    return ProjectOrganization.objects.select_related("organization")


# What the register's entries show of a project's organizations and communities (their names
# in both languages for the `lang` attribute of a name shown in the other language, and the slug
# of their pages): the whole rows (descriptions, summaries, objectives) are never read.
_REGISTER_ORGANIZATION = ("organization__slug", "organization__name_en", "organization__name_fr")
_REGISTER_COMMUNITY = ("slug", "name_en", "name_fr", "visibility")


def project_register(
    *,
    q: str = "",
    year=None,
    status: str = "",
    community=None,
    organization=None,
    communities_shown: QuerySet[Community] | None = None,
) -> QuerySet[Project]:
    """The funded projects, newest year first, with their organizations and communities
    prefetched; `communities_shown` (a viewer's visible communities) limits the communities
    prefetched to those the viewer may see."""
    links = _org_links().only("project_id", "role", "position", *_REGISTER_ORGANIZATION)
    shown = communities_shown if communities_shown is not None else Community.objects.all()
    projects = Project.objects.prefetch_related(
        Prefetch("organization_links", queryset=links),
        Prefetch(
            "communities", queryset=order_by_name(shown.only(*_REGISTER_COMMUNITY), "name", "pk")
        ),
    )
    for word in q.split():
        projects = projects.filter(
            Q(title_en__icontains=word)
            | Q(title_fr__icontains=word)
            | Q(summary_en__icontains=word)
            | Q(summary_fr__icontains=word)
        )
    if year:
        projects = projects.filter(year=year)
    if status:
        projects = projects.filter(status=status)
    if community is not None:
        projects = projects.filter(communities=community)
    if organization is not None:
        projects = projects.filter(organizations=organization)
    return projects.distinct().order_by("-year", "title")


# The register's page without a filter, each of its three readings compiled once
# (cssp_portal.precompiled): the same statements for everyone, as `project_register()` orders
# and narrows them. Who may see which community is decided afterwards, row by row, by the
# communities' policy (`can_view_community`).
_REGISTER_FIELDS = ("title", "slug", "year", "status")
_REGISTER_PROJECTS = Precompiled(
    "project register",
    lambda: Project.objects.only(*_REGISTER_FIELDS).order_by("-year", "title"),
)
_REGISTER_LEADS = Precompiled(
    "project register lead departments",
    lambda project_ids: (
        ProjectOrganization.objects.filter(
            project_id__any=project_ids, role=ProjectOrganization.Role.LEAD
        )
        .select_related("organization")
        .only("project_id", "role", "position", *_REGISTER_ORGANIZATION)
        .order_by("position", "pk")
    ),
    project_ids=list,
)
_REGISTER_COMMUNITIES = Precompiled(
    "project register communities",
    lambda project_ids: order_by_name(
        Project.communities.through.objects.filter(project_id__any=project_ids)
        .select_related("community")
        .only("project_id", *(f"community__{name}" for name in _REGISTER_COMMUNITY)),
        "community__name",
        "community__pk",
    ),
    project_ids=list,
)


_PROJECT_YEARS = Precompiled(
    "project years",
    lambda: Project.objects.order_by("-year").values_list("year", flat=True).distinct(),
)
_COMMUNITIES_WITH_PROJECTS = Precompiled(
    "communities with projects",
    lambda: order_by_name(
        Community.objects.filter(
            Exists(Project.communities.through.objects.filter(community_id=OuterRef("pk")))
        ).only("name_en", "name_fr", "visibility"),
        "name",
        "pk",
    ),
)


# The dashboard's filters (for those who may see every community and call): option rows
# compiled once per language (cssp_portal.forms.option_rows).
_DASHBOARD_COMMUNITY_OPTIONS = Precompiled(
    "dashboard community options",
    lambda: option_rows(order_by_name(Community.objects.all(), "name", "pk")),
)
_DASHBOARD_CALL_OPTIONS = Precompiled(
    "dashboard call options",
    lambda: option_rows(Call.objects.order_by("-opens_at", "pk"), ("title",)),
)


def dashboard_filter_choices() -> dict:
    """DashboardFilterForm's (and ProposalFilterForm's) option rows: every community and
    every call, as a portfolio manager's lists may be narrowed to any of them."""
    return {
        "community_options": _DASHBOARD_COMMUNITY_OPTIONS.list(),
        "call_options": _DASHBOARD_CALL_OPTIONS.list(),
    }


def register_filter_choices(who) -> dict:
    """The register's filter choices for `who`, as ProjectFilterForm takes them: the years,
    and the communities that have projects and that `who` may see, as (pk, name) options and
    as the queryset that cleans a chosen one. Read with statements compiled once, narrowed by
    the communities' policy."""
    options = [
        (community.pk, community.name)
        for community in _COMMUNITIES_WITH_PROJECTS.list()
        if can_view_community(who, community)
    ]
    return {
        "years": _PROJECT_YEARS.list(),
        "communities": Community.objects.filter(pk__any=[pk for pk, _name in options]),
        "community_options": options,
    }


def register_entries(who, projects=None) -> list[Project]:
    """The register's entries as its page shows them: each project with `lead_links` (its
    lead departments' links, with their organizations) and `shown_communities` (those of its
    communities `who` may see, by name). `projects` (a `project_register()` queryset, filtered)
    or, by default, every project, read with the statements compiled once."""
    standing = standing_of(who)
    if projects is None:
        entries = _REGISTER_PROJECTS.list()
        ids = [project.pk for project in entries]
        leads = _REGISTER_LEADS.list(project_ids=ids)
        communities = [
            (link.project_id, link.community)
            for link in _REGISTER_COMMUNITIES.list(project_ids=ids)
        ]
    else:
        entries = list(projects)
        leads = [
            link
            for project in entries
            for link in project.organization_links.all()
            if link.role == ProjectOrganization.Role.LEAD
        ]
        communities = [
            (project.pk, community)
            for project in entries
            for community in project.communities.all()
        ]
    by_project = {project.pk: project for project in entries}
    for project in entries:
        project.lead_links, project.shown_communities = [], []
    for link in leads:
        by_project[link.project_id].lead_links.append(link)
    for project_id, community in communities:
        if can_view_community(standing, community):
            by_project[project_id].shown_communities.append(community)
    return entries


def project_detail(slug: str, user) -> tuple[Project, dict]:
    project = (
        Project.objects.select_related("call", "portfolio_manager")
        .prefetch_related(Prefetch("organization_links", queryset=_org_links()))
        .get(slug=slug)
    )
    visible = communities_visible_to(user).values("pk")
    relations = {
        "communities": project.communities.filter(pk__in=visible),
        "gaps": project.gaps.filter(community__in=visible).select_related("community"),
        "events": events_visible_to(user).filter(projects=project).order_by("start"),
        "leads": [
            link.organization
            for link in project.organization_links.all()
            if link.role == ProjectOrganization.Role.LEAD
        ],
        "partners": [
            link.organization
            for link in project.organization_links.all()
            if link.role == ProjectOrganization.Role.PARTNER
        ],
    }
    return project, relations


# What the community page's program shows of its gaps and projects, the same for everyone:
# compiled once (cssp_portal.precompiled).
_COMMUNITY_GAPS = Precompiled(
    "community gaps",
    lambda community_id: CapabilityGap.objects.filter(community_id=community_id).only(
        "community", "slug", "title", "kind", "status"
    ),
    community_id=int,
)
_COMMUNITY_PROJECTS = Precompiled(
    "community projects",
    lambda community_id: Project.objects.filter(communities=community_id).only(
        "slug", "title", "year"
    ),
    community_id=int,
)


def program_in_community_row() -> dict:
    """Annotations for a community query (PostgreSQL): its gaps and its projects as arrays of
    what the community page shows of them, in their own order, read with the community's own
    row; `community_program` takes them from there (two statements fewer a page)."""
    gaps = (
        CapabilityGap.objects.filter(community=OuterRef("pk"))
        .order_by(F("rank").asc(nulls_last=True), "title", "pk")
        .annotate(row=JSONArray("pk", "slug", "title_en", "title_fr", "kind", "status"))
        .values("row")
    )
    projects = (
        Project.objects.filter(communities=OuterRef("pk"))
        .order_by("-year", "title", "pk")
        .annotate(row=JSONArray("pk", "slug", "title_en", "title_fr", "year"))
        .values("row")
    )
    return {"gap_rows": ArraySubquery(gaps), "project_rows": ArraySubquery(projects)}


def community_program(community, user) -> dict:
    """The context of templates/proposals/_community_program.html for a community page: its
    gaps and projects from the community's row (`program_in_community_row`), else read."""
    if hasattr(community, "gap_rows"):
        # The community's own object serves the gaps' links (no join, no copy per gap).
        gaps = [
            CapabilityGap(
                pk=pk,
                community=community,
                slug=slug,
                title_en=title_en,
                title_fr=title_fr,
                kind=kind,
                status=status,
            )
            for pk, slug, title_en, title_fr, kind, status in community.gap_rows
        ]
        projects = [
            Project(pk=pk, slug=slug, title_en=title_en, title_fr=title_fr, year=year)
            for pk, slug, title_en, title_fr, year in community.project_rows
        ]
    else:
        gaps = _COMMUNITY_GAPS.list(community_id=community.pk)
        for gap in gaps:
            gap.community = community
        projects = _COMMUNITY_PROJECTS.list(community_id=community.pk)
    return {
        "community": community,
        "gaps": gaps,
        "projects": projects,
        "can_manage_gaps": policies.can_order_gaps(user, community),
    }

import datetime
import functools
from functools import cached_property

from django.contrib.auth.models import AnonymousUser
from django.db.models import (
    FilteredRelation,
    Prefetch,
    Q,
    QuerySet,
)

from cssp_portal.collation import order_by_name
from cssp_portal.forms import option_rows
from cssp_portal.fragments import rows_digest
from cssp_portal.precompiled import Precompiled

from .access import VIEW, StandingQuery, standing_of
from .models import Community, CommunityOrganization, Organization
from .policies import communities_of_member, communities_visible_to

__all__ = ["communities_of_member", "communities_visible_to"]


_LEAD_ROLES = [CommunityOrganization.Role.LEAD, CommunityOrganization.Role.CO_LEAD]


def _with_lead_links(communities: QuerySet[Community]) -> QuerySet[Community]:
    leads = CommunityOrganization.objects.filter(role__in=_LEAD_ROLES).select_related(
        "organization"
    )
    return communities.prefetch_related(
        Prefetch("organization_links", queryset=leads, to_attr="lead_links")
    )


def community_directory(user) -> QuerySet[Community]:
    """The directory: active top-level communities the user may see, with their lead
    organizations, in one query each."""
    communities = _with_lead_links(communities_visible_to(user).active().top_level())
    return order_by_name(communities, "name")


class CardListing:
    """Communities for a page that keeps their cards as one fragment
    (communities/_community_cards.html), in the order of `queryset`.

    `version` digests what the cards show: each community's own version and its lead
    organizations' (which, and their latest change), read in one narrow query (the
    communities joined to their lead links) that builds no community; `communities` (the rows
    with their lead organizations) is read only when the cards render, that is when the
    fragment kept under that version is missing. A lead organization added, removed or renamed
    changes its community's entry (every save stamps updated_at with the current time)."""

    def __init__(self, queryset: QuerySet[Community] | None = None, *, joined=None):
        # The card rows, read: from the queryset (`_card_rows`), or by a caller that reads
        # the same rows another way (`directory`).
        if (queryset is None) == (joined is None):
            raise TypeError("CardListing takes a queryset or a reader of its rows, not both")
        self._joined = joined or (lambda: _card_rows(queryset))

    @classmethod
    def directory(cls, who) -> "CardListing":
        """Every card of the directory `who` sees (the home page; the directory page without
        a filter). The rows' query is compiled once per shape of standing (a signed-in
        person: communities.access.StandingQuery) or once for everyone signed out."""
        standing = standing_of(who)
        if standing.signed_in:
            joined = functools.partial(_DIRECTORY_CARD_ROWS.list, standing)
        else:
            joined = _PUBLIC_DIRECTORY_CARD_ROWS.list
        return cls(joined=joined)

    @cached_property
    def _rows(self) -> list[tuple]:
        """(community id, updated_at, ((lead organization id, its updated_at), ...)) in the
        queryset's order."""
        communities: dict[int, datetime.datetime] = {}
        leads: dict[int, list] = {}
        for pk, updated_at, organization_id, organization_updated_at in self._joined():
            communities.setdefault(pk, updated_at)
            if organization_id is not None:
                leads.setdefault(pk, []).append((organization_id, organization_updated_at))
        return [
            (pk, updated_at, tuple(sorted(leads.get(pk, ()))))
            for pk, updated_at in communities.items()
        ]

    def __bool__(self) -> bool:
        return bool(self._rows)

    def __len__(self) -> int:
        return len(self._rows)

    @cached_property
    def version(self) -> str:
        return rows_digest(self._rows)

    @cached_property
    def communities(self) -> list[Community]:
        ids = [row[0] for row in self._rows]
        found = _with_lead_links(Community.objects.filter(pk__in=ids)).in_bulk()
        return [found[pk] for pk in ids if pk in found]


def _card_rows(communities: QuerySet[Community]) -> QuerySet:
    """(community id, updated_at, lead organization id, its updated_at) for each community of
    `communities` and each of its lead organizations (or None), in the queryset's order."""
    return (
        communities.prefetch_related(None)
        .annotate(
            lead=FilteredRelation(
                "organization_links",
                condition=Q(organization_links__role__in=_LEAD_ROLES),
            )
        )
        .rewrite(False)  # plain values: no column here is translated
        .values_list("pk", "updated_at", "lead__organization_id", "lead__organization__updated_at")
    )


# The whole directory's card rows: compiled once per shape of a signed-in person's standing,
# once for everyone signed out (cssp_portal.precompiled).
_DIRECTORY_CARD_ROWS = StandingQuery(
    "directory cards", lambda standing: _card_rows(community_directory(standing)), asks=(VIEW,)
)
_PUBLIC_DIRECTORY_CARD_ROWS = Precompiled(
    "directory cards (signed out)",
    lambda: _card_rows(community_directory(AnonymousUser())),
)


def _option_rows(who):
    return option_rows(order_by_name(communities_visible_to(who), "name", "pk"))


# A filter's choice of community (the event list, the calendar, the member directory): every
# community the person may see, by name, as (pk, name) rows compiled once per shape of standing
# or once for everyone signed out.
_COMMUNITY_OPTIONS = StandingQuery("community options", _option_rows, asks=(VIEW,))
_PUBLIC_COMMUNITY_OPTIONS = Precompiled(
    "community options (signed out)", lambda: _option_rows(AnonymousUser())
)


# The community directory's organization filter: the organizations that belong to a
# community, as DirectoryFilterForm's queryset gives them, compiled once per language.
_DIRECTORY_ORGANIZATION_OPTIONS = Precompiled(
    "directory organization options",
    lambda: option_rows(
        order_by_name(
            Organization.objects.filter(communities__isnull=False).distinct(), "name", "pk"
        ),
        Organization.LABEL_FIELDS,
    ),
)


def directory_organization_options() -> list[tuple]:
    """The community directory's organization filter, as option rows
    (cssp_portal.forms.option_rows)."""
    return _DIRECTORY_ORGANIZATION_OPTIONS.list()


def community_choices(who) -> dict:
    """A filter form's choice of community for `who`: "communities", the queryset that cleans
    a chosen one (those `who` may see), and "community_options", the same as (pk, name) rows
    in the reader's order, for NamedModelChoiceField.choose_from."""
    standing = standing_of(who)
    if standing.signed_in:
        rows = _COMMUNITY_OPTIONS.list(standing)
    else:
        rows = _PUBLIC_COMMUNITY_OPTIONS.list()
    return {"communities": communities_visible_to(standing), "community_options": rows}


def community_directory_search(
    user, *, q: str = "", organization=None, join_policy: str = "", mine: bool = False
) -> QuerySet[Community]:
    """The directory narrowed by words (each must appear in a name, summary or member
    organization, in either language), an organization, a join policy, or the user's own."""
    communities = community_directory(user)
    for word in q.split():
        communities = communities.filter(
            Q(name_en__icontains=word)
            | Q(name_fr__icontains=word)
            | Q(summary_en__icontains=word)
            | Q(summary_fr__icontains=word)
            | Q(organizations__name_en__icontains=word)
            | Q(organizations__name_fr__icontains=word)
            | Q(organizations__acronym_en__icontains=word)
            | Q(organizations__acronym_fr__icontains=word)
        )
    if organization is not None:
        communities = communities.filter(organizations=organization)
    if join_policy:
        communities = communities.filter(join_policy=join_policy)
    if mine:
        communities = communities.filter(pk__in=standing_of(user).member_of)
    return communities.distinct()


def communities_followed_by(who) -> QuerySet[Community]:
    """The communities whose news concerns the person: those they belong to and those assigned
    to them as portfolio manager."""
    standing = standing_of(who)
    return Community.objects.filter(pk__in=standing.member_of | standing.portfolio_ids)

"""A person's standing in the portal, read once per request and shared by every policy.

Every access rule of the portal (each app's `policies.py`) asks the same few questions: is this
person signed in, an administrator, a portfolio manager, and what may they do in each community?
Asked of django-guardian one by one, each `has_perm` builds a checker and queries, and one page
asked dozens of times. Here the answers come from ONE query (a UNION of the person's
memberships, their object grants on communities, direct and through their groups, their global
permissions, their portfolio assignments and whether they have an authenticator for two-factor
sign-in), kept for the rest of the request by
`StandingMiddleware` (a context variable, per person), so views, templates and the services
they call all share it. Guardian stays the store of the grants; this reads its tables directly.

- `standing_of(who)` accepts a user, an anonymous user, a request or a Standing (policies take
  any of them, so views and services pass what they have).
- Outside a request (tasks, commands, the shell) nothing is kept unless the code opens a
  `standing_scope()`: every call reads the grants afresh.
- Services that grant or revoke (`membership_sync_access`) call `forget_standing(user)` so a
  later check in the same request reads the new grants.
- What is read from the user row itself (active, superuser, vetting) is never cached: a
  standing never outlives a change of those flags on the object it was asked about.

The ONE definition of an administrator is here: an active superuser. Staff without it only
reach the admin screens their model permissions allow; they have no extra rights in the portal.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime
import functools
from collections.abc import Iterator, Mapping
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db import connection
from django.db.models.signals import post_migrate
from django.dispatch import receiver
from django.utils import timezone

from cssp_portal.people import signed_in, user_of
from cssp_portal.precompiled import Precompiled, check_plan, prepared_statement

VIEW = "communities.view_community"
PARTICIPATE = "communities.participate_in_community"
MANAGE = "communities.manage_community"
ACT_AS_PORTFOLIO_MANAGER = "members.act_as_portfolio_manager"

_EMPTY: frozenset = frozenset()
# user id -> Standing, for the request (or scope) under way; None outside one.
_scope: ContextVar[dict | None] = ContextVar("cssp_standing_scope", default=None)


@dataclass(frozen=True, eq=False)
class Standing:
    """What one person may do, as far as the communities and global roles decide it."""

    user: Any
    # community id -> (state, role, created_at) of the person's current memberships (invited,
    # requested, active); `roles` keeps the active ones only.
    memberships: Mapping[int, tuple] = field(default_factory=dict)
    # community id -> the community permissions granted on it ("communities.view_community"...)
    grants: Mapping[int, frozenset[str]] = field(default_factory=dict)
    # "app_label.codename" of the global permissions (own and through groups)
    global_perms: frozenset[str] = _EMPTY
    # communities assigned to the person as portfolio manager
    portfolio_ids: frozenset[int] = _EMPTY
    # communities whose core group the person belongs to (active memberships flagged core)
    core_of: frozenset[int] = _EMPTY
    # whether the person protects their account with an authenticator app (allauth's MFA,
    # TOTP): read with the rest, so two-factor enforcement (members/two_factor.py) costs nothing
    has_authenticator: bool = False

    # --- who the person is -------------------------------------------------------------------

    @property
    def signed_in(self) -> bool:
        return signed_in(self.user)

    @property
    def vetted(self) -> bool:
        """A signed-in member the program vouches for (members.models.Vetting), read from the
        user row (no query): what every rule about "signed-in members" asks. Guests (self-
        registered, not yet approved or invited) are signed in but not vetted; administrators
        always are."""
        return self.signed_in and bool(getattr(self.user, "is_vetted", True))

    @property
    def is_guest(self) -> bool:
        """Signed in but not vetted: sees public content only (the guest banner says so)."""
        return self.signed_in and not self.vetted

    @property
    def user_id(self) -> int | None:
        return self.user.pk if self.signed_in else None

    @property
    def is_admin(self) -> bool:
        """An administrator: an active superuser. The one definition in the portal."""
        return self.signed_in and bool(self.user.is_superuser)

    @property
    def is_portfolio_manager(self) -> bool:
        """Holds the portfolio-manager role (administrators count as one everywhere)."""
        return self.has_global(ACT_AS_PORTFOLIO_MANAGER)

    @property
    def is_program_staff(self) -> bool:
        """Administrators and portfolio managers: they run calls, review and export."""
        return self.is_admin or self.is_portfolio_manager

    # --- community permissions ---------------------------------------------------------------

    def has_global(self, perm: str) -> bool:
        """The permission everywhere (administrators, or granted without an object)."""
        return self.signed_in and (self.is_admin or perm in self.global_perms)

    def has(self, perm: str, community_or_id) -> bool:
        """The permission globally or on this community."""
        if not self.signed_in:
            return False
        if self.has_global(perm):
            return True
        community_id = getattr(community_or_id, "pk", community_or_id)
        return perm in self.grants.get(community_id, _EMPTY)

    def community_ids_with(self, perm: str) -> frozenset[int]:
        """The communities where the permission is granted on the object itself (global
        permissions not included: callers decide what "everywhere" means for them)."""
        if not self.signed_in:
            return _EMPTY
        return frozenset(cid for cid, perms in self.grants.items() if perm in perms)

    @property
    def member_of(self) -> frozenset[int]:
        """The communities the person belongs to (any role), as their grants say."""
        return self.community_ids_with(VIEW)

    @property
    def roles(self) -> dict[int, str]:
        """community id -> role of the person's active memberships."""
        active = self.memberships.items()
        return {cid: facts[1] for cid, facts in active if facts[0] == "active"}

    def membership_in(self, community):
        """The person's current membership of `community` as an unsaved Membership (state, role
        and date, which the community page shows), or None: no query."""
        from .models import Membership

        facts = self.memberships.get(community.pk)
        if facts is None:
            return None
        state, role, created_at = facts
        return Membership(
            community=community, user=self.user, state=state, role=role, created_at=created_at
        )


# --- Queries compiled once for everyone of the same shape ---------------------------------------


class NotInShape(TypeError):
    """A rule asked a query-shape standing something it does not answer in Python."""


class _IdsForSql(list):
    """A shape standing's communities: handed to the SQL (`field__any=...`), never inspected by
    the rule building it (the SQL is shared by everyone of the shape, whatever their ids)."""

    def _refuse(self, *args):
        raise NotInShape(
            "A rule built for everyone of a shape asked which communities the person is in; "
            "only the SQL may ask (`__any`)."
        )

    __contains__ = __bool__ = __eq__ = __hash__ = _refuse


def _not_in_shape(self, *args):
    raise NotInShape(
        "A query compiled once for everyone of a shape (`StandingQuery`) read a fact of the "
        "standing that is not part of the shape: add it to the shape or build the query each "
        "time."
    )


class ShapeStanding(Standing):
    """The standing a query is built with when its SQL is compiled once for everyone of the
    same shape (`StandingQuery`): signed in, vetted or not, holding or not each global
    permission the query asks about; the person's id and communities are SQL parameters.
    Whatever else a rule might read of a person (their roles, grants, portfolio, a membership,
    whether a given community is theirs) raises NotInShape: a rule that decides in Python from
    one person's facts cannot be shared, and says so the first time it is built."""

    def __init__(self, *, vetted: bool, held: frozenset, asks: frozenset, user_id, member_of):
        object.__setattr__(self, "_shape", (vetted, held, asks))
        object.__setattr__(self, "_person", (user_id, member_of))

    user = memberships = grants = global_perms = portfolio_ids = core_of = property(_not_in_shape)
    is_admin = roles = property(_not_in_shape)
    has = community_ids_with = membership_in = _not_in_shape

    def __repr__(self) -> str:
        return f"ShapeStanding(vetted={self._shape[0]}, held={sorted(self._shape[1])})"

    @property
    def signed_in(self) -> bool:
        return True

    @property
    def vetted(self) -> bool:
        return self._shape[0]

    @property
    def user_id(self):
        return self._person[0]

    @property
    def member_of(self):
        return _IdsForSql(self._person[1])

    def has_global(self, perm: str) -> bool:
        _vetted, held, asks = self._shape
        if perm not in asks:
            _not_in_shape(self)
        return perm in held


class StandingQuery:
    """A query whose SQL depends on who asks only through the shape of their standing (vetted
    or not, and which of `asks`, global permissions, they hold), compiled once per shape,
    process and language (cssp_portal.precompiled), then run with the person's id and their
    communities as parameters (one array: `field__any=standing.member_of`).

    `build(standing, **values)` builds the queryset from a ShapeStanding, asking the policies
    exactly as for anyone; `list(standing, **values)` runs it for a signed-in person.

        _MY_EVENTS = StandingQuery(
            "my events", lambda standing: Event.objects.filter(community__any=standing.member_of)
        )
        events = _MY_EVENTS.list(standing_of(request.user))

    A rule that reads any other fact of the person raises NotInShape when the query is first
    built (in the tests too: SQLite builds it every time, with the person's real ids)."""

    def __init__(self, name: str, build, *, asks=(VIEW,), plan="auto", **parameters: type):
        check_plan(plan)
        self.name, self.build, self.asks = name, build, frozenset(asks)
        self.plan = plan  # cssp_portal.precompiled: "auto" or "generic", for every shape
        self.parameters = parameters
        self._by_shape: dict[tuple, Any] = {}

    def list(self, who, **values) -> list:
        query, values = self._query_for(who, values)
        return query.list(**values)

    def count(self, who, **values) -> int:
        """How many rows `list` would give (Precompiled.count: build it unordered)."""
        query, values = self._query_for(who, values)
        return query.count(**values)

    def _query_for(self, who, values: dict) -> tuple[Precompiled, dict]:
        """The query compiled for the shape of `who`'s standing, and all its values."""
        standing = standing_of(who)
        if not standing.signed_in:
            raise ValueError(f"The {self.name} query is for signed-in people")
        shape = (standing.vetted, frozenset(p for p in self.asks if standing.has_global(p)))
        query = self._by_shape.get(shape)
        if query is None:
            vetted, held = shape

            def build(*, shape_user_id, shape_member_of, **values):
                standing = ShapeStanding(
                    vetted=vetted,
                    held=held,
                    asks=self.asks,
                    user_id=shape_user_id,
                    member_of=shape_member_of,
                )
                return self.build(standing, **values)

            query = self._by_shape[shape] = Precompiled(
                f"{self.name} ({'vetted' if vetted else 'guest'}, {sorted(held)})",
                build,
                may_skip=frozenset({"shape_user_id", "shape_member_of"}),
                plan=self.plan,
                shape_user_id=int,
                shape_member_of=list,
                **self.parameters,
            )
        person = {"shape_user_id": standing.user_id, "shape_member_of": list(standing.member_of)}
        return query, {**person, **values}


@functools.cache
def _standing_sql() -> str:
    """The standing's one query, written once from the models' own table names: SQL text,
    not a queryset, because compiling a seven-part UNION through the ORM cost more Python time on
    every signed-in request than the query itself (tests/bench)."""
    from allauth.mfa.models import Authenticator
    from django.contrib.auth.models import Group

    User = get_user_model()

    from .models import (
        Community,
        CommunityGroupObjectPermission,
        CommunityUserObjectPermission,
        Membership,
    )

    def table(model) -> str:
        return connection.ops.quote_name(model._meta.db_table)

    # Table names come from the models, nothing from a request.
    return _STANDING_SQL.format(
        membership=table(Membership),
        states=", ".join(f"'{state}'" for state in Membership.CURRENT_STATES),
        user_grants=table(CommunityUserObjectPermission),
        group_grants=table(CommunityGroupObjectPermission),
        user_groups=table(User.groups.through),
        user_perms=table(User.user_permissions.through),
        group_perms=table(Group.permissions.through),
        portfolios=table(Community.portfolio_managers.through),
        authenticators=table(Authenticator),
        totp=Authenticator.Type.TOTP,
    )


# Grants and permissions come back as permission ids, named from `_permission_names` (the
# permission table only changes when migrations run): joining the permission and content-type
# tables in each of four parts doubled the query's planning time, paid on every request.
_STANDING_SQL = " UNION ALL ".join(
    [
        # 'mc': a membership in the community's core group (read in the same row).
        "SELECT CASE WHEN is_core AND state = 'active' THEN 'mc' ELSE 'm' END, "
        "community_id, state, role, created_at FROM {membership} "
        "WHERE user_id = %(user)s AND state IN ({states})",
        "SELECT 'g', x.content_object_id, NULL, CAST(x.permission_id AS TEXT), NULL "
        "FROM {user_grants} x WHERE x.user_id = %(user)s",
        "SELECT 'g', x.content_object_id, NULL, CAST(x.permission_id AS TEXT), NULL "
        "FROM {group_grants} x JOIN {user_groups} ug ON ug.group_id = x.group_id "
        "WHERE ug.user_id = %(user)s",
        "SELECT 'p', NULL, NULL, CAST(x.permission_id AS TEXT), NULL "
        "FROM {user_perms} x WHERE x.user_id = %(user)s",
        "SELECT 'p', NULL, NULL, CAST(x.permission_id AS TEXT), NULL "
        "FROM {group_perms} x JOIN {user_groups} ug ON ug.group_id = x.group_id "
        "WHERE ug.user_id = %(user)s",
        "SELECT 'pm', community_id, NULL, NULL, NULL FROM {portfolios} WHERE user_id = %(user)s",
        "SELECT 't', NULL, NULL, NULL, NULL FROM {authenticators} "
        "WHERE user_id = %(user)s AND type = '{totp}'",
    ]
)

# permission id -> "app_label.codename", read once per process; read again when an id is
# missing (a permission created since) and emptied after migrations (a flushed test database
# may number its permissions afresh).
_permission_names: dict[int, str] = {}


def _permission_name(permission_id: int) -> str:
    name = _permission_names.get(permission_id)
    if name is None:
        _permission_names.clear()
        _permission_names.update(
            (pk, f"{app_label}.{codename}")
            for pk, app_label, codename in Permission.objects.values_list(
                "pk", "content_type__app_label", "codename"
            )
        )
        name = _permission_names.get(permission_id, "")
    return name


@receiver(post_migrate)
def _forget_permission_names(**kwargs) -> None:
    _permission_names.clear()


def _moment(value):
    """A date-time read through a UNION: SQLite gives it back as text, without its zone."""
    if isinstance(value, str):
        value = datetime.datetime.fromisoformat(value)
    if value is not None and timezone.is_naive(value):
        value = timezone.make_aware(value, datetime.UTC)
    return value


# On PostgreSQL the standing query is a prepared statement of each database connection
# (cssp_portal.precompiled.prepared_statement): planning its UNION (then of six parts) cost more
# than running it (0.7-0.9 ms against 0.1-0.2 ms, on every signed-in request; EXECUTE of the
# prepared one 0.25 ms in all, tests/bench).


def _execute_standing(cursor, user_id: int) -> None:
    if connection.vendor != "postgresql":
        cursor.execute(_standing_sql(), {"user": user_id})
        return
    body = _standing_sql().replace("%(user)s", "$1")
    with prepared_statement(connection, "portal_standing", body, 1, "(bigint)") as sql:
        cursor.execute(sql, [user_id])


def _load(user) -> Standing:
    """The one query: memberships, object grants (own and through groups), global
    permissions, portfolio assignments and an authenticator, as (kind, community, a, b, since)
    rows."""
    with connection.cursor() as cursor:
        _execute_standing(cursor, user.pk)
        rows = cursor.fetchall()
    memberships: dict[int, tuple] = {}
    grants: dict[int, set[str]] = {}
    global_perms: set[str] = set()
    portfolio_ids: set[int] = set()
    core_of: set[int] = set()
    has_authenticator = False
    for kind, community_id, a, b, since in rows:
        if kind in ("m", "mc"):
            memberships[community_id] = (a, b, _moment(since))
            if kind == "mc":
                core_of.add(community_id)
        elif kind == "g":
            grants.setdefault(community_id, set()).add(_permission_name(int(b)))
        elif kind == "p":
            global_perms.add(_permission_name(int(b)))
        elif kind == "t":
            has_authenticator = True
        else:
            portfolio_ids.add(community_id)
    return Standing(
        user=user,
        memberships=memberships,
        grants={cid: frozenset(perms) for cid, perms in grants.items()},
        global_perms=frozenset(global_perms),
        portfolio_ids=frozenset(portfolio_ids),
        core_of=frozenset(core_of),
        has_authenticator=has_authenticator,
    )


def standing_of(who) -> Standing:
    """The standing of a user (or of a request's user, REST framework's included): read once
    per request or scope, then kept; a Standing is returned as it is."""
    if isinstance(who, Standing):
        return who
    who = user_of(who)  # a Django request, or a REST framework one wrapping it
    if not signed_in(who):
        return Standing(user=who)
    kept = _scope.get()
    if kept is None:
        return _load(who)
    standing = kept.get(who.pk)
    if standing is None:
        standing = kept[who.pk] = _load(who)
    elif standing.user is not who:
        # Another object for the same person: same grants, its own flags.
        standing = dataclasses.replace(standing, user=who)
    return standing


def forget_standing(user) -> None:
    """Drop the kept standing of this person (after their grants changed)."""
    kept = _scope.get()
    if kept is not None:
        kept.pop(getattr(user, "pk", None), None)


@contextlib.contextmanager
def standing_scope() -> Iterator[None]:
    """Keep each person's standing until the block ends (a request, a task, a command)."""
    token = _scope.set({})
    try:
        yield
    finally:
        _scope.reset(token)


class StandingMiddleware:
    """Opens a standing scope for each request: one standing query per person and request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with standing_scope():
            return self.get_response(request)

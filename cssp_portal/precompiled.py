"""Queries whose SQL is compiled once per process and language, then run with new values.

Building a QuerySet and compiling it to SQL costs Django more than PostgreSQL takes to plan
and run a short query (the community page's own row, with its four EXISTS and its portfolio
managers, about 1.5 ms of Python for 0.3 ms in the database, tests/bench). A page's hottest
queries whose shape never changes (the same filters, annotations and ordering for every
visitor; only a slug or an id differs) are built and compiled once, then run again with the
request's values through Django's own iterable: the same model instances, select_related,
annotations, converters and prefetch_related as the QuerySet would give.

    _COMMUNITY = Precompiled(
        "community page", lambda slug: Community.objects.filter(slug=slug), slug=str
    )
    community = _COMMUNITY.first(slug=slug)

Every value that may differ from one run to the next is a parameter (a text, an integer, a
day, a date-time such as the request's "now", or a list of ids given to `field__any`, one array
whatever its length: cssp_portal.lookups). The queryset is built twice, with two different
placeholder values for each parameter, and both compilations must agree everywhere but where
those placeholders sit. So a query whose SQL depends on a value (a list's length, a branch on
the user) or that carries a value of its own making (timezone.now()) is refused when first
run, never cached with a stale value; so is any date or time that is not a parameter (today's
date would agree with itself until midnight). A query whose shape depends on who asks
(visibility) does not belong here.

On PostgreSQL the compiled SQL is also a prepared statement of each database connection
(PREPARE on its first run there, then EXECUTE with the values): PostgreSQL parses it once, and
after five runs keeps one generic plan when that plan is estimated no worse than planning for
each value (plan_cache_mode "auto"), so the hottest statements are no longer planned on every
request (the home page's events: 1.5 ms of planning for 0.9 ms of running, tests/bench). A
statement whose generic plan would be worse for the values it gets keeps being planned for them,
as before. Only the parameters are values of the prepared statement: the query's own constants (a
role, a state, EXISTS' 1) are written into it as SQL literals, so the generic plan is estimated
with them as a per-value plan is (with them as values too, PostgreSQL guessed their selectivity,
judged the generic plan worse and planned the community page's own row on every run: 2.4 ms of
planning for 2 ms of running; tests/bench).

A statement can also be told to use its generic plan from its first run (`plan="generic"`): for
the few whose generic plan PostgreSQL estimates a little worse than a per-value plan but which in
fact run faster with it than it takes to plan them each time (the dashboard's lists: planned on
every run under "auto", 1.5-3.6 ms per run against 0.6-2.4 ms generic; tests/bench). Declared
per query, by measurement: a statement whose per-value plan is really better (the home page's
events for a portfolio manager: 2.4 ms planned per run, 5 ms generic) keeps "auto". The mode is
set for that statement alone (SET LOCAL in the same round trip, which the run's own implicit
transaction ends); inside a transaction it would last to the transaction's end, so there the
statement runs as any other.

A failed run leaves the connection's statement in doubt: the next run prepares it again under a
new name. A prepared statement lasts as long as its connection, so a pooler in transaction mode
(PgBouncer's) would need its prepared-statement support; the portal connects to PostgreSQL
directly.

On PostgreSQL only (the portal's database); elsewhere the queryset is built and run each time.
The signed-in person's own row, read on every request, has a leaner path of its own
(members.models.UserManager.get: one statement per model, no iterable, any model's manager).
"""

from __future__ import annotations

import contextlib
import copy
import dataclasses
import datetime
import itertools
import re
from collections.abc import Callable, Iterator

from django.core.exceptions import ImproperlyConfigured
from django.db import connection, connections
from django.db.models import QuerySet
from django.utils import translation

_serial = itertools.count(1)


class _Text(str):
    """A text placeholder no real value can equal (a NUL byte never reaches PostgreSQL)."""


def _placeholder(kind: type, serial: int, index: int):
    if kind is str:
        return _Text(f"\x00{serial}:{index}")
    if kind is int:  # no key or count is this far below zero
        return -(10**15) - serial * 1000 - index
    if kind is list:  # a list of ids (cssp_portal.lookups: `pk__any=ids`)
        return [-(10**15) - serial * 1000 - index]
    if kind is datetime.datetime:  # a moment nothing in the portal is dated
        moment = datetime.datetime(1111, 1, 1, tzinfo=datetime.UTC)
        return moment + datetime.timedelta(microseconds=serial * 1000 + index)
    if kind is datetime.date:  # a day nothing in the portal is dated (a year 1111 + serial)
        return datetime.date(1111, 1, 1) + datetime.timedelta(days=serial * 20 + index)
    raise TypeError(
        f"A precompiled query takes text, integer, list, date and datetime parameters: {kind}"
    )


@dataclasses.dataclass(frozen=True)
class _Compiled:
    queryset: QuerySet
    compiler: object
    sql: str
    slots: tuple[tuple[int, str], ...]  # (position among the SQL's values, parameter name)
    serial: int  # names its prepared statement
    # PREPARE's body: the SQL with $1, $2... for the parameters, in the order of `slots`, and
    # the query's own constants as literals (a literal % stays %%, as the driver expects in a
    # statement run with values).
    body: str


_PLACEHOLDER = re.compile(r"%%|%s")
# Each compiled query's SQL by the serial in its statements' names, for statement_sql().
_SQL_BY_SERIAL: dict[int, str] = {}
PLANS = ("auto", "generic")
# Set for one statement in autocommit: the statements of one query string are one implicit
# transaction, which SET LOCAL lasts until.
_GENERIC_PLAN = "SET LOCAL plan_cache_mode = force_generic_plan; "
_STATEMENT_NAME = re.compile(
    rf"(?:{re.escape(_GENERIC_PLAN)})?(?:PREPARE|EXECUTE) portal_q(\d+)_\d+\b"
)


def statement_sql(sql: str) -> str:
    """The SQL a statement from the query log runs: a precompiled query's own SQL for the
    PREPARE or EXECUTE of its prepared statement (the query log shows what was sent; a test
    reads which tables and columns a page used), any other statement as it is."""
    match = _STATEMENT_NAME.match(sql)
    if match is None:
        return sql
    return _SQL_BY_SERIAL.get(int(match.group(1)), sql)


def _numbered(sql: str, literals: dict[int, str] | None = None) -> str:
    """`sql` with $1, $2... for its placeholders but those at the positions in `literals`,
    which get that SQL literal instead (its % doubled)."""
    literals = literals or {}
    positions, numbers = itertools.count(), itertools.count(1)

    def replace(match) -> str:
        if match.group(0) == "%%":
            return "%%"
        position = next(positions)
        if position in literals:
            return literals[position].replace("%", "%%")
        return f"${next(numbers)}"

    return _PLACEHOLDER.sub(replace, sql)


def _literal(value) -> str:
    """A constant of a query as PostgreSQL reads it in SQL text, quoted by the driver."""
    return connection.ops.compose_sql("%s", [value])


class _Prepared:
    """The statements prepared on one connection to the database (a reconnection has none)."""

    def __init__(self, raw):
        self.raw = raw
        self.names: set[str] = set()
        # A run that failed while preparing leaves its statement in doubt (PREPARE survives a
        # rollback): from then on this connection's statements get new names.
        self.generation = 0

    @classmethod
    def of(cls, wrapper) -> _Prepared:
        prepared = getattr(wrapper, "_portal_prepared", None)
        if prepared is None or prepared.raw is not wrapper.connection:
            prepared = wrapper._portal_prepared = cls(wrapper.connection)
        return prepared


def check_plan(plan: str) -> None:
    """Refuse a plan mode other than "auto" or "generic" (where the query is defined)."""
    if plan not in PLANS:
        raise ValueError(f"plan is one of {', '.join(PLANS)}: {plan!r}")


@contextlib.contextmanager
def prepared_statement(
    wrapper, name: str, body: str, count: int, types: str = "", plan: str = "auto"
) -> Iterator[str]:
    """The SQL that runs the prepared statement `name` (its `body` with $1, $2... for its
    `count` values, `types` an optional "(bigint, ...)") on this thread's connection `wrapper`:
    EXECUTE with the values, preceded by its PREPARE on the connection's first run (same round
    trip, one query). Run it inside the block: a run that fails there leaves the statement in
    doubt, and later runs prepare it again under a new name. `plan="generic"` runs it with its
    generic plan, outside a transaction (module docstring)."""
    check_plan(plan)
    wrapper.ensure_connection()
    prepared = _Prepared.of(wrapper)
    named = f"{name}_{prepared.generation}"
    execute = f"EXECUTE {named}({', '.join(['%s'] * count)})" if count else f"EXECUTE {named}"
    if plan == "generic" and not wrapper.in_atomic_block:
        execute = _GENERIC_PLAN + execute
    preparing = named not in prepared.names
    try:
        yield f"PREPARE {named}{types} AS {body}; {execute}" if preparing else execute
    except Exception:
        if preparing:
            prepared.generation += 1
        raise
    if preparing:
        prepared.names.add(named)


class Precompiled:
    """A query built by `build(**values)` and compiled once per process and language;
    `list(**values)` and `first(**values)` run it with the given values. `parameters` name
    each parameter's type (str, int, list, datetime.date or datetime.datetime); `plan` is
    "auto" (PostgreSQL chooses) or "generic" (module docstring)."""

    def __init__(
        self,
        name: str,
        build: Callable[..., QuerySet],
        *,
        may_skip: frozenset[str] = frozenset(),
        plan: str = "auto",
        **parameters: type,
    ):
        check_plan(plan)
        self.name = name
        self.build = build
        self.plan = plan
        self.parameters = parameters
        # Parameters the query may leave out of its SQL (a standing's ids, for a shape of
        # standing whose rule does not need them: communities.access.StandingQuery).
        self.may_skip = may_skip
        self._compiled: dict[str | None, _Compiled] = {}
        # The serial naming each compiled query's COUNT(*) statement (`count`), by language.
        self._count_serials: dict[str | None, int] = {}

    def _check_values(self, values: dict) -> None:
        if values.keys() != self.parameters.keys():
            raise TypeError(f"The {self.name} query takes {', '.join(self.parameters)}")

    def _for_language(self) -> _Compiled:
        compiled = self._compiled.get(language := translation.get_language())
        if compiled is None:
            compiled = self._compiled[language] = self._compile()
        return compiled

    def list(self, **values) -> list:
        self._check_values(values)
        if connection.vendor != "postgresql":
            # SQLite (the embedded default, one person trying the portal) adapts values on
            # their way into the SQL (a date-time becomes text): the queryset, as usual.
            return list(self.build(**values))
        compiled = self._for_language()
        params = tuple(values[name] for _position, name in compiled.slots)
        queryset = compiled.queryset._chain()
        compiler = copy.copy(compiled.compiler)
        wrapper = compiler.connection = connections[queryset.db]  # this thread's connection
        with prepared_statement(
            wrapper, f"portal_q{compiled.serial}", compiled.body, len(params), plan=self.plan
        ) as sql:
            compiler.as_sql = lambda *args, **kwargs: (sql, params)
            queryset.query.get_compiler = lambda *args, **kwargs: compiler
            return list(queryset)

    def first(self, **values):
        rows = self.list(**values)
        return rows[0] if rows else None

    def count(self, **values) -> int:
        """How many rows the query gives: COUNT(*) around its compiled SQL, a prepared
        statement of its own (elsewhere, the queryset's count()). Build the query without
        an ordering for this: PostgreSQL would sort the rows before counting them."""
        self._check_values(values)
        if connection.vendor != "postgresql":
            return self.build(**values).count()
        compiled = self._for_language()
        serial = self._count_serials.get(language := translation.get_language())
        # Django's own compiled SQL (values as parameters, constants quoted by the driver)
        # inside a fixed COUNT(*): nothing of a request is written into it.
        counted = "SELECT COUNT(*) FROM ({}) AS counted"
        if serial is None:
            serial = self._count_serials[language] = next(_serial)
            _SQL_BY_SERIAL[serial] = counted.format(compiled.sql)
        params = tuple(values[name] for _position, name in compiled.slots)
        wrapper = connections[compiled.queryset.db]
        body = counted.format(compiled.body)
        with (
            prepared_statement(
                wrapper, f"portal_q{serial}", body, len(params), plan=self.plan
            ) as sql,
            wrapper.cursor() as cursor,
        ):
            cursor.execute(sql, params)
            return cursor.fetchone()[0]

    def _compile(self) -> _Compiled:
        builds = []
        for _attempt in range(2):
            serial = next(_serial)
            placeholders = {
                name: _placeholder(kind, serial, index)
                for index, (name, kind) in enumerate(self.parameters.items())
            }
            queryset = self.build(**placeholders)
            compiler = queryset.query.get_compiler(using=queryset.db)
            sql, params = compiler.as_sql()
            builds.append((queryset, compiler, sql, tuple(params), placeholders))
        (queryset, compiler, sql, params, first), (_, _, other_sql, other_params, second) = builds
        slots = []
        agree = sql == other_sql and len(params) == len(other_params)
        for position, (value, other) in enumerate(zip(params, other_params, strict=False)):
            name = next(
                (n for n, p in first.items() if type(value) is type(p) and value == p), None
            )
            if name is not None:
                agree = agree and other == second[name]
                slots.append((position, name))
            elif value != other or isinstance(value, _Text | datetime.date | datetime.time):
                agree = False
        used = {name for _position, name in slots}
        if not agree or not used <= set(self.parameters) <= used | self.may_skip:
            raise ImproperlyConfigured(
                f"The {self.name} query cannot be precompiled: its SQL or a value of its own "
                "changes from one build to the next, or a parameter is transformed on its way "
                "into the SQL."
            )
        serial = next(_serial)
        _SQL_BY_SERIAL[serial] = sql
        in_slots = {position for position, _name in slots}
        literals = {
            position: _literal(value)
            for position, value in enumerate(params)
            if position not in in_slots
        }
        body = _numbered(sql, literals)
        return _Compiled(queryset, compiler, sql, tuple(slots), serial, body)


class FirstPage:
    """A list for Django's Paginator whose count and first page are read by precompiled
    queries (a list page's usual visit), any other page sliced from the queryset that
    `queryset()` builds, only then:

        Paginator(FirstPage(count=..., first=..., queryset=..., per_page=25), 25)

    The three callables take no argument (bind the values with functools.partial); `first()`
    gives the first `per_page` rows in the queryset's order."""

    def __init__(
        self,
        *,
        count: Callable[[], int],
        first: Callable[[], list],
        queryset: Callable[[], QuerySet],
        per_page: int,
    ):
        self._count, self._first, self._queryset = count, first, queryset
        self.per_page = per_page

    def count(self) -> int:
        return self._count()

    def __getitem__(self, key: slice) -> list:
        if key.stop == 0:
            return []
        if key.start in (0, None) and key.stop is not None and key.stop <= self.per_page:
            return self._first()[: key.stop]
        return list(self._queryset()[key])

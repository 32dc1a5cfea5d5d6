"""A fingerprint of every row of every table of the project, in one query: a request that
changes anything changes it. Sessions are left out (signing in writes them by design)."""

from django.db import connection

SKIPPED_TABLES = {"django_session"}


def _tables() -> list[str]:
    return sorted(
        table
        for table in connection.introspection.django_table_names(only_existing=True)
        if table not in SKIPPED_TABLES
    )


def database_fingerprint() -> dict[str, str]:
    tables = _tables()
    quote = connection.ops.quote_name
    parts = [
        f"SELECT {i} AS n, md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) "  # noqa: S608
        f"FROM {quote(table)} t"
        for i, table in enumerate(tables)
    ]
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts))
        rows = dict(cursor.fetchall())
    return {table: rows[i] for i, table in enumerate(tables)}


def changed_tables(before: dict[str, str], after: dict[str, str]) -> list[str]:
    return [table for table in after if before.get(table) != after[table]]

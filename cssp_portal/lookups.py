"""`field__any=[...]`: the field equals one of a list of ids, passed as one array
(PostgreSQL's `= ANY(%s)`). The values go to the database as given (no field conversion):
integers and texts, not dates.

The SQL is the same whatever the list's length, so a query that takes a list of ids can be
precompiled (cssp_portal.precompiled); and a calendar month's 200-500 event ids are one value
to adapt instead of as many placeholders for Django to build. Elsewhere (the embedded SQLite
default) it is an IN list, as `__in` gives.
"""

from django.core.exceptions import EmptyResultSet
from django.db.models import Field, ForeignObject, Lookup


class Any(Lookup):
    lookup_name = "any"
    # The list goes to the database as it is (one array), not through the field's conversion
    # of a single value.
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        values = list(self.rhs)
        if connection.vendor == "postgresql":
            return f"{lhs} = ANY(%s)", (*lhs_params, values)
        if not values:
            raise EmptyResultSet
        return f"{lhs} IN ({', '.join(['%s'] * len(values))})", (*lhs_params, *values)


# On every field, and on foreign keys (`user__any=ids`), which keep lookups of their own.
Field.register_lookup(Any)
ForeignObject.register_lookup(Any)

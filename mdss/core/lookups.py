"""``field__in_list=[…]``: an IN filter for long lists of ids.

Django's ``__in`` sends one placeholder per value; with 10,000 ids psycopg spends
most of the query's time parsing and binding them. On PostgreSQL this lookup sends
the whole list as one array parameter (``= ANY(%s)``); elsewhere it is a plain IN.
"""

from django.db.models import Field, ForeignObject, Lookup


class InList(Lookup):
    lookup_name = "in_list"
    prepare_rhs = False

    def get_db_prep_lookup(self, value, connection):
        return ("%s", [list(value)])

    def as_sql(self, compiler, connection):
        lhs_sql, lhs_params = self.process_lhs(compiler, connection)
        values = list(self.rhs)
        if not values:
            return "1 = 0", []
        if connection.vendor == "postgresql":
            return f"{lhs_sql} = ANY(%s)", [*lhs_params, values]
        placeholders = ", ".join(["%s"] * len(values))
        return f"{lhs_sql} IN ({placeholders})", [*lhs_params, *values]


def register() -> None:
    Field.register_lookup(InList)
    ForeignObject.register_lookup(InList)  # related fields keep their own lookup table

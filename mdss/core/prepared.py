"""Querysets compiled once per process, run many times with new values.

Turning a queryset into SQL costs Django more than running it: for the bearer-token
lookup every API call makes (token, user, department, superior: four tables, ~70
columns) compilation was ~0.4 ms of a 2 ms request, the largest single cost of
``GET /api/v1/accounts/me`` (docs/benchmarks.md, issue 14 §6). ``Prepared`` compiles
the queryset once per database alias with placeholder values, remembers where each
placeholder sits among the SQL parameters, and afterwards only swaps the values in
and builds the instances the way Django's own ``ModelIterable`` does (converters,
``select_related`` populators). The SQL text and the objects are exactly those of
the queryset; only the compilation is skipped.

Use it for a hot, fixed-shape lookup whose only varying inputs are values (not for a
query whose shape depends on the caller, such as a scope filter).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache, partial
from itertools import count
from typing import Any

from django.db import connections, router
from django.db.models import QuerySet
from django.db.models.query import get_related_populators
from django.db.models.sql.compiler import SQLInsertCompiler

from .sessions import forget, session_state


@dataclass(frozen=True)
class _Compiled:
    compiler: Any
    sql: str
    params: tuple
    positions: tuple[int, ...]
    converters: dict
    # How a row becomes instances, worked out once (Django does it per queryset).
    model: Any
    start: int
    end: int
    init_list: list[str]
    populators: list
    annotations: list


class Prepared:
    """``Prepared(Model, lambda a, b: Model.objects.filter(x=a, y=b)[:1])``; call it
    with the values: ``prepared(x_value, y_value)`` returns the list of instances.

    The builder must use each argument exactly once, as a plain filter value (each
    becomes one SQL parameter). ``kinds`` names each argument's type, ``str`` (the
    default) or ``int``: the placeholder is a value of that type no real row uses (a
    string with NUL bytes, a negative number beyond any id), found among the
    parameters by equality, so a placeholder that went missing or appeared twice is
    an error at the first call, not a wrong answer."""

    def __init__(self, model, build: Callable[..., QuerySet], kinds: tuple[type, ...] = ()):
        self._model = model
        self._build = build
        # A builder taking ``*values`` has as many arguments as ``kinds`` names.
        self._arity = len(kinds) if build.__code__.co_flags & 0x04 else build.__code__.co_argcount
        self._kinds = kinds or (str,) * self._arity
        if len(self._kinds) != self._arity or set(self._kinds) - {str, int}:
            raise TypeError("kinds: one of str or int per argument of the builder")
        self._compiled: dict[str, _Compiled] = {}

    def _compile(self, alias: str) -> _Compiled:
        placeholders = [
            f"\x00mdss-prepared-{n}\x00" if kind is str else -(10**15) - n
            for n, kind in enumerate(self._kinds)
        ]
        queryset = self._build(*placeholders)
        compiler = queryset.query.get_compiler(using=alias)
        sql, params = compiler.as_sql()
        params = tuple(params)
        positions = []
        for placeholder in placeholders:
            found = [
                n
                for n, value in enumerate(params)
                if type(value) is type(placeholder) and value == placeholder
            ]
            if len(found) != 1:
                raise ValueError(f"a prepared value must appear once in the SQL: {found}")
            positions.append(found[0])
        columns = [column[0] for column in compiler.select[: compiler.col_count]]
        converters = compiler.get_converters(columns)
        select, klass_info = compiler.select, compiler.klass_info
        start, end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
        return _Compiled(
            compiler,
            sql,
            params,
            tuple(positions),
            converters,
            model=klass_info["model"],
            start=start,
            end=end,
            init_list=[column[0].target.attname for column in select[start:end]],
            # Stateless once built (columns, setters): shared by every call.
            populators=get_related_populators(klass_info, select, alias),
            annotations=list(compiler.annotation_col_map.items()),
        )

    def __call__(self, *values) -> list:
        return self.objects(self.rows(*values))

    def _for(self, alias: str) -> _Compiled:
        compiled = self._compiled.get(alias)
        if compiled is None:
            compiled = self._compiled[alias] = self._compile(alias)
        return compiled

    def rows(self, *values) -> list[tuple]:
        """The rows as the driver returned them (plain values, safe to keep and share);
        ``objects(rows)`` turns them into new instances, as often as asked."""
        if len(values) != self._arity:
            raise TypeError(f"expected {self._arity} values, got {len(values)}")
        alias = router.db_for_read(self._model)
        compiled = self._for(alias)
        params = list(compiled.params)
        for position, value in zip(compiled.positions, values, strict=True):
            params[position] = value
        with connections[alias].cursor() as cursor:
            cursor.execute(compiled.sql, params)
            return cursor.fetchall()

    def objects(self, rows: list[tuple]) -> list:
        alias = router.db_for_read(self._model)
        return self._instances(self._for(alias), alias, rows)

    @staticmethod
    def _instances(compiled: _Compiled, alias: str, rows: list) -> list:
        # What django.db.models.query.ModelIterable and SQLCompiler.results_iter do
        # with a compiled query, with the converters looked up once.
        if compiled.converters:
            rows = compiled.compiler.apply_converters(rows, compiled.converters)
        model, start, end = compiled.model, compiled.start, compiled.end
        init_list, populators = compiled.init_list, compiled.populators
        annotations = compiled.annotations
        objects = []
        for row in rows:
            obj = model.from_db(alias, init_list, row[start:end])
            for populator in populators:
                populator.populate(row, obj)
            for name, position in annotations:
                setattr(obj, name, row[position])
            objects.append(obj)
        return objects


VALUES_ROWS = 8  # up to this many rows, an INSERT lists them as VALUES


class PreparedInsert:
    """``INSERT`` of one row of ``model`` compiled once per database, for the hottest
    writes (the audit event every audited change appends).

    Django compiles the statement on every ``save()``: for a dozen columns that cost
    more than the round trip (docs/benchmarks.md). ``insert(obj)`` does what
    ``save(force_insert=True)`` does for a new row of a plain model (fields'
    ``pre_save``, so defaults and ``auto_now`` apply; the column guard of
    ``core.inputs``; the value conversions; the new primary key), with the statement's
    text kept. The model must have no ``save()`` of its own, no parents and no other
    ``pre_save``/``post_save`` receivers than the column guard: checked when the
    statement is first compiled, so a receiver added later fails loudly, not silently
    skipped."""

    def __init__(self, model, *, skip_conflicts: bool = False):
        # ``skip_conflicts``: a row that would break a unique constraint is not written
        # and ``insert`` answers False, with no error to roll back (no savepoint needed).
        self._model = model
        self._skip_conflicts = skip_conflicts
        self._compiled: dict[tuple[str, int, bool], tuple[str, list, bool, bool]] = {}

    def _compile(self, alias: str, rows: int = 1, keyed: bool = False):
        from django.db.models import Model, signals
        from django.db.models.constants import OnConflict
        from django.db.models.sql import InsertQuery

        from mdss.core.inputs import guard_before_save

        model, meta = self._model, self._model._meta
        if model.save is not Model.save or meta.parents:
            raise TypeError(f"{meta.label}: save() of its own or a parent table")
        receivers = [
            receiver
            for signal in (signals.pre_save, signals.post_save)
            for receiver in signal._live_receivers(model)[0]
        ]
        if receivers != [guard_before_save]:
            raise TypeError(f"{meta.label}: save signals receivers {receivers}")
        # ``keyed``: the rows carry their key already (``reserve_key``), written like
        # any other column and not returned.
        fields = [
            f
            for f in meta.local_concrete_fields
            if not f.generated and (keyed or f is not meta.auto_field)
        ]
        connection = connections[alias]
        # SQLite's ``INSERT OR IGNORE`` (Django's IGNORE there) would also drop a row
        # that breaks NOT NULL or CHECK; its upsert clause, like PostgreSQL's, skips
        # only a uniqueness conflict: that clause is added by hand below.
        ignore = self._skip_conflicts and connection.vendor != "sqlite"
        query = InsertQuery(model, on_conflict=OnConflict.IGNORE if ignore else None)
        query.insert_values(fields, [model() for _n in range(rows)])
        compiler = query.get_compiler(using=alias)
        if rows <= VALUES_ROWS:
            # A few rows as VALUES, one parameter per value: PostgreSQL's compiler
            # would send one array per column (UNNEST), which the driver turns into
            # arrays in Python several times slower than plain values.
            compiler.assemble_as_sql = partial(SQLInsertCompiler.assemble_as_sql, compiler)
        returning = (
            not keyed
            and connection.features.can_return_columns_from_insert
            and (rows == 1 or connection.features.can_return_rows_from_bulk_insert)
        )
        compiler.returning_fields = [meta.pk] if returning else None
        [(sql, params)] = compiler.as_sql()
        if self._skip_conflicts and not ignore:
            head, returns, tail = sql.partition(" RETURNING ")
            sql = f"{head} ON CONFLICT DO NOTHING{returns}{tail}"
        # Several rows on PostgreSQL: Django sends one array per column (``UNNEST``).
        columnar = rows > 1 and len(params) == len(fields) and isinstance(params[0], list)
        return sql, fields, returning, columnar

    def _statement(self, alias: str, rows: int, keyed: bool = False):
        compiled = self._compiled.get((alias, rows, keyed))
        if compiled is None:
            compiled = self._compiled[(alias, rows, keyed)] = self._compile(alias, rows, keyed)
        return compiled

    def _rows(self, objs: list, keyed: bool = False):
        """The statement for these new rows and its parameters, not yet sent."""
        from mdss.core.inputs import check_columns

        alias = router.db_for_write(self._model)
        sql, fields, returning, columnar = self._statement(alias, len(objs), keyed)
        connection = connections[alias]
        rows = []
        for obj in objs:
            check_columns(obj)
            rows.append([f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields])
        values = [list(column) for column in zip(*rows, strict=True)] if columnar else sum(rows, [])
        return alias, sql, values, returning

    def insert(self, obj) -> bool:
        alias, sql, values, returning = self._rows([obj])
        with connections[alias].cursor() as cursor:
            cursor.execute(sql, values)
            if returning:
                row = cursor.fetchone()
                pk = row[0] if row is not None else None
            else:
                pk = cursor.lastrowid if cursor.rowcount else None
        if pk is None:
            return False  # skipped: it would have broken a unique constraint
        _written(obj, pk, alias)
        return True

    def insert_many(self, objs: list) -> None:
        """Several new rows in one ``INSERT`` (one statement compiled per number of
        rows); each object gets its key, in order."""
        if self._skip_conflicts:
            raise TypeError("insert_many does not skip conflicts")
        insert_together([(self, objs)])


def _written(obj, pk, alias: str) -> None:
    obj.pk = pk
    obj._state.adding = False
    obj._state.db = alias


def insert_together(parts: list[tuple[PreparedInsert, list]]) -> None:
    """New rows of several tables, each part's rows with one statement compiled once.
    Every part but the last carries its keys already (``reserve_key``); the last
    part's rows get theirs from the insert, in order, unless they carry them too.

    On PostgreSQL the parts before the last are data-modifying ``WITH`` clauses of
    the last ``INSERT``: one statement, so one round trip, and atomic on its own.
    Elsewhere the statements are sent one after the other."""
    statements = []
    for n, (prepared, objs) in enumerate(parts):
        keyed = all(obj.pk is not None for obj in objs)
        if not keyed and n < len(parts) - 1:
            raise ValueError("only the last part's rows may get their keys from the insert")
        if prepared._skip_conflicts and len(parts) > 1:
            raise TypeError("a row that may be skipped cannot be written with others")
        statements.append(prepared._rows(objs, keyed=keyed))
    alias, sql, values, returning = statements[-1]
    sent = statements[:-1]
    connection = connections[alias]
    raw = False
    if connection.vendor == "postgresql":
        # Django's query log writes the statement out with its values, for which it
        # needs Django's own placeholders: the numbered text only when none is kept.
        raw = not connection.queries_logged
        sql = _together(tuple(part[1] for part in statements), numbered=raw)
        values = [value for part in sent for value in part[2]] + values
        sent = []
    with _raw_cursor(connection) if raw else connection.cursor() as cursor:
        for _alias, part_sql, part_values, _returning in sent:
            cursor.execute(part_sql, part_values)
        cursor.execute(sql, values)
        keys = [row[0] for row in cursor.fetchall()] if returning else None
    for (part_alias, *_rest), (_prepared, objs) in zip(statements, parts, strict=True):
        for obj in objs:
            _written(obj, obj.pk, part_alias)
    if keys is not None:
        for obj, pk in zip(parts[-1][1], keys, strict=True):
            obj.pk = pk


@lru_cache(maxsize=128)
def _together(statements: tuple[str, ...], numbered: bool) -> str:
    """The parts as one statement, all but the last as data-modifying ``WITH``
    clauses. ``numbered``: with PostgreSQL's own ``$1, $2 …`` for Django's ``%s``, so
    that the driver sends it as it is; it would otherwise parse the text for its
    placeholders on every call (it keeps no parsed copy of a statement with more than
    50 values)."""
    *first, last = statements
    sql = last
    if first:
        clauses = ", ".join(f"mdss_w{n} AS ({part})" for n, part in enumerate(first))
        sql = f"WITH {clauses} {last}"
    if numbered:
        counter = count(1)
        sql = _PLACEHOLDER.sub(lambda m: "%" if m[0] == "%%" else f"${next(counter)}", sql)
    return sql


_PLACEHOLDER = re.compile(r"%%|%s")


def _raw_cursor(connection):
    """A cursor that sends statements written with ``$1`` placeholders as they are
    (psycopg's ``RawCursor``), behind Django's wrapper (database errors) like any
    other."""
    from psycopg import RawCursor

    connection.ensure_connection()
    return connection.make_cursor(RawCursor(connection.connection))


KEY_BLOCK = 16  # keys a connection takes from a table's sequence at a time
KEY_BLOCKS = "key_blocks"  # this session's unused keys, by table (core.sessions)


def reserve_key(obj) -> bool:
    """Give a new row its primary key before it is written (PostgreSQL), so a
    statement written together with it (its audit event) can name it: the key comes
    from a block this connection took from the table's sequence in one query, every
    ``KEY_BLOCK`` rows. Keys so reserved are unique but say nothing about the order in
    which rows were written (two processes take two blocks); an unused rest of a block
    is a gap, as a rolled-back insert leaves. Answers False where keys are given only
    by the insert (SQLite) or the key is not the table's own sequence."""
    meta = obj._meta
    alias = router.db_for_write(type(obj))
    connection = connections[alias]
    if connection.vendor != "postgresql" or meta.auto_field is not meta.pk:
        return False  # a key chosen by the caller (a code, a session key) is its own
    blocks = session_state(connection).setdefault(KEY_BLOCKS, {})
    free = blocks.setdefault(meta.db_table, [])
    if not free:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [connection.ops.quote_name(meta.db_table), meta.pk.column, KEY_BLOCK],
            )
            free.extend(sorted((row[0] for row in cursor.fetchall()), reverse=True))
    obj.pk = free.pop()
    return True


def forget_reserved_keys(**kwargs) -> None:
    """After ``migrate`` or ``flush`` (which restarts the sequences) or a restore that
    resets them, keys reserved before could be handed out again by the sequence."""
    forget(KEY_BLOCKS)

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

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import connections, router
from django.db.models import QuerySet
from django.db.models.query import get_related_populators


@dataclass(frozen=True)
class _Compiled:
    compiler: Any
    sql: str
    params: tuple
    positions: tuple[int, ...]
    converters: dict


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
        return _Compiled(compiler, sql, params, tuple(positions), converters)

    def __call__(self, *values) -> list:
        if len(values) != self._arity:
            raise TypeError(f"expected {self._arity} values, got {len(values)}")
        alias = router.db_for_read(self._model)
        compiled = self._compiled.get(alias)
        if compiled is None:
            compiled = self._compiled[alias] = self._compile(alias)
        params = list(compiled.params)
        for position, value in zip(compiled.positions, values, strict=True):
            params[position] = value
        with connections[alias].cursor() as cursor:
            cursor.execute(compiled.sql, params)
            rows = cursor.fetchall()
        return self._instances(compiled, alias, rows)

    @staticmethod
    def _instances(compiled: _Compiled, alias: str, rows: list) -> list:
        # What django.db.models.query.ModelIterable and SQLCompiler.results_iter do
        # with a compiled query, with the converters looked up once.
        compiler = compiled.compiler
        if compiled.converters:
            rows = compiler.apply_converters(rows, compiled.converters)
        select, klass_info = compiler.select, compiler.klass_info
        start, end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
        init_list = [column[0].target.attname for column in select[start:end]]
        populators = get_related_populators(klass_info, select, alias)
        model = klass_info["model"]
        objects = []
        for row in rows:
            obj = model.from_db(alias, init_list, row[start:end])
            for populator in populators:
                populator.populate(row, obj)
            objects.append(obj)
        return objects

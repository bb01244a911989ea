"""Hot statements run on the driver's cursor: compiled once, bound as SQLAlchemy binds them.

Recording an order sends ~17 statements. SQLAlchemy's per-execute machinery (cache key,
execution context, result object) costs tens of µs of Python each, more than SQLite takes to
run most of them (#17). `run(conn, stmt, params)` compiles `stmt` once per set of parameter
names, then per call binds the values through the column types' bind processors and
Python-side column defaults, fires the connection's `before_cursor_execute` and
`after_cursor_execute` listeners, and executes on the DBAPI cursor in the connection's open
transaction: the SQL and parameters SQLAlchemy's `conn.execute(stmt, params)` would send
(tests/test_driver_sql.py compares the two). A driver error is raised as SQLAlchemy's
(`IntegrityError` ...). The listeners get no execution context (None).

SQLite only: on any other database, outside a transaction, with echo or dialect-level
listeners, or for a statement it does not handle (expanding IN, escaped bind names, a
default that is neither a value nor a function), `conn.execute` runs it.

Statements must be built once (module level): the plan is cached by statement.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from contextlib import suppress
from dataclasses import dataclass
from operator import itemgetter
from typing import Any, Final

from sqlalchemy import Connection
from sqlalchemy.exc import DBAPIError, InvalidRequestError
from sqlalchemy.orm import Session

_MISSING: Final = object()
_HELD: Final = "driver_sql.connection"  # session.info: (its transaction, its connection)
# By statement, its parameters' keys as given, executemany or not, and the paramstyle.
_PLANS: dict[tuple[Any, tuple[str, ...], bool, str], _Plan | None] = {}
_MAX_PLANS: Final = 512  # a bound, should a caller build its statement anew per call
ENABLED = True  # tests turn it off to compare with SQLAlchemy's own execution


class Done:
    """What a statement gave back: its rows (processed as SQLAlchemy's result would),
    their column names, the rows it changed and the rowid it inserted."""

    __slots__ = ("keys", "lastrowid", "rowcount", "rows")

    def __init__(self, rows: Sequence[Sequence[Any]], keys: Sequence[str], rowcount: int,
                 lastrowid: int | None) -> None:
        self.rows, self.keys, self.rowcount, self.lastrowid = rows, keys, rowcount, lastrowid

    def first(self) -> Sequence[Any] | None:
        return self.rows[0] if self.rows else None

    def one(self) -> Sequence[Any]:
        if len(self.rows) != 1:
            raise LookupError(f"expected one row, got {len(self.rows)}")
        return self.rows[0]

    def scalar(self) -> Any:
        return self.rows[0][0] if self.rows else None

    def mapping(self) -> dict[str, Any] | None:
        """The first row by column name (None: no row)."""
        return dict(zip(self.keys, self.rows[0], strict=True)) if self.rows else None


class _Defaults:
    """What a column default function is called with (`app.models.base.utcnow` reads the
    connection's execution options, where `Database.session()` puts its clock)."""

    __slots__ = ("current_column", "current_parameters", "execution_options")

    def __init__(self, options: Mapping[str, Any]) -> None:
        self.execution_options = options
        self.current_parameters: dict[str, Any] = {}
        self.current_column: Any = None


@dataclass(frozen=True)
class _Plan:
    sql: str
    # The parameters: picked from the row (with `fixed`: the statement's own values, by bind
    # name, under the row's), then the column types' bind processors at their positions.
    pick: Callable[[Mapping[str, Any]], tuple[Any, ...]]
    fixed: dict[str, Any] | None
    processors: tuple[tuple[int, Callable[[Any], Any]], ...]
    defaults: tuple[tuple[str, Any, Any, bool], ...]  # (name, column, arg, is_callable)
    keys: tuple[str, ...]  # result column names
    results: tuple[Callable[[Any], Any] | None, ...] | None  # processors (None: none needed)


def connection_of(s: Session) -> Connection:
    """The session's connection in its current transaction (`Session.connection()` walks
    its transaction's state each time: held here for the transaction)."""
    transaction = s.get_transaction()
    held = s.info.get(_HELD)
    if held is not None and held[0] is transaction and transaction is not None:
        return held[1]  # type: ignore[no-any-return]
    conn = s.connection()
    s.info[_HELD] = (s.get_transaction(), conn)
    return conn


def run(on: Connection | Session, stmt: Any,
        params: Mapping[str, Any] | Sequence[Mapping[str, Any]]) -> Done:
    """Execute `stmt` with `params` (one mapping, or a list of mappings of the same keys: an
    executemany) as `conn.execute` would, on a connection or a session's connection."""
    conn = on if type(on) is Connection else connection_of(on)  # type: ignore[arg-type]
    rows: Sequence[Mapping[str, Any]]
    if isinstance(params, dict | Mapping):
        rows, many = (params,), False
    else:
        rows, many = params, len(params) > 1  # one parameter set is one execute (SQLAlchemy)
    plan = _plan_for(conn, stmt, rows, many) if ENABLED and rows else None
    if plan is None:
        return _by_sqlalchemy(conn, stmt, rows if many else rows[0])
    sent: Any = [_bound(plan, conn, row) for row in rows] if many else _bound(plan, conn, rows[0])
    sql = plan.sql
    cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    # The listeners, as SQLAlchemy calls them (with no execution context); none: no call.
    after = None
    try:
        if conn._has_events or conn.engine._has_events:
            dispatch = conn.dispatch
            for fn in dispatch.before_cursor_execute:
                sql, sent = fn(conn, cursor, sql, sent, None, many)
            after = dispatch.after_cursor_execute or None
        if many:
            cursor.executemany(sql, sent)
        else:
            cursor.execute(sql, sent)
        if after is not None:
            after(conn, cursor, sql, sent, None, many)
        fetched = cursor.fetchall() if cursor.description is not None else []
    except conn.dialect.loaded_dbapi.Error as exc:
        raise DBAPIError.instance(sql, sent, exc, conn.dialect.loaded_dbapi.Error,
                                  dialect=conn.dialect) from exc
    finally:
        rowcount, lastrowid = cursor.rowcount, cursor.lastrowid
        cursor.close()
    if fetched and plan.results is not None:
        procs = plan.results
        fetched = [tuple(p(v) if p else v for p, v in zip(procs, r, strict=True))
                   for r in fetched]
    return Done(fetched, plan.keys, rowcount, lastrowid)


def _bound(plan: _Plan, conn: Connection, row: Mapping[str, Any]) -> tuple[Any, ...]:
    if plan.defaults:
        row = _with_defaults(plan, conn, row)
    if plan.fixed:
        row = {**plan.fixed, **row}
    values = plan.pick(row)
    if not plan.processors:
        return values
    out = list(values)
    for i, proc in plan.processors:
        out[i] = proc(out[i])
    return tuple(out)


def _with_defaults(plan: _Plan, conn: Connection, row: Mapping[str, Any]) -> dict[str, Any]:
    """The row with its Python-side column defaults (as the execution context computes them)."""
    full = dict(row)
    context = _Defaults(conn.get_execution_options())
    context.current_parameters = full
    for name, column, arg, is_callable in plan.defaults:
        context.current_column = column
        full[name] = arg(context) if is_callable else arg
    return full


def _by_sqlalchemy(conn: Connection, stmt: Any, params: Any) -> Done:
    result = conn.execute(stmt, params)
    ctx = result.context
    lastrowid = None
    if ctx.isinsert and not ctx.executemany:
        # The id (PostgreSQL: by an implicit RETURNING); an explicit RETURNING: its rows.
        with suppress(InvalidRequestError):
            lastrowid = result.inserted_primary_key[0]  # type: ignore[index]
    rows: Sequence[Any] = result.all() if result.returns_rows else []
    keys = list(result.keys()) if result.returns_rows else []
    return Done(rows, keys, result.rowcount, lastrowid)


def _plan_for(conn: Connection, stmt: Any, rows: Sequence[Mapping[str, Any]],
              many: bool) -> _Plan | None:
    dialect = conn.dialect
    if (dialect.name != "sqlite" or dialect._has_events or conn._echo
            or not conn.in_transaction()):
        return None
    cache_key = (stmt, tuple(rows[0]), many, dialect.paramstyle)
    plan = _PLANS.get(cache_key, _MISSING)
    if plan is _MISSING:
        if len(_PLANS) >= _MAX_PLANS:
            _PLANS.clear()
        try:
            plan = _compile(conn, stmt, many, rows[0])
        except (AttributeError, TypeError, ValueError):  # internals of another SQLAlchemy
            plan = None  # version: SQLAlchemy's own execution, slower but the same
        _PLANS[cache_key] = plan
    return plan  # type: ignore[return-value]


def _picker(keys: Sequence[str]) -> Callable[[Mapping[str, Any]], tuple[Any, ...]]:
    if len(keys) == 1:
        key = keys[0]
        return lambda row: (row[key],)
    if not keys:
        return lambda row: ()
    return itemgetter(*keys)  # type: ignore[return-value]


def _compile(conn: Connection, stmt: Any, many: bool, sample: Mapping[str, Any]
             ) -> _Plan | None:
    """The statement's SQL and how each position is bound; None when it needs what only
    SQLAlchemy's execution does."""
    dialect = conn.dialect
    keys = sorted(sample)  # as SQLAlchemy compiles: by the first row's sorted keys
    compiled: Any = stmt.compile(dialect=dialect, column_keys=keys, for_executemany=many)
    if (not compiled.positional or compiled.literal_execute_params
            or compiled.post_compile_params or compiled.escaped_bind_names
            or compiled.schema_translate_map or dialect.execute_sequence_format is not tuple
            or (compiled.insert_prefetch and compiled.update_prefetch)):
        return None
    defaults = []
    for column, described in (
            [(c, c._default_description_tuple) for c in compiled.insert_prefetch]
            + [(c, c._onupdate_description_tuple) for c in compiled.update_prefetch]):
        getter = compiled._within_exec_param_key_getter  # DML only
        arg, is_scalar, is_callable, is_sentinel = described
        if is_sentinel or not (is_scalar or is_callable):
            return None
        defaults.append((getter(column), column, arg, bool(is_callable)))
    prefetched = {name for name, *_ in defaults}
    by_name = {name: bind for bind, name in compiled.bind_names.items()}
    sources: list[str] = []  # per position: the row's key, a default's or a fixed bind's name
    fixed: dict[str, Any] = {}
    for name in compiled.positiontup:
        bind = by_name.get(name)
        if name in prefetched:
            sources.append(name)
        elif bind is None:
            return None
        elif bind.key in sample:
            sources.append(bind.key)
        elif name in sample:
            sources.append(name)
        elif bind.callable or bind.required:
            return None
        else:
            sources.append(name)
            fixed[name] = bind.value
    if set(fixed) & set(sample):
        return None
    # Once per plan: the raw values are SQLAlchemy's own (`construct_params`).
    expected = compiled.construct_params(dict(sample), _check=False)
    merged = {**fixed, **sample}
    for name, source in zip(compiled.positiontup, sources, strict=True):
        if name not in prefetched and expected.get(name) != merged[source]:
            return None
    processors = compiled._bind_processors
    columns = compiled._result_columns or []
    results = tuple(rc[3]._cached_result_processor(dialect, None) for rc in columns)
    return _Plan(compiled.string, _picker(sources), fixed or None,
                 tuple((i, processors[name]) for i, name in enumerate(compiled.positiontup)
                       if name in processors),
                 tuple(defaults), tuple(rc[0] for rc in columns),
                 results if any(p is not None for p in results) else None)

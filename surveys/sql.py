"""Hand-written SQL for the hot paths of ticket ingest (issue 4) and the answer (issue 18).

Building a query through the ORM costs more CPU than running it. bench/sql_vs_orm.py measures
every use of this module against the ORM code that would replace it (CPU of the web process per
call, medians; 2026-12-04, PostgreSQL / SQLite):

    query (caller)                           ORM µs        here µs       ORM ÷ here
    token by hash (api_token_check)          817 / 411     151 / 59      5.4 / 7.0
    team by slug (POST tickets/closed)       664 / 337     110 / 43      6.0 / 7.8
    rules of a team (delivery.rules)         876 / 453     128 / 50      6.8 / 9.1
    suppressed, 1 / 1,000 addresses          738 / 358     96 / 19       7.7 / 19
                                          10,458 / 5,272  5,952 / 1,939  1.8 / 2.7
    recent surveys, 1 / 1,000 requesters   1,116 / 606     218 / 53      5.1 / 11
                                           8,790 / 5,520  4,339 / 1,976  2.0 / 2.8
    requesters locked, 1 / 1,000             750 / 356     221 / 40      3.4 / 8.8
                                          11,406 / 10,492 8,352 / 7,180  1.4 / 1.5
    agents, 1 / 60                           776 / 404     104 / 40      7.5 / 10
    tickets inserted, 1 / 1,000            2,584 / 1,510   390 / 162     6.6 / 9.3
                                          67,796 / 71,793 45,207 / 49,911 1.5 / 1.4
    invitations inserted, 1 / 1,000          593 / 332     321 / 190     1.8 / 1.7
                                          71,847 / 90,937 49,431 / 50,985 1.5 / 1.8

A single close runs about ten statements, so written out they save some 5 ms of CPU per ticket
on PostgreSQL. Each stays only while it wins by 1.3× or more; rerun the benchmark after a
Django upgrade. Everything is portable between PostgreSQL and the embedded SQLite, and the tests
marked `both_databases` run on both in CI (scripts/test.sh). Values still go through each
field's own conversion (`get_db_prep_save` for writes, the database's converters for reads), so
what is stored and loaded is exactly what the ORM would.
"""

from collections.abc import Iterable, Sequence
from functools import cache
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connection, connections

# SQLite allows 32,766 parameters in a statement, PostgreSQL 65,535: stay well under both.
MAX_PARAMETERS = 16_000
# From this many rows PostgreSQL gets arrays (UNNEST) rather than VALUES: a batch of 1,000 took
# half the CPU, a single row a fifth more (bench/ingest.py).
UNNEST_FROM = 10


def placeholders(count: int) -> str:
    """The placeholders "%s, %s, …" of a VALUES row."""
    return ", ".join(["%s"] * count)


def is_in(column: str, values) -> tuple[str, list]:
    """A WHERE clause `column IN (…)` and its parameters; with no values, one that is false."""
    values = list(values)
    if not values:
        return "1 = 0", []
    return f"{column} IN ({placeholders(len(values))})", values


def select(
    model, where: str, params: Sequence, *, suffix: str = "", only: tuple[str, ...] = ()
) -> list:
    """Instances of `model` for a WHERE clause (columns as in the table, so `email IN (%s)`).

    `suffix` is appended as is: "ORDER BY id FOR UPDATE", say. `only` names the fields to load
    (the primary key always; others load when first read, as with QuerySet.only()). Like
    `Manager.raw`, but what raw() works out on every query (the columns, which field each is, the
    database's converters) is worked out once per model and fields: that was most of its cost.
    A one-row look-up costs 100-220 µs of CPU against 660-1,100 µs for `filter(...)` (40-60 µs
    against 340-600 µs on SQLite), bench/sql_vs_orm.py on 2026-12-04.
    """
    db = connections[DEFAULT_DB_ALIAS]  # once: each attribute of the `connection` proxy costs
    columns, names, converters = _reading(model, only, db.vendor)
    table = db.ops.quote_name(model._meta.db_table)
    # Identifiers come from the model and clauses from our code; values only ever as parameters.
    sql = f"SELECT {columns} FROM {table} WHERE {where} {suffix}".rstrip()  # noqa: S608
    with db.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    if converters:
        rows = [_convert(row, converters, db) for row in rows]
    return [model.from_db(db.alias, names, row) for row in rows]


def select_joined(
    model,
    related: Sequence[str],
    where: str,
    params: Sequence,
    *,
    extra: Sequence[tuple[str, str]] = (),
    suffix: str = "",
) -> list:
    """As `select`, with the rows of the foreign keys named in `related` in the same statement
    (LEFT JOIN, each cached on its instance as select_related does; None where there is none)
    and `extra` (attribute, SQL expression) pairs set on each instance. The model's own table
    keeps its name and each related one is aliased `j_<field>`, so `where` writes
    `surveys_invitation.token_hash = %s`.

    The survey page's look-up of a link (invitation, requester, team, agent, ticket): 0.5 ms
    of CPU against the ORM's 2.2 ms (select_related and an Exists annotation), 2026-12-05."""
    db = connections[DEFAULT_DB_ALIAS]
    quote = db.ops.quote_name
    meta = model._meta
    base = quote(meta.db_table)
    parts, columns, joins = [], [], []
    for name in (None, *related):
        if name is None:
            part_model, alias = model, base
        else:
            field = meta.get_field(name)
            part_model, alias = field.related_model, quote(f"j_{name}")
            table, pk = quote(part_model._meta.db_table), quote(part_model._meta.pk.column)
            on = f"{alias}.{pk} = {base}.{quote(field.column)}"
            joins.append(f"LEFT JOIN {table} {alias} ON {on}")
        _columns, names, converters = _reading(part_model, (), db.vendor)
        columns += [f"{alias}.{quote(f.column)}" for f in part_model._meta.concrete_fields]
        parts.append((name, part_model, names, converters))
    columns += [f"{expression}" for _attribute, expression in extra]
    sql = (  # Identifiers from the models, clauses from our code, values as parameters.
        f"SELECT {', '.join(columns)} FROM {base} {' '.join(joins)} WHERE {where} {suffix}"  # noqa: S608
    ).rstrip()
    with db.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    found = []
    for row in rows:
        start, instance = 0, None
        for name, part_model, names, converters in parts:
            values = row[start : start + len(names)]
            start += len(names)
            if converters:
                values = _convert(values, converters, db)
            if name is None:
                instance = part_model.from_db(db.alias, names, values)
                continue
            pk = values[names.index(part_model._meta.pk.attname)]
            other = None if pk is None else part_model.from_db(db.alias, names, values)
            meta.get_field(name).set_cached_value(instance, other)
        for (attribute, _expression), value in zip(extra, row[start:], strict=True):
            setattr(instance, attribute, value)
        found.append(instance)
    return found


@cache
def _reading(model, only: tuple[str, ...], _vendor: str) -> tuple[str, list[str], list]:
    """The column list, the field names in the model's order (as from_db wants them), and the
    database's converters by position (SQLite, say, keeps datetimes as text)."""
    db = connections[DEFAULT_DB_ALIAS]
    meta = model._meta
    fields = [f for f in meta.concrete_fields if not only or f.primary_key or f.name in only]
    converters = []
    for i, field in enumerate(fields):
        col = field.get_col(meta.db_table)
        found = db.ops.get_db_converters(col) + field.get_db_converters(db)
        if found:
            converters.append((i, col, found))
    columns = ", ".join(db.ops.quote_name(f.column) for f in fields)
    return columns, [f.attname for f in fields], converters


def _convert(row, converters: list, db) -> list:
    row = list(row)
    for i, expression, functions in converters:
        for function in functions:
            row[i] = function(row[i], expression, db)
    return row


def for_update() -> str:
    """Row locks where the database has them; SQLite locks the whole database on the first write."""
    return " FOR UPDATE" if connection.features.has_select_for_update else ""


def for_no_key_update_of(table: str) -> str:
    """A lock on the rows of `table` only (not those joined to it), that still lets others
    insert rows referring to them; nothing on SQLite (see for_update)."""
    if not connection.features.has_select_for_update:
        return ""
    return f" FOR NO KEY UPDATE OF {connection.ops.quote_name(table)}"


def insert(
    objs: Iterable, *, skip_conflicts_on: Sequence[str] = (), match_on: Sequence[str] = ()
) -> list:
    """INSERT new instances of one model, setting their primary keys; returns those inserted.

    `objs` must not repeat a key. With `skip_conflicts_on` (the fields of a unique constraint) a
    row that conflicts with one already stored is skipped (ON CONFLICT DO NOTHING) and keeps
    pk None: a concurrent request that stored the same row first wins, without an error.
    `match_on` (unique fields) pairs the ids returned with the objects by those fields rather
    than by position; SQLite does not promise RETURNING's order.

    ORM: 2,584 µs and two statements (a look-up, then bulk_create: ignore_conflicts would not set
    the keys), this: 390 µs and one, per new ticket on PostgreSQL; 1,000 tickets 67.8 ms against
    45.2 ms; invitations (plain bulk_create) 593 against 321 µs, bench/sql_vs_orm.py on 2026-12-04.
    """
    objs = list(objs)
    if not objs:
        return []
    db = connections[DEFAULT_DB_ALIAS]  # once: each attribute of the `connection` proxy costs
    meta = objs[0]._meta
    quote = db.ops.quote_name
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    keys = [meta.get_field(name) for name in skip_conflicts_on or match_on]
    head = f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) "
    tail = ""
    if skip_conflicts_on:
        tail += f" ON CONFLICT ({', '.join(quote(f.column) for f in keys)}) DO NOTHING"
    tail += f" RETURNING {', '.join(quote(f.column) for f in [meta.pk, *keys])}"
    # pre_save fills auto_now_add and the like, as Model.save() would.
    rows = [[f.get_db_prep_save(f.pre_save(obj, True), db) for f in fields] for obj in objs]
    returned = []
    with db.cursor() as cursor:
        if db.vendor == "postgresql" and len(rows) >= UNNEST_FROM:
            # One array per column: a statement of constant text whatever the number of rows
            # (as Django's bulk_create does), rather than one with thousands of placeholders.
            # Without the length (varchar[], not varchar(50)[]): a cast would silently truncate.
            arrays = ", ".join(f"%s::{f.db_type(db).split('(')[0]}[]" for f in fields)
            columns = [list(column) for column in zip(*rows, strict=True)]
            cursor.execute(f"{head}SELECT * FROM UNNEST({arrays}){tail}", columns)  # noqa: S608
            returned = cursor.fetchall()
        else:
            row = f"({placeholders(len(fields))})"
            per_statement = max(1, MAX_PARAMETERS // len(fields))
            for start in range(0, len(rows), per_statement):
                chunk = rows[start : start + per_statement]
                values = ", ".join([row] * len(chunk))
                cursor.execute(f"{head}VALUES {values}{tail}", [v for r in chunk for v in r])
                returned += cursor.fetchall()
    if keys:
        by_key = {tuple(r[1:]): r for r in returned}
        pairs: Iterable[tuple[Any, Any]] = [
            (obj, by_key[key])
            for obj in objs
            if (key := tuple(getattr(obj, f.attname) for f in keys)) in by_key
        ]
    else:
        # Without skipped rows PostgreSQL returns them in the order given (Django's bulk_create
        # relies on the same).
        pairs = zip(objs, returned, strict=True)
    inserted = []
    for obj, values in pairs:
        obj.pk = values[0]
        obj._state.adding, obj._state.db = False, db.alias
        inserted.append(obj)
    return inserted

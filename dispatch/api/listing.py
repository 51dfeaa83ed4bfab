"""Lists: keyset pagination, sort options and one page shape for every list of the API.

A list endpoint takes `limit` (1–200, default 50), `after` (the opaque cursor of the previous
page), `sort` (one of the list's named orders) and its own filters, and answers
`{"items": [...], "page": {"limit", "sort", "next_cursor"}}`; `next_cursor` is null on the last
page. The cursor carries the sort keys of the last row shown, so a page costs the same however
deep it is and rows added meanwhile never shift the next page (keyset, not offset).

Services build the query (filters and the permission layer's region clause) and hand it to
`paginate`; views stay one call. Unknown query parameters are refused by `dispatch.api.query`.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import datetime

from marshmallow import Schema, fields, validate
from sqlalchemy import and_, or_
from sqlalchemy.orm import Session
from sqlalchemy.sql import Select
from sqlalchemy.types import TypeDecorator

from dispatch.errors import RuleViolation

DEFAULT_LIMIT = 50
MAX_LIMIT = 200


@dataclass(frozen=True)
class Order:
    """A named sort order: (column, descending) pairs, the last one unique (usually the id)."""

    keys: tuple[tuple[object, bool], ...]

    def clauses(self) -> list:
        return [column.desc() if desc else column.asc() for column, desc in self.keys]

    def after(self, values: list) -> object:
        """The condition 'comes after the row with these key values' in this order."""
        alternatives = []
        for position, (column, desc) in enumerate(self.keys):
            equal = [c == v for (c, _), v in zip(self.keys[:position], values, strict=False)]
            beyond = column < values[position] if desc else column > values[position]
            alternatives.append(and_(*equal, beyond))
        return or_(*alternatives)


def order(*keys: tuple[object, bool]) -> Order:
    return Order(tuple(keys))


@dataclass(frozen=True)
class Page:
    """One page of a list, as the page schema renders it."""

    items: list
    limit: int
    sort: str
    next_cursor: str | None

    @property
    def page(self) -> dict:
        return {"limit": self.limit, "sort": self.sort, "next_cursor": self.next_cursor}


class PageMetadata(Schema):
    """Where a page of a list stands: its size, its order and the cursor of the next page."""

    limit = fields.Integer(required=True, metadata={"description": "The page size asked for"})
    sort = fields.String(required=True, metadata={"description": "The order of the list"})
    next_cursor = fields.String(
        required=True,
        allow_none=True,
        metadata={"description": "Pass as `after` for the next page; null on the last page"},
    )


def list_args(name: str, sorts: dict[str, Order], default_sort: str, **filters) -> type[Schema]:
    """Build the query schema of a list: limit, after, sort (its named orders) and filters."""
    attrs = {
        "limit": fields.Integer(
            load_default=DEFAULT_LIMIT,
            validate=validate.Range(1, MAX_LIMIT),
            metadata={"description": f"Page size, 1–{MAX_LIMIT} (default {DEFAULT_LIMIT})"},
        ),
        "after": fields.String(
            load_default=None,
            validate=validate.Length(max=2000),
            metadata={"description": "The `next_cursor` of the previous page (opaque)"},
        ),
        "sort": fields.String(
            load_default=default_sort,
            validate=validate.OneOf(list(sorts)),
            metadata={"description": f"Order of the list (default `{default_sort}`)"},
        ),
        **filters,
    }
    return Schema.from_dict(attrs, name=name)


def page_schema(item_schema: type[Schema], name: str) -> type[Schema]:
    """Build the response schema of a list of `item_schema`: items and the page metadata."""
    return Schema.from_dict(
        {
            "items": fields.List(fields.Nested(item_schema), required=True),
            "page": fields.Nested(PageMetadata, required=True),
        },
        name=name,
    )


def paginate(
    session: Session,
    query: Select,
    *,
    sorts: dict[str, Order],
    sort: str,
    limit: int,
    after: str | None,
) -> Page:
    """Run one page of `query` in the chosen order, after the cursor's row (one SQL query plus
    whatever eager loads the query carries)."""
    chosen = sorts[sort]
    if after:
        query = query.where(chosen.after(decode_cursor(after, sort, chosen)))
    rows = list(session.scalars(query.order_by(*chosen.clauses()).limit(limit + 1)).unique())
    more = len(rows) > limit
    rows = rows[:limit]
    cursor = encode_cursor(sort, chosen, rows[-1]) if more and rows else None
    return Page(items=rows, limit=limit, sort=sort, next_cursor=cursor)


def _value_of(row, column):
    return getattr(row, column.key)


def encode_cursor(sort: str, chosen: Order, row) -> str:
    values = []
    for column, _desc in chosen.keys:
        value = _value_of(row, column)
        values.append({"t": value.isoformat()} if isinstance(value, datetime) else value)
    raw = json.dumps({"s": sort, "v": values}, separators=(",", ":"), ensure_ascii=False)
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def bad_cursor(reason: str) -> RuleViolation:
    return RuleViolation(
        f"The cursor is not valid: {reason}",
        error_code="bad_cursor",
        details={"fields": {"query": {"after": [reason]}}},
    )


def _python_type(column) -> type:
    kind = column.type
    return (kind.impl if isinstance(kind, TypeDecorator) else kind).python_type


def decode_cursor(cursor: str, sort: str, chosen: Order) -> list:
    """Read a cursor back into key values (422 `bad_cursor` when tampered or of another sort)."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        data = json.loads(raw.decode())
        values = data["v"]
        cursor_sort = data["s"]
    except (binascii.Error, ValueError, UnicodeDecodeError, KeyError, TypeError) as exc:
        raise bad_cursor("unreadable") from exc
    if cursor_sort != sort:
        raise bad_cursor("it belongs to another sort order")
    if not isinstance(values, list) or len(values) != len(chosen.keys):
        raise bad_cursor("unreadable")
    out = []
    for value, (column, _desc) in zip(values, chosen.keys, strict=True):
        if isinstance(value, dict):
            try:
                value = datetime.fromisoformat(value["t"])
            except (KeyError, TypeError, ValueError) as exc:
                raise bad_cursor("unreadable") from exc
            if value.tzinfo is None:
                raise bad_cursor("unreadable")
        if isinstance(value, bool) or not isinstance(value, _python_type(column)):
            raise bad_cursor("unreadable")  # each key has its column's type, never another
        out.append(value)
    return out


def like_escaped(text: str) -> str:
    """Escape LIKE wildcards so a search text matches literally (escape character `\\`)."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def contains(column, text: str):
    """A case-insensitive 'column contains text' condition, wildcards taken literally."""
    return column.ilike(f"%{like_escaped(text)}%", escape="\\")


def starts_with(column, text: str):
    return column.ilike(f"{like_escaped(text)}%", escape="\\")


def json_list_contains(session: Session, column, value: int):
    """'The JSON list in `column` holds `value`' on PostgreSQL and on SQLite."""
    from sqlalchemy import cast, func, literal, select
    from sqlalchemy.dialects.postgresql import JSONB

    if session.get_bind().dialect.name == "postgresql":
        return cast(column, JSONB).contains(cast(literal(json.dumps([value])), JSONB))
    members = func.json_each(column).table_valued("value")
    return select(members.c.value).where(members.c.value == value).exists()

"""The catalogue: add or update parts, import a CSV, search, and price a voucher's part lines."""

from __future__ import annotations

import csv
import io

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from dispatch import audit
from dispatch.actors import Actor
from dispatch.clock import utcnow
from dispatch.errors import RuleViolation
from dispatch.parts import rules
from dispatch.parts.models import Part


def find(session: Session, code: str) -> Part | None:
    """Return the part with this code, active or not."""
    return session.scalars(select(Part).where(Part.code == rules.normal_code(code))).first()


def save_part(
    session: Session, *, actor: Actor, code: str, name: str, unit_price_cents: int, active=True
) -> tuple[Part, str]:
    """Add a part or update the one with its code; return it and created|updated|unchanged."""
    fields = {"name": name, "unit_price_cents": unit_price_cents, "active": active}
    part = find(session, code)
    if part is None:
        part = Part(code=rules.normal_code(code), updated_at=utcnow(), **fields)
        audit.add_created(
            session,
            actor=actor,
            obj=part,
            action="part.created",
            entity="part",
            after=part.snapshot(),
        )
        return part, "created"
    before = part.snapshot()
    if all(before[name] == value for name, value in fields.items()):
        return part, "unchanged"
    for name, value in fields.items():
        setattr(part, name, value)
    part.updated_at = utcnow()
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="part.updated",
        entity="part",
        entity_id=part.id,
        before=before,
        after=part.snapshot(),
    )
    return part, "updated"


def import_csv(session: Session, *, actor: Actor, text: str) -> dict:
    """Import catalogue rows; good rows are saved, each bad one is reported with its reasons."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))  # Excel writes a BOM
    missing = rules.missing_columns(reader.fieldnames)
    if missing:
        raise RuleViolation(
            f"The CSV lacks the column(s) {', '.join(missing)}",
            error_code="csv_columns",
            details={"columns": missing},
        )
    results, seen = [], set()
    for number, raw in enumerate(reader, start=2):  # line 1 is the header
        row = {k.strip().lower(): (v or "") for k, v in raw.items() if isinstance(k, str)}
        fields, errors = rules.parse_row(row)
        if fields and fields["code"] in seen:
            fields, errors = None, ["the code appears earlier in the file"]
        result = {"line": number, "code": rules.normal_code(row.get("code", "")), "errors": errors}
        if fields:
            seen.add(fields["code"])
            result["status"] = save_part(session, actor=actor, **fields)[1]
        else:
            result["status"] = "failed"
        results.append(result)
    counts = {s: sum(r["status"] == s for r in results) for s in _STATUSES}
    return {"rows": results, **counts}


_STATUSES = ("created", "updated", "unchanged", "failed")


def search(session: Session, *, q: str = "", limit: int = 20) -> list[Part]:
    """Find active parts whose code or name contains `q`, codes first in order."""
    query = select(Part).where(Part.active.is_(True))
    if q.strip():
        pattern = f"%{q.strip()}%"
        query = query.where(or_(Part.code.ilike(pattern), Part.name.ilike(pattern)))
    return list(session.scalars(query.order_by(Part.code).limit(limit)))


def priced_lines(session: Session, lines: list[dict]) -> list[dict]:
    """Return voucher part lines with the catalogue's name and price; refuse unknown codes."""
    priced, errors = [], {}
    for index, line in enumerate(lines):
        part = find(session, line["code"])
        if part is None or not part.active:
            errors[f"parts.{index}.code"] = [f"{line['code']!r} is not an active catalogue part"]
            continue
        priced.append(
            {
                "code": part.code,
                "name": part.name,
                "quantity": line["quantity"],
                "unit_price_cents": part.unit_price_cents,
            }
        )
    if errors:
        first = int(next(iter(errors)).split(".")[1]) + 1
        raise RuleViolation(
            f"Part line {first} names no active catalogue part",
            error_code="unknown_part",
            details=errors,
        )
    return priced

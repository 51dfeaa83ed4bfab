"""Bulk import of entries from JSON rows or a CSV file, with a report per row (KB-13)."""

from __future__ import annotations

import csv
import io

from marshmallow import ValidationError
from sqlalchemy.orm import Session

from dispatch.actors import Actor
from dispatch.errors import DomainError
from dispatch.knowledge import access
from dispatch.knowledge.schemas import EntryIn
from dispatch.knowledge.service import create_entry

LIST_SEPARATOR = "|"
CSV_TEXT = ("title", "problem", "cause")
CSV_LISTS = ("solution_steps", "product_models", "tags")


def csv_rows(text: str) -> list[dict]:
    """Turn CSV lines into entry rows: text columns nest under `text`, lists split on '|'."""
    rows = []
    for raw in csv.DictReader(io.StringIO(text.lstrip("\ufeff"))):
        row = {k.strip(): (v or "").strip() for k, v in raw.items() if isinstance(k, str)}
        entry = {k: v for k, v in row.items() if k not in CSV_TEXT + CSV_LISTS and v != ""}
        entry["text"] = {k: row.get(k, "") for k in CSV_TEXT} | {
            k: [p.strip() for p in row.get(k, "").split(LIST_SEPARATOR) if p.strip()]
            for k in CSV_LISTS
        }
        rows.append(entry)
    return rows


def import_rows(session: Session, *, actor: Actor, rows: list[dict]) -> dict:
    """Create a draft per valid row; each failed row is reported with its reasons."""
    access.require(actor, access.AUTHORS, "import knowledge entries")
    report = []
    for number, row in enumerate(rows, start=1):
        try:
            data = EntryIn().load(row)
            text = data.pop("text")
            with session.begin_nested():
                entry = create_entry(session, actor=actor, text=text, source_kind="import", **data)
            report.append({"row": number, "status": "created", "entry_id": entry.id, "errors": {}})
        except ValidationError as exc:
            report.append(
                {
                    "row": number,
                    "status": "failed",
                    "entry_id": None,
                    "errors": exc.normalized_messages(),
                }
            )
        except DomainError as exc:
            errors = exc.details or {"row": [exc.message]}
            report.append({"row": number, "status": "failed", "entry_id": None, "errors": errors})
    created = sum(r["status"] == "created" for r in report)
    return {"created": created, "failed": len(report) - created, "rows": report}

"""Report rows as CSV (RPT-10): one header line of column names, one line per row."""

from __future__ import annotations

import csv
import io

from flask import Response


def csv_text(columns: tuple[str, ...], rows: list[dict], header: tuple[str, ...] = ()) -> str:
    """Return the rows as CSV text (`header` renames the columns), empty cells for None."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header or columns)
    for row in rows:
        writer.writerow(["" if row.get(name) is None else row.get(name) for name in columns])
    return out.getvalue()


def csv_response(
    name: str, columns: tuple[str, ...], rows: list[dict], header: tuple[str, ...] = ()
) -> Response:
    """Answer the rows as a CSV download named `name`.csv."""
    return Response(
        csv_text(columns, rows, header),
        mimetype="text/csv",
        headers={"Content-Disposition": f"attachment; filename={name}.csv"},
    )

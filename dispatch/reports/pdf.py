"""The weekly satisfaction summary as a PDF for head office (RPT-3), drawn like the voucher."""

from __future__ import annotations

import io
from zoneinfo import ZoneInfo

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

from dispatch.vouchers.pdf import FONT  # registers the CID font every reader ships with


def weekly_pdf(region, run, rows: list[dict], columns: tuple[str, ...]) -> bytes:
    """Draw the summary table on one landscape A4 page and return the PDF bytes."""
    zone = ZoneInfo(region.timezone)
    out = io.BytesIO()
    page = canvas.Canvas(out, pagesize=landscape(A4), invariant=1)
    page.setTitle(f"Weekly satisfaction {region.code} {run.period_start:%Y-%m-%d}")
    width, height = landscape(A4)
    y = height - 20 * mm
    page.setFont(FONT, 15)
    page.drawString(15 * mm, y, f"满意度周报 Weekly satisfaction summary — {region.name}")
    page.setFont(FONT, 10)
    first = run.period_start.astimezone(zone)
    last = run.period_end.astimezone(zone)
    y -= 8 * mm
    page.drawString(15 * mm, y, f"{first:%Y-%m-%d %H:%M} – {last:%Y-%m-%d %H:%M} ({zone.key})")
    step = (width - 30 * mm) / len(columns)
    y -= 12 * mm
    page.setFont(FONT, 7)
    for i, name in enumerate(columns):
        page.drawString(15 * mm + i * step, y, name.replace("_", " "))
    page.setFont(FONT, 9)
    for row in rows:
        y -= 6 * mm
        for i, name in enumerate(columns):
            value = row.get(name)
            page.drawString(15 * mm + i * step, y, "—" if value is None else str(value))
    if not rows:
        page.drawString(15 * mm, y - 6 * mm, "No follow-up fell due this week.")
    page.showPage()
    page.save()
    return out.getvalue()

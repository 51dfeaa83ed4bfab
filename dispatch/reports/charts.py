"""Charts drawn on the server as SVG: a bar per row, and the demand map (RPT-5).

Text from the data is escaped; the SVG carries no script, so the console shows it as an image.
"""

from __future__ import annotations

import math
from xml.sax.saxutils import escape, quoteattr

WIDTH, HEIGHT, BASE = 800, 360, 300


def bars(title: str, labels: list[str], values: list[float | None], *, unit: str = "") -> str:
    """Return an SVG bar chart of `values` (None draws no bar) labelled below each bar."""
    top = max([v for v in values if v is not None] or [0]) or 1
    slot = WIDTH / max(len(values), 1)
    parts = [_text(WIDTH / 2, 22, title, size=15)]
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        x, middle = i * slot + 6, i * slot + slot / 2
        height = 0 if value is None else 250 * value / top
        parts.append(
            f'<rect class="bar" x="{x:.1f}" y="{BASE - height:.1f}" width="{slot - 12:.1f}" '
            f'height="{height:.1f}" fill="#2680c2"/>'
        )
        shown = "–" if value is None else f"{value:g}{unit}"
        parts.append(_text(middle, BASE - height - 6, shown, size=12))
        parts.append(_text(middle, BASE + 18, str(label)[:18], size=11))
    parts.append(f'<line x1="0" y1="{BASE}" x2="{WIDTH}" y2="{BASE}" stroke="#52606d"/>')
    return _svg(parts)


def demand_map(cells: list[dict], areas: list[list[list[float]]]) -> str:
    """Return a plain coordinate map: region outlines, one circle per cell sized by requests."""
    points = [(c["lon"], c["lat"]) for c in cells] + [tuple(p) for a in areas for p in a]
    if not points:
        return _svg([_text(WIDTH / 2, HEIGHT / 2, "No requests with a located site", size=14)])
    west, east = min(p[0] for p in points), max(p[0] for p in points)
    south, north = min(p[1] for p in points), max(p[1] for p in points)
    # Equirectangular: a degree of longitude is cos(latitude) of a degree of latitude.
    squeeze = math.cos(math.radians((south + north) / 2))
    scale = min(
        (WIDTH - 40) / max((east - west) * squeeze, 0.01), (HEIGHT - 40) / max(north - south, 0.01)
    )

    def place(lon: float, lat: float) -> tuple[float, float]:
        return 20 + (lon - west) * squeeze * scale, HEIGHT - 20 - (lat - south) * scale

    parts = []
    for area in areas:
        ring = " ".join("{:.1f},{:.1f}".format(*place(lon, lat)) for lon, lat in area)
        parts.append(f'<polygon class="area" points="{ring}" fill="none" stroke="#9aa5b1"/>')
    most = max((c["requests"] for c in cells), default=1)
    for cell in cells:
        x, y = place(cell["lon"], cell["lat"])
        radius = 3 + 17 * (cell["requests"] / most) ** 0.5
        label = quoteattr(f"{cell['lat']},{cell['lon']}: {cell['requests']} requests")
        parts.append(
            f'<circle class="cell" cx="{x:.1f}" cy="{y:.1f}" r="{radius:.1f}" '
            f'fill="#e12d39" fill-opacity="0.55"><title>{label[1:-1]}</title></circle>'
        )
    return _svg(parts)


def _text(x: float, y: float, text: str, *, size: int) -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="middle">'
        f"{escape(text)}</text>"
    )


def _svg(parts: list[str]) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="{WIDTH}" height="{HEIGHT}" font-family="sans-serif">' + "".join(parts) + "</svg>"
    )

"""Dispatcher console pages: they call the JSON API with the dispatcher's own cookie session.

The pages carry no data of their own (every record comes from the API through page scripts,
which put it in as text); they only pick the language and tell scripts where the map tiles are.
"""

from urllib.parse import urlsplit

from flask import Blueprint, g, render_template, request
from flask_babel import gettext as _

from dispatch.api.base import app_config
from dispatch.app import LANGUAGES

bp = Blueprint("console", __name__, url_prefix="/console", template_folder="templates")
LANGUAGE_COOKIE = "console_lang"


# Words page scripts show, in the page's language (scripts read them from a data attribute).
SCRIPT_TEXTS = {
    "travel": "Travel",
    "unassigned": "Unassigned",
    "due": "due",
    "saved": "Saved",
    "refused": "Refused",
    "pinned": "pinned",
    "plan accepted": "Plan accepted",
    "plan discarded": "Plan discarded",
    "queued": "Queued",
    "running": "Planning",
    "ready": "Ready",
    "failed": "Failed",
    "on_site": "on site",
    "working": "working",
    "paused": "paused",
    "en_route": "en route",
    "absent": "absent",
    "planned": "planned",
    "done": "done",
    "free": "free",
    "scheduled": "scheduled",
    "in_progress": "in progress",
    "completed": "completed",
    "unable_to_finish": "unable to finish",
    "cancelled": "cancelled",
    "resend": "Resend",
    "moved on the board": "Moved on the day board",
    "resent": "Sent again",
    "no caller": "No customer with this number yet: a new one is created",
    "booked": "Booked",
    "no windows": "No free window in the next days",
    "register": "Register",
    "no web requests": "No request from the web form is waiting",
}


@bp.context_processor
def _script_texts():
    return {"texts": {key: _(label) for key, label in SCRIPT_TEXTS.items()}}


@bp.before_request
def _language():
    """Keep the language chosen with ?lang= for the next pages (zh-CN or en)."""
    chosen = (request.args.get("lang") or request.cookies.get(LANGUAGE_COOKIE) or "").replace(
        "-", "_"
    )
    if chosen in LANGUAGES:
        g.page_language = chosen


@bp.after_request
def _remember(response):
    chosen = request.args.get("lang", "").replace("-", "_")
    if chosen in LANGUAGES:
        response.set_cookie(LANGUAGE_COOKIE, chosen, samesite="Strict", max_age=365 * 86400)
    tiles = app_config().map_tile_url
    if tiles and request.endpoint == "console.day":
        policy = response.headers.get("Content-Security-Policy", "")
        response.headers["Content-Security-Policy"] = policy.replace(
            "img-src 'self'", f"img-src 'self' {tile_source(tiles)}"
        )
    return response


def tile_source(url: str) -> str:
    """Return the CSP source of a tile URL: its origin, any subdomain when it has `{s}`."""
    parts = urlsplit(url.replace("{s}", "tile-subdomain"))
    return f"{parts.scheme}://{parts.netloc.replace('tile-subdomain', '*')}"


@bp.get("/login")
def login():
    """Sign in to the console."""
    return render_template("console_login.html")


@bp.get("/")
def home():
    """Pick a region (only those you serve) and a day."""
    return render_template("console_home.html")


@bp.get("/day")
def day():
    """The day of a region: map, timelines, the tray; assign, move, pin, plan, live."""
    return render_template("console_day.html", tile_url=app_config().map_tile_url)


@bp.get("/intake")
def intake():
    """Take a call: find the caller, see their history, create the request, book, send SMS."""
    return render_template("console_intake.html")


@bp.get("/complaints")
def complaints():
    """The complaints queue with each clock and who owns it."""
    return render_template("console_complaints.html")


@bp.get("/plans/<int:plan_id>")
def plan(plan_id: int):
    """Watch a plan's progress, then see its routes on a map and accept or discard it."""
    return render_template("console_plan.html", plan_id=plan_id)


@bp.get("/reports/sla")
def sla():
    """See how often each SLA promise was broken, as a bar chart (CSV to download)."""
    return render_template("console_sla.html")


@bp.get("/reports")
def reports():
    """Pick a report, a month and a region: its chart (drawn by the server), table and CSV."""
    return render_template("console_reports.html")

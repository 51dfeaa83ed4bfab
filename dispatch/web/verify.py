"""Public voucher verification page, reached from the QR code printed on the voucher PDF."""

from __future__ import annotations

from flask import Blueprint, render_template, request

from dispatch.api.base import app_config
from dispatch.api.limits import link_limit
from dispatch.db import db
from dispatch.vouchers import service as vouchers

bp = Blueprint("verify", __name__, template_folder="templates")
link_limit(bp)  # numbers are guessable; keep enumeration slow


@bp.get("/v/<number>")
def voucher(number: str):
    """Show whether the voucher is genuine and, with the printed code, unchanged since printing."""
    result = vouchers.verification(
        db.session, config=app_config(), number=number, code=request.args.get("h", "")
    )
    return render_template("voucher_verify.html", v=result), 200 if result["genuine"] else 404

"""Read the follow-up survey form of the customer's page (FUP-3)."""

from __future__ import annotations

from flask_babel import gettext as _
from marshmallow import ValidationError
from werkzeug.datastructures import MultiDict

from dispatch.followups.schemas import SurveyIn

_SURVEY = SurveyIn()


def read_survey(form: MultiDict) -> dict | None:
    """Return the survey answers of a posted form, or None when they are not valid."""
    data = {
        name: form.get(name)
        for name in ("rating", "quality", "timeliness", "attitude")
        if form.get(name)
    }
    solved = form.get("problem_solved")
    if solved in ("yes", "no"):
        data["problem_solved"] = solved == "yes"
    data["reasons"] = form.getlist("reasons")
    data["comment"] = (form.get("comment") or "").strip()[:1000] or None
    try:
        return _SURVEY.load(data)
    except ValidationError:
        return None


def reason_labels() -> list[tuple[str, str]]:
    """Return the survey's reasons with their labels in the page's language."""
    return [
        ("late_arrival", _("Late arrival")),
        ("problem_not_fixed", _("Problem not fixed")),
        ("unfriendly", _("Unfriendly")),
        ("too_expensive", _("Too expensive")),
        ("left_a_mess", _("Left a mess")),
        ("took_too_long", _("Took too long")),
        ("other", _("Other")),
    ]

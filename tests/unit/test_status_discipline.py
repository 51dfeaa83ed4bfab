"""Only models change a status, and code outside models and rules compares no status literal.

Issue 10 §2 ("lifecycles are data"). No file is exempt.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SOURCES = sorted(
    path
    for package in ("dispatch", "mobile_api")
    for path in (ROOT / package).rglob("*.py")
    if path.name not in ("models.py", "rules.py")
)
# A statement assigning a status (alone or in a tuple), not a keyword argument of a call.
ASSIGNMENT = re.compile(
    r"^\s*(?:[\w.]+\s*,\s*)*[\w.]*\.(?:appointment_)?status\b(?:\s*,\s*[\w.]+)*\s*=(?!=)"
)
LITERAL = re.compile(r"status\)?\s*(?:==|!=|in|not in)\s*[(\[{]?\s*\"")
NOT_YET: set[str] = set()  # every service moves states through its models now


def _offending(pattern: re.Pattern) -> set[str]:
    found = set()
    for path in SOURCES:
        for line in path.read_text().splitlines():
            if pattern.search(line.split("#")[0]):
                found.add(str(path.relative_to(ROOT)))
    return found


def test_services_never_assign_a_status():
    assert _offending(ASSIGNMENT) <= NOT_YET


def test_no_status_literal_is_compared_outside_models_and_rules():
    assert _offending(LITERAL) <= NOT_YET


def test_the_scan_sees_both_kinds_of_offence():
    assert ASSIGNMENT.search('request.status = "registered"')
    assert ASSIGNMENT.search('photo.status, photo.completed_at = "complete", now')
    assert not ASSIGNMENT.search('if visit.status == "x":')
    assert not ASSIGNMENT.search("step = next_step(sms.status, sms.at, now, send_timeout=t)")
    assert LITERAL.search('if visit.status != "scheduled":')
    assert LITERAL.search('visit.status not in ("on_site", "paused")')
    assert LITERAL.search('Visit.status == "scheduled",')

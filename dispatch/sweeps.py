"""Backstop sweeps the worker runs every few seconds: nothing due is left undone.

Timed work normally leaves through RQ's scheduler. A worker crash or a flushed Redis loses
those jobs; these sweeps find the rows that are due by looking at the database, the only
source of truth, and act on each in its own transaction (every action is idempotent).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from dispatch import backups, jobs, outbox
from dispatch.assignments import sweeps as assignments
from dispatch.backlog import service as backlog
from dispatch.booking import calls
from dispatch.clock import utcnow
from dispatch.complaints import first_response, sla
from dispatch.config import Config
from dispatch.db import session_scope
from dispatch.followups import sweeps as followups
from dispatch.knowledge import sweeps as knowledge
from dispatch.privacy import service as privacy
from dispatch.reports import scheduled as reports
from dispatch.returnvisits import sweeps as return_visits

log = logging.getLogger(__name__)


def each(config: Config, find: Callable, act: Callable) -> int:
    """Find due ids, then act on each in its own transaction; return how many were acted on."""
    now = utcnow()
    with session_scope() as session:
        ids = find(session, config=config, now=now)
    done = 0
    for item_id in ids:
        try:
            with session_scope() as session:
                act(session, config=config, item_id=item_id, now=now)
                new_ids = outbox.take_new_ids(session)
            done += 1
        except Exception:  # one bad row must not stop the others; the next sweep retries it
            log.exception("sweep %s failed on %s", act.__name__, item_id)
            continue
        jobs.relay_soon(config, new_ids)
    return done


def run_all(config: Config) -> dict[str, int]:
    """Run every sweep once; return how many rows each acted on."""
    return {
        "followups_sent": each(config, followups.due_unsent, followups.send_late),
        "followups_overdue": each(config, followups.past_deadline, followups.flag_overdue),
        "phone_tasks": each(config, followups.unanswered, followups.to_phone_task),
        "second_touches": each(config, followups.second_touch_due, followups.second_touch),
        "return_visit_plans": each(config, return_visits.active_plans, return_visits.create_due),
        "complaint_breaches": each(config, sla.due_breaches, sla.breach),
        "first_responses_late": each(config, first_response.due_breaches, first_response.breach),
        "carried_over": each(config, backlog.carry_over_candidates, backlog.carry_over),
        "kb_entries_expired": each(config, knowledge.due_expiry, knowledge.expire),
        "reports_scheduled": each(config, reports.unscheduled, reports.schedule),
        "reports_generated": each(config, reports.due, reports.generate),
        "customers_anonymised": each(config, privacy.retention_due, privacy.retention_erase),
        "held_erasures_retried": each(config, privacy.held_due, privacy.retry_held),
        "proposal_calls": each(config, calls.unconfirmed_proposals, calls.call_about_proposal),
        "assignments_pushed": each(config, assignments.unpushed, assignments.push),
        "assignments_unaccepted": each(
            config, assignments.unaccepted, assignments.alert_unaccepted
        ),
        "simple_job_checks": each(
            config, assignments.simple_checks_due, assignments.raise_simple_check
        ),
        "emergency_arrivals_late": each(
            config, assignments.emergency_arrivals_late, assignments.breach_emergency_arrival
        ),
        "backups_made": backups.sweep(config, utcnow()),
    }

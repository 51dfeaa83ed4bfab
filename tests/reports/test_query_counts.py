"""Each report runs a constant number of SQL statements, whatever the data (RPT-2..RPT-9):
the figures come from aggregates, never from rows loaded one by one."""

import pytest
from sqlalchemy import event

from dispatch.db import db, session_scope
from tests.reports.facts import at, build_facts

PATHS = (
    "/api/v1/reports/sla",
    "/api/v1/reports/sla?by=technician",
    "/api/v1/reports/sla?by=department",
    "/api/v1/reports/sla?by=job",
    "/api/v1/reports/complaints?by=region",
    "/api/v1/reports/satisfaction",
    "/api/v1/reports/followups",
    "/api/v1/reports/requests?by=month",
    "/api/v1/reports/requests/demand",
    "/api/v1/reports/technicians",
    "/api/v1/reports/customers",
    "/api/v1/reports/quality/jobs",
    "/api/v1/reports/quality/faults",
    "/api/v1/reports/management/cases",
    "/api/v1/reports/management/causes",
)


def add_jobs(facts, count: int) -> None:
    with session_scope() as s:
        technician = facts.technician(s, f"t{facts.serial}", "N")
        for i in range(count):
            customer, site, unit = facts.customer(s, "N" if i % 2 else "S", model=f"M{i % 3}")
            request = facts.request(s, site, unit, registered=at(i % 5))
            visit = facts.visit(
                s,
                request,
                technician,
                window_end=at(i % 5, 3),
                arrived_at=at(i % 5, 2),
                completed_at=at(i % 5, 4),
            )
            facts.followup(s, visit, rating=1 + i % 5, answered=at(i % 5, 8))
            facts.voucher(s, visit, problem=f"fault {i % 2}")
            facts.complaint(
                s,
                customer.id,
                "N",
                received=at(i % 5),
                severity="major",
                cause=f"cause {i % 2}",
                technician_id=technician,
            )


def statements(client, facts, path: str) -> int:
    seen = []

    def count(*_):
        seen.append(1)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        path, _, by = path.partition("?by=")
        period = {"start": at(-1).isoformat(), "end": at(10).isoformat()}
        response = client.get(
            path, headers=facts.auth("quality"), query_string=period | ({"by": by} if by else {})
        )
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert response.status_code == 200, response.get_data(as_text=True)
    return len(seen)


@pytest.mark.parametrize("path", PATHS)
def test_report_runs_the_same_statements_for_1_or_8_jobs_RPT_10(client, path):
    facts = build_facts(client)
    add_jobs(facts, 1)
    few = statements(client, facts, path)
    add_jobs(facts, 7)
    assert statements(client, facts, path) == few <= 4

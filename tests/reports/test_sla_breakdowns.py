"""RPT-1: the SLA report per technician, department and job, every figure counted on paper.

Three jobs and one complaint (T0 = Monday 2 March 2026, 08:00 in Shanghai):

- R1 (region N): visit created after 1 h (booking met), answered on day 1 (met); technician
  wang arrived on time, accepted the assignment after 20 min (breached); follow-up sent in time.
- R2 (region N): no visit (booking breached), no answer (breached); handed to the department
  "installation" (DSP-13).
- R3 (region S): visit created after 1 h (met), answered on day 4 (late); technician li 1 h late.

Complaint K1 (region N, about R1, department "sales", taken by technician wang): forwarding
met 1 h after due (breached), first response met 1 h before due.
"""

from datetime import timedelta

from dispatch.assignments.models import JobAssignment, JobTransfer
from dispatch.complaints.models import ComplaintClock
from dispatch.db import session_scope
from dispatch.technicians.models import Technician
from tests.reports.facts import at, build_facts


def build(client):
    facts = build_facts(client)
    with session_scope() as s:
        customer, north, _ = facts.customer(s, "N")
        _, south, _ = facts.customer(s, "S")
        wang = facts.technician(s, "wang", "N")
        li = facts.technician(s, "li", "S")
        r1 = facts.request(s, north, registered=at(0))
        v1 = facts.visit(
            s,
            r1,
            wang,
            window_end=at(2),
            arrived_at=at(2, -1),
            completed_at=at(2),
            created_at=at(0, 1),
        )
        facts.followup(s, v1)
        r1.clock.record_answer(at(1))
        s.add(
            JobAssignment(
                visit_id=v1.id,
                technician_id=wang,
                source="booking",
                assigned_at=at(1),
                accept_due_at=at(1) + timedelta(minutes=15),
                accepted_at=at(1) + timedelta(minutes=20),
                status="accepted",
            )
        )
        r2 = facts.request(s, north, registered=at(0, 1))
        s.add(
            JobTransfer(
                request_id=r2.id,
                to_department="installation",
                reason="a fitting job",
                by_id=facts.user_id,
            )
        )
        r3 = facts.request(s, south, registered=at(0, 2))
        facts.visit(s, r3, li, window_end=at(2), arrived_at=at(2, 1), created_at=at(0, 3))
        r3.clock.record_answer(at(4))
        complaint = facts.complaint(
            s, customer.id, "N", received=at(1), department="sales", request_id=r1.id
        )
        complaint.first_owner_id = s.get(Technician, wang).user_id
        for name, met in (("forwarding", at(1, 1)), ("first_response", at(1, -1))):
            s.add(
                ComplaintClock(
                    complaint_id=complaint.id, name=name, started_at=at(1), due_at=at(1), met_at=met
                )
            )
        numbers = [r1.number, r2.number, r3.number]
    return facts, numbers


def lines(client, facts, who="quality", **query) -> dict:
    period = {"start": at(0).isoformat(), "end": at(7).isoformat()}
    response = client.get(
        "/api/v1/reports/sla", headers=facts.auth(who), query_string=period | query
    )
    assert response.status_code == 200, response.get_json()
    return {
        (line["key"], line["metric"]): (line["total"], line["breached"])
        for line in response.get_json()
    }


def test_rpt_1_breaches_per_technician_only_for_the_clocks_a_technician_runs(client):
    facts, _ = build(client)
    assert lines(client, facts, by="technician") == {
        ("li", "on_time_arrival"): (1, 1),
        ("wang", "acceptance_15min"): (1, 1),
        ("wang", "followup_24h"): (1, 0),
        ("wang", "on_time_arrival"): (1, 0),
        ("wang", "complaint_forwarding"): (1, 1),
    }


def test_rpt_1_breaches_per_department_follow_the_job_handed_over(client):
    facts, _ = build(client)
    got = lines(client, facts, by="department")
    assert got[("service", "booking_1_day")] == (2, 0)
    assert got[("installation", "booking_1_day")] == (1, 1)
    assert got[("service", "answer_72h")] == (2, 1)  # R3 answered late
    assert got[("installation", "answer_72h")] == (1, 1)
    assert got[("service", "on_time_arrival")] == (2, 1)
    assert got[("service", "acceptance_15min")] == (1, 1)
    assert got[("sales", "complaint_forwarding")] == (1, 1)
    assert got[("sales", "complaint_first_response")] == (1, 0)
    assert got[("customer_service", "request_first_response_24h")] == (0, 0)


def test_rpt_1_each_jobs_clocks_paged_by_number_and_scoped_to_regions(client):
    facts, (r1, r2, r3) = build(client)
    assert lines(client, facts, by="job") == {
        (r1, "acceptance_15min"): (1, 1),
        (r1, "followup_24h"): (1, 0),
        (r1, "booking_1_day"): (1, 0),
        (r1, "answer_72h"): (1, 0),
        (r1, "on_time_arrival"): (1, 0),
        (r1, "complaint_first_response"): (1, 0),
        (r1, "complaint_forwarding"): (1, 1),
        (r2, "booking_1_day"): (1, 1),
        (r2, "answer_72h"): (1, 1),
        (r3, "booking_1_day"): (1, 0),
        (r3, "answer_72h"): (1, 1),
        (r3, "on_time_arrival"): (1, 1),
    }
    first = lines(client, facts, by="job", limit=2)
    assert {key for key, _ in first} == {r1, r2}
    second = lines(client, facts, by="job", limit=2, after=r2)
    assert {key for key, _ in second} == {r3}
    # the manager of region N never sees the job of region S
    assert {key for key, _ in lines(client, facts, "manager", by="job")} == {r1, r2}
    csv = client.get(
        "/api/v1/reports/sla",
        headers=facts.auth("quality"),
        query_string={"start": at(0).isoformat(), "end": at(7).isoformat()}
        | {"by": "job", "format": "csv"},
    ).get_data(as_text=True)
    assert f"answer_72h,1,1,0,100.0,{r3}" in csv.splitlines()


def test_rpt_1_totals_equal_the_sum_of_the_technician_lines_they_apply_to(client):
    facts, _ = build(client)
    total = lines(client, facts)
    by_technician = lines(client, facts, by="technician")
    arrivals = [v for (_, metric), v in by_technician.items() if metric == "on_time_arrival"]
    assert total[("all", "on_time_arrival")] == tuple(map(sum, zip(*arrivals, strict=True)))
    assert total[("all", "answer_72h")] == (3, 2)

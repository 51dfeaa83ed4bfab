"""RPT-8 product-quality export and fault ranking; RPT-9 management report."""

from dispatch.db import session_scope
from tests.reports.facts import at, build_facts

PERIOD = {"start": at(0).isoformat(), "end": at(30).isoformat()}


def get(client, facts, path, **query):
    response = client.get(path, headers=facts.auth("quality"), query_string=PERIOD | query)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response


def test_rpt_8_lists_each_job_and_ranks_fault_types_per_model(client):
    facts = build_facts(client)
    with session_scope() as s:
        _, site, washer = facts.customer(s, "N", model="WM-100")
        _, _, dishwasher = facts.customer(s, "N", model="DW-5")
        for day, unit, problem in (
            (1, washer, "Belt worn"),
            (2, washer, "belt worn "),
            (3, washer, "Pump blocked"),
            (4, dishwasher, "Door seal"),
        ):
            request = facts.request(s, site, unit, registered=at(day), need="noisy")
            visit = facts.visit(
                s,
                request,
                window_end=at(day, 3),
                arrived_at=at(day, 2),
                completed_at=at(day, 3),
                diagnosis=f"{problem} found",
            )
            facts.voucher(s, visit, problem=problem, parts=[{"code": "BELT-9", "quantity": 1}])
    faults = get(client, facts, "/api/v1/reports/quality/faults").get_json()
    assert faults == [
        {"model": "DW-5", "fault_type": "door seal", "jobs": 1, "rank": 1},
        {"model": "WM-100", "fault_type": "belt worn", "jobs": 2, "rank": 1},
        {"model": "WM-100", "fault_type": "pump blocked", "jobs": 1, "rank": 2},
    ]
    jobs = get(client, facts, "/api/v1/reports/quality/jobs").get_json()
    assert len(jobs) == 4
    assert {k: jobs[0][k] for k in ("model", "need", "problem", "cause", "solution", "parts")} == {
        "model": "WM-100",
        "need": "noisy",
        "problem": "Belt worn",
        "cause": "Belt worn found",
        "solution": "replaced",
        "parts": "BELT-9 x 1",
    }
    csv = get(client, facts, "/api/v1/reports/quality/jobs", format="csv").get_data(as_text=True)
    assert csv.splitlines()[0] == (
        "visit_id,request,visit,model,need,problem,cause,solution,parts,status,completed_at"
    )
    first = get(client, facts, "/api/v1/reports/quality/jobs", limit=3).get_json()
    rest = get(
        client, facts, "/api/v1/reports/quality/jobs", after=first[-1]["visit_id"]
    ).get_json()
    assert [len(first), len(rest)] == [3, 1] and rest[0]["visit_id"] > first[-1]["visit_id"]


def test_rpt_9_lists_major_and_important_cases_and_recurring_causes(client):
    facts = build_facts(client)
    with session_scope() as s:
        customer, _, _ = facts.customer(s, "N")
        facts.complaint(s, customer.id, "N", received=at(1), severity="major", cause="Late part")
        facts.complaint(s, customer.id, "S", received=at(2), priority="high", cause="late part ")
        facts.complaint(s, customer.id, "N", received=at(3), cause="Rude call")
        facts.complaint(s, customer.id, "N", received=at(40), severity="major")  # later
    cases = get(client, facts, "/api/v1/reports/management/cases").get_json()
    assert [(c["severity"], c["priority"], c["region"]) for c in cases] == [
        ("major", "medium", "N"),
        ("general", "high", "S"),
    ]
    causes = get(client, facts, "/api/v1/reports/management/causes").get_json()
    assert [(c["category"], c["cause"], c["complaints"]) for c in causes] == [
        ("service_attitude", "late part", 2)
    ]
    north = client.get(
        "/api/v1/reports/management/cases", headers=facts.auth("manager"), query_string=PERIOD
    ).get_json()
    assert [c["region"] for c in north] == ["N"]

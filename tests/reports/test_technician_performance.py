"""RPT-6: per-technician performance on a hand-computed fixture."""

from dispatch.db import session_scope
from tests.reports.facts import at, build_facts


def test_rpt_6_jobs_punctuality_time_on_site_first_time_fix_rating_complaints(client):
    facts = build_facts(client)
    with session_scope() as s:
        a, b = facts.technician(s, "Ann", "N"), facts.technician(s, "Bo", "S")
        facts.technician(s, "Cy", "N")  # no work in the period: no line
        customer, site, unit = facts.customer(s, "N")
        _, _, other_unit = facts.customer(s, "N")
        _, south_site, _ = facts.customer(s, "S")
        # Ann: unit 1 repaired twice within 30 days, so the first visit was no first-time fix.
        v1 = facts.visit(
            s,
            facts.request(s, site, unit, registered=at(-1)),
            a,
            window_end=at(0, 4),
            arrived_at=at(0, 3),
            completed_at=at(0, 5),
        )
        v2 = facts.visit(
            s,
            facts.request(s, site, unit, registered=at(9)),
            a,
            window_end=at(10, 4),
            arrived_at=at(10, 5),
            completed_at=at(10, 6),
        )
        facts.visit(
            s,
            facts.request(s, site, other_unit, registered=at(19)),
            a,
            window_end=at(20, 4),
            arrived_at=at(20, 4),
            completed_at=at(20, 5),
        )
        # the same unit again 41 days later: outside the 30 days, and outside the period
        facts.visit(
            s,
            facts.request(s, site, other_unit, registered=at(60)),
            a,
            window_end=at(61, 4),
            arrived_at=at(61, 4),
            completed_at=at(61, 5),
        )
        facts.followup(s, v1, rating=5, answered=at(1))
        facts.followup(s, v2, rating=3, answered=at(11))
        facts.complaint(s, customer.id, "N", received=at(5), technician_id=a)
        v4 = facts.visit(
            s,
            facts.request(s, south_site, registered=at(0)),
            b,
            window_end=at(1, 4),
            arrived_at=at(1, 4),
            completed_at=at(1, 5),
        )
        facts.followup(s, v4, rating=4, answered=at(2))
    period = {"start": at(0).isoformat(), "end": at(30).isoformat()}
    response = client.get(
        "/api/v1/reports/technicians", headers=facts.auth("quality"), query_string=period
    )
    assert response.status_code == 200, response.get_json()
    ann, bo = response.get_json()
    assert ann == {
        "technician_id": a,
        "technician": "Ann",
        "jobs_done": 3,
        "on_time_rate": 66.7,  # arrived by the window's end 2 of 3 times
        "avg_minutes_on_site": 80.0,  # (120 + 60 + 60) / 3
        "first_time_fix_rate": 66.7,  # unit 1's first repair came back within 30 days
        "avg_rating": 4.0,  # (5 + 3) / 2 answered
        "complaints": 1,
    }
    assert (bo["jobs_done"], bo["first_time_fix_rate"], bo["avg_rating"]) == (1, None, 4.0)
    north = client.get(
        "/api/v1/reports/technicians", headers=facts.auth("manager"), query_string=period
    ).get_json()
    assert [line["technician"] for line in north] == ["Ann"]

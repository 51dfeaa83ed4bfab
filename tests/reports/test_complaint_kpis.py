"""RPT-2: complaint KPIs on a hand-computed fixture, by dimension, region-scoped (RPT-10)."""

import pytest

from dispatch.db import session_scope
from tests.reports.facts import at, build_facts

PERIOD = {"start": at(0).isoformat(), "end": at(7).isoformat()}


@pytest.fixture
def facts(client):
    facts = build_facts(client)
    with session_scope() as s:
        customer, _, _ = facts.customer(s, "N")
        # N: 10 h, satisfied, met its limit | 30 h, unsatisfied, late | open and past its limit
        facts.complaint(
            s,
            customer.id,
            "N",
            received=at(0),
            resolved_at=at(0, 10),
            followup_satisfied=True,
            resolution_due=at(1),
            resolution_met=at(0, 10),
        )
        facts.complaint(
            s,
            customer.id,
            "N",
            received=at(1),
            resolved_at=at(1, 30),
            followup_satisfied=False,
            resolution_due=at(2),
            resolution_met=at(1, 30),
            category="delay",
            nature="hard",
        )
        facts.complaint(s, customer.id, "N", received=at(2), resolution_due=at(3), category="delay")
        # S: 2 h, satisfied, in time; and one complaint after the period
        facts.complaint(
            s,
            customer.id,
            "S",
            received=at(3),
            resolved_at=at(3, 2),
            followup_satisfied=True,
            resolution_due=at(4),
            resolution_met=at(3, 2),
        )
        facts.complaint(s, customer.id, "S", received=at(10), resolved_at=at(10, 1))
    return facts


def get(client, facts, who="quality", **query):
    response = client.get(
        "/api/v1/reports/complaints", headers=facts.auth(who), query_string=PERIOD | query
    )
    assert response.status_code == 200, response.get_json()
    return response


def test_rpt_2_kpis_of_all_complaints_received_in_the_period(client, facts):
    (total,) = get(client, facts).get_json()
    assert total == {
        "key": "all",
        "complaints": 4,
        "avg_handling_hours": 14.0,  # (10 + 30 + 2) / 3 resolved
        "resolution_rate": 75.0,  # 3 of 4 resolved
        "satisfaction_rate": 66.7,  # 2 of 3 asked were satisfied
        "timeliness_rate": 50.0,  # 2 of 4 decided resolution clocks met
    }


def test_rpt_2_breaks_down_by_region_and_category(client, facts):
    by_region = {row["key"]: row for row in get(client, facts, by="region").get_json()}
    assert by_region["N"]["complaints"] == 3
    assert by_region["N"]["avg_handling_hours"] == 20.0
    assert by_region["N"]["timeliness_rate"] == 33.3
    assert by_region["S"]["satisfaction_rate"] == 100.0
    by_category = {
        row["key"]: row["complaints"] for row in get(client, facts, by="category").get_json()
    }
    assert by_category == {"delay": 2, "service_attitude": 2}
    by_nature = {
        row["key"]: row["complaints"] for row in get(client, facts, by="nature").get_json()
    }
    assert by_nature == {"hard": 1, "soft": 3}
    by_status = get(client, facts, by="status").get_json()
    assert [(row["key"], row["complaints"]) for row in by_status] == [("received", 4)]


def test_rpt_10_complaint_kpis_are_region_scoped_and_exported_as_csv(client, facts):
    (north,) = get(client, facts, "manager").get_json()  # the manager serves region N only
    assert (north["complaints"], north["resolution_rate"]) == (3, 66.7)
    other = client.get(
        "/api/v1/reports/complaints",
        headers=facts.auth("manager"),
        query_string=PERIOD | {"region_id": facts.regions["S"]},
    )
    assert other.status_code == 404
    csv = get(client, facts, format="csv", by="region").get_data(as_text=True).splitlines()
    assert csv[0] == (
        "key,complaints,avg_handling_hours,resolution_rate,satisfaction_rate,timeliness_rate"
    )
    assert csv[2] == "S,1,2.0,100.0,100.0,100.0"
    svg = get(client, facts, format="svg", by="region")
    assert svg.mimetype == "image/svg+xml" and svg.get_data(as_text=True).count('class="bar"') == 2

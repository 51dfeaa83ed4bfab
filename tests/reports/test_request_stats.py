"""RPT-5: request statistics by dimension, never-jobs included, and the demand map."""

import pytest

from dispatch.db import session_scope
from tests.reports.facts import at, build_facts

PERIOD = {"start": at(0).isoformat(), "end": at(7).isoformat()}


@pytest.fixture
def facts(client):
    facts = build_facts(client)
    with session_scope() as s:
        _, north, _ = facts.customer(s, "N", lat=31.31, lon=121.41)
        _, south, _ = facts.customer(s, "S", lat=31.01, lon=121.41)
        booked = facts.request(s, north, registered=at(0))
        facts.visit(s, booked, window_end=at(1))
        facts.request(s, north, registered=at(0, 1), channel="web_form", category="hvac")
        # 16:30 UTC is 00:30 the next day in Shanghai: it counts on 3 March there
        facts.request(s, north, registered=at(0, 16.5), kind="consultation", category="other")
        facts.visit(s, facts.request(s, south, registered=at(2)), window_end=at(3))
        facts.request(s, south, registered=at(8))  # after the period
    return facts


def get(client, facts, path="/api/v1/reports/requests", who="quality", **query):
    response = client.get(path, headers=facts.auth(who), query_string=PERIOD | query)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response


def test_rpt_5_counts_requests_that_became_jobs_and_those_that_never_did(client, facts):
    assert get(client, facts).get_json() == [
        {"key": "all", "requests": 4, "became_jobs": 2, "never_jobs": 2, "job_rate": 50.0}
    ]
    by_type = {
        r["key"]: (r["requests"], r["never_jobs"]) for r in get(client, facts, by="type").get_json()
    }
    assert by_type == {"consultation": (1, 1), "repair": (3, 1)}
    by_channel = {r["key"]: r["requests"] for r in get(client, facts, by="channel").get_json()}
    assert by_channel == {"phone": 3, "web_form": 1}
    by_category = {r["key"]: r["requests"] for r in get(client, facts, by="category").get_json()}
    assert by_category == {"appliance": 2, "hvac": 1, "other": 1}
    by_region = {r["key"]: r["job_rate"] for r in get(client, facts, by="region").get_json()}
    assert by_region == {"N": 33.3, "S": 100.0}


def test_rpt_5_periods_are_region_local_days_weeks_and_months(client, facts):
    by_day = {r["key"]: r["requests"] for r in get(client, facts, by="day").get_json()}
    assert by_day == {"2026-03-02": 2, "2026-03-03": 1, "2026-03-04": 1}
    by_week = get(client, facts, by="week").get_json()
    assert [(r["key"], r["requests"]) for r in by_week] == [("2026-03-02", 4)]
    by_month = get(client, facts, by="month").get_json()
    assert [(r["key"], r["requests"]) for r in by_month] == [("2026-03-01", 4)]


def test_rpt_5_demand_map_counts_requests_per_area_and_draws_them(client, facts):
    cells = get(client, facts, "/api/v1/reports/requests/demand").get_json()
    assert cells == [
        {"lat": 31.025, "lon": 121.425, "requests": 1, "never_jobs": 0},
        {"lat": 31.325, "lon": 121.425, "requests": 3, "never_jobs": 2},
    ]
    north_only = get(client, facts, "/api/v1/reports/requests/demand", who="manager").get_json()
    assert [cell["requests"] for cell in north_only] == [3]
    svg = get(client, facts, "/api/v1/reports/requests/demand", format="svg").get_data(as_text=True)
    assert svg.count('class="cell"') == 2 and svg.count('class="area"') == 2

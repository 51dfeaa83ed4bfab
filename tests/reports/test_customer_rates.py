"""RPT-7: repeat-customer, complaint and churn rates with a configurable churn rule."""

import pytest

from dispatch.db import session_scope
from tests.reports.facts import at, build_facts

PERIOD = {"start": at(0).isoformat(), "end": at(30).isoformat()}


@pytest.fixture
def facts(client):
    facts = build_facts(client)
    with session_scope() as s:
        c1, site1, _ = facts.customer(s, "N")
        _, site2, _ = facts.customer(s, "N")
        _, site3, _ = facts.customer(s, "N")
        _, site4, _ = facts.customer(s, "N")
        facts.request(s, site1, registered=at(-100))  # served before: c1 returns in the period
        returned = facts.request(s, site1, registered=at(5))
        facts.visit(s, returned, window_end=at(6), arrived_at=at(6), completed_at=at(6, 1))
        first_time = facts.request(s, site2, registered=at(5))
        facts.visit(s, first_time, window_end=at(7), arrived_at=at(7), completed_at=at(7, 1))
        facts.request(s, site3, registered=at(-200))  # served 200 days ago, not since: churned
        facts.request(s, site4, registered=at(-400))  # beyond the look-back: not counted
        facts.request(s, site2, registered=at(6), kind="consultation")  # not a job
        facts.complaint(s, c1.id, "N", received=at(8))
    return facts


def get(client, facts, **query):
    response = client.get(
        "/api/v1/reports/customers", headers=facts.auth("quality"), query_string=PERIOD | query
    )
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def test_rpt_7_repeat_complaint_and_churn_rates(client, facts):
    assert get(client, facts) == [
        {
            "region": "N",
            "customers": 2,
            "repeat_customers": 1,
            "repeat_rate": 50.0,  # c1 of c1, c2
            "jobs_done": 2,
            "complaints": 1,
            "complaint_rate": 50.0,  # 1 complaint per 2 jobs
            "base_customers": 2,  # c1 and c3 had a job in the 365 days before
            "churned": 1,  # c3 had none since
            "churn_rate": 50.0,
        }
    ]


def test_rpt_7_churn_definition_is_configurable(client, facts, config):
    (line,) = get(client, facts, lookback_days=150)  # c3 (200 days ago) leaves the base
    assert (line["base_customers"], line["churned"], line["churn_rate"]) == (1, 0, 0.0)
    assert config.churn_lookback_days == 365 and config.churn_grace_days == 0

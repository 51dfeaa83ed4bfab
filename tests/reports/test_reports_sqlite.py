"""The reports also run on SQLite, the zero-configuration `bin/run` database (RPT-10)."""

import pytest

from tests.reports.facts import at, build_facts
from tests.reports.test_complaint_kpis import facts as complaint_facts  # noqa: F401
from tests.reports.test_complaint_kpis import get as get_complaints
from tests.reports.test_query_counts import PATHS, add_jobs


@pytest.fixture
def backend() -> str:
    return "sqlite"


def test_every_report_answers_on_sqlite(client):
    facts = build_facts(client)
    add_jobs(facts, 4)
    period = {"start": at(-1).isoformat(), "end": at(10).isoformat()}
    for path in PATHS:
        path, _, by = path.partition("?by=")
        for form in ("json", "csv", "svg"):
            query = period | {"format": form} | ({"by": by} if by else {})
            response = client.get(path, headers=facts.auth("quality"), query_string=query)
            assert response.status_code == 200, (path, form, response.get_data(as_text=True))


def test_complaint_kpis_are_the_same_on_sqlite(client, complaint_facts):  # noqa: F811
    (total,) = get_complaints(client, complaint_facts).get_json()
    assert (total["avg_handling_hours"], total["timeliness_rate"]) == (14.0, 50.0)

"""Property-based requests generated from our own OpenAPI document never get a 500.

schemathesis draws valid and invalid inputs for every operation; any answer is fine except a
server error (the single error shape of 4xx answers is checked elsewhere).
"""

import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error

FUZZ = settings(
    max_examples=10, deadline=None, database=None, suppress_health_check=list(HealthCheck)
)


def never_a_server_error(operation, headers: dict) -> None:
    """Send generated cases of one operation; fail on the first 5xx answer."""

    @FUZZ
    @given(case=operation.as_strategy())
    def send(case):
        case.call_and_validate(headers=headers, checks=[not_a_server_error])

    send()


def test_no_operation_answers_with_a_server_error(app, world):
    schema = schemathesis.openapi.from_wsgi("/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 60
    for operation in operations:
        who = "tech_a" if operation.path.startswith("/mobile") else "admin"
        never_a_server_error(operation, world.auth(who))

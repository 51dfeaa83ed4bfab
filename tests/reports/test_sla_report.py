"""RPT-1: every timed promise in one report — kept, broken, open — as JSON, CSV and a chart."""

import time_machine
from sqlalchemy import delete

from dispatch import sweeps
from dispatch.audit import AuditEntry
from dispatch.db import session_scope
from tests.aftercare.helpers import complete_visit, local, relogin
from tests.aftercare.test_complaints import file_complaint
from tests.builders import PASSWORD, build_world, repair_request


def line(report: list[dict], metric: str) -> dict:
    return next(item for item in report if item["metric"] == metric)


def test_rpt_1_breaches_of_followup_booking_arrival_and_complaint_clocks(client, config):
    with time_machine.travel(local(1, 9), tick=True) as clock:
        world = build_world(client)
        complete_visit(client, world, clock, finished=local(1, 11))  # booked, on time
        repair_request(client, world)  # never booked: breaks the one-day booking promise
        file_complaint(client, world)  # soft: 15 min to respond, nobody does
        clock.move_to(local(3, 9))  # the worker was down for two days
        sweeps.run_all(config)
        relogin(client, world, "quality")
        period = {"start": local(1, 0).isoformat(), "end": local(4, 0).isoformat()}
        response = client.get(
            "/api/v1/reports/sla", headers=world.auth("quality"), query_string=period
        )
        assert response.status_code == 200, response.get_json()
        report = response.get_json()
        followup = line(report, "followup_24h")
        assert (followup["total"], followup["breached"], followup["rate"]) == (1, 1, 100.0)
        booking = line(report, "booking_1_day")
        assert (booking["total"], booking["breached"]) == (2, 1)
        assert booking["rate"] == 50.0
        arrival = line(report, "on_time_arrival")
        assert (arrival["total"], arrival["breached"]) == (1, 0)
        first_response = line(report, "complaint_first_response")
        assert first_response["breached"] == 1
        csv = client.get(
            "/api/v1/reports/sla",
            headers=world.auth("quality"),
            query_string=period | {"format": "csv"},
        )
        assert csv.mimetype == "text/csv"
        rows = csv.get_data(as_text=True).splitlines()
        assert rows[0] == "metric,total,breached,open,breach_rate_percent"
        assert "followup_24h,1,1,0,100.0" in rows
        # Reports read real columns, never the audit trail (DESIGN §7): the same without it.
        with session_scope() as session:
            session.execute(delete(AuditEntry))
        again = client.get(
            "/api/v1/reports/sla", headers=world.auth("quality"), query_string=period
        )
        assert again.get_json() == report


def test_rpt_1_period_must_be_in_order_and_staff_only(client, world):
    bad = client.get(
        "/api/v1/reports/sla",
        headers=world.auth("quality"),
        query_string={"start": "2026-12-02T00:00:00+08:00", "end": "2026-12-01T00:00:00+08:00"},
    )
    assert bad.status_code == 422 and "end" in bad.get_json()["details"]["fields"]["query"]
    assert client.get("/api/v1/reports/sla", headers=world.auth("tech_a")).status_code == 403


def test_sla_chart_draws_one_bar_per_promise(client, world, live_server, desktop_page):
    desktop_page.goto(f"{live_server}/console/reports/sla")
    desktop_page.fill("input[name=username]", "quality")
    desktop_page.fill("input[name=password]", PASSWORD)
    desktop_page.click("#login button[type=submit]")
    desktop_page.wait_for_selector("rect.bar")
    assert desktop_page.locator("rect.bar").count() >= 3


def test_rpt_1_lines_per_region_and_the_72_hour_answer(client):
    from dispatch.db import session_scope
    from tests.reports.facts import at, build_facts

    facts = build_facts(client)
    with session_scope() as s:
        _, north, _ = facts.customer(s, "N")
        _, south, _ = facts.customer(s, "S")
        answered = facts.request(s, north, registered=at(0))
        visit = facts.visit(s, answered, window_end=at(2), arrived_at=at(2, -1))
        visit.appointment.status, visit.appointment.confirmed_at = "confirmed", at(1)  # in 24 h
        answered.clock.record_answer(at(1))  # what confirming does (APT-12)
        facts.request(s, north, registered=at(0, 1))  # nobody ever gave it a date
        facts.request(s, south, registered=at(0, 2))
    period = {"start": at(0).isoformat(), "end": at(7).isoformat(), "by": "region"}
    lines = client.get(
        "/api/v1/reports/sla", headers=facts.auth("quality"), query_string=period
    ).get_json()
    answer = {line["key"]: line for line in lines if line["metric"] == "answer_72h"}
    assert (answer["N"]["total"], answer["N"]["breached"], answer["N"]["rate"]) == (2, 1, 50.0)
    assert (answer["S"]["total"], answer["S"]["breached"]) == (1, 1)
    arrival = [line for line in lines if line["metric"] == "on_time_arrival"]
    # grouped lines exist only where something fell due: S had no visit
    assert [(line["key"], line["total"], line["breached"]) for line in arrival] == [("N", 1, 0)]
    north_only = client.get(
        "/api/v1/reports/sla", headers=facts.auth("manager"), query_string=period
    ).get_json()
    assert {line["key"] for line in north_only} == {"N"}


def test_rpt_1_dsp_5_acceptance_within_15_minutes(client):
    """RPT-1 (DSP-5): accepted in 10 min is met, in 20 min breached, never accepted and past due
    breached, reassigned before its due time not counted, still inside its 15 min open."""
    from datetime import timedelta

    from dispatch.assignments.models import JobAssignment
    from tests.reports.facts import at, build_facts

    facts = build_facts(client)
    with session_scope() as s:
        _, north, _ = facts.customer(s, "N")
        tech = facts.technician(s, "Wang", "N")
        request = facts.request(s, north, registered=at(0))
        visit = facts.visit(s, request, tech, window_end=at(2))
        quarter = timedelta(minutes=15)

        def assigned(when, **extra):
            s.add(
                JobAssignment(
                    visit_id=visit.id,
                    technician_id=tech,
                    source="booking",
                    assigned_at=when,
                    accept_due_at=when + quarter,
                    **extra,
                )
            )

        assigned(at(1), accepted_at=at(1) + timedelta(minutes=10), status="accepted")
        assigned(at(1, 1), accepted_at=at(1, 1) + timedelta(minutes=20), status="accepted")
        assigned(at(1, 2))  # never accepted, long past due
        assigned(at(1, 3), ended_at=at(1, 3) + timedelta(minutes=5), status="superseded")
    period = {"start": at(0).isoformat(), "end": at(7).isoformat()}
    lines = client.get(
        "/api/v1/reports/sla", headers=facts.auth("quality"), query_string=period
    ).get_json()
    accept = line(lines, "acceptance_15min")
    assert (accept["total"], accept["breached"], accept["open"]) == (3, 2, 0)
    assert accept["rate"] == round(200 / 3, 1)

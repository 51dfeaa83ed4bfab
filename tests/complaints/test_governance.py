"""Seed 002's governance: major triggers on every change, case opening, investigation and assist
requests, solutions, appeals and the general manager's word, the serious-case review
(CMP-9, 11, 12, 13, 14, 16)."""

from __future__ import annotations

import time_machine
from sqlalchemy import select

from dispatch.alerts.models import StaffAlert
from dispatch.notifications.models import SmsMessage
from dispatch.users.models import User
from tests.aftercare.helpers import local
from tests.attachments.helpers import PDF, PNG, upload
from tests.builders import book_visit
from tests.complaints.helpers import (
    act,
    alert_kinds,
    clocks_of,
    file_complaint,
    governed_world,
    ok,
    open_case,
    plan,
    user_id,
)

FINDING = {"authentic": True, "severity": "general", "cause": "The belt was fitted loosely"}


def alerted_roles(session, kind: str) -> set[str]:
    return set(
        session.scalars(
            select(User.role)
            .join(StaffAlert, StaffAlert.user_id == User.id)
            .where(StaffAlert.kind == kind)
        )
    )


def investigating(client, world, **overrides) -> dict:
    complaint = file_complaint(client, world, **overrides)
    open_case(client, world, complaint, who="vp" if complaint["severity"] == "major" else "head")
    return ok(act(client, world, complaint, "investigation", FINDING, who="handler"))


def test_cmp_9_a_trigger_found_later_makes_the_case_major_and_alerts_the_real_roles(
    client, session, gworld
):
    complaint = investigating(client, gworld)
    assert complaint["severity"] == "general" and alerted_roles(session, "complaint.major") == set()
    found = FINDING | {"major_triggers": ["safety"], "severity": "general"}
    major = ok(act(client, gworld, complaint, "investigation", found, who="handler"))
    again = ok(act(client, gworld, complaint, "investigation", found, who="handler"))
    assert (major["severity"], major["supervised_by_cs"]) == ("major", True)
    assert major["major_triggers"] == ["safety"] and again["severity"] == "major"
    assert alerted_roles(session, "complaint.major") == {
        "cs_manager",
        "department_head",
        "vp_in_charge",
    }
    assert alert_kinds(session, "vp").count("complaint.major") == 1  # once, not on every step


def test_cmp_11_department_head_opens_a_general_case_the_same_day(client, session):
    with time_machine.travel(local(7, 10), tick=True):
        world = governed_world(client)
        complaint = file_complaint(client, world)
        assert clocks_of(complaint)["case_decision"]["due_at"].startswith("2026-12-07T09:30")
        decision = {"opened": True, "note": "We open your case today; a handler will call"}
        by_handler = act(client, world, complaint, "case-decision", decision, who="handler")
        by_vp = act(client, world, complaint, "case-decision", decision, who="vp")
        assign = decision | {"handler_id": user_id(session, "dispatcher")}  # CMP-4 on opening
        opened = ok(act(client, world, complaint, "case-decision", assign, who="head"))
        twice = act(client, world, complaint, "case-decision", decision, who="head")
        refused = file_complaint(client, world)
        no = {"opened": False, "note": "This concerns another company's product"}
        not_opened = ok(act(client, world, refused, "case-decision", no, who="head"))
        closing = act(client, world, refused, "close", {"customer_feedback": "Sorry"})
    assert by_handler.status_code == 403 and by_vp.status_code == 403
    assert opened["status"] == "assigned" and opened["case_decision_note"].startswith("We open")
    assert clocks_of(opened)["case_decision"]["met_at"] and twice.status_code == 409
    assert opened["owner_id"] == user_id(session, "dispatcher")
    assert opened["transfers"][-1]["reason"].startswith("Assigned on case opening")
    assert not_opened["status"] == "not_opened" and closing.status_code == 409
    replies = list(session.scalars(select(SmsMessage.body)))
    assert any("This concerns another company's product" in body for body in replies)


def test_cmp_11_vp_in_charge_approves_a_major_case_within_one_working_day(client):
    with time_machine.travel(local(11, 16), tick=True):  # a Friday afternoon
        world = governed_world(client)
        complaint = file_complaint(client, world, major_triggers=["external_party"])
        due = clocks_of(complaint)["case_decision"]["due_at"]
        decision = {"opened": True, "note": "Approved; customer service supervises"}
        by_head = act(client, world, complaint, "case-decision", decision, who="head")
        approved = ok(act(client, world, complaint, "case-decision", decision, who="vp"))
    assert due.startswith("2026-12-14T08:00")  # Monday 16:00 local: one working day later
    assert by_head.status_code == 403 and approved["status"] == "assigned"


def test_cmp_12_investigation_records_truth_evidence_cause_party_and_tracks_assists(client, gworld):
    complaint = investigating(client, gworld)
    finding = FINDING | {
        "responsible_party": "Installation team 3",
        "evidence": [{"kind": "photo", "reference": "photo:17"}],
    }
    found = ok(act(client, gworld, complaint, "investigation", finding, who="handler"))
    assert (found["authentic"], found["cause"]) == (True, FINDING["cause"])
    assert found["responsible_party"] == "Installation team 3"
    assert found["evidence"] == [{"kind": "photo", "reference": "photo:17"}]
    past = {"department": "Spare parts", "request": "Belt batch?", "due_at": "2020-01-01T00:00:00Z"}
    assert act(client, gworld, complaint, "assists", past).status_code == 422
    request = {
        "department": "Spare parts",
        "request": "Which belt batch went to this site?",
        "due_at": "2030-01-01T00:00:00Z",
    }
    asked = ok(act(client, gworld, complaint, "assists", request))
    assist = asked["assists"][0]
    assert (assist["department"], assist["done_at"]) == ("Spare parts", None)
    done_path = f"assists/{assist['id']}/done"
    answer = {"answer": "Batch B-17, recalled since"}
    done = ok(act(client, gworld, complaint, done_path, answer))
    assert done["assists"][0]["done_at"] and done["assists"][0]["answer"] == answer["answer"]
    assert act(client, gworld, complaint, done_path, answer).status_code == 409
    assert act(client, gworld, complaint, "assists/999/done", answer).status_code == 404


def test_cmp_12_int_16_investigation_links_uploaded_files_of_the_case_as_evidence(
    client, session, gworld
):
    visit = book_visit(client, gworld)
    complaint = investigating(client, gworld, visit_id=visit["id"])
    auth = gworld.auth("handler")
    letter = ok(
        upload(
            client,
            f"/api/v1/complaints/{complaint['id']}/attachments",
            auth,
            PDF,
            "inspection-letter.pdf",
            "application/pdf",
        )
    )
    on_site = ok(
        upload(
            client, f"/api/v1/visits/{visit['id']}/attachments", auth, PNG, "belt.png", "image/png"
        )
    )
    other = file_complaint(client, gworld)
    elsewhere = ok(
        upload(
            client,
            f"/api/v1/complaints/{other['id']}/attachments",
            auth,
            PNG,
            "other.png",
            "image/png",
        )
    )
    with_files = FINDING | {"evidence_attachment_ids": [letter["id"], on_site["id"]]}
    found = ok(act(client, gworld, complaint, "investigation", with_files, who="handler"))
    again = ok(act(client, gworld, complaint, "investigation", with_files, who="handler"))
    files = [(e["attachment_id"], e["filename"], e["media"]) for e in again["evidence_files"]]
    assert files == [
        (letter["id"], "inspection-letter.pdf", "document"),
        (on_site["id"], "belt.png", "photo"),
    ]  # linked once, however often the finding is recorded
    assert found["evidence_files"][0]["linked_at"] and found["evidence_files"][0]["size"] == len(
        PDF
    )
    foreign = FINDING | {"evidence_attachment_ids": [elsewhere["id"]]}
    refused = act(client, gworld, complaint, "investigation", foreign, who="handler")
    unknown = act(
        client,
        gworld,
        complaint,
        "investigation",
        FINDING | {"evidence_attachment_ids": [999999]},
        who="handler",
    )
    assert refused.get_json()["error_code"] == "evidence_not_on_case"
    assert (refused.status_code, unknown.status_code) == (422, 422)
    download = client.get(
        f"/api/v1/attachments/{letter['id']}/content", headers=gworld.auth("head")
    )
    assert download.status_code == 200 and download.data == PDF
    mine = client.get(f"/mobile/v1/complaints/{complaint['id']}", headers=gworld.auth("tech_a"))
    assert "evidence_files" not in (mine.get_json() or {})  # the technician sees no findings


def test_cmp_9_cmp_11_new_complaint_alerts_manager_customer_service_and_the_case_decider(
    client, session, gworld
):
    file_complaint(client, gworld)
    assert alerted_roles(session, "complaint.opened") == {
        "manager",
        "cs_manager",
        "department_head",
    }
    file_complaint(client, gworld, major_triggers=["safety"])
    assert alerted_roles(session, "complaint.opened") == {
        "manager",
        "cs_manager",
        "department_head",
        "vp_in_charge",  # decides the opening of a major case (CMP-11)
    }
    assert sorted(alert_kinds(session, "vp")) == ["complaint.major", "complaint.opened"]
    assert alert_kinds(session, "handler") == []


def test_cmp_13_cmp_14_rejection_appeals_to_the_superior_and_the_gm_overrides(
    client, session, gworld
):
    complaint = investigating(client, gworld)
    deadline = "2030-01-01T00:00:00Z"
    bare = plan(session, local(7, 10)) | {"deadline": deadline, "remedies": []}
    assert act(client, gworld, complaint, "plan", bare, who="handler").status_code == 422
    first = plan(session, local(7, 10)) | {"deadline": deadline}
    proposed = ok(act(client, gworld, complaint, "plan", first, who="handler"))
    assert proposed["status"] == "solution_proposed"
    no_reason = act(client, gworld, complaint, "decision", {"accepted": False})
    assert no_reason.status_code == 422 and no_reason.get_json()["error_code"] == "reason_required"
    reject = {"accepted": False, "note": "A repair again is not enough; I want a new unit"}
    appealed = ok(act(client, gworld, complaint, "decision", reject))
    assert appealed["status"] == "appealed"
    assert appealed["appeals"][0]["superior_role"] == "department_head"
    assert "complaint.appealed" in alert_kinds(session, "head")
    evaluation = {
        "evaluation": "A third failure of this unit: replacement is fair",
        "outcome": "new_solution",
    }
    incomplete = act(client, gworld, complaint, "appeal-decision", evaluation, who="head")
    assert incomplete.get_json()["error_code"] == "solution_incomplete"
    second = evaluation | plan(session, local(7, 10), ["replacement"]) | {"deadline": deadline}
    by_handler = act(client, gworld, complaint, "appeal-decision", second, who="handler")
    assert by_handler.status_code == 403
    revised = ok(act(client, gworld, complaint, "appeal-decision", second, who="head"))
    assert revised["status"] == "solution_proposed" and revised["plan_remedies"] == ["replacement"]
    assert revised["appeals"][0]["outcome"] == "new_solution"
    ok(act(client, gworld, complaint, "decision", reject | {"note": "I want a refund"}))
    final = plan(session, local(7, 10), ["refund", "apology"]) | {
        "deadline": deadline,
        "note": "Full refund and our apology; this decision is final",
    }
    assert act(client, gworld, complaint, "gm-decision", final, who="cs").status_code == 403
    decided = ok(act(client, gworld, complaint, "gm-decision", final, who="gm"))
    assert decided["status"] == "resolving" and decided["gm_decided_at"]
    assert (decided["plan_remedies"], decided["plan_accepted_via"]) == (["refund", "apology"], "gm")
    assert decided["appeals"][1]["outcome"] == "gm_decision"
    overridden = act(client, gworld, complaint, "plan", first, who="handler")
    assert overridden.status_code == 409


def test_cmp_16_review_of_a_serious_complaint_records_remedies_and_people(client, gworld):
    general = investigating(client, gworld)
    review = {"remedies": "Retrain team 3; audit belt stock", "responsible": ["Team 3 lead"]}
    assert act(client, gworld, general, "review", review, who="cs").status_code == 422
    major = investigating(client, gworld, major_triggers=["safety"])
    assert act(client, gworld, major, "review", review, who="handler").status_code == 403
    reviewed = ok(act(client, gworld, major, "review", review, who="cs"))
    assert reviewed["review_responsible"] == ["Team 3 lead"] and reviewed["reviewed_at"]

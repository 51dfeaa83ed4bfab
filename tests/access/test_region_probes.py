"""Issue 11's region probes, as tests: a dispatcher whose token carries region_ids=[1] reads and
changes nothing of region 2 (ROL-2, PRV-4 "dispatchers see only customers of their own
regions"); every service loader and list asks dispatch.access, so the answer is 404."""

from __future__ import annotations

from flask_jwt_extended import decode_token
from sqlalchemy import func, select

from dispatch.customers.models import Asset
from dispatch.visits.models import Visit
from tests.access.world import build
from tests.builders import next_workday_at

ROLES = ("dispatcher", "manager", "quality", "general_manager", "cs_agent")


def test_token_carries_role_and_regions_ROL_2(app, client):
    """ROL-2: the access token names the role and the regions the user serves."""
    world = build(client, roles=ROLES)
    with app.app_context():
        claims = decode_token(world.tokens["dispatcher"])
    assert claims["role"] == "dispatcher"
    assert claims["region_ids"] == [world.region_ids[1]]


def test_dispatcher_of_region_1_neither_reads_nor_changes_region_2_ROL_2_PRV_4(client, session):
    """Issue 11 probe "Regions": GET /customers/<id>, GET /customers?phone=…, GET /requests/<id>,
    POST /customers/<id>/assets and POST /visits/<id>/cancel of region 2 all answer 404 and
    change nothing; the same calls on region 1 work."""
    world = build(client, roles=ROLES)
    me, own, other = world.auth("dispatcher"), world.records[1], world.records[2]

    def get(path):
        return client.get(path, headers=me)

    assert get(f"/api/v1/customers/{other.customer_id}").status_code == 404
    assert get(f"/api/v1/customers/{own.customer_id}").status_code == 200
    assert get(f"/api/v1/customers?phone={other.phone}").get_json()["items"] == []
    assert [c["id"] for c in get(f"/api/v1/customers?phone={own.phone}").get_json()["items"]] == [
        own.customer_id
    ]
    assert get(f"/api/v1/requests/{other.request_id}").status_code == 404
    assert get(f"/api/v1/requests/{own.request_id}").status_code == 200

    asset = {"model": "KX-2200", "serial": "SN-PROBE"}
    refused = client.post(f"/api/v1/customers/{other.customer_id}/assets", headers=me, json=asset)
    assert refused.status_code == 404
    assert session.scalar(select(func.count(Asset.id)).where(Asset.serial == "SN-PROBE")) == 0
    added = client.post(f"/api/v1/customers/{own.customer_id}/assets", headers=me, json=asset)
    assert added.status_code == 201

    cancel = {"reason": "Customer called to cancel"}
    refused = client.post(f"/api/v1/visits/{other.visit_id}/cancel", headers=me, json=cancel)
    assert refused.status_code == 404
    assert session.get(Visit, other.visit_id).status == "scheduled"
    done = client.post(f"/api/v1/visits/{own.visit_id}/cancel", headers=me, json=cancel)
    assert done.status_code == 200, done.get_json()


def test_every_record_kind_of_another_region_is_404_PRV_4(client):
    """Visits, vouchers (and their PDF), photos, complaints, plans and follow-ups of region 2
    are hidden from region 1's dispatcher; lists and reports leave them out."""
    world = build(client, roles=ROLES)
    me, own, other = world.auth("dispatcher"), world.records[1], world.records[2]
    for records, expected in ((other, 404), (own, 200)):
        for path in (
            f"/api/v1/visits/{records.done_visit_id}",
            f"/api/v1/vouchers/{records.voucher_id}",
            f"/api/v1/vouchers/{records.voucher_id}/pdf",
            f"/api/v1/visits/{records.done_visit_id}/photos",
            f"/api/v1/complaints/{records.complaint_id}",
            f"/api/v1/plans/{records.plan_id}",
            f"/api/v1/requests/{records.request_id}/slots?days=1&duration_minutes=60",
            f"/api/v1/complaints/customers/{records.customer_id}/special-notes",
        ):
            assert client.get(path, headers=me).status_code == expected, path
    complaints = client.get("/api/v1/complaints", headers=me).get_json()["items"]
    assert {c["id"] for c in complaints} == {own.complaint_id, own.tech_complaint_id}
    followups = client.get("/api/v1/followups", headers=me).get_json()["items"]
    assert [f["id"] for f in followups] == [own.followup_id]
    outcome = client.post(
        f"/api/v1/followups/{other.followup_id}/phone-outcome",
        headers=me,
        json={"rating": 5, "problem_solved": True},
    )
    assert outcome.status_code == 404
    plan = {"region_id": world.region_ids[2], "day": next_workday_at(9, 4).date().isoformat()}
    assert client.post("/api/v1/plans", headers=me, json=plan).status_code == 422


def test_head_office_roles_see_every_region_but_region_roles_do_not_ROL_1(client):
    """Quality monitors and the general manager work across regions; a CS agent and a
    manager serve their own."""
    world = build(client, roles=ROLES)
    other = world.records[2]
    path = f"/api/v1/customers/{other.customer_id}"
    assert client.get(path, headers=world.auth("quality")).status_code == 200
    assert client.get(path, headers=world.auth("general_manager")).status_code == 200
    assert client.get(path, headers=world.auth("cs_agent")).status_code == 404
    assert client.get(path, headers=world.auth("manager")).status_code == 404


def _leaver2(client) -> dict:
    """region 2's dispatcher (the world's `leaver2`), logged in."""
    from tests.builders import login

    return {"Authorization": f"Bearer {login(client, 'leaver2')}"}


def test_dsp_13_receiving_region_reads_and_acts_on_a_handed_over_job_sender_keeps_sight(
    client, session
):
    """A job of region 1 handed to region 2: region 2's dispatcher reads the request and its
    visit, finds it in the list and acts on it (names its owner); region 1 keeps sight; region
    1's other jobs stay 404 for region 2."""
    world = build(client, roles=ROLES)
    sender, receiver, own = world.auth("dispatcher"), _leaver2(client), world.records[1]
    job, visit = f"/api/v1/requests/{own.request_id}", f"/api/v1/visits/{own.visit_id}"
    owner = {"owner_id": world.records[2].user_id, "reason": "Region 2 takes the job over"}
    assert client.get(job, headers=receiver).status_code == 404
    assert client.get(visit, headers=receiver).status_code == 404
    assert client.post(f"{job}/owner", headers=receiver, json=owner).status_code == 404
    assert client.post(f"{visit}/confirm", headers=receiver).status_code == 404

    sent = client.post(
        f"{job}/transfer",
        headers=sender,
        json={"reason": "No washer technician free", "to_region_id": world.region_ids[2]},
    )
    assert sent.status_code == 201, sent.get_json()

    assert client.get(job, headers=receiver).status_code == 200
    assert client.get(visit, headers=receiver).status_code == 200
    listed = client.get("/api/v1/requests?limit=100", headers=receiver).get_json()["items"]
    assert own.request_id in [r["id"] for r in listed]
    visits = client.get("/api/v1/visits?limit=100", headers=receiver).get_json()["items"]
    assert own.visit_id in [v["id"] for v in visits]
    assert own.done_visit_id not in [v["id"] for v in visits]
    confirmed = client.post(f"{visit}/confirm", headers=receiver)  # acts on the visit too
    assert confirmed.status_code == 200, confirmed.get_json()
    taken = client.post(f"{job}/owner", headers=receiver, json=owner)
    assert taken.status_code == 200 and taken.get_json()["owner_id"] == owner["owner_id"]
    # the sender keeps sight, of the job and of the handover
    assert client.get(job, headers=sender).status_code == 200
    handovers = client.get("/api/v1/transfers", headers=sender).get_json()
    assert [t["request_id"] for t in handovers] == [own.request_id]
    # only the handed-over job opened: region 1's completed visit is still out of sight
    done = session.get(Visit, own.done_visit_id)
    assert done.request_id != own.request_id
    assert client.get(f"/api/v1/visits/{own.done_visit_id}", headers=receiver).status_code == 404
    assert client.get(f"/api/v1/requests/{done.request_id}", headers=receiver).status_code == 404


def test_dsp_13_receiving_region_hands_the_job_on_from_its_own_region(client):
    world = build(client, roles=ROLES)
    receiver, own = _leaver2(client), world.records[1]
    job = f"/api/v1/requests/{own.request_id}/transfer"
    body = {"reason": "No washer technician free", "to_region_id": world.region_ids[2]}
    assert client.post(job, headers=world.auth("dispatcher"), json=body).status_code == 201
    onward = client.post(
        job, headers=receiver, json={"reason": "Needs installers", "to_department": "installation"}
    )
    assert onward.status_code == 201, onward.get_json()
    assert onward.get_json()["from_region_id"] == world.region_ids[2]


def test_dsp_13_a_handed_over_undispatched_job_waits_in_the_receiving_regions_backlog(client):
    """Region 2 can only dispatch a job handed to it if it finds it: the job waits in region
    2's backlog from the handover on, and stays in region 1's for the sender's sight."""
    world = build(client, roles=ROLES)
    sender, receiver, own = world.auth("dispatcher"), _leaver2(client), world.records[1]
    body = {
        "customer_id": own.customer_id,
        "site_id": own.site_id,
        "request_type": "repair",
        "channel": "phone",
        "category": "appliance",
        "service_class": "C",
        "product_model": "KX-2200",
        "fault_description": "Drum does not spin",
    }
    created = client.post("/api/v1/requests", headers=sender, json=body)
    assert created.status_code == 201, created.get_json()
    job_id = created.get_json()["id"]

    def backlog(headers) -> list[int]:
        reply = client.get("/api/v1/backlog", headers=headers)
        assert reply.status_code == 200, reply.get_json()
        return [item["id"] for item in reply.get_json()]

    assert job_id in backlog(sender) and job_id not in backlog(receiver)
    sent = client.post(
        f"/api/v1/requests/{job_id}/transfer",
        headers=sender,
        json={"reason": "No washer technician free", "to_region_id": world.region_ids[2]},
    )
    assert sent.status_code == 201, sent.get_json()
    assert job_id in backlog(receiver) and job_id in backlog(sender)

"""Customer-data privacy over the API: consent, opt-in, access log, encryption, search, rights."""

from __future__ import annotations

import base64

import psycopg
import pytest
from sqlalchemy import event, select, text
from sqlalchemy.exc import DBAPIError

from dispatch.actors import SYSTEM
from dispatch.customers.models import Customer
from dispatch.db import db, session_scope
from dispatch.errors import RuleViolation
from dispatch.notifications import service as notifications
from dispatch.privacy import crypto
from dispatch.privacy.models import AccessLogEntry, ConsentRecord, Disclosure
from tests.builders import repair_request
from tests.privacy.helpers import CONSENT, new_customer


def _pg_dsn() -> str:
    from tests.conftest import PG_URL

    return PG_URL.replace("postgresql+psycopg://", "postgresql://")


# --- PRV-1, PRV-2, PRV-3 -----------------------------------------------------------------------


def test_customer_is_created_only_with_a_consent_record_PRV_1(client, world, session):
    missing = client.post(
        "/api/v1/customers",
        headers=world.auth("dispatcher"),
        json={"name": "Zhou Test", "phone": "13900139001"},
    )
    assert (
        missing.status_code == 422 and "consent" in missing.get_json()["details"]["fields"]["json"]
    )
    created = new_customer(client, world, "Zhou Test", "13900139001")
    record = session.scalars(
        select(ConsentRecord).where(ConsentRecord.customer_id == created["id"])
    ).one()
    assert record.purposes == ["service"] and record.given
    assert record.scope and record.manner  # what data, and how it is used
    assert (record.channel, record.notice_version) == ("phone", "2026-01")
    assert record.recorded_at is not None and record.recorded_by_kind == "user"


def test_marketing_needs_a_separate_opt_in_service_messages_do_not_PRV_2(
    client, world, session, config
):
    plain = new_customer(client, world, "Wu Test", "13900139002")
    customer_row = session.get(Customer, plain["id"])
    with pytest.raises(RuleViolation) as refused:
        notifications.queue_sms(
            session, customer=customer_row, template="marketing_offer", offer="x", config=config
        )
    assert refused.value.error_code == "marketing_not_consented"
    session.rollback()
    # a service message needs no opt-in
    notifications.queue_sms(
        session, customer=customer_row, template="visit_completed", number="V1", voucher="S1"
    )
    session.rollback()
    opted = client.post(
        f"/api/v1/customers/{plain['id']}/consents",
        headers=world.auth("dispatcher"),
        json={"purposes": ["marketing"], "given": True} | CONSENT,
    )
    assert opted.status_code == 201 and opted.get_json()["purposes"] == ["marketing"]
    session.expire_all()
    sms = notifications.queue_sms(
        session,
        customer=customer_row,
        template="marketing_offer",
        offer="New filters",
        config=config,
    )
    assert "New filters" in sms.body
    session.rollback()
    withdrawn = client.post(
        f"/api/v1/customers/{plain['id']}/consents",
        headers=world.auth("dispatcher"),
        json={"purposes": ["marketing"], "given": False} | CONSENT,
    )
    assert withdrawn.status_code == 201
    with pytest.raises(RuleViolation):
        notifications.queue_sms(
            session, customer=customer_row, template="marketing_offer", offer="x", config=config
        )


def test_marketing_opt_in_at_creation_is_its_own_record_PRV_2(client, world, session):
    created = new_customer(
        client, world, "Qian Test", "13900139003", consent=CONSENT | {"marketing": True}
    )
    purposes = [
        r.purposes
        for r in session.scalars(
            select(ConsentRecord)
            .where(ConsentRecord.customer_id == created["id"])
            .order_by(ConsentRecord.id)
        )
    ]
    assert purposes == [["service"], ["marketing"]]


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/api/v1/customers", {"id_card": "110101199003070000"}),
        ("/api/v1/customers/{cid}/corrections", {"field": "name", "value": "X", "bank": "1"}),
        ("/api/v1/customers/{cid}/consents", {"purposes": ["marketing"], "given": True, "x": 1}),
    ],
)
def test_unknown_input_fields_are_rejected_PRV_3(client, world, path, body):
    base = {"name": "A", "phone": "13900139004", "consent": CONSENT}
    if "consents" in path:
        body = body | CONSENT
    reply = client.post(
        path.format(cid=world.customer_id),
        headers=world.auth("dispatcher"),
        json=(base | body) if path == "/api/v1/customers" else body,
    )
    assert reply.status_code == 422


def test_unknown_query_parameters_of_the_customer_list_are_rejected_PRV_3(client, world):
    reply = client.get("/api/v1/customers?id_card=1", headers=world.auth("dispatcher"))
    assert reply.status_code == 422


def test_customer_model_holds_no_unrelated_personal_fields_PRV_3():
    from dispatch.customers.models import Customer

    columns = {c.name for c in Customer.__table__.columns}
    assert not columns & {"id_card", "id_number", "bank_account", "birthday", "income"}


# --- PRV-5: the access log ---------------------------------------------------------------------


def test_every_read_and_write_of_personal_data_is_logged_PRV_5(client, world, session, officer):
    created = new_customer(
        client, world, "Sun Test", "13900139005", address="上海市徐汇区日志路5号"
    )
    client.get(f"/api/v1/customers/{created['id']}", headers=world.auth("dispatcher"))
    client.get("/api/v1/customers?name=Sun", headers=world.auth("dispatcher"))
    client.get(f"/api/v1/customers/{created['id']}/export", headers=world.auth("manager"))
    log = client.get(f"/api/v1/customers/{created['id']}/access-log", headers=officer)
    assert log.status_code == 200
    rows = log.get_json()
    assert [(r["record"], r["action"]) for r in rows] == [
        ("customer", "create"),
        ("site", "create"),
        ("customer", "read"),
        ("customer", "read"),
        ("customer", "export"),
    ]
    first = rows[0]
    assert first["actor_role"] == "dispatcher" and first["actor_id"] is not None
    assert "phone" in first["fields"] and first["purpose"] and first["at"].endswith("+00:00")
    # the log keeps field names, never the values
    assert "13900139005" not in str(rows) and "Sun Test" not in str(rows)


def test_access_log_is_for_the_privacy_officer_PRV_5(client, world):
    reply = client.get(
        f"/api/v1/customers/{world.customer_id}/access-log", headers=world.auth("dispatcher")
    )
    assert reply.status_code == 403


def test_application_role_cannot_update_or_delete_the_access_log_PRV_5(client, world, session):
    assert session.scalar(select(AccessLogEntry.id).limit(1)) is not None
    for statement in (
        "UPDATE personal_data_access SET purpose = 'rewritten'",
        "DELETE FROM personal_data_access",
    ):
        # the application's own engine, connection and database role
        with pytest.raises(DBAPIError) as refused, db.engine.begin() as conn:
            conn.execute(text(statement))
        assert "append-only" in str(refused.value)
    # a plain connection outside the app: the trigger holds there too
    with (
        psycopg.connect(_pg_dsn()) as conn,
        pytest.raises(psycopg.errors.InsufficientPrivilege),
    ):
        conn.execute("DELETE FROM personal_data_access")
    assert session.scalar(select(AccessLogEntry.purpose).limit(1)) != "rewritten"


def test_customer_changes_are_audited_without_personal_values_PRV_6(client, world, session):
    from dispatch import audit

    created = new_customer(client, world, "Li Audit", "13900139006")
    client.post(
        f"/api/v1/customers/{created['id']}/corrections",
        headers=world.auth("dispatcher"),
        json={"field": "name", "value": "Li Audited"},
    )
    actions = [e.action for e in audit.history(session, "customer", created["id"])]
    assert actions == ["customer.created", "customer.corrected"]
    assert "Li Audit" not in str(
        [e.after for e in audit.history(session, "customer", created["id"])]
    )


# --- PRV-10: encryption at rest, blind-index search --------------------------------------------


def test_personal_fields_and_signatures_are_encrypted_at_rest_PRV_10(client, world, session):
    created = new_customer(
        client,
        world,
        "Zheng Secret",
        "13900139007",
        address="上海市长宁区密文路7号",
        notes="gate 3",
    )
    raw = session.execute(
        text("SELECT name, phone, notes, phone_index FROM customers WHERE id = :i"),
        {"i": created["id"]},
    ).one()
    assert raw.name.startswith("1$") and "Zheng" not in raw.name
    assert "13900139007" not in raw.phone and "gate" not in raw.notes
    assert len(raw.phone_index) == 64 and "139" not in raw.phone_index[:0]
    address = session.execute(
        text("SELECT address FROM sites WHERE id = :i"), {"i": created["site_id"]}
    ).scalar()
    assert "密文路" not in address
    ring = crypto.keyring()
    assert ring.decrypt(raw.phone.encode()).decode() == "+8613900139007"
    # the data key is derived from, never equal to, SECRET_KEY; the index key differs again
    assert ring.index_key != crypto.derive("test-secret-key-0123456789-abcdefghijkl", "x")
    # and the API still answers in clear text, found by the keyed hash of the phone (INT-5)
    found = client.get("/api/v1/customers?phone=139-0013-9007", headers=world.auth("dispatcher"))
    assert [c["name"] for c in found.get_json()["items"]] == ["Zheng Secret"]


def test_fields_carry_sensitivity_labels_PRV_10():
    from dispatch.customers.models import Customer, Site
    from dispatch.privacy.crypto import EncryptedBytes, EncryptedText
    from dispatch.privacy.rules import FIELD_LABELS, Sensitivity
    from dispatch.vouchers.models import VoucherSignature

    for table, model in (("customer", Customer), ("site", Site), ("signature", VoucherSignature)):
        for column in model.__table__.columns:
            if isinstance(column.type, EncryptedText | EncryptedBytes):
                assert f"{table}.{column.name}" in FIELD_LABELS
    assert FIELD_LABELS["signature.image_png"] is Sensitivity.SENSITIVE


def test_list_searches_name_phone_prefix_address_and_region_PRV_10(client, world):
    a = new_customer(client, world, "王小明", "13712345678", address="上海市黄浦区南京东路100号")
    b = new_customer(client, world, "王大力", "13787654321", address="上海市徐汇区漕溪北路8号")
    auth = world.auth("dispatcher")

    def ids(query):
        reply = client.get(f"/api/v1/customers?{query}", headers=auth)
        assert reply.status_code == 200, reply.get_json()
        return [c["id"] for c in reply.get_json()["items"]]

    assert ids("name=王") == [a["id"], b["id"]]
    assert ids("name=小明") == [a["id"]]
    assert ids("phone_prefix=137") == [a["id"], b["id"]]
    assert ids("phone_prefix=1371") == [a["id"]]
    assert ids("phone_prefix=%2B86%201378") == [b["id"]]
    assert ids("address=漕溪北路") == [b["id"]]
    assert ids("address=南京东路&name=王") == [a["id"]]
    assert ids(f"region_id={world.region_id}&name=王") == [a["id"], b["id"]]
    assert ids("region_id=999&name=王") == []
    short = client.get("/api/v1/customers?phone_prefix=13", headers=auth)
    assert short.status_code == 422


def test_list_pages_by_keyset_with_a_constant_number_of_queries_PRV_10(client, world):
    auth = world.auth("dispatcher")
    for i in range(6):
        new_customer(
            client, world, f"Page {i}", f"1360000{i:04d}", address=f"上海市徐汇区页路{i}号"
        )

    def count(query):
        statements = []
        listener = lambda *_a: statements.append(1)  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            reply = client.get(f"/api/v1/customers?{query}", headers=auth)
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
        return reply, len(statements)

    first, small = count("phone_prefix=136&limit=2")
    cursor = first.get_json()["page"]["next_cursor"]
    assert len(first.get_json()["items"]) == 2 and cursor
    second, _ = count(f"phone_prefix=136&limit=2&after={cursor}")
    seen = {c["id"] for c in first.get_json()["items"]}
    assert {c["id"] for c in second.get_json()["items"]}.isdisjoint(seen)
    big, large = count("phone_prefix=136&limit=6")
    assert len(big.get_json()["items"]) == 6 and big.get_json()["page"]["next_cursor"] is None
    assert small == large  # the same statements for 2 rows as for 6


def test_list_is_scoped_to_the_actors_regions_PRV_4(client, world, session):
    from dispatch.regions.models import Region
    from dispatch.users import service as users
    from tests.builders import PASSWORD, login

    with session_scope() as s:
        north = Region(
            code="N",
            name="North",
            timezone="Asia/Shanghai",
            polygon=[[116.0, 39.0], [117.0, 39.0], [117.0, 40.5], [116.0, 40.5]],
        )
        s.add(north)
        s.flush()
        users.create_user(
            session=s,
            actor=SYSTEM,
            username="north_disp",
            password=PASSWORD,
            full_name="N",
            role="dispatcher",
            region_ids=[north.id],
        )
    north_token = {"Authorization": f"Bearer {login(client, 'north_disp')}"}
    mine = client.get("/api/v1/customers?phone_prefix=138", headers=world.auth("dispatcher"))
    assert world.customer_id in [c["id"] for c in mine.get_json()["items"]]
    theirs = client.get("/api/v1/customers?phone_prefix=138", headers=north_token)
    assert world.customer_id not in [c["id"] for c in theirs.get_json()["items"]]
    one = client.get(f"/api/v1/customers/{world.customer_id}", headers=north_token)
    assert one.status_code == 404


def test_key_rotation_re_encrypts_every_value_with_the_new_key_PRV_10(client, world, app):
    from dispatch.config import activate
    from dispatch.privacy.rotation import rotate

    config = app.config["DISPATCH"]
    new_key = crypto.generate_key()
    # version 1 is the key derived from SECRET_KEY when DATA_KEYS is unset
    old_v1 = base64.urlsafe_b64encode(crypto.derive(config.secret_key, "customer-data-v1")).decode()
    rotated = config.with_overrides(data_keys=f"2:{new_key},1:{old_v1}")
    activate(rotated)
    try:
        with session_scope() as session:
            changed = rotate(session)
        assert changed["customers"] >= 1 and changed["sites"] >= 1
        with session_scope() as session:
            stored = session.execute(text("SELECT phone FROM customers")).scalars().all()
        assert all(value.startswith("2$") for value in stored)
        only_new = config.with_overrides(data_keys=f"2:{new_key}")
        activate(only_new)
        found = client.get("/api/v1/customers?phone=13800138000", headers=world.auth("dispatcher"))
        assert found.get_json()["items"][0]["name"] == "测试客户"
    finally:
        activate(config)


# --- PRV-7 / PRV-8: export and corrections -----------------------------------------------------


def test_staff_export_the_customers_data_as_json_PRV_7(client, world):
    request = repair_request(client, world)
    reply = client.get(
        f"/api/v1/customers/{world.customer_id}/export", headers=world.auth("dispatcher")
    )
    body = reply.get_json()
    assert reply.status_code == 200
    assert body["customer"]["phone"] == "+8613800138000"
    assert body["sites"][0]["address"] == "上海市徐汇区测试路100号"
    assert body["requests"][0]["number"] == request["number"]
    assert body["consents"][0]["notice_version"] == "2026-01"
    assert set(body["processors"]) == {"sms_gateway", "geocoder", "routing"}


def test_name_correction_applies_at_once_PRV_7(client, world):
    reply = client.post(
        f"/api/v1/customers/{world.customer_id}/corrections",
        headers=world.auth("dispatcher"),
        json={"field": "name", "value": "测试客户改"},
    )
    assert reply.status_code == 201 and reply.get_json()["status"] == "approved"
    now = client.get(f"/api/v1/customers/{world.customer_id}", headers=world.auth("dispatcher"))
    assert now.get_json()["name"] == "测试客户改"


def test_phone_and_address_changes_wait_for_staff_approval_PRV_8(client, world):
    auth = world.auth("dispatcher")
    phone = client.post(
        f"/api/v1/customers/{world.customer_id}/corrections",
        headers=auth,
        json={"field": "phone", "value": "13911112222"},
    )
    address = client.post(
        f"/api/v1/customers/{world.customer_id}/corrections",
        headers=auth,
        json={"field": "address", "value": "上海市徐汇区新地址路1号"},
    )
    assert phone.get_json()["status"] == address.get_json()["status"] == "pending"
    before = client.get(f"/api/v1/customers/{world.customer_id}", headers=auth).get_json()
    assert before["phone"] == "+8613800138000"  # not replaced yet
    pending = client.get("/api/v1/privacy/corrections", headers=auth).get_json()
    assert {p["id"] for p in pending} == {phone.get_json()["id"], address.get_json()["id"]}
    approved = client.post(
        f"/api/v1/privacy/corrections/{phone.get_json()['id']}/decision",
        headers=world.auth("manager"),
        json={"approve": True},
    )
    rejected = client.post(
        f"/api/v1/privacy/corrections/{address.get_json()['id']}/decision",
        headers=world.auth("manager"),
        json={"approve": False},
    )
    assert approved.get_json()["status"] == "approved"
    assert rejected.get_json()["status"] == "rejected"
    after = client.get(f"/api/v1/customers/{world.customer_id}", headers=auth).get_json()
    assert after["phone"] == "+8613911112222"
    assert after["sites"][0]["address"] == "上海市徐汇区测试路100号"
    # the new phone finds the customer, the old one no longer does
    assert client.get("/api/v1/customers?phone=13911112222", headers=auth).get_json()["items"]
    assert client.get("/api/v1/customers?phone=13800138000", headers=auth).get_json()["items"] == []
    again = client.post(
        f"/api/v1/privacy/corrections/{phone.get_json()['id']}/decision",
        headers=world.auth("manager"),
        json={"approve": True},
    )
    assert again.status_code == 409


# --- PRV-9: erasure held back ------------------------------------------------------------------


def test_erasure_is_held_back_by_an_open_complaint_with_the_reason_PRV_9(client, world, session):
    from dispatch import audit
    from tests.complaints.helpers import file_complaint

    complaint = file_complaint(client, world)
    reply = client.post(
        f"/api/v1/customers/{world.customer_id}/erasure", headers=world.auth("dispatcher")
    )
    body = reply.get_json()
    assert reply.status_code == 200 and body["status"] == "held"
    assert complaint["number"] in body["held_reason"]
    held = [e for e in audit.history(session, "customer", world.customer_id)]
    assert held[-1].action == "customer.erasure_held" and held[-1].after["reason"]
    still = client.get(f"/api/v1/customers/{world.customer_id}", headers=world.auth("dispatcher"))
    assert still.get_json()["name"] == "测试客户"


def test_retention_job_anonymises_customers_without_activity_PRV_9(client, world, config):
    from datetime import timedelta

    from dispatch import sweeps
    from dispatch.clock import utcnow

    old = new_customer(client, world, "Old Timer", "13900139010", address="上海市徐汇区旧路1号")
    with session_scope() as s:
        s.execute(
            text("UPDATE customers SET updated_at = :t WHERE id = :i"),
            {"t": utcnow() - timedelta(days=config.retention_days + 1), "i": old["id"]},
        )
    assert sweeps.run_all(config)["customers_anonymised"] == 1
    auth = world.auth("dispatcher")
    gone = client.get(f"/api/v1/customers/{old['id']}", headers=auth).get_json()
    assert gone["name"] == "(erased)" and gone["sites"][0]["address"] == "(erased)"
    recent = client.get(f"/api/v1/customers/{world.customer_id}", headers=auth).get_json()
    assert recent["name"] == "测试客户"
    assert sweeps.run_all(config)["customers_anonymised"] == 0


# --- PRV-13, PRV-15, PRV-16 --------------------------------------------------------------------


def test_each_kind_of_disclosure_to_a_processor_is_recorded_PRV_13(client, world, session, officer):
    client.post(
        f"/api/v1/customers/{world.customer_id}/sites",
        headers=world.auth("dispatcher"),
        json={"address": "上海市静安区披露路2号"},  # no coordinates: the geocoder is asked
    )
    repair_request(client, world)  # the acknowledgement SMS goes to the gateway
    kinds = {
        (d.processor, tuple(d.fields))
        for d in session.scalars(
            select(Disclosure).where(Disclosure.customer_id == world.customer_id)
        )
    }
    assert ("geocoder", ("address",)) in kinds
    assert ("sms_gateway", ("phone", "text")) in kinds
    listed = client.get("/api/v1/privacy/disclosures?processor=geocoder", headers=officer)
    assert listed.status_code == 200 and listed.get_json()[0]["fields"] == ["address"]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("phone", "12345"),
        ("email", "not-an-email"),
        ("name", "bad\x00name"),
    ],
)
def test_phone_email_and_name_formats_are_validated_on_input_PRV_15(client, world, field, value):
    body = {"name": "Valid", "phone": "13900139011", "consent": CONSENT, field: value}
    reply = client.post("/api/v1/customers", headers=world.auth("dispatcher"), json=body)
    assert reply.status_code == 422


def test_address_format_is_validated_on_input_PRV_15(client, world):
    reply = client.post(
        f"/api/v1/customers/{world.customer_id}/sites",
        headers=world.auth("dispatcher"),
        json={"address": "123 456", "lat": 31.2, "lon": 121.4},
    )
    assert reply.status_code == 422


def test_report_lists_duplicate_and_invalid_customer_records_PRV_15(client, world, officer):
    twin = new_customer(client, world, "测试客户", "13800138000")
    with session_scope() as s:  # a record from before validation: a phone that cannot be right
        s.execute(
            text("UPDATE customers SET phone = :p WHERE id = :i"),
            {"p": crypto.keyring().encrypt(b"+86123").decode(), "i": twin["id"]},
        )
    report = client.get("/api/v1/privacy/reports/data-quality", headers=officer)
    body = report.get_json()
    assert report.status_code == 200
    assert [world.customer_id, twin["id"]] in body["duplicates"]
    assert {"customer_id": twin["id"], "problems": ["phone"]} in body["invalid"]


def test_access_review_lists_users_roles_and_regions_PRV_16(client, world, officer):
    report = client.get("/api/v1/privacy/reports/access-review", headers=officer)
    body = report.get_json()
    assert report.status_code == 200
    rows = {u["username"]: u for u in body["users"]}
    assert rows["dispatcher"]["role"] == "dispatcher"
    assert rows["dispatcher"]["region_ids"] == [world.region_id]
    assert body["by_role"]["privacy_officer"] == 1
    refused = client.get("/api/v1/privacy/reports/access-review", headers=world.auth("dispatcher"))
    assert refused.status_code == 403


def test_no_sms_to_an_erased_customer_PRV_9(client, world, session):
    client.post(f"/api/v1/customers/{world.customer_id}/erasure", headers=world.auth("dispatcher"))
    customer = session.get(Customer, world.customer_id)
    with pytest.raises(RuleViolation):
        notifications.queue_sms(
            session, customer=customer, template="visit_completed", number="V", voucher="S"
        )


def test_the_routing_service_gets_coordinates_only_and_it_is_recorded_PRV_13(config, session):
    import json as jsonlib
    import threading
    from http.server import BaseHTTPRequestHandler, HTTPServer

    from dispatch.schedule.days import travel_matrix_for

    asked = []

    class StubOsrm(BaseHTTPRequestHandler):  # stands in for an OSRM /table service
        def do_GET(self):  # noqa: N802
            asked.append(self.path)
            body = jsonlib.dumps(
                {"code": "Ok", "durations": [[0, 60], [60, 0]], "distances": [[0, 500], [500, 0]]}
            ).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *_args):
            return

    server = HTTPServer(("127.0.0.1", 0), StubOsrm)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        osrm = config.with_overrides(
            travel_matrix="osrm", osrm_url=f"http://127.0.0.1:{server.server_port}"
        )
        table = travel_matrix_for(osrm).table([(31.2, 121.4), (31.21, 121.41)])
    finally:
        server.shutdown()
    assert table.durations == [[0, 60], [60, 0]]
    coordinates = asked[0].split("/")[-1].split("?")[0]
    assert set(coordinates) <= set("0123456789.,;-")  # nothing but coordinates leaves
    recorded = session.scalars(select(Disclosure).where(Disclosure.processor == "routing")).one()
    assert recorded.fields == ["coordinates"] and recorded.customer_id is None


def test_cli_rotate_key_and_retention_commands_run_PRV_9_PRV_10(app, world):
    runner = app.test_cli_runner()
    new_key = runner.invoke(args=["privacy", "new-key"])
    assert new_key.exit_code == 0 and len(new_key.output.strip()) == 44
    rotated = runner.invoke(args=["privacy", "rotate-key"])
    assert rotated.exit_code == 0 and "re-encrypted" in rotated.output
    retention = runner.invoke(args=["privacy", "retention"])
    assert retention.exit_code == 0 and "0 anonymised" in retention.output

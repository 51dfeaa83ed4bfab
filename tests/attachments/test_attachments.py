"""Photos, videos and documents on requests, visits and complaints: the store, its limits, who
may see what, the technician's own visits, and never a customer page (INT-16, PRV-12)."""

from __future__ import annotations

import hashlib
import uuid

import pytest
from sqlalchemy import event, select

from dispatch.actors import SYSTEM
from dispatch.attachments.models import Attachment
from dispatch.db import db, session_scope
from dispatch.notifications.models import SmsMessage
from dispatch.regions.models import Region
from dispatch.users import service as users
from tests.attachments.helpers import MP4, PDF, PNG, upload
from tests.builders import PASSWORD, book_visit, login, repair_request, sms_link_token
from tests.complaints.helpers import file_complaint, user_id

ERROR_KEYS = {"code", "status", "message", "error_code", "details"}


def ok(reply, status: int = 201) -> dict:
    assert reply.status_code == status, reply.get_json()
    return reply.get_json()


@pytest.fixture
def small_limit(app):
    """Attachments above 1000 bytes are refused while the test runs."""
    shared = app.config["DISPATCH"]
    app.config["DISPATCH"] = shared.with_overrides(attachment_max_bytes=1000)
    yield 1000
    app.config["DISPATCH"] = shared


def test_int_16_staff_attach_photo_video_and_document_to_request_visit_and_complaint(
    client, session, world
):
    visit = book_visit(client, world)
    complaint = file_complaint(client, world, visit_id=visit["id"])
    auth = world.auth("dispatcher")
    on_request = ok(
        upload(
            client,
            f"/api/v1/requests/{visit['request_id']}/attachments",
            auth,
            PNG,
            "fault.png",
            "image/png",
            note="The customer's photo of the leak",
        )
    )
    on_visit = ok(
        upload(
            client, f"/api/v1/visits/{visit['id']}/attachments", auth, MP4, "noise.mp4", "video/mp4"
        )
    )
    on_complaint = ok(
        upload(
            client,
            f"/api/v1/complaints/{complaint['id']}/attachments",
            world.auth("manager"),
            PDF,
            "../../etc/letter.pdf",
            "application/pdf",
        )
    )
    assert (on_request["owner_kind"], on_request["media"], on_request["note"]) == (
        "request",
        "photo",
        "The customer's photo of the leak",
    )
    assert (on_visit["owner_kind"], on_visit["media"]) == ("visit", "video")
    assert (on_complaint["owner_kind"], on_complaint["media"]) == ("complaint", "document")
    assert on_complaint["filename"] == "letter.pdf"  # no folders from the client's name
    assert on_request["sha256"] == hashlib.sha256(PNG).hexdigest() and on_request["size"] == len(
        PNG
    )
    dispatcher = user_id(session, "dispatcher")
    assert on_request["uploaded_by_id"] == dispatcher and on_request["uploaded_at"].endswith(
        "+00:00"
    )
    listed = ok(client.get(f"/api/v1/visits/{visit['id']}/attachments", headers=auth), 200)
    assert [a["id"] for a in listed] == [on_visit["id"]]
    download = client.get(f"/api/v1/attachments/{on_complaint['id']}/content", headers=auth)
    assert download.status_code == 200 and download.data == PDF
    assert download.mimetype == "application/pdf"
    assert "letter.pdf" in download.headers["Content-Disposition"]
    record = ok(client.get(f"/api/v1/attachments/{on_visit['id']}", headers=auth), 200)
    assert record == on_visit


def test_int_16_type_outside_the_list_is_415_too_big_is_413_bad_input_is_422(
    client, world, small_limit
):
    request = repair_request(client, world)
    path = f"/api/v1/requests/{request['id']}/attachments"
    auth = world.auth("dispatcher")
    exe = upload(client, path, auth, b"MZ\x90\x00" * 10, "tool.exe", "application/x-msdownload")
    assert exe.status_code == 415 and set(exe.get_json()) == ERROR_KEYS
    assert exe.get_json()["error_code"] == "unsupported_media_type"
    just_over = upload(client, path, auth, PDF + b" " * small_limit, "big.pdf", "application/pdf")
    far_over = upload(client, path, auth, PDF + b" " * 100_000, "huge.pdf", "application/pdf")
    for refused in (just_over, far_over):  # checked after reading; refused before reading
        assert refused.status_code == 413 and set(refused.get_json()) == ERROR_KEYS
        assert refused.get_json()["error_code"] == "payload_too_large"
    fake = upload(client, path, auth, b"just some text, not a picture", "x.png", "image/png")
    assert (fake.status_code, fake.get_json()["error_code"]) == (422, "attachment_refused")
    extra = upload(client, path, auth, PDF, "a.pdf", "application/pdf", owner_id="7")
    assert extra.status_code == 422 and "owner_id" in str(extra.get_json()["details"])
    empty = upload(client, path, auth, b"", "a.txt", "text/plain")
    no_file = client.post(
        path, headers=auth, data={"note": "x"}, content_type="multipart/form-data"
    )
    as_json = client.post(path, headers=auth, json={"file": "x"})
    assert [r.status_code for r in (empty, no_file, as_json)] == [422, 422, 422]
    with session_scope() as session:
        assert session.scalars(select(Attachment)).all() == []  # nothing stored


def test_int_16_staff_of_another_region_neither_see_nor_add_attachments(client, world):
    visit = book_visit(client, world)
    stored = ok(
        upload(
            client,
            f"/api/v1/visits/{visit['id']}/attachments",
            world.auth("dispatcher"),
            PNG,
            "after.png",
            "image/png",
        )
    )
    with session_scope() as session:
        north = Region(code="BJ", name="Beijing", timezone="Asia/Shanghai", polygon=None)
        session.add(north)
        session.flush()
        users.create_user(
            session=session,
            actor=SYSTEM,
            username="north_dispatcher",
            password=PASSWORD,
            full_name="North",
            role="dispatcher",
            region_ids=[north.id],
        )
    outsider = {"Authorization": f"Bearer {login(client, 'north_dispatcher')}"}
    answers = [
        client.get(f"/api/v1/visits/{visit['id']}/attachments", headers=outsider),
        client.get(f"/api/v1/requests/{visit['request_id']}/attachments", headers=outsider),
        client.get(f"/api/v1/attachments/{stored['id']}", headers=outsider),
        client.get(f"/api/v1/attachments/{stored['id']}/content", headers=outsider),
        upload(
            client, f"/api/v1/visits/{visit['id']}/attachments", outsider, PNG, "x.png", "image/png"
        ),
    ]
    assert [a.status_code for a in answers] == [404] * 5
    assert client.get(f"/api/v1/attachments/{stored['id']}").status_code == 401  # no token


def test_int_16_technician_attaches_to_own_visit_once_per_idempotency_key(client, world):
    visit = book_visit(client, world)
    path = f"/mobile/v1/visits/{visit['id']}/attachments"
    ok(
        upload(
            client,
            f"/api/v1/requests/{visit['request_id']}/attachments",
            world.auth("dispatcher"),
            PDF,
            "manual.pdf",
            "application/pdf",
        )
    )
    keyless = upload(
        client, path, world.auth("tech_a") | {"Idempotency-Key": None}, PNG, "a.png", "image/png"
    )
    assert keyless.status_code == 428
    keyed = world.auth("tech_a") | {"Idempotency-Key": uuid.uuid4().hex}
    first = ok(upload(client, path, keyed, PNG, "after.png", "image/png"))
    again = ok(upload(client, path, keyed, PNG, "after.png", "image/png"))
    assert again["id"] == first["id"] and first["owner_kind"] == "visit"
    listed = ok(client.get(path, headers=world.auth("tech_a")), 200)
    assert [a["filename"] for a in listed] == ["manual.pdf", "after.png"]  # its request's too
    manual = listed[0]["id"]
    content = client.get(f"/mobile/v1/attachments/{manual}/content", headers=world.auth("tech_a"))
    assert content.status_code == 200 and content.data == PDF
    other = world.auth("tech_b")
    refused = [
        upload(client, path, other, PNG, "b.png", "image/png"),
        client.get(path, headers=other),
        client.get(f"/mobile/v1/attachments/{first['id']}/content", headers=other),
        client.get(f"/mobile/v1/attachments/{manual}/content", headers=other),
    ]
    assert [r.status_code for r in refused] == [404] * 4  # never revealing it exists
    with session_scope() as session:
        assert len(session.scalars(select(Attachment)).all()) == 2


def test_int_16_attachment_list_is_keyset_paginated_in_a_fixed_number_of_queries(
    client, app, world
):
    request = repair_request(client, world)
    path = f"/api/v1/requests/{request['id']}/attachments"
    auth = world.auth("dispatcher")

    def count(query: str = "") -> tuple[int, list]:
        statements = []
        with app.app_context():
            engine = db.engine
        listener = lambda *args: statements.append(args[2])  # noqa: E731
        event.listen(engine, "before_cursor_execute", listener)
        try:
            reply = client.get(path + query, headers=auth)
        finally:
            event.remove(engine, "before_cursor_execute", listener)
        return len(statements), ok(reply, 200)

    ok(upload(client, path, auth, PNG, "0.png", "image/png"))
    few, _ = count()
    for n in range(1, 5):
        ok(upload(client, path, auth, PNG, f"{n}.png", "image/png"))
    many, everything = count()
    assert many == few and len(everything) == 5
    _, page = count(f"?after={everything[1]['id']}&limit=2")
    assert [a["filename"] for a in page] == ["2.png", "3.png"]


def test_int_16_prv_12_customer_pages_never_show_attachments(client, session, world):
    visit = book_visit(client, world)
    complaint = file_complaint(client, world, visit_id=visit["id"])
    for path in (
        f"/api/v1/visits/{visit['id']}/attachments",
        f"/api/v1/complaints/{complaint['id']}/attachments",
    ):
        ok(
            upload(
                client, path, world.auth("dispatcher"), PNG, "internal-evidence.png", "image/png"
            )
        )
    texts = list(session.scalars(select(SmsMessage.body).order_by(SmsMessage.id)))
    appointment = next(b for b in texts if "/l/" in b)
    progress = next(b for b in texts if "/c/" in b).split("/c/")[1].split()[0]
    for page in (client.get(f"/l/{sms_link_token(appointment)}"), client.get(f"/c/{progress}")):
        assert page.status_code == 200
        html = page.get_data(as_text=True)
        assert "internal-evidence" not in html and "/attachments/" not in html

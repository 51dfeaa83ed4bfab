"""After a customer's deletion nothing the application wrote still names them (PRV-9).

A customer with a distinctive name, phone and address goes through the whole service loop:
registration, geocoded site, request, booking, visit with a class-A estimate accepted in their
name, a complaint taken on site and closed whose free text quotes their name, phone and address,
a photo, completion with their signature, the voucher PDF, SMS, the link pages, the
technician's phone. Then they ask for deletion. The scan looks in every text, JSON and binary
column of every table (decrypting what is encrypted), every file written under the instance
directory (PDF text extracted), the captured log output and Redis: no occurrence is left.

Not scanned: `sms-recorded.jsonl`, the recording gateway's file, which stands for the SMS
provider (a processor outside the application whose receipt is a recorded disclosure, PRV-13).
"""

from __future__ import annotations

import contextlib
import io
import json
import logging
import time
from datetime import timedelta
from pathlib import Path

import pypdf
from sqlalchemy import LargeBinary, String, Text, inspect, select, text
from sqlalchemy.types import JSON

from dispatch import jobs
from dispatch.clock import utcnow
from dispatch.db import db, session_scope
from dispatch.links import service as links
from dispatch.models import Base
from dispatch.privacy import crypto
from dispatch.privacy.models import AccessLogEntry
from dispatch.visits.models import Visit
from tests.builders import book_visit, next_workday_at, signature_b64
from tests.complaints.helpers import act as complaint_step
from tests.complaints.helpers import mobile, ok
from tests.mobile_api.helpers import QUOTE, act, completion, new_key, walk_to_site
from tests.photos.helpers import jpeg, put_chunk, start
from tests.privacy.helpers import new_customer

NAME = "Quokkaberg 乔可伯"
PHONE_DIGITS = "13987651234"
ADDRESS = "上海市徐汇区独角兽路777号"
NEEDLES = (NAME, "Quokkaberg", "乔可伯", PHONE_DIGITS, "独角兽路777", "+86" + PHONE_DIGITS)
PROCESSOR_FILES = {"sms-recorded.jsonl"}


def _texts(value) -> list[str]:
    """The readable forms of a stored value: itself, decrypted, JSON without escapes."""
    if value is None:
        return []
    if isinstance(value, memoryview | bytes | bytearray):
        raw = bytes(value)
        found = [raw.decode("utf-8", "ignore")]
        with contextlib.suppress(Exception):  # not encrypted, or an erased (empty) value
            found.append(crypto.keyring().decrypt(raw).decode("utf-8", "ignore"))
        return found
    if not isinstance(value, str):
        value = json.dumps(value, ensure_ascii=False)
    found = [value]
    if "$" in value[:9]:
        with contextlib.suppress(Exception):  # a text that only looks like a ciphertext
            found.append(crypto.keyring().decrypt(value.encode()).decode())
    return found


def scan_database() -> list[str]:
    hits = []
    existing = set(inspect(db.engine).get_table_names())
    with db.engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            if table.name not in existing:
                continue
            columns = [
                c.name
                for c in table.columns
                if isinstance(c.type, String | Text | JSON | LargeBinary)
                or isinstance(getattr(c.type, "impl", None), Text | LargeBinary)
            ]
            if not columns:
                continue
            quoted = ", ".join(f'"{c}"' for c in columns)
            for row in conn.execute(text(f'SELECT {quoted} FROM "{table.name}"')):
                for column, value in zip(columns, row, strict=True):
                    for form in _texts(value):
                        hits += [f"{table.name}.{column}: {n}" for n in NEEDLES if n in form]
    return hits


def scan_files(root: Path, since: float) -> list[str]:
    hits = []
    for path in root.rglob("*"):
        if not path.is_file() or path.name in PROCESSOR_FILES or path.stat().st_mtime < since:
            continue
        data = path.read_bytes()
        forms = [data.decode("utf-8", "ignore")]
        if data.startswith(b"%PDF"):
            forms.append("".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(data)).pages))
        hits += [f"{path}: {n}" for n in NEEDLES for form in forms if n in form]
    return hits


def scan_pdf(pdf: bytes) -> list[str]:
    content = "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    return [f"voucher pdf: {n}" for n in NEEDLES if n in content]


def scan_redis(config) -> list[str]:
    redis = jobs.redis_connection(config)
    hits = []
    for key in redis.scan_iter():
        kind = redis.type(key)
        if kind == b"string":
            values = [redis.get(key) or b""]
        elif kind == b"hash":
            values = list(redis.hgetall(key).values())
        elif kind == b"list":
            values = redis.lrange(key, 0, -1)
        else:
            values = []
        for value in values:
            decoded = value.decode("utf-8", "ignore") if isinstance(value, bytes) else str(value)
            hits += [f"redis {key!r}: {n}" for n in NEEDLES if n in decoded]
    return hits


def scan_logs(caplog) -> list[str]:
    output = "\n".join(r.getMessage() for r in caplog.records) + caplog.text
    return [f"log: {n}" for n in NEEDLES if n in output]


def test_prv_9_deletion_leaves_no_trace_in_tables_files_pdfs_logs_indexes_or_complaint_text(
    client, world, config, run_worker, caplog
):
    caplog.set_level(logging.DEBUG)
    since = time.time() - 1
    customer = new_customer(client, world, NAME, PHONE_DIGITS)
    site = client.post(  # no coordinates: the geocoder is asked (address only, PRV-13)
        f"/api/v1/customers/{customer['id']}/sites",
        headers=world.auth("dispatcher"),
        json={"address": ADDRESS},
    )
    assert site.status_code == 201, site.get_json()
    world.customer_id, world.site_id = customer["id"], site.get_json()["id"]
    client.post(
        f"/api/v1/customers/{customer['id']}/assets",
        headers=world.auth("dispatcher"),
        json={"model": "KX-2200", "serial": "SN-Q1", "site_id": world.site_id},
    )
    visit_id = book_visit(client, world, start=next_workday_at(10))["id"]
    tech = world.auth("tech_a")
    walk_to_site(client, tech, visit_id)
    # PRV-9: a complaint taken on site and closed, its free text quoting the customer
    statement = f"{NAME} rang from {PHONE_DIGITS} (139 8765 1234) about {ADDRESS}: drum loud"
    taken = ok(
        mobile(
            client,
            world,
            f"/visits/{visit_id}/complaints",
            {"category": "after_sales", "nature": "soft", "description": statement},
        )
    )
    fixed = {"resolution": f"Told {NAME} the drum was fixed", "remedies": ["repair"]}
    ok(mobile(client, world, f"/complaints/{taken['id']}/on-spot", fixed))
    answer = {"satisfied": True, "recurred": False, "note": "Quokkaberg was happy"}
    ok(complaint_step(client, world, taken, "follow-up", answer))
    feedback = {"customer_feedback": f"Called +86{PHONE_DIGITS}: all fine"}
    ok(complaint_step(client, world, taken, "close", feedback))
    assert act(client, tech, visit_id, "quote", key=new_key(), **QUOTE).status_code == 200
    accepted = act(client, tech, visit_id, "quote/accept", key=new_key(), accepted_by=NAME)
    assert accepted.status_code == 200
    photo = jpeg()
    started = start(client, tech | {"Idempotency-Key": new_key()}, visit_id, photo)
    assert started.status_code == 201, started.get_json()
    uploaded = put_chunk(
        client,
        tech | {"Idempotency-Key": new_key()},
        started.get_json()["id"],
        photo,
        0,
        len(photo),
    )
    assert uploaded.status_code == 200, uploaded.get_json()
    body = completion(
        signature={"signer_name": NAME, "image": signature_b64()}, collection_method="cash"
    )
    done = client.post(
        f"/mobile/v1/visits/{visit_id}/complete",
        headers=tech | {"Idempotency-Key": new_key()},
        json=body,
    )
    assert done.status_code == 200, done.get_json()
    assert done.get_json()["customer_name"] == NAME  # the phone's cached answer names them
    run_worker()  # the SMS go out through the outbox
    voucher_id = client.get(f"/api/v1/visits/{visit_id}", headers=world.auth("manager")).get_json()[
        "voucher"
    ]["id"]
    pdf = client.get(f"/api/v1/vouchers/{voucher_id}/pdf", headers=world.auth("manager"))
    assert pdf.status_code == 200
    with session_scope() as session:
        token = links.issue(
            session,
            secret_key=config.secret_key,
            purpose="appointment",
            visit=session.get(Visit, visit_id),
            expires_at=utcnow() + timedelta(days=1),
        )
    page = client.get(f"/l/{token}/my-data")
    assert page.status_code == 200 and "Q*" in page.get_data(as_text=True)
    assert PHONE_DIGITS not in page.get_data(as_text=True)  # masked (PRV-11)
    assert ADDRESS not in page.get_data(as_text=True)
    photo_files = [
        p
        for p in (Path(config.instance_path) / "photos").rglob("*")
        if p.is_file() and p.stat().st_mtime >= since
    ]
    assert photo_files

    # PRV-5: the technician's visit cards and the voucher PDF were access-logged too
    with session_scope() as session:
        logged = {
            (e.record, e.actor_role)
            for e in session.scalars(
                select(AccessLogEntry).where(AccessLogEntry.customer_id == customer["id"])
            )
        }
    assert {("visit", "technician"), ("voucher", "manager"), ("customer", "customer")} <= logged

    # Before the deletion the scan finds the customer everywhere it looks: it is not blind.
    assert scan_database() and scan_pdf(pdf.data)

    erased = client.post(f"/l/{token}/my-data/erasure?lang=en")
    assert erased.status_code == 200, erased.get_data(as_text=True)
    assert "Your personal data was deleted" in erased.get_data(as_text=True), erased.get_data(
        as_text=True
    )
    run_worker()

    after_pdf = client.get(f"/api/v1/vouchers/{voucher_id}/pdf", headers=world.auth("manager"))
    assert after_pdf.status_code == 200
    hits = (
        scan_database()
        + scan_files(Path(config.instance_path), since)
        + scan_pdf(after_pdf.data)
        + scan_logs(caplog)
        + scan_redis(config)
    )
    assert hits == []
    # the visit, the voucher and the statistics stay
    kept = client.get(f"/api/v1/visits/{visit_id}", headers=world.auth("manager")).get_json()
    complaint = client.get(
        f"/api/v1/complaints/{taken['id']}", headers=world.auth("manager")
    ).get_json()
    assert complaint["status"] == "closed" and complaint["description"].endswith(": drum loud")
    assert kept["status"] == "completed" and kept["voucher"]["id"] == voucher_id
    # the photo files are gone, and the link page says nothing is kept any more
    assert not any(p.exists() for p in photo_files)
    assert client.get(f"/l/{token}/my-data").status_code == 404

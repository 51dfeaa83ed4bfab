"""The parts catalogue: a manager's CSV import, the technician's search, priced voucher lines."""

from __future__ import annotations

import io

from sqlalchemy import func, select

from dispatch.audit import AuditEntry
from dispatch.parts.models import Part
from tests.builders import book_visit
from tests.mobile_api.helpers import accept_estimate, completion, walk_to_site

CSV = """code,name,unit_price,active
PUMP-3,Drain pump,120.00,yes
belt-9,Drive belt (long),38.50,
,No code,1.00,
SEAL-1,Door seal,abc,
PUMP-3,Drain pump again,99,
OLD-1,Retired motor,400,no
"""


def _import(client, world, text: str, who: str = "manager"):
    return client.post(
        "/api/v1/parts/import",
        headers=world.auth(who),
        data={"file": (io.BytesIO(text.encode("utf-8-sig")), "parts.csv")},
        content_type="multipart/form-data",
    )


def test_csv_import_reports_each_row_and_saves_the_good_ones(client, world, session):
    response = _import(client, world, CSV)
    assert response.status_code == 200, response.get_json()
    report = response.get_json()
    assert [(r["line"], r["code"], r["status"]) for r in report["rows"]] == [
        (2, "PUMP-3", "created"),
        (3, "BELT-9", "updated"),  # the world's BELT-9: new name and price
        (4, "", "failed"),
        (5, "SEAL-1", "failed"),
        (6, "PUMP-3", "failed"),
        (7, "OLD-1", "created"),
    ]
    assert (report["created"], report["updated"], report["failed"]) == (2, 1, 3)
    assert "unit_price" in report["rows"][3]["errors"][0]
    assert report["rows"][4]["errors"] == ["the code appears earlier in the file"]
    belt = session.scalars(select(Part).where(Part.code == "BELT-9")).one()
    assert (belt.name, belt.unit_price_cents) == ("Drive belt (long)", 3850)
    assert session.scalar(select(func.count()).where(AuditEntry.action == "part.updated")) == 1
    again = _import(client, world, CSV).get_json()
    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 3)


def test_csv_import_is_for_managers_and_needs_its_columns(client, world):
    assert _import(client, world, CSV, who="dispatcher").status_code == 403
    assert _import(client, world, CSV, who="tech_a").status_code == 403
    missing = _import(client, world, "code,name\nX,Y\n")
    assert missing.status_code == 422
    assert missing.get_json()["details"] == {"columns": ["unit_price"]}
    not_utf8 = client.post(
        "/api/v1/parts/import",
        headers=world.auth("manager"),
        data={"file": (io.BytesIO("code,name,unit_price\n皮带,x,1\n".encode("gbk")), "p.csv")},
        content_type="multipart/form-data",
    )
    assert not_utf8.status_code == 422
    assert client.post("/api/v1/parts/import", headers=world.auth("manager")).status_code == 422


def test_technician_searches_active_parts_by_code_or_name(client, world):
    _import(client, world, CSV)
    tech = world.auth("tech_a")
    by_code = client.get("/mobile/v1/parts?q=pump", headers=tech).get_json()
    assert [(p["code"], p["unit_price_cents"]) for p in by_code] == [("PUMP-3", 12000)]
    by_name = client.get("/mobile/v1/parts?q=BELT", headers=tech).get_json()
    assert [p["code"] for p in by_name] == ["BELT-9"]
    assert client.get("/mobile/v1/parts?q=motor", headers=tech).get_json() == []  # retired
    everything = client.get("/mobile/v1/parts", headers=tech).get_json()
    assert [p["code"] for p in everything] == ["BELT-9", "PUMP-3"]
    assert client.get("/mobile/v1/parts?limit=0", headers=tech).status_code == 422
    assert client.get("/mobile/v1/parts", headers=world.auth("dispatcher")).status_code == 403


def _on_site(client, world) -> tuple[int, dict]:
    visit = book_visit(client, world)["id"]
    tech = world.auth("tech_a")
    walk_to_site(client, tech, visit)
    accept_estimate(client, tech, visit)
    return visit, tech


def test_vch_16_completion_refuses_a_line_without_an_active_catalogue_code(client, world):
    _import(client, world, CSV)
    visit, tech = _on_site(client, world)
    for code in ("NOPE-1", "OLD-1"):
        parts = [{"code": "BELT-9", "quantity": 1}, {"code": code, "quantity": 2}]
        response = client.post(
            f"/mobile/v1/visits/{visit}/complete", headers=tech, json=completion(parts=parts)
        )
        assert response.status_code == 422, code
        body = response.get_json()
        assert body["error_code"] == "unknown_part"
        assert "line 2" in body["message"]
        assert list(body["details"]) == ["parts.1.code"]
    assert client.get(f"/mobile/v1/visits/{visit}", headers=tech).get_json()["status"] == "on_site"


def test_vch_16_voucher_lines_carry_the_catalogues_name_and_price(client, world):
    _import(client, world, CSV)
    visit, tech = _on_site(client, world)
    parts = [{"code": "pump-3", "name": "whatever the phone says", "quantity": 2}]
    response = client.post(
        f"/mobile/v1/visits/{visit}/complete", headers=tech, json=completion(parts=parts)
    )
    assert response.status_code == 200, response.get_json()
    manager = world.auth("manager")
    voucher = client.get(f"/api/v1/visits/{visit}", headers=manager).get_json()["voucher"]
    assert voucher["parts"] == [
        {"code": "PUMP-3", "name": "Drain pump", "quantity": 2, "unit_price_cents": 12000}
    ]
    edit = client.patch(
        f"/api/v1/vouchers/{voucher['id']}",
        headers=manager,
        json={"parts": [{"code": "GHOST", "quantity": 1}]},
    )
    assert edit.status_code == 422
    assert edit.get_json()["details"] == {
        "parts.0.code": ["'GHOST' is not an active catalogue part"]
    }
    fixed = client.patch(
        f"/api/v1/vouchers/{voucher['id']}",
        headers=manager,
        json={"parts": [{"code": "BELT-9", "quantity": 1}]},
    )
    assert fixed.status_code == 200, fixed.get_json()
    assert fixed.get_json()["parts"] == [
        {"code": "BELT-9", "name": "Drive belt (long)", "quantity": 1, "unit_price_cents": 3850}
    ]


def test_demo_data_brings_a_catalogue(config, session):
    from dispatch import demo
    from dispatch.db import session_scope

    with session_scope() as scope:
        assert demo.load(scope, config)["parts"] == len(demo.PARTS) == 15
    codes = session.scalars(select(Part.code).where(Part.active.is_(True))).all()
    assert sorted(codes) == sorted(code for code, _, _ in demo.PARTS)

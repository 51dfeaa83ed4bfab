"""The contract says what the code does (issue 10 §5): one error shape, every status documented,
one time format, Idempotency-Key required on mobile writes, /docs with no CDN.

Every answer here is held to /openapi.json by the client of tests/api/conftest.py.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

import marshmallow
import pytest
from flask.testing import FlaskClient
from marshmallow import class_registry

from dispatch.api.fields import UTCDateTime
from dispatch.api.openapi import idempotency_key_required, responds, statuses_of, token_required
from dispatch.app import SWAGGER_UI_VERSION
from tests.builders import book_visit, next_workday_at, repair_body, repair_request
from tests.contract import Contract

SHANGHAI = ZoneInfo("Asia/Shanghai")
ERROR_KEYS = {"code", "status", "message", "error_code", "details"}
WRITES = {"post", "put", "patch", "delete"}


@pytest.fixture
def document(client) -> dict:
    return client.contract.document


def operations(document: dict):
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if method != "parameters":
                yield path, method, operation


def test_api_contract_the_documented_error_is_the_one_returned(client, world, document):
    schema = document["components"]["schemas"]["ErrorOut"]
    assert set(schema["properties"]) == ERROR_KEYS == set(schema["required"])
    assert schema["additionalProperties"] is False
    default = document["components"]["responses"]["DEFAULT_ERROR"]["content"]
    assert default["application/json"]["schema"] == {"$ref": "#/components/schemas/ErrorOut"}
    answers = [
        client.get("/api/v1/requests/999999", headers=world.auth("dispatcher")),  # 404
        client.get("/api/v1/requests/1"),  # 401
        client.post("/api/v1/regions", headers=world.auth("tech_a"), json={}),  # 403
        client.post("/api/v1/requests", headers=world.auth("dispatcher"), json={}),  # 422
    ]
    # Each was validated against its operation's documented status by the client; the shape
    # is the real one, not flask-smorest's {code, status, message, errors}.
    assert [a.status_code for a in answers] == [404, 401, 403, 422]
    assert all(set(a.get_json()) == ERROR_KEYS for a in answers)
    assert client.checked >= len(answers)


def test_api_contract_every_operation_documents_the_statuses_it_can_return(document):
    for path, method, operation in operations(document):
        statuses = set(operation["responses"])
        public = operation.get("security") == []
        where = f"{method.upper()} {path}"
        assert "default" in statuses, where
        if not public:
            assert {"401", "403"} <= statuses, where
        if "{" in path:
            assert "404" in statuses, where
        if method in WRITES:
            assert {"400", "404", "409", "422"} <= statuses, where
        for status in statuses - {"default"}:
            response = operation["responses"][status]
            if status.startswith(("4", "5")):  # errors use the one shape
                assert response["$ref"].startswith("#/components/responses/"), where
    public = {(p, m) for p, m, op in operations(document) if op.get("security") == []}
    assert public == {
        ("/api/v1/auth/login", "post"),
        ("/api/v1/auth/session", "post"),  # the console's cookie login (issue 11)
        ("/mobile/v1/auth/login", "post"),
        ("/api/v1/web-requests/codes", "post"),  # the public web form (INT-15)
        ("/api/v1/web-requests", "post"),
    }
    for path in ("/api/v1/auth/login", "/mobile/v1/auth/login"):
        assert {"401", "429"} <= set(document["paths"][path]["post"]["responses"])


def test_api_contract_statuses_follow_from_the_route_and_the_decorators():
    @responds(412)
    def view():
        """A view a decorator marked."""

    # every operation may answer 422: an unknown query parameter (issue 12)
    assert statuses_of(view, "get", path_ids=False) == {412, 422}
    assert statuses_of(view, "get", path_ids=True) == {404, 412, 422}
    # a write may name a record the actor may not see in its body: 404 (issue 11)
    assert statuses_of(view, "post", path_ids=False) == {400, 404, 409, 412, 413, 422}
    guarded = idempotency_key_required(token_required(lambda: None))
    assert statuses_of(guarded, "get", path_ids=False) == {401, 403, 409, 422, 428}


def test_mob_idempotency_key_and_if_match_statuses_are_documented(document):
    mobile_writes = [
        (path, method, op)
        for path, method, op in operations(document)
        if path.startswith("/mobile/v1/") and "/auth/" not in path and method in WRITES
    ]
    assert len(mobile_writes) >= 11
    for path, _method, operation in mobile_writes:
        keys = [p for p in operation["parameters"] if p["name"] == "Idempotency-Key"]
        assert len(keys) == 1 and keys[0]["required"] is True, path
        assert {"409", "422", "428"} <= set(operation["responses"]), path
        success = next(r for s, r in operation["responses"].items() if s.startswith("2"))
        assert "Idempotent-Replayed" in success["headers"], path
    record = document["paths"]["/mobile/v1/visits/{visit_id}/record"]["patch"]
    if_match = next(p for p in record["parameters"] if p["name"] == "If-Match")
    assert if_match["required"] is True and {"412", "428"} <= set(record["responses"])
    depart = document["paths"]["/mobile/v1/visits/{visit_id}/depart"]["post"]
    assert "412" in depart["responses"]


def test_bkg_window_taken_409_documents_and_returns_alternatives(client, world, document):
    taken = book_visit(client, world, minutes=120)  # fills its two-hour window
    refused = client.post(
        f"/api/v1/requests/{repair_request(client, world)['id']}/visits",
        headers=world.auth("dispatcher"),
        json={
            "technician_id": world.technician_ids["tech_a"],
            "window_start": taken["window_start"],
            "window_end": taken["window_end"],
            "duration_minutes": 120,
        },
    )
    assert refused.status_code == 409 and refused.get_json()["error_code"] == "window_taken"
    assert refused.get_json()["details"]["alternatives"]  # validated against ConflictOut
    for path in ("/api/v1/requests/{request_id}/visits", "/api/v1/visits/{visit_id}/reschedule"):
        conflict = document["paths"][path]["post"]["responses"]["409"]
        assert conflict == {"$ref": "#/components/responses/WINDOW_TAKEN"}
    details = document["components"]["schemas"]["ConflictDetails"]["properties"]
    assert details["alternatives"]["items"] == {"$ref": "#/components/schemas/WindowOut"}


def test_int_2_product_model_is_documented_as_required_for_repairs(client, world, document):
    fields = document["components"]["schemas"]["RequestIn"]["properties"]
    for name in ("product_model", "site_id"):
        assert "Required when request_type is `repair`" in fields[name]["description"]
    body = repair_body(world)
    del body["product_model"]
    refused = client.post("/api/v1/requests", headers=world.auth("dispatcher"), json=body)
    assert refused.status_code == 422
    assert "product_model" in refused.get_json()["details"]["fields"]["json"]


def test_api_contract_times_come_back_in_utc_whatever_zone_was_sent(client, world):
    start = next_workday_at(10).astimezone(SHANGHAI)
    visit = book_visit(client, world, start=start)
    for name in ("window_start", "window_end", "planned_start"):
        assert visit[name].endswith("+00:00"), (name, visit[name])
    assert datetime.fromisoformat(visit["window_start"]) == start
    request = repair_request(client, world)
    slots = client.get(
        f"/api/v1/requests/{request['id']}/slots?days=3", headers=world.auth("dispatcher")
    ).get_json()
    assert slots and all(s["planned_start"].endswith("+00:00") for s in slots)


def test_api_contract_utc_field_serialises_any_zone_as_utc():
    field = UTCDateTime()
    local = datetime(2026, 12, 1, 14, 0, tzinfo=SHANGHAI)
    assert field.serialize("t", {"t": local}) == "2026-12-01T06:00:00+00:00"
    assert field.serialize("t", {"t": local.replace(tzinfo=None)}) == "2026-12-01T14:00:00+00:00"
    stored = {"t": "2026-12-01T14:00:00+08:00"}  # a time kept as text in a JSON column
    assert field.serialize("t", stored) == "2026-12-01T06:00:00+00:00"
    assert field.deserialize("2026-12-01T14:00:00+08:00") == local
    with pytest.raises(marshmallow.ValidationError):
        field.deserialize("2026-12-01T14:00:00")  # a time without its zone is ambiguous


def test_api_contract_every_time_field_of_the_api_is_the_utc_field(app):
    plain = []
    for name, classes in class_registry._registry.items():
        if "." not in name:
            continue
        for schema in classes:
            if not schema.__module__.startswith(("dispatch", "mobile_api")):
                continue
            for field_name, field in schema._declared_fields.items():
                if isinstance(field, marshmallow.fields.DateTime) and not isinstance(
                    field, UTCDateTime
                ):
                    plain.append(f"{name}.{field_name}")
    assert plain == []


def test_api_contract_check_refuses_answers_that_break_the_document(document):
    contract = Contract(document)
    path = "/api/v1/requests/1/visits"
    visit = {"id": 1, "window_start": "2026-12-01T14:00:00+08:00"}
    assert contract.problems("POST", path, 201, "application/json", visit) == [
        f'POST {path} → 201: window_start: "2026-12-01T14:00:00+08:00" does not match "\\+00:00$"'
    ]
    old_shape = {"code": 409, "status": "Conflict", "message": "x", "errors": {}}
    assert contract.problems("POST", path, 409, "application/json", old_shape)
    with pytest.raises(AssertionError, match="418 is not documented"):
        contract.problems("POST", path, 418, "application/json", {})
    with pytest.raises(AssertionError, match="not in /openapi.json"):
        contract.problems("GET", "/api/v1/nowhere", 200, "application/json", {})
    assert contract.problems("POST", path, 201, "application/json", {"id": 1}) == []


def test_mob_every_mobile_write_without_idempotency_key_is_428(app, world, document):
    visit = book_visit(app.test_client(), world)
    raw = FlaskClient(app, app.response_class)  # sends no key of its own
    tech = world.auth("tech_a")
    for path, method, _ in operations(document):
        if not path.startswith("/mobile/v1/") or "/auth/" in path or method not in WRITES:
            continue
        url = re.sub(r"\{[^}]+\}", str(visit["id"]), path)
        answer = raw.open(url, method=method.upper(), headers=tech, json={"device_time": "x"})
        assert answer.status_code == 428, (path, answer.get_json())
        body = answer.get_json()
        assert set(body) == ERROR_KEYS and body["error_code"] == "idempotency_key_required"
    shown = raw.get(f"/mobile/v1/visits/{visit['id']}", headers=tech).get_json()
    assert shown["status"] == "scheduled"  # nothing happened


def test_mob_blind_retry_with_the_key_gets_the_first_answer(client, world):
    visit = book_visit(client, world)
    tech = world.auth("tech_a") | {"Idempotency-Key": "depart-1"}
    body = {"device_time": (datetime.now(SHANGHAI) - timedelta(minutes=1)).isoformat()}
    first = client.post(f"/mobile/v1/visits/{visit['id']}/depart", headers=tech, json=body)
    retry = client.post(f"/mobile/v1/visits/{visit['id']}/depart", headers=tech, json=body)
    assert first.status_code == retry.status_code == 200
    assert retry.get_json() == first.get_json() and retry.headers["Idempotent-Replayed"] == "true"


class _Assets(HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.urls += [value for name, value in attrs if name in ("src", "href") and value]


def test_docs_load_swagger_ui_from_the_pinned_local_copy(client):
    page = client.get("/docs")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert not re.search(r"https?://|//cdn|jsdelivr|unpkg", html), "an external host in /docs"
    parser = _Assets()
    parser.feed(html)
    assert len(parser.urls) == 3
    for url in parser.urls:
        assert url.startswith("/static/web/swagger-ui/"), url
        asset = client.get(url)
        assert asset.status_code == 200 and len(asset.data) > 10_000, url
        asset.close()
    bundle = client.get("/static/web/swagger-ui/swagger-ui-bundle.js")
    assert f'"{SWAGGER_UI_VERSION}"'.encode() in bundle.data
    bundle.close()
    assert '"validatorUrl": null' in html  # no validator badge fetched from outside

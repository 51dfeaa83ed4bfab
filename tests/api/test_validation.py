"""Bad input gets a 4xx in one shape, naming the field, and nothing is saved (INT-1, INT-2)."""

import pytest
from sqlalchemy import func, select

from dispatch.app import create_app
from dispatch.intake.models import ServiceRequest
from tests.builders import repair_body, repair_request

ERROR_KEYS = {"code", "status", "message", "error_code", "details"}


def assert_error(response, status: int, error_code: str) -> dict:
    body = response.get_json()
    assert response.status_code == status, body
    assert set(body) == ERROR_KEYS and body["code"] == status
    assert body["error_code"] == error_code
    return body


@pytest.mark.parametrize(
    "missing",
    [
        "customer_id",
        "request_type",
        "channel",
        "category",
        "service_class",
        "fault_description",
        "product_model",
        "site_id",
    ],
)
def test_int_2_repair_missing_required_field_is_422_naming_it(client, world, missing):
    body = repair_body(world)
    del body[missing]
    response = client.post("/api/v1/requests", headers=world.auth("dispatcher"), json=body)
    error = assert_error(response, 422, "validation_error")
    assert missing in error["details"]["fields"]["json"]
    assert missing in error["message"]


@pytest.mark.parametrize(
    "field,value",
    [
        ("request_type", "teleport"),
        ("channel", "pigeon"),
        ("service_class", "Z"),
        ("priority", "urgent!"),
    ],
)
def test_int_1_unknown_enumeration_value_is_422(client, world, field, value):
    response = client.post(
        "/api/v1/requests",
        headers=world.auth("dispatcher"),
        json=repair_body(world, **{field: value}),
    )
    assert field in assert_error(response, 422, "validation_error")["details"]["fields"]["json"]


def test_prv_3_unknown_fields_are_refused(client, world):
    response = client.post(
        "/api/v1/customers",
        headers=world.auth("dispatcher"),
        json={
            "name": "A",
            "phone": "13800138001",
            "id_card_number": "110101199001011234",
            "consent": {"channel": "phone", "notice_version": "1"},
        },
    )
    assert "id_card_number" in assert_error(response, 422, "validation_error")["message"]


def test_invalid_phone_names_the_field(client, world):
    response = client.post(
        "/api/v1/customers",
        headers=world.auth("dispatcher"),
        json={
            "name": "A",
            "phone": "12345",
            "consent": {"channel": "phone", "notice_version": "1"},
        },
    )
    assert "phone" in assert_error(response, 422, "invalid_phone")["details"]


def test_prv_1_customer_needs_consent(client, world):
    response = client.post(
        "/api/v1/customers",
        headers=world.auth("dispatcher"),
        json={"name": "A", "phone": "13800138001"},
    )
    assert "consent" in assert_error(response, 422, "validation_error")["details"]["fields"]["json"]


def test_int_3_server_stamps_registration_and_first_owner(client, world):
    request = repair_request(client, world, reported_at="2026-01-01T08:00:00+08:00")
    assert request["reported_at"].startswith("2026-01-01T00:00")
    assert request["registered_at"] > "2026-11"
    assert request["registrar_id"] == request["first_owner_id"] == request["owner_id"]


def test_int_4_numbers_are_unique_and_readable(client, world, session):
    numbers = {repair_request(client, world)["number"] for _ in range(3)}
    assert len(numbers) == 3 and all(n.startswith("SR-") for n in numbers)
    assert session.scalar(select(func.count()).select_from(ServiceRequest)) == 3


def test_malformed_json_is_400_in_the_error_shape(client, world):
    response = client.post(
        "/api/v1/requests",
        headers={**world.auth("dispatcher"), "Content-Type": "application/json"},
        data="{not json",
    )
    assert response.status_code in (400, 422)
    assert set(response.get_json()) == ERROR_KEYS


def test_missing_token_is_401_and_wrong_role_is_403(client, world):
    assert_error(client.get("/api/v1/requests/1"), 401, "unauthorized")
    forbidden = client.post("/api/v1/requests", headers=world.auth("quality"), json={})
    assert_error(forbidden, 403, "permission_denied")


def test_unknown_record_is_404_and_unknown_route_is_404(client, world):
    assert_error(
        client.get("/api/v1/requests/999", headers=world.auth("dispatcher")), 404, "not_found"
    )
    assert_error(client.get("/api/v1/nowhere"), 404, "not_found")


def test_unexpected_error_is_a_generic_500(config):
    app = create_app(config)

    @app.get("/boom-for-test")
    def boom():
        raise RuntimeError("secret internals")

    body = assert_error(app.test_client().get("/boom-for-test"), 500, "server_error")
    assert "secret" not in body["message"]


def test_ids_beyond_the_database_range_are_4xx_not_500(client, world):
    path = client.get("/api/v1/visits/99999999999999999999", headers=world.auth("dispatcher"))
    assert_error(path, 404, "not_found")
    body = repair_body(world, customer_id=2**70)
    assert_error(
        client.post("/api/v1/requests", headers=world.auth("dispatcher"), json=body),
        422,
        "value_out_of_range",
    )


def test_errors_inside_lists_name_the_item(client, world):
    reply = client.post(
        "/api/v1/regions",
        headers=world.auth("manager"),
        json={"code": "X", "name": "X", "polygon": [["a", 1], [1, 1]]},
    )
    fields = assert_error(reply, 422, "validation_error")["details"]["fields"]["json"]
    assert fields["polygon"]["0"]["0"] == ["Not a valid number."]

"""The customer file: phone lookup, duplicates, geocoded sites in regions, products."""

from types import SimpleNamespace

from dispatch.customers.geocoding import FakeGeocoder, GeopyGeocoder
from tests.builders import PASSWORD

CONSENT = {"channel": "phone", "notice_version": "2026-01"}


def test_int_5_lookup_by_phone_in_any_format(client, world):
    found = client.get(
        "/api/v1/customers?phone=%2B86%20138-0013-8000", headers=world.auth("dispatcher")
    )
    assert found.status_code == 200
    assert [c["id"] for c in found.get_json()["items"]] == [world.customer_id]
    assert found.get_json()["items"][0]["sites"][0]["id"] == world.site_id


def test_int_8_same_phone_and_name_is_flagged_as_possible_duplicate(client, world):
    twin = client.post(
        "/api/v1/customers",
        headers=world.auth("dispatcher"),
        json={"name": "测试客户", "phone": "13800138000", "consent": CONSENT},
    )
    assert twin.get_json()["possible_duplicate_of_id"] == world.customer_id
    other = client.post(
        "/api/v1/customers",
        headers=world.auth("dispatcher"),
        json={"name": "另一位", "phone": "13800138000", "consent": CONSENT},
    )
    assert other.get_json()["possible_duplicate_of_id"] is None


def test_site_without_coordinates_is_geocoded_and_placed_in_its_region(client, world):
    site = client.post(
        f"/api/v1/customers/{world.customer_id}/sites",
        headers=world.auth("dispatcher"),
        json={"address": "上海市静安区某路1号"},
    )
    body = site.get_json()
    assert site.status_code == 201 and body["geocoded_by"] == "fake"
    assert body["region_id"] == world.region_id and body["outside_all_regions"] is False


def test_site_outside_every_region_is_reported_not_guessed(client, world):
    site = client.post(
        f"/api/v1/customers/{world.customer_id}/sites",
        headers=world.auth("dispatcher"),
        json={"address": "北京市东城区", "lat": 39.9, "lon": 116.4},
    )
    assert site.get_json()["region_id"] is None
    assert site.get_json()["outside_all_regions"] is True


def test_asset_records_model_serial_and_purchase(client, world):
    asset = client.post(
        f"/api/v1/customers/{world.customer_id}/assets",
        headers=world.auth("dispatcher"),
        json={
            "model": "KX-2200",
            "serial": "SN1",
            "site_id": world.site_id,
            "purchase_date": "2025-06-01",
            "purchase_place": "Dealer A",
        },
    )
    assert asset.status_code == 201 and asset.get_json()["purchase_date"] == "2025-06-01"
    foreign = client.post(
        f"/api/v1/customers/{world.customer_id}/assets",
        headers=world.auth("dispatcher"),
        json={"model": "X", "site_id": 999},
    )
    assert foreign.status_code == 422 and "site_id" in foreign.get_json()["details"]


def test_geopy_adapter_sends_only_the_address_and_maps_the_answer():
    asked = []

    class StubProvider:  # stands in for a geopy geocoder such as Nominatim
        def geocode(self, query):
            asked.append(query)
            return SimpleNamespace(latitude=31.2, longitude=121.5)

    location = GeopyGeocoder(StubProvider(), "nominatim", min_delay_seconds=0).geocode("上海某路")
    assert (location.lat, location.lon, location.source) == (31.2, 121.5, "nominatim")
    assert asked == ["上海某路"]


def test_fake_geocoder_is_stable_and_inside_the_city():
    first, again = FakeGeocoder().geocode("A路1号"), FakeGeocoder().geocode("A路1号")
    assert first == again and 31.1 < first.lat < 31.36 and 121.35 < first.lon < 121.6


def test_refresh_token_gives_a_new_access_token(client, world):
    tokens = client.post(
        "/api/v1/auth/login", json={"username": "dispatcher", "password": PASSWORD}
    ).get_json()
    refreshed = client.post(
        "/api/v1/auth/refresh", headers={"Authorization": f"Bearer {tokens['refresh_token']}"}
    )
    assert refreshed.status_code == 200 and refreshed.get_json()["role"] == "dispatcher"
    access = refreshed.get_json()["access_token"]
    assert (
        client.get(
            f"/api/v1/customers/{world.customer_id}", headers={"Authorization": f"Bearer {access}"}
        ).status_code
        == 200
    )
    # An access token is no refresh token.
    assert (
        client.post(
            "/api/v1/auth/refresh", headers={"Authorization": f"Bearer {access}"}
        ).status_code
        == 401
    )


def test_wrong_password_is_401(client, world):
    response = client.post("/api/v1/auth/login", json={"username": "admin", "password": "x"})
    assert response.status_code == 401
    assert response.get_json()["error_code"] == "authentication_failed"


def test_admin_creates_users_and_others_cannot(client, world):
    body = {
        "username": "newtech",
        "password": "long-enough-pw",
        "full_name": "N",
        "role": "technician",
    }
    assert (
        client.post("/api/v1/users", headers=world.auth("dispatcher"), json=body).status_code == 403
    )
    created = client.post("/api/v1/users", headers=world.auth("admin"), json=body)
    assert created.status_code == 201 and "password" not in created.get_json()
    assert client.post("/api/v1/users", headers=world.auth("admin"), json=body).status_code == 409

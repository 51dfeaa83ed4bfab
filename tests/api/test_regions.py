"""Regions: an area, a time zone and neighbours; sites find their region by coordinates."""

KUNSHAN = [[120.9, 31.1], [121.3, 31.1], [121.3, 31.5], [120.9, 31.5]]


def test_manager_creates_a_region_and_new_sites_land_in_it(client, world):
    created = client.post(
        "/api/v1/regions",
        headers=world.auth("manager"),
        json={
            "code": "KS",
            "name": "Kunshan",
            "polygon": KUNSHAN,
            "neighbour_ids": [world.region_id],
        },
    )
    assert created.status_code == 201, created.get_json()
    site = client.post(
        f"/api/v1/customers/{world.customer_id}/sites",
        headers=world.auth("dispatcher"),
        json={"address": "昆山市某路1号", "lat": 31.3, "lon": 121.0},
    ).get_json()
    assert site["region_id"] == created.get_json()["id"]
    listed = client.get("/api/v1/regions", headers=world.auth("dispatcher")).get_json()
    assert [r["code"] for r in listed] == ["SH", "KS"]


def test_bad_regions_are_refused_naming_the_field(client, world):
    cases = [
        ({"polygon": [[121.0, 31.0], [121.1, 31.1]]}, "polygon"),
        ({"polygon": [[0, 0], [1, 1], [2, 2]]}, "polygon"),
        ({"polygon": [[200, 0], [1, 1], [2, 0]]}, "polygon"),
        ({"timezone": "Mars/Olympus"}, "timezone"),
    ]
    for overrides, field in cases:
        body = {"code": "X", "name": "X", "polygon": KUNSHAN} | overrides
        reply = client.post("/api/v1/regions", headers=world.auth("manager"), json=body)
        assert reply.status_code == 422 and field in reply.get_json()["details"]["fields"]["json"]
    duplicate = client.post(
        "/api/v1/regions",
        headers=world.auth("manager"),
        json={"code": "SH", "name": "again", "polygon": KUNSHAN},
    )
    assert duplicate.status_code == 409
    unknown = client.post(
        "/api/v1/regions",
        headers=world.auth("manager"),
        json={"code": "Y", "name": "Y", "polygon": KUNSHAN, "neighbour_ids": [99]},
    )
    assert unknown.status_code == 422
    assert (
        client.post(
            "/api/v1/regions",
            headers=world.auth("dispatcher"),
            json={"code": "Z", "name": "Z", "polygon": KUNSHAN},
        ).status_code
        == 403
    )

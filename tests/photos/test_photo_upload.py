"""Photos of a visit arrive in chunks over a weak signal; none is lost or stored twice."""

from __future__ import annotations

import hashlib
from pathlib import Path

from sqlalchemy import func, select

from dispatch.audit import AuditEntry
from dispatch.photos.models import Photo
from tests.builders import book_visit
from tests.mobile_api.helpers import new_key
from tests.photos.helpers import jpeg, put_chunk, start


def _stored(config, session, photo_id: int) -> bytes:
    session.expire_all()
    return (Path(config.photo_dir) / session.get(Photo, photo_id).storage_key).read_bytes()


def test_int_16_three_chunks_with_one_resent_are_stored_once(client, world, session, photo_config):
    config = photo_config()
    visit = book_visit(client, world)["id"]
    tech, data = world.auth("tech_a"), jpeg(3000)
    started = start(client, tech, visit, data)
    assert started.status_code == 201, started.get_json()
    photo = started.get_json()
    assert (photo["status"], photo["next_offset"], photo["kind"]) == ("uploading", 0, "before")

    assert put_chunk(client, tech, photo["id"], data, 0, 1000).get_json()["next_offset"] == 1000
    assert put_chunk(client, tech, photo["id"], data, 1000, 2000).get_json()["next_offset"] == 2000
    again = put_chunk(client, tech, photo["id"], data, 1000, 2000)  # the reply was lost
    assert again.status_code == 200
    assert again.get_json()["next_offset"] == 2000
    done = put_chunk(client, tech, photo["id"], data, 2000, 3000)
    assert done.status_code == 200, done.get_json()
    assert (done.get_json()["status"], done.get_json()["received_bytes"]) == ("complete", 3000)
    assert _stored(config, session, photo["id"]) == data
    # The last chunk re-sent after completion is acknowledged too; nothing changes.
    assert put_chunk(client, tech, photo["id"], data, 2000, 3000).get_json()["status"] == "complete"
    assert _stored(config, session, photo["id"]) == data
    completed = select(func.count()).where(AuditEntry.action == "photo.completed")
    assert session.scalar(completed) == 1


def test_int_16_a_gap_is_409_with_the_expected_offset(client, world, photo_config):
    photo_config()
    visit = book_visit(client, world)["id"]
    tech, data = world.auth("tech_a"), jpeg(3000)
    photo = start(client, tech, visit, data).get_json()["id"]
    put_chunk(client, tech, photo, data, 0, 1000)
    gap = put_chunk(client, tech, photo, data, 2000, 3000)
    assert gap.status_code == 409
    body = gap.get_json()
    assert (body["error_code"], body["details"]) == ("upload_gap", {"expected_offset": 1000})


def test_int_16_upload_resumes_after_a_dropped_connection(client, world, session, photo_config):
    config = photo_config()
    visit = book_visit(client, world)["id"]
    tech, data = world.auth("tech_a"), jpeg(5000)
    photo = start(client, tech, visit, data).get_json()["id"]
    put_chunk(client, tech, photo, data, 0, 1500)
    put_chunk(client, tech, photo, data, 1500, 3200)  # arrives, but the phone loses the reply

    status = client.get(f"/mobile/v1/photos/{photo}", headers=tech)  # back online: where was I?
    assert status.status_code == 200
    assert status.get_json()["next_offset"] == 3200
    # The app's own chunks are 2000 bytes: the one from 2000 overlaps what arrived.
    assert put_chunk(client, tech, photo, data, 2000, 4000).get_json()["next_offset"] == 4000
    done = put_chunk(client, tech, photo, data, 4000, 5000).get_json()
    assert done["status"] == "complete"
    assert _stored(config, session, photo) == data


def test_int_16_wrong_sha256_is_422_and_the_upload_starts_over(
    client, world, session, photo_config
):
    config = photo_config()
    visit = book_visit(client, world)["id"]
    tech, data = world.auth("tech_a"), jpeg(2000)
    photo = start(client, tech, visit, data, sha256=hashlib.sha256(b"other").hexdigest())
    photo = photo.get_json()["id"]
    put_chunk(client, tech, photo, data, 0, 1000)
    last = put_chunk(client, tech, photo, data, 1000, 2000)
    assert last.status_code == 422
    assert last.get_json()["error_code"] == "photo_hash_mismatch"
    assert last.get_json()["details"] == {"expected_offset": 0}
    status = client.get(f"/mobile/v1/photos/{photo}", headers=tech).get_json()
    assert (status["status"], status["next_offset"]) == ("uploading", 0)
    session.expire_all()
    assert not (Path(config.photo_dir) / session.get(Photo, photo).storage_key).exists()
    reset = select(func.count()).where(AuditEntry.action == "photo.upload_reset")
    assert session.scalar(reset) == 1


def test_int_16_text_file_named_jpg_is_refused_by_its_bytes(client, world, photo_config):
    photo_config()
    visit = book_visit(client, world)["id"]
    tech = world.auth("tech_a")
    text = b"These are my notes, saved as notes.jpg by mistake.\n" * 20
    photo = start(client, tech, visit, text, content_type="image/jpeg").get_json()["id"]
    refused = put_chunk(client, tech, photo, text, 0, len(text))
    assert refused.status_code == 422
    assert refused.get_json()["error_code"] == "not_an_image"
    assert client.get(f"/mobile/v1/photos/{photo}", headers=tech).get_json()["next_offset"] == 0


def test_int_16_png_bytes_sent_as_jpeg_are_refused(client, world, photo_config):
    photo_config()
    visit = book_visit(client, world)["id"]
    tech = world.auth("tech_a")
    data = b"\x89PNG\r\n\x1a\n" + bytes(200)
    photo = start(client, tech, visit, data, content_type="image/jpeg").get_json()["id"]
    refused = put_chunk(client, tech, photo, data, 0, len(data))
    assert refused.status_code == 422
    assert "image/png" in refused.get_json()["message"]


def test_int_16_photo_over_the_size_limit_is_refused(client, world, config, photo_config):
    photo_config()
    visit = book_visit(client, world)["id"]
    tech = world.auth("tech_a")
    response = client.post(
        f"/mobile/v1/visits/{visit}/photos",
        headers=tech,
        json={
            "kind": "after",
            "content_type": "image/jpeg",
            "total_size": config.photo_max_bytes + 1,
            "sha256": "0" * 64,
        },
    )
    assert response.status_code == 422
    assert response.get_json()["error_code"] == "photo_refused"
    assert config.photo_max_bytes == 10 * 1024 * 1024  # the default of the brief


def test_int_16_chunk_over_the_chunk_limit_is_413(client, world, photo_config):
    photo_config(photo_chunk_max_bytes=1024)
    visit = book_visit(client, world)["id"]
    tech, data = world.auth("tech_a"), jpeg(3000)
    photo = start(client, tech, visit, data).get_json()["id"]
    response = put_chunk(client, tech, photo, data, 0, 2000)
    assert response.status_code == 413
    assert response.get_json()["error_code"] == "payload_too_large"


def test_int_16_malformed_or_lying_content_range_is_422(client, world, photo_config):
    photo_config()
    visit = book_visit(client, world)["id"]
    tech, data = world.auth("tech_a"), jpeg(3000)
    photo = start(client, tech, visit, data).get_json()["id"]
    url = f"/mobile/v1/photos/{photo}/content"
    for header in ("bytes=0-999", "bytes 0-999/4000", "bytes 0-1999/3000"):
        response = client.put(url, headers=tech | {"Content-Range": header}, data=data[:1000])
        assert response.status_code == 422, header
        assert response.get_json()["error_code"] == "bad_chunk"
    missing = client.put(url, headers=tech, data=data[:1000])
    assert missing.status_code == 422


def test_int_16_technician_b_cannot_touch_the_photos_of_a(client, world, photo_config):
    photo_config()
    visit = book_visit(client, world)["id"]
    tech_a, tech_b, data = world.auth("tech_a"), world.auth("tech_b"), jpeg(2000)
    assert start(client, tech_b, visit, data).status_code == 404
    photo = start(client, tech_a, visit, data).get_json()["id"]
    assert put_chunk(client, tech_b, photo, data, 0, 2000).status_code == 404
    assert client.get(f"/mobile/v1/photos/{photo}", headers=tech_b).status_code == 404
    assert client.get(f"/mobile/v1/visits/{visit}/photos", headers=tech_b).status_code == 404
    assert client.get(f"/mobile/v1/photos/{photo}", headers=tech_a).status_code == 200


def test_int_16_replayed_start_and_chunk_have_one_effect(client, world, session, photo_config):
    photo_config()
    visit = book_visit(client, world)["id"]
    tech, data = world.auth("tech_a"), jpeg(2000)
    key = new_key()
    first, again = (start(client, tech, visit, data, key) for _ in range(2))
    assert first.status_code == again.status_code == 201
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.get_json() == first.get_json()
    assert session.scalar(select(func.count()).select_from(Photo)) == 1
    chunk_key = new_key()
    photo = first.get_json()["id"]
    for _ in range(2):
        reply = put_chunk(client, tech, photo, data, 0, 1000, **{"Idempotency-Key": chunk_key})
        assert reply.get_json()["next_offset"] == 1000


def test_int_16_staff_list_and_download_the_exact_bytes(client, world, photo_config):
    photo_config()
    visit = book_visit(client, world)["id"]
    tech, data = world.auth("tech_a"), jpeg(4000)
    photo = start(client, tech, visit, data, kind="after", caption="New belt fitted")
    photo = photo.get_json()["id"]
    pending = start(client, tech, visit, jpeg(100)).get_json()["id"]
    manager = world.auth("manager")
    assert client.get(f"/api/v1/photos/{photo}/content", headers=manager).status_code == 409
    put_chunk(client, tech, photo, data, 0, 2000)
    put_chunk(client, tech, photo, data, 2000, 4000)

    listed = client.get(f"/api/v1/visits/{visit}/photos", headers=manager).get_json()
    assert [(p["id"], p["status"]) for p in listed] == [(photo, "complete"), (pending, "uploading")]
    assert listed[0]["caption"] == "New belt fitted"
    assert listed[0]["uploaded_by_id"] == listed[1]["uploaded_by_id"] is not None
    mine = client.get(f"/mobile/v1/visits/{visit}/photos", headers=tech).get_json()
    assert [p["id"] for p in mine] == [photo, pending]
    download = client.get(f"/api/v1/photos/{photo}/content", headers=manager)
    assert download.status_code == 200
    assert download.mimetype == "image/jpeg"
    assert download.data == data
    assert client.get(f"/api/v1/photos/{photo}/content", headers=tech).status_code == 403
    assert client.get("/api/v1/photos/999999/content", headers=manager).status_code == 404

"""Every operation of /openapi.json × every role × own and other region × own and other
technician, against the one table of tests/access/matrix.py (issue 11 "Build": an access
matrix generated from the OpenAPI document; ROL-3, PRV-4)."""

from __future__ import annotations

from sqlalchemy import select

from dispatch.db import session_scope
from dispatch.devices import service as devices
from dispatch.devices.models import MOBILE, STAFF
from dispatch.users.models import User
from dispatch.users.rules import ALL_REGION_ROLES, ROLES
from tests.access import matrix
from tests.access.world import TwoRegions, build
from tests.knowledge.helpers import entry_body

METHODS = ("get", "post", "put", "patch", "delete")
WORKS = "works"
# Path parameters: the Records attribute they take (regional), or a fixed value.
RECORD_PARAMS = {
    "customer_id": "customer_id",
    "request_id": "request_id",
    "visit_id": "done_visit_id",
    "voucher_id": "voucher_id",
    "followup_id": "followup_id",
    "complaint_id": "complaint_id",
    "plan_id": "plan_id",
    "photo_id": "photo_id",
    "technician_id": "technician_id",
    "user_id": "user_id",
    "link_id": "link_id",
    "site_id": "site_id",
    "attachment_id": "attachment_id",
    "web_request_id": "web_request_id",
    "opinion_id": "opinion_id",
    "return_visit_id": "return_visit_id",
}
FIXED_PARAMS = {
    "assist_id": 1,
    "number": 1,
    "item_id": 1,
    "run_id": 1,
    "change_id": 1,
    "task_id": 1,
    "region_id": 1,
    "job_part_id": 1,
    "charge_id": 1,
    "assessment_id": 1,
    "kind": "categories",
    "action": "approve",
    "return_plan_id": 1,
}


def operations_of(spec: dict) -> dict[str, dict]:
    return {
        f"{method.upper()} {path}": operation
        for path, item in spec["paths"].items()
        for method, operation in item.items()
        if method in METHODS
    }


def test_every_operation_of_the_openapi_document_has_a_row(client):
    """An operation without a row fails, naming it; so does a row of no operation."""
    operations = operations_of(client.get("/openapi.json").get_json())
    missing = sorted(set(operations) - set(matrix.MATRIX))
    assert not missing, "Add a row to tests/access/matrix.py MATRIX for: " + ", ".join(missing)
    stale = sorted(set(matrix.MATRIX) - set(operations))
    assert not stale, "Rows of no operation in tests/access/matrix.py: " + ", ".join(stale)


def _published_entry(client, world: TwoRegions) -> int:
    admin = world.auth("kb_admin")
    parent = None
    for kind, name in (("categories", "家电"), ("packages", "空调"), ("topics", "制冷")):
        body = {"name": name} | ({"parent_id": parent} if parent else {})
        parent = client.post(f"/api/v1/knowledge/{kind}", headers=admin, json=body).json["id"]
    created = client.post(
        "/api/v1/knowledge/entries", headers=world.auth("kb_author"), json=entry_body(parent)
    )
    entry = created.json["id"]
    client.post(f"/api/v1/knowledge/entries/{entry}/submit", headers=world.auth("kb_author"))
    client.post(f"/api/v1/knowledge/entries/{entry}/approve", headers=world.auth("kb_reviewer"))
    return entry


def _fresh_token(username: str, technician: bool) -> str:
    """A new session's access token, minted by the login service (no login rate limit)."""
    with session_scope() as session:
        user = session.scalars(select(User).where(User.username == username)).one()
        channel = MOBILE if technician else STAFF
        device = f"matrix-{username}" if technician else None
        return devices.login(session, user=user, device_id=device, channel=channel)["access_token"]


def _expected(row: matrix.Row, role: str, where: str, has_body: bool):
    if row.scope == matrix.PUBLIC:
        return WORKS
    if row.scope == matrix.REFRESH:
        return {401, 403, 422}
    if role not in row.roles or role in row.refused_inside:
        return {403}
    hidden = (row.scope == matrix.REGION and where == "other" and role not in ALL_REGION_ROLES) or (
        row.scope == matrix.OWN_VISIT and where == "other"
    )
    if hidden:
        return {404, 422} if has_body and row.body is None else {404}
    return WORKS


def _holds(expected, status: int, row: matrix.Row) -> bool:
    if expected == WORKS:
        refused = {401, 403} | (set() if row.missing_ok else {404})
        return status < 500 and status not in refused
    return status in expected


def _subjects():
    """(token key, role, where): staff on own and other region, technicians own and other."""
    for role in ROLES:
        if role == "technician":
            yield "tech_a", role, "own"
            yield "tech_b", role, "other"
        else:
            yield role, role, "own"
            yield role, role, "other"


def test_access_matrix_holds_for_every_operation_role_region_and_technician_ROL_3_PRV_4(
    app, client
):
    """Runs each cell of the matrix and lists every cell whose answer differs from the table."""
    spec = client.get("/openapi.json").get_json()
    operations = operations_of(spec)
    world = build(client)
    entry_id = _published_entry(client, world)
    ordered = sorted(operations, key=lambda key: matrix.MATRIX[key].scope == matrix.SESSION)
    failures, calls = [], 0
    for key in ordered:
        row, operation = matrix.MATRIX[key], operations[key]
        method, path = key.split(" ", 1)
        has_body = "requestBody" in operation
        for who, role, where in _subjects():
            if row.scope == matrix.PUBLIC and who != "admin":
                continue  # one anonymous call says it: no token is needed
            records = world.records[2 if where == "other" and role != "technician" else 1]
            values = {"entry_id": entry_id, **FIXED_PARAMS}
            for name, attribute in {**RECORD_PARAMS, **row.ids}.items():
                values[name] = getattr(records, attribute)
            url = path.format(**values) + (f"?{row.query}" if row.query else "")
            token = world.tokens[who]
            if row.scope == matrix.SESSION:
                with app.app_context():
                    token = _fresh_token(who, technician=role == "technician")
            headers = {} if row.scope == matrix.PUBLIC else {"Authorization": f"Bearer {token}"}
            headers |= row.headers
            if "Idempotency-Key" in headers:  # one key per intended change
                headers["Idempotency-Key"] = f"{row.headers['Idempotency-Key']}-{calls}"
            body = row.body if row.body is not None else ({} if has_body else None)
            reply = client.open(url, method=method, headers=headers, json=body)
            calls += 1
            expected = _expected(row, role, where, has_body)
            if not _holds(expected, reply.status_code, row):
                failures.append(
                    f"{key} as {who} ({where}): {reply.status_code}, expected {expected}"
                    f" — {(reply.get_json(silent=True) or {}).get('message', '')}"
                )
    assert not failures, f"{len(failures)} of {calls} cells differ:\n" + "\n".join(failures)

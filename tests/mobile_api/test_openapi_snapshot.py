"""The /mobile/v1 contract is frozen: any change to it fails here until the snapshot is refreshed.

Phones in the field run old app versions for months, so the contract changes only on purpose.
To accept a deliberate change, regenerate the snapshot and commit it with the change:

    UPDATE_MOBILE_OPENAPI_SNAPSHOT=1 .venv/bin/python -m pytest \
        tests/mobile_api/test_openapi_snapshot.py
"""

from __future__ import annotations

import json
import os
from pathlib import Path

SNAPSHOT = Path(__file__).with_name("openapi_mobile_v1.json")


def _referenced(node, found: set[str]) -> None:
    if isinstance(node, dict):
        ref = node.get("$ref", "")
        if ref.startswith("#/components/schemas/"):
            found.add(ref.rsplit("/", 1)[1])
        for value in node.values():
            _referenced(value, found)
    elif isinstance(node, list):
        for value in node:
            _referenced(value, found)


def mobile_contract(document: dict) -> dict:
    """Return the /mobile/v1 paths and every schema they reach."""
    paths = {p: v for p, v in document["paths"].items() if p.startswith("/mobile/v1/")}
    names: set[str] = set()
    _referenced(paths, names)
    schemas = document["components"]["schemas"]
    while True:
        before = set(names)
        for name in before:
            _referenced(schemas[name], names)
        if names == before:
            break
    return {"paths": paths, "schemas": {name: schemas[name] for name in sorted(names)}}


def test_mobile_v1_openapi_matches_the_committed_snapshot(client):
    current = mobile_contract(client.get("/openapi.json").get_json())
    if os.environ.get("UPDATE_MOBILE_OPENAPI_SNAPSHOT") == "1":
        SNAPSHOT.write_text(
            json.dumps(current, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
        )
    committed = json.loads(SNAPSHOT.read_text())
    assert current == committed, (
        "The /mobile/v1 contract changed. If that is deliberate, refresh the snapshot "
        "(see this module's docstring) and commit it; otherwise undo the change."
    )

"""Test clients: the phone's (an Idempotency-Key per write) and one that holds every answer of
/api and /mobile to the OpenAPI document the app serves.

`ContractClient` checks each response as it arrives: the operation must be in the document, the
status must be documented for it (5xx may fall to `default`), the content type must be one the
document lists, and a JSON body must validate against the documented schema (OpenAPI 3.0 turned
into JSON Schema: `nullable` becomes a null type; every `date-time` must be UTC with `+00:00`).
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field

import jsonschema_rs
import pytest
from flask.testing import FlaskClient

DOCUMENTED_PREFIXES = ("/api/", "/mobile/")
MOBILE_WRITE = re.compile(r"^/mobile/v1/(?!auth/)")
WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
UTC_TIME = r"\+00:00$"
# OpenAPI keywords that JSON Schema draft 4 does not know (or that mean nothing to a validator).
OPENAPI_ONLY = {"nullable", "example", "readOnly", "writeOnly", "discriminator", "xml"}
OPENAPI_ONLY |= {"externalDocs", "deprecated"}


class PhoneClient(FlaskClient):
    """Like the technician app: every mobile write carries a fresh Idempotency-Key.

    A test that wants to send no key (or a given one) sets the header itself; `None` as its
    value sends none at all.
    """

    def open(self, *args, **kwargs):
        method = (kwargs.get("method") or "GET").upper()
        path = args[0] if args and isinstance(args[0], str) else ""
        if method in WRITE_METHODS and MOBILE_WRITE.match(path):
            headers = dict(kwargs.get("headers") or {})
            headers.setdefault("Idempotency-Key", uuid.uuid4().hex)
            kwargs["headers"] = {k: v for k, v in headers.items() if v is not None}
        return super().open(*args, **kwargs)


def json_schema(node):
    """Turn an OpenAPI 3.0 schema into JSON Schema draft 4 (see the module docstring)."""
    if isinstance(node, list):
        return [json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    out = {}
    for key, value in node.items():
        if key in OPENAPI_ONLY:
            continue
        if key == "properties":
            out[key] = {name: json_schema(schema) for name, schema in value.items()}
        elif key in ("schemas", "components"):  # maps of names to schemas
            out[key] = {name: json_schema(item) for name, item in value.items()}
        else:
            out[key] = json_schema(value)
    if out.get("format") == "date-time":
        out["pattern"] = UTC_TIME
    if node.get("nullable"):
        if "type" in out:
            out["type"] = [out["type"], "null"]
            if "enum" in out:
                out["enum"] = [*out["enum"], None]
        else:
            out = {"anyOf": [out, {"type": "null"}]}
    return out


def _media_matches(documented: str, actual: str) -> bool:
    """Return whether a media range of the document (e.g. image/*) covers an answer's type."""
    kind, _, sub = documented.partition("/")
    actual_kind, _, actual_sub = actual.partition("/")
    return kind in ("*", actual_kind) and sub in ("*", actual_sub)


@dataclass
class Contract:
    """The OpenAPI document of an app, ready to check responses against."""

    document: dict
    operations: list = field(default_factory=list)  # (regex, path template)
    validators: dict = field(default_factory=dict)

    def __post_init__(self):
        # Literal paths first: /requests/contact-overdue is not /requests/{request_id}.
        for template in sorted(self.document["paths"], key=lambda t: (t.count("{"), t)):
            pattern = re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template))
            self.operations.append((re.compile(f"^{pattern}$"), template))
        self.components = json_schema(self.document.get("components", {}))

    def operation(self, method: str, path: str, status: int = 0) -> tuple[str, dict]:
        for regex, template in self.operations:
            if regex.match(path) and method.lower() in self.document["paths"][template]:
                return template, self.document["paths"][template][method.lower()]
        if status in (404, 405):  # no such operation: the default error answers
            return path, {
                "responses": {str(status): {"$ref": "#/components/responses/DEFAULT_ERROR"}}
            }
        raise AssertionError(f"{method} {path} is not in /openapi.json")

    def documented_response(self, template: str, operation: dict, status: int) -> dict:
        responses = operation["responses"]
        found = responses.get(str(status))
        if found is None and status >= 500:
            found = responses.get("default")
        assert found is not None, (
            f"{status} is not documented for {template} (documented: {sorted(responses)})"
        )
        while "$ref" in found:
            found = self.document["components"]["responses"][found["$ref"].rsplit("/", 1)[1]]
        return found

    def problems(self, method: str, path: str, status: int, mimetype: str, body) -> list[str]:
        """Return what is wrong with one answer ([] if it keeps the contract)."""
        template, operation = self.operation(method, path, status)
        documented = self.documented_response(template, operation, status)
        content = documented.get("content")
        if not content:
            return [] if not body else [f"{status} of {template} documents no body"]
        documented_type = next((t for t in content if _media_matches(t, mimetype)), None)
        if documented_type is None:
            return [f"{mimetype} is not documented for {status} of {template}: {sorted(content)}"]
        schema = content[documented_type].get("schema")
        if schema is None or mimetype != "application/json":
            return []
        key = (template, method, status)
        if key not in self.validators:
            wrapped = {"allOf": [json_schema(schema)], "components": self.components}
            self.validators[key] = jsonschema_rs.Draft4Validator(wrapped, validate_formats=True)
        return [
            f"{method} {path} → {status}: {'/'.join(map(str, error.instance_path))}: "
            f"{error.message}"
            for error in self.validators[key].iter_errors(body)
        ]


class ContractClient(PhoneClient):
    """A test client that fails the test on any answer that breaks the OpenAPI document."""

    contract: Contract
    checked: int = 0  # answers held to the document so far

    def open(self, *args, **kwargs):
        response = super().open(*args, **kwargs)
        request = response.request
        if request.path.startswith(DOCUMENTED_PREFIXES):
            body = response.get_json(silent=True) if response.is_json else response.get_data()
            problems = self.contract.problems(
                request.method, request.path, response.status_code, response.mimetype, body
            )
            assert not problems, "The answer breaks /openapi.json:\n" + "\n".join(problems)
            self.checked += 1
        return response


def contract_client(app) -> ContractClient:
    """Return a client of `app` that checks every answer against the app's /openapi.json."""
    client = ContractClient(app, app.response_class, use_cookies=True)
    client.contract = Contract(FlaskClient(app, app.response_class).get("/openapi.json").json)
    return client


@pytest.fixture(name="client")
def validating_client(app) -> ContractClient:
    """The `client` of a test package whose answers must keep the contract (import it there)."""
    return contract_client(app)

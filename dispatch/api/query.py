"""Unknown query parameters are refused (422), on every operation of the API, in one place.

An operation's query parameters are the fields of the schemas its view declares with
`@blp.arguments(..., location="query")`; an operation without such a schema takes none. A
parameter outside that set is an error in the one error shape (`details.fields.query`), so a
misspelt filter never silently widens a list.
"""

from __future__ import annotations

from flask import Flask, request

from dispatch.api.errors import error_response

UNKNOWN = "Unknown field."


def declared_query_names(function) -> frozenset[str]:
    """Return the query parameter names a view function declares through flask-smorest."""
    names: set[str] = set()
    arguments = getattr(function, "_apidoc", {}).get("arguments", {})
    for parameter in arguments.get("parameters", []):
        if parameter.get("in") != "query":
            continue
        schema = parameter["schema"]
        schema = schema() if isinstance(schema, type) else schema
        names |= {
            field.data_key or name for name, field in schema.fields.items() if not field.dump_only
        }
    return frozenset(names)


class QueryGuard:
    """Checks the query string of requests to the API's blueprints against their operation."""

    def __init__(self) -> None:
        self.blueprints: set[str] = set()
        self._known: dict[tuple[str, str], frozenset[str] | None] = {}

    def init_app(self, app: Flask) -> None:
        app.before_request(self.check)

    def allowed(self, app: Flask, endpoint: str, method: str) -> frozenset[str] | None:
        key = (endpoint, method)
        if key not in self._known:
            view = app.view_functions.get(endpoint)
            view_class = getattr(view, "view_class", None)
            function = getattr(view_class, method.lower(), None) if view_class else view
            self._known[key] = None if function is None else declared_query_names(function)
        return self._known[key]

    def check(self):
        if request.blueprint not in self.blueprints or not request.args:
            return None
        from flask import current_app

        allowed = self.allowed(current_app, request.endpoint, request.method)
        if allowed is None:
            return None
        unknown = sorted(set(request.args) - allowed)
        if not unknown:
            return None
        return error_response(
            422,
            "Invalid input: " + ", ".join(unknown),
            "validation_error",
            {"fields": {"query": {name: [UNKNOWN] for name in unknown}}},
        )

"""Unknown query parameters are refused (422), on every operation of the API, in one place.

An operation's query parameters are the fields of the schemas its view declares with
`@blp.arguments(..., location="query")`; an operation without such a schema takes none. A
parameter outside that set is an error in the one error shape (`details.fields.query`), so a
misspelt filter never silently widens a list. The caller's role is checked first: whoever the
operation refuses hears 401/403, as from the view, never a word about its parameters.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask, request

from dispatch.api.errors import error_response

UNKNOWN = "Unknown field."
CALLER_CHECK = "_caller_check"


def caller_check(view, check: Callable[[], None]):
    """Mark `view` with the check of who may call it (the auth decorators of dispatch.api.base),
    so that a refused caller hears 401/403 before any word about the query string."""
    setattr(view, CALLER_CHECK, check)
    return view


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
        self._known: dict[tuple[str, str], tuple[object, frozenset[str]] | None] = {}

    def init_app(self, app: Flask) -> None:
        app.before_request(self.check)

    def operation(self, app: Flask, endpoint: str, method: str):
        """Return the view function of an operation and its query names, or None."""
        key = (endpoint, method)
        if key not in self._known:
            view = app.view_functions.get(endpoint)
            view_class = getattr(view, "view_class", None)
            function = getattr(view_class, method.lower(), None) if view_class else view
            self._known[key] = (
                None if function is None else (function, declared_query_names(function))
            )
        return self._known[key]

    def check(self):
        if request.blueprint not in self.blueprints or not request.args:
            return None
        from flask import current_app

        operation = self.operation(current_app, request.endpoint, request.method)
        if operation is None:
            return None
        function, allowed = operation
        unknown = sorted(set(request.args) - allowed)
        if not unknown:
            return None
        # Who may not call the operation is refused first, as its view would refuse them.
        getattr(function, CALLER_CHECK, lambda: None)()
        return error_response(
            422,
            "Invalid input: " + ", ".join(unknown),
            "validation_error",
            {"fields": {"query": {name: [UNKNOWN] for name in unknown}}},
        )

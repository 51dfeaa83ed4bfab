"""Marshmallow fields shared by the API schemas."""

from datetime import UTC, datetime

from marshmallow import fields

from dispatch.clock import utc_text


class UTCDateTime(fields.AwareDateTime):
    """The one time field of the API: ISO 8601 in UTC with an explicit `+00:00` offset.

    Input may carry any offset and is converted to UTC; output is always UTC, whatever zone the
    value was computed in (a naive value is taken as UTC, as the database stores it; an ISO text
    kept in a JSON column is read first).
    """

    def _serialize(self, value, attr, obj, **kwargs):
        if value is None:
            return None
        return utc_text(datetime.fromisoformat(value) if isinstance(value, str) else value)

    def _deserialize(self, value, attr, data, **kwargs):
        return super()._deserialize(value, attr, data, **kwargs).astimezone(UTC)

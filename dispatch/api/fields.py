"""Marshmallow fields shared by the API schemas."""

from datetime import UTC

from marshmallow import fields

from dispatch.clock import utc_text


class UTCDateTime(fields.AwareDateTime):
    """The one time field of the API: ISO 8601 in UTC with an explicit `+00:00` offset.

    Input may carry any offset and is converted to UTC; output is always UTC, whatever zone the
    value was computed in (a naive value is taken as UTC, as the database stores it).
    """

    def _serialize(self, value, attr, obj, **kwargs):
        return None if value is None else utc_text(value)

    def _deserialize(self, value, attr, data, **kwargs):
        return super()._deserialize(value, attr, data, **kwargs).astimezone(UTC)

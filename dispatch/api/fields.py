"""Marshmallow fields shared by the API schemas."""

from datetime import UTC

from marshmallow import fields


class UTCDateTime(fields.AwareDateTime):
    """An ISO 8601 time with an offset, converted to UTC on input."""

    def _deserialize(self, value, attr, data, **kwargs):
        return super()._deserialize(value, attr, data, **kwargs).astimezone(UTC)

"""Region schemas."""

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from marshmallow import Schema, ValidationError, fields, validate, validates, validates_schema

from dispatch.regions.calendar import CALENDARS
from dispatch.regions.rules import polygon_problem


class RegionIn(Schema):
    code = fields.String(required=True, validate=validate.Length(min=1, max=32))
    name = fields.String(required=True, validate=validate.Length(min=1, max=120))
    timezone = fields.String(load_default="Asia/Shanghai")
    polygon = fields.List(
        fields.List(fields.Float()),
        required=True,
        metadata={"description": "ring of [lon, lat] points"},
    )
    neighbour_ids = fields.List(fields.Integer(), load_default=list)
    checkin_radius_m = fields.Integer(load_default=300, validate=validate.Range(10, 10_000))
    calendar = fields.String(load_default="cn", validate=validate.OneOf(CALENDARS))  # DSP-1
    lead_user_id = fields.Integer(load_default=None, allow_none=True)  # responsible lead
    emergency_arrival_minutes = fields.Integer(  # DSP-11: off unless set (20 min when on)
        load_default=None, allow_none=True, validate=validate.Range(5, 240)
    )
    contact_window_start = fields.Time(load_default=None, allow_none=True)  # APT-13
    contact_window_end = fields.Time(load_default=None, allow_none=True)

    @validates_schema
    def window_in_order(self, data, **_):
        _check_window(data.get("contact_window_start"), data.get("contact_window_end"))

    @validates("timezone")
    def known_zone(self, value, **_):
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValidationError("unknown IANA time zone") from exc

    @validates("polygon")
    def usable_ring(self, value, **_):
        problem = polygon_problem(value)
        if problem:
            raise ValidationError(problem)


class RegionOut(Schema):
    id = fields.Integer()
    code = fields.String()
    name = fields.String()
    timezone = fields.String()
    polygon = fields.List(fields.List(fields.Float()))
    neighbour_ids = fields.List(fields.Integer())
    checkin_radius_m = fields.Integer()
    emergency_arrival_minutes = fields.Integer(allow_none=True)
    calendar = fields.String()
    lead_user_id = fields.Integer(allow_none=True)
    contact_window_start = fields.Time(
        allow_none=True, metadata={"description": "local; null: CONTACT_WINDOW_START (APT-13)"}
    )
    contact_window_end = fields.Time(
        allow_none=True, metadata={"description": "local; null: CONTACT_WINDOW_END (APT-13)"}
    )


class CalendarQuery(Schema):
    start = fields.Date(required=True)
    days = fields.Integer(load_default=14, validate=validate.Range(1, 366))


class CalendarDayOut(Schema):
    day = fields.Date()
    working = fields.Boolean()


class EmergencySlaIn(Schema):
    """DSP-11: switch the region's emergency arrival SLA on (20 min by default) or off."""

    enabled = fields.Boolean(required=True)
    minutes = fields.Integer(load_default=20, validate=validate.Range(5, 240))


class ContactWindowIn(Schema):
    """APT-13: the local hours non-urgent SMS may reach the region's customers; both null
    returns the region to the configured window."""

    start = fields.Time(required=True, allow_none=True, metadata={"example": "09:00"})
    end = fields.Time(required=True, allow_none=True, metadata={"example": "20:00"})

    @validates_schema
    def in_order(self, data, **_):
        _check_window(data.get("start"), data.get("end"), start="start", end="end")


def _check_window(opens, closes, *, start="contact_window_start", end="contact_window_end"):
    if (opens is None) != (closes is None):
        raise ValidationError("give both ends of the window, or neither", end)
    if opens is not None and opens >= closes:
        raise ValidationError("the window must end after it starts", end)

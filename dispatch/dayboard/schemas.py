"""Day board API schemas."""

from marshmallow import Schema, fields

from dispatch.api.fields import UTCDateTime


class BoardQuery(Schema):
    region_id = fields.Integer(required=True)
    day = fields.Date(required=True)


class BoardRegionOut(Schema):
    id = fields.Integer()
    name = fields.String()
    timezone = fields.String()


class ItemOut(Schema):
    kind = fields.String(metadata={"enum": ["visit", "travel", "break", "absence"]})
    start = UTCDateTime()
    end = UTCDateTime()
    visit_id = fields.Integer(allow_none=True)
    label = fields.String()


class PositionOut(Schema):
    lat = fields.Float()
    lon = fields.Float()
    at = UTCDateTime(allow_none=True)
    source = fields.String(metadata={"description": "check_in (last reported) or home"})


class LaneOut(Schema):
    id = fields.Integer()
    name = fields.String()
    status = fields.String(
        metadata={"description": "on_site, working, paused, en_route, absent, planned, done, free"}
    )
    position = fields.Nested(PositionOut, allow_none=True)
    home = fields.List(fields.Float(), allow_none=True)
    shift = fields.List(UTCDateTime(), allow_none=True)
    items = fields.List(fields.Nested(ItemOut))
    route = fields.List(fields.Integer())
    travel_seconds = fields.Integer()


class BoardVisitOut(Schema):
    id = fields.Integer()
    number = fields.String()
    request_id = fields.Integer()
    status = fields.String()
    technician_id = fields.Integer(allow_none=True)
    window_start = UTCDateTime()
    window_end = UTCDateTime()
    planned_start = UTCDateTime(allow_none=True)
    eta = UTCDateTime(allow_none=True)
    at_risk = fields.Boolean()
    duration_minutes = fields.Integer()
    priority = fields.String()
    required_skill = fields.String(allow_none=True)
    pinned = fields.Boolean()
    lat = fields.Float(allow_none=True)
    lon = fields.Float(allow_none=True)
    address = fields.String()
    customer = fields.String()


class OverdueOut(Schema):
    request_id = fields.Integer()
    number = fields.String()
    customer = fields.String()
    registered_at = UTCDateTime()
    due_at = UTCDateTime()


class TrayOut(Schema):
    unassigned = fields.List(fields.Integer())
    at_risk = fields.List(fields.Integer())
    overdue = fields.List(fields.Nested(OverdueOut))


class TotalsOut(Schema):
    travel_seconds = fields.Integer()
    unassigned = fields.Integer()


class BoardOut(Schema):
    region = fields.Nested(BoardRegionOut)
    day = fields.Date()
    generated_at = UTCDateTime()
    technicians = fields.List(fields.Nested(LaneOut))
    visits = fields.List(fields.Nested(BoardVisitOut))
    tray = fields.Nested(TrayOut)
    totals = fields.Nested(TotalsOut)

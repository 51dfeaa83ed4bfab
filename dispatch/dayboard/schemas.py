"""Day board API schemas."""

from marshmallow import Schema, fields, validate

from dispatch.api.fields import UTCDateTime


class BoardQuery(Schema):
    region_id = fields.Integer(required=True)
    day = fields.Date(required=True)


class BoardRegionOut(Schema):
    id = fields.Integer()
    name = fields.String()
    timezone = fields.String()


class LaneItemOut(Schema):
    kind = fields.String(metadata={"enum": ["visit", "travel", "break", "absence"]})
    start = UTCDateTime()
    end = UTCDateTime()
    visit_id = fields.Integer(allow_none=True)
    label = fields.String()


class TechnicianPositionOut(Schema):
    lat = fields.Float()
    lon = fields.Float()
    at = UTCDateTime(allow_none=True)
    source = fields.String(
        metadata={"description": "gps (latest fix, with consent), check_in, or home"}
    )


class BoardLaneOut(Schema):
    id = fields.Integer()
    name = fields.String()
    status = fields.String(
        metadata={"description": "on_site, working, paused, en_route, absent, planned, done, free"}
    )
    position = fields.Nested(TechnicianPositionOut, allow_none=True)
    home = fields.List(fields.Float(), allow_none=True)
    shift = fields.List(UTCDateTime(), allow_none=True)
    items = fields.List(fields.Nested(LaneItemOut))
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


class BoardOverdueOut(Schema):
    request_id = fields.Integer()
    number = fields.String()
    customer = fields.String()
    registered_at = UTCDateTime()
    due_at = UTCDateTime()


class BoardTrayOut(Schema):
    unassigned = fields.List(fields.Integer())
    at_risk = fields.List(fields.Integer())
    overdue = fields.List(fields.Nested(BoardOverdueOut))


class BoardTotalsOut(Schema):
    travel_seconds = fields.Integer()
    unassigned = fields.Integer()


class BoardOut(Schema):
    region = fields.Nested(BoardRegionOut)
    day = fields.Date()
    technicians = fields.List(fields.Nested(BoardLaneOut))
    visits = fields.List(fields.Nested(BoardVisitOut))
    tray = fields.Nested(BoardTrayOut)
    totals = fields.Nested(BoardTotalsOut)


class CallerQuery(Schema):
    phone = fields.String(required=True, validate=validate.Length(min=3, max=32))


class DeskSmsOut(Schema):
    id = fields.Integer()
    template = fields.String()
    status = fields.String()
    body = fields.String(metadata={"description": "The text as sent, with its link"})
    created_at = UTCDateTime()
    sent_at = UTCDateTime(allow_none=True)


class HistoryVisitOut(Schema):
    id = fields.Integer()
    number = fields.String()
    status = fields.String()
    window_start = UTCDateTime()
    window_end = UTCDateTime()
    technician = fields.String(allow_none=True)
    messages = fields.List(fields.Nested(DeskSmsOut))


class HistoryRequestOut(Schema):
    id = fields.Integer()
    number = fields.String()
    request_type = fields.String()
    status = fields.String()
    registered_at = UTCDateTime()
    product_model = fields.String(allow_none=True)
    fault_description = fields.String()
    visits = fields.List(fields.Nested(HistoryVisitOut))


class HistoryComplaintOut(Schema):
    id = fields.Integer()
    number = fields.String()
    status = fields.String()
    nature = fields.String()
    category = fields.String()
    received_at = UTCDateTime()
    description = fields.String()


class DeskNoteOut(Schema):
    id = fields.Integer()
    note = fields.String()
    created_at = UTCDateTime()


class CallerSiteOut(Schema):
    id = fields.Integer()
    address = fields.String()
    region_id = fields.Integer(allow_none=True)


class CallerOut(Schema):
    id = fields.Integer()
    name = fields.String()
    phone = fields.String()
    tier = fields.String()
    notes = fields.String(allow_none=True)
    sites = fields.List(fields.Nested(CallerSiteOut))
    special_notes = fields.List(fields.Nested(DeskNoteOut))
    requests = fields.List(fields.Nested(HistoryRequestOut))
    complaints = fields.List(fields.Nested(HistoryComplaintOut))


class ComplaintQueueClockOut(Schema):
    name = fields.String()
    due_at = UTCDateTime()
    met_at = UTCDateTime(allow_none=True)
    breached_at = UTCDateTime(allow_none=True)


class ComplaintQueueOwnerOut(Schema):
    id = fields.Integer()
    name = fields.String()
    role = fields.String()


class ComplaintQueueItemOut(Schema):
    id = fields.Integer()
    number = fields.String()
    status = fields.String()
    nature = fields.String()
    severity = fields.String()
    priority = fields.String()
    escalation_level = fields.Integer()
    received_at = UTCDateTime()
    description = fields.String()
    owner = fields.Nested(ComplaintQueueOwnerOut)
    clocks = fields.List(fields.Nested(ComplaintQueueClockOut))
    next_due = UTCDateTime(allow_none=True)

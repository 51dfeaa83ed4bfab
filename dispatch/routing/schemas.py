"""Routing API schemas."""

from marshmallow import Schema, fields, validate

from dispatch.api.fields import UTCDateTime


class PlanIn(Schema):
    region_id = fields.Integer(required=True)
    day = fields.Date(required=True)
    time_limit_s = fields.Float(load_default=None, validate=validate.Range(0.1, 600))
    allow_neighbours = fields.Boolean(load_default=False)
    from_now = fields.Boolean(
        load_default=False, metadata={"description": "Re-plan the rest of today from now"}
    )


class StopOut(Schema):
    visit_id = fields.Integer()
    arrival = UTCDateTime()
    start = UTCDateTime()
    lat = fields.Float()
    lon = fields.Float()


class BreakOut(Schema):
    break_id = fields.Integer()
    start = UTCDateTime()


class RouteOut(Schema):
    technician_id = fields.Integer()
    technician = fields.String()
    home = fields.List(fields.Float(), allow_none=True)
    travel_seconds = fields.Integer()
    distance_m = fields.Integer()
    stops = fields.List(fields.Nested(StopOut))
    breaks = fields.List(fields.Nested(BreakOut))


class UnassignedOut(Schema):
    visit_id = fields.Integer()
    reason = fields.String()
    lat = fields.Float()
    lon = fields.Float()


class PlanResultOut(Schema):
    routes = fields.List(fields.Nested(RouteOut))
    unassigned = fields.List(fields.Nested(UnassignedOut))
    travel_seconds = fields.Integer()
    solver = fields.String()


class PlanOut(Schema):
    id = fields.Integer()
    region_id = fields.Integer()
    day = fields.Date()
    status = fields.String()
    progress = fields.Integer()
    best_cost = fields.Integer(allow_none=True)
    time_limit_s = fields.Float()
    allow_neighbours = fields.Boolean()
    from_time = UTCDateTime(allow_none=True)
    solver = fields.String(allow_none=True)
    error = fields.String(allow_none=True)
    result = fields.Nested(PlanResultOut, allow_none=True)
    created_at = UTCDateTime()
    finished_at = UTCDateTime(allow_none=True)


class InsertionIn(Schema):
    apply = fields.Boolean(load_default=False)


class InsertionOut(Schema):
    technician_id = fields.Integer()
    position = fields.Integer()
    planned_start = UTCDateTime()
    extra_travel_seconds = fields.Integer()


class PinIn(Schema):
    technician_id = fields.Integer(allow_none=True, load_default=None)
    pin_technician = fields.Boolean(required=True)
    pinned_start = UTCDateTime(allow_none=True, load_default=None)
    reason = fields.String(required=True, validate=validate.Length(min=2, max=500))  # DSP-3

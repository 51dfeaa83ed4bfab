"""Technician administration schemas."""

from marshmallow import Schema, ValidationError, fields, validate, validates

from dispatch.api.fields import UTCDateTime
from dispatch.api.listing import list_args, page_schema
from dispatch.technicians.models import WEEKDAYS
from dispatch.technicians.service import TECHNICIAN_SORTS

CLOCK = validate.Regexp(r"^([01]\d|2[0-3]):[0-5]\d$", error="expected HH:MM")


class TechnicianIn(Schema):
    username = fields.String(required=True, validate=validate.Length(min=3, max=64))
    password = fields.String(required=True, load_only=True, validate=validate.Length(min=8))
    name = fields.String(required=True, validate=validate.Length(min=1, max=120))
    phone = fields.String(required=True, validate=validate.Length(min=3, max=32))
    region_id = fields.Integer(required=True)
    extra_region_ids = fields.List(fields.Integer(), load_default=list)
    home_lat = fields.Float(required=True, validate=validate.Range(-90, 90))
    home_lon = fields.Float(required=True, validate=validate.Range(-180, 180))
    end_lat = fields.Float(load_default=None, validate=validate.Range(-90, 90))
    end_lon = fields.Float(load_default=None, validate=validate.Range(-180, 180))
    skills = fields.Dict(
        keys=fields.String(validate=validate.Length(min=1, max=48)),
        values=fields.Integer(validate=validate.Range(1, 5)),
        load_default=dict,
    )
    certified = fields.Boolean(load_default=True)
    working_hours = fields.Dict(
        keys=fields.String(validate=validate.OneOf(WEEKDAYS)),
        values=fields.List(fields.String(validate=CLOCK), validate=validate.Length(equal=2)),
        load_default=None,
    )
    lunch_minutes = fields.Integer(load_default=45, validate=validate.Range(0, 120))
    max_visits_per_day = fields.Integer(load_default=None, validate=validate.Range(1, 50))
    max_travel_minutes = fields.Integer(load_default=None, validate=validate.Range(1, 24 * 60))

    @validates("working_hours")
    def hours_in_order(self, value, **_):
        for day, (start, end) in (value or {}).items():
            if start >= end:
                raise ValidationError(f"{day}: start must be before end")


class TechnicianOut(Schema):
    id = fields.Integer()
    user_id = fields.Integer()
    name = fields.String()
    region_id = fields.Integer()
    extra_region_ids = fields.List(fields.Integer())
    home_lat = fields.Float(allow_none=True)
    home_lon = fields.Float(allow_none=True)
    skills = fields.Dict()
    certified = fields.Boolean()
    active = fields.Boolean()
    working_hours = fields.Dict()
    max_visits_per_day = fields.Integer(allow_none=True)
    max_travel_minutes = fields.Integer(allow_none=True)


class PeriodIn(Schema):
    starts_at = UTCDateTime(required=True)
    ends_at = UTCDateTime(required=True)


class AbsenceIn(PeriodIn):
    reason = fields.String(required=True, validate=validate.Length(min=1, max=200))


class PeriodOut(Schema):
    id = fields.Integer()
    technician_id = fields.Integer()
    starts_at = UTCDateTime()
    ends_at = UTCDateTime()
    reason = fields.String()


class TechnicianListItemOut(TechnicianOut):
    username = fields.String(attribute="user.username")


TechnicianListArgs = list_args(
    "TechnicianListArgs",
    TECHNICIAN_SORTS,
    "name",
    region_id=fields.Integer(
        load_default=None,
        validate=validate.Range(1, 2**31 - 1),
        metadata={"description": "Those serving the region (home or extra region)"},
    ),
    active=fields.Boolean(load_default=None),
    q=fields.String(
        load_default=None,
        validate=validate.Length(min=1, max=100),
        metadata={"description": "Part of the name, or the start of the username"},
    ),
)
TechnicianPage = page_schema(TechnicianListItemOut, "TechnicianPage")

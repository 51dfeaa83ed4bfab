"""DSP-1: addresses the geocoder could not place wait in a dispatcher review queue; a dispatcher
places each by hand, which puts it into its region."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate
from sqlalchemy import select
from sqlalchemy.orm import Session

from dispatch import audit
from dispatch.actors import Actor
from dispatch.api.base import WRITE_ROLES, current_actor, roles_required, transactional
from dispatch.api.fields import UTCDateTime
from dispatch.customers.models import Site
from dispatch.customers.service import REVIEW_QUEUE
from dispatch.db import db
from dispatch.errors import Conflict, NotFound
from dispatch.regions.models import Region
from dispatch.regions.rules import region_containing

blp = Blueprint(
    "site_review", __name__, url_prefix="/api/v1/sites", description="Address review queue"
)


def queue(session: Session) -> list[Site]:
    """Addresses waiting for a dispatcher to place them, oldest first."""
    return list(
        session.scalars(
            select(Site).where(Site.geocoded_by == REVIEW_QUEUE).order_by(Site.id).limit(200)
        )
    )


def place(*, session: Session, actor: Actor, site_id: int, lat: float, lon: float) -> Site:
    """Place a queued address by hand; it joins the region that holds the point."""
    site = session.get(Site, site_id)
    if site is None:
        raise NotFound(f"Site {site_id} not found")
    if site.geocoded_by != REVIEW_QUEUE:
        raise Conflict("The address is placed already", error_code="site_placed")
    region = region_containing(lon, lat, session.scalars(select(Region).order_by(Region.id)))
    site.lat, site.lon, site.geocoded_by = lat, lon, "dispatcher"
    site.region_id = region.id if region else None
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="site.placed",
        entity="site",
        entity_id=site.id,
        after={"lat": lat, "lon": lon, "region_id": site.region_id},
    )
    return site


class QueuedSiteOut(Schema):
    id = fields.Integer()
    customer_id = fields.Integer()
    address = fields.String()
    lat = fields.Float(allow_none=True)
    lon = fields.Float(allow_none=True)
    region_id = fields.Integer(allow_none=True)
    geocoded_by = fields.String(allow_none=True)
    created_at = UTCDateTime()


class PlaceIn(Schema):
    lat = fields.Float(required=True, validate=validate.Range(-90, 90))
    lon = fields.Float(required=True, validate=validate.Range(-180, 180))


@blp.route("/review-queue")
class ReviewQueue(MethodView):
    @roles_required(*WRITE_ROLES)
    @blp.response(200, QueuedSiteOut(many=True))
    def get(self):
        """Addresses the geocoder could not place (DSP-1), for a dispatcher to place."""
        return queue(db.session)


@blp.route("/<int:site_id>/place")
class Place(MethodView):
    @roles_required(*WRITE_ROLES)
    @blp.arguments(PlaceIn)
    @blp.response(200, QueuedSiteOut)
    @transactional
    def post(self, data, site_id):
        """Place a queued address by hand; it joins the region holding the point."""
        return place(session=db.session, actor=current_actor(), site_id=site_id, **data)

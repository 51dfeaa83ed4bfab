"""The class-A quote on the phone: findings, cause, warranty and fee-table charges, the
customer's acceptance before work, and charges confirmed while working (VCH-3, VCH-4, VCH-15)."""

from flask.views import MethodView
from marshmallow import Schema, fields, validate

from dispatch.api.base import app_config, current_actor, technician_required
from dispatch.api.fields import UTCDateTime
from dispatch.db import db
from dispatch.idempotency import idempotent
from dispatch.quotes import fees
from dispatch.quotes import links as quote_links
from dispatch.quotes import service as quotes
from dispatch.quotes.schemas import ChargeIn, FeeItemOut, QuoteIn, QuoteOut
from dispatch.vouchers.schemas import Base64Bytes
from mobile_api.v1 import blp
from mobile_api.v1.schemas import DeviceTimeIn


class QuoteAcceptIn(Schema):
    device_time = UTCDateTime(required=True)
    accepted_by = fields.String(required=True, validate=validate.Length(min=1, max=120))
    signature = Base64Bytes(
        load_default=None,
        metadata={"description": "The customer's signature (PNG, base64); a tap needs none"},
    )


class ExtraChargeIn(ChargeIn):
    device_time = UTCDateTime(required=True)


def _shown(visit):
    return quotes.shown(db.session, visit.quote)


@blp.route("/visits/<int:visit_id>/quote")
class VisitQuote(MethodView):
    @technician_required
    @blp.response(200, QuoteOut)
    def get(self, visit_id):
        """Show my visit's quote with the product's warranty and repair rules (VCH-4)."""
        quote = quotes.for_technician(session=db.session, actor=current_actor(), visit_id=visit_id)
        return quotes.shown(db.session, quote)

    @technician_required
    @idempotent
    @blp.arguments(QuoteIn)
    @blp.response(200, QuoteOut)
    def post(self, data, visit_id):
        """Write the quote before class-A work: findings, cause, warranty and charges (VCH-3)."""
        return _shown(
            quotes.draft(session=db.session, actor=current_actor(), visit_id=visit_id, **data)
        )


@blp.route("/visits/<int:visit_id>/quote/accept")
class AcceptQuote(MethodView):
    @technician_required
    @idempotent
    @blp.arguments(QuoteAcceptIn)
    @blp.response(200, QuoteOut)
    def post(self, data, visit_id):
        """Record the customer's acceptance on this phone (signature or tap): work may start."""
        return _shown(
            quotes.accept(session=db.session, actor=current_actor(), visit_id=visit_id, **data)
        )


@blp.route("/visits/<int:visit_id>/quote/link")
class QuoteLink(MethodView):
    @technician_required
    @idempotent
    @blp.arguments(DeviceTimeIn)
    @blp.response(200, QuoteOut)
    def post(self, data, visit_id):
        """Text the customer a link to read and accept the quote on their own phone."""
        visit = quote_links.send_link(
            session=db.session,
            actor=current_actor(),
            config=app_config(),
            visit_id=visit_id,
            **data,
        )
        return _shown(visit)


@blp.route("/visits/<int:visit_id>/quote/charges")
class ExtraCharges(MethodView):
    @technician_required
    @idempotent
    @blp.arguments(ExtraChargeIn)
    @blp.response(200, QuoteOut)
    def post(self, data, visit_id):
        """Add a charge found while working; outside the fee table the customer must confirm it
        before it is collected (VCH-15)."""
        device_time = data.pop("device_time")
        visit = quotes.add_charge(
            session=db.session,
            actor=current_actor(),
            visit_id=visit_id,
            device_time=device_time,
            charge=data,
        )
        return _shown(visit)


@blp.route("/visits/<int:visit_id>/quote/charges/<int:charge_id>/confirm")
class ConfirmCharge(MethodView):
    @technician_required
    @idempotent
    @blp.arguments(DeviceTimeIn)
    @blp.response(200, QuoteOut)
    def post(self, data, visit_id, charge_id):
        """Record the customer's confirmation, on this phone, of a charge outside the fee table."""
        visit = quotes.confirm_charge(
            session=db.session,
            actor=current_actor(),
            visit_id=visit_id,
            charge_id=charge_id,
            **data,
        )
        return _shown(visit)


@blp.route("/fee-items")
class FeeTable(MethodView):
    @technician_required
    @blp.response(200, FeeItemOut(many=True))
    def get(self):
        """List the fee table in force in my region (what a quote may charge)."""
        return fees.table_for(session=db.session, actor=current_actor())

"""The fee table (admin), a visit's quote (back office) and disputes of a charge (VCH-3/4/15)."""

from flask.views import MethodView
from flask_smorest import Blueprint

from dispatch.api.base import STAFF_ROLES, app_config, current_actor, roles_required, transactional
from dispatch.db import db
from dispatch.quotes import disputes, fees
from dispatch.quotes import service as quotes
from dispatch.quotes.schemas import (
    ChargeOut,
    DisputeIn,
    FeeItemIn,
    FeeItemOut,
    FeeItemPage,
    FeeItemQuery,
    QuoteOut,
)
from dispatch.users.rules import CHARGE_DISPUTERS, FEE_TABLE_KEEPERS

blp = Blueprint("quotes", __name__, url_prefix="/api/v1", description="Fee table and quotes")


@blp.route("/fee-items")
class FeeItems(MethodView):
    @roles_required(*STAFF_ROLES)
    @blp.arguments(FeeItemQuery, location="query")
    @blp.response(200, FeeItemPage)
    def get(self, query):
        """List the fee table's prices, every version (a region's and the global ones)."""
        return fees.list_items(session=db.session, **query)

    @roles_required(*map(str, FEE_TABLE_KEEPERS))
    @blp.arguments(FeeItemIn)
    @blp.response(201, FeeItemOut)
    @transactional
    def post(self, data):
        """Add a price (a new code, or the next version of one from valid_from on)."""
        return fees.add_item(session=db.session, actor=current_actor(), **data)


@blp.route("/visits/<int:visit_id>/quote")
class VisitQuote(MethodView):
    @roles_required(*STAFF_ROLES)
    @blp.response(200, QuoteOut)
    def get(self, visit_id):
        """Show the visit's quote with the product's warranty and repair rules (VCH-3, VCH-4)."""
        quote = quotes.for_staff(session=db.session, actor=current_actor(), visit_id=visit_id)
        return quotes.shown(db.session, quote)


@blp.route("/charges/<int:charge_id>/dispute")
class DisputeCharge(MethodView):
    @roles_required(*map(str, CHARGE_DISPUTERS))
    @blp.arguments(DisputeIn)
    @blp.response(200, ChargeOut)
    @transactional
    def post(self, data, charge_id):
        """Escalate a charge the customer disputes: it opens a price complaint (VCH-15)."""
        return disputes.dispute(
            session=db.session,
            actor=current_actor(),
            config=app_config(),
            charge_id=charge_id,
            **data,
        )

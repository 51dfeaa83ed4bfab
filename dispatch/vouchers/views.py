"""Back-office voucher endpoints: read, correct, countersign (核签), amend, PDF, reconciliation."""

from flask import Response
from flask.views import MethodView
from flask_smorest import Blueprint

from dispatch.api.base import (
    MANAGER_ROLES,
    STAFF_ROLES,
    app_config,
    current_actor,
    roles_required,
    transactional,
)
from dispatch.db import db
from dispatch.errors import NotFound
from dispatch.visits.service import timezone_of
from dispatch.vouchers import amendments, pdf, reconciliation, schemas, service

blp = Blueprint(
    "vouchers", __name__, url_prefix="/api/v1", description="Service vouchers (服务凭证)"
)


@blp.route("/vouchers/<int:voucher_id>")
class VoucherById(MethodView):
    @roles_required(*STAFF_ROLES)
    @blp.response(200, schemas.VoucherDetailOut)
    def get(self, voucher_id):
        """Read a voucher with its signatures and amendments."""
        return service.get_voucher(db.session, voucher_id, actor=current_actor())

    @roles_required(*MANAGER_ROLES)  # ROL-3: managers countersign and correct vouchers
    @blp.arguments(schemas.VoucherEditIn)
    @blp.response(200, schemas.VoucherDetailOut)
    @transactional
    def patch(self, data, voucher_id):
        """Correct a voucher before it is archived; signatures given earlier become void."""
        return service.edit(db.session, actor=current_actor(), voucher_id=voucher_id, changes=data)


@blp.route("/vouchers/<int:voucher_id>/countersign")
class Countersign(MethodView):
    @roles_required(*MANAGER_ROLES)
    @blp.arguments(schemas.CountersignIn)
    @blp.response(200, schemas.VoucherDetailOut)
    @transactional
    def post(self, data, voucher_id):
        """Countersign (核签) before or after the customer; with both the voucher is archived."""
        return service.countersign(
            db.session, actor=current_actor(), voucher_id=voucher_id, signature=data
        )


@blp.route("/vouchers/<int:voucher_id>/amendments")
class Amendments(MethodView):
    @roles_required(*MANAGER_ROLES)
    @blp.arguments(schemas.AmendmentIn)
    @blp.response(201, schemas.AmendmentOut)
    @transactional
    def post(self, data, voucher_id):
        """Add an audited correction to an archived voucher."""
        return amendments.amend(db.session, actor=current_actor(), voucher_id=voucher_id, **data)


@blp.route("/vouchers/<int:voucher_id>/pdf")
class VoucherPdf(MethodView):
    @roles_required(*STAFF_ROLES)
    @blp.response(200, content_type="application/pdf")
    def get(self, voucher_id):
        """Download the voucher as a PDF with signatures and a verification QR code."""
        actor = current_actor()
        voucher = service.get_voucher(db.session, voucher_id, actor=actor)
        return pdf_response(voucher, actor)


@blp.route("/vouchers/reconciliation")
class Reconciliation(MethodView):
    @roles_required(*STAFF_ROLES)
    @blp.arguments(schemas.ReconciliationQuery, location="query")
    @blp.response(200, schemas.ReconciliationOut)
    def get(self, query):
        """Compare the day's registered requests with the vouchers issued (VCH-19)."""
        return reconciliation.for_day(
            db.session, actor=current_actor(), config=app_config(), day=query["day"]
        )


def pdf_response(voucher, actor=None) -> Response:
    """Return the voucher's PDF as a download, once it carries the record of the work (it names
    the customer: the read is logged)."""
    from dispatch.actors import customer_actor
    from dispatch.privacy.service import log_read_now

    if voucher.awaiting_record:
        raise NotFound("The voucher has no record of the work yet")
    config = app_config()
    customer_id = voucher.visit.request.customer_id
    log_read_now(
        actor or customer_actor(customer_id),
        customer_ids=[customer_id],
        fields=["name", "signature.signer_name", "signature.image_png"],
        purpose="voucher pdf",
        record="voucher",
        record_ids=[voucher.id],
    )
    body = pdf.render(
        voucher, base_url=config.public_base_url, tz=timezone_of(voucher.visit, config)
    )
    return Response(
        body,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{voucher.number}.pdf"'},
    )

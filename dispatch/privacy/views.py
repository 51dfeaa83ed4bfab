"""Privacy endpoints: consents, export, corrections, erasure, access log, disclosures, reports."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint
from sqlalchemy import select

from dispatch.api.base import app_config, current_actor, roles_required, transactional
from dispatch.customers import service as customers
from dispatch.db import db
from dispatch.privacy import reports, schemas, service
from dispatch.privacy.models import Disclosure
from dispatch.users import rules as roles

blp = Blueprint(
    "privacy",
    __name__,
    url_prefix="/api/v1",
    description="Customer-data privacy: consent, rights, access log, reports (PRV-*)",
)

RIGHTS_ROLES = tuple(map(str, roles.PRIVACY_RIGHTS))  # a customer's rights through staff
OFFICER_ROLES = tuple(map(str, roles.PRIVACY_OFFICERS))  # the access log and the reports


@blp.route("/customers/<int:customer_id>/consents")
class Consents(MethodView):
    @roles_required(*RIGHTS_ROLES)
    @blp.response(200, schemas.ConsentOut(many=True))
    def get(self, customer_id):
        """The customer's consent records, oldest first (PRV-1, PRV-2)."""
        service.ensure_visible(db.session, current_actor(), customer_id)
        return service.consents(db.session, customer_id)

    @roles_required(*RIGHTS_ROLES)
    @blp.arguments(schemas.ConsentRecordIn)
    @blp.response(201, schemas.ConsentOut)
    @transactional
    def post(self, data, customer_id):
        """Record a consent given or withdrawn, e.g. the separate marketing opt-in (PRV-2)."""
        actor = current_actor()
        customer = service.ensure_visible(db.session, actor, customer_id)
        consent = service.record_consent(db.session, actor, customer, **data)
        db.session.flush()
        return consent


@blp.route("/customers/<int:customer_id>/export")
class Export(MethodView):
    @roles_required(*RIGHTS_ROLES)
    @blp.response(200, schemas.ExportOut)
    @transactional
    def get(self, customer_id):
        """Everything kept about the customer, as JSON, for their access request (PRV-7)."""
        actor = current_actor()
        customer = service.ensure_visible(db.session, actor, customer_id)
        return service.export_data(db.session, actor, customer, via="staff")


@blp.route("/customers/<int:customer_id>/corrections")
class Corrections(MethodView):
    @roles_required(*RIGHTS_ROLES)
    @blp.arguments(schemas.CorrectionIn)
    @blp.response(201, schemas.CorrectionOut)
    @transactional
    def post(self, data, customer_id):
        """Record the customer's correction: name and e-mail apply at once (PRV-7); a phone or
        address change waits for staff approval (PRV-8)."""
        actor = current_actor()
        customer = service.ensure_visible(db.session, actor, customer_id)
        return service.request_change(
            db.session,
            actor,
            customer,
            via="staff",
            phone_region=app_config().default_phone_region,
            **data,
        )


@blp.route("/privacy/corrections")
class PendingCorrections(MethodView):
    @roles_required(*RIGHTS_ROLES)
    @blp.response(200, schemas.CorrectionOut(many=True))
    def get(self):
        """Phone and address changes waiting for approval in your regions (PRV-8)."""
        return service.pending_changes(db.session, current_actor())


@blp.route("/privacy/corrections/<int:change_id>/decision")
class CorrectionDecision(MethodView):
    @roles_required(*RIGHTS_ROLES)
    @blp.arguments(schemas.ChangeDecisionIn)
    @blp.response(200, schemas.CorrectionOut)
    @transactional
    def post(self, data, change_id):
        """Approve (the new value replaces the old) or reject a pending change (PRV-8)."""
        return service.decide_change(db.session, current_actor(), change_id, **data)


@blp.route("/customers/<int:customer_id>/erasure")
class Erasure(MethodView):
    @roles_required(*RIGHTS_ROLES)
    @blp.response(200, schemas.ErasureOut)
    @transactional
    def post(self, customer_id):
        """The customer asks for deletion: personal fields are anonymised now, unless an open
        complaint or an unpaid charge holds them back (status `held`, reason given; PRV-9)."""
        actor = current_actor()
        customer = service.ensure_visible(db.session, actor, customer_id)
        return service.request_erasure(db.session, actor, customer, via="staff")


@blp.route("/customers/<int:customer_id>/access-log")
class AccessLog(MethodView):
    @roles_required(*OFFICER_ROLES)
    @blp.response(200, schemas.AccessLogOut(many=True))
    def get(self, customer_id):
        """Every read and write of the customer's personal data (PRV-5)."""
        customers.get_customer(db.session, customer_id, actor=current_actor())
        return service.access_log(db.session, customer_id)


@blp.route("/privacy/disclosures")
class Disclosures(MethodView):
    @roles_required(*OFFICER_ROLES)
    @blp.arguments(schemas.DisclosureQuery, location="query")
    @blp.response(200, schemas.DisclosureOut(many=True))
    def get(self, query):
        """Data handed to processors (SMS gateway, geocoder, routing), newest 500 (PRV-13)."""
        stmt = select(Disclosure).order_by(Disclosure.id.desc()).limit(500)
        if "processor" in query:
            stmt = stmt.where(Disclosure.processor == query["processor"])
        if "customer_id" in query:
            stmt = stmt.where(Disclosure.customer_id == query["customer_id"])
        return list(db.session.scalars(stmt))


@blp.route("/privacy/reports/access-review")
class AccessReview(MethodView):
    @roles_required(*OFFICER_ROLES)
    @blp.response(200, schemas.AccessReviewOut)
    def get(self):
        """Which users hold which roles and regions (PRV-16)."""
        return reports.access_review(db.session)


@blp.route("/privacy/reports/data-quality")
class DataQuality(MethodView):
    @roles_required(*OFFICER_ROLES)
    @blp.response(200, schemas.DataQualityOut)
    def get(self):
        """Duplicate and invalid customer records (PRV-15)."""
        return reports.data_quality(db.session)

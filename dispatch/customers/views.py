"""Customer file endpoints for the back office."""

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import RAISE

from dispatch.api.base import (
    INTAKE_ROLES,
    SETUP_ROLES,
    STAFF_ROLES,
    app_config,
    current_actor,
    roles_required,
    transactional,
)
from dispatch.customers import schemas, service
from dispatch.customers.geocoding import geocoder_for
from dispatch.db import db
from dispatch.intake.merge import merge_customers
from dispatch.privacy import service as privacy

blp = Blueprint(
    "customers",
    __name__,
    url_prefix="/api/v1/customers",
    description="The customer file (客户档案)",
)


@blp.route("")
class Customers(MethodView):
    @roles_required(*STAFF_ROLES)
    @blp.arguments(schemas.CustomerQuery, location="query", unknown=RAISE)
    @blp.response(200, schemas.CustomerPage)
    @transactional
    def get(self, query):
        """List and search customers of your regions: whole phone (any format; INT-5), phone
        prefix, name, address text, region; keyset pages by id. Every read is logged (PRV-5)."""
        phone = query.pop("phone", None)
        if phone is not None:
            phone = service.phone_or_422(phone, app_config().default_phone_region)
        return privacy.search_customers(db.session, current_actor(), phone_e164=phone, **query)

    @roles_required(*INTAKE_ROLES)
    @blp.arguments(schemas.CustomerIn)
    @blp.response(201, schemas.CustomerOut)
    @transactional
    def post(self, data):
        """Register a customer with their consent."""
        return service.create_customer(
            session=db.session,
            actor=current_actor(),
            phone_region=app_config().default_phone_region,
            **data,
        )


@blp.route("/<int:customer_id>")
class CustomerById(MethodView):
    @roles_required(*STAFF_ROLES)
    @blp.response(200, schemas.CustomerOut)
    @transactional
    def get(self, customer_id):
        """Read one customer with sites and products (logged, PRV-5)."""
        return service.get_customer(
            db.session, customer_id, actor=current_actor(), purpose="customer file"
        )


@blp.route("/<int:customer_id>/phones")
class CustomerPhones(MethodView):
    @roles_required(*INTAKE_ROLES)
    @blp.arguments(schemas.PhoneIn)
    @blp.response(201, schemas.CustomerOut)
    @transactional
    def post(self, data, customer_id):
        """Add a further phone; any of the customer's phones finds them (INT-7)."""
        return service.add_phone(
            session=db.session,
            actor=current_actor(),
            phone_region=app_config().default_phone_region,
            customer_id=customer_id,
            **data,
        )


@blp.route("/<int:customer_id>/merge")
class MergeCustomer(MethodView):
    @roles_required(*SETUP_ROLES)
    @blp.arguments(schemas.MergeIn)
    @blp.response(200, schemas.CustomerOut)
    @transactional
    def post(self, data, customer_id):
        """Merge this duplicate into another customer, moving its whole history (INT-8)."""
        return merge_customers(
            session=db.session,
            actor=current_actor(),
            duplicate_id=customer_id,
            keep_id=data["into_customer_id"],
        )


@blp.route("/<int:customer_id>/sites")
class Sites(MethodView):
    @roles_required(*INTAKE_ROLES)
    @blp.arguments(schemas.SiteIn)
    @blp.response(201, schemas.SiteOut)
    @transactional
    def post(self, data, customer_id):
        """Add a service address; it is geocoded unless lat/lon are given."""
        return service.add_site(
            session=db.session,
            actor=current_actor(),
            geocoder=geocoder_for(app_config()),
            customer_id=customer_id,
            **data,
        )


@blp.route("/<int:customer_id>/assets")
class Assets(MethodView):
    @roles_required(*INTAKE_ROLES)
    @blp.arguments(schemas.AssetIn)
    @blp.response(201, schemas.AssetOut)
    @transactional
    def post(self, data, customer_id):
        """Record a product unit of the customer."""
        return service.add_asset(
            session=db.session, actor=current_actor(), customer_id=customer_id, **data
        )

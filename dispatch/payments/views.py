"""Finance's desk (ROL-3): payments to hand to finance, receipts and invoices (VCH-14)."""

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from dispatch.api.base import current_actor, roles_required, transactional
from dispatch.api.fields import UTCDateTime
from dispatch.api.listing import list_args, page_schema
from dispatch.db import db
from dispatch.payments import finance
from dispatch.payments.rules import InvoiceTaskKind, InvoiceTaskStatus
from dispatch.users.rules import FINANCE_READERS, FINANCE_WRITERS

blp = Blueprint("finance", __name__, url_prefix="/api/v1/finance", description="Finance")
READERS = tuple(map(str, FINANCE_READERS))
WRITERS = tuple(map(str, FINANCE_WRITERS))


class InvoiceTaskOut(Schema):
    id = fields.Integer()
    voucher_id = fields.Integer()
    voucher_number = fields.String(attribute="voucher.number")
    kind = fields.String(metadata={"enum": [k.value for k in InvoiceTaskKind]})
    status = fields.String(metadata={"enum": [s.value for s in InvoiceTaskStatus]})
    amount_cents = fields.Integer()
    collection_method = fields.String(attribute="voucher.collection_method", allow_none=True)
    collected_at = UTCDateTime(attribute="voucher.collected_at", allow_none=True)
    created_at = UTCDateTime()
    handed_over_at = UTCDateTime(allow_none=True)
    received_at = UTCDateTime(allow_none=True)
    invoice_number = fields.String(allow_none=True)
    invoice_cents = fields.Integer(allow_none=True)
    invoice_mailed_at = UTCDateTime(allow_none=True)
    closed_at = UTCDateTime(allow_none=True)


TaskQuery = list_args(
    "InvoiceTaskQuery",
    finance.TASK_SORTS,
    "created_at",
    to_hand_over=fields.Boolean(
        load_default=False,
        metadata={"description": "Only money collected on site not yet received by finance"},
    ),
    status=fields.String(
        load_default=None, validate=validate.OneOf([s.value for s in InvoiceTaskStatus])
    ),
    kind=fields.String(
        load_default=None, validate=validate.OneOf([k.value for k in InvoiceTaskKind])
    ),
)
TaskPage = page_schema(InvoiceTaskOut, "InvoiceTaskPage")


class InvoiceIn(Schema):
    number = fields.String(required=True, validate=validate.Length(min=1, max=64))
    amount_cents = fields.Integer(required=True, validate=validate.Range(1, 100_000_000))
    mailed_at = UTCDateTime(load_default=None, metadata={"description": "When it was mailed"})


@blp.route("/tasks")
class Tasks(MethodView):
    @roles_required(*READERS)
    @blp.arguments(TaskQuery, location="query")
    @blp.response(200, TaskPage)
    def get(self, query):
        """List finance's tasks by voucher: money to hand to finance, invoices to issue."""
        return finance.list_tasks(session=db.session, actor=current_actor(), **query)


def _step(rule: str, endpoint: str, action, summary: str, schema=None):
    """Register one finance write on a task: finance and the administrator only."""

    def view(self, *args, task_id):
        data = args[0] if args else {}
        return action(session=db.session, actor=current_actor(), task_id=task_id, **data)

    view.__doc__ = summary
    view = transactional(view)
    view = blp.response(200, InvoiceTaskOut)(view)
    if schema is not None:
        view = blp.arguments(schema)(view)
    view = roles_required(*WRITERS)(view)
    blp.route(rule, endpoint=endpoint)(type(endpoint, (MethodView,), {"post": view}))


_step(
    "/tasks/<int:task_id>/handed-over",
    "HandOverPayment",
    finance.hand_over,
    "Mark the money collected on site as handed to finance.",
)
_step(
    "/tasks/<int:task_id>/received",
    "ReceivePayment",
    finance.receive,
    "Mark the handed-over money as received by finance.",
)
_step(
    "/tasks/<int:task_id>/invoice",
    "RecordInvoice",
    finance.record_invoice,
    "Record the invoice (number, amount, mailed) from the voucher; it closes the task.",
    schema=InvoiceIn,
)

"""Import every model so the metadata (Alembic, mappers) sees all tables."""

from dispatch.alerts.models import StaffAlert
from dispatch.assessments.models import Assessment
from dispatch.assignments.models import JobAssignment, JobTransfer, ShiftClosure
from dispatch.attachments.models import Attachment
from dispatch.audit import AuditEntry
from dispatch.booking.calls import CallTask
from dispatch.complaints.first_response import RequestFirstResponse
from dispatch.complaints.models import (
    Complaint,
    ComplaintClock,
    ComplaintEscalation,
    ComplaintStep,
    ComplaintTransfer,
)
from dispatch.complaints.records import (
    Compensation,
    ComplaintAppeal,
    ComplaintAssist,
    ComplaintEvidence,
    ComplaintJob,
    ComplaintRoute,
    SpecialNote,
)
from dispatch.customers.models import Asset, Customer, CustomerPhone, Site
from dispatch.db import Base
from dispatch.devices.models import DeviceSession
from dispatch.followups.models import FollowUp
from dispatch.idempotency import IdempotentResponse
from dispatch.intake.assessment import RequestAssessment
from dispatch.intake.clocks import RequestClock
from dispatch.intake.contact_log import RequestContact
from dispatch.intake.models import ServiceRequest
from dispatch.jobparts.models import JobPart
from dispatch.knowledge.models import (
    KbCategory,
    KbEntry,
    KbFeedback,
    KbPackage,
    KbQueueItem,
    KbTerm,
    KbTopic,
    KbUsageEvent,
    KbVersion,
    KbVocabulary,
)
from dispatch.links.models import CustomerLink
from dispatch.locationmodes.models import JobLocationMode
from dispatch.notifications.models import SmsMessage
from dispatch.numbering import NumberCounter
from dispatch.opinions.models import Opinion, OpinionReply
from dispatch.outbox import OutboxMessage
from dispatch.parts.models import Part
from dispatch.payments.models import InvoiceTask
from dispatch.photos.models import Photo
from dispatch.privacy.models import (
    AccessLogEntry,
    ConsentRecord,
    CustomerSearchTerm,
    DataChangeRequest,
    Disclosure,
    ErasureRequest,
    LocationConsent,
    TechnicianPosition,
)
from dispatch.quotes.models import Charge, FeeItem, Quote
from dispatch.regions.models import Region
from dispatch.reports.models import ReportRun
from dispatch.returnvisits.models import ReturnVisit, ReturnVisitPlan
from dispatch.routing.models import RoutePlan
from dispatch.serviceplans.models import ServicePlan
from dispatch.technicians.models import Absence, Shift, Technician
from dispatch.users.models import User
from dispatch.visits.models import Visit
from dispatch.vouchers.models import ServiceVoucher, VoucherAmendment, VoucherSignature
from dispatch.webform.models import PhoneCode, WebRequest

__all__ = [
    "PhoneCode",
    "ServicePlan",
    "WebRequest",
    "AccessLogEntry",
    "ConsentRecord",
    "CustomerSearchTerm",
    "DataChangeRequest",
    "Disclosure",
    "ErasureRequest",
    "LocationConsent",
    "TechnicianPosition",
    "Assessment",
    "Absence",
    "Asset",
    "Attachment",
    "AuditEntry",
    "Base",
    "Compensation",
    "Complaint",
    "ComplaintAppeal",
    "ComplaintAssist",
    "ComplaintClock",
    "ComplaintEscalation",
    "ComplaintEvidence",
    "ComplaintJob",
    "ComplaintRoute",
    "ComplaintStep",
    "ComplaintTransfer",
    "Customer",
    "CustomerPhone",
    "CustomerLink",
    "DeviceSession",
    "FollowUp",
    "IdempotentResponse",
    "InvoiceTask",
    "JobAssignment",
    "JobLocationMode",
    "JobPart",
    "JobTransfer",
    "KbCategory",
    "KbEntry",
    "KbFeedback",
    "KbPackage",
    "KbQueueItem",
    "KbTerm",
    "KbTopic",
    "KbUsageEvent",
    "KbVersion",
    "KbVocabulary",
    "NumberCounter",
    "Opinion",
    "OpinionReply",
    "OutboxMessage",
    "Part",
    "Photo",
    "Region",
    "ReportRun",
    "ReturnVisit",
    "ReturnVisitPlan",
    "RequestFirstResponse",
    "RoutePlan",
    "CallTask",
    "Charge",
    "FeeItem",
    "Quote",
    "RequestAssessment",
    "RequestClock",
    "RequestContact",
    "ServiceRequest",
    "ServiceVoucher",
    "Shift",
    "ShiftClosure",
    "Site",
    "SmsMessage",
    "SpecialNote",
    "StaffAlert",
    "Technician",
    "User",
    "Visit",
    "VoucherAmendment",
    "VoucherSignature",
]

"""The role catalogue (ROL-1) and who may do what (ROL-3): one table for every module.

Views name a group of this module in `roles_required(...)`; loaders add the record-level rules
(region, own technician, personal-data window) through `dispatch.access`. A new role is one
line in `Role` and its place in the groups below.
"""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    """Every role a staff member or technician can hold (customers act through links only)."""

    CS_AGENT = "cs_agent"  # customer-service agent at the front desk (intake, phone calls)
    DISPATCHER = "dispatcher"
    MANAGER = "manager"  # service manager of a region: countersigns, plans, appoints
    DEPARTMENT_HEAD = "department_head"
    COMPLAINT_HANDLER = "complaint_handler"
    FOLLOWUP_AGENT = "followup_agent"  # 回访 by phone
    CS_MANAGER = "cs_manager"  # customer-service centre manager
    VP_IN_CHARGE = "vp_in_charge"
    GENERAL_MANAGER = "general_manager"
    FINANCE = "finance"
    KB_AUTHOR = "kb_author"
    KB_REVIEWER = "kb_reviewer"
    KB_ADMIN = "kb_admin"
    QUALITY = "quality"  # quality monitor: reads everything, changes nothing
    PRIVACY_OFFICER = "privacy_officer"
    ADMIN = "admin"  # system administrator
    TECHNICIAN = "technician"
    DEALER = "dealer"  # optional: a dealer's desk registering requests for its customers


R = Role
ROLES = tuple(Role)

# Head-office roles: their work spans every region. Everyone else sees the regions they serve.
ALL_REGION_ROLES = frozenset(
    {R.ADMIN, R.QUALITY, R.CS_MANAGER, R.VP_IN_CHARGE, R.GENERAL_MANAGER, R.FINANCE}
    | {R.PRIVACY_OFFICER}
)
# Read the back office's records (customers, requests, visits, vouchers, follow-ups, reports).
BACK_OFFICE = (
    R.DISPATCHER,
    R.CS_AGENT,
    R.MANAGER,
    R.QUALITY,
    R.ADMIN,
    R.DEPARTMENT_HEAD,
    R.COMPLAINT_HANDLER,
    R.FOLLOWUP_AGENT,
    R.CS_MANAGER,
    R.VP_IN_CHARGE,
    R.GENERAL_MANAGER,
    R.FINANCE,
    R.PRIVACY_OFFICER,
)
# Take in customers, sites, products and requests.
INTAKE = (R.CS_AGENT, R.DISPATCHER, R.DEALER, R.MANAGER, R.ADMIN)
# ROL-3: only dispatchers and managers assign, book, move, cancel and plan jobs (the system
# administrator keeps the hand of last resort).
ASSIGNERS = (R.DISPATCHER, R.MANAGER, R.ADMIN)
# ROL-3: only managers countersign and amend vouchers.
COUNTERSIGNERS = (R.MANAGER, R.ADMIN)
# Follow-up calls (回访) and their outcome.
FOLLOWUP_CALLERS = (R.FOLLOWUP_AGENT, R.CS_AGENT, *ASSIGNERS)
# FUP-8/11: who takes, answers and closes customers' opinions in a department's inbox.
OPINION_HANDLERS = (
    *FOLLOWUP_CALLERS,
    R.DEPARTMENT_HEAD,
    R.COMPLAINT_HANDLER,
    R.CS_MANAGER,
)
# FUP-9: who sets up periodic return visits (定期回访) per service class or product.
RETURN_PLAN_KEEPERS = (R.MANAGER, R.CS_MANAGER, R.ADMIN)
# ROL-3: payments and invoices are finance's (reconciliation of charges).
FINANCE_READERS = (R.FINANCE, R.MANAGER, R.ADMIN, R.QUALITY)
# ROL-3: only finance (and the administrator) records hand-overs, receipts and invoices.
FINANCE_WRITERS = (R.FINANCE, R.ADMIN)
# VCH-3: the configured fee table is kept by the administrator.
FEE_TABLE_KEEPERS = (R.ADMIN,)
# VCH-15: who escalates a charge the customer disputes (a price complaint follows).
CHARGE_DISPUTERS = (R.CS_AGENT, R.DISPATCHER, R.MANAGER, R.COMPLAINT_HANDLER, R.FINANCE, R.ADMIN)
# Managers' reports (RPT-10: the quality monitor reads every one), region-scoped.
REPORT_READERS = (
    R.DISPATCHER,
    R.MANAGER,
    R.QUALITY,
    R.ADMIN,
    R.DEPARTMENT_HEAD,
    R.CS_MANAGER,
    R.VP_IN_CHARGE,
    R.GENERAL_MANAGER,
)
# PRV-7/8/9: act on a customer's rights (consent, export, corrections, erasure) through staff.
PRIVACY_RIGHTS = (R.CS_AGENT, *ASSIGNERS, R.PRIVACY_OFFICER)
# PRV-5/13/15/16: the access log, disclosures and the privacy reports.
PRIVACY_OFFICERS = (R.PRIVACY_OFFICER, R.ADMIN)
# Set the service up: regions, technicians' profiles, the parts catalogue, complaint routes,
# customer merges (INT-8).
SETUP = (R.MANAGER, R.ADMIN)
# VCH-5: approve a technician's diagnosis and proposed solution before the customer gets it.
ASSESSMENT_APPROVERS = (R.MANAGER, R.DEPARTMENT_HEAD, R.ADMIN)
# ROL-1: create user accounts, change their roles and regions, deactivate them (ROL-6).
USER_ADMINS = (R.ADMIN,)
# ROL-4: see the staff and the open work a leaver owns, and hand it over.
STAFF_SUPERVISORS = (R.ADMIN, R.MANAGER)
# KB-1..KB-14: write, review and administer the knowledge base; its reports.
KB_AUTHORS = (R.KB_AUTHOR, R.KB_REVIEWER, R.KB_ADMIN, R.TECHNICIAN, R.MANAGER, R.ADMIN)
KB_REVIEWERS = (R.KB_REVIEWER, R.KB_ADMIN)
KB_ADMINS = (R.KB_ADMIN, R.ADMIN)
KB_REPORT_READERS = (*KB_ADMINS, R.QUALITY)
KB_READERS = (*KB_AUTHORS, R.DISPATCHER, R.QUALITY)
# Who may hold open work (an owner of a request, visit or complaint); technicians hold visits.
STAFF = tuple(role for role in Role if role is not R.TECHNICIAN)

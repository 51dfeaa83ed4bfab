"""The access matrix: ONE table of who may call each operation of /openapi.json, and where.

Each row is keyed "METHOD /path" exactly as /openapi.json spells it. `roles` may call the
operation (everyone else: 403); `scope` says what decides beyond the role:

- REGION: the record's region. Every role's user serves region 1; on region 2's records a
  region-bound role gets 404, a head-office role (dispatch.users.rules.ALL_REGION_ROLES) works.
  A write checked with an empty body may answer 422 before the loader: give the row a `body`
  to prove its region rule too.
- LIST: a list or report; the region filter of its rows is proven in test_region_probes.
- GLOBAL: no record-level rule (catalogues, searches, creating records).
- OWN_VISIT: technicians, on their own visit (tech_a) it works; on another's (tech_b) 404.
- PUBLIC: answers without a token (login).
- REFRESH: needs a refresh token; an access token never refreshes (401/403/422).
- SESSION: ends the caller's own session (every role; run last with a fresh token).

"Works" means any answer but 401, 403, 404 and 5xx (a 409 or 422 on the fixtures' state is
fine). `missing_ok` lets 404 count as working where the fixture has no such sub-record.
To row a new operation, add one line; the test names every operation without a row.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from dispatch.users.rules import (
    ASSIGNERS,
    BACK_OFFICE,
    CHARGE_DISPUTERS,
    COUNTERSIGNERS,
    FEE_TABLE_KEEPERS,
    FINANCE_READERS,
    FINANCE_WRITERS,
    FOLLOWUP_CALLERS,
    INTAKE,
    OPINION_HANDLERS,
    PRIVACY_OFFICERS,
    PRIVACY_RIGHTS,
    REPORT_READERS,
    RETURN_PLAN_KEEPERS,
    ROLES,
    Role,
)

REGION, LIST, GLOBAL, OWN_VISIT = "region", "list", "global", "own_visit"
PUBLIC, REFRESH, SESSION = "public", "refresh", "session"

R = Role
TECH = (R.TECHNICIAN,)
MANAGERS = (R.MANAGER, R.ADMIN)
GOVERNANCE = (R.COMPLAINT_HANDLER, R.CS_MANAGER, R.DEPARTMENT_HEAD, R.VP_IN_CHARGE)
CASE = (*ASSIGNERS, *GOVERNANCE, R.GENERAL_MANAGER)
ROUTE_SETTERS = (*MANAGERS, R.CS_MANAGER, R.DEPARTMENT_HEAD, R.GENERAL_MANAGER)
KB_READERS = (R.KB_AUTHOR, R.KB_REVIEWER, R.KB_ADMIN, R.MANAGER, R.ADMIN, R.DISPATCHER, R.QUALITY)
KB_AUTHORS = (R.KB_AUTHOR, R.KB_REVIEWER, R.KB_ADMIN, R.TECHNICIAN, R.MANAGER, R.ADMIN)
KB_ADMINS = (R.KB_ADMIN, R.ADMIN)
USER_KEEPERS = (R.ADMIN, R.MANAGER)
EVERYONE = ROLES
UPLOADERS = (*INTAKE, R.DISPATCHER, R.MANAGER, R.ADMIN, *GOVERNANCE, R.GENERAL_MANAGER)
OWNERS = {"requests": "request_id", "visits": "done_visit_id", "complaints": "complaint_id"}
REASON = {"reason": "Customer asked for it by phone"}


@dataclass(frozen=True)
class Row:
    roles: tuple
    scope: str
    body: dict | None = None  # a valid body, so the loader's answer shows on writes
    query: str = ""
    ids: dict[str, str] = field(default_factory=dict)  # path parameter → Records attribute
    missing_ok: bool = False
    headers: dict[str, str] = field(default_factory=dict)
    refused_inside: tuple = ()  # roles that reach the use case and are refused by its own rule


def row(roles, scope, refused_inside=(), **kw) -> Row:
    return Row(
        tuple(str(r) for r in roles),
        scope,
        refused_inside=tuple(str(r) for r in refused_inside),
        **kw,
    )


V = "/api/v1"
M = "/mobile/v1"
KB = f"{V}/knowledge"
MATRIX: dict[str, Row] = {
    # Staff login and users
    f"POST {V}/auth/login": row(EVERYONE, PUBLIC),
    f"POST {V}/auth/refresh": row(EVERYONE, REFRESH),
    f"POST {V}/auth/logout": row(EVERYONE, SESSION),
    f"POST {V}/auth/session": row(EVERYONE, PUBLIC),
    f"DELETE {V}/auth/session": row(EVERYONE, SESSION),
    f"POST {V}/users": row((R.ADMIN,), GLOBAL),
    f"PATCH {V}/users/{{user_id}}": row((R.ADMIN,), REGION, body={}),
    f"GET {V}/users/{{user_id}}/open-items": row(USER_KEEPERS, REGION),
    f"POST {V}/users/{{user_id}}/hand-over": row(USER_KEEPERS, REGION),
    f"POST {V}/users/{{user_id}}/deactivate": row((R.ADMIN,), REGION),
    # Customers and intake
    f"GET {V}/customers": row(BACK_OFFICE, LIST, query="phone=13800138001"),
    f"POST {V}/customers": row(INTAKE, GLOBAL),
    f"GET {V}/customers/{{customer_id}}": row(BACK_OFFICE, REGION),
    f"POST {V}/customers/{{customer_id}}/sites": row(
        # Outside every region, so a head office's write never moves the customer's regions.
        INTAKE,
        REGION,
        body={"address": "北京市东城区1号", "lat": 39.9, "lon": 116.4},
    ),
    f"POST {V}/customers/{{customer_id}}/assets": row(
        INTAKE, REGION, body={"model": "KX-2200", "serial": "SN-MATRIX"}
    ),
    f"POST {V}/requests": row(INTAKE, GLOBAL),
    f"GET {V}/requests/{{request_id}}": row(BACK_OFFICE, REGION),
    f"POST {V}/requests/{{request_id}}/close": row(ASSIGNERS, REGION),
    f"POST {V}/requests/{{request_id}}/owner": row(
        ASSIGNERS, REGION, body={"owner_id": None, **REASON}
    ),
    f"GET {V}/requests/{{request_id}}/slots": row(
        BACK_OFFICE, REGION, query="days=1&duration_minutes=60"
    ),
    f"GET {V}/requests/contact-overdue": row(BACK_OFFICE, LIST),
    # Intake and appointments (issue 17: INT-5..17, APT-1..12)
    f"GET {V}/requests/answer-overdue": row(BACK_OFFICE, LIST),
    f"GET {V}/requests/unconfirmed": row(BACK_OFFICE, LIST),
    f"GET {V}/requests/customer-file/{{customer_id}}": row(BACK_OFFICE, REGION),
    f"GET {V}/requests/{{request_id}}/timeline": row(BACK_OFFICE, REGION),
    **{
        f"POST {V}/requests/{{request_id}}/{step}": row(ASSIGNERS, REGION)
        for step in (
            "contacts",
            "read-back",
            "diagnosis",
            "resolve",
            "scope",
            "supplement",
            "new-need",
        )
    },
    # Service plans agreed before dispatch (INT-12); a request has none until one is drafted.
    f"GET {V}/requests/{{request_id}}/plan": row(BACK_OFFICE, REGION, missing_ok=True),
    f"POST {V}/requests/{{request_id}}/plan": row(
        ASSIGNERS, REGION, body={"remedy": "Replace the drive belt"}
    ),
    **{
        f"POST {V}/requests/{{request_id}}/plan/{step}": row(ASSIGNERS, REGION, missing_ok=True)
        for step in ("propose", "agree")
    },
    f"POST {V}/requests/{{request_id}}/plan/reject": row(
        ASSIGNERS, REGION, body={"reason": "Too dear"}, missing_ok=True
    ),
    # The public web form (INT-15): anonymous doors, and the queue staff register from
    f"POST {V}/web-requests/codes": row(EVERYONE, PUBLIC),
    f"POST {V}/web-requests": row(EVERYONE, PUBLIC),
    f"GET {V}/web-requests": row(BACK_OFFICE, LIST),
    f"POST {V}/web-requests/{{web_request_id}}/register": row(
        INTAKE, REGION, body={"service_class": "A"}
    ),
    f"POST {V}/customers/{{customer_id}}/merge": row(MANAGERS, REGION),
    f"POST {V}/customers/{{customer_id}}/phones": row(INTAKE, REGION),
    f"POST {V}/visits/{{visit_id}}/confirm": row(ASSIGNERS, REGION),
    f"GET {V}/call-tasks": row(BACK_OFFICE, LIST),
    f"POST {V}/call-tasks/{{task_id}}/resolve": row(ASSIGNERS, REGION, missing_ok=True),
    f"POST {M}/visits/{{visit_id}}/delay": row(TECH, OWN_VISIT),
    f"POST {M}/visits/{{visit_id}}/follow-on": row(TECH, OWN_VISIT),  # APT-4
    # Dispatch, on site and after (issue 17: DSP, VCH, FUP)
    f"GET {V}/visits/{{visit_id}}/assignments": row(BACK_OFFICE, REGION),
    f"POST {V}/visits/{{visit_id}}/simple": row(ASSIGNERS, REGION),
    f"POST {V}/visits/{{visit_id}}/handover": row(ASSIGNERS, REGION),
    f"POST {V}/visits/{{visit_id}}/hazard": row(ASSIGNERS, REGION),
    # region 1 of the matrix world may carry another id: these rows prove the role rule only
    f"GET {V}/regions/{{region_id}}/day-end": row(
        BACK_OFFICE, LIST, query="day=2026-12-07", missing_ok=True
    ),
    f"POST {V}/regions/{{region_id}}/shift-close": row(ASSIGNERS, LIST, missing_ok=True),
    f"POST {V}/regions/{{region_id}}/emergency-sla": row(MANAGERS, LIST, missing_ok=True),
    f"POST {V}/regions/{{region_id}}/contact-window": row(
        (R.ADMIN,), LIST, body={"start": "09:00", "end": "20:00"}, missing_ok=True
    ),
    f"GET {V}/regions/{{region_id}}/calendar": row(
        BACK_OFFICE, LIST, query="start=2026-12-01&days=7", missing_ok=True
    ),
    f"POST {V}/requests/{{request_id}}/transfer": row(ASSIGNERS, REGION),
    f"GET {V}/transfers": row(BACK_OFFICE, LIST),
    f"GET {V}/requests/{{request_id}}/parts": row(BACK_OFFICE, REGION),
    f"POST {V}/requests/{{request_id}}/parts": row(ASSIGNERS, REGION),
    f"POST {V}/job-parts/{{job_part_id}}/status": row(ASSIGNERS, REGION, missing_ok=True),
    # VCH-17: where the job's work happens and the appointments it needs
    f"GET {V}/requests/{{request_id}}/location-mode": row(BACK_OFFICE, REGION),
    f"POST {V}/requests/{{request_id}}/location-mode": row(
        ASSIGNERS, REGION, body={"mode": "on_site"}
    ),
    # VCH-3: the fee table (admin keeps it); VCH-4: a visit's quote; VCH-15: disputes
    f"GET {V}/fee-items": row(BACK_OFFICE, GLOBAL),
    f"POST {V}/fee-items": row(
        FEE_TABLE_KEEPERS,
        GLOBAL,
        body={"code": "X1", "name_zh": "检测", "name_en": "Check", "price_cents": 1, "unit": "次"},
    ),
    f"GET {V}/visits/{{visit_id}}/quote": row(BACK_OFFICE, REGION, missing_ok=True),
    f"POST {V}/charges/{{charge_id}}/dispute": row(
        CHARGE_DISPUTERS, REGION, missing_ok=True, body={"reason": "Too dear"}
    ),
    # ROL-3: payments and invoices are finance's (managers and quality read)
    f"GET {V}/finance/tasks": row(FINANCE_READERS, LIST),
    f"POST {V}/finance/tasks/{{task_id}}/handed-over": row(
        FINANCE_WRITERS, REGION, missing_ok=True
    ),
    f"POST {V}/finance/tasks/{{task_id}}/received": row(FINANCE_WRITERS, REGION, missing_ok=True),
    f"POST {V}/finance/tasks/{{task_id}}/invoice": row(
        FINANCE_WRITERS, REGION, missing_ok=True, body={"number": "INV-1", "amount_cents": 100}
    ),
    f"POST {V}/assessments/{{assessment_id}}/decision": row(
        (R.MANAGER, R.DEPARTMENT_HEAD, R.ADMIN), REGION, missing_ok=True
    ),
    f"POST {V}/followups/{{followup_id}}/delegate": row(ASSIGNERS, REGION),
    f"POST {V}/followups/{{followup_id}}/reopen-job": row(ASSIGNERS, REGION),
    f"GET {V}/sites/review-queue": row(ASSIGNERS, LIST),
    f"POST {V}/sites/{{site_id}}/place": row(ASSIGNERS, REGION, missing_ok=True),
    **{
        f"POST {M}/visits/{{visit_id}}/{step}": row(TECH, OWN_VISIT)
        for step in ("accept", "assessment", "safety-check")
    },
    # Booking, visits, routing (ROL-3: dispatchers and managers assign)
    f"POST {V}/requests/{{request_id}}/visits": row(ASSIGNERS, REGION),
    f"POST {V}/visits/{{visit_id}}/reschedule": row(ASSIGNERS, REGION),
    f"POST {V}/visits/{{visit_id}}/cancel": row(ASSIGNERS, REGION, body=REASON),
    f"POST {V}/visits/{{visit_id}}/no-show": row(ASSIGNERS, REGION, body=REASON),
    f"GET {V}/visits/{{visit_id}}": row(BACK_OFFICE, REGION),
    f"POST {V}/visits/{{visit_id}}/release": row(ASSIGNERS, REGION, body=REASON),
    f"POST {V}/visits/{{visit_id}}/insertion": row(ASSIGNERS, REGION, body={}),
    f"POST {V}/visits/{{visit_id}}/pin": row(
        ASSIGNERS, REGION, body={"pin_technician": False, "reason": "Customer asked for her"}
    ),
    f"GET {V}/technicians": row(BACK_OFFICE, LIST),
    f"POST {V}/technicians": row(MANAGERS, GLOBAL),
    f"POST {V}/technicians/{{technician_id}}/absences": row((R.DISPATCHER, *MANAGERS), REGION),
    f"POST {V}/technicians/{{technician_id}}/shifts": row((R.DISPATCHER, *MANAGERS), REGION),
    f"POST {V}/plans": row(ASSIGNERS, GLOBAL),
    f"GET {V}/plans/{{plan_id}}": row(BACK_OFFICE, REGION),
    f"POST {V}/plans/{{plan_id}}/accept": row(ASSIGNERS, REGION),
    f"POST {V}/plans/{{plan_id}}/discard": row(ASSIGNERS, REGION),
    f"GET {V}/backlog": row(BACK_OFFICE, LIST),
    # The dispatcher's desk (issue 12); region 1 of the matrix world may carry another id
    f"GET {V}/dayboard/regions": row(BACK_OFFICE, GLOBAL),
    f"GET {V}/dayboard": row(
        BACK_OFFICE, LIST, query="region_id=1&day=2026-12-07", missing_ok=True
    ),
    f"GET {V}/desk/caller": row(BACK_OFFICE, LIST, query="phone=13800138001"),
    f"GET {V}/desk/complaints": row(BACK_OFFICE, LIST),
    # Customer-data privacy (PRV-1..16)
    f"GET {V}/customers/{{customer_id}}/consents": row(PRIVACY_RIGHTS, REGION),
    f"POST {V}/customers/{{customer_id}}/consents": row(PRIVACY_RIGHTS, REGION),
    f"GET {V}/customers/{{customer_id}}/export": row(PRIVACY_RIGHTS, REGION),
    f"POST {V}/customers/{{customer_id}}/corrections": row(PRIVACY_RIGHTS, REGION),
    f"POST {V}/customers/{{customer_id}}/erasure": row(PRIVACY_RIGHTS, REGION),
    f"GET {V}/privacy/corrections": row(PRIVACY_RIGHTS, LIST),
    f"POST {V}/privacy/corrections/{{change_id}}/decision": row(
        PRIVACY_RIGHTS, REGION, missing_ok=True
    ),
    f"GET {V}/customers/{{customer_id}}/access-log": row(PRIVACY_OFFICERS, REGION),
    f"GET {V}/privacy/disclosures": row(PRIVACY_OFFICERS, LIST),
    f"GET {V}/privacy/reports/access-review": row(PRIVACY_OFFICERS, LIST),
    f"GET {V}/privacy/reports/data-quality": row(PRIVACY_OFFICERS, LIST),
    f"PUT {M}/location-consent": row(TECH, GLOBAL),
    f"POST {M}/positions": row(TECH, GLOBAL),
    # Lists and links (issue 12)
    f"GET {V}/requests": row(BACK_OFFICE, LIST),
    f"GET {V}/visits": row(BACK_OFFICE, LIST),
    f"GET {V}/users": row(USER_KEEPERS, LIST),
    f"GET {V}/messages": row(BACK_OFFICE, LIST),
    f"GET {V}/requests/{{request_id}}/links": row(BACK_OFFICE, REGION),
    f"GET {V}/visits/{{visit_id}}/links": row(BACK_OFFICE, REGION),
    f"POST {V}/links/{{link_id}}/resend": row(
        ASSIGNERS, REGION, body={}, headers={"Idempotency-Key": "matrix-resend"}
    ),
    # Attachments (INT-16, CMP-12)
    **{
        f"GET {V}/{kind}/{{owner_id}}/attachments": row(
            BACK_OFFICE, REGION, ids={"owner_id": attribute}
        )
        for kind, attribute in OWNERS.items()
    },
    **{
        f"POST {V}/{kind}/{{owner_id}}/attachments": row(
            UPLOADERS, REGION, ids={"owner_id": attribute}
        )
        for kind, attribute in OWNERS.items()
    },
    f"GET {V}/attachments/{{attachment_id}}": row(BACK_OFFICE, REGION),
    f"GET {V}/attachments/{{attachment_id}}/content": row(BACK_OFFICE, REGION),
    f"GET {M}/visits/{{visit_id}}/attachments": row(TECH, OWN_VISIT),
    f"POST {M}/visits/{{visit_id}}/attachments": row(TECH, OWN_VISIT),
    f"GET {M}/attachments/{{attachment_id}}/content": row(TECH, OWN_VISIT),
    f"GET {V}/regions": row(BACK_OFFICE, GLOBAL),
    f"POST {V}/regions": row(MANAGERS, GLOBAL),
    # Vouchers (ROL-3: only managers countersign), photos, parts
    f"GET {V}/vouchers/{{voucher_id}}": row(BACK_OFFICE, REGION),
    f"PATCH {V}/vouchers/{{voucher_id}}": row(COUNTERSIGNERS, REGION, body={}),
    f"POST {V}/vouchers/{{voucher_id}}/countersign": row(COUNTERSIGNERS, REGION),
    f"POST {V}/vouchers/{{voucher_id}}/amendments": row(COUNTERSIGNERS, REGION),
    f"GET {V}/vouchers/{{voucher_id}}/pdf": row(BACK_OFFICE, REGION),
    f"GET {V}/vouchers/reconciliation": row(BACK_OFFICE, LIST, query="day=2026-12-01"),
    f"GET {V}/visits/{{visit_id}}/photos": row(BACK_OFFICE, REGION),
    f"GET {V}/photos/{{photo_id}}/content": row(BACK_OFFICE, REGION),
    f"GET {V}/parts": row(BACK_OFFICE, GLOBAL),
    f"POST {V}/parts/import": row(MANAGERS, GLOBAL),
    # Follow-ups, complaints, alerts, reports
    f"GET {V}/followups": row(BACK_OFFICE, LIST),
    f"GET {V}/followups/{{followup_id}}": row(BACK_OFFICE, REGION),
    f"POST {V}/followups/{{followup_id}}/phone-outcome": row(
        FOLLOWUP_CALLERS, REGION, body={"rating": 5}
    ),
    # Opinions per department (FUP-8, FUP-11) and periodic return visits (FUP-9)
    f"GET {V}/opinions": row(BACK_OFFICE, LIST),
    f"GET {V}/opinions/{{opinion_id}}": row(BACK_OFFICE, REGION),
    f"POST {V}/opinions/{{opinion_id}}/acknowledge": row(OPINION_HANDLERS, REGION),
    f"POST {V}/opinions/{{opinion_id}}/replies": row(
        OPINION_HANDLERS,
        REGION,
        body={"text": "We will call you tomorrow"},
        headers={"Idempotency-Key": "matrix-opinion-reply"},
    ),
    f"POST {V}/opinions/{{opinion_id}}/close": row(OPINION_HANDLERS, REGION),
    f"GET {V}/return-visit-plans": row(BACK_OFFICE, GLOBAL),
    f"POST {V}/return-visit-plans": row(RETURN_PLAN_KEEPERS, GLOBAL),
    f"PATCH {V}/return-visit-plans/{{return_plan_id}}": row(
        RETURN_PLAN_KEEPERS, GLOBAL, body={}, missing_ok=True
    ),
    f"GET {V}/return-visits": row(BACK_OFFICE, LIST),
    f"GET {V}/return-visits/{{return_visit_id}}": row(BACK_OFFICE, REGION),
    f"POST {V}/return-visits/{{return_visit_id}}/outcome": row(
        FOLLOWUP_CALLERS, REGION, body={"outcome": "satisfied"}
    ),
    f"GET {V}/complaints": row(BACK_OFFICE, LIST),
    f"POST {V}/complaints": row(CASE, GLOBAL),
    f"GET {V}/complaints/{{complaint_id}}": row(BACK_OFFICE, REGION),
    **{
        f"POST {V}/complaints/{{complaint_id}}/{step}": row(CASE, REGION)
        for step in (
            "responses",
            "transfer",
            "forward",
            "case-decision",
            "investigation",
            "assists",
            "plan",
            "decision",
            "appeal-decision",
            "gm-decision",
            "review",
            "jobs",
            "service-report",
            "resolve",
            "follow-up",
            "close",
            "special-notes",
        )
    },
    f"POST {V}/complaints/{{complaint_id}}/assists/{{assist_id}}/done": row(
        CASE, REGION, missing_ok=True
    ),
    f"GET {V}/complaints/customers/{{customer_id}}/special-notes": row(BACK_OFFICE, REGION),
    f"GET {V}/complaints/requests/{{request_id}}/special-notes": row(BACK_OFFICE, REGION),
    f"GET {V}/complaints/service-reports": row(BACK_OFFICE, LIST),
    f"POST {V}/complaints/compensations": row(CASE, GLOBAL),
    f"GET {V}/complaints/routes": row(BACK_OFFICE, GLOBAL),
    f"POST {V}/complaints/routes": row(ROUTE_SETTERS, GLOBAL),
    f"POST {V}/complaints/requests/{{request_id}}/first-response": row(CASE, REGION),
    f"GET {V}/alerts": row(BACK_OFFICE, GLOBAL),
    **{
        f"GET {V}/reports/{name}": row(REPORT_READERS, LIST)
        for name in (
            "sla",
            "complaints",
            "customers",
            "followups",
            "management/cases",
            "management/causes",
            "quality/faults",
            "quality/jobs",
            "requests",
            "requests/demand",
            "runs",
            "satisfaction",
            "technicians",
        )
    },
    f"GET {V}/reports/runs/{{run_id}}": row(REPORT_READERS, REGION, missing_ok=True),
    # Knowledge base (ROL-3: reviewers publish; KB-6)
    f"GET {KB}/tree": row(KB_READERS, GLOBAL),
    f"POST {KB}/{{kind}}": row(KB_ADMINS, GLOBAL),
    f"POST {KB}/entries": row(KB_AUTHORS, GLOBAL),
    f"POST {KB}/import": row(KB_AUTHORS, GLOBAL),
    f"POST {KB}/import.csv": row(KB_AUTHORS, GLOBAL),
    f"GET {KB}/search": row(KB_READERS, GLOBAL),
    f"GET {KB}/suggestions": row(KB_READERS, GLOBAL),
    f"GET {KB}/entries/{{entry_id}}": row(KB_READERS, GLOBAL),
    f"PUT {KB}/entries/{{entry_id}}/text": row(KB_AUTHORS, GLOBAL),
    # action=approve on a published entry: only reviewers reach the decision (ROL-3, KB-6).
    f"POST {KB}/entries/{{entry_id}}/{{action}}": row(
        KB_AUTHORS,
        GLOBAL,
        missing_ok=True,
        refused_inside=(R.KB_AUTHOR, R.TECHNICIAN, R.MANAGER, R.ADMIN),
    ),
    f"GET {KB}/entries/{{entry_id}}/versions": row(KB_READERS, GLOBAL),
    f"GET {KB}/entries/{{entry_id}}/versions/{{number}}": row(KB_READERS, GLOBAL),
    f"GET {KB}/entries/{{entry_id}}/sms": row(KB_READERS, GLOBAL),
    f"POST {KB}/entries/{{entry_id}}/feedback": row(KB_READERS, GLOBAL),
    f"GET {KB}/queue": row(KB_ADMINS, GLOBAL),
    f"POST {KB}/queue/{{item_id}}/close": row(KB_ADMINS, GLOBAL, missing_ok=True),
    f"GET {KB}/review-due": row(KB_ADMINS, GLOBAL),
    f"GET {KB}/reports/usage": row((*KB_ADMINS, R.QUALITY), GLOBAL),
    f"GET {KB}/reports/models-without-entries": row((*KB_ADMINS, R.QUALITY), GLOBAL),
    # The technician's phone (PRV-4: own visits only)
    f"POST {M}/auth/login": row(EVERYONE, PUBLIC),
    f"POST {M}/auth/refresh": row(TECH, REFRESH),
    f"POST {M}/auth/logout": row(TECH, SESSION),
    f"GET {M}/visits/today": row(TECH, GLOBAL),
    f"GET {M}/sync": row(TECH, GLOBAL, query="since=2000-01-01T00:00:00Z"),
    f"GET {M}/parts": row(TECH, GLOBAL),
    f"GET {M}/knowledge/search": row(TECH, GLOBAL),
    f"GET {M}/knowledge/entries/{{entry_id}}": row(TECH, GLOBAL),
    f"POST {M}/knowledge/entries/{{entry_id}}/feedback": row(TECH, GLOBAL),
    f"POST {M}/knowledge/entries/{{entry_id}}/not-solved": row(TECH, GLOBAL),
    **{
        f"{method} {M}/visits/{{visit_id}}{tail}": row(TECH, OWN_VISIT)
        for method, tail in (
            ("GET", ""),
            ("GET", "/voucher.pdf"),
            ("POST", "/depart"),
            ("POST", "/arrive"),
            ("POST", "/start"),
            ("POST", "/pause"),
            ("POST", "/unable"),
            ("POST", "/complete"),
            ("POST", "/voucher/signature"),
            ("POST", "/quote"),
            ("GET", "/photos"),
            ("POST", "/photos"),
            ("GET", "/knowledge-hints"),
            ("POST", "/knowledge-draft"),
            ("GET", "/special-notes"),
            ("POST", "/complaints"),
        )
    },
    f"PATCH {M}/visits/{{visit_id}}/record": row(TECH, OWN_VISIT, headers={"If-Match": "*"}),
    # VCH-3/4/15: the quote of a class-A visit (the fixture's visit has none: 404 is fine)
    f"GET {M}/visits/{{visit_id}}/quote": row(TECH, OWN_VISIT, missing_ok=True),
    f"POST {M}/visits/{{visit_id}}/quote/accept": row(TECH, OWN_VISIT, missing_ok=True),
    f"POST {M}/visits/{{visit_id}}/quote/charges": row(TECH, OWN_VISIT, missing_ok=True),
    f"POST {M}/visits/{{visit_id}}/quote/link": row(TECH, OWN_VISIT, missing_ok=True),
    f"POST {M}/visits/{{visit_id}}/quote/charges/{{charge_id}}/confirm": row(
        TECH, OWN_VISIT, missing_ok=True
    ),
    f"GET {M}/fee-items": row(TECH, GLOBAL),
    f"GET {M}/photos/{{photo_id}}": row(TECH, OWN_VISIT),
    f"PUT {M}/photos/{{photo_id}}/content": row(TECH, OWN_VISIT),
    **{
        f"{method} {M}/complaints/{{complaint_id}}{tail}": row(
            TECH, OWN_VISIT, ids={"complaint_id": "tech_complaint_id"}
        )
        for method, tail in (("GET", ""), ("POST", "/on-spot"), ("POST", "/forward"))
    },
}

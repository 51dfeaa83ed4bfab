"""SMS texts per language. Service messages by default; a template in MARKETING goes only to
customers with the separate marketing opt-in (PRV-2, dispatch.privacy.service.ensure_may_send)."""

MARKETING = frozenset({"marketing_offer"})
# APT-13: non-urgent texts wait for the contact window of the customer's region. Every other
# text goes at once: same-day news (en route, delay, cancellation, a missed visit) and the
# answers to what the customer or staff just did (acknowledgements, links, confirmations).
# The survey (回访) is timed by its follow-up row instead, already due inside the region's
# window (followups.service.schedule_for), where its 24 h deadline wins (FUP-1).
NON_URGENT = frozenset({"appointment_reminder", "marketing_offer"})

TEMPLATES = {
    "complaint_received": {  # CMP-6: number, handling steps, expected processing time
        "zh-CN": "【售后服务】已收到您的投诉，编号{number}。处理步骤：登记、立案、调查、"
        "提出方案、处理、回访。预计{expected}前处理完毕。进度：{link}",
        "en": "[Service] We received your complaint {number}. Steps: registration, case "
        "opening, investigation, solution, resolution, follow-up. Expected by {expected}. "
        "Progress: {link}",
    },
    "complaint_update": {  # CMP-18: a change that affects the customer
        "zh-CN": "【售后服务】您的投诉{number}有新进展：{step}。{note}进度：{link}",
        "en": "[Service] Your complaint {number} has moved on: {step}. {note}Progress: {link}",
    },
    "request_received": {
        "zh-CN": "【售后服务】已受理您的服务申请，单号{number}。"
        "我们将在1个工作日内与您约定上门时间。",
        "en": "[Service] We received your request {number}. We will agree a visit time with you "
        "within one working day.",
    },
    "request_read_back": {
        "zh-CN": "【售后服务】请核对您的申请{number}：故障“{fault}”，地址{address}，"
        "期望时间{requested}。如有误请致电我们。",
        "en": '[Service] Please check your request {number}: fault "{fault}", address {address}, '
        "requested time {requested}. Call us if anything is wrong.",
    },
    "service_plan_proposed": {  # INT-12: the customer agrees (同意方案) before dispatch
        "zh-CN": "【售后服务】您的服务申请{number}的服务方案：{remedy}，预计费用{cost}，"
        "预计用时{minutes}分钟。请确认方案：{link}",
        "en": "[Service] The service plan for your request {number}: {remedy}. Estimated cost "
        "{cost}, time {minutes} min. Please agree or reject: {link}",
    },
    "web_form_code": {  # INT-15: the one-time code of the public web form
        "zh-CN": "【售后服务】您的验证码是{code}，{minutes}分钟内有效。请勿告诉他人。",
        "en": "[Service] Your code is {code}. It is valid for {minutes} minutes. Do not share it.",
    },
    "request_needs_supplement": {
        "zh-CN": "【售后服务】您的服务申请{number}还需补充：{missing}。请回复短信或致电我们。",
        "en": "[Service] Your request {number} still needs: {missing}. Please reply or call us.",
    },
    "appointment_reminder": {
        "zh-CN": "【售后服务】提醒：明天{window}技师上门（{number}）。"
        "确认：{link} 改约：{reschedule}",
        "en": "[Service] Reminder: your visit {number} is tomorrow, {window}. Confirm: {link} "
        "Change: {reschedule}",
    },
    "voucher_sign_request": {
        "zh-CN": "【售后服务】请查看并签署服务凭证{number}：{link}（72小时内有效）",
        "en": "[Service] Please read and sign service voucher {number}: {link} (valid 72 h)",
    },
    "quote_accept_request": {  # VCH-3: the customer accepts the class-A quote by link
        "zh-CN": "【售后服务】服务单{number}的维修报价合计¥{total}，请查看并确认："
        "{link}（2小时内有效）",
        "en": "[Service] The repair quote for {number} totals ¥{total}. Read and accept it: {link} "
        "(valid 2 h)",
    },
    "assessment_result": {  # VCH-5: sent on approval, so on the day it was approved
        "zh-CN": "【售后服务】您的服务单{number}检测结果：{diagnosis}。处理方案：{solution}",
        "en": "[Service] Assessment of your request {number}: {diagnosis}. Proposed solution: "
        "{solution}",
    },
    "voucher_copy": {
        "zh-CN": "【售后服务】服务凭证{number}已归档，您的副本（PDF）：{link}（30天内有效）",
        "en": "[Service] Service voucher {number} is archived. Your copy (PDF): {link} "
        "(valid 30 days)",
    },
    "appointment_missed": {
        "zh-CN": "【售后服务】技师未能在{window}见到您（{number}），我们将尽快与您另约时间。",
        "en": "[Service] We missed you for visit {number} ({window}); we will call to book "
        "a new time.",
    },
    "appointment_cancelled": {
        "zh-CN": "【售后服务】您的预约{number}（{window}）已取消。",
        "en": "[Service] Your visit {number} ({window}) is cancelled.",
    },
    "appointment_confirm": {
        "zh-CN": "【售后服务】您的{number}维修预约：{window}，技师{technician}。请点击确认：{link}",
        "en": "[Service] Your repair visit {number}: {window}, technician {technician}. "
        "Please confirm: {link}",
    },
    "appointment_confirmed": {
        "zh-CN": "【售后服务】已确认您的预约{number}：{window}。",
        "en": "[Service] Your visit {number} is confirmed for {window}.",
    },
    "technician_en_route": {
        "zh-CN": "【售后服务】技师{technician}已出发前往您处（{number}），预计{eta}到达。",
        "en": "[Service] Technician {technician} is on the way ({number}), expected at {eta}.",
    },
    "technician_delayed": {
        "zh-CN": "【售后服务】很抱歉，技师{technician}将晚到（{number}），新的预计到达时间{eta}。",
        "en": "[Service] Sorry, technician {technician} is running late ({number}); "
        "new expected arrival {eta}.",
    },
    "job_on_hold": {
        "zh-CN": "【售后服务】{number}今日未能完成（{reason}）。我们建议{window}再次上门，"
        "请等待确认短信。",
        "en": "[Service] We could not finish {number} today ({reason}). We propose to come back "
        "{window}; a confirmation message follows.",
    },
    "visit_completed": {
        "zh-CN": "【售后服务】{number}服务已完成，凭证号{voucher}。感谢您的支持。",
        "en": "[Service] Visit {number} is complete, voucher {voucher}. Thank you.",
    },
    "link_resent": {  # a staff member sends a customer's live link again (issue 12)
        "zh-CN": "【售后服务】应您的要求，再次发送{number}的链接：{link}",
        "en": "[Service] As you asked, here is your link for {number} again: {link}",
    },
    "opinion_reply": {  # FUP-11: a staff reply to the customer's opinion or suggestion
        "zh-CN": "【售后服务】关于您对{number}的意见，我们的回复：{reply}",
        "en": "[Service] Our reply to your feedback on {number}: {reply}",
    },
    "followup_survey": {
        "zh-CN": "【售后服务】请为本次服务（{number}）打分：{link}",
        "en": "[Service] How did we do on visit {number}? Rate us: {link}",
    },
    "marketing_offer": {  # PRV-2: marketing, sent only with the separate opt-in
        "zh-CN": "【售后服务】{offer} 回复TD退订",
        "en": "[Service] {offer} Reply STOP to opt out",
    },
}


def render(template: str, language: str, **params) -> str:
    """Fill a template in the customer's language (zh-CN when the language is unknown)."""
    texts = TEMPLATES[template]
    return texts.get(language, texts["zh-CN"]).format(**params)

"""SMS texts per language. Only service messages exist here (PRV-2)."""

TEMPLATES = {
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
        "zh-CN": "【售后服务】技师{technician}已出发前往您处（{number}）。",
        "en": "[Service] Technician {technician} is on the way ({number}).",
    },
    "visit_completed": {
        "zh-CN": "【售后服务】{number}服务已完成，凭证号{voucher}。感谢您的支持。",
        "en": "[Service] Visit {number} is complete, voucher {voucher}. Thank you.",
    },
    "followup_survey": {
        "zh-CN": "【售后服务】请为本次服务（{number}）打分：{link}",
        "en": "[Service] How did we do on visit {number}? Rate us: {link}",
    },
}


def render(template: str, language: str, **params) -> str:
    """Fill a template in the customer's language (zh-CN when the language is unknown)."""
    texts = TEMPLATES[template]
    return texts.get(language, texts["zh-CN"]).format(**params)

"""The voucher as a PDF: its content, the signatures and a QR code to the verification page."""

from __future__ import annotations

import io
from zoneinfo import ZoneInfo

import segno
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from dispatch.vouchers import rules
from dispatch.vouchers.models import ServiceVoucher

RECORD_LABELS = (
    ("problem", "Problem 故障"),
    ("work_done", "Work done 处理过程"),
    ("solution", "Solution 解决方案"),
    ("result", "Result 处理结果"),
)

# VCH-3: the quote the customer accepted before class-A work, in both languages.
CAUSE_LABELS = {
    "product_defect": "Product defect 产品缺陷",
    "misuse": "Misuse 使用不当",
    "undetermined": "Undetermined 原因待定",
}
METHOD_LABELS = {
    "repair": "Repair 维修",
    "replace_part": "Replace part 更换配件",
    "exchange": "Exchange 换机",
    "adjust": "Adjust 调试",
}
WARRANTY_LABELS = {
    "in_warranty": "In warranty 保修期内",
    "out_of_warranty": "Out of warranty 保修期外",
}

# A CID font every PDF reader ships with: Chinese text without embedding a font file.
FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))


def qr_png(url: str) -> bytes:
    """Return the QR code of a URL as a PNG, one pixel per module, no quiet zone."""
    out = io.BytesIO()
    segno.make(url, error="m").save(out, kind="png", scale=1, border=0)
    return out.getvalue()


def render(voucher: ServiceVoucher, *, base_url: str, tz: str) -> bytes:
    """Draw the voucher on one A4 page and return the PDF bytes."""
    out = io.BytesIO()
    page = canvas.Canvas(out, pagesize=A4, invariant=1)
    page.setTitle(f"Service voucher {voucher.number}")
    width, height = A4
    y = height - 25 * mm
    page.setFont(FONT, 16)
    page.drawString(20 * mm, y, f"服务凭证 Service voucher {voucher.number}")
    page.setFont(FONT, 10)
    for line in _lines(voucher, ZoneInfo(tz)):
        y -= 6 * mm
        page.drawString(20 * mm, y, line)
    y = _signatures(page, voucher, y - 12 * mm)
    url = rules.verification_url(base_url, voucher.number, voucher.content_hash())
    page.drawImage(
        ImageReader(io.BytesIO(qr_png(url))), width - 55 * mm, height - 60 * mm, 35 * mm, 35 * mm
    )
    page.drawString(width - 75 * mm, height - 66 * mm, "Scan to verify 扫码验证")
    page.showPage()
    page.save()
    return out.getvalue()


def _lines(voucher: ServiceVoucher, zone: ZoneInfo) -> list[str]:
    visit = voucher.visit
    parts = ", ".join(f"{p['name']} ({p['code']}) × {p['quantity']}" for p in voucher.parts)
    return [
        f"Visit 工单: {visit.number}    Class 类别: {voucher.service_class}",
        f"Customer 客户: {visit.request.customer.name}",
        f"Start 开始: {voucher.started_at.astimezone(zone):%Y-%m-%d %H:%M}    "
        f"End 结束: {voucher.ended_at.astimezone(zone):%Y-%m-%d %H:%M}",
        f"Service 服务内容: {voucher.service_content}",
        *(
            f"{label}: {getattr(voucher, name)}"
            for name, label in RECORD_LABELS
            if getattr(voucher, name) is not None
        ),
        *_quote_lines(getattr(visit, "quote", None), zone),
        f"Parts 配件: {parts or '—'}",
        f"Labour 工时: {voucher.labour_minutes} min    Fee 费用: ¥{voucher.fee_cents / 100:.2f}",
        f"Status 状态: {voucher.status}    "
        f"Code 验证码: {rules.verification_code(voucher.content_hash())}",
    ]


def _quote_lines(quote, zone: ZoneInfo) -> list[str]:
    """Findings, fault cause, warranty and the quoted charges (VCH-3, VCH-15)."""
    if quote is None:
        return []
    accepted = (
        f"accepted 客户确认 {quote.accepted_at.astimezone(zone):%Y-%m-%d %H:%M}"
        if quote.accepted_at
        else "not accepted 客户未确认"
    )
    return [
        f"Findings 检查结果: {quote.findings}",
        f"Cause 故障原因: {CAUSE_LABELS.get(quote.fault_cause, quote.fault_cause)}    "
        f"Method 维修方式: {METHOD_LABELS.get(quote.repair_method, quote.repair_method)}    "
        f"Warranty 保修: {WARRANTY_LABELS.get(quote.warranty_status, quote.warranty_status)}"
        f" ({quote.warranty_basis})",
        *(
            f"  · {c.name} [{c.code or 'off table 表外'}] ¥{c.unit_price_cents / 100:.2f}"
            f" × {c.quantity} {c.unit} = ¥{c.amount_cents / 100:.2f} ({c.status})"
            for c in quote.charges
        ),
        f"Quote 报价合计: ¥{quote.total_cents / 100:.2f}, {accepted}",
    ]


def _signatures(page: canvas.Canvas, voucher: ServiceVoucher, y: float) -> float:
    for role, label in (("customer", "Customer 客户签名"), ("manager", "Countersigned 核签")):
        signature = voucher.signature_of(role)
        if signature is None or not voucher.has_valid_signature(role):
            page.drawString(20 * mm, y, f"{label}: (not signed)")
            y -= 10 * mm
            continue
        page.drawString(
            20 * mm, y, f"{label}: {signature.signer_name}  {signature.signed_at:%Y-%m-%d %H:%M}Z"
        )
        if rules.signature_problem(signature.image_png):  # stored before images were decoded
            page.drawString(20 * mm, y - 8 * mm, "(signature image unreadable 签名图像无法显示)")
            y -= 20 * mm
            continue
        page.drawImage(
            ImageReader(io.BytesIO(signature.image_png)),
            20 * mm,
            y - 22 * mm,
            50 * mm,
            20 * mm,
            preserveAspectRatio=True,
        )
        y -= 30 * mm
    return y

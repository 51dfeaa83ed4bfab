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
        f"Parts 配件: {parts or '—'}",
        f"Labour 工时: {voucher.labour_minutes} min    Fee 费用: ¥{voucher.fee_cents / 100:.2f}",
        f"Status 状态: {voucher.status}    "
        f"Code 验证码: {rules.verification_code(voucher.content_hash())}",
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

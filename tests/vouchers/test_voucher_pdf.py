"""The voucher PDF reads back with its text and a QR code that leads to the verification page."""

from __future__ import annotations

import io
from urllib.parse import urlsplit

import segno
from pypdf import PdfReader

from tests.vouchers.helpers import completed_voucher, countersign


def _pdf(client, world, voucher: dict) -> PdfReader:
    response = client.get(f"/api/v1/vouchers/{voucher['id']}/pdf", headers=world.auth("manager"))
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    return PdfReader(io.BytesIO(response.data))


def _qr_url_matches(reader: PdfReader, url: str) -> bool:
    """Return whether the page carries, module for module, the QR code of `url`."""
    expected = segno.make(url, error="m").matrix
    for picture in reader.pages[0].images:
        image = picture.image.convert("L")
        if image.size != (len(expected), len(expected)):
            continue
        pixels = image.load()
        if all(
            (pixels[x, y] < 128) == bool(expected[y][x])
            for y in range(len(expected))
            for x in range(len(expected))
        ):
            return True
    return False


def test_vch_10_pdf_has_the_content_signatures_and_a_verifying_qr(client, world):
    voucher = completed_voucher(client, world)
    countersign(client, world, voucher["id"])
    reader = _pdf(client, world, voucher)
    text = reader.pages[0].extract_text()
    for expected in (
        voucher["number"],
        "Replaced the drive belt",
        "Wang",
        "Manager Zhou",
        "180.00",
    ):
        assert expected in text, expected
    assert "archived" in text
    url = f"http://testserver/v/{voucher['number']}?h={voucher['content_hash'][:16]}"
    assert _qr_url_matches(reader, url)
    assert not _qr_url_matches(reader, url.replace("?h=", "?h=0"))  # the check can fail

    link = urlsplit(url)
    page = client.get(f"{link.path}?{link.query}")
    assert page.status_code == 200
    assert 'id="verdict"' in page.get_data(as_text=True)
    html = client.get(f"{link.path}?{link.query}&lang=en").get_data(as_text=True)
    assert "Genuine" in html and "Wang" not in html  # no personal data on a public page
    chinese = client.get(f"{link.path}?{link.query}&lang=zh_CN").get_data(as_text=True)
    assert "真实有效" in chinese


def test_verification_page_tells_a_changed_or_unknown_voucher(client, world):
    voucher = completed_voucher(client, world)
    printed = voucher["content_hash"][:16]
    client.patch(
        f"/api/v1/vouchers/{voucher['id']}", headers=world.auth("manager"), json={"fee_cents": 1}
    )
    changed = client.get(f"/v/{voucher['number']}?h={printed}&lang=en")
    assert changed.status_code == 200
    assert "content has changed" in changed.get_data(as_text=True)
    unknown = client.get("/v/SV-19990101-0001?h=abc&lang=en")
    assert unknown.status_code == 404
    assert "No voucher with this number" in unknown.get_data(as_text=True)


def test_technician_downloads_only_their_own_voucher_pdf(client, world):
    voucher = completed_voucher(client, world)
    url = f"/mobile/v1/visits/{voucher['visit_id']}/voucher.pdf"
    assert client.get(url, headers=world.auth("tech_b")).status_code == 404
    mine = client.get(url, headers=world.auth("tech_a"))
    assert mine.status_code == 200
    assert voucher["number"] in PdfReader(io.BytesIO(mine.data)).pages[0].extract_text()


def test_vch_3_pdf_shows_findings_cause_warranty_and_the_quote_lines(client, world):
    voucher = completed_voucher(client, world)
    text = _pdf(client, world, voucher).pages[0].extract_text()
    for expected in (
        "Drive belt worn through",  # findings of tests.mobile_api.helpers.QUOTE
        "Undetermined",
        "Out of warranty",
        "two-year warranty ended",
        "Belt replacement",
        "off table",
        "Quote",
    ):
        assert expected in text, expected

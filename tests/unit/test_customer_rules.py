"""Phone numbers in E.164 (INT-5) and masked personal data on customer pages (PRV-11)."""

import pytest

from dispatch.customers.rules import (
    InvalidPhone,
    mask_address,
    mask_name,
    mask_phone,
    normalise_phone,
)


@pytest.mark.parametrize(
    "raw", ["13800138000", "138 0013 8000", "+86 138-0013-8000", "0086 13800138000"]
)
def test_int_5_phone_formats_normalise_to_one_e164(raw):
    assert normalise_phone(raw) == "+8613800138000"


@pytest.mark.parametrize("raw", ["12345", "abc", "", "+86 1380013800099"])
def test_invalid_phone_is_refused(raw):
    with pytest.raises(InvalidPhone):
        normalise_phone(raw)


def test_prv_11_masking_hides_middle_digits_name_and_street():
    assert mask_phone("+8613800138000") == "138****8000"
    assert mask_name("王小明") == "王**"
    masked = mask_address("上海市徐汇区测试路100号")
    assert "100号" not in masked and masked.startswith("上海市徐")

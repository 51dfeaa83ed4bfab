"""Pure rules of the parts catalogue."""

from __future__ import annotations

import pytest

from dispatch.parts import rules


@pytest.mark.parametrize(
    ("text", "cents"), [("12.50", 1250), ("0", 0), (" 3 ", 300), ("1000000", 100_000_000)]
)
def test_prices_in_yuan_become_cents(text, cents):
    assert rules.price_cents(text) == cents


@pytest.mark.parametrize(
    "text", ["", "abc", "1.005", "-1", "1000000.01", "NaN", "sNaN", "Infinity", "1e400"]
)
def test_prices_that_are_not_yuan_amounts_are_refused(text):
    with pytest.raises(ValueError):
        rules.price_cents(text)


def test_a_good_row_is_normalised():
    fields, errors = rules.parse_row(
        {"code": " belt-9 ", "name": " Drive belt ", "unit_price": "35", "active": "no"}
    )
    assert errors == []
    assert fields == {
        "code": "BELT-9",
        "name": "Drive belt",
        "unit_price_cents": 3500,
        "active": False,
    }


def test_a_bad_row_lists_every_problem():
    fields, errors = rules.parse_row(
        {"code": "bad code!", "name": "", "unit_price": "x", "active": "?"}
    )
    assert fields is None
    assert len(errors) == 4


def test_missing_columns_are_named():
    assert rules.missing_columns(["Code", " NAME "]) == ["unit_price"]
    assert rules.missing_columns(None) == list(rules.CSV_COLUMNS)

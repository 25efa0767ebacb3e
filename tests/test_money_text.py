"""Money from text: thousands separators are read, a decimal comma never is."""

from __future__ import annotations

from decimal import Decimal

import pytest

from cquin_cli.money import MoneyError, money


@pytest.mark.parametrize(
    "text, amount",
    [("1,234,567.89", "1234567.89"), ("£1,000", "1000.00"), ("200000000", "200000000.00"), ("-128,700.00", "-128700.00")],
)
def test_grouped_thousands_are_read(text, amount):
    assert money(text) == Decimal(amount)


@pytest.mark.parametrize("text", ["1234,56", "1,23", "12,345.678", "1,2345", "0,500", "0,001", "0.005", "1e3", "NaN"])
def test_anything_else_is_refused(text):
    with pytest.raises(MoneyError):
        money(text)


def test_a_decimal_comma_outturn_is_refused_not_misread(cquin):
    from conftest import WORKED_EXAMPLE

    result = cquin("price", str(WORKED_EXAMPLE), "--outturn", "1234,56")
    assert result.exit_code == 2
    assert "123,456" not in result.stdout

"""Amounts as people write them in each language: the sign before the currency (issue 20)."""

import pytest

from lindung.rules.text import Language, format_money


@pytest.mark.parametrize(
    ("rupiah", "language", "written"),
    [
        (1_500_000, "id", "Rp1.500.000"),
        (1_500_000, "en", "Rp1,500,000"),
        (-50_000_000, "id", "-Rp50.000.000"),
        (-50_000_000, "en", "-Rp50,000,000"),
        (0, "id", "Rp0"),
    ],
)
def test_an_amount_is_written_with_its_sign_before_the_currency(rupiah, language, written):
    assert format_money(rupiah, Language(language)) == written

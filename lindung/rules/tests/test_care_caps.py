"""JKK care: medical care without a cap, transport and home care up to the caps in force on the
accident date, each with its legal basis; unconfirmed caps flagged (rules.md 2.2)."""

from __future__ import annotations

from datetime import date

import pytest

from lindung.rules.benefits import CareCosts, jkk_medical
from lindung.rules.errors import RuleInputError
from lindung.rules.text import Language, render


def items(result) -> dict[str, tuple[int, str]]:
    return {item.component: (item.amount, item.legal_basis) for item in result.items}


def notes(result) -> str:
    return " ".join(render(note, Language(code="en")) for note in result.notes)


@pytest.mark.parametrize(
    ("event_date", "mode", "receipts", "paid", "basis", "confirmed"),
    [
        # PP 82/2019 (from 2 December 2019): land 5,000,000 confirmed; sea 2,000,000 and air 10,000,000 not.
        (date(2026, 6, 2), "darat", 7_250_000, 5_000_000, "PP 82/2019 Lampiran III", True),
        (date(2026, 6, 2), "darat", 4_999_999, 4_999_999, "PP 82/2019 Lampiran III", True),
        (date(2026, 6, 2), "laut", 3_000_000, 2_000_000, "PP 82/2019 Lampiran III", False),
        (date(2026, 6, 2), "udara", 12_500_000, 10_000_000, "PP 82/2019 Lampiran III", False),
        # PP 44/2015 (1 July 2015 to 1 December 2019): land 1,000,000, sea 1,500,000, air 2,500,000, unconfirmed.
        (date(2019, 12, 1), "darat", 7_250_000, 1_000_000, "PP 44/2015 Lampiran III", False),
        (date(2015, 7, 1), "udara", 7_250_000, 2_500_000, "PP 44/2015 Lampiran III", False),
    ],
)
def test_transport_is_capped_by_the_means_and_the_era(event_date, mode, receipts, paid, basis, confirmed):
    result = jkk_medical(event_date, CareCosts(transport=receipts, transport_mode=mode))
    assert items(result) == {"transport": (paid, basis)}
    assert ("Unconfirmed value" not in notes(result)) is (confirmed and event_date > date(2019, 12, 31))


def test_medical_care_has_no_cap_and_home_care_is_capped_at_20_million():
    result = jkk_medical(date(2026, 6, 2), CareCosts(medical=87_350_000, home_care=26_000_000))
    assert items(result) == {
        "medical": (87_350_000, "PP 44/2015; PP 82/2019"),
        "home_care": (20_000_000, "PP 82/2019 Lampiran III"),
    }
    assert result.total == 107_350_000
    assert "at most 12 months" in notes(result)


def test_home_care_before_pp_82_2019_and_transport_without_its_means_are_input_errors():
    with pytest.raises(RuleInputError) as before:
        jkk_medical(date(2019, 12, 1), CareCosts(home_care=1_000_000))
    assert before.value.field == "home_care"
    with pytest.raises(RuleInputError) as means:
        jkk_medical(date(2026, 6, 2), CareCosts(transport=1_000_000))
    assert means.value.field == "transport_mode"

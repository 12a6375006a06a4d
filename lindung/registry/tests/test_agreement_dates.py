"""Enrolment under an agreement stays within the agreement's period (issue 19)."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from lindung.registry import services
from lindung.registry.tests.factories import agreement, person_values, sponsor

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("field", "extra"),
    [
        ("starts_on", {"starts_on": "2027-01-01"}),
        ("starts_on", {"starts_on": "2015-03-01"}),
        ("ends_on", {"starts_on": "2026-02-01", "ends_on": "2027-06-30"}),
    ],
)
def test_dates_outside_the_agreement_are_refused_with_its_period(field, extra):
    siak = sponsor()
    pks = agreement(siak)
    with pytest.raises(ValidationError) as refused:
        services.member_enrol(
            actor=None, sponsor=siak, agreement=pks, values=person_values(31, **extra), today=date(2026, 3, 1)
        )
    assert refused.value.message_dict[field] == [
        "Di luar perjanjian PKS/1/2026, yang berlaku 01-01-2026 sampai 31-12-2026."
    ]


def test_dates_inside_the_agreement_are_accepted():
    siak = sponsor()
    pks = agreement(siak)
    membership = services.member_enrol(
        actor=None,
        sponsor=siak,
        agreement=pks,
        values=person_values(32, starts_on="2026-02-01", ends_on="2026-12-31"),
        today=date(2026, 3, 1),
    )
    assert (membership.starts_on, membership.ends_on) == (date(2026, 2, 1), date(2026, 12, 31))


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (
            {"wage": "500"},
            "Di bawah upah minimum terendah di Indonesia, Rp2.169.348 pada 01-01-2026 "
            "(UMP Jawa Tengah 2025 (UMP terendah)).",
        ),
        (
            {"wage": "1.570.921", "starts_on": "2019-03-01", "today": date(2019, 3, 2)},
            "Di bawah upah minimum terendah di Indonesia, Rp1.570.922 pada 01-03-2019 "
            "(UMP DI Yogyakarta 2019 (UMP terendah)).",
        ),
        (
            {"segment": "bpu", "category": "pekerja_rentan", "wage": "999.999", "risk_class": "", "funding": "apbd"},
            "Di bawah nominal penghasilan terendah, Rp1.000.000 pada 01-01-2026 (PP 44/2015 Lampiran II).",
        ),
    ],
)
def test_a_wage_or_income_below_the_floor_of_the_rules_is_refused_with_it(extra, message):
    today = extra.pop("today", date(2026, 3, 1))
    with pytest.raises(ValidationError) as refused:
        services.member_enrol(actor=None, sponsor=sponsor(), values=person_values(33, **extra), today=today)
    assert refused.value.message_dict["wage"] == [message]


@pytest.mark.parametrize(
    "extra",
    [
        {"wage": "2.169.348"},  # the floor itself
        {"segment": "bpu", "category": "pekerja_rentan", "wage": "1.000.000", "risk_class": "", "funding": "apbd"},
        {"segment": "jakon", "category": "karyawan", "wage": "500.000"},  # priced on the contract value
    ],
)
def test_a_wage_at_the_floor_is_accepted(extra):
    membership = services.member_enrol(
        actor=None, sponsor=sponsor(), values=person_values(34, **extra), today=date(2026, 3, 1)
    )
    assert membership.versions.get().wage == int(extra["wage"].replace(".", ""))

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

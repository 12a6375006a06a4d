"""An heir who died on the member's date of death is not an heir (PP 44/2015; Permenaker 5/2021: the
living relatives on the event date); one who died the day after still is."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from lindung.claims.models import ClaimType
from lindung.claims.services import claim_submit
from lindung.registry.tests.factories import enrol, sponsor

pytestmark = pytest.mark.django_db
EVENT = date(2026, 5, 20)


@pytest.mark.parametrize(
    ("spouse_died_on", "heirs"),
    [
        (EVENT, [("parent", "Ibu Salmah")]),  # the spouse died the same day: the next group receives
        (EVENT - timedelta(days=1), [("parent", "Ibu Salmah")]),
        (EVENT + timedelta(days=1), [("spouse", "Siti Aminah")]),  # alive on the event date: her estate receives
        (None, [("spouse", "Siti Aminah")]),
    ],
)
def test_heirs_are_the_relatives_living_on_the_event_date(spouse_died_on, heirs):
    membership = enrol(sponsor(), 931, wage="3.000.000", programs="jkk,jkm", starts_on="2020-01-01")
    relatives = membership.person.relatives
    relatives.create(relation="spouse", name="Siti Aminah", birth_date=date(1990, 1, 1), died_on=spouse_died_on)
    relatives.create(relation="parent", name="Ibu Salmah", birth_date=date(1960, 1, 1))

    claim = claim_submit(
        actor=None,
        membership=membership,
        claim_type=ClaimType.JKM,
        event_date=EVENT,
        claimant_name="Rahmat",
        today=date(2026, 7, 1),
    )

    assert [(heir.relation, heir.name) for heir in claim.heirs.order_by("id")] == heirs
    assert all("PP 44/2015; Permenaker 5/2021" in heir.reason for heir in claim.heirs.all())

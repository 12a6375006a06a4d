"""A renewal carries its people into the new agreement in one statement, and the commitment page
then counts them where coverage does (issue 19)."""

from __future__ import annotations

from datetime import date

import pytest

from lindung.registry import services
from lindung.registry.tests.factories import agreement, person_values, sponsor

pytestmark = pytest.mark.django_db


def test_a_renewal_carries_its_1000_people_in_one_statement_and_the_commitment_agrees():
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from lindung.monitoring.selectors import Place, commitment
    from lindung.registry.enrolment import Context, plan_enrolment
    from lindung.registry.models import Membership
    from lindung.registry.writer import apply_plan

    siak = sponsor()
    pks_2025 = agreement(siak, number="PKS/2025", starts_on=date(2025, 1, 1), ends_on=date(2025, 12, 31), quota=2000)
    rows = ((line, person_values(1000 + line, starts_on="2025-01-01")) for line in range(2, 1002))
    plan = plan_enrolment(rows, Context.load(sponsor=siak, agreement=pks_2025, today=date(2025, 1, 5)))
    with transaction.atomic():
        apply_plan(plan, sponsor=siak, agreement=pks_2025, actor=None, now=timezone.now())
    memberships = list(Membership.objects.filter(agreement=pks_2025).order_by("id").values_list("pk", flat=True))
    assert len(memberships) == 1000
    Membership.objects.filter(pk__in=memberships[:5]).update(ends_on=date(2025, 6, 30))  # left during 2025
    draft = services.agreement_renew(actor=None, agreement=pks_2025, number="PKS/2026", ends_on=date(2026, 12, 31))

    with CaptureQueriesContext(connection) as queries:
        renewed = services.agreement_activate(actor=None, agreement=draft, leave_out=[memberships[5]])
    updates = [q["sql"] for q in queries.captured_queries if q["sql"].startswith('UPDATE "registry_membership"')]

    assert len(updates) == 1
    assert Membership.objects.filter(agreement=renewed).count() == 994
    assert set(Membership.objects.filter(agreement=pks_2025).values_list("pk", flat=True)) == set(memberships[:6])
    page = commitment(Place("14.08", "Kabupaten Siak", 2), today=date(2026, 3, 1))
    row = next(r for r in page.agreements if r.agreement == "PKS/2026")
    running_under_it = Membership.objects.filter(agreement=renewed, ends_on__isnull=True).count()
    assert row.workers == running_under_it == 994


def test_a_renewal_dates_its_people_so_a_past_day_still_counts_them_under_the_old_agreement():
    from lindung.monitoring.selectors import Place, commitment
    from lindung.registry.models import Membership, MembershipVersion

    siak = sponsor()
    pks_2025 = agreement(siak, number="PKS/2025", starts_on=date(2025, 1, 1), ends_on=date(2025, 12, 31), quota=10)
    members = [
        services.member_enrol(
            actor=None,
            sponsor=siak,
            values=person_values(serial, starts_on="2025-01-01"),
            agreement=pks_2025,
            today=date(2025, 1, 5),
        )
        for serial in (1, 2, 3)
    ]
    # One member's wage changes in March 2025; another already has a change booked for February 2026.
    services.membership_change(
        actor=None, membership=members[0], effective_from=date(2025, 3, 1), changes={"wage": 3_200_000}
    )
    services.membership_change(
        actor=None, membership=members[1], effective_from=date(2026, 2, 1), changes={"wage": 3_500_000}
    )
    draft = services.agreement_renew(actor=None, agreement=pks_2025, number="PKS/2026", ends_on=date(2026, 12, 31))
    renewed = services.agreement_activate(actor=None, agreement=draft)
    services.agreements_expire(today=date(2026, 1, 2))

    def history(membership: Membership) -> list[tuple[date, date | None, str, int]]:
        return [
            (v.effective_from, v.effective_to, v.agreement.number if v.agreement else "", v.wage)
            for v in MembershipVersion.objects.filter(membership=membership).select_related("agreement")
        ]

    first_wage = 3_000_000  # person_values
    assert history(members[0]) == [
        (date(2025, 1, 1), date(2025, 2, 28), "PKS/2025", first_wage),
        (date(2025, 3, 1), date(2025, 12, 31), "PKS/2025", 3_200_000),
        (date(2026, 1, 1), None, "PKS/2026", 3_200_000),
    ]
    assert history(members[1]) == [
        (date(2025, 1, 1), date(2025, 12, 31), "PKS/2025", first_wage),
        (date(2026, 1, 1), date(2026, 1, 31), "PKS/2026", first_wage),
        (date(2026, 2, 1), None, "PKS/2026", 3_500_000),
    ]
    assert history(members[2]) == [
        (date(2025, 1, 1), date(2025, 12, 31), "PKS/2025", first_wage),
        (date(2026, 1, 1), None, "PKS/2026", first_wage),
    ]
    siak_place = Place("14.08", "Kabupaten Siak", 2)
    in_2025 = {r.agreement: r.workers for r in commitment(siak_place, today=date(2025, 6, 1)).agreements}
    in_2026 = {r.agreement: r.workers for r in commitment(siak_place, today=date(2026, 6, 1)).agreements}
    assert in_2025 == {"PKS/2025": 3}
    assert in_2026 == {"PKS/2026": 3}
    assert renewed.number == "PKS/2026"

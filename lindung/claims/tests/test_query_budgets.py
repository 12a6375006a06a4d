"""Query budgets: the claims queue and lists cost the same for 2 claims or 12; each step stays within its count."""

from datetime import date
from itertools import count

import pytest

from lindung.claims.models import Claim, ClaimType
from lindung.claims.services import claim_approve, claim_pay, claim_reject, claim_submit, claim_verify
from lindung.claims.tests.factories import complete_file, with_accounts
from lindung.claims.tests.test_claims import officers  # noqa: F401 (a fixture)
from lindung.registry.tests.factories import enrol, sponsor

pytestmark = pytest.mark.django_db
TODAY = date(2026, 3, 10)
serials = count(300)
# The most queries each step may make (measured, the same on SQLite and PostgreSQL; the coverage
# check used to make one per month of membership: 165). More means a query was added. Verify reads
# the file (documents, waivers, heirs); approve also makes the payouts, records the death, ends the
# memberships and looks for months billed after it; pay confirms each of the three payouts.
# Each step checks coverage once; that reads the payer's billing start (paid before Lindung, issue 19).
BUDGETS = {"submit": 20, "verify": 19, "approve": 33, "pay": 27}


@pytest.fixture
def siak():
    return sponsor()


def claims_of(siak, number, officer):
    """`number` claims, every other one rejected (a closed claim's days open come from its steps)."""

    def add():
        for serial in range(number):
            membership = enrol(siak, next(serials), starts_on="2014-01-01", today=date(2014, 1, 1))
            claim = claim_submit(
                actor=None,
                membership=membership,
                claim_type=ClaimType.JKM,
                event_date=date(2026, 2, 3),
                claimant_name="Siti",
                today=TODAY,
            )
            if serial % 2:
                claim_reject(actor=officer, claim=claim, reason="Bukan ahli waris")

    return add


@pytest.mark.parametrize("url", ["/klaim/", "/klaim/?status=rejected", "/api/v1/claims"])
def test_the_queue_and_the_claims_endpoint(queries, login, api, officers, siak, url):  # noqa: F811
    claims_of(siak, 2, officers[0])()
    client = api(officers[0]) if url.startswith("/api/") else login(officers[0])
    queries.flat(lambda: client.get(url), grow=claims_of(siak, 10, officers[0]), budget=14)


def test_a_persons_claims(queries, api, officers, siak):  # noqa: F811
    membership = enrol(siak, next(serials), starts_on="2014-01-01", today=date(2014, 1, 1))
    client = api(officers[0])

    def more(days=range(2, 12)):
        for day in days:
            claim_submit(
                actor=None,
                membership=membership,
                claim_type=ClaimType.JKK,
                event_date=date(2026, 2, day),
                claimant_name="Budi",
                jkk_kind="medical",
                today=TODAY,
            )

    more(days=[1])  # one claim to start from: with none, the details are not even looked for
    # Claims, heirs, steps, documents, waivers and payouts (with batches): one query each, however many.
    queries.flat(lambda: client.get(f"/api/v1/persons/{membership.person_id}/claims"), grow=more, budget=10)


def test_a_claim_from_intake_to_paid_with_three_heirs(queries, officers, siak):  # noqa: F811
    verifier, approver = officers
    membership = enrol(siak, next(serials), starts_on="2014-01-01", today=date(2014, 1, 1))
    person = membership.person
    person.relatives.create(relation="spouse", name="Siti Aminah", birth_date=date(1991, 1, 1))
    for child in (1, 2):
        person.relatives.create(relation="child", name=f"Anak {child}", birth_date=date(2015 + child, 1, 1))
    claims: list[Claim] = []

    def submit():
        claims.append(
            claim_submit(
                actor=verifier,
                membership=membership,
                claim_type=ClaimType.JKM,
                event_date=date(2026, 2, 3),
                claimant_name="Siti",
                today=TODAY,
            )
        )

    steps = {"submit": queries.count(submit)}
    claim = claims[0]
    complete_file(claim)
    with_accounts(claim)
    steps["verify"] = queries.count(lambda: claim_verify(actor=verifier, claim=claim, today=TODAY))
    steps["approve"] = queries.count(lambda: claim_approve(actor=approver, claim=claim, today=TODAY))
    steps["pay"] = queries.count(
        lambda: claim_pay(actor=approver, claim=claim, reference="TRF-001", paid_on=TODAY, today=TODAY)
    )

    assert claim.payouts.count() == 3
    assert {step: used <= BUDGETS[step] for step, used in steps.items()} == dict.fromkeys(BUDGETS, True), steps

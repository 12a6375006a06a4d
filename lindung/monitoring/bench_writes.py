"""`lindung bench writes --members 100000`: the server time of single writes on a large sponsor.

A Pemda sponsor gets N PU members (set-based, once) spread over every village, a year of monthly
invoices billed and paid on time, and rollups over the last 24 months. Then each write a user makes
runs at least `--repeats` times through the same services the pages call: enrol one person, change
a membership, end one, record a payment, reverse it, and take a JKM claim from intake to paid (each
step); then last month's invoice of N lines is reversed and paid again in full, turning every member
unpaid and active again, the largest change one payment makes. The JSON line gives p50 and p95 in ms
per write, the share of it spent keeping the rollups exact, and, in the same run, the p50 and p95
of a bare one-row INSERT and commit (the database's floor).
"""

from __future__ import annotations

import statistics
import time
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from typing import Any

from django.core.management.base import CommandError
from django.db import connection, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from lindung.accounts.models import User
from lindung.accounts.roles import Role
from lindung.claims import documents
from lindung.claims import services as claims
from lindung.claims.models import Claim, ClaimType
from lindung.contributions.billing import Scope, bill_period
from lindung.contributions.ledger import ledger_for
from lindung.contributions.models import Invoice, Payment
from lindung.contributions.payments import Payer, payment_record, payment_reverse
from lindung.core.benches import Bench
from lindung.core.changes import following_time
from lindung.monitoring.rollups import WINDOW_MONTHS, refresh_rollups, window
from lindung.regions.models import Region
from lindung.registry.bench_members import BenchTerms, ensure_members
from lindung.registry.enrolment import HEADER_FIELDS
from lindung.registry.generate import People, enrolment_rows
from lindung.registry.models import Membership, MembershipVersion, Sponsor
from lindung.registry.services import member_enrol, membership_change, membership_end, sponsor_create
from lindung.rules.periods import Period

BENCH_SPONSOR = "Bench writes (Lindung)"
GOAL_P95_MS = 100
# Reversing and paying again an invoice of N lines turns N members unpaid and active: seconds each at
# N = 100,000, so a few pairs show it.
FULL_PAYMENT_PAIRS = 5


def bench_writes(*, members: int, repeats: int) -> dict[str, Any]:
    """Build (once) the sponsor's members and year, then time each write `repeats` times."""
    today = timezone.localdate()
    this_month = Period(today.year, today.month)
    first_billed = this_month.shifted(-12)
    sponsor = _bench_sponsor()
    terms = BenchTerms(
        nik_serial_base=9000,
        name="Pegawai Bench",
        segment="pu",
        wage=3_000_000,
        risk_class=1,
        funding="apbd",
        categories=("non_asn",),
        starts_on=first_billed.first_day,
    )
    started = time.perf_counter()
    ensure_members(sponsor, members, terms)
    _bill_and_pay_a_year(sponsor, first_billed, this_month)
    held = window()
    if held is None or held[-1] != this_month:  # otherwise the writes kept them exact
        refresh_rollups(first=this_month.shifted(1 - WINDOW_MONTHS), last=this_month, today=today)
    _analyze()
    setup_seconds = time.perf_counter() - started

    actors = _actors()
    # Members no earlier run of the bench changed, ended or claimed for, so that every write is allowed.
    untouched = Membership.objects.filter(sponsor=sponsor, ends_on__isnull=True).exclude(
        Exists(MembershipVersion.objects.filter(membership=OuterRef("pk"), effective_from__gte=this_month.first_day))
    )
    untouched = untouched.exclude(Exists(Claim.objects.filter(membership=OuterRef("pk"))))
    victims = iter(untouched.order_by("-id")[: 3 * repeats])
    new_people = iter(_new_people(repeats, seed=int(time.time())))
    paid_month = this_month.shifted(-2)
    payments: list[Any] = []
    writes: dict[str, Callable[[], Any]] = {
        "enrol": lambda: member_enrol(actor=actors.officer, sponsor=sponsor, values=next(new_people), today=today),
        "change": lambda: membership_change(
            actor=actors.officer,
            membership=next(victims),
            effective_from=this_month.first_day,
            changes={"wage": 3_500_000},
        ),
        "end": lambda: membership_end(
            actor=actors.officer, membership=next(victims), ends_on=this_month.first_day, today=today
        ),
        "pay": lambda: payments.append(
            payment_record(
                actor=actors.officer, payer=Payer(sponsor=sponsor), paid_on=today, amount=250_000, reference=_transfer()
            )
        ),
        "reverse": lambda: payment_reverse(actor=actors.officer, payment=payments.pop(), reason="Bench", on=today),
    }
    results = {name: _timed(write, repeats) for name, write in writes.items()}
    results |= _full_payments(sponsor, actors, this_month.shifted(-1), FULL_PAYMENT_PAIRS, today)
    _settle_arrears(sponsor, today)  # a claim is held while the employer owes anything overdue
    results |= _claim_steps(actors, victims, paid_month.first_day + timedelta(days=9), repeats, today)
    return {
        "bench": "writes",
        "database": connection.vendor,
        "members": Membership.objects.filter(sponsor=sponsor).count(),
        "invoices": Invoice.objects.filter(sponsor=sponsor).count(),
        "setup_seconds": round(setup_seconds, 1),
        "repeats": repeats,
        "writes_ms": results,
        "floor_insert_ms": _floor(repeats),
        "goal_p95_ms": GOAL_P95_MS,
    }


def _timed(write: Callable[[], Any], repeats: int) -> dict[str, float]:
    return _summary([_once(write) for _ in range(repeats)])


def _once(write: Callable[[], Any]) -> tuple[float, float]:
    """(ms the write took, ms of it the followers took)."""
    with following_time() as spent:
        started = time.perf_counter()
        write()
        elapsed = (time.perf_counter() - started) * 1000
    return elapsed, spent[0] * 1000


def _summary(pairs: list[tuple[float, float]]) -> dict[str, float]:
    timings = [elapsed for elapsed, _following in pairs]
    return {
        "p50": round(statistics.median(timings), 1),
        "p95": round(_p95(timings), 1),
        "rollups_share": round(sum(following for _elapsed, following in pairs) / sum(timings), 3),
    }


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def _floor(repeats: int) -> dict[str, float]:
    """A bare one-row INSERT in its own transaction, into a table made and dropped here."""
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE bench_floor_write (id integer PRIMARY KEY, note varchar(40))")
    timings = []
    try:
        for number in range(repeats):
            started = time.perf_counter()
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("INSERT INTO bench_floor_write (id, note) VALUES (%s, %s)", [number, "floor"])
            timings.append((time.perf_counter() - started) * 1000)
    finally:
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE bench_floor_write")
    return {"p50": round(statistics.median(timings), 2), "p95": round(_p95(timings), 2)}


def _bill_and_pay_a_year(sponsor: Sponsor, first: Period, this_month: Period) -> None:
    """Bill each month from `first` to last month, paid in full on the 10th of the next (or today)."""
    month = first
    while month < this_month:
        if not Invoice.objects.filter(sponsor=sponsor, period=str(month)).exists():
            bill_period(period=month, scope=Scope(sponsor_id=sponsor.pk), today=month.shifted(1).first_day)
            invoice = Invoice.objects.get(sponsor=sponsor, period=str(month))
            paid_on = min(month.shifted(1).day(10), timezone.localdate())
            payment_record(
                actor=None, payer=Payer(sponsor=sponsor), paid_on=paid_on, amount=invoice.total, reference=_transfer()
            )
        month = month.shifted(1)


def _transfer() -> str:
    """A transfer reference of its own: the bench pays the same amount on one day many times, which
    the ledger refuses as a duplicate unless the references differ, as real transfers' do."""
    return f"BENCH {uuid.uuid4().hex[:12]}"


class _Actors:
    def __init__(self) -> None:
        self.officer, _ = User.objects.get_or_create(username="bench-writes-officer", defaults={"role": Role.ADMIN})
        self.approver, _ = User.objects.get_or_create(username="bench-writes-approver", defaults={"role": Role.ADMIN})


def _actors() -> _Actors:
    return _Actors()


def _settle_arrears(sponsor: Sponsor, today: date) -> None:
    overdue = ledger_for(Q(sponsor=sponsor)).overdue(today)
    if overdue > 0:
        payment_record(actor=None, payer=Payer(sponsor=sponsor), paid_on=today, amount=overdue, reference=_transfer())


def _full_payments(sponsor: Sponsor, actors: _Actors, month: Period, repeats: int, today: date) -> dict[str, Any]:
    """Last month's invoice, paid in full, is reversed (every member turns unpaid) and paid again (every
    member turns active): the largest change one payment can make to the rollups."""
    invoice = Invoice.objects.get(sponsor=sponsor, period=str(month))
    paid = Payment.objects.filter(sponsor=sponsor, amount=invoice.total, reverses__isnull=True, reversal__isnull=True)
    payment = paid.latest("id")
    payments = [payment]
    reverse = lambda: payment_reverse(actor=actors.officer, payment=payments.pop(), reason="Bench", on=today)  # noqa: E731
    pay = lambda: payments.append(  # noqa: E731
        payment_record(
            actor=actors.officer,
            payer=Payer(sponsor=sponsor),
            paid_on=today,
            amount=invoice.total,
            reference=_transfer(),
        )
    )
    timings: dict[str, list[tuple[float, float]]] = {"reverse_full": [], "pay_full": []}
    for _ in range(repeats):
        for name, write in (("reverse_full", reverse), ("pay_full", pay)):
            timings[name].append(_once(write))
    return {name: _summary(pairs) | {"lines_turned": invoice.lines.count()} for name, pairs in timings.items()}


def _claim_steps(
    actors: _Actors, victims: Iterator[Membership], event_date: date, repeats: int, today: date
) -> dict[str, Any]:
    """A JKM claim from intake to paid, each step as the officer makes it (verify and approve by two)."""
    timings: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for _ in range(repeats):
        for step, measured in _one_claim(actors, next(victims), event_date, today).items():
            timings[step].append(measured)
    return {step: _summary(pairs) for step, pairs in timings.items()}


def _one_claim(
    actors: _Actors, membership: Membership, event_date: date, today: date
) -> dict[str, tuple[float, float]]:
    made: list[Any] = []

    def submit() -> None:
        made.append(
            claims.claim_submit(
                actor=actors.officer,
                membership=membership,
                claim_type=ClaimType.JKM,
                event_date=event_date,
                claimant_name="Ahli Waris Bench",
                claimant_relation="spouse",
                today=today,
                payee_bank="BRI",
                payee_account="0123456789",
            )
        )

    def waive_file() -> None:
        # The bench times the workflow steps, not scanning: the documents are waived, with a reason.
        for kind, _label in documents.required(made[0]):
            documents.document_waive(
                actor=actors.approver, claim=made[0], kind=kind, reason="Bench: dokumen tidak diuji"
            )

    measured = {"claim_submit": _once(submit)}
    waive_file()
    measured["claim_verify"] = _once(lambda: claims.claim_verify(actor=actors.officer, claim=made[0], today=today))
    measured["claim_approve"] = _once(lambda: claims.claim_approve(actor=actors.approver, claim=made[0], today=today))
    measured["claim_pay"] = _once(
        lambda: claims.claim_pay(
            actor=actors.approver, claim=made[0], reference="TRF-BENCH", paid_on=today, today=today
        )
    )
    return measured


def _new_people(count: int, *, seed: int) -> list[dict[str, object]]:
    villages = list(Region.objects.filter(district_code="14.08.06", level=4).values_list("code", flat=True))
    rows = enrolment_rows(
        People(villages, seed=seed),
        count,
        category="non_asn",
        segment="pu",
        wage=(2_500_000, 3_500_000),
        starts_on=timezone.localdate().replace(day=1),
    )
    # The generator writes the template's headers; a service takes the import's field names.
    return [{HEADER_FIELDS[header]: value for header, value in row.items()} for row in rows]


def _bench_sponsor() -> Sponsor:
    found = Sponsor.objects.filter(name=BENCH_SPONSOR).first()
    return found or sponsor_create(actor=None, kind="pemda", name=BENCH_SPONSOR, region_code="14.08")


def _analyze() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def _arguments(parser: Any) -> None:
    parser.add_argument("--members", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=20, help="Times each write runs (at least 20).")


def _run(options: dict[str, Any]) -> dict[str, Any]:
    if options["members"] <= 0:
        raise CommandError("--members: must be more than zero.", returncode=2)
    if options["repeats"] < 20:
        raise CommandError("--repeats: at least 20, so that p95 means something.", returncode=2)
    return bench_writes(members=options["members"], repeats=options["repeats"])


BENCH = Bench(
    "writes",
    "Time enrol, change, end, pay, reverse and a claim to paid on a sponsor with N members.",
    _arguments,
    _run,
)

"""A payer's ledger: invoices, payments, allocations, outstanding amounts and late penalties.

Everything here is derived from invoice lines and payments, so it can be recomputed at any time:
- a payment settles the oldest invoice with something outstanding first (by period); what is left
  over is credit that settles the next invoice as soon as it exists;
- a reversed payment and its reversal both count for nothing;
- outstanding = invoiced - allocated;
- the late penalty of an invoice accrues per started month after its due date on the PU and Jakon
  contributions still unpaid at the start of that month (BPU has none: it lapses instead).

Allocations are stored (rebuilt per payer after every change) so that pages and coverage can read
them without replaying history.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from itertools import islice

from django.db import connection
from django.db.models import OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce

from lindung.contributions.models import Allocation, Invoice, InvoiceLine, LineKind, Payment
from lindung.core.changes import Change, Payers, changing
from lindung.rules.contributions import penalty_rate
from lindung.rules.money import to_rupiah
from lindung.rules.periods import Period

CHUNK = 2000
# Segments whose late payment is penalised (BPU lapses instead); PU and Jakon share one rate.
PENALISED_SEGMENTS = ("pu", "jakon")


@dataclass
class InvoiceBalance:
    """One invoice as the ledger sees it: its total, what settles it and when."""

    invoice_id: int
    number: str
    period: Period
    due_date: date
    total: int
    penalisable: int  # PU and Jakon contributions and corrections, not penalties
    allocations: list[tuple[date, int]] = field(default_factory=list)

    @property
    def allocated(self) -> int:
        return sum(amount for _day, amount in self.allocations)

    @property
    def outstanding(self) -> int:
        return self.total - self.allocated

    def allocated_by(self, day: date) -> int:
        return sum(amount for paid_on, amount in self.allocations if paid_on <= day)

    def settled_on(self) -> date | None:
        """The day the invoice was paid in full, or None while something is outstanding."""
        if self.total <= 0:
            return self.due_date if self.total == 0 else None
        running = 0
        for paid_on, amount in sorted(self.allocations):
            running += amount
            if running >= self.total:
                return paid_on
        return None


@dataclass
class Ledger:
    """A payer's invoices (oldest first) and the credit its payments left over."""

    invoices: list[InvoiceBalance] = field(default_factory=list)
    credit: int = 0

    @property
    def outstanding(self) -> int:
        return sum(max(balance.outstanding, 0) for balance in self.invoices)

    def overdue(self, today: date) -> int:
        return sum(max(b.outstanding, 0) for b in self.invoices if b.due_date < today)


@dataclass(frozen=True)
class PenaltyAccrual:
    amount: int
    rate: Decimal
    months: int
    basis: int  # the amount unpaid in the last month counted
    legal_basis: str


def chunked(values: Iterable[int], size: int = CHUNK) -> Iterator[list[int]]:
    iterator = iter(values)
    while chunk := list(islice(iterator, size)):
        yield chunk


def effective_payments(payer: Q) -> Iterable[Payment]:
    """A payer's payments that count: neither reversed nor reversals, in the order money came in."""
    return Payment.objects.filter(payer, reverses__isnull=True, reversal__isnull=True).order_by("paid_on", "id")


def load_balances(payer: Q) -> dict[tuple[int | None, int | None], list[InvoiceBalance]]:
    """Invoices with totals for the payers `payer` selects, oldest period first, keyed by (sponsor, person)."""
    rows = (
        Invoice.objects.filter(payer)
        .order_by("period", "id")
        .values_list("id", "number", "sponsor_id", "person_id", "period", "due_date", "total", "penalisable")
    )
    balances: dict[tuple[int | None, int | None], list[InvoiceBalance]] = defaultdict(list)
    for invoice_id, number, sponsor_id, person_id, period, due, total, penalised in rows:
        balances[(sponsor_id, person_id)].append(
            InvoiceBalance(invoice_id, number, Period.parse(period), due, int(total), int(penalised))
        )
    return balances


def refresh_period_totals(invoices: QuerySet[Invoice], period: str) -> None:
    """`refresh_invoice_totals` for invoices of one period, set-based: one grouped pass over that
    period's lines (its partition) instead of an index scan of each invoice's lines, which took a
    minute for five million members. An invoice's lines all carry its period."""
    ids_sql, ids_params = invoices.order_by().values("id").query.sql_with_params()
    kinds = ", ".join(f"'{kind}'" for kind in (LineKind.CONTRIBUTION, LineKind.CORRECTION))
    segments = ", ".join(f"'{segment}'" for segment in PENALISED_SEGMENTS)
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            UPDATE contributions_invoice SET total = sums.total, penalisable = sums.penalisable
            FROM (
                SELECT l.invoice_id, SUM(l.amount) AS total,
                       SUM(CASE WHEN l.kind IN ({kinds}) AND l.segment IN ({segments}) THEN l.amount ELSE 0 END)
                         AS penalisable
                FROM contributions_invoiceline l
                WHERE l.period = %s AND l.invoice_id IN ({ids_sql})
                GROUP BY l.invoice_id
            ) AS sums
            WHERE contributions_invoice.id = sums.invoice_id
            """,  # noqa: S608 (kinds and segments are constants of this module)
            [period, *ids_params],
        )


def refresh_invoice_totals(invoices: QuerySet[Invoice]) -> None:
    """Store each invoice's total and penalisable amount from its lines (after lines were written)."""
    lines = InvoiceLine.objects.filter(invoice_id=OuterRef("pk")).order_by().values("invoice_id")
    penalised = lines.filter(kind__in=[LineKind.CONTRIBUTION, LineKind.CORRECTION], segment__in=PENALISED_SEGMENTS)
    invoices.update(
        total=Coalesce(Subquery(lines.annotate(s=Sum("amount")).values("s")), 0),
        penalisable=Coalesce(Subquery(penalised.annotate(s=Sum("amount")).values("s")), 0),
    )


def _refresh_allocated(invoices: QuerySet[Invoice]) -> None:
    """Store what is allocated to each invoice (after allocations were rebuilt)."""
    allocated = Allocation.objects.filter(invoice_id=OuterRef("pk")).order_by().values("invoice_id")
    invoices.update(allocated=Coalesce(Subquery(allocated.annotate(s=Sum("amount")).values("s")), 0))


def rebuild_allocations(*, sponsor_ids: Iterable[int] = (), person_ids: Iterable[int] = ()) -> None:
    """Recompute the allocations of these payers from scratch: oldest invoice first, credit carried.

    Allocations decide what is collected and which months are paid, so the change is announced."""
    sponsor_ids, person_ids = sorted(set(sponsor_ids)), sorted(set(person_ids))
    with changing(Change(payers=Payers(sponsor_ids=tuple(sponsor_ids), person_ids=tuple(person_ids)))):
        _rebuild_allocations(sponsor_ids, person_ids)


def _rebuild_allocations(sponsor_ids: list[int], person_ids: list[int]) -> None:
    for column, ids in (("sponsor_id", sponsor_ids), ("person_id", person_ids)):
        for chunk in chunked(ids):
            payer = Q(**{f"{column}__in": chunk})
            Allocation.objects.filter(Q(**{f"payment__{column}__in": chunk})).delete()
            balances = load_balances(payer)
            payments: dict[tuple[int | None, int | None], list[Payment]] = defaultdict(list)
            for payment in effective_payments(payer):
                payments[(payment.sponsor_id, payment.person_id)].append(payment)
            rows: list[Allocation] = []
            for key, invoices in balances.items():
                rows.extend(_allocate(invoices, payments.get(key, [])))
            Allocation.objects.bulk_create(rows, batch_size=1000)
            _refresh_allocated(Invoice.objects.filter(payer))


def _allocate(invoices: list[InvoiceBalance], payments: list[Payment]) -> list[Allocation]:
    """Each payment, in the order it came, fills the oldest invoices still open."""
    open_amounts = [max(balance.total, 0) for balance in invoices]
    rows = []
    for payment in payments:
        left = payment.amount
        for index, balance in enumerate(invoices):
            if left <= 0:
                break
            take = min(left, open_amounts[index])
            if take <= 0:
                continue
            open_amounts[index] -= take
            left -= take
            rows.append(
                Allocation(payment=payment, invoice_id=balance.invoice_id, amount=take, paid_on=payment.paid_on)
            )
    return rows


def ledger_for(payer: Q) -> Ledger:
    """One payer's ledger from the stored allocations (after rebuild_allocations)."""
    balances = next(iter(load_balances(payer).values()), [])
    by_invoice = {balance.invoice_id: balance for balance in balances}
    allocations = Allocation.objects.filter(invoice_id__in=list(by_invoice)).order_by("paid_on", "id")
    for invoice_id, paid_on, amount in allocations.values_list("invoice_id", "paid_on", "amount"):
        by_invoice[invoice_id].allocations.append((paid_on, amount))
    paid = sum(payment.amount for payment in effective_payments(payer))
    return Ledger(invoices=balances, credit=paid - sum(b.allocated for b in balances))


def attach_allocations(balances: list[InvoiceBalance]) -> None:
    by_invoice = {balance.invoice_id: balance for balance in balances}
    for chunk in chunked(by_invoice):
        rows = Allocation.objects.filter(invoice_id__in=chunk).order_by("paid_on", "id")
        for invoice_id, paid_on, amount in rows.values_list("invoice_id", "paid_on", "amount"):
            by_invoice[invoice_id].allocations.append((paid_on, amount))


def add_months(day: date, months: int) -> date:
    return Period(day.year, day.month).shifted(months).day(day.day)


def accrued_penalty(balance: InvoiceBalance, cutoff: date) -> PenaltyAccrual | None:
    """The penalty an invoice has accrued by `cutoff`: for each month of lateness that has started
    (the k-th starts the day after the due date shifted k-1 months), the rate times what of its PU and
    Jakon contributions was still unpaid at the end of the day before. Rounded once, half up."""
    rate = penalty_rate(balance.period, "pu")
    if rate is None or balance.penalisable <= 0:
        return None
    monthly, legal_basis = rate
    total, months, unpaid = Decimal(0), 0, 0
    while (last_day_in_time := add_months(balance.due_date, months)) < cutoff:
        unpaid = max(balance.penalisable - balance.allocated_by(last_day_in_time), 0)
        if unpaid == 0:
            break
        total += unpaid * monthly
        months += 1
    if months == 0:
        return None
    return PenaltyAccrual(to_rupiah(total), monthly, months, unpaid, legal_basis)


def penalties_billed(invoice_ids: list[int]) -> dict[int, int]:
    """Penalty already billed per overdue invoice (on later invoices)."""
    billed: dict[int, int] = {}
    for chunk in chunked(invoice_ids):
        rows = (
            InvoiceLine.objects.filter(kind=LineKind.PENALTY, penalty_for_id__in=chunk)
            .values("penalty_for_id")
            .annotate(amount=Sum("amount"))
        )
        billed.update({row["penalty_for_id"]: int(row["amount"]) for row in rows})
    return billed

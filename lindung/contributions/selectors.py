"""Reads of the contributions app, always through the scoping function (outside the actor's regions is 404)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, Exists, F, Min, OuterRef, Q, QuerySet, Sum
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from lindung.accounts.models import User
from lindung.accounts.permissions import require
from lindung.accounts.roles import Capability
from lindung.contributions.ledger import InvoiceBalance, Ledger, ledger_for
from lindung.contributions.models import (
    BankStatement,
    BillingStart,
    Invoice,
    InvoiceLine,
    LineKind,
    Payment,
    PriorPayment,
)
from lindung.core.scoping import scoped
from lindung.registry.models import GOVERNMENT_SPONSOR_KINDS, Membership, Sponsor
from lindung.rules.periods import Period


@dataclass
class StatementInvoice:
    """An invoice row of a sponsor's statement."""

    invoice: Invoice
    balance: InvoiceBalance
    penalties: int  # penalty lines billed on this invoice

    @property
    def status(self) -> str:
        return _status(self.balance)


@dataclass
class SponsorStatement:
    sponsor: Sponsor
    ledger: Ledger
    invoices: list[StatementInvoice]
    payments: Sequence[Payment]
    today: date

    @property
    def invoiced(self) -> int:
        return sum(row.balance.total for row in self.invoices)

    @property
    def paid(self) -> int:
        return sum(payment.amount for payment in self.payments)

    @property
    def penalties(self) -> int:
        return sum(row.penalties for row in self.invoices)

    @property
    def overdue(self) -> int:
        return self.ledger.overdue(self.today)


def _status(balance: InvoiceBalance) -> str:
    if balance.outstanding <= 0:
        return _("Paid")
    if balance.allocated > 0:
        return _("Partly paid")
    return _("Unpaid")


def sponsor_statement(*, actor: User, sponsor: Sponsor, today: date) -> SponsorStatement:
    """Invoices (newest first) with what settles them, payments, outstanding and penalties."""
    require(actor, Capability.VIEW_CONTRIBUTIONS)
    ledger = ledger_for(Q(sponsor_id=sponsor.pk))
    invoices = {invoice.pk: invoice for invoice in Invoice.objects.filter(sponsor=sponsor)}
    penalties = dict(
        InvoiceLine.objects.filter(invoice__sponsor=sponsor, kind=LineKind.PENALTY)
        .values("invoice_id")
        .annotate(amount=Sum("amount"))
        .values_list("invoice_id", "amount")
    )
    rows = [
        StatementInvoice(invoices[balance.invoice_id], balance, int(penalties.get(balance.invoice_id, 0)))
        for balance in reversed(ledger.invoices)
    ]
    payments = list(
        Payment.objects.filter(sponsor=sponsor)
        .annotate(was_reversed=Exists(Payment.objects.filter(reverses=OuterRef("pk"))))
        .select_related("reverses", "entered_by")
        .order_by("-paid_on", "-id")
    )
    return SponsorStatement(sponsor, ledger, rows, payments, today)


def invoice_get(*, actor: User, invoice_id: int) -> Invoice:
    require(actor, Capability.VIEW_CONTRIBUTIONS)
    return get_object_or_404(scoped(Invoice.objects.select_related("sponsor", "person"), actor=actor), pk=invoice_id)


def invoice_balance(invoice: Invoice) -> InvoiceBalance:
    payer = Q(sponsor_id=invoice.sponsor_id) if invoice.sponsor_id else Q(person_id=invoice.person_id)
    ledger = ledger_for(payer)
    return next(balance for balance in ledger.invoices if balance.invoice_id == invoice.pk)


def invoice_lines(invoice: Invoice) -> QuerySet[InvoiceLine]:
    """Lines with the member's name and masked NIK (a list: the NIK stays masked)."""
    return invoice.lines.select_related("membership__person", "penalty_for").order_by("kind", "membership_id", "id")


def invoice_program_totals(invoice: Invoice) -> list[dict[str, object]]:
    return list(invoice.lines.values("program").annotate(amount=Sum("amount")).order_by("program"))


def payment_get(*, actor: User, payment_id: int) -> Payment:
    require(actor, Capability.VIEW_CONTRIBUTIONS)
    return get_object_or_404(scoped(Payment.objects.select_related("sponsor"), actor=actor), pk=payment_id)


def unmatched_payments(*, actor: User) -> QuerySet[Payment]:
    """The queue: payments nobody could match, in the actor's regions, oldest first."""
    require(actor, Capability.RECORD_PAYMENTS)
    queue = Payment.objects.filter(sponsor__isnull=True, person__isnull=True, reversal__isnull=True)
    return scoped(queue, actor=actor).select_related("statement").order_by("paid_on", "id")


def statements(*, actor: User) -> QuerySet[BankStatement]:
    require(actor, Capability.RECORD_PAYMENTS)
    return scoped(BankStatement.objects.select_related("uploaded_by"), actor=actor)


def payable_sponsors(*, actor: User) -> QuerySet[Sponsor]:
    """Sponsors an officer may match a payment to."""
    require(actor, Capability.RECORD_PAYMENTS)
    sponsors = scoped(Sponsor.objects.all(), actor=actor).order_by("name")
    if not actor.can(Capability.RECORD_ANY_PAYMENTS):
        sponsors = sponsors.filter(kind__in=GOVERNMENT_SPONSOR_KINDS)
    return sponsors


@dataclass(frozen=True)
class PriorMonths:
    """A sponsor's months before Lindung: those recorded as paid, and those without a record."""

    paid: list[PriorPayment]
    missing: list[str]

    @property
    def amount(self) -> int:
        return sum(row.amount or 0 for row in self.paid)


def prior_months(sponsor: Sponsor) -> PriorMonths:
    """From the sponsor's first membership to the month before Lindung bills it (newest first)."""
    start = BillingStart.objects.filter(sponsor=sponsor).values_list("bills_from", flat=True).first()
    if start is None:
        return PriorMonths([], [])
    paid = list(
        PriorPayment.objects.filter(sponsor=sponsor, period__lt=start).select_related("imported").order_by("-period")
    )
    first_day = Membership.objects.filter(sponsor=sponsor).aggregate(first=Min("starts_on"))["first"]
    recorded = {row.period for row in paid}
    missing = []
    if first_day is not None:
        month, bills_from = Period(first_day.year, first_day.month), Period.parse(start)
        while month < bills_from:
            if str(month) not in recorded:
                missing.append(str(month))
            month = month.shifted(1)
    return PriorMonths(paid, missing[::-1])


# A self-paying BPU member lapses after this many unpaid months in a row (coverage.BPU_LAPSE_AFTER):
# one more and the protection stops, so the worklist warns at exactly this many.
LAPSE_WARNING_MONTHS = 3


def overdue_invoices(*, actor: User, today: date, self_payers_only: bool = False) -> QuerySet[Invoice]:
    """Invoices in the actor's regions past their due date and not fully paid, oldest due first.

    "Not fully paid" reads the invoice's own running total of allocations (kept by every
    allocation), so the list costs the overdue invoices, not the ledger of every payer."""
    require(actor, Capability.VIEW_CONTRIBUTIONS)
    invoices = Invoice.objects.filter(due_date__lt=today, allocated__lt=F("total"))
    if self_payers_only:
        invoices = invoices.filter(person__isnull=False)
    return scoped(invoices, actor=actor).select_related("sponsor", "person").order_by("due_date", "id")


def self_payers_about_to_lapse(*, actor: User, today: date) -> QuerySet[Invoice, dict[str, Any]]:
    """Self-paying members whose last LAPSE_WARNING_MONTHS monthly invoices are all unpaid: one more
    unpaid month and their BPU protection lapses (Perdir 22/2022). One row per person."""
    require(actor, Capability.VIEW_CONTRIBUTIONS)
    this_month = Period(today.year, today.month)
    months = [str(this_month.shifted(-back)) for back in range(1, LAPSE_WARNING_MONTHS + 1)]
    unpaid = Invoice.objects.filter(person__isnull=False, period__in=months, allocated__lt=F("total"))
    return (
        scoped(unpaid, actor=actor)
        .values("person_id")
        .annotate(unpaid_months=Count("id"))
        .filter(unpaid_months=LAPSE_WARNING_MONTHS)
    )

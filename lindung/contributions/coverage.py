"""Coverage: was a membership protected in a month, and is a person covered on a day, and why.

Derived on demand from invoice lines, allocations and the rules, so it can be recomputed at any
time and never disagrees with the ledger:
- PU and Jakon: the employer's duty. The member is protected every month the membership runs; when
  the employer has overdue contributions, a claim is held until they are paid (rules.md section 3).
- BPU: protected in a month whose contribution is paid; an unpaid month gives no benefit; after
  more than 3 consecutive unpaid months the membership ends (Perdir 22/2022, rules.md 1.2).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Q, QuerySet, Sum
from django.utils.translation import gettext as _

from lindung.contributions.ledger import InvoiceBalance, Ledger, ledger_for
from lindung.contributions.models import BillingStart, InvoiceLine, LineKind, PriorPayment
from lindung.registry.models import Membership
from lindung.rules.periods import Period

BPU_LAPSE_AFTER = 3  # consecutive unpaid months tolerated (Perdir 22/2022)


class Status:
    PAID = "dibayar"
    NOT_DUE = "belum_jatuh_tempo"
    HELD = "klaim_ditahan"
    NOT_BILLED = "belum_ditagih"
    AWAITING = "menunggu_pembayaran"
    UNPAID = "tidak_dibayar"
    LAPSED = "berakhir"
    NONE = "tidak_terdaftar"
    PAID_BEFORE_LINDUNG = "dibayar_sebelum_lindung"
    NOT_RECORDED = "tanpa_catatan_sebelum_lindung"


@dataclass(frozen=True)
class MonthCoverage:
    period: Period
    segment: str
    covered: bool
    status: str
    reason: str
    invoice: str = ""
    due_date: date | None = None
    paid_on: date | None = None

    @property
    def claim_held(self) -> bool:
        return self.status == Status.HELD


@dataclass(frozen=True)
class CoverageAnswer:
    """'Is this person covered on day D?' with the membership and month that decide it."""

    day: date
    covered: bool
    status: str
    reason: str
    membership: Membership | None = None
    month: MonthCoverage | None = None

    @property
    def claim_held(self) -> bool:
        return self.status == Status.HELD


def membership_months(membership: Membership, *, today: date) -> list[MonthCoverage]:
    """Every month of the membership up to today's month (or its end), oldest first."""
    first = Period(membership.starts_on.year, membership.starts_on.month)
    last = Period(today.year, today.month)
    if membership.ends_on is not None:
        last = min(last, Period(membership.ends_on.year, membership.ends_on.month))
    billed = _billed_months(membership)
    segment_in = _segments(membership)
    ledger = _payer_ledger(membership)
    balances = {balance.invoice_id: balance for balance in ledger.invoices}
    in_arrears = ledger.overdue(today) > 0
    months: list[MonthCoverage] = []
    unpaid_run = 0
    lapsed = False
    period = first
    history = _before_lindung(membership)
    while period <= last:
        invoice_id, segment = billed.get(period) or (None, segment_in(period))
        balance = balances.get(invoice_id) if invoice_id else None
        if history.holds(period):
            month = history.month(period, segment, in_arrears=in_arrears)
        elif segment == "bpu":
            month = _bpu_month(period, balance, today, lapsed=lapsed)
            unpaid_run = unpaid_run + 1 if month.status == Status.UNPAID else 0
            if unpaid_run > BPU_LAPSE_AFTER and not lapsed:
                lapsed = True
                month = _lapsed(period, balance)
        else:
            month = _employer_month(period, segment, balance, in_arrears)
        months.append(month)
        period = period.shifted(1)
    return months


def covered_on(memberships: QuerySet[Membership], day: date, *, today: date) -> CoverageAnswer:
    """Whether a person is protected on `day`, deciding by the best of her `memberships` running then.

    The caller passes the memberships its actor may see (registry's `person_memberships`), so that
    the answer never names a sponsor of another region."""
    candidates = []
    for membership in memberships.filter(starts_on__lte=day).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day)):
        month = next(
            (m for m in membership_months(membership, today=max(today, day)) if m.period == _period(day)), None
        )
        if month is not None:
            candidates.append((membership, month))
    if not candidates:
        return CoverageAnswer(day, False, Status.NONE, _("No membership was running on this day."))
    membership, month = max(candidates, key=lambda pair: (pair[1].covered, not pair[1].claim_held))
    return CoverageAnswer(day, month.covered, month.status, month.reason, membership, month)


@dataclass(frozen=True)
class BeforeLindung:
    """A sponsor's months before Lindung bills it (lindung.contributions.prior): paid to the agency
    directly when its payment history says so."""

    bills_from: Period | None = None
    paid: dict[Period, PriorPayment] = field(default_factory=dict)

    def holds(self, period: Period) -> bool:
        return self.bills_from is not None and period < self.bills_from

    def month(self, period: Period, segment: str, *, in_arrears: bool) -> MonthCoverage:
        payment = self.paid.get(period)
        if payment is None:
            if segment == "bpu":
                reason = _("Not protected: no payment is recorded for this month before Lindung.")
                return MonthCoverage(period, segment, False, Status.NOT_RECORDED, reason)
            reason = _("Protected by the employer's duty; no payment is recorded for this month before Lindung.")
            return MonthCoverage(period, segment, True, Status.NOT_RECORDED, reason)
        if in_arrears and segment != "bpu":
            reason = _("Protected, but the employer is in arrears: a claim is held until the arrears are paid.")
            return MonthCoverage(period, segment, True, Status.HELD, reason, paid_on=payment.paid_on)
        reason = _("Protected; paid to BPJS Ketenagakerjaan before Lindung (payment history: %(source)s).") % {
            "source": payment.imported.source
        }
        return MonthCoverage(period, segment, True, Status.PAID_BEFORE_LINDUNG, reason, paid_on=payment.paid_on)


def _before_lindung(membership: Membership) -> BeforeLindung:
    if membership.sponsor_id is None:
        return BeforeLindung()
    start = BillingStart.objects.filter(sponsor_id=membership.sponsor_id).values_list("bills_from", flat=True).first()
    if start is None:
        return BeforeLindung()
    paid = PriorPayment.objects.filter(sponsor_id=membership.sponsor_id, period__lt=start).select_related("imported")
    return BeforeLindung(Period.parse(start), {Period.parse(row.period): row for row in paid})


def _period(day: date) -> Period:
    return Period(day.year, day.month)


def _billed_months(membership: Membership) -> dict[Period, tuple[int, str]]:
    """period -> (invoice, segment) for the months with a positive billed contribution."""
    rows = (
        InvoiceLine.objects.filter(membership=membership)
        .exclude(kind=LineKind.PENALTY)
        .values("period", "segment")
        .annotate(amount=Sum("amount"))
    )
    first_invoice = dict(
        InvoiceLine.objects.filter(membership=membership, kind=LineKind.CONTRIBUTION).values_list(
            "period", "invoice_id"
        )
    )
    return {
        Period.parse(row["period"]): (first_invoice[row["period"]], row["segment"])
        for row in rows
        if row["amount"] > 0 and row["period"] in first_invoice
    }


def _segments(membership: Membership) -> Callable[[Period], str]:
    """The segment of the version in force at the end of a month (one query for all the months)."""
    versions = list(membership.versions.order_by("-effective_from").values_list("effective_from", "segment"))

    def segment_in(period: Period) -> str:
        last_day = period.day(31)
        return next((segment for since, segment in versions if since <= last_day), "")

    return segment_in


def _payer_ledger(membership: Membership) -> Ledger:
    if membership.sponsor_id is not None:
        return ledger_for(Q(sponsor_id=membership.sponsor_id))
    return ledger_for(Q(person_id=membership.person_id))


def _employer_month(period: Period, segment: str, balance: InvoiceBalance | None, in_arrears: bool) -> MonthCoverage:
    if balance is None:
        return MonthCoverage(period, segment, True, Status.NOT_BILLED, _("Protected; not billed yet."))
    paid_on = balance.settled_on()
    if in_arrears:
        reason = _("Protected, but the employer is in arrears: a claim is held until the arrears are paid.")
        return _billed(period, segment, True, Status.HELD, reason, balance)
    if paid_on is not None:
        return _billed(period, segment, True, Status.PAID, _("Protected; the contribution is paid."), balance)
    reason = _("Protected; the contribution is due on %(day)s.") % {"day": balance.due_date.strftime("%d-%m-%Y")}
    return _billed(period, segment, True, Status.NOT_DUE, reason, balance)


def _bpu_month(period: Period, balance: InvoiceBalance | None, today: date, *, lapsed: bool) -> MonthCoverage:
    if lapsed:
        return _lapsed(period, balance)
    if balance is None:
        return MonthCoverage(period, "bpu", False, Status.NOT_BILLED, _("Not protected: the month is not billed yet."))
    paid_on = balance.settled_on()
    if paid_on is not None:
        return _billed(period, "bpu", True, Status.PAID, _("Protected; the contribution is paid."), balance)
    if balance.due_date >= today:
        reason = _("Not protected until the contribution due on %(day)s is paid.") % {
            "day": balance.due_date.strftime("%d-%m-%Y")
        }
        return _billed(period, "bpu", False, Status.AWAITING, reason, balance)
    reason = _("Not protected: the contribution of this month is unpaid (no benefit for an unpaid month).")
    return _billed(period, "bpu", False, Status.UNPAID, reason, balance)


def _billed(
    period: Period, segment: str, covered: bool, status: str, reason: str, balance: InvoiceBalance
) -> MonthCoverage:
    """A billed month, with its invoice, due date and the day it was paid in full."""
    return MonthCoverage(
        period, segment, covered, status, reason, balance.number, balance.due_date, balance.settled_on()
    )


def _lapsed(period: Period, balance: InvoiceBalance | None) -> MonthCoverage:
    reason = _("Not protected: the membership ended after more than 3 consecutive unpaid months (Perdir 22/2022).")
    return MonthCoverage(
        period,
        "bpu",
        False,
        Status.LAPSED,
        reason,
        invoice=balance.number if balance else "",
        due_date=balance.due_date if balance else None,
    )


def months_by_membership(memberships: list[Membership], *, today: date) -> dict[int, list[MonthCoverage]]:
    """Timelines for a person's page."""
    timelines: dict[int, list[MonthCoverage]] = defaultdict(list)
    for membership in memberships:
        timelines[membership.pk] = membership_months(membership, today=today)
    return dict(timelines)

"""Demo contributions for `make run`: six months billed, most sponsors paying, some late or short.

Deterministic (seeded per sponsor), so every new machine shows the same statements: most pay in
full before the due date, some pay late (and get a penalty on the next invoice), some pay part,
a few pay nothing; one bank transfer from an unknown account waits in the queue.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Q

from lindung.contributions.models import (
    BankStatement,
    Invoice,
    Payment,
    PaymentSource,
    PriorPayment,
    PriorPaymentImport,
)
from lindung.contributions.payments import Payer, payment_record
from lindung.contributions.prior import billing_start_set
from lindung.contributions.services import billing_run
from lindung.registry.models import Membership, Sponsor
from lindung.rules.periods import Period

MONTHS = 6


def demo_contributions_ensure(today: date) -> dict[str, int] | None:
    """Bill the six months before `today`'s and record payments; None when already there."""
    if Invoice.objects.exists():
        return None
    current = Period(today.year, today.month)
    periods = [current.shifted(offset) for offset in range(-MONTHS, 0)]
    history = _siak_paid_since_2019(periods[0])
    payments = 0
    for period in periods:
        billing_day = period.shifted(1).first_day + timedelta(days=1)
        billing_run(actor=None, period=str(period), today=billing_day)
        payments += _pay(period, today)
    _unknown_transfer(today)
    return {
        "periods": len(periods),
        "invoices": Invoice.objects.count(),
        "payments": payments,
        "months_paid_before_lindung": history,
    }


# Pemkab Siak's non-ASN staff: JKK (risk class 1, 0.24%) and JKM (0.30%) on wages of Rp2-3.5 million.
SIAK_MONTHLY_PER_MEMBER = 14_850


def _siak_paid_since_2019(bills_from: Period) -> int:
    """Pemkab Siak has paid for its non-ASN staff since January 2019 (scenarios.md); Lindung bills it
    from the demo's first billed month, and the months before are the agency's payment history."""
    pemkab = Sponsor.objects.filter(name="Pemerintah Kabupaten Siak").first()
    if pemkab is None:
        return 0
    billing_start_set(actor=None, sponsor=pemkab, bills_from=bills_from, note="Demo: Lindung dipasang")
    imported = PriorPaymentImport.objects.create(
        sponsor=pemkab,
        region_id=pemkab.region_id,
        source="Demo: riwayat iuran Pemkab Siak di BPJS Ketenagakerjaan Cabang Siak sejak 2019 (angka buatan)",
        file_name="demo",
    )
    rows, month = [], Period(2019, 1)
    while month < bills_from:
        last_day = month.shifted(1).first_day - timedelta(days=1)
        members = (
            Membership.objects.filter(sponsor=pemkab, starts_on__lte=last_day)
            .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=month.first_day))
            .count()
        )
        paid_on = month.shifted(1).first_day + timedelta(days=9)
        if members:
            rows.append(
                PriorPayment(
                    sponsor=pemkab,
                    region_id=pemkab.region_id,
                    period=str(month),
                    members=members,
                    amount=members * SIAK_MONTHLY_PER_MEMBER,
                    paid_on=paid_on,
                    imported=imported,
                )
            )
        month = month.shifted(1)
    PriorPayment.objects.bulk_create(rows)
    imported.summary = {"months": len(rows), "replaced": 0, "problems": []}
    imported.save(update_fields=["summary"])
    return len(rows)


def _pay(period: Period, today: date) -> int:
    """Each payer's habit (a sponsor or a self-paying member) decides when and how much it pays this period."""
    count = 0
    for invoice in Invoice.objects.filter(period=str(period)).select_related("sponsor", "person"):
        payer = Payer(sponsor=invoice.sponsor, person=invoice.person)
        habit = random.Random(invoice.number.rsplit("/", 1)[1]).random()  # noqa: S311 - demo data, not security
        total = sum(invoice.lines.values_list("amount", flat=True))
        if habit < 0.05 or total <= 0:
            continue  # never pays: in arrears
        if habit < 0.15:
            day, amount = invoice.due_date - timedelta(days=3), total * 6 // 10  # pays part
        elif habit < 0.30:
            day, amount = invoice.due_date + timedelta(days=40), total  # pays late
        else:
            day, amount = invoice.due_date - timedelta(days=5), total
        if day > today:
            continue
        payment_record(
            actor=None,
            payer=payer,
            paid_on=day,
            amount=amount,
            reference=f"Iuran {invoice.number}",
        )
        count += 1
    return count


def _unknown_transfer(today: date) -> None:
    invoice = Invoice.objects.filter(sponsor__isnull=False).order_by("-period", "id").first()
    if invoice is None:
        return
    with transaction.atomic():
        statement = BankStatement.objects.create(
            file_name="mutasi-demo.csv",
            region_id=invoice.region_id,
            summary={"rows": 1, "payments": 1, "matched": 0, "unmatched": 1, "duplicates": 0, "errors": []},
        )
        Payment.objects.create(
            region_id=invoice.region_id,
            paid_on=today - timedelta(days=2),
            amount=1_250_000,
            reference="TRF IURAN BPJSTK PEMDES",
            payer_account="0123456789",
            source=PaymentSource.BANK,
            statement=statement,
        )

"""Invoices and their lines. Money is whole rupiah; a billed line is never edited, only corrected.

An invoice is one payer's bill for one period (YYYY-MM): a sponsor's, or a self-paying member's.
Its lines say what each membership owes for each program, with the basis, rate, rule version and
legal basis the rules used that month. A later run that finds the amount changed (a new wage
version, a membership ended retroactively) adds a correction line for the difference.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lindung.regions.models import Region
from lindung.registry.models import REGION_REFERENCE, Membership, Person, Sponsor


class AppendOnlyError(RuntimeError):
    """Billed lines are history: corrections are new lines."""


class BillingRun(models.Model):
    """One run of billing for a period over a scope, with what it did (for the audit trail and the CLI)."""

    region_path: ClassVar[str] = "region"

    period = models.CharField(_("period"), max_length=7)
    region = models.ForeignKey(Region, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    sponsor = models.ForeignKey(Sponsor, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    summary = models.JSONField(default=dict)

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.period} #{self.pk}"


class Invoice(models.Model):
    """A payer's bill for one period. Its total is the sum of its lines; what is owed is derived.

    `total`, `penalisable` and `allocated` cache sums of its lines and allocations, kept by the only
    two writers of those (billing and the ledger, see ledger.refresh_invoice_figures), so that a
    payment or a dashboard never sums a hundred thousand lines to know whether an invoice is paid."""

    region_path: ClassVar[str] = "region"

    number = models.CharField(_("number"), max_length=40)
    sponsor = models.ForeignKey(Sponsor, null=True, blank=True, on_delete=models.PROTECT, related_name="invoices")
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="invoices")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", **REGION_REFERENCE)
    period = models.CharField(_("period"), max_length=7)
    due_date = models.DateField(_("due date"))
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    total = models.BigIntegerField(_("total (Rp)"), default=0, db_default=0, editable=False)
    penalisable = models.BigIntegerField(
        default=0, db_default=0, editable=False
    )  # PU and Jakon contributions and corrections
    allocated = models.BigIntegerField(_("paid (Rp)"), default=0, db_default=0, editable=False)

    class Meta:
        verbose_name = _("invoice")
        ordering = ["period", "id"]
        constraints = [
            models.UniqueConstraint(fields=["number"], name="invoice_number_unique"),
            models.UniqueConstraint(
                fields=["sponsor", "period"], condition=Q(sponsor__isnull=False), name="invoice_one_per_sponsor"
            ),
            models.UniqueConstraint(
                fields=["person", "period"], condition=Q(person__isnull=False), name="invoice_one_per_self_payer"
            ),
            models.CheckConstraint(
                condition=Q(sponsor__isnull=False, person__isnull=True) | Q(sponsor__isnull=True, person__isnull=False),
                name="invoice_one_payer",
            ),
        ]
        indexes = [models.Index(fields=["region", "period"], name="invoice_region_period")]

    def __str__(self) -> str:
        return self.number


class LineKind(models.TextChoices):
    CONTRIBUTION = "iuran", _("Contribution")
    CORRECTION = "koreksi", _("Correction")
    PENALTY = "denda", _("Late penalty")


class InvoiceLine(models.Model):
    """What one membership owes for one program and period, as the rules in force computed it."""

    region_path: ClassVar[str] = "invoice__region"

    # No database foreign keys to invoices, memberships and runs: PostgreSQL checks each one per line
    # at commit, which took 40 s of a 1,000,000-member run. Lines are written only by the billing
    # statements, which take these ids from the referenced rows in the same statement, and invoices,
    # memberships and runs are never deleted (PROTECT), so the references hold by construction.
    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="lines", db_constraint=False)
    # Null on penalty lines, which belong to the invoice, not to a member.
    membership = models.ForeignKey(
        Membership,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    period = models.CharField(_("period"), max_length=7)
    kind = models.CharField(_("kind"), max_length=7, choices=LineKind.choices)
    program = models.CharField(_("program"), max_length=5)
    # The member's segment that month (pu, bpu, jakon): it decides whether late payment is penalised.
    segment = models.CharField(_("segment"), max_length=5, blank=True)
    # On a penalty line: the overdue invoice it charges for.
    penalty_for = models.ForeignKey(
        "Invoice", null=True, blank=True, on_delete=models.PROTECT, related_name="penalties", db_index=False
    )
    basis = models.BigIntegerField(_("basis (Rp)"))
    rate = models.DecimalField(_("rate"), max_digits=9, decimal_places=6, null=True, blank=True)
    amount = models.BigIntegerField(_("amount (Rp)"))
    employer_share = models.BigIntegerField(default=0)
    worker_share = models.BigIntegerField(default=0)
    rules_version = models.CharField(_("rule version"), max_length=40)
    legal_basis = models.CharField(_("legal basis"), max_length=200)
    run = models.ForeignKey(
        BillingRun, null=True, on_delete=models.PROTECT, related_name="+", db_index=False, db_constraint=False
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("invoice line")
        ordering = ["invoice_id", "id"]
        indexes = [
            # A member's history (coverage). A period's lines are found through its invoices.
            models.Index(fields=["membership", "period"], name="line_membership_period"),
            models.Index(fields=["penalty_for"], condition=Q(penalty_for__isnull=False), name="line_penalty_for"),
        ]

    def __str__(self) -> str:
        return f"{self.invoice_id} {self.program} {self.amount}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AppendOnlyError("invoice lines are never edited; add a correction line")
        super().save(*args, **kwargs)


class PayerAccount(models.Model):
    """A bank account known to belong to a sponsor: a statement row from it is matched without asking."""

    region_path: ClassVar[str] = "region"

    account = models.CharField(_("account number"), max_length=34)
    # The office whose statements this account is known in: one region's match never routes the
    # bank lines another region receives.
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", **REGION_REFERENCE)
    sponsor = models.ForeignKey(Sponsor, on_delete=models.PROTECT, related_name="payer_accounts")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["account", "region"], name="payer_account_per_region")]

    def __str__(self) -> str:
        return self.account


class BankStatement(models.Model):
    """One uploaded bank-statement CSV and what became of its rows."""

    region_path: ClassVar[str] = "region"

    file_name = models.CharField(_("file"), max_length=200)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", **REGION_REFERENCE)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now, editable=False)
    summary = models.JSONField(default=dict)

    class Meta:
        ordering = ["-uploaded_at", "-id"]

    def __str__(self) -> str:
        return self.file_name


class PaymentSource(models.TextChoices):
    MANUAL = "manual", _("Entered by hand")
    BANK = "bank", _("Bank statement")
    REVERSAL = "reversal", _("Reversal")


class Payment(models.Model):
    """Money received (or, as a reversal, taken back). Never deleted: a mistake is reversed by a new entry.

    A payment without a payer waits in the unmatched queue until an officer names the sponsor.
    """

    region_path: ClassVar[str] = "region"

    sponsor = models.ForeignKey(Sponsor, null=True, blank=True, on_delete=models.PROTECT, related_name="payments")
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="payments")
    # The payer's region, or for an unmatched payment the region of the office that received it.
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", **REGION_REFERENCE)
    paid_on = models.DateField(_("payment date"))
    amount = models.BigIntegerField(_("amount (Rp)"))
    reference = models.CharField(_("reference"), max_length=140, blank=True)
    payer_account = models.CharField(_("payer account"), max_length=34, blank=True)
    source = models.CharField(_("source"), max_length=8, choices=PaymentSource.choices)
    statement = models.ForeignKey(
        BankStatement, null=True, blank=True, on_delete=models.PROTECT, related_name="payments"
    )
    reverses = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="reversal", verbose_name=_("reverses")
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    matched_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    matched_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("payment")
        ordering = ["paid_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(sponsor__isnull=True) | Q(person__isnull=True), name="payment_at_most_one_payer"
            ),
        ]
        indexes = [
            models.Index(fields=["sponsor", "paid_on"], name="payment_sponsor_day"),
            models.Index(fields=["person", "paid_on"], name="payment_person_day"),
            models.Index(
                fields=["region"], condition=Q(sponsor__isnull=True, person__isnull=True), name="payment_unmatched"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.paid_on} {self.amount}"

    @property
    def is_matched(self) -> bool:
        return self.sponsor_id is not None or self.person_id is not None


class Allocation(models.Model):
    """How much of a payment settles an invoice: derived, oldest invoice first, rebuilt for a payer
    whenever its invoices or payments change (see lindung.contributions.ledger)."""

    payment = models.ForeignKey(Payment, on_delete=models.CASCADE, related_name="allocations")
    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="allocations")
    amount = models.BigIntegerField()
    paid_on = models.DateField()

    class Meta:
        indexes = [models.Index(fields=["invoice", "paid_on"], name="allocation_invoice_day")]

    def __str__(self) -> str:
        return f"{self.payment_id} -> {self.invoice_id}: {self.amount}"


class BillingStart(models.Model):
    """The month from which Lindung bills a sponsor. Its months before that were paid to the agency
    directly (a regional government paying since 2019 before Lindung was installed); which of them
    were paid is recorded as PriorPayment rows, from the agency's payment history."""

    region_path: ClassVar[str] = "region"

    sponsor = models.OneToOneField(Sponsor, on_delete=models.PROTECT, related_name="billing_start")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", **REGION_REFERENCE)
    bills_from = models.CharField(_("Lindung bills from"), max_length=7)
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("billing start")

    def __str__(self) -> str:
        return f"{self.sponsor_id} {self.bills_from}"


class PriorPaymentImport(models.Model):
    """One file of the agency's payment history for a sponsor, with its source and what it did."""

    region_path: ClassVar[str] = "region"

    sponsor = models.ForeignKey(Sponsor, on_delete=models.PROTECT, related_name="prior_payment_imports")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", **REGION_REFERENCE)
    source = models.CharField(_("source"), max_length=200)
    file_name = models.CharField(_("file"), max_length=200)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)
    summary = models.JSONField(default=dict)

    class Meta:
        ordering = ["-uploaded_at", "-id"]

    def __str__(self) -> str:
        return self.file_name


class PriorPayment(models.Model):
    """A month a sponsor paid the agency before Lindung billed it: its members count as protected
    and active ("paid before Lindung") that month. A later import of the same month replaces it."""

    region_path: ClassVar[str] = "region"

    sponsor = models.ForeignKey(Sponsor, on_delete=models.PROTECT, related_name="prior_payments")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", **REGION_REFERENCE)
    period = models.CharField(_("period"), max_length=7)
    amount = models.BigIntegerField(_("amount paid (Rp)"), null=True, blank=True)
    members = models.IntegerField(_("participants paid for"), null=True, blank=True)
    paid_on = models.DateField(_("payment date"), null=True, blank=True)
    imported = models.ForeignKey(PriorPaymentImport, on_delete=models.PROTECT, related_name="payments")

    class Meta:
        verbose_name = _("payment before Lindung")
        ordering = ["sponsor_id", "period"]
        constraints = [models.UniqueConstraint(fields=["sponsor", "period"], name="prior_payment_per_month")]

    def __str__(self) -> str:
        return f"{self.sponsor_id} {self.period}"

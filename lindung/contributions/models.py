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
    """A payer's bill for one period. Its total is the sum of its lines; what is owed is derived."""

    region_path: ClassVar[str] = "region"

    number = models.CharField(_("number"), max_length=40)
    sponsor = models.ForeignKey(Sponsor, null=True, blank=True, on_delete=models.PROTECT, related_name="invoices")
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="invoices")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", **REGION_REFERENCE)
    period = models.CharField(_("period"), max_length=7)
    due_date = models.DateField(_("due date"))
    created_at = models.DateTimeField(default=timezone.now, editable=False)

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

    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="lines")
    # Null on penalty lines, which belong to the invoice, not to a member.
    membership = models.ForeignKey(
        Membership, null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    period = models.CharField(_("period"), max_length=7)
    kind = models.CharField(_("kind"), max_length=7, choices=LineKind.choices)
    program = models.CharField(_("program"), max_length=5)
    basis = models.BigIntegerField(_("basis (Rp)"))
    rate = models.DecimalField(_("rate"), max_digits=9, decimal_places=6, null=True, blank=True)
    amount = models.BigIntegerField(_("amount (Rp)"))
    employer_share = models.BigIntegerField(default=0)
    worker_share = models.BigIntegerField(default=0)
    rules_version = models.CharField(_("rule version"), max_length=40)
    legal_basis = models.CharField(_("legal basis"), max_length=200)
    run = models.ForeignKey(BillingRun, null=True, on_delete=models.PROTECT, related_name="+", db_index=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("invoice line")
        ordering = ["invoice_id", "id"]
        indexes = [
            # A member's history (coverage), and a period's lines (what a re-run already billed).
            models.Index(fields=["membership", "period"], name="line_membership_period"),
            models.Index(fields=["period", "membership"], name="line_period_membership"),
        ]

    def __str__(self) -> str:
        return f"{self.invoice_id} {self.program} {self.amount}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AppendOnlyError("invoice lines are never edited; add a correction line")
        super().save(*args, **kwargs)

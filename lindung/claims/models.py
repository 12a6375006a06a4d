"""Claims: an event (accident, death, school year, end of work), who claims, what the rules give, who receives.

A claim moves diajukan -> diverifikasi -> disetujui -> dibayar, or to ditolak with a reason; every
step is a ClaimStep (who, when, from, to, note). Its benefits are computed by `lindung.rules` at
the event date and frozen when it is approved; a paid claim is never edited, only corrected by a
new claim that points to it.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from lindung.regions.models import Region
from lindung.registry.models import REGION_REFERENCE, Membership, Person, Relation, Relative


class ClaimType(models.TextChoices):
    JKK = "jkk", _("Work accident (JKK)")
    JKM = "jkm", _("Death (JKM)")
    SCHOLARSHIP = "beasiswa", _("Scholarship")
    JHT = "jht", _("Old-age savings (JHT)")


class JkkKind(models.TextChoices):
    MEDICAL = "medical", _("Medical reimbursement")
    STMB = "stmb", _("Temporary inability to work (STMB)")
    DISABILITY = "disability", _("Partial permanent disability")
    TOTAL_DISABILITY = "total_disability", _("Total permanent disability")
    DEATH = "death", _("Death")


class ClaimStatus(models.TextChoices):
    SUBMITTED = "diajukan", _("Submitted")
    VERIFIED = "diverifikasi", _("Verified")
    APPROVED = "disetujui", _("Approved")
    PAID = "dibayar", pgettext_lazy("claim status", "Paid")
    REJECTED = "ditolak", _("Rejected")


class PaidClaimError(RuntimeError):
    """A paid claim is history: a correction is a new claim linked to it."""


class Claim(models.Model):
    region_path: ClassVar[str] = "region"

    number = models.CharField(_("number"), max_length=30, unique=True)
    claim_type = models.CharField(_("type"), max_length=8, choices=ClaimType.choices)
    jkk_kind = models.CharField(_("JKK benefit"), max_length=16, choices=JkkKind.choices, blank=True)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="claims")
    membership = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="claims")
    # The administering region of the membership: the branch that handles the claim.
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", **REGION_REFERENCE)
    event_date = models.DateField(_("event date"))
    event_time = models.TimeField(_("event time"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    chronology = models.TextField(_("chronology"), blank=True)
    # JKK: when the employer made the stage I report; it must be within 2 x 24 hours of the accident.
    stage1_reported_at = models.DateTimeField(_("stage I report"), null=True, blank=True)
    claimant_name = models.CharField(_("claimant"), max_length=150)
    claimant_relation = models.CharField(_("claimant's relation"), max_length=20, blank=True)
    # Inputs of the benefit rules that the registry does not hold.
    wage = models.BigIntegerField(_("last reported wage (Rp)"), null=True, blank=True)
    percentage = models.DecimalField(_("disability %"), max_digits=5, decimal_places=2, null=True, blank=True)
    function_loss = models.DecimalField(_("function loss %"), max_digits=5, decimal_places=2, null=True, blank=True)
    months = models.PositiveSmallIntegerField(_("months unable to work"), null=True, blank=True)
    medical_costs = models.BigIntegerField(_("medical and transport receipts (Rp)"), null=True, blank=True)
    jht_reason = models.CharField(_("JHT payout reason"), max_length=30, blank=True)
    jht_balance = models.BigIntegerField(_("JHT balance (Rp)"), null=True, blank=True)
    school_year = models.PositiveSmallIntegerField(_("school year"), null=True, blank=True)
    # Scholarship: the children claimed for, [{"relative": id, "level": "sd"}, ...].
    children = models.JSONField(default=list, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=ClaimStatus.choices, default=ClaimStatus.SUBMITTED)
    # The latest assessment (eligible, held, findings), recomputed until approval.
    assessment = models.JSONField(default=dict)
    # What the rules gave at the event date, frozen at approval: items, total, rules version.
    benefits = models.JSONField(default=dict)
    total = models.BigIntegerField(_("total benefit (Rp)"), default=0)
    rejection_reason = models.CharField(_("reason for rejection"), max_length=500, blank=True)
    corrects = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="corrections", verbose_name=_("corrects")
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("claim")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["region", "status"], name="claim_region_status")]

    def __str__(self) -> str:
        return self.number

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None and Claim.objects.filter(pk=self.pk, status=ClaimStatus.PAID).exists():
            raise PaidClaimError("a paid claim is never edited; file a correcting claim")
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    @property
    def is_death(self) -> bool:
        return self.claim_type == ClaimType.JKM or (self.claim_type == ClaimType.JKK and self.jkk_kind == JkkKind.DEATH)


class ClaimStep(models.Model):
    """One move of a claim through its workflow, with who made it and when."""

    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="steps")
    status_from = models.CharField(max_length=12, choices=ClaimStatus.choices, blank=True)
    status_to = models.CharField(max_length=12, choices=ClaimStatus.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.claim_id}: {self.status_from} -> {self.status_to}"


class ClaimHeir(models.Model):
    """Who receives a death benefit, and how much; proposed from the family records, or set by an officer."""

    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="heirs")
    relative = models.ForeignKey(Relative, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=150)
    relation = models.CharField(_("relation"), max_length=20, choices=Relation.choices)
    amount = models.BigIntegerField(_("amount (Rp)"), default=0)
    reason = models.CharField(_("reason"), max_length=300)
    proposed = models.BooleanField(default=True)  # False when an officer changed the heirs
    bank = models.CharField(_("bank"), max_length=60, blank=True)
    account = models.CharField(_("account"), max_length=34, blank=True)

    class Meta:
        ordering = ["claim_id", "id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.relation})"


class Payout(models.Model):
    """Money paid on an approved claim: to whom, how much, to which account, when."""

    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="payouts")
    heir = models.ForeignKey(ClaimHeir, null=True, blank=True, on_delete=models.PROTECT, related_name="payouts")
    payee = models.CharField(_("payee"), max_length=150)
    bank = models.CharField(_("bank"), max_length=60, blank=True)
    account = models.CharField(_("account"), max_length=34, blank=True)
    amount = models.BigIntegerField(_("amount (Rp)"))
    paid_on = models.DateField(_("paid on"))
    paid_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["paid_on", "id"]

    def __str__(self) -> str:
        return f"{self.payee} {self.amount}"


class ClaimDocument(models.Model):
    """An uploaded document of a claim (KTP, death certificate, receipt); the file lives outside the database."""

    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="documents")
    kind = models.CharField(_("document"), max_length=40)
    file_name = models.CharField(_("file"), max_length=200)
    stored_path = models.CharField(max_length=300)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["claim_id", "kind", "id"]

    def __str__(self) -> str:
        return f"{self.kind}: {self.file_name}"

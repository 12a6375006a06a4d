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


class TransportMode(models.TextChoices):
    LAND = "darat", _("Land or river")
    SEA = "laut", _("Sea")
    AIR = "udara", _("Air")


class DocumentStatus(models.TextChoices):
    RECEIVED = "diterima", _("Received, not yet checked")
    ACCEPTED = "sesuai", _("Accepted")
    REJECTED = "ditolak", _("Rejected")


class ShareSource(models.TextChoices):
    DEFAULT = "bawaan", _("Default: equal shares (no heir statement recorded)")
    HEIR_STATEMENT = "surat_ahli_waris", _("Heir statement")
    COURT = "putusan_pengadilan", _("Court decision")


class PayoutStatus(models.TextChoices):
    WAITING = "menunggu", _("Waiting to be sent")
    SENT = "dikirim", _("Sent to the bank")
    CONFIRMED = "berhasil", _("Paid out")
    FAILED = "gagal", _("Failed")


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
    # The day the claim was lodged: the JKK right to claim runs from the event to this day (PP 44/2015
    # Pasal 26), not to the decision. Null only for claims recorded before this field existed.
    filed_on = models.DateField(_("filing date"), null=True, blank=True)
    # Where the money goes when there is no heir: the member, the employer (STMB), whoever buried.
    payee_bank = models.CharField(_("payee's bank"), max_length=60, blank=True)
    payee_account = models.CharField(_("payee's account"), max_length=34, blank=True)
    # A claim the agency paid before Lindung or outside it: recorded for history, never assessed.
    paid_outside = models.BooleanField(_("paid outside Lindung"), default=False)
    outside_reference = models.CharField(_("agency reference"), max_length=60, blank=True)
    # Inputs of the benefit rules that the registry does not hold.
    wage = models.BigIntegerField(_("last reported wage (Rp)"), null=True, blank=True)
    percentage = models.DecimalField(_("disability %"), max_digits=5, decimal_places=2, null=True, blank=True)
    function_loss = models.DecimalField(_("function loss %"), max_digits=5, decimal_places=2, null=True, blank=True)
    months = models.PositiveSmallIntegerField(_("months unable to work"), null=True, blank=True)
    medical_costs = models.BigIntegerField(_("medical care receipts (Rp)"), null=True, blank=True)
    transport_costs = models.BigIntegerField(_("transport receipts (Rp)"), null=True, blank=True)
    transport_mode = models.CharField(_("transport by"), max_length=6, choices=TransportMode.choices, blank=True)
    home_care_costs = models.BigIntegerField(_("home care receipts (Rp)"), null=True, blank=True)
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
    # How `amount` was set: the default equal split, or the heir statement / court decision recorded.
    share_source = models.CharField(max_length=20, choices=ShareSource.choices, default=ShareSource.DEFAULT)
    share_reference = models.CharField(_("statement or decision number"), max_length=100, blank=True)
    bank = models.CharField(_("bank"), max_length=60, blank=True)
    account = models.CharField(_("account"), max_length=34, blank=True)

    class Meta:
        ordering = ["claim_id", "id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.relation})"


class PayoutBatch(models.Model):
    """A numbered bank transfer file: the payouts that were waiting when it was made, sent once.

    Downloading it again is a re-issue: it needs a reason and is audited (`reissues` counts them)."""

    region_path: ClassVar[str] = "region"

    number = models.CharField(_("number"), max_length=30, unique=True)
    # The branch region whose officer made it (its payouts are in that officer's regions).
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", **REGION_REFERENCE)
    # The office that pays it (its name, head and account are on the batch's list); kept as made,
    # so a later move of the region does not rewrite whose batch it was.
    office = models.ForeignKey(
        "offices.Office", null=True, blank=True, on_delete=models.PROTECT, related_name="payout_batches"
    )
    count = models.PositiveIntegerField(_("payouts"))
    total = models.BigIntegerField(_("total (Rp)"))
    checksum = models.CharField(max_length=64)
    reissues = models.PositiveSmallIntegerField(default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("payout batch")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.number


class Payout(models.Model):
    """Money owed on an approved claim to one payee: waiting, sent in a batch, then paid or failed.

    A failed payout stays as it was (with the bank's reason); re-issuing it makes a new payout with
    the corrected account, pointing back to it."""

    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="payouts")
    heir = models.ForeignKey(ClaimHeir, null=True, blank=True, on_delete=models.PROTECT, related_name="payouts")
    payee = models.CharField(_("payee"), max_length=150)
    # For a scholarship: the child it is for (paid to the guardian's account).
    beneficiary = models.CharField(_("for"), max_length=150, blank=True)
    bank = models.CharField(_("bank"), max_length=60, blank=True)
    account = models.CharField(_("account"), max_length=34, blank=True)
    amount = models.BigIntegerField(_("amount (Rp)"))
    status = models.CharField(_("status"), max_length=10, choices=PayoutStatus.choices, default=PayoutStatus.WAITING)
    batch = models.ForeignKey(PayoutBatch, null=True, blank=True, on_delete=models.PROTECT, related_name="payouts")
    reference = models.CharField(_("transfer reference"), max_length=60, blank=True)
    failure_reason = models.CharField(_("bank's reason"), max_length=200, blank=True)
    reissue_of = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="reissued_as"
    )
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    paid_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["status", "claim"], name="payout_status_claim")]

    def __str__(self) -> str:
        return f"{self.payee} {self.amount}"

    @property
    def ready(self) -> bool:
        """Whether the bank has what it needs: a name, a bank and an account number."""
        return bool(self.payee.strip() and self.bank.strip() and self.account.strip())


class ClaimDocument(models.Model):
    """An uploaded document of a claim (KTP, death certificate, receipt); the file lives outside the database."""

    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="documents")
    kind = models.CharField(_("document"), max_length=40)
    file_name = models.CharField(_("file"), max_length=200)
    stored_path = models.CharField(max_length=300)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    # SHA-256 of the content: the same file uploaded twice to one claim is recognised.
    sha256 = models.CharField(max_length=64, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now, editable=False)
    status = models.CharField(
        _("check"), max_length=10, choices=DocumentStatus.choices, default=DocumentStatus.RECEIVED
    )
    review_reason = models.CharField(_("reason"), max_length=300, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["claim_id", "kind", "id"]
        indexes = [models.Index(fields=["claim", "sha256"], name="claimdoc_claim_sha")]

    def __str__(self) -> str:
        return f"{self.kind}: {self.file_name}"


class DocumentWaiver(models.Model):
    """A required document a decider chose not to require for this claim, with the written reason."""

    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="waivers")
    kind = models.CharField(_("document"), max_length=40)
    reason = models.CharField(_("reason"), max_length=500)
    waived_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    waived_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["claim_id", "kind"]
        constraints = [models.UniqueConstraint(fields=["claim", "kind"], name="waiver_claim_kind_unique")]

    def __str__(self) -> str:
        return f"{self.kind}: {self.reason}"

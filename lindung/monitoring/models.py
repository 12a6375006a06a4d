"""Monitoring figures. Workforce (angkatan kerja) per region, year and category: the denominators
of coverage, imported from the statistics office's tables."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lindung.regions.models import Region
from lindung.registry.models import REGION_REFERENCE


class WorkforceCategory(models.TextChoices):
    PU = "pu", _("Wage earners (PU)")
    BPU = "bpu", _("Non-wage earners (BPU)")
    ASN = "asn", _("Civil servants (ASN)")
    TNI = "tni", _("Armed forces (TNI)")
    POLRI = "polri", _("Police (Polri)")
    NON_ASN = "non_asn", _("Non-ASN government staff")
    ELECTION = "penyelenggara_pemilu", _("Election organisers")


class Workforce(models.Model):
    """How many workers of a category a region has in a year."""

    region_path: ClassVar[str] = "region"

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", **REGION_REFERENCE)
    year = models.PositiveSmallIntegerField(_("year"))
    category = models.CharField(_("category"), max_length=24, choices=WorkforceCategory.choices)
    count = models.PositiveIntegerField(_("workers"))
    source = models.CharField(_("source"), max_length=200, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("workforce figure")
        ordering = ["region_id", "year", "category"]
        constraints = [
            models.UniqueConstraint(fields=["region", "year", "category"], name="workforce_one_per_region_year")
        ]

    def __str__(self) -> str:
        return f"{self.region_id} {self.year} {self.category}: {self.count}"


class AgencySegment(models.TextChoices):
    PU = "pu", _("Wage earners (PU)")
    BPU = "bpu", _("Non-wage earners (BPU)")
    JAKON = "jakon", _("Construction workers (Jakon)")


class AgencyUpload(models.Model):
    """One file of the agency's own figures, kept as history: who, when, from which source, what it did."""

    source = models.CharField(_("source"), max_length=200)
    file_name = models.CharField(_("file"), max_length=200, blank=True)
    figures = models.PositiveIntegerField(_("figures"), default=0)
    # The (region, month) pairs whose earlier figures this upload replaced.
    replaced = models.PositiveIntegerField(_("months replaced"), default=0)
    problems = models.JSONField(default=list, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("agency figures upload")
        ordering = ["-uploaded_at", "-id"]

    def __str__(self) -> str:
        return f"{self.source} {self.uploaded_at:%Y-%m-%d}"


class AgencyFigure(models.Model):
    """The agency's count for a region and month, in one segment (and optionally category and sex).

    A later upload for the same region and month replaces the figures of that region and month:
    the earlier rows stay, with `current` False, so what was reported when is never lost."""

    region_path: ClassVar[str] = "region"

    upload = models.ForeignKey(AgencyUpload, on_delete=models.PROTECT, related_name="rows")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", **REGION_REFERENCE)
    period = models.CharField(_("month"), max_length=7)
    segment = models.CharField(_("segment"), max_length=6, choices=AgencySegment.choices)
    category = models.CharField(_("category"), max_length=24, blank=True)
    sex = models.CharField(_("sex"), max_length=1, blank=True)
    registered = models.PositiveIntegerField(_("registered participants"))
    active = models.PositiveIntegerField(_("active (paid) participants"))
    claims = models.PositiveIntegerField(_("claims paid"), default=0)
    claims_paid = models.BigIntegerField(_("claims paid (Rp)"), default=0)
    # Claims by program: {"jkk": [count, rupiah], ...}.
    claims_by_program = models.JSONField(default=dict, blank=True)
    current = models.BooleanField(default=True)

    class Meta:
        verbose_name = _("agency figure")
        ordering = ["region_id", "period", "segment", "category", "sex"]
        indexes = [models.Index(fields=["period", "region", "current"], name="agency_period_region")]

    def __str__(self) -> str:
        return f"{self.region_id} {self.period} {self.segment}: {self.registered}"


class CoverageTarget(models.Model):
    """A region's coverage target for a year (share of its workforce registered), with its basis."""

    region_path: ClassVar[str] = "region"

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", **REGION_REFERENCE)
    year = models.PositiveSmallIntegerField(_("year"))
    percent = models.DecimalField(_("target (%)"), max_digits=4, decimal_places=1)
    basis = models.CharField(_("basis"), max_length=200)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    set_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("coverage target")
        ordering = ["region_id", "year"]
        constraints = [models.UniqueConstraint(fields=["region", "year"], name="target_one_per_region_year")]

    def __str__(self) -> str:
        return f"{self.region_id} {self.year}: {self.percent}%"


# Rollups: the figures dashboards read, one row per region of every level (the national total has
# region_code ""), kept up to date by lindung.monitoring.follower after every write that changes them.
# Each row holds the total of its whole subtree, so a page reads a handful of rows at any level.
# Region codes are plain text (no foreign key): the national row has none, and rows are rewritten in bulk.


class AgeBand(models.TextChoices):
    UNDER_25 = "<25", _("Under 25")
    FROM_25 = "25-34", "25-34"
    FROM_35 = "35-44", "35-44"
    FROM_45 = "45-54", "45-54"
    FROM_55 = "55+", _("55 and over")


class CoverageRollup(models.Model):
    """Memberships registered and active (paid) in a month, in a region's subtree: the total (dimension
    "") and one row per value of each breakdown (segment, category, sex, age band).

    Breakdowns are kept down to the kecamatan; a village has its total only, with its village officials
    (perangkat desa) counted apart for the outreach list. So the table grows with the regions, not
    with the members: one total per village and month, a few dozen rows per kecamatan and month."""

    region_code = models.CharField(max_length=13)
    level = models.PositiveSmallIntegerField()
    parent_code = models.CharField(max_length=13)
    period = models.CharField(max_length=7)
    dimension = models.CharField(max_length=9, blank=True)
    value = models.CharField(max_length=20, blank=True)
    registered = models.IntegerField(default=0)
    active = models.IntegerField(default=0)
    officials = models.IntegerField(default=0)  # village officials registered (total rows only)
    officials_active = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["region_code", "period", "dimension", "value"], name="coverage_rollup_key")
        ]
        indexes = [
            models.Index(
                fields=["parent_code", "period"], condition=models.Q(dimension=""), name="coverage_rollup_children"
            )
        ]

    def __str__(self) -> str:
        return (
            f"{self.region_code or 'ID'} {self.period} {self.dimension}={self.value}: {self.registered}/{self.active}"
        )


class MoneyRollup(models.Model):
    """Contributions billed and collected, and claims paid, in a month, in a region's subtree.

    `program` is a contribution program (jkk, jkm, jht, jp, denda) or a claim type (beasiswa too);
    the row with program "" holds the invoices' totals and what was collected on them, because a
    payment settles an invoice, not a program."""

    region_code = models.CharField(max_length=13)
    level = models.PositiveSmallIntegerField()
    parent_code = models.CharField(max_length=13)
    period = models.CharField(max_length=7)
    program = models.CharField(max_length=8)
    billed = models.BigIntegerField(default=0)
    collected = models.BigIntegerField(default=0)
    claims = models.IntegerField(default=0)
    claims_paid = models.BigIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["region_code", "period", "program"], name="money_rollup_key")]
        indexes = [models.Index(fields=["parent_code", "period"], name="money_rollup_children")]

    def __str__(self) -> str:
        return f"{self.region_code or 'ID'} {self.period} {self.program}: {self.billed}/{self.collected}"


class RollupWindow(models.Model):
    """Which months the rollups hold (one row). Changes outside the window are not tracked."""

    first_period = models.CharField(max_length=7)
    last_period = models.CharField(max_length=7)
    # The month a refresh rebuilds next ("" when none is under way): where an interrupted one resumes.
    next_period = models.CharField(max_length=7, blank=True, default="")
    refreshed_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.first_period}..{self.last_period}"


class RankingIndicator(models.TextChoices):
    COVERAGE = "coverage", _("Coverage of the workforce")
    BUDGET = "budget", _("APBD/APBDes-funded protection")
    COMPLIANCE = "compliance", _("Payment compliance")


class RankingWeight(models.Model):
    """The weight of one indicator in the ranking index, set by an administrator."""

    indicator = models.CharField(max_length=12, choices=RankingIndicator.choices, unique=True)
    weight = models.PositiveSmallIntegerField(_("weight"))
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")

    def __str__(self) -> str:
        return f"{self.indicator}: {self.weight}"


class Reminder(models.Model):
    """One item of a user's worklist that became due, told once: in the inbox, and by email unless
    the user switched email off. (user, key) is unique, so the same item is never told twice."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminders")
    key = models.CharField(max_length=120)  # "invoice:12:overdue", "agreement:3:30"
    text = models.CharField(_("reminder"), max_length=300)
    url = models.CharField(max_length=300)
    created_at = models.DateTimeField(default=timezone.now)
    emailed_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="reminder_once_per_item")]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.key}"

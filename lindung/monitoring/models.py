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

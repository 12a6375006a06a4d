"""The agency's offices and their dated service areas.

A Kanwil serves whole provinces; a branch (Kantor Cabang) or sub-branch (KCP) serves kabupaten/kota.
Each region is served by one office of its level at a time: a move closes the old row on the day
the new one starts, so a month's figures go to whoever served the region then."""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lindung.regions import codes


class OfficeKind(models.TextChoices):
    KANWIL = "kanwil", _("Regional office (Kanwil)")
    CABANG = "cabang", _("Branch office")
    KCP = "kcp", _("Sub-branch office (KCP)")


# The level of region each kind of office serves, and the kind of its parent office.
AREA_LEVEL = {OfficeKind.KANWIL: codes.PROVINCE, OfficeKind.CABANG: codes.REGENCY, OfficeKind.KCP: codes.REGENCY}
PARENT_KIND = {OfficeKind.CABANG: OfficeKind.KANWIL, OfficeKind.KCP: OfficeKind.CABANG}


class Office(models.Model):
    """A BPJS Ketenagakerjaan office: its name, address, head and the account it pays from."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    kind = models.CharField(_("kind"), max_length=8, choices=OfficeKind.choices)
    name = models.CharField(_("name"), max_length=150)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("parent office"),
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("email"), blank=True)
    head_name = models.CharField(_("head of office"), max_length=150, blank=True)
    head_title = models.CharField(_("head's title"), max_length=150, blank=True)
    bank_name = models.CharField(_("bank"), max_length=60, blank=True)
    bank_account = models.CharField(_("account number"), max_length=34, blank=True)
    bank_account_name = models.CharField(_("account holder"), max_length=150, blank=True)
    active = models.BooleanField(_("active"), default=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("office")
        verbose_name_plural = _("offices")
        ordering: ClassVar[list[str]] = ["code"]

    def __str__(self) -> str:
        return self.name

    @property
    def short_name(self) -> str:
        """The name without the agency's name in front, for tables where every row would repeat it."""
        return self.name.removeprefix("BPJS Ketenagakerjaan ").strip() or self.name

    @property
    def is_kanwil(self) -> bool:
        return self.kind == OfficeKind.KANWIL

    def answering_ids(self) -> list[int]:
        """This office and, for a branch, its sub-branches: a branch answers for its KCPs (a Kanwil
        serves provinces, which hold them all)."""
        ids = [self.pk]
        if self.kind == OfficeKind.CABANG:
            ids += list(Office.objects.filter(parent=self).values_list("pk", flat=True))
        return ids

    def area_codes(self, on: date) -> tuple[str, ...]:
        """The regions this office answers for on `on`: its own and its sub-branches'."""
        return tuple(
            ServiceArea.objects.filter(ServiceArea.in_force_q(on), office_id__in=self.answering_ids())
            .order_by("region_id")
            .values_list("region_id", flat=True)
        )


class ServiceArea(models.Model):
    """One office serving one region from a day until (not including) the day another takes over."""

    region_path: ClassVar[str] = "region"

    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="areas")
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    valid_from = models.DateField(_("served from"))
    valid_to = models.DateField(_("served until (exclusive)"), null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["region", "valid_from"], name="service_area_region_start"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gt=models.F("valid_from")),
                name="service_area_ends_after_start",
            ),
        ]
        indexes = [models.Index(fields=["office", "valid_from"], name="service_area_office")]

    def __str__(self) -> str:
        return f"{self.region_id} @ {self.office_id} {self.valid_from}..{self.valid_to or ''}"

    @staticmethod
    def in_force_q(on: date, prefix: str = "") -> Q:
        return Q(**{f"{prefix}valid_from__lte": on}) & (
            Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gt": on})
        )

"""Target lists: the poor and vulnerable workers a regional government wants to protect (Inpres
2/2021), as the social-affairs office exports them (DTKS, Regsosek, P3KE), each entry matched
against the registry.

A list is personal data of people who never asked to be in Lindung: it is kept inside the region it
was uploaded for, its NIKs are masked on every page, and it is deleted on request or after
TARGET_LIST_RETENTION_DAYS."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lindung.regions.models import Region
from lindung.registry.models import REGION_REFERENCE, Person, Sex, mask_nik


class TargetSource(models.TextChoices):
    DTKS = "dtks", _("DTKS (integrated social welfare data)")
    REGSOSEK = "regsosek", _("Regsosek (socio-economic registration)")
    P3KE = "p3ke", _("P3KE (extreme poverty eradication)")
    # Village heads and officials (kepala desa, perangkat desa) as the Pemdes or the PMD office
    # keeps them: matched like any list, then counted per village (lindung.outreach.officials).
    OFFICIALS = "perangkat", _("Register of village heads and officials")
    OTHER = "lainnya", _("Other list")


class ListStatus(models.TextChoices):
    QUEUED = "antre", _("Waiting to be read")
    READING = "dibaca", _("Being read")
    MATCHING = "dicocokkan", _("Being matched")
    DONE = "selesai", _("Matched")
    SAME = "sama", _("Same as a list already uploaded")
    FAILED = "gagal", _("Failed")


class TargetClass(models.TextChoices):
    """What matching says of one entry, in the order an entry is tested (the first that holds)."""

    INVALID = "nik_salah", _("NIK invalid or not matching birth date and sex")
    DUPLICATE = "ganda", _("Duplicate within the list")
    OUTSIDE = "luar_wilayah", _("Outside the list's region")
    DECEASED = "meninggal", _("Deceased")
    PROTECTED = "terlindungi", _("Protected now")
    REGISTERED = "terdaftar", _("Registered, not protected")
    NOT_REGISTERED = "belum_terdaftar", _("Not registered")


# The classes that still need protecting: the outreach list proper.
TO_PROTECT = (TargetClass.NOT_REGISTERED, TargetClass.REGISTERED)


class TargetList(models.Model):
    region_path: ClassVar[str] = "region"

    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=200)
    source = models.CharField(_("source"), max_length=10, choices=TargetSource.choices)
    source_date = models.DateField(_("date of the data"))
    file_name = models.CharField(_("file"), max_length=200)
    stored_path = models.CharField(max_length=300, blank=True)
    # sha256 of the file as uploaded, and of its rows as read: the same list uploaded again
    # (even saved again by a spreadsheet program) is recognised, not stored twice.
    file_hash = models.CharField(max_length=64)
    content_hash = models.CharField(max_length=64, blank=True)
    same_as = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    status = models.CharField(_("status"), max_length=10, choices=ListStatus.choices, default=ListStatus.QUEUED)
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    summary = models.JSONField(default=dict)
    failure = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    matched_at = models.DateTimeField(null=True, blank=True)
    delete_after = models.DateField(_("deleted after"))

    class Meta:
        verbose_name = _("target list")
        verbose_name_plural = _("target lists")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["region", "file_hash"], name="target_list_file")]

    def __str__(self) -> str:
        return self.name

    @property
    def running(self) -> bool:
        return self.status in {ListStatus.QUEUED, ListStatus.READING, ListStatus.MATCHING}


class TargetEntry(models.Model):
    """One row of a list as the social-affairs office wrote it, and what matching found."""

    target_list = models.ForeignKey(TargetList, on_delete=models.CASCADE, related_name="entries", db_index=False)
    source_row = models.PositiveIntegerField(_("row"))
    nik = models.CharField(_("NIK"), max_length=16)
    family_card = models.CharField(_("family card number"), max_length=16, blank=True)
    name = models.CharField(_("name"), max_length=150)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, blank=True)
    village = models.ForeignKey(
        Region,
        verbose_name=_("village"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        **REGION_REFERENCE,
    )
    district_code = models.CharField(max_length=8, blank=True)
    decile = models.PositiveSmallIntegerField(_("welfare decile"), null=True, blank=True)
    welfare_status = models.CharField(_("welfare status"), max_length=60, blank=True)
    work_status = models.CharField(_("work status"), max_length=60, blank=True)
    occupation = models.CharField(_("occupation"), max_length=100, blank=True)
    # A register of village officials: the position held and the fixed income (siltap), if written.
    position = models.CharField(_("position"), max_length=60, blank=True)
    income = models.BigIntegerField(_("fixed income (Rp)"), null=True, blank=True)
    # Set when the row is read and never changes: a NIK that is invalid or does not match, or an
    # address outside the list's region. Matching starts from it.
    problem = models.CharField(max_length=16, blank=True, choices=TargetClass.choices)
    problem_text = models.CharField(max_length=200, blank=True)
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", db_constraint=False, db_index=False
    )
    outcome = models.CharField(_("result"), max_length=16, blank=True, choices=TargetClass.choices)

    class Meta:
        verbose_name = _("target list entry")
        verbose_name_plural = _("target list entries")
        ordering = ["target_list", "source_row"]
        indexes = [
            models.Index(fields=["target_list", "nik"], name="target_entry_nik"),
            models.Index(fields=["target_list", "outcome", "source_row"], name="target_entry_outcome"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({mask_nik(self.nik)})"

    @property
    def masked_nik(self) -> str:
        return mask_nik(self.nik)


class Protection(models.Model):
    """A selection of a list turned into a draft agreement and an enrolment batch (the guided flow):
    kept so the list can show what came of it."""

    target_list = models.ForeignKey(TargetList, on_delete=models.CASCADE, related_name="protections")
    agreement = models.ForeignKey("registry.Agreement", on_delete=models.PROTECT, related_name="+")
    batch = models.ForeignKey("registry.ImportBatch", on_delete=models.PROTECT, related_name="+")
    selection = models.JSONField(default=dict)
    people = models.PositiveIntegerField(_("people"))
    cost = models.BigIntegerField(_("cost (Rp)"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("protection from a target list")
        verbose_name_plural = _("protections from target lists")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.target_list} -> {self.agreement_id}"

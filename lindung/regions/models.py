from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lindung.regions import codes


class RegionLevel(models.IntegerChoices):
    PROVINCE = codes.PROVINCE, _("Province")
    REGENCY = codes.REGENCY, _("Regency/City")
    DISTRICT = codes.DISTRICT, _("District")
    VILLAGE = codes.VILLAGE, _("Village")


class RegionKind(models.TextChoices):
    PROVINSI = "provinsi", _("Province")
    KABUPATEN = "kabupaten", _("Regency")
    KOTA = "kota", _("City")
    KECAMATAN = "kecamatan", _("District")
    DESA = "desa", _("Village (desa)")
    KELURAHAN = "kelurahan", _("Urban village (kelurahan)")


# Which column of a region holds the code of its ancestor at each level. A region stores
# its own code in the column of its level too, so "everything in the subtree of X" is one
# equality on one indexed column, at any depth, with no recursion.
SUBTREE_COLUMN = {
    codes.PROVINCE: "province_code",
    codes.REGENCY: "regency_code",
    codes.DISTRICT: "district_code",
    codes.VILLAGE: "code",
}


class Region(models.Model):
    """A Kemendagri region: provinsi, kabupaten/kota, kecamatan or desa/kelurahan."""

    # Scoping (lindung.core.scoping): a region is its own region, and users also see the
    # regions that enclose theirs so they can navigate down to them.
    region_path: ClassVar[str] = ""
    scope_includes_ancestors: ClassVar[bool] = True

    code = models.CharField(_("code"), max_length=13, primary_key=True)
    name = models.CharField(_("name"), max_length=100)
    search_name = models.CharField(max_length=100, db_index=True, editable=False)
    level = models.PositiveSmallIntegerField(_("level"), choices=RegionLevel.choices)
    kind = models.CharField(_("kind"), max_length=10, choices=RegionKind.choices)
    # The local word where it differs from `kind`: "distrik" in Papua, "desa adat" in Jayapura.
    local_kind = models.CharField(_("local term"), max_length=20, blank=True)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    province_code = models.CharField(max_length=2, db_index=True, editable=False)
    regency_code = models.CharField(max_length=5, blank=True, db_index=True, editable=False)
    district_code = models.CharField(max_length=8, blank=True, db_index=True, editable=False)
    postal_code = models.CharField(_("postal code"), max_length=5, blank=True)

    # Set by selectors.attach_paths for display ("Kabupaten Siak, Riau"); not a column.
    path_names: str = ""

    class Meta:
        ordering = ["code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        indexes = [models.Index(fields=["level", "search_name"], name="region_level_name")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @staticmethod
    def subtree_q(code: str, path: str = "") -> Q:
        """Q for rows whose region (reached by `path`, "" for Region itself) is `code` or inside it."""
        column = SUBTREE_COLUMN[codes.level_of(code)]
        return Q(**{f"{path}__{column}" if path else column: code})

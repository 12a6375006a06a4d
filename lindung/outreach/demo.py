"""Demo target lists for `make run`: the social-affairs office's list of poor workers of Kabupaten
Siak (people already protected, registered but unpaid, not registered, with the duplicates, broken
NIKs and out-of-region rows real lists carry) and a register of Siak's village officials. Loaded
once, through the same reading and matching as an upload."""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path
from typing import Any

from django.utils import timezone
from openpyxl import Workbook

from lindung.outreach import processing, services
from lindung.outreach.models import TargetList, TargetSource
from lindung.regions.models import Region
from lindung.registry.models import Membership, Person
from lindung.registry.nik import make_nik

SIAK = "14.08"
DTKS_NAME = "DTKS Kabupaten Siak (demo)"
REGISTER_NAME = "Register perangkat kampung Siak (demo)"
NEW_PEOPLE = 1_200
FIRST_NAMES = ("Siti", "Nur", "Dewi", "Ahmad", "Rudi", "Yusuf", "Rina", "Sri", "Budi", "Agus", "Fitri", "Hendra")
LAST_NAMES = ("Hasibuan", "Siregar", "Lubis", "Nasution", "Saragih", "Putri", "Saputra", "Rahmawati", "Hidayat")


def demo_outreach_ensure() -> dict[str, Any]:
    """The two demo lists, read and matched; nothing when they exist."""
    made: dict[str, Any] = {}
    for name, source, rows in ((DTKS_NAME, TargetSource.DTKS, _dtks_rows), (REGISTER_NAME, TargetSource.OFFICIALS,
                                                                                _register_rows)):  # fmt: skip
        existing = TargetList.objects.filter(name=name).first()
        if existing is None:
            existing = _load(name, source, rows())
        made[source] = existing.summary
    return made


def _load(name: str, source: str, rows: list[list[Any]]) -> TargetList:
    book = Workbook()
    sheet = book.worksheets[0]
    for row in rows:
        sheet.append(row)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"{source}-siak.xlsx"
        book.save(path)
        target_list, _created = services.target_list_create(
            actor=None, path=path, file_name=path.name, region_code=SIAK, source=source,
            source_date=timezone.localdate().replace(day=1), name=name, queue=False,
        )  # fmt: skip
    processing.target_list_read(target_list.pk)
    target_list.refresh_from_db()
    return target_list


def _villages() -> list[str]:
    return list(Region.objects.filter(regency_code=SIAK, level=4).order_by("code").values_list("code", flat=True))


def _dtks_rows() -> list[list[Any]]:
    """Siak's registered BPU and pekerja rentan members, then new people in households of 2-4."""
    header = ["NIK", "NO_KK", "NAMA", "TANGGAL_LAHIR", "JENIS_KELAMIN", "KODE_DESA", "DESIL",
              "STATUS_KESEJAHTERAAN", "STATUS_PEKERJAAN", "PEKERJAAN"]  # fmt: skip
    rows: list[list[Any]] = [header]
    known = Person.objects.filter(
        pk__in=Membership.objects.filter(region__regency_code=SIAK).values("person_id"), village__isnull=False
    ).order_by("id")[:400]
    for index, person in enumerate(known):
        rows.append([person.nik, f"1408{index // 3:012d}", person.name, person.birth_date.strftime("%d-%m-%Y"),
                     person.sex, person.village_id, 1 + index % 4, "Miskin", "Bekerja", "Petani"])  # fmt: skip
    villages = _villages()
    for index in range(NEW_PEOPLE):
        village = villages[(index * 7) % len(villages)]
        born = date(1966 + index % 40, 1 + index % 12, 1 + index % 28)
        sex = "LP"[index % 2]
        name = f"{FIRST_NAMES[index % len(FIRST_NAMES)]} {LAST_NAMES[(index // 3) % len(LAST_NAMES)]}"
        decile = 1 + (index // 5) % 4
        rows.append([make_nik(village[:8], born, sex, 7000 + index % 2000), f"1409{index // 3:012d}", name,
                     born.strftime("%d-%m-%Y"), sex, village, decile, "Miskin" if decile <= 2 else "Hampir miskin",
                     "Bekerja", ("Petani", "Nelayan", "Buruh harian", "Pedagang")[index % 4]])  # fmt: skip
    rows += [rows[5], rows[450]]  # the same person twice
    rows.append(["14080112345", "", "NIK Tidak Lengkap", "01-01-1980", "L", villages[0], 1, "", "", ""])
    return rows


def _register_rows() -> list[list[Any]]:
    """The head, secretary and two kaur of each of Siak's first 40 kampung; the registry's village
    officials of those kampung appear with their own NIK."""
    rows: list[list[Any]] = [["kode_desa", "jabatan", "nik", "nama", "penghasilan"]]
    villages = _villages()[:40]
    enrolled = {
        village: list(people)
        for village in villages
        if (people := Person.objects.filter(village_id=village, memberships__versions__category="perangkat_desa")
            .distinct().values_list("nik", "name")[:2])
    }  # fmt: skip
    for index, village in enumerate(villages):
        known = enrolled.get(village, [])
        for slot, position in enumerate(("Kepala Kampung", "Sekretaris Kampung", "Kaur Keuangan", "Kaur Umum")):
            if slot < len(known):
                nik, name = known[slot]
            else:
                born = date(1970 + (index + slot) % 25, 1 + slot, 1 + index % 28)
                nik, name = (
                    make_nik(village[:8], born, "L", 9000 + slot),
                    f"{FIRST_NAMES[slot]} {LAST_NAMES[index % 9]}",
                )
            rows.append([village, position, nik, name, ""])
    return rows

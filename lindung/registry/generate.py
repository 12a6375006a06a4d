"""Generated people for demo data, benchmarks and tests: Indonesian names, NIKs consistent with
the kecamatan, birth date and sex. Deterministic for a given seed.
"""

from __future__ import annotations

import csv
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from faker import Faker

from lindung.registry.enrolment import COLUMNS
from lindung.registry.nik import make_nik

OCCUPATIONS = {
    "non_asn": ("tenaga kebersihan", "pengemudi", "satpam", "petugas taman", "tenaga administrasi", "guru honorer"),
    "perangkat_desa": ("kepala desa", "sekretaris desa", "kepala urusan", "kepala seksi", "kepala dusun"),
    "pekerja_rentan": ("petani", "nelayan", "pedagang kecil", "buruh harian", "pengemudi ojek"),
    "karyawan": ("operator", "staf kantor", "teknisi", "pengemudi", "mandor"),
    "pekerja_mandiri": ("pedagang", "petani", "tukang", "penjahit"),
}


@dataclass(frozen=True)
class Worker:
    nik: str
    name: str
    birth_date: date
    sex: str
    village: str
    phone: str


class People:
    """A stream of distinct generated workers living in the given villages."""

    def __init__(self, villages: Sequence[str], *, seed: int) -> None:
        self.villages = list(villages)
        self.random = random.Random(seed)  # noqa: S311 (demo data, not secrets)
        self.faker = Faker("id_ID")
        self.faker.seed_instance(seed)
        self.used: set[str] = set()
        # Faker is the slow part: draw a pool of names once and combine them.
        self.male = [self.faker.first_name_male() for _ in range(300)]
        self.female = [self.faker.first_name_female() for _ in range(300)]
        self.last = [self.faker.last_name() for _ in range(300)]

    def worker(self, *, born_from: int = 1966, born_to: int = 2004) -> Worker:
        rnd = self.random
        sex = rnd.choice("LP")
        born = date(born_from, 1, 1) + timedelta(days=rnd.randrange((born_to - born_from) * 365))
        village = rnd.choice(self.villages)
        district = village.rsplit(".", 1)[0]
        while True:
            nik = make_nik(district, born, sex, rnd.randrange(1, 10_000))
            if nik not in self.used:
                self.used.add(nik)
                break
        first = rnd.choice(self.male if sex == "L" else self.female)
        phone = f"08{rnd.choice('1235'):s}{rnd.randrange(10**8, 10**9)}"
        return Worker(nik, f"{first} {rnd.choice(self.last)}", born, sex, village, phone)

    def workers(self, count: int) -> Iterator[Worker]:
        for _ in range(count):
            yield self.worker()


def enrolment_rows(
    people: People,
    count: int,
    *,
    category: str,
    segment: str,
    wage: tuple[int, int],
    starts_on: date,
    risk_class: int | None = 1,
    error_rate: float = 0.0,
) -> Iterator[dict[str, object]]:
    """Rows in the template's columns; `error_rate` of them get one typical mistake each."""
    rnd = people.random
    for index, person in enumerate(people.workers(count)):
        row: dict[str, object] = {
            "nik": person.nik,
            "nama": person.name,
            "tanggal_lahir": person.birth_date.strftime("%d-%m-%Y"),
            "jenis_kelamin": person.sex,
            "telepon": person.phone,
            "desa_domisili": person.village,
            "segmen": segment,
            "kategori": category,
            "program": "JKK, JKM",
            "upah": rnd.randrange(wage[0], wage[1] + 1, 50_000),
            "kelas_risiko": risk_class if segment == "pu" else "",
            "pekerjaan": rnd.choice(OCCUPATIONS.get(category, ("pekerja",))),
            "desa_kerja": "",
            "tanggal_mulai": starts_on.isoformat(),
            "tanggal_selesai": "",
            "sumber_dana": "",
            "berlaku_mulai": "",
        }
        if error_rate and rnd.random() < error_rate:
            spoil(row, index)
        yield row


def spoil(row: dict[str, object], index: int) -> None:
    """One mistake of the kinds offices make, in rotation: short NIK, date or sex not matching, bad wage."""
    kind = index % 4
    if kind == 0:
        row["nik"] = str(row["nik"])[:15]
    elif kind == 1:
        row["tanggal_lahir"] = "31-02-1990"
    elif kind == 2:
        row["jenis_kelamin"] = "P" if row["jenis_kelamin"] == "L" else "L"
    else:
        row["upah"] = "-"


def write_csv(rows: Iterator[dict[str, object]], path: Path) -> int:
    """Write rows in the template's column order; returns how many."""
    count = 0
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=[column.header for column in COLUMNS])
        writer.writeheader()
        for row in rows:
            writer.writerow(row)
            count += 1
    return count

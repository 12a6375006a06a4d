"""Demo data for `make run`, shaped on published figures (../shared/domain/scenarios.md).

Kabupaten Siak: non-ASN staff under yearly Pemkab Siak agreements since January 2019 and the
officials of 74 of its 122 kampung; Kota Dumai: 5,000 APBD-funded pekerja rentan from October 2023,
10,000 from 2024; a few PU companies and self-paying BPU workers. People are generated.
"""

from __future__ import annotations

import functools
import random
from collections.abc import Iterator
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from stdnum import luhn

from lindung.regions.models import Region
from lindung.registry import services
from lindung.registry.enrolment import HEADER_FIELDS, Context, agreement_in_force, plan_enrolment
from lindung.registry.generate import People, enrolment_rows
from lindung.registry.imports import write_plan
from lindung.registry.models import Agreement, Person, Relative, Sponsor

SIAK, DUMAI = "14.08", "14.72"
SIAK_NON_ASN = 6_121
OFFICIALS_PER_KAMPUNG = 8
PROTECTED_KAMPUNG = 74


def demo_registry_ensure(*, today: date | None = None) -> dict[str, int] | None:
    """Load the demo registry once; None when it is already there."""
    if Sponsor.objects.filter(name="Pemerintah Kabupaten Siak").exists():
        return None
    today = today or timezone.localdate()
    siak_villages = _villages(SIAK)
    dumai_villages = _villages(DUMAI)
    # Each regency's workers live in its own villages (NIKs issued there).
    siak_people, dumai_people = People(siak_villages, seed=2019), People(dumai_villages, seed=2023)
    _siak_non_asn(siak_people, siak_villages, today)
    _siak_kampung(siak_people, siak_villages)
    _dumai_rentan(dumai_people, dumai_villages, today)
    _companies(siak_people, dumai_people)
    _self_paying(siak_people)
    _self_paying(dumai_people)
    _families(today)
    services.agreements_expire(today=today)
    return {"persons": Person.objects.count(), "sponsors": Sponsor.objects.count()}


def _villages(regency: str) -> list[str]:
    return list(Region.objects.filter(regency_code=regency, level=4).values_list("code", flat=True))


@functools.cache
def _region_codes() -> Context:
    """The region codes, read once for all demo sponsors."""
    return Context.load(sponsor=None, agreement=None, today=date.today())  # noqa: DTZ011 (replaced per use)


def _enrol(sponsor: Sponsor | None, rows: Iterator[dict[str, object]], people: People, today: date) -> None:
    fields = ({HEADER_FIELDS[header]: value for header, value in row.items()} for row in rows)
    agreement = agreement_in_force(sponsor, today) if sponsor is not None else None
    context = replace(_region_codes(), sponsor=sponsor, agreement=agreement, today=today)
    plan = plan_enrolment(enumerate(fields, start=2), context)
    write_plan(plan, batch=None, sponsor=sponsor, actor=None)


def _yearly_agreements(sponsor: Sponsor, prefix: str, first: date, last_year: int, **terms: object) -> None:
    """One agreement per budget year, each renewing the previous; the first may start mid-year."""
    previous: Agreement | None = None
    for year in range(first.year, last_year + 1):
        number = f"{prefix}/{year}"
        start = first if year == first.year else date(year, 1, 1)
        if previous is None:
            agreement = services.agreement_create(
                actor=None,
                sponsor=sponsor,
                number=number,
                starts_on=start,
                ends_on=date(year, 12, 31),
                **terms,  # type: ignore[arg-type]
            )
        else:
            agreement = services.agreement_renew(
                actor=None, agreement=previous, number=number, ends_on=date(year, 12, 31)
            )
        services.agreement_activate(actor=None, agreement=agreement)
        previous = agreement


def _siak_non_asn(people: People, villages: list[str], today: date) -> None:
    pemkab = services.sponsor_create(
        actor=None,
        kind="pemda",
        name="Pemerintah Kabupaten Siak",
        region_code=SIAK,
        address="Jl. Raja Kecik, Siak Sri Indrapura",
    )
    _yearly_agreements(
        pemkab,
        "PKS.560/BPJSTK-SIAK",
        date(2019, 1, 1),
        today.year,
        segment="pu",
        programs=["jkk", "jkm"],
        categories=["non_asn"],
        quota=6_500,
        budget_ceiling=2_000_000_000,
    )
    _enrol(
        pemkab,
        enrolment_rows(
            people,
            SIAK_NON_ASN,
            category="non_asn",
            segment="pu",
            wage=(2_500_000, 3_500_000),
            starts_on=date(2019, 1, 1),
        ),
        people,
        date(2019, 1, 15),
    )


def _siak_kampung(people: People, villages: list[str]) -> None:
    kampung = sorted(code for code in villages if code.rsplit(".", 1)[1].startswith("2"))
    names = dict(Region.objects.filter(code__in=kampung).values_list("code", "name"))
    for code in kampung[:PROTECTED_KAMPUNG]:
        pemdes = services.sponsor_create(
            actor=None, kind="pemdes", name=f"Pemerintah Kampung {names[code]}", region_code=code
        )
        rows = enrolment_rows(
            people,
            OFFICIALS_PER_KAMPUNG,
            category="perangkat_desa",
            segment="pu",
            wage=(2_500_000, 4_000_000),
            starts_on=date(2022, 1, 1),
        )
        _enrol(pemdes, rows, people, date(2022, 1, 10))


def _dumai_rentan(people: People, villages: list[str], today: date) -> None:
    pemkot = services.sponsor_create(
        actor=None, kind="pemda", name="Pemerintah Kota Dumai", region_code=DUMAI, address="Jl. Tuanku Tambusai, Dumai"
    )
    terms: dict[str, Any] = {"segment": "bpu", "programs": ["jkk", "jkm"], "categories": ["pekerja_rentan"]}
    first = services.agreement_create(
        actor=None,
        sponsor=pemkot,
        number="PKS/DUMAI-RENTAN/2023",
        starts_on=date(2023, 10, 1),
        ends_on=date(2023, 12, 31),
        quota=5_000,
        budget_ceiling=252_000_000,
        **terms,
    )
    services.agreement_activate(actor=None, agreement=first)
    _enrol(
        pemkot,
        enrolment_rows(
            people,
            5_000,
            category="pekerja_rentan",
            segment="bpu",
            wage=(1_000_000, 1_000_000),
            starts_on=date(2023, 10, 1),
            risk_class=None,
        ),
        people,
        date(2023, 10, 2),
    )
    previous = first
    for year in range(2024, today.year + 1):
        renewal = services.agreement_renew(
            actor=None, agreement=previous, number=f"PKS/DUMAI-RENTAN/{year}", ends_on=date(year, 12, 31)
        )
        renewal.quota, renewal.budget_ceiling = 10_000, 2_016_000_000
        renewal.save(update_fields=["quota", "budget_ceiling"])
        services.agreement_activate(actor=None, agreement=renewal)
        previous = renewal
    _enrol(
        pemkot,
        enrolment_rows(
            people,
            5_000,
            category="pekerja_rentan",
            segment="bpu",
            wage=(1_000_000, 1_000_000),
            starts_on=date(2024, 1, 1),
            risk_class=None,
        ),
        people,
        date(2024, 1, 3),
    )


def _npwp(serial: int) -> str:
    """A valid 15-digit NPWP: 2-digit type, 6-digit serial, Luhn check digit, tax office and branch."""
    body = f"01{serial:06d}"
    return f"{body}{luhn.calc_check_digit(body)}{'091'}{'000'}"


def _companies(siak: People, dumai: People) -> None:
    companies = (
        ("PT Sawit Siak Lestari", siak, 150, 3, (3_200_000, 6_000_000)),
        ("PT Pelabuhan Dumai Jaya", dumai, 200, 4, (3_500_000, 8_000_000)),
        ("CV Kandis Makmur", siak, 40, 2, (3_000_000, 4_500_000)),
    )
    for serial, (name, people, workers, risk, wages) in enumerate(companies, start=310_001):
        region = people.villages[0].rsplit(".", 2)[0]
        company = services.sponsor_create(actor=None, kind="company", name=name, region_code=region, npwp=_npwp(serial))
        rows = enrolment_rows(
            people, workers, category="karyawan", segment="pu", wage=wages, starts_on=date(2021, 3, 1), risk_class=risk
        )
        _enrol(company, ({**row, "program": "JKK, JKM, JHT, JP"} for row in rows), people, date(2021, 3, 5))


def _self_paying(people: People) -> None:
    rows = enrolment_rows(
        people,
        30,
        category="pekerja_mandiri",
        segment="bpu",
        wage=(1_000_000, 3_000_000),
        starts_on=date(2025, 1, 1),
        risk_class=None,
    )
    _enrol(None, ({**row, "sumber_dana": "mandiri"} for row in rows), people, date(2025, 1, 2))


def _families(today: date) -> None:
    """A spouse and one or two children for every tenth person: heirs and scholarships have data."""
    rnd = random.Random(7)  # noqa: S311 (demo data)
    relatives = []
    for person in Person.objects.order_by("id")[::10]:
        spouse_sex = "P" if person.sex == "L" else "L"
        relatives.append(
            Relative(
                person=person,
                relation="spouse",
                name=f"Pasangan {person.name.split()[0]}",
                sex=spouse_sex,
                birth_date=person.birth_date + timedelta(days=rnd.randrange(-900, 900)),
            )
        )
        for child in range(rnd.randrange(1, 3)):
            born = date(max(person.birth_date.year + 22, 2000) + child * 3, rnd.randrange(1, 13), rnd.randrange(1, 28))
            if born < today:
                relatives.append(
                    Relative(
                        person=person,
                        relation="child",
                        name=f"Anak {child + 1} {person.name.split()[-1]}",
                        sex=rnd.choice("LP"),
                        birth_date=born,
                    )
                )
    with transaction.atomic():
        Relative.objects.bulk_create(relatives, batch_size=2_000)

"""Bench members built set-based (COPY on PostgreSQL): valid people, memberships and versions by the
million, for the benches of every app (`bench import --existing`, `bench dashboard`, `bench writes`,
`bench lists`, `bench national`). Never used outside a bench database."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from functools import cache

from django.db import connection, transaction
from django.utils import timezone
from faker import Faker

from lindung.core.db import adapt_value, insert_rows, reserve_ids
from lindung.regions.models import Region
from lindung.registry.models import Membership, MembershipVersion, Person, Sponsor, search_key
from lindung.registry.services import sponsor_create
from lindung.registry.writer import MEMBERSHIP_COLUMNS, PERSON_COLUMNS, VERSION_COLUMNS

STARTS_ON = date(2025, 1, 1)
CHUNK = 100_000
NAME_POOL = 300
CATEGORIES = ("pekerja_rentan", "non_asn", "perangkat_desa", "pekerja_mandiri")


@dataclass(frozen=True)
class BenchTerms:
    """What the bench's members are: valid NIKs of their kecamatan and birth date, whose last four
    digits start at `nik_serial_base` (so two benches' people never clash), their segment, wage..."""

    nik_serial_base: int = 8000
    name: str | None = None  # "<name> <serial>"; None: Indonesian names from Faker's pools
    segment: str = "bpu"
    wage: int = 1_000_000
    risk_class: int | None = None
    funding: str = "apbd"
    categories: tuple[str, ...] = CATEGORIES
    starts_on: date = STARTS_ON


REGISTRY_SPONSOR = "Bench registry (Lindung)"


def registry_sponsor() -> Sponsor:
    """The sponsor whose members make up a bench's existing registry (shared by the benches)."""
    found = Sponsor.objects.filter(name=REGISTRY_SPONSOR).first()
    return found or sponsor_create(actor=None, kind="csr", name=REGISTRY_SPONSOR, region_code="14.08")


def ensure_members(
    sponsor: Sponsor, wanted: int, terms: BenchTerms = BenchTerms(), *, within: str | None = None
) -> int:
    """Give the bench sponsor `wanted` members spread over every village (of province `within`, if
    given), set-based, once. Returns how many were added."""
    have = Membership.objects.filter(sponsor=sponsor).count()
    villages_of = Region.objects.filter(level=4).order_by("code")
    if within is not None:
        villages_of = villages_of.filter(province_code=within)
    villages = list(villages_of.values_list("code", flat=True))
    if not villages:
        raise RuntimeError("Regions are not loaded: run `lindung load_regions` first.")
    added = max(wanted - have, 0)
    while have < wanted:
        count = min(CHUNK, wanted - have)
        with transaction.atomic():
            _insert_members(sponsor, range(have, have + count), villages, terms)
        have += count
    if added and connection.vendor == "postgresql" and not connection.in_atomic_block:
        # As a real import does (core.db.refresh_statistics): without statistics on the millions of
        # rows just copied in, the planner chose nested loops that ran for ten minutes.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE registry_person, registry_membership, registry_membershipversion")
    return added


def _insert_members(sponsor: Sponsor, serials: range, villages: list[str], terms: BenchTerms) -> None:
    now, starts = adapt_value(timezone.now()), adapt_value(terms.starts_on)
    person_ids = reserve_ids(Person, len(serials))
    membership_ids = reserve_ids(Membership, len(serials))
    names = [_name(serial, terms) for serial in serials]
    persons = (
        (
            pid,
            _nik(serial, villages, terms.nik_serial_base),
            name,
            search_key(name),
            adapt_value(_birth(serial)),
            "LP"[serial % 2],
            villages[serial % len(villages)],
            "",
            now,
            now,
        )
        for pid, serial, name in zip(person_ids, serials, names, strict=True)
    )
    insert_rows(Person._meta.db_table, PERSON_COLUMNS, persons)
    memberships = (
        (mid, pid, sponsor.pk, None, village, village[:2], starts, None, "active", now)
        for mid, pid, village in zip(
            membership_ids, person_ids, (villages[s % len(villages)] for s in serials), strict=True
        )
    )
    insert_rows(Membership._meta.db_table, MEMBERSHIP_COLUMNS, memberships)
    programs = json.dumps(["jkk", "jkm"])
    categories = (terms.categories[serial % len(terms.categories)] for serial in serials)
    versions = (
        (
            mid,
            starts,
            None,
            terms.segment,
            category,
            programs,
            terms.wage,
            terms.risk_class,
            "",
            None,
            terms.funding,
            None,
            now,
            None,
        )
        for mid, category in zip(membership_ids, categories, strict=True)
    )
    insert_rows(MembershipVersion._meta.db_table, VERSION_COLUMNS, versions)


@cache
def _name_pools() -> tuple[list[str], list[str], list[str]]:
    """Faker's Indonesian first names (men, women) and family names, drawn once with a fixed seed."""
    faker = Faker("id_ID")
    faker.seed_instance(17)
    return (
        [faker.first_name_male() for _ in range(NAME_POOL)],
        [faker.first_name_female() for _ in range(NAME_POOL)],
        [faker.last_name() for _ in range(NAME_POOL)],
    )


def _name(serial: int, terms: BenchTerms) -> str:
    """Names as a registry holds them (each repeated a few dozen times in two million), so that a
    name search finds what a real one would."""
    if terms.name is not None:
        return f"{terms.name} {serial}"
    men, women, family = _name_pools()
    first = (women if serial % 2 else men)[(serial // 2) % NAME_POOL]
    return f"{first} {family[(serial * 7919) % NAME_POOL]}"


def _birth(serial: int) -> date:
    return date(1960 + serial % 46, 1 + serial % 12, 1 + serial % 28)


def _nik(serial: int, villages: list[str], base: int) -> str:
    """A NIK that validates: the village's kecamatan, the birth date (+40 for women), a serial that
    tells apart the people of one village (with the birth date, unique within a kecamatan)."""
    kecamatan = villages[serial % len(villages)].rsplit(".", 1)[0].replace(".", "")
    birth = _birth(serial)
    day = birth.day + (40 if serial % 2 else 0)
    return f"{kecamatan}{day:02d}{birth.month:02d}{birth.year % 100:02d}{base + (serial // len(villages)) % 1000:04d}"

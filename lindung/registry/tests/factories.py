from __future__ import annotations

from datetime import date
from typing import Any

from lindung.registry import services
from lindung.registry.models import Agreement, Membership, Sponsor
from lindung.registry.nik import make_nik

SIAK, DUMAI = "14.08", "14.72"
DAYUN, DAYUN_VILLAGE = "14.08.06", "14.08.06.2001"


def sponsor(
    name: str = "Pemerintah Kabupaten Siak", *, kind: str = "pemda", region: str = SIAK, **extra: Any
) -> Sponsor:
    return services.sponsor_create(actor=None, kind=kind, name=name, region_code=region, **extra)


def agreement(sponsor: Sponsor, *, number: str = "PKS/1/2026", activate: bool = True, **terms: Any) -> Agreement:
    values: dict[str, Any] = {
        "starts_on": date(2026, 1, 1),
        "ends_on": date(2026, 12, 31),
        "segment": "pu",
        "programs": ["jkk", "jkm"],
        "categories": ["non_asn"],
        "quota": 100,
        "budget_ceiling": 500_000_000,
    } | terms
    created = services.agreement_create(actor=None, sponsor=sponsor, number=number, **values)
    return services.agreement_activate(actor=None, agreement=created) if activate else created


def person_values(
    serial: int = 1, *, born: date = date(1990, 5, 17), sex: str = "L", **extra: Any
) -> dict[str, object]:
    """Enrolment values of a valid PU non-ASN worker of Kecamatan Dayun."""
    return {
        "nik": make_nik(DAYUN, born, sex, serial),
        "name": f"Budi Santoso {serial}",
        "birth_date": born.isoformat(),
        "sex": sex,
        "category": "non_asn",
        "segment": "pu",
        "wage": "3.000.000",
        "risk_class": "1",
        "starts_on": "2026-01-01",
    } | extra


def enrol(sponsor: Sponsor | None, serial: int = 1, *, today: date = date(2026, 3, 1), **extra: Any) -> Membership:
    return services.member_enrol(actor=None, sponsor=sponsor, values=person_values(serial, **extra), today=today)


def self_paying_bpu(serial: int = 7, **extra: Any) -> Membership:
    """A self-paying BPU worker of Kampung Dayun at the lowest income band (16,800 a month)."""
    values = {
        "segment": "bpu",
        "category": "pekerja_mandiri",
        "wage": "1.000.000",
        "risk_class": "",
        "funding": "mandiri",
        "village": DAYUN_VILLAGE,
    }
    return enrol(None, serial, **(values | extra))

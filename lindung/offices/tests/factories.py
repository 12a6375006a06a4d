"""Offices for tests: a Kanwil over Riau and Sumbar, a Pekanbaru branch with a KCP in Siak, a Siak
branch that takes Siak over on a date, and a Dumai branch."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from lindung.offices import services
from lindung.offices.models import Office

LONG_AGO = date(2014, 1, 1)


@dataclass
class Riau:
    kanwil: Office
    pekanbaru: Office
    kcp_siak: Office
    siak: Office
    dumai: Office


def riau_offices(*, siak_moves_on: date = date(2026, 7, 1)) -> Riau:
    """Siak (14.08) is served by the KCP under Pekanbaru until `siak_moves_on`, then by the Siak branch."""

    def save(code: str, kind: str, name: str, parent: Office | None = None, **values: str) -> Office:
        return services.office_save(actor=None, code=code, kind=kind, parent=parent, name=name, **values)[0]

    kanwil = save("kanwil-sumbarriau", "kanwil", "Kantor Wilayah Sumbar Riau", head_name="Bambang")
    pekanbaru = save("kc-pekanbaru", "cabang", "Kantor Cabang Pekanbaru Kota", kanwil)
    kcp_siak = save("kcp-siak", "kcp", "Kantor Cabang Perintis Siak", pekanbaru)
    siak = save(
        "kc-siak",
        "cabang",
        "Kantor Cabang Siak",
        kanwil,
        address="Jl. Sultan Syarif Kasim No. 1, Siak Sri Indrapura",
        head_name="Rahmat Hidayat",
        head_title="Kepala Kantor Cabang Siak",
        bank_name="Bank Riau Kepri",
        bank_account="1234567890",
        bank_account_name="BPJS Ketenagakerjaan KC Siak",
    )
    dumai = save("kc-dumai", "cabang", "Kantor Cabang Dumai", kanwil, address="Jl. Sudirman, Dumai")
    for province in ("13", "14"):
        services.area_assign(actor=None, office=kanwil, region_code=province, valid_from=LONG_AGO)
    services.area_assign(actor=None, office=pekanbaru, region_code="14.71", valid_from=LONG_AGO)
    services.area_assign(actor=None, office=kcp_siak, region_code="14.08", valid_from=LONG_AGO)
    services.area_assign(actor=None, office=siak, region_code="14.08", valid_from=siak_moves_on)
    services.area_assign(actor=None, office=dumai, region_code="14.72", valid_from=LONG_AGO)
    services.area_assign(actor=None, office=dumai, region_code="14.03", valid_from=LONG_AGO)
    return Riau(kanwil, pekanbaru, kcp_siak, siak, dumai)

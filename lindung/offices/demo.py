"""The demo's office details: the shipped office file leaves heads and accounts empty (they are
not invented for real offices); the demo fills them for the offices its users work in, marked as
examples."""

from __future__ import annotations

from lindung.offices import services
from lindung.offices.models import Office

DEMO_DETAILS = {
    "kc-siak": {
        "head_name": "Contoh: Rahmat Hidayat",
        "bank_name": "Bank Contoh",
        "bank_account": "0000000001",
        "bank_account_name": "BPJS Ketenagakerjaan KC Siak (contoh)",
    },
    "kc-dumai": {
        "head_name": "Contoh: Sri Wahyuni",
        "bank_name": "Bank Contoh",
        "bank_account": "0000000002",
        "bank_account_name": "BPJS Ketenagakerjaan KC Dumai (contoh)",
    },
    "kanwil-sumbarriau": {"head_name": "Contoh: Bambang Setiawan"},
}


def demo_offices_fill() -> list[str]:
    lines = []
    for code, details in DEMO_DETAILS.items():
        office = Office.objects.filter(code=code).first()
        if office is None:
            continue
        values = {name: getattr(office, name) for name in services.EDITABLE_FIELDS}
        values.update(details)
        _office, changed = services.office_save(actor=None, code=code, kind=office.kind, parent=office.parent, **values)
        if changed:
            lines.append(f"  {office.name}: kepala dan rekening contoh diisi.")
    return lines

"""A target list's entries as a workbook: full NIKs, for the office or the enrolment team. Every
download is recorded as a view of personal data."""

from __future__ import annotations

from django.utils.translation import gettext as _
from openpyxl import Workbook

from lindung.accounts.models import User
from lindung.core.audit import audit_personal_data_viewed
from lindung.core.exports import neutral_row, workbook_bytes
from lindung.outreach import selectors
from lindung.outreach.models import TargetClass, TargetList

FIELDS = ("nik", "family_card", "name", "birth_date", "sex", "village", "decile", "outcome")


def entries_workbook(*, actor: User | None, target_list: TargetList, outcome: str | None) -> bytes:
    """Every entry of the list (of one class), in file order."""
    audit_personal_data_viewed(actor=actor, target=target_list, fields=(*FIELDS, f"class:{outcome or 'all'}"))
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Entries")[:31])
    sheet.append(
        neutral_row([
            _("Row"), "NIK", _("Family card"), _("Name"), _("Birth date"), _("Sex"), _("Kecamatan"), _("Village"),
            _("Decile"), _("Welfare status"), _("Work status"), _("Occupation"), _("Result"), _("Problem"),
        ])
    )  # fmt: skip
    labels = dict(TargetClass.choices)
    districts = selectors.district_names(
        selectors.entries_of(target_list, outcome).values_list("district_code", flat=True).distinct()
    )
    for entry in selectors.entries_of(target_list, outcome).iterator(chunk_size=5_000):
        sheet.append(
            neutral_row([
                entry.source_row, entry.nik, entry.family_card, entry.name, entry.birth_date, entry.sex,
                districts.get(entry.district_code, ""), entry.village.name if entry.village else "",
                entry.decile, entry.welfare_status, entry.work_status, entry.occupation,
                str(labels.get(entry.outcome, entry.outcome)), entry.problem_text,
            ])
        )  # fmt: skip
    return workbook_bytes(book)

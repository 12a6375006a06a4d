"""The guided flow: from a selection of a target list to protection. One step drafts the agreement
(segment BPU, category pekerja rentan, the programs chosen, the period, quota = the people
selected, ceiling = their cost over the period by the rules in force) and uploads an enrolment
batch of the selected people, which then goes through the registry's own check and confirmation.
The branch activates the agreement and confirms the batch as for any other."""

from __future__ import annotations

import io
from dataclasses import asdict
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook

from lindung.accounts.models import User
from lindung.accounts.permissions import require
from lindung.accounts.roles import Capability
from lindung.contributions.planner import MAX_MONTHS
from lindung.core.audit import audit_record
from lindung.core.exports import neutral_row, workbook_bytes
from lindung.core.models import AuditAction
from lindung.outreach import selection as selecting
from lindung.outreach.models import TO_PROTECT, Protection, TargetEntry, TargetList
from lindung.registry import batches, services
from lindung.registry.enrolment import COLUMNS
from lindung.registry.models import Sponsor
from lindung.rules.periods import Period


def protect_selection(
    *,
    actor: User | None,
    target_list: TargetList,
    chosen: selecting.Selection,
    sponsor: Sponsor,
    number: str,
    starts_on: date,
    ends_on: date,
    programs: list[str],
    income: int = selecting.DEFAULT_INCOME,
    on: date,
) -> Protection:
    """Draft the agreement and upload the batch; refuses an empty selection or classes that cannot
    be enrolled (only the not registered and the registered but unprotected can)."""
    require(actor, Capability.MANAGE_TARGET_LISTS, [target_list.region_id])
    require(actor, Capability.MANAGE_SPONSORS, [sponsor.region_id])
    if any(value not in TO_PROTECT for value in chosen.classes):
        raise ValidationError({"classes": _("Only people not registered or not protected can be enrolled.")})
    entries = list(chosen.entries(target_list, on=on).order_by("source_row"))
    if not entries:
        raise ValidationError({"classes": _("The selection holds nobody.")})
    months = _months(starts_on, ends_on)
    costing = selecting.selection_cost(
        target_list, chosen, on=on, start=str(Period(starts_on.year, starts_on.month)), programs=programs,
        income=income, months=months,
    )  # fmt: skip
    assert costing.plan is not None  # noqa: S101 (always priced)
    with transaction.atomic():
        agreement = services.agreement_create(
            actor=actor, sponsor=sponsor, number=number, starts_on=starts_on, ends_on=ends_on,
            segment=selecting.SEGMENT, programs=programs, categories=[selecting.CATEGORY], quota=len(entries),
            budget_ceiling=costing.plan.total,
        )  # fmt: skip
        content = enrolment_workbook(entries, starts_on=starts_on, programs=programs, income=income)
        batch = batches.import_upload(
            actor=actor, sponsor=sponsor, agreement=agreement, name=f"sasaran-{target_list.pk}-{agreement.pk}.xlsx",
            content=io.BytesIO(content),
        )  # fmt: skip
        protection = Protection.objects.create(
            target_list=target_list, agreement=agreement, batch=batch, selection=asdict(chosen), people=len(entries),
            cost=costing.plan.total, created_by=actor,
        )  # fmt: skip
        made = {"agreement": agreement.number, "batch": batch.pk, "people": len(entries), "cost": costing.plan.total}
        audit_record(actor=actor, action=AuditAction.CREATE, target=protection, after=made)
    return protection


def enrolment_workbook(entries: list[TargetEntry], *, starts_on: date, programs: list[str], income: int) -> bytes:
    """The registry's enrolment template filled with the selected people, as pekerja rentan (BPU)
    funded by the APBD from `starts_on`."""
    book = Workbook()
    sheet = book.worksheets[0]
    sheet.title = "peserta"
    sheet.append([column.header for column in COLUMNS])
    for entry in entries:
        values = {
            "nik": entry.nik,
            "name": entry.name,
            "birth_date": entry.birth_date.isoformat() if entry.birth_date else "",
            "sex": entry.sex,
            "village": entry.village_id or "",
            "segment": selecting.SEGMENT,
            "category": selecting.CATEGORY,
            "programs": ", ".join(program.upper() for program in programs),
            "wage": income,
            "occupation": entry.occupation,
            "work_village": entry.village_id or "",
            "starts_on": starts_on.isoformat(),
            "funding": selecting.FUNDING,
        }
        sheet.append(neutral_row([values.get(column.field, "") for column in COLUMNS]))
    return workbook_bytes(book)


def _months(starts_on: date, ends_on: date) -> int:
    if ends_on < starts_on:
        raise ValidationError({"ends_on": _("The end is before the start.")})
    months = (ends_on.year - starts_on.year) * 12 + ends_on.month - starts_on.month + 1
    if months > MAX_MONTHS:
        raise ValidationError({"ends_on": _("An agreement runs at most %(months)s months.") % {"months": MAX_MONTHS}})
    return months

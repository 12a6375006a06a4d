"""Bulk enrolment from CSV or XLSX: reading files, the template, the error report, and the batch's life.

A batch is uploaded (file stored, headers checked), checked in the background (progress, counts, error
report), and written only when the user confirms: the rows are checked again against the registry as
it is then, and the valid ones go in one transaction of set-based statements.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from lindung.accounts.models import User
from lindung.accounts.permissions import require
from lindung.accounts.roles import Capability
from lindung.core.audit import audit_record
from lindung.core.exports import neutral_row, workbook_bytes
from lindung.core.jobs import JobEnded
from lindung.core.models import AuditAction
from lindung.core.tables import Limits, spreadsheet_header, spreadsheet_rows
from lindung.registry.enrolment import (
    COLUMNS,
    FIELD_HEADERS,
    HEADER_FIELDS,
    REQUIRED_HEADERS,
    Context,
    Plan,
    Problem,
    agreement_in_force,
    plan_enrolment,
)
from lindung.registry.models import Agreement, ImportBatch, ImportStatus, Sponsor
from lindung.registry.pipeline import NewRows, can_pipeline, check_and_write
from lindung.registry.writer import Written, apply_plan

EXTENSIONS = (".csv", ".xlsx")
ERROR_SAMPLE = 50
# Headers offices often write instead of the template's.
HEADER_ALIASES = {
    "tgl_lahir": "tanggal_lahir",
    "jk": "jenis_kelamin",
    "l/p": "jenis_kelamin",
    "no_hp": "telepon",
    "nama_lengkap": "nama",
    "no_nik": "nik",
    "tmt": "tanggal_mulai",
}


@dataclass
class Table:
    """An opened file: its fields in column order, the number of data rows, and the rows."""

    fields: list[str | None]  # None for a column Lindung does not use
    total: int
    rows: Iterator[tuple[int, dict[str, object]]]


def _field_of(header: object) -> str | None:
    key = re.sub(r"[\s\-]+", "_", str(header or "").strip().lower())
    key = HEADER_ALIASES.get(key, key)
    return HEADER_FIELDS.get(key)


def open_table(path: Path) -> Table:
    """Open a CSV or XLSX file. Raises ValidationError on "file" when it cannot be enrolled from."""
    raw_rows, total = spreadsheet_rows(path, limits=_limits())
    fields = _fields(next(raw_rows, None))
    return Table(fields, max(total - 1, 0), _data_rows(raw_rows, fields))


def check_upload(path: Path) -> int:
    """The checks an upload gets at once, in the web process, without loading the whole sheet:
    readable, within the limits, the required columns present. Returns the rows it says it has."""
    header, declared = spreadsheet_header(path, limits=_limits())
    _fields(header)
    return declared or 0


def _limits() -> Limits:
    return Limits(rows=settings.IMPORT_MAX_ROWS)


def _fields(header: list[Any] | None) -> list[str | None]:
    if header is None or not any(str(cell or "").strip() for cell in header):
        raise ValidationError({"file": _("The file is empty: the first row must hold the column names.")})
    fields = [_field_of(cell) for cell in header]
    missing = [FIELD_HEADERS[name] for name in _required_fields() if name not in fields]
    if missing:
        raise ValidationError(
            {
                "file": _("Required columns are missing: %(columns)s. Download the template to see them.")
                % {"columns": ", ".join(missing)}
            }
        )
    return fields


def _required_fields() -> list[str]:
    return [HEADER_FIELDS[header] for header in REQUIRED_HEADERS]


def _data_rows(raw_rows: Iterator[list[Any]], fields: list[str | None]) -> Iterator[tuple[int, dict[str, object]]]:
    for line, cells in enumerate(raw_rows, start=2):
        if not any(cell not in (None, "") for cell in cells):
            continue  # a blank line between blocks is not a person
        yield line, {name: cell for name, cell in zip(fields, cells, strict=False) if name is not None}


# The template and the report -------------------------------------------------------------------


def template_workbook() -> bytes:
    """The enrolment template: the columns to fill (NIK formatted as text) and a sheet of instructions."""
    book = Workbook()
    book.remove(book.worksheets[0])
    sheet = book.create_sheet("peserta")
    sheet.append([column.header for column in COLUMNS])
    for index, column in enumerate(COLUMNS, start=1):
        sheet.cell(row=1, column=index).font = Font(bold=True)
        sheet.column_dimensions[get_column_letter(index)].width = max(14, len(column.header) + 4)
    # Excel keeps only 15 significant digits of a number: a NIK typed as a number loses its last digit.
    for row in range(2, 1002):
        sheet.cell(row=row, column=1).number_format = "@"
    guide = book.create_sheet("petunjuk")
    guide.append([_("Column"), _("Required"), _("What to write")])
    for column in COLUMNS:
        guide.append([column.header, _("yes") if column.required else _("no"), str(column.help)])
    guide.column_dimensions["A"].width = 18
    guide.column_dimensions["C"].width = 70
    return workbook_bytes(book)


def error_report(problems: list[Problem], path: Path) -> None:
    """Every problem as a row of an XLSX file: row, column, NIK, kind, message (in the active language)."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("problems"))
    sheet.append([_("Row"), _("Column"), "NIK", _("Kind"), _("Message")])
    for problem in sorted(problems, key=lambda p: (p.line, p.warning)):
        sheet.append(
            neutral_row(
                [
                    problem.line or "",
                    FIELD_HEADERS.get(problem.field, problem.field),
                    problem.nik,
                    _("warning") if problem.warning else _("error"),
                    problem.message,
                ]
            )
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)


def report_path(batch: ImportBatch) -> Path:
    if not batch.stored_path:  # the files of an old failed or cancelled upload were deleted
        return Path(settings.IMPORT_DIR) / f"deleted-{batch.pk}.errors.xlsx"
    return Path(batch.stored_path).with_suffix(".errors.xlsx")


def problem_json(problem: Problem) -> dict[str, object]:
    return {
        "row": problem.line,
        "column": FIELD_HEADERS.get(problem.field, problem.field),
        "nik": problem.nik,
        "warning": problem.warning,
        "message": problem.message,
    }


# A batch's life --------------------------------------------------------------------------------


def _copy(content: IO[bytes], target: Path) -> int:
    size = 0
    with target.open("wb") as out:
        while block := content.read(1 << 20):
            size += len(block)
            out.write(block)
    return size


def _plan(batch: ImportBatch, *, status: ImportStatus, today: date, new_rows: NewRows | None = None) -> Plan:
    """Check the batch's rows; raises JobEnded as soon as the batch leaves `status` (cancelled)."""
    table = open_table(Path(batch.stored_path))
    actor = _actor_of(batch) if status == ImportStatus.IMPORTING else batch.created_by
    context = Context.load(sponsor=batch.sponsor, agreement=batch.agreement, today=today, actor=actor)

    def progress(done: int) -> None:
        if not ImportBatch.objects.filter(pk=batch.pk, status=status).update(processed_rows=done):
            raise JobEnded

    return plan_enrolment(table.rows, context, progress=progress, new_rows=new_rows)


def _claim(batch: ImportBatch, *, was: tuple[ImportStatus, ...], becomes: ImportStatus) -> None:
    """Move the batch on, unless the user cancelled it meanwhile (then the job stops quietly)."""
    if not ImportBatch.objects.filter(pk=batch.pk, status__in=was).update(status=becomes, processed_rows=0):
        raise JobEnded
    batch.status, batch.processed_rows = becomes, 0


def import_check(batch: ImportBatch, *, today: date | None = None) -> Plan:
    """Check every row (no registry write); store counts, the first errors and the full report."""
    # CHECKING too: a retry after a database error starts the same check again.
    _claim(batch, was=(ImportStatus.QUEUED, ImportStatus.CHECKING), becomes=ImportStatus.CHECKING)
    try:
        plan = _plan(batch, status=ImportStatus.CHECKING, today=today or timezone.localdate())
    except ValidationError as error:
        _set(batch, status=ImportStatus.FAILED, failure=" ".join(error.messages), finished_at=timezone.now())
        raise JobEnded from error  # the reason is on the batch: retrying cannot help
    error_report(plan.problems, report_path(batch))
    _finish(
        batch,
        was=ImportStatus.CHECKING,
        status=ImportStatus.CHECKED,
        processed_rows=plan.total,
        total_rows=plan.total,
        summary=plan.summary(),
        error_sample=[problem_json(p) for p in plan.problems[:ERROR_SAMPLE]],
    )
    return plan


def import_write(batch: ImportBatch, *, today: date | None = None) -> Plan:
    """Check again and write the valid rows in one transaction; on any failure nothing is written.

    The batch becomes "imported" in that same transaction, and only if nobody cancelled it meanwhile:
    a cancel that lands during the write rolls the whole write back."""
    today = today or timezone.localdate()

    def done(plan: Plan, _written: Written | None = None) -> None:
        _audit_load(plan, batch=batch, sponsor=batch.sponsor, actor=_actor_of(batch))
        _finish(
            batch,
            was=ImportStatus.IMPORTING,
            status=ImportStatus.DONE,
            processed_rows=plan.total,
            summary=plan.summary(),
            error_sample=[problem_json(p) for p in plan.problems[:ERROR_SAMPLE]],
            finished_at=timezone.now(),
        )

    if can_pipeline():

        def report_and_done(plan: Plan, written: Written) -> None:
            error_report(plan.problems, report_path(batch))
            done(plan, written)

        plan, _written = check_and_write(
            lambda new_rows: _plan(batch, status=ImportStatus.IMPORTING, today=today, new_rows=new_rows),
            sponsor=batch.sponsor,
            agreement=_agreement_of(batch.agreement, batch.sponsor),
            actor=_actor_of(batch),
            now=timezone.now(),
            last_step=report_and_done,
        )
        return plan
    plan = _plan(batch, status=ImportStatus.IMPORTING, today=today)
    error_report(plan.problems, report_path(batch))
    with transaction.atomic():
        _apply(plan, sponsor=batch.sponsor, agreement=batch.agreement, actor=_actor_of(batch))
        done(plan)
    return plan


def import_mark_failed(batch_id: int, reason: str) -> None:
    """A job gave up on this batch: record why, unless the batch already ended (done or cancelled)."""
    ImportBatch.objects.filter(pk=batch_id, status__in=ImportStatus.running()).update(
        status=ImportStatus.FAILED, failure=reason, finished_at=timezone.now()
    )


def write_plan(
    plan: Plan, *, batch: ImportBatch | None, sponsor: Sponsor | None = None, actor: User | None = None
) -> None:
    """Apply a checked plan and record one audit entry for the whole file."""
    sponsor = batch.sponsor if batch is not None else sponsor
    actor = _actor_of(batch) if batch is not None else actor
    with transaction.atomic():
        _apply(plan, sponsor=sponsor, agreement=batch.agreement if batch is not None else None, actor=actor)
        _audit_load(plan, batch=batch, sponsor=sponsor, actor=actor)


def _apply(plan: Plan, *, sponsor: Sponsor | None, agreement: Agreement | None, actor: User | None) -> Written:
    return apply_plan(
        plan, sponsor=sponsor, agreement=_agreement_of(agreement, sponsor), actor=actor, now=timezone.now()
    )


def _agreement_of(agreement: Agreement | None, sponsor: Sponsor | None) -> Agreement | None:
    """The batch's agreement, or the sponsor's agreement in force today."""
    if agreement is None and sponsor is not None:
        return agreement_in_force(sponsor, timezone.localdate())
    return agreement


def _audit_load(plan: Plan, *, batch: ImportBatch | None, sponsor: Sponsor | None, actor: User | None) -> None:
    """One audit entry for the whole file (each changed person has her own)."""
    audit_record(
        actor=actor,
        action=AuditAction.LOAD,
        target=batch,
        object_type="" if batch else "registry.importbatch",
        object_repr="" if batch else (sponsor.name if sponsor else ""),
        after={"sponsor": sponsor.pk if sponsor else None, **plan.summary()},
    )


def _actor_of(batch: ImportBatch) -> User | None:
    """Who writes a batch: whoever confirmed it (batches confirmed before that was kept: the uploader)."""
    return batch.confirmed_by or batch.created_by


def import_file(
    *,
    actor: User | None,
    sponsor: Sponsor,
    path: Path,
    dry_run: bool,
    progress: Callable[[int], None] | None = None,
    today: date | None = None,
) -> tuple[Plan, int]:
    """The CLI's import: check a file and, unless `dry_run`, write it at once. Returns the plan and row count."""
    require(actor, Capability.ENROL_MEMBERS, [sponsor.region_id])
    table = open_table(path)
    context = Context.load(sponsor=sponsor, agreement=None, today=today or timezone.localdate(), actor=actor)
    if dry_run:
        return plan_enrolment(table.rows, context, progress=progress), table.total
    if not can_pipeline():
        plan = plan_enrolment(table.rows, context, progress=progress)
        write_plan(plan, batch=None, sponsor=sponsor, actor=actor)
        return plan, table.total
    plan, _written = check_and_write(
        lambda new_rows: plan_enrolment(table.rows, context, progress=progress, new_rows=new_rows),
        sponsor=sponsor,
        agreement=context.agreement,
        actor=actor,
        now=timezone.now(),
        last_step=lambda done, _written: _audit_load(done, batch=None, sponsor=sponsor, actor=actor),
    )
    return plan, table.total


def _finish(batch: ImportBatch, *, was: ImportStatus, **changes: Any) -> None:
    """Store the job's outcome if the batch is still in `was`; a cancelled batch raises JobEnded."""
    if not ImportBatch.objects.filter(pk=batch.pk, status=was).update(**changes):
        raise JobEnded
    for name, value in changes.items():
        setattr(batch, name, value)


def _set(batch: ImportBatch, **changes: Any) -> None:
    for name, value in changes.items():
        setattr(batch, name, value)
    ImportBatch.objects.filter(pk=batch.pk).update(**changes)

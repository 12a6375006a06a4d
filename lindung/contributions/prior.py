"""Paid before Lindung: a sponsor's history from before Lindung billed it.

A regional government that has paid the agency for its workers since 2019 cannot start its history in
the month Lindung was installed. The branch records, per sponsor, the month from which Lindung bills
(`BillingStart`: billing skips the months before it) and, from the agency's payment history, which of
those earlier months were paid (`PriorPayment`, one row per month; a later file replaces a month).
In such a month the sponsor's running members are protected and count as active, "paid before
Lindung", in the person's coverage, in claims eligibility and in the monitoring rollups.

A month before the billing start with no recorded payment stays what the law says without Lindung's
ledger: a PU or Jakon member is protected by the employer's duty, a BPU member is not.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from lindung.accounts.models import User
from lindung.accounts.permissions import require
from lindung.accounts.roles import Capability
from lindung.contributions.models import BillingStart, Invoice, PriorPayment, PriorPaymentImport
from lindung.core.audit import audit_record
from lindung.core.changes import Change, changing
from lindung.core.exports import csv_text
from lindung.core.inputs import MAX_RUPIAH
from lindung.core.models import AuditAction
from lindung.core.scoping import covers
from lindung.core.tables import (
    Limits,
    RowProblem,
    cell_count,
    cell_month,
    cell_text,
    row_cells,
    saved_upload,
    spreadsheet_rows,
)
from lindung.registry.models import Membership, Sponsor
from lindung.registry.values import parse_date
from lindung.rules.periods import Period

COLUMNS = ("bulan", "tanggal_bayar", "peserta", "jumlah_dibayar")
REQUIRED = ("bulan",)
MAX_ROWS = 2_000  # a sponsor's months since 2014, many times over


@dataclass
class PriorImport:
    """What one file did: months written, months it replaced, bad rows by row and column."""

    imported: PriorPaymentImport | None = None
    months: int = 0
    replaced: int = 0
    problems: list[RowProblem] = field(default_factory=list)

    def message(self) -> str:
        return _(
            "%(months)s months recorded as paid before Lindung, %(replaced)s replaced, %(errors)s rows with errors."
        ) % {
            "months": self.months,
            "replaced": self.replaced,
            "errors": len(self.problems),
        }


@dataclass(frozen=True)
class PaidMonth:
    period: str
    paid_on: date | None
    members: int | None
    amount: int | None


def may_record(actor: User, sponsor: Sponsor) -> bool:
    return actor.can(Capability.RECORD_PAYMENT_HISTORY) and covers(actor, [sponsor.region_id])


def _require(actor: User | None, sponsor: Sponsor) -> None:
    require(actor, Capability.RECORD_PAYMENT_HISTORY)
    if actor is not None and not covers(actor, [sponsor.region_id]):
        raise PermissionDenied(_("This sponsor lies outside your regions."))


# ---------------------------------------------------------------- reading


def billing_start_of(sponsor: Sponsor) -> BillingStart | None:
    return BillingStart.objects.filter(sponsor=sponsor).first()


# ---------------------------------------------------------------- the billing start


def billing_start_set(*, actor: User | None, sponsor: Sponsor, bills_from: Period, note: str = "") -> BillingStart:
    """Lindung bills `sponsor` from `bills_from` on; earlier months are the agency's history.

    Refused when Lindung has already billed a month before it: those invoices are its own history."""
    _require(actor, sponsor)
    if bills_from.year < 2014:
        raise ValidationError({"bills_from": _("The month must be from 2014-01 on.")})
    billed = Invoice.objects.filter(sponsor=sponsor, period__lt=str(bills_from)).order_by("period").first()
    if billed is not None:
        raise ValidationError(
            {
                "bills_from": _(
                    "Lindung has already billed %(period)s for this sponsor (invoice %(number)s): "
                    "the billing start cannot be later than that month."
                )
                % {"period": billed.period, "number": billed.number}
            }
        )
    existing = billing_start_of(sponsor)
    before = {"bills_from": existing.bills_from, "note": existing.note} if existing else None
    latest = max(bills_from, Period.parse(existing.bills_from)) if existing else bills_from
    with transaction.atomic(), changing(Change(memberships=_members_before(sponsor.pk, latest))):
        start, _created = BillingStart.objects.update_or_create(
            sponsor=sponsor,
            defaults={
                "region_id": sponsor.region_id,
                "bills_from": str(bills_from),
                "note": note.strip()[:300],
                "recorded_by": actor if actor is not None and actor.pk else None,
            },
        )
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE if existing else AuditAction.CREATE,
            target=start,
            before=before,
            after={"bills_from": start.bills_from, "note": start.note},
        )
    return start


def _members_before(sponsor_id: int, month: Period) -> set[int]:
    """The sponsor's memberships that ran before `month`: whose coverage a change of history moves."""
    return set(
        Membership.objects.filter(sponsor_id=sponsor_id, starts_on__lt=month.first_day).values_list("pk", flat=True)
    )


def _members_during(sponsor_id: int, months: Iterable[str]) -> set[int]:
    periods = sorted(Period.parse(month) for month in months)
    if not periods:
        return set()
    first, after_last = periods[0].first_day, periods[-1].shifted(1).first_day
    return set(
        Membership.objects.filter(sponsor_id=sponsor_id, starts_on__lt=after_last)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=first))
        .values_list("pk", flat=True)
    )


# ---------------------------------------------------------------- the agency's payment history


def template_csv() -> str:
    """The columns with example rows: months of 2019 paid by a regional government."""
    return csv_text(
        COLUMNS,
        [
            ["2019-01", "2019-02-10", "1200", "20160000"],
            ["2019-02", "2019-03-11", "1210", "20328000"],
        ],
    )


def prior_file_import(*, actor: User | None, sponsor: Sponsor, file: UploadedFile, source: str) -> PriorImport:
    if Path(file.name or "").suffix.lower() not in {".csv", ".xlsx"}:
        raise ValidationError({"file": _("Upload a CSV or XLSX file.")})
    with saved_upload(file, stem="riwayat-iuran") as path:
        return prior_import(actor=actor, sponsor=sponsor, path=path, source=source, file_name=file.name or "")


def prior_import(*, actor: User | None, sponsor: Sponsor, path: Path, source: str, file_name: str = "") -> PriorImport:
    """Record the months of `path` as paid before Lindung; good rows are written, bad ones reported."""
    _require(actor, sponsor)
    if not source.strip():
        raise ValidationError({"source": _("Name the source, e.g. BPJS Ketenagakerjaan Cabang Siak, payment history.")})
    start = billing_start_of(sponsor)
    if start is None:
        raise ValidationError({"file": _("First set the month from which Lindung bills this sponsor.")})
    rows, _total = spreadsheet_rows(path, limits=Limits(rows=MAX_ROWS, columns=20))
    header = [str(cell or "").strip().lower() for cell in next(rows, [])]
    missing = [name for name in REQUIRED if name not in header]
    if missing:
        raise ValidationError(
            {"file": _("Required columns are missing: %(columns)s.") % {"columns": ", ".join(missing)}}
        )
    result = PriorImport()
    good: dict[str, PaidMonth] = {}
    for number, cells in enumerate(rows, start=2):
        if not any(cells):
            continue
        month = _check(number, row_cells(cells, header), Period.parse(start.bills_from), result.problems)
        if month is None:
            continue
        if month.period in good:
            result.problems.append(RowProblem(number, "bulan", _("The same month twice.")))
            continue
        good[month.period] = month
    with transaction.atomic(), changing(Change(memberships=_members_during(sponsor.pk, good))):
        _write(actor, sponsor, source.strip(), file_name or path.name, list(good.values()), result)
    return result


def _check(number: int, values: dict[str, Any], bills_from: Period, problems: list[RowProblem]) -> PaidMonth | None:
    before = len(problems)

    def problem(column: str, message: str) -> None:
        problems.append(RowProblem(number, column, message))

    period = cell_month(values.get("bulan"))
    if period is None:
        problem("bulan", _("Write the month as 2019-01."))
    elif period >= bills_from:
        problem(
            "bulan",
            _("Lindung bills this sponsor from %(month)s: a month from then on is paid through Lindung.")
            % {"month": bills_from},
        )
    paid_on = None
    if cell_text(values.get("tanggal_bayar")):
        try:
            paid_on = parse_date(values.get("tanggal_bayar"))
        except ValueError as error:
            problem("tanggal_bayar", str(error))
    members = cell_count(values.get("peserta"), "peserta", problem)
    amount = cell_count(values.get("jumlah_dibayar"), "jumlah_dibayar", problem, limit=MAX_RUPIAH)
    if len(problems) > before or period is None:
        return None
    return PaidMonth(str(period), paid_on, members, amount)


def _write(
    actor: User | None, sponsor: Sponsor, source: str, file_name: str, months: list[PaidMonth], result: PriorImport
) -> None:
    imported = PriorPaymentImport.objects.create(
        sponsor=sponsor,
        region_id=sponsor.region_id,
        source=source[:200],
        file_name=file_name[:200],
        uploaded_by=actor if actor is not None and actor.pk else None,
    )
    replaced, _deleted = PriorPayment.objects.filter(sponsor=sponsor, period__in=[m.period for m in months]).delete()
    PriorPayment.objects.bulk_create(
        [
            PriorPayment(
                sponsor=sponsor,
                region_id=sponsor.region_id,
                period=month.period,
                paid_on=month.paid_on,
                members=month.members,
                amount=month.amount,
                imported=imported,
            )
            for month in months
        ]
    )
    imported.summary = {
        "months": len(months),
        "replaced": replaced,
        "problems": [problem.__dict__ for problem in result.problems[:500]],
    }
    imported.save(update_fields=["summary"])
    result.imported, result.months, result.replaced = imported, len(months), replaced
    audit_record(
        actor=actor,
        action=AuditAction.LOAD,
        target=imported,
        after={"source": source, "file": file_name, "months": len(months), "replaced": replaced},
    )


def imports_of(sponsor: Sponsor) -> list[PriorPaymentImport]:
    return list(PriorPaymentImport.objects.filter(sponsor=sponsor)[: settings.LINDUNG_PAGE_SIZE])

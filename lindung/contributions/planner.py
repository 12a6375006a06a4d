"""Budget planning for a Pemda or Pemdes: what covering N workers costs, month by month.

Each month is priced by the rules in force then (relief windows, the JP cap), for the number of
workers the phased target gives from that month (5,000 from 2023-10, then 10,000 from 2024-01).
The year's total is compared with the agreement's budget ceiling.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from lindung.core.exports import neutral_row, workbook_bytes
from lindung.rules.contributions import ContributionQuery, contribution
from lindung.rules.errors import RuleInputError
from lindung.rules.periods import Period
from lindung.rules.results import Result

PHASE_LINE = re.compile(r"^\s*(\d{4}-\d{2})\s*[:=,;]?\s*([\d.]+)\s*$")
MAX_MONTHS = 36
# Regulations of the relief windows (rules.md 1.5), as they appear in the items' legal bases.
RELIEF_REGULATIONS = frozenset({"PP 49/2020", "PP 7/2025", "PP 50/2025"})


@dataclass(frozen=True)
class Phase:
    starts: Period
    members: int


@dataclass(frozen=True)
class PlanRow:
    period: Period
    members: int
    per_member: int
    total: int
    cumulative: int
    relief: str  # the relief that lowered the month's rate, if any
    unconfirmed: bool


@dataclass
class BudgetPlan:
    query: ContributionQuery
    phases: list[Phase]
    rows: list[PlanRow] = field(default_factory=list)
    ceiling: int | None = None

    @property
    def total(self) -> int:
        return self.rows[-1].cumulative if self.rows else 0

    @property
    def over_ceiling(self) -> int:
        """How much the plan exceeds the ceiling (0 when within it or without one)."""
        return max(self.total - self.ceiling, 0) if self.ceiling is not None else 0

    @property
    def first_month_over(self) -> Period | None:
        if self.ceiling is None:
            return None
        return next((row.period for row in self.rows if row.cumulative > self.ceiling), None)


def plan_query(
    *, start: str, segment: str, programs: list[str], amount: int, risk_class: int | None, funding: str
) -> ContributionQuery:
    """The terms of the workers to plan for; `amount` is a wage for PU and Jakon, a declared income for BPU."""
    try:
        period = Period.parse(start)
    except ValueError:
        raise ValidationError({"start": _("Write the period as YYYY-MM, for example 2026-06.")}) from None
    return ContributionQuery(
        period=period,
        segment=segment,
        programs=tuple(programs),
        wage=None if segment == "bpu" else amount,
        income=amount if segment == "bpu" else None,
        risk_class=risk_class,
        funding=funding,
    )


def parse_phases(text: str) -> list[Phase]:
    """'2023-10 5000' lines (one per step of the target) -> phases, oldest first."""
    phases = []
    for number, line in enumerate(text.strip().splitlines(), start=1):
        if not line.strip():
            continue
        match = PHASE_LINE.match(line)
        try:
            if not match:
                raise ValueError
            phases.append(Phase(Period.parse(match.group(1)), int(match.group(2).replace(".", ""))))
        except ValueError:
            raise ValidationError(
                {
                    "phases": _("Line %(number)s: write a month and a number of workers, like 2024-01 10000.")
                    % {"number": number}
                }
            ) from None
    if not phases:
        raise ValidationError({"phases": _("Give at least one month and number of workers.")})
    return sorted(phases, key=lambda phase: phase.starts)


def budget_plan(
    query: ContributionQuery, phases: list[Phase], *, months: int = 12, ceiling: int | None = None
) -> BudgetPlan:
    """Price each of `months` months from `query.period` for the target in force that month."""
    if not 1 <= months <= MAX_MONTHS:
        raise ValidationError({"months": _("Plan between 1 and %(max)s months.") % {"max": MAX_MONTHS}})
    plan = BudgetPlan(query=query, phases=phases, ceiling=ceiling)
    cumulative = 0
    for offset in range(months):
        month = query.period.shifted(offset)
        members = _members_in(phases, month)
        try:
            result = contribution(replace(query, period=month, paid_on=None))
        except RuleInputError as error:
            raise ValidationError(str(error)) from error
        cumulative += result.total * members
        plan.rows.append(
            PlanRow(
                month, members, result.total, result.total * members, cumulative, _reliefs(result), result.unconfirmed
            )
        )
    return plan


def _reliefs(result: Result) -> str:
    """The relief regulations named in the month's legal bases ('PP 50/2025')."""
    named = {part for item in result.items for part in item.legal_basis.split("; ") if part in RELIEF_REGULATIONS}
    return "; ".join(sorted(named))


def _members_in(phases: list[Phase], month: Period) -> int:
    current = 0
    for phase in phases:
        if phase.starts <= month:
            current = phase.members
    return current


def plan_workbook(plan: BudgetPlan, *, title: str) -> bytes:
    """The plan as an XLSX: parameters, one row per month, the total and the ceiling."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None  # noqa: S101 - a new workbook has a sheet
    sheet.title = "Rencana anggaran"
    bold = Font(bold=True)
    sheet.append(neutral_row([title]))
    sheet["A1"].font = bold
    query = plan.query
    sheet.append(["Segmen", query.segment.upper(), "Program", ", ".join(query.programs or ())])
    sheet.append(["Upah / penghasilan", query.wage or query.income or 0, "Sumber dana", query.funding])
    sheet.append([])
    sheet.append(
        ["Periode", "Jumlah pekerja", "Iuran per orang (Rp)", "Iuran bulan ini (Rp)", "Kumulatif (Rp)", "Relaksasi"]
    )
    for cell in sheet[5]:
        cell.font = bold
    for row in plan.rows:
        sheet.append([str(row.period), row.members, row.per_member, row.total, row.cumulative, row.relief])
    sheet.append(["Jumlah", None, None, plan.total])
    sheet.cell(sheet.max_row, 1).font = bold
    if plan.ceiling is not None:
        sheet.append(["Pagu anggaran", None, None, plan.ceiling])
        sheet.append(["Selisih (pagu - rencana)", None, None, plan.ceiling - plan.total])
    for column, width in zip("ABCDEF", (12, 16, 20, 20, 20, 40), strict=True):
        sheet.column_dimensions[column].width = width
    for row_cells in sheet.iter_rows(min_row=6, min_col=2, max_col=5):
        for cell in row_cells:
            cell.number_format = "#,##0"
    return workbook_bytes(book)

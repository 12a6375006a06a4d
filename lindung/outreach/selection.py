"""A selection of a target list's people (say: not registered, deciles 1-2, working age, in three
kecamatan) and what protecting them costs, priced by the budget planner (contributions.planner):
the same rules month by month, the same figures, as BPU workers funded by the regional budget."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.db.models import Count, QuerySet
from django.utils.translation import gettext as _

from lindung.contributions.planner import BudgetPlan, Phase, budget_plan, parse_phases, plan_query
from lindung.core.commands import indonesian_number
from lindung.outreach.models import TO_PROTECT, TargetClass, TargetEntry, TargetList
from lindung.outreach.selectors import HOUSEHOLD
from lindung.rules.periods import Period

# Pekerja rentan are BPU workers whose contribution the Pemda pays: at the lowest income band
# (Rp1,000,000, rules.md 1.2), JKK and JKM (JHT optional), funded by the APBD, so no relief that
# excludes regional budgets applies.
SEGMENT, FUNDING, CATEGORY = "bpu", "apbd", "pekerja_rentan"
DEFAULT_INCOME = 1_000_000
WORKING_AGE = (15, 64)


@dataclass(frozen=True)
class Selection:
    classes: tuple[str, ...] = tuple(TO_PROTECT)
    deciles: tuple[int, ...] = ()  # none: every decile (and entries without one)
    districts: tuple[str, ...] = ()  # kecamatan codes; none: all
    min_age: int | None = None
    max_age: int | None = None

    def entries(self, target_list: TargetList, *, on: date) -> QuerySet[TargetEntry]:
        """The list's entries in this selection; age in completed years on `on`."""
        entries = TargetEntry.objects.filter(target_list=target_list, outcome__in=self.classes).order_by()
        if self.deciles:
            entries = entries.filter(decile__in=self.deciles)
        if self.districts:
            entries = entries.filter(district_code__in=self.districts)
        if self.min_age is not None:
            entries = entries.filter(birth_date__lte=_years_before(on, self.min_age))
        if self.max_age is not None:
            entries = entries.filter(birth_date__gt=_years_before(on, self.max_age + 1))
        return entries


@dataclass
class Costing:
    """A selection's size and, when phased and priced, its plan against a ceiling."""

    people: int
    households: int
    plan: BudgetPlan | None = None
    warnings: list[str] = field(default_factory=list)


def selection_size(target_list: TargetList, selection: Selection, *, on: date) -> tuple[int, int]:
    row = selection.entries(target_list, on=on).aggregate(
        people=Count("id"), households=Count(HOUSEHOLD, distinct=True)
    )
    return row["people"], row["households"]


def selection_cost(
    target_list: TargetList,
    selection: Selection,
    *,
    on: date,
    start: str,
    programs: list[str],
    income: int = DEFAULT_INCOME,
    months: int = 12,
    phases: str = "",
    ceiling: int | None = None,
) -> Costing:
    """Price the selection from `start` for `months` months: the whole selection from the first
    month, or the phased target written like the planner's ("2027-01 5000" per line)."""
    people, households = selection_size(target_list, selection, on=on)
    costing = Costing(people, households)
    query = plan_query(start=start, segment=SEGMENT, programs=programs, amount=income, risk_class=None, funding=FUNDING)
    steps = parse_phases(phases) if phases.strip() else [Phase(query.period, people)]
    if any(step.members > people for step in steps):
        costing.warnings.append(
            _("The target exceeds the %(people)s people selected; the cost is for the target as written.")
            % {"people": indonesian_number(people)}
        )
    costing.plan = budget_plan(query, steps, months=months, ceiling=ceiling)
    return costing


def parse_selection(data: dict[str, object]) -> Selection:
    """A selection from a form's cleaned data (classes, deciles, districts, min_age, max_age)."""
    classes = tuple(str(value) for value in data.get("classes") or TO_PROTECT)  # type: ignore[attr-defined]
    unknown = [value for value in classes if value not in TargetClass.values]
    if unknown:
        raise ValidationError({"classes": _("Unknown result: %(value)s.") % {"value": ", ".join(unknown)}})
    min_age, max_age = data.get("min_age"), data.get("max_age")
    if isinstance(min_age, int) and isinstance(max_age, int) and min_age > max_age:
        raise ValidationError({"max_age": _("The highest age is below the lowest.")})
    return Selection(
        classes=classes,
        deciles=tuple(int(value) for value in data.get("deciles") or ()),  # type: ignore[attr-defined]
        districts=tuple(str(value) for value in data.get("districts") or ()),  # type: ignore[attr-defined]
        min_age=min_age if isinstance(min_age, int) else None,
        max_age=max_age if isinstance(max_age, int) else None,
    )


def first_month(on: date) -> str:
    """The month after `on`: the earliest a new agreement's members can be billed from."""
    return str(Period(on.year, on.month).shifted(1))


def _years_before(on: date, years: int) -> date:
    try:
        return on.replace(year=on.year - years)
    except ValueError:  # 29 February
        return on.replace(year=on.year - years, day=28)

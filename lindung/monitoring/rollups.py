"""Rollups: the coverage and money figures of every region and month, kept in two small tables.

Dashboards read only these tables, so a page costs a few dozen rows at any level. Each row holds
its region's whole subtree (the national row has region_code ""). Figures come from facts:

- coverage: each membership running in a month counts once as *registered*, at its location (the
  work village of the version in force on the last day it covers that month, else the region that
  administers it), by segment, category, sex and age band (age on the month's first day); it is
  *active* when its contribution for that month sits on an invoice paid in full (the ledger's
  "settled").
- money: invoice lines billed per program, the invoice totals and what was allocated to them
  (collected), at the invoice's region; claims paid per claim type in the month of the payout.

`refresh_rollups` rebuilds the window (24 months by default) set-based. Writes that change facts
run inside `rollups_follow(...)`, which computes the facts of the payers (or claims) they touch
before and after and adds the difference to the region and all its ancestors, in the writer's
transaction. So the tables stay exact without rescanning anything but what changed.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from lindung.claims.models import Claim, Payout
from lindung.contributions.models import Allocation, Invoice, InvoiceLine
from lindung.core.db import is_postgresql
from lindung.monitoring.models import CoverageRollup, MoneyRollup, RollupWindow
from lindung.regions.models import Region
from lindung.registry.models import Membership, MembershipVersion, Person
from lindung.rules.periods import Period

WINDOW_MONTHS = 24
COVERAGE_KEY = ("segment", "category", "sex", "age_band")
COVERAGE_MEASURES = ("registered", "active")
MONEY_KEY = ("program",)
MONEY_MEASURES = ("billed", "collected", "claims", "claims_paid")
# Age bands by completed months of age on the month's first day (see AgeBand).
AGE_BANDS = ((300, "<25"), (420, "25-34"), (540, "35-44"), (660, "45-54"))
OLDEST_BAND = "55+"

Facts = dict[tuple[Any, ...], list[int]]
# Set while an outer write follows the rollups: writes nested in it (a billing run rebuilds the
# allocations of the payers it bills) are inside what the outer one tracks and must not count twice.
_following: ContextVar[bool] = ContextVar("rollups_following", default=False)


def age_band(birth: date, on: date) -> str:
    """The age band of someone born on `birth`, on day `on` (the same rule the SQL applies)."""
    months = (on.year * 12 + on.month) - (birth.year * 12 + birth.month) - (1 if birth.day > on.day else 0)
    return next((band for limit, band in AGE_BANDS if months < limit), OLDEST_BAND)


# ---------------------------------------------------------------- the window


def window() -> list[Period] | None:
    """The months the rollups hold, oldest first, or None before the first refresh."""
    found = RollupWindow.objects.first()
    if found is None:
        return None
    return months_between(Period.parse(found.first_period), Period.parse(found.last_period))


def months_between(first: Period, last: Period) -> list[Period]:
    months = []
    while first <= last:
        months.append(first)
        first = first.shifted(1)
    return months


# ---------------------------------------------------------------- which facts


@dataclass(frozen=True)
class Tracked:
    """Whose facts a write may change: payers (sponsors, self-paying persons), regions' subtrees, claims."""

    sponsor_ids: tuple[int, ...] = ()
    person_ids: tuple[int, ...] = ()
    region_codes: tuple[str, ...] = ()
    claim_ids: tuple[int, ...] = ()
    everything: bool = False

    def membership_filter(self) -> str | None:
        return self._filter(sponsor="m.sponsor_id", person="m.person_id", region="m.region_id")

    def invoice_filter(self) -> str | None:
        return self._filter(sponsor="i.sponsor_id", person="i.person_id", region="i.region_id")

    def claim_filter(self) -> str | None:
        if self.everything:
            return "1 = 1"
        parts = []
        if self.claim_ids:
            parts.append(f"c.id IN ({_ints(self.claim_ids)})")
        if self.region_codes:
            parts.append(_subtree_sql("c.region_id", self.region_codes))
        return " OR ".join(parts) or None

    def _filter(self, *, sponsor: str, person: str, region: str) -> str | None:
        if self.everything:
            return "1 = 1"
        parts = []
        if self.sponsor_ids:
            parts.append(f"{sponsor} IN ({_ints(self.sponsor_ids)})")
        if self.person_ids:
            parts.append(f"({sponsor} IS NULL AND {person} IN ({_ints(self.person_ids)}))")
        if self.region_codes:
            parts.append(_subtree_sql(region, self.region_codes))
        return " OR ".join(parts) or None


def _ints(values: Iterable[int]) -> str:
    # Ids are inlined (they are ints, so this is safe): a payer list can pass SQLite's parameter limit.
    return ", ".join(str(int(value)) for value in sorted(set(values)))


def _subtree_sql(column: str, codes: Sequence[str]) -> str:
    parts = []
    for code in codes:
        if not all(part.isdigit() for part in code.split(".")):
            raise ValueError(f"not a region code: {code!r}")
        parts.append(f"({column} = '{code}' OR {column} LIKE '{code}.%%')")
    return "(" + " OR ".join(parts) + ")"


# ---------------------------------------------------------------- facts in SQL


def _months_cte(months: Sequence[Period]) -> tuple[str, list[Any]]:
    rows = ", ".join(["(%s, %s, %s, %s)"] * len(months))
    params: list[Any] = []
    for month in months:
        last_day = month.shifted(1).first_day - timedelta(days=1)
        params += [str(month), month.first_day, last_day, month.year * 12 + month.month]
    return f"months (period, first_day, last_day, month_index) AS (VALUES {rows})", params


def _birth_parts() -> tuple[str, str]:
    """SQL for a person's birth month index (year * 12 + month) and birth day."""
    if is_postgresql(connection):
        return (
            "(EXTRACT(YEAR FROM p.birth_date)::int * 12 + EXTRACT(MONTH FROM p.birth_date)::int)",
            "EXTRACT(DAY FROM p.birth_date)::int",
        )
    return (
        "(CAST(strftime('%%Y', p.birth_date) AS INTEGER) * 12 + CAST(strftime('%%m', p.birth_date) AS INTEGER))",
        "CAST(strftime('%%d', p.birth_date) AS INTEGER)",
    )


def _age_band_sql() -> str:
    birth_index, birth_day = _birth_parts()
    months = f"(r.month_index - {birth_index} - CASE WHEN {birth_day} > 1 THEN 1 ELSE 0 END)"
    cases = " ".join(f"WHEN {months} < {limit} THEN '{band}'" for limit, band in AGE_BANDS)
    return f"CASE {cases} ELSE '{OLDEST_BAND}' END"


def coverage_facts_sql(months: Sequence[Period], tracked: Tracked) -> tuple[str, list[Any]] | None:
    """SELECT location, period, segment, category, sex, age_band, registered, active."""
    memberships, invoices = tracked.membership_filter(), tracked.invoice_filter()
    if memberships is None or invoices is None or not months:
        return None
    months_sql, params = _months_cte(months)
    line, invoice, allocation = (InvoiceLine._meta.db_table, Invoice._meta.db_table, Allocation._meta.db_table)
    sql = f"""
WITH {months_sql},
running AS (
  SELECT m.id AS membership_id, m.region_id, m.person_id, mo.period, mo.month_index,
         CASE WHEN m.ends_on IS NOT NULL AND m.ends_on < mo.last_day THEN m.ends_on
              ELSE mo.last_day END AS term_day
  FROM {Membership._meta.db_table} m
  JOIN months mo ON m.starts_on <= mo.last_day AND (m.ends_on IS NULL OR m.ends_on >= mo.first_day)
  WHERE {memberships}
),
settled AS MATERIALIZED (
  SELECT t.invoice_id FROM (
    SELECT l.invoice_id, SUM(l.amount) AS total FROM {invoice} i JOIN {line} l ON l.invoice_id = i.id
    WHERE i.period IN (SELECT period FROM months) AND ({invoices}) GROUP BY l.invoice_id
  ) t LEFT JOIN (
    SELECT a.invoice_id, SUM(a.amount) AS paid FROM {invoice} i JOIN {allocation} a ON a.invoice_id = i.id
    WHERE i.period IN (SELECT period FROM months) AND ({invoices}) GROUP BY a.invoice_id
  ) p ON p.invoice_id = t.invoice_id
  WHERE t.total > 0 AND COALESCE(p.paid, 0) >= t.total
),
paid AS MATERIALIZED (
  SELECT DISTINCT l.membership_id, l.period FROM {line} l JOIN settled s ON s.invoice_id = l.invoice_id
  WHERE l.kind = 'iuran'
)
SELECT COALESCE(v.work_village_id, r.region_id), r.period, v.segment, v.category, p.sex, {_age_band_sql()},
       COUNT(*), COUNT(paid.membership_id)
FROM running r
JOIN {MembershipVersion._meta.db_table} v ON v.membership_id = r.membership_id
     AND v.effective_from <= r.term_day AND (v.effective_to IS NULL OR v.effective_to >= r.term_day)
JOIN {Person._meta.db_table} p ON p.id = r.person_id
LEFT JOIN paid ON paid.membership_id = r.membership_id AND paid.period = r.period
GROUP BY 1, 2, 3, 4, 5, 6
"""
    return sql, params


def _month_of(column: str) -> str:
    if is_postgresql(connection):
        return f"to_char({column}, 'YYYY-MM')"
    return f"strftime('%%Y-%%m', {column})"


def money_facts_sql(months: Sequence[Period], tracked: Tracked) -> tuple[str, list[Any]] | None:
    """SELECT location, period, program, billed, collected, claims, claims_paid."""
    if not months:
        return None
    months_sql, params = _months_cte(months)
    parts: list[str] = []
    invoices = tracked.invoice_filter()
    line, invoice, allocation = (InvoiceLine._meta.db_table, Invoice._meta.db_table, Allocation._meta.db_table)
    if invoices is not None:
        within = f"i.period IN (SELECT period FROM months) AND ({invoices})"
        parts += [
            f"SELECT i.region_id, i.period, l.program, SUM(l.amount), 0, 0, 0 FROM {invoice} i "
            f"JOIN {line} l ON l.invoice_id = i.id WHERE {within} GROUP BY 1, 2, 3",
            f"SELECT i.region_id, i.period, '', SUM(l.amount), 0, 0, 0 FROM {invoice} i "
            f"JOIN {line} l ON l.invoice_id = i.id WHERE {within} GROUP BY 1, 2",
            f"SELECT i.region_id, i.period, '', 0, SUM(a.amount), 0, 0 FROM {invoice} i "
            f"JOIN {allocation} a ON a.invoice_id = i.id WHERE {within} GROUP BY 1, 2",
        ]
    claims = tracked.claim_filter()
    if claims is not None:
        paid_month = _month_of("po.paid_on")
        parts.append(
            f"SELECT c.region_id, {paid_month}, c.claim_type, 0, 0, COUNT(DISTINCT c.id), SUM(po.amount) "
            f"FROM {Payout._meta.db_table} po JOIN {Claim._meta.db_table} c ON c.id = po.claim_id "
            f"WHERE {paid_month} IN (SELECT period FROM months) AND ({claims}) GROUP BY 1, 2, 3"
        )
    if not parts:
        return None
    return f"WITH {months_sql} " + " UNION ALL ".join(parts), params


def _read_facts(query: tuple[str, list[Any]] | None, key_size: int) -> Facts:
    facts: Facts = {}
    if query is None:
        return {}
    with connection.cursor() as cursor:
        cursor.execute(*query)
        for row in cursor.fetchall():
            key, measures = tuple(row[:key_size]), [int(value or 0) for value in row[key_size:]]
            if key in facts:
                facts[key] = [a + b for a, b in zip(facts[key], measures, strict=True)]
            else:
                facts[key] = measures
    return facts


# ---------------------------------------------------------------- rebuilding


@dataclass
class RefreshOutcome:
    months: list[str] = field(default_factory=list)
    coverage_rows: int = 0
    money_rows: int = 0


def refresh_rollups(
    *, first: Period | None = None, last: Period | None = None, today: date | None = None
) -> RefreshOutcome:
    """Rebuild the rollups of the window from the registry, the ledger and the claims, set-based."""
    today = today or timezone.localdate()
    last = last or Period(today.year, today.month)
    first = first or last.shifted(1 - WINDOW_MONTHS)
    months = months_between(first, last)
    with transaction.atomic():
        RollupWindow.objects.all().delete()
        RollupWindow.objects.create(first_period=str(first), last_period=str(last))
        CoverageRollup.objects.all().delete()
        MoneyRollup.objects.all().delete()
        return _rebuild(months)


def refresh_months(months: Sequence[Period]) -> RefreshOutcome:
    """Rebuild some months of the window (after a run that billed everything), widening it if needed."""
    held = window()
    if held is None:
        return RefreshOutcome()
    wanted = [month for month in months if month >= held[0]]
    if not wanted:
        return RefreshOutcome()
    last = max([held[-1], *wanted])
    RollupWindow.objects.update(last_period=str(last), refreshed_at=timezone.now())
    labels = [str(month) for month in wanted]
    CoverageRollup.objects.filter(period__in=labels).delete()
    MoneyRollup.objects.filter(period__in=labels).delete()
    return _rebuild(wanted)


def _rebuild(months: Sequence[Period]) -> RefreshOutcome:
    outcome = RefreshOutcome(months=[str(month) for month in months])
    everything = Tracked(everything=True)
    outcome.coverage_rows = _rebuild_table(
        CoverageRollup, coverage_facts_sql(months, everything), COVERAGE_KEY, COVERAGE_MEASURES
    )
    outcome.money_rows = _rebuild_table(MoneyRollup, money_facts_sql(months, everything), MONEY_KEY, MONEY_MEASURES)
    RollupWindow.objects.update(refreshed_at=timezone.now())
    return outcome


# Per level: the code of a region's ancestor at that level and of that ancestor's parent.
LEVEL_COLUMNS = {
    0: ("''", "''"),
    1: ("g.province_code", "''"),
    2: ("g.regency_code", "g.province_code"),
    3: ("g.district_code", "g.regency_code"),
    4: ("g.code", "g.district_code"),
}


def _rebuild_table(
    model: Any, facts: tuple[str, list[Any]] | None, keys: Sequence[str], measures: Sequence[str]
) -> int:
    """Facts into a temporary table, then one grouped INSERT per level of the region tree."""
    if facts is None:
        return 0
    temp = f"rollup_facts_{model._meta.model_name}"
    fact_columns = ["location", "period", *keys, *measures]
    written = 0
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {temp}")
        typed = [f"{name} varchar(20)" for name in fact_columns[: 2 + len(keys)]] + [
            f"{name} bigint" for name in measures
        ]
        cursor.execute(f"CREATE TEMPORARY TABLE {temp} ({', '.join(typed)})")
        cursor.execute(f"INSERT INTO {temp} ({', '.join(fact_columns)}) {facts[0]}", facts[1])
        key_sql = ", ".join(f"f.{name}" for name in keys)
        sums = ", ".join(f"SUM(f.{name})" for name in measures)
        for level, (code, parent) in LEVEL_COLUMNS.items():
            # PostgreSQL refuses a constant in GROUP BY: the nation's '' codes are left out of it.
            group_by = ", ".join(column for column in (code, parent) if column != "''") or "f.period"
            cursor.execute(
                f"INSERT INTO {model._meta.db_table} "
                f"(region_code, level, parent_code, period, {', '.join(keys)}, {', '.join(measures)}) "
                f"SELECT {code}, {level}, {parent}, f.period, {key_sql}, {sums} "
                f"FROM {temp} f JOIN {Region._meta.db_table} g ON g.code = f.location "
                f"WHERE g.level >= {level} GROUP BY {group_by}, f.period, {key_sql}"
            )
            written += cursor.rowcount
        cursor.execute(f"DROP TABLE {temp}")
    return written


# ---------------------------------------------------------------- following writes


@contextmanager
def rollups_follow(
    *,
    sponsor_ids: Iterable[int | None] = (),
    person_ids: Iterable[int | None] = (),
    region_codes: Iterable[str] = (),
    claim_ids: Iterable[int] = (),
    periods: Iterable[Period] | None = None,
) -> Iterator[None]:
    """Keep the rollups exact across a write that changes the facts of these payers, regions or claims.

    Must run inside the writer's transaction. Computes their facts before and after (in the window,
    or in `periods` if the write touches only those) and adds the difference to every ancestor.
    """
    held = window()
    tracked = Tracked(
        sponsor_ids=tuple(i for i in sponsor_ids if i is not None),
        person_ids=tuple(i for i in person_ids if i is not None),
        region_codes=tuple(region_codes),
        claim_ids=tuple(claim_ids),
    )
    if held is None or tracked == Tracked() or _following.get():
        yield
        return
    months = held if periods is None else [month for month in periods if held[0] <= month <= held[-1]]
    before = _facts(months, tracked)
    with rollups_paused():
        yield
    after = _facts(months, tracked)
    _apply(CoverageRollup, _difference(before[0], after[0]), COVERAGE_KEY, COVERAGE_MEASURES)
    _apply(MoneyRollup, _difference(before[1], after[1]), MONEY_KEY, MONEY_MEASURES)


@contextmanager
def rollups_paused() -> Iterator[None]:
    """Writes inside do not follow the rollups: the caller tracks them, or rebuilds their months after."""
    token = _following.set(True)
    try:
        yield
    finally:
        _following.reset(token)


def _facts(months: Sequence[Period], tracked: Tracked) -> tuple[Facts, Facts]:
    return (
        _read_facts(coverage_facts_sql(months, tracked), 2 + len(COVERAGE_KEY)),
        _read_facts(money_facts_sql(months, tracked), 2 + len(MONEY_KEY)),
    )


def _difference(before: Facts, after: Facts) -> Facts:
    changes: Facts = {}
    for key in before.keys() | after.keys():
        old, new = before.get(key), after.get(key)
        width = len(old or new or [])
        delta = [b - a for a, b in zip(old or [0] * width, new or [0] * width, strict=True)]
        if any(delta):
            changes[key] = delta
    return changes


def _apply(model: Any, changes: Facts, keys: Sequence[str], measures: Sequence[str]) -> None:
    """Add each change to the rows of its location and of every ancestor (insert or increment)."""
    if not changes:
        return
    regions = {
        region.code: region
        for region in Region.objects.filter(code__in={key[0] for key in changes}).only(
            "code", "level", "province_code", "regency_code", "district_code"
        )
    }
    totals: Facts = {}
    for key, delta in changes.items():
        region = regions.get(key[0])
        if region is None:
            continue
        for code, level, parent in _chain(region):
            row_key = (code, level, parent, *key[1:])
            totals[row_key] = [a + b for a, b in zip(totals.get(row_key, [0] * len(delta)), delta, strict=True)]
    columns = ["region_code", "level", "parent_code", "period", *keys, *measures]
    conflict = ", ".join(["region_code", "period", *keys])
    updates = ", ".join(f"{name} = {model._meta.db_table}.{name} + excluded.{name}" for name in measures)
    sql = (
        f"INSERT INTO {model._meta.db_table} ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(columns))}) "
        f"ON CONFLICT ({conflict}) DO UPDATE SET {updates}"
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, [(*key, *delta) for key, delta in totals.items()])


def _chain(region: Region) -> list[tuple[str, int, str]]:
    """(code, level, parent code) of the nation and each region from the province down to `region`."""
    codes = ["", region.province_code, region.regency_code, region.district_code, region.code][: region.level + 1]
    return [(code, level, codes[level - 1] if level else "") for level, code in enumerate(codes)]

"""Rollups: the coverage and money figures of every region and month, kept in two small tables.

Dashboards read only these tables, so a page costs a few dozen rows at any level. Each row holds
its region's whole subtree (the national row has region_code ""). Figures come from facts:

- coverage: each membership running in a month counts once as *registered*, at its location (the
  work village of the version in force on the last day it covers that month, else the region that
  administers it), by segment, category, sex and age band (age on the month's first day); it is
  *active* when its contribution for that month sits on an invoice paid in full (the invoice's
  stored total and allocated amount, see contributions.ledger), or when its sponsor paid that month
  to the agency before Lindung billed it (contributions.prior).
- money: invoice lines billed per program, the invoice totals and what was allocated to them
  (collected), at the invoice's region; claims paid per claim type in the month of the payout.

`refresh_rollups` rebuilds the window (24 months by default) one month at a time, each month in a
transaction of its own, and can resume an interrupted refresh. Writes announce what they change
(lindung.core.changes) and `follower.RollupFollower` adds the difference of just those facts.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from lindung.claims.models import Claim, Payout
from lindung.contributions.models import BillingStart, Invoice, InvoiceLine, PriorPayment
from lindung.core.db import insert_rows, is_postgresql
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
    """Whose coverage facts to compute: these memberships, or everything."""

    membership_ids: tuple[int, ...] = ()
    everything: bool = False

    def membership_filter(self) -> str | None:
        if self.everything:
            return "1 = 1"
        return f"m.id IN ({ints_sql(self.membership_ids)})" if self.membership_ids else None

    def line_filter(self) -> str | None:
        if self.everything:
            return "1 = 1"
        return f"l.membership_id IN ({ints_sql(self.membership_ids)})" if self.membership_ids else None


def ints_sql(values: Iterable[int]) -> str:
    # Ids are inlined (they are ints, so this is safe): a payer list can pass SQLite's parameter limit.
    return ", ".join(str(int(value)) for value in sorted(set(values)))


def subtree_sql(column: str, codes: Sequence[str]) -> str:
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


def band_thresholds(month: Period) -> list[tuple[date, str]]:
    """For one month: each band with the earliest birth date in it (a band holds those born on or
    after its date and before the previous band's), the rule of `age_band` on the month's first day.

    Younger than L months on the 1st of month M means born after the 1st of the month L months
    before M, i.e. on or after its 2nd (the 1st itself completes the month)."""
    index = month.year * 12 + month.month - 1
    thresholds = []
    for limit, band in AGE_BANDS:
        year, month_zero = divmod(index - limit, 12)
        thresholds.append((date(year, month_zero + 1, 2), band))
    return thresholds


def _age_band_sql(months: Sequence[Period] = ()) -> str:
    if len(months) == 1:
        # A single month (every rebuild): the bands as birth-date ranges, compared as dates. The
        # general expression below, evaluated for two million people, took a third of a
        # month's rebuild (2,000,000 memberships: facts 16.4 s -> 11.9 s).
        cases = " ".join(
            f"WHEN p.birth_date >= '{day.isoformat()}' THEN '{band}'" for day, band in band_thresholds(months[0])
        )
        return f"CASE {cases} ELSE '{OLDEST_BAND}' END"
    birth_index, birth_day = _birth_parts()
    age = f"(r.month_index - {birth_index} - CASE WHEN {birth_day} > 1 THEN 1 ELSE 0 END)"
    cases = " ".join(f"WHEN {age} < {limit} THEN '{band}'" for limit, band in AGE_BANDS)
    return f"CASE {cases} ELSE '{OLDEST_BAND}' END"


SETTLED = "i.total > 0 AND i.allocated >= i.total"


def coverage_facts_sql(
    months: Sequence[Period], tracked: Tracked, *, split: bool = False
) -> tuple[str, list[Any]] | None:
    """SELECT location, period, segment, category, sex, age_band, registered, active (and, `split`,
    upper: see _located_sql)."""
    memberships, lines = tracked.membership_filter(), tracked.line_filter()
    if memberships is None or lines is None or not months:
        return None
    months_sql, params = _months_cte(months)
    paid = f"""
SELECT DISTINCT l.membership_id, l.period FROM {InvoiceLine._meta.db_table} l
JOIN {Invoice._meta.db_table} i ON i.id = l.invoice_id
WHERE l.kind = 'iuran' AND l.period IN (SELECT period FROM months) AND {SETTLED} AND {lines}
UNION
{_paid_before_lindung_sql(memberships)}"""
    measures = "COUNT(*), COUNT(paid.membership_id)"
    return _located_sql(months, months_sql, memberships, paid, measures, split=split), params


def _paid_before_lindung_sql(memberships: str) -> str:
    """(membership, month) pairs a sponsor paid to the agency before Lindung billed it
    (lindung.contributions.prior): active like a month paid through Lindung."""
    return f"""SELECT m.id, pp.period FROM {Membership._meta.db_table} m
JOIN {PriorPayment._meta.db_table} pp ON pp.sponsor_id = m.sponsor_id
JOIN {BillingStart._meta.db_table} bs ON bs.sponsor_id = pp.sponsor_id AND pp.period < bs.bills_from
WHERE pp.period IN (SELECT period FROM months) AND {memberships}"""


def invoice_members_sql(invoice_ids: Iterable[int], months: Sequence[Period]) -> tuple[str, list[Any]] | None:
    """SELECT location, period, segment, category, sex, age_band, 0, members: the running memberships
    with a contribution on these invoices, i.e. what turns active when they are paid in full."""
    ids = ints_sql(invoice_ids)
    if not ids or not months:
        return None
    months_sql, params = _months_cte(months)
    paid = f"""
SELECT DISTINCT l.membership_id, l.period FROM {InvoiceLine._meta.db_table} l
WHERE l.kind = 'iuran' AND l.invoice_id IN ({ids}) AND l.period IN (SELECT period FROM months)"""
    memberships = "m.id IN (SELECT membership_id FROM paid)"
    measures = "0, COUNT(paid.membership_id)"
    return _located_sql(months, months_sql, memberships, paid, measures, inner=True), params


def _located_sql(
    months: Sequence[Period],
    months_sql: str,
    memberships: str,
    paid: str,
    measures: str,
    *,
    inner: bool = False,
    split: bool = False,
) -> str:
    """Running memberships in each month, at their location and breakdown, joined with `paid`.

    `split` (PostgreSQL, a rebuild): instead of one fact per village and breakdown, two kinds in
    one pass with GROUPING SETS: village totals (`upper` = 0; category kept only for village
    officials) and breakdowns per kecamatan (`upper` = 1), which is all the rollups keep. A
    national month: 804,000 facts became about 250,000."""
    join = "JOIN" if inner else "LEFT JOIN"
    if split:
        return _split_sql(months, months_sql, memberships, paid)
    return f"""
{_running_ctes(months_sql, paid, memberships)}
SELECT COALESCE(v.work_village_id, r.region_id), r.period, v.segment, v.category, p.sex, {_age_band_sql(months)},
       {measures}
FROM running r
JOIN {MembershipVersion._meta.db_table} v ON v.membership_id = r.membership_id
     AND v.effective_from <= r.term_day AND (v.effective_to IS NULL OR v.effective_to >= r.term_day)
JOIN {Person._meta.db_table} p ON p.id = r.person_id
{join} paid ON paid.membership_id = r.membership_id AND paid.period = r.period
GROUP BY 1, 2, 3, 4, 5, 6
"""


def _running_ctes(months_sql: str, paid: str, memberships: str) -> str:
    """The months, the paid (membership, month) pairs, and the memberships running in each month."""
    return f"""WITH {months_sql},
paid AS MATERIALIZED ({paid}),
running AS (
  SELECT m.id AS membership_id, m.region_id, m.person_id, mo.period, mo.month_index,
         CASE WHEN m.ends_on IS NOT NULL AND m.ends_on < mo.last_day THEN m.ends_on
              ELSE mo.last_day END AS term_day
  FROM {Membership._meta.db_table} m
  JOIN months mo ON m.starts_on <= mo.last_day AND (m.ends_on IS NULL OR m.ends_on >= mo.first_day)
  WHERE {memberships}
)"""


def _split_sql(months: Sequence[Period], months_sql: str, memberships: str, paid: str) -> str:
    return f"""
{_running_ctes(months_sql, paid, memberships)},
base AS (
  SELECT COALESCE(v.work_village_id, r.region_id) AS location, r.period, v.segment, v.category, p.sex,
         {_age_band_sql(months)} AS age_band,
         CASE WHEN v.category = '{VILLAGE_OFFICIALS}' THEN v.category ELSE '' END AS official,
         CASE WHEN paid.membership_id IS NULL THEN 0 ELSE 1 END AS paid
  FROM running r
  JOIN {MembershipVersion._meta.db_table} v ON v.membership_id = r.membership_id
       AND v.effective_from <= r.term_day AND (v.effective_to IS NULL OR v.effective_to >= r.term_day)
  JOIN {Person._meta.db_table} p ON p.id = r.person_id
  LEFT JOIN paid ON paid.membership_id = r.membership_id AND paid.period = r.period
),
placed AS (
  SELECT b.*, CASE WHEN length(b.location) > {DISTRICT_CODE_LENGTH}
                   THEN substr(b.location, 1, {DISTRICT_CODE_LENGTH}) ELSE b.location END AS district
  FROM base b
)
SELECT CASE WHEN GROUPING(location) = 0 THEN location ELSE district END, period,
       COALESCE(segment, ''), CASE WHEN GROUPING(location) = 0 THEN official ELSE category END,
       COALESCE(sex, ''), COALESCE(age_band, ''), COUNT(*), SUM(paid), GROUPING(location)
FROM placed
GROUP BY GROUPING SETS ((location, period, official), (district, period, segment, category, sex, age_band))
"""


def _month_of(column: str) -> str:
    if is_postgresql(connection):
        return f"to_char({column}, 'YYYY-MM')"
    return f"strftime('%%Y-%%m', {column})"


def money_facts_sql(
    months: Sequence[Period],
    *,
    invoices: str | None,
    claims: str | None,
    programs: bool = True,
    lines: str | None = None,
) -> tuple[str, list[Any]] | None:
    """SELECT location, period, program, billed, collected, claims, claims_paid.

    `invoices` selects invoices (alias i) and `claims` claims (alias c), in SQL; None leaves them out.
    The invoice totals come from the invoices' stored figures; `programs` adds the lines by program,
    only those `lines` selects (alias l) when given."""
    if not months:
        return None
    months_sql, params = _months_cte(months)
    parts: list[str] = []
    if invoices is not None:
        within = f"i.period IN (SELECT period FROM months) AND ({invoices})"
        parts.append(
            f"SELECT i.region_id, i.period, '', SUM(i.total), SUM(i.allocated), 0, 0 "
            f"FROM {Invoice._meta.db_table} i WHERE {within} GROUP BY 1, 2"
        )
        if programs:
            parts.append(
                f"SELECT i.region_id, i.period, l.program, SUM(l.amount), 0, 0, 0 FROM {Invoice._meta.db_table} i "
                f"JOIN {InvoiceLine._meta.db_table} l ON l.invoice_id = i.id WHERE {within}"
                f"{f' AND ({lines})' if lines else ''} GROUP BY 1, 2, 3"
            )
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


def read_facts(query: tuple[str, list[Any]] | None, key_size: int) -> Facts:
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
    *,
    first: Period | None = None,
    last: Period | None = None,
    today: date | None = None,
    resume: bool = False,
    progress: Callable[[str, RefreshOutcome], None] | None = None,
) -> RefreshOutcome:
    """Rebuild the window's rollups from the registry, the ledger and the claims, one month at a time.

    Each month is rebuilt in its own transaction (set-based, with memory for its joins), so a refresh
    holds no lock for long and an interrupted one resumes (`resume=True`) at the month it stopped on.
    Writes meanwhile keep every month exact: a month not yet rebuilt is rebuilt from what they wrote."""
    held = RollupWindow.objects.first()
    if resume:
        # Only what an interrupted refresh left; nothing to resume is nothing to do (never a full rebuild).
        months = (
            months_between(Period.parse(held.next_period), Period.parse(held.last_period))
            if held is not None and held.next_period
            else []
        )
    else:
        today = today or timezone.localdate()
        last = last or Period(today.year, today.month)
        first = first or last.shifted(1 - WINDOW_MONTHS)
        months = months_between(first, last)
        _start_window(first, last)
    outcome = RefreshOutcome()
    for month in months:
        with transaction.atomic():
            _give_memory()
            done = _rebuild_month(month)
            following = month.shifted(1)
            RollupWindow.objects.update(
                next_period=str(following) if following in months else "", refreshed_at=timezone.now()
            )
        outcome.months.append(str(month))
        outcome.coverage_rows += done.coverage_rows
        outcome.money_rows += done.money_rows
        if progress is not None:
            progress(str(month), outcome)
    return outcome


def _start_window(first: Period, last: Period) -> None:
    """Hold exactly `first`..`last` from now on; the months are then rebuilt one by one."""
    with transaction.atomic():
        RollupWindow.objects.all().delete()
        RollupWindow.objects.create(first_period=str(first), last_period=str(last), next_period=str(first))
        CoverageRollup.objects.exclude(period__gte=str(first), period__lte=str(last)).delete()
        MoneyRollup.objects.exclude(period__gte=str(first), period__lte=str(last)).delete()


def _give_memory() -> None:
    """A month of national data joins millions of rows: let the hashes and sorts stay in memory
    (PostgreSQL's default work_mem of 4 MB spills them to disk), for this transaction only."""
    if is_postgresql(connection):
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL work_mem = '256MB'")


def prepare_for_large_change() -> None:
    """Before following a change of thousands of memberships (an import, a billing run): memory for
    the grouping, and no JIT, whose compiling cost more than it saved (100,000 imported members:
    10.3 s to read their facts by default, 5.0 s with both), for the rest of the write's transaction."""
    if is_postgresql(connection):
        _give_memory()
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL jit = off")


def _rebuild_month(month: Period) -> RefreshOutcome:
    CoverageRollup.objects.filter(period=str(month)).delete()
    MoneyRollup.objects.filter(period=str(month)).delete()
    everything = Tracked(everything=True)
    split = is_postgresql(connection)
    return RefreshOutcome(
        months=[str(month)],
        coverage_rows=_rebuild_coverage(coverage_facts_sql([month], everything, split=split), split=split),
        money_rows=_rebuild_money(money_facts_sql([month], invoices="1 = 1", claims="1 = 1")),
    )


# Per level: the code of a region's ancestor at that level and of that ancestor's parent, as
# columns of a located facts table (see _locate_facts).
LEVEL_COLUMNS = {
    0: ("''", "''"),
    1: ("f.province_code", "''"),
    2: ("f.regency_code", "f.province_code"),
    3: ("f.district_code", "f.regency_code"),
    4: ("f.location", "f.district_code"),
}
VILLAGE_LEVEL = 4
DISTRICT_CODE_LENGTH = len("14.08.06")  # a kecamatan's code; a village's adds ".2001"
# Coverage rows: the total ("") and each breakdown of COVERAGE_KEY, down to the kecamatan.
COVERAGE_DIMENSIONS = ("", *COVERAGE_KEY)
COVERAGE_ROW_MEASURES = ("registered", "active", "officials", "officials_active")
VILLAGE_OFFICIALS = "perangkat_desa"


COVERAGE_TEMP, MONEY_TEMP = "rollup_facts_coverage", "rollup_facts_money"
# Above this many changed facts, a follower's difference is applied set-based (temporary table and
# grouped statements) instead of row by row: a payment that turns 100,000 members active, say.
SET_BASED_FROM = 500


def _facts_table(name: str, facts: tuple[str, list[Any]] | Facts, keys: Sequence[str], measures: Sequence[str]) -> None:
    """A temporary table of facts, from a query or from rows (location, period, keys..., measures...)."""
    columns = ["location", "period", *keys, *measures]
    typed = [f"{column} varchar(20)" for column in columns[: 2 + len(keys)]] + [f"{m} bigint" for m in measures]
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {name}")
        cursor.execute(f"CREATE TEMPORARY TABLE {name} ({', '.join(typed)})")
        if isinstance(facts, tuple):
            cursor.execute(f"INSERT INTO {name} ({', '.join(columns)}) {facts[0]}", facts[1])
    if isinstance(facts, dict):
        insert_rows(name, columns, ((*key, *values) for key, values in facts.items()))
    if is_postgresql(connection):
        # A temporary table has no statistics until analysed: the grouped joins below need them.
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {name}")


def _rebuild_coverage(facts: tuple[str, list[Any]] | None, *, split: bool = False) -> int:
    """Facts into a temporary table, then per level one grouped INSERT per dimension (the total only
    for villages)."""
    if facts is None:
        return 0
    measures = (*COVERAGE_MEASURES, "upper") if split else COVERAGE_MEASURES
    _facts_table(COVERAGE_TEMP, facts, COVERAGE_KEY, measures)
    return _coverage_from_facts(upsert=False, split=split)


def _locate_facts(facts: str) -> str:
    """The facts with their location's level and ancestors, joined once (every grouped statement after
    reads this table alone); the facts table is dropped."""
    located = f"{facts}_located"
    region = Region._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {located}")
        cursor.execute(
            f"CREATE TEMPORARY TABLE {located} AS SELECT f.*, g.level AS region_level, g.province_code, "
            f"g.regency_code, g.district_code FROM {facts} f JOIN {region} g ON g.code = f.location"
        )
        cursor.execute(f"DROP TABLE {facts}")
        if is_postgresql(connection):
            cursor.execute(f"ANALYZE {located}")
    return located


def _coverage_from_facts(*, upsert: bool, split: bool = False) -> int:
    """The rows of the facts in COVERAGE_TEMP, inserted (a rebuild) or added to those there (`upsert`)."""
    temp = _locate_facts(COVERAGE_TEMP)
    table = CoverageRollup._meta.db_table
    conflict = (
        " ON CONFLICT (region_code, period, dimension, value) DO UPDATE SET "
        + ", ".join(f"{name} = {table}.{name} + excluded.{name}" for name in COVERAGE_ROW_MEASURES)
        if upsert
        else ""
    )
    officials = f"CASE WHEN f.category = '{VILLAGE_OFFICIALS}' THEN f.%s ELSE 0 END"
    # Split facts: village totals are located at villages (upper = 0) and kecamatan breakdowns at
    # kecamatan or above (upper = 1), so "region_level >= 4" below keeps the totals only.
    upper = _above_villages(temp, only_upper=split)
    written = 0
    with connection.cursor() as cursor:
        for level, (code, parent) in LEVEL_COLUMNS.items():
            source = temp if level == VILLAGE_LEVEL else upper
            for dimension in COVERAGE_DIMENSIONS if level < VILLAGE_LEVEL else ("",):
                value = f"f.{dimension}" if dimension else "''"
                kept = f"SUM({officials % 'registered'}), SUM({officials % 'active'})" if not dimension else "0, 0"
                # PostgreSQL refuses a constant in GROUP BY: the nation's '' codes are left out of it.
                group_by = ", ".join(column for column in (code, parent, value) if column != "''")
                cursor.execute(
                    f"INSERT INTO {CoverageRollup._meta.db_table} (region_code, level, parent_code, period, "
                    f"dimension, value, {', '.join(COVERAGE_ROW_MEASURES)}) "
                    f"SELECT {code}, {level}, {parent}, f.period, '{dimension}', {value}, "
                    f"SUM(f.registered), SUM(f.active), {kept} "
                    f"FROM {source} f "
                    f"WHERE f.region_level >= {level} GROUP BY {group_by + ', ' if group_by else ''}f.period{conflict}"
                )
                written += cursor.rowcount
        cursor.execute(f"DROP TABLE {temp}")
        cursor.execute(f"DROP TABLE {upper}")
    return written


def _above_villages(located: str, *, only_upper: bool = False) -> str:
    """The located facts summed per kecamatan (villages folded in): the twenty grouped statements of
    the levels above the village read this table, a fifth of the facts' size, instead of the facts
    (a national month: 804,000 facts, 146,000 rows here; 21 s of grouping became 11 s)."""
    upper = f"{located}_upper"
    keys = ", ".join(f"f.{name}" for name in COVERAGE_KEY)
    capped = f"CASE WHEN f.region_level > {VILLAGE_LEVEL - 1} THEN {VILLAGE_LEVEL - 1} ELSE f.region_level END"
    where = "WHERE f.upper = 1" if only_upper else ""
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {upper}")
        cursor.execute(
            f"CREATE TEMPORARY TABLE {upper} AS SELECT {capped} AS region_level, f.province_code, "
            f"f.regency_code, f.district_code, f.period, {keys}, "
            f"SUM(f.registered) AS registered, SUM(f.active) AS active FROM {located} f {where} "
            f"GROUP BY {capped}, f.province_code, f.regency_code, f.district_code, f.period, {keys}"
        )
        if is_postgresql(connection):
            cursor.execute(f"ANALYZE {upper}")
    return upper


def _rebuild_money(facts: tuple[str, list[Any]] | None) -> int:
    """Facts into a temporary table, then one grouped INSERT per level of the region tree."""
    if facts is None:
        return 0
    _facts_table(MONEY_TEMP, facts, MONEY_KEY, MONEY_MEASURES)
    return _money_from_facts(upsert=False)


def _money_from_facts(*, upsert: bool) -> int:
    """The rows of the facts in MONEY_TEMP, inserted (a rebuild) or added to those there (`upsert`)."""
    temp = _locate_facts(MONEY_TEMP)
    table = MoneyRollup._meta.db_table
    conflict = (
        f" ON CONFLICT (region_code, period, {', '.join(MONEY_KEY)}) DO UPDATE SET "
        + ", ".join(f"{name} = {table}.{name} + excluded.{name}" for name in MONEY_MEASURES)
        if upsert
        else ""
    )
    key_sql = ", ".join(f"f.{name}" for name in MONEY_KEY)
    sums = ", ".join(f"SUM(f.{name})" for name in MONEY_MEASURES)
    written = 0
    with connection.cursor() as cursor:
        for level, (code, parent) in LEVEL_COLUMNS.items():
            group_by = ", ".join(column for column in (code, parent) if column != "''") or "f.period"
            cursor.execute(
                f"INSERT INTO {MoneyRollup._meta.db_table} "
                f"(region_code, level, parent_code, period, {', '.join(MONEY_KEY)}, {', '.join(MONEY_MEASURES)}) "
                f"SELECT {code}, {level}, {parent}, f.period, {key_sql}, {sums} "
                f"FROM {temp} f "
                f"WHERE f.region_level >= {level} GROUP BY {group_by}, f.period, {key_sql}{conflict}"
            )
            written += cursor.rowcount
        cursor.execute(f"DROP TABLE {temp}")
    return written


# ---------------------------------------------------------------- applying differences


def difference(before: Facts, after: Facts) -> Facts:
    changes: Facts = {}
    for key in before.keys() | after.keys():
        old, new = before.get(key), after.get(key)
        width = len(old or new or [])
        delta = [b - a for a, b in zip(old or [0] * width, new or [0] * width, strict=True)]
        if any(delta):
            changes[key] = delta
    return changes


def apply_coverage(changes: Facts) -> None:
    """Add each coverage fact's change to its region's and every ancestor's total and breakdown rows."""
    if len(changes) > SET_BASED_FROM:
        _facts_table(COVERAGE_TEMP, changes, COVERAGE_KEY, COVERAGE_MEASURES)
        _coverage_from_facts(upsert=True)
        return
    rows: Facts = {}
    for (code, level, parent), (period, *breakdown), (registered, active) in _located(changes):
        official = breakdown[COVERAGE_KEY.index("category")] == VILLAGE_OFFICIALS
        _add_to(
            rows,
            (code, level, parent, period, "", ""),
            [registered, active, *(official * [registered, active] or [0, 0])],
        )
        if level < VILLAGE_LEVEL:
            for dimension, value in zip(COVERAGE_KEY, breakdown, strict=True):
                _add_to(rows, (code, level, parent, period, dimension, value), [registered, active, 0, 0])
    _upsert(CoverageRollup, rows, ("period", "dimension", "value"), COVERAGE_ROW_MEASURES)


def apply_money(changes: Facts) -> None:
    """Add each money fact's change to its region's and every ancestor's rows."""
    if len(changes) > SET_BASED_FROM:
        _facts_table(MONEY_TEMP, changes, MONEY_KEY, MONEY_MEASURES)
        _money_from_facts(upsert=True)
        return
    rows: Facts = {}
    for (code, level, parent), rest, measures in _located(changes):
        _add_to(rows, (code, level, parent, *rest), measures)
    _upsert(MoneyRollup, rows, ("period", *MONEY_KEY), MONEY_MEASURES)


def _located(changes: Facts) -> Iterator[tuple[tuple[str, int, str], tuple[Any, ...], list[int]]]:
    """Each change once per region of its location's chain: ((code, level, parent), key, measures)."""
    if not changes:
        return
    regions = {
        region.code: region
        for region in Region.objects.filter(code__in={key[0] for key in changes}).only(
            "code", "level", "province_code", "regency_code", "district_code"
        )
    }
    for key, delta in changes.items():
        region = regions.get(key[0])
        if region is not None:
            for link in _chain(region):
                yield link, key[1:], delta


def _add_to(rows: Facts, key: tuple[Any, ...], measures: list[int]) -> None:
    rows[key] = [a + b for a, b in zip(rows.get(key, [0] * len(measures)), measures, strict=True)]


def _upsert(model: Any, rows: Facts, keys: Sequence[str], measures: Sequence[str]) -> None:
    """Insert each row, or add its measures to the row already there."""
    if not rows:
        return
    columns = ["region_code", "level", "parent_code", *keys, *measures]
    conflict = ", ".join(["region_code", *keys])
    table = model._meta.db_table
    updates = ", ".join(f"{name} = {table}.{name} + excluded.{name}" for name in measures)
    sql = (
        f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(columns))}) "
        f"ON CONFLICT ({conflict}) DO UPDATE SET {updates}"
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, [(*key, *values) for key, values in rows.items()])


def _chain(region: Region) -> list[tuple[str, int, str]]:
    """(code, level, parent code) of the nation and each region from the province down to `region`."""
    codes = ["", region.province_code, region.regency_code, region.district_code, region.code][: region.level + 1]
    return [(code, level, codes[level - 1] if level else "") for level, code in enumerate(codes)]

"""Billing a period, set-based: the rules run once per distinct set of terms, SQL writes the lines.

A run for period P bills every membership active at some point in P (started on or before its last
day, not ended before its first) inside the scope, on the terms of the version in force on the last
day of P that the membership covers. Each distinct (segment, programs, wage, risk class, funding)
is priced once by `lindung.rules` into a temporary table; one INSERT ... SELECT per kind of payer
then writes the lines, each the difference between what is owed and what was already billed for
that membership, program and period. So a re-run adds nothing, and a changed wage or an end date
set afterwards adds only correction lines.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import connection, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from lindung.contributions import ledger
from lindung.contributions.models import BillingRun, Invoice, InvoiceLine, LineKind
from lindung.contributions.partitions import ensure_partition, refresh_period_statistics
from lindung.core.changes import Billed, Change, changing
from lindung.core.db import insert_rows, is_postgresql
from lindung.registry.models import Sponsor
from lindung.rules.contributions import ContributionQuery, contribution, due_date
from lindung.rules.errors import RuleInputError
from lindung.rules.parameters import rulebook
from lindung.rules.periods import Period

Progress = Callable[[str], None]

RATE_COLUMNS = (
    "segment",
    "programs",
    "wage",
    "risk_class",
    "funding",
    "program",
    "basis",
    "rate",
    "amount",
    "employer_share",
    "worker_share",
    "rules_version",
    "legal_basis",
)


@dataclass
class Scope:
    """Which memberships a run bills: all, a sponsor's, or those administered in some regions."""

    sponsor_id: int | None = None
    region_codes: tuple[str, ...] = ()
    # Some memberships only: after a death ends them, their later months are reversed alone. Such a
    # run only corrects or reverses lines of those memberships (the monitoring follower relies on it):
    # new members are billed by sponsor or region runs.
    membership_ids: tuple[int, ...] = ()

    def sql(self) -> tuple[str, dict[str, Any]]:
        conditions: list[str] = []
        params: dict[str, Any] = {}
        if self.sponsor_id is not None:
            conditions.append("m.sponsor_id = %(scope_sponsor)s")
            params["scope_sponsor"] = self.sponsor_id
        if self.region_codes:
            # A region's subtree: its own code, or codes below it ("14.08" -> "14.08.%").
            parts = []
            for index, code in enumerate(self.region_codes):
                parts.append(f"(m.region_id = %(region_{index})s OR m.region_id LIKE %(below_{index})s)")
                params[f"region_{index}"], params[f"below_{index}"] = code, f"{code}.%"
            conditions.append(f"({' OR '.join(parts)})")
        if self.membership_ids:
            conditions.append(f"m.id IN ({', '.join(str(int(pk)) for pk in self.membership_ids)})")
        return (" AND ".join(conditions) or "1 = 1"), params


@dataclass
class Outcome:
    """What a run did, for the CLI, the page and the audit entry."""

    period: str
    invoices_created: int = 0
    lines: int = 0
    corrections: int = 0
    penalties: int = 0
    amount: int = 0
    terms_priced: int = 0
    unpriced: dict[str, int] = field(default_factory=dict)  # reason -> memberships not billed

    def as_dict(self) -> dict[str, Any]:
        return {
            "period": self.period,
            "invoices_created": self.invoices_created,
            "lines": self.lines,
            "corrections": self.corrections,
            "penalties": self.penalties,
            "amount": self.amount,
            "terms_priced": self.terms_priced,
            "unpriced": self.unpriced,
        }


def bill_period(
    *,
    period: Period,
    scope: Scope,
    run: BillingRun | None = None,
    progress: Progress | None = None,
    today: date | None = None,
) -> Outcome:
    """Bill `period` over `scope` in one transaction. Safe to repeat: only differences are written."""
    # Announced: one period's lines in the run's scope (and so its payers' allocations from then on).
    billed = Billed(
        period=str(period),
        sponsor_id=scope.sponsor_id,
        region_codes=tuple(scope.region_codes),
        membership_ids=tuple(scope.membership_ids),
    )
    # Before the run's transaction: creating a partition locks the line table for a moment only.
    ensure_partition(period)
    with transaction.atomic(), changing(Change(billed=billed)):
        return _bill_period(period=period, scope=scope, run=run, progress=progress, today=today)


def _bill_period(
    *, period: Period, scope: Scope, run: BillingRun | None, progress: Progress | None, today: date | None
) -> Outcome:
    say = progress or (lambda _step: None)
    outcome = Outcome(period=str(period))
    now = timezone.now()
    with transaction.atomic():
        _give_the_run_memory()
        params = _base_params(period, scope, now, run)
        say("harga")
        terms, memberships = _distinct_terms(params, scope)
        _prefer_hash_joins(memberships)
        rates, unpriced = _price(period, terms)
        outcome.terms_priced = len(terms)
        outcome.unpriced = _count_unpriced(unpriced, params, scope)
        _load_rates(rates)
        say("tagihan")
        outcome.invoices_created = _create_invoices(period, params, scope, now)
        say("rincian")
        before = _line_totals(str(period), scope)
        written = sum(_insert_owed_lines(payer, params, scope) for payer in ("sponsor", "self"))
        refresh_period_statistics(period, written)
        say("pembalikan")
        # Only lines billed by an earlier run can be owed no longer: the first run has none.
        if before[0]:
            _insert_withdrawn_lines(params, scope)
        ledger.refresh_period_totals(period_invoices(period, scope), str(period))
        _drop_rates()
        say("denda")
        outcome.penalties = bill_penalties(period=period, scope=scope, run=run, today=today or now.date(), now=now)
        after = _line_totals(str(period), scope)
        outcome.lines = after[0] - before[0]
        outcome.corrections = after[1] - before[1]
        outcome.amount = after[2] - before[2]
    return outcome


def _give_the_run_memory() -> None:
    """Let this transaction's hash joins of a million memberships stay in memory instead of
    spilling to disk in dozens of batches (PostgreSQL's default work_mem is 4 MB)."""
    if is_postgresql(connection):
        _execute("SET LOCAL work_mem = '128MB'")


def period_invoices(period: Period, scope: Scope) -> QuerySet[Invoice]:
    """The invoices for `period` in `scope`."""
    invoices = Invoice.objects.filter(period=str(period))
    if scope.sponsor_id is not None:
        invoices = invoices.filter(sponsor_id=scope.sponsor_id)
    if scope.region_codes:
        within = Q()
        for code in scope.region_codes:
            within |= Q(region_id=code) | Q(region__code__startswith=f"{code}.")
        invoices = invoices.filter(within)
    if scope.membership_ids:
        lines = InvoiceLine.objects.filter(period=str(period), membership_id__in=scope.membership_ids)
        invoices = invoices.filter(pk__in=lines.values("invoice_id"))
    return invoices


def payers_billed(period: Period, scope: Scope) -> tuple[list[int], list[int]]:
    """The sponsors and self-paying persons with an invoice for `period` in `scope`."""
    rows = list(period_invoices(period, scope).values_list("sponsor_id", "person_id"))
    return [s for s, _p in rows if s is not None], [p for s, p in rows if s is None and p is not None]


def bill_penalties(*, period: Period, scope: Scope, run: BillingRun | None, today: date, now: Any) -> int:
    """Bill on each sponsor's invoice for `period` the late penalties its earlier invoices accrued by
    `today` and were not yet billed; then settle with the payers' payments and credit, oldest first."""
    sponsor_ids, person_ids = payers_billed(period, scope)
    ledger.rebuild_allocations(sponsor_ids=sponsor_ids, person_ids=person_ids)
    version = rulebook().version
    rows: list[tuple[Any, ...]] = []
    for chunk in ledger.chunked(sponsor_ids):
        balances = ledger.load_balances(Q(sponsor_id__in=chunk))
        for invoices in balances.values():
            current = next((b for b in invoices if b.period == period), None)
            earlier = [b for b in invoices if b.period < period]
            if current is None or not earlier:
                continue
            ledger.attach_allocations(earlier)
            billed = ledger.penalties_billed([b.invoice_id for b in earlier])
            for balance in earlier:
                accrual = ledger.accrued_penalty(balance, today)
                change = (accrual.amount if accrual else 0) - billed.get(balance.invoice_id, 0)
                if change:
                    rows.append(_penalty_row(current.invoice_id, balance, accrual, change, version, run, now, period))
    insert_rows(InvoiceLine._meta.db_table, PENALTY_COLUMNS, rows)
    if rows:
        ledger.refresh_invoice_totals(Invoice.objects.filter(pk__in={row[0] for row in rows}))
        ledger.rebuild_allocations(sponsor_ids=sponsor_ids)
    return len(rows)


PENALTY_COLUMNS = (
    "invoice_id",
    "membership_id",
    "penalty_for_id",
    "period",
    "kind",
    "program",
    "segment",
    "basis",
    "rate",
    "amount",
    "employer_share",
    "worker_share",
    "rules_version",
    "legal_basis",
    "run_id",
    "created_at",
)


def _penalty_row(
    invoice_id: int,
    overdue: ledger.InvoiceBalance,
    accrual: ledger.PenaltyAccrual | None,
    change: int,
    version: str,
    run: BillingRun | None,
    now: Any,
    period: Period,
) -> tuple[Any, ...]:
    """A penalty line for `overdue` on the current invoice: what accrued minus what was billed before.

    A negative change (a reversed payment recomputed, say) is billed as a negative penalty line."""
    rate = accrual.rate if accrual else None
    legal_basis = accrual.legal_basis if accrual else ""
    return (
        invoice_id,
        None,
        overdue.invoice_id,
        str(period),
        LineKind.PENALTY.value,
        "denda",
        "",
        accrual.basis if accrual else 0,
        _rate(rate),
        change,
        change,
        0,
        version,
        legal_basis[:200],
        run.pk if run else None,
        now,
    )


def _base_params(period: Period, scope: Scope, now: Any, run: BillingRun | None) -> dict[str, Any]:
    first = period.first_day
    last = period.shifted(1).first_day.toordinal() - 1
    _scope_sql, scope_params = scope.sql()
    return {
        "period": str(period),
        "first": first.isoformat(),
        "last": date.fromordinal(last).isoformat(),
        "now": now,
        "run": run.pk if run else None,
        **scope_params,
    }


# A membership is billed for P when it overlaps P; its terms are those in force on the last day of P
# it covers (the month's last day, or its own end if earlier). Rules for the whole month are those in
# force on the month's first day (lindung.rules.periods.Period).
# A sponsor whose billing starts after P (lindung.contributions.prior) paid P to the agency before
# Lindung: it is not billed here. The billing starts are a handful of rows, hashed once per statement.
ACTIVE = (
    "m.starts_on <= %(last)s AND (m.ends_on IS NULL OR m.ends_on >= %(first)s)"
    " AND NOT EXISTS (SELECT 1 FROM contributions_billingstart bs"
    " WHERE bs.sponsor_id = m.sponsor_id AND bs.bills_from > %(period)s)"
)
TERMS_DAY = "(CASE WHEN m.ends_on IS NOT NULL AND m.ends_on < %(last)s THEN m.ends_on ELSE %(last)s END)"
VERSION_JOIN = (
    "registry_membershipversion v ON v.membership_id = m.id"
    f" AND v.effective_from <= {TERMS_DAY} AND (v.effective_to IS NULL OR v.effective_to >= {TERMS_DAY})"
)


def _programs_text() -> str:
    # The programs JSON as text, identical on both databases ('["jkk", "jkm"]'), to join on.
    return "v.programs::text" if is_postgresql(connection) else "v.programs"


def _fetch(sql: str, params: dict[str, Any]) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


def _execute(sql: str, params: dict[str, Any] | None = None) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return int(cursor.rowcount)


def _distinct_terms(params: dict[str, Any], scope: Scope) -> tuple[list[tuple[str, str, int, int, str]], int]:
    """The distinct sets of terms in scope, and how many memberships they cover."""
    where, _ = scope.sql()
    sql = f"""
        SELECT v.segment, {_programs_text()}, v.wage, COALESCE(v.risk_class, 0), v.funding, COUNT(*)
        FROM registry_membership m JOIN {VERSION_JOIN}
        WHERE {ACTIVE} AND {where}
        GROUP BY v.segment, {_programs_text()}, v.wage, COALESCE(v.risk_class, 0), v.funding
    """  # noqa: S608 (fragments are constants of this module)
    rows = _fetch(sql, params)
    return [(row[0], row[1], row[2], row[3], row[4]) for row in rows], sum(int(row[5]) for row in rows)


# From this many memberships on, hash joins are the right plan for the line statements; PostgreSQL
# underestimates the five-column join with the rates (50 rows for 2,000,000) and picks nested loops
# that took twice as long. Small runs (one sponsor) keep the planner's own choice.
LARGE_RUN = 20_000


def _prefer_hash_joins(memberships: int) -> None:
    if is_postgresql(connection) and memberships >= LARGE_RUN:
        _execute("SET LOCAL enable_nestloop = off")


def _price(
    period: Period, terms: list[tuple[str, str, int, int, str]]
) -> tuple[list[tuple[Any, ...]], dict[tuple[Any, ...], str]]:
    """Price each distinct set of terms with the rules in force for `period`: one row per program."""
    rates: list[tuple[Any, ...]] = []
    unpriced: dict[tuple[Any, ...], str] = {}
    for key in terms:
        segment, programs, wage, risk_class, funding = key
        # The version's one amount is a wage for PU and Jakon, a declared income for BPU.
        query = ContributionQuery(
            period=period,
            segment=segment,
            programs=tuple(json.loads(programs)),
            wage=None if segment == "bpu" else wage,
            income=wage if segment == "bpu" else None,
            risk_class=risk_class or None,
            funding=funding,
        )
        try:
            result = contribution(query)
        except RuleInputError as error:
            unpriced[key] = str(error)
            continue
        for item in result.items:
            rates.append(
                (
                    *key,
                    item.program,
                    item.basis,
                    item.rate,
                    item.amount,
                    item.employer_share or 0,
                    item.worker_share or 0,
                    result.rules_version,
                    item.legal_basis[:200],
                )
            )
    return rates, unpriced


def _count_unpriced(unpriced: dict[tuple[Any, ...], str], params: dict[str, Any], scope: Scope) -> dict[str, int]:
    """How many memberships each pricing error leaves unbilled (few keys: one query each)."""
    counts: dict[str, int] = defaultdict(int)
    where, _ = scope.sql()
    for (segment, programs, wage, risk_class, funding), reason in unpriced.items():
        sql = f"""
            SELECT COUNT(*) FROM registry_membership m JOIN {VERSION_JOIN}
            WHERE {ACTIVE} AND {where} AND v.segment = %(k_segment)s AND {_programs_text()} = %(k_programs)s
              AND v.wage = %(k_wage)s AND COALESCE(v.risk_class, 0) = %(k_risk)s AND v.funding = %(k_funding)s
        """  # noqa: S608
        key = {"k_segment": segment, "k_programs": programs, "k_wage": wage, "k_risk": risk_class, "k_funding": funding}
        counts[reason] += _fetch(sql, {**params, **key})[0][0]
    return dict(counts)


def _load_rates(rates: list[tuple[Any, ...]]) -> None:
    temporary = "CREATE TEMP TABLE billing_rate ({}){}".format(
        ", ".join(
            [
                "segment varchar(5)",
                "programs text",
                "wage bigint",
                "risk_class integer",
                "funding varchar(14)",
                "program varchar(5)",
                "basis bigint",
                "rate numeric(9, 6)",
                "amount bigint",
                "employer_share bigint",
                "worker_share bigint",
                "rules_version varchar(40)",
                "legal_basis varchar(200)",
            ]
        ),
        " ON COMMIT DROP" if is_postgresql(connection) else "",
    )
    _drop_rates()
    _execute(temporary)
    insert_rows("billing_rate", RATE_COLUMNS, ((*row[:7], _rate(row[7]), *row[8:]) for row in rates))
    if is_postgresql(connection):
        _execute("ANALYZE billing_rate")


def _rate(value: Any) -> Any:
    # SQLite stores the Decimal as text so that it comes back exact.
    return value if value is None or is_postgresql(connection) else str(value)


def _drop_rates() -> None:
    _execute("DROP TABLE IF EXISTS billing_rate")


def _create_invoices(period: Period, params: dict[str, Any], scope: Scope, now: Any) -> int:
    """One invoice per payer with billable memberships and no invoice for the period yet.

    Its due date is the earliest of its members' segments (BPU is due in the same month, PU and
    Jakon the month after), so a payer with both learns the first deadline.
    """
    where, _ = scope.sql()
    # Payers first (a few per sponsor, one per self-payer), then one look each at the unique
    # (payer, period) index: asked per membership, with an OR no index serves, the invoices were
    # scanned once for each of a million members.
    sql = f"""
        SELECT p.sponsor_id, p.person_id, p.region_id, p.segment FROM (
            SELECT m.sponsor_id, CASE WHEN m.sponsor_id IS NULL THEN m.person_id END AS person_id,
                   MIN(m.region_id) AS region_id, v.segment
            FROM registry_membership m JOIN {VERSION_JOIN}
            WHERE {ACTIVE} AND {where}
            GROUP BY m.sponsor_id, CASE WHEN m.sponsor_id IS NULL THEN m.person_id END, v.segment
        ) p
        WHERE (p.sponsor_id IS NOT NULL AND NOT EXISTS (
                 SELECT 1 FROM contributions_invoice i WHERE i.period = %(period)s AND i.sponsor_id = p.sponsor_id))
           OR (p.sponsor_id IS NULL AND NOT EXISTS (
                 SELECT 1 FROM contributions_invoice i WHERE i.period = %(period)s AND i.person_id = p.person_id))
    """  # noqa: S608
    payers: dict[tuple[int | None, int | None], tuple[str, date]] = {}
    for sponsor_id, person_id, region_id, segment in _fetch(sql, params):
        due = due_date(period, segment)
        key = (sponsor_id, person_id)
        if key not in payers or due < payers[key][1]:
            payers[key] = (payers.get(key, (region_id, due))[0], due)
    regions = dict(Sponsor.objects.filter(pk__in=[s for s, _ in payers if s]).values_list("pk", "region_id"))
    rows = [
        (
            _invoice_number(period, sponsor_id, person_id),
            sponsor_id,
            person_id,
            regions[sponsor_id] if sponsor_id else region_id,
            str(period),
            due.isoformat(),
            now,
        )
        for (sponsor_id, person_id), (region_id, due) in payers.items()
    ]
    columns = ("number", "sponsor_id", "person_id", "region_id", "period", "due_date", "created_at")
    return insert_rows(Invoice._meta.db_table, columns, rows)


def _invoice_number(period: Period, sponsor_id: int | None, person_id: int | None) -> str:
    """TAG/2026-06/S12 for a sponsor, TAG/2026-06/P345 for a self-paying member (tagihan = bill)."""
    return f"TAG/{period}/S{sponsor_id}" if sponsor_id else f"TAG/{period}/P{person_id}"


# What was already billed per membership and program for the period (contributions and corrections).
BILLED = """
    SELECT membership_id, program, SUM(amount) AS amount, SUM(employer_share) AS employer_share,
           SUM(worker_share) AS worker_share
    FROM contributions_invoiceline
    WHERE invoice_id IN (SELECT id FROM contributions_invoice WHERE period = %(period)s)
      AND period = %(period)s AND membership_id IS NOT NULL AND kind <> 'denda'
    GROUP BY membership_id, program
"""

PAYER_JOIN = {
    "sponsor": "i.sponsor_id = m.sponsor_id",
    "self": "m.sponsor_id IS NULL AND i.person_id = m.person_id",
}

LINE_COLUMNS = (
    "invoice_id, membership_id, period, kind, program, segment, basis, rate, amount, employer_share, worker_share,"
    " rules_version, legal_basis, run_id, created_at"
)


def _insert_owed_lines(payer: str, params: dict[str, Any], scope: Scope) -> int:
    """Lines for what each membership owes minus what it was billed: nothing when they agree."""
    where, _ = scope.sql()
    sql = f"""
        INSERT INTO contributions_invoiceline ({LINE_COLUMNS})
        SELECT i.id, m.id, %(period)s,
               CASE WHEN b.membership_id IS NULL THEN '{LineKind.CONTRIBUTION}' ELSE '{LineKind.CORRECTION}' END,
               r.program, r.segment, r.basis, r.rate, r.amount - COALESCE(b.amount, 0),
               r.employer_share - COALESCE(b.employer_share, 0), r.worker_share - COALESCE(b.worker_share, 0),
               r.rules_version, r.legal_basis, %(run)s, %(now)s
        FROM registry_membership m
        JOIN {VERSION_JOIN}
        JOIN billing_rate r ON r.segment = v.segment AND r.programs = {_programs_text()} AND r.wage = v.wage
             AND r.risk_class = COALESCE(v.risk_class, 0) AND r.funding = v.funding
        JOIN contributions_invoice i ON i.period = %(period)s AND {PAYER_JOIN[payer]}
        LEFT JOIN ({BILLED}) b ON b.membership_id = m.id AND b.program = r.program
        WHERE {ACTIVE} AND {where} AND r.amount <> COALESCE(b.amount, 0)
    """  # noqa: S608
    return _execute(sql, params)


def _insert_withdrawn_lines(params: dict[str, Any], scope: Scope) -> int:
    """Reverse what was billed but is no longer owed: a membership ended before the period, or a
    program dropped. An anti-join of what was billed against what is owed now (both hashed once),
    never a lookup per billed line."""
    where, _ = scope.sql()
    sql = f"""
        INSERT INTO contributions_invoiceline ({LINE_COLUMNS})
        SELECT b.invoice_id, b.membership_id, %(period)s, '{LineKind.CORRECTION}', b.program, b.segment, 0, NULL,
               -b.amount, -b.employer_share, -b.worker_share, b.rules_version, b.legal_basis, %(run)s, %(now)s
        FROM ({BILLED_WITH_ORIGIN}) b
        JOIN registry_membership m ON m.id = b.membership_id
        LEFT JOIN (
            SELECT m.id AS membership_id, r.program
            FROM registry_membership m
            JOIN {VERSION_JOIN}
            JOIN billing_rate r ON r.segment = v.segment AND r.programs = {_programs_text()} AND r.wage = v.wage
                 AND r.risk_class = COALESCE(v.risk_class, 0) AND r.funding = v.funding
            WHERE {ACTIVE} AND {where}
        ) owed ON owed.membership_id = b.membership_id AND owed.program = b.program
        WHERE {where} AND b.amount <> 0 AND owed.membership_id IS NULL
    """  # noqa: S608
    return _execute(sql, params)


# BILLED, with the invoice, segment, rule version and legal basis of the first billing, for reversals.
BILLED_WITH_ORIGIN = """
    SELECT membership_id, program, SUM(amount) AS amount, SUM(employer_share) AS employer_share,
           SUM(worker_share) AS worker_share, MIN(invoice_id) AS invoice_id, MIN(segment) AS segment,
           MIN(rules_version) AS rules_version, MIN(legal_basis) AS legal_basis
    FROM contributions_invoiceline
    WHERE invoice_id IN (SELECT id FROM contributions_invoice WHERE period = %(period)s)
      AND period = %(period)s AND membership_id IS NOT NULL AND kind <> 'denda'
    GROUP BY membership_id, program
"""


def _line_totals(period: str, scope: Scope) -> tuple[int, int, int]:
    """Lines, correction lines and their amount for a period: before and after tell what a run added.

    A run over some memberships counts only their lines and the penalty lines (by index), not the
    period's millions."""
    only = ""
    if scope.membership_ids:
        ids = ", ".join(str(int(pk)) for pk in scope.membership_ids)
        only = f"AND (membership_id IN ({ids}) OR penalty_for_id IS NOT NULL)"
    sql = f"""
        SELECT COUNT(*), COALESCE(SUM(CASE WHEN kind = '{LineKind.CORRECTION}' THEN 1 ELSE 0 END), 0),
               COALESCE(SUM(amount), 0)
        FROM contributions_invoiceline
        WHERE invoice_id IN (SELECT id FROM contributions_invoice WHERE period = %(period)s) AND period = %(period)s
        {only}
    """  # noqa: S608
    count, corrections, amount = _fetch(sql, {"period": period})[0]
    return int(count), int(corrections), int(amount)

"""Keeps the rollups exact after each announced write, at the cost of what the write changed.

- memberships: their coverage facts in the window, before and after (registered and active).
- payers' allocations: each of their invoices' stored total and allocated amount, before and after.
  What was collected moves by the difference; an invoice that became paid in full (or stopped
  being) turns its members active (or not) for its period. Lines do not change, so which members
  an invoice carries is read once, after the write, for those invoices alone.
- one period's billed lines (a billing run): the lines by program of that period's invoices in the
  run's scope, and the invoices of its payers from that period on (allocations fill the oldest
  first, so a billed period moves money only among itself and later ones); members of invoices
  paid in full before or after are counted before and after.
  A run over some memberships only (the months after a death, reversed) adds no contribution line
  to an invoice: only those memberships' lines are read by program, and the period's invoices are
  followed like a payment's, members counted only when an invoice turns paid in full or stops
  being, so reversing one member of a sponsor of 100,000 does not count the 100,000.
- claims: their payouts, before and after.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import connection

from lindung.contributions.models import Invoice, InvoiceLine
from lindung.core.changes import Billed, Change, Payers
from lindung.monitoring import rollups
from lindung.rules.periods import Period

# Per invoice: (region, period, total, allocated).
InvoiceStates = dict[int, tuple[str, str, int, int]]
COVERAGE_WIDTH = 2 + len(rollups.COVERAGE_KEY)
MONEY_WIDTH = 2 + len(rollups.MONEY_KEY)


@dataclass
class Snapshot:
    months: list[Period]
    coverage: rollups.Facts = field(default_factory=dict)
    money: rollups.Facts = field(default_factory=dict)
    invoices: InvoiceStates = field(default_factory=dict)


class RollupFollower:
    """The monitoring rollups as a follower of lindung.core.changes."""

    def before(self, change: Change) -> Snapshot | None:
        months = rollups.window()
        if months is None:
            return None
        if len(change.memberships) > rollups.SET_BASED_FROM or change.billed is not None:
            rollups.prepare_for_large_change()
        return self._snapshot(change, months)

    def after(self, change: Change, snapshot: Snapshot | None) -> None:
        if snapshot is None:
            return
        if len(change.memberships) + len(change.created_memberships) > rollups.SET_BASED_FROM:
            rollups.prepare_for_large_change()
        later = self._snapshot(change, snapshot.months, created=True)
        coverage = rollups.difference(snapshot.coverage, later.coverage)
        money = rollups.difference(snapshot.money, later.money)
        _add(coverage, _settled_turns(snapshot, later, change.billed))
        _add(money, _invoice_money(snapshot.invoices, later.invoices))
        rollups.apply_coverage(coverage)
        rollups.apply_money(money)

    def _snapshot(self, change: Change, months: list[Period], *, created: bool = False) -> Snapshot:
        snapshot = Snapshot(months)
        members = change.memberships | (change.created_memberships if created else set())
        if members:
            tracked = rollups.Tracked(membership_ids=tuple(members))
            snapshot.coverage = rollups.read_facts(rollups.coverage_facts_sql(months, tracked), COVERAGE_WIDTH)
        if change.claims:
            query = rollups.money_facts_sql(
                months, invoices=None, claims=f"c.id IN ({rollups.ints_sql(change.claims)})"
            )
            snapshot.money = rollups.read_facts(query, MONEY_WIDTH)
        held = [str(month) for month in months]
        if change.payers is not None:
            snapshot.invoices.update(_invoice_states(_payers_sql(change.payers), held))
        if change.billed is not None and Period.parse(change.billed.period) in months:
            snapshot.invoices.update(_invoice_states(_billed_payers_sql(change.billed), held))
            _add(snapshot.money, _billed_programs(change.billed, months))
            if not change.billed.membership_ids:
                settled = [
                    i for i, state in snapshot.invoices.items() if _settled(state) and state[1] == change.billed.period
                ]
                _add(snapshot.coverage, _members_of(settled, months))
        return snapshot


def _settled(state: tuple[str, str, int, int]) -> bool:
    _region, _period, total, allocated = state
    return total > 0 and allocated >= total


def _settled_turns(before: Snapshot, after: Snapshot, billed: Billed | None) -> rollups.Facts:
    """Members turning active or inactive because their invoice became paid in full or stopped being.

    A billed period's invoices are counted in the snapshots themselves (their lines changed)."""
    turned_on: list[int] = []
    turned_off: list[int] = []
    for invoice_id in before.invoices.keys() | after.invoices.keys():
        old, new = before.invoices.get(invoice_id), after.invoices.get(invoice_id)
        state = new or old
        if state is None or (billed is not None and not billed.membership_ids and state[1] == billed.period):
            continue
        was, now = old is not None and _settled(old), new is not None and _settled(new)
        if was != now:
            (turned_on if now else turned_off).append(invoice_id)
    states = before.invoices | after.invoices
    on = _members_of(turned_on, before.months, states)
    off = _members_of(turned_off, before.months, states)
    return rollups.difference(off, on)


def _members_of(invoice_ids: list[int], months: list[Period], states: InvoiceStates | None = None) -> rollups.Facts:
    """The members these invoices turn active when paid in full, read for the invoices' own months only."""
    if not invoice_ids:
        return {}
    if states is not None:
        periods = {states[invoice_id][1] for invoice_id in invoice_ids}
        months = [month for month in months if str(month) in periods]
    return rollups.read_facts(rollups.invoice_members_sql(invoice_ids, months), COVERAGE_WIDTH)


def _invoice_money(before: InvoiceStates, after: InvoiceStates) -> rollups.Facts:
    """The invoices' totals (billed) and allocations (collected), as differences by region and month."""
    changes: rollups.Facts = {}
    for invoice_id in before.keys() | after.keys():
        region, period, _total, _allocated = after.get(invoice_id) or before[invoice_id]
        _r, _p, old_total, old_allocated = before.get(invoice_id, (region, period, 0, 0))
        _r, _p, new_total, new_allocated = after.get(invoice_id, (region, period, 0, 0))
        if (new_total, new_allocated) != (old_total, old_allocated):
            key = (region, period, "")
            previous = changes.get(key, [0, 0, 0, 0])
            changes[key] = [
                previous[0] + new_total - old_total,
                previous[1] + new_allocated - old_allocated,
                previous[2],
                previous[3],
            ]
    return changes


def _add(facts: rollups.Facts, more: rollups.Facts) -> None:
    for key, measures in more.items():
        if key in facts:
            facts[key] = [a + b for a, b in zip(facts[key], measures, strict=True)]
        else:
            facts[key] = list(measures)


def _invoice_states(selection: str, months: list[str]) -> InvoiceStates:
    placeholders = ", ".join(["%s"] * len(months))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT i.id, i.region_id, i.period, i.total, i.allocated FROM {Invoice._meta.db_table} i "
            f"WHERE i.period IN ({placeholders}) AND ({selection})",
            months,
        )
        return {row[0]: (row[1], row[2], int(row[3]), int(row[4])) for row in cursor.fetchall()}


def _payers_sql(payers: Payers) -> str:
    parts = []
    if payers.sponsor_ids:
        parts.append(f"i.sponsor_id IN ({rollups.ints_sql(payers.sponsor_ids)})")
    if payers.person_ids:
        parts.append(f"i.person_id IN ({rollups.ints_sql(payers.person_ids)})")
    return " OR ".join(parts) or "1 = 0"


def _billed_scope_sql(billed: Billed, alias: str) -> str:
    parts = [f"{alias}.period = '{Period.parse(billed.period)}'"]
    if billed.sponsor_id is not None:
        parts.append(f"{alias}.sponsor_id = {int(billed.sponsor_id)}")
    if billed.region_codes:
        parts.append(rollups.subtree_sql(f"{alias}.region_id", billed.region_codes))
    if billed.membership_ids:
        period = Period.parse(billed.period)
        parts.append(
            f"{alias}.id IN (SELECT l.invoice_id FROM {InvoiceLine._meta.db_table} l WHERE l.period = '{period}' "
            f"AND l.membership_id IN ({rollups.ints_sql(billed.membership_ids)}))"
        )
    return " AND ".join(parts)


def _billed_payers_sql(billed: Billed) -> str:
    """The invoices, from the billed period on, of the payers with an invoice of that period in scope."""
    scope = _billed_scope_sql(billed, "b")
    table = Invoice._meta.db_table
    return (
        f"i.period >= '{Period.parse(billed.period)}' AND ("
        f"i.sponsor_id IN (SELECT b.sponsor_id FROM {table} b WHERE {scope} AND b.sponsor_id IS NOT NULL) OR "
        f"i.person_id IN (SELECT b.person_id FROM {table} b WHERE {scope} AND b.person_id IS NOT NULL))"
    )


def _billed_programs(billed: Billed, months: list[Period]) -> rollups.Facts:
    """The billed period's lines by program, for the invoices in the run's scope."""
    lines = None
    if billed.membership_ids:
        # Those memberships' lines, and the penalty lines the run may re-bill on the same invoices
        # (each names the invoice it is for): both by index, never the invoice's other lines.
        lines = f"(l.membership_id IN ({rollups.ints_sql(billed.membership_ids)}) OR l.penalty_for_id IS NOT NULL)"
    query = rollups.money_facts_sql(
        [Period.parse(billed.period)], invoices=_billed_scope_sql(billed, "i"), claims=None, programs=True, lines=lines
    )
    facts = rollups.read_facts(query, MONEY_WIDTH)
    # The invoice totals ("" rows) are followed through the invoices' states instead.
    return {key: measures for key, measures in facts.items() if key[2] != ""}

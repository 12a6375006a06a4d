"""Matching a target list against the registry, set-based: a few UPDATE statements over the whole
list, whatever its size (100,000 entries is a kabupaten's DTKS), never a query per entry.

Each entry gets the first class that holds, in this order:
1. its problem found when read (NIK invalid or not matching, outside the list's region);
2. duplicate: an earlier entry of the list has the same NIK;
3. deceased: the registry records the person's death;
4. protected now: a membership runs today and its contribution for this month or one of the two
   before is paid in full (or was paid to the agency before Lindung billed the sponsor): the
   monitoring's "active", allowing for billing's lag - a month is billed after it ends and due on
   the 15th of the next, so on 8 December November's invoice is not yet due and October's is the
   last one a paying member has surely paid;
5. registered but not protected: the person is in the registry (lapsed, ended, unpaid);
6. not registered.

What matching tells about a person registered elsewhere is only this class: never her sponsor,
her region or her membership."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone

from lindung.contributions.models import BillingStart, Invoice, InvoiceLine, LineKind, PriorPayment
from lindung.core.db import refresh_statistics
from lindung.outreach.models import TargetClass, TargetEntry, TargetList
from lindung.registry.models import Membership, Person
from lindung.rules.periods import Period

ENTRY = TargetEntry._meta.db_table


def match_list(target_list: TargetList, *, today: date | None = None) -> dict[str, int]:
    """Classify every entry of the list again (the registry may have changed) and return the
    count per class."""
    today = today or timezone.localdate()
    this_month = Period(today.year, today.month)
    with transaction.atomic(), connection.cursor() as cursor:
        refresh_statistics([TargetEntry], target_list.total_rows)
        recent = [str(this_month.shifted(-back)) for back in range(3)]
        for sql, params in _statements(target_list.pk, today, recent):
            cursor.execute(sql, params)
    return class_counts(target_list)


HISTORY = 36  # matches remembered: three years of monthly rematching


def with_history(
    history: list[dict[str, Any]], counts: dict[str, int], *, on: date | None = None
) -> list[dict[str, Any]]:
    """The list's progress: the day of each match with how many were protected and left to protect
    (one entry per day, the latest kept)."""
    day = (on or timezone.localdate()).isoformat()
    point = {
        "on": day,
        "protected": counts[TargetClass.PROTECTED],
        "to_protect": counts[TargetClass.REGISTERED] + counts[TargetClass.NOT_REGISTERED],
    }
    kept = [entry for entry in history if entry.get("on") != day]
    return [*kept, point][-HISTORY:]


def class_counts(target_list: TargetList) -> dict[str, int]:
    counts = dict.fromkeys(TargetClass.values, 0)
    grouped = TargetEntry.objects.filter(target_list=target_list).order_by().values("outcome").annotate(n=Count("id"))
    for row in grouped:
        counts[row["outcome"]] = row["n"]
    return counts


def _statements(list_id: int, today: date, months: list[str]) -> list[tuple[str, list[Any]]]:
    """One UPDATE: every entry's class computed in a single pass over the list (a window for the
    duplicates, a join for the registry, an index probe per registered person for protection), and
    only the entries whose class or person changed are written: matching again after a month
    rewrites the people who changed, not the list."""
    person, membership = Person._meta.db_table, Membership._meta.db_table
    line, invoice = InvoiceLine._meta.db_table, Invoice._meta.db_table
    prior, billing = PriorPayment._meta.db_table, BillingStart._meta.db_table
    changed = "IS DISTINCT FROM" if connection.vendor == "postgresql" else "IS NOT"
    protected = f"""EXISTS (
      SELECT 1 FROM {membership} m
      WHERE m.person_id = p.id AND m.starts_on <= %s AND (m.ends_on IS NULL OR m.ends_on >= %s)
        AND (EXISTS (SELECT 1 FROM {line} l JOIN {invoice} i ON i.id = l.invoice_id
                     WHERE l.membership_id = m.id AND l.kind = %s AND l.period IN (%s, %s, %s)
                       AND i.total > 0 AND i.allocated >= i.total)
             OR EXISTS (SELECT 1 FROM {prior} pp JOIN {billing} bs ON bs.sponsor_id = pp.sponsor_id
                        WHERE pp.sponsor_id = m.sponsor_id AND pp.period < bs.bills_from
                          AND pp.period IN (%s, %s, %s))))"""
    sql = f"""UPDATE {ENTRY} SET outcome = c.outcome, person_id = c.person_id
FROM (
  SELECT e.id,
    CASE WHEN e.problem = '' AND e.rank = 1 THEN p.id END AS person_id,
    CASE
      WHEN e.problem <> '' THEN e.problem
      WHEN e.rank > 1 THEN %s
      WHEN p.id IS NULL THEN %s
      WHEN p.died_on IS NOT NULL THEN %s
      WHEN {protected} THEN %s
      ELSE %s END AS outcome
  FROM (
    SELECT id, nik, problem,
           ROW_NUMBER() OVER (PARTITION BY nik, problem ORDER BY source_row) AS rank
    FROM {ENTRY} WHERE target_list_id = %s
  ) e
  LEFT JOIN {person} p ON p.nik = e.nik
) c
WHERE {ENTRY}.id = c.id AND ({ENTRY}.outcome <> c.outcome OR {ENTRY}.person_id {changed} c.person_id)"""
    params = [
        TargetClass.DUPLICATE,
        TargetClass.NOT_REGISTERED,
        TargetClass.DECEASED,
        today,
        today,
        LineKind.CONTRIBUTION,
        *months,
        *months,
        TargetClass.PROTECTED,
        TargetClass.REGISTERED,
        list_id,
    ]
    return [(sql, params)]

"""Payments: entered by hand, imported from a bank statement, matched, reversed. Never deleted.

Each write checks permission and region, writes, re-allocates the payer's payments (oldest invoice
first) and audits, in one transaction.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lindung.accounts.models import User
from lindung.accounts.permissions import require
from lindung.accounts.roles import Capability
from lindung.contributions import ledger
from lindung.contributions.models import BankStatement, Invoice, PayerAccount, Payment, PaymentSource
from lindung.contributions.statements import StatementFormatError, StatementRow, read_statement
from lindung.core.audit import audit_record, snapshot
from lindung.core.db import adapt_value, insert_rows
from lindung.core.inputs import MAX_RUPIAH, TOO_MANY_RUPIAH
from lindung.core.models import AuditAction
from lindung.core.scoping import covers
from lindung.regions.models import Region
from lindung.registry.models import GOVERNMENT_SPONSOR_KINDS, Person, Sponsor
from lindung.rules.contributions import FIRST_DAY

AUDITED = ("sponsor", "person", "paid_on", "amount", "reference", "payer_account", "source", "reverses", "note")
# An invoice number in a transfer's description: TAG/2026-06/S12 (sponsor) or TAG/2026-06/P345.
INVOICE_NUMBER = re.compile(r"TAG/\d{4}-\d{2}/[SP]\d+", re.IGNORECASE)


@dataclass(frozen=True)
class Payer:
    """Who pays: a sponsor, or a self-paying member."""

    sponsor: Sponsor | None = None
    person: Person | None = None

    @property
    def region_code(self) -> str:
        if self.sponsor is not None:
            return self.sponsor.region_id
        assert self.person is not None  # noqa: S101 - a Payer always has one
        if self.person.village_id:
            return self.person.village_id
        # A self-payer with no recorded village: the region their invoices are administered in.
        invoice = Invoice.objects.filter(person=self.person).order_by("-period").first()
        if invoice is None:
            raise ValidationError(_("This member has no invoice to pay."))
        return invoice.region_id

    @property
    def is_government(self) -> bool:
        return self.sponsor is not None and self.sponsor.kind in GOVERNMENT_SPONSOR_KINDS

    def lock(self) -> None:
        """Hold the payer's row until the transaction ends (the payments of one payer, one at a time)."""
        if self.sponsor is not None:
            Sponsor.objects.select_for_update().filter(pk=self.sponsor.pk).exists()
        elif self.person is not None:
            Person.objects.select_for_update().filter(pk=self.person.pk).exists()

    def reallocate(self) -> None:
        if self.sponsor is not None:
            ledger.rebuild_allocations(sponsor_ids=[self.sponsor.pk])
        elif self.person is not None:
            ledger.rebuild_allocations(person_ids=[self.person.pk])


def payment_record(
    *,
    actor: User | None,
    payer: Payer,
    paid_on: date,
    amount: int,
    reference: str = "",
    payer_account: str = "",
    note: str = "",
    second_transfer: bool = False,
) -> Payment:
    """A payment entered by hand; it settles the payer's oldest open invoice first.

    The payer's row is locked for the whole write, so that payments entered at once on one payer
    are allocated one after the other. A payment equal to one already recorded (payer, day, amount
    and reference) is refused unless the officer says it is a second transfer: re-running a script
    once recorded Rp50.000.000 twice."""
    require_payer(actor, payer)
    _check_amount(amount)
    _check_day(paid_on)
    reference = reference.strip()[:140]
    with transaction.atomic():
        payer.lock()
        if not second_transfer and _recorded_before(payer, paid_on, amount, reference):
            raise ValidationError(
                {
                    "second_transfer": _(
                        "A payment of this payer with the same date, amount and reference is already recorded. "
                        "Tick 'second transfer' only if the money really came twice."
                    )
                }
            )
        payment = Payment.objects.create(
            sponsor=payer.sponsor,
            person=payer.person,
            region_id=payer.region_code,
            paid_on=paid_on,
            amount=amount,
            reference=reference,
            payer_account=payer_account.strip()[:34],
            source=PaymentSource.MANUAL,
            note=note.strip()[:300],
            entered_by=actor,
        )
        payer.reallocate()
        audit_record(actor=actor, action=AuditAction.CREATE, target=payment, after=snapshot(payment, AUDITED))
    return payment


def require_payer(actor: User | None, payer: Payer) -> None:
    """Who handles a payer's money: the branch for everyone in its regions; a regional government's
    operator only for the government sponsors it covers (its Pemda, its villages), never a
    company's or a self-payer's (those are paid to the branch)."""
    require(actor, Capability.RECORD_PAYMENTS, [payer.region_code])
    if actor is not None and not actor.can(Capability.RECORD_ANY_PAYMENTS) and not payer.is_government:
        raise PermissionDenied(_("Payments of companies and self-paying members are recorded by the branch."))


def may_record(actor: User | None, payer: Payer) -> bool:
    """Whether the payment form is offered for this payer (the same rule `require_payer` enforces)."""
    try:
        require_payer(actor, payer)
    except PermissionDenied:
        return False
    return True


def _recorded_before(payer: Payer, paid_on: date, amount: int, reference: str) -> bool:
    same = Payment.objects.filter(
        sponsor=payer.sponsor, person=payer.person, paid_on=paid_on, amount=amount, reference=reference
    )
    return same.filter(reverses__isnull=True, reversal__isnull=True).exists()


def payment_reverse(*, actor: User | None, payment: Payment, reason: str, on: date | None = None) -> Payment:
    """Take back a mistaken payment with a new, opposite entry; both then count for nothing."""
    payer = Payer(payment.sponsor, payment.person)
    if payer.sponsor is None and payer.person is None:
        require(actor, Capability.RECORD_ANY_PAYMENTS, [payment.region_id])  # unmatched: the branch's queue
    else:
        require_payer(actor, payer)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the payment is reversed.")})
    with transaction.atomic():
        payer.lock()
        original = Payment.objects.select_for_update().get(pk=payment.pk)
        if original.reverses_id is not None:
            raise ValidationError(_("A reversal cannot itself be reversed; record the payment again."))
        if Payment.objects.filter(reverses=original).exists():
            raise ValidationError(_("This payment was already reversed."))
        reversal = Payment.objects.create(
            sponsor_id=original.sponsor_id,
            person_id=original.person_id,
            region_id=original.region_id,
            paid_on=on or timezone.localdate(),
            amount=-original.amount,
            reference=original.reference,
            payer_account=original.payer_account,
            source=PaymentSource.REVERSAL,
            reverses=original,
            note=reason.strip()[:300],
            entered_by=actor,
        )
        payer.reallocate()
        audit_record(actor=actor, action=AuditAction.CREATE, target=reversal, after=snapshot(reversal, AUDITED))
    return reversal


def payment_match(*, actor: User | None, payment: Payment, sponsor: Sponsor, remember_account: bool = True) -> Payment:
    """An officer names the sponsor of an unmatched payment; its account is remembered for next time."""
    require(actor, Capability.RECORD_PAYMENTS, [payment.region_id])
    require_payer(actor, Payer(sponsor=sponsor))
    with transaction.atomic():
        Payer(sponsor=sponsor).lock()
        payment = Payment.objects.select_for_update().get(pk=payment.pk)
        if payment.is_matched:
            raise ValidationError(_("This payment is already matched."))
        before = snapshot(payment, AUDITED)
        before_region = payment.region_id  # the office that received it, whose statements the account routes
        payment.sponsor = sponsor
        payment.region_id = sponsor.region_id
        payment.matched_by = actor
        payment.matched_at = timezone.now()
        payment.save(update_fields=["sponsor", "region", "matched_by", "matched_at"])
        if remember_account and payment.payer_account:
            _remember_account(actor, payment, sponsor, received_in=before_region)
        Payer(sponsor=sponsor).reallocate()
        audit_record(
            actor=actor, action=AuditAction.UPDATE, target=payment, before=before, after=snapshot(payment, AUDITED)
        )
    return payment


def _remember_account(actor: User | None, payment: Payment, sponsor: Sponsor, *, received_in: str) -> None:
    """The account belongs to this sponsor for the statements of the office that received it, and
    for no other region's: one region's match never routes another region's bank lines."""
    account, created = PayerAccount.objects.get_or_create(
        account=payment.payer_account, region_id=received_in, defaults={"sponsor": sponsor, "created_by": actor}
    )
    if created:
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            target=account,
            after={"account": account.account, "region": received_in, "sponsor": sponsor.pk},
        )


def statement_import(*, actor: User | None, content: bytes, file_name: str, region_code: str) -> BankStatement:
    """Import a bank statement: each credit becomes a payment, matched to its payer when the
    description names an invoice or the account is known, else queued for an officer.

    A row already imported (same day, amount, reference and account) is skipped and counted, so
    uploading the same statement twice changes nothing. Set-based: a few queries per file, whatever
    its length (the payers of all rows, the earlier copies of all rows, then bulk inserts).
    """
    require(actor, Capability.RECORD_PAYMENTS, [region_code])
    if not Region.objects.filter(code=region_code).exists():
        raise ValidationError({"region": _("No region has code %(code)s.") % {"code": region_code}})
    if len(content) > settings.STATEMENT_MAX_BYTES:
        raise ValidationError({"file": _("The file is larger than 20 MB; split it.")})
    try:
        rows, errors = read_statement(content)
    except StatementFormatError as error:
        raise ValidationError({"file": str(error)}) from error
    with transaction.atomic():
        statement = BankStatement.objects.create(file_name=file_name[:200], region_id=region_code, uploaded_by=actor)
        fresh, duplicates = _not_imported_before(rows)
        matcher = _Matcher(actor, fresh, region_code)
        now = adapt_value(timezone.now())
        payers = [matcher.payer_of(row) for row in fresh]
        insert_rows(
            Payment._meta.db_table,
            BANK_PAYMENT_COLUMNS,
            (
                _bank_payment(row, payer, statement, region_code, actor, now)
                for row, payer in zip(fresh, payers, strict=True)
            ),
        )
        ledger.rebuild_allocations(sponsor_ids=matcher.sponsor_ids, person_ids=matcher.person_ids)
        matched = sum(1 for payer in payers if payer is not None)
        statement.summary = {
            "rows": len(rows) + len(errors),
            "payments": len(fresh),
            "matched": matched,
            "unmatched": len(fresh) - matched,
            "duplicates": duplicates,
            "errors": [{"row": error.row, "message": error.message} for error in errors],
        }
        statement.save(update_fields=["summary"])
        audit_record(actor=actor, action=AuditAction.LOAD, target=statement, after=statement.summary)
    return statement


@dataclass(frozen=True)
class _Found:
    sponsor_id: int | None
    person_id: int | None
    region_code: str
    sponsor_kind: str = ""


BANK_PAYMENT_COLUMNS = (
    "sponsor_id",
    "person_id",
    "region_id",
    "paid_on",
    "amount",
    "reference",
    "payer_account",
    "source",
    "statement_id",
    "note",
    "entered_by_id",
    "created_at",
)


def _bank_payment(
    row: StatementRow, payer: _Found | None, statement: BankStatement, region: str, actor: User | None, now: Any
) -> tuple[Any, ...]:
    """A statement row as a payment row, in database form (one statement writes them all)."""
    return (
        payer.sponsor_id if payer else None,
        payer.person_id if payer else None,
        payer.region_code if payer else region,
        adapt_value(row.paid_on),
        row.amount,
        row.reference,
        row.payer_account,
        PaymentSource.BANK.value,
        statement.pk,
        "",
        actor.pk if actor is not None and actor.pk else None,
        now,
    )


class _Matcher:
    """Finds the statement rows' payers in two queries (invoice numbers, then known accounts), only
    among payers inside the uploader's regions."""

    def __init__(self, actor: User | None, rows: list[StatementRow], region_code: str) -> None:
        self.actor = actor
        self.sponsor_ids: set[int] = set()
        self.person_ids: set[int] = set()
        numbers = sorted({number for row in rows if (number := _invoice_number(row.reference))})
        accounts = sorted({row.payer_account for row in rows if row.payer_account})
        self.by_invoice: dict[str, _Found] = {}
        for chunk in _chunks(numbers):
            found = Invoice.objects.filter(number__in=chunk).values_list(
                "number",
                "sponsor_id",
                "sponsor__region_id",
                "sponsor__kind",
                "person_id",
                "person__village_id",
                "region_id",
            )
            for number, sponsor_id, sponsor_region, kind, person_id, village, invoice_region in found:
                region = sponsor_region if sponsor_id else (village or invoice_region)
                self.by_invoice[number] = _Found(sponsor_id, person_id, region, kind or "")
        self.by_account: dict[str, _Found] = {}
        for chunk in _chunks(accounts):
            known = PayerAccount.objects.filter(account__in=chunk, region_id=region_code)
            for account, sponsor_id, region, kind in known.values_list(
                "account", "sponsor_id", "sponsor__region_id", "sponsor__kind"
            ):
                self.by_account[account] = _Found(sponsor_id, None, region, kind)

    def payer_of(self, row: StatementRow) -> _Found | None:
        number = _invoice_number(row.reference)
        payer = (self.by_invoice.get(number) if number else None) or self.by_account.get(row.payer_account)
        if payer is None or not self._handles(payer):
            return None
        if payer.sponsor_id is not None:
            self.sponsor_ids.add(payer.sponsor_id)
        elif payer.person_id is not None:
            self.person_ids.add(payer.person_id)
        return payer

    def _handles(self, payer: _Found) -> bool:
        """The uploader may record this payer's money (see `require_payer`); else the row waits."""
        if self.actor is None:
            return True
        if not covers(self.actor, [payer.region_code]):
            return False
        return self.actor.can(Capability.RECORD_ANY_PAYMENTS) or payer.sponsor_kind in GOVERNMENT_SPONSOR_KINDS


def _invoice_number(reference: str) -> str | None:
    found = INVOICE_NUMBER.search(reference)
    return found.group(0).upper() if found else None


def _chunks(values: list[Any], size: int = 5000) -> list[list[Any]]:
    # Within SQLite's limit on query parameters.
    return [values[start : start + size] for start in range(0, len(values), size)]


def _not_imported_before(rows: list[StatementRow]) -> tuple[list[StatementRow], int]:
    """The rows earlier statements did not bring, and how many they did. Two equal transfers on one
    day are two payments, but the same statement uploaded twice is one: equal rows are counted."""
    days = sorted({row.paid_on for row in rows})
    earlier: Counter[tuple[Any, ...]] = Counter()
    for chunk in _chunks(sorted({row.amount for row in rows})):
        found = Payment.objects.filter(source=PaymentSource.BANK, paid_on__in=days, amount__in=chunk)
        earlier.update(found.values_list("paid_on", "amount", "reference", "payer_account"))
    fresh: list[StatementRow] = []
    seen: Counter[tuple[Any, ...]] = Counter()
    for row in rows:
        key = (row.paid_on, row.amount, row.reference, row.payer_account)
        seen[key] += 1
        if seen[key] > earlier[key]:
            fresh.append(row)
    return fresh, len(rows) - len(fresh)


def _check_amount(amount: int) -> None:
    if amount <= 0:
        raise ValidationError({"amount": _("The amount must be more than zero.")})
    if amount > MAX_RUPIAH:
        raise ValidationError({"amount": str(TOO_MANY_RUPIAH)})


def _check_day(paid_on: date) -> None:
    if paid_on > timezone.localdate():
        raise ValidationError({"paid_on": _("The payment date cannot be in the future.")})
    if paid_on < FIRST_DAY:
        raise ValidationError(
            {"paid_on": _("BPJS Ketenagakerjaan took contributions from %(day)s.") % {"day": "01-01-2014"}}
        )

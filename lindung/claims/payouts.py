"""Who is paid on an approved claim, and how the money leaves once.

- Shares: death benefits go to the heirs of the first group in law (rules.md 2.6). How the amount
  is divided follows the heir statement or a court decision, recorded with its number; without one,
  equal shares are shown as a default, marked as such. A scholarship is paid per child, to the
  child's guardian's account, never shared with other heirs.
- Payouts are made at approval, one per payee, and wait until they have a name, a bank and an
  account. A numbered batch (the bank's bulk-transfer file) takes the waiting ones and marks them
  sent, so the next batch cannot hold them again. The bank's answer (its return file, or an officer
  by hand) makes each paid, with the transfer reference, or failed, with the bank's reason. A
  failed payout is re-issued, with the corrected account, as a new payout for a new batch.
- Downloading a batch file again is a re-issue: it needs a reason and is audited.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from lindung.accounts.models import User
from lindung.accounts.permissions import require
from lindung.accounts.roles import Capability
from lindung.claims.assessment import assess, benefits_json, claimed_entries
from lindung.claims.models import (
    Claim,
    ClaimHeir,
    ClaimStatus,
    ClaimType,
    Payout,
    PayoutBatch,
    PayoutStatus,
    ShareSource,
)
from lindung.claims.workflow import move
from lindung.core.audit import audit_record, snapshot
from lindung.core.changes import Change, changing
from lindung.core.exports import csv_text
from lindung.core.models import AuditAction
from lindung.core.rules_bridge import active_language
from lindung.core.scoping import scoped
from lindung.core.tables import Limits, spreadsheet_rows
from lindung.offices.models import Office
from lindung.offices.selectors import area_condition, serving_office
from lindung.rules.text import format_money

PAYOUT_AUDITED = ("payee", "beneficiary", "bank", "account", "amount", "status", "reference", "failure_reason")
TRANSFER_HEADER = ("no", "id_pembayaran", "nama_penerima", "bank", "rekening_tujuan", "jumlah", "berita")
RETURN_HEADER = ("id_pembayaran", "status", "referensi", "tanggal", "alasan")
RETURN_LIMITS = Limits(rows=20_000, columns=len(RETURN_HEADER) + 5)
PAID_WORDS = {"berhasil", "sukses", "success", "ok", "paid", "dibayar"}
FAILED_WORDS = {"gagal", "failed", "ditolak", "rejected", "retur", "return"}


# ---------------------------------------------------------------- shares


def settle_shares(claim: Claim) -> None:
    """At approval: recorded shares must still add up to the frozen total; otherwise equal shares (the default)."""
    heirs = list(claim.heirs.all())
    if not heirs:
        return
    if any(heir.share_source != ShareSource.DEFAULT for heir in heirs):
        shares = sum(heir.amount for heir in heirs)
        if shares != claim.total:
            raise ValidationError(
                _("The heirs' shares add up to %(shares)s, not the benefit of %(total)s: record them again.")
                % {"shares": _rupiah(shares), "total": _rupiah(claim.total)}
            )
        return
    share, rest = divmod(claim.total, len(heirs))
    for index, heir in enumerate(heirs):
        heir.amount = share + (rest if index == 0 else 0)
        heir.save(update_fields=["amount"])


def heir_shares_set(
    *,
    actor: User | None,
    claim: Claim,
    shares: dict[int, int],
    source: str,
    reference: str,
    accounts: dict[int, tuple[str, str]] | None = None,
) -> list[ClaimHeir]:
    """Record each heir's share as the heir statement or court decision sets it (and their accounts).

    The shares must add up, to the rupiah, to the benefit the rules give; only before approval."""
    require(actor, Capability.DECIDE_CLAIMS, [claim.region_id])
    if claim.status not in (ClaimStatus.SUBMITTED, ClaimStatus.VERIFIED):
        raise ValidationError(_("Shares are recorded before approval."))
    heirs = {heir.pk: heir for heir in claim.heirs.all()}
    errors = _share_errors(heirs, shares, source, reference)
    if errors:
        raise ValidationError(errors)
    total = int(benefits_json(claim).get("total", 0))
    given = sum(shares.values())
    if given != total:
        raise ValidationError(
            {
                "shares": _("The shares add up to %(given)s; the benefit is %(total)s (difference %(difference)s).")
                % {"given": _rupiah(given), "total": _rupiah(total), "difference": _rupiah(total - given)}
            }
        )
    with transaction.atomic():
        before = [snapshot(heir, ("name", "amount", "share_source", "bank", "account")) for heir in heirs.values()]
        for heir_id, heir in heirs.items():
            heir.amount = shares[heir_id]
            heir.share_source = source
            heir.share_reference = reference.strip()[:100]
            if accounts and heir_id in accounts:
                heir.bank, heir.account = (value.strip() for value in accounts[heir_id])
            heir.save(update_fields=["amount", "share_source", "share_reference", "bank", "account"])
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            target=claim,
            before={"heirs": before},
            after={
                "heirs": [snapshot(heir, ("name", "amount", "bank", "account")) for heir in heirs.values()],
                "source": source,
                "reference": reference.strip(),
            },
        )
    return list(heirs.values())


def _share_errors(heirs: dict[int, ClaimHeir], shares: dict[int, int], source: str, reference: str) -> dict[str, str]:
    errors: dict[str, str] = {}
    if source not in (ShareSource.HEIR_STATEMENT, ShareSource.COURT):
        errors["source"] = _("Say whether the shares come from the heir statement or a court decision.")
    if not reference.strip():
        errors["reference"] = _("Give the number and date of the statement or decision.")
    if not heirs:
        errors["shares"] = _("This claim has no heirs to share among.")
    elif set(shares) != set(heirs):
        errors["shares"] = _("Give a share for every heir of this claim, and for no one else.")
    elif any(amount < 0 for amount in shares.values()):
        errors["shares"] = _("A share cannot be negative.")
    return errors


def heir_account_set(*, actor: User | None, heir: ClaimHeir, bank: str, account: str) -> ClaimHeir:
    """The bank and account a heir is paid to, before approval (afterwards: on the payout)."""
    require(actor, Capability.DECIDE_CLAIMS, [heir.claim.region_id])
    if heir.claim.status not in (ClaimStatus.SUBMITTED, ClaimStatus.VERIFIED):
        raise ValidationError(_("After approval, change the account on the payout."))
    with transaction.atomic():
        before = snapshot(heir, ("bank", "account"))
        heir.bank, heir.account = bank.strip()[:60], _account(account)
        heir.save(update_fields=["bank", "account"])
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            target=heir,
            before=before,
            after=snapshot(heir, ("bank", "account")),
        )
    return heir


# ---------------------------------------------------------------- payouts of a claim


def create_for(claim: Claim) -> list[Payout]:
    """At approval: one payout per child (scholarship), per heir with a share, or to the claimant."""
    if claim.claim_type == ClaimType.SCHOLARSHIP:
        rows = _scholarship_payouts(claim)
    else:
        heirs = [heir for heir in claim.heirs.all() if heir.amount > 0]
        if heirs:
            rows = [
                Payout(
                    claim=claim, heir=heir, payee=heir.name, bank=heir.bank, account=heir.account, amount=heir.amount
                )
                for heir in heirs
            ]
        else:
            rows = [
                Payout(
                    claim=claim,
                    payee=claim.claimant_name,
                    bank=claim.payee_bank,
                    account=claim.payee_account,
                    amount=claim.total,
                )
            ]
    return [payout for payout in rows if payout.amount > 0 and _saved(payout)]


def _saved(payout: Payout) -> bool:
    payout.save()
    return True


def _scholarship_payouts(claim: Claim) -> list[Payout]:
    """Each child's item to that child's guardian's account (given with the child, else the claim's payee)."""
    entries = claimed_entries(claim)
    payouts = []
    for item in claim.benefits.get("items", []):
        number = _child_number(str(item.get("component", "")))
        if number is None or number > len(entries):
            continue
        entry, child = entries[number - 1]
        payouts.append(
            Payout(
                claim=claim,
                payee=str(entry.get("guardian") or claim.claimant_name)[:150],
                beneficiary=child.name,
                bank=str(entry.get("bank") or claim.payee_bank)[:60],
                account=str(entry.get("account") or claim.payee_account)[:34],
                amount=int(item["amount"]),
            )
        )
    return payouts


def _child_number(component: str) -> int | None:
    """`child_2_sd` -> 2 (the rules name each child's item by its position in the claim)."""
    parts = component.split("_")
    if len(parts) >= 2 and parts[0] == "child" and parts[1].isdigit():
        return int(parts[1])
    return None


def open_payouts(claim: Claim) -> list[Payout]:
    """The claim's payouts not yet paid and not failed."""
    return list(claim.payouts.filter(status__in=(PayoutStatus.WAITING, PayoutStatus.SENT)).order_by("id"))


def confirm(*, actor: User | None, payout: Payout, reference: str, paid_on: date) -> Payout:
    """The bank paid: the transfer reference and the day. Only a payout with a full account is paid."""
    if payout.status not in (PayoutStatus.WAITING, PayoutStatus.SENT):
        raise ValidationError(_("This payout is %(status)s.") % {"status": payout.get_status_display()})
    if not payout.ready:
        raise ValidationError(
            _("The payout to %(payee)s has no bank or account yet: complete it before paying.")
            % {"payee": payout.payee}
        )
    if not reference.strip():
        raise ValidationError({"reference": _("Give the bank transfer reference.")})
    before = snapshot(payout, PAYOUT_AUDITED)
    payout.status = PayoutStatus.CONFIRMED
    payout.reference = reference.strip()[:60]
    payout.paid_on = paid_on
    payout.paid_by = actor if actor is not None and actor.pk else None
    payout.save(update_fields=["status", "reference", "paid_on", "paid_by"])
    audit_record(
        actor=actor, action=AuditAction.UPDATE, target=payout, before=before, after=snapshot(payout, PAYOUT_AUDITED)
    )
    return payout


def close_if_settled(claim: Claim, actor: User | None) -> Claim | None:
    """The claim is dibayar once every payout that still counts is paid (a failed one counts until re-issued)."""
    claim = Claim.objects.get(pk=claim.pk)
    if claim.status != ClaimStatus.APPROVED:
        return None
    payouts = list(claim.payouts.all())
    counting = [p for p in payouts if not (p.status == PayoutStatus.FAILED and _reissued(p))]
    if any(p.status != PayoutStatus.CONFIRMED for p in counting):
        return None
    return move(claim, actor, ClaimStatus.PAID)


def _reissued(payout: Payout) -> bool:
    return Payout.objects.filter(reissue_of=payout).exists()


def payout_confirm(*, actor: User | None, payout: Payout, reference: str, paid_on: date) -> Payout:
    """By hand, from the bank statement: one payout paid."""
    require(actor, Capability.DECIDE_CLAIMS, [payout.claim.region_id])
    with transaction.atomic(), changing(Change(claims={payout.claim_id})):
        payout = Payout.objects.select_for_update().select_related("claim").get(pk=payout.pk)
        confirm(actor=actor, payout=payout, reference=reference, paid_on=paid_on)
        close_if_settled(payout.claim, actor)
    return payout


def payout_fail(*, actor: User | None, payout: Payout, reason: str) -> Payout:
    """By hand: the bank returned a sent payout, with its reason."""
    require(actor, Capability.DECIDE_CLAIMS, [payout.claim.region_id])
    with transaction.atomic():
        payout = Payout.objects.select_for_update().get(pk=payout.pk)
        _fail(actor, payout, reason)
    return payout


def _fail(actor: User | None, payout: Payout, reason: str) -> None:
    if payout.status != PayoutStatus.SENT:
        raise ValidationError(
            _("Only a payout sent to the bank can fail; this one is %(status)s.")
            % {"status": payout.get_status_display()}
        )
    if not reason.strip():
        raise ValidationError({"reason": _("Give the bank's reason.")})
    before = snapshot(payout, PAYOUT_AUDITED)
    payout.status = PayoutStatus.FAILED
    payout.failure_reason = reason.strip()[:200]
    payout.save(update_fields=["status", "failure_reason"])
    audit_record(
        actor=actor, action=AuditAction.UPDATE, target=payout, before=before, after=snapshot(payout, PAYOUT_AUDITED)
    )


def payout_account_set(*, actor: User | None, payout: Payout, payee: str, bank: str, account: str) -> Payout:
    """Complete or correct the account of a payout not yet sent."""
    require(actor, Capability.DECIDE_CLAIMS, [payout.claim.region_id])
    with transaction.atomic():
        payout = Payout.objects.select_for_update().get(pk=payout.pk)
        if payout.status != PayoutStatus.WAITING:
            raise ValidationError(_("Only a payout not yet sent is changed; a failed one is re-issued."))
        before = snapshot(payout, PAYOUT_AUDITED)
        payout.payee = " ".join(payee.split())[:150] or payout.payee
        payout.bank, payout.account = bank.strip()[:60], _account(account)
        payout.save(update_fields=["payee", "bank", "account"])
        audit_record(
            actor=actor, action=AuditAction.UPDATE, target=payout, before=before, after=snapshot(payout, PAYOUT_AUDITED)
        )
    return payout


def payout_reissue(*, actor: User | None, payout: Payout, payee: str, bank: str, account: str, reason: str) -> Payout:
    """A failed payout again, with the corrected account, as a new payout waiting for the next batch."""
    require(actor, Capability.DECIDE_CLAIMS, [payout.claim.region_id])
    if not reason.strip():
        raise ValidationError({"reason": _("Say what was corrected.")})
    with transaction.atomic():
        failed = Payout.objects.select_for_update().get(pk=payout.pk)
        if failed.status != PayoutStatus.FAILED or _reissued(failed):
            raise ValidationError(_("Only a failed payout, once, is re-issued."))
        again = Payout(
            claim_id=failed.claim_id,
            heir_id=failed.heir_id,
            payee=" ".join(payee.split())[:150] or failed.payee,
            beneficiary=failed.beneficiary,
            bank=bank.strip()[:60],
            account=_account(account),
            amount=failed.amount,
            reissue_of=failed,
        )
        if not again.ready:
            raise ValidationError({"account": _("Give the corrected bank and account.")})
        again.save()
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            target=again,
            after={**snapshot(again, PAYOUT_AUDITED), "reissue_of": failed.pk, "reason": reason.strip()},
        )
    return again


def _account(raw: str) -> str:
    """An account number as banks write it: digits only (spaces, dots and dashes dropped)."""
    return "".join(character for character in raw if character.isalnum())[:34]


# ---------------------------------------------------------------- batches


@dataclass
class BatchOutcome:
    batch: PayoutBatch | None
    not_ready: list[Payout] = field(default_factory=list)
    held: list[Payout] = field(default_factory=list)


def waiting_payouts(*, actor: User, region_code: str = "", office: Office | None = None) -> QuerySet[Payout]:
    """Payouts of approved claims in the actor's regions (below `region_code`, or in `office`'s area today)
    not yet sent."""
    require(actor, Capability.VIEW_CLAIMS)
    claims = scoped(Claim.objects.filter(status=ClaimStatus.APPROVED), actor=actor)
    if region_code:
        claims = claims.filter(Q(region_id=region_code) | Q(region__code__startswith=f"{region_code}."))
    if office is not None:
        claims = claims.filter(area_condition(office, timezone.localdate(), "region"))
    return (
        Payout.objects.filter(status=PayoutStatus.WAITING, claim__in=claims)
        .select_related("claim", "claim__person")
        .order_by("id")
    )


def batch_create(
    *, actor: User | None, region_code: str = "", office: Office | None = None, today: date | None = None
) -> BatchOutcome:
    """A numbered transfer file of the waiting payouts that are ready and not held: those of one
    branch's area (`office`), or below `region_code`. The batch names the office that pays it.

    Creating it marks them sent, under a lock, so two officers pressing at once make one batch each
    of different payouts, never the same payout twice."""
    today = today or timezone.localdate()
    if office is not None:
        area = list(office.area_codes(today))
        if not area:
            raise ValidationError({"office": _("%(office)s serves no region today.") % {"office": office.name}})
        require(actor, Capability.DECIDE_CLAIMS, area)
        within = area_condition(office, today, "claim__region")
        # The batch is filed under the office's first region: whoever serves it (the office's own
        # officers, its Kanwil) finds the batch; the payouts themselves may come from all of them.
        region_code = area[0]
    else:
        require(actor, Capability.DECIDE_CLAIMS, [region_code])
        within = Q(claim__region_id=region_code) | Q(claim__region__code__startswith=f"{region_code}.")
        office = serving_office(region_code, today)
    with transaction.atomic():
        candidates = list(
            Payout.objects.select_for_update(of=("self",))
            .filter(status=PayoutStatus.WAITING, claim__status=ClaimStatus.APPROVED)
            .filter(within)
            .select_related("claim", "claim__person", "claim__membership")
            .order_by("id")
        )
        outcome = BatchOutcome(batch=None)
        held_claims = {claim.pk for claim in {p.claim for p in candidates} if assess(claim, today=today).held}
        chosen = []
        for payout in candidates:
            if not payout.ready:
                outcome.not_ready.append(payout)
            elif payout.claim_id in held_claims:
                outcome.held.append(payout)
            else:
                chosen.append(payout)
        if not chosen:
            return outcome
        batch = PayoutBatch.objects.create(
            number=_batch_number(today),
            region_id=region_code,
            office=office,
            count=len(chosen),
            total=sum(payout.amount for payout in chosen),
            checksum="",
            created_by=actor if actor is not None and actor.pk else None,
        )
        Payout.objects.filter(pk__in=[p.pk for p in chosen]).update(status=PayoutStatus.SENT, batch=batch)
        batch.checksum = checksum_of(_transfer_body(batch))
        batch.save(update_fields=["checksum"])
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            target=batch,
            after={
                "count": batch.count,
                "total": batch.total,
                "payouts": [p.pk for p in chosen],
                "office": office.code if office else None,
            },
        )
        outcome.batch = batch
    return outcome


def _batch_number(today: date) -> str:
    """BYR/2026/000123: yearly running numbers (bayar = pay)."""
    prefix = f"BYR/{today.year}/"
    last = (
        PayoutBatch.objects.filter(number__startswith=prefix).order_by("-number").values_list("number", flat=True)
    ).first()
    serial = int(last.rsplit("/", 1)[1]) + 1 if last else 1
    return f"{prefix}{serial:06d}"


def _transfer_body(batch: PayoutBatch) -> str:
    rows = (
        [
            index,
            payout.pk,
            payout.payee,
            payout.bank,
            payout.account,
            payout.amount,
            f"{batch.number} {payout.claim.number}",
        ]
        for index, payout in enumerate(batch.payouts.select_related("claim").order_by("id"), start=1)
    )
    return csv_text(TRANSFER_HEADER, rows)


def checksum_of(body: str) -> str:
    """SHA-256 of the file's lines before the closing line, as written (UTF-8, CRLF)."""
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def transfer_file(batch: PayoutBatch) -> str:
    """The bank's bulk-transfer file: header, one line per payout, then TOTAL;count;sum;checksum."""
    body = _transfer_body(batch)
    return body + f"TOTAL;{batch.count};{batch.total};{checksum_of(body)}\r\n"


def batch_reissue(*, actor: User | None, batch: PayoutBatch, reason: str) -> str:
    """The same file again (the bank lost it): only with a reason, audited and counted."""
    require(actor, Capability.DECIDE_CLAIMS, [batch.region_id])
    if len(reason.strip()) < 10:
        raise ValidationError({"reason": _("Say why the file is needed again (at least 10 characters).")})
    with transaction.atomic():
        batch = PayoutBatch.objects.select_for_update().get(pk=batch.pk)
        batch.reissues += 1
        batch.save(update_fields=["reissues"])
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            target=batch,
            after={"reissue": batch.reissues, "reason": reason.strip()},
        )
    return transfer_file(batch)


# ---------------------------------------------------------------- the bank's answer


@dataclass
class ReturnOutcome:
    confirmed: int = 0
    failed: int = 0
    problems: list[dict[str, Any]] = field(default_factory=list)  # {"row", "column", "message"}


def bank_return_apply(*, actor: User | None, batch: PayoutBatch, path: Path) -> ReturnOutcome:
    """Apply the bank's return file (CSV/XLSX: id_pembayaran, status, referensi, tanggal, alasan).

    Each good row makes its payout paid or failed; each bad row is reported by row and column and
    changes nothing; the good rows are kept."""
    require(actor, Capability.DECIDE_CLAIMS, [batch.region_id])
    rows, _count = spreadsheet_rows(path, limits=RETURN_LIMITS)
    header = [str(cell or "").strip().lower() for cell in next(rows, [])]
    missing = [column for column in RETURN_HEADER[:3] if column not in header]
    if missing:
        raise ValidationError({"file": _("Missing columns: %(columns)s.") % {"columns": ", ".join(missing)}})
    outcome = ReturnOutcome()
    payouts = {payout.pk: payout for payout in batch.payouts.select_related("claim")}
    claims: set[int] = set()
    with transaction.atomic(), changing(Change(claims={payout.claim_id for payout in payouts.values()})):
        for line, raw in enumerate(rows, start=2):
            values = dict(zip(header, (str(cell if cell is not None else "").strip() for cell in raw), strict=False))
            if not any(values.values()):
                continue
            try:
                payout = _apply_return_row(actor, payouts, values, outcome)
            except ValidationError as error:
                column, message = _first_problem(error)
                outcome.problems.append({"row": line, "column": column, "message": message})
            else:
                claims.add(payout.claim_id)
        for claim in Claim.objects.filter(pk__in=claims):
            close_if_settled(claim, actor)
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            target=batch,
            after={"return_file": path.name, "confirmed": outcome.confirmed, "failed": outcome.failed},
        )
    return outcome


def _apply_return_row(
    actor: User | None, payouts: dict[int, Payout], values: dict[str, str], outcome: ReturnOutcome
) -> Payout:
    try:
        payout = payouts[int(values.get("id_pembayaran", "").split(".")[0])]
    except (KeyError, ValueError):
        raise ValidationError({"id_pembayaran": _("Not a payout of this batch.")}) from None
    if payout.status != PayoutStatus.SENT:
        raise ValidationError(
            {"id_pembayaran": _("Already %(status)s.") % {"status": payout.get_status_display().lower()}}
        )
    word = values.get("status", "").lower()
    with transaction.atomic():
        if word in PAID_WORDS:
            confirm(actor=actor, payout=payout, reference=values.get("referensi", ""), paid_on=_day(values))
            outcome.confirmed += 1
        elif word in FAILED_WORDS:
            _fail(actor, payout, values.get("alasan", "") or _("returned by the bank"))
            outcome.failed += 1
        else:
            raise ValidationError({"status": _("Write berhasil or gagal.")})
    return payout


def _day(values: dict[str, str]) -> date:
    text = values.get("tanggal", "")[:10]
    if not text:
        return timezone.localdate()
    for pattern in ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"):
        try:
            return datetime.strptime(text, pattern).date()  # noqa: DTZ007 (a calendar date)
        except ValueError:
            continue
    raise ValidationError({"tanggal": _("Write the date as dd-mm-yyyy.")})


def _first_problem(error: ValidationError) -> tuple[str, str]:
    if hasattr(error, "error_dict"):
        column, messages = next(iter(error.message_dict.items()))
        return column, " ".join(messages)
    return "", " ".join(error.messages)


def _rupiah(amount: int) -> str:
    return format_money(amount, active_language())

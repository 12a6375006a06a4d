"""Claims the agency paid before Lindung, or outside it: recorded for the member's history and the
money figures, never assessed again (today's eligibility checks do not apply to a paid claim).

One at a time from a form, or many from a CSV/XLSX file (how a branch loads its 2019-2020
history). A claim already recorded (same member, type, event date) is a duplicate and adds nothing,
so loading the same file twice adds nothing the second time.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lindung.accounts.models import User
from lindung.accounts.permissions import require
from lindung.accounts.roles import Capability
from lindung.claims import selectors
from lindung.claims.assessment import assess
from lindung.claims.models import (
    Claim,
    ClaimHeir,
    ClaimStatus,
    ClaimType,
    JkkKind,
    Payout,
    PayoutStatus,
    ShareSource,
)
from lindung.claims.services import next_number, record_death
from lindung.claims.workflow import AUDITED, step
from lindung.core.audit import audit_record, snapshot
from lindung.core.changes import Change, changing
from lindung.core.exports import csv_text
from lindung.core.models import AuditAction
from lindung.core.tables import Limits, spreadsheet_rows
from lindung.registry import values as v
from lindung.registry.models import Membership, Relation
from lindung.registry.nik import clean_nik

COLUMNS = (
    "nik",
    "jenis_klaim",
    "manfaat_jkk",
    "tanggal_kejadian",
    "tanggal_bayar",
    "jumlah",
    "pengaju",
    "ahli_waris",
    "referensi",
)
REQUIRED_COLUMNS = ("nik", "jenis_klaim", "tanggal_kejadian", "tanggal_bayar", "jumlah")
LIMITS = Limits(rows=50_000, columns=len(COLUMNS) + 10)
# Words people write for the claim types and JKK benefits, beside the codes.
TYPE_WORDS = {"jkk": "jkk", "jkm": "jkm", "beasiswa": "beasiswa", "jht": "jht", "kematian": "jkm"}
KIND_WORDS = {
    **{kind: kind for kind in JkkKind.values},
    "pengobatan": JkkKind.MEDICAL,
    "perawatan": JkkKind.MEDICAL,
    "cacat": JkkKind.DISABILITY,
    "cacat_sebagian": JkkKind.DISABILITY,
    "cacat_total": JkkKind.TOTAL_DISABILITY,
    "meninggal": JkkKind.DEATH,
    "kematian": JkkKind.DEATH,
}


class DuplicateClaim(ValidationError):
    """The claim is already in Lindung: the same member, type and event date."""


@dataclass(frozen=True)
class PaidHeir:
    name: str
    relation: str
    amount: int


@dataclass(frozen=True)
class PaidClaim:
    """One claim the agency paid, as given."""

    claim_type: str
    event_date: date
    paid_on: date
    amount: int
    jkk_kind: str = ""
    claimant_name: str = ""
    heirs: tuple[PaidHeir, ...] = ()
    reference: str = ""


def record_paid_outside(
    *, actor: User | None, membership: Membership, paid: PaidClaim, today: date | None = None
) -> Claim:
    """Record a claim the agency already paid: dibayar di luar Lindung, with its payouts paid."""
    require(actor, Capability.DECIDE_CLAIMS, [membership.region_id])
    today = today or timezone.localdate()
    _check(paid, today)
    with transaction.atomic():
        _refuse_duplicate(membership, paid)
        claim = Claim(
            number=next_number(today),
            claim_type=paid.claim_type,
            jkk_kind=paid.jkk_kind,
            person_id=membership.person_id,
            membership=membership,
            region_id=membership.region_id,
            event_date=paid.event_date,
            claimant_name=(paid.claimant_name or (paid.heirs[0].name if paid.heirs else membership.person.name))[:150],
            paid_outside=True,
            outside_reference=paid.reference[:60],
            status=ClaimStatus.PAID,
            total=paid.amount,
            benefits=_benefits(paid),
            created_by=actor if actor is not None and actor.pk else None,
        )
        claim.assessment = assess(claim, today=today).as_dict()
        claim.save()
        step(claim, actor, "", ClaimStatus.PAID, _("Paid outside Lindung"))
        # The money figures follow the payouts: none before this block, the paid ones after it.
        with changing(Change(claims={claim.pk})):
            _payouts(claim, paid, actor)
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            target=claim,
            after={**snapshot(claim, AUDITED), "paid_outside": True, "paid_on": paid.paid_on.isoformat()},
        )
        if claim.is_death:
            record_death(actor=actor, claim=claim, today=today)
    return claim


def _check(paid: PaidClaim, today: date) -> None:
    errors: dict[str, str] = {}
    if paid.claim_type not in ClaimType.values:
        errors["claim_type"] = _("Choose the type of claim.")
    if paid.claim_type == ClaimType.JKK and paid.jkk_kind not in JkkKind.values:
        errors["jkk_kind"] = _("Choose the JKK benefit claimed.")
    if paid.event_date > today:
        errors["event_date"] = _("The event cannot be in the future.")
    if paid.paid_on > today:
        errors["paid_on"] = _("The payment cannot be in the future.")
    elif paid.paid_on < paid.event_date:
        errors["paid_on"] = _("The payment cannot be before the event.")
    if paid.amount <= 0:
        errors["amount"] = _("Must be more than zero.")
    if paid.heirs and sum(heir.amount for heir in paid.heirs) != paid.amount:
        errors["heirs"] = _("The heirs' amounts must add up to the amount paid.")
    if errors:
        raise ValidationError(errors)


def _refuse_duplicate(membership: Membership, paid: PaidClaim) -> None:
    earlier = (
        Claim.objects.filter(person_id=membership.person_id, claim_type=paid.claim_type, event_date=paid.event_date)
        .exclude(status=ClaimStatus.REJECTED)
        .values_list("number", flat=True)
        .first()
    )
    if earlier is not None:
        raise DuplicateClaim(
            {
                "event_date": _("Already recorded as claim %(number)s (same member, type and event date).")
                % {"number": earlier}
            }
        )


def _benefits(paid: PaidClaim) -> dict[str, Any]:
    return {
        "items": [
            {
                "program": paid.claim_type,
                "component": "paid_outside",
                "amount": paid.amount,
                "formula": _("paid by the agency outside Lindung on %(day)s")
                % {"day": paid.paid_on.strftime("%d-%m-%Y")},
                "legal_basis": "",
            }
        ],
        "total": paid.amount,
        "paid_outside": True,
    }


def _payouts(claim: Claim, paid: PaidClaim, actor: User | None) -> None:
    paid_by = actor if actor is not None and actor.pk else None
    common = {"status": PayoutStatus.CONFIRMED, "paid_on": paid.paid_on, "reference": paid.reference[:60]}
    if not paid.heirs:
        Payout.objects.create(claim=claim, payee=claim.claimant_name, amount=paid.amount, paid_by=paid_by, **common)
        return
    for given in paid.heirs:
        heir = ClaimHeir.objects.create(
            claim=claim,
            name=given.name[:150],
            relation=given.relation,
            amount=given.amount,
            reason=_("recorded from a payment outside Lindung"),
            proposed=False,
            share_source=ShareSource.HEIR_STATEMENT,
        )
        Payout.objects.create(claim=claim, heir=heir, payee=heir.name, amount=given.amount, paid_by=paid_by, **common)


# ---------------------------------------------------------------- the import


@dataclass
class HistoryOutcome:
    created: list[str] = field(default_factory=list)
    duplicates: int = 0
    problems: list[dict[str, Any]] = field(default_factory=list)  # {"row", "column", "message"}

    def as_dict(self) -> dict[str, Any]:
        return {"created": len(self.created), "duplicates": self.duplicates, "problems": self.problems}


def template_csv() -> str:
    """The import's columns with two example rows (a JKM with its heirs, a JKK medical claim)."""
    examples = [
        [
            "1408015708800001",
            "jkm",
            "",
            "12-08-2019",
            "11-09-2019",
            "24.000.000",
            "",
            "Siti Aminah:istri:24000000",
            "BPJSTK-001",
        ],
        ["1408011203850002", "jkk", "pengobatan", "03-02-2020", "20-03-2020", "3.450.000", "Budi Santoso", "", ""],
    ]
    return csv_text(COLUMNS, examples)


def import_paid_claims(*, actor: User, path: Path, today: date | None = None) -> HistoryOutcome:
    """Each good row recorded (each on its own); each bad row reported by row and column; duplicates
    (already in Lindung, or earlier in the file) counted and skipped."""
    require(actor, Capability.DECIDE_CLAIMS)
    today = today or timezone.localdate()
    rows, _total = spreadsheet_rows(path, limits=LIMITS)
    header = [v.text(cell).lower().replace(" ", "_") for cell in next(rows, [])]
    missing = [column for column in REQUIRED_COLUMNS if column not in header]
    if missing:
        raise ValidationError({"file": _("Missing columns: %(columns)s.") % {"columns": ", ".join(missing)}})
    outcome = HistoryOutcome()
    for line, raw in enumerate(rows, start=2):
        cells = dict(zip(header, raw, strict=False))
        if all(v.is_blank(value) for value in cells.values()):
            continue
        _import_row(actor, line, cells, today, outcome)
    return outcome


def _import_row(actor: User, line: int, cells: dict[str, Any], today: date, outcome: HistoryOutcome) -> None:
    try:
        membership, paid = _parse(actor, cells)
        claim = record_paid_outside(actor=actor, membership=membership, paid=paid, today=today)
    except DuplicateClaim:
        outcome.duplicates += 1
    except ValidationError as error:
        outcome.problems.extend({"row": line, "column": column, "message": text} for column, text in _problems(error))
    except PermissionDenied as error:
        outcome.problems.append({"row": line, "column": "nik", "message": str(error)})
    else:
        outcome.created.append(claim.number)


FIELD_COLUMNS = {
    "claim_type": "jenis_klaim",
    "jkk_kind": "manfaat_jkk",
    "event_date": "tanggal_kejadian",
    "paid_on": "tanggal_bayar",
    "amount": "jumlah",
    "heirs": "ahli_waris",
}


def _problems(error: ValidationError) -> list[tuple[str, str]]:
    if hasattr(error, "error_dict"):
        return [(FIELD_COLUMNS.get(name, name), " ".join(messages)) for name, messages in error.message_dict.items()]
    return [("", " ".join(error.messages))]


def _parse(actor: User, cells: dict[str, Any]) -> tuple[Membership, PaidClaim]:
    errors: dict[str, str] = {}

    def read(column: str, parser: Any) -> Any:
        try:
            return parser(cells.get(column))
        except ValueError as error:
            errors[column] = str(error)
            return None

    nik = clean_nik(v.text(cells.get("nik")))
    claim_type = read("jenis_klaim", _claim_type)
    kind = read("manfaat_jkk", _jkk_kind) if claim_type == ClaimType.JKK else ""
    event_date = read("tanggal_kejadian", v.parse_date)
    paid_on = read("tanggal_bayar", v.parse_date)
    amount = read("jumlah", v.parse_rupiah)
    heirs = read("ahli_waris", _heirs)
    membership = selectors.member_by_nik(actor=actor, nik=nik, on=event_date) if event_date else None
    if membership is None and "tanggal_kejadian" not in errors:
        errors["nik"] = _("No member with this NIK in your regions.")
    if errors or membership is None or event_date is None or paid_on is None:
        raise ValidationError(errors)
    paid = PaidClaim(
        claim_type=claim_type,
        jkk_kind=kind or "",
        event_date=event_date,
        paid_on=paid_on,
        amount=amount,
        claimant_name=v.text(cells.get("pengaju"))[:150],
        heirs=tuple(heirs or ()),
        reference=v.text(cells.get("referensi"))[:60],
    )
    return membership, paid


def _claim_type(value: object) -> str:
    word = v.text(value).lower()
    if word in TYPE_WORDS:
        return TYPE_WORDS[word]
    for code, label in ClaimType.choices:
        if word == str(label).lower():
            return code
    raise ValueError(_("Write jkk, jkm, beasiswa or jht."))


def _jkk_kind(value: object) -> str:
    word = v.text(value).lower().replace(" ", "_")
    if word in KIND_WORDS:
        return str(KIND_WORDS[word])
    raise ValueError(_("Write pengobatan, stmb, cacat, cacat_total or meninggal."))


def _heirs(value: object) -> tuple[PaidHeir, ...]:
    """ "Siti Aminah:istri:21000000; Budi:anak:21000000" (name, relation, amount)."""
    heirs = []
    for part in v.text(value).split(";"):
        if not part.strip():
            continue
        pieces = [piece.strip() for piece in part.split(":")]
        if len(pieces) != 3:
            raise ValueError(_("Write each heir as name:relation:amount, separated by semicolons."))
        name, relation, amount = pieces
        heirs.append(PaidHeir(name=name, relation=_relation(relation), amount=v.parse_rupiah(amount)))
    return tuple(heirs)


RELATION_WORDS = {"istri": "spouse", "suami": "spouse", "pasangan": "spouse", "anak": "child", "orang_tua": "parent"}


def _relation(word: str) -> str:
    key = word.lower().replace(" ", "_")
    key = RELATION_WORDS.get(key, key)
    if key in Relation.values:
        return key
    for code, label in Relation.choices:
        if key == str(label).lower().replace(" ", "_"):
            return code
    raise ValueError(_("Unknown relation %(word)s.") % {"word": word})

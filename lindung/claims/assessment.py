"""Is a claim eligible, is it held, and what do the rules give: every finding says why, citing the rule.

Coverage on the event date comes from the contributions ledger; eligibility and amounts from
`lindung.rules` at the event date. Nothing here writes.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from lindung.claims.models import Claim, ClaimType, JkkKind
from lindung.contributions.coverage import covered_on
from lindung.core.rules_bridge import active_language, as_json
from lindung.registry.models import MembershipVersion, Relation, Relative
from lindung.rules.benefits import BenefitQuery, CareCosts, jkk_benefit, jkk_medical, jkm_benefit
from lindung.rules.entitlements import Child, JhtQuery, jht_payout, scholarship_benefit
from lindung.rules.errors import RuleInputError
from lindung.rules.parameters import rulebook
from lindung.rules.results import Result
from lindung.rules.text import render

COVERED_TYPES = (ClaimType.JKK, ClaimType.JKM, ClaimType.SCHOLARSHIP)


@dataclass(frozen=True)
class Finding:
    code: str
    text: str
    legal_basis: str = ""
    blocking: bool = False


@dataclass
class Assessment:
    findings: list[Finding] = field(default_factory=list)

    @property
    def eligible(self) -> bool:
        return not any(finding.blocking for finding in self.findings)

    @property
    def held(self) -> bool:
        return any(finding.code == "held" for finding in self.findings)

    def as_dict(self) -> dict[str, Any]:
        return {"eligible": self.eligible, "held": self.held, "findings": [asdict(f) for f in self.findings]}


def assess(claim: Claim, *, today: date) -> Assessment:
    """Every finding on `claim` as of `today`: coverage and arrears, deadlines, the type's own conditions."""
    assessment = Assessment()
    if claim.paid_outside:
        text = _("Paid by the agency outside Lindung: recorded for history, not assessed again.")
        assessment.findings.append(Finding("paid_outside", text))
        return assessment
    if claim.claim_type in COVERED_TYPES:
        _coverage(assessment, claim, today)
    if claim.claim_type == ClaimType.JKK:
        _jkk_deadlines(assessment, claim, today)
    try:
        result = benefits_result(claim)
    except RuleInputError as error:
        assessment.findings.append(Finding("input", render(error.message, active_language()), blocking=True))
        return assessment
    if result.eligible is False:
        notes = " ".join(render(note, active_language()) for note in result.notes)
        assessment.findings.append(Finding("conditions", notes or _("The rules give nothing."), blocking=True))
    return assessment


def _coverage(assessment: Assessment, claim: Claim, today: date) -> None:
    answer = covered_on(claim.person.memberships.all(), claim.event_date, today=today)
    if not answer.covered:
        text = _("Not covered on %(day)s: %(reason)s") % {
            "day": claim.event_date.strftime("%d-%m-%Y"),
            "reason": answer.reason,
        }
        assessment.findings.append(Finding("not_covered", text, "PP 44/2015", blocking=True))
    elif answer.claim_held:
        text = _("The employer is in arrears: the claim is held until the arrears are paid.")
        assessment.findings.append(Finding("held", text, "PP 44/2015; PP 86/2013"))


def _jkk_deadlines(assessment: Assessment, claim: Claim, today: date) -> None:
    _claim_right(assessment, claim, today)
    _stage1_report(assessment, claim)


def _claim_right(assessment: Assessment, claim: Claim, today: date) -> None:
    """The right to claim runs from the accident to the filing day (PP 44/2015 Pasal 26), so a claim
    lodged in time stays in time however late it is decided."""
    entry = rulebook().at("jkk.claim_right", claim.event_date, field="event_date")
    years = int(entry.value["years"])
    filed = claim.filed_on or today
    deadline = _years_after(claim.event_date, years)
    dates = {"event": _day(claim.event_date), "filed": _day(filed), "deadline": _day(deadline), "years": years}
    if filed >= deadline:
        text = _(
            "Filed on %(filed)s, after the right to claim lapsed: %(years)s years after the accident of "
            "%(event)s, on %(deadline)s."
        )
        assessment.findings.append(Finding("lapsed", text % dates, entry.basis, blocking=True))
    else:
        text = _("Filed on %(filed)s, within %(years)s years of the accident of %(event)s (the limit is %(deadline)s).")
        assessment.findings.append(Finding("claim_right", text % dates, entry.basis))


def _years_after(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February: the right lapses on 1 March
        return date(day.year + years, 3, 1)


def _stage1_report(assessment: Assessment, claim: Claim) -> None:
    """The late stage I report consequence exists only for accidents from Permenaker 1/2025 on; an
    unknown report time is unknown, not late."""
    parameter = rulebook().parameters["jkk.stage1_report"]
    if claim.event_date < parameter.entries[0].starts:
        return
    entry = parameter.at(claim.event_date, field="event_date")
    if claim.stage1_reported_at is None:
        text = _(
            "Stage I report: time not known (tidak diketahui). Record it to see whether it came within 2 x 24 hours."
        )
        assessment.findings.append(Finding("stage1_unknown", text, entry.basis))
        return
    accident = timezone.make_aware(datetime.combine(claim.event_date, claim.event_time or time(0, 0)))
    limit = accident + timedelta(hours=int(entry.value["hours"]))
    if claim.stage1_reported_at > limit:
        text = _(
            "The stage I report came on %(reported)s, later than 2 x 24 hours after the accident (%(limit)s): "
            "the employer bears the JKK benefit and may claim it back afterwards."
        ) % {
            "reported": timezone.localtime(claim.stage1_reported_at).strftime("%d-%m-%Y %H:%M"),
            "limit": timezone.localtime(limit).strftime("%d-%m-%Y %H:%M"),
        }
        assessment.findings.append(Finding("stage1_late", text, entry.basis))


def _day(day: date) -> str:
    return day.strftime("%d-%m-%Y")


def benefits_result(claim: Claim) -> Result:
    """What the rules give for this claim at its event date (RuleInputError when an input is missing)."""
    start = claim.membership.starts_on
    if claim.claim_type == ClaimType.JKM:
        return jkm_benefit(BenefitQuery(program="jkm", event_date=claim.event_date, membership_start=start))
    if claim.claim_type == ClaimType.JKK:
        if claim.jkk_kind == JkkKind.MEDICAL:
            costs = CareCosts(
                medical=claim.medical_costs or 0,
                transport=claim.transport_costs or 0,
                transport_mode=claim.transport_mode,
                home_care=claim.home_care_costs or 0,
            )
            return jkk_medical(claim.event_date, costs)
        return jkk_benefit(
            BenefitQuery(
                program="jkk",
                event_date=claim.event_date,
                kind=claim.jkk_kind,
                wage=claim.wage if claim.wage is not None else last_wage(claim),
                percentage=claim.percentage,
                function_loss=claim.function_loss,
                months=claim.months,
                membership_start=start,
            )
        )
    if claim.claim_type == ClaimType.SCHOLARSHIP:
        cause = "jkk" if claim.jkk_kind == JkkKind.DEATH else "jkm"
        return scholarship_benefit(
            cause=cause,
            event_date=claim.event_date,
            membership_start=start,
            children=claimed_children(claim),
            on_date=date(claim.school_year, 7, 1) if claim.school_year else None,
        )
    return jht_payout(
        JhtQuery(
            reason=claim.jht_reason,
            event_date=claim.event_date,
            membership_start=start,
            birth_date=claim.person.birth_date,
            balance=claim.jht_balance,
        )
    )


def last_wage(claim: Claim) -> int | None:
    """The wage of the membership's terms in force on the event date: the last one reported."""
    version = (
        MembershipVersion.objects.filter(membership=claim.membership, effective_from__lte=claim.event_date)
        .order_by("-effective_from")
        .first()
    )
    return version.wage if version else None


def claimed_entries(claim: Claim) -> list[tuple[dict[str, Any], Relative]]:
    """The children a scholarship claim names that are in the family records with a birth date, in
    the order given, each with its entry (level, and the guardian's name, bank and account)."""
    relatives = {
        relative.pk: relative
        for relative in claim.person.relatives.filter(relation=Relation.CHILD, birth_date__isnull=False)
    }
    entries = []
    for entry in claim.children:
        relative = relatives.get(_int(entry.get("relative")))
        if relative is not None:
            entries.append((entry, relative))
    return entries


def _int(value: object) -> int:
    try:
        return int(str(value))
    except ValueError:
        return 0


def claimed_children(claim: Claim) -> tuple[Child, ...]:
    """The children a scholarship claim names, from the family records, in the order given."""
    return tuple(
        Child(birth_date=relative.birth_date, level=str(entry.get("level", "")))
        for entry, relative in claimed_entries(claim)
        if relative.birth_date is not None
    )


def benefits_json(claim: Claim) -> dict[str, Any]:
    """The frozen form of the benefits: items with formula and legal basis, total, rule version."""
    return as_json(benefits_result(claim))

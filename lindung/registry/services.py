"""Writes to the registry. Each checks permission and region, validates, writes and audits in one transaction."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.id import npwp as stdnum_npwp

from lindung.accounts.models import User
from lindung.accounts.permissions import require
from lindung.accounts.roles import Capability
from lindung.core.audit import audit_personal_data_viewed, audit_record, snapshot
from lindung.core.changes import Change, changing
from lindung.core.models import AuditAction
from lindung.regions import codes
from lindung.regions.models import Region
from lindung.registry import values
from lindung.registry.enrolment import (
    FIELD_HEADERS,
    Context,
    LookupCodes,
    Plan,
    parse_row,
    plan_enrolment,
    problems_by_field,
)
from lindung.registry.models import (
    Agreement,
    AgreementStatus,
    Category,
    Membership,
    MembershipStatus,
    MembershipVersion,
    Person,
    Relation,
    Relative,
    Segment,
    Sponsor,
    SponsorKind,
    search_key,
)
from lindung.registry.nik import check_nik
from lindung.registry.writer import apply_plan, version_renewal
from lindung.rules.contributions import SEGMENT_PROGRAMS

AGREEMENT_FIELDS = ("number", "sponsor_id", "starts_on", "ends_on", "programs", "segment", "categories", "quota")
AGREEMENT_AUDITED = (*AGREEMENT_FIELDS, "budget_ceiling", "status", "previous_id", "ended_on")
SPONSOR_AUDITED = ("kind", "name", "npwp", "region_id", "address")
RELATIVE_AUDITED = ("person_id", "relation", "name", "birth_date", "sex", "died_on")


# Persons and families -------------------------------------------------------------------------


def person_reveal_nik(*, actor: User, person: Person) -> str:
    """The full NIK, recorded in the audit log as a look at personal data."""
    audit_personal_data_viewed(actor=actor, target=person, fields=["nik"])
    return person.nik


def person_list_exported(*, actor: User, query: str, rows: int) -> None:
    """Record that `actor` downloaded the person list (names, masked NIKs, villages): who, when,
    for which search, up to how many rows. The list itself is what the page shows."""
    require(actor, Capability.VIEW_PERSONS)
    with transaction.atomic():
        audit_record(
            actor=actor,
            action=AuditAction.VIEW_PERSONAL_DATA,
            object_type="registry.person",
            object_repr="daftar peserta (XLSX)",
            after={"fields": ["name", "masked_nik", "sex", "village"], "search": query, "max_rows": rows},
        )


def keeps_contact(actor: User | None, person: Person) -> bool:
    """Whether `actor` may change the person's name, phone and address: she lives in the actor's
    regions, or has no address and every membership of hers is administered there. The same rule
    as an import's contact updates (enrolment.Sight): another region learns nothing and changes
    nothing of a person who merely also works in it."""
    if actor is None or actor.sees_all_regions:
        return True
    mine = actor.region_codes

    def in_mine(code: str | None) -> bool:
        return code is not None and any(codes.is_within(code, region) for region in mine)

    if person.village_id is not None:
        return in_mine(person.village_id)
    regions = list(Membership.objects.filter(person=person).values_list("region_id", flat=True))
    return bool(regions) and all(in_mine(code) for code in regions)


PERSON_EDITABLE = ("name", "phone", "village_id")


def person_update(*, actor: User | None, person: Person, name: str, phone: str, village_code: str) -> Person:
    """Correct a person's name, phone or address village, audited. Her NIK, birth date and sex
    come from the NIK and are not edited here."""
    require(actor, Capability.ENROL_MEMBERS)
    if not keeps_contact(actor, person):
        raise PermissionDenied(
            _("This person is registered in another region: her name, phone and address are kept there.")
        )
    errors: dict[str, list[str]] = {}
    name = " ".join(name.split())
    if not name:
        errors["name"] = [_("Required.")]
    try:
        phone = values.parse_phone(phone)
    except ValueError as error:
        errors["phone"] = [str(error)]
    village_id = village_code or None
    if village_id is not None:
        village = Region.objects.filter(code=village_id, level=codes.VILLAGE).first()
        if village is None:
            errors["village"] = [_("No village has the code %(code)s.") % {"code": village_id}]
        elif actor is not None and not actor.sees_all_regions and not keeps_contact(actor, _moved(person, village_id)):
            errors["village"] = [_("This village is outside your regions: its own region records her there.")]
    if errors:
        raise ValidationError(errors)
    before = snapshot(person, PERSON_EDITABLE)
    person.name, person.search_name, person.phone, person.village_id = name, search_key(name), phone, village_id
    person.updated_at = timezone.now()
    if before == snapshot(person, PERSON_EDITABLE):
        raise ValidationError({"__all__": _("Nothing changes.")})
    with transaction.atomic():
        person.save(update_fields=["name", "search_name", "phone", "village_id", "updated_at"])
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            target=person,
            before=before,
            after=snapshot(person, PERSON_EDITABLE),
        )
    return person


def _moved(person: Person, village_id: str) -> Person:
    """The person as she would be at her new address (to ask who would keep her then)."""
    return Person(pk=person.pk, village_id=village_id)


def relative_add(
    *,
    actor: User | None,
    person: Person,
    relation: str,
    name: str,
    birth_date: date | None = None,
    sex: str = "",
    nik: str = "",
    died_on: date | None = None,
) -> Relative:
    """Record a family member. A child needs a birth date (scholarships); a NIK, when given, must match."""
    require(actor, Capability.ENROL_MEMBERS)
    errors: dict[str, list[str]] = {}
    if relation not in Relation.values:
        errors["relation"] = [_("Choose one of: %(codes)s.") % {"codes": ", ".join(Relation.values)}]
    if not name.strip():
        errors["name"] = [_("Required.")]
    if relation == Relation.CHILD and birth_date is None:
        errors["birth_date"] = [_("A child's birth date is needed for scholarships.")]
    if sex and sex not in ("L", "P"):
        errors["sex"] = [_("Write L (male) or P (female).")]
    if nik:
        checked = check_nik(nik, birth_date=birth_date, sex=sex or None, known_districts=LookupCodes(level=3))
        if checked.errors:
            errors["nik"] = checked.errors
        nik = checked.nik
    if died_on is not None and birth_date is not None and died_on < birth_date:
        errors["died_on"] = [_("Before the birth date.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        relative = Relative.objects.create(
            person=person,
            relation=relation,
            name=" ".join(name.split()),
            birth_date=birth_date,
            sex=sex,
            nik=nik,
            died_on=died_on,
        )
        audit_record(
            actor=actor, action=AuditAction.CREATE, target=relative, after=snapshot(relative, RELATIVE_AUDITED)
        )
    return relative


# Sponsors -------------------------------------------------------------------------------------


def clean_npwp(raw: str) -> str:
    """An NPWP as digits, validated by python-stdnum (15 or 16 digits with its check digit)."""
    try:
        return str(stdnum_npwp.validate(raw))
    except StdnumError as error:
        raise ValidationError({"npwp": _("Not a valid NPWP (15 or 16 digits with a valid check digit).")}) from error


def sponsor_create(
    *, actor: User | None, kind: str, name: str, region_code: str, npwp: str = "", address: str = ""
) -> Sponsor:
    """Register a sponsor in a region. A company needs a valid NPWP; a Pemdes sits in a village."""
    # Permission first: a role that may not register sponsors learns nothing (not even that an NPWP exists).
    require(actor, Capability.MANAGE_SPONSORS, [region_code.strip()])
    errors: dict[str, list[str]] = {}
    if kind not in SponsorKind.values:
        errors["kind"] = [_("Choose one of: %(codes)s.") % {"codes": ", ".join(SponsorKind.values)}]
    if not name.strip():
        errors["name"] = [_("Required.")]
    region = Region.objects.filter(code=region_code.strip()).first()
    if region is None:
        errors["region"] = [_("Unknown region code %(code)s.") % {"code": region_code}]
    elif kind == SponsorKind.PEMDES and region.level != codes.VILLAGE:
        errors["region"] = [_("A village government sits in a village (desa).")]
    elif kind == SponsorKind.PEMDA and region.level > codes.REGENCY:
        errors["region"] = [_("A regional government is a province, kabupaten or kota.")]
    npwp = npwp.strip()
    if kind == SponsorKind.COMPANY and not npwp:
        errors["npwp"] = [_("A company needs its NPWP.")]
    if errors or region is None:
        raise ValidationError(errors)
    if npwp:
        npwp = clean_npwp(npwp)
        if Sponsor.objects.filter(npwp=npwp).exists():
            raise ValidationError({"npwp": _("A sponsor with this NPWP is already registered.")})
    with transaction.atomic():
        sponsor = Sponsor.objects.create(
            kind=kind, name=" ".join(name.split()), region=region, npwp=npwp, address=address.strip()
        )
        audit_record(actor=actor, action=AuditAction.CREATE, target=sponsor, after=snapshot(sponsor, SPONSOR_AUDITED))
    return sponsor


# Agreements -----------------------------------------------------------------------------------


def _clean_agreement_terms(
    *,
    segment: str,
    programs: Sequence[str],
    categories: Sequence[str],
    starts_on: date,
    ends_on: date,
    quota: int,
    budget_ceiling: int,
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if segment not in Segment.values:
        errors["segment"] = [_("Choose one of: %(codes)s.") % {"codes": ", ".join(Segment.values)}]
    elif not set(programs) <= set(SEGMENT_PROGRAMS[segment]) or not {"jkk", "jkm"} <= set(programs):
        errors["programs"] = [
            _("JKK and JKM, plus any of: %(codes)s.") % {"codes": ", ".join(SEGMENT_PROGRAMS[segment])}
        ]
    unknown = [code for code in categories if code not in Category.values]
    if unknown or not categories:
        errors["categories"] = [_("Choose one or more of: %(codes)s.") % {"codes": ", ".join(Category.values)}]
    if ends_on < starts_on:
        errors["ends_on"] = [_("Before the start date.")]
    if quota <= 0:
        errors["quota"] = [_("Must be more than zero.")]
    if budget_ceiling < 0:
        errors["budget_ceiling"] = [_("Cannot be negative.")]
    return errors


def agreement_create(
    *,
    actor: User | None,
    sponsor: Sponsor,
    number: str,
    starts_on: date,
    ends_on: date,
    segment: str,
    programs: Sequence[str],
    categories: Sequence[str],
    quota: int,
    budget_ceiling: int,
    previous: Agreement | None = None,
) -> Agreement:
    """A draft agreement; it covers members once activated."""
    require(actor, Capability.MANAGE_SPONSORS, [sponsor.region_id])
    errors = _clean_agreement_terms(
        segment=segment,
        programs=programs,
        categories=categories,
        starts_on=starts_on,
        ends_on=ends_on,
        quota=quota,
        budget_ceiling=budget_ceiling,
    )
    number = number.strip()
    if not number:
        errors["number"] = [_("Required.")]
    elif Agreement.objects.filter(number=number).exists():
        errors["number"] = [_("Agreement number %(number)s already exists.") % {"number": number}]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        agreement = Agreement.objects.create(
            sponsor=sponsor,
            number=number,
            starts_on=starts_on,
            ends_on=ends_on,
            segment=segment,
            programs=[code for code in SEGMENT_PROGRAMS[segment] if code in programs],
            categories=[code for code in Category.values if code in categories],
            quota=quota,
            budget_ceiling=budget_ceiling,
            previous=previous,
        )
        audit_record(
            actor=actor, action=AuditAction.CREATE, target=agreement, after=snapshot(agreement, AGREEMENT_AUDITED)
        )
    return agreement


def _transition(actor: User | None, agreement: Agreement, allowed_from: str, to: str, **changes: Any) -> Agreement:
    require(actor, Capability.MANAGE_SPONSORS, [agreement.sponsor.region_id])
    with transaction.atomic():
        locked = Agreement.objects.select_for_update().get(pk=agreement.pk)
        if locked.status != allowed_from:
            raise ValidationError(
                {
                    "status": _("The agreement is %(status)s; this needs it %(wanted)s.")
                    % {
                        "status": locked.get_status_display(),
                        "wanted": AgreementStatus(allowed_from).label,
                    }
                }
            )
        before = snapshot(locked, AGREEMENT_AUDITED)
        locked.status = to
        for name, value in changes.items():
            setattr(locked, name, value)
        locked.save()
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            target=locked,
            before=before,
            after=snapshot(locked, AGREEMENT_AUDITED),
        )
    return locked


def agreement_activate(*, actor: User | None, agreement: Agreement, leave_out: Sequence[int] = ()) -> Agreement:
    """Draft -> active. Refused when another active agreement of the sponsor covers the same days.

    A renewal carries the previous agreement's people: every membership of it still running on the
    renewal's first day continues under the renewal, in one statement, except the memberships the
    officer leaves out (`leave_out`, ids), which stay with the previous agreement."""
    clash = (
        Agreement.objects.filter(
            sponsor_id=agreement.sponsor_id,
            status=AgreementStatus.ACTIVE,
            segment=agreement.segment,
            starts_on__lte=agreement.ends_on,
            ends_on__gte=agreement.starts_on,
        )
        .exclude(pk=agreement.pk)
        .first()
    )
    if clash is not None:
        raise ValidationError(
            {"starts_on": _("Agreement %(number)s is active over these dates.") % {"number": clash.number}}
        )
    with transaction.atomic():
        activated = _transition(actor, agreement, AgreementStatus.DRAFT, AgreementStatus.ACTIVE)
        if activated.previous_id is not None:
            _carry_members(actor, activated, leave_out)
    return activated


def _carry_members(actor: User | None, renewal: Agreement, leave_out: Sequence[int]) -> int:
    """Move the previous agreement's memberships running on the renewal's first day to the renewal:
    one UPDATE, whatever their number, and their terms dated at the renewal (`version_renewal`);
    one audit entry with the count and who was left out."""
    assert renewal.previous_id is not None  # noqa: S101 (only renewals are carried)
    running = Membership.objects.filter(agreement_id=renewal.previous_id).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=renewal.starts_on)
    )
    left_out = sorted(set(running.filter(pk__in=list(leave_out)).values_list("pk", flat=True)))
    carried = running.exclude(pk__in=left_out).update(agreement=renewal)
    version_renewal(renewal, actor.pk if actor and actor.pk else None, timezone.now())
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=renewal,
        after={"carried_memberships": carried, "left_out": left_out, "from_agreement": renewal.previous_id},
    )
    return carried


def agreement_terminate(*, actor: User | None, agreement: Agreement, ended_on: date) -> Agreement:
    """Active -> terminated early, on `ended_on`."""
    if not agreement.starts_on <= ended_on <= agreement.ends_on:
        raise ValidationError({"ended_on": _("Must fall within the agreement's period.")})
    return _transition(actor, agreement, AgreementStatus.ACTIVE, AgreementStatus.TERMINATED, ended_on=ended_on)


def agreements_expire(*, today: date) -> int:
    """Active agreements whose end has passed become expired (run daily, and before lists)."""
    due = list(Agreement.objects.filter(status=AgreementStatus.ACTIVE, ends_on__lt=today).select_related("sponsor"))
    for agreement in due:
        _transition(None, agreement, AgreementStatus.ACTIVE, AgreementStatus.EXPIRED)
    return len(due)


def agreement_renew(
    *, actor: User | None, agreement: Agreement, number: str, starts_on: date | None = None, ends_on: date | None = None
) -> Agreement:
    """The next agreement as a draft, its terms copied, starting the day after this one ends."""
    if Agreement.objects.filter(previous=agreement).exists():
        raise ValidationError({"number": _("This agreement has already been renewed.")})
    starts = starts_on or agreement.ends_on + timedelta(days=1)
    length = agreement.ends_on - agreement.starts_on
    return agreement_create(
        actor=actor,
        sponsor=agreement.sponsor,
        number=number,
        starts_on=starts,
        ends_on=ends_on or starts + length,
        segment=agreement.segment,
        programs=agreement.programs,
        categories=agreement.categories,
        quota=agreement.quota,
        budget_ceiling=agreement.budget_ceiling,
        previous=agreement,
    )


# Memberships ----------------------------------------------------------------------------------


def _raise_for(plan: Plan) -> None:
    errors = dict(problems_by_field(plan.problems))
    if errors:
        raise ValidationError(errors)


def member_enrol(
    *,
    actor: User | None,
    sponsor: Sponsor | None,
    values: dict[str, object],
    agreement: Agreement | None = None,
    today: date | None = None,
) -> Membership:
    """Enrol one person (registered if new) through a sponsor, or self-paying when `sponsor` is None.

    `values` uses the fields of the import (nik, name, birth_date, ...), as text or values.
    """
    # Permission before validation: a role that may not enrol learns nothing from the answer.
    require(actor, Capability.ENROL_MEMBERS, [sponsor.region_id] if sponsor is not None else [])
    today = today or timezone.localdate()
    context = Context.lookup(sponsor=sponsor, agreement=agreement, today=today, actor=actor)
    plan = plan_enrolment([(1, values)], context)
    _raise_for(plan)
    if plan.changes or plan.unchanged or plan.contact_only:
        raise ValidationError(
            {"nik": _("Already enrolled through this sponsor; change the membership on the person's page.")}
        )
    row = plan.new_rows[0]
    region = sponsor.region_id if sponsor is not None else (row.work_village_id or row.village_id)
    if region is None:
        raise ValidationError({"work_village": _("A self-paying member needs a work or home village.")})
    require(actor, Capability.ENROL_MEMBERS, [region])
    now = timezone.now()
    with transaction.atomic():
        written = apply_plan(plan, sponsor=sponsor, agreement=context.agreement, actor=actor, now=now)
        membership = Membership.objects.get(pk=written.membership_ids[row.nik])
        if row.nik not in plan.existing_persons:
            audit_record(actor=actor, action=AuditAction.CREATE, target=membership.person, after={"source": "form"})
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            target=membership,
            after={"person": membership.person_id, "sponsor": sponsor.pk if sponsor else None, **row.terms()},
        )
    return membership


def membership_change(
    *, actor: User | None, membership: Membership, effective_from: date, changes: dict[str, object]
) -> MembershipVersion:
    """New terms from `effective_from`: the open version is closed the day before, never edited."""
    require(actor, Capability.ENROL_MEMBERS, [membership.region_id])
    current = membership.versions.get(effective_to__isnull=True)
    unknown = set(changes) - set(FIELD_HEADERS)
    if unknown:
        raise ValidationError({name: [_("Cannot be changed here.")] for name in unknown})
    values = _current_values(membership, current) | changes
    context = Context.lookup(sponsor=membership.sponsor, agreement=membership.agreement, today=effective_from)
    row, problems = parse_row(1, values, context)
    errors = dict(problems_by_field(problems))
    if errors or row is None:
        raise ValidationError(errors)
    if effective_from <= current.effective_from or (membership.ends_on and effective_from > membership.ends_on):
        raise ValidationError(
            {
                "effective_from": _("Must fall after %(day)s and within the membership.")
                % {"day": current.effective_from.strftime("%d-%m-%Y")}
            }
        )
    if row.terms() == current.terms():
        raise ValidationError({"__all__": _("Nothing changes.")})
    with transaction.atomic(), changing(Change(memberships={membership.pk})):
        current.effective_to = effective_from - timedelta(days=1)
        current.save(update_fields=["effective_to"])
        version = MembershipVersion.objects.create(
            membership=membership,
            effective_from=effective_from,
            agreement_id=current.agreement_id,
            recorded_by=actor if actor and actor.pk else None,
            **row.terms(),
        )
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            target=membership,
            before=current.terms(),
            after={"effective_from": effective_from.isoformat(), **row.terms()},
        )
    return version


def membership_end(
    *, actor: User | None, membership: Membership, ends_on: date, today: date | None = None
) -> Membership:
    """End a membership on `ends_on` (the last protected day)."""
    require(actor, Capability.ENROL_MEMBERS, [membership.region_id])
    today = today or timezone.localdate()
    if ends_on < membership.starts_on:
        raise ValidationError({"ends_on": _("Before the start date.")})
    with transaction.atomic(), changing(Change(memberships={membership.pk})):
        before = snapshot(membership, ("ends_on", "status"))
        membership.ends_on = ends_on
        membership.status = MembershipStatus.ENDED if ends_on < today else MembershipStatus.ACTIVE
        membership.save(update_fields=["ends_on", "status"])
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            target=membership,
            before=before,
            after=snapshot(membership, ("ends_on", "status")),
        )
    return membership


def person_record_death(*, actor: User | None, person: Person, died_on: date, basis: str) -> list[Membership]:
    """Record that a person died (an approved death claim is the evidence): the date is kept, every
    membership running on or after that day ends on it, and no membership can be added afterwards.

    Returns the memberships that ended, so billing can reverse the months after the death. The
    caller checks its own capability (deciding a death claim); this runs inside its transaction."""
    before = {"died_on": person.died_on.isoformat() if person.died_on else None}
    Person.objects.filter(pk=person.pk).update(died_on=died_on)
    person.died_on = died_on
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=person,
        before=before,
        after={"died_on": died_on.isoformat(), "basis": basis},
    )
    running = list(
        Membership.objects.select_for_update()
        .filter(person=person)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gt=died_on))
    )
    with changing(Change(memberships={membership.pk for membership in running})):
        for membership in running:
            previous = snapshot(membership, ("ends_on", "status"))
            membership.ends_on = max(died_on, membership.starts_on)
            membership.status = MembershipStatus.ENDED
            membership.save(update_fields=["ends_on", "status"])
            audit_record(
                actor=actor,
                action=AuditAction.UPDATE,
                target=membership,
                before=previous,
                after={**snapshot(membership, ("ends_on", "status")), "reason": basis},
            )
    return running


def _current_values(membership: Membership, version: MembershipVersion) -> dict[str, object]:
    person = membership.person
    return {
        "nik": person.nik,
        "name": person.name,
        "birth_date": person.birth_date,
        "sex": person.sex,
        "segment": version.segment,
        "category": version.category,
        "programs": ",".join(version.programs),
        "wage": version.wage,
        "risk_class": str(version.risk_class or ""),
        "occupation": version.occupation,
        "work_village": version.work_village_id or "",
        "starts_on": membership.starts_on,
        "ends_on": membership.ends_on,
        "funding": version.funding,
    }


def _id(actor: User | None) -> int | None:
    return actor.pk if actor is not None and actor.pk else None

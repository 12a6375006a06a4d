"""Checking enrolment rows (one from a form, or thousands from a file) and planning what to write.

Nothing here writes. `plan_enrolment` reads rows, validates each, looks the NIKs up in chunks (a few
queries per thousands of rows) and returns a Plan: which persons and memberships are new, which
change, which are unchanged, and every problem with its row and field. The writer applies a plan.
"""

from __future__ import annotations

from collections.abc import Callable, Container, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import islice
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lindung.core.scoping import ScopedActor, covers
from lindung.core.templatetags.lindung import rupiah
from lindung.regions.models import Region
from lindung.registry import values as v
from lindung.registry.models import (
    DEFAULT_FUNDING,
    Agreement,
    AgreementStatus,
    Category,
    Funding,
    Membership,
    MembershipStatus,
    MembershipVersion,
    Person,
    Segment,
    Sponsor,
    SponsorKind,
)
from lindung.registry.nik import check_nik
from lindung.rules.contributions import DEFAULT_PROGRAMS, FIRST_DAY, SEGMENT_PROGRAMS, wage_floor

CHUNK = 5_000
SEGMENTS = tuple(Segment.values)
CATEGORIES = tuple(Category.values)
FUNDINGS = tuple(Funding.values)
SEGMENT_WORD = gettext_lazy("segment")
CATEGORY_WORD = gettext_lazy("category")
FUNDING_WORD = gettext_lazy("funding source")
PROGRAM_WORD = gettext_lazy("program")
MANDATORY_PROGRAMS = ("jkk", "jkm")


@dataclass(frozen=True)
class Column:
    field: str  # the name services and the API use
    header: str  # the spreadsheet column, in Indonesian as offices write it
    required: bool
    help: Any


# The order of the template's columns.
COLUMNS = (
    Column("nik", "nik", True, gettext_lazy("16 digits, as text")),
    Column("name", "nama", True, gettext_lazy("full name as on the KTP")),
    Column("birth_date", "tanggal_lahir", True, gettext_lazy("31-12-1990 or 1990-12-31")),
    Column("sex", "jenis_kelamin", True, gettext_lazy("L or P")),
    Column("phone", "telepon", False, gettext_lazy("e.g. 081234567890")),
    Column("village", "desa_domisili", False, gettext_lazy("village code of the address, e.g. 14.08.06.2001")),
    Column("segment", "segmen", False, gettext_lazy("pu, bpu or jakon; blank: the agreement's")),
    Column("category", "kategori", True, gettext_lazy("non_asn, perangkat_desa, pekerja_rentan, ...")),
    Column("programs", "program", False, gettext_lazy("e.g. JKK, JKM; blank: the agreement's")),
    Column("wage", "upah", True, gettext_lazy("monthly wage or declared income, whole rupiah")),
    Column("risk_class", "kelas_risiko", False, gettext_lazy("JKK risk class 1-5, required for PU")),
    Column("occupation", "pekerjaan", False, gettext_lazy("e.g. tenaga kebersihan")),
    Column("work_village", "desa_kerja", False, gettext_lazy("village code of the workplace")),
    Column("starts_on", "tanggal_mulai", True, gettext_lazy("first day of protection")),
    Column("ends_on", "tanggal_selesai", False, gettext_lazy("last day, if known")),
    Column("funding", "sumber_dana", False, gettext_lazy("apbd, apbdes, apbn, mandiri, pemberi_kerja, csr")),
    Column("effective_from", "berlaku_mulai", False, gettext_lazy("for a change: the day it applies")),
)
FIELD_HEADERS = {column.field: column.header for column in COLUMNS}
HEADER_FIELDS = {column.header: column.field for column in COLUMNS}
REQUIRED_HEADERS = tuple(column.header for column in COLUMNS if column.required)


@dataclass(slots=True)
class Row:
    """One valid enrolment row, clean."""

    line: int
    nik: str
    name: str
    birth_date: date
    sex: str
    phone: str
    village_id: str | None
    segment: str
    category: str
    programs: list[str]
    wage: int
    risk_class: int | None
    occupation: str
    work_village_id: str | None
    starts_on: date
    ends_on: date | None
    funding: str
    effective_from: date | None

    def terms(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in MembershipVersion.TERMS}


@dataclass(frozen=True)
class Problem:
    """An error (the row is left out) or a warning (the row goes in) on one row and field."""

    line: int
    field: str
    message: str
    nik: str = ""
    warning: bool = False


class LookupCodes:
    """Region codes of one level, asked of the database one at a time: for checking a single row."""

    def __init__(self, *, level: int) -> None:
        self.level = level

    def __contains__(self, code: object) -> bool:
        if not isinstance(code, str):
            return False
        if self.level == 3 and len(code) == 6:  # a NIK's kecamatan digits
            code = f"{code[0:2]}.{code[2:4]}.{code[4:6]}"
        return Region.objects.filter(code=code, level=self.level).exists()


@dataclass
class Context:
    """What checking needs, read once per file: the sponsor, its agreement and the region codes."""

    sponsor: Sponsor | None
    agreement: Agreement | None
    known_districts: Container[str]
    known_villages: Container[str]
    today: date
    # Whose eyes the check answers to (None: the system). People registered in other regions are
    # matched by NIK, but their names, sponsors and contact data are not told or changed.
    actor: ScopedActor | None = None
    specs: list[FieldSpec] = field(init=False)
    program_parsers: dict[str, Parser] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        self.specs = field_specs(self)

    def program_parser(self, segment: str) -> Parser:
        if segment not in self.program_parsers:
            allowed = SEGMENT_PROGRAMS.get(segment, ())
            self.program_parsers[segment] = memoized(
                lambda value: tuple(v.parse_codes(value, allowed, what=PROGRAM_WORD))
            )
        return self.program_parsers[segment]

    @classmethod
    def load(
        cls, *, sponsor: Sponsor | None, agreement: Agreement | None, today: date, actor: ScopedActor | None = None
    ) -> Context:
        districts = {code.replace(".", "") for code in Region.objects.filter(level=3).values_list("code", flat=True)}
        villages = set(Region.objects.filter(level=4).values_list("code", flat=True))
        if agreement is None and sponsor is not None:
            agreement = agreement_in_force(sponsor, today)
        return cls(sponsor, agreement, districts, villages, today, actor)

    @classmethod
    def lookup(
        cls, *, sponsor: Sponsor | None, agreement: Agreement | None, today: date, actor: ScopedActor | None = None
    ) -> Context:
        """For one row: region codes are asked of the database instead of loaded."""
        if agreement is None and sponsor is not None:
            agreement = agreement_in_force(sponsor, today)
        return cls(sponsor, agreement, LookupCodes(level=3), LookupCodes(level=4), today, actor)

    def covers(self, region_code: str | None) -> bool:
        """The actor works in this region (the system works everywhere)."""
        return self.actor is None or (region_code is not None and covers(self.actor, [region_code]))


def agreement_in_force(sponsor: Sponsor, on: date) -> Agreement | None:
    """The sponsor's active agreement covering `on`, if any."""
    return (
        Agreement.objects.filter(sponsor=sponsor, status=AgreementStatus.ACTIVE, starts_on__lte=on, ends_on__gte=on)
        .order_by("-starts_on")
        .first()
    )


@dataclass
class Change:
    """A row matching a membership that exists: its terms, end date or contact details differ."""

    row: Row
    membership_id: int
    version_id: int | None  # the open version to close, when the terms change
    new_terms: bool
    new_end: bool
    agreement_id: int | None = None  # the agreement the open version runs under; new terms keep it


@dataclass
class Plan:
    """What applying the rows would do. Only rows without errors are in the lists."""

    new_rows: list[Row] = field(default_factory=list)  # person may exist; the membership is new
    changes: list[Change] = field(default_factory=list)
    contact_updates: dict[str, tuple[str, str | None]] = field(default_factory=dict)  # nik -> phone, village
    contact_before: dict[str, tuple[str, str | None]] = field(default_factory=dict)  # nik -> as registered
    existing_persons: dict[str, int] = field(default_factory=dict)  # nik -> person id
    unchanged: int = 0
    contact_only: int = 0  # rows whose only change is the phone or address
    total: int = 0
    problems: list[Problem] = field(default_factory=list)
    error_lines: set[int] = field(default_factory=set)
    # New rows already handed to a writer (registry.pipeline) and dropped from `new_rows`, so that
    # a 500,000-row file does not hold every row until the end: only their counts stay.
    handed_over: int = 0
    handed_over_new_persons: int = 0

    @property
    def new_persons(self) -> int:
        held = len({row.nik for row in self.new_rows} - self.existing_persons.keys())
        return held + self.handed_over_new_persons

    @property
    def new_memberships(self) -> int:
        return len(self.new_rows) + self.handed_over

    def hand_over(self, start: int) -> list[Row]:
        """The new rows from `start` on, taken out of the plan (counted), for a writer."""
        rows = self.new_rows[start:]
        del self.new_rows[start:]
        self.handed_over += len(rows)
        self.handed_over_new_persons += sum(1 for row in rows if row.nik not in self.existing_persons)
        return rows

    def summary(self) -> dict[str, int]:
        return {
            "rows": self.total,
            "valid": self.total - len(self.error_lines),
            "errors": len(self.error_lines),
            "warnings": sum(1 for problem in self.problems if problem.warning),
            "new_persons": self.new_persons,
            "new_memberships": self.new_memberships,
            "updated": len(self.changes) + self.contact_only,
            "unchanged": self.unchanged,
        }

    def add(self, problem: Problem) -> None:
        self.problems.append(problem)
        if not problem.warning:
            self.error_lines.add(problem.line)


def plan_enrolment(
    rows: Iterable[tuple[int, dict[str, object]]],
    context: Context,
    *,
    progress: Callable[[int], None] | None = None,
    new_rows: Callable[[list[Row], dict[str, int]], None] | None = None,
) -> Plan:
    """Check `rows` (line number, field -> raw value) and plan their write, chunk by chunk.

    `new_rows` receives each chunk's new memberships and the registered persons among them as soon
    as the chunk is checked, so a writer can write them while the next chunk is read; they then
    leave the plan, which keeps their counts (`Plan.hand_over`)."""
    plan = Plan()
    seen: dict[str, int] = {}
    iterator = iter(rows)
    while chunk := list(islice(iterator, CHUNK)):
        parsed = [_parse_counted(plan, line, raw, context) for line, raw in chunk]
        valid = [row for row in parsed if row is not None and not _duplicate(plan, row, seen)]
        already = len(plan.new_rows)
        _match_existing(plan, valid, context)
        if new_rows is not None and len(plan.new_rows) > already:
            fresh = plan.hand_over(already)
            new_rows(
                fresh, {row.nik: plan.existing_persons[row.nik] for row in fresh if row.nik in plan.existing_persons}
            )
        if progress is not None:
            progress(plan.total)
    _check_quota(plan, context)
    return plan


def _parse_counted(plan: Plan, line: int, raw: dict[str, object], context: Context) -> Row | None:
    plan.total += 1
    row, problems = parse_row(line, raw, context)
    for problem in problems:
        plan.add(problem)
    return row


def _duplicate(plan: Plan, row: Row, seen: dict[str, int]) -> bool:
    first = seen.setdefault(row.nik, row.line)
    if first == row.line:
        return False
    plan.add(
        Problem(row.line, "nik", _("The same NIK is already on row %(line)d of this file.") % {"line": first}, row.nik)
    )
    return True


Parser = Callable[[object], Any]


def memoized(parser: Parser) -> Parser:
    """For columns with few distinct values (category, segment, dates of a batch): parse each value once."""
    results: dict[object, tuple[bool, Any]] = {}

    def parse(value: object) -> Any:
        key = value if isinstance(value, (str, int, float, date)) else repr(value)
        if key not in results:
            try:
                results[key] = (True, parser(value))
            except ValueError as error:
                results[key] = (False, str(error))
        ok, result = results[key]
        if not ok:
            raise ValueError(result)
        return result

    return parse


@dataclass(frozen=True)
class FieldSpec:
    name: str
    parse: Parser
    required: bool = False
    default: Any = None


def field_specs(context: Context) -> list[FieldSpec]:
    """How each column of a row is read, given the sponsor and agreement (which supply defaults)."""

    def village(value: object) -> str:
        return _village(value, context)

    return [
        FieldSpec("name", lambda value: _limited(v.text(value), 150), required=True),
        FieldSpec("birth_date", v.parse_date, required=True),
        FieldSpec("sex", memoized(v.parse_sex), required=True),
        FieldSpec("phone", v.parse_phone, default=""),
        FieldSpec("village", memoized(village)),
        FieldSpec(
            "segment",
            memoized(lambda value: v.parse_code(value, SEGMENTS, what=SEGMENT_WORD, labels=Segment.choices)),
            default=_default_segment(context),
        ),
        FieldSpec(
            "category",
            memoized(lambda value: v.parse_code(value, CATEGORIES, what=CATEGORY_WORD, labels=Category.choices)),
            required=True,
        ),
        FieldSpec("wage", memoized(v.parse_rupiah), required=True),
        FieldSpec("occupation", memoized(lambda value: _limited(v.text(value), 100)), default=""),
        FieldSpec("work_village", memoized(village), default=_default_work_village(context)),
        FieldSpec("starts_on", memoized(v.parse_date), required=True),
        FieldSpec("ends_on", memoized(v.parse_date)),
        FieldSpec("effective_from", memoized(v.parse_date)),
        FieldSpec(
            "funding",
            memoized(lambda value: v.parse_code(value, FUNDINGS, what=FUNDING_WORD, labels=Funding.choices)),
            default=_default_funding(context),
        ),
        FieldSpec("risk_class", memoized(lambda value: v.parse_int(value, low=1, high=5))),
    ]


def parse_row(line: int, raw: dict[str, object], context: Context) -> tuple[Row | None, list[Problem]]:
    """Validate one row; the Row is None when any error was found."""
    problems: list[Problem] = []
    clean: dict[str, Any] = {}
    for spec in context.specs:
        value = raw.get(spec.name)
        if value is None or value == "" or (isinstance(value, str) and value.isspace()):
            clean[spec.name] = spec.default
            if spec.required:
                problems.append(Problem(line, spec.name, _("Required."), _nik_text(raw)))
            continue
        try:
            clean[spec.name] = spec.parse(value)
        except ValueError as error:
            problems.append(Problem(line, spec.name, str(error), _nik_text(raw)))
            clean[spec.name] = spec.default
    clean["programs"] = _programs(line, raw, clean["segment"], context, problems)
    nik = check_nik(
        raw.get("nik"), birth_date=clean["birth_date"], sex=clean["sex"], known_districts=context.known_districts
    )
    problems += [Problem(line, "nik", message, nik.nik or _nik_text(raw)) for message in nik.errors]
    problems += [Problem(line, "nik", message, nik.nik, warning=True) for message in nik.warnings]
    problems += _cross_checks(line, clean, context, nik.nik)
    if any(not problem.warning for problem in problems):
        return None, problems
    return _row(line, nik.nik, clean, context), problems


def _programs(
    line: int, raw: dict[str, object], segment: str | None, context: Context, problems: list[Problem]
) -> list[str] | None:
    value = raw.get("programs")
    if v.is_blank(value) or segment is None:
        return None
    try:
        return list(context.program_parser(segment)(value))
    except ValueError as error:
        problems.append(Problem(line, "programs", str(error), _nik_text(raw)))
        return None


def _row(line: int, nik: str, clean: dict[str, Any], context: Context) -> Row:
    segment = clean["segment"]
    programs = clean["programs"] or _default_programs(segment, context)
    return Row(
        line=line,
        nik=nik,
        name=clean["name"],
        birth_date=clean["birth_date"],
        sex=clean["sex"],
        phone=clean["phone"],
        village_id=clean["village"],
        segment=segment,
        category=clean["category"],
        programs=programs,
        wage=clean["wage"],
        risk_class=clean["risk_class"] if segment == Segment.PU else None,
        occupation=clean["occupation"],
        work_village_id=clean["work_village"],
        starts_on=clean["starts_on"],
        ends_on=clean["ends_on"],
        funding=clean["funding"],
        effective_from=clean["effective_from"],
    )


def _cross_checks(line: int, clean: dict[str, Any], context: Context, nik: str) -> list[Problem]:
    """Rules between fields, and against the agreement the rows are enrolled under."""
    problems = []

    def problem(name: str, message: str) -> None:
        problems.append(Problem(line, name, message, nik))

    segment, starts, ends, born = clean["segment"], clean["starts_on"], clean["ends_on"], clean["birth_date"]
    if segment is None:
        problem("segment", _("Required: there is no agreement to take it from."))
    if segment == Segment.PU and clean["risk_class"] is None:
        problem("risk_class", _("Required for wage earners (PU)."))
    if clean["programs"] is not None and not set(MANDATORY_PROGRAMS) <= set(clean["programs"]):
        problem("programs", _("JKK and JKM are always included."))
    if clean["funding"] is None:
        problem("funding", _("Required for a self-paying member."))
    if starts is not None:
        if starts < FIRST_DAY:
            problem("starts_on", _("Lindung's rules start on %(day)s.") % {"day": FIRST_DAY.strftime("%d-%m-%Y")})
        elif starts > context.today + timedelta(days=366):
            problem("starts_on", _("More than a year from today."))
        if ends is not None and ends < starts:
            problem("ends_on", _("Before the start date."))
        if born is not None and born >= starts:
            problem("birth_date", _("Not before the start date."))
    if born is not None and born > context.today:
        problem("birth_date", _("In the future."))
    _above_floor(segment, clean["wage"], starts or context.today, problem)
    agreement = context.agreement
    if agreement is not None:
        _within_agreement(agreement, starts, ends, problem)
        if clean["category"] is not None and agreement.categories and clean["category"] not in agreement.categories:
            problem("category", _("Agreement %(number)s does not cover this category.") % {"number": agreement.number})
        if segment is not None and segment != agreement.segment:
            problem(
                "segment",
                _("Agreement %(number)s covers segment %(segment)s only.")
                % {
                    "number": agreement.number,
                    "segment": agreement.segment.upper(),
                },
            )
    return problems


def _above_floor(segment: str | None, wage: int | None, day: date, problem: Any) -> None:
    """A PU wage or BPU income at least the floor the rules give on the start date."""
    floor = wage_floor(segment or "", day)
    if floor is None or wage is None or wage >= floor.amount:
        return
    words = {"amount": rupiah(floor.amount), "day": day.strftime("%d-%m-%Y"), "basis": floor.legal_basis}
    if segment == Segment.BPU:
        problem("wage", _("Below the lowest income band, %(amount)s on %(day)s (%(basis)s).") % words)
    else:
        problem("wage", _("Below the lowest minimum wage in Indonesia, %(amount)s on %(day)s (%(basis)s).") % words)


def _within_agreement(agreement: Agreement, starts: date | None, ends: date | None, problem: Any) -> None:
    """A membership under an agreement starts and ends within the agreement's period."""
    period = {
        "number": agreement.number,
        "first": agreement.starts_on.strftime("%d-%m-%Y"),
        "last": agreement.ends_on.strftime("%d-%m-%Y"),
    }
    if starts is not None and not agreement.starts_on <= starts <= agreement.ends_on:
        problem("starts_on", _("Outside agreement %(number)s, which runs from %(first)s to %(last)s.") % period)
    if ends is not None and not agreement.starts_on <= ends <= agreement.ends_on:
        problem("ends_on", _("Outside agreement %(number)s, which runs from %(first)s to %(last)s.") % period)


def _match_existing(plan: Plan, rows: list[Row], context: Context) -> None:
    """Find persons and memberships the rows refer to: a few queries for the whole chunk."""
    if not rows:
        return
    persons: dict[str, dict[str, Any]] = {
        person["nik"]: dict(person)
        for person in Person.objects.filter(nik__in_many=[row.nik for row in rows]).values(
            "id", "nik", "name", "birth_date", "sex", "phone", "village_id", "died_on"
        )
    }
    memberships = _memberships_of([person["id"] for person in persons.values()], context.sponsor)
    for row in rows:
        person = persons.get(row.nik)
        if person is None:
            plan.new_rows.append(row)
            continue
        held = memberships.get(person["id"], [])
        sight = _sight(person, held, context)
        if not _same_person(plan, row, person, sight) or _deceased(plan, row, person):
            continue
        plan.existing_persons[row.nik] = person["id"]
        if not sight.sees:
            # All the actor learns of someone registered elsewhere: that she is.
            message = _("This NIK is already registered; the registered identity is kept.")
            plan.add(Problem(row.line, "nik", message, row.nik, warning=True))
        _plan_contact(plan, row, person, sight)
        _classify(plan, row, held, context, contact_changed=row.nik in plan.contact_updates)


def _deceased(plan: Plan, row: Row, person: dict[str, Any]) -> bool:
    """A person recorded as dead (an approved death claim) is never enrolled again."""
    if person["died_on"] is None:
        return False
    message = _("This person is recorded as deceased on %(day)s: no membership can be added.") % {
        "day": person["died_on"].strftime("%d-%m-%Y")
    }
    plan.add(Problem(row.line, "nik", message, row.nik))
    return True


@dataclass(frozen=True)
class Sight:
    """What the actor may know and change of a person already registered (docs/architecture.md).

    `sees`: her address or one of her memberships lies in the actor's regions, so the registry
    already shows her to the actor. `keeps`: she lives there (or has no address and every
    membership is there), so the actor may change her contact data."""

    sees: bool
    keeps: bool


def _sight(person: dict[str, Any], memberships: list[dict[str, Any]], context: Context) -> Sight:
    if context.actor is None:
        return Sight(sees=True, keeps=True)
    lives_here = context.covers(person["village_id"])
    works_here = [context.covers(m["region_id"]) for m in memberships]
    keeps = lives_here or (person["village_id"] is None and all(works_here))
    return Sight(sees=keeps or any(works_here), keeps=keeps)


def _plan_contact(plan: Plan, row: Row, person: dict[str, Any], sight: Sight) -> None:
    """New phone or address for someone the actor keeps; for anyone else, a warning and no change."""
    registered = (person["phone"], person["village_id"])
    contact = (row.phone or person["phone"], row.village_id or person["village_id"])
    if contact == registered:
        return
    if not sight.keeps:
        message = _("Phone and address not changed: this person is registered in another region.")
        plan.add(Problem(row.line, "phone" if row.phone else "village", message, row.nik, warning=True))
        return
    plan.contact_updates[row.nik] = contact
    plan.contact_before[row.nik] = registered


def _same_person(plan: Plan, row: Row, person: dict[str, Any], sight: Sight) -> bool:
    if (person["birth_date"], person["sex"]) != (row.birth_date, row.sex):
        plan.add(
            Problem(
                row.line,
                "nik",
                _("This NIK is registered with another birth date or sex; check the NIK."),
                row.nik,
            )
        )
        return False
    if v.text(person["name"]).upper() != row.name.upper():
        if sight.sees:
            message = _("The registered name is %(name)s; the registered name is kept.") % {"name": person["name"]}
        else:
            message = _("This NIK is registered under another name; the registered name is kept.")
        plan.add(Problem(row.line, "name", message, row.nik, warning=True))
    return True


def _memberships_of(person_ids: list[int], sponsor: Sponsor | None) -> dict[int, list[dict[str, Any]]]:
    """Each person's memberships with their open version, all sponsors (to warn of enrolment elsewhere)."""
    found: dict[int, list[dict[str, Any]]] = {}
    if not person_ids:
        return found
    open_versions = MembershipVersion.objects.filter(
        membership__person_id__in_many=person_ids, effective_to__isnull=True
    ).values("id", "membership_id", "effective_from", "agreement_id", *MembershipVersion.TERMS)
    versions = {version["membership_id"]: version for version in open_versions}
    for membership in Membership.objects.filter(person_id__in_many=person_ids).values(
        "id", "person_id", "sponsor_id", "sponsor__name", "region_id", "starts_on", "ends_on", "status"
    ):
        entry: dict[str, Any] = dict(membership)
        entry["version"] = versions.get(membership["id"])
        entry["own"] = membership["sponsor_id"] == (sponsor.pk if sponsor else None)
        found.setdefault(membership["person_id"], []).append(entry)
    return found


def _classify(
    plan: Plan, row: Row, memberships: list[dict[str, Any]], context: Context, *, contact_changed: bool
) -> None:
    """New membership, a change to the overlapping one, or nothing to do."""
    others = [m for m in memberships if not m["own"] and m["status"] == MembershipStatus.ACTIVE]
    for other in others:
        # Sponsors in other regions are not the actor's to know: they go unnamed and untold.
        if context.covers(other["region_id"]):
            message = _("Also enrolled and active through %(sponsor)s.") % {
                "sponsor": other["sponsor__name"] or _("self-paying")
            }
            plan.add(Problem(row.line, "nik", message, row.nik, warning=True))
    own = [m for m in memberships if m["own"] and _overlaps(m, row)]
    if not own:
        plan.new_rows.append(row)
        return
    current = max(own, key=lambda m: m["starts_on"])
    version = current["version"]
    new_terms = version is not None and _terms_differ(version, row)
    new_end = row.ends_on is not None and row.ends_on != current["ends_on"]
    if current["starts_on"] != row.starts_on:
        message = _("Already enrolled from %(day)s; that start date is kept.") % {
            "day": current["starts_on"].strftime("%d-%m-%Y")
        }
        plan.add(Problem(row.line, "starts_on", message, row.nik, warning=True))
    if new_terms:
        effective = row.effective_from or max(context.today, row.starts_on)
        if effective <= version["effective_from"]:
            message = _("A change applies from %(day)s already; give a later date in berlaku_mulai.") % {
                "day": version["effective_from"].strftime("%d-%m-%Y")
            }
            plan.add(Problem(row.line, "effective_from", message, row.nik))
            return
        row.effective_from = effective
    if new_terms or new_end:
        plan.changes.append(
            Change(
                row,
                current["id"],
                version["id"] if new_terms else None,
                new_terms,
                new_end,
                version["agreement_id"] if version else None,
            )
        )
    elif contact_changed:
        plan.contact_only += 1
    else:
        plan.unchanged += 1


def _overlaps(membership: dict[str, Any], row: Row) -> bool:
    ends = membership["ends_on"]
    return (ends is None or ends >= row.starts_on) and (row.ends_on is None or membership["starts_on"] <= row.ends_on)


def _terms_differ(version: dict[str, Any], row: Row) -> bool:
    return any(version[name] != value for name, value in row.terms().items())


def _check_quota(plan: Plan, context: Context) -> None:
    agreement = context.agreement
    if agreement is None or not plan.new_memberships:
        return
    enrolled = active_members_count(agreement)
    after = enrolled + plan.new_memberships
    if after > agreement.quota:
        message = _(
            "Agreement %(number)s allows %(quota)d workers; %(enrolled)d are enrolled, %(after)d after this."
        ) % {
            "number": agreement.number,
            "quota": agreement.quota,
            "enrolled": enrolled,
            "after": after,
        }
        plan.add(Problem(0, "", message, warning=True))


def active_members_count(agreement: Agreement) -> int:
    """Active memberships of the agreement's sponsor in the categories it covers: what the quota counts."""
    members = MembershipVersion.objects.filter(
        effective_to__isnull=True,
        membership__sponsor_id=agreement.sponsor_id,
        membership__status=MembershipStatus.ACTIVE,
    )
    if agreement.categories:
        members = members.filter(category__in=agreement.categories)
    return members.count()


def _default_segment(context: Context) -> str | None:
    return context.agreement.segment if context.agreement else None


def _default_programs(segment: str, context: Context) -> list[str]:
    if context.agreement is not None and context.agreement.programs:
        return [code for code in context.agreement.programs if code in SEGMENT_PROGRAMS[segment]]
    return list(DEFAULT_PROGRAMS[segment])


def _default_funding(context: Context) -> str | None:
    return DEFAULT_FUNDING[SponsorKind(context.sponsor.kind)] if context.sponsor is not None else None


def _default_work_village(context: Context) -> str | None:
    # A village government's officials work in its village.
    sponsor = context.sponsor
    return sponsor.region_id if sponsor is not None and sponsor.kind == "pemdes" else None


def _village(value: object, context: Context) -> str:
    code = v.text(value)
    if code not in context.known_villages:
        raise ValueError(_("Unknown village code %(code)s (example: 14.08.06.2001).") % {"code": code})
    return code


def _limited(value: str, length: int) -> str:
    if len(value) > length:
        raise ValueError(_("At most %(count)d characters.") % {"count": length})
    return value


def _nik_text(raw: dict[str, object]) -> str:
    return v.text(raw.get("nik"))[:20]


def problems_by_field(problems: Iterable[Problem]) -> Iterator[tuple[str, list[str]]]:
    """Errors grouped by field, for a form or a ValidationError."""
    grouped: dict[str, list[str]] = {}
    for problem in problems:
        if not problem.warning:
            grouped.setdefault(problem.field or "__all__", []).append(problem.message)
    yield from grouped.items()

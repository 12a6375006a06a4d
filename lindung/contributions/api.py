"""Contributions endpoints at /api/v1: the selectors, ledger and services of the pages, scoped to the token's user."""

from datetime import date
from typing import Annotated

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router, Schema
from ninja.files import UploadedFile

from lindung.accounts.http import AuthedRequest
from lindung.accounts.permissions import require
from lindung.accounts.roles import Capability
from lindung.contributions import coverage, payments, planner, prior, selectors, services
from lindung.contributions.models import BankStatement, Payment
from lindung.core.inputs import InputSchema
from lindung.registry import selectors as registry_selectors
from lindung.rules.periods import Period

router = Router()


class InvoiceRowOut(Schema):
    id: int
    number: str
    period: str
    due_date: date
    amount: int
    penalties: int
    paid: int
    outstanding: int


class PaymentOut(Schema):
    id: int
    sponsor_id: int | None
    person_id: int | None
    paid_on: date
    amount: int
    reference: str
    payer_account: str
    source: str
    reverses_id: int | None
    note: str


class StatementOut(Schema):
    sponsor_id: int
    invoiced: int
    paid: int
    outstanding: int
    overdue: int
    penalties: int
    credit: int
    invoices: list[InvoiceRowOut]
    payments: list[PaymentOut]


class LineOut(Schema):
    id: int
    membership_id: int | None
    penalty_for_id: int | None
    period: str
    kind: str
    program: str
    segment: str
    basis: int
    rate: str | None
    amount: int
    employer_share: int
    worker_share: int
    rules_version: str
    legal_basis: str


class InvoiceOut(Schema):
    id: int
    number: str
    sponsor_id: int | None
    person_id: int | None
    region: str
    period: str
    due_date: date
    amount: int
    paid: int
    outstanding: int
    lines: list[LineOut]


class BillIn(InputSchema):
    period: str


class BillOut(Schema):
    period: str
    invoices_created: int
    lines: int
    corrections: int
    penalties: int
    amount: int


class PaymentIn(InputSchema):
    paid_on: date
    amount: int
    reference: str = ""
    payer_account: str = ""
    note: str = ""
    # The same payer, day, amount and reference as a recorded payment is refused unless this is true.
    second_transfer: bool = False


class ReverseIn(InputSchema):
    reason: str


class MatchIn(InputSchema):
    sponsor_id: int
    remember_account: bool = True


class BankStatementOut(Schema):
    id: int
    file_name: str
    region_id: str
    summary: dict[str, object]


class CoverageMonthOut(Schema):
    period: str
    segment: str
    covered: bool
    status: str
    reason: str
    invoice: str
    due_date: date | None
    paid_on: date | None


class PersonCoverageOut(Schema):
    person_id: int
    date: date
    covered: bool
    status: str
    reason: str
    claim_held: bool
    membership_id: int | None


class TimelineOut(Schema):
    membership_id: int
    months: list[CoverageMonthOut]


class PlanIn(InputSchema):
    segment: str
    programs: list[str]
    wage: int
    risk_class: int | None = None
    funding: str = "apbd"
    start: str
    months: int = 12
    phases: str
    agreement_id: int | None = None


class PlanRowOut(Schema):
    period: str
    members: int
    per_member: int
    total: int
    cumulative: int
    relief: str


class PlanOut(Schema):
    total: int
    ceiling: int | None
    over_ceiling: int
    first_month_over: str | None
    rows: list[PlanRowOut]


def _payment_out(payment: Payment) -> PaymentOut:
    return PaymentOut.model_validate(payment, from_attributes=True)


@router.get("/sponsors/{sponsor_id}/statement", response=StatementOut)
def sponsor_statement(request: AuthedRequest, sponsor_id: int) -> StatementOut:
    sponsor = registry_selectors.sponsor_get(actor=request.user, sponsor_id=sponsor_id)
    statement = selectors.sponsor_statement(actor=request.user, sponsor=sponsor, today=timezone.localdate())
    return StatementOut(
        sponsor_id=sponsor.pk,
        invoiced=statement.invoiced,
        paid=statement.paid,
        outstanding=statement.ledger.outstanding,
        overdue=statement.overdue,
        penalties=statement.penalties,
        credit=statement.ledger.credit,
        invoices=[
            InvoiceRowOut(
                id=row.invoice.pk,
                number=row.invoice.number,
                period=row.invoice.period,
                due_date=row.invoice.due_date,
                amount=row.balance.total,
                penalties=row.penalties,
                paid=row.balance.allocated,
                outstanding=row.balance.outstanding,
            )
            for row in statement.invoices
        ],
        payments=[_payment_out(payment) for payment in statement.payments],
    )


@router.post("/sponsors/{sponsor_id}/bill", response=BillOut)
def sponsor_bill(request: AuthedRequest, sponsor_id: int, body: BillIn) -> BillOut:
    sponsor = registry_selectors.sponsor_get(actor=request.user, sponsor_id=sponsor_id)
    _run, outcome = services.billing_run(actor=request.user, period=body.period, sponsor=sponsor)
    return BillOut(**{key: value for key, value in outcome.as_dict().items() if key in BillOut.model_fields})


@router.post("/sponsors/{sponsor_id}/payments", response={201: PaymentOut})
def sponsor_pay(request: AuthedRequest, sponsor_id: int, body: PaymentIn) -> tuple[int, PaymentOut]:
    sponsor = registry_selectors.sponsor_get(actor=request.user, sponsor_id=sponsor_id)
    payment = payments.payment_record(actor=request.user, payer=payments.Payer(sponsor=sponsor), **body.dict())
    return 201, _payment_out(payment)


@router.get("/invoices/{invoice_id}", response=InvoiceOut)
def invoice_detail(request: AuthedRequest, invoice_id: int) -> InvoiceOut:
    invoice = selectors.invoice_get(actor=request.user, invoice_id=invoice_id)
    balance = selectors.invoice_balance(invoice)
    lines = [
        LineOut(
            **{field: getattr(line, field) for field in LineOut.model_fields if field != "rate"},
            rate=format(line.rate.normalize(), "f") if line.rate is not None else None,
        )
        for line in selectors.invoice_lines(invoice)
    ]
    return InvoiceOut(
        id=invoice.pk,
        number=invoice.number,
        sponsor_id=invoice.sponsor_id,
        person_id=invoice.person_id,
        region=invoice.region_id,
        period=invoice.period,
        due_date=invoice.due_date,
        amount=balance.total,
        paid=balance.allocated,
        outstanding=balance.outstanding,
        lines=lines,
    )


@router.post("/payments/{payment_id}/reverse", response={201: PaymentOut})
def payment_reverse(request: AuthedRequest, payment_id: int, body: ReverseIn) -> tuple[int, PaymentOut]:
    payment = selectors.payment_get(actor=request.user, payment_id=payment_id)
    return 201, _payment_out(payments.payment_reverse(actor=request.user, payment=payment, reason=body.reason))


@router.get("/payments/unmatched", response=list[PaymentOut])
def unmatched(request: AuthedRequest) -> list[PaymentOut]:
    return [_payment_out(payment) for payment in selectors.unmatched_payments(actor=request.user)]


@router.post("/payments/{payment_id}/match", response=PaymentOut)
def payment_match(request: AuthedRequest, payment_id: int, body: MatchIn) -> PaymentOut:
    payment = selectors.payment_get(actor=request.user, payment_id=payment_id)
    sponsor = selectors.payable_sponsors(actor=request.user).filter(pk=body.sponsor_id).first()
    if sponsor is None:
        raise ValidationError({"sponsor_id": _("No such sponsor in your regions.")})
    matched = payments.payment_match(
        actor=request.user, payment=payment, sponsor=sponsor, remember_account=body.remember_account
    )
    return _payment_out(matched)


@router.post("/bank-statements", response={201: BankStatementOut})
def bank_statement(
    request: AuthedRequest, file: Annotated[UploadedFile, File()], region: Annotated[str, Form()]
) -> tuple[int, BankStatement]:
    # Read at most one byte past the limit: the service refuses a longer file without holding it all.
    content = file.read(settings.STATEMENT_MAX_BYTES + 1)
    statement = payments.statement_import(
        actor=request.user, content=content, file_name=file.name or "mutasi.csv", region_code=region
    )
    return 201, statement


@router.get("/persons/{person_id}/coverage", response=PersonCoverageOut)
def person_coverage(
    request: AuthedRequest, person_id: int, day: Annotated[date, Query(alias="date")]
) -> PersonCoverageOut:
    require(request.user, Capability.VIEW_CONTRIBUTIONS)
    person = registry_selectors.person_get(actor=request.user, person_id=person_id)
    visible = registry_selectors.person_memberships(actor=request.user, person=person)
    answer = coverage.covered_on(visible, day, today=timezone.localdate())
    return PersonCoverageOut(
        person_id=person.pk,
        date=day,
        covered=answer.covered,
        status=answer.status,
        reason=answer.reason,
        claim_held=answer.claim_held,
        membership_id=answer.membership.pk if answer.membership else None,
    )


@router.get("/persons/{person_id}/coverage/timeline", response=list[TimelineOut])
def person_timeline(request: AuthedRequest, person_id: int) -> list[TimelineOut]:
    require(request.user, Capability.VIEW_CONTRIBUTIONS)
    person = registry_selectors.person_get(actor=request.user, person_id=person_id)
    today = timezone.localdate()
    return [
        TimelineOut(
            membership_id=membership.pk,
            months=[
                CoverageMonthOut(**{**month.__dict__, "period": str(month.period)})
                for month in coverage.membership_months(membership, today=today)
            ],
        )
        for membership in registry_selectors.person_memberships(actor=request.user, person=person).order_by("starts_on")
    ]


@router.post("/budget-plan", response=PlanOut)
def budget_plan(request: AuthedRequest, body: PlanIn) -> PlanOut:
    require(request.user, Capability.VIEW_CONTRIBUTIONS)
    ceiling = None
    if body.agreement_id is not None:
        agreement = registry_selectors.agreement_list(actor=request.user).filter(pk=body.agreement_id).first()
        if agreement is None:
            raise ValidationError({"agreement_id": _("No such agreement in your regions.")})
        ceiling = agreement.budget_ceiling
    query = planner.plan_query(
        start=body.start,
        segment=body.segment,
        programs=body.programs,
        amount=body.wage,
        risk_class=body.risk_class,
        funding=body.funding,
    )
    plan = planner.budget_plan(query, planner.parse_phases(body.phases), months=body.months, ceiling=ceiling)
    return PlanOut(
        total=plan.total,
        ceiling=plan.ceiling,
        over_ceiling=plan.over_ceiling,
        first_month_over=str(plan.first_month_over) if plan.first_month_over else None,
        rows=[
            PlanRowOut(
                period=str(row.period),
                members=row.members,
                per_member=row.per_member,
                total=row.total,
                cumulative=row.cumulative,
                relief=row.relief,
            )
            for row in plan.rows
        ],
    )


# Payment history before Lindung ---------------------------------------------------------------


class BillingStartIn(InputSchema):
    bills_from: str  # YYYY-MM
    note: str = ""


class PriorMonthOut(Schema):
    period: str
    paid_on: date | None
    members: int | None
    amount: int | None
    source: str


class PriorHistoryOut(Schema):
    sponsor_id: int
    bills_from: str | None
    months_paid: list[PriorMonthOut]
    months_without_record: list[str]


class RowProblemOut(Schema):
    row: int
    column: str
    message: str


class PriorImportOut(Schema):
    import_id: int | None
    months: int
    replaced: int
    problems: list[RowProblemOut]


@router.get("/sponsors/{sponsor_id}/history", response=PriorHistoryOut)
def sponsor_history(request: AuthedRequest, sponsor_id: int) -> PriorHistoryOut:
    """The month Lindung bills the sponsor from and the months paid to the agency before it."""
    require(request.user, Capability.VIEW_CONTRIBUTIONS)
    sponsor = registry_selectors.sponsor_get(actor=request.user, sponsor_id=sponsor_id)
    start = prior.billing_start_of(sponsor)
    months = selectors.prior_months(sponsor)
    return PriorHistoryOut(
        sponsor_id=sponsor.pk,
        bills_from=start.bills_from if start else None,
        months_paid=[
            PriorMonthOut(
                period=row.period,
                paid_on=row.paid_on,
                members=row.members,
                amount=row.amount,
                source=row.imported.source,
            )
            for row in months.paid
        ],
        months_without_record=months.missing,
    )


@router.put("/sponsors/{sponsor_id}/billing-start", response=PriorHistoryOut)
def sponsor_billing_start(request: AuthedRequest, sponsor_id: int, body: BillingStartIn) -> PriorHistoryOut:
    sponsor = registry_selectors.sponsor_get(actor=request.user, sponsor_id=sponsor_id)
    try:
        month = Period.parse(body.bills_from)
    except ValueError:
        raise ValidationError({"bills_from": _("Write the month as YYYY-MM, for example 2026-06.")}) from None
    prior.billing_start_set(actor=request.user, sponsor=sponsor, bills_from=month, note=body.note)
    return sponsor_history(request, sponsor_id)


@router.post("/sponsors/{sponsor_id}/history", response=PriorImportOut)
def sponsor_history_import(
    request: AuthedRequest, sponsor_id: int, source: Form[str], file: File[UploadedFile]
) -> PriorImportOut:
    """The agency's payment history (CSV/XLSX: bulan, tanggal_bayar, peserta, jumlah_dibayar); a
    month loaded again replaces the earlier record. Bad rows come back by row and column."""
    sponsor = registry_selectors.sponsor_get(actor=request.user, sponsor_id=sponsor_id)
    result = prior.prior_file_import(actor=request.user, sponsor=sponsor, file=file, source=source)
    return PriorImportOut(
        import_id=result.imported.pk if result.imported else None,
        months=result.months,
        replaced=result.replaced,
        problems=[RowProblemOut(row=p.row, column=p.column, message=p.message) for p in result.problems],
    )

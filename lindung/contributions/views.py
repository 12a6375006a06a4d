"""Contributions pages: thin doors over the selectors, ledger and services."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from lindung.accounts.http import AuthedRequest
from lindung.accounts.permissions import require
from lindung.accounts.roles import Capability
from lindung.contributions import coverage, exports, payments, planner, prior, selectors, services
from lindung.contributions.forms import (
    BillForm,
    BillingStartForm,
    CoverageForm,
    MatchForm,
    PaymentForm,
    PlannerForm,
    ReverseForm,
    StatementForm,
)
from lindung.core import lists
from lindung.core.forms_util import add_service_errors, error_text
from lindung.core.numbers import grouped_all
from lindung.core.paging import BoundedPaginator
from lindung.regions.models import Region, RegionLevel
from lindung.registry import selectors as registry_selectors
from lindung.registry.models import Sponsor
from lindung.rules.periods import Period, previous_month

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
RECENT_MONTHS = 24  # a person's coverage page shows the last two years unless asked for all


def _download(content: bytes, content_type: str, file_name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{file_name}"'
    return response


# Sponsor statement ----------------------------------------------------------------------------


@login_required
def sponsor_statement(request: AuthedRequest, sponsor_id: int) -> HttpResponse:
    actor = request.user
    sponsor = registry_selectors.sponsor_get(actor=actor, sponsor_id=sponsor_id)
    statement = selectors.sponsor_statement(actor=actor, sponsor=sponsor, today=timezone.localdate())
    can_pay = payments.may_record(actor, payments.Payer(sponsor=sponsor))
    context = {
        "sponsor": sponsor,
        "statement": statement,
        "bill_form": BillForm(initial={"period": _next_unbilled(statement)})
        if actor.can(Capability.BILL_CONTRIBUTIONS)
        else None,
        "payment_form": PaymentForm(initial={"paid_on": timezone.localdate()}) if can_pay else None,
        "reverse_form": ReverseForm() if can_pay else None,
        "billing_start": prior.billing_start_of(sponsor),
    }
    return render(request, "contributions/statement.html", context)


def _previous_month() -> str:
    return str(previous_month(timezone.localdate()))


def _next_unbilled(statement: selectors.SponsorStatement) -> str:
    """The month after the last one billed, or last month for a sponsor never billed: the form
    never proposes a period that is already billed."""
    billed = [row.invoice.period for row in statement.invoices]
    if not billed:
        return _previous_month()
    year, month = (int(part) for part in max(billed).split("-"))
    return str(Period(year, month).shifted(1))


@login_required
@require_POST
def sponsor_bill(request: AuthedRequest, sponsor_id: int) -> HttpResponse:
    sponsor = registry_selectors.sponsor_get(actor=request.user, sponsor_id=sponsor_id)
    form = BillForm(request.POST)
    if form.is_valid():
        try:
            _run, outcome = services.billing_run(
                actor=request.user, period=form.cleaned_data["period"], sponsor=sponsor
            )
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, error_text(error))
        else:
            messages.success(
                request,
                _("Period %(period)s billed: %(lines)s new lines, %(penalties)s penalties.")
                % grouped_all({"period": outcome.period, "lines": outcome.lines, "penalties": outcome.penalties}),
            )
    else:
        messages.error(request, _("Write the period as YYYY-MM, for example 2026-06."))
    return redirect("contributions:statement", sponsor_id=sponsor.pk)


@login_required
@require_POST
def sponsor_pay(request: AuthedRequest, sponsor_id: int) -> HttpResponse:
    actor = request.user
    sponsor = registry_selectors.sponsor_get(actor=actor, sponsor_id=sponsor_id)
    form = PaymentForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            payments.payment_record(actor=actor, payer=payments.Payer(sponsor=sponsor), **data)
        except (ValidationError, PermissionDenied) as error:
            add_service_errors(form, error)
            form.ask_second_transfer()
        else:
            messages.success(request, _("Payment recorded."))
            return redirect("contributions:statement", sponsor_id=sponsor.pk)
    statement = selectors.sponsor_statement(actor=actor, sponsor=sponsor, today=timezone.localdate())
    context = {"sponsor": sponsor, "statement": statement, "payment_form": form, "reverse_form": ReverseForm()}
    return render(request, "contributions/statement.html", context, status=400)


@login_required
@require_POST
def payment_reverse(request: AuthedRequest, payment_id: int) -> HttpResponse:
    payment = selectors.payment_get(actor=request.user, payment_id=payment_id)
    form = ReverseForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why the payment is reversed."))
    else:
        try:
            payments.payment_reverse(actor=request.user, payment=payment, reason=form.cleaned_data["reason"])
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, error_text(error))
        else:
            messages.success(request, _("Payment reversed by a new entry."))
    if payment.sponsor_id:
        return redirect("contributions:statement", sponsor_id=payment.sponsor_id)
    return redirect("contributions:unmatched")


# Invoices -------------------------------------------------------------------------------------


@login_required
def overdue(request: AuthedRequest) -> HttpResponse:
    """Invoices past their due date and not fully paid; `?mandiri=1` keeps the self-payers'."""
    self_payers = request.GET.get("mandiri") == "1"
    invoices = selectors.overdue_invoices(actor=request.user, today=timezone.localdate(), self_payers_only=self_payers)
    invoices, sorting = lists.sort(request, invoices, OVERDUE_COLUMNS, "due")
    if lists.wants_xlsx(request):
        return lists.xlsx_response(_("Overdue invoices"), OVERDUE_COLUMNS, invoices)
    page = BoundedPaginator(invoices, 50).get_page(request.GET.get("page"))
    context = {"page": page, "self_payers": self_payers, "columns": OVERDUE_COLUMNS, "sorting": sorting}
    return render(request, "contributions/overdue.html", context)


OVERDUE_COLUMNS = (
    lists.Column("number", gettext_lazy("Invoice"), lambda i: i.number, ("number",)),
    lists.Column("payer", gettext_lazy("Payer"), exports.payer_name, ("sponsor__name", "person__search_name")),
    lists.Column("period", gettext_lazy("Period"), lambda i: i.period, ("period",)),
    lists.Column("due", gettext_lazy("Due date"), lambda i: i.due_date, ("due_date",)),
    lists.Column("total", gettext_lazy("Total"), lambda i: i.total, ("total",)),
    lists.Column("paid", gettext_lazy("Paid"), lambda i: i.allocated, ("allocated",)),
    lists.Column("outstanding", gettext_lazy("Outstanding"), lambda i: i.total - i.allocated),
)


@login_required
def invoice_detail(request: AuthedRequest, invoice_id: int) -> HttpResponse:
    invoice = selectors.invoice_get(actor=request.user, invoice_id=invoice_id)
    lines = BoundedPaginator(selectors.invoice_lines(invoice), 100).get_page(request.GET.get("page"))
    context = {
        "invoice": invoice,
        "balance": selectors.invoice_balance(invoice),
        "lines": lines,
        "page": lines,
        "programs": selectors.invoice_program_totals(invoice),
        "allocations": invoice.allocations.select_related("payment").order_by("paid_on", "id"),
    }
    return render(request, "contributions/invoice_detail.html", context)


@login_required
def invoice_xlsx(request: AuthedRequest, invoice_id: int) -> HttpResponse:
    invoice = selectors.invoice_get(actor=request.user, invoice_id=invoice_id)
    content = exports.invoice_workbook(invoice, selectors.invoice_balance(invoice), selectors.invoice_lines(invoice))
    return _download(content, XLSX, f"{invoice.number.replace('/', '-')}.xlsx")


@login_required
def invoice_pdf(request: AuthedRequest, invoice_id: int) -> HttpResponse:
    invoice = selectors.invoice_get(actor=request.user, invoice_id=invoice_id)
    content = exports.invoice_pdf(invoice, selectors.invoice_balance(invoice), selectors.invoice_lines(invoice))
    return _download(content, "application/pdf", f"{invoice.number.replace('/', '-')}.pdf")


# Bank statements and the unmatched queue ------------------------------------------------------


def _office_regions(request: AuthedRequest) -> list[tuple[str, str]]:
    actor = request.user
    # Statements arrive at a branch or a Pemda: an admin picks among provinces and kabupaten/kota.
    regions = (
        Region.objects.filter(level__lte=RegionLevel.REGENCY)
        if actor.sees_all_regions
        else Region.objects.filter(code__in=actor.region_codes)
    )
    return [(region.code, f"{region.name} ({region.code})") for region in regions.order_by("code")]


UNMATCHED_COLUMNS = (
    lists.Column("date", gettext_lazy("Date"), lambda p: p.paid_on, ("paid_on",)),
    lists.Column("amount", gettext_lazy("Amount"), lambda p: p.amount, ("amount",)),
    lists.Column("reference", gettext_lazy("Reference"), lambda p: p.reference),
    lists.Column("account", gettext_lazy("Payer account"), lambda p: p.payer_account),
    lists.Column("statement", gettext_lazy("Bank statement"), lambda p: p.statement.file_name if p.statement else ""),
)


@login_required
def unmatched(request: AuthedRequest) -> HttpResponse:
    actor = request.user
    queue, sorting = lists.sort(request, selectors.unmatched_payments(actor=actor), UNMATCHED_COLUMNS, "date")
    if lists.wants_xlsx(request):
        return lists.xlsx_response(_("Payments waiting for a sponsor"), UNMATCHED_COLUMNS, queue)
    sponsors = [(s.pk, s.name) for s in selectors.payable_sponsors(actor=actor)[:1000]]
    form = StatementForm(regions=_office_regions(request))
    if request.method == "POST":
        form = StatementForm(request.POST, request.FILES, regions=_office_regions(request))
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                statement = payments.statement_import(
                    actor=actor,
                    content=upload.read(settings.STATEMENT_MAX_BYTES + 1),
                    file_name=upload.name,
                    region_code=form.cleaned_data["region"],
                )
            except (ValidationError, PermissionDenied) as error:
                add_service_errors(form, error)
            else:
                summary = statement.summary
                messages.success(
                    request,
                    _(
                        "%(payments)s payments read: %(matched)s matched, %(unmatched)s waiting, "
                        "%(duplicates)s already imported, %(errors)s rows with errors."
                    )
                    % grouped_all({**summary, "errors": len(summary["errors"])}),
                )
                return redirect("contributions:unmatched")
    page = BoundedPaginator(queue, 50).get_page(request.GET.get("page"))
    context = {
        "queue": page,
        "page": page,
        "columns": UNMATCHED_COLUMNS,
        "sorting": sorting,
        "form": form,
        "match_form": MatchForm(sponsors=sponsors),
        "statements": selectors.statements(actor=actor)[:10],
    }
    return render(request, "contributions/unmatched.html", context)


@login_required
@require_POST
def payment_match(request: AuthedRequest, payment_id: int) -> HttpResponse:
    actor = request.user
    payment = selectors.payment_get(actor=actor, payment_id=payment_id)
    sponsors = selectors.payable_sponsors(actor=actor)
    form = MatchForm(request.POST, sponsors=[(s.pk, s.name) for s in sponsors[:1000]])
    sponsor = sponsors.filter(pk=request.POST.get("sponsor") or 0).first()
    if form.is_valid() and sponsor is not None:
        try:
            payments.payment_match(
                actor=actor, payment=payment, sponsor=sponsor, remember_account=form.cleaned_data["remember_account"]
            )
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, error_text(error))
        else:
            messages.success(request, _("Payment matched to %(name)s.") % {"name": sponsor.name})
    else:
        messages.error(request, _("Choose the sponsor who paid."))
    return redirect("contributions:unmatched")


# Budget planner --------------------------------------------------------------------------------


@login_required
def budget_planner(request: AuthedRequest) -> HttpResponse:
    actor = request.user
    require(actor, Capability.VIEW_CONTRIBUTIONS)
    agreements = {a.pk: a for a in registry_selectors.agreement_list(actor=actor)[:500]}
    choices = [(pk, f"{a.number} · {a.sponsor.name}") for pk, a in agreements.items()]
    form = PlannerForm(request.GET or None, agreements=choices, initial={"start": _previous_month()})
    plan = None
    if request.GET and form.is_valid():
        data = form.cleaned_data
        agreement = agreements.get(int(data["agreement"])) if data["agreement"] else None
        try:
            plan = planner.budget_plan(
                planner.plan_query(
                    start=data["start"],
                    segment=data["segment"],
                    programs=data["programs"],
                    amount=data["wage"],
                    risk_class=data["risk_class"],
                    funding=data["funding"],
                ),
                planner.parse_phases(data["phases"]),
                months=data["months"],
                ceiling=agreement.budget_ceiling if agreement else None,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if request.GET.get("format") == "xlsx":
                title = f"Rencana anggaran iuran {data['start']}" + (f" - {agreement.number}" if agreement else "")
                return _download(planner.plan_workbook(plan, title=title), XLSX, "rencana-anggaran.xlsx")
    return render(request, "contributions/planner.html", {"form": form, "plan": plan})


# A person's coverage -------------------------------------------------------------------------


@login_required
def person_coverage(request: AuthedRequest, person_id: int) -> HttpResponse:
    """The coverage timeline of each membership and the answer to 'covered on day D?'."""
    actor = request.user
    require(actor, Capability.VIEW_CONTRIBUTIONS)
    person = registry_selectors.person_get(actor=actor, person_id=person_id)
    today = timezone.localdate()
    form = CoverageForm(request.GET or None, initial={"day": today})
    visible = registry_selectors.person_memberships(actor=actor, person=person)
    answer = coverage.covered_on(visible, form.cleaned_data["day"], today=today) if form.is_valid() else None
    memberships = list(visible)
    show_all = request.GET.get("semua") == "1"
    timelines = []
    for membership in memberships:
        months = list(reversed(coverage.membership_months(membership, today=today)))
        timelines.append((membership, months if show_all else months[:RECENT_MONTHS], len(months)))
    context = {"person": person, "form": form, "answer": answer, "timelines": timelines, "show_all": show_all}
    template = "contributions/person_coverage.html"
    return render(request, f"{template}#coverage" if getattr(request, "htmx", False) else template, context)


# Payment history before Lindung -------------------------------------------------------------


@login_required
def sponsor_history(request: AuthedRequest, sponsor_id: int) -> HttpResponse:
    """The month Lindung bills the sponsor from, and the months it paid the agency before that."""
    actor = request.user
    require(actor, Capability.VIEW_CONTRIBUTIONS)
    sponsor = registry_selectors.sponsor_get(actor=actor, sponsor_id=sponsor_id)
    if request.method == "POST":
        _history_post(request, sponsor)
        return redirect("contributions:history", sponsor_id=sponsor.pk)
    start = prior.billing_start_of(sponsor)
    context = {
        "sponsor": sponsor,
        "start": start,
        "months": selectors.prior_months(sponsor),
        "imports": prior.imports_of(sponsor),
        "can_record": prior.may_record(actor, sponsor),
        "start_form": BillingStartForm(initial={"bills_from": start.bills_from if start else _previous_month()}),
    }
    return render(request, "contributions/history.html", context)


def _history_post(request: AuthedRequest, sponsor: Sponsor) -> None:
    try:
        file = request.FILES.get("berkas")
        if file is not None:
            source = request.POST.get("sumber", "")
            result = prior.prior_file_import(actor=request.user, sponsor=sponsor, file=file, source=source)
            messages.success(request, result.message())
            for problem in result.problems[:20]:
                messages.warning(request, _("Row %(row)s, %(column)s: %(message)s") % problem.__dict__)
            return
        form = BillingStartForm(request.POST)
        if not form.is_valid():
            messages.error(request, error_text(ValidationError(form.errors)))
            return
        prior.billing_start_set(actor=request.user, sponsor=sponsor, **form.cleaned_data)
        messages.success(
            request, _("Lindung bills this sponsor from %(month)s.") % {"month": form.cleaned_data["bills_from"]}
        )
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, error_text(error))


@login_required
def history_template(request: AuthedRequest) -> HttpResponse:
    return _download(prior.template_csv().encode(), "text/csv; charset=utf-8", "templat-riwayat-iuran.csv")

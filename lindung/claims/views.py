"""Claims pages: the queue, intake, a claim's detail with its workflow, documents and payouts."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from lindung.accounts.http import AuthedRequest
from lindung.accounts.models import User
from lindung.accounts.permissions import require
from lindung.accounts.roles import Capability
from lindung.claims import documents, exports, history, payouts, selectors, services
from lindung.claims.forms import (
    SCHOOL_LEVELS,
    BatchReissueForm,
    DocumentForm,
    HeirForm,
    HistoryFileForm,
    IntakeForm,
    PaidOutsideForm,
    PayForm,
    PayoutAccountForm,
    ReasonForm,
    ReissueForm,
    ReturnFileForm,
    WaiverForm,
)
from lindung.claims.models import Claim, ClaimStatus, ClaimType, Payout, PayoutBatch, ShareSource
from lindung.core import lists
from lindung.core.audit import audit_personal_data_viewed
from lindung.core.forms_util import add_service_errors, error_text, set_choices
from lindung.core.inputs import year_or_none
from lindung.core.numbers import grouped, grouped_all
from lindung.core.paging import BoundedPaginator
from lindung.core.scoping import scoped
from lindung.core.tables import saved_upload
from lindung.core.templatetags.lindung import rupiah
from lindung.offices.models import Office, OfficeKind
from lindung.offices.selectors import offices_overseen
from lindung.regions.models import Region
from lindung.registry.models import Membership
from lindung.registry.nik import clean_nik

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


CLAIM_COLUMNS = (
    lists.Column("filed", gettext_lazy("Number"), lambda c: c.number, ("created_at",)),
    lists.Column("type", gettext_lazy("Type"), lambda c: str(c.get_claim_type_display()), ("claim_type",)),
    lists.Column("member", gettext_lazy("Member"), lambda c: c.person.name, ("person__search_name",)),
    lists.Column("nik", "NIK", lambda c: c.person.masked_nik),
    lists.Column("event", gettext_lazy("Event date"), lambda c: c.event_date, ("event_date",)),
    lists.Column("status", gettext_lazy("Status"), lambda c: str(c.get_status_display()), ("status",)),
    lists.Column("days", gettext_lazy("Days open"), lambda c: selectors.days_open(c, timezone.localdate())),
    lists.Column("total", gettext_lazy("Total"), lambda c: c.total),
)


@login_required
def queue(request: AuthedRequest) -> HttpResponse:
    actor = request.user
    status = request.GET.get("status", "")
    claim_type = request.GET.get("type", "")
    # Open claims by default; once the filter form is sent, the box says.
    open_only = request.GET.get("terbuka") == "1" if "saring" in request.GET else not status
    # A queue per branch: who oversees several (a Kanwil, an administrator) picks one, or all.
    branches = _branches(actor)
    office = next((o for o in branches if o.code == request.GET.get("kantor")), None)
    claims = selectors.claim_queue(
        actor=actor,
        status=status if status in ClaimStatus.values else "",
        claim_type=claim_type if claim_type in ClaimType.values else "",
        open_only=open_only,
        office=office,
    )
    claims, sorting = lists.sort(request, claims, CLAIM_COLUMNS, "filed")
    if lists.wants_xlsx(request):
        return lists.xlsx_response(_("Claims"), CLAIM_COLUMNS, claims)
    # Steps prefetched: days_open of a closed claim reads its last step.
    page = BoundedPaginator(claims.prefetch_related("steps"), 50).get_page(request.GET.get("page"))
    today = timezone.localdate()
    context = {
        "page": page,
        "rows": [(claim, selectors.days_open(claim, today)) for claim in page],
        "status": status,
        "claim_type": claim_type,
        "open_only": open_only,
        "statuses": ClaimStatus.choices,
        "types": ClaimType.choices,
        "can_submit": actor.can(Capability.SUBMIT_CLAIMS),
        "can_decide": actor.can(Capability.DECIDE_CLAIMS),
        "branches": branches if len(branches) > 1 else [],
        "office": office,
        "columns": CLAIM_COLUMNS,
        "sorting": sorting,
    }
    return render(request, "claims/queue.html", context)


@login_required
def intake(request: AuthedRequest) -> HttpResponse:
    actor = request.user
    require(actor, Capability.SUBMIT_CLAIMS)
    form = IntakeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        membership = selectors.member_by_nik(actor=actor, nik=clean_nik(data.pop("nik")), on=data["event_date"])
        if membership is None:
            form.add_error("nik", _("No member with this NIK in your regions."))
        else:
            details = {key: value for key, value in data.items() if value not in (None, "", False)}
            if details.pop("work_accident", False):
                details["jkk_kind"] = "death"  # the scholarship follows a death from a work accident
            if data["claim_type"] == ClaimType.SCHOLARSHIP:
                details["children"] = _children_claimed(request, membership)
            try:
                claim = services.claim_submit(actor=actor, membership=membership, **details)
            except (ValidationError, PermissionDenied) as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Claim %(number)s submitted.") % {"number": claim.number})
                return redirect("claims:detail", claim_id=claim.pk)
    return render(request, "claims/intake.html", {"form": form, "claim_types": ClaimType.values})


@login_required
@require_POST
def member_lookup(request: AuthedRequest) -> HttpResponse:
    """The member an NIK names (in the actor's regions), for the intake form while it is filled in.

    POST, so the NIK never appears in a URL or a server log."""
    require(request.user, Capability.SUBMIT_CLAIMS)
    nik = clean_nik(request.POST.get("nik", ""))
    membership = None
    if len(nik) == 16:
        try:
            on = date.fromisoformat(request.POST.get("event_date", ""))
        except ValueError:
            on = timezone.localdate()
        membership = selectors.member_by_nik(actor=request.user, nik=nik, on=on)
    children = []
    if membership is not None and request.POST.get("claim_type") == ClaimType.SCHOLARSHIP:
        # Each child with what was typed for it before (the form is re-sent whole), so nothing is lost.
        post = request.POST
        children = [
            {
                "child": child,
                "checked": bool(post.get(f"child_{child.pk}")),
                "level": post.get(f"level_{child.pk}", ""),
                "guardian": post.get(f"guardian_{child.pk}", ""),
                "bank": post.get(f"bank_{child.pk}", ""),
                "account": post.get(f"account_{child.pk}", ""),
            }
            for child in membership.person.relatives.filter(relation="child").order_by("birth_date", "id")
        ]
    context = {
        "membership": membership,
        "complete": len(nik) == 16,
        "children": children,
        "levels": SCHOOL_LEVELS,
        "posted": request.POST,
    }
    return render(request, "claims/_member_found.html", context)


def _children_claimed(request: AuthedRequest, membership: Membership) -> list[dict[str, object]]:
    """The children ticked on the intake form, each with the school level and the guardian's account."""
    post = request.POST
    return [
        {
            "relative": child.pk,
            "level": post.get(f"level_{child.pk}", ""),
            "guardian": " ".join(post.get(f"guardian_{child.pk}", "").split())[:150],
            "bank": post.get(f"bank_{child.pk}", "").strip()[:60],
            "account": post.get(f"account_{child.pk}", "").strip()[:34],
        }
        for child in membership.person.relatives.filter(relation="child").order_by("birth_date", "id")
        if post.get(f"child_{child.pk}")
    ]


@login_required
def detail(request: AuthedRequest, claim_id: int) -> HttpResponse:
    actor = request.user
    claim = selectors.claim_get(actor=actor, claim_id=claim_id)
    audit_personal_data_viewed(actor=actor, target=claim, fields=["person", "heirs", "documents"])
    return render(request, "claims/detail.html", _detail_context(request, claim))


def _detail_context(request: AuthedRequest, claim: Claim) -> dict[str, object]:
    actor = request.user
    decides = actor.can(Capability.DECIDE_CLAIMS)
    required = documents.required(claim)
    document_form = DocumentForm()
    set_choices(document_form.fields["kind"], [(kind, label) for kind, label in required])
    waiver_form = WaiverForm(auto_id="waive_%s")
    set_choices(waiver_form.fields["kind"], [(kind, label) for kind, label in required])
    checklist = documents.checklist(claim)
    open_claim = claim.status in (ClaimStatus.SUBMITTED, ClaimStatus.VERIFIED)
    return {
        "claim": claim,
        "steps": claim.steps.select_related("actor"),
        "heirs": claim.heirs.all(),
        "payouts": claim.payouts.select_related("batch"),
        "checklist": checklist,
        "file_complete": all(item["complete"] for item in checklist),
        "documents": claim.documents.select_related("reviewed_by"),
        "open_claim": open_claim,
        "shares_editable": decides and open_claim and claim.heirs.exists(),
        "share_sources": [(value, label) for value, label in ShareSource.choices if value != ShareSource.DEFAULT],
        "waiver_form": waiver_form,
        "account_form": PayoutAccountForm(),
        "reissue_form": ReissueForm(),
        "corrections": claim.corrections.all(),
        "schedule": selectors.scholarship_schedule(claim),
        "days_open": selectors.days_open(claim, timezone.localdate()),
        "decides": decides,
        "can_upload": actor.can(Capability.SUBMIT_CLAIMS) and open_claim,
        "reason_form": ReasonForm(),
        "pay_form": PayForm(initial={"paid_on": timezone.localdate()}),
        "payouts_ready": all(payout.ready for payout in claim.payouts.all() if payout.status == "menunggu"),
        "heir_form": HeirForm(),
        "document_form": document_form,
    }


@login_required
@require_POST
def step(request: AuthedRequest, claim_id: int, action: str) -> HttpResponse:
    """One workflow step from the claim's page: verify, approve, reject, pay."""
    actor = request.user
    claim = selectors.claim_get(actor=actor, claim_id=claim_id)
    try:
        if action == "verifikasi":
            services.claim_verify(actor=actor, claim=claim, note=request.POST.get("note", ""))
        elif action == "setujui":
            services.claim_approve(actor=actor, claim=claim)
        elif action == "tolak":
            services.claim_reject(actor=actor, claim=claim, reason=request.POST.get("reason", ""))
        elif action == "bayar":
            form = PayForm(request.POST)
            if not form.is_valid():
                raise ValidationError(_("Give the transfer reference and the payment date."))
            data = form.cleaned_data
            services.claim_pay(actor=actor, claim=claim, reference=data["reference"], paid_on=data["paid_on"])
        else:
            raise ValidationError(_("Unknown step."))
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, error_text(error))
    else:
        claim.refresh_from_db()
        messages.success(request, _("The claim is now %(status)s.") % {"status": claim.get_status_display()})
    return redirect("claims:detail", claim_id=claim.pk)


@login_required
@require_POST
def heirs_change(request: AuthedRequest, claim_id: int) -> HttpResponse:
    claim = selectors.claim_get(actor=request.user, claim_id=claim_id)
    form = HeirForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.heirs_set(actor=request.user, claim=claim, heirs=[data], reason=data["reason"])
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, error_text(error))
        else:
            messages.success(request, _("Heirs changed; the reason is recorded."))
    else:
        messages.error(request, _("Fill in the heir and the reason."))
    return redirect("claims:detail", claim_id=claim.pk)


@login_required
@require_POST
def document_add(request: AuthedRequest, claim_id: int) -> HttpResponse:
    claim = selectors.claim_get(actor=request.user, claim_id=claim_id)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("Choose a file."))
    else:
        try:
            documents.document_upload(
                actor=request.user,
                claim=claim,
                kind=request.POST.get("kind", ""),
                name=upload.name or "",
                content=upload,
            )
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, error_text(error))
        else:
            messages.success(request, _("Document uploaded."))
    return redirect("claims:detail", claim_id=claim.pk)


@login_required
def document_open(request: AuthedRequest, claim_id: int, document_id: int) -> FileResponse:
    claim = selectors.claim_get(actor=request.user, claim_id=claim_id)
    document = selectors.document_get(actor=request.user, claim=claim, document_id=document_id)
    audit_personal_data_viewed(actor=request.user, target=document, fields=["file"])
    return FileResponse(
        Path(document.stored_path).open("rb"), content_type=document.content_type, filename=document.file_name
    )


@login_required
def payout_register(request: AuthedRequest, extension: str) -> HttpResponse:
    try:
        year = year_or_none(request.GET.get("tahun"))
    except ValueError as error:
        return HttpResponseBadRequest(str(error), content_type="text/plain; charset=utf-8")
    rows = selectors.payout_register(actor=request.user, year=year)
    if extension != "xlsx":
        # The bank transfer file is a numbered batch, made once on the payouts page.
        return redirect("claims:batches")
    response = HttpResponse(exports.payout_workbook(rows), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="register-pembayaran-klaim.xlsx"'
    return response


@login_required
@require_POST
def document_check(request: AuthedRequest, claim_id: int, document_id: int) -> HttpResponse:
    """A decider accepts a document, or rejects it with the reason."""
    claim = selectors.claim_get(actor=request.user, claim_id=claim_id)
    document = selectors.document_get(actor=request.user, claim=claim, document_id=document_id)
    accept = request.POST.get("decision") == "sesuai"
    try:
        documents.document_review(
            actor=request.user, document=document, accept=accept, reason=request.POST.get("reason", "")
        )
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("Document accepted.") if accept else _("Document rejected; the reason is shown."))
    return redirect(f"{reverse('claims:detail', args=[claim.pk])}#dokumen")


@login_required
@require_POST
def document_waive(request: AuthedRequest, claim_id: int) -> HttpResponse:
    claim = selectors.claim_get(actor=request.user, claim_id=claim_id)
    try:
        documents.document_waive(
            actor=request.user, claim=claim, kind=request.POST.get("kind", ""), reason=request.POST.get("reason", "")
        )
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("Document waived; the reason is recorded."))
    return redirect(f"{reverse('claims:detail', args=[claim.pk])}#dokumen")


@login_required
@require_POST
def shares(request: AuthedRequest, claim_id: int) -> HttpResponse:
    """Each heir's share from the heir statement or court decision, with their accounts."""
    claim = selectors.claim_get(actor=request.user, claim_id=claim_id)
    heirs = list(claim.heirs.all())
    try:
        amounts = {heir.pk: _amount(request.POST.get(f"share_{heir.pk}", "")) for heir in heirs}
        accounts = {
            heir.pk: (request.POST.get(f"bank_{heir.pk}", ""), request.POST.get(f"account_{heir.pk}", ""))
            for heir in heirs
        }
        if request.POST.get("source"):
            payouts.heir_shares_set(
                actor=request.user,
                claim=claim,
                shares=amounts,
                source=request.POST.get("source", ""),
                reference=request.POST.get("reference", ""),
                accounts=accounts,
            )
        else:
            for heir in heirs:
                payouts.heir_account_set(
                    actor=request.user, heir=heir, bank=accounts[heir.pk][0], account=accounts[heir.pk][1]
                )
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("Heirs' shares and accounts recorded."))
    return redirect(f"{reverse('claims:detail', args=[claim.pk])}#ahli-waris")


def _amount(raw: str) -> int:
    text = raw.strip().upper().removeprefix("RP").replace(".", "").replace(" ", "")
    if not text:
        return 0
    if not text.isdigit():
        raise ValidationError({"shares": _("Write each share in whole rupiah, e.g. 21.000.000.")})
    return int(text)


@login_required
@require_POST
def payout_action(request: AuthedRequest, claim_id: int, payout_id: int, action: str) -> HttpResponse:
    """On one payout: complete its account, confirm or fail it by hand, or re-issue a failed one."""
    claim = selectors.claim_get(actor=request.user, claim_id=claim_id)
    payout = get_object_or_404(Payout.objects.select_related("claim"), pk=payout_id, claim=claim)
    post = request.POST
    try:
        if action == "rekening":
            payouts.payout_account_set(
                actor=request.user,
                payout=payout,
                payee=post.get("payee", ""),
                bank=post.get("bank", ""),
                account=post.get("account", ""),
            )
        elif action == "berhasil":
            form = PayForm(post)
            if not form.is_valid():
                raise ValidationError(_("Give the transfer reference and the payment date."))
            payouts.payout_confirm(
                actor=request.user,
                payout=payout,
                reference=form.cleaned_data["reference"],
                paid_on=form.cleaned_data["paid_on"],
            )
        elif action == "gagal":
            payouts.payout_fail(actor=request.user, payout=payout, reason=post.get("reason", ""))
        elif action == "terbitkan-ulang":
            payouts.payout_reissue(
                actor=request.user,
                payout=payout,
                payee=post.get("payee", ""),
                bank=post.get("bank", ""),
                account=post.get("account", ""),
                reason=post.get("reason", ""),
            )
        else:
            raise ValidationError(_("Unknown step."))
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("Payout updated."))
    return redirect(f"{reverse('claims:detail', args=[claim.pk])}#pembayaran")


@login_required
def batches(request: AuthedRequest) -> HttpResponse:
    """Payouts waiting to be sent (ready or not), the batches made, and making the next one."""
    actor = request.user
    require(actor, Capability.VIEW_CLAIMS)
    branches = _branches(actor)
    chosen = next((o for o in branches if o.code == request.GET.get("kantor")), branches[0] if branches else None)
    waiting = list(payouts.waiting_payouts(actor=actor, office=chosen)[:500])
    batches_made = scoped(PayoutBatch.objects.select_related("created_by", "office"), actor=actor)
    if chosen is not None:
        batches_made = batches_made.filter(office=chosen)
    made = BoundedPaginator(batches_made, 25).get_page(request.GET.get("page"))
    regions = Region.objects.filter(code__in=actor.region_codes).order_by("code") if not actor.sees_all_regions else []
    context = {
        # Payouts and batches are per paying office: the branch (with its KCPs) the user works for.
        "branches": branches,
        "office": chosen,
        "ready": [payout for payout in waiting if payout.ready],
        "not_ready": [payout for payout in waiting if not payout.ready],
        "page": made,
        # Batches just made, whose file this session has not downloaded yet.
        "fresh": {batch.pk for batch in made if request.session.get(f"batch-first-{batch.pk}")},
        "regions": regions,
        "decides": actor.can(Capability.DECIDE_CLAIMS),
        "reissue_form": BatchReissueForm(),
        "return_form": ReturnFileForm(),
    }
    return render(request, "claims/batches.html", context)


def _branches(actor: User) -> list[Office]:
    """The paying offices (branches, with their KCPs) whose area lies in the actor's regions."""
    return offices_overseen(actor, timezone.localdate(), kinds=(OfficeKind.CABANG,))


@login_required
@require_POST
def batch_create(request: AuthedRequest) -> HttpResponse:
    actor = request.user
    office = next((o for o in _branches(actor) if o.code == request.POST.get("kantor")), None)
    region_code = request.POST.get("region", "") or (actor.region_codes[0] if actor.region_codes else "")
    try:
        outcome = (
            payouts.batch_create(actor=actor, office=office)
            if office is not None
            else payouts.batch_create(actor=actor, region_code=region_code)
        )
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, error_text(error))
        return redirect("claims:batches")
    if outcome.batch is None:
        messages.error(request, _("No payout is ready to send: each needs a name, a bank and an account."))
        return redirect("claims:batches")
    skipped = len(outcome.not_ready) + len(outcome.held)
    messages.success(
        request,
        _("Batch %(number)s made: %(count)s payouts, %(total)s. Download its file below.")
        % {"number": outcome.batch.number, "count": grouped(outcome.batch.count), "total": rupiah(outcome.batch.total)}
        + (
            " " + _("%(skipped)s payouts were left out (no account, or held).") % {"skipped": grouped(skipped)}
            if skipped
            else ""
        ),
    )
    request.session[f"batch-first-{outcome.batch.pk}"] = True
    return redirect("claims:batches")


@login_required
def batch_pdf(request: AuthedRequest, batch_id: int) -> HttpResponse:
    """The batch's list for signature under the paying office's letterhead (accounts shown by their last digits)."""
    actor = request.user
    require(actor, Capability.VIEW_CLAIMS)
    batch = get_object_or_404(scoped(PayoutBatch.objects.select_related("office"), actor=actor), pk=batch_id)
    content = exports.batch_pdf(batch, printed_on=timezone.localdate())
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{batch.number.replace("/", "-")}.pdf"'
    return response


@login_required
@require_POST
def batch_file(request: AuthedRequest, batch_id: int) -> HttpResponse:
    """The batch's transfer file: once right after it is made; afterwards only as an audited re-issue."""
    actor = request.user
    batch = get_object_or_404(scoped(PayoutBatch.objects.all(), actor=actor), pk=batch_id)
    first = request.session.pop(f"batch-first-{batch.pk}", False)
    try:
        if first:
            require(actor, Capability.DECIDE_CLAIMS, [batch.region_id])
            content = payouts.transfer_file(batch)
        else:
            content = payouts.batch_reissue(actor=actor, batch=batch, reason=request.POST.get("reason", ""))
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, error_text(error))
        return redirect("claims:batches")
    name = batch.number.replace("/", "-") + (f"-salinan-{batch.reissues}" if not first else "")
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response


@login_required
@require_POST
def batch_return(request: AuthedRequest, batch_id: int) -> HttpResponse:
    """The bank's return file: each payout paid (with its reference) or failed (with the reason)."""
    actor = request.user
    batch = get_object_or_404(scoped(PayoutBatch.objects.all(), actor=actor), pk=batch_id)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("Choose a file."))
        return redirect("claims:batches")
    try:
        with saved_upload(upload) as path:
            outcome = payouts.bank_return_apply(actor=actor, batch=batch, path=path)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, error_text(error))
        return redirect("claims:batches")
    messages.success(
        request,
        _("Return file applied: %(confirmed)s paid, %(failed)s failed.")
        % grouped_all({"confirmed": outcome.confirmed, "failed": outcome.failed}),
    )
    for problem in outcome.problems[:20]:
        messages.error(
            request,
            _("Row %(row)s, column %(column)s: %(message)s") % problem,
        )
    return redirect("claims:batches")


@login_required
def history_page(request: AuthedRequest) -> HttpResponse:
    """Record claims the agency paid before Lindung or outside it: one by form, many by file."""
    actor = request.user
    require(actor, Capability.DECIDE_CLAIMS)
    form = PaidOutsideForm(request.POST or None) if "nik" in request.POST else PaidOutsideForm()
    file_form = HistoryFileForm()
    outcome = None
    if request.method == "POST" and "nik" in request.POST and form.is_valid():
        data = form.cleaned_data
        membership = selectors.member_by_nik(actor=actor, nik=clean_nik(data["nik"]), on=data["event_date"])
        if membership is None:
            form.add_error("nik", _("No member with this NIK in your regions."))
        else:
            try:
                claim = history.record_paid_outside(
                    actor=actor,
                    membership=membership,
                    paid=history.PaidClaim(
                        claim_type=data["claim_type"],
                        jkk_kind=data["jkk_kind"],
                        event_date=data["event_date"],
                        paid_on=data["paid_on"],
                        amount=data["amount"],
                        claimant_name=data["claimant_name"],
                        reference=data["reference"],
                    ),
                )
            except (ValidationError, PermissionDenied) as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request, _("Claim %(number)s recorded as paid outside Lindung.") % {"number": claim.number}
                )
                return redirect("claims:detail", claim_id=claim.pk)
    elif request.method == "POST" and (upload := request.FILES.get("file")) is not None:
        try:
            with saved_upload(upload) as path:
                outcome = history.import_paid_claims(actor=actor, path=path)
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, error_text(error))
    return render(
        request,
        "claims/history.html",
        {"form": form, "file_form": file_form, "outcome": outcome, "columns": history.COLUMNS},
    )


@login_required
def history_template(request: AuthedRequest) -> HttpResponse:
    require(request.user, Capability.DECIDE_CLAIMS)
    content = history.template_csv()
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="templat-klaim-dibayar.csv"'
    return response

"""Claims pages: the queue, intake, a claim's detail with its workflow, documents and payouts."""

from __future__ import annotations

from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lindung.accounts.http import AuthedRequest
from lindung.accounts.permissions import require
from lindung.accounts.roles import Capability
from lindung.claims import documents, exports, selectors, services
from lindung.claims.forms import DocumentForm, HeirForm, IntakeForm, PayForm, ReasonForm
from lindung.claims.models import Claim, ClaimStatus, ClaimType
from lindung.core.audit import audit_personal_data_viewed
from lindung.core.forms_util import add_service_errors, error_text, set_choices
from lindung.core.inputs import year_or_none
from lindung.core.paging import BoundedPaginator
from lindung.registry.nik import clean_nik

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
def queue(request: AuthedRequest) -> HttpResponse:
    actor = request.user
    status = request.GET.get("status", "")
    claim_type = request.GET.get("type", "")
    # Open claims by default; once the filter form is sent, the box says.
    open_only = request.GET.get("terbuka") == "1" if "saring" in request.GET else not status
    claims = selectors.claim_queue(
        actor=actor,
        status=status if status in ClaimStatus.values else "",
        claim_type=claim_type if claim_type in ClaimType.values else "",
        open_only=open_only,
    )
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
            details = {key: value for key, value in data.items() if value not in (None, "")}
            try:
                claim = services.claim_submit(actor=actor, membership=membership, **details)
            except (ValidationError, PermissionDenied) as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Claim %(number)s submitted.") % {"number": claim.number})
                return redirect("claims:detail", claim_id=claim.pk)
    return render(request, "claims/intake.html", {"form": form})


@login_required
def detail(request: AuthedRequest, claim_id: int) -> HttpResponse:
    actor = request.user
    claim = selectors.claim_get(actor=actor, claim_id=claim_id)
    audit_personal_data_viewed(actor=actor, target=claim, fields=["person", "heirs", "documents"])
    return render(request, "claims/detail.html", _detail_context(request, claim))


def _detail_context(request: AuthedRequest, claim: Claim) -> dict[str, object]:
    actor = request.user
    decides = actor.can(Capability.DECIDE_CLAIMS)
    document_form = DocumentForm()
    set_choices(document_form.fields["kind"], [(kind, label) for kind, label in documents.CHECKLIST[claim.claim_type]])
    return {
        "claim": claim,
        "steps": claim.steps.select_related("actor"),
        "heirs": claim.heirs.all(),
        "payouts": claim.payouts.all(),
        "checklist": documents.checklist(claim),
        "documents": claim.documents.all(),
        "corrections": claim.corrections.all(),
        "schedule": selectors.scholarship_schedule(claim),
        "days_open": selectors.days_open(claim, timezone.localdate()),
        "decides": decides,
        "can_upload": actor.can(Capability.SUBMIT_CLAIMS)
        and claim.status not in (ClaimStatus.PAID, ClaimStatus.REJECTED),
        "reason_form": ReasonForm(),
        "pay_form": PayForm(initial={"paid_on": timezone.localdate()}),
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
                raise ValidationError({"paid_on": _("Give the payment date.")})
            services.claim_pay(actor=actor, claim=claim, paid_on=form.cleaned_data["paid_on"])
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
def payouts(request: AuthedRequest, extension: str) -> HttpResponse:
    try:
        year = year_or_none(request.GET.get("tahun"))
    except ValueError as error:
        return HttpResponseBadRequest(str(error), content_type="text/plain; charset=utf-8")
    rows = selectors.payout_register(actor=request.user, year=year)
    if extension == "csv":
        response = HttpResponse(exports.transfer_csv(rows), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="transfer-klaim.csv"'
        return response
    response = HttpResponse(exports.payout_workbook(rows), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="register-pembayaran-klaim.xlsx"'
    return response

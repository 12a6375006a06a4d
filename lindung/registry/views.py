"""Registry pages: thin doors over the selectors and services."""

from __future__ import annotations

from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from lindung.accounts.http import AuthedRequest
from lindung.accounts.permissions import require
from lindung.accounts.roles import Capability
from lindung.core import lists, paging
from lindung.core.forms_util import add_service_errors
from lindung.core.htmx import render_page_or_partial
from lindung.core.jobs import worker_status
from lindung.core.paging import BoundedPaginator
from lindung.registry import batches, imports, selectors, services
from lindung.registry.forms import (
    AgreementForm,
    EnrolForm,
    MembershipChangeForm,
    MembershipEndForm,
    PersonForm,
    RelativeForm,
    RenewForm,
    SponsorForm,
    TerminateForm,
    UploadForm,
)
from lindung.registry.models import Agreement, AgreementStatus, ImportStatus, Sponsor, SponsorKind
from lindung.rules.periods import previous_month

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# Persons ---------------------------------------------------------------------------------------


@login_required
def person_list(request: AuthedRequest) -> HttpResponse:
    """The search form posts (so a full NIK never lands in a URL or an access log); paging through
    names uses GET links, and a full NIK that still arrives in a URL is not searched."""
    query = (request.POST if request.method == "POST" else request.GET).get("q", "").strip()[:100]
    if request.method != "POST" and selectors.is_full_nik(query):
        # Sent away at once, so that the address bar (and the language switch's return link) drop it.
        messages.warning(request, _("Search a full NIK with the search box: it is never sent in the address."))
        return redirect("registry:person_list")
    persons = selectors.person_search(actor=request.user, query=query)
    if lists.wants_xlsx(request) and not selectors.is_full_nik(query):
        # In the list's own order (name, through its index): no other sort over the registry.
        services.person_list_exported(actor=request.user, query=query, rows=lists.EXPORT_LIMIT)
        return lists.xlsx_response(_("Persons"), PERSON_COLUMNS, persons.select_related("village"))
    page = BoundedPaginator(persons, 50).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "query": query,
        "query_is_nik": selectors.is_full_nik(query),
        "can_enrol": request.user.can(Capability.ENROL_MEMBERS),
    }
    return render_page_or_partial(request, "registry/person_list.html", "results", context)


@login_required
def person_detail(request: AuthedRequest, person_id: int) -> HttpResponse:
    actor = request.user
    person = selectors.person_detail(actor=actor, person_id=person_id)
    memberships = list(selectors.person_memberships(actor=actor, person=person))
    for membership in memberships:  # each membership's own forms, so labels and ids stay unique
        membership.end_form = MembershipEndForm(prefix=f"akhiri-{membership.pk}")  # type: ignore[attr-defined]
        current = next((v for v in membership.versions.all() if v.effective_to is None), None)
        terms = (
            {
                "wage": f"{current.wage:,}".replace(",", "."),  # as the import and the pages write rupiah
                "occupation": current.occupation,
                "risk_class": str(current.risk_class or ""),
            }
            if current
            else {}
        )
        membership.change_form = MembershipChangeForm(prefix=f"ubah-{membership.pk}", initial=terms)  # type: ignore[attr-defined]
    context = {
        "person": person,
        "memberships": memberships,
        "relatives": person.relatives.all(),
        "history": selectors.person_history(person=person, membership_ids=[m.pk for m in memberships]),
        "relative_form": RelativeForm() if actor.can(Capability.ENROL_MEMBERS) else None,
        "can_edit_person": actor.can(Capability.ENROL_MEMBERS) and services.keeps_contact(actor, person),
        "can_change_memberships": actor.can(Capability.ENROL_MEMBERS),
        "can_view_contributions": actor.can(Capability.VIEW_CONTRIBUTIONS),
    }
    return render(request, "registry/person_detail.html", context)


@login_required
def person_edit(request: AuthedRequest, person_id: int) -> HttpResponse:
    """Correct a person's name, phone or address village (who may: services.keeps_contact)."""
    person = selectors.person_get(actor=request.user, person_id=person_id)
    if not services.keeps_contact(request.user, person) or not request.user.can(Capability.ENROL_MEMBERS):
        raise PermissionDenied(
            _("This person is registered in another region: her name, phone and address are kept there.")
        )
    village = f"{person.village.name} ({person.village_id})" if person.village else ""
    initial = {"name": person.name, "phone": person.phone, "village": village}
    form = PersonForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.person_update(
                actor=request.user, person=person, name=data["name"], phone=data["phone"], village_code=data["village"]
            )
        except (ValidationError, PermissionDenied) as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The person's data was saved."))
            return redirect("registry:person_detail", person_id=person.pk)
    title = _("Change %(name)s") % {"name": person.name}
    return render(request, "registry/person_form.html", {"form": form, "title": title, "person": person})


MEMBERSHIP_ACTIONS = {"akhiri": MembershipEndForm, "ubah": MembershipChangeForm}


@login_required
@require_POST
def membership_action(request: AuthedRequest, person_id: int, membership_id: int, action: str) -> HttpResponse:
    """End a membership, or give it new terms from a day, from the person's page."""
    if action not in MEMBERSHIP_ACTIONS:
        raise Http404
    person = selectors.person_get(actor=request.user, person_id=person_id)
    membership = get_object_or_404(selectors.person_memberships(actor=request.user, person=person), pk=membership_id)
    form = MEMBERSHIP_ACTIONS[action](request.POST, prefix=f"{action}-{membership.pk}")
    if form.is_valid():
        data = form.cleaned_data
        try:
            if action == "akhiri":
                services.membership_end(actor=request.user, membership=membership, ends_on=data["ends_on"])
                done = _("The membership ends on %(day)s.") % {"day": data["ends_on"].strftime("%d-%m-%Y")}
            else:
                # An empty risk class keeps the current one (a PU membership always has one).
                changes = {name: data[name] for name in ("wage", "occupation", "risk_class") if data[name] != ""}
                services.membership_change(
                    actor=request.user, membership=membership, effective_from=data["effective_from"], changes=changes
                )
                done = _("New terms apply from %(day)s.") % {"day": data["effective_from"].strftime("%d-%m-%Y")}
        except (ValidationError, PermissionDenied) as error:
            add_service_errors(form, error)
        else:
            messages.success(request, done)
            return redirect("registry:person_detail", person_id=person.pk)
    for problems in form.errors.values():
        messages.error(request, " ".join(str(problem) for problem in problems))
    return redirect("registry:person_detail", person_id=person.pk)


@login_required
@require_POST
def person_reveal_nik(request: AuthedRequest, person_id: int) -> HttpResponse:
    person = selectors.person_get(actor=request.user, person_id=person_id)
    nik = services.person_reveal_nik(actor=request.user, person=person)
    return render(request, "registry/person_detail.html#nik", {"person": person, "nik": nik})


@login_required
@require_POST
def relative_add(request: AuthedRequest, person_id: int) -> HttpResponse:
    person = selectors.person_get(actor=request.user, person_id=person_id)
    form = RelativeForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.relative_add(actor=request.user, person=person, **data)
        except (ValidationError, PermissionDenied) as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Family member %(name)s added.") % {"name": data["name"]})
            return redirect("registry:person_detail", person_id=person.pk)
    return render(request, "registry/relative_form.html", {"person": person, "form": form})


@login_required
def enrol(request: AuthedRequest) -> HttpResponse:
    actor = request.user
    sponsors = list(selectors.enrollable_sponsors(actor=actor))
    form = EnrolForm(request.POST or None, sponsors=sponsors, initial={"sponsor": request.GET.get("sponsor", "")})
    if request.method == "POST" and form.is_valid():
        sponsor = next((s for s in sponsors if str(s.pk) == form.cleaned_data["sponsor"]), None)
        try:
            membership = services.member_enrol(actor=actor, sponsor=sponsor, values=form.values())
        except (ValidationError, PermissionDenied) as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Enrolled from %(day)s.") % {"day": membership.starts_on.strftime("%d-%m-%Y")})
            return redirect("registry:person_detail", person_id=membership.person_id)
    return render(request, "registry/enrol_form.html", {"form": form})


# Sponsors and agreements -----------------------------------------------------------------------


@login_required
def sponsor_list(request: AuthedRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    kind = request.GET.get("kind", "")
    sponsors = selectors.sponsor_list(actor=request.user, query=query, kind=kind if kind in SponsorKind.values else "")
    sponsors, sorting = lists.sort(request, sponsors, SPONSOR_COLUMNS, "name")
    if lists.wants_xlsx(request):
        return lists.xlsx_response(_("Sponsors"), SPONSOR_COLUMNS, sponsors)
    context = {
        "page": BoundedPaginator(sponsors, 50).get_page(request.GET.get("page")),
        "columns": SPONSOR_COLUMNS,
        "sorting": sorting,
        "query": query,
        "kind": kind,
        "kinds": SponsorKind.choices,
        "can_manage": request.user.can(Capability.MANAGE_SPONSORS),
        "count_limit": selectors.SPONSOR_LIST_COUNT_LIMIT,
    }
    return render_page_or_partial(request, "registry/sponsor_list.html", "results", context)


PERSON_COLUMNS = (
    lists.Column("name", gettext_lazy("Name"), lambda p: p.name),
    lists.Column("nik", "NIK", lambda p: p.masked_nik),  # masked, as on the page
    lists.Column("sex", gettext_lazy("Sex"), lambda p: str(p.get_sex_display())),
    lists.Column("village", gettext_lazy("Address village"), lambda p: p.village.name if p.village else "-"),
)
AGREEMENT_COLUMNS = (
    lists.Column("number", gettext_lazy("Number"), lambda a: a.number, ("number",)),
    lists.Column("sponsor", gettext_lazy("Sponsor"), lambda a: a.sponsor.name, ("sponsor__name",)),
    lists.Column("starts", gettext_lazy("Start"), lambda a: a.starts_on, ("starts_on",)),
    lists.Column("ends", gettext_lazy("End"), lambda a: a.ends_on, ("ends_on",)),
    lists.Column("status", gettext_lazy("Status"), lambda a: str(a.get_status_display()), ("status",)),
    lists.Column("quota", gettext_lazy("Quota"), lambda a: a.quota, ("quota",)),
    lists.Column("ceiling", gettext_lazy("Budget ceiling"), lambda a: a.budget_ceiling, ("budget_ceiling",)),
    lists.Column("renewed", gettext_lazy("Renewed"), lambda a: bool(a.renewed)),
)
SPONSOR_COLUMNS = (
    lists.Column("name", gettext_lazy("Name"), lambda s: s.name, ("name",)),
    lists.Column("kind", gettext_lazy("Kind"), lambda s: str(s.get_kind_display()), ("kind",)),
    lists.Column("region", gettext_lazy("Region"), lambda s: f"{s.region.name} ({s.region_id})", ("region__name",)),
    lists.Column("members", gettext_lazy("Active members"), lambda s: s.active_members),
)


@login_required
def sponsor_create(request: AuthedRequest) -> HttpResponse:
    require(request.user, Capability.MANAGE_SPONSORS)
    form = SponsorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            sponsor = services.sponsor_create(
                actor=request.user,
                kind=data["kind"],
                name=data["name"],
                region_code=data["region"],
                npwp=data["npwp"],
                address=data["address"],
            )
        except (ValidationError, PermissionDenied) as error:
            add_service_errors(form, error)
        else:
            return redirect("registry:sponsor_detail", sponsor_id=sponsor.pk)
    return render(request, "registry/simple_form.html", {"form": form, "title": _("New sponsor")})


@login_required
def sponsor_detail(request: AuthedRequest, sponsor_id: int) -> HttpResponse:
    actor = request.user
    sponsor = selectors.sponsor_get(actor=actor, sponsor_id=sponsor_id)
    sees_persons = actor.can(Capability.VIEW_PERSONS)
    members = selectors.sponsor_members(actor=actor, sponsor=sponsor) if sees_persons else None
    context = {
        "sponsor": sponsor,
        "agreements": selectors.agreement_list(actor=actor, sponsor=sponsor),
        "counts": _category_counts(request, sponsor),
        "active_members": selectors.sponsor_active_count(sponsor=sponsor),
        "members": BoundedPaginator(members, 50).get_page(request.GET.get("page")) if members is not None else None,
        "imports": selectors.import_list(actor=actor, sponsor=sponsor)[:10]
        if actor.can(Capability.ENROL_MEMBERS)
        else [],
        "can_manage": actor.can(Capability.MANAGE_SPONSORS),
        "can_enrol": actor.can(Capability.ENROL_MEMBERS),
        "can_view_contributions": actor.can(Capability.VIEW_CONTRIBUTIONS),
        "can_bill": actor.can(Capability.BILL_CONTRIBUTIONS),
        "last_month": previous_month(timezone.localdate()),
    }
    return render(request, "registry/sponsor_detail.html", context)


def _category_counts(request: AuthedRequest, sponsor: Sponsor) -> list[dict[str, object]] | None:
    """Counted when asked, for a sponsor beyond the page's counting limit (seconds for a million)."""
    if request.GET.get("rincian") == "1" or selectors.sponsor_active_count(sponsor=sponsor) <= paging.COUNT_LIMIT:
        return selectors.sponsor_category_counts(sponsor=sponsor)
    return None


@login_required
def agreement_list(request: AuthedRequest) -> HttpResponse:
    ending = request.GET.get("ending") == "1"
    over_quota = request.GET.get("penuh") == "1"
    today = timezone.localdate()
    agreements = selectors.agreement_list(
        actor=request.user, ending_within=selectors.ENDING_SOON_DAYS if ending else None, today=today
    )
    if over_quota:
        agreements = agreements.filter(pk__in=selectors.agreements_over_quota(actor=request.user, today=today))
    agreements, sorting = lists.sort(request, agreements, AGREEMENT_COLUMNS, "ends" if ending else "-starts")
    if lists.wants_xlsx(request):
        return lists.xlsx_response(_("Agreements"), AGREEMENT_COLUMNS, agreements)
    context = {
        "page": BoundedPaginator(agreements, 50).get_page(request.GET.get("page")),
        "columns": AGREEMENT_COLUMNS,
        "sorting": sorting,
        "ending": ending,
        "over_quota": over_quota,
        "days": selectors.ENDING_SOON_DAYS,
    }
    return render(request, "registry/agreement_list.html", context)


@login_required
def agreement_create(request: AuthedRequest, sponsor_id: int) -> HttpResponse:
    sponsor = selectors.sponsor_get(actor=request.user, sponsor_id=sponsor_id)
    require(request.user, Capability.MANAGE_SPONSORS)
    form = AgreementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            agreement = services.agreement_create(actor=request.user, sponsor=sponsor, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as error:
            add_service_errors(form, error)
        else:
            return redirect("registry:agreement_detail", agreement_id=agreement.pk)
    return render(request, "registry/simple_form.html", {"form": form, "title": _("New agreement"), "sponsor": sponsor})


@login_required
def agreement_detail(request: AuthedRequest, agreement_id: int) -> HttpResponse:
    actor = request.user
    agreement = selectors.agreement_get(actor=actor, agreement_id=agreement_id)
    can_manage = actor.can(Capability.MANAGE_SPONSORS)
    action = request.POST.get("action", "") if request.method == "POST" and can_manage else ""
    renew_form = RenewForm(request.POST if action == "renew" else None)
    terminate_form = TerminateForm(request.POST if action == "terminate" else None)
    if action:
        try:
            done = _agreement_action(request, agreement, action, renew_form, terminate_form)
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, " ".join(error.messages) if isinstance(error, ValidationError) else str(error))
            done = redirect("registry:agreement_detail", agreement_id=agreement.pk)
        if done is not None:
            return done
    context = {
        "agreement": agreement,
        "quota": selectors.agreement_quota(agreement=agreement),
        "can_manage": can_manage,
        "renew_form": renew_form,
        "terminate_form": terminate_form,
    }
    return render(request, "registry/agreement_detail.html", context)


def _agreement_action(
    request: AuthedRequest, agreement: Agreement, action: str, renew_form: RenewForm, terminate_form: TerminateForm
) -> HttpResponse | None:
    """Run the posted state change; None when its form is invalid (the page shows the errors)."""
    target = agreement
    if action == "activate":
        services.agreement_activate(actor=request.user, agreement=agreement)
        messages.success(request, _("The agreement is active."))
    elif action == "terminate" and terminate_form.is_valid():
        ended_on = terminate_form.cleaned_data["ended_on"]
        services.agreement_terminate(actor=request.user, agreement=agreement, ended_on=ended_on)
        messages.success(request, _("The agreement is terminated."))
    elif action == "renew" and renew_form.is_valid():
        number = renew_form.cleaned_data["number"]
        target = services.agreement_renew(actor=request.user, agreement=agreement, number=number)
        messages.success(request, _("Renewal drafted with the same terms; check and activate it."))
    else:
        return None
    return redirect("registry:agreement_detail", agreement_id=target.pk)


# Bulk enrolment --------------------------------------------------------------------------------


@login_required
def import_upload(request: AuthedRequest) -> HttpResponse:
    actor = request.user
    sponsors = list(selectors.enrollable_sponsors(actor=actor))
    agreements = (
        list(selectors.agreement_list(actor=actor).filter(status=AgreementStatus.ACTIVE))
        if actor.can(Capability.VIEW_SPONSORS)
        else []
    )
    form = UploadForm(
        request.POST or None,
        request.FILES or None,
        sponsors=sponsors,
        agreements=agreements,
        initial={"sponsor": request.GET.get("sponsor", "")},
    )
    if request.method == "POST" and form.is_valid():
        sponsor = next(s for s in sponsors if str(s.pk) == form.cleaned_data["sponsor"])
        agreement = next((a for a in agreements if str(a.pk) == form.cleaned_data["agreement"]), None)
        upload = form.cleaned_data["file"]
        try:
            batch = batches.import_upload(
                actor=actor, sponsor=sponsor, agreement=agreement, name=upload.name, content=upload
            )
        except (ValidationError, PermissionDenied) as error:
            add_service_errors(form, error)
        else:
            return redirect("registry:import_detail", batch_id=batch.pk)
    recent = selectors.import_list(actor=actor)[:20]
    return render(request, "registry/import_upload.html", {"form": form, "batches": recent})


@login_required
def import_detail(request: AuthedRequest, batch_id: int) -> HttpResponse:
    batch = selectors.import_get(actor=request.user, batch_id=batch_id)
    running = batch.status in ImportStatus.running()
    context = {
        "batch": batch,
        "running": running,
        "cancellable": batch.status in ImportStatus.open(),
        "worker": worker_status() if running else None,
        "has_report": imports.report_path(batch).exists(),
    }
    return render_page_or_partial(request, "registry/import_detail.html", "status", context)


@login_required
@require_POST
def import_decide(request: AuthedRequest, batch_id: int) -> HttpResponse:
    batch = selectors.import_get(actor=request.user, batch_id=batch_id)
    try:
        if request.POST.get("action") == "confirm":
            batches.import_confirm(actor=request.user, batch=batch)
        else:
            batches.import_cancel(actor=request.user, batch=batch)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("registry:import_detail", batch_id=batch.pk)


@login_required
def import_report(request: AuthedRequest, batch_id: int) -> FileResponse:
    batch = selectors.import_get(actor=request.user, batch_id=batch_id)
    path = imports.report_path(batch)
    if not path.exists():
        raise Http404
    name = f"galat-{Path(batch.file_name).stem}.xlsx"
    return FileResponse(path.open("rb"), as_attachment=True, filename=name, content_type=XLSX)


@login_required
def import_template(request: AuthedRequest) -> HttpResponse:
    require(request.user, Capability.ENROL_MEMBERS)
    response = HttpResponse(imports.template_workbook(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="templat-peserta.xlsx"'
    return response

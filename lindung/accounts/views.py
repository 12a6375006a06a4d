from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lindung.accounts import selectors, services
from lindung.accounts.forms import UserCreateForm, UserUpdateForm
from lindung.accounts.http import AuthedRequest
from lindung.accounts.models import User
from lindung.accounts.permissions import require
from lindung.accounts.roles import Capability, Role
from lindung.core import lists
from lindung.core.forms_util import add_service_errors
from lindung.core.htmx import render_page_or_partial
from lindung.core.paging import BoundedPaginator
from lindung.core.selectors import audit_entries


def _regions(user: User) -> str:
    names = [f"{a.region.name} ({a.region_id})" for a in user.region_assignments.all()]
    return ", ".join(names) or str(_("all regions"))


USER_COLUMNS = (
    lists.Column("username", gettext_lazy("Username"), lambda u: u.username, ("username",)),
    lists.Column("name", gettext_lazy("Full name"), lambda u: u.full_name, ("full_name",)),
    lists.Column("role", gettext_lazy("Role"), lambda u: str(u.get_role_display()), ("role",)),
    lists.Column("regions", gettext_lazy("Regions"), _regions),
    lists.Column("active", gettext_lazy("Active"), lambda u: u.is_active, ("is_active",)),
)


@login_required
def user_list(request: AuthedRequest) -> HttpResponse:
    actor = request.user
    role = request.GET.get("role", "")
    query = request.GET.get("q", "").strip()
    users = selectors.user_list(actor=actor, role=role if role in Role.values else None, query=query or None)
    users, sorting = lists.sort(request, users, USER_COLUMNS, "username")
    if lists.wants_xlsx(request):
        return lists.xlsx_response(_("Users"), USER_COLUMNS, users)
    page = BoundedPaginator(users, 50).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "columns": USER_COLUMNS,
        "sorting": sorting,
        "roles": Role.choices,
        "role": role,
        "query": query,
        "can_create": actor.can(Capability.MANAGE_USERS),
    }
    return render_page_or_partial(request, "accounts/user_list.html", "results", context)


@login_required
def user_create(request: AuthedRequest) -> HttpResponse:
    actor = request.user
    require(actor, Capability.MANAGE_USERS)
    form = UserCreateForm(request.POST or None, actor_role=actor.role)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user, password = services.user_create(
                actor=actor,
                username=data["username"],
                role=data["role"],
                region_codes=data["regions"],
                password=data["password"] or None,
                full_name=data["full_name"],
                office=services.office_by_code(data["office"]),
            )
        except (ValidationError, PermissionDenied) as error:
            add_service_errors(form, error)
        else:
            if not data["password"]:
                messages.warning(
                    request,
                    _("Password for %(name)s: %(password)s (shown only once).")
                    % {"name": user.username, "password": password},
                )
            messages.success(request, _("Account %(name)s created.") % {"name": user.username})
            return redirect("accounts:user_detail", user_id=user.pk)
    return render(request, "accounts/user_form.html", {"form": form})


@login_required
def user_detail(request: AuthedRequest, user_id: int) -> HttpResponse:
    actor = request.user
    user = selectors.user_get(actor=actor, user_id=user_id)
    manageable = selectors.user_is_manageable(actor=actor, user=user)
    initial = {
        "full_name": user.full_name,
        "role": user.role,
        "regions": "" if user.office_id else ", ".join(user.region_codes),
        "office": user.office_code,
        "is_active": user.is_active,
    }
    form = UserUpdateForm(request.POST or None, initial=initial, actor_role=actor.role) if manageable else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.user_update(
                    actor=actor,
                    user=user,
                    role=data["role"],
                    region_codes=data["regions"],
                    is_active=data["is_active"],
                    full_name=data["full_name"],
                    office=services.office_by_code(data["office"]),
                )
            except (ValidationError, PermissionDenied) as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Account %(name)s saved.") % {"name": user.username})
                return redirect("accounts:user_detail", user_id=user.pk)
    history = (
        audit_entries(actor=actor, object_type="accounts.user", object_id=str(user.pk))[:20]
        if actor.can(Capability.VIEW_AUDIT)
        else []
    )
    return render_page_or_partial(
        request,
        "accounts/user_detail.html",
        "detail",
        {"subject": user, "form": form, "history": history},
    )

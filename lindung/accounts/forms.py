from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from lindung.accounts.models import office_objects
from lindung.accounts.roles import MANAGEABLE_ROLES, Role
from lindung.core.forms import Form


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("Wrong username or password. Letters in the password must match in case."),
        "inactive": _("This account is not active."),
    }


def _role_choices(actor_role: str) -> list[tuple[str, str]]:
    allowed = MANAGEABLE_ROLES.get(actor_role, frozenset())
    return [(value, str(label)) for value, label in Role.choices if value in allowed]


class RegionCodesField(forms.CharField):
    """Region codes separated by commas or spaces: "14.08, 14.72"."""

    def to_python(self, value: str | None) -> list[str]:  # type: ignore[override]
        text = super().to_python(value) or ""
        return [part for part in text.replace(",", " ").split() if part]


def _office_choices() -> list[tuple[str, str]]:
    # Offices sit above accounts: reached through the user's foreign key, not imported.
    offices = office_objects().filter(active=True).order_by("kind", "name")
    return [("", "—"), *((office.code, office.name) for office in offices)]


class OfficeField(forms.ChoiceField):
    def __init__(self, **kwargs: object) -> None:
        super().__init__(
            label=_("Office"),
            required=False,
            help_text=_("Agency staff: their office's service area is their region (leave regions empty)."),
            **kwargs,  # type: ignore[arg-type]
        )


class UserCreateForm(Form):
    username = forms.CharField(label=_("Username"), max_length=150)
    full_name = forms.CharField(label=_("Full name"), max_length=150, required=False)
    role = forms.ChoiceField(label=_("Role"))
    office = OfficeField()
    regions = RegionCodesField(
        label=_("Regions"),
        required=False,
        help_text=_("Region codes separated by commas, e.g. 14.08, 14.72."),
    )
    password = forms.CharField(
        label=_("Password"),
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text=_("Leave empty to generate one; it is shown once."),
    )

    def __init__(self, *args: object, actor_role: str, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["role"].choices = _role_choices(actor_role)  # type: ignore[attr-defined]
        self.fields["office"].choices = _office_choices()  # type: ignore[attr-defined]


class UserUpdateForm(Form):
    full_name = forms.CharField(label=_("Full name"), max_length=150, required=False)
    role = forms.ChoiceField(label=_("Role"))
    office = OfficeField()
    regions = RegionCodesField(label=_("Regions"), required=False)
    is_active = forms.BooleanField(label=_("Active"), required=False)

    def __init__(self, *args: object, actor_role: str, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["role"].choices = _role_choices(actor_role)  # type: ignore[attr-defined]
        self.fields["office"].choices = _office_choices()  # type: ignore[attr-defined]

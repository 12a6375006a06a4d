"""Bringing service errors back onto the form that sent the input."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _


def add_service_errors(form: forms.Form, error: ValidationError | PermissionDenied) -> None:
    """Put a service's refusal back on the form, so the user keeps what they typed.

    ValidationError messages go on the fields they name; a PermissionDenied (a region
    outside the user's own, say) goes on the form as a whole.
    """
    if isinstance(error, PermissionDenied):
        form.add_error(None, str(error))
    elif hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


def set_choices(field: forms.Field, choices: list[tuple[Any, Any]]) -> None:
    """Choices known only per request (the user's sponsors, regions) on a ChoiceField."""
    assert isinstance(field, forms.ChoiceField)  # noqa: S101 (narrowing for the type checker)
    field.choices = choices


def error_text(error: ValidationError | PermissionDenied) -> str:
    """A service's refusal as one line for a flash message."""
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error) or _("Your role does not allow this.")


class PickerSelect(forms.Select):
    """A long list (the sponsors of a province) as a text box that suggests while typing: each
    choice reads "Name (#12)"; the browser filters by any part of the name (a datalist)."""

    template_name = "core/widgets/picker.html"

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        widget = context["widget"]
        labels = {str(key): str(label) for key, label in self.choices if key not in ("", None)}
        chosen = next(iter(widget["value"]), "") if widget["value"] else ""
        widget["text"] = PickerChoiceField.written(chosen, labels.get(str(chosen))) if chosen in labels else ""
        widget["options"] = [PickerChoiceField.written(key, label) for key, label in labels.items()]
        widget["list_id"] = f"{widget['attrs'].get('id', name)}-choices"
        return context


class PickerChoiceField(forms.ChoiceField):
    """A ChoiceField picked by name through PickerSelect; "Name (#12)" or "12" clean to "12"."""

    widget = PickerSelect

    @staticmethod
    def written(key: Any, label: Any) -> str:
        return f"{label} (#{key})"

    def to_python(self, value: Any) -> str:
        text = str(super().to_python(value))
        if text.endswith(")") and "(#" in text:
            return text.rsplit("(#", 1)[1].rstrip(")").strip()
        choices: list[tuple[Any, Any]] = list(self.choices)  # type: ignore[arg-type]
        known = {str(label).casefold(): str(key) for key, label in choices if key not in ("", None)}
        return known.get(text.strip().casefold(), text)

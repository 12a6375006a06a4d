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

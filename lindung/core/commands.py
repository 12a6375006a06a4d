"""Shared behaviour for Lindung's management commands: bad input is exit code 2 and one clear line."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError


def input_error(error: ValidationError) -> CommandError:
    """Turn a service's ValidationError into one line naming the field, with exit code 2."""
    if hasattr(error, "error_dict"):
        text = "; ".join(f"{field}: {' '.join(messages)}" for field, messages in error.message_dict.items())
    else:
        text = " ".join(error.messages)
    return CommandError(text, returncode=2)


def indonesian_number(value: int) -> str:
    """10000 -> '10.000', as Indonesian writes thousands."""
    return f"{value:,}".replace(",", ".")

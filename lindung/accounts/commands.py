"""What the management commands share about who runs them."""

from __future__ import annotations

from django.core.management.base import CommandError

from lindung.accounts.models import User


def acting_user(username: str) -> User:
    """The active user named by `--pengguna`: their regions apply and their name goes in the audit."""
    actor = User.objects.filter(username=username, is_active=True).first()
    if actor is None:
        raise CommandError(f"Pengguna {username} tidak ada atau tidak aktif.", returncode=2)
    return actor

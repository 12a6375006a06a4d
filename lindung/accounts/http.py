"""A request whose user is known to be a logged-in Lindung user (behind login_required or API auth)."""

from __future__ import annotations

from django.http import HttpRequest

from lindung.accounts.models import User


class AuthedRequest(HttpRequest):
    user: User

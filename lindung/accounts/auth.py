"""Bearer-token authentication for /api/v1."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer

from lindung.accounts.models import ApiToken, User

# Touch last_used_at at most this often, so a busy client does not write on every request.
TOKEN_TOUCH_SECONDS = 60


def user_for_api_token(raw: str) -> User | None:
    """The active user behind a bearer token, or None for an unknown, revoked or inactive one."""
    token = (
        ApiToken.objects.select_related("user")
        .filter(digest=ApiToken.digest_of(raw), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > TOKEN_TOUCH_SECONDS:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


class BearerToken(HttpBearer):
    """`Authorization: Bearer <token>` with a token from `lindung api_token USERNAME`."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        user = user_for_api_token(token)
        if user is not None:
            request.user = user
        return user

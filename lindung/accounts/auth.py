"""Bearer-token authentication for /api/v1."""

from __future__ import annotations

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja.errors import HttpError
from ninja.security import HttpBearer

from lindung.accounts.models import ApiToken, ApiTokenFailure, User

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
        # A valid token costs no extra query; only a wrong one is counted against its address.
        # (Letting a valid token through a refused address gives nothing away: tokens are 256-bit
        # random, so the limit is about the load and noise of guessing, not about their odds.)
        user = user_for_api_token(token)
        if user is not None:
            request.user = user
            return user
        address = get_client_ip_address(request) or "unknown"
        if _recent_failures(address) >= settings.API_TOKEN_FAILURE_LIMIT:
            minutes = int(settings.API_TOKEN_FAILURE_WINDOW.total_seconds() // 60)
            raise HttpError(
                429,
                _("Too many wrong tokens from this address; try again in %(minutes)s minutes.") % {"minutes": minutes},
            )
        _record_failure(address)
        return None


def _recent_failures(address: str) -> int:
    since = timezone.now() - settings.API_TOKEN_FAILURE_WINDOW
    return ApiTokenFailure.objects.filter(address=address, at__gte=since).count()


def _record_failure(address: str) -> None:
    now = timezone.now()
    ApiTokenFailure.objects.filter(address=address, at__lt=now - settings.API_TOKEN_FAILURE_WINDOW).delete()
    ApiTokenFailure.objects.create(address=address, at=now)

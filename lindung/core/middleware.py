"""Language: Bahasa Indonesia unless the user chose another language with the switcher.

Django's LocaleMiddleware would also follow the browser's Accept-Language; many office
computers run English browsers, and the product speaks Indonesian first, so only the
explicit choice (the language cookie set by /i18n/setlang/) counts. An API client has no cookie:
there its Accept-Language header is the explicit choice (labels in answers, problem texts).
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation


class ChosenLanguageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.available = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        if not chosen and request.path.startswith("/api/") and "HTTP_ACCEPT_LANGUAGE" in request.META:
            chosen = translation.get_language_from_request(request)
        language = chosen if chosen in self.available else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        response.headers.setdefault("Vary", "Cookie, Accept-Language" if request.path.startswith("/api/") else "Cookie")
        return response

"""Errors as RFC 9457 problem details (application/problem+json), for every API error."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from lindung.core.rules_bridge import active_language
from lindung.rules.errors import RuleInputError
from lindung.rules.text import render

PROBLEM_CONTENT_TYPE = "application/problem+json"


def problem(api: NinjaAPI, request: HttpRequest, *, status: int, title: str, detail: str, **extra: Any) -> HttpResponse:
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail, **extra}
    response = api.create_response(request, body, status=status)
    response["Content-Type"] = PROBLEM_CONTENT_TYPE
    return response


def _field_of(location: list[Any] | tuple[Any, ...]) -> str:
    # Ninja reports ("query", "q"), ("path", "code") or ("body", "payload", "quota") where "payload"
    # is the view's parameter name; the field is what the client sent.
    parts = [str(part) for part in location]
    if len(parts) > 2 and parts[0] == "body":
        del parts[1]
    parts = [part for part in parts if part not in {"query", "path", "body", "header", "form"}]
    return ".".join(parts) or "request"


# Pydantic's messages are English; these are the ones query and path parameters produce.
_PYDANTIC_MESSAGES = {
    "missing": gettext_lazy("This parameter is required."),
    "string_too_short": gettext_lazy("Must be at least %(min_length)s characters."),
    "string_too_long": gettext_lazy("Must be at most %(max_length)s characters."),
    "string_pattern_mismatch": gettext_lazy("Wrong format."),
    "int_parsing": gettext_lazy("Must be a whole number."),
    "greater_than_equal": gettext_lazy("Must be at least %(ge)s."),
    "less_than_equal": gettext_lazy("Must be at most %(le)s."),
}


def _message_of(error: dict[str, Any]) -> str:
    """The Indonesian (or English) message for one pydantic error; pydantic's own when unknown."""
    template = _PYDANTIC_MESSAGES.get(str(error.get("type", "")))
    context: dict[str, Any] = dict(error.get("ctx") or {})
    try:
        return str(template) % context if template is not None else str(error.get("msg", ""))
    except (KeyError, TypeError):
        return str(error.get("msg", ""))


def install_problem_handlers(api: NinjaAPI) -> None:
    """Register handlers so every error the API returns is problem+json naming the field where one is at fault."""

    @api.exception_handler(NinjaValidationError)
    def invalid_request(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        errors = [{"field": _field_of(error.get("loc", ())), "message": _message_of(error)} for error in exc.errors]
        detail = "; ".join(f"{error['field']}: {error['message']}" for error in errors)
        return problem(api, request, status=422, title=_("Invalid request"), detail=detail, errors=errors)

    @api.exception_handler(DjangoValidationError)
    def invalid_input(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
        per_field = exc.message_dict if hasattr(exc, "error_dict") else {"request": exc.messages}
        errors = [{"field": field, "message": message} for field, messages in per_field.items() for message in messages]
        detail = "; ".join(f"{error['field']}: {error['message']}" for error in errors)
        return problem(api, request, status=422, title=_("Invalid request"), detail=detail, errors=errors)

    @api.exception_handler(RuleInputError)
    def invalid_rule_input(request: HttpRequest, exc: RuleInputError) -> HttpResponse:
        message = render(exc.message, active_language())
        errors = [{"field": exc.field, "message": message}]
        return problem(
            api, request, status=422, title=_("Invalid request"), detail=f"{exc.field}: {message}", errors=errors
        )

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        response = problem(
            api,
            request,
            status=401,
            title=_("Not authenticated"),
            detail=_("Send a valid token in the header Authorization: Bearer <token>."),
        )
        response["WWW-Authenticate"] = "Bearer"
        return response

    @api.exception_handler(PermissionDenied)
    def forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        return problem(
            api,
            request,
            status=403,
            title=_("Not allowed"),
            detail=str(exc) or _("Your role does not allow this."),
        )

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return problem(api, request, status=404, title=_("Not found"), detail=_("No such object in your regions."))

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        return problem(api, request, status=exc.status_code, title=str(exc.message), detail=str(exc.message))


# Every operation may answer with these, always as problem+json (see install_problem_handlers).
PROBLEM_STATUSES = {
    "400": gettext_lazy("The request cannot be read."),
    "401": gettext_lazy("No valid bearer token."),
    "403": gettext_lazy("The token's user may not do this."),
    "404": gettext_lazy("No such object in the user's regions."),
    "422": gettext_lazy("A field is invalid; `errors` names each."),
    "429": gettext_lazy("Too many wrong tokens from this address."),
}
PROBLEM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "title": "Problem",
    "description": "RFC 9457 problem details.",
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"field": {"type": "string"}, "message": {"type": "string"}},
                "required": ["field", "message"],
            },
        },
    },
    "required": ["type", "title", "status", "detail"],
}


class ProblemDocumentingAPI(NinjaAPI):
    """A NinjaAPI whose OpenAPI schema documents the problem+json answers of every operation."""

    def get_openapi_schema(self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None) -> Any:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        schema.setdefault("components", {}).setdefault("schemas", {})["Problem"] = PROBLEM_SCHEMA
        problem = {PROBLEM_CONTENT_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}}
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                responses = operation.setdefault("responses", {})
                for status, description in PROBLEM_STATUSES.items():
                    responses.setdefault(status, {"description": str(description), "content": problem})
        return schema

"""Who the token belongs to."""

from __future__ import annotations

from ninja import Router, Schema

from lindung.accounts.http import AuthedRequest
from lindung.accounts.models import User

router = Router()


class MeOut(Schema):
    username: str
    full_name: str
    role: str
    regions: list[str]

    @staticmethod
    def resolve_regions(obj: User) -> list[str]:
        return list(obj.region_codes)


@router.get("", response=MeOut, summary="The token's user, role and regions")
def me(request: AuthedRequest) -> User:
    return request.user

from __future__ import annotations

from typing import Any

import factory
from factory.declarations import Sequence
from factory.faker import Faker
from factory.helpers import post_generation

from lindung.accounts.models import RegionAssignment, User
from lindung.accounts.roles import Role

PASSWORD = "kata-sandi-uji-2026"


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = Sequence(lambda n: f"pengguna{n}")
    full_name = Faker("name", locale="id_ID")
    role = Role.OPERATOR_PEMDA
    password = factory.django.Password(PASSWORD)

    @post_generation
    def regions(self: User, create: bool, extracted: list[str] | None, **kwargs: Any) -> None:
        """`regions=["14.08"]`: the codes the user is assigned to."""
        if create and extracted:
            RegionAssignment.objects.bulk_create([RegionAssignment(user=self, region_id=code) for code in extracted])

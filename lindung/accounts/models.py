from __future__ import annotations

import hashlib
from functools import cached_property
from typing import Any, ClassVar

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lindung.accounts.roles import READ_CAPABILITIES, ROLE_CAPABILITIES, Capability, Role
from lindung.regions.models import Region


class User(AbstractUser):
    """A person who works in Lindung, with one role and the regions they serve."""

    region_path: ClassVar[str] = "region_assignments__region"
    scope_spans_many: ClassVar[bool] = True

    first_name = None  # type: ignore[assignment]
    last_name = None  # type: ignore[assignment]
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.PEMANTAU)
    # Daily reminders go to the inbox always, and by email unless the user switched it off.
    email_reminders = models.BooleanField(_("reminders by email"), default=True)
    regions: models.ManyToManyField[Region, RegionAssignment] = models.ManyToManyField(
        "regions.Region", through="RegionAssignment", related_name="users", blank=True
    )
    # An agency officer belongs to an office and serves its service area of the day (never a
    # hand-kept list); a Kanwil's users see its provinces and change nothing.
    office = models.ForeignKey(
        "offices.Office",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
        verbose_name=_("office"),
    )

    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.username

    def get_full_name(self) -> str:
        return self.full_name or self.username

    def get_short_name(self) -> str:
        return self.full_name or self.username

    @property
    def sees_all_regions(self) -> bool:
        return self.role == Role.ADMIN and self.is_active

    @cached_property
    def region_codes(self) -> tuple[str, ...]:
        """Codes of the regions served: the office's area today, else the assigned regions; read once per request."""
        if not self.pk:
            return ()
        if self.office_id is not None:
            return self.office.area_codes(timezone.localdate())  # type: ignore[union-attr]
        return tuple(
            RegionAssignment.objects.filter(user=self).order_by("region_id").values_list("region_id", flat=True)
        )

    @property
    def office_code(self) -> str:
        return self.office.code if self.office_id is not None else ""  # type: ignore[union-attr]

    @cached_property
    def read_only(self) -> bool:
        """A Kanwil's user oversees its branches: it reads everything in its provinces, writes nothing."""
        return self.office_id is not None and self.office.is_kanwil  # type: ignore[union-attr]

    def can(self, capability: Capability) -> bool:
        if not self.is_active or capability not in ROLE_CAPABILITIES.get(self.role, frozenset()):
            return False
        return capability in READ_CAPABILITIES if self.read_only and self.role != Role.ADMIN else True


def office_objects() -> Any:
    """The offices, reached through the user's foreign key: the offices app sits above accounts
    (it imports users for its permission checks), so accounts never imports it."""
    model: Any = User._meta.get_field("office").related_model
    return model.objects


class RegionAssignment(models.Model):
    """A region a user serves; the user sees and changes only what lies inside it."""

    region_path: ClassVar[str] = "region"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="region_assignments")
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    assigned_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "region"], name="unique_user_region")]

    def __str__(self) -> str:
        return f"{self.user_id} @ {self.region_id}"


class ApiToken(models.Model):
    """A bearer token for /api/v1. Only its SHA-256 is stored; the token is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100, blank=True)
    prefix = models.CharField(max_length=12, editable=False)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user_id})"

    @staticmethod
    def digest_of(raw: str) -> str:
        return hashlib.sha256(raw.encode()).hexdigest()


class ApiTokenFailure(models.Model):
    """One request with an unknown, revoked or malformed bearer token, by client address: enough of
    them in a short time and the address is refused for a while (guessing tokens is not free)."""

    address = models.CharField(max_length=45)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["address", "at"], name="token_failure_address_at")]

    def __str__(self) -> str:
        return f"{self.address} {self.at:%Y-%m-%d %H:%M:%S}"

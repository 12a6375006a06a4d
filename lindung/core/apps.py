from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "lindung.core"
    verbose_name = _("Core")

    def ready(self) -> None:
        # Registers the `in_many` lookup on every field.
        from lindung.core import db  # noqa: F401

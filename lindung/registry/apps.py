from django.apps import AppConfig


class RegistryConfig(AppConfig):
    """Persons by NIK, families, sponsors, agreements, memberships and bulk enrolment."""

    name = "lindung.registry"
    label = "registry"

from django.apps import AppConfig


class OfficesConfig(AppConfig):
    """The agency's own map: regional offices (Kanwil), branches and sub-branches, and whom they serve."""

    name = "lindung.offices"
    label = "offices"

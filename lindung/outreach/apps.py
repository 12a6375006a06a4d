from django.apps import AppConfig


class OutreachConfig(AppConfig):
    """Finding the uncovered: lists from the social-affairs office matched against the registry."""

    name = "lindung.outreach"
    label = "outreach"

    def ready(self) -> None:
        pass

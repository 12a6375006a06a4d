from django.apps import AppConfig


class ClaimsConfig(AppConfig):
    """Claims from accident report or death notice to benefits paid to the rightful heirs."""

    name = "lindung.claims"
    label = "claims"

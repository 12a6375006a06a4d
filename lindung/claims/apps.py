from django.apps import AppConfig


class ClaimsConfig(AppConfig):
    """Claims from accident report or death notice to benefits paid to the rightful heirs."""

    name = "lindung.claims"
    label = "claims"

    def ready(self) -> None:
        from lindung.claims import documents, models
        from lindung.core import labels

        for kind, choices in {
            "claim_type": models.ClaimType,
            "jkk_kind": models.JkkKind,
            "claim_status": models.ClaimStatus,
            "document_status": models.DocumentStatus,
            "share_source": models.ShareSource,
            "payout_status": models.PayoutStatus,
        }.items():
            labels.register(kind, choices.choices)
        labels.register("document", [pair for kinds in documents.CHECKLIST.values() for pair in kinds])

from django.apps import AppConfig


class RegistryConfig(AppConfig):
    """Persons by NIK, families, sponsors, agreements, memberships and bulk enrolment."""

    name = "lindung.registry"
    label = "registry"

    def ready(self) -> None:
        from lindung.core import labels
        from lindung.core.benches import bench_register
        from lindung.registry import models
        from lindung.registry.bench import BENCH

        bench_register(BENCH)
        for kind, choices in {
            "sex": models.Sex,
            "segment": models.Segment,
            "category": models.Category,
            "program": models.Program,
            "funding": models.Funding,
            "relation": models.Relation,
            "sponsor_kind": models.SponsorKind,
            "agreement_status": models.AgreementStatus,
            "membership_status": models.MembershipStatus,
            "import_status": models.ImportStatus,
        }.items():
            labels.register(kind, choices.choices)

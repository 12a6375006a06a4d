"""The demo accounts `make run` creates, one per kind of user the demo regions need."""

from __future__ import annotations

from dataclasses import dataclass

from lindung.accounts import services
from lindung.accounts.models import User
from lindung.accounts.roles import Role


@dataclass(frozen=True)
class DemoUser:
    username: str
    password: str
    role: str
    regions: tuple[str, ...]
    full_name: str
    office: str = ""  # agency staff: their office's area is their region


DEMO_USERS = (
    DemoUser("admin", "admin-lindung-demo", Role.ADMIN, (), "Administrator Lindung"),
    DemoUser("siak", "siak-lindung-demo", Role.OPERATOR_PEMDA, ("14.08",), "Operator Pemkab Siak"),
    DemoUser("dumai", "dumai-lindung-demo", Role.OPERATOR_PEMDA, ("14.72",), "Operator Pemkot Dumai"),
    DemoUser("riau", "riau-lindung-demo", Role.PEMANTAU, ("14",), "Pemantau Provinsi Riau"),
    DemoUser("cabang", "cabang-lindung-demo", Role.PETUGAS_CABANG, (), "Petugas BPJamsostek Cabang Siak", "kc-siak"),
    DemoUser(
        "cabangdumai", "bpjs-dumai-demo-2026", Role.PETUGAS_CABANG, (), "Petugas BPJamsostek Cabang Dumai", "kc-dumai"
    ),
    DemoUser(
        "kanwil",
        "kanwil-lindung-demo",
        Role.PETUGAS_CABANG,
        (),
        "Staf Kanwil Sumbar Riau (baca saja)",
        "kanwil-sumbarriau",
    ),
)


def demo_users_ensure() -> list[tuple[DemoUser, bool]]:
    """Create the demo accounts that are missing; existing ones are left as they are."""
    outcome = []
    for demo in DEMO_USERS:
        exists = User.objects.filter(username=demo.username).exists()
        if not exists:
            services.user_create(
                actor=None,
                username=demo.username,
                role=demo.role,
                region_codes=demo.regions,
                password=demo.password,
                full_name=demo.full_name,
                office=services.office_by_code(demo.office),
            )
        outcome.append((demo, not exists))
    return outcome

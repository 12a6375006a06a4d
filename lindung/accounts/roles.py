"""Roles and what each may do. Navigation, pages, API and services all ask here."""

from __future__ import annotations

from enum import StrEnum

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN = "admin", _("Administrator")
    PETUGAS_CABANG = "petugas_cabang", _("Branch officer")
    OPERATOR_PEMDA = "operator_pemda", _("Regional government operator")
    OPERATOR_DESA = "operator_desa", _("Village operator")
    PEMANTAU = "pemantau", _("Monitor (read-only)")


class Capability(StrEnum):
    VIEW_REGIONS = "regions.view"
    VIEW_USERS = "users.view"
    MANAGE_USERS = "users.manage"
    VIEW_AUDIT = "audit.view"
    # Persons carry personal data: only those who enrol them see them, never a monitor.
    VIEW_PERSONS = "registry.persons.view"
    ENROL_MEMBERS = "registry.members.enrol"
    VIEW_SPONSORS = "registry.sponsors.view"
    # Sponsors and their agreements are signed by the branch.
    MANAGE_SPONSORS = "registry.sponsors.manage"
    # Invoices, payments and coverage: figures a monitor may read; billing is for who collects or pays.
    VIEW_CONTRIBUTIONS = "contributions.view"
    BILL_CONTRIBUTIONS = "contributions.bill"
    # Entering, importing, matching and reversing payments: who handles the money received.
    RECORD_PAYMENTS = "contributions.pay"
    # ... of any payer (companies, self-payers, the unmatched queue): the branch. A Pemda operator
    # handles the payments of the government sponsors it covers only.
    RECORD_ANY_PAYMENTS = "contributions.pay.any"
    # A payer's history before Lindung (the month Lindung bills from, the months paid to the agency
    # before it): the branch, which holds the agency's payment records.
    RECORD_PAYMENT_HISTORY = "contributions.history"
    # Claims: who may see them, take them in (the branch, or a Pemda as the staffing authority),
    # and decide them (verify, approve, reject, pay: the branch; one officer never both verifies and approves).
    VIEW_CLAIMS = "claims.view"
    SUBMIT_CLAIMS = "claims.submit"
    DECIDE_CLAIMS = "claims.decide"
    # Workforce figures (the denominators of coverage): loaded by the branch or a Pemda for its regions.
    IMPORT_WORKFORCE = "monitoring.workforce.import"
    # The agency's own participant and claim counts: uploaded by the branch, which holds them.
    IMPORT_AGENCY_FIGURES = "monitoring.agency.import"
    # Yearly coverage targets (RPJMD, Inpres 2/2021): set by the regional government or the branch.
    SET_COVERAGE_TARGETS = "monitoring.targets.set"
    # Dashboards, rankings and reports over the user's regions: every role; the weights of the
    # ranking index: administrators only.
    VIEW_MONITORING = "monitoring.view"
    # Lists of the poor and vulnerable from the social-affairs office (DTKS, Regsosek, P3KE): personal
    # data of people not yet in Lindung, for who plans and enrols them: the branch and the Pemda.
    MANAGE_TARGET_LISTS = "outreach.targets"
    SET_RANKING_WEIGHTS = "monitoring.weights"
    # The agency's offices and the regions each serves: the administrator keeps them.
    MANAGE_OFFICES = "offices.manage"


# What every role that enrols workers may do with the registry.
_REGISTRY = (Capability.VIEW_PERSONS, Capability.ENROL_MEMBERS, Capability.VIEW_SPONSORS)

ROLE_CAPABILITIES: dict[str, frozenset[Capability]] = {
    Role.ADMIN: frozenset(Capability),
    Role.PETUGAS_CABANG: frozenset(
        {
            Capability.VIEW_REGIONS,
            Capability.VIEW_USERS,
            Capability.MANAGE_USERS,
            *_REGISTRY,
            Capability.MANAGE_SPONSORS,
            Capability.VIEW_CONTRIBUTIONS,
            Capability.BILL_CONTRIBUTIONS,
            Capability.RECORD_PAYMENTS,
            Capability.RECORD_ANY_PAYMENTS,
            Capability.RECORD_PAYMENT_HISTORY,
            Capability.VIEW_CLAIMS,
            Capability.SUBMIT_CLAIMS,
            Capability.DECIDE_CLAIMS,
            Capability.IMPORT_WORKFORCE,
            Capability.IMPORT_AGENCY_FIGURES,
            Capability.SET_COVERAGE_TARGETS,
            Capability.VIEW_MONITORING,
            Capability.MANAGE_TARGET_LISTS,
        }
    ),
    Role.OPERATOR_PEMDA: frozenset(
        {
            Capability.VIEW_REGIONS,
            Capability.VIEW_USERS,
            Capability.MANAGE_USERS,
            *_REGISTRY,
            Capability.VIEW_CONTRIBUTIONS,
            Capability.BILL_CONTRIBUTIONS,
            Capability.RECORD_PAYMENTS,
            Capability.VIEW_CLAIMS,
            Capability.SUBMIT_CLAIMS,
            Capability.IMPORT_WORKFORCE,
            Capability.SET_COVERAGE_TARGETS,
            Capability.VIEW_MONITORING,
            Capability.MANAGE_TARGET_LISTS,
        }
    ),
    Role.OPERATOR_DESA: frozenset(
        {Capability.VIEW_REGIONS, *_REGISTRY, Capability.VIEW_CONTRIBUTIONS, Capability.VIEW_MONITORING}
    ),
    Role.PEMANTAU: frozenset(
        {
            Capability.VIEW_REGIONS,
            Capability.VIEW_USERS,
            Capability.VIEW_SPONSORS,
            Capability.VIEW_CONTRIBUTIONS,
            Capability.VIEW_MONITORING,
        }
    ),
}

# What a read-only user (a Kanwil's) may still do: look, never write.
READ_CAPABILITIES = frozenset(
    {
        Capability.VIEW_REGIONS,
        Capability.VIEW_USERS,
        Capability.VIEW_SPONSORS,
        Capability.VIEW_CONTRIBUTIONS,
        Capability.VIEW_CLAIMS,
        Capability.VIEW_MONITORING,
    }
)

# Whose accounts a role may create and change, inside its own regions. A branch onboards
# the Pemda and village operators it works with; a Pemda onboards its villages' operators.
MANAGEABLE_ROLES: dict[str, frozenset[str]] = {
    Role.ADMIN: frozenset(Role.values),
    Role.PETUGAS_CABANG: frozenset({Role.OPERATOR_PEMDA, Role.OPERATOR_DESA}),
    Role.OPERATOR_PEMDA: frozenset({Role.OPERATOR_DESA}),
    Role.OPERATOR_DESA: frozenset(),
    Role.PEMANTAU: frozenset(),
}

# A village operator works for one village government, so its regions must be villages.
VILLAGE_ONLY_ROLES = frozenset({Role.OPERATOR_DESA})

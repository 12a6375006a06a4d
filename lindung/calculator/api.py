"""Public calculator endpoints: the same inputs and the same JSON as `lindung rules ...`.

Every parameter is taken as text and parsed by lindung.rules.inputs, so a bad value gets the
same message on the API as on the CLI and the page (422 problem+json naming the field).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from lindung.core.inputs import InputSchema
from lindung.core.rules_bridge import active_language, as_json
from lindung.rules import inputs

router = Router(auth=None)


class ItemOut(Schema):
    program: str
    component: str
    basis: int = Field(description="Whole rupiah the rate applies to (or the fixed amount).")
    rate: str | None = Field(description="Decimal fraction as text: '0.0024' is 0.24%; null for fixed amounts.")
    amount: int = Field(description="Whole rupiah, rounded half up.")
    employer_share: int | None
    worker_share: int | None
    legal_basis: str
    formula: str


class ContributionOut(Schema):
    items: list[ItemOut]
    total: int = Field(description="Sum of the item amounts, whole rupiah.")
    due_date: str
    notes: list[str]
    rules_version: str


class BenefitOut(Schema):
    items: list[ItemOut]
    total: int
    eligible: bool
    notes: list[str]
    rules_version: str


class HeirOut(Schema):
    position: int
    relation: str


class HeirsOut(Schema):
    group: int | None
    heirs: list[HeirOut]
    reason: str
    legal_basis: str


class ContributionParams(InputSchema):
    period: str | None = Field(None, description="Contribution month, YYYY-MM (2014-01 or later).")
    segment: str | None = Field(None, description="pu, bpu or jakon.")
    programs: str | None = Field(None, description="Comma-separated: jkk,jkm,jht,jp. Default: the segment's.")
    wage: str | None = Field(None, description="Monthly wage in whole rupiah (PU; jakon when wages are known).")
    income: str | None = Field(None, description="Declared monthly income in whole rupiah (BPU).")
    contract_value: str | None = Field(None, description="Contract value excluding VAT (jakon).")
    risk_class: str | None = Field(None, description="JKK risk class 1-5 (PU).")
    funding: str | None = Field(None, description="apbd, apbdes, apbn, mandiri, pemberi_kerja or csr.")
    sector: str | None = Field(None, description="BPU sector for PP 50/2025: transportasi or lainnya.")
    industry: str | None = Field(None, description="Employer industry for PP 7/2025, e.g. garmen.")
    workers: str | None = Field(None, description="Employer's number of workers (PP 7/2025).")
    paid_on: str | None = Field(None, description="Payment date YYYY-MM-DD, to compute a late penalty.")


class BenefitParams(InputSchema):
    program: str | None = Field(None, description="jkm, jkk, beasiswa or jht.")
    event_date: str | None = Field(None, description="Date of the death, accident or payout event, YYYY-MM-DD.")
    kind: str | None = Field(None, description="JKK: death, disability, total_disability or stmb.")
    wage: str | None = Field(None, description="Last reported monthly wage, whole rupiah (JKK).")
    percentage: str | None = Field(None, description="Disability table percentage, e.g. 40.")
    function_loss: str | None = Field(None, description="Functional disability: percent of function lost.")
    months: str | None = Field(None, description="STMB: months unable to work.")
    membership_start: str | None = Field(None, description="Membership start YYYY-MM-DD (scholarship, JHT).")
    children: str | None = Field(None, description="BIRTHDATE:LEVEL,...  level: belum_sekolah, tk, sd, smp, sma, s1.")
    cause: str | None = Field(None, description="beasiswa: jkm or jkk.")
    on_date: str | None = Field(None, description="beasiswa: the school-year claim date.")
    reason: str | None = Field(None, description="jht: pensiun, cacat_total, meninggal, berhenti_bekerja, phk, ...")
    birth_date: str | None = Field(None, description="jht pensiun: the member's birth date.")
    balance: str | None = Field(None, description="jht: the balance in whole rupiah.")


class HeirsParams(InputSchema):
    relatives: str | None = Field(None, description="Relation codes, comma-separated: spouse,child,parent,...")
    event_date: str | None = Field(None, description="Date of death, YYYY-MM-DD.")


@router.get("/contribution", response=ContributionOut, summary="Contribution for one member and period")
def contribution(request: HttpRequest, params: Query[ContributionParams]) -> dict[str, Any]:
    return as_json(inputs.calculate_contribution(params.dict()))


@router.get("/benefit", response=BenefitOut, summary="Benefit for an event date")
def benefit(request: HttpRequest, params: Query[BenefitParams]) -> dict[str, Any]:
    return as_json(inputs.calculate_benefit(params.dict()))


@router.get("/heirs", response=HeirsOut, summary="Heirs in the legal order")
def heirs(request: HttpRequest, params: Query[HeirsParams]) -> dict[str, Any]:
    relatives, choice = inputs.choose_heirs(params.dict())
    return inputs.heirs_json(relatives, choice, active_language())

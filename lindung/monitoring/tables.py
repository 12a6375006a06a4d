"""The dashboards' tables, built once and shown on the page, written to XLSX and printed in the PDF
report, so the three never disagree."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook

from lindung.core.exports import neutral_row, workbook_bytes
from lindung.monitoring.agency import AgencyClaims, AgencyTotal, agency_totals
from lindung.monitoring.models import AgeBand, RankingIndicator
from lindung.monitoring.offices import KanwilGroup, OfficeFigures
from lindung.monitoring.selectors import (
    Commitment,
    Coverage,
    CoverageRow,
    DistrictVillages,
    Money,
    MoneyRow,
    RankRow,
)
from lindung.registry.models import Category, Segment, Sex

PROGRAMS = {
    "jkk": "JKK",
    "jkm": "JKM",
    "jht": "JHT",
    "jp": "JP",
    "denda": gettext_lazy("Penalty"),
    "beasiswa": gettext_lazy("Scholarship"),
}


@dataclass
class Table:
    """A titled table: header cells and rows of plain values (numbers stay numbers for XLSX)."""

    key: str
    title: str
    headers: list[str]
    rows: list[list[Any]] = field(default_factory=list)
    # Per row, the child region's code when the row drills down (pages link it; files ignore it).
    links: list[str] = field(default_factory=list)
    # The page the links open ("" for a region's coverage page; an office's page for office rows).
    link_view: str = ""


def dimension_label(dimension: str, value: str) -> str:
    choices: dict[str, Any] = {
        "segment": dict(Segment.choices),
        "category": dict(Category.choices),
        "sex": dict(Sex.choices),
        "age_band": dict(AgeBand.choices),
    }
    return str(choices.get(dimension, {}).get(value, value or "-"))


def _coverage_headers(first: str) -> list[str]:
    return [
        first,
        _("Registered in Lindung"),
        _("Active (paid) in Lindung"),
        _("Workforce"),
        _("Not active in Lindung"),
        _("Active in Lindung, of the workforce (%)"),
    ]


def official_totals(figures: Coverage) -> dict[str, AgencyTotal]:
    """The agency's figures of the place and each child for the month, read once for a page."""
    return agency_totals([child.code for child in figures.children] + [figures.place.code], figures.period)


def official_table(figures: Coverage, totals: dict[str, AgencyTotal] | None = None) -> Table | None:
    """Coverage as officially counted, each child region and the total: the agency's participants
    against the BPS workforce, highest coverage first, with the source. None when no region has any."""
    totals = official_totals(figures) if totals is None else totals
    if not totals:
        return None
    table = Table(
        "resmi",
        _("Coverage as officially counted, by region"),
        [
            _("Region"),
            _("Workforce (BPS)"),
            _("Participants per the agency"),
            _("Coverage per the agency (%)"),
            _("Source"),
        ],
    )
    rows = []
    # Children are listed when at least one has the agency's figure; otherwise only the total.
    children = figures.children if any(child.code in totals for child in figures.children) else []
    for child in children:
        official = totals.get(child.code)
        percent = round(100 * official.registered / child.workforce, 1) if official and child.workforce else None
        rows.append(
            (
                percent if percent is not None else -1.0,
                child.code,
                [
                    child.name,
                    child.workforce or None,
                    official.registered if official else None,
                    percent,
                    official.source if official else _("not loaded"),
                ],
            )
        )
    for _percent, code, cells in sorted(rows, key=lambda row: (-row[0], row[1])):
        table.rows.append(cells)
        table.links.append(code)
    total = totals.get(figures.place.code)
    if total is not None:
        workforce = figures.total.workforce
        percent = round(100 * total.registered / workforce, 1) if workforce else None
        table.rows.append([_("Total"), workforce or None, total.registered, percent, total.source])
        table.links.append("")
    return table


@dataclass(frozen=True)
class Tile:
    """One region in the coverage map: its coverage per the agency, else Lindung's own (labelled)."""

    code: str
    name: str
    percent: float | None
    official: bool

    @property
    def band(self) -> str:
        """The colour band: the same four steps for every level, so pages compare."""
        if self.percent is None:
            return "none"
        return next(band for limit, band in TILE_BANDS if self.percent < limit)


TILE_BANDS = ((25.0, "low"), (50.0, "mid"), (75.0, "good"), (float("inf"), "high"))


def coverage_tiles(figures: Coverage, totals: dict[str, AgencyTotal] | None = None) -> list[Tile]:
    """The child regions as tiles ranked by coverage, highest first: the agency's participants over
    the BPS workforce where its figures are loaded, else Lindung's active members (marked so)."""
    totals = official_totals(figures) if totals is None else totals
    tiles = []
    for child in figures.children:
        official = totals.get(child.code)
        if official is not None and child.workforce:
            tiles.append(Tile(child.code, child.name, round(100 * official.registered / child.workforce, 1), True))
        else:
            tiles.append(Tile(child.code, child.name, child.percent, False))
    return sorted(tiles, key=lambda tile: (tile.percent is None, -(tile.percent or 0.0), tile.name))


def ranking_tiles(rows: Sequence[RankRow]) -> list[Tile]:
    """The ranking's coverage indicator as tiles (the agency's where loaded), highest first."""
    tiles = [
        Tile(
            row.code,
            row.name,
            None if row.workforce_missing else row.scores[RankingIndicator.COVERAGE.value],
            row.official,
        )
        for row in rows
    ]
    return sorted(tiles, key=lambda tile: (tile.percent is None, -(tile.percent or 0.0), tile.name))


def _coverage_cells(label: str, row: CoverageRow) -> list[Any]:
    return [label, row.registered, row.active, row.workforce or None, row.not_covered or None, row.percent]


def coverage_tables(figures: Coverage, totals: dict[str, AgencyTotal] | None = None) -> list[Table]:
    """The drill-down table, then one table per dimension, then the trend."""
    tables = []
    official = official_table(figures, totals)
    if official is not None:
        tables.append(official)
    if figures.children:
        children = Table("wilayah", _("Administered in Lindung, by region"), _coverage_headers(_("Region")))
        for child in figures.children:
            children.rows.append(_coverage_cells(child.name, child))
            children.links.append(child.code)
        if figures.unplaced is not None:
            children.rows.append(_coverage_cells(figures.unplaced.name, figures.unplaced))
            children.links.append("")
        children.rows.append(_coverage_cells(_("Total"), figures.total))
        children.links.append("")
        tables.append(children)
    titles = {
        "segment": _("By segment"),
        "category": _("By category"),
        "sex": _("By sex"),
        "age_band": _("By age group"),
    }
    for dimension, rows in figures.by.items():
        table = Table(dimension, titles[dimension], _coverage_headers(_("Group")))
        table.rows = [_coverage_cells(dimension_label(dimension, row.code), row) for row in rows]
        tables.append(table)
    trend = Table("tren", _("Month by month"), [_("Month"), _("Registered"), _("Active (paid)")])
    trend.rows = [[month, registered, active] for month, registered, active in figures.trend]
    tables.append(trend)
    return tables


def village_table(districts: Sequence[DistrictVillages]) -> Table:
    table = Table(
        "desa",
        _("Village officials' protection"),
        [_("District"), _("Village"), _("Code"), _("Officials registered"), _("Officials protected"), _("Status")],
    )
    for district in districts:
        for village in district.villages:
            status = _("Protected") if village.protected else _("Not protected")
            if not village.protected and village.officials:
                status = _("Registered, contributions unpaid")
            table.rows.append(
                [district.name, village.name, village.code, village.officials, village.protected_officials, status]
            )
    return table


def _money_cells(label: str, row: MoneyRow) -> list[Any]:
    return [label, row.billed, row.collected, row.outstanding, row.arrears, row.compliance, row.claims, row.claims_paid]


MONEY_HEADERS = (
    gettext_lazy("Billed (Rp)"),
    gettext_lazy("Collected (Rp)"),
    gettext_lazy("Outstanding (Rp)"),
    gettext_lazy("Arrears (Rp)"),
    gettext_lazy("Collected (%)"),
    gettext_lazy("Claims paid"),
    gettext_lazy("Claims paid (Rp)"),
)


def money_tables(figures: Money, agency_claims: AgencyClaims | None = None) -> list[Table]:
    headers = [str(text) for text in MONEY_HEADERS]
    tables = []
    if agency_claims is not None:
        tables.append(official_claims_table(agency_claims, figures.year))
    if figures.children:
        children = Table("keuangan-wilayah", _("Money by region"), [_("Region"), *headers])
        for child in figures.children:
            children.rows.append(_money_cells(child.name, child))
            children.links.append(child.code)
        children.rows.append(_money_cells(_("Total"), figures.total))
        children.links.append("")
        tables.append(children)
    programs = Table(
        "program", _("By program"), [_("Program"), _("Billed (Rp)"), _("Claims paid"), _("Claims paid (Rp)")]
    )
    programs.rows = [[str(PROGRAMS.get(p.code, p.code)), p.billed, p.claims, p.claims_paid] for p in figures.programs]
    tables.append(programs)
    months = Table("bulan", _("By month"), [_("Month"), *headers])
    months.rows = [_money_cells(row.code, row) for row in figures.months]
    tables.append(months)
    return tables


def official_claims_table(claims: AgencyClaims, year: int) -> Table:
    """Claims paid in the year as the agency counts them, per program, with the source."""
    table = Table(
        "klaim-resmi",
        _("Claims paid per the agency, %(year)s") % {"year": year},
        [_("Program"), _("Claims paid"), _("Claims paid (Rp)"), _("Source")],
    )
    for program in sorted(claims.by_program):
        count, rupiah = claims.by_program[program]
        table.rows.append([str(PROGRAMS.get(program, program.upper())), count, rupiah, claims.source])
    table.rows.append([_("Total"), claims.count, claims.rupiah, claims.source])
    return table


def commitment_tables(figures: Commitment) -> list[Table]:
    agreements = Table(
        "komitmen",
        _("Active funded agreements of regional and village governments"),
        [
            _("Government"),
            _("Region code"),
            _("Agreement"),
            _("Categories"),
            _("Quota"),
            _("Workers covered"),
            _("Of quota (%)"),
            _("Budget ceiling (Rp)"),
            _("Ends on"),
        ],
    )
    for row in figures.agreements:
        agreements.rows.append(
            [
                row.sponsor,
                row.region_code,
                row.agreement,
                ", ".join(dimension_label("category", c) for c in row.categories),
                row.quota,
                row.workers,
                round(100 * row.workers / row.quota, 1) if row.quota else None,
                row.budget_ceiling,
                row.ends_on.strftime("%d-%m-%Y"),
            ]
        )
    regencies = Table("tanpa-pemda", _("Regencies and cities without a funded agreement"), [_("Code"), _("Name")])
    regencies.rows = [[code, name] for code, name in figures.regencies_without]
    tables = [agreements, regencies]
    if figures.villages_without:
        villages = Table("tanpa-pemdes", _("Villages without a funded agreement"), [_("Code"), _("Name")])
        villages.rows = [[code, name] for code, name in figures.villages_without]
        tables.append(villages)
    return tables


def ranking_table(rows: Sequence[RankRow], weights: dict[str, int]) -> Table:
    indicators = list(RankingIndicator)
    table = Table(
        "peringkat",
        _("Ranking"),
        [
            _("Rank"),
            _("Region"),
            *[f"{indicator.label} ({weights.get(indicator.value, 0)})" for indicator in indicators],
            _("Index"),
            _("Coverage counted by"),
        ],
    )
    for row in rows:
        counted_by = _("the agency") if row.official else _("Lindung only")
        scores = [row.scores[indicator.value] for indicator in indicators]
        table.rows.append([row.rank, row.name, *scores, row.index, counted_by])
        table.links.append(row.code)
    return table


def workbook(title: str, tables: Sequence[Table]) -> bytes:
    """One sheet per table, the title on top, then the header and the rows exactly as on the page."""
    book = Workbook(write_only=True)
    for table in tables:
        sheet = book.create_sheet(table.key[:31])
        sheet.append(neutral_row([f"{title}: {table.title}"]))
        sheet.append(neutral_row(table.headers))
        for row in table.rows:
            sheet.append(neutral_row(row))
    return workbook_bytes(book)


def office_tables(figures: OfficeFigures, weights: dict[str, int]) -> list[Table]:
    """An office's page, file and report: its regions' coverage (a Kanwil's branches too), money and
    claims of the year, commitment and ranking; each total the sum of its rows."""
    kanwil = figures.office.kind == "kanwil"
    region_word = _("Province") if kanwil else _("Regency/city")
    coverage = Table("kantor-cakupan", _("Coverage by region"), _coverage_headers(region_word))
    for row in figures.coverage:
        coverage.rows.append(_coverage_cells(row.name, row))
        coverage.links.append(row.code)
    coverage.rows.append(_coverage_cells(_("Total"), figures.coverage_total))
    coverage.links.append("")
    result = [coverage]
    if figures.branches:
        branches = Table("kantor-cabang", _("Coverage by branch"), _coverage_headers(_("Branch office")))
        branches.link_view = "monitoring:office"
        for row in figures.branches:
            branches.rows.append(_coverage_cells(row.name, row))
            branches.links.append(row.code)
        if figures.province_level is not None:
            branches.rows.append(_coverage_cells(figures.province_level.name, figures.province_level))
            branches.links.append("")
        branches.rows.append(_coverage_cells(_("Total"), figures.coverage_total))
        branches.links.append("")
        result.append(branches)
    money = Table(
        "kantor-keuangan",
        _("Money and claims by region, %(year)s") % {"year": figures.period.year},
        [region_word, *[str(text) for text in MONEY_HEADERS]],
    )
    for money_row in figures.money:
        money.rows.append(_money_cells(money_row.name, money_row))
        money.links.append(money_row.code)
    money.rows.append(_money_cells(_("Total"), figures.money_total))
    money.links.append("")
    result.append(money)
    commitment = Table(
        "kantor-komitmen",
        _("Commitment by region"),
        [
            region_word,
            _("Funded agreements"),
            _("Quota"),
            _("Workers covered"),
            _("Budget ceiling (Rp)"),
            _("Regencies/cities without one"),
            _("Villages"),
        ],
    )
    for summary in figures.commitment:
        commitment.rows.append(
            [
                summary.name,
                summary.agreements,
                summary.quota,
                summary.workers,
                summary.budget_ceiling,
                summary.regencies_without,
                summary.villages_total,
            ]
        )
        commitment.links.append(summary.code)
    result.append(commitment)
    ranking = ranking_table(figures.ranking, weights)
    ranking.key = "kantor-peringkat"
    result.append(ranking)
    return result


def kanwil_table(groups: Sequence[KanwilGroup], total: CoverageRow, unplaced: CoverageRow | None = None) -> Table:
    """The national coverage by regional office: each Kanwil's provinces summed, then the total."""
    table = Table("kanwil", _("Administered in Lindung, by regional office"), _coverage_headers(_("Regional office")))
    table.link_view = "monitoring:office"
    for group in groups:
        table.rows.append(_coverage_cells(group.name, group.coverage))
        table.links.append(group.code)
    if unplaced is not None:
        table.rows.append(_coverage_cells(unplaced.name, unplaced))
        table.links.append("")
    table.rows.append(_coverage_cells(_("Total"), total))
    table.links.append("")
    return table

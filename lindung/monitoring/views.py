"""Monitoring pages: coverage with drill-down, village protection, money, commitment, ranking, and
the region report. Every page reads the rollups through the selectors and downloads as XLSX."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from lindung.accounts.http import AuthedRequest
from lindung.accounts.permissions import require
from lindung.accounts.roles import Capability
from lindung.core.forms_util import error_text
from lindung.core.paging import BoundedPaginator
from lindung.core.replica import replica_reads
from lindung.monitoring import agency, charts, offices, reports, selectors, services, tables, targets
from lindung.monitoring.models import RankingIndicator
from lindung.monitoring.selectors import Place
from lindung.monitoring.workforce import workforce_file_import
from lindung.outreach.officials import latest_register, register_counts
from lindung.rules.periods import Period

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
NATIONAL_SLUG = "nasional"

View = Callable[..., HttpResponse]


def monitor(view: View) -> View:
    """Signed in, allowed to monitor, and the region in the URL inside the user's regions (else 404)."""

    @wraps(view)
    @login_required
    def wrapped(request: AuthedRequest, code: str, *args: Any, **kwargs: Any) -> HttpResponse:
        require(request.user, Capability.VIEW_MONITORING)
        place = selectors.place_get(actor=request.user, code="" if code == NATIONAL_SLUG else code)
        # Pages, exports and the PDF may read a replica (a user who just wrote stays on the primary).
        with replica_reads():
            return view(request, place, *args, **kwargs)

    return wrapped


def month_label(code: str) -> str:
    """ "2026-01" as a chart names it: "Jan 2026" (in the active language)."""
    year, month = (int(part) for part in code.split("-"))
    return date_format(date(year, month, 1), "M Y")


def slug(code: str) -> str:
    return code or NATIONAL_SLUG


@login_required
def home(request: AuthedRequest) -> HttpResponse:
    """Agency staff start at their office's page; everyone else at their first region (or the nation)."""
    require(request.user, Capability.VIEW_MONITORING)
    office = request.user.office
    if office is not None and not request.user.sees_all_regions and office.area_codes(timezone.localdate()):
        return redirect("monitoring:office", office_code=office.code)
    return redirect("monitoring:coverage", code=slug(selectors.home_code(request.user)))


def _page(request: AuthedRequest, place: Place, tab: str, period: Period | None, **extra: Any) -> dict[str, Any]:
    """What every monitoring page shows around its figures: the trail, the tabs, the month."""
    tabs = [
        ("coverage", pgettext("monitoring tab", "Coverage")),
        *([("villages", _("Villages"))] if place.is_regency else []),
        ("money", _("Money")),
        ("commitment", _("Commitment")),
        *([("ranking", _("Ranking"))] if place.level < 3 else []),
    ]
    return {
        "place": place,
        "place_slug": slug(place.code),
        "trail": selectors.breadcrumbs(place, request.user),
        "tabs": [(name, label, _tab_url(name, place, period)) for name, label in tabs],
        "tab": tab,
        "period": period,
        "periods": list(reversed(selectors.periods_held())),
        **extra,
    }


def _tab_url(name: str, place: Place, period: Period | None) -> str:
    """A tab keeps the month being looked at."""
    url = reverse(f"monitoring:{name}", args=[slug(place.code)])
    return f"{url}?periode={period}" if period else url


def _download(place: Place, name: str, table_list: list[tables.Table]) -> HttpResponse:
    title = f"{place.name} {name}"
    response = HttpResponse(tables.workbook(title, table_list), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="pantau-{slug(place.code)}-{name}.xlsx"'
    return response


def _no_rollups(request: AuthedRequest, place: Place, tab: str) -> HttpResponse:
    return render(request, "monitoring/empty.html", _page(request, place, tab, None))


@monitor
def coverage(request: AuthedRequest, place: Place) -> HttpResponse:
    today = timezone.localdate()
    period = selectors.period_or_default(request.GET.get("periode"), today=today)
    if period is None:
        return _no_rollups(request, place, "coverage")
    figures = selectors.coverage(place, period)
    totals = tables.official_totals(figures)
    official = agency.official_coverage(place.code, period, figures.total.workforce, totals)
    tiles = tables.coverage_tiles(figures, totals)
    table_list = tables.coverage_tables(figures, totals)
    if place.is_national:
        groups = offices.kanwil_groups(figures.children, period)
        table_list.insert(1 if totals else 0, tables.kanwil_table(groups, figures.total, figures.unplaced))
    if request.GET.get("unduh") == "xlsx":
        return _download(place, f"cakupan-{period}", table_list)
    context = _page(
        request,
        place,
        "coverage",
        period,
        figures=figures,
        tables=table_list,
        child_bars=charts.bars([(child.name, child.active) for child in figures.children]),
        trend_line=charts.trend_line(figures.trend),
        can_import=request.user.can(Capability.IMPORT_WORKFORCE),
        can_import_agency=request.user.can(Capability.IMPORT_AGENCY_FIGURES),
        can_set_target=bool(place.code) and request.user.can(Capability.SET_COVERAGE_TARGETS),
        official=official,
        tiles=tiles,
        official_children=sum(tile.official for tile in tiles),
        progress=targets.progress(
            place.code,
            period.year,
            official=official.percent if official else None,
            lindung=figures.total.percent,
        ),
    )
    return render(request, "monitoring/coverage.html", context)


@require_POST
@monitor
def agency_upload(request: AuthedRequest, place: Place) -> HttpResponse:
    """The agency's own figures (CSV or XLSX), with their source; bad rows are listed."""
    file = request.FILES.get("berkas")
    if file is None:
        messages.error(request, _("Choose a CSV or XLSX file."))
        return redirect("monitoring:coverage", code=slug(place.code))
    try:
        result = agency.agency_file_import(actor=request.user, file=file, source=request.POST.get("sumber", ""))
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, result.message())
        for problem in result.problems[:20]:
            messages.warning(request, _("Row %(row)s, %(column)s: %(message)s") % problem.__dict__)
    return redirect("monitoring:coverage", code=slug(place.code))


@require_POST
@monitor
def target_save(request: AuthedRequest, place: Place) -> HttpResponse:
    """A yearly coverage target for the region, with its basis."""
    try:
        year = int(request.POST.get("tahun", ""))
    except ValueError:
        year = 0
    try:
        targets.target_set(
            actor=request.user,
            region_code=place.code,
            year=year,
            percent=request.POST.get("persen", ""),
            basis=request.POST.get("dasar", ""),
        )
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("Target saved."))
    return redirect("monitoring:coverage", code=slug(place.code))


@login_required
def agency_template(request: AuthedRequest) -> HttpResponse:
    response = HttpResponse(agency.template_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="templat-angka-bpjs.csv"'
    return response


@monitor
def villages(request: AuthedRequest, place: Place) -> HttpResponse:
    if not place.is_regency:
        return redirect("monitoring:coverage", code=slug(place.code))
    period = selectors.period_or_default(request.GET.get("periode"), today=timezone.localdate())
    if period is None:
        return _no_rollups(request, place, "villages")
    register = latest_register(place.code)
    districts = selectors.village_protection(place, period, register_counts(register) if register else None)
    table = tables.village_table(districts)
    if request.GET.get("unduh") == "xlsx":
        return _download(place, f"desa-{period}", [table])
    total = sum(len(d.villages) for d in districts)
    protected = sum(d.protected_count for d in districts)
    context = _page(
        request,
        place,
        "villages",
        period,
        districts=districts,
        total=total,
        protected=protected,
        unprotected=total - protected,
        bars=charts.bars([(d.name, len(d.unprotected)) for d in districts]),
        register=register,
    )
    return render(request, "monitoring/villages.html", context)


def _year(request: AuthedRequest, today: date) -> int:
    try:
        return int(request.GET.get("tahun", ""))
    except ValueError:
        return today.year


@monitor
def money(request: AuthedRequest, place: Place) -> HttpResponse:
    today = timezone.localdate()
    year = _year(request, today)
    figures = selectors.money(place, year, today=today)
    agency_claims = agency.agency_claims_of_year(place.code, year)
    table_list = tables.money_tables(figures, agency_claims)
    if request.GET.get("unduh") == "xlsx":
        return _download(place, f"keuangan-{year}", table_list)
    years = sorted({p.year for p in selectors.periods_held()} | {year}, reverse=True)
    context = _page(
        request,
        place,
        "money",
        None,
        figures=figures,
        agency_claims=agency_claims,
        tables=table_list,
        year=year,
        years=years,
        month_bars=charts.bars([(month_label(row.code), row.collected) for row in figures.months], unit="rupiah"),
    )
    return render(request, "monitoring/money.html", context)


@monitor
def commitment(request: AuthedRequest, place: Place) -> HttpResponse:
    figures = selectors.commitment(place, today=timezone.localdate())
    table_list = tables.commitment_tables(figures)
    if request.GET.get("unduh") == "xlsx":
        return _download(place, "komitmen", table_list)
    context = _page(request, place, "commitment", None, figures=figures, tables=table_list)
    return render(request, "monitoring/commitment.html", context)


@monitor
def ranking(request: AuthedRequest, place: Place) -> HttpResponse:
    today = timezone.localdate()
    period = selectors.period_or_default(request.GET.get("periode"), today=today)
    if period is None:
        return _no_rollups(request, place, "ranking")
    weights = selectors.ranking_weights()
    rows = selectors.ranking(place, period, today=today)
    table = tables.ranking_table(rows, weights)
    if request.GET.get("unduh") == "xlsx":
        return _download(place, f"peringkat-{period}", [table])
    context = _page(
        request,
        place,
        "ranking",
        period,
        table=table,
        weights=[(indicator, weights.get(indicator.value, 0)) for indicator in RankingIndicator],
        can_set_weights=request.user.can(Capability.SET_RANKING_WEIGHTS),
        bars=charts.bars([(row.name, row.index) for row in rows], unit="index"),
        tiles=tables.ranking_tiles(rows),
    )
    return render(request, "monitoring/ranking.html", context)


@require_POST
@monitor
def ranking_weights(request: AuthedRequest, place: Place) -> HttpResponse:
    weights = {indicator.value: request.POST.get(indicator.value, "") for indicator in RankingIndicator}
    try:
        services.ranking_weights_set(actor=request.user, weights=weights)
        messages.success(request, _("The ranking weights were saved."))
    except ValidationError as error:
        messages.error(request, error_text(error))
    return redirect("monitoring:ranking", code=slug(place.code))


@monitor
def report(request: AuthedRequest, place: Place) -> HttpResponse:
    today = timezone.localdate()
    period = selectors.period_or_default(request.GET.get("periode"), today=today)
    if period is None:
        return _no_rollups(request, place, "coverage")
    content = reports.region_report(place, period, today=today)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="laporan-{slug(place.code)}-{period}.pdf"'
    return response


@require_POST
@monitor
def workforce_upload(request: AuthedRequest, place: Place) -> HttpResponse:
    file = request.FILES.get("berkas")
    if file is None:
        messages.error(request, _("Choose a CSV or XLSX file."))
        return redirect("monitoring:coverage", code=slug(place.code))
    try:
        result = workforce_file_import(actor=request.user, file=file, source=request.POST.get("sumber", ""))
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, result.message())
        for problem in result.problems[:20]:
            messages.warning(request, _("Row %(row)s, %(column)s: %(message)s") % problem.__dict__)
    return redirect("monitoring:coverage", code=slug(place.code))


@login_required
def inbox(request: AuthedRequest) -> HttpResponse:
    """The user's reminders, newest first (those not yet seen marked), and the email switch."""
    from lindung.accounts import services as account_services
    from lindung.monitoring.models import Reminder

    if request.method == "POST":
        on = request.POST.get("email") == "1"
        account_services.reminders_by_email_set(actor=request.user, on=on)
        messages.success(request, _("Reminders by email are on.") if on else _("Reminders by email are off."))
        return redirect("monitoring:inbox")
    reminders = Reminder.objects.filter(user=request.user)
    page = BoundedPaginator(reminders, 50).get_page(request.GET.get("page"))
    unread = [reminder.pk for reminder in page if reminder.read_at is None]
    context = {"page": page, "unread": set(unread), "email_on": request.user.email_reminders}
    response = render(request, "monitoring/inbox.html", context)
    Reminder.objects.filter(pk__in=unread).update(read_at=timezone.now())  # seen once shown
    return response


# ---------------------------------------------------------------- per agency office


@login_required
def office(request: AuthedRequest, office_code: str) -> HttpResponse:
    """An office's regions side by side (a Kanwil's provinces and branches, a branch's kabupaten/kota)."""
    require(request.user, Capability.VIEW_MONITORING)
    today = timezone.localdate()
    found = offices.office_for_monitoring(actor=request.user, code=office_code, on=today)
    period = selectors.period_or_default(request.GET.get("periode"), today=today)
    if period is None:
        return render(request, "monitoring/office.html", {"office": found, "period": None})
    with replica_reads():
        figures = offices.office_figures(found, period, today=today)
        table_list = tables.office_tables(figures, selectors.ranking_weights())
    if request.GET.get("unduh") == "xlsx":
        response = HttpResponse(tables.workbook(f"{found.name} {period}", table_list), content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="pantau-kantor-{found.code}-{period}.xlsx"'
        return response
    context = {
        "office": found,
        "figures": figures,
        "tables": table_list,
        "period": period,
        "periods": list(reversed(selectors.periods_held())),
        "bars": charts.bars([(row.name, row.active) for row in figures.coverage]),
    }
    return render(request, "monitoring/office.html", context)


@login_required
def office_report(request: AuthedRequest, office_code: str) -> HttpResponse:
    """The office's report as PDF, under its own letterhead."""
    require(request.user, Capability.VIEW_MONITORING)
    today = timezone.localdate()
    found = offices.office_for_monitoring(actor=request.user, code=office_code, on=today)
    period = selectors.period_or_default(request.GET.get("periode"), today=today)
    if period is None:
        raise Http404
    with replica_reads():
        content = reports.office_report(found, period, today=today)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="laporan-kantor-{found.code}-{period}.pdf"'
    return response

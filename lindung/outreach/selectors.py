"""Reading target lists: the lists a user may see, and a list's counts per class, per kecamatan,
village and welfare decile, in people and in households (family cards)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, F, QuerySet, Value
from django.db.models.functions import Coalesce, Concat, NullIf
from django.http import Http404
from django.utils.translation import gettext as _

from lindung.accounts.models import User
from lindung.accounts.permissions import require
from lindung.accounts.roles import Capability
from lindung.core.scoping import scoped
from lindung.outreach.models import TO_PROTECT, TargetClass, TargetEntry, TargetList
from lindung.regions.models import Region

# A household is a family card; an entry without one counts as a household of its own.
HOUSEHOLD = Coalesce(NullIf(F("family_card"), Value("")), Concat(Value("nik:"), F("nik")))


def lists_for(actor: User) -> QuerySet[TargetList]:
    require(actor, Capability.MANAGE_TARGET_LISTS)
    return scoped(TargetList.objects.select_related("region", "created_by"), actor=actor)


def target_list_get(*, actor: User, list_id: int) -> TargetList:
    """One list inside the actor's regions; 404 otherwise (another region's list does not exist)."""
    target_list = lists_for(actor).filter(pk=list_id).first()
    if target_list is None:
        raise Http404
    return target_list


@dataclass
class Figure:
    people: int = 0
    households: int = 0


@dataclass
class Group:
    """One row of a breakdown: a kecamatan, a village or a decile, with its figures per class."""

    key: str
    label: str
    classes: dict[str, Figure] = field(default_factory=dict)
    to_protect: Figure = field(default_factory=Figure)
    total: Figure = field(default_factory=Figure)

    def people(self, outcome: str) -> int:
        return self.classes.get(outcome, Figure()).people


def class_figures(target_list: TargetList, *, entries: QuerySet[TargetEntry] | None = None) -> dict[str, Figure]:
    """People and households per class, every class present (zero when none)."""
    entries = _entries(target_list) if entries is None else entries
    figures = {outcome: Figure() for outcome in TargetClass.values}
    rows = entries.values("outcome").annotate(people=Count("id"), households=Count(HOUSEHOLD, distinct=True))
    for row in rows:
        figures[row["outcome"]] = Figure(row["people"], row["households"])
    return figures


def to_protect_figure(target_list: TargetList) -> Figure:
    """People and households still to protect (not registered, or registered and not protected):
    households counted once even when their members fall in both classes."""
    row = (
        _entries(target_list)
        .filter(outcome__in=TO_PROTECT)
        .aggregate(people=Count("id"), households=Count(HOUSEHOLD, distinct=True))
    )
    return Figure(row["people"], row["households"])


def breakdown(target_list: TargetList, by: str) -> list[Group]:
    """Figures per kecamatan ("district"), village ("village") or decile ("decile")."""
    column = {"district": "district_code", "village": "village_id", "decile": "decile"}[by]
    entries = _entries(target_list)
    per_class = entries.values(column, "outcome").annotate(
        people=Count("id"), households=Count(HOUSEHOLD, distinct=True)
    )
    groups: dict[str, Group] = {}
    for row in per_class:
        key = "" if row[column] is None else str(row[column])
        group = groups.setdefault(key, Group(key, ""))
        group.classes[row["outcome"]] = Figure(row["people"], row["households"])
        group.total.people += row["people"]
    for row in _group_households(entries, column, None):
        groups[_key(row[column])].total.households = row["households"]
    for row in _group_households(entries, column, TO_PROTECT):
        groups[_key(row[column])].to_protect = Figure(row["people"], row["households"])
    _label(groups, by)
    return sorted(groups.values(), key=lambda group: (group.key == "", _sort_key(group, by)))


# ---------------------------------------------------------------- figures kept with the list
#
# On a list of 100,000 entries each breakdown is a GROUP BY with COUNT(DISTINCT family card) of
# 0.6-0.8 s on PostgreSQL: computed once when the list is matched and kept in its summary, the
# page reads a few kilobytes instead of the list (lindung bench targets prints both).

BREAKDOWN_KINDS = ("district", "village", "decile")


def figures_summary(target_list: TargetList) -> dict[str, Any]:
    """Every figure the list's page and API show, as JSON for the list's summary."""

    def pair(figure: Figure) -> list[int]:
        return [figure.people, figure.households]

    stored: dict[str, Any] = {
        "classes": {outcome: pair(figure) for outcome, figure in class_figures(target_list).items()},
        "to_protect": pair(to_protect_figure(target_list)),
    }
    for by in BREAKDOWN_KINDS:
        stored[by] = {
            group.key: {
                "classes": {outcome: pair(figure) for outcome, figure in group.classes.items()},
                "to_protect": pair(group.to_protect),
                "total": pair(group.total),
            }
            for group in breakdown(target_list, by)
        }
    return stored


def kept_classes(target_list: TargetList) -> dict[str, Figure]:
    stored = _stored(target_list)
    if stored is None:
        return class_figures(target_list)
    return {outcome: Figure(*stored["classes"].get(outcome, [0, 0])) for outcome in TargetClass.values}


def kept_to_protect(target_list: TargetList) -> Figure:
    stored = _stored(target_list)
    return Figure(*stored["to_protect"]) if stored is not None else to_protect_figure(target_list)


def kept_breakdown(target_list: TargetList, by: str) -> list[Group]:
    """The breakdown as kept at the last match (computed now for a list matched before it was kept)."""
    stored = _stored(target_list)
    if stored is None or by not in stored:
        return breakdown(target_list, by)
    groups = {
        key: Group(
            key,
            "",
            {outcome: Figure(*pair) for outcome, pair in row["classes"].items()},
            Figure(*row["to_protect"]),
            Figure(*row["total"]),
        )
        for key, row in stored[by].items()
    }
    _label(groups, by)
    return sorted(groups.values(), key=lambda group: (group.key == "", _sort_key(group, by)))


def _stored(target_list: TargetList) -> dict[str, Any] | None:
    stored = target_list.summary.get("figures") if isinstance(target_list.summary, dict) else None
    return stored if isinstance(stored, dict) else None


def _group_households(entries: QuerySet[TargetEntry], column: str, outcomes: Iterable[str] | None) -> QuerySet[Any]:
    if outcomes is not None:
        entries = entries.filter(outcome__in=list(outcomes))
    grouped: QuerySet[Any] = entries.values(column).annotate(
        people=Count("id"), households=Count(HOUSEHOLD, distinct=True)
    )
    return grouped


def _key(value: object) -> str:
    return "" if value is None else str(value)


def _sort_key(group: Group, by: str) -> Any:
    return int(group.key) if by == "decile" and group.key else group.label


def _label(groups: dict[str, Group], by: str) -> None:
    if by == "decile":
        for key, group in groups.items():
            group.label = _("Decile %(decile)s") % {"decile": key} if key else _("No decile")
        return
    names = dict(Region.objects.filter(code__in=[key for key in groups if key]).values_list("code", "name"))
    for key, group in groups.items():
        unknown = _("No kecamatan known") if by == "district" else _("No village known")
        group.label = names.get(key, key) if key else unknown


def districts_of(target_list: TargetList) -> list[tuple[str, str]]:
    """(code, name) of the kecamatan the list's entries live in, by name."""
    codes = _entries(target_list).exclude(district_code="").values_list("district_code", flat=True).distinct()
    names = district_names(codes)
    return sorted(names.items(), key=lambda pair: pair[1])


def entries_of(target_list: TargetList, outcome: str | None = None) -> QuerySet[TargetEntry]:
    """The list's entries (of one class), in file order, with their village and kecamatan."""
    entries = _entries(target_list).select_related("village").order_by("source_row")
    return entries.filter(outcome=outcome) if outcome else entries


def _entries(target_list: TargetList) -> QuerySet[TargetEntry]:
    return TargetEntry.objects.filter(target_list=target_list).order_by()


def district_names(codes: Iterable[str]) -> dict[str, str]:
    return dict(Region.objects.filter(code__in=set(codes)).values_list("code", "name"))

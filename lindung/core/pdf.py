"""PDFs in a Unicode font: names such as "Ni Luh Ayu Śrī" or "Nguyễn" print as written.

fpdf2's core fonts (Helvetica) are Latin-1 and turn other letters into "?". The project's set-up
installs DejaVu Sans (Debian's `fonts-dejavu-core`, see the Makefile); `PDF_FONT_DIR` says where.
Without it the document still renders, in Helvetica, with the letters it cannot print replaced."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings
from fpdf import FPDF

FAMILY = "Body"
FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf"}


@cache
def font_files() -> dict[str, Path] | None:
    """The regular and bold font files, or None when they are not installed."""
    folder = Path(getattr(settings, "PDF_FONT_DIR", "/usr/share/fonts/truetype/dejavu"))
    files = {style: folder / name for style, name in FILES.items()}
    return files if all(path.is_file() for path in files.values()) else None


class Document(FPDF):
    """An A4 document with a title in its footer ("… - halaman 2/5") and a Unicode body font."""

    def __init__(self, title: str, *, landscape: bool = False, bottom_margin: float = 15) -> None:
        super().__init__(orientation="L" if landscape else "P", unit="mm", format="A4")
        self.title_text = title
        self.set_auto_page_break(auto=True, margin=bottom_margin)
        files = font_files()
        self.unicode = files is not None
        if files is not None:
            for style, path in files.items():
                self.add_font(FAMILY, style=style, fname=str(path))
        self.set_title(title)

    def font(self, size: float, *, bold: bool = False) -> None:
        self.set_font(FAMILY if self.unicode else "Helvetica", style="B" if bold else "", size=size)

    def text_of(self, value: Any) -> str:
        """Text the current font can print (only the Latin-1 fallback needs replacing)."""
        text = str(value)
        return text if self.unicode else text.encode("latin-1", "replace").decode("latin-1")

    def footer(self) -> None:
        self.set_y(-10)
        self.font(8)
        self.cell(0, 5, self.text_of(f"{self.title_text} - halaman {self.page_no()}/{{nb}}"), align="C")

"""Checking a NIK against the person it is given for, and against the region tree.

python-stdnum checks the form, the birth date part and the province/kabupaten code. This module adds
what stdnum cannot know: that the date and sex match the person, and that the kecamatan exists
(an unknown kecamatan is only a warning: regions split after the NIK was issued).
"""

from __future__ import annotations

import functools
from collections.abc import Container
from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext as _
from stdnum.exceptions import InvalidComponent, InvalidFormat, InvalidLength, ValidationError
from stdnum.id import nik as stdnum_nik

FEMALE_DAY_OFFSET = 40


@dataclass
class NikCheck:
    """The cleaned NIK (16 digits) when it is valid, and what is wrong or doubtful about it."""

    nik: str = ""
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def clean_nik(raw: object) -> str:
    """The digits of a NIK as typed or read from a spreadsheet (spaces, dots and dashes removed)."""
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    text = str(raw or "")
    if len(text) == 16 and text.isdigit():
        return text  # already clean: the usual case, and compact() is slow over 100,000 rows
    return stdnum_nik.compact(text)


def check_nik(
    raw: object,
    *,
    birth_date: date | None,
    sex: str | None,
    known_districts: Container[str],
) -> NikCheck:
    """Validate a NIK; `known_districts` holds kecamatan codes without dots ("140806")."""
    result = NikCheck()
    number = clean_nik(raw)
    if not number:
        result.errors.append(_("The NIK is required."))
        return result
    try:
        _validate(number)
    except InvalidLength:  # a subclass of InvalidFormat: catch it first
        result.errors.append(_("A NIK has 16 digits; this one has %(count)d.") % {"count": len(number)})
        return result
    except InvalidFormat:
        result.errors.append(_("A NIK has only digits."))
        return result
    except InvalidComponent:
        result.errors.append(_describe_bad_component(number))
        return result
    except ValidationError:
        result.errors.append(_("This is not a valid NIK."))
        return result
    result.nik = number
    result.errors.extend(_person_mismatches(number, birth_date, sex))
    if number[:6] not in known_districts:
        result.warnings.append(
            _(
                "The NIK's kecamatan code %(code)s is not in the region tree (it may have been split since "
                "the NIK was issued); check the NIK."
            )
            % {"code": dotted_district(number)}
        )
    return result


def _validate(number: str) -> None:
    """python-stdnum's validation, its region lookup done once per province+kabupaten prefix."""
    if len(number) != 16 or not number.isdigit():
        stdnum_nik.validate(number)  # raises the precise error
    if not _date_part_valid(number):
        raise InvalidComponent()
    _validate_prefix(number[:4])


@functools.lru_cache(maxsize=1024)
def _validate_prefix(prefix: str) -> None:
    # A NIK with this prefix and a valid birth part: stdnum then judges only the region code.
    stdnum_nik.validate(f"{prefix}00010190{'0001'}")


def _describe_bad_component(number: str) -> str:
    if not _date_part_valid(number):
        return _("Digits 7 to 12 of the NIK are not a birth date (DDMMYY, day + 40 for women).")
    return _("The NIK's province or kabupaten code %(code)s is unknown.") % {"code": f"{number[:2]}.{number[2:4]}"}


def _date_part_valid(number: str) -> bool:
    """stdnum's birth-date rule (day + 40 for women; 29 Feb valid in some century) without its slow compact()."""
    day, month, year = int(number[6:8]) % FEMALE_DAY_OFFSET, int(number[8:10]), int(number[10:12])
    for century in (1900, 2000):
        try:
            date(century + year, month, day)
        except ValueError:
            continue
        return True
    return False


def _person_mismatches(number: str, birth_date: date | None, sex: str | None) -> list[str]:
    """The NIK encodes DDMMYY of birth, with 40 added to the day for women."""
    encoded_day = int(number[6:8])
    problems = []
    if sex in ("L", "P"):
        nik_sex = "P" if encoded_day > FEMALE_DAY_OFFSET else "L"
        if nik_sex != sex:
            problems.append(
                _("The sex does not match the NIK: this NIK is a woman's (birth day + 40).")
                if nik_sex == "P"
                else _("The sex does not match the NIK: this NIK is a man's (a woman's has 40 added to the birth day).")
            )
    if birth_date is not None:
        day = encoded_day % FEMALE_DAY_OFFSET
        if (day, int(number[8:10]), int(number[10:12])) != (birth_date.day, birth_date.month, birth_date.year % 100):
            problems.append(
                _("The birth date %(date)s does not match the NIK, which holds %(nik_date)s.")
                % {"date": birth_date.strftime("%d-%m-%Y"), "nik_date": f"{day:02d}-{number[8:10]}-..{number[10:12]}"}
            )
    return problems


def dotted_district(number: str) -> str:
    """The kecamatan code of a NIK in Kemendagri form: "140806" -> "14.08.06"."""
    return f"{number[0:2]}.{number[2:4]}.{number[4:6]}"


def make_nik(district_code: str, birth_date: date, sex: str, serial: int) -> str:
    """A NIK consistent with a kecamatan, birth date and sex (for demo data and tests)."""
    day = birth_date.day + (FEMALE_DAY_OFFSET if sex == "P" else 0)
    return f"{district_code.replace('.', '')}{day:02d}{birth_date.month:02d}{birth_date.year % 100:02d}{serial:04d}"

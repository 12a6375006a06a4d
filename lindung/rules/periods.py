"""Contribution periods (YYYY-MM) and the working-day calendar for due dates."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

import holidays

PERIOD_PATTERN = re.compile(r"^(\d{4})-(\d{2})$")


@dataclass(frozen=True, order=True)
class Period:
    """A contribution month. Rules in force on its first day apply to the whole month."""

    year: int
    month: int

    @classmethod
    def parse(cls, text: str) -> Period:
        """Parse 'YYYY-MM'; ValueError when malformed."""
        match = PERIOD_PATTERN.match(text.strip())
        if not match or not 1 <= int(match.group(2)) <= 12:
            raise ValueError(text)
        return cls(int(match.group(1)), int(match.group(2)))

    @property
    def first_day(self) -> date:
        return date(self.year, self.month, 1)

    def shifted(self, months: int) -> Period:
        index = self.year * 12 + self.month - 1 + months
        return Period(index // 12, index % 12 + 1)

    def day(self, day: int) -> date:
        """The given day of this month, or its last day when the month is shorter (30 Feb -> 28/29 Feb)."""
        return date(self.year, self.month, min(day, calendar.monthrange(self.year, self.month)[1]))

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


def previous_month(today: date) -> Period:
    """The month before `today`'s: the period usually billed now."""
    return Period(today.year, today.month).shifted(-1)


@cache
def _holidays(year: int) -> holidays.HolidayBase:
    # National public holidays only: cuti bersama (the "government" category) are working days for payments.
    return holidays.country_holidays("ID", years=year)


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _holidays(day.year)


def holiday_name(day: date) -> str | None:
    name = _holidays(day.year).get(day)
    return str(name) if name else None


def next_working_day(day: date) -> date:
    """`day` itself when it is a working day, else the first working day after it."""
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def months_late(due: date, paid: date) -> int:
    """Started months of lateness: paid on the due date or before is 0; up to one month after is 1; and so on."""
    if paid <= due:
        return 0
    months = (paid.year - due.year) * 12 + paid.month - due.month
    return months + 1 if paid.day > due.day else months

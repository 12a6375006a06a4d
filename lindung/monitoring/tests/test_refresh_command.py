"""`lindung refresh_rollups`: the window it rebuilds, month by month with progress, its refusals, and an
interrupted refresh resumed where it stopped with the same figures as a full rebuild."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from lindung.monitoring.models import RollupWindow
from lindung.monitoring.rollups import refresh_rollups, window
from lindung.monitoring.tests.test_rollups import a_region_with_members, snapshot
from lindung.rules.periods import Period

pytestmark = pytest.mark.django_db


class Interrupted(Exception):
    pass


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("refresh_rollups", *args, stdout=out)
    return out.getvalue()


def test_the_command_rebuilds_the_months_asked_for_with_progress():
    a_region_with_members()
    out = run("--since", "2026-01", "--until", "2026-03")

    assert [line.split()[0] for line in out.splitlines() if "selesai" in line] == ["2026-01", "2026-02", "2026-03"]
    assert "Rekap pemantauan dihitung ulang untuk 2026-01 s.d. 2026-03:" in out
    assert window() == [Period(2026, 1), Period(2026, 2), Period(2026, 3)]
    held = RollupWindow.objects.get()
    assert (held.first_period, held.last_period, held.next_period) == ("2026-01", "2026-03", "")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--since", "2026-13"), "--since: tulis sebagai YYYY-MM, misalnya 2026-06."),
        (("--until", "Maret"), "--until: tulis sebagai YYYY-MM, misalnya 2026-06."),
        (("--since", "2026-04", "--until", "2026-03"), "--since: harus sebelum --until."),
        (
            ("--resume", "--since", "2026-01"),
            "--resume: melanjutkan jendela yang sedang dihitung; tanpa --since/--until.",
        ),
    ],
)
def test_bad_options_exit_2_and_change_nothing(args, message):
    with pytest.raises(CommandError) as refused:
        run(*args)
    assert refused.value.returncode == 2
    assert str(refused.value) == message
    assert not RollupWindow.objects.exists()


def test_an_interrupted_refresh_resumes_at_the_month_it_stopped_on_and_ends_equal_to_a_full_one():
    a_region_with_members()
    refresh_rollups(first=Period(2026, 1), last=Period(2026, 3))
    full = snapshot()

    def stop_after_january(month: str, _outcome: object) -> None:
        if month == "2026-01":
            raise Interrupted

    with pytest.raises(Interrupted):
        refresh_rollups(first=Period(2026, 1), last=Period(2026, 3), progress=stop_after_january)
    assert RollupWindow.objects.get().next_period == "2026-02"

    out = run("--resume")
    assert [line.split()[0] for line in out.splitlines() if "selesai" in line] == ["2026-02", "2026-03"]
    assert snapshot() == full
    assert RollupWindow.objects.get().next_period == ""
    assert run("--resume") == "Tidak ada rekap yang perlu dilanjutkan.\n"

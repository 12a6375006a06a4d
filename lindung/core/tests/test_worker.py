"""The real background worker (`lindung worker`) on a real SQLite file, with the write lock held elsewhere."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").startswith("postgres"), reason="SQLite's write lock: run in the SQLite suite"
)
LINDUNG = str(Path(sys.executable).with_name("lindung"))
LOCK_SECONDS = 30

SETUP = """
from pathlib import Path
from django.db import transaction
from lindung.regions.models import Region
from lindung.registry.models import ImportBatch, Sponsor
from lindung.registry.jobs import check_import
csv = Path({csv!r})
csv.write_text("nik,nama,tanggal_lahir,jenis_kelamin,kategori,upah,kelas_risiko,tanggal_mulai\\n"
               "1408064107900001,Siti Aminah,01-07-1990,P,non_asn,3000000,1,2026-01-01\\n")
Region.objects.create(code="14", name="RIAU", level=1, kind="provinsi", province_code="14")
Region.objects.create(code="14.08", name="SIAK", level=2, kind="kabupaten", parent_id="14", province_code="14",
                      regency_code="14.08")
sponsor = Sponsor.objects.create(kind="pemda", name="Pemerintah Kabupaten Siak", region_id="14.08")
batch = ImportBatch.objects.create(sponsor=sponsor, file_name="a.csv", stored_path=str(csv), total_rows=1)
check_import.enqueue(batch.pk)
"""


def environment(data_dir: Path) -> dict[str, str]:
    """A SQLite deployment in `data_dir`, whatever database the suite itself runs on."""
    values = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    return values | {"LINDUNG_DATA_DIR": str(data_dir), "DJANGO_SETTINGS_MODULE": "config.settings.dev"}


def lindung(data_dir: Path, *args: str) -> None:
    subprocess.run([LINDUNG, *args], env=environment(data_dir), check=True, capture_output=True, timeout=120)  # noqa: S603


def start_worker(data_dir: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(  # noqa: S603 (our own command)
        [LINDUNG, "worker", "--no-startup-delay", "--no-reload", "--interval", "0.2"],
        env=environment(data_dir),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def heartbeats(database: Path) -> int:
    with sqlite3.connect(database) as reader:
        return reader.execute("SELECT COUNT(*) FROM core_workerheartbeat").fetchone()[0]


def batch_status(database: Path) -> str:
    with sqlite3.connect(database) as reader:
        return reader.execute("SELECT status FROM registry_importbatch").fetchone()[0]


def test_a_job_waits_out_a_write_lock_of_30_seconds_and_the_worker_lives_on(tmp_path):
    database = tmp_path / "lindung.sqlite3"
    lindung(tmp_path, "migrate", "--no-input", "-v", "0")
    lindung(tmp_path, "shell", "-c", SETUP.format(csv=str(tmp_path / "a.csv")))
    worker = start_worker(tmp_path)
    try:
        holder = sqlite3.connect(database, isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")  # another writer (a long import, a backup) holds the lock
        time.sleep(LOCK_SECONDS)
        held_status = batch_status(database)
        holder.execute("ROLLBACK")
        holder.close()

        deadline = time.monotonic() + 90
        while (batch_status(database) != "checked" or not heartbeats(database)) and time.monotonic() < deadline:
            time.sleep(0.5)

        assert held_status == "queued"
        assert batch_status(database) == "checked"
        assert worker.poll() is None  # still alive, still taking jobs
        assert heartbeats(database) == 1
    finally:
        worker.terminate()
        output = worker.communicate(timeout=30)[0]
    assert "database is locked" in output  # it met the lock, and went on

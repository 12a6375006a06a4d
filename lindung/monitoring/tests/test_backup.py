"""A backup restores exactly (issue 21): every table's row count, the sums of invoices, payments
and payouts, and every uploaded file byte for byte, on SQLite and on PostgreSQL."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tarfile
import uuid
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings

from lindung.core.backup import RestoreError, backup, restore

pytestmark = pytest.mark.django_db(transaction=True)


def some_of_everything(folder: Path) -> Path:
    """A sponsor with members billed and partly paid, a claim with a document on disk."""
    from lindung.contributions.payments import Payer, payment_record
    from lindung.contributions.services import billing_run
    from lindung.registry.tests.factories import enrol, sponsor

    siak = sponsor()
    for serial in (1, 2, 3):
        enrol(siak, serial, starts_on="2026-01-01")
    billing_run(actor=None, period="2026-03", today=date(2026, 4, 1))
    payment_record(actor=None, payer=Payer(sponsor=siak), paid_on=date(2026, 4, 10), amount=20_000)
    document = folder / "claims" / "2026" / "akta-ñ.pdf"
    document.parent.mkdir(parents=True)
    document.write_bytes(b"%PDF-1.4 " + bytes(range(256)))
    return document


def restore_elsewhere(archive: Path, data_dir: Path, database_url: str | None) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "LINDUNG_DATA_DIR": str(data_dir), "DJANGO_SETTINGS_MODULE": "config.settings.dev"}
    environment.pop("DATABASE_URL", None)
    if database_url:
        environment["DATABASE_URL"] = database_url
    return subprocess.run(  # noqa: S603 (our own command)
        [sys.executable, "-m", "django", "restore", str(archive)],
        env=environment,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=False,
    )


def test_a_backup_restores_into_an_empty_database_exactly(tmp_path, settings):
    from lindung.conftest import load_regions_if_missing

    load_regions_if_missing()  # a transactional test before this one may have emptied the tables
    settings.CLAIM_DOCUMENT_DIR = tmp_path / "source" / "claims"
    settings.IMPORT_DIR = tmp_path / "source" / "imports"
    document = some_of_everything(tmp_path / "source")
    archive = tmp_path / "lindung.tar"

    manifest = backup(archive)

    assert manifest["sums"]["invoices_total"] > 0
    assert manifest["sums"]["payments_total"] == 20_000
    assert manifest["tables"]["registry_person"] == 3
    with tarfile.open(archive) as opened:
        assert {"manifest.json", "database.dump", "files/claims/2026/akta-ñ.pdf"} <= set(opened.getnames())

    target = tmp_path / "restored"
    url = None
    if os.environ.get("DATABASE_URL"):
        base = settings.DATABASES["default"]
        scratch = f"lindung_restore_{uuid.uuid4().hex[:8]}"
        admin = f"postgres://{base['USER']}@{base['HOST']}:{base['PORT']}/postgres"
        subprocess.run(["psql", admin, "-qc", f"CREATE DATABASE {scratch}"], check=True)  # noqa: S603, S607
        url = f"postgres://{base['USER']}@{base['HOST']}:{base['PORT']}/{scratch}"
    try:
        done = restore_elsewhere(archive, target, url)
        assert done.returncode == 0, done.stderr
        assert "Dipulihkan dan diperiksa" in done.stdout
        assert (target / "claims" / "2026" / "akta-ñ.pdf").read_bytes() == document.read_bytes()
        # A second restore into what is no longer empty is refused, naming why.
        again = restore_elsewhere(archive, target, url)
        assert again.returncode != 0
        assert "not empty" in again.stderr
    finally:
        if url:
            subprocess.run(["psql", admin, "-qc", f"DROP DATABASE IF EXISTS {scratch}"], check=True)  # noqa: S603, S607


def test_a_damaged_archive_is_refused(tmp_path, settings):
    settings.CLAIM_DOCUMENT_DIR = tmp_path / "claims"
    settings.IMPORT_DIR = tmp_path / "imports"
    archive = tmp_path / "lindung.tar"
    backup(archive)
    with tarfile.open(archive) as opened:
        opened.extractall(tmp_path / "x", filter="data")
    manifest = json.loads((tmp_path / "x" / "manifest.json").read_text())
    manifest["database_sha256"] = "0" * 64
    (tmp_path / "x" / "manifest.json").write_text(json.dumps(manifest))
    damaged = tmp_path / "damaged.tar"
    with tarfile.open(damaged, "w") as rebuilt:
        for name in ("manifest.json", "database.dump"):
            rebuilt.add(tmp_path / "x" / name, arcname=name)
    with pytest.raises(RestoreError, match="damaged"):
        restore(damaged)

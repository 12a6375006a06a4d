"""One archive with everything Lindung holds, and its restore into an empty database.

The archive (a .tar) holds:
- `database.dump`: PostgreSQL's own custom format (pg_dump -Fc), or for SQLite a copy taken with
  SQLite's online backup (consistent while the app runs);
- `files/imports/...`, `files/claims/...`: the uploaded enrolment files and claim documents;
- `manifest.json`: when, from which engine, every table's row count, every file's size and
  SHA-256, and the sums of invoices, payments and payouts.

`restore` refuses a database that already holds data, loads the dump, puts the files back, then
compares the restored database and files with the manifest and says what differs."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import connection
from django.db.models import Sum
from django.utils import timezone

FOLDERS = {"imports": "IMPORT_DIR", "claims": "CLAIM_DOCUMENT_DIR"}
MONEY = {
    "invoices_total": ("contributions", "Invoice", "total"),
    "payments_total": ("contributions", "Payment", "amount"),
    "payouts_total": ("claims", "Payout", "amount"),
}


class RestoreError(RuntimeError):
    pass


@dataclass(frozen=True)
class Check:
    differences: list[str]

    @property
    def ok(self) -> bool:
        return not self.differences


def snapshot() -> dict[str, Any]:
    """Row counts of every table the project's models own, and the sums of money."""
    counts = {}
    for model in apps.get_models(include_auto_created=True):
        if model._meta.managed and not model._meta.proxy:
            counts[model._meta.db_table] = model._default_manager.using("default").count()
    sums = {}
    for name, (app, model_name, field) in MONEY.items():
        sums[name] = apps.get_model(app, model_name).objects.aggregate(total=Sum(field))["total"] or 0
    return {"tables": counts, "sums": sums}


def file_entries() -> dict[str, dict[str, Any]]:
    """Every uploaded file: its path in the archive, size and SHA-256."""
    entries = {}
    for name, setting in FOLDERS.items():
        root = Path(getattr(settings, setting))
        if not root.is_dir():
            continue
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            entries[f"files/{name}/{path.relative_to(root).as_posix()}"] = {
                "size": path.stat().st_size,
                "sha256": _sha256(path),
            }
    return entries


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as source:
        for block in iter(lambda: source.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def backup(target: Path) -> dict[str, Any]:
    """Write the archive to `target` (a .tar); returns its manifest."""
    engine = connection.vendor
    with tempfile.TemporaryDirectory() as work:
        dump = Path(work) / "database.dump"
        _dump(engine, dump)
        manifest = {
            "format": 1,
            "created_at": timezone.now().isoformat(),
            "engine": engine,
            **snapshot(),
            "files": file_entries(),
            "database_sha256": _sha256(dump),
        }
        (Path(work) / "manifest.json").write_text(json.dumps(manifest, indent=1, sort_keys=True))
        with tarfile.open(target, "w") as archive:
            archive.add(Path(work) / "manifest.json", arcname="manifest.json")
            archive.add(dump, arcname="database.dump")
            for arcname in manifest["files"]:
                _kind, name, relative = arcname.split("/", 2)
                archive.add(Path(getattr(settings, FOLDERS[name])) / relative, arcname=arcname)
    return manifest


def _dump(engine: str, dump: Path) -> None:
    if engine == "postgresql":
        subprocess.run(  # noqa: S603 (pg_dump with our own database's settings)
            [_tool("pg_dump"), "--format=custom", "--no-owner", "--file", str(dump), "--dbname", _dsn()],
            check=True,
            env=_pg_env(),
        )
    elif engine == "sqlite":
        connection.ensure_connection()
        target = sqlite3.connect(dump)
        try:
            connection.connection.backup(target)  # SQLite's online backup: consistent under writes
        finally:
            target.close()
    else:
        raise RestoreError(f"backups of {engine} are not supported")


def _tool(name: str) -> str:
    """PostgreSQL's own client (Debian's postgresql-client), of the server's major version."""
    found = shutil.which(name)
    if found is None:
        raise RestoreError(f"{name} is not installed (Debian: apt-get install postgresql-client)")
    return found


def _dsn() -> str:
    db = settings.DATABASES["default"]
    host = db.get("HOST") or "localhost"
    return f"host={host} port={db.get('PORT') or 5432} dbname={db['NAME']} user={db.get('USER') or ''}"


def _pg_env() -> dict[str, str]:
    password = settings.DATABASES["default"].get("PASSWORD") or ""
    return {**os.environ, **({"PGPASSWORD": password} if password else {})}


def restore(archive_path: Path) -> Check:
    """Load `archive_path` into the current (empty) database and folders, then verify it."""
    with tempfile.TemporaryDirectory() as work, tarfile.open(archive_path) as archive:
        archive.extractall(work, filter="data")
        manifest = json.loads((Path(work) / "manifest.json").read_text())
        dump = Path(work) / "database.dump"
        if _sha256(dump) != manifest["database_sha256"]:
            raise RestoreError("the database dump does not match its checksum: the archive is damaged")
        if manifest["engine"] != connection.vendor:
            raise RestoreError(f"the archive holds a {manifest['engine']} database; this one is {connection.vendor}")
        _refuse_if_not_empty()
        _load(dump)
        for arcname in manifest["files"]:
            _kind, name, relative = arcname.split("/", 2)
            destination = Path(getattr(settings, FOLDERS[name])) / relative
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(Path(work) / arcname, destination)
    return verify(manifest)


def _refuse_if_not_empty() -> None:
    tables = set(connection.introspection.table_names())
    holding = [
        model._meta.db_table
        for model in apps.get_models()
        if model._meta.db_table in tables and model._default_manager.exists()
    ]
    if holding:
        raise RestoreError(
            f"the database is not empty ({', '.join(sorted(holding)[:3])} hold rows): restore into an empty one"
        )


def _load(dump: Path) -> None:
    if connection.vendor == "postgresql":
        connection.close()
        subprocess.run(  # noqa: S603
            [
                _tool("pg_restore"),
                "--clean",
                "--if-exists",
                "--no-owner",
                "--exit-on-error",
                "--dbname",
                _dsn(),
                str(dump),
            ],
            check=True,
            env=_pg_env(),
        )
    else:
        connection.ensure_connection()
        source = sqlite3.connect(dump)
        try:
            source.backup(connection.connection)
        finally:
            source.close()
    connection.close()


def verify(manifest: dict[str, Any]) -> Check:
    """What differs between the database and folders now and the manifest."""
    now = snapshot()
    differences = [
        f"{table}: {count} rows in the archive, {now['tables'].get(table)} now"
        for table, count in manifest["tables"].items()
        if now["tables"].get(table) != count
    ]
    differences += [
        f"{name}: {value} in the archive, {now['sums'].get(name)} now"
        for name, value in manifest["sums"].items()
        if now["sums"].get(name) != value
    ]
    present = file_entries()
    differences += [
        f"{arcname}: missing or changed"
        for arcname, entry in manifest["files"].items()
        if present.get(arcname, {}).get("sha256") != entry["sha256"]
    ]
    return Check(differences)

"""Upload jobs that never stall: cancellation in every open state, failures with a reason, the heartbeat."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import OperationalError
from django.test import override_settings
from django.utils import timezone

from lindung.core.jobs import heartbeat, run_job
from lindung.core.models import AuditEntry
from lindung.registry import jobs
from lindung.registry.batches import import_cancel, import_confirm
from lindung.registry.imports import import_check
from lindung.registry.models import ImportBatch, ImportStatus, Membership, Person
from lindung.registry.tests.factories import sponsor
from lindung.registry.tests.test_import import TODAY, siak_rows, write_csv

pytestmark = pytest.mark.django_db
DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def a_batch(tmp_path, rows=5, status=ImportStatus.QUEUED):
    path = write_csv(tmp_path / "daftar.csv", siak_rows(rows))
    return ImportBatch.objects.create(sponsor=sponsor(), file_name="daftar.csv", stored_path=str(path), status=status)


def a_checked_batch(tmp_path, rows=5):
    batch = a_batch(tmp_path, rows)
    import_check(batch, today=TODAY)
    batch.refresh_from_db()
    return batch


@pytest.mark.parametrize("state", [ImportStatus.QUEUED, ImportStatus.CHECKING, ImportStatus.CHECKED])
def test_a_batch_can_be_cancelled_before_it_is_written_and_its_check_then_stops(tmp_path, siak_operator, state):
    batch = a_batch(tmp_path, status=state)

    import_cancel(actor=siak_operator, batch=batch)
    jobs.check_import.call(batch.pk)  # a worker picks the queued job up afterwards

    batch.refresh_from_db()
    assert (batch.status, batch.summary, batch.processed_rows) == (ImportStatus.CANCELLED, {}, 0)
    assert AuditEntry.objects.filter(object_type="registry.importbatch", object_id=str(batch.pk)).count() == 1


def test_a_confirmed_batch_cancelled_before_its_write_writes_nothing(tmp_path, siak_operator):
    batch = a_checked_batch(tmp_path)
    import_confirm(actor=siak_operator, batch=batch)  # queued on commit: not run yet
    assert batch.status == ImportStatus.IMPORTING

    import_cancel(actor=siak_operator, batch=batch)
    jobs.write_import.call(batch.pk)

    batch.refresh_from_db()
    assert batch.status == ImportStatus.CANCELLED
    assert (Person.objects.count(), Membership.objects.count()) == (0, 0)


def test_a_write_whose_batch_is_cancelled_meanwhile_is_rolled_back(tmp_path, siak_operator, monkeypatch):
    """The cancel lands after the rows were checked again, as the write begins: the write rolls back."""
    batch = a_checked_batch(tmp_path)
    import_confirm(actor=siak_operator, batch=batch)
    from lindung.registry import imports

    real_report = imports.error_report

    def report_then_get_cancelled(problems, path):
        real_report(problems, path)
        import_cancel(actor=siak_operator, batch=batch)

    monkeypatch.setattr(imports, "error_report", report_then_get_cancelled)
    jobs.write_import.call(batch.pk)

    batch.refresh_from_db()
    assert batch.status == ImportStatus.CANCELLED
    assert (Person.objects.count(), Membership.objects.count()) == (0, 0)


@pytest.mark.parametrize("state", [ImportStatus.DONE, ImportStatus.FAILED, ImportStatus.CANCELLED])
def test_an_ended_batch_cannot_be_cancelled(tmp_path, siak_operator, state):
    batch = a_batch(tmp_path, status=state)

    with pytest.raises(ValidationError, match="sudah berakhir"):
        import_cancel(actor=siak_operator, batch=batch)

    batch.refresh_from_db()
    assert batch.status == state
    assert not AuditEntry.objects.filter(object_type="registry.importbatch", object_id=str(batch.pk)).exists()


def test_a_job_that_crashes_marks_its_batch_failed_with_the_reason_on_the_page(tmp_path, login, siak_operator):
    batch = a_batch(tmp_path)
    (tmp_path / "daftar.csv").unlink()  # the stored file went missing (a disk cleaned by hand, a lost volume)

    with pytest.raises(FileNotFoundError):
        jobs.check_import.call(batch.pk)

    batch.refresh_from_db()
    assert batch.status == ImportStatus.FAILED
    assert batch.failure.startswith("Proses berhenti karena galat tak terduga (FileNotFoundError:")
    assert "Tidak ada data yang ditulis." in batch.failure
    page = login(siak_operator).get(f"/impor/{batch.pk}/").content.decode()
    assert "Proses berhenti karena galat tak terduga" in page
    assert "Batalkan unggahan" not in page


def test_database_errors_are_retried_and_the_job_then_succeeds():
    attempts = []

    def locked_twice():
        attempts.append(1)
        if len(attempts) < 3:
            raise OperationalError("database is locked")
        return "done"

    failures: list[str] = []
    assert run_job(locked_twice, fail=failures.append, delays=(0, 0, 0)) == "done"
    assert (len(attempts), failures) == (3, [])


def test_after_the_last_retry_the_job_fails_with_a_reason_in_bahasa_indonesia():
    failures: list[str] = []

    def always_locked():
        raise OperationalError("database is locked")

    with pytest.raises(OperationalError):
        run_job(always_locked, fail=failures.append, delays=(0, 0))

    assert failures == [
        "Basis data tidak dapat dijangkau setelah 3 kali percobaan (database is locked). Tidak ada data yang "
        "ditulis. Coba lagi beberapa menit lagi; bila terulang, hubungi administrator."
    ]


def test_a_cell_with_a_control_character_is_reported_not_crashed_on(tmp_path):
    """Excel refuses control characters in a cell: a name loses them, and a bad NIK is reported with a mark."""
    rows = siak_rows(3)
    rows[1]["nik"] = "1408\x01" + str(rows[1]["nik"])[5:]
    rows[2]["nama"] = "Siti\x07 Aminah"
    batch = ImportBatch.objects.create(
        sponsor=sponsor(), file_name="x.csv", stored_path=str(write_csv(tmp_path / "x.csv", rows))
    )

    jobs.check_import.call(batch.pk)

    batch.refresh_from_db()
    assert (batch.status, batch.summary["errors"], batch.summary["valid"]) == (ImportStatus.CHECKED, 1, 2)
    assert [(problem["row"], problem["column"]) for problem in batch.error_sample] == [(3, "nik")]


@override_settings(TASKS=DATABASE_QUEUE)
def test_the_upload_page_says_when_no_worker_runs(tmp_path, login, siak_operator):
    batch = a_batch(tmp_path)
    client = login(siak_operator)

    never = client.get(f"/impor/{batch.pk}/").content.decode()
    heartbeat(worker_id="w1", host="server", pid=1)
    alive = client.get(f"/impor/{batch.pk}/").content.decode()
    from lindung.core.models import WorkerHeartbeat

    WorkerHeartbeat.objects.update(seen_at=timezone.now() - timedelta(minutes=5))
    stale = client.get(f"/impor/{batch.pk}/").content.decode()

    assert "Proses latar belakang tidak berjalan." in never
    assert 'id="worker-down"' not in alive
    assert "Proses latar belakang tidak berjalan sejak" in stale
    assert 'id="cancel-import"' in stale

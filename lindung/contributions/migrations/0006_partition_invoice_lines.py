"""PostgreSQL: invoice lines become a table partitioned by LIST (period), one partition per month
and a default one (lindung.contributions.partitions). SQLite keeps its plain table.

The existing lines are copied into the new table (one partition per month they hold), its indexes
and foreign keys are recreated under their old names, and the identity continues after the
highest id. The primary key becomes (id, period): PostgreSQL requires the partition key in every
unique index; ids still come from one identity sequence, so they stay unique.
On a large database this copies every line once: run it in a maintenance window.
"""

from django.db import migrations

from lindung.core.db import is_postgresql

TABLE = "contributions_invoiceline"
NEW = f"{TABLE}_parted"


def partition(apps, schema_editor):
    if not is_postgresql(schema_editor.connection):
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT relkind FROM pg_class WHERE oid = to_regclass(%s)", [TABLE])
        if cursor.fetchone()[0] == "p":
            return  # already partitioned
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE tablename = %s AND indexname <> %s", [TABLE, f"{TABLE}_pkey"]
        )
        indexes = [row[0] for row in cursor.fetchall()]
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = to_regclass(%s) "
            "AND contype = 'f'",
            [TABLE],
        )
        foreign_keys = cursor.fetchall()
        cursor.execute(f"SELECT DISTINCT period FROM {TABLE} WHERE period ~ '^[0-9]{{4}}-[0-9]{{2}}$' ORDER BY 1")  # noqa: S608
        periods = [row[0] for row in cursor.fetchall()]

        cursor.execute(
            f"CREATE TABLE {NEW} (LIKE {TABLE} INCLUDING DEFAULTS INCLUDING IDENTITY INCLUDING CONSTRAINTS) "
            "PARTITION BY LIST (period)"
        )
        cursor.execute(f"ALTER TABLE {NEW} ADD CONSTRAINT {TABLE}_pkey_parted PRIMARY KEY (id, period)")
        cursor.execute(f"CREATE TABLE {TABLE}_pdefault PARTITION OF {NEW} DEFAULT")
        for period in periods:
            name = f"{TABLE}_p{period.replace('-', '_')}"
            cursor.execute(f"CREATE TABLE {name} PARTITION OF {NEW} FOR VALUES IN (%s)", [period])
        cursor.execute(f"INSERT INTO {NEW} SELECT * FROM {TABLE}")  # noqa: S608
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {NEW}")  # noqa: S608
        (highest,) = cursor.fetchone()
        cursor.execute(f"DROP TABLE {TABLE}")
        cursor.execute(f"ALTER TABLE {NEW} RENAME TO {TABLE}")
        cursor.execute(f"ALTER TABLE {TABLE} RENAME CONSTRAINT {TABLE}_pkey_parted TO {TABLE}_pkey")
        for definition in indexes:
            cursor.execute(definition)
        for name, definition in foreign_keys:
            cursor.execute(f"ALTER TABLE {TABLE} ADD CONSTRAINT {name} {definition}")
        if highest:
            cursor.execute("SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)", [TABLE, highest])


class Migration(migrations.Migration):
    dependencies = [("contributions", "0005_payer_account_region")]

    # Backwards: nothing to undo for the code, which reads a partitioned table as it read the plain one.
    operations = [migrations.RunPython(partition, migrations.RunPython.noop, elidable=False)]

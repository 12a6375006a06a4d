"""Lists that answer from indexes at national size: the person list's order (search_name, id) on
every database, and on PostgreSQL a trigram index so a name searched by substring is an index scan,
not a filter over millions of rows (SQLite takes the portable path: a scan)."""

from django.db import migrations, models

from lindung.core.db import on_postgresql

CREATE = ["CREATE INDEX IF NOT EXISTS person_search_trgm ON registry_person USING gin (search_name gin_trgm_ops)"]
DROP = ["DROP INDEX IF EXISTS person_search_trgm"]


class Migration(migrations.Migration):
    # regions 0002 creates the pg_trgm extension.
    dependencies = [("regions", "0002_search_trigram"), ("registry", "0003_import_confirmed_by")]

    operations = [
        migrations.AddIndex(
            model_name="person",
            index=models.Index(fields=["search_name", "id"], name="person_search_name"),
        ),
        migrations.RunPython(on_postgresql(CREATE), on_postgresql(DROP), elidable=False),
    ]

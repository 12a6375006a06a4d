"""PostgreSQL only: a trigram index so `name contains "siak"` is an index scan, not a scan of 91,599 rows.

SQLite takes the portable path (a scan of the folded-name column, a few milliseconds at this size).
"""

from django.db import migrations

from lindung.core.db import on_postgresql

CREATE = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS region_search_trgm ON regions_region USING gin (search_name gin_trgm_ops)",
]
DROP = ["DROP INDEX IF EXISTS region_search_trgm"]


class Migration(migrations.Migration):
    dependencies = [("regions", "0001_initial")]
    operations = [migrations.RunPython(on_postgresql(CREATE), on_postgresql(DROP), elidable=False)]

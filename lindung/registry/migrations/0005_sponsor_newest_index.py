"""A sponsor's member list, newest enrolment first, served by an index at any sponsor size."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("registry", "0004_person_list_indexes")]

    operations = [
        migrations.AddIndex(
            model_name="membership",
            index=models.Index(fields=["sponsor", "-created_at", "-id"], name="membership_sponsor_newest"),
        ),
    ]

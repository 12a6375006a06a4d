"""Each membership version names the agreement its terms ran under (issue 19: renewals dated)."""

import django.db.models.deletion
from django.db import migrations, models

# Until now a membership's agreement was on the membership alone: its versions ran under it.
BACKFILL = """
UPDATE registry_membershipversion
SET agreement_id = (
    SELECT m.agreement_id FROM registry_membership m WHERE m.id = registry_membershipversion.membership_id
)
"""


class Migration(migrations.Migration):
    dependencies = [("registry", "0006_person_died_on")]

    operations = [
        migrations.AddField(
            model_name="membershipversion",
            name="agreement",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="registry.agreement",
                verbose_name="agreement",
            ),
        ),
        migrations.RunSQL(BACKFILL, migrations.RunSQL.noop),
    ]

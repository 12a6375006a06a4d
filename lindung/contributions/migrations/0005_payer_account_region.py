"""A remembered payer account belongs to the region whose statements it routes (issue 16)."""

import django.db.models.deletion
from django.db import migrations, models

from lindung.registry.models import REGION_REFERENCE


def regions_of_sponsors(apps, schema_editor):
    PayerAccount = apps.get_model("contributions", "PayerAccount")
    for account in PayerAccount.objects.select_related("sponsor"):
        account.region_id = account.sponsor.region_id
        account.save(update_fields=["region"])


class Migration(migrations.Migration):
    dependencies = [
        ("contributions", "0004_invoice_cached_figures"),
        ("regions", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="payeraccount",
            name="account",
            field=models.CharField(max_length=34, verbose_name="account number"),
        ),
        migrations.AddField(
            model_name="payeraccount",
            name="region",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="regions.region",
                **REGION_REFERENCE,
            ),
        ),
        migrations.RunPython(regions_of_sponsors, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="payeraccount",
            name="region",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT, related_name="+", to="regions.region", **REGION_REFERENCE
            ),
        ),
        migrations.AddConstraint(
            model_name="payeraccount",
            constraint=models.UniqueConstraint(fields=("account", "region"), name="payer_account_per_region"),
        ),
    ]

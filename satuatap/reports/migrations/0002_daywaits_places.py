"""DayWaits keyed by counter, officer and hour too, so every breakdown reads its percentiles from the histogram.

The summary tables are derived data: the rows rolled before are forgotten and the days roll again when asked."""

from django.db import migrations, models


def forget_rolled_days(apps, schema_editor):
    for name in ("DayWaits", "DayFigures", "DayCalls", "RolledDay"):
        apps.get_model("reports", name).objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_rollup")]

    operations = [
        migrations.RunPython(forget_rolled_days, migrations.RunPython.noop),
        migrations.AddField(model_name="daywaits", name="counter_id", field=models.BigIntegerField(null=True)),
        migrations.AddField(model_name="daywaits", name="officer_id", field=models.BigIntegerField(null=True)),
        migrations.AddField(
            model_name="daywaits", name="hour", field=models.SmallIntegerField(default=0), preserve_default=False
        ),
    ]

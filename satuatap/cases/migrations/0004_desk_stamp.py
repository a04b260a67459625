"""A case keeps the id of its newest history row, so a desk's live stamp is one index probe."""

from django.db import migrations, models

# Cases opened before: their newest history row (the same statement on SQLite and PostgreSQL).
BACKFILL = (
    "UPDATE cases_case SET last_event_id = (SELECT MAX(e.id) FROM cases_caseevent e WHERE e.case_id = cases_case.id)"
)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0003_tracking_and_open_case_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="case",
            name="last_event_id",
            field=models.BigIntegerField(blank=True, editable=False, null=True),
        ),
        migrations.RunSQL(BACKFILL, migrations.RunSQL.noop),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(fields=["agency", "last_event_id"], name="case_agency_stamp_idx"),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(fields=["mall", "last_event_id"], name="case_mall_stamp_idx"),
        ),
    ]

"""The complaint tables get this app's names (``complaints_*``): a rename, the rows stay as they are."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0001_initial"),
        ("feedback", "0006_complaints_move_to_their_app"),
    ]

    operations = [
        migrations.AlterModelTable(name="complaint", table=None),
        migrations.AlterModelTable(name="complaintevent", table=None),
        migrations.AlterModelTable(name="complaintattachment", table=None),
    ]

"""Complaints moved to their own app (``satuatap.complaints``).

Only Django's record of the models leaves ``feedback`` here: the tables and their rows stay untouched.
``complaints.0001_initial`` takes the same tables over (it runs first), and ``complaints.0002`` renames them.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("feedback", "0005_surveyresponse_source"),
        ("complaints", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="ComplaintAttachment"),
                migrations.DeleteModel(name="ComplaintEvent"),
                migrations.DeleteModel(name="Complaint"),
            ],
            database_operations=[],
        ),
    ]

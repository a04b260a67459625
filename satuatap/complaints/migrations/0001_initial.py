"""Complaints taken over from ``feedback`` without touching a row.

The models are created in Django's state only, over the tables ``feedback`` created (``feedback_complaint``,
``feedback_complaintevent``, ``feedback_complaintattachment``); ``feedback.0006`` then drops them from that app's
state. Their content types follow (so permissions and admin history keep pointing at them).
``0002_rename_tables`` gives the tables this app's names.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

MODELS = ("complaint", "complaintevent", "complaintattachment")

STATUSES = [
    ("received", "Diterima"),
    ("verified", "Diverifikasi"),
    ("forwarded", "Diteruskan ke instansi"),
    ("not_our_authority", "Bukan kewenangan kami"),
    ("in_progress", "Sedang ditangani"),
    ("answered", "Dijawab"),
    ("closed", "Selesai"),
]


def _move_content_types(apps, from_label: str, to_label: str) -> None:
    """Relabel the models' content types, unless the target one already exists (then the old one is left alone)."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MODELS:
        if not ContentType.objects.filter(app_label=to_label, model=model).exists():
            ContentType.objects.filter(app_label=from_label, model=model).update(app_label=to_label)
    ContentType.objects.clear_cache()


def content_types_forward(apps, schema_editor):
    _move_content_types(apps, "feedback", "complaints")


def content_types_backward(apps, schema_editor):
    _move_content_types(apps, "complaints", "feedback")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("directory", "0002_mall_maklumat"),
        ("feedback", "0005_surveyresponse_source"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Complaint",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("tracking_code", models.CharField(max_length=20, unique=True, verbose_name="kode pelacakan")),
                        ("subject", models.CharField(max_length=200, verbose_name="perihal")),
                        ("body", models.TextField(max_length=5000, verbose_name="isi pengaduan")),
                        ("contact", models.CharField(blank=True, max_length=200, verbose_name="kontak")),
                        ("status", models.CharField(choices=STATUSES, default="received", max_length=20)),
                        ("verify_due", models.DateField(verbose_name="batas verifikasi")),
                        ("follow_up_due", models.DateField(blank=True, null=True, verbose_name="batas tindak lanjut")),
                        ("escalated_at", models.DateTimeField(blank=True, null=True)),
                        ("answer", models.TextField(blank=True, verbose_name="jawaban")),
                        ("not_our_authority_reason", models.TextField(blank=True)),
                        ("where_to_go", models.TextField(blank=True)),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("updated_at", models.DateTimeField(auto_now=True)),
                        ("answered_at", models.DateTimeField(blank=True, null=True)),
                        (
                            "agency",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="directory.agency",
                            ),
                        ),
                        (
                            "mall",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT, related_name="+", to="directory.mall"
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "pengaduan",
                        "verbose_name_plural": "pengaduan",
                        "ordering": ["-created_at", "-pk"],
                        "db_table": "feedback_complaint",
                    },
                ),
                migrations.CreateModel(
                    name="ComplaintEvent",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("from_status", models.CharField(blank=True, choices=STATUSES, max_length=20)),
                        ("to_status", models.CharField(choices=STATUSES, max_length=20)),
                        ("at", models.DateTimeField()),
                        ("note", models.TextField(blank=True)),
                        ("notify_contact", models.BooleanField(default=False)),
                        (
                            "actor",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "complaint",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="events",
                                to="complaints.complaint",
                            ),
                        ),
                    ],
                    options={
                        "ordering": ["at", "pk"],
                        "db_table": "feedback_complaintevent",
                    },
                ),
                migrations.CreateModel(
                    name="ComplaintAttachment",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("original_name", models.CharField(max_length=200, verbose_name="nama berkas")),
                        (
                            "content_type",
                            models.CharField(
                                choices=[("image/jpeg", "JPEG"), ("image/png", "PNG"), ("application/pdf", "PDF")],
                                max_length=40,
                                verbose_name="jenis berkas",
                            ),
                        ),
                        ("size", models.PositiveIntegerField(verbose_name="ukuran (bita)")),
                        ("sha256", models.CharField(max_length=64)),
                        ("path", models.CharField(max_length=255, unique=True)),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        (
                            "complaint",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="attachments",
                                to="complaints.complaint",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "lampiran pengaduan",
                        "verbose_name_plural": "lampiran pengaduan",
                        "ordering": ["pk"],
                        "db_table": "feedback_complaintattachment",
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(content_types_forward, content_types_backward),
    ]

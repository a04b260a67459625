"""One audit chain per mall instead of one for all: re-link the entries written so far.

The old single chain is verified first: re-linking a tampered chain would hide the tampering, so
the migration stops instead, naming the first entry that does not hold (restore a backup, or
investigate, then migrate). The hash formula is the model's, repeated here as migrations must.
"""

import hashlib
import json

from django.db import migrations, models


def _hash(entry, prev_hash: str) -> str:
    body = json.dumps(
        [prev_hash, entry.at.isoformat(), entry.mall_id, entry.actor, entry.action, entry.subject, entry.data],
        sort_keys=True,
        default=str,
    )
    return hashlib.sha256(body.encode()).hexdigest()


def relink_per_mall(apps, schema_editor):
    AuditEntry = apps.get_model("audit", "AuditEntry")
    entries = list(AuditEntry.objects.order_by("id"))
    prev = ""
    for entry in entries:
        if _hash(entry, entry.prev_hash) != entry.hash or entry.prev_hash != prev:
            raise RuntimeError(
                f"audit chain broken at entry {entry.pk} ({entry.action}); not re-linked per mall. "
                "Investigate or restore a backup, then migrate again."
            )
        prev = entry.hash
    heads = {}
    for entry in entries:
        entry.prev_hash = heads.get(entry.mall_id, "")
        entry.hash = _hash(entry, entry.prev_hash)
        heads[entry.mall_id] = entry.hash
    AuditEntry.objects.bulk_update(entries, ["prev_hash", "hash"], batch_size=500)


def relink_globally(apps, schema_editor):
    AuditEntry = apps.get_model("audit", "AuditEntry")
    entries = list(AuditEntry.objects.order_by("id"))
    prev = ""
    for entry in entries:
        entry.prev_hash = prev
        entry.hash = prev = _hash(entry, prev)
    AuditEntry.objects.bulk_update(entries, ["prev_hash", "hash"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0002_alter_auditentry_options"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="auditentry",
            index=models.Index(fields=["mall_id", "-id"], name="audit_chain_head"),
        ),
        migrations.RunPython(relink_per_mall, relink_globally),
    ]

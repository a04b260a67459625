import hashlib
import json

from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEntry(models.Model):
    """Append-only, hash-chained log, one chain per mall: each row's hash covers the previous row's of its mall."""

    at = models.DateTimeField(db_index=True)
    mall_id = models.BigIntegerField(null=True, db_index=True)
    actor = models.CharField(max_length=150, blank=True)
    action = models.CharField(max_length=60)
    subject = models.CharField(max_length=120, blank=True)
    data = models.JSONField(default=dict, blank=True)
    prev_hash = models.CharField(max_length=64, blank=True)
    hash = models.CharField(max_length=64)

    class Meta:
        # The newest entry of a mall's chain, read by every writer (audit.log.last_hash).
        indexes = [models.Index(fields=["mall_id", "-id"], name="audit_chain_head")]
        verbose_name = _("catatan audit")
        verbose_name_plural = _("log audit")

    def compute_hash(self) -> str:
        body = json.dumps(
            [self.prev_hash, self.at.isoformat(), self.mall_id, self.actor, self.action, self.subject, self.data],
            sort_keys=True,
            default=str,
        )
        return hashlib.sha256(body.encode()).hexdigest()

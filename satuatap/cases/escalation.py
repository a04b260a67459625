"""The notice that tells an agency's supervisors a case went past its due date.

``services.escalate_overdue`` marks a case once and calls ``notify_supervisors`` after the commit;
the dedupe key per (case, supervisor) keeps a rerun of the sweep from sending it twice. The notice
names the case, the service and the due date, never the citizen.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils import translation

from satuatap.accounts.models import Role, User
from satuatap.notify import outbox


def supervisors_of(case):
    """The active supervisors of the case's agency who left an email address."""
    return User.objects.filter(role=Role.SUPERVISOR, agency_id=case.agency_id, is_active=True).exclude(email="")


def notify_supervisors(case) -> int:
    """Queue one email per supervisor of the owning agency; returns how many were queued (known ones included)."""
    with translation.override(outbox.MESSAGE_LANGUAGE):
        context = {
            "registration_number": case.registration_number,
            "service_name": case.service.name,
            "status": case.state.label,
            "due_date": case.due_date,
            "case_link": outbox.absolute_url(reverse("case_detail", args=[case.mall.slug, case.registration_number])),
        }
    queued = 0
    for supervisor in supervisors_of(case):
        message = outbox.enqueue(
            mall=case.mall,
            kind="case_escalated",
            to=supervisor.email,
            channel="email",
            context=context,
            dedupe_key=f"case-escalation:{case.pk}:{supervisor.pk}",
            subject_ref=f"case:{case.registration_number}",
        )
        queued += message is not None
    return queued

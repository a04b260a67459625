"""The one place that decides what a user may see.

Views and the API never filter by mall or agency by hand: they pass their
queryset through ``scope``. Agency staff see their agency's rows only; the
manager sees the whole mall; the ministry reads every mall (its role is in no
write's list of roles, so it reads and never writes); the evaluator, anonymous
users and devices see nothing private.
"""

from __future__ import annotations

from django.db.models import QuerySet

from satuatap.accounts.models import Role

# The path from each scoped model to its mall and its agency.
_PATHS = {
    "directory.mall": ("pk", None),
    "directory.agency": ("mall", "pk"),
    "directory.service": ("mall", "agency"),
    "directory.counter": ("mall", "agency"),
    "queueing.ticket": ("mall", "service__agency"),
    "queueing.ticketevent": ("mall", "ticket__service__agency"),
    "accounts.user": ("mall", "agency"),
    "feedback.surveyresponse": ("mall", "agency"),
    "complaints.complaint": ("mall", "agency"),
    "complaints.complaintattachment": ("complaint__mall", "complaint__agency"),
    "booking.booking": ("mall", "service__agency"),
    "feedback.followupitem": ("mall", "agency"),
    "cases.case": ("mall", "agency"),
    "cases.caseevent": ("case__mall", "case__agency"),
    "cases.workflow": ("service__mall", "service__agency"),
    "cases.caseattachment": ("case__mall", "case__agency"),
}


def scope(user, queryset: QuerySet) -> QuerySet:
    label = queryset.model._meta.label_lower
    if label not in _PATHS:
        raise LookupError(f"no tenancy rule for {label}")
    if not getattr(user, "is_authenticated", False):
        return queryset.none()
    if user.is_superuser or user.role == Role.MINISTRY:
        return queryset
    mall_path, agency_path = _PATHS[label]
    if user.mall_id is None:
        return queryset.none()
    queryset = queryset.filter(**{mall_path: user.mall_id})
    if user.role == Role.MANAGER:
        return queryset
    if user.is_agency_bound and agency_path is not None:
        return queryset.filter(**{agency_path: user.agency_id})
    if user.is_agency_bound and agency_path is None:
        return queryset
    # Devices (kiosk, display) read only public data, through public snapshots.
    return queryset.none()


def can_manage_mall(user, mall) -> bool:
    return getattr(user, "is_authenticated", False) and (
        user.is_superuser or (user.role == Role.MANAGER and user.mall_id == mall.pk)
    )

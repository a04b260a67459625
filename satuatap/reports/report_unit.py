"""The unit (agency, service) an SKM report covers, in the user's scope: shared by the report page and the API."""

from __future__ import annotations

from django.utils.translation import gettext as _

from satuatap.accounts.models import Role
from satuatap.accounts.scoping import scope
from satuatap.directory.models import Agency, Service


class UnitRefused(Exception):
    """``code``: "no_agency" (a supervisor not tied to an agency), "agency_not_found" or "service_not_found"."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code, self.message = code, message


def report_unit(user, mall, agency_code: str | None, service_code: str | None) -> tuple[Agency | None, Service | None]:
    """(agency, service) asked for; a supervisor's own agency when none is asked; (None, None) is the whole mall.

    A supervisor without an agency gets no report rather than the whole mall's; a service of another agency than
    the one asked for is not in that report either.
    """
    supervisor = user.role == Role.SUPERVISOR and not user.is_superuser
    if supervisor and user.agency_id is None:
        raise UnitRefused("no_agency", _("Akun pengawas ini belum terhubung ke instansi."))
    agency = service = None
    if agency_code:
        agency = scope(user, Agency.objects.filter(mall=mall, code=agency_code)).first()
        if agency is None:
            raise UnitRefused("agency_not_found", _("Instansi tidak ditemukan."))
    elif supervisor:
        agency = user.agency
    if service_code:
        service = scope(user, Service.objects.filter(mall=mall, code=service_code)).select_related("agency").first()
        if service is None or (agency is not None and service.agency_id != agency.pk):
            raise UnitRefused("service_not_found", _("Layanan tidak ditemukan."))
    return agency, service

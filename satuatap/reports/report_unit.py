"""The unit (agency, service) an SKM report covers, in the user's scope: shared by the report page and the API."""

from __future__ import annotations

from django.utils.translation import gettext as _

from satuatap.accounts.access import access_agency, access_service
from satuatap.accounts.models import Role
from satuatap.directory.models import Agency, Service
from satuatap.refusal import Refused


def report_unit(user, mall, agency_code: str | None, service_code: str | None) -> tuple[Agency | None, Service | None]:
    """(agency, service) asked for; a supervisor's own agency when none is asked; (None, None) is the whole mall.

    A supervisor without an agency gets no report rather than the whole mall's (403 ``no_agency``); an agency or a
    service out of scope is 404 (``agency_not_found``, ``service_not_found``), and so is a service of another agency
    than the one asked for.
    """
    supervisor = user.role == Role.SUPERVISOR and not user.is_superuser
    if supervisor and user.agency_id is None:
        raise Refused("no_agency", _("Akun pengawas ini belum terhubung ke instansi."), status=403)
    agency = service = None
    if agency_code:
        agency = access_agency(user, mall, agency_code)
    elif supervisor:
        agency = user.agency
    if service_code:
        service = access_service(user, mall, service_code, agency=agency)
    return agency, service

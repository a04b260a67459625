"""The default workflow every service starts with, and the check that a workflow strands no case.

diterima → diverifikasi → diproses → disetujui / ditolak → siap diambil → diserahkan, with
"dikembalikan untuk dilengkapi" from every working state and back to diterima when the citizen
brings what was missing. The API contract names the state codes.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from satuatap.cases.models import StateKind, Workflow

OFFICERS = "officer,supervisor"
SUPERVISOR = "supervisor"


def default_states() -> list[tuple[str, str, str, int | None, str]]:
    """(code, label, kind, time limit in working days, what the citizen does next)."""
    return [
        ("diterima", _("Diterima"), StateKind.START, 1, _("Tunggu, berkas sedang diperiksa.")),
        ("diverifikasi", _("Diverifikasi"), StateKind.WORKING, 1, _("Tunggu, berkas akan diproses.")),
        ("diproses", _("Diproses"), StateKind.WORKING, 3, _("Tunggu, berkas sedang diproses.")),
        (
            "dikembalikan",
            _("Dikembalikan untuk dilengkapi"),
            StateKind.RETURNED,
            None,
            _("Lengkapi persyaratan yang kurang dan bawa ke loket instansi."),
        ),
        ("disetujui", _("Disetujui"), StateKind.WORKING, 1, _("Tunggu kabar bahwa dokumen siap diambil.")),
        ("ditolak", _("Ditolak"), StateKind.FINAL, None, _("Tanyakan alasannya di loket instansi.")),
        ("siap_diambil", _("Siap diambil"), StateKind.PICKUP, None, _("Ambil dokumen di loket instansi.")),
        ("diserahkan", _("Diserahkan"), StateKind.FINAL, None, ""),
    ]


def default_actions() -> list[tuple[str, str, str, str, str, bool]]:
    """(code, button label, from, to, roles, note required)."""
    actions = [
        ("verifikasi", _("Verifikasi"), "diterima", "diverifikasi", OFFICERS, False),
        ("proses", _("Proses"), "diverifikasi", "diproses", OFFICERS, False),
        ("setujui", _("Setujui"), "diproses", "disetujui", SUPERVISOR, False),
        ("tolak", _("Tolak"), "diproses", "ditolak", SUPERVISOR, True),
        ("siapkan", _("Siap diambil"), "disetujui", "siap_diambil", OFFICERS, False),
        ("serahkan", _("Serahkan"), "siap_diambil", "diserahkan", OFFICERS, False),
        ("lengkapi", _("Berkas dilengkapi"), "dikembalikan", "diterima", OFFICERS, False),
    ]
    for working in ("diterima", "diverifikasi", "diproses"):
        actions.append(("kembalikan", _("Kembalikan untuk dilengkapi"), working, "dikembalikan", OFFICERS, True))
    return actions


def stranded_states(workflow: Workflow) -> list[str]:
    """Codes of the states a case can enter but never leave, though they are not final."""
    leaving = set(workflow.actions.values_list("from_state_id", flat=True))
    return [s.code for s in workflow.states.exclude(kind=StateKind.FINAL) if s.pk not in leaving]

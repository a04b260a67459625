"""Browser screens of the queue: kiosk, counter console, ticket page, display boards.

The display routes point to ``views/display.py`` (written by the display screens);
the names and paths here are what the browser tests and other apps reverse.
"""

from django.urls import path

from satuatap.queueing.views import console, display, kiosk, public

urlpatterns = [
    # Kiosk (a signed-in kiosk device of the mall).
    path("m/<slug:mall>/kiosk/", kiosk.kiosk_home, name="kiosk"),
    path("m/<slug:mall>/kiosk/issue/", kiosk.kiosk_issue, name="kiosk_issue"),
    path("m/<slug:mall>/kiosk/search/", kiosk.kiosk_search, name="kiosk_search"),
    path("m/<slug:mall>/kiosk/ticket/<str:public_code>/", kiosk.kiosk_ticket, name="kiosk_ticket"),
    path("m/<slug:mall>/kiosk/<str:agency_code>/", kiosk.kiosk_agency, name="kiosk_agency"),
    # Display boards.
    path("m/<slug:mall>/display/", display.display_page, name="display_all"),
    path("m/<slug:mall>/display/snapshot.json", display.display_snapshot_json, name="display_all_snapshot"),
    path("m/<slug:mall>/display/chime.wav", display.chime_wav, name="chime"),
    path("m/<slug:mall>/display/speech/<int:event_id>.wav", display.speech_wav, name="speech"),
    path("m/<slug:mall>/display/<str:zone>/", display.display_page, name="display"),
    path("m/<slug:mall>/display/<str:zone>/snapshot.json", display.display_snapshot_json, name="display_snapshot"),
    # The citizen's ticket (public; the code is unguessable).
    path("t/<str:public_code>/", public.ticket_status, name="ticket_status"),
    path("t/<str:public_code>/snapshot.json", public.ticket_snapshot_json, name="ticket_snapshot"),
    path("t/<str:public_code>/cancel/", public.ticket_cancel, name="ticket_cancel"),
    # Counter console (officers).
    path("console/", console.console, name="console"),
    path("console/panel/", console.console_panel, name="console_panel"),
    path("console/snapshot.json", console.console_snapshot_json, name="console_snapshot"),
    path("console/sign-in/<int:number>/", console.console_sign_in, name="console_sign_in"),
    path("console/sign-out/", console.console_sign_out, name="console_sign_out"),
    path("console/action/<str:action>/", console.console_action, name="console_action"),
]

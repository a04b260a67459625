"""HTML screens of the queue, one module per screen.

``kiosk`` (take a number), ``console`` (counter officer), ``public`` (the
citizen's ticket page) and ``display`` (hall boards). Views stay thin: they
parse, check permission, call ``queueing.tickets`` or ``queueing.snapshots``,
and render.
"""

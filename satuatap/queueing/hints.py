"""Which live groups a ticket change concerns: only screens whose picture it changes get a hint.

- A zone's boards show its last calls and its services' waiting counts: they change when a
  ticket is called or recalled, or joins or leaves a waiting queue (issued, cancelled,
  transferred in). Starting, finishing or a no-show of a called ticket leaves the board as it
  was, but the zone's consoles show their counter's ticket: the zone gets the hint marked
  ``"board": false``, so the live process builds no board for it and boards ignore it.
- A service's phones show the ticket's status, its position and its wait: every change of a
  ticket of that service (a finish frees a counter and moves the estimates).
- The manager's floor follows everything of the mall.
"""

from __future__ import annotations

from satuatap import live
from satuatap.directory.models import Service

BOARD_ACTIONS = frozenset({"issued", "called", "recalled", "cancelled", "transferred"})


def groups_for(mall_id: int, services: list[Service]) -> list[str]:
    """The groups to hint for a change of a ticket of ``services`` (a transfer: both its queues)."""
    groups = {live.mall_group(mall_id)}
    for service in services:
        groups.add(live.service_group(service.pk))
        groups.add(live.zone_group(service.agency.zone_id))
    return sorted(groups)


def payload_for(action: str, event_id: int, ticket_id: int) -> dict:
    """The hint; ``"board": false`` when no board's picture changed."""
    payload = {"event": action, "event_id": event_id, "ticket": ticket_id}
    if action not in BOARD_ACTIONS:
        payload["board"] = False
    return payload

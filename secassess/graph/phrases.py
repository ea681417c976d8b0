"""The English phrases the graph writes into its facts, one template each.

A graph fact the inventory leaves open names what to collect (`partial.Unknown.missing`, the `missing` of a
`Partial`), and some list values and paths carry a few words around entity ids. They are written only from
these templates, so that a report can read them back and word them in its language
(`secassess.report.phrases`); a test renders each one and reads it back.
"""

from __future__ import annotations

# --- what the graph cannot decide without (facts to collect) ---------------------------------
LINK_CONTROLS = "controls of the link {link}"
LINK_DEVICES = "devices of the link {link}"
STATUS_OF = "status of {entity}"
ZONE_OF = "zone of {entity}"
MORE = "... and {count} more"
HOST_ZONES = "zone of hosts"
SYSTEM_SERVER_ZONES = "zone of the system's servers"
INTERNET_LINK = "a link by which the Internet reaches the system's servers"
ROLE_OF = "{entity} role"
ROLE_OR_ZONE_OF = "{entity} role/zone"
DEVICE_STATUS = "{entity} status"
REDUNDANCY_OR_STATUS = "{entity} redundancy/status"
SERVER_ROLES_ZONES = "agencies[{agency}] servers (role, zone)"
SERVER_ZONES_OF = "zone of the servers of {agency}"
MANAGEMENT_ADDRESS = "management address (and the zone holding it) of {entity}"

# --- words inside values -----------------------------------------------------------------------
UNPLACED_SERVERS = "servers whose zone is not stated"
NOT_PLACED = "(servers not placed)"
ON_PATH = "{entity} on {path}"
"""A single point of failure and a path through it."""
HOP_ARROW = " → "

OPEN_INPUTS = (LINK_CONTROLS, LINK_DEVICES, STATUS_OF, ZONE_OF, MORE, HOST_ZONES, SYSTEM_SERVER_ZONES, INTERNET_LINK,
               ROLE_OF, ROLE_OR_ZONE_OF, DEVICE_STATUS, REDUNDANCY_OR_STATUS, SERVER_ROLES_ZONES, SERVER_ZONES_OF,
               MANAGEMENT_ADDRESS)
"""Every form of an open input that is not an inventory path (those are named by their labels)."""
VALUES = (UNPLACED_SERVERS, NOT_PLACED)
"""Fixed words that stand for items in list values."""

"""Small hand-built topologies with known answers."""

from __future__ import annotations

import textwrap

from secassess.inventory.load import LoadedInventory, validate_inventory
from secassess.yamlsafe import load_bytes

HEAD = """\
organisation: {name: Test province, code: tp}
"""

GOOD_AGENCY = """\
- id: stttt
  name: Department of Information and Communications
  kind: department
  security_officer: {name: Officer One, phone: "+84 123 456 789"}
  leader: {name: Director One}
  layers:
    on_site:
      incident_reporting_contact: {name: Duty Desk, email: soc@example.vn}
  systems:
    - {id: portal, name: Portal, level: 3, servers: [web01, app01, db01]}
  zones:
    - {id: edge, name: Edge, kind: edge}
    - {id: dmz, name: DMZ, kind: dmz}
    - {id: users, name: Users, kind: user}
    - {id: wifi, name: Wireless, kind: wireless}
    - {id: srv, name: Servers, kind: internal_servers}
    - {id: db, name: Database, kind: database}
    - {id: admin, name: Administration, kind: administration}
    - {id: mgmt, name: Device management, kind: device_management, cidrs: [10.9.0.0/24]}
  security_devices:
    - {id: fw1, kind: firewall, zone: edge, redundancy: hot_standby, management_address: 10.9.0.1, status: active}
    - {id: core1, kind: core_switch, zone: srv, redundancy: hot_standby, status: active, management_address: 10.9.0.2}
  zone_links:
    - {from: internet, to: edge, controls: [none]}
    - {from: edge, to: dmz, devices: [fw1]}
    - {from: dmz, to: srv, controls: [firewall], devices: [fw1]}
    - {from: users, to: srv, controls: [firewall]}
    - {from: srv, to: db, controls: [firewall], devices: [fw1]}
    - {from: users, to: admin, controls: [firewall]}
    - {from: admin, to: mgmt, controls: [acl]}
    - {from: admin, to: db, controls: [firewall]}
    - {from: wifi, to: edge, controls: [firewall]}
  servers:
    - {hostname: web01, os: {name: Linux}, zone: dmz, role: web, addresses: [203.0.113.10]}
    - {hostname: app01, os: {name: Linux}, zone: srv, role: application}
    - {hostname: db01, os: {name: Linux}, zone: db, role: database}
  workstations:
    - {hostname: pc01, os: {name: Windows}, zone: users, address: 10.1.0.5}
  workstation_groups:
    - {id: floor1, name: Floor 1, zone: users, networked: 40}
"""


NO_NETWORK = "network: {links: []}\n"
"""States that the province has no province-wide links (an absent `network` leaves every path open)."""


def inventory(agencies: str, network: str = NO_NETWORK, head: str = HEAD) -> LoadedInventory:
    """An inventory from YAML text: `agencies` is the list under `agencies:` (line 2), `network` after it."""
    text = head + "agencies:\n" + textwrap.indent(agencies, "  ") + textwrap.dedent(network)
    return LoadedInventory("test.yaml", validate_inventory(load_bytes(text.encode(), "test.yaml"), "test.yaml"))

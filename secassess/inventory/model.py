"""The typed inventory: what a province declares about its agencies, systems and network.

Every model forbids unknown keys (typos must not pass silently) and is frozen. Each mapping loaded
from YAML carries its source position under the `__pos__` key; models keep it in `source_positions` (never
part of the schema, never dumped), so any later stage can point at the inventory line.

**Not stated is not false.** A fact the inventory does not write is `None`, never a guessed default
(no "exposure internal", "status active", "0 open findings" unless the inventory says so): checks
reach no verdict on it (`insufficient_data`). Lists keep `[]` as their Python default so that code
iterating them stays simple, but an unwritten list is *not stated* while `[]` written in the file is
*declared empty*: ask `stated(model, "servers")` (the assessment does). The few defaults left are
rules of the format, not facts: a link is two-way unless `bidirectional: false`, a service is TCP
unless it says `udp`, a link without `ports` allows any port, a host is not a lab target unless
`lab: true`.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints
from pydantic.json_schema import SkipJsonSchema

from secassess.yamlsafe import POS_KEY

Id = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_.-]{0,62}$")]
"""An identifier: lower-case letters, digits, '_', '.', '-'; at most 63 characters."""
Hostname = Annotated[str, StringConstraints(max_length=253,
                                             pattern=r"^[A-Za-z0-9][A-Za-z0-9-]{0,62}(\.[A-Za-z0-9][A-Za-z0-9-]{0,62})*$")]
Text = Annotated[str, StringConstraints(min_length=1, max_length=500)]
Percent = Annotated[float, Field(ge=0, le=100)]
Count = Annotated[int, Field(ge=0)]
Level = Annotated[int, Field(ge=1, le=5)]
Port = Annotated[int, Field(ge=1, le=65535)]


class Model(BaseModel):
    """Base of every inventory model: strict keys, frozen, remembers where it was written."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, str_strip_whitespace=True)

    source_positions: SkipJsonSchema[Any] = Field(default=None, alias=POS_KEY, exclude=True, repr=False)
    """Position record from the loader (`yamlsafe.Positions`), or None when built in code."""


class AgencyKind(StrEnum):
    """What kind of agency, as local government is organised since 1 July 2025 (two levels: the province,
    and its communes, wards and special zones; no district level).

    `city_committee` and `district_committee` (UBND thành phố thuộc tỉnh / huyện / thị xã) are legacy
    kinds, still accepted so that inventories written before the reorganisation load; see `CURRENT_KINDS`.
    """

    DEPARTMENT = "department"
    """Sở, Ban, Ngành of the province (e.g. the Department of Science and Technology, which took over the
    former Department of Information and Communications on 1 March 2025)."""
    CITY_COMMITTEE = "city_committee"
    """Legacy (before 2025-07-01): People's Committee of a provincial city."""
    DISTRICT_COMMITTEE = "district_committee"
    """Legacy (before 2025-07-01): People's Committee of a district or town."""
    WARD_COMMUNE = "ward_commune"
    """People's Committee of a commune, ward or special zone (UBND xã, phường, đặc khu)."""
    SHARED_CENTRE = "shared_centre"
    """A shared provincial unit: data-integration centre, public-administration centre, IOC."""


CURRENT_KINDS: frozenset[AgencyKind] = frozenset({AgencyKind.DEPARTMENT, AgencyKind.WARD_COMMUNE,
                                                  AgencyKind.SHARED_CENTRE})
"""The kinds that exist since the 2025 reorganisation; the others are kept for older inventories."""


def stated(model: BaseModel, field: str) -> bool:
    """Whether the inventory wrote `field` on `model` (an unwritten list is not stated; `[]` is declared empty)."""
    return field in model.model_fields_set


class Contact(Model):
    name: Text
    title: Text | None = None
    email: Annotated[str, StringConstraints(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")] | None = None
    phone: Annotated[str, StringConstraints(pattern=r"^\+?[0-9 ().-]{6,20}$")] | None = None


class Organisation(Model):
    name: Text
    name_en: Text | None = None
    code: Id
    competent_authority: Text | None = None
    central_anti_malware_system: bool | None = None
    """One centrally managed anti-malware system for the whole province."""
    ipv6_plan: bool | None = None
    data_centre_ddos_detection: bool | None = None


class Assessment(Model):
    title: Text | None = None
    assessor: Text
    period_start: dt.date | None = None
    period_end: dt.date | None = None


class LabScope(Model):
    cidrs: list[ipaddress.IPv4Network | ipaddress.IPv6Network] = Field(default_factory=list)
    """Networks the tool may scan; nothing outside them is ever a target."""
    max_hosts: Annotated[int, Field(ge=1, le=65536)] = 1024


# --- the four layers -------------------------------------------------------------------------


class OnSiteForce(Model):
    """Layer 1: dedicated security staff inside the agency."""

    dedicated_staff: Count | None = None
    part_time_staff: Count | None = None
    trained_staff: Count | None = None
    last_training: dt.date | None = None
    incident_response_team_member: bool | None = None
    """Member of (or linked to) the provincial incident-response team."""
    incident_response_plan: bool | None = None
    incident_reporting_contact: Contact | None = None
    last_incident_drill: dt.date | None = None


class MonitoringKind(StrEnum):
    IN_HOUSE_SOC = "in_house_soc"
    PROVIDER = "provider"
    PROVINCIAL_SOC = "provincial_soc"
    NONE = "none"


class LogSource(StrEnum):
    WEB_SERVER = "web_server"
    IDS = "ids"
    FIREWALL = "firewall"
    SERVER = "server"
    DATABASE = "database"
    ENDPOINT = "endpoint"
    DNS = "dns"
    EMAIL = "email"
    AUTHENTICATION = "authentication"


class Monitoring(Model):
    """Layer 2: professional monitoring and protection."""

    kind: MonitoringKind | None = None
    provider: Text | None = None
    contract_until: dt.date | None = None
    log_sources: list[LogSource] = Field(default_factory=list)
    coverage_percent: Percent | None = None
    """Share of the agency's servers whose logs reach the monitoring."""
    continuous: bool | None = None
    twenty_four_seven: bool | None = None
    daily_report: bool | None = None
    weekly_report_to_owner: bool | None = None
    log_retention_days: Count | None = None
    monitoring_data_retention_days: Count | None = None
    last_half_year_report: dt.date | None = None


class AssessorKind(StrEnum):
    LICENSED = "licensed"
    STATE_UNIT = "state_unit"
    DESIGNATED = "designated"
    INDEPENDENT_INTERNAL = "independent_internal"
    SELF = "self"


class AssessmentRecord(Model):
    date: dt.date
    assessor: Text
    assessor_kind: AssessorKind
    scope: Text | None = None
    open_findings: Count | None = None
    open_critical_findings: Count | None = None


class PenTestScope(StrEnum):
    EXTERNAL = "external"
    INTERNAL = "internal"


class PenTestRecord(Model):
    date: dt.date
    assessor: Text
    assessor_kind: AssessorKind
    scope: list[PenTestScope] = Field(default_factory=list)
    open_findings: Count | None = None


class PeriodicAssessment(Model):
    """Layer 3: independent periodic inspection and assessment."""

    last_independent_assessment: AssessmentRecord | None = None
    last_penetration_test: PenTestRecord | None = None
    last_vulnerability_scan: dt.date | None = None
    last_malware_scan: dt.date | None = None


class NationalCentre(StrEnum):
    NATIONAL = "national"
    PROVINCIAL = "provincial"
    NONE = "none"


class NationalConnection(Model):
    """Layer 4: connection to the national monitoring system."""

    connected_to: NationalCentre | None = None
    monitoring_sensors_connected: bool | None = None
    anti_malware_connected: bool | None = None
    malware_information_shared: bool | None = None
    connected_since: dt.date | None = None


class Layers(Model):
    on_site: OnSiteForce = Field(default_factory=OnSiteForce)
    monitoring: Monitoring = Field(default_factory=Monitoring)
    assessment: PeriodicAssessment = Field(default_factory=PeriodicAssessment)
    national_connection: NationalConnection = Field(default_factory=NationalConnection)


# --- systems, servers, endpoints ---------------------------------------------------------------


class DataType(StrEnum):
    PUBLIC = "public"
    INTERNAL = "internal"
    PERSONAL = "personal"
    SENSITIVE_PERSONAL = "sensitive_personal"
    STATE_SECRET = "state_secret"


class Hosting(StrEnum):
    OWN_DATA_CENTRE = "own_data_centre"
    PROVINCIAL_DATA_CENTRE = "provincial_data_centre"
    RENTED_DATA_CENTRE = "rented_data_centre"
    CLOUD = "cloud"


class Separation(StrEnum):
    NONE = "none"
    LOGICAL = "logical"
    PHYSICAL = "physical"


class LevelApproval(Model):
    approved: bool | None = None
    date: dt.date | None = None
    approver: Text | None = None
    """Who approved the level (level 3 and up: the owner; for a province, the provincial People's Committee)."""
    appraisal: Text | None = None
    """Who appraised the level proposal before approval (levels 4-5: the national specialised body)."""
    decision: Text | None = None


class DisasterRecovery(Model):
    site: Text
    distance_km: Annotated[float, Field(ge=0)]
    redundant_links: bool | None = None
    last_failover_test: dt.date | None = None


class InformationSystem(Model):
    id: Id
    name: Text
    name_en: Text | None = None
    level: Level
    approval: LevelApproval = Field(default_factory=LevelApproval)
    security_regulation_issued: dt.date | None = None
    protection_plan_deployed: bool | None = None
    go_live: dt.date | None = None
    data_types: list[DataType] = Field(default_factory=list)
    users: Count | None = None
    personal_data_subjects: Count | None = None
    citizen_facing: bool | None = None
    business_facing: bool | None = None
    administrative_procedures: bool | None = None
    hosting: Hosting | None = None
    hosting_separation: Separation | None = None
    servers: list[Hostname] = Field(default_factory=list)
    """Hostnames of the servers it runs on (any agency's)."""
    redundant_internet_link: bool | None = None
    central_backup: bool | None = None
    last_restore_test: dt.date | None = None
    mfa_for_admins: bool | None = None
    disaster_recovery: DisasterRecovery | None = None


class OperatingSystem(Model):
    name: Text
    version: Annotated[str, StringConstraints(min_length=1, max_length=50)] | None = None
    end_of_life: dt.date | None = None


class Protocol(StrEnum):
    TCP = "tcp"
    UDP = "udp"


class Service(Model):
    port: Port
    protocol: Protocol = Protocol.TCP
    name: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.+-]{0,40}$")]
    exposure: Literal["internet", "wan", "internal"] | None = None


class AntiMalware(Model):
    installed: bool | None = None
    licensed: bool | None = None
    centrally_managed: bool | None = None
    product: Text | None = None
    signature_date: dt.date | None = None
    edr: bool | None = None


class Backup(Model):
    enabled: bool | None = None
    central: bool | None = None
    last_backup: dt.date | None = None
    last_restore_test: dt.date | None = None
    offsite: bool | None = None


class ServerRole(StrEnum):
    WEB = "web"
    APPLICATION = "application"
    DATABASE = "database"
    FILE = "file"
    MAIL = "mail"
    DNS = "dns"
    DIRECTORY = "directory"
    BACKUP = "backup"
    MANAGEMENT = "management"
    MONITORING = "monitoring"
    VIRTUALISATION = "virtualisation"
    OTHER = "other"


class AssetStatus(StrEnum):
    ACTIVE = "active"
    DOWN = "down"
    DECOMMISSIONED = "decommissioned"


IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class Server(Model):
    hostname: Hostname
    addresses: list[IPAddress] = Field(default_factory=list)
    role: ServerRole | None = None
    os: OperatingSystem
    zone: Id | None = None
    data_centre: Id | None = None
    virtual: bool | None = None
    internet_facing: bool | None = None
    status: AssetStatus | None = None
    services: list[Service] = Field(default_factory=list)
    last_patched: dt.date | None = None
    backup: Backup = Field(default_factory=Backup)
    anti_malware: AntiMalware = Field(default_factory=AntiMalware)
    admin_mfa: bool | None = None
    logs_to_monitoring: bool | None = None
    lab: bool = False
    """Part of the lab the tool may scan (its addresses must lie in `lab_scope`)."""


class OsCount(Model):
    name: Text
    count: Count
    end_of_life: dt.date | None = None


class WorkstationGroup(Model):
    """Workstations counted, not listed: one office, floor or department."""

    id: Id
    name: Text
    zone: Id | None = None
    networked: Count
    """Computers connected to the network."""
    anti_malware_licensed: Count | None = None
    anti_malware_centrally_managed: Count | None = None
    signatures_current: Count | None = None
    """Computers whose signatures are at most 7 days old."""
    patched_last_30_days: Count | None = None
    edr: Count | None = None
    os: list[OsCount] = Field(default_factory=list)


class Workstation(Model):
    """A workstation listed one by one."""

    hostname: Hostname
    address: IPAddress | None = None
    zone: Id | None = None
    user: Text | None = None
    os: OperatingSystem
    anti_malware: AntiMalware = Field(default_factory=AntiMalware)
    last_patched: dt.date | None = None
    status: AssetStatus | None = None


class DeviceKind(StrEnum):
    FIREWALL = "firewall"
    IPS = "ips"
    IDS = "ids"
    WAF = "waf"
    DDOS_PROTECTION = "ddos_protection"
    SIEM = "siem"
    EMAIL_SECURITY = "email_security"
    NAC = "nac"
    DB_FIREWALL = "db_firewall"
    PAM = "pam"
    VPN_GATEWAY = "vpn_gateway"
    CORE_SWITCH = "core_switch"
    CENTRAL_STORAGE = "central_storage"
    BACKUP_SYSTEM = "backup_system"
    ANTI_MALWARE_CONSOLE = "anti_malware_console"
    NETWORK_MALWARE_FILTER = "network_malware_filter"
    ROUTER = "router"


class Redundancy(StrEnum):
    NONE = "none"
    COLD_STANDBY = "cold_standby"
    HOT_STANDBY = "hot_standby"
    LOAD_BALANCED = "load_balanced"


class SecurityDevice(Model):
    id: Id
    kind: DeviceKind
    product: Text | None = None
    zone: Id | None = None
    address: IPAddress | None = None
    management_address: IPAddress | None = None
    redundancy: Redundancy | None = None
    ips_enabled: bool | None = None
    """For firewalls: intrusion prevention turned on."""
    status: AssetStatus | None = None


class ZoneKind(StrEnum):
    EDGE = "edge"
    DMZ = "dmz"
    INTERNAL = "internal"
    INTERNAL_SERVERS = "internal_servers"
    DATABASE = "database"
    ADMINISTRATION = "administration"
    DEVICE_MANAGEMENT = "device_management"
    USER = "user"
    WIRELESS = "wireless"
    GUEST = "guest"
    WAN = "wan"
    INTERNET = "internet"


class Zone(Model):
    id: Id
    name: Text
    kind: ZoneKind
    cidrs: list[ipaddress.IPv4Network | ipaddress.IPv6Network] = Field(default_factory=list)


class LinkControl(StrEnum):
    FIREWALL = "firewall"
    IPS = "ips"
    VPN = "vpn"
    WAF = "waf"
    ACL = "acl"
    NAC = "nac"
    NONE = "none"


class ZoneLink(Model):
    """Traffic allowed between two zones, and what controls it."""

    from_zone: Id = Field(alias="from")
    to_zone: Id = Field(alias="to")
    controls: list[LinkControl] = Field(default_factory=list)
    devices: list[Id] = Field(default_factory=list)
    """Security devices the traffic crosses."""
    bidirectional: bool = True
    ports: list[Port] = Field(default_factory=list)
    """Ports allowed; empty means any."""
    note: Text | None = None


class DataCentre(Model):
    id: Id
    name: Text
    kind: Hosting | None = None
    location: Text | None = None


class Agency(Model):
    id: Id
    name: Text
    name_en: Text | None = None
    kind: AgencyKind
    parent: Id | None = None
    security_officer: Contact | None = None
    leader: Contact | None = None
    layers: Layers = Field(default_factory=Layers)
    digital_signature: bool | None = None
    """Signs official documents digitally."""
    e_office_network_member: bool | None = None
    """Connected to the inter-agency e-office network."""
    wireless_network: bool | None = None
    """Its network offers Wi-Fi (from level 2 it must sit in a zone of its own); implied by a wireless or
    guest zone."""
    it_budget_million_vnd: Annotated[float, Field(ge=0)] | None = None
    security_budget_million_vnd: Annotated[float, Field(ge=0)] | None = None
    security_regulation_issued: dt.date | None = None
    annual_report_submitted: dt.date | None = None
    systems: list[InformationSystem] = Field(default_factory=list)
    data_centres: list[DataCentre] = Field(default_factory=list)
    servers: list[Server] = Field(default_factory=list)
    workstation_groups: list[WorkstationGroup] = Field(default_factory=list)
    workstations: list[Workstation] = Field(default_factory=list)
    security_devices: list[SecurityDevice] = Field(default_factory=list)
    zones: list[Zone] = Field(default_factory=list)
    zone_links: list[ZoneLink] = Field(default_factory=list)


class Network(Model):
    """Province-wide zones (provincial WAN, shared DMZ) and the links between agencies' zones."""

    zones: list[Zone] = Field(default_factory=list)
    links: list[ZoneLink] = Field(default_factory=list)


class Inventory(Model):
    schema_version: Literal[1] = 1
    organisation: Organisation
    assessment: Assessment | None = None
    lab_scope: LabScope = Field(default_factory=LabScope)
    network: Network = Field(default_factory=Network)
    agencies: list[Agency] = Field(min_length=1)


INTERNET_ZONE = "internet"
"""The implicit zone standing for the Internet; links may name it without declaring it."""

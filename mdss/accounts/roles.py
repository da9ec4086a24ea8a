"""The roles of REQUIREMENTS.md, as data.

Each role is a Django group named by its code; its permissions are listed here and
``sync_roles`` (run after every ``migrate``) makes the database match. Later apps add
their permissions to ``ROLE_PERMISSIONS`` in their own ``roles.py``-style entries by
extending the lists below, so one file answers "what may a service engineer do?".
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Role:
    code: str
    label: str
    description: str
    is_staff_role: bool = True  # False for the customer role (portal only)


SALES_REP = "sales_rep"
SALES_MANAGER = "sales_manager"
LEGAL = "legal"
MANAGEMENT = "management"
SERVICE_ENGINEER = "service_engineer"
SERVICE_MANAGER = "service_manager"
WAREHOUSE_KEEPER = "warehouse_keeper"
QUALITY = "quality"
TRAINER = "trainer"
CUSTOMER = "customer"

ROLES: dict[str, Role] = {
    r.code: r
    for r in [
        Role(
            SALES_REP,
            _("Sales rep"),
            _("Customers, visits, quotations, contracts, price-adjustment requests"),
        ),
        Role(
            SALES_MANAGER,
            _("Sales manager"),
            _("Approves price adjustments, plans development, sees the team"),
        ),
        Role(LEGAL, _("Legal reviewer"), _("Reviews contracts before signing")),
        Role(
            MANAGEMENT,
            _("Management"),
            _("Approves price-list changes, handles escalated disputes, sees everything"),
        ),
        Role(
            SERVICE_ENGINEER,
            _("Service engineer"),
            _("Phone guidance, on-site repair, records, parts requests"),
        ),
        Role(
            SERVICE_MANAGER,
            _("Service manager / dispatcher"),
            _("Hotline intake, dispatch, follow-up visits, service audits"),
        ),
        Role(
            WAREHOUSE_KEEPER,
            _("Warehouse keeper"),
            _("Spare-parts stock, issues parts, stock counts, receipts"),
        ),
        Role(
            QUALITY,
            _("Quality & regulatory"),
            _("Certificates, complaints, incidents, CAPA, risk register, adverse events"),
        ),
        Role(
            TRAINER, _("Trainer / HR"), _("Training sessions, assessments, certificates of staff")
        ),
        Role(
            CUSTOMER,
            _("Customer"),
            _("Raises service requests and complaints, confirms, rates"),
            is_staff_role=False,
        ),
    ]
}

# "app_label.codename" per role. Later apps append their permissions here.
ROLE_PERMISSIONS: dict[str, list[str]] = {
    SALES_REP: [],
    SALES_MANAGER: ["accounts.view_user", "accounts.view_department"],
    LEGAL: [],
    MANAGEMENT: ["accounts.view_user", "accounts.view_department"],
    SERVICE_ENGINEER: [],
    SERVICE_MANAGER: ["accounts.view_user", "accounts.view_department"],
    WAREHOUSE_KEEPER: [],
    QUALITY: [],
    TRAINER: ["accounts.view_user", "accounts.view_department"],
    CUSTOMER: [],
}

# Everybody on the staff reads the catalog (pricing decides who sees costs).
CATALOG_READ = [
    "catalog.view_manufacturer",
    "catalog.view_product",
    "catalog.view_productmodel",
    "catalog.view_registrationcertificate",
    "catalog.view_manufacturerlicence",
    "catalog.view_productdocument",
]
# Quality & regulatory keeps the catalog's legal documents (Q1, Q2).
CATALOG_MANAGE = [
    f"catalog.{action}_{model}"
    for action in ("add", "change")
    for model in (
        "manufacturer",
        "manufacturerlicence",
        "product",
        "productmodel",
        "registrationcertificate",
        "productdocument",
        "udideviceidentifier",
    )
]
for _code, _perms in ROLE_PERMISSIONS.items():
    if _code != CUSTOMER:
        _perms.extend(CATALOG_READ)
ROLE_PERMISSIONS[QUALITY].extend(CATALOG_MANAGE)
# Costs, floors and margins are for those who set prices (S12); reps sell at list price.
for _code in (SALES_MANAGER, MANAGEMENT):
    ROLE_PERMISSIONS[_code].extend(["pricing.view_cost", "pricing.view_pricechange"])

# Sales work with customers (S5–S7); the row-level scope decides which ones.
CUSTOMERS_WORK = [
    f"customers.{action}_{model}"
    for model in (
        "customer",
        "contact",
        "qualification",
        "activity",
        "returnvisit",
        "feedback",
        "developmentplan",
        "campaign",
        "lead",
    )
    for action in ("view", "add", "change")
]
for _code in (SALES_REP, SALES_MANAGER, MANAGEMENT):
    ROLE_PERMISSIONS[_code].extend(CUSTOMERS_WORK)
# Managers move customers between reps, import them, and may export contacts (PIPL).
for _code in (SALES_MANAGER, MANAGEMENT):
    ROLE_PERMISSIONS[_code].extend(
        [
            "customers.reassign_customer",
            "customers.import_customer",
            "customers.export_contact",
        ]
    )

# Contracts (S8–S11): sales staff draft them; legal and management read all (the
# row-level scope in contracts/permissions.py decides which ones each sees).
for _code in (SALES_REP, SALES_MANAGER):
    ROLE_PERMISSIONS[_code].extend(
        ["contracts.view_contract", "contracts.add_contract", "contracts.change_contract"]
    )
for _code in (LEGAL, MANAGEMENT):
    ROLE_PERMISSIONS[_code].extend(["contracts.view_contract", "contracts.change_contract"])
# The warehouse ships what was signed: it reads the contracts to deliver (the scope
# limits it to signed ones) and records deliveries.
ROLE_PERMISSIONS[WAREHOUSE_KEEPER].append("contracts.view_contract")

# After-sales service (A4–A9): the row-level scope in service/permissions.py decides
# which requests each role sees; the device timeline links them for these roles.
for _code in (
    SERVICE_MANAGER,
    SERVICE_ENGINEER,
    MANAGEMENT,
    QUALITY,
    SALES_REP,
    SALES_MANAGER,
):
    ROLE_PERMISSIONS[_code].append("service.view_servicerequest")
# Complaints (A13–A15): complaints/permissions.py decides which each role sees; the
# device timeline and the customer page link them for these roles.
for _code in (
    QUALITY,
    MANAGEMENT,
    SERVICE_MANAGER,
    SALES_MANAGER,
    SALES_REP,
    SERVICE_ENGINEER,
):
    ROLE_PERMISSIONS[_code].append("complaints.view_complaint")
# Quality: the device timeline links feedback and recalls for the roles that see them
# all (quality/permissions.py SEES_ALL).
for _code in (QUALITY, MANAGEMENT, SERVICE_MANAGER, SALES_MANAGER):
    ROLE_PERMISSIONS[_code].append("quality.view_recall")

# Roles that see every record of every region (row-level scope "all").
GLOBAL_SCOPE_ROLES = frozenset({MANAGEMENT})


def role_label(code: str) -> str:
    role = ROLES.get(code)
    return str(role.label) if role else code


def sync_roles(using: str = "default") -> None:
    """Create the role groups and give each exactly the permissions listed above."""
    from django.apps import apps
    from django.contrib.auth.management import create_permissions
    from django.contrib.auth.models import Group, Permission

    # Permissions of every app must exist before they can be granted, whatever
    # order post_migrate handlers run in.
    for app_config in apps.get_app_configs():
        create_permissions(app_config, verbosity=0, using=using)

    wanted = {p for perms in ROLE_PERMISSIONS.values() for p in perms}
    by_key = {}
    for perm in Permission.objects.using(using).select_related("content_type"):
        key = f"{perm.content_type.app_label}.{perm.codename}"
        if key in wanted:
            by_key[key] = perm
    missing = wanted - by_key.keys()
    if missing:
        raise LookupError(f"Unknown permissions in ROLE_PERMISSIONS: {sorted(missing)}")
    for code in ROLES:
        group, _created = Group.objects.using(using).get_or_create(name=code)
        group.permissions.set([by_key[p] for p in ROLE_PERMISSIONS.get(code, [])])

"""Spare parts: how a part is tracked, the kinds of store, the kinds of stock move,
and the requisition's states with the transitions between them."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Tracking(models.TextChoices):
    NONE = "none", _("quantity only")
    LOT = "lot", _("by lot")
    SERIAL = "serial", _("by serial number")


class WarehouseKind(models.TextChoices):
    CENTRAL = "central", _("central warehouse")
    REGIONAL = "regional", _("regional warehouse")
    VAN = "van", _("engineer's van stock")


class MoveKind(models.TextChoices):
    """Every change of stock is one of these, written by services/ledger.py only."""

    RECEIPT = "receipt", _("receipt")
    ISSUE = "issue", _("issue")
    TRANSFER = "transfer", _("transfer")
    RETURN_GOOD = "return_good", _("return from the field (good)")
    RETURN_DEFECTIVE = "return_defective", _("return from the field (defective)")
    ADJUSTMENT = "adjustment", _("stock-count adjustment")
    SCRAP = "scrap", _("scrap")


# Which side of a move each kind has: (from a location, to a location). An issue
# leaves the stock (to the job); a receipt and a return come from outside it.
MOVE_SIDES = {
    MoveKind.RECEIPT: (False, True),
    MoveKind.ISSUE: (True, False),
    MoveKind.TRANSFER: (True, True),
    MoveKind.RETURN_GOOD: (False, True),
    MoveKind.RETURN_DEFECTIVE: (False, True),
    MoveKind.SCRAP: (True, False),
}


class RequisitionStatus(models.TextChoices):
    SUBMITTED = "submitted", _("waiting for the warehouse")
    PARTLY_ISSUED = "partly_issued", _("partly issued")
    ISSUED = "issued", _("issued")
    CANCELLED = "cancelled", _("cancelled")


OPEN_REQUISITIONS = (RequisitionStatus.SUBMITTED, RequisitionStatus.PARTLY_ISSUED)

REQUISITION_TRANSITIONS = {
    RequisitionStatus.SUBMITTED: (
        RequisitionStatus.PARTLY_ISSUED,
        RequisitionStatus.ISSUED,
        RequisitionStatus.CANCELLED,
    ),
    RequisitionStatus.PARTLY_ISSUED: (
        RequisitionStatus.PARTLY_ISSUED,
        RequisitionStatus.ISSUED,
        RequisitionStatus.CANCELLED,
    ),
    RequisitionStatus.ISSUED: (),
    RequisitionStatus.CANCELLED: (),
}


class InventoryAction(models.TextChoices):
    """What a person may do in the inventory (permissions.ACTION_ROLES)."""

    REQUEST = "request", _("request parts")
    ISSUE = "issue", _("issue parts")
    RECEIVE = "receive", _("receive stock")
    TRANSFER = "transfer", _("transfer stock")
    SCRAP = "scrap", _("scrap stock")
    RETURN = "return", _("return parts")
    CANCEL = "cancel", _("cancel a requisition")
    SUPPLIERS = "suppliers", _("keep suppliers and their papers")
    QUALIFY = "qualify", _("approve, suspend or block suppliers")
    ORDER = "order", _("draft purchase orders")
    APPROVE_ORDER = "approve_order", _("approve purchase orders")
    COUNT = "count", _("count stock")
    APPROVE_COUNT = "approve_count", _("approve stock-count adjustments")


# The SLA obligation of the policy (A8): from the request to the issue, 24 h.
PROVIDE_CLOCK = "parts.provide"

# Sortable columns of the parts list (core.sorting).
PART_SORTS = {"number": ("number",), "name": ("name", "number"), "on_hand": ("on_hand", "number")}


class SupplierStatus(models.TextChoices):
    APPROVED = "approved", _("approved")
    SUSPENDED = "suspended", _("suspended")
    BLOCKED = "blocked", _("blocked")


class SupplierDocumentKind(models.TextChoices):
    """The papers a qualified (正规) supplier holds (A11); each must be valid on the
    day an order is placed or approved."""

    BUSINESS_LICENCE = "business_licence", _("business licence")
    OPERATING_LICENCE = "operating_licence", _("medical-device operating licence or filing")
    AUTHORISATION = "authorisation", _("manufacturer's authorisation")
    QUALITY_AGREEMENT = "quality_agreement", _("quality agreement")


class OrderStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    APPROVED = "approved", _("approved")
    PARTLY_RECEIVED = "partly_received", _("partly received")
    RECEIVED = "received", _("received")
    CANCELLED = "cancelled", _("cancelled")


ORDER_TRANSITIONS = {
    OrderStatus.DRAFT: (OrderStatus.APPROVED, OrderStatus.CANCELLED),
    OrderStatus.APPROVED: (
        OrderStatus.PARTLY_RECEIVED,
        OrderStatus.RECEIVED,
        OrderStatus.CANCELLED,
    ),
    OrderStatus.PARTLY_RECEIVED: (OrderStatus.PARTLY_RECEIVED, OrderStatus.RECEIVED),
    OrderStatus.RECEIVED: (),
    OrderStatus.CANCELLED: (),
}


class InspectionResult(models.TextChoices):
    ACCEPTED = "accepted", _("accepted")
    PARTLY_ACCEPTED = "partly_accepted", _("partly accepted")
    REJECTED = "rejected", _("rejected")


class CountStatus(models.TextChoices):
    COUNTING = "counting", _("counting")
    SUBMITTED = "submitted", _("waiting for approval")
    APPROVED = "approved", _("approved")
    CANCELLED = "cancelled", _("cancelled")


COUNT_TRANSITIONS = {
    CountStatus.COUNTING: (CountStatus.SUBMITTED, CountStatus.CANCELLED),
    CountStatus.SUBMITTED: (CountStatus.APPROVED, CountStatus.COUNTING, CountStatus.CANCELLED),
    CountStatus.APPROVED: (),
    CountStatus.CANCELLED: (),
}

"""/api/v1/devices: the installed base in the caller's scope, and one POST per
action (register, import, transfer, decommission, installation). Out of scope is
404, a role that may not act is 403, a state that does not allow the action 409,
bad input 422 with the field and the rule."""

from datetime import date

from ninja import Field, File, Router, Schema
from ninja.files import UploadedFile
from ninja.pagination import paginate
from ninja.responses import Status

from mdss.core import uploads
from mdss.core.api import ErrorOut, PageNumberPagination, referenced
from mdss.core.dates import local_today
from mdss.core.errors import PermissionDenied, ValidationFailed

from . import selectors, services
from .choices import DeviceAction
from .permissions import actions_for, require_device_action

router = Router(tags=["devices"])
ERRORS = {403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


class DeviceOut(Schema):
    id: int
    customer_id: int
    customer: str
    model_id: int
    model: str
    serial: str
    lot: str
    di: str
    udi: str
    site: str
    origin: str
    status: str
    delivered_on: date | None
    warranty_until: date | None
    expiry_date: date | None
    installed_on: date | None
    decommissioned_on: date | None

    @staticmethod
    def resolve_customer(obj):
        return obj.customer.name

    @staticmethod
    def resolve_model(obj):
        return str(obj.model)


class DeviceEventOut(Schema):
    on: date
    kind: str
    title: str
    reference: str
    url: str
    detail: str
    source: str


class DeviceDetailOut(DeviceOut):
    installed_by_id: int | None
    accepted_by_customer: str
    accepted_on: date | None
    decommission_reason: str
    note: str
    allowed_actions: list[str]
    history: list[DeviceEventOut]


class DeviceImportOut(Schema):
    created: int
    ids: list[int]


def _require(request):
    if not (request.user.is_superuser or request.user.role_codes - {"customer"}):
        raise PermissionDenied()


def _detail(request, device_id: int):
    _require(request)
    device = selectors.device_get_for_user(request.user, device_id)
    device.allowed_actions = actions_for(request.user, device)
    device.history = [e.__dict__ for e in selectors.device_history(device, viewer=request.user)]
    return device


@router.get(
    "", response={200: list[DeviceOut], 403: ErrorOut}, summary="Installed devices in my scope"
)
@paginate(PageNumberPagination)
def device_list(
    request,
    search: str = "",
    customer: int | None = None,
    model: int | None = None,
    status: str = "",
    origin: str = "",
    sort: str = "",
):
    from .filters import DeviceFilterForm

    _require(request)
    filters = DeviceFilterForm.from_api(
        {
            "search": search,
            "customer": customer,
            "model": model,
            "status": status,
            "origin": origin,
            "sort": sort,
        }
    )
    return selectors.devices_for_user(request.user, **filters)


@router.get("/{int:device_id}", response={200: DeviceDetailOut, 403: ErrorOut, 404: ErrorOut})
def device_detail(request, device_id: int):
    return _detail(request, device_id)


class DeviceRegisterIn(Schema):
    customer_id: int
    model_id: int
    origin: str
    udi: str = ""
    serial: str = ""
    lot: str = ""
    site: str = ""
    delivered_on: date | None = None
    warranty_until: date | None = None
    note: str = ""


def _customer(pk: int | None, field: str):
    from mdss.customers.models import Customer

    if pk is None:
        return None
    customer = Customer.objects.filter(pk=pk).first() if 0 < pk < 2**63 else None
    if customer is None:
        raise ValidationFailed.single(field, "unknown", "No customer with this id.")
    return customer


@router.post(
    "",
    response={201: DeviceDetailOut, **ERRORS},
    summary="Register a device not delivered through a contract",
)
def device_register(request, payload: DeviceRegisterIn):
    from mdss.catalog.models import ProductModel

    _require(request)
    data = payload.dict()
    customer = _customer(data.pop("customer_id"), "customer_id")
    model_id = data.pop("model_id")
    model = ProductModel.objects.filter(pk=model_id).first() if 0 < model_id < 2**63 else None
    if model is None:
        raise ValidationFailed.single("model_id", "unknown", "No model with this id.")
    device = services.device_register(
        actor=request.user, customer=customer, model=model, today=local_today(), **data
    )
    return Status(201, _detail(request, device.pk))


@router.post(
    "/import",
    response={201: DeviceImportOut, **ERRORS},
    summary="Import devices from Excel (multipart: file), all or nothing",
    description="422 lists every bad row as field `rows.<row>.<field>` with its rule; "
    "nothing is written unless the whole file is clean.",
)
def device_import(request, file: File[UploadedFile]):
    _require(request)
    require_device_action(request.user, None, DeviceAction.IMPORT)  # before reading the file
    uploads.check(file, field="file", kinds=uploads.SPREADSHEET)
    created = services.device_import(actor=request.user, content=file.read(), today=local_today())
    return Status(201, {"created": len(created), "ids": [d.pk for d in created]})


class DeviceTransferIn(Schema):
    to_customer_id: int | None = None
    to_site: str | None = None
    transferred_on: date
    reason: str


@router.post(
    "/{int:device_id}/transfer",
    response={200: DeviceDetailOut, **ERRORS},
    summary="Move a device to another customer and/or site",
)
def device_transfer(request, device_id: int, payload: DeviceTransferIn):
    _require(request)
    device = selectors.device_get_for_user(request.user, device_id)
    services.device_transfer(
        actor=request.user,
        device=device,
        to_customer=_customer(payload.to_customer_id, "to_customer_id"),
        to_site=payload.to_site,
        transferred_on=payload.transferred_on,
        reason=payload.reason,
        today=local_today(),
    )
    return _detail(request, device_id)


class DeviceDecommissionIn(Schema):
    decommissioned_on: date
    reason: str


@router.post(
    "/{int:device_id}/decommission",
    response={200: DeviceDetailOut, **ERRORS},
    summary="Take a device out of service (reason required)",
)
def device_decommission(request, device_id: int, payload: DeviceDecommissionIn):
    _require(request)
    device = selectors.device_get_for_user(request.user, device_id)
    services.device_decommission(
        actor=request.user,
        device=device,
        decommissioned_on=payload.decommissioned_on,
        reason=payload.reason,
        today=local_today(),
    )
    return _detail(request, device_id)


class DeviceInstallationIn(Schema):
    installed_on: date
    engineer_id: int
    accepted_by_customer: str
    accepted_on: date | None = None


@router.post(
    "/{int:device_id}/installation",
    response={200: DeviceDetailOut, **ERRORS},
    summary="Record the installation and the customer's acceptance",
)
def device_installation(request, device_id: int, payload: DeviceInstallationIn):
    from mdss.accounts.models import User

    _require(request)
    device = selectors.device_get_for_user(request.user, device_id)
    engineer = (
        User.objects.filter(pk=payload.engineer_id).first()
        if 0 < payload.engineer_id < 2**63
        else None
    )
    services.device_installation_record(
        actor=request.user,
        device=device,
        installed_on=payload.installed_on,
        engineer=engineer,
        accepted_by_customer=payload.accepted_by_customer,
        accepted_on=payload.accepted_on,
        today=local_today(),
    )
    return _detail(request, device_id)


class PmPlanOut(Schema):
    id: int
    model_id: int
    model: str
    interval_months: int
    checklist: list[str]

    @staticmethod
    def resolve_model(obj):
        return str(obj.model)

    @staticmethod
    def resolve_checklist(obj):
        return obj.items


class PmPlanIn(Schema):
    model_id: int
    interval_months: int
    checklist: str = Field(max_length=4000)


@router.get("/pm-plans", response={200: list[PmPlanOut], 403: ErrorOut})
@paginate(PageNumberPagination)
def pm_plans(request):
    """The active preventive-maintenance plan of each model."""
    from .pm import active_plans

    _require(request)
    return active_plans()


@router.post("/pm-plans", response={201: PmPlanOut, **ERRORS}, summary="Add or replace a plan")
def pm_plan_save(request, payload: PmPlanIn):
    from mdss.catalog.models import ProductModel

    from .pm import pm_plan_save as save

    _require(request)
    require_device_action(request.user, None, DeviceAction.PM_PLAN)
    plan = save(
        actor=request.user,
        model=referenced(ProductModel, payload.model_id, "model_id"),
        interval_months=payload.interval_months,
        checklist=payload.checklist,
    )
    return Status(201, plan)

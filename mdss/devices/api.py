"""/api/v1/devices: the installed base in the caller's scope."""

from datetime import date

from ninja import Router, Schema
from ninja.pagination import paginate

from mdss.core.api import ErrorOut, PageNumberPagination
from mdss.core.errors import PermissionDenied

from . import selectors

router = Router(tags=["devices"])


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
    contract_id: int
    delivered_on: date
    warranty_until: date
    expiry_date: date | None

    @staticmethod
    def resolve_customer(obj):
        return obj.customer.name

    @staticmethod
    def resolve_model(obj):
        return str(obj.model)


def _require(request):
    if not (request.user.is_superuser or request.user.role_codes - {"customer"}):
        raise PermissionDenied()


@router.get(
    "", response={200: list[DeviceOut], 403: ErrorOut}, summary="Installed devices in my scope"
)
@paginate(PageNumberPagination)
def device_list(request, search: str = "", customer: int | None = None, model: int | None = None):
    _require(request)
    return selectors.devices_for_user(request.user, q=search, customer=customer, model=model)


@router.get("/{int:device_id}", response={200: DeviceOut, 403: ErrorOut, 404: ErrorOut})
def device_detail(request, device_id: int):
    _require(request)
    return selectors.device_get_for_user(request.user, device_id)

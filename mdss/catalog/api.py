"""/api/v1/catalog: models, the compliance gate, UDI parsing."""

from __future__ import annotations

from datetime import date

from ninja import Router, Schema
from ninja.pagination import paginate

from mdss.core.api import ErrorOut, PageNumberPagination
from mdss.core.dates import local_today
from mdss.core.errors import PermissionDenied, ValidationFailed

from . import compliance, selectors, udi
from .filters import ModelFilterForm

router = Router(tags=["catalog"])


def _require_catalog_reader(request):
    if not request.user.has_perm("catalog.view_productmodel"):
        raise PermissionDenied()


class ModelOut(Schema):
    id: int
    code: str
    description: str
    product_id: int
    product_name: str
    device_class: str
    manufacturer: str
    implantable: bool
    needs_installation: bool
    warranty_months: int

    @staticmethod
    def resolve_product_name(obj):
        return obj.product.name

    @staticmethod
    def resolve_device_class(obj):
        return obj.product.device_class

    @staticmethod
    def resolve_manufacturer(obj):
        return obj.product.manufacturer.name

    @staticmethod
    def resolve_implantable(obj):
        return obj.product.implantable

    @staticmethod
    def resolve_needs_installation(obj):
        return obj.product.needs_installation

    @staticmethod
    def resolve_warranty_months(obj):
        return obj.product.warranty_months


class GateReasonOut(Schema):
    code: str
    message: str


class GateOut(Schema):
    model_id: int
    on_date: date
    sellable: bool
    reasons: list[GateReasonOut]
    override_id: int | None
    override_until: date | None


class GateIn(Schema):
    model_ids: list[int]
    on_date: date | None = None


def _gate_out(result: compliance.GateResult) -> dict:
    return {
        "model_id": result.model_id,
        "on_date": result.on_date,
        "sellable": result.ok,
        "reasons": [{"code": r.code, "message": r.message} for r in result.reasons],
        "override_id": result.override_id,
        "override_until": result.override_until,
    }


@router.get(
    "/models",
    response={200: list[ModelOut], 403: ErrorOut, 422: ErrorOut},
    summary="Models / specifications",
)
@paginate(PageNumberPagination)
def model_list(request, search: str = "", device_class: str = "", manufacturer: int | None = None):
    _require_catalog_reader(request)
    filters = ModelFilterForm.from_api(
        {"search": search, "device_class": device_class, "manufacturer": manufacturer}
    )
    return selectors.model_list(**filters)


@router.get("/models/{model_id}", response={200: ModelOut, 403: ErrorOut, 404: ErrorOut})
def model_detail(request, model_id: int):
    _require_catalog_reader(request)
    return selectors.model_get(model_id)


@router.get(
    "/models/{model_id}/compliance",
    response={200: GateOut, 403: ErrorOut, 404: ErrorOut},
    summary="May this model be sold on a date? Every reason if not.",
)
def model_compliance(request, model_id: int, on: date | None = None):
    _require_catalog_reader(request)
    model = selectors.model_get(model_id)
    return _gate_out(compliance.sellable(model, on or local_today()))


@router.post(
    "/compliance/check",
    response={200: list[GateOut], 403: ErrorOut, 422: ErrorOut},
    summary="The gate for many models at once (up to 20,000)",
)
def compliance_check(request, payload: GateIn):
    _require_catalog_reader(request)
    if len(payload.model_ids) > 20_000:
        raise ValidationFailed.single("model_ids", "max_items", "at most 20,000 models per call")
    results = compliance.check_models(payload.model_ids, payload.on_date or local_today())
    missing = set(payload.model_ids) - set(results)
    if missing:
        raise ValidationFailed.single(
            "model_ids", "unknown", f"unknown model ids: {sorted(missing)[:20]}"
        )
    return [_gate_out(results[i]) for i in payload.model_ids]


class UdiIn(Schema):
    text: str


class UdiOut(Schema):
    ok: bool
    scheme: str
    issuer: str
    di: str
    lot: str
    serial: str
    production_date: date | None
    expiry_date: date | None
    errors: list[str]
    model: ModelOut | None


@router.post(
    "/udi/parse",
    response={200: UdiOut, 403: ErrorOut},
    summary="Read a scanned UDI (GS1, GS1 Digital Link, HIBC) and match its DI to a model",
)
def udi_parse(request, payload: UdiIn):
    _require_catalog_reader(request)
    result = udi.parse_udi(payload.text)
    model = selectors.model_by_di(result.di) if result.di else None
    if model is None and result.scheme == "gs1" and result.di:
        # Catalogues often store the GTIN-13 of a GTIN-14 with a leading zero.
        model = selectors.model_by_di(result.di.lstrip("0"))
    return {
        "ok": result.ok,
        "scheme": result.scheme,
        "issuer": result.issuer,
        "di": result.di,
        "lot": result.lot,
        "serial": result.serial,
        "production_date": result.production_date,
        "expiry_date": result.expiry_date,
        "errors": result.errors,
        "model": model,
    }

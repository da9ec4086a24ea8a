"""The compliance gate (Q1): may this model be quoted, contracted or delivered on a date?

``check_models`` answers for any number of models in five queries (models with their
product and manufacturer; the certificates covering them; the manufacturers'
licences; active overrides; the holds registered in ``holds.py``, i.e. recalls), so
pricing, contracts and the benchmark ask in bulk.
A refusal lists every reason, each naming the document and the date.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

from mdss.core.decisions import Decision, Reason
from mdss.core.errors import ValidationFailed

from .choices import CertificateKind, DeviceClass, LicenceKind
from .holds import models_held
from .models import ComplianceOverride, ManufacturerLicence, ProductModel, RegistrationCertificate

# The documents' legal names, the same in every language (they are what is printed on them).
DOCUMENT_NAMES = {
    CertificateKind.REGISTRATION: "注册证",
    CertificateKind.FILING: "备案凭证",
    "licence": "生产许可证",
    "production_filing": "生产备案凭证",
}


@dataclass
class GateResult(Decision):
    """Reason codes: no_certificate, certificate_expired, certificate_not_yet_valid,
    licence_missing, licence_expired, licence_not_yet_valid. An active quality override
    lets the model pass despite them."""

    model_id: int = 0
    on_date: date | None = None
    override_id: int | None = None
    override_until: date | None = None


@dataclass(frozen=True)
class _Document:
    """The few columns of a certificate or licence the gate needs (no model instances:
    building 10,000 ORM objects would cost more than the whole check)."""

    kind: str
    number: str
    valid_from: date
    valid_until: date | None


def _valid_on(document: _Document, on_date: date) -> bool:
    return document.valid_from <= on_date and (
        document.valid_until is None or on_date <= document.valid_until
    )


def _judge(
    documents: list[_Document],
    on_date: date,
    *,
    missing,
    kind_label: str,
    expired_code: str,
    not_yet_code: str,
) -> Reason | None:
    """None if one document is valid on the date, else why not (naming the latest).

    ``missing`` is a callable, so the sentence is only translated when it is needed.
    """
    if not documents:
        return missing()
    if any(_valid_on(d, on_date) for d in documents):
        return None
    latest = max(documents, key=lambda d: (d.valid_until or date.max, d.valid_from))
    if latest.valid_from > on_date:
        return Reason(
            not_yet_code,
            _("%(kind)s %(number)s is valid only from %(date)s")
            % {"kind": kind_label, "number": latest.number, "date": latest.valid_from},
        )
    return Reason(
        expired_code,
        _("%(kind)s %(number)s expired on %(date)s")
        % {"kind": kind_label, "number": latest.number, "date": latest.valid_until},
    )


def check_models(model_ids: Iterable[int], on_date: date) -> dict[int, GateResult]:
    """The gate's answer for every model id, in five queries whatever their number."""
    ids = list(set(model_ids))
    models = list(
        ProductModel.objects.filter(pk__in_list=ids).values_list(
            "pk",
            "code",
            "product__device_class",
            "product__manufacturer_id",
            "product__manufacturer__name",
        )
    )
    covering: dict[int, list[_Document]] = defaultdict(list)
    through = RegistrationCertificate.models_covered.through
    for model_id, kind, number, approved_on, valid_until in through.objects.filter(
        productmodel_id__in_list=ids, registrationcertificate__voided_at__isnull=True
    ).values_list(
        "productmodel_id",
        "registrationcertificate__kind",
        "registrationcertificate__number",
        "registrationcertificate__approved_on",
        "registrationcertificate__valid_until",
    ):
        covering[model_id].append(_Document(kind, number, approved_on, valid_until))
    licences: dict[int, list[_Document]] = defaultdict(list)
    for (
        manufacturer_id,
        kind,
        number,
        valid_from,
        valid_until,
    ) in ManufacturerLicence.objects.filter(
        manufacturer_id__in_list={m[3] for m in models}, voided_at__isnull=True
    ).values_list("manufacturer_id", "kind", "number", "valid_from", "valid_until"):
        licences[manufacturer_id].append(_Document(kind, number, valid_from, valid_until))
    overrides = {
        model_id: (override_id, valid_until)
        for model_id, override_id, valid_until in ComplianceOverride.objects.filter(
            model_id__in_list=ids,
            voided_at__isnull=True,
            valid_from__lte=on_date,
            valid_until__gte=on_date,
        )
        .order_by("valid_until")
        .values_list("model_id", "pk", "valid_until")
    }

    held = models_held(ids)
    results: dict[int, GateResult] = {}
    for model_id, code, device_class, manufacturer_id, manufacturer_name in models:
        class_one = device_class == DeviceClass.I
        certificate_kind = CertificateKind.FILING if class_one else CertificateKind.REGISTRATION
        licence_kind = (
            LicenceKind.PRODUCTION_FILING if class_one else LicenceKind.PRODUCTION_LICENCE
        )
        certificate_label = DOCUMENT_NAMES[certificate_kind]
        licence_label = DOCUMENT_NAMES["production_filing" if class_one else "licence"]
        reasons = []
        certificate_reason = _judge(
            [c for c in covering[model_id] if c.kind == certificate_kind],
            on_date,
            missing=lambda label=certificate_label, code=code: Reason(
                "no_certificate",
                _("no %(kind)s covers the model %(model)s") % {"kind": label, "model": code},
            ),
            kind_label=certificate_label,
            expired_code="certificate_expired",
            not_yet_code="certificate_not_yet_valid",
        )
        if certificate_reason:
            reasons.append(certificate_reason)
        licence_reason = _judge(
            [lic for lic in licences[manufacturer_id] if lic.kind == licence_kind],
            on_date,
            missing=lambda label=licence_label, name=manufacturer_name: Reason(
                "licence_missing",
                _("%(kind)s of %(manufacturer)s is missing")
                % {"kind": label, "manufacturer": name},
            ),
            kind_label=licence_label,
            expired_code="licence_expired",
            not_yet_code="licence_not_yet_valid",
        )
        if licence_reason:
            reasons.append(licence_reason)
        override = overrides.get(model_id)
        result = GateResult(reasons, model_id=model_id, on_date=on_date)
        if model_id in held:
            # A recall is not a missing paper: no override lifts it.
            result.reasons.extend(held[model_id])
            override = None
        if reasons and override is not None:
            result.override_id, result.override_until = override
            result.overridden = True
        results[model_id] = result
    return results


def sellable(model: ProductModel, on_date: date) -> GateResult:
    return check_models([model.pk], on_date)[model.pk]


def require_sellable(
    model: ProductModel, on_date: date, *, field_name: str = "model"
) -> GateResult:
    """Raise a ValidationFailed naming every missing or expired document, or pass."""
    result = sellable(model, on_date)
    if not result.ok:
        raise ValidationFailed(
            _("%(model)s cannot be sold on %(date)s: %(reasons)s")
            % {
                "model": model,
                "date": on_date,
                "reasons": "; ".join(r.message for r in result.reasons),
            },
            errors=result.field_errors(field_name),
        )
    return result

"""Signals from the data: risks, or reassessments, the system proposes from what the
other apps hold (read through their selectors), each with its evidence; quality or
management accept one (a new risk, or a reassessment of an existing one) or dismiss
it with a reason. A signal's ``key`` names what it is about and when, so a daily
scan proposes each once, and again only in a later period.

Thresholds are ``RISK_POLICY`` in settings."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mdss.audit import services as audit
from mdss.core.dates import local_today, local_tz
from mdss.core.errors import Conflict, FieldError, ValidationFailed

from ..choices import (
    RiskAction,
    RiskAssessmentKind,
    RiskCategory,
    RiskSignalKind,
    RiskSignalStatus,
    RiskSource,
)
from ..models import Signal
from ..permissions import require
from .register import risk_assess, risk_create


def _quarter(day: date) -> str:
    return f"{day.year}Q{(day.month - 1) // 3 + 1}"


def _certificates(today: date) -> list[dict]:
    """A registration certificate expiring within the window with no later
    certificate for its product (no renewal on file)."""
    from mdss.catalog.models import RegistrationCertificate
    from mdss.catalog.selectors import expiring_documents

    days = settings.RISK_POLICY["certificate_days"]
    rows = [
        d
        for d in expiring_documents(today=today, within_days=days)
        if isinstance(d, RegistrationCertificate) and d.valid_until >= today
    ]
    renewed = set(
        RegistrationCertificate.objects.filter(
            voided_at__isnull=True,
            product_id__in=[d.product_id for d in rows],
        ).values_list("product_id", "valid_until")
    )
    found = []
    for cert in rows:
        if any(p == cert.product_id and until > cert.valid_until for p, until in renewed):
            continue
        found.append(
            {
                "key": f"certificate:{cert.pk}",
                "kind": RiskSignalKind.CERTIFICATE,
                "category": RiskCategory.LEGAL,
                "title": _("Registration certificate %(no)s of %(product)s expires without renewal")
                % {"no": cert.number, "product": cert.product.name},
                "evidence": {
                    "certificate": cert.number,
                    "product": cert.product.name,
                    "valid_until": cert.valid_until.isoformat(),
                    "days_left": (cert.valid_until - today).days,
                },
                "model_id": getattr(cert, "shown_on", None),
            }
        )
    return found


def _complaints(today: date) -> list[dict]:
    from mdss.complaints.selectors import counts_by_model

    policy = settings.RISK_POLICY
    tz = local_tz()
    until = datetime.combine(today + timedelta(days=1), time.min, tzinfo=tz)
    since = until - timedelta(days=policy["complaint_days"])
    return [
        {
            "key": f"complaints:{row['device__model_id']}:{_quarter(today)}",
            "kind": RiskSignalKind.COMPLAINTS,
            "category": RiskCategory.QUALITY,
            "title": _("%(n)s complaints on %(product)s %(model)s in %(days)s days")
            % {
                "n": row["count"],
                "product": row["device__model__product__name"],
                "model": row["device__model__code"],
                "days": policy["complaint_days"],
            },
            "evidence": {
                "complaints": row["count"],
                "days": policy["complaint_days"],
                "threshold": policy["complaint_count"],
                "since": since.date().isoformat(),
            },
            "model_id": row["device__model_id"],
        }
        for row in counts_by_model(since, until)
        if row["count"] >= policy["complaint_count"]
    ]


def _feedback(today: date) -> list[dict]:
    from mdss.quality.selectors import trend_alerts

    quality = settings.QUALITY_POLICY
    return [
        {
            "key": f"feedback:{row['model_id']}:{row['lot'] or '-'}:{_quarter(today)}"[:120],
            "kind": RiskSignalKind.FEEDBACK,
            "category": RiskCategory.QUALITY,
            "title": _("%(n)s product problems on %(product)s %(model)s lot %(lot)s")
            % {
                "n": row["count"],
                "product": row["model__product__name"],
                "model": row["model__code"],
                "lot": row["lot"] or "—",
            },
            "evidence": {
                "reports": row["count"],
                "lot": row["lot"],
                "days": quality["feedback_alert_days"],
                "threshold": quality["feedback_alert_count"],
            },
            "model_id": row["model_id"],
        }
        for row in trend_alerts(today)
    ]


def _sla(today: date) -> list[dict]:
    from mdss.service.selectors import breach_rates_by_province

    policy = settings.RISK_POLICY
    tz = local_tz()
    until = datetime.combine(today + timedelta(days=1), time.min, tzinfo=tz)
    since = until - timedelta(days=policy["sla_days"])
    found = []
    for row in breach_rates_by_province(since, until):
        total, missed = row["total"], row["missed"]
        if total < policy["sla_min_requests"] or missed * 100 < policy["sla_percent"] * total:
            continue
        found.append(
            {
                "key": f"sla:{row['customer__province_id']}:{_quarter(today)}",
                "kind": RiskSignalKind.SLA,
                "category": RiskCategory.OPERATIONAL,
                "title": _(
                    "%(missed)s of %(total)s service requests in %(region)s missed a deadline"
                )
                % {"missed": missed, "total": total, "region": row["customer__province__name"]},
                "evidence": {
                    "requests": total,
                    "missed": missed,
                    "percent": round(missed * 100 / total, 1),
                    "threshold_percent": policy["sla_percent"],
                    "days": policy["sla_days"],
                },
                "region_id": row["customer__province_id"],
            }
        )
    return found


def _receivables(today: date) -> list[dict]:
    from mdss.contracts.selectors import overdue_customers

    days = settings.RISK_POLICY["receivable_days"]
    return [
        {
            "key": f"receivables:{row['customer_id']}:{_quarter(today)}",
            "kind": RiskSignalKind.RECEIVABLES,
            "category": RiskCategory.FINANCIAL,
            "title": _("%(customer)s has owed since %(since)s")
            % {"customer": row["customer__name"], "since": row["since"].isoformat()},
            "evidence": {
                "customer": row["customer__name"],
                "contracts": row["contracts"],
                "unpaid_since": row["since"].isoformat(),
                "days": (today - row["since"]).days,
                "threshold_days": days,
            },
            "region_id": row["customer__province_id"],
        }
        for row in overdue_customers(today, older_than_days=days)
    ]


def _suppliers(today: date) -> list[dict]:
    from mdss.inventory.selectors import expiring_supplier_documents

    days = settings.RISK_POLICY["supplier_days"]
    return [
        {
            "key": f"supplier:{doc.pk}",
            "kind": RiskSignalKind.SUPPLIER,
            "category": RiskCategory.LEGAL,
            "title": _("%(supplier)s: %(paper)s expires on %(day)s")
            % {
                "supplier": doc.supplier.name,
                "paper": doc.get_kind_display(),
                "day": doc.valid_until.isoformat(),
            },
            "evidence": {
                "supplier": doc.supplier.name,
                "paper": str(doc.get_kind_display()),
                "number": doc.number,
                "valid_until": doc.valid_until.isoformat(),
                "days_left": (doc.valid_until - today).days,
            },
        }
        for doc in expiring_supplier_documents(today, within_days=days)
    ]


DETECTORS = {
    RiskSignalKind.CERTIFICATE: _certificates,
    RiskSignalKind.COMPLAINTS: _complaints,
    RiskSignalKind.FEEDBACK: _feedback,
    RiskSignalKind.SLA: _sla,
    RiskSignalKind.RECEIVABLES: _receivables,
    RiskSignalKind.SUPPLIER: _suppliers,
}


def signal_scan(*, today: date | None = None) -> list[Signal]:
    """Run every detector; record the proposals not seen before (by key) and tell
    quality and management. Safe to run again: nothing is proposed twice."""
    today = today or local_today()
    known = set(Signal.objects.values_list("key", flat=True))
    created = []
    for detect in DETECTORS.values():
        for found in detect(today):
            if found["key"] in known:
                continue
            try:
                with transaction.atomic():
                    signal = Signal.objects.create(detected_on=today, **found)
            except IntegrityError:  # a concurrent scan recorded it
                continue
            known.add(signal.key)
            created.append(signal)
    if created:
        audit.record(
            actor=None,
            action="risk.signals_found",
            obj=created[0],
            changes={"signals": [s.key for s in created]},
        )
        _tell_stewards(created)
    return created


def _tell_stewards(signals: list[Signal]) -> None:
    from django.urls import NoReverseMatch, reverse

    from mdss.accounts import roles
    from mdss.accounts.models import User
    from mdss.notifications.services import notify_many

    try:
        link = reverse("risk:signals")
    except NoReverseMatch:  # pages come with the register's views
        link = ""
    people = User.objects.filter(
        is_active=True, groups__name__in=[roles.QUALITY, roles.MANAGEMENT]
    ).distinct()
    subject = _("%(n)s new risk signals from the data") % {"n": len(signals)}
    body = "\n".join(s.title for s in signals[:10])
    transaction.on_commit(
        lambda: notify_many(list(people), kind="risk", subject=subject, body=body, link=link)
    )


def _locked_proposed(signal: Signal) -> Signal:
    row = Signal.objects.select_for_update().get(pk=signal.pk)
    if row.status != RiskSignalStatus.PROPOSED:
        raise Conflict(_("This signal is decided already."))
    return row


def signal_accept(
    *,
    actor,
    signal: Signal,
    likelihood: int,
    impact: int,
    note: str,
    owner=None,
    risk=None,
    today: date | None = None,
):
    """Accept a signal: a new risk from it (its category, title and evidence; the
    owner given), or a reassessment of the existing ``risk`` it concerns."""
    require(actor, RiskAction.SIGNAL_DECIDE)
    today = today or local_today()
    with transaction.atomic():
        row = _locked_proposed(signal)
        evidence = "; ".join(f"{k}: {v}" for k, v in row.evidence.items())
        if risk is not None:
            risk_assess(
                actor=actor, risk=risk, likelihood=likelihood, impact=impact,
                note=note or row.title, kind=RiskAssessmentKind.RESIDUAL, today=today,
            )  # fmt: skip
            target = risk
        else:
            target = risk_create(
                actor=actor, category=row.category, title=row.title,
                description=f"{row.title}\n{evidence}", cause=note or row.get_kind_display(),
                consequence=_("To be assessed by the owner."), owner=owner,
                source=RiskSource.SIGNAL, likelihood=likelihood, impact=impact,
                model=row.model, region=row.region, note=note, today=today,
            )  # fmt: skip
        row.status, row.risk = RiskSignalStatus.ACCEPTED, target
        row.decided_by, row.decided_at = actor, timezone.now()
        row.save(update_fields=["status", "risk", "decided_by", "decided_at"])
        audit.record(
            actor=actor,
            action="risk.signal_accepted",
            obj=row,
            changes={"risk": target.number, "new": risk is None},
        )
    return target


def signal_dismiss(*, actor, signal: Signal, reason: str) -> Signal:
    require(actor, RiskAction.SIGNAL_DECIDE)
    reason = (reason or "").strip()
    if not reason or len(reason) > 2000:
        raise ValidationFailed(
            errors=[
                FieldError(
                    "reason", "required", _("Why is it not a risk? (at most 2000 characters)")
                )
            ]
        )
    with transaction.atomic():
        row = _locked_proposed(signal)
        row.status, row.reason = RiskSignalStatus.DISMISSED, reason
        row.decided_by, row.decided_at = actor, timezone.now()
        row.save(update_fields=["status", "reason", "decided_by", "decided_at"])
        audit.record(actor=actor, action="risk.signal_dismissed", obj=row, reason=reason)
    return row

"""Contracts at national scale (issue 7), with 500,000 contracts and about 2,000,000
lines (`generate_data --scale 100`; `--quick` uses scale 5):

* the ledger (合同台账) filtered by a signing period and a province, as management
  sees it (every contract) and as a sales manager sees it (the team's): p95 < 150 ms
  and a fixed number of queries whatever the page;
* submitting a 50-line contract for legal review, every gate checked (catalog,
  customer licence, rep authorisation, prices): p95 < 200 ms, fixed queries;
* the home page (issue 15's role dashboards: every card's figures over all the
  contracts, customers and people in scope) for management, a sales manager and a
  sales rep: p95 < 300 ms, fixed queries.
"""

import io
import random
import statistics
import time
from datetime import date, timedelta
from decimal import Decimal

from bench.common import Context, Result, percentile

LEDGER_TARGET_MS = 150
SUBMIT_TARGET_MS = 200
DASHBOARD_TARGET_MS = 300


def run(ctx: Context) -> list[Result]:
    from django.db import connection

    from mdss.accounts.generate import generate as people
    from mdss.catalog.generate import generate as catalog
    from mdss.contracts.generate import generate as contracts
    from mdss.core.reference import load_reference_data
    from mdss.customers.generate import generate as customers

    load_reference_data()
    scale = 5 if ctx.quick else 100
    quiet = io.StringIO()
    people(scale=scale, rng=random.Random(1), stdout=quiet)
    catalog(scale=scale, rng=random.Random(4), stdout=quiet)
    customers(scale=scale, rng=random.Random(5), stdout=quiet)
    started = time.perf_counter()
    contracts(scale=scale, rng=random.Random(7), stdout=quiet)
    generated = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    results = _ledger(ctx)
    results.append(_submit(ctx))
    results += _dashboard(ctx)
    results[0].note += f"; data generated in {generated:.0f} s"
    return results


def _timed(client, method, url, params, rounds_of):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    timings, counts = [], set()
    for args in rounds_of:
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = getattr(client, method)(url(args), params(args))
            timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code in (200, 302), (response.status_code, url(args))
        counts.add(len(queries))
    return timings, counts


def _ledger(ctx):
    from django.test import Client

    from mdss.accounts import roles
    from mdss.accounts.models import User
    from mdss.contracts.models import Contract

    management = User.objects.filter(is_superuser=True).first() or User.objects.create_superuser(
        "bench-admin", "bench@example.com", None
    )
    manager = User.objects.filter(
        groups__name=roles.SALES_MANAGER, username__startswith="gen-"
    ).first()
    # Filters people use: a province and a period in which that province signed
    # something (an empty page skips the rows query, which would blur the count).
    samples = list(
        Contract.objects.filter(signed_on__isnull=False)
        .order_by("?")
        .values_list("customer__province_id", "signed_on")[:500]
    )
    rng = random.Random(11)
    rounds = 60 if ctx.quick else 200
    total = Contract.objects.count()
    results = []
    for who, user in (("management", management), ("sales manager", manager)):
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(user)
        for kind, path in (("page", "/contracts/"), ("API", "/api/v1/contracts")):

            def params(_n, path=path):
                province, signed = rng.choice(samples)
                days = rng.choice([31, 92, 365])
                start = signed - timedelta(days=rng.randint(0, days))
                return {
                    "province": province,
                    "signed_from": start.isoformat(),
                    "signed_to": (start + timedelta(days=days)).isoformat(),
                }

            client.get(path, params(0))  # warm-up, as a running server is
            timings, counts = _timed(client, "get", lambda _n, p=path: p, params, range(rounds))
            p95 = percentile(timings, 95)
            results.append(
                Result(
                    f"contracts: ledger {kind}, period + province, {who}",
                    p95,
                    "ms p95",
                    f"< {LEDGER_TARGET_MS} ms",
                    "met" if p95 < LEDGER_TARGET_MS and len(counts) == 1 else "MISSED",
                    f"p50 {statistics.median(timings):.1f} ms; queries per request "
                    f"{sorted(counts)}; {total:,} contracts; {rounds} requests",
                )
            )
    return results


def _dashboard(ctx):
    """The home page as each sales role sees it, 50 requests (20 with --quick)."""
    from django.test import Client

    from mdss.accounts import roles
    from mdss.accounts.models import User
    from mdss.contracts.models import Contract

    rounds = 20 if ctx.quick else 50
    management = User.objects.filter(is_superuser=True).first() or User.objects.create_superuser(
        "bench-admin", "bench@example.com", None
    )
    generated = User.objects.filter(username__startswith="gen-")
    people = [
        ("management", management),
        ("sales manager", generated.filter(groups__name=roles.SALES_MANAGER).first()),
        ("sales rep", generated.filter(groups__name=roles.SALES_REP).first()),
    ]
    total = Contract.objects.count()
    results = []
    for who, user in people:
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(user)
        client.get("/")  # warm-up
        timings, counts = _timed(client, "get", lambda _n: "/", lambda _n: {}, range(rounds))
        p95 = percentile(timings, 95)
        results.append(
            Result(
                f"dashboard: home page, {who}",
                p95,
                "ms p95",
                f"< {DASHBOARD_TARGET_MS} ms",
                "met" if p95 < DASHBOARD_TARGET_MS and len(counts) == 1 else "MISSED",
                f"p50 {statistics.median(timings):.1f} ms; queries per request "
                f"{sorted(counts)}; {total:,} contracts; {rounds} requests",
            )
        )
    return results


def _submit(ctx):
    """Drafts of 50 lines for a customer with a valid licence, by a rep authorised for
    the 50 models in the customer's province, at list price: each submit passes every
    gate and goes to legal."""
    from django.test import Client

    from mdss.accounts import roles
    from mdss.accounts.models import User
    from mdss.catalog.compliance import check_models
    from mdss.catalog.models import ProductModel
    from mdss.contracts import services
    from mdss.contracts.models import Contract
    from mdss.core.dates import local_today
    from mdss.customers.models import Customer, Qualification
    from mdss.pricing.models import PriceEntry, PriceListVersion
    from mdss.pricing.services.changes import price_list_seed
    from mdss.training.models import Authorisation
    from mdss.training.validators import id_check_character

    today = local_today()
    rep = User.objects.filter(groups__name=roles.SALES_REP, username__startswith="gen-").first()
    customer = Customer.objects.filter(owner=rep, name__startswith="gen-").first()
    candidates = list(
        ProductModel.objects.filter(product__name__startswith="gen-")
        .order_by("pk")
        .values_list("pk", flat=True)[:400]
    )
    gate = check_models(candidates, today)
    model_ids = [m for m in candidates if gate[m].ok][:50]
    if not PriceListVersion.objects.exists():
        price_list_seed(
            entries={m: (Decimal("10000.00"), Decimal("8000.00")) for m in model_ids},
            effective_from=date(2026, 1, 1),
            note="bench",
        )
    version = PriceListVersion.objects.get(is_active=True)
    priced = set(PriceEntry.objects.filter(version=version).values_list("model_id", flat=True))
    PriceEntry.objects.bulk_create(
        [
            PriceEntry(
                version=version,
                model_id=m,
                list_price=Decimal("10000.00"),
                floor_price=Decimal("8000.00"),
            )
            for m in model_ids
            if m not in priced
        ]
    )
    Qualification.objects.get_or_create(
        customer=customer,
        number="bench-licence",
        defaults={
            "kind": "medical_institution",
            "valid_from": date(2022, 1, 1),
            "valid_until": date(2030, 12, 31),
        },
    )
    body = "31010119900307123"
    authorisation, _created = Authorisation.objects.get_or_create(
        rep=rep,
        number="bench-authorisation",
        defaults={
            "id_number": body + id_check_character(body),
            "valid_from": date(2026, 1, 1),
            "valid_until": date(2030, 12, 31),
        },
    )
    authorisation.models_covered.set(model_ids)
    authorisation.regions.set([customer.province_id])
    rounds = 10 if ctx.quick else 30
    drafts = []
    for _ in range(rounds + 1):
        contract = services.contract_create(
            actor=rep,
            customer_id=customer.pk,
            delivery_place="bench",
            delivery_deadline=today + timedelta(days=30),
            quality_standard="bench",
            after_sales_terms="bench",
        )
        for model in ProductModel.objects.filter(pk__in=model_ids).select_related("product"):
            services.line_add(
                actor=rep,
                contract=contract,
                model=model,
                quantity=1,
                unit_price=Decimal("10000.00"),
            )
        drafts.append(contract.pk)
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(rep)
    # One view per transition (issue 14): the submit form posts to its own address.
    client.post(f"/contracts/{drafts[0]}/submit/", {"submit-comment": ""})  # warm-up
    timings, counts = _timed(
        client,
        "post",
        lambda pk: f"/contracts/{pk}/submit/",
        lambda _pk: {"submit-comment": ""},
        drafts[1:],
    )
    submitted = Contract.objects.filter(pk__in=drafts, status="in_review").count()
    p95 = percentile(timings, 95)
    ok = p95 < SUBMIT_TARGET_MS and len(counts) == 1 and submitted == len(drafts)
    return Result(
        "contracts: submit a 50-line contract (all gates), page POST",
        p95,
        "ms p95",
        f"< {SUBMIT_TARGET_MS} ms",
        "met" if ok else "MISSED",
        f"p50 {statistics.median(timings):.1f} ms; queries per submit {sorted(counts)}; "
        f"{submitted}/{len(drafts)} went to legal; {len(model_ids)} lines",
    )

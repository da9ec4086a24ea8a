"""Schemathesis fuzzes every operation of /api/v1/openapi.json, as an administrator and
as a sales rep (issue 14 §3): no input may cause a server error, and every documented
response must match its schema; every other response must have the shared error shape.

One pytest item per operation (each example is sent as the rep, then as the admin), so ``-n 2`` spreads them over both cores.
Bounded and repeatable: a few examples per operation, a fixed seed, derandomized, no
shrinking. Run it alone with ``.venv/bin/python -m pytest tests/test_api_fuzz.py -n 2``;
``MDSS_FUZZ_EXAMPLES=50`` and ``MDSS_FUZZ_COVERAGE=1`` dig deeper (see docs/api.md).
"""

import os
import random

import pytest
import schemathesis
import time_machine
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from mdss.api import api
from mdss.core.openapi_check import problems
from mdss.wsgi import application

EXAMPLES = int(os.environ.get("MDSS_FUZZ_EXAMPLES", "5"))
COVERAGE = os.environ.get("MDSS_FUZZ_COVERAGE") == "1"

CONFIG = schemathesis.Config.from_dict(
    {
        "seed": 20261127,
        "generation": {
            "max-examples": EXAMPLES,
            "deterministic": True,
            "no-shrink": True,
            "database": "none",
        },
        # The coverage phase sends every boundary of every parameter: hundreds of
        # requests per operation, beyond CI's time (MDSS_FUZZ_COVERAGE=1 turns it on).
        "phases": {"coverage": {"enabled": COVERAGE}, "stateful": {"enabled": False}},
    }
)

schema = schemathesis.openapi.from_dict(
    {**api.get_openapi_schema(path_prefix="/api/v1/")}, config=CONFIG
)
schema.app = application

CHECKS = [not_a_server_error, response_schema_conformance]


@pytest.fixture(autouse=True)
def _day():
    with time_machine.travel("2026-11-27 10:00 +0800", tick=True):
        yield


@pytest.fixture
def _in_test_transaction():
    """The WSGI app runs in this thread, inside the test's transaction: Django must not
    close that connection at the end of each request (its test client does the same)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def world(signed, rep, admin_user, legal, sales_manager, other_rep, monitor):
    """Demo-like rows, so that ids in paths hit real records now and then."""
    from mdss.accounts.services import api_token_create
    from mdss.contracts import services as contracts
    from mdss.customers.tests.factories import ContactFactory, CustomerFactory
    from mdss.pricing.models import PriceListVersion

    other = CustomerFactory(owner=other_rep, region=signed.customer.region, name="外院")
    contact = ContactFactory(customer=signed.customer)
    problem = contracts.problem_raise(
        actor=rep, contract=signed, kind="quality", description="屏幕闪烁"
    )
    tokens = {
        user: api_token_create(user=user, name="fuzz", actor=user) for user in (admin_user, rep)
    }
    ids = {
        "contract_id": [signed.pk],
        "customer_id": [signed.customer_id, other.pk],
        "user_id": [rep.pk, other_rep.pk, admin_user.pk],
        "model_id": [monitor.pk],
        "problem_id": [problem.pk],
        # A spare token to revoke: revoking the callers' own would end the run in 401s.
        "token_id": [api_token_create(user=rep, name="spare", actor=rep)[0].pk],
        "contact_id": [contact.pk],
        "version_id": list(PriceListVersion.objects.values_list("pk", flat=True)),
        "qualification_id": list(signed.customer.qualifications.values_list("pk", flat=True)),
        "delivery_id": list(signed.deliveries.values_list("pk", flat=True)),
    }
    return {"admin": tokens[admin_user][1], "rep": tokens[rep][1], "ids": ids}


def _real_ids(case, ids):
    """Half of the time, each id in the path is one of a real row (deterministically)."""
    if not case.path_parameters:
        return
    chooser = random.Random(repr(sorted(case.path_parameters.items(), key=str)))  # noqa: S311
    for name in case.path_parameters:
        if ids.get(name) and chooser.random() < 0.5:
            case.path_parameters[name] = chooser.choice(ids[name])


@schema.parametrize()
# The rows are made once per operation; its examples share them (and see each other's writes).
@settings(suppress_health_check=list(HealthCheck))
def test_api_fuzz(case, world, _in_test_transaction):
    _real_ids(case, world["ids"])
    for caller in ("rep", "admin"):
        response = case.call_and_validate(
            headers={"Authorization": f"Bearer {world[caller]}"}, checks=CHECKS
        )
        if response.headers.get("content-type", [""])[0].startswith("application/json"):
            found = problems(
                case.method, case.formatted_path, response.status_code, response.json()
            )
            assert not found, f"as {caller}:\n" + "\n".join(found)

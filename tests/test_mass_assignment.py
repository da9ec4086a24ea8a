"""Mass assignment: posting fields an input does not declare (status, owner,
approver, prices, amounts) changes nothing, in the API and in the pages.

Three checks from the table in ``tests/permission_matrix.py``: every API input takes
only the sensitive fields declared for it; no page form offers a state or an
approver; and an API write sent with extra sensitive fields answers exactly as
without them (the extras are ignored, not applied)."""

from __future__ import annotations

import inspect
import json

import pytest
from django import forms

from tests.permission_matrix import SENSITIVE_FIELDS, SENSITIVE_INPUTS


def _input_fields(schema, node, depth=0) -> set[str]:
    while "$ref" in node:
        node = schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[1]]
    names: set[str] = set()
    for option in node.get("anyOf", []) + node.get("allOf", []):
        names |= _input_fields(schema, option, depth)
    if node.get("type") == "array":
        return names | _input_fields(schema, node.get("items", {}), depth)
    for key, sub in node.get("properties", {}).items():
        names.add(key)
        if depth < 3:
            names |= _input_fields(schema, sub, depth + 1)
    return names


def test_every_api_input_takes_only_its_declared_sensitive_fields():
    from mdss.api import api

    schema = api.get_openapi_schema()
    found = {}
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            names = set()
            for content in operation.get("requestBody", {}).get("content", {}).values():
                names |= _input_fields(schema, content["schema"])
            if names & SENSITIVE_FIELDS:
                found[f"{method.upper()} {path}"] = names & SENSITIVE_FIELDS
    assert found == SENSITIVE_INPUTS


def _page_forms():
    import importlib

    from django.apps import apps

    for config in apps.get_app_configs():
        if not config.name.startswith("mdss."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.forms")
        except ModuleNotFoundError:
            continue
        for name, form in inspect.getmembers(module, inspect.isclass):
            if issubclass(form, forms.BaseForm) and form.__module__ == module.__name__:
                yield f"{module.__name__}.{name}", form


# Who acts and what state a record is in come from the request and the services,
# never from a form field.
NEVER_IN_A_FORM = {
    "status",
    "approver",
    "approved_by",
    "decided_by",
    "created_by",
    "requested_by",
    "signed_by",
    "uploaded_by",
    "is_superuser",
    "groups",
}


def test_no_page_form_offers_a_state_or_an_actor():
    # (List filters choose rows by status; they write nothing.)
    offending = {
        name: sorted(set(form.base_fields) & NEVER_IN_A_FORM)
        for name, form in _page_forms()
        if set(form.base_fields) & NEVER_IN_A_FORM and not name.endswith("FilterForm")
    }
    assert offending == {}


EXTRAS = {
    "status": "approved",
    "approver_id": 1,
    "approved_by": 1,
    "decided_by": 1,
    "created_by": 1,
    "requested_by": 1,
    "signed_by": 1,
    "is_superuser": True,
    "groups": [1],
    "price": "0.01",
    "total": "0.01",
    "paid": "0.01",
}
VOLATILE = {"id", "ids", "number", "request_id", "token", "prefix", "expires_at"}
VOLATILE |= {"at"}  # and every "…_at" moment


def _stable(value):
    if isinstance(value, dict):
        return {
            k: _stable(v) for k, v in value.items() if k not in VOLATILE and not k.endswith("_at")
        }
    if isinstance(value, list):
        return [_stable(v) for v in value]
    return value


@pytest.mark.django_db
def test_extra_sensitive_fields_in_an_api_write_change_nothing(settings):
    """As the administrator (who passes every door), each JSON write is sent with its
    minimal body, then with the extras: the two answers are the same."""
    from django.db import transaction
    from django.test import Client

    from mdss.accounts.services import api_token_create
    from tests.permission_world import caller_user, world
    from tests.test_permission_matrix import _api_path, _body, _operations

    settings.AXES_ENABLED = False
    w = world()
    from mdss.pricing.models import PriceListVersion

    w["version_id"] = PriceListVersion.objects.order_by("pk").first().pk
    admin = caller_user("admin")
    _, raw = api_token_create(user=admin, name="mass", actor=admin)
    client = Client(headers={"Authorization": f"Bearer {raw}"})
    differing, tried = [], 0
    for method, path, operation, schema in _operations():
        body = _body(schema, operation, w)
        if method == "GET" or body.get("content_type") != "application/json":
            continue
        data = json.loads(body["data"])
        if not isinstance(data, dict):
            continue
        answers = []
        for payload in (data, {**EXTRAS, **data}):
            with transaction.atomic():
                response = client.generic(
                    method, _api_path(path, w), json.dumps(payload), "application/json"
                )
                answers.append((response.status_code, _stable(response.json())))
                transaction.set_rollback(True)
        tried += 1
        if answers[0] != answers[1]:
            differing.append(f"{method} {path}: {answers[0]} != {answers[1]}")
    assert tried > 40
    assert differing == [], "\n".join(differing)


def test_no_two_api_schemas_share_a_name():
    """OpenAPI keys schemas by class name: two apps' ``GateOut`` would make one
    endpoint document (and validate against) the other's shape."""
    import collections

    from ninja import Schema

    import mdss.api  # noqa: F401 (every router imported)

    modules = collections.defaultdict(set)

    def walk(cls):
        for sub in cls.__subclasses__():
            if sub.__module__.startswith("mdss."):
                modules[sub.__name__].add(sub.__module__)
            walk(sub)

    walk(Schema)
    assert {name: sorted(m) for name, m in modules.items() if len(m) > 1} == {}

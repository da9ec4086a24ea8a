"""The permission matrix: every page and every API operation, called by every caller
(anonymous, each role, the customer, a rep outside the record's scope), answers as
``tests/permission_matrix.py`` declares. A new URL or operation without an entry fails
here, so nobody adds a door without saying who may open it.

Each call runs in a savepoint that is rolled back, so a POST that succeeds changes
nothing for the next caller. Writes are sent as a minimal body built from the
OpenAPI schema (API) or empty (pages): a caller who may act gets past the door (a
2xx, a redirect, or the form's or service's refusal of the content: 400/409/422);
one who may not gets 403, or 404 when the record is outside what they see.

``MATRIX_OBSERVE=1`` prints what each route answered, for writing a new entry.
"""

from __future__ import annotations

import json
import os
import re
from datetime import date

import pytest
from django.db import transaction
from django.test import Client

from tests.permission_matrix import API, PAGES, PUBLIC_PAGES
from tests.permission_world import CALLERS, caller_user, page_routes, world
from tests.words import leaks, missing_translations

pytestmark = pytest.mark.django_db

OBSERVE = os.environ.get("MATRIX_OBSERVE") == "1"


def classify(response, *, api: bool) -> str:
    code = response.status_code
    if code >= 500:
        return f"error {code}"
    if code == 401 or (code == 302 and "/accounts/login/" in response.get("Location", "")):
        return "login"
    if code == 403:
        return "forbidden"
    if code == 404:
        return "hidden"
    if code == 405:
        return "method"
    if code < 400 or code in (400, 409, 422):
        return "ok"
    return f"status {code}"


def _call(client, method, path, **kwargs):
    with transaction.atomic():
        response = client.generic(method, path, **kwargs)
        transaction.set_rollback(True)
    return response


def _report(problems, observed, label):
    if OBSERVE:
        folder = os.environ.get("MATRIX_OBSERVE_DIR", "/tmp")
        with open(os.path.join(folder, f"matrix-{label}.json"), "w") as out:
            json.dump(observed, out, ensure_ascii=False)
    assert not problems, "\n".join(problems)


# --- pages -----------------------------------------------------------------------


def _page_clients():
    clients = {}
    for caller in CALLERS:
        client = Client()
        user = caller_user(caller)
        if user is not None:
            client.force_login(user)
        clients[caller] = client
    return clients


@pytest.mark.parametrize("half", [0, 1])
@pytest.mark.parametrize("method", ["GET", "POST"])
def test_every_page_answers_each_caller_as_declared(method, half, settings):
    settings.AXES_ENABLED = False
    w = world()
    clients = _page_clients()
    problems, observed = [], {}
    for n, (name, path) in enumerate(page_routes(w)):
        if n % 2 != half or name in PUBLIC_PAGES:
            continue
        rule = PAGES.get(name)
        if rule is None and not OBSERVE:
            problems.append(f"{name} ({path}): no entry in tests/permission_matrix.py PAGES")
            continue
        if rule is not None and method not in rule.methods:
            continue
        rule = rule.for_method(method) if rule is not None else None
        for caller in CALLERS:
            with missing_translations() as untranslated:
                response = _call(
                    clients[caller], method, path, content_type="application/x-www-form-urlencoded"
                )
            got = classify(response, api=False)
            observed.setdefault(name, {}).setdefault(got, []).append(caller)
            if (
                method == "GET"
                and response.status_code == 200
                and "text/html" in response.get("Content-Type", "")
            ):
                problems.extend(
                    f"GET {path} [{name}] as {caller}: {leak}"
                    for leak in leaks(response.content.decode(), codes=caller != "admin")
                )
                problems.extend(
                    f"GET {path} [{name}] as {caller}: no Chinese for {text!r}"
                    for text in sorted(untranslated)
                )
            if rule is not None and got != rule.expect(caller):
                problems.append(
                    f"{method} {path} [{name}] as {caller}: {got}, declared {rule.expect(caller)}"
                )
    _report(problems, observed, f"pages-{method}-{half}")


# --- API -------------------------------------------------------------------------

PDF = b"%PDF-1.4 matrix\n%%EOF"


def _operations():
    from mdss.api import api

    schema = api.get_openapi_schema()
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            yield method.upper(), path, operation, schema


def _resolve(schema, node):
    while "$ref" in node:
        node = schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[1]]
    if "allOf" in node and len(node["allOf"]) == 1:
        return _resolve(schema, node["allOf"][0])
    return node


def _example(schema, node, name, w):
    """A small value of the right type for a required field: ids from the world."""
    node = _resolve(schema, node)
    if "anyOf" in node:
        node = _resolve(schema, next(n for n in node["anyOf"] if n.get("type") != "null"))
    if "enum" in node:
        return node["enum"][0]
    kind = node.get("type")
    if kind == "object":
        return {
            key: _example(schema, sub, key, w)
            for key, sub in node.get("properties", {}).items()
            if key in node.get("required", [])
        }
    if kind == "array":
        return [_example(schema, node.get("items", {}), name, w)] if node.get("minItems") else []
    if kind == "integer":
        return w.get(name) or w.get(f"{name}_id") or 1
    if kind == "number":
        return 1
    if kind == "boolean":
        return False
    if node.get("format") == "date":
        return date(2026, 11, 27).isoformat()
    if node.get("format") == "date-time":
        return "2026-11-27T10:00:00+08:00"
    if node.get("format") == "binary":
        return PDF
    return "x"


def _body(schema, operation, w):
    content = operation.get("requestBody", {}).get("content", {})
    if "application/json" in content:
        data = _example(schema, content["application/json"]["schema"], "", w)
        return {"data": json.dumps(data), "content_type": "application/json"}
    if "multipart/form-data" in content:
        from django.core.files.uploadedfile import SimpleUploadedFile
        from django.test.client import MULTIPART_CONTENT, encode_multipart

        node = _resolve(schema, content["multipart/form-data"]["schema"])
        fields = {}
        for key, sub in node.get("properties", {}).items():
            value = _example(schema, sub, key, w)
            if isinstance(value, bytes):
                value = SimpleUploadedFile(f"{key}.pdf", value, content_type="application/pdf")
            fields[key] = value
        return {
            "data": encode_multipart("BoUnDaRy", fields),
            "content_type": MULTIPART_CONTENT.replace("BoUnDaRyStRiNg", "BoUnDaRy"),
        }
    return {}


def _api_headers(w):
    from mdss.accounts.tests.factories import raw_token_for

    headers = {}
    for caller in CALLERS:
        user = caller_user(caller)
        if user is not None:
            raw = raw_token_for(user)
            headers[caller] = {"Authorization": f"Bearer {raw}"}
        else:
            headers[caller] = {}
    return headers


def _api_path(path, w):
    from tests.permission_matrix import API_ARGS

    def fill(match):
        arg = match.group(1)
        value = API_ARGS.get(path, {}).get(arg, arg)
        return str(w.get(value, value))

    return re.sub(r"\{(\w+)\}", fill, path)


@pytest.mark.parametrize("half", [0, 1])
def test_every_api_operation_answers_each_caller_as_declared(half, settings):
    settings.AXES_ENABLED = False
    w = world()
    from mdss.pricing.models import PriceListVersion

    w["version_id"] = PriceListVersion.objects.order_by("pk").first().pk
    headers = _api_headers(w)
    client = Client()
    problems, observed = [], {}
    operations = list(_operations())
    for n, (method, path, operation, schema) in enumerate(operations):
        if n % 2 != half:
            continue
        key = f"{method} {path}"
        rule = API.get(key)
        if rule is None and not OBSERVE:
            problems.append(f"{key}: no entry in tests/permission_matrix.py API")
            continue
        url = _api_path(path, w)
        for caller in CALLERS:
            body = _body(schema, operation, w)
            got = classify(
                _call(
                    client,
                    method,
                    url,
                    headers={**headers[caller], "Idempotency-Key": f"m-{n}-{caller}"},
                    **body,
                ),
                api=True,
            )
            observed.setdefault(key, {}).setdefault(got, []).append(caller)
            if rule is not None and got != rule.expect(caller):
                problems.append(f"{key} ({url}) as {caller}: {got}, declared {rule.expect(caller)}")
    _report(problems, observed, f"api-{half}")

"""Responses checked against the published OpenAPI document (tests use it through the
``api_client`` fixture): a schema that drifts from what an endpoint returns, or two
schemas of one name overwriting each other, fails a test instead of a client."""

from __future__ import annotations

import re
from functools import cache

import jsonschema


@cache
def _document() -> dict:
    import json

    from mdss.api import api

    # Through JSON, as a client reads it (int keys become strings, models plain data).
    return json.loads(json.dumps(api.get_openapi_schema(path_prefix="/api/v1/"), default=str))


@cache
def _templates() -> list[tuple[re.Pattern, str]]:
    paths = []
    for template in _document()["paths"]:
        pattern = re.sub(r"\{[^}]+\}", r"[^/]+", template.rstrip("/"))
        paths.append((re.compile(f"^{pattern}/?$"), template))
    # Literal segments before parameters: /contracts/amendments/1 is not /contracts/{id}/…
    paths.sort(key=lambda item: item[1].count("{"))
    return paths


def problems(method: str, path: str, status: int, body) -> list[str]:
    """Why this response does not match the document (empty when it does)."""
    document = _document()
    template = next((t for pattern, t in _templates() if pattern.match(path)), None)
    if template is None:
        return [f"{method.upper()} {path}: no such path in openapi.json"]
    operation = document["paths"][template].get(method.lower())
    if operation is None:
        return [f"{method.upper()} {template}: no such operation in openapi.json"]
    # Ninja's document keeps status codes as ints until it is serialised to JSON.
    declared = {str(code): value for code, value in operation.get("responses", {}).items()}
    response = declared.get(str(status))
    if response is None:
        if status < 300:
            return [f"{method.upper()} {template}: status {status} is not documented"]
        response = {"content": {"application/json": {"schema": _error_schema()}}}
    schema = response.get("content", {}).get("application/json", {}).get("schema")
    if schema is None:
        return []
    validator = jsonschema.Draft202012Validator({**schema, "components": document["components"]})
    return [
        f"{method.upper()} {template} → {status}: {error.message} at {list(error.absolute_path)}"
        for error in validator.iter_errors(body)
    ][:5]


def _error_schema() -> dict:
    return {"$ref": "#/components/schemas/ErrorOut"}

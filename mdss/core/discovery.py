"""Apps register themselves: core finds each app's ``demo`` or ``generate`` module
through the app registry, in INSTALLED_APPS order (which is dependency order: an app
comes after those it builds on), instead of listing apps by hand."""

from __future__ import annotations

import importlib
import importlib.util

from django.apps import apps


def app_modules(name: str) -> list:
    """Each installed project app's module ``name`` (e.g. "demo"), where it has one."""
    found = []
    for config in apps.get_app_configs():
        if not config.name.startswith("mdss."):
            continue
        dotted = f"{config.name}.{name}"
        if importlib.util.find_spec(dotted) is not None:
            found.append(importlib.import_module(dotted))
    return found

"""Reference data every installation needs; each loader only adds what is missing.

Apps register their loaders themselves: an app with reference data has a
``reference.py`` module defining ``load_reference_data() -> dict[str, object]`` (what
was added, by label). Core finds them through the app registry (``discovery``), in
INSTALLED_APPS order, so an app's reference data is loaded after the data of the
apps it builds on. Nothing here lists apps by hand.
"""

from .discovery import app_modules

LOADER = "load_reference_data"


def reference_loaders() -> list:
    """Each app's loader, in dependency order (a ``reference`` module without one,
    e.g. holding only the data it loads, is skipped)."""
    return [
        getattr(m, LOADER)
        for m in app_modules("reference")
        if m.__name__ != __name__ and hasattr(m, LOADER)  # this module is the registry
    ]


def load_reference_data() -> dict[str, object]:
    """Run every app's loader; returns what each added, by label."""
    added: dict[str, object] = {}
    for loader in reference_loaders():
        added.update(loader())
    return added

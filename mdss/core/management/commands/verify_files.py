"""Stored files against their records, after a restore (docs/deploy.md).

Every FileField of every model: the file a row names must exist in the storage, and
a contract annex must still have the SHA-256 legal signed. Exits non-zero naming each
missing or changed file; reports files in the storage that no row names."""

import hashlib

from django.apps import apps
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError
from django.db import models


def _file_fields(model):
    return [f for f in model._meta.concrete_fields if isinstance(f, models.FileField)]


def _digest(name: str) -> str:
    digest = hashlib.sha256()
    with default_storage.open(name, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


class Command(BaseCommand):
    help = "Check that every stored file named by a record exists (and annexes still match their hash)."

    def handle(self, *args, **options):
        problems, named = [], set()
        checked = 0
        for model in apps.get_models():
            fields = _file_fields(model)
            if not fields or not model.__module__.startswith(("mdss.", "tests.")):
                continue
            manager = getattr(model, "all_objects", model._base_manager)
            for field in fields:
                rows = manager.exclude(**{field.attname: ""}).values_list("pk", field.attname)
                for pk, name in rows.iterator(chunk_size=2000):
                    checked += 1
                    named.add(name)
                    label = f"{model._meta.label} #{pk} {field.name}: {name}"
                    if not default_storage.exists(name):
                        problems.append(f"missing file — {label}")
                    elif model._meta.label == "contracts.Attachment":
                        expected = manager.values_list("sha256", flat=True).get(pk=pk)
                        if _digest(name) != expected:
                            problems.append(f"changed file (SHA-256 differs) — {label}")
        unnamed = sorted(_stored_names() - named)
        if unnamed:
            self.stderr.write(
                f"{len(unnamed)} stored files are named by no record, e.g. {unnamed[:5]}"
            )
        if problems:
            raise CommandError("\n".join(problems))
        self.stdout.write(f"stored files intact: {checked} files named by records")


def _stored_names(prefix: str = "") -> set[str]:
    try:
        directories, files = default_storage.listdir(prefix)
    except FileNotFoundError:
        return set()
    names = {f"{prefix}{name}" for name in files}
    for directory in directories:
        names |= _stored_names(f"{prefix}{directory}/")
    return names

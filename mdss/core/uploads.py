"""What an upload may be, decided by its content.

A name or a browser's Content-Type says nothing: a rep could upload ``licence.html``
or an SVG with a script as a "scan". Every stored file passes ``check`` (services,
so the API too) or ``UploadValidator`` (model and form fields, so the page shows
the error next to the field): the first bytes must be those of an allowed kind, the
size under the limit, and the stored name gets the kind's own extension.
"""

from __future__ import annotations

import contextlib
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Kind:
    name: str
    extension: str
    content_type: str
    inline: bool  # a browser may show it in a tab (PDF viewer, image)


PDF = Kind("pdf", ".pdf", "application/pdf", True)
JPEG = Kind("jpeg", ".jpg", "image/jpeg", True)
PNG = Kind("png", ".png", "image/png", True)
XLSX = Kind(
    "xlsx", ".xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", False
)

# Scans, certificates, signed contracts, proofs, materials.
DOCUMENT = (PDF, JPEG, PNG)
# Imports.
SPREADSHEET = (XLSX,)


def _read_head(file, size: int) -> bytes:
    position = file.tell() if hasattr(file, "tell") else 0
    try:
        file.seek(0)
        return file.read(size) or b""
    finally:
        file.seek(position)


def _is_xlsx(file) -> bool:
    position = file.tell()
    try:
        file.seek(0)
        with zipfile.ZipFile(file) as archive:
            names = set(archive.namelist())
        return "[Content_Types].xml" in names and "xl/workbook.xml" in names
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
    finally:
        file.seek(position)


def sniff(file) -> Kind | None:
    """The kind the bytes say, or None."""
    head = _read_head(file, 8)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"PK\x03\x04") and _is_xlsx(file):
        return XLSX
    return None


def problem(file, kinds=DOCUMENT, max_bytes: int | None = None) -> str | None:
    """Why ``file`` may not be stored, in words, or None when it may."""
    limit = max_bytes or settings.MDSS_UPLOAD_MAX_BYTES
    size = getattr(file, "size", None)
    if size is not None and size > limit:
        return _("The file is larger than %(limit)s.") % {"limit": filesizeformat(limit)}
    kind = sniff(file)
    if kind not in kinds:
        return _("Only %(kinds)s files are accepted; this file's content is not one of them.") % {
            "kinds": ", ".join(k.name.upper() for k in kinds)
        }
    _name_by_kind(file, kind)
    return None


def _name_by_kind(file, kind: Kind) -> None:
    # The stored name ends with the extension of what the file is, whatever it was called.
    name = getattr(file, "name", "") or "file"
    stem = name.rsplit("/", 1)[-1].rsplit(".", 1)[0] or "file"
    with contextlib.suppress(AttributeError):  # a read-only name: keep it
        file.name = stem[:80] + kind.extension


def check(file, *, field: str, kinds=DOCUMENT, max_bytes: int | None = None) -> None:
    """Raise ValidationFailed naming ``field`` unless ``file`` is of an allowed kind."""
    from .errors import ValidationFailed

    if not file:
        return
    message = problem(file, kinds, max_bytes)
    if message:
        raise ValidationFailed.single(field, "file_type", message)


@deconstructible
class UploadValidator:
    """The same rule for model and form fields."""

    def __init__(self, kinds: tuple[str, ...] = ("pdf", "jpeg", "png")):
        self.kinds = tuple(kinds)

    def __call__(self, value):
        if not value or getattr(value, "_committed", False):
            return  # a file already stored was checked when it came in
        allowed = tuple(k for k in (PDF, JPEG, PNG, XLSX) if k.name in self.kinds)
        message = problem(value, allowed)
        if message:
            raise ValidationError(message, code="file_type")

    def __eq__(self, other):
        return isinstance(other, UploadValidator) and self.kinds == other.kinds


document_validator = UploadValidator()
spreadsheet_validator = UploadValidator(("xlsx",))

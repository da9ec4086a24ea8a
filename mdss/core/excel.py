"""What every Excel export and import shares (X6): a styled header, cells that cannot
run as formulas, row-level errors, and reading rows by column name."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# A text cell starting with one of these is run as a formula by Excel and WPS (CSV/
# formula injection, OWASP); a leading apostrophe makes it plain text again.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def safe(value):
    """A cell value that a spreadsheet shows as text and never evaluates."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def unescape(value):
    """The reverse of ``safe`` for a file we exported and get back."""
    if isinstance(value, str) and value.startswith("'") and value[1:2] in FORMULA_TRIGGERS:
        return value[1:]
    return value


def new_workbook():
    """A workbook whose first sheet is to be renamed; write_only for big exports."""
    return Workbook(write_only=True)


def add_sheet(book, title: str, columns: list[str]):
    sheet = book.create_sheet(title)
    for index, name in enumerate(columns):
        letter = _column_letter(index + 1)
        sheet.column_dimensions[letter].width = max(12, len(name) * 2 + 4)
    sheet.freeze_panes = "A2"
    from openpyxl.cell import WriteOnlyCell

    header = []
    for name in columns:
        cell = WriteOnlyCell(sheet, value=name)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        header.append(cell)
    sheet.append(header)
    return sheet


def append_row(sheet, values) -> None:
    sheet.append([safe(v) for v in values])


def _column_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index)


def to_bytes(book) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@dataclass(frozen=True)
class RowError:
    sheet: str
    row: int
    column: str
    message: str


class ImportRefused(Exception):
    """The file had problems; nothing was written. ``errors`` lists every one."""

    def __init__(self, errors: list[RowError]):
        self.errors = errors
        super().__init__(f"{len(errors)} errors")


def open_workbook(content: bytes):
    """The workbook in read-only (streaming) mode, after checking what it would unpack
    to: an .xlsx is a zip, and a 300 KB zip of repeated cells unpacks to gigabytes."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError) as exc:
        raise ImportRefused([RowError("", 0, "", _("This is not an Excel .xlsx file."))]) from exc
    limit = settings.MDSS_IMPORT_MAX_UNPACKED_BYTES
    if unpacked > limit:
        raise ImportRefused(
            [
                RowError(
                    "",
                    0,
                    "",
                    _(
                        "The workbook unpacks to more than %(limit)s MB; split it into smaller files."
                    )
                    % {"limit": limit // (1024 * 1024)},
                )
            ]
        )
    try:
        return load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not .xlsx
        raise ImportRefused([RowError("", 0, "", _("This is not an Excel .xlsx file."))]) from exc


def text(value) -> str:
    return "" if value is None else str(unescape(value)).strip()


def as_date(value):
    """A date cell or ISO text (2026-03-31); ValueError otherwise."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date) or value in (None, ""):
        return value or None
    return date.fromisoformat(str(value).strip())


def rows(book, sheet_name: str, columns: list[str], errors: list[RowError], required=None):
    """(row number, {column: value}) for each non-empty row of a sheet.

    ``required`` columns must be in the header (default: all of ``columns``);
    missing optional columns read as None.
    """
    if sheet_name not in book.sheetnames:
        return []
    sheet = book[sheet_name]
    header_row = next(sheet.iter_rows(min_row=1, max_row=1, values_only=True), ())
    header = [text(c) for c in header_row]
    missing = [c for c in (required if required is not None else columns) if c not in header]
    if missing:
        errors.append(RowError(sheet_name, 1, "、".join(missing), _("These columns are missing.")))
        return []
    index = {name: header.index(name) for name in columns if name in header}
    found = []
    most = settings.MDSS_IMPORT_MAX_ROWS
    for number, cells in enumerate(sheet.iter_rows(min_row=2, values_only=True), start=2):
        if number - 1 > most:
            errors.append(
                RowError(
                    sheet_name,
                    number,
                    "",
                    _("A sheet has at most %(n)s rows; split the file.") % {"n": f"{most:,}"},
                )
            )
            return found
        if all(text(v) == "" for v in cells):
            continue
        found.append(
            (
                number,
                {
                    name: (
                        cells[index[name]] if name in index and index[name] < len(cells) else None
                    )
                    for name in columns
                },
            )
        )
    return found


def xlsx_response(content: bytes, filename: str):
    """A workbook we generated, as a download."""
    from django.http import HttpResponse

    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
